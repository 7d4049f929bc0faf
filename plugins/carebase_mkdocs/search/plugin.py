"""MkDocs adapter of Carebase's search: the header search box and, for Pagefind, the index.

The core decides what is indexed and how (``carebase.search``); this plugin only tells the
theme which backend runs the search box and, for Pagefind, indexes each language's pages once
they are written, in one or more bundles of at most ``bundle_pages`` pages (planned from the
pages MkDocs is about to write, so every page can list the bundles to merge), one indexer at a
time in the background; ``build`` waits for them at the end, ``serve`` does not.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from carebase.errors import CarebaseError
from carebase.search import bundles, pagefind
from carebase.search.settings import SEARCH_PLUGIN, Backend, SearchSettings, search_settings
from carebase_mkdocs import engine
from carebase_mkdocs.search.config import SearchConfig

log = get_plugin_logger("carebase-search")
_MATERIAL_SEARCH = ("search", "material/search")


class SearchPlugin(BasePlugin[SearchConfig]):
    """Chooses the search backend of the site and builds its static index."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self._command = ""
        self._settings = SearchSettings()
        self._queue: pagefind.IndexingQueue | None = None
        self._bundles: dict[str, list[bundles.Bundle]] = {}
        """The bundles of each language, planned in its on_files."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._command = command

    def on_shutdown(self) -> None:
        self._stop_indexing()

    # After static-i18n (-100) picks this language's files and carebase/kb (-110) adds its
    # generated pages and drops fallbacks: the plan counts every page this language pass will
    # write under the indexed folders, before any is rendered (each page lists the bundles).
    @event_priority(-120)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self._indexes_pages():
            return None
        folder = engine.language_folder(config)
        paths = [
            file.dest_uri[len(folder) :]
            for file in files
            if file.dest_uri.endswith(".html") and file.dest_uri.startswith(folder)
        ]
        trees = bundles.tree_from_paths(paths, _indexed_folders(config))
        plan = bundles.plan_bundles(trees, self._settings.bundle_pages)
        self._bundles[engine.current_language(config)] = plan
        if len(plan) > 1:
            sizes = ", ".join(str(bundle.pages) for bundle in plan)
            log.info(
                f"Search ({engine.current_language(config)}): {len(plan)} Pagefind bundles of "
                f"at most {self._settings.bundle_pages} pages ({sizes} pages)"
            )
        return None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._settings = _validated(dict(self.config))
        if not self._settings.enabled:
            return None
        material = next((name for name in _MATERIAL_SEARCH if name in config.plugins), None)
        backend = self._settings.backend
        if backend is Backend.MATERIAL and material is None:
            raise PluginError(
                "mkdocs.yml: plugins.carebase/search.backend is 'material', but Material's "
                "'search' plugin is not listed\n  hint: add '- search' to plugins"
            )
        if backend is not Backend.MATERIAL and material is not None:
            raise PluginError(
                f"mkdocs.yml: plugins: '{material}' (Material's search) and carebase/search "
                f"with backend '{backend}' both want the search box\n  hint: remove "
                f"'- {material}' from plugins, or set carebase/search backend: material"
            )
        if backend is Backend.PAGEFIND:
            try:
                pagefind.require()
            except CarebaseError as exc:
                raise PluginError(str(exc)) from None
        return None

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if not self._settings.enabled or self._settings.backend is Backend.MATERIAL:
            return None
        options = self._page_options(lambda target: get_relative_url(target, page.url), config)
        context["carebase_search"] = options  # type: ignore[typeddict-unknown-key]
        return context

    def on_template_context(
        self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext | None:
        # The "page not found" page is served at any address: it links by absolute paths.
        if template_name != "404.html" or not self._settings.enabled:
            return None
        if self._settings.backend is Backend.MATERIAL:
            return None
        root = engine.site_path(config)
        options = self._page_options(lambda target: root + target.removeprefix("."), config)
        context["carebase_search"] = options  # type: ignore[typeddict-unknown-key]
        return context

    def _page_options(self, link: Callable[[str], str], config: MkDocsConfig) -> dict[str, Any]:
        """What the search box reads; ``link`` turns a path from the site root into a URL."""
        algolia = self._settings.algolia
        folder = engine.language_folder(config)
        bundle = f"{pagefind.BUNDLE_DIR}/pagefind.js"
        plan = self._bundles.get(engine.current_language(config), [])
        return {
            "backend": self._settings.backend.value,
            # Each language's bundles are in that language's folder (es/pagefind/…).
            "bundle": link(f"{folder}{bundle}"),
            # The bundles the browser merges into the first one's search (none for most sites).
            "merge": [link(f"{folder}{extra.subdir}/") for extra in plan[1:]],
            "root": link("."),
            "lang": engine.current_language(config),
            "fallback": self._settings.fallback,
            "algolia": {
                "app_id": algolia.app_id,
                "index_name": algolia.index_name,
                "search_key": algolia.search_key,
                "host": algolia.browser_host,
                # Records carry the published URLs; previews link to their own copy.
                "site_path": urlsplit(config.site_url or "/").path or "/",
            }
            if algolia is not None and self._settings.backend is Backend.ALGOLIA
            else None,
        }

    # Each language pass, once its pages are written (after carebase/kb, 100) and before
    # static-i18n (-100) starts the next language: this language's bundles join the queue of
    # Pagefind runs, indexed one after another in the background (each language has its own
    # bundles, in its own folder) while the other languages build.
    @event_priority(-90)
    def _start_indexing(self, *, config: MkDocsConfig) -> None:
        if not self._indexes_pages():
            return
        if engine.current_language(config) == engine.languages(config)[0]:
            self._stop_indexing()  # A previous build's runs, under `serve`.
        folder = Path(config.site_dir) / engine.language_folder(config)
        plan = self._bundles.get(engine.current_language(config))
        if plan is None:  # No on_files for this pass: index its folders as one bundle.
            plan = bundles.plan_bundles(
                {root: bundles.Folder() for root in _indexed_folders(config)}, 1
            )
        try:
            if self._queue is None:
                self._queue = pagefind.IndexingQueue()
            for bundle in plan:
                job = pagefind.IndexingJob(
                    folder, bundle.glob, bundle.subdir, bundle.index_chunk_size
                )
                self._queue.add(job)
        except CarebaseError as exc:
            raise PluginError(str(exc)) from exc

    # After static-i18n (-100), which builds every other language inside the first pass's
    # on_post_build: when that pass gets here the site is complete; wait for every run
    # (under `serve` the preview does not wait: the search catches up in the background).
    @event_priority(-200)
    def _finish_indexing(self, *, config: MkDocsConfig) -> None:
        if not self._indexes_pages() or not engine.site_complete(config):
            return
        if self._command == "serve":
            log.info("Indexing the site for search in the background (Pagefind)")
            return
        if self._queue is None:
            return
        try:
            reports = self._queue.finish()
        except CarebaseError as exc:
            self._queue.stop()
            raise PluginError(str(exc)) from exc
        pages = sum(report.pages for report in reports)
        slowest = max((report.seconds for report in reports), default=0.0)
        largest = max((report.pages for report in reports), default=0)
        log.info(
            f"Search index: {pages} pages in {len(reports)} Pagefind bundles, indexed one after "
            f"another while the site was built (largest {largest} pages, longest run "
            f"{slowest:.1f} s)"
        )
        limit = self._settings.bundle_pages
        if largest > limit:
            log.warning(
                f"A search bundle holds {largest} pages, more than bundle_pages ({limit}): "
                "pages were written after the plan, or one folder's entries share a name\n"
                "  hint: check for pages generated outside MkDocs' files under the indexed folders"
            )

    on_post_build = CombinedEvent(_start_indexing, _finish_indexing)

    def _indexes_pages(self) -> bool:
        return self._settings.enabled and self._settings.backend is Backend.PAGEFIND

    def _stop_indexing(self) -> None:
        if self._queue is not None:
            self._queue.stop()


def _indexed_folders(config: MkDocsConfig) -> list[str]:
    """Where pages with indexed text live, relative to a language's site folder."""
    kb = config.plugins.get("carebase/kb")
    kb_dir = str(getattr(kb, "config", {}).get("kb_dir", "kb")) if kb is not None else "kb"
    return sorted({kb_dir, engine.blog_dir(config)})


def _validated(options: dict[str, Any]) -> SearchSettings:
    try:
        return search_settings({SEARCH_PLUGIN: options})
    except CarebaseError as exc:
        raise PluginError(str(exc)) from None
