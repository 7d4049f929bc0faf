"""What every source hands the sync engine: threads as the source holds them, and removals.

A source knows its service's wire format and nothing about files; the engine
(:mod:`carebase.importers.sync`) knows files and nothing about services. Text in a
:class:`Thread` is *untrusted*: HTML or Markdown exactly as the public wrote it. Only the
engine's writer makes it safe (:mod:`carebase.importers.safety`) on its way to a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from carebase.models import SourceKind

TextFormat = Literal["html", "markdown"]


@dataclass(frozen=True)
class Post:
    """One message of a thread: the question, the accepted answer, or a reply."""

    id: str
    author: str
    """The author's display name (never an e-mail); anonymised later if configured."""
    body: str
    format: TextFormat
    created_at: datetime
    score: int = 0
    """Likes or upvotes: the most helpful replies are kept first."""
    url: str = ""


@dataclass(frozen=True)
class Thread:
    """A solved discussion (or a merged pull request) ready to become one article."""

    kind: SourceKind
    id: str
    """The source's stable id (topic id, discussion node id, ``owner/repo#123``): the key."""
    url: str
    title: str
    """Untrusted: may hold HTML; stripped to plain text before it reaches front matter."""
    source_category: str
    """The source's own category or label, mapped to one of ours by configuration."""
    question: Post
    answer: Post | None
    """The accepted answer; None for a pull request, whose body is the article."""
    replies: tuple[Post, ...] = ()
    tags: tuple[str, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    """When the source last changed anything in the thread: drives incremental sync."""
    links: tuple[str, ...] = ()
    """URLs of other threads this one links to (rewritten to our articles when imported)."""
    images: tuple[str, ...] = field(default=())
    """URLs of images in the thread's text, to download into the repository."""
    questions: tuple[str, ...] = ()
    """Untrusted: other titles the same question was asked under upstream (a forum's topics
    that link here, the issues a pull request closes); the article's ``questions``."""


@dataclass(frozen=True)
class Removal:
    """A thread that must no longer be published: un-accepted, deleted, hidden or private."""

    kind: SourceKind
    id: str
    reason: str


Change = Thread | Removal


@dataclass(frozen=True)
class Cursor:
    """Where a source's last complete sync ended; stored in ``content/.carebase/``."""

    value: str = ""
    """Opaque to the engine: a timestamp, a page token, an id."""


class ThreadSource(Protocol):
    """A service the engine can sync from."""

    kind: SourceKind

    def changes(self, since: Cursor, *, full: bool, limit: int | None) -> Iterator[Change]:
        """Threads changed (and removals) since ``since``; everything when ``full``."""
        ...

    def cursor(self) -> Cursor:
        """Where the changes just iterated end: saved only after their files are written."""
        ...

    def known_ids(self) -> set[str] | None:
        """With ``full``: every id still published upstream (others are removed), else None."""
        ...
