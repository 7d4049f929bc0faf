"""Under ``mkdocs serve``, an edited article is back on screen in well under a second.

MkDocs answers every change with a full build: at 20,000 articles that is minutes, in three
language passes. Most edits while writing change an article's text and nothing else: no other
page shows that text (listings, related articles and the navigation are made from titles and
front matter). So:

- At the end of each language pass's preparation (``on_env``: every page read and converted,
  the navigation built) a forked *page renderer* keeps that pass's whole state, copy-on-write,
  and waits for work on a pipe.
- On a change, the files under ``docs_dir`` are compared with what the last full build read.
  When the only changes are edited article bodies whose title and front matter are unchanged
  (and none is an FAQ, whose answer is also on its category's FAQ page), each renderer
  re-reads and renders those of the pages that its pass renders, with MkDocs' own page
  functions, and writes them: the page a full build would write (a test compares them).
- Anything else (a new or removed file, a changed title or front matter, an FAQ, the theme,
  ``mkdocs.yml``) runs the full build, which starts new renderers.

The search index is not updated by a fast rebuild; the next full build brings it up to date.
Only where ``os.fork`` exists; elsewhere every change runs the full build.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from carebase.content import Article, ContentIndex, read_article

log = get_plugin_logger("carebase-kb")

Snapshot = dict[str, tuple[int, int]]
"""Each file under ``docs_dir`` (relative POSIX path) with its modification time and size."""


def snapshot(docs_dir: str) -> Snapshot:
    """What is under ``docs_dir`` now, cheaply: one ``stat`` per file."""
    found: Snapshot = {}
    root_length = len(docs_dir.rstrip(os.sep)) + 1
    for folder, _dirs, names in os.walk(docs_dir):
        for name in names:
            path = os.path.join(folder, name)  # noqa: PTH118
            with contextlib.suppress(OSError):
                stat = os.stat(path)  # noqa: PTH116
                found[path[root_length:].replace(os.sep, "/")] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed_files(before: Snapshot, now: Snapshot) -> tuple[set[str], bool]:
    """The files modified since ``before``, and whether any was added or removed."""
    modified = {path for path, stamp in now.items() if before.get(path, stamp) != stamp}
    return modified, before.keys() != now.keys()


def body_only_edits(modified: set[str], index: ContentIndex) -> list[str] | None:
    """The edited articles, if every change is an article body; None when one is not."""
    settings = index.settings
    by_path = {article.path: article for article in index.articles}
    for rel in modified:
        before = by_path.get(rel)
        # A file turned into a symlink is rebuilt in full, where links are checked.
        if before is None or before.is_faq or (settings.docs_dir / rel).is_symlink():
            return None
        after, problems = read_article(settings.docs_dir / rel, rel, settings)
        if after is None or problems or not _same_outline(before, after):
            return None
    return sorted(modified)


def _same_outline(before: Article, after: Article) -> bool:
    """Whether everything other pages show of an article is unchanged."""
    return before.title == after.title and before.meta == after.meta


@dataclass
class _Pass:
    """What a language pass hands its renderer: MkDocs' state just before pages are written."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any
    inclusion: Callable[[InclusionLevel], bool]
    """Which pages the pass writes: MkDocs also writes drafts in the pass it serves."""
    articles: Callable[[str], str | None] | None = None
    """Re-renders an article of the fast lane from its file: its output path, or None when
    the pass does not render that article itself."""


class PageRenderer:
    """A forked process holding one language pass's state, rendering pages on request."""

    def __init__(self, state: _Pass) -> None:
        child_reads, parent_writes = os.pipe()
        parent_reads, child_writes = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(parent_writes)
            os.close(parent_reads)
            _serve_requests(state, child_reads, child_writes)
        os.close(child_reads)
        os.close(child_writes)
        self.pid = pid
        self._requests = os.fdopen(parent_writes, "w", encoding="utf-8")
        self._replies = os.fdopen(parent_reads, "r", encoding="utf-8")

    def render(self, src_uris: list[str]) -> tuple[list[str], str]:
        """Render those of ``src_uris`` this pass writes: (written pages, error or "")."""
        self._requests.write(json.dumps(src_uris) + "\n")
        self._requests.flush()
        reply = self._replies.readline()
        if not reply:
            return [], "the page renderer stopped"
        answer: dict[str, Any] = json.loads(reply)
        return list(answer["written"]), str(answer["error"])

    def stop(self) -> None:
        """End the process; it would also end on its own when this one exits."""
        with contextlib.suppress(OSError):
            self._requests.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self._replies.close()


