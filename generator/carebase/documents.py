"""Reading a Markdown file: UTF-8 text, YAML front matter with the line of every field, body.

Every later step (schemas, checks, importers) needs to say *where* a problem is, so front matter
is parsed into a mapping *and* a map from each top-level key to its line in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from carebase.errors import Problem
from carebase.yamlio import load_with_lines

_H1 = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$", re.MULTILINE)
_FENCE = re.compile(r"^---\s*$", re.MULTILINE)


@dataclass
class Document:
    """A Markdown file split into front matter and body, with line numbers for fields."""

    path: str
    meta: dict[str, Any]
    body: str
    body_line: int
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The line a front-matter field is on, or 1 when the field is absent."""
        return self.lines.get(key, 1)

    @property
    def h1(self) -> str | None:
        """The first level-one heading of the body, if any."""
        match = _H1.search(self.body)
        return match["title"].strip() if match else None


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read a file as UTF-8, or say why it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        hint = "check the file's permissions, or that the disk holding it is mounted"
        return None, [Problem(display, 1, "file", f"cannot be read: {exc.strerror}", hint=hint)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                display,
                line,
                "file",
                f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                hint="save the file with UTF-8 encoding",
            )
        ]
    return text.replace("\r\n", "\n"), []


def parse_document(text: str, display: str) -> tuple[Document | None, list[Problem]]:
    """Split text into front matter and body; report YAML errors with their line."""
    if not text.strip():
        return None, [
            Problem(display, 1, "file", "is empty", hint="add a '# Title' line or a front matter")
        ]
    if not text.startswith("---"):
        return Document(display, {}, text, 1), []
    try:
        raw_meta, body = YAMLHandler().split(text)
    except ValueError:
        return None, [
            Problem(
                display,
                1,
                "front matter",
                "is opened with '---' but never closed",
                hint="end the front matter with a line holding only '---'",
            )
        ]
    meta_start = text.find(raw_meta) if raw_meta else 0
    first_line = text[:meta_start].count("\n")
    body_line = text.count("\n", 0, text.rfind(body)) + 1 if body else 1
    return _parse_meta(raw_meta, body, display, first_line, body_line)


def _parse_meta(
    raw_meta: str, body: str, display: str, first_line: int, body_line: int
) -> tuple[Document | None, list[Problem]]:
    """Parse the YAML of a front matter, keeping the line of each top-level key.

    ``first_line`` is the number of lines before the YAML text starts in the file.
    """
    try:
        meta, lines = load_with_lines(raw_meta, first_line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line + 1 if mark else 1
        reason = exc.problem or "is not valid YAML"
        return None, [
            Problem(
                display,
                line,
                "front matter",
                f"is not valid YAML: {reason}",
                hint="check indentation and quote values containing ':' or '#'",
            )
        ]
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return None, [
            Problem(
                display,
                2,
                "front matter",
                f"must be a mapping of fields, got {type(meta).__name__}",
                hint="write one 'field: value' per line",
            )
        ]
    return Document(display, meta, body, body_line, lines), []


def load_document(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse one Markdown file."""
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    document, problems = parse_document(text, display)
    if document is not None and "\x00" in document.body:
        return None, [_nul_problem(document)]
    return document, problems


def _nul_problem(document: Document) -> Problem:
    # NUL is the one character Markdown passes into the HTML as it is (a YAML front matter
    # rejects it already); it truncates the page in some browsers and tools.
    before = document.body[: document.body.index("\x00")]
    line = document.body_line + before.count("\n")
    return Problem(
        document.path,
        line,
        "body",
        f"NUL byte in column {len(before) - before.rfind(chr(10))}",
        hint="delete the invisible character; it often comes from pasting out of a binary file",
    )
