"""Internal links in Markdown: inline links, images and reference definitions, with lines.

Pure functions of text. Code (fenced blocks and inline code spans) and HTML comments are
masked first, so examples of Markdown inside code never count as links.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote

_FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BACKTICKS = re.compile(r"`+")
_INLINE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
    r"\([ \t]*\n?[ \t]*(?P<target><[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
)
_DEFINITION = re.compile(
    r"^ {0,3}\[(?P<id>[^\]^\n][^\]\n]*)\]:[ \t]*\n?[ \t]*(?P<target><[^<>\n]*>|\S+)",
    re.MULTILINE,
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


class LinkKind(StrEnum):
    """How a link is written; also the field name problems about it are reported under."""

    LINK = "link"
    IMAGE = "image"
    REFERENCE = "reference"


@dataclass(frozen=True)
class Link:
    """An internal link target and the 1-based line it is on, counted from the body's start."""

    target: str
    line: int
    kind: LinkKind = LinkKind.LINK

    @property
    def path(self) -> str:
        """The target without ``#anchor`` or ``?query``, percent-decoded."""
        return unquote(strip_fragment(self.target))


def find_links(body: str) -> list[Link]:
    """Every internal link of ``body`` in order: not external, not a bare ``#anchor``."""
    text = mask_code(body)
    found = _inline_links(text, 0) + _definitions(text)
    found.sort(key=lambda item: item[0])
    return [
        Link(target, text.count("\n", 0, offset) + 1, kind)
        for offset, target, kind in found
        if is_internal(target)
    ]


def is_internal(target: str) -> bool:
    """Whether a target points into the site: no scheme, not ``//host``, not only an anchor."""
    target = target.strip()
    return bool(target) and not (
        target.startswith(("#", "//")) or _SCHEME.match(target) is not None
    )


def strip_fragment(target: str) -> str:
    """``page.md#part?x`` → ``page.md``."""
    return target.split("#", 1)[0].split("?", 1)[0]


def resolve(source: str, target: str) -> str | None:
    """The docs-relative path ``target`` points to from the file ``source``.

    Relative targets start at the source's folder, ``/``-rooted ones at the docs folder.
    Returns ``""`` for the docs folder itself and None for targets outside it.
    """
    if target.startswith("/"):
        joined = target.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(source), target)
    normalised = posixpath.normpath(joined) if joined else "."
    if normalised == ".." or normalised.startswith("../"):
        return None
    return "" if normalised == "." else normalised


def mask_code(text: str) -> str:
    """Blank out fenced code, inline code and HTML comments, keeping every line break."""
    text = _mask_fences(text)
    text = _COMMENT.sub(_blank, text)
    return _mask_code_spans(text)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match[0])


def _mask_fences(text: str) -> str:
    lines = text.split("\n")
    fence: str | None = None
    for number, line in enumerate(lines):
        if fence is None:
            match = _FENCE_OPEN.match(line)
            if match and not (match["fence"][0] == "`" and "`" in match["info"]):
                fence = match["fence"]
                lines[number] = ""
        else:
            if _closes(line, fence):
                fence = None
            lines[number] = ""
    return "\n".join(lines)


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def _mask_code_spans(text: str) -> str:
    chars = list(text)
    position = 0
    while match := _BACKTICKS.search(text, position):
        closer = re.compile(rf"(?<!`){match[0]}(?!`)").search(text, match.end())
        if closer is None:
            position = match.end()
            continue
        for index in range(match.start(), closer.end()):
            if chars[index] != "\n":
                chars[index] = " "
        position = closer.end()
    return "".join(chars)


def _inline_links(text: str, offset: int) -> list[tuple[int, str, LinkKind]]:
    found: list[tuple[int, str, LinkKind]] = []
    for match in _INLINE.finditer(text):
        kind = LinkKind.IMAGE if match["bang"] else LinkKind.LINK
        found.append((offset + match.start("target"), _unwrap(match["target"]), kind))
        # An image inside a link's text (a linked badge) is a link of its own.
        found.extend(_inline_links(match["text"], offset + match.start("text")))
    return found


def _definitions(text: str) -> list[tuple[int, str, LinkKind]]:
    return [
        (match.start("target"), _unwrap(match["target"]), LinkKind.REFERENCE)
        for match in _DEFINITION.finditer(text)
    ]


def _unwrap(target: str) -> str:
    return target[1:-1].strip() if target.startswith("<") and target.endswith(">") else target
