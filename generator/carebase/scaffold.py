"""New articles, FAQs and posts: file names from titles and starter text that passes checks.

Everything here is a pure function of its arguments except :func:`write_new`, which refuses
to overwrite a file somebody already wrote.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from carebase.content import RESERVED_SLUGS
from carebase.errors import CarebaseError
from carebase.fsutil import atomic_write_text
from carebase.languages import localised_filename
from carebase.models import ArticleType
from carebase.settings import ContentSettings

REVIEW_EVERY = "180d"
MAX_SLUG_LENGTH = 80
# Letters NFKD leaves alone because they are not an accent on a base letter.
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
    }
)
_APOSTROPHES = re.compile(r"['’`]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")

_ARTICLE_BODY = """\
Start with the answer in one or two sentences: what the reader can do, and how long it takes.

## Before you start

- What the reader needs to hand, like their account number.

## Steps

1. The first thing to do.
2. The next thing to do.

## If it still doesn't work

Say what to try next, and how to get in touch with us.
"""
_FAQ_BODY = """\
Answer the question in the first sentence, then add the details a reader needs to act on it.
"""
_POST_BODY = """\
Write the summary shown on the blog index here, in one or two sentences.

<!-- more -->

Write the rest of the post here.
"""


class ScaffoldError(CarebaseError):
    """A new file cannot be made: the title, category or author is unusable, or it exists."""


@dataclass(frozen=True)
class NewFile:
    """A file to create: its path relative to the docs folder and its text."""

    path: str
    text: str


def slugify(text: str) -> str:
    """A file name from a title: lowercase ASCII words joined by hyphens, accents stripped."""
    text = _APOSTROPHES.sub("", text.translate(_LETTERS))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH].rsplit("-", 1)[0]
    return slug


def choose_slug(title: str, slug: str | None = None) -> str:
    """The slug for a new file: ``slug`` if given, else made from the title; checked."""
    chosen = slug if slug is not None else slugify(title)
    if not chosen:
        raise ScaffoldError(f"cannot make a file name from {title!r}; pass one with --slug")
    if chosen != slugify(chosen):
        raise ScaffoldError(f"slug {chosen!r} must be lowercase words joined by hyphens")
    if RESERVED_SLUGS.match(chosen):
        raise ScaffoldError(f"slug {chosen!r} is reserved for generated pages; pass --slug")
    return chosen


def clean_title(title: str) -> str:
    """The title on one line, or :class:`ScaffoldError` when it cannot be a title."""
    cleaned = " ".join(title.split())
    if not cleaned:
        raise ScaffoldError("the title must not be empty")
    if "<" in cleaned and ">" in cleaned:
        raise ScaffoldError("the title must be plain text, without HTML tags")
    return cleaned


def require(value: str, choices: Iterable[str], what: str, listed_in: str) -> str:
    """``value`` if it is one of ``choices``, else a :class:`ScaffoldError` saying what is."""
    known = sorted(choices)
    if value in known:
        return value
    close = difflib.get_close_matches(value, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known) or 'none'}"
    raise ScaffoldError(f"unknown {what} '{value}' in {listed_in} ({hint})")


def article_path(settings: ContentSettings, category: str, slug: str, lang: str) -> str:
    """``kb/<category>/<slug>.md``, or ``<slug>.<lang>.md`` for another language."""
    name = localised_filename(slug, lang, settings.default_language)
    return f"{settings.kb_dir}/{category}/{name}"


def post_path(settings: ContentSettings, slug: str, lang: str) -> str:
    """``blog/posts/<slug>.md``, or ``<slug>.<lang>.md`` for another language."""
    return f"{settings.posts_dir}/{localised_filename(slug, lang, settings.default_language)}"


def article_text(title: str, owner: str, today: date, kind: ArticleType) -> str:
    """Front matter and starter text of an article or FAQ, reviewed today."""
    meta: dict[str, Any] = {
        "title": title,
        "description": "One sentence saying what this answers; search results show it.",
        "tags": [],
        "type": kind.value,
        "owner": owner,
        "reviewed": today,
        "review_every": REVIEW_EVERY,
    }
    if kind is ArticleType.FAQ:
        # `carebase check` asks an FAQ for the other ways customers word it.
        meta["questions"] = ["How a customer would ask this, in their own words?"]
    body = _FAQ_BODY if kind is ArticleType.FAQ else _ARTICLE_BODY
    return _compose(meta, body)


def post_text(title: str, author: str, today: date, category: str | None) -> str:
    """Front matter and starter text of a blog post, dated today, with a ``more`` marker."""
    meta: dict[str, Any] = {
        "title": title,
        "description": "One sentence saying what this post is about; feeds and cards show it.",
        "date": today,
        "authors": [author],
    }
    if category is not None:
        meta["categories"] = [category]
    meta["tags"] = []
    return _compose(meta, _POST_BODY)


def _compose(meta: dict[str, Any], body: str) -> str:
    front = yaml.safe_dump(
        meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000
    )
    return f"---\n{front}---\n\n{body}"


def write_new(docs_dir: Path, new: NewFile) -> Path:
    """Write ``new`` below ``docs_dir``; never overwrite, so nobody's work is lost."""
    path = docs_dir / new.path
    if path.exists():
        raise ScaffoldError(f"{new.path} already exists; edit it, or pass another --slug")
    atomic_write_text(path, new.text)
    return path
