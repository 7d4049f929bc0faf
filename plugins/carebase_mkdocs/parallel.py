"""Build the knowledge base's pages on two cores: a forked process renders half of them.

MkDocs builds pages one after another. After the navigation is built (``on_nav``, last of
all plugins) the build forks: each process excludes the other's share of knowledge-base
articles, so each converts, renders and writes only its own; everything else (blog, generated
pages, theme files, sitemap) stays with the parent. The child's contribution to the search
index and its warnings travel back through a pipe before the parent's ``on_post_build``, so
the site, its search index and ``--strict`` behave exactly as in a one-process build.

Only where ``os.fork`` exists, only for ``mkdocs build`` (``serve`` runs a threaded server),
and only when enough pages are to be rendered for a second process to pay for itself.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import traceback
from dataclasses import dataclass, field
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from carebase.errors import DEBUG_ENV
from carebase_mkdocs import compat
from carebase_mkdocs.failure import describe

log = get_plugin_logger("carebase-kb")


@dataclass
class _Payload:
    """What the child hands back: search entries per page, warnings, or its error."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    records: list[tuple[str, int, str]] = field(default_factory=list)
    error: str = ""


class Collect(logging.Filter):
    """In the child: keep warnings and errors for the parent to log; print nothing twice."""

    def __init__(self) -> None:
        super().__init__()
        # Each handler asks about the same record: keep it once.
        self.kept: dict[int, tuple[str, int, str]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            self.kept.setdefault(id(record), (record.name, record.levelno, record.getMessage()))
            return False
        return True


class ShardedBuild:
    """Splits one build pass's article pages between this process and a forked child."""

    def __init__(self, min_pages: int) -> None:
        self.min_pages = min_pages
        self.role = ""
        self._pid = 0
        self._fd = -1
        self._collector: Collect | None = None
        self._search_entries_before = 0
        self._order: dict[str, int] = {}
        self.handed_over: set[str] = set()
        """In the parent: the pages the child renders (excluded here, yet published)."""

    def start(self, files: Files, config: MkDocsConfig, articles: set[str]) -> None:
        """Fork, and exclude from each process the pages the other renders."""
        pages = sorted(
            (f for f in files.documentation_pages() if f.src_uri in articles),
            key=lambda f: f.src_uri,
        )
        if len(pages) < self.min_pages or not hasattr(os, "fork"):
            self.role = ""
            return
        theirs = pages[1::2]
        self._order = {_url_key(f.url): i for i, f in enumerate(files.documentation_pages())}
        search = _search_index(config)
        self._search_entries_before = len(search.entries) if search is not None else 0
        log.info(f"rendering {len(theirs)} of {len(pages)} articles in a second process")
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            self._become_child(files, config, set(theirs), write_fd)
        else:
            os.close(write_fd)
            self.role, self._pid, self._fd = "parent", pid, read_fd
            self.handed_over = {file.src_uri for file in theirs}
            _exclude(theirs)

    def _become_child(self, files: Files, config: MkDocsConfig, share: set[File], fd: int) -> None:
        self.role, self._fd = "child", fd
        _exclude(f for f in files if f not in share)
        # Theme templates (404, sitemap) are the parent's to write.
        config.theme.static_templates.clear()
        config.extra_templates = []
        self._collector = Collect()
        for handler in all_handlers():
            handler.addFilter(self._collector)

    def finish(self, config: MkDocsConfig) -> None:
        """Child: hand over and exit. Parent: wait, merge the child's work, re-log warnings."""
        if self.role == "child":
            search = _search_index(config)
            entries = search.entries[self._search_entries_before :] if search else []
            records = list(self._collector.kept.values()) if self._collector else []
            self._exit(_Payload(entries=entries, records=records), 0)
        if self.role == "parent":
            self.role = ""
            payload = self._receive()
            if payload.error:
                raise PluginError(f"the second build process failed: {payload.error}")
            for name, level, message in payload.records:
                logging.getLogger(name).log(level, message)
            search = _search_index(config)
            if search is not None:
                self._merge(search.entries, payload.entries)

    def fail(self, error: BaseException) -> None:
        """The build failed: a child reports and exits; a parent stops its child."""
        if self.role == "child":
            # One line naming the page, as the parent's own failures are told (the traceback
            # only when asked for).
            told = traceback.format_exc() if os.environ.get(DEBUG_ENV) else describe(error)
            self._exit(_Payload(error=told), 1)
        if self.role == "parent":
            self.role = ""
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGTERM)
            os.waitpid(self._pid, 0)
            os.close(self._fd)

    def _merge(self, entries: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> None:
        """Put the child's entries among ours in page order, as one process would have."""
        start = self._search_entries_before
        ours = entries[start:]
        last = len(self._order)

        def position(entry: dict[str, Any]) -> int:
            return self._order.get(_url_key(str(entry.get("location", "")).split("#")[0]), last)

        entries[start:] = sorted(ours + theirs, key=position)

    def _exit(self, payload: _Payload, code: int) -> None:
        data = pickle.dumps(payload)
        with os.fdopen(self._fd, "wb") as pipe:
            pipe.write(data)
        # Leave without unwinding into MkDocs: the rest of the build is the parent's.
        os._exit(code)

    def _receive(self) -> _Payload:
        with os.fdopen(self._fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        if not data:
            return _Payload(error=f"it exited with status {status} and said nothing")
        payload: _Payload = pickle.loads(data)
        return payload


def _url_key(url: str) -> str:
    # The home page is "./" to static-i18n and "" to the search index.
    return url.removeprefix("./")


def _exclude(files: Any) -> None:
    excluded = set()
    for file in files:
        file.inclusion = InclusionLevel.EXCLUDED
        excluded.add(file.src_uri)
    compat.quiet_deliberate_exclusions(excluded)


def _search_index(config: MkDocsConfig) -> Any:
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return getattr(plugin, "search_index", None)


def all_handlers() -> list[logging.Handler]:
    loggers = [logging.getLogger(), logging.getLogger("mkdocs"), logging.getLogger("properdocs")]
    return [handler for logger in loggers for handler in logger.handlers]
