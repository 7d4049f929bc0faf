"""Article bodies to HTML without MkDocs: pyromark (pulldown-cmark) in Python-Markdown's clothes.

MkDocs renders a page with Python-Markdown and the site's extensions (``toc`` with
permalinks, ``tables``, ``admonition``, ``pymdownx.details``, ``pymdownx.superfences``,
``attr_list``, ``md_in_html``). Python-Markdown is slow; pulldown-cmark is fast but speaks
CommonMark, a different dialect. This module renders the common subset of both dialects
byte-identically to MkDocs, and :func:`slow_lane_reason` refuses, conservatively, every
body that strays outside that subset, naming the first line that does.

The subset, checked block by block (blocks are separated by blank lines):

* paragraphs of plain lines; inline code, ``*em*``, ``**strong**``, ``[links](url)`` and
  ``![images](url)`` with plain destinations, backslash escapes of ``[]*_#.!()+-``, hard
  breaks of exactly two trailing spaces, ``_`` only inside words;
* ATX headings (``## Title``), ``---`` rules, ``> `` block quotes of plain lines;
* lists of single-line items with one marker per list, nested by exactly four spaces;
  no list (or quote) right after another, which Python-Markdown would merge;
* pipe tables with outer pipes, a delimiter row and no empty cell;
* backtick fences with a plain language word;
* ``!!!`` admonitions and ``???``/``???+`` details whose bodies, indented by four spaces,
  are themselves in the subset.

Raw HTML, entities, tabs, attribute lists, setext headings, reference links, footnotes,
indented code, lazy or loose lists and everything else take the slow lane.

Rendering: each run of ordinary blocks goes through ``pyromark.html`` in one call; the
output is then reshaped where Python-Markdown writes the same tree differently (heading ids
and permalinks, table layout, nested lists, ``<ol start>``, attribute order and quoting) and
every ``href``/``src`` goes through ``rewrite_url``. Code blocks are highlighted with Pygments
and the formatter pymdownx.highlight builds with its defaults, which is what superfences
does. Admonitions are wrapped around their rendered bodies.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyromark

__all__ = ["Heading", "Rendered", "render", "slow_lane_reason"]


@dataclass(frozen=True)
class Heading:
    """One entry of the table of contents, like MkDocs' ``AnchorLink``."""

    title: str
    id: str
    level: int
    children: tuple[Heading, ...]


@dataclass(frozen=True)
class Rendered:
    """A rendered body: what MkDocs puts in ``page.content``, ``page.toc`` and the h1 title."""

    html: str
    toc: tuple[Heading, ...]
    title: str | None


# --- the dialect check -----------------------------------------------------------------------


class _SlowLane(Exception):
    """A construct the fast lane cannot prove it renders like Python-Markdown."""

    def __init__(self, line: int, why: str) -> None:
        super().__init__(f"line {line}: {why}")


@dataclass
class _Admonition:
    """``!!! kind "title"`` (a div) or ``???``/``???+`` (details) with its parsed body."""

    marker: str
    kind: str
    title: str | None
    body: list[_Node]


@dataclass
class _Markdown:
    """A run of ordinary blocks, rendered by pyromark in one go."""

    blocks: list[str] = field(default_factory=list)


_Node = _Admonition | _Markdown

ADMONITION = re.compile(r'(!!!|\?\?\?\+?) ([a-z]+)(?: "([^"]*)")?')
FENCE_OPEN = re.compile(r"```([A-Za-z0-9_+-]*)")
HEADING = re.compile(r"(#{1,6}) (\S.*)")
RULES = frozenset({"---", "***", "___"})
BULLET = re.compile(r"([-*+]) (\S.*)")
NUMBERED = re.compile(r"(\d{1,2})\. (\S.*)")
LIST_INDENT = re.compile(r"(?:    )*")
TABLE_DELIMITER = re.compile(r"\|(?: *:?-+:? *\|)+")
QUOTE = re.compile(r"> (\S.*)")
# Lines a paragraph must not start with: block markers of either dialect.
BLOCK_START = re.compile(
    r"[ #>|=<]|-+ *$|```|~~~|[-*+_](?: |$)|[-*_]{3}|\d+[.)](?: |$)|!!!|\?\?\?|\[[^\]]*\]:|\{"
)

