"""Turn pydantic validation errors into problems a person can act on."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from carebase.errors import Problem, ProjectError, Severity

M = TypeVar("M", bound=BaseModel)

_HINTS = {
    "date_from_datetime_parsing": "write dates as YYYY-MM-DD, like 2026-01-31",
    "date_parsing": "write dates as YYYY-MM-DD, like 2026-01-31",
    "date_type": "write dates as YYYY-MM-DD, like 2026-01-31",
    "datetime_parsing": "write times as YYYY-MM-DDTHH:MM:SSZ, like 2026-01-31T08:00:00Z",
    "datetime_from_date_parsing": "write times as YYYY-MM-DDTHH:MM:SSZ, like 2026-01-31T08:00:00Z",
    "datetime_type": "write times as YYYY-MM-DDTHH:MM:SSZ, like 2026-01-31T08:00:00Z",
    "bool_parsing": "write true or false",
    "bool_type": "write true or false",
    "list_type": "write a list, like [one, two]",
    "enum": "use one of the listed values",
    "literal_error": "use one of the listed values",
    "missing": "add the field",
    "extra_forbidden": "remove the field or check its spelling",
    "question_empty": "write the question, or delete the empty '-' line",
    "question_html": "write the question as plain text, the way a customer would type it",
    "question_too_long": "shorten it to how a customer would type it in a search box",
    "question_duplicate": "delete the repeated question",
    "question_count": "keep the few most common ways people ask; three is usually enough",
    "duration": "write a number and a unit: d (days), w (weeks), m (months) or y (years),"
    " like 180d or 6m",
    "plain_text": "remove the HTML tags; Markdown is not read here either",
    "empty_text": "write the text, or remove the field",
    "slug": "use lowercase words joined by hyphens, without '/' or spaces",
    "string_type": "write text, in quotes if it starts with a special character like * or [",
    "string_too_long": "shorten it to at most {max_length} characters",
    "int_parsing": "write a whole number, like 10",
    "int_type": "write a whole number, like 10",
    "url_parsing": "write a full address, like https://example.com/page",
    "url_scheme": "write a full address, like https://example.com/page",
    "dict_type": "write it as indented 'field: value' lines",
    "model_type": "write it as indented 'field: value' lines",
}
MAX_QUOTED = 60
"""Longest value a message quotes whole; a longer one is cut (the line names the field)."""
FALLBACK_HINT = "see README.md for the fields this file takes and what they hold"


def validate(
    model: type[M],
    data: dict[str, Any],
    path: str,
    line_of: Callable[[str], int],
    prefix: str = "",
) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` against ``model``; report every error, each at its field's line."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = [_problem(error, path, line_of, prefix) for error in exc.errors()]
        return None, _one_per_field(problems)


def _one_per_field(problems: list[Problem]) -> list[Problem]:
    """The first problem of each field: a value fitting none of a union's types (a post's
    ``date``) fails every one of them, and one message says what to write."""
    seen: set[tuple[int, str]] = set()
    kept = []
    for problem in problems:
        if (problem.line, problem.field) not in seen:
            seen.add((problem.line, problem.field))
            kept.append(problem)
    return kept


def validate_options(model: type[M], options: Any, where: str, hint: str) -> M:
    """Options of a plugin in ``mkdocs.yml``; the first problem as a one-line :class:`ProjectError`.

    ``where`` names the options (``mkdocs.yml: plugins.carebase/search``); ``hint`` says where
    they are documented.
    """
    try:
        return model.model_validate(options)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "options"
        message = first["msg"].removeprefix("Value error, ")
        raise ProjectError(f"{where}.{field}: {message}\n  hint: {hint}") from None


def _problem(error: ErrorDetails, path: str, line_of: Callable[[str], int], prefix: str) -> Problem:
    loc = [str(part) for part in error["loc"]]
    # Union members show up as loc parts named after their type; they mean nothing to a person.
    # The first part is the field itself, even when it is named like a type (a post's `date`).
    loc = loc[:1] + [part for part in loc[1:] if not _is_type_name(part)]
    field = ".".join([prefix, *loc] if prefix else loc) or "front matter"
    line = _line(loc, line_of)
    message = _message(error)
    return Problem(path, line, field, message, Severity.ERROR, _hint(error))


def _hint(error: ErrorDetails) -> str:
    hint = _HINTS.get(error["type"], FALLBACK_HINT)
    return hint.format(**error.get("ctx", {})) if "{" in hint else hint


def _line(loc: list[str], line_of: Callable[[str], int]) -> int:
    """The line of the list item an error is about (``questions.2``), else of its field."""
    if not loc:
        return 1
    if len(loc) > 1:
        item = line_of(f"{loc[0]}.{loc[1]}")
        if item > 1:  # Line 1 is the front matter's opening '---': the item has no line.
            return item
    return line_of(loc[0])


def _is_type_name(part: str) -> bool:
    return part[:1].isupper() or part in {"str", "int", "date", "datetime", "bool"} or ("[" in part)


def _message(error: ErrorDetails) -> str:
    text = error["msg"].removeprefix("Value error, ")
    if error["type"] == "missing":
        return "is required"
    if error["type"] == "extra_forbidden":
        return "is not a known field"
    got = error.get("input")
    if isinstance(got, dict | list) or got is None:
        return _lower_first(text)
    quoted = repr(got)
    if len(quoted) > MAX_QUOTED:
        quoted = quoted[: MAX_QUOTED - 2] + "…" + quoted[-1]
    return f"{_lower_first(text)}, got {quoted}"


def _lower_first(text: str) -> str:
    # "URL scheme should be…" keeps its acronym.
    if text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def unknown_fields(
    data: dict[str, Any],
    known: Iterable[str],
    path: str,
    line_of: Callable[[str], int],
) -> list[Problem]:
    """Warn about front-matter fields nobody reads, suggesting the closest known one."""
    known_list = sorted(known)
    problems = []
    for key in data:
        if key in known_list:
            continue
        close = difflib.get_close_matches(str(key), known_list, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "remove it or check its spelling"
        problems.append(
            Problem(
                path, line_of(str(key)), str(key), "is not a known field", Severity.WARNING, hint
            )
        )
    return problems
