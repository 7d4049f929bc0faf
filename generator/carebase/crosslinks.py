"""Links from one language's pages into another's, marked so the theme lets them through.

Material's language switcher catches every click on a link into another language's tree and
sends the reader to the current page's translation instead. Links to an article published
only in the default language must reach that article: ``target="_self"`` tells Material to
leave them alone (it only handles links without a target).
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

_ANCHOR = re.compile(r'<a (?P<attrs>[^>]*?)href="(?P<href>[^"]*)"(?P<rest>[^>]*)>')


def leaves_language(href: str, page_url: str, lang: str) -> bool:
    """Whether a relative ``href`` on the page at ``page_url`` leads out of ``/<lang>/``."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "/")) or not parts.path:
        return False
    target = posixpath.normpath(posixpath.join(posixpath.dirname("/" + page_url), parts.path))
    return not (target + "/").startswith(f"/{lang}/")


def mark_cross_language_links(html: str, page_url: str, lang: str) -> str:
    """Add ``target="_self"`` to each link of ``html`` that leaves ``lang``'s tree."""

    def mark(match: re.Match[str]) -> str:
        tag = match[0]
        if "target=" in tag or not leaves_language(match["href"], page_url, lang):
            return tag
        return tag[:-1] + ' target="_self">'

    return _ANCHOR.sub(mark, html)
