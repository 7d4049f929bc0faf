"""An unexpected failure of the engine, told in one line that names the page to blame.

MkDocs turns its own errors (``PluginError``, ``Abort``) into one line, but anything else a
page makes a template, an extension or Python itself raise (a missing ``template:``, nesting
deep enough for a ``RecursionError``, an unwritable ``site_dir``, a busy port) leaves as a
traceback. :func:`describe` finds the page being read or built from the traceback's frames
(MkDocs' and ProperDocs' page functions both hold it in a local named ``page``), so the
message can say which file to fix.
"""

from __future__ import annotations

import errno
import re
import traceback
from pathlib import Path
from typing import Any

from carebase.errors import DEBUG_ENV

MAX_MESSAGE = 300
DEBUG_HINT = f"run with {DEBUG_ENV}=1 for the traceback"

_HINTS: dict[str, str] = {
    "TemplateNotFound": "check 'template:' in its front matter; templates live in theme/",
    "RecursionError": "the page nests too deeply (lists, quotes or emphasis hundreds of "
    "levels deep): flatten it",
    "UnicodeDecodeError": "save the file as UTF-8",
}


def describe(error: BaseException) -> str:
    """``error`` as ``path[:line: field]: Type: message; hint: …`` on one line."""
    # Jinja's TemplateNotFound is an OSError too, without an errno.
    if isinstance(error, OSError) and error.errno is not None:
        return _os_error(error)
    page = _page_of(error)
    kind = type(error).__name__
    message = _first_line(str(error)) or kind
    if kind == "RecursionError":
        message = "maximum recursion depth exceeded"
    elif kind == "TemplateNotFound":
        message = f"no template '{getattr(error, 'name', message)}' in the theme"
    where = _where(page, error)
    # The hints speak of the page: without one to blame they would mislead.
    hint = _HINTS.get(kind, "") if page is not None else ""
    return f"{where}{kind}: {message}; {_hint(hint)}"


def _hint(hint: str) -> str:
    return f"hint: {hint}; {DEBUG_HINT}" if hint else f"hint: {DEBUG_HINT}"


def _where(page: Any, error: BaseException) -> str:
    if page is None:
        return ""
    path = str(page.file.src_uri)
    template = _template_line(page, error)
    return f"{path}:{template}: template: " if template else f"{path}: "


def _template_line(page: Any, error: BaseException) -> int | None:
    """The front-matter line naming the missing template, when that is what failed."""
    meta = getattr(page, "meta", None) or {}
    if type(error).__name__ != "TemplateNotFound" or meta.get("template") != getattr(
        error, "name", None
    ):
        return None
    try:
        lines = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError, TypeError):
        return None
    return next(
        (n for n, line in enumerate(lines, 1) if re.match(r"template\s*:", line)),
        None,
    )


def _page_of(error: BaseException) -> Any:
    """The innermost page being read or built when ``error`` was raised, if any."""
    found = None
    for frame, _line in traceback.walk_tb(error.__traceback__):
        page = frame.f_locals.get("page")
        if _is_page(page):
            found = page
    return found


def _is_page(value: Any) -> bool:
    file = getattr(value, "file", None)
    return isinstance(getattr(file, "src_uri", None), str)


def _os_error(error: OSError) -> str:
    reason = error.strerror or _first_line(str(error)) or type(error).__name__
    if error.errno == errno.EADDRINUSE:
        address = _server_address(error)
        return (
            f"{address}: port in use ({reason}); hint: stop the other server, or serve "
            "elsewhere with --dev-addr 127.0.0.1:<another port>"
        )
    where = f"{error.filename}: " if error.filename else ""
    if error.errno in {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT, errno.ENOTDIR}:
        hint = "choose a folder you can write to with --site-dir (or site_dir in mkdocs.yml)"
        return f"{where}cannot be written: {reason}; hint: {hint}"
    return f"{where}{reason}; {_hint('')}"


def _server_address(error: BaseException) -> str:
    """``host:port`` of the server that failed to bind, from its ``self`` in the traceback."""
    for frame, _line in traceback.walk_tb(error.__traceback__):
        address = getattr(frame.f_locals.get("self"), "server_address", None)
        if isinstance(address, tuple) and len(address) >= 2:
            return f"{address[0]}:{address[1]}"
    return "the address"


def _first_line(text: str) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"
