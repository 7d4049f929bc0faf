"""Leaner pages: the indentation templates leave in HTML, removed without changing rendering.

Material's templates are indented for people; browsers collapse a newline followed by spaces
to one space, exactly as they collapse a bare newline, so the indentation is bytes nobody sees:
about 4.5 KB of a 28 KB article page. It matters where whitespace is kept as written:
``<pre>`` and ``<textarea>`` (and ``<script>``, whose strings could hold it) stay untouched.
"""

from __future__ import annotations

import re

_KEPT = re.compile(r"<(pre|textarea|script)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")


def strip_indentation(html: str) -> str:
    """``html`` without leading whitespace on its lines or blank lines, outside kept elements."""
    parts: list[str] = []
    position = 0
    for kept in _KEPT.finditer(html):
        parts.append(_INDENT.sub("\n", html[position : kept.start()]))
        parts.append(kept.group(0))
        position = kept.end()
    parts.append(_INDENT.sub("\n", html[position:]))
    return "".join(parts)
