"""What the theme's partials read of an article page, and the page assembled from them.

The partials that differ from one article to the next (its text with the header and footer
around it, and its table of contents) are rendered per page by the theme's own templates with
an :class:`ArticleView` as ``page``; everything else comes from a :class:`Skeleton`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from carebase.render.skeleton import Skeleton

FIELD_TITLE = "title"
FIELD_DESCRIPTION = "description"
FIELD_PATH = "path"
FIELD_SKIP = "skip"
FIELD_TOC = "toc"
FIELD_CONTENT = "content"


@dataclass(frozen=True)
class TocView:
    """One table-of-contents entry as the theme's ``toc-item`` partial reads it."""

    title: str
    url: str
    level: int
    children: tuple[TocView, ...] = ()


@dataclass
class ArticleView:
    """An article page as the theme's partials read ``page``."""

    title: str
    content: str
    toc: tuple[TocView, ...]
    meta: Mapping[str, Any]
    url: str
    canonical_url: str
    edit_url: str | None
    abs_url: str | None = None
    is_homepage: bool = False
    previous_page: None = None
    next_page: None = None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PageKind:
    """Pages sharing one skeleton: same folder depth, with or without a table of contents."""

    depth: int
    has_toc: bool


def page_kind(url: str, toc: tuple[TocView, ...]) -> PageKind:
    """The kind of page at ``url`` (``kb/billing/refunds/`` is 3 folders deep)."""
    return PageKind(depth=url.strip("/").count("/") + 1, has_toc=bool(toc))


Partial = Callable[[Mapping[str, Any]], str]
"""A theme partial rendered with a page's variables."""


@dataclass(frozen=True)
class PageParts:
    """How pages of one language are put together: skeletons and the per-page partials."""

    skeletons: Mapping[PageKind, Skeleton]
    toc: Partial
    content: Partial
    site_description: str


def assemble(parts: PageParts, view: ArticleView, path: str, context: Mapping[str, Any]) -> str:
    """The article page: its skeleton with title, description, links and partials filled in.

    ``path``: the page's address without its language folder (``kb/billing/refunds/``);
    ``context``: the template variables ``carebase`` and others the partials read.
    """
    skeleton = parts.skeletons[page_kind(view.url, view.toc)]
    variables = {**context, "page": view}
    description = view.meta.get("description") or parts.site_description
    return skeleton.fill(
        {
            FIELD_TITLE: view.title,
            FIELD_DESCRIPTION: str(description),
            FIELD_PATH: path,
            FIELD_SKIP: view.toc[0].url.removeprefix("#") if view.toc else "",
            FIELD_TOC: parts.toc(variables),
            FIELD_CONTENT: parts.content(variables),
        }
    )
