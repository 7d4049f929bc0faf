"""MkDocs adapter of Carebase's search: the header search box and, for Pagefind, the index.

The core decides what is indexed and how (``carebase.search``); this plugin only tells the
theme which backend runs the search box and, for Pagefind, indexes each language's pages once
they are written, in one or more bundles of at most ``bundle_pages`` pages (planned from the
pages MkDocs is about to write, so every page can list the bundles to merge), one indexer at a
time in the background; ``build`` waits for them at the end, ``serve`` does not.
"""

from __future__ import annotations

import os
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

from carebase.community import AskCommunity, ask_community
from carebase.errors import CarebaseError
from carebase.fsutil import atomic_write_text
from carebase.importers.settings import IMPORT_PLUGIN, import_settings
from carebase.search import bundles, pagefind
from carebase.search.settings import SEARCH_PLUGIN, Backend, SearchSettings, search_settings
from carebase.search.synonyms import LanguageSynonyms, Synonyms, browser_table, load_synonyms
from carebase.search.vocabulary import VOCABULARY_ASSET, VocabularyRun
from carebase_mkdocs import engine
from carebase_mkdocs.search.config import SearchConfig

log = get_plugin_logger("carebase-search")
_MATERIAL_SEARCH = ("search", "material/search")
ANALYTICS_SCRIPT = "assets/carebase-analytics.js"
"""Listens to the search box's events; on the pages only when analytics are configured."""
SYNONYMS_ASSET = "search-synonyms.json"
"""A language's synonyms for the search box, in that language's folder."""


