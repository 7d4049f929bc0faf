"""Reading front matter: every field keeps its line, every failure names one."""

from __future__ import annotations

from carebase.documents import parse_document


def test_fields_keep_their_line_numbers() -> None:
    document, problems = parse_document("---\ntitle: Refunds\n\ntags: [a]\n---\nBody\n", "a.md")
    assert problems == []
    assert document is not None
    assert document.lines == {"title": 2, "tags": 4, "tags.0": 4}  # Items of a list too.
    assert document.body.strip() == "Body"


def test_invalid_yaml_is_reported_at_its_line() -> None:
    document, problems = parse_document("---\ntitle: x\nbad: a: b\n---\n", "a.md")
    assert document is None
    assert [(p.line, p.field) for p in problems] == [(3, "front matter")]


def test_an_unclosed_front_matter_is_reported() -> None:
    _, problems = parse_document("---\ntitle: x\n", "a.md")
    assert problems[0].message == "is opened with '---' but never closed"


def test_a_file_without_front_matter_uses_its_heading() -> None:
    document, _ = parse_document("# Restart your router\nText", "a.md")
    assert document is not None and document.h1 == "Restart your router"
    assert document.meta == {}
