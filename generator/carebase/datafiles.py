"""Data files beside the content: categories (``kb/.categories.yml``) and authors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from carebase.documents import read_text
from carebase.errors import Problem
from carebase.models import Author, AuthorsFile, Category
from carebase.validation import validate
from carebase.yamlio import load_with_lines


def load_categories(path: Path, display: str) -> tuple[dict[str, Category], list[Problem]]:
    """Read the categories file: ``{id: {title, description, icon, order, translations}}``."""
    data, lines, problems = _load_mapping(path, display)
    categories: dict[str, Category] = {}
    for key, value in data.items():
        line = lines.get(str(key), 1)
        if not isinstance(value, dict):
            problems.append(
                Problem(
                    display,
                    line,
                    str(key),
                    "must be a mapping with at least a title",
                    hint="indent 'title: …' (and description, icon, order) below the name",
                )
            )
            continue
        category, found = validate(Category, value, display, _fixed_line(line), str(key))
        problems.extend(found)
        if category is not None:
            categories[str(key)] = category
    return categories, problems


def load_authors(path: Path, display: str) -> tuple[dict[str, Author], list[Problem]]:
    """Read Material's authors file: ``authors: {id: {name, description, avatar}}``."""
    data, lines, problems = _load_mapping(path, display)
    if not data:
        return {}, problems
    parsed, found = validate(AuthorsFile, data, display, lambda f: lines.get(f, 1))
    problems.extend(found)
    return (dict(parsed.authors) if parsed else {}), problems


def _fixed_line(line: int) -> Callable[[str], int]:
    """Fields of a nested mapping are reported at the line of its key."""
    return lambda _field: line


def _load_mapping(path: Path, display: str) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    if not path.exists():
        return {}, {}, []
    text, problems = read_text(path, display)
    if text is None:
        return {}, {}, problems
    try:
        data, lines = load_with_lines(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        hint = "check indentation and quote values containing ':' or '#'"
        return (
            {},
            {},
            [Problem(display, line, "file", f"is not valid YAML: {exc.problem}", hint=hint)],
        )
    if data is None:
        return {}, {}, []
    if not isinstance(data, dict):
        hint = "write one 'name:' per line, with its fields indented below it"
        return {}, {}, [Problem(display, 1, "file", "must be a mapping", hint=hint)]
    return data, lines, []
