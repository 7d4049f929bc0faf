"""Threads, sources and projects for the importer tests: all in memory or in ``tmp_path``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from carebase.importers.model import Change, Cursor, Post, Thread
from carebase.importers.settings import ImportSettings, Redaction
from carebase.models import SourceKind
from carebase.project import Project, load_project
from tests.conftest import MKDOCS_YML, ProjectFactory

NOW = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
FORUM = "https://forum.example.com"
IMPORT_OPTIONS = """\
  - carebase/import:
      categories: {wifi: broadband, bills: billing}
      replies: 2
      attribution: Answers by our community, shared under CC BY-SA 4.0.
      redact:
        - {pattern: 'ORD-\\d{6,}', label: '[order number removed]'}
"""
SETTINGS = ImportSettings(
    categories={"wifi": "broadband", "bills": "billing"},
    replies=2,
    attribution="Answers by our community, shared under CC BY-SA 4.0.",
    redact=[Redaction(pattern=r"ORD-\d{6,}", label="[order number removed]")],
)


def post(
    body: str,
    *,
    id: str = "p",
    author: str = "Alex",
    format: str = "markdown",
    score: int = 0,
    day: int = 1,
) -> Post:
    """A post written on 2026-10-``day``."""
    when = datetime(2026, 10, day, 12, 0, tzinfo=UTC)
    return Post(id=id, author=author, body=body, format=format, created_at=when, score=score)  # type: ignore[arg-type]


def thread(
    id: str = "101",
    title: str = "Router drops Wi-Fi at night",
    *,
    category: str = "wifi",
    question: str = "My Wi-Fi drops every night at 2am.",
    answer: str | None = "Set a fixed channel in the Hub's settings.",
    replies: Sequence[Post] = (),
    body_format: str = "markdown",
    updated: datetime = NOW,
    images: Sequence[str] = (),
    kind: SourceKind = SourceKind.DISCOURSE,
) -> Thread:
    """A solved thread of a made-up forum (``answer=None``: not solved)."""
    return Thread(
        kind=kind,
        id=id,
        url=f"{FORUM}/t/{id}",
        title=title,
        source_category=category,
        question=post(question, id=f"{id}-q", format=body_format),
        answer=post(answer, id=f"{id}-a", author="Sam", format=body_format, score=5, day=2)
        if answer is not None
        else None,
        replies=tuple(replies),
        updated_at=updated,
        images=tuple(images),
    )


class Killed(Exception):
    """The process died: stands for SIGKILL in the middle of a run."""


@dataclass
class FakeSource:
    """A source that yields what it is given; ``die_after`` kills the run after N changes."""

    items: list[Change]
    kind: SourceKind = SourceKind.DISCOURSE
    published: set[str] | None = None
    die_after: int | None = None
    next_cursor: str = "cursor-1"
    asked_since: list[Cursor] = field(default_factory=list)

    def changes(self, since: Cursor, *, full: bool, limit: int | None) -> Iterator[Change]:
        self.asked_since.append(since)
        for number, item in enumerate(self.items[:limit] if limit else self.items):
            if self.die_after is not None and number == self.die_after:
                raise Killed
            yield item

    def cursor(self) -> Cursor:
        return Cursor(self.next_cursor)

    def known_ids(self) -> set[str] | None:
        return self.published


@pytest.fixture
def project(make_project: ProjectFactory) -> Project:
    """A small help centre (categories billing and broadband) with the import plugin."""
    root = make_project(config=MKDOCS_YML + IMPORT_OPTIONS)
    return load_project(root / "mkdocs.yml")


def community_files(project: Project) -> dict[str, str]:
    """Every file under a community folder (articles and images), by path in the docs folder."""
    docs = project.docs_dir
    return {
        path.relative_to(docs).as_posix(): path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(docs.glob("kb/*/community/**/*"))
        if path.is_file()
    }


def mtimes(folder: Path) -> dict[str, int]:
    """Modification times (ns) of every file below ``folder``, data files included."""
    return {
        path.relative_to(folder).as_posix(): path.stat().st_mtime_ns
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
