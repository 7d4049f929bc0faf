"""GitHub-flavoured Markdown that our Markdown would not understand: references, closing
keywords, and the images to download. Pure functions; code and links are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_VERBATIM = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^(?P=fence)[ \t]*$|\Z)"  # fenced code
    r"|(?P<ticks>`+).+?(?P=ticks)"  # code span
    r"|!?\[[^\]\n]*\]\([^)\n]*\)"  # link or image
    r"|<[^>\n]+>",  # HTML tag or autolink
    re.MULTILINE | re.DOTALL,
)
_REFERENCE = re.compile(r"(?<![\w/#&.-])(?P<repo>[\w.-]+/[\w.-]+)?#(?P<number>\d+)\b")
_CLOSING = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+"
    r"(?P<ref>(?:[\w.-]+/[\w.-]+)?#\d+|https?://[^\s)>\]]+/issues/\d+)",
    re.IGNORECASE,
)
_IMAGE = re.compile(
    r"!\[[^\]\n]*\]\(\s*<?(?P<md>https?://[^)\s>]+)"
    r"|<img\b[^>]*?\bsrc\s*=\s*[\"']?(?P<html>https?://[^\"'\s>]+)",
    re.IGNORECASE,
)


def _prose(markdown: str) -> Iterator[tuple[bool, str]]:
    """``markdown`` in pieces, each marked as prose (True) or verbatim: code, links, tags."""
    last = 0
    for match in _VERBATIM.finditer(markdown):
        yield True, markdown[last : match.start()]
        yield False, match.group()
        last = match.end()
    yield True, markdown[last:]


def _issue_url(match: re.Match[str], web: str) -> str:
    root = web.rsplit("/", 2)[0]
    repository = f"{root}/{match['repo']}" if match["repo"] else web
    return f"{repository}/issues/{match['number']}"


def autolink_references(markdown: str, web: str) -> str:
    """GitHub's ``#12`` and ``owner/repo#12`` as Markdown links, outside code and links.

    ``web`` is the repository's address (``https://github.com/owner/repo``); GitHub
    redirects ``/issues/12`` to the pull request or discussion of that number.
    """

    def link(match: re.Match[str]) -> str:
        return f"[{match.group()}]({_issue_url(match, web)})"

    return "".join(
        _REFERENCE.sub(link, piece) if prose else piece for prose, piece in _prose(markdown)
    )


def closing_references(markdown: str, web: str) -> list[str]:
    """URLs of the issues a pull request's body closes (``Fixes #12``), outside code."""
    urls: list[str] = []
    for prose, piece in _prose(markdown):
        for match in _CLOSING.finditer(piece) if prose else ():
            ref = match["ref"]
            reference = _REFERENCE.fullmatch(ref)
            urls.append(_issue_url(reference, web) if reference else ref.rstrip(".,;:"))
    return _unique(urls)


def image_urls(texts: Iterable[str]) -> tuple[str, ...]:
    """Addresses of the images in Markdown texts (``![alt](url)`` and ``<img src>``)."""
    found = [m["md"] or m["html"] for text in texts for m in _IMAGE.finditer(text)]
    return tuple(_unique(found))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
