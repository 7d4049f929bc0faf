"""Debian's chromium, driven by Playwright: never a browser Playwright downloads."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_HINT = "Debian's chromium is required: apt-get install chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if Path(path).is_file():
        return path
    if os.environ.get("CI"):
        pytest.fail(CHROMIUM_HINT)
    pytest.skip(CHROMIUM_HINT)