BLOCK_START_LINE = re.compile(f"^(?:{BLOCK_START.pattern})", re.MULTILINE)

CODE_SPAN = re.compile(r"(?<!`)`([^`\s]|[^`\s][^`]*[^`\s])`(?!`)")
# Destinations of characters neither dialect encodes nor escapes differently.
LINK = re.compile(r'(!?)\[([^\[\]]*)\]\(([A-Za-z0-9\-._~/:?#@!$+,;=%&]+)(?: "([^"\\]+)")?\)')
STRONG = re.compile(r"(?<![\w*])\*\*([^\s*](?:[^*]*[^\s*])?)\*\*(?![\w*])")
EMPHASIS = re.compile(r"(?<![\w*])\*([^\s*](?:[^*]*[^\s*])?)\*(?![\w*])")
INTRAWORD_UNDERSCORE = re.compile(r"(?<=[A-Za-z0-9])_+(?=[A-Za-z0-9])")
# Backslash escapes both dialects read as the bare character.
ESCAPE = re.compile(r"\\[\[\]*_#.!()+-]")
ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
RAW_HTML = re.compile(r"<[A-Za-z/!?]")
CONTROL = re.compile(r"[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
SPACES_ONLY = re.compile(r"\n +(?=\n)")
SPECIAL = re.compile(r"[\\`*_\[\]<&{}~^$|]")
FORBIDDEN = {
    "\\": "a backslash",
    "[": "a bracket outside a plain link",
    "]": "a bracket outside a plain link",
    "`": "an unusual code span",
    "*": "emphasis the two dialects may read differently",
    "_": "an underscore outside a word",
    "{": "a brace (attr_list)",
    "}": "a brace (attr_list)",
    "~": "a tilde",
    "^": "a caret",
    "$": "a dollar sign",
    "|": "a pipe outside a table",
}


def _inline_problem(text: str, *, in_heading: bool = False) -> str | None:
    """Why ``text`` (one line or table cell) may render differently inline, or None."""
    if not SPECIAL.search(text):
        return None
    if "`" in text:
        text = CODE_SPAN.sub("C", text)
    if "\\" in text:
        text = ESCAPE.sub("E", text)
    if "<" in text and RAW_HTML.search(text):
        return "raw HTML"
    if "&" in text and ENTITY.search(text):
        return "an HTML entity"
    if "[" in text:
        problem = _link_problem(text, in_heading=in_heading)
        if problem:
            return problem
        text = LINK.sub("L", text)
    if "*" in text:
        text = EMPHASIS.sub(_inner, STRONG.sub(_inner, text))
    if "_" in text:
        text = INTRAWORD_UNDERSCORE.sub("", text)
    for char, why in FORBIDDEN.items():
        if char in text:
            return why
    return None


def _inner(match: re.Match[str]) -> str:
    return match[1]


def _link_problem(text: str, *, in_heading: bool) -> str | None:
    """What in the links and images of ``text`` may render differently, or None."""
    for link in LINK.finditer(text):
        image, label = link[1], link[2]
        if in_heading and image:
            return "an image in a heading"
        if image and set(label) & set("*`_\\"):
            return "markup in an image's alt text"
        inner = _inline_problem(label, in_heading=in_heading) if label.strip() else "empty"
        if inner:
            return f"link text: {inner}"
    return None


def _check_inline(number: int, text: str, *, in_heading: bool = False) -> None:
    problem = _inline_problem(text, in_heading=in_heading)
    if problem:
        raise _SlowLane(number, f"{problem} in {text.strip()[:40]!r}")


def _check_trailing_space(number: int, line: str, *, last: bool) -> None:
    """Only two trailing spaces inside a paragraph are read alike (a hard break)."""
    stripped = line.rstrip(" ")
    spaces = len(line) - len(stripped)
    if spaces and (last or spaces != 2):
        raise _SlowLane(number, f"{spaces} trailing space(s)")


def _plain_paragraph(lines: list[str]) -> bool:
    """The quick answer for most paragraphs: no marker, no trailing space, nothing special."""
    text = "\n".join(lines)
    return not (
        text.endswith(" ") or " \n" in text or SPECIAL.search(text) or BLOCK_START_LINE.search(text)
    )


def _check_paragraph(first: int, lines: list[str]) -> None:
    if _plain_paragraph(lines):
        return
    for offset, line in enumerate(lines):
        number = first + offset
        if BLOCK_START.match(line):
            raise _SlowLane(number, f"a block marker inside a paragraph: {line[:20]!r}")
        _check_trailing_space(number, line, last=offset == len(lines) - 1)
        _check_inline(number, line)


def _check_heading(number: int, line: str) -> None:
    match = HEADING.fullmatch(line)
    if match is None or line.endswith("#") or line.endswith(" "):
        raise _SlowLane(number, f"an unusual heading {line[:30]!r}")
    _check_inline(number, match[2], in_heading=True)


def _list_marker(line: str) -> tuple[str, str] | None:
    """``("-", text)`` or ``("1.", text)`` for a list item line, None for other lines."""
    bullet = BULLET.fullmatch(line)
    if bullet:
        return bullet[1], bullet[2]
    numbered = NUMBERED.fullmatch(line)
    if numbered:
        return ("1." if numbered[1] == "1" else "."), numbered[2]
    return None


def _check_list(first: int, lines: list[str]) -> None:
    """Single-line items, nested by exactly four spaces, one marker kind per (sub)list."""
    stack: list[tuple[int, str]] = []
    for offset, line in enumerate(lines):
        number = first + offset
        indent = len(LIST_INDENT.match(line)[0])  # type: ignore[index]
        item = _list_marker(line[indent:])
        if item is None:
            raise _SlowLane(number, "a list item over several lines")
        if not stack or indent > stack[-1][0]:
            if indent != (stack[-1][0] + 4 if stack else 0):
                raise _SlowLane(number, "a list nested by other than four spaces")
            if stack and item[0] == ".":
                # CommonMark reads it as the item's text going on: only 1. interrupts it.
                raise _SlowLane(number, "a nested numbered list not starting at 1")
            stack.append((indent, "." if item[0] == "1." else item[0]))
        while indent < stack[-1][0]:
            stack.pop()
        if stack[-1] != (indent, "." if item[0] == "1." else item[0]):
            raise _SlowLane(number, "a list mixing markers")
        if BLOCK_START.match(item[1]):
            raise _SlowLane(number, "a block marker in a list item")
        _check_trailing_space(number, line, last=True)
        _check_inline(number, item[1])


def _table_cells(line: str) -> list[str]:
    return line[1:-1].split("|")


def _check_table(first: int, lines: list[str]) -> None:
    if len(lines) < 3 or not TABLE_DELIMITER.fullmatch(lines[1]):
        raise _SlowLane(first, "an unusual table")
    columns = len(_table_cells(lines[1]))
    for offset, line in enumerate(lines):
        number = first + offset
        if not (line.startswith("|") and line.endswith("|")) or len(line) < 2:
            raise _SlowLane(number, "a table row without outer pipes")
        cells = _table_cells(line)
        if len(cells) != columns:
            raise _SlowLane(number, "a table row with a different number of cells")
        if offset == 1:
            continue
        for cell in cells:
            if not cell.strip() or BLOCK_START.match(cell.strip()):
                raise _SlowLane(number, "an empty or unusual table cell")
            _check_inline(number, cell.strip())


def _check_quote(first: int, lines: list[str]) -> None:
    texts = []
    for offset, line in enumerate(lines):
        match = QUOTE.fullmatch(line)
        if match is None:
            raise _SlowLane(first + offset, "an unusual block quote")
        texts.append(match[1])
    _check_paragraph(first, texts)


def _block_kind(line: str) -> str:
    """What a block starting with ``line`` is, by its first line."""
    if line.startswith("#"):
        return "heading"
    if line in RULES:
        return "rule"
    if line.startswith("|"):
        return "table"
    if line.startswith(">"):
        return "quote"
    if _list_marker(line):
        return "list"
    return "paragraph"


def _check_block(first: int, lines: list[str], kind: str) -> None:
    if kind in ("heading", "rule") and len(lines) > 1:
        raise _SlowLane(first + 1, f"a line right after a {kind}")
    if kind == "heading":
        _check_heading(first, lines[0])
    elif kind == "table":
        _check_table(first, lines)
    elif kind == "quote":
        _check_quote(first, lines)
    elif kind == "list":
        _check_list(first, lines)
    elif kind == "paragraph":
        _check_paragraph(first, lines)


def _is_blank(line: str) -> bool:
    return not line.strip(" ")


def _fence_end(lines: Sequence[str], start: int, first: int) -> int:
    """Index of the closing fence of the fence opened at ``lines[start]``."""
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line == "```":
            return index
        if line.lstrip(" ").startswith(("```", "~~~")):
            raise _SlowLane(first + index, "a fence-like line inside a fence")
    raise _SlowLane(first + start, "a fence that is never closed")


def _admonition_end(lines: Sequence[str], start: int) -> int:
    """Index just past the last indented line of the admonition at ``lines[start]``."""
    end = start + 1
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if _is_blank(line):
            continue
        if not line.startswith("    "):
            break
        end = index + 1
    return end


class _Parser:
    """Splits a body into runs of ordinary blocks and admonitions, checking each."""

    def __init__(self, lines: Sequence[str], first: int) -> None:
        self.lines = lines
        self.first = first
        self.nodes: list[_Node] = []
        self.previous = ""

    def markdown(self) -> _Markdown:
        if not self.nodes or not isinstance(self.nodes[-1], _Markdown):
            self.nodes.append(_Markdown())
        node = self.nodes[-1]
        assert isinstance(node, _Markdown)
        return node

    def expect_blank(self, index: int) -> None:
        if index < len(self.lines) and not _is_blank(self.lines[index]):
            raise _SlowLane(self.first + index, "no blank line before this block")

    def parse(self) -> list[_Node]:
        """Blank lines are exactly "" here: :func:`_lines` emptied lines of spaces."""
        index, lines = 0, self.lines
        while index < len(lines):
            if lines[index]:
                index = self.block(index)
            else:
                index += 1
        return self.nodes

    def block_end(self, index: int) -> int:
        """Index of the blank line ending the block at ``index``, or the end."""
        try:
            return self.lines.index("", index)
        except ValueError:
            return len(self.lines)

    def block(self, index: int) -> int:
        line, number = self.lines[index], self.first + index
        if line.startswith((" ", "\t")):
            raise _SlowLane(number, "an indented line outside an admonition")
        if ADMONITION.match(line):
            return self.admonition(index)
        if line.startswith("```"):
            return self.fence(index)
        end = self.block_end(index)
        kind = _block_kind(line)
        if kind in ("list", "quote") and self.previous == kind:
            # Python-Markdown carries on the first one across the blank line.
            raise _SlowLane(number, f"a {kind} right after a {kind}")
        block = list(self.lines[index:end])
        _check_block(number, block, kind)
        self.markdown().blocks.append("\n".join(block))
        self.previous = kind
        return end

    def fence(self, index: int) -> int:
        line, number = self.lines[index], self.first + index
        if not FENCE_OPEN.fullmatch(line):
            raise _SlowLane(number, f"an unusual fence {line[:30]!r}")
        end = _fence_end(self.lines, index, self.first)
        if end == index + 1:
            raise _SlowLane(number, "an empty fence")
        self.expect_blank(end + 1)
        self.markdown().blocks.append("\n".join(self.lines[index : end + 1]))
        self.previous = "fence"
        return end + 1

    def admonition(self, index: int) -> int:
        line, number = self.lines[index], self.first + index
        match = ADMONITION.fullmatch(line)
        if match is None:
            raise _SlowLane(number, f"an unusual admonition {line[:40]!r}")
        marker, kind, title = match[1], match[2], match[3]
        if title is not None and (not title.strip() or title != title.strip()):
            raise _SlowLane(number, "an admonition with a blank or padded title")
        if title is not None and (
            RAW_HTML.search(title) or ENTITY.search(title) or set(title) & set("*_`[]\\{}<")
        ):
            raise _SlowLane(number, "markup in an admonition title")
        end = _admonition_end(self.lines, index)
        if end == index + 1 or _is_blank(self.lines[index + 1]):
            raise _SlowLane(number, "an admonition without a body right below it")
        self.expect_blank(end)
        body = [item[4:] for item in self.lines[index + 1 : end]]
        nodes = _Parser(body, number + 1).parse()
        self.nodes.append(_Admonition(marker, kind, title, nodes))
        self.previous = "admonition"
        return end


@functools.lru_cache(maxsize=16)
def _parse(markdown: str) -> list[_Node]:
    """The body's nodes (cached: render usually follows slow_lane_reason on the same body)."""
    control = CONTROL.search(markdown)
    if control:
        line = 1 + markdown[: control.start()].count("\n")
        raise _SlowLane(line, "a tab, carriage return or control character")
    return _Parser(_lines(markdown), 1).parse()


def _lines(markdown: str) -> list[str]:
    """The body's lines, those of spaces only made empty (as Python-Markdown does first)."""
    lines = SPACES_ONLY.sub("\n", markdown).split("\n")
    for index in (0, -1):
        if not lines[index].strip(" "):
            lines[index] = ""
    return lines


EXTENSIONS = frozenset(
    {
        "toc",
        "tables",
        "fenced_code",
        "admonition",
        "attr_list",
        "md_in_html",
        "pymdownx.details",
        "pymdownx.superfences",
    }
)
"""The Python-Markdown extensions whose output this module reproduces (MkDocs adds the
first three to every site)."""
EXTENSION_OPTIONS: dict[str, dict[str, Any]] = {"toc": {"permalink": True}}
"""Their options as this module reproduces them; the others with their defaults."""


def unsupported_setup(extensions: Sequence[str], options: Mapping[str, Any]) -> str | None:
    """Why a site's Markdown set-up is not the one this module reproduces, or None.

    ``extensions``: the extension names the site enables; ``options``: their options.
    Every extension changes what some Markdown becomes, so the set must be exactly
    :data:`EXTENSIONS`, with :data:`EXTENSION_OPTIONS`.
    """
    names = {name for name in extensions if isinstance(name, str)}
    extra = sorted(names - EXTENSIONS)
    if extra:
        return f"markdown_extensions has {', '.join(extra)}"
    missing = sorted(EXTENSIONS - names)
    if missing:
        return f"markdown_extensions lacks {', '.join(missing)}"
    for name in EXTENSIONS:
        if dict(options.get(name) or {}) != EXTENSION_OPTIONS.get(name, {}):
            return f"markdown_extensions: {name} has options {dict(options.get(name) or {})}"
    return None


def slow_lane_reason(markdown: str) -> str | None:
    """Why this body needs Python-Markdown (e.g. "line 12: raw HTML in '<div>'"), or None.

    None means the fast lane renders it byte-identically to MkDocs.
    """
    try:
        _parse(markdown)
    except _SlowLane as slow:
        return str(slow)
    return None


# --- rendering -------------------------------------------------------------------------------


SLUG_DROP = re.compile(r"[^\w\s-]")
SLUG_JOIN = re.compile(r"[-\s]+")


@functools.lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    """Python-Markdown's toc slugify (separator ``-``)."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return SLUG_JOIN.sub("-", SLUG_DROP.sub("", value).strip().lower())


IDCOUNT = re.compile(r"^(.*)_([0-9]+)$")


def _unique(anchor: str, used: set[str]) -> str:
    """Python-Markdown's toc ``unique``: ``anchor``, else the next free ``base_N``."""
    if anchor in used or not anchor:
        match = IDCOUNT.match(anchor)
        base, count = (match[1], int(match[2])) if match else (anchor, 0)
        while anchor in used or not anchor:
            count += 1
            anchor = f"{base}_{count}"
    used.add(anchor)
    return anchor


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str) -> str:
    return _escape(text).replace('"', "&quot;").replace("\n", "&#10;")


