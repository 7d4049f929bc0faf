"""Threads from any platform, as JSON lines: one solved thread (or one removal) per line.

For a forum Carebase has no importer for: export its solved threads to a file and run
``carebase import jsonl FILE``. Each line is one JSON object::

    {"id": "4711", "url": "https://forum.example.com/t/4711", "title": "Router drops at night",
     "category": "wifi", "tags": ["router"], "updated_at": "2026-10-02T08:00:00Z",
     "question": {"author": "Alex", "body": "My router…", "format": "markdown",
                  "created_at": "2026-10-01T09:00:00Z", "score": 2},
     "answer": {"id": "4713", "author": "Sam", "body": "<p>Turn off…</p>", "format": "html",
                "created_at": "2026-10-01T10:30:00Z", "score": 7},
     "replies": [{"author": "Pat", "body": "Worked for me", "created_at": "…", "score": 3}]}

- ``id`` (text or number, unique in the file), ``url`` (the thread's public address) and
  ``title`` are required, and so is ``question``; ``category`` is the platform's category,
  mapped to one of ours by ``categories`` in the plugin's options.
- A post has ``author`` (a display name, never an e-mail address), ``body``, ``format``
  (``markdown``, the default, or ``html``), ``created_at`` (ISO 8601; without an offset it
  is UTC), and optionally ``id``, ``score`` (likes: the most liked replies are kept) and
  ``url``.
- ``answer`` is the accepted answer; ``null`` (or no answer) means the thread is not solved
  (any more), and its article is removed.
- ``updated_at`` drives incremental imports: a line is imported again only when it is at
  least as recent as the newest one of the last import (lines without it, always).
- ``images``: addresses of images in the bodies that are not on the thread's own host but
  may be downloaded (a CDN); others are left out.
- ``{"id": "4711", "removed": true, "reason": "deleted"}`` removes a thread's article.

Every problem in a file is reported at once, as ``file:line: field: message`` with a hint,
and nothing is imported from a file with problems. ``--full`` treats the file as complete:
articles imported from JSON lines whose id is not in it are removed, so keep one file (or
unique ids across files) per site.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, HttpUrl

from carebase.errors import ContentError, Problem
from carebase.importers.model import Change, Cursor, Post, Removal, Thread
from carebase.models import SourceKind
from carebase.validation import validate

MAX_PROBLEMS = 50
"""Problems listed before the rest are counted."""


class JsonlError(ContentError):
    """A JSON-lines file has lines that are not threads; carries every problem."""


def _text_id(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


TextId = Annotated[str, BeforeValidator(_text_id), Field(min_length=1)]
Time = Annotated[datetime, AfterValidator(_utc)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JsonlPost(_Strict):
    """A question, answer or reply."""

    id: TextId | None = None
    author: str = ""
    body: str
    format: Literal["markdown", "html"] = "markdown"
    created_at: Time
    score: int = 0
    url: str = ""


class JsonlThread(_Strict):
    """One solved thread."""

    id: TextId
    url: HttpUrl
    title: str = Field(min_length=1)
    category: str = ""
    question: JsonlPost
    answer: JsonlPost | None = None
    replies: list[JsonlPost] = []
    tags: list[str] = []
    questions: list[str] = []
    """Other titles the platform knows the question by (merged or duplicate threads)."""
    created_at: Time | None = None
    updated_at: Time | None = None
    images: list[HttpUrl] = []
    removed: Literal[False] = False


class JsonlRemoval(_Strict):
    """A thread that must no longer be published."""

    id: TextId
    removed: Literal[True]
    reason: str = "removed upstream"
    url: str = ""
    updated_at: Time | None = None


_HINTS = {
    "line": 'write one JSON object per line, like {"id": "1", "title": …}',
    "id": "ids must be unique within the file",
}


@dataclass
class JsonlSource:
    """The threads of one JSON-lines file, validated as a whole when it is read."""

    path: str
    threads: list[tuple[int, JsonlThread | JsonlRemoval]]
    kind: SourceKind = SourceKind.JSONL
    _newest: str = field(default="", repr=False)

    @classmethod
    def from_file(cls, path: Path, display: str | None = None) -> JsonlSource:
        """Read and validate ``path``; :class:`JsonlError` lists every problem in it."""
        name = display or path.name
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problem = Problem(name, 1, "file", f"cannot be read: {exc}", hint="save it as UTF-8")
            raise JsonlError([problem]) from None
        return cls.from_text(text, name)

    @classmethod
    def from_text(cls, text: str, display: str) -> JsonlSource:
        """Parse and validate JSON lines; :class:`JsonlError` lists every problem."""
        threads: list[tuple[int, JsonlThread | JsonlRemoval]] = []
        problems: list[Problem] = []
        first_line: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            item, found = _parse_line(line, display, number)
            problems += found
            if item is None:
                continue
            if item.id in first_line:
                message = f"'{item.id}' is also the id on line {first_line[item.id]}"
                problems.append(Problem(display, number, "id", message, hint=_HINTS["id"]))
                continue
            first_line[item.id] = number
            threads.append((number, item))
        if problems:
            raise JsonlError(_capped(problems))
        return cls(display, threads)

    # -- ThreadSource ---------------------------------------------------------------------

    def changes(self, since: Cursor, *, full: bool, limit: int | None) -> Iterator[Change]:
        """Threads updated at or after ``since`` (everything when ``full``), oldest first."""
        start = None if full else _parse_cursor(since)
        chosen = [item for _line, item in self.threads if _is_due(item, start)]
        chosen.sort(key=lambda item: _stamp(item.updated_at))
        self._newest = since.value
        for item in chosen[:limit] if limit is not None else chosen:
            if item.updated_at is not None:
                self._newest = max(self._newest, _stamp(item.updated_at))
            yield _change(item)

    def cursor(self) -> Cursor:
        """The newest ``updated_at`` of the lines just iterated."""
        return Cursor(self._newest)

    def known_ids(self) -> set[str]:
        """The ids of the file's solved threads: everything else is no longer published."""
        return {
            item.id
            for _line, item in self.threads
            if isinstance(item, JsonlThread) and item.answer is not None
        }


