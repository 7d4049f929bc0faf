"""MkDocs adapter of service notices: finds the active ones through the core and hands them
to the ``announce`` block of every page."""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from carebase.clock import build_time
from carebase.content import load_posts
from carebase.notices import ActiveNotice, active_notices
from carebase_mkdocs import engine
from carebase_mkdocs.notices.config import NoticesConfig

log = get_plugin_logger("carebase-notices")


class NoticesPlugin(BasePlugin[NoticesConfig]):
    """Shows active service notices as a banner on every page of the site."""

    def __init__(self) -> None:
        self._banner: list[dict[str, Any]] = []

    # After static-i18n (-100) has given the blog its URLs in this language, and before
    # carebase/kb (-200) may split the build between two processes.
    @event_priority(-150)
    def on_nav(
        self, nav: Navigation, /, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        self._banner = []
        if not self.config.enabled:
            return None
        settings = engine.content_settings(config)
        # Problems in posts are reported by carebase/kb's content load; not twice here.
        posts, _problems = load_posts(settings)
        notices = active_notices(posts, build_time())[: self.config.limit]
        by_src = {file.src_uri: file for file in files.documentation_pages()}
        lang = engine.current_language(config)
        self._banner = [
            _banner_item(item, by_src, lang) for item in notices if item.post.path in by_src
        ]
        return None

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        context["carebase_notices"] = self._banner  # type: ignore[typeddict-unknown-key]
        return context

    def on_template_context(
        self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext | None:
        context["carebase_notices"] = self._banner  # type: ignore[typeddict-unknown-key]
        return context


def _banner_item(item: ActiveNotice, by_src: dict[str, Any], lang: str) -> dict[str, Any]:
    summary, summary_lang = item.summary_in(lang)
    return {
        "severity": item.notice.severity.value,
        "summary": summary,
        # Marked when it is not in the page's language (a notice not translated yet).
        "lang": summary_lang if summary_lang != lang else "",
        "url": by_src[item.post.path].url,
        "starts": item.notice.starts.isoformat(),
        "ends": item.notice.ends.isoformat() if item.notice.ends else "",
    }