TAG = re.compile(r"<[^>]*>")


def _toc_name(inner_html: str) -> str:
    """The toc's ``strip_tags`` of a heading's inner HTML."""
    return " ".join((TAG.sub("", inner_html) if "<" in inner_html else inner_html).split())


@functools.cache
def _formatter() -> Any:
    """The Pygments formatter pymdownx.highlight builds for a block, with its defaults."""
    from pymdownx.highlight import BlockHtmlFormatter  # type: ignore[import-untyped]

    return BlockHtmlFormatter(
        cssclass="highlight",
        linenos=False,
        linenostart=1,
        linenostep=1,
        linenospecial=0,
        style="default",
        noclasses=False,
        hl_lines=[],
        wrapcode=True,
        filename="",
        linespans="",
        lineanchors="",
        anchorlinenos=False,
    )


@functools.cache
def _lexer(language: str) -> Any:
    """pymdownx.highlight's lexer choice: by name, else plain text (guess_lang is off)."""
    from pygments.lexers import get_lexer_by_name  # type: ignore[import-untyped]

    try:
        return get_lexer_by_name(language, stripnl=True)
    except Exception:
        return get_lexer_by_name("text", stripnl=True)


@functools.lru_cache(maxsize=1024)
def _highlight(language: str, code: str) -> str:
    """A fenced block exactly as pymdownx.superfences renders it (Pygments, default config)."""
    import pygments  # type: ignore[import-untyped]

    return str(pygments.highlight(code, _lexer(language), _formatter())).removesuffix("\n")


