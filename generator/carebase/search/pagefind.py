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
import tempfile
import time
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

    seconds: float
    languages: int
    pages: int
    words: int
    filters: int


def require() -> None:
    """:class:`CarebaseError` unless the Pagefind binary is installed."""
    if importlib.util.find_spec("pagefind_bin") is None:
        raise CarebaseError(
            "search: Pagefind is not installed\n  hint: pip install 'pagefind[bin]', "
            "or choose another backend under plugins: carebase/search: backend"
        )


def command(site_dir: Path, glob: str | None = None) -> list[str]:
    """The command indexing ``site_dir`` (files matching ``glob``) into ``site_dir/pagefind``."""
    site = ["--site", str(site_dir), "--output-subdir", BUNDLE_DIR]
    only = ["--glob", glob] if glob else []
    return [sys.executable, "-m", "pagefind", *site, *only, "--exclude-selectors", IGNORED]


class Indexing:
    """One Pagefind run in the background: start it, do other work, then :meth:`finish`."""

    def __init__(self, site_dir: Path, glob: str | None = None) -> None:
        require()
        self.site_dir = site_dir
        self.started = time.monotonic()
        # Closed by finish() or stop(): the run outlives this call.
        self._output = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._process = subprocess.Popen(
                command(site_dir, glob), stdout=self._output, stderr=subprocess.STDOUT
            )
        except OSError as exc:
            self._output.close()
            raise CarebaseError(f"search: Pagefind could not start: {exc}") from None

    def finish(self) -> PagefindReport:
        """Wait for the run; its report, or :class:`CarebaseError` with Pagefind's words."""
        code = self._process.wait()
        self._output.seek(0)
        said = self._output.read().decode("utf-8", errors="replace")
        self._output.close()
        if code != 0:
            last = said.strip().splitlines()[-5:]
            raise CarebaseError(
                f"search: Pagefind failed indexing {self.site_dir} (exit {code}):\n  "
                + "\n  ".join(last)
            )
        return parse_report(said, time.monotonic() - self.started)

    def stop(self) -> None:
        """Abandon the run (a newer build replaces it)."""
        if self._process.poll() is None:
            self._process.terminate()
            self._process.wait()
        self._output.close()


def parse_report(output: str, seconds: float = 0.0) -> PagefindReport:
    """The counts Pagefind prints at the end of a run."""
    counts = {kind: int(number) for number, kind in _COUNT.findall(output)}
    return PagefindReport(
        seconds=seconds,
        languages=counts.get("language", 0),
        pages=counts.get("page", 0),
        words=counts.get("word", 0),
        filters=counts.get("filter", 0),
    )