def _parse_line(
    line: str, display: str, number: int
) -> tuple[JsonlThread | JsonlRemoval | None, list[Problem]]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        message = f"is not valid JSON: {exc.msg} (column {exc.colno})"
        return None, [Problem(display, number, "line", message, hint=_HINTS["line"])]
    except RecursionError:
        message = "is nested too deeply to be a thread"
        return None, [Problem(display, number, "line", message, hint=_HINTS["line"])]
    except ValueError as exc:  # A number too long to convert (Python's 4,300-digit limit).
        message = f"is not valid JSON: {str(exc).split(';')[0]}"
        return None, [Problem(display, number, "line", message, hint=_HINTS["line"])]
    if not isinstance(data, dict):
        message = f"must be a JSON object, got {type(data).__name__}"
        return None, [Problem(display, number, "line", message, hint=_HINTS["line"])]
    model: type[JsonlThread | JsonlRemoval] = (
        JsonlRemoval if data.get("removed") is True else JsonlThread
    )
    return validate(model, data, display, lambda _field: number)


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    last = problems[MAX_PROBLEMS]
    more = Problem(
        last.path, last.line, "file", f"… and {rest} more problems", hint="fix these first"
    )
    return [*problems[:MAX_PROBLEMS], more]


def _stamp(when: datetime | None) -> str:
    """A sortable UTC timestamp; "" sorts first."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if when is not None else ""


def _parse_cursor(cursor: Cursor) -> datetime | None:
    """The cursor as a time: this source's own, or ``--since`` (any ISO 8601 time)."""
    if not cursor.value:
        return None
    try:
        return _utc(datetime.fromisoformat(cursor.value))
    except ValueError:
        return None  # Not a time we wrote: import everything, which is always safe.


def _is_due(item: JsonlThread | JsonlRemoval, since: datetime | None) -> bool:
    return since is None or item.updated_at is None or item.updated_at >= since


def _change(item: JsonlThread | JsonlRemoval) -> Change:
    if isinstance(item, JsonlRemoval):
        return Removal(SourceKind.JSONL, item.id, item.reason)
    url = str(item.url)
    return Thread(
        kind=SourceKind.JSONL,
        id=item.id,
        url=url,
        title=item.title,
        source_category=item.category,
        question=_post(item.question, f"{item.id}-question"),
        answer=_post(item.answer, f"{item.id}-answer") if item.answer else None,
        replies=tuple(
            _post(reply, f"{item.id}-reply-{n}") for n, reply in enumerate(item.replies, 1)
        ),
        tags=tuple(item.tags),
        created_at=item.created_at,
        updated_at=item.updated_at,
        links=(),
        images=tuple(str(image) for image in item.images),
        questions=tuple(item.questions),
    )


def _post(post: JsonlPost, default_id: str) -> Post:
    return Post(
        id=post.id or default_id,
        author=post.author,
        body=post.body,
        format=post.format,
        created_at=post.created_at,
        score=post.score,
        url=post.url,
    )