@dataclass
class _State:
    """What one render collects: ids taken, headings met (level, id, name), the h1 title."""

    rewrite_url: Callable[[str], str]
    used: set[str] = field(default_factory=set)
    flat: list[tuple[int, str, str]] = field(default_factory=list)


OPTIONS = pyromark.Options.ENABLE_TABLES
# What pulldown-cmark writes that needs Python-Markdown's touch, in document order.
REWRITES = re.compile(
    r'<(?:h([1-6])>(.*?)</h\1>|a href="([^"]*)"( title="[^"]*")?'
    r'|img src="([^"]*)" alt="([^"]*)"( title="[^"]*")?|table>.*?</table>)',
    re.DOTALL,
)
TABLE_BREAK = re.compile(r"(<table>|<thead>|<tbody>|<tr>|</th>|</td>|</tr>|</thead>|</tbody>)")
TABLE_ALIGN = re.compile(r'(<t[hd] style="text-align: [a-z]+)"')
HREF = re.compile(r'<a href="([^"]*)"( title="[^"]*")?')
# A list nested in an item follows the item's text directly in Python-Markdown.
NESTED_LIST = re.compile(r"(<li>(?:(?!</li>)[^\n])*)\n(?=<[ou]l>)")
# Python-Markdown's lazy_ol ignores the first number.
OL_START = re.compile(r'<ol start="[0-9]+">')


