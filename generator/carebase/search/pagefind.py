"""Pagefind: a static search index written next to the built pages, searched in the browser.

Pagefind reads the built HTML, not Markdown: it indexes the element marked
``data-pagefind-body`` on each page (the theme marks article and post text only, so headers,
navigation, listings and redirects stay out), one index per ``<html lang>``, with the
``data-pagefind-filter`` and ``data-pagefind-meta`` values the theme writes. The binary comes
with the ``pagefind[bin]`` wheel and runs as a subprocess.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from carebase.errors import CarebaseError

BUNDLE_DIR = "pagefind"
"""Where the index and its JavaScript go, relative to the site root."""
IGNORED = "a.headerlink"
"""Never indexed: the ¶ permalinks MkDocs adds to headings."""
_COUNT = re.compile(r"Indexed (\d+) (language|page|word|filter)s?\b")


@dataclass(frozen=True)
class PagefindReport:
    """What one indexing run did."""

    languages: int
    pages: int
    words: int
    filters: int


def available() -> bool:
    """Whether the Pagefind binary is installed (``pip install 'pagefind[bin]'``)."""
    return importlib.util.find_spec("pagefind_bin") is not None


def command(site_dir: Path) -> list[str]:
    """The command indexing ``site_dir`` into ``site_dir/pagefind``."""
    site = ["--site", str(site_dir), "--output-subdir", BUNDLE_DIR]
    return [sys.executable, "-m", "pagefind", *site, "--exclude-selectors", IGNORED]


def index_site(site_dir: Path) -> PagefindReport:
    """Index the built site; :class:`CarebaseError` with Pagefind's own words when it fails."""
    if not available():
        raise CarebaseError(
            "search: Pagefind is not installed\n  hint: pip install 'pagefind[bin]', "
            "or choose another backend under plugins: carebase/search: backend"
        )
    try:
        done = subprocess.run(command(site_dir), capture_output=True, text=True, check=False)
    except OSError as exc:
        raise CarebaseError(f"search: Pagefind could not start: {exc}") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise CarebaseError(
            f"search: Pagefind failed indexing {site_dir} (exit {done.returncode}):\n  "
            + "\n  ".join(said)
        )
    return parse_report(done.stdout)


def start_indexing(site_dir: Path) -> subprocess.Popen[bytes]:
    """Index in the background (previews: the page is served before its search catches up)."""
    return subprocess.Popen(command(site_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def parse_report(output: str) -> PagefindReport:
    """The counts Pagefind prints at the end of a run."""
    counts = {kind: int(number) for number, kind in _COUNT.findall(output)}
    return PagefindReport(
        languages=counts.get("language", 0),
        pages=counts.get("page", 0),
        words=counts.get("word", 0),
        filters=counts.get("filter", 0),
    )
