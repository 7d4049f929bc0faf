#!/usr/bin/env bash
# Set up a virtual environment with Carebase and its test tools, then build the sample site.
# Safe to re-run. Usage: bash scripts/setup.sh [--serve]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
if [ "${1:-}" = "--serve" ]; then
  exec .venv/bin/carebase serve
fi
.venv/bin/carebase build
echo "Built the sample help centre into site/ — open site/index.html, or run: .venv/bin/carebase serve"