class SearchPlugin(BasePlugin[SearchConfig]):
    """Chooses the search backend of the site and builds its static index."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self._command = ""
        self._settings = SearchSettings()
        self._queue: pagefind.IndexingQueue | None = None
        self._bundles: dict[str, list[bundles.Bundle]] = {}
        """The bundles of each language, planned in its on_files."""
        self._community: AskCommunity | None = None
        self._vocabulary: VocabularyRun | None = None
        """The typo vocabularies being written, once the site is complete."""
        self._synonyms: Synonyms = {}
        """The synonyms file's valid entries (carebase/kb reports its problems)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._command = command

    def on_shutdown(self) -> None:
        self._stop_indexing()

    # After static-i18n (-100) picks this language's files and carebase/kb (-110) adds its
    # generated pages and drops fallbacks: the plan counts every page this language pass will
    # write under the indexed folders, before any is rendered (each page lists the bundles:
    # its language's, and for another language the default one's, which hold its fallbacks).
    @event_priority(-120)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self._indexes_pages():
            return None
        trees = _index_trees(files, config)
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
            docs = Path(config.docs_dir)
            self._synonyms = load_synonyms(docs, engine.languages(config))[0]
        self._community = _community(config)
        if self._settings.analytics is not None:
            _add_analytics_script(config)
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
            # Another language's box also searches the default language's bundles, for the
            # articles it falls back to (their pages list it among their readers).
            "fallback_bundles": self._fallback_bundles(link, config),
            "root": link("."),
            "lang": engine.current_language(config),
            "default_lang": engine.languages(config)[0],
            "fallback": self._settings.fallback,
            "synonyms": link(f"{folder}{SYNONYMS_ASSET}")
            if self._language_synonyms(config)
            else "",
            # Fetched by the box only when a word matches nothing (typos).
            "vocabulary": link(f"{folder}{VOCABULARY_ASSET}") if self._indexes_pages() else "",
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
            "community": {"url": self._community.url, "category": self._community.category}
            if self._community is not None
            else None,
            "analytics": self._settings.analytics.model_dump(
                mode="json",
                include={"provider", "domain", "endpoint", "measurement_id", "no_click_seconds"},
            )
            if self._settings.analytics is not None
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
        lang = engine.current_language(config)
        folder = engine.language_folder(config)
        plan = self._bundles.get(lang)
        if plan is None:  # No on_files for this pass: index its folders as one bundle.
            plan = bundles.plan_bundles({root: bundles.Folder() for root in _roots(config)}, 1)
        try:
            if self._queue is None:
                self._queue = pagefind.IndexingQueue()
            for bundle in plan:
                # From the site's root (the globs start with the language's folder).
                job = pagefind.IndexingJob(
                    Path(config.site_dir),
                    bundle.glob,
                    f"{folder}{bundle.subdir}",
                    bundle.index_chunk_size,
                    lang,
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
        self._finish_vocabularies()
        if self._queue is None:
            return
        try:
            reports = self._queue.finish()
        except CarebaseError as exc:
            self._queue.stop()
            raise PluginError(str(exc)) from exc
        pages = sum(report.pages for report in reports)
        for report in reports:
            if not report.pages:
                log.info(
                    f"Search: nothing to index into {report.output_dir} yet (no article or post "
                    "in that language): its search box searches the default language's articles"
                )
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

    # Each language pass, with its pages: the search box of each page fetches this file.
    @event_priority(-90)
    def _write_synonyms(self, *, config: MkDocsConfig) -> None:
        entry = self._language_synonyms(config)
        if entry is None:
            return
        folder = Path(config.site_dir) / engine.language_folder(config)
        atomic_write_text(folder / SYNONYMS_ASSET, browser_table(entry))

    # Once every language is built (after static-i18n, -100): a language's box also searches
    # the default language's articles it falls back to, so its words come from those pages too.
    # Read in a process of its own, beside the Pagefind runs still going (_finish_indexing
    # waits for both).
    @event_priority(-150)
    def _write_vocabularies(self, *, config: MkDocsConfig) -> None:
        if not self._indexes_pages() or not engine.site_complete(config):
            return
        site = Path(config.site_dir)
        languages = engine.languages(config)
        folders = {lang: engine.folder_of(lang, languages[0]) for lang in languages}
        outputs = {lang: site / folder / VOCABULARY_ASSET for lang, folder in folders.items()}
        indexed = _indexed_folders(config)
        roots = [site / folder / root for folder in folders.values() for root in indexed]
        try:
            self._vocabulary = VocabularyRun(roots, outputs)
        except CarebaseError as exc:
            raise PluginError(str(exc)) from exc

    on_post_build = CombinedEvent(
        _write_synonyms, _start_indexing, _write_vocabularies, _finish_indexing
    )

    def _fallback_bundles(self, link: Callable[[str], str], config: MkDocsConfig) -> list[str]:
        default = engine.languages(config)[0]
        if engine.current_language(config) == default:
            return []
        return [f"{link(bundle.subdir)}/" for bundle in self._bundles.get(default, [])]

    def _language_synonyms(self, config: MkDocsConfig) -> LanguageSynonyms | None:
        if not self._indexes_pages():
            return None
        entry = self._synonyms.get(engine.current_language(config))
        return entry if entry is not None and (entry.groups or entry.one_way) else None

    def _indexes_pages(self) -> bool:
        return self._settings.enabled and self._settings.backend is Backend.PAGEFIND

    def _finish_vocabularies(self) -> None:
        vocabulary, self._vocabulary = self._vocabulary, None
        if vocabulary is None:
            return
        try:
            written = vocabulary.finish()
        except CarebaseError as exc:
            self._stop_indexing()
            raise PluginError(str(exc)) from exc
        log.debug(f"Search vocabularies (words): {written}")

    def _stop_indexing(self) -> None:
        if self._queue is not None:
            self._queue.stop()
        vocabulary, self._vocabulary = self._vocabulary, None
        if vocabulary is not None:
            vocabulary.stop()


def _index_trees(files: Files, config: MkDocsConfig) -> dict[str, bundles.Folder]:
    """The pages a language's index may hold, by folder from the site's root: its own under
    the indexed folders (``es/kb``, ``es/blog``). The default language's articles it falls back
    to stay in the default language's index, which its search box merges (``fallback``)."""
    folder = engine.language_folder(config)
    own = [
        file.dest_uri[len(folder) :]
        for file in files
        if file.dest_uri.endswith(".html") and file.dest_uri.startswith(folder)
    ]
    return {
        f"{folder}{root}": tree
        for root, tree in bundles.tree_from_paths(own, _indexed_folders(config)).items()
    }


def _roots(config: MkDocsConfig) -> list[str]:
    """The folders of :func:`_index_trees`, whatever pages they hold."""
    folder = engine.language_folder(config)
    return [f"{folder}{root}" for root in _indexed_folders(config)]


def _indexed_folders(config: MkDocsConfig) -> list[str]:
    """Where pages with indexed text live, relative to a language's site folder."""
    return sorted({_kb_dir(config), engine.blog_dir(config)})


def _kb_dir(config: MkDocsConfig) -> str:
    kb = config.plugins.get("carebase/kb")
    return str(getattr(kb, "config", {}).get("kb_dir", "kb")) if kb is not None else "kb"


def _community(config: MkDocsConfig) -> AskCommunity | None:
    """The forum's new-topic page, when ``carebase/import`` has a Discourse forum."""
    plugin = config.plugins.get(IMPORT_PLUGIN)
    if plugin is None:
        return None
    options = {
        key: value
        for key, value in getattr(plugin, "config", {}).items()
        if key != "enabled" and value is not None
    }
    try:
        return ask_community(import_settings({IMPORT_PLUGIN: options}), os.environ)
    except CarebaseError as exc:
        raise PluginError(str(exc)) from None


def _add_analytics_script(config: MkDocsConfig) -> None:
    """Load the analytics listener after the search box (whose events it hears)."""
    if ANALYTICS_SCRIPT not in [str(script) for script in config.extra_javascript]:
        config.extra_javascript.append(ANALYTICS_SCRIPT)
    provider = (config.extra.get("analytics") or {}).get("provider")
    if provider:
        log.warning(
            f"mkdocs.yml: extra.analytics.provider is '{provider}' and carebase/search has "
            'analytics too: both would answer the "Was this page helpful?" buttons\n'
            "  hint: keep extra.analytics.feedback and remove extra.analytics.provider"
        )


def _validated(options: dict[str, Any]) -> SearchSettings:
    try:
        return search_settings({SEARCH_PLUGIN: options})
    except CarebaseError as exc:
        raise PluginError(str(exc)) from None
