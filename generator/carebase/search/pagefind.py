"""Pagefind: a static search index written next to the built pages, searched in the browser.

Pagefind reads the built HTML, not Markdown: it indexes the element marked
``data-pagefind-body`` on each page (the theme marks article and post text only), with the
``data-pagefind-filter`` and ``data-pagefind-meta`` values the theme writes. The binary comes
with the ``pagefind[bin]`` wheel and runs as a subprocess.

Each language's index is built from the site's root folder over that language's own folders,
with that language as the root selector (:func:`root_selector`): the theme lists on each indexed
page the languages that read it (``data-cb-index="en es"``: its own, and each language it stands
in for untranslated; the same in a ``readers`` filter). So listing pages and redirect stubs,
which have no such element, never enter an index (Pagefind drops a page without its root
element; without a root selector it indexes *every* page when none has ``data-pagefind-body``).
A language's search box merges the default language's bundles and keeps, by the ``readers``
filter, the articles it falls back to: they are indexed once, in their own language.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from carebase.errors import CarebaseError
from carebase.search.background import BackgroundRun
from carebase.search.bundles import BUNDLE_DIR

CHUNK_SIZE_ENV = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"
"""Pagefind 1.5's (unstable) setting of its index chunk size, in word occurrences."""

__all__ = ["BUNDLE_DIR", "Indexing", "IndexingQueue", "PagefindReport", "command", "require"]
IGNORED = "a.headerlink"
"""Never indexed: the ¶ permalinks MkDocs adds to headings."""
INDEX_ATTRIBUTE = "data-cb-index"
"""On the indexed element of a page: the languages whose search index holds it."""
_NOTHING_INDEXED = "Indexed 0 pages"
_FOUND = re.compile(r"Found (\d+) files? matching")
_COUNT = re.compile(r"Indexed (\d+) (language|page|word|filter)s?\b")


@dataclass(frozen=True)
class PagefindReport:
    """What one indexing run did."""

    seconds: float
    languages: int
    pages: int
    words: int
    filters: int
    started: float = 0.0
    """When the run started and ended (``time.monotonic()``): runs never overlap."""
    ended: float = 0.0
    output_dir: str = ""


def require() -> None:
    """:class:`CarebaseError` unless the Pagefind binary is installed."""
    if importlib.util.find_spec("pagefind_bin") is None:
        raise CarebaseError(
            "search: Pagefind is not installed\n  hint: pip install 'pagefind[bin]', "
            "or choose another backend under plugins: carebase/search: backend"
        )


def root_selector(lang: str) -> str:
    """What Pagefind indexes on a page of ``lang``'s index (theme: partials/content.html)."""
    return f'[{INDEX_ATTRIBUTE}~="{lang}"]'


def command(
    site_dir: Path,
    glob: str | None = None,
    subdir: str = BUNDLE_DIR,
    lang: str | None = None,
) -> list[str]:
    """The command indexing ``site_dir`` (files matching ``glob``) into ``site_dir/subdir``;
    with ``lang``, only what the theme marks for ``lang``'s index, all of it as ``lang``."""
    site = ["--site", str(site_dir), "--output-subdir", subdir]
    only = ["--glob", glob] if glob else []
    language = ["--root-selector", root_selector(lang), "--force-language", lang] if lang else []
    ignored = ["--exclude-selectors", IGNORED]
    return [sys.executable, "-m", "pagefind", *site, *only, *language, *ignored]


