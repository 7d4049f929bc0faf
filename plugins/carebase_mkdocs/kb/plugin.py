"""MkDocs adapter of the knowledge base: loads content through the core, adds the generated
category and FAQ pages, builds the navigation and gives templates what article pages show."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext
from pydantic import ValidationError

from carebase.checks import BUILD_CHECKS, check_content
from carebase.clock import build_time
from carebase.content import ContentIndex, load_content
from carebase.crosslinks import mark_cross_language_links
from carebase.datafiles import load_categories
from carebase.errors import CarebaseError, Severity
from carebase.htmlspace import strip_indentation
from carebase.manifest import Manifest, ManifestEntry, write_manifest
from carebase.models import SupportChannel
from carebase.settings import ContentSettings
from carebase_mkdocs import compat, engine
from carebase_mkdocs.compiled import share_compiled_templates
from carebase_mkdocs.kb import avatars, blogviews
from carebase_mkdocs.kb.config import KbConfig
from carebase_mkdocs.kb.context import SiteContext
from carebase_mkdocs.kb.errorpage import (
    ERROR_PAGE,
    ErrorPages,
    language_links,
    restore_alternates,
    swap_alternates,
)
from carebase_mkdocs.kb.fastlane import FastLane
from carebase_mkdocs.kb.nav import build_nav, translate_nav
from carebase_mkdocs.live import LiveRebuild
from carebase_mkdocs.parallel import ShardedBuild

log = get_plugin_logger("carebase-kb")


class KbPlugin(BasePlugin[KbConfig]):
    """Knowledge base, FAQ pages, category landing pages and the article page context."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self._command = ""
        self._dirty = False
        self._shard = ShardedBuild(min_pages=0)
        self._index: ContentIndex | None = None
        self._support: list[SupportChannel] = []
        self._nav_generated = False
        self._site: SiteContext | None = None
        self._nav: Navigation | None = None
        self._live = LiveRebuild()
        self._published: list[ManifestEntry] = []
        self._fast = FastLane()
        self._error_pages = ErrorPages()
        self._alternates_before: dict[str, Any] | None = None
        self._avatars: dict[str, avatars.Missing] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._command = command
        self._dirty = dirty

    def on_shutdown(self) -> None:
        self._live.stop()

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self.config.enabled and self._live.available:
            server.builder = self._live.take_over(server.builder)
        return server

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # A serve rebuild starts with the default language's pass.
        if self._command == "serve" and self._is_default_pass(config):
            self._live.build_started(config.docs_dir)

    # Before mkdocs-rss-plugin (0), which must see its options as written on every pass.
    @event_priority(10)
    def _configure(self, config: MkDocsConfig) -> MkDocsConfig | None:
        compat.reset_rss_default_time(config)
        default = engine.languages(config)[0]
        compat.feed_default_language_only(config, engine.current_language(config), default)
        compat.quiet_restored_blog_warnings(engine.blog_dir(config))
        if not self.config.enabled:
            return None
        engine.check_folders(config)
        if not self._dirty and self._is_default_pass(config):
            engine.check_site_dir(config)
        where = "mkdocs.yml: plugins.carebase/kb.categories_file"
        engine.guarded(config.docs_dir, self.config.categories_file, where)
        self._support = _support_channels(self.config.support)
        if (config.nav is None or self._nav_generated) and self.config.generate_nav:
            categories, _problems = load_categories(
                Path(config.docs_dir) / self.config.categories_file, self.config.categories_file
            )
            config.nav = build_nav(
                self.config.kb_dir, engine.blog_dir(config), categories, engine.has_blog(config)
            )
            self._nav_generated = True
        return config

    # After the blog plugin (0), which reads its authors file on every pass.
    @event_priority(-10)
    def _find_avatars(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if self.config.enabled:
            self._avatars = avatars.missing(config)
        return config

    on_config = CombinedEvent(_configure, _find_avatars)

    def _readers(self) -> int:
        # `serve` runs a threaded server: no fork there.
        return self.config.workers if self._command == "build" else 1

    def _is_default_pass(self, config: MkDocsConfig) -> bool:
        return engine.current_language(config) == engine.languages(config)[0]

    def _settings(self, config: MkDocsConfig) -> ContentSettings:
        return engine.content_settings(config, self.config.kb_dir, self.config.categories_file)

    def _load(self, config: MkDocsConfig) -> ContentIndex:
        try:
            index = load_content(self._settings(config), workers=self._readers())
        except CarebaseError as exc:
            raise PluginError(str(exc)) from exc
        # Cross-file errors (unknown owner or category, duplicate slugs…) fail the build as
        # they fail `carebase check`; review reminders stay with `carebase check`, so a
        # strict build does not break the day an article falls due.
        found = check_content(index, today=build_time().date(), checks=BUILD_CHECKS)
        cross_file = [problem for problem in found if problem.severity is Severity.ERROR]
        engine.report(index.problems + cross_file, log, index.settings)
        return index

    # Before static-i18n (-100): the articles Carebase renders itself leave MkDocs' files,
    # so neither static-i18n nor MkDocs does per-file work for them.
    @event_priority(-90)
    def _take_articles(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        # static-i18n builds one language after another, the default first: content is
        # read once per build, on the default language's pass, and reused for the others.
        if self._index is None or self._is_default_pass(config):
            self._index = self._load(config)
            self._published = []
            self._fast.choose(self._index, config, self._fast_lane_wanted(config))
            if self._command == "serve":
                self._live.content_loaded(self._index)
        return self._fast.take(files)

    # After static-i18n (-100) has picked this language's files: the generated pages are
    # added for the language being built, and can link to the articles it picked.
    @event_priority(-110)
    def _add_pages(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        compat.restore_blog_files(files, config)
        if not self.config.enabled or self._index is None:
            return files
        self._site = SiteContext(
            index=self._index,
            config=self.config,
            mkdocs_config=config,
            support=self._support,
            now=build_time(),
        )
        self._fast.give_back(
            files,
            engine.languages(config),
            engine.current_language(config),
            config.use_directory_urls,
        )
        self._site.exclude_fallbacks(files)
        for file in self._site.generate_files(files):
            files.append(file)
        if self._is_default_pass(config):
            for file in avatars.avatar_files(config, self._avatars):
                files.append(file)
        return files

    on_files = CombinedEvent(_take_articles, _add_pages)

    def _fast_lane_wanted(self, config: MkDocsConfig) -> bool:
        # Material's own search indexes each page as MkDocs renders it.
        material_search = any(name in config.plugins for name in ("search", "material/search"))
        return bool(self.config.fast_lane) and not material_search

    # Last of all: the blog (-50) and static-i18n (-100) decide what is built before the
    # build is split between two processes.
    @event_priority(-200)
    def on_nav(
        self, nav: Navigation, /, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        if self._nav_generated:
            translate_nav(nav, engine.current_language(config))
        self._nav = nav
        if self._site is not None and self._command == "build" and self.config.workers > 1:
            self._shard = ShardedBuild(self.config.parallel_min_pages)
            self._shard.start(files, config, set(self._site.articles_by_path))
        return None

    # Last of all: a page renderer for `serve` keeps the environment every plugin has made.
    @event_priority(-1000)
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> None:
        if self.config.enabled:
            engine.check_destinations(files, config.site_dir)
            share_compiled_templates(env)
        if self._site is None or self._nav is None:
            return
        self._site.index_files(files)
        renderer = self._fast.renderer(env, config, files, self._nav, self._site)
        self._fast.start(renderer, forked=self._command == "build" and self.config.workers > 1)
        if self._command == "serve":
            # MkDocs previews drafts in the pass it serves; static-i18n builds the others.
            default = self._is_default_pass(config)
            inclusion = InclusionLevel.is_in_serve if default else InclusionLevel.is_included
            articles = functools.partial(self._fast.rerender, renderer)
            self._live.pass_ready(config, files, self._nav, env, inclusion, articles)

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self._site is None or self._site.lang == self._site.default:
            return None
        return mark_cross_language_links(html, page.url, self._site.lang)

    # First of all: the child leaves here; the parent merges its search entries before the
    # search plugin (0) writes the index and static-i18n (-100) builds the next language.
    @event_priority(100)
    def _finish_pass(self, *, config: MkDocsConfig) -> None:
        self._shard.finish(config)
        self._fast.finish()
        if self.config.enabled:
            self._error_pages.place(config)
        if self._site is not None:
            self._site.write_redirects()
            rendered_elsewhere = self._shard.handed_over | self._fast.rendered
            self._published += self._site.manifest_entries(rendered_elsewhere)

    # After static-i18n (-100), which builds the other languages inside the first pass: the
    # manifest is written once, when every language has added its pages.
    @event_priority(-200)
    def _write_manifest(self, *, config: MkDocsConfig) -> None:
        if self._site is None or not engine.site_complete(config):
            return
        self._fast.write_sitemap(config.site_dir)
        manifest = Manifest(
            site_url=config.site_url or "",
            built_at=build_time().isoformat(timespec="seconds"),
            entries=self._published,
        )
        write_manifest(Path(config.site_dir), manifest)

    on_post_build = CombinedEvent(_finish_pass, _write_manifest)

    # Last of all: every other plugin has had its say on the page.
    @event_priority(-1000)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if self._site is None or not self.config.compact_html:
            return None
        return strip_indentation(output)

    def on_build_error(self, *, error: Exception) -> None:
        self._shard.fail(error)
        self._fast.stop()

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        blogviews.drop_neighbours(page)
        if self._site is None:
            return None
        context["carebase"] = self._site.page_context(page)  # type: ignore[typeddict-unknown-key]
        return context

    def on_template_context(
        self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext | None:
        if self._site is None or template_name != ERROR_PAGE:
            return None
        home = engine.site_path(config) + engine.language_folder(config)
        context["carebase"] = self._site.error_context(home)  # type: ignore[typeddict-unknown-key]
        # Until the page is written (on_post_template): pages reset the switcher themselves.
        self._alternates_before = swap_alternates(config, language_links(config))
        return context

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        if self._alternates_before is not None:
            restore_alternates(config, self._alternates_before)
            self._alternates_before = None
        return None


def _support_channels(raw: list[Any]) -> list[SupportChannel]:
    channels = []
    for number, item in enumerate(raw, start=1):
        try:
            channels.append(SupportChannel.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise PluginError(
                f"mkdocs.yml: plugins.carebase/kb.support, channel {number}: "
                f"{where}: {first['msg']}"
            ) from exc
    return channels
