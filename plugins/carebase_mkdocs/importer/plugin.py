"""MkDocs adapter of the importers: what ``carebase import`` wrote, made safe and reachable.

- Every page whose front matter has ``source`` is sanitised again after MkDocs rendered it
  (the Markdown extensions of a site may read syntax into imported text).
- Pages an import moved keep their old addresses: ``.carebase/redirects.yml`` becomes
  redirect pages, written with mkdocs-redirects' own functions in every language's tree.
- Imported pages get the attribution line for the theme's "Solved in our community" box.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from carebase.errors import CarebaseError
from carebase.importers.safety import inline_html, safe_page_html
from carebase.importers.settings import IMPORT_PLUGIN, ImportSettings, import_settings
from carebase.importers.store import REDIRECTS_FILE, read_redirects
from carebase_mkdocs import engine
from carebase_mkdocs.importer.config import ImportConfig

log = get_plugin_logger("carebase-import")


class ImportPlugin(BasePlugin[ImportConfig]):
    """Sanitises imported pages, keeps moved ones reachable, and credits their authors."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self._settings = ImportSettings()
        self._redirects: dict[str, str] = {}
        self._attribution = ""
        self._files: Files | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        try:
            self._settings = import_settings({IMPORT_PLUGIN: _options(self.config)})
            self._redirects = read_redirects(Path(config.docs_dir)) if self.config.enabled else {}
        except CarebaseError as exc:
            raise PluginError(str(exc)) from exc
        self._attribution = inline_html(self._settings.attribution)
        return None

    # After carebase/kb (-110) has added its pages and static-i18n (-100) chose this pass's.
    @event_priority(-120)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        self._files = files
        return None

    # First of all: later plugins (carebase/kb marks links to other languages) add trusted
    # attributes this allowlist does not know.
    @event_priority(100)
    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or not _imported(page):
            return None
        return safe_page_html(html)

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if not self.config.enabled or not _imported(page):
            return None
        data = {"attribution": self._attribution}
        context["carebase_import"] = data  # type: ignore[typeddict-unknown-key]
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled and self._redirects and self._files is not None:
            _write_redirects(config, self._files, self._redirects)


def _imported(page: Page) -> bool:
    return isinstance(page.meta.get("source"), dict)


def _write_redirects(config: MkDocsConfig, files: Files, redirects: dict[str, str]) -> None:
    """A redirect page at each old address of this language's tree, to the page's new one."""
    # Imported only when there is a redirect to write: it prints a notice about MkDocs 2.
    from mkdocs_redirects.plugin import get_html_path, get_relative_html_path, write_html

    prefix = engine.language_folder(config)
    directory_urls = bool(config.use_directory_urls)
    for old, new in sorted(redirects.items()):
        if files.get_file_from_path(old) is not None:
            continue  # A page lives there again (a run was interrupted): it wins.
        target = files.get_file_from_path(new)
        if target is None:
            log.warning(_missing_target(old, new))
            continue
        old_page = f"{prefix}{old}"
        url = get_relative_html_path(old_page, target.url, directory_urls)
        html_path = get_html_path(old_page, directory_urls)
        # read_redirects refused such paths already; the writer checks what it writes anyway.
        engine.guarded(
            config.site_dir, html_path, f"{REDIRECTS_FILE}: would write outside the site"
        )
        write_html(config.site_dir, html_path, url)


def _missing_target(old: str, new: str) -> str:
    return (
        f"{REDIRECTS_FILE}: '{old}' redirects to '{new}', which does not exist\n"
        "  hint: run `carebase import` again, or delete the line"
    )


def _options(config: ImportConfig) -> dict[str, Any]:
    return {key: value for key, value in config.items() if key != "enabled" and value is not None}