class Indexing:
    """One Pagefind run in the background: start it, do other work, then :meth:`finish`."""

    def __init__(
        self,
        site_dir: Path,
        glob: str | None = None,
        subdir: str = BUNDLE_DIR,
        index_chunk_size: int | None = None,
        lang: str | None = None,
    ) -> None:
        require()
        self.site_dir = site_dir
        self.output_dir = site_dir / subdir
        self.started = time.monotonic()
        self._run = BackgroundRun(
            command(site_dir, glob, subdir, lang),
            "search: Pagefind",
            env=_environment(index_chunk_size),
        )

    def finish(self) -> PagefindReport:
        """Wait for the run; its report, or :class:`CarebaseError` with Pagefind's words."""
        code, said = self._run.wait()
        ended = time.monotonic()
        if code != 0 and _nothing_for_this_index(said):
            # Pages, but nothing in them for this index (a language with nothing to search
            # yet, or a bundle of listing pages only): an empty bundle, not a broken build.
            return PagefindReport(0.0, 0, 0, 0, 0, self.started, ended, str(self.output_dir))
        if code != 0:
            last = said.strip().splitlines()[-5:]
            raise CarebaseError(
                f"search: Pagefind failed indexing {self.site_dir} into {self.output_dir} "
                f"(exit {code}):\n  " + "\n  ".join(last)
            )
        report = parse_report(said, ended - self.started)
        return PagefindReport(
            seconds=report.seconds,
            languages=report.languages,
            pages=report.pages,
            words=report.words,
            filters=report.filters,
            started=self.started,
            ended=ended,
            output_dir=str(self.output_dir),
        )

    def stop(self) -> None:
        """Abandon the run (a newer build replaces it)."""
        self._run.stop()


@dataclass(frozen=True)
class IndexingJob:
    """One bundle to index: the pages of ``site_dir`` matching ``glob``, into ``subdir``."""

    site_dir: Path
    glob: str | None
    subdir: str = BUNDLE_DIR
    index_chunk_size: int | None = None
    lang: str | None = None
    """The language whose index this is (see :func:`root_selector`); ``None``: every page."""


class IndexingQueue:
    """Pagefind runs one after another in a background thread, never two at once.

    Pagefind's memory grows with the pages of a run (≈ 300 KB each): running the bundles of
    every language in turn bounds the build's memory by the largest bundle. :meth:`add` returns
    at once; :meth:`finish` waits for every run queued so far.
    """

    def __init__(self) -> None:
        require()
        self._lock = threading.Lock()
        self._pending: list[IndexingJob] = []
        self._reports: list[PagefindReport] = []
        self._error: CarebaseError | None = None
        self._current: Indexing | None = None
        self._worker: threading.Thread | None = None
        self._stopped = False

    def add(self, job: IndexingJob) -> None:
        """Queue ``job``; it starts when every earlier run has ended."""
        with self._lock:
            self._stopped = False
            self._pending.append(job)
            if self._worker is None:
                self._worker = threading.Thread(
                    target=self._work, name="carebase-pagefind", daemon=True
                )
                self._worker.start()

    def finish(self) -> list[PagefindReport]:
        """Wait for every queued run; their reports, or the first run's error."""
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.join()
        with self._lock:
            reports, self._reports = self._reports, []
            error, self._error = self._error, None
        if error is not None:
            raise error
        return reports

    def stop(self) -> None:
        """Drop the queued runs and end the current one (a newer build replaces them)."""
        with self._lock:
            self._stopped = True
            self._pending.clear()
            current = self._current
            worker = self._worker
        if current is not None:
            current.stop()
        if worker is not None:
            worker.join()
        with self._lock:
            self._reports = []
            self._error = None

    def _work(self) -> None:
        while True:
            with self._lock:
                if self._stopped or not self._pending or self._error is not None:
                    self._pending.clear()
                    self._worker = None
                    return
                job = self._pending.pop(0)
                try:
                    self._current = Indexing(
                        job.site_dir, job.glob, job.subdir, job.index_chunk_size, job.lang
                    )
                except CarebaseError as exc:
                    self._error = exc
                    continue
                current = self._current
            try:
                report = current.finish()
            except CarebaseError as exc:
                with self._lock:
                    if not self._stopped:
                        self._error = exc
                    self._current = None
                continue
            except ValueError:  # Its output was closed by stop().
                with self._lock:
                    self._current = None
                continue
            with self._lock:
                self._current = None
                self._reports.append(report)


def _environment(index_chunk_size: int | None) -> dict[str, str] | None:
    """Pagefind's environment: this process's, with the chunk size if one is set."""
    if index_chunk_size is None:
        return None
    return {**os.environ, CHUNK_SIZE_ENV: str(index_chunk_size)}


def _nothing_for_this_index(output: str) -> bool:
    """Whether Pagefind found pages but none held an element for this index."""
    found = _FOUND.search(output)
    return found is not None and int(found[1]) > 0 and _NOTHING_INDEXED in output


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
