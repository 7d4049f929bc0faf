"""What the theme's partials read of an article page, and the page assembled from them.

The partials that differ from one article to the next (its text with the header and footer
around it, and its table of contents) are rendered per page by the theme's own templates with
an :class:`ArticleView` as ``page``; everything else comes from a :class:`Skeleton`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class PageKind:
    """Pages sharing one skeleton: same folder depth, with or without a table of contents
    and a description of their own (else the theme shows the site's, or none)."""

    depth: int
    has_toc: bool
    has_description: bool


def page_kind(url: str, toc: tuple[TocView, ...], description: str | None) -> PageKind:
    """The kind of page at ``url`` (``kb/billing/refunds/`` is 3 folders deep)."""
    depth = url.strip("/").count("/") + 1
    return PageKind(depth=depth, has_toc=bool(toc), has_description=bool(description))