def _code_block(language: str | None, code: str) -> str:
    return _highlight(language or "", code)


def _rewrite_links(html_text: str, state: _State) -> str:
    """``<a href>`` values through ``rewrite_url``, escaped as Python-Markdown does."""

    def link(match: re.Match[str]) -> str:
        return _link(match[1], match[2], state)

    return HREF.sub(link, html_text) if "<a " in html_text else html_text


def _apostrophes(attribute: str | None) -> str:
    """pulldown-cmark writes ``'`` in attributes as ``&#39;``; Python-Markdown leaves it."""
    return attribute.replace("&#39;", "'") if attribute else ""


def _link(href: str, title: str | None, state: _State) -> str:
    url = _escape_attribute(state.rewrite_url(html.unescape(href)))
    return f'<a href="{url}"{_apostrophes(title)}'


def _image(src: str, alt: str, title: str | None, state: _State) -> str:
    url = _escape_attribute(state.rewrite_url(html.unescape(src)))
    return f'<img alt="{_apostrophes(alt)}" src="{url}"{_apostrophes(title)}'


def _heading(level: int, inner: str, state: _State) -> str:
    """``<hN id=…>…permalink</hN>`` with the id the toc extension gives it."""
    inner = _rewrite_links(inner, state)
    name = _toc_name(inner)
    anchor = _unique(_slug(html.unescape(name)), state.used)
    state.flat.append((level, anchor, name))
    href = _escape_attribute(state.rewrite_url("#" + anchor))
    return (
        f'<h{level} id="{anchor}">{inner}<a class="headerlink" href="{href}"'
        f' title="Permanent link">&para;</a></h{level}>'
    )