def _serve_requests(state: _Pass, requests_fd: int, replies_fd: int) -> None:
    """The renderer's whole life: one JSON list of source paths in, one JSON answer out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server.
    code = 0
    try:
        with (
            os.fdopen(requests_fd, "r", encoding="utf-8") as requests,
            os.fdopen(replies_fd, "w", encoding="utf-8") as replies,
        ):
            for line in requests:
                replies.write(json.dumps(_render(state, json.loads(line))) + "\n")
                replies.flush()
    except BaseException:  # Never return into the server, whatever happened.
        traceback.print_exc()
        code = 1
    os._exit(code)


def _render(state: _Pass, src_uris: list[str]) -> dict[str, Any]:
    pages = state.files.documentation_pages(inclusion=state.inclusion)
    wanted = set(src_uris)
    written: list[str] = []
    try:
        articles = state.articles
        for src_uri in src_uris if articles is not None else []:
            dest_uri = articles(src_uri) if articles is not None else None
            if dest_uri is not None:
                written.append(dest_uri)
        for file in pages:
            if file.src_uri in wanted and file.page is not None:
                excluded = file.inclusion.is_excluded()
                _populate_page(file.page, state.config, state.files)
                _build_page(file.page, state.config, pages, state.nav, state.env, False, excluded)
                written.append(file.dest_uri)
    except Exception as exc:  # The server reports it and builds in full.
        return {"written": written, "error": f"{type(exc).__name__}: {exc}"}
    return {"written": written, "error": ""}


class LiveRebuild:
    """Chooses, on each change under ``mkdocs serve``, between rendering pages and a full build."""

    def __init__(self) -> None:
        self._renderers: list[PageRenderer] = []
        self._before: Snapshot = {}
        self._docs_dir = ""
        self._full_build: Callable[[], None] | None = None
        self._index: ContentIndex | None = None

    @property
    def available(self) -> bool:
        """Whether fast rebuilds can work here."""
        return hasattr(os, "fork")

    def build_started(self, docs_dir: str) -> None:
        """A full build begins: forget the renderers; remember the files it will read."""
        self.stop()
        self._docs_dir = docs_dir
        self._before = snapshot(docs_dir)

    def content_loaded(self, index: ContentIndex) -> None:
        """The content the build's pages are made from."""
        self._index = index

    def pass_ready(
        self,
        config: MkDocsConfig,
        files: Files,
        nav: Navigation,
        env: Any,
        inclusion: Callable[[InclusionLevel], bool],
        articles: Callable[[str], str | None] | None = None,
    ) -> None:
        """A language pass is about to write its pages: keep its state in a renderer."""
        if self.available:
            state = _Pass(config, files, nav, env, inclusion, articles)
            self._renderers.append(PageRenderer(state))

    def take_over(self, full_build: Callable[[], None]) -> Callable[[], None]:
        """Wrap the server's builder: the returned function rebuilds fast when it can."""
        self._full_build = full_build
        return self.rebuild

    def rebuild(self) -> None:
        """The server's builder: render the edited pages, or run the full build."""
        assert self._full_build is not None
        started = time.monotonic()
        written = self._render_edits()
        if written is None:
            self._full_build()
            return
        log.info(
            f"Rebuilt {', '.join(written)} in {time.monotonic() - started:.2f} s "
            "(only the edited text changed; the search index updates on the next full build)"
        )

    def _render_edits(self) -> list[str] | None:
        if not self._renderers or self._index is None:
            return None
        now = snapshot(self._docs_dir)
        modified, added_or_removed = changed_files(self._before, now)
        if added_or_removed or not modified:
            return None
        edits = body_only_edits(modified, self._index)
        if edits is None:
            return None
        written: list[str] = []
        for renderer in self._renderers:
            pages, error = renderer.render(edits)
            if error:
                log.warning(f"Fast rebuild failed ({error}); building the whole site")
                return None
            written += pages
        self._before = now
        return written

    def stop(self) -> None:
        """Stop every renderer (before a full build, and when the server stops)."""
        for renderer in self._renderers:
            renderer.stop()
        self._renderers = []
