"""A page's ``template``: a file of the theme, named by a plain path inside it.

MkDocs renders the page with that template in a subprocess; a misspelt or escaping name would
crash it there, so the check finds it first, with the line and a suggestion.
"""

from __future__ import annotations

import difflib
import os
from functools import lru_cache
from pathlib import Path

from carebase.documents import Document
from carebase.errors import Problem
from carebase.paths import unsafe_reason


def template_problems(document: Document, dirs: tuple[Path, ...]) -> list[Problem]:
    """The problem with ``document``'s ``template`` field, looked up in ``dirs`` (in order)."""
    value = document.meta.get("template")
    if value is None or not dirs:
        return []
    line = document.line_of("template")
    if not isinstance(value, str):
        return [_problem(document, line, f"must be a file name, got {value!r}", "")]
    reason = unsafe_reason(value)
    if reason is not None:
        return [_problem(document, line, f"'{value}' {reason}", "")]
    if any((folder / value).is_file() for folder in dirs):
        return []
    close = difflib.get_close_matches(value, template_names(dirs), n=1)
    hint = f"did you mean '{close[0]}'?" if close else ""
    return [_problem(document, line, f"'{value}' is not a template of the theme", hint)]


def _problem(document: Document, line: int, message: str, hint: str) -> Problem:
    fallback = "name a template of the theme (its custom_dir or the theme's own), like 'main.html'"
    return Problem(document.path, line, "template", message, hint=hint or fallback)


@lru_cache(maxsize=8)
def template_names(dirs: tuple[Path, ...]) -> list[str]:
    """Every HTML template in ``dirs``, as the paths a page names them by."""
    names: set[str] = set()
    for folder in dirs:
        for parent, _subfolders, files in os.walk(folder):
            relative = Path(parent).relative_to(folder)
            names.update((relative / name).as_posix() for name in files if name.endswith(".html"))
    return sorted(names)