def _table(table: str) -> str:
    """pulldown-cmark's compact table laid out one tag a line, with ``;`` after alignments."""
    table = TABLE_BREAK.sub(r"\1\n", table.replace("\n", ""))
    return TABLE_ALIGN.sub(r'\1;"', table)


def _python_markdown_html(html_text: str, state: _State) -> str:
    """pulldown-cmark's HTML as Python-Markdown writes the same tree, URLs rewritten."""

    def rewrite(match: re.Match[str]) -> str:
        if match[1]:
            return _heading(int(match[1]), match[2], state)
        if match[3] is not None:
            return _link(match[3], match[4], state)
        if match[5] is not None:
            return _image(match[5], match[6], match[7], state)
        return _table(_rewrite_links(match[0], state))

    if "<ol start" in html_text:
        html_text = OL_START.sub("<ol>", html_text)
    if "<li>" in html_text:
        html_text = NESTED_LIST.sub(r"\1", html_text)
    return REWRITES.sub(rewrite, html_text)


def _render_nodes(nodes: list[_Node], state: _State) -> list[str]:
    parts = []
    for node in nodes:
        if isinstance(node, _Markdown):
            text = "\n\n".join(node.blocks)
            out = pyromark.html(text, options=OPTIONS, highlight=_code_block)
            parts.append(_python_markdown_html(out, state))
        else:
            parts.append(_render_admonition(node, state))
    return parts


