"""Debian's chromium, driven by Playwright: never a browser Playwright downloads."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

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


def debian_chromium() -> str | None:
    """Where Debian's chromium is, if it is installed."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).is_file() else None


def chromium_path() -> str:
    """Debian's chromium for a test: skipped without it, except in CI where it must be there."""
    path = debian_chromium()
    if path is not None:
        return path
    if os.environ.get("CI"):
        pytest.fail(CHROMIUM_HINT)
    pytest.skip(CHROMIUM_HINT)


@contextmanager
def launched(path: str, extra_args: Sequence[str] = ()) -> Iterator[Browser]:
    """The chromium at ``path``, headless, driven by Playwright."""
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=path, headless=True, args=[*CHROMIUM_ARGS, *extra_args]
        )
        try:
            yield browser
        finally:
            browser.close()
