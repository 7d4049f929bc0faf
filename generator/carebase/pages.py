"""Pages that exist only at build time: category landing pages and FAQ pages.

Composition is pure: these functions turn articles into page descriptions and Markdown; the
MkDocs adapter turns them into files. Landing pages are paginated so that no page embeds
thousands of links however large a category grows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import yaml

from carebase.content import Article
from carebase.models import Category

SortKey = Literal["title", "reviewed"]
_HEADING = re.compile(r"^(#{1,5})(\s)", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~)")


@dataclass(frozen=True)
class GeneratedPage:
    """A page the build adds: where it goes, its Markdown, and the articles it lists."""

    src_uri: str
    lang: str
    kind: Literal["category", "faq", "kb-index"]
    category: str
    page: int
    pages: int
    markdown: str
    keys: tuple[str, ...]


def sort_articles(articles: Sequence[Article], sort_by: SortKey = "title") -> list[Article]:
    """Promoted first; then by title, or most recently reviewed first."""
    if sort_by == "reviewed":
        ordered = sorted(articles, key=lambda a: a.title.casefold())
        ordered.sort(
            key=lambda a: a.meta.reviewed.toordinal() if a.meta.reviewed else 0, reverse=True
        )
    else:
        ordered = sorted(articles, key=lambda a: a.title.casefold())
    return sorted(ordered, key=lambda a: not a.meta.promoted)


def _reviewed_ordinal(article: Article) -> int:
    return article.meta.reviewed.toordinal() if article.meta.reviewed else 0


def landing_uri(kb_dir: str, category: str, page: int) -> str:
    """Source URI of page ``page`` of a category's landing page, the same in every language."""
    if page == 1:
        return f"{kb_dir}/{category}/index.md"
    return f"{kb_dir}/{category}/page/{page}.md"


def faq_uri(kb_dir: str, category: str, page: int) -> str:
    """Source URI of page ``page`` of a category's FAQ page (beside the FAQs it includes)."""
    return f"{kb_dir}/{category}/faq.md" if page == 1 else f"{kb_dir}/{category}/faq-{page}.md"


def landing_pages(
    kb_dir: str,
    category_id: str,
    category: Category,
    articles: Sequence[Article],
    lang: str,
    per_page: int,
    sort_by: SortKey = "title",
) -> list[GeneratedPage]:
    """The paginated landing pages of one category in one language (at least one page)."""
    listed = [a for a in sort_articles(articles, sort_by) if not a.is_faq]
    chunks = _chunks(listed, per_page)
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        front = {
            "title": category.title_in(lang),
            "description": category.description_in(lang),
            "template": "carebase/category.html",
            "icon": category.icon,
            "search": {"exclude": True},
        }
        markdown = _front_matter(front) + category.description_in(lang) + "\n"
        uri = landing_uri(kb_dir, category_id, number)
        keys = tuple(a.key for a in chunk)
        pages.append(
            GeneratedPage(uri, lang, "category", category_id, number, len(chunks), markdown, keys)
        )
    return pages


def faq_pages(
    kb_dir: str,
    category_id: str,
    category: Category,
    articles: Sequence[Article],
    lang: str,
    per_page: int,
    title_format: str,
    link_label: str,
) -> list[GeneratedPage]:
    """The FAQ pages of one category: every answer in full, each under its question."""
    faqs = [a for a in sort_articles(articles) if a.is_faq]
    if not faqs:
        return []
    chunks = _chunks(faqs, per_page)
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        front = {
            "title": title_format.format(category=category.title_in(lang)),
            "description": category.description_in(lang),
            "template": "carebase/faq.html",
        }
        body = "\n".join(_faq_entry(faq, link_label) for faq in chunk)
        uri = faq_uri(kb_dir, category_id, number)
        keys = tuple(a.key for a in chunk)
        pages.append(
            GeneratedPage(
                uri,
                lang,
                "faq",
                category_id,
                number,
                len(chunks),
                _front_matter(front) + body,
                keys,
            )
        )
    return pages


def kb_index_page(kb_dir: str, lang: str, title: str) -> GeneratedPage:
    """The knowledge base's front page, for sites that do not write their own."""
    front = {"title": title, "template": "carebase/kb-index.html"}
    markdown = _front_matter(front)
    return GeneratedPage(f"{kb_dir}/index.md", lang, "kb-index", "", 1, 1, markdown, ())


def _faq_entry(faq: Article, link_label: str) -> str:
    """One question as an H2 with a stable anchor, its answer, and a link to its own page."""
    question = faq.title.replace("{", "(").replace("}", ")")
    answer = demote_headings(faq.document.body).strip()
    link = f"[{link_label}]({faq.slug}.md){{ .cb-faq__link }}"
    return f"## {question} {{ #{faq.slug} }}\n\n{answer}\n\n{link}\n"


def demote_headings(markdown: str, levels: int = 2) -> str:
    """Push ATX headings down ``levels`` so an included answer nests under its question.

    Lines inside fenced code blocks are left alone; an H1 that repeats the title is dropped.
    """
    out = []
    in_fence = False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and line.startswith("# "):
            continue
        if not in_fence:
            line = _HEADING.sub(lambda m: "#" * min(len(m[1]) + levels, 6) + m[2], line)
        out.append(line)
    return "\n".join(out)


def _chunks(items: Sequence[Article], size: int) -> list[list[Article]]:
    count = max(1, math.ceil(len(items) / size))
    return [list(items[i * size : (i + 1) * size]) for i in range(count)]


def _front_matter(data: Mapping[str, object]) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n\n"
