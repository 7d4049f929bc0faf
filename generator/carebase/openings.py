"""Whether a page's description only repeats the start of its text.

An imported community article's description is the opening of the question (for search
results and link cards); shown under the title as well, readers would read it twice.
"""

from __future__ import annotations

import html
import re

_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_CUT = "…"


def repeats_opening(description: str, page_html: str) -> bool:
    """Whether ``description`` is the page's first paragraph, or its start cut with "…"."""
    if not description.strip():
        return False
    match = _FIRST_PARAGRAPH.search(page_html)
    if match is None:
        return False
    opening = _words(html.unescape(_TAG.sub("", match[1])))
    said = _words(description)
    if said.endswith(_CUT):
        return opening.startswith(said.removesuffix(_CUT).rstrip())
    return opening == said or opening == said.rstrip(".")


def _words(text: str) -> str:
    # Importers write typographic quotes where the forum had straight ones (plain_text).
    return " ".join(text.replace("”", '"').split())
