#!/usr/bin/env bash
# Run the whole test suite, lint and type checks. Installs what it needs first (safe to re-run):
# the project in .venv, and Debian's chromium for the browser tests when running as root.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet -e '.[test]'
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: Debian's chromium is missing; browser tests will be skipped (apt-get install chromium)" >&2
  fi
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# Two pytest workers (CAREBASE_TEST_WORKERS to change it; 0 runs in this process): much of the
# suite waits on fake servers, timeouts and child processes. A file's tests stay together so
# its browser and fixtures start once.
exec .venv/bin/python -m pytest -n "${CAREBASE_TEST_WORKERS:-2}" --dist loadfile "$@"
