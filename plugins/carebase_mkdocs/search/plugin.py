"""MkDocs adapter of Carebase's search: the header search box and, for Pagefind, the index.

The core decides what is indexed and how (``carebase.search``); this plugin only tells the
theme which backend runs the search box and, once every language is built, runs Pagefind over
the whole site (in the background under ``serve``, so previews are not held up).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from carebase.errors import CarebaseError
from carebase.search import pagefind
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
        self._runs: list[pagefind.Indexing] = []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._command = command

    def on_shutdown(self) -> None:
        self._stop_indexing()

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
        context["carebase_search"] = self._page_options(page, config)  # type: ignore[typeddict-unknown-key]
        return context

    def _page_options(self, page: Page, config: MkDocsConfig) -> dict[str, Any]:
        algolia = self._settings.algolia
        bundle = f"{pagefind.BUNDLE_DIR}/pagefind.js"
        return {
            "backend": self._settings.backend.value,
            # Each language's bundle is in that language's folder (es/pagefind/…).
            "bundle": get_relative_url(f"{engine.language_folder(config)}{bundle}", page.url),
            "root": get_relative_url(".", page.url),
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
    # static-i18n (-100) starts the next language: Pagefind indexes this language's pages in
    # the background (each language has its own bundle, in its own folder) while the other
    # languages build.
    @event_priority(-90)
    def _start_indexing(self, *, config: MkDocsConfig) -> None:
        if not self._indexes_pages():
            return
        if engine.current_language(config) == engine.languages(config)[0]:
            self._stop_indexing()  # A previous build's runs, under `serve`.
        glob = "{" + ",".join(_indexed_folders(config)) + "}/**/*.html"
        try:
            folder = Path(config.site_dir) / engine.language_folder(config)
            self._runs.append(pagefind.Indexing(folder, glob))
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
        runs, self._runs = self._runs, []
        try:
            reports = [run.finish() for run in runs]
        except CarebaseError as exc:
            for run in runs:
                run.stop()
            raise PluginError(str(exc)) from exc
        pages = sum(report.pages for report in reports)
        slowest = max((report.seconds for report in reports), default=0.0)
        log.info(
            f"Search index: {pages} pages in {len(reports)} languages, "
            f"indexed while the site was built (longest run {slowest:.1f} s; Pagefind)"
        )

    on_post_build = CombinedEvent(_start_indexing, _finish_indexing)

    def _indexes_pages(self) -> bool:
        return self._settings.enabled and self._settings.backend is Backend.PAGEFIND

    def _stop_indexing(self) -> None:
        for run in self._runs:
            run.stop()
        self._runs = []


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
