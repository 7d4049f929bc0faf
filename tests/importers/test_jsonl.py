"""The JSON-lines format: every problem reported with its line, incremental by ``updated_at``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from carebase.importers.jsonl import JsonlError, JsonlSource
from carebase.importers.model import Cursor, Removal, Thread
from carebase.models import SourceKind


def line(**fields: Any) -> str:
    """A valid solved thread, with ``fields`` replacing (or, as None, removing) its fields."""
    data: dict[str, Any] = {
        "id": 7,
        "url": "https://forum.example.com/t/7",
        "title": "Router drops at night",
        "category": "wifi",
        "updated_at": "2026-10-02T08:00:00Z",
        "question": {"author": "Alex", "body": "It drops.", "created_at": "2026-10-01T09:00:00"},
        "answer": {"id": 9, "author": "Sam", "body": "<p>Fix</p>", "format": "html",
                   "created_at": "2026-10-01T10:00:00Z", "score": 3},
        "replies": [{"author": "Pat", "body": "Thanks", "created_at": "2026-10-01T11:00:00Z"}],
    }  # fmt: skip
    data.update(fields)
    return json.dumps({key: value for key, value in data.items() if value is not None})


def test_a_line_becomes_a_thread() -> None:
    source = JsonlSource.from_text(line() + "\n\n", "threads.jsonl")
    [change] = list(source.changes(Cursor(), full=False, limit=None))
    assert isinstance(change, Thread)
    assert (change.kind, change.id, change.source_category) == (SourceKind.JSONL, "7", "wifi")
    assert change.answer is not None and change.answer.id == "9"
    assert change.answer.format == "html"
    assert change.question.id == "7-question"
    assert change.question.created_at.tzinfo is not None
    assert [reply.id for reply in change.replies] == ["7-reply-1"]
    assert source.known_ids() == {"7"}


def test_removals_and_unsolved_threads() -> None:
    text = "\n".join(
        [line(id="1"), line(id="2", answer=None), '{"id": "3", "removed": true, "reason": "spam"}']
    )
    source = JsonlSource.from_text(text, "threads.jsonl")
    changes = list(source.changes(Cursor(), full=True, limit=None))
    assert Removal(SourceKind.JSONL, "3", "spam") in changes
    assert source.known_ids() == {"1"}


def test_every_problem_is_reported_with_its_line_and_a_hint() -> None:
    text = "\n".join(
        [
            line(),
            "{not json",
            "[1, 2]",
            line(id=8, url="ftp://x", question={"body": "x"}),
            line(id=9, titel="typo"),
            line(),
        ]
    )
    with pytest.raises(JsonlError) as caught:
        JsonlSource.from_text(text, "threads.jsonl")
    assert [problem.format() for problem in caught.value.problems] == [
        "threads.jsonl:2: line: is not valid JSON: Expecting property name enclosed in double "
        'quotes (column 2)\n    hint: write one JSON object per line, like {"id": "1", "title": …}',
        "threads.jsonl:3: line: must be a JSON object, got list\n"
        '    hint: write one JSON object per line, like {"id": "1", "title": …}',
        "threads.jsonl:4: url: URL scheme should be 'http' or 'https', got 'ftp://x'\n"
        "    hint: write a full address, like https://example.com/page",
        "threads.jsonl:4: question.created_at: is required\n    hint: add the field",
        "threads.jsonl:5: titel: is not a known field\n"
        "    hint: remove the field or check its spelling",
        "threads.jsonl:6: id: '7' is also the id on line 1\n"
        "    hint: ids must be unique within the file",
    ]


def test_incremental_from_the_newest_update_seen() -> None:
    text = "\n".join(
        [
            line(id="new", updated_at="2026-10-05T00:00:00Z"),
            line(id="old", updated_at="2026-10-01T00:00:00Z"),
            line(id="undated", updated_at=None),
        ]
    )
    source = JsonlSource.from_text(text, "threads.jsonl")
    first = [change.id for change in source.changes(Cursor(), full=False, limit=2)]
    assert first == ["undated", "old"]
    cursor = source.cursor()
    assert cursor == Cursor("2026-10-01T00:00:00Z")
    rest = [change.id for change in source.changes(cursor, full=False, limit=None)]
    assert rest == ["undated", "old", "new"]
    since = Cursor("2026-10-03T00:00:00+00:00")  # `--since 2026-10-03`
    assert [change.id for change in source.changes(since, full=False, limit=None)] == [
        "undated",
        "new",
    ]
