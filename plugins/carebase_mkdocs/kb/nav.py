"""The navigation Carebase builds: sections and categories, never single articles."""

from __future__ import annotations

from typing import Any

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from carebase.models import Category
from carebase.strings import strings_for

# Section titles we generate, by the key of their interface string.
SECTION_KEYS = {"Home": "home", "Knowledge base": "knowledge_base", "Blog": "blog"}


def build_nav(
    kb_dir: str, blog_dir: str, categories: dict[str, Category], has_blog: bool
) -> list[Any]:
    """The ``nav`` config: category landing pages keep the title of their generated page."""
    ordered = sorted(categories.items(), key=lambda item: (item[1].order, item[1].title))
    kb: list[Any] = [f"{kb_dir}/index.md"]
    kb += [f"{kb_dir}/{category_id}/index.md" for category_id, _ in ordered]
    nav: list[Any] = [{"Home": "index.md"}, {"Knowledge base": kb}]
    if has_blog:
        nav.append({"Blog": [f"{blog_dir}/index.md"]})
    return nav


def translate_nav(nav: Navigation, lang: str) -> None:
    """Translate the section titles we generated into the language being built."""
    strings = strings_for(lang)
    for item in nav.items:
        if isinstance(item, Section | Page) and item.title in SECTION_KEYS:
            item.title = strings[SECTION_KEYS[item.title]]
