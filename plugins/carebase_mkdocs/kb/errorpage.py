"""The "page not found" page of each language.

MkDocs writes the theme's ``404.html`` at the site root on every build, and static-i18n runs
one build per language into the same site folder: the last language's page was everyone's,
with the language links of the previous pass's last page. Here each language's copy moves
into that language's folder (``/es/404.html``) and the default language's stays at the root.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from carebase.fsutil import atomic_write_text
from carebase_mkdocs import engine

ERROR_PAGE = "404.html"


def language_links(config: MkDocsConfig) -> list[dict[str, str]]:
    """The language switcher of an error page: each language's home page.

    An error page is served at any address, so it cannot link the same page in another
    language (static-i18n's switcher shows whatever page it last rendered).
    """
    root = engine.site_path(config)
    default = engine.languages(config)[0]
    return [
        {
            "name": engine.language_name(config, lang),
            "link": root if lang == default else f"{root}{lang}/",
            "lang": lang,
        }
        for lang in engine.languages(config)
    ]


@dataclass
class ErrorPages:
    """Moves each language pass's ``404.html`` where that language's readers get it."""

    default_page: str | None = None
    """The default language's page, put back at the root after each other language's pass."""

    def place(self, config: MkDocsConfig) -> None:
        """After a pass has written ``404.html`` at the site root: move it to its language."""
        root = Path(config.site_dir) / ERROR_PAGE
        if not root.exists():
            return
        folder = engine.language_folder(config)
        if not folder:
            self.default_page = root.read_text(encoding="utf-8")
            return
        target = Path(engine.guarded(config.site_dir, folder + ERROR_PAGE, "404 page"))
        target.parent.mkdir(parents=True, exist_ok=True)
        root.replace(target)
        if self.default_page is not None:
            atomic_write_text(root, self.default_page)


def swap_alternates(config: MkDocsConfig, links: list[dict[str, str]]) -> dict[str, Any]:
    """Show ``links`` in the language switcher; returns what to put back afterwards."""
    # static-i18n keeps the switcher in `config.extra.alternate`, as an attribute.
    before = dict(vars(config.extra))
    setattr(config.extra, "alternate", links)  # noqa: B010
    return before


def restore_alternates(config: MkDocsConfig, before: dict[str, Any]) -> None:
    """Put back what :func:`swap_alternates` replaced."""
    vars(config.extra).clear()
    vars(config.extra).update(before)