def _render_admonition(node: _Admonition, state: _State) -> str:
    title = _escape(node.kind.capitalize() if node.title is None else node.title)
    if node.marker == "!!!":
        head = f'<div class="admonition {node.kind}">\n<p class="admonition-title">{title}</p>\n'
        tail = "</div>\n"
    else:
        opened = ' open="open"' if node.marker == "???+" else ""
        head = f'<details class="{node.kind}"{opened}>\n<summary>{title}</summary>\n'
        tail = "</details>\n"
    return head + "".join(_render_nodes(node.body, state)) + tail


@dataclass
class _Token:
    """A toc entry while nesting: Python-Markdown's toc token."""

    level: int
    id: str
    name: str
    children: list[_Token] = field(default_factory=list)

    def freeze(self) -> Heading:
        children = tuple(child.freeze() for child in self.children)
        return Heading(self.name, self.id, self.level, children)


def _nest(flat: list[tuple[int, str, str]]) -> tuple[Heading, ...]:
    """Python-Markdown's ``nest_toc_tokens``, over (level, id, name) triples."""
    tokens = [_Token(level, anchor, name) for level, anchor, name in flat]
    if not tokens:
        return ()
    last = tokens[0]
    ordered, levels, parents = [last], [last.level], list[_Token]()
    for token in tokens[1:]:
        if token.level < levels[-1]:
            levels.pop()
            to_pop = 0
            for parent in reversed(parents):
                if token.level > parent.level:
                    break
                to_pop += 1
            if to_pop:
                levels, parents = levels[:-to_pop], parents[:-to_pop]
            levels.append(token.level)
        if token.level == levels[-1]:
            (parents[-1].children if parents else ordered).append(token)
        else:
            last.children.append(token)
            parents.append(last)
            levels.append(token.level)
        last = token
    return tuple(token.freeze() for token in ordered)


def render(markdown: str, rewrite_url: Callable[[str], str]) -> Rendered:
    """Body (front matter already removed) -> HTML, TOC and h1 title, as MkDocs makes them.

    ``rewrite_url`` is called with every href of ``<a>`` (permalinks included) and src of
    ``<img>``, in document order, as MkDocs' ``_RelativePathTreeprocessor`` meets them, and
    its return value is written instead. Assumes ``slow_lane_reason(markdown) is None``.
    """
    state = _State(rewrite_url)
    nodes = _parse(markdown)
    parts = _render_nodes(nodes, state)
    title = None
    if nodes and isinstance(nodes[0], _Markdown) and parts[0].startswith("<h1 "):
        title = state.flat[0][2]
    return Rendered("".join(parts).rstrip("\n"), _nest(state.flat), title)
