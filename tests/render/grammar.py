"""Hypothesis strategies: random Markdown-ish bodies from the constructs help articles use.

Built to hit the seams between Python-Markdown and CommonMark: the same constructs with and
without blank lines around them, odd indentation, escapes, entities and raw HTML. A body is
either *clean* (only constructs the fast lane should take, so that it is exercised) or
*rough* (now and then a construct where the dialects part).
"""

from __future__ import annotations

from hypothesis import strategies as st

CLEAN = [
    "router", "Hub", "bill", "eSIM", "Wi-Fi", "café", "straße", "2", "10", "a&b", "x < y",
    "1 > 0", '"quoted"', "it's", "snake_case", "(note)", "50%", "#tag", "a.b", "!", "?",
    "foo:", "-", "+", "a_b_c", "\\*", "\\[", "\\]", "\\_", "\\#", "\\.", "\\!", "...", "--",
    "déjà", "日本", "→", "https://example.com", "@user", "x#y", "1.", "2)", "ü", "&", "'",
    "(", ")", "a-b", "A/B", "=", "%", "#", "1)", "2.", "*", "_",
]  # fmt: skip
HOSTILE = [
    "__init__", "x*y", "2*3*4", "end_", "_start", "~", "|", "{", "&copy;", "&amp;",
    "&#169;", "<b>", "</i>", "<!-- c -->", "\\\\", "\\`", "`", "``", "<https://e.x>",
    "[x]", "{: .cls}", "{#id}", "^1", "[^1]", "$5", "C:\\dir", "***", "**", "[a]: /b",
]  # fmt: skip
TARGETS = [
    "y.md", "../b.md", "y.md#part", "#frag", "https://example.com/a?b=1&c=2",
    "mailto:care@example.com", "missing.md", "../a/", "img.png", "/abs.md", "y.md?q=1",
]  # fmt: skip


def pick(rough: bool, clean: list[str], hostile: list[str]) -> st.SearchStrategy[str]:
    """Mostly ``clean``; when ``rough``, now and then one of ``hostile``."""
    good = st.sampled_from(clean)
    return st.one_of(good, good, good, good, st.sampled_from(hostile)) if rough else good


def word(rough: bool) -> st.SearchStrategy[str]:
    letters = st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True)
    return st.one_of(letters, letters, pick(rough, CLEAN, HOSTILE))


@st.composite
def inline(draw: st.DrawFn, rough: bool, depth: int = 0) -> str:
    """A run of inline Markdown: words, code, emphasis, links, images."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.integers(0, 11))
        text = draw(word(rough))
        if kind == 0:
            parts.append(f"`{text}`")
        elif kind == 1:
            parts.append(f"**{text}**")
        elif kind == 2:
            parts.append(f"*{text}*")
        elif kind == 3 and rough:
            parts.append(draw(st.sampled_from(["_", "__", "*"])) + text)
        elif kind == 4 and depth == 0:
            label = draw(inline(rough, depth=1))
            title = draw(pick(rough, ["", "", ' "Title"', ' "A & B"'], [" 't'", ' ""']))
            parts.append(f"[{label}]({draw(st.sampled_from(TARGETS))}{title})")
        elif kind == 5 and depth == 0:
            parts.append(f"![{text}]({draw(st.sampled_from(TARGETS))})")
        else:
            parts.append(text)
    return draw(pick(rough, [" "], ["", "  "])).join(parts)


@st.composite
def paragraph(draw: st.DrawFn, rough: bool) -> str:
    lines = [draw(inline(rough)) for _ in range(draw(st.integers(1, 3)))]
    ends = [draw(pick(rough, ["", "", "", "  "], [" ", "   "])) for _ in lines]
    return "\n".join(line + end for line, end in zip(lines, ends, strict=True))


@st.composite
def heading(draw: st.DrawFn, rough: bool) -> str:
    hashes = "#" * draw(st.integers(1, 6))
    space = draw(pick(rough, [" "], ["", "  "]))
    close = draw(pick(rough, [""], [" #", " ##", " "]))
    return f"{hashes}{space}{draw(inline(rough))}{close}"


@st.composite
def bullet_list(draw: st.DrawFn, rough: bool) -> str:
    lines, indent = [], 0
    marker = draw(st.sampled_from(["-", "*", "+", "1."]))
    for number in range(draw(st.integers(1, 6))):
        step = draw(pick(rough, ["same", "same", "in", "out"], ["2", "3", "in8"]))
        indent = {
            "same": indent, "in": indent + 4, "out": max(0, indent - 4), "2": 2, "3": 3,
            "in8": indent + 8,
        }[step] if number else 0  # fmt: skip
        this = draw(pick(rough, [marker, marker, "-", "2."], ["1)", "10.", "+"]))
        lines.append(" " * indent + f"{this} {draw(inline(rough))}")
        if rough and draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", "    continued", "lazy line", "  two"])))
    return "\n".join(lines)


@st.composite
def table(draw: st.DrawFn, rough: bool) -> str:
    columns = draw(st.integers(1, 3))
    aligns = [draw(st.sampled_from(["---", ":--", "--:", ":-:", "-"])) for _ in range(columns)]
    rows = [
        "| " + " | ".join(draw(inline(rough, depth=1)) for _ in range(columns)) + " |"
        for _ in range(draw(st.integers(2, 4)))
    ]
    delimiter = "|" + "|".join(aligns) + "|"
    return "\n".join([rows[0], delimiter, *rows[1:]])


@st.composite
def fence(draw: st.DrawFn, rough: bool) -> str:
    language = draw(st.sampled_from(["", "text", "bash", "console", "python", "yaml", "nope"]))
    lines = ["ping -c 4 1.1.1.1", "x = 1 < 2 & 3", "<b>hi</b>", "", "    indented", "# c", "   "]
    body = draw(st.lists(pick(rough, lines, ["\tx", "~~~", "```"]), min_size=1, max_size=4))
    return f"```{language}\n" + "\n".join(body) + "\n```"


@st.composite
def admonition(draw: st.DrawFn, rough: bool, depth: int = 0) -> str:
    marker = draw(st.sampled_from(["!!!", "???", "???+"]))
    kind = draw(st.sampled_from(["note", "tip", "warning", "danger", "info"]))
    titles = ["", ' "Title"', ' "A & b"', ' "it\'s"', ' "Two words"']
    title = draw(pick(rough, titles, [' ""', ' "x *y*"', " Title", ' " x"']))
    inner = draw(body(rough, depth=depth + 1, size=3))
    indent = draw(pick(rough, ["    "], ["  ", "\t", "     "]))
    lines = [indent + line if line else "" for line in inner.split("\n")]
    return f"{marker} {kind}{title}\n" + "\n".join(lines)


@st.composite
def block(draw: st.DrawFn, rough: bool, depth: int = 0) -> str:
    others = pick(rough, ["---", "***", "> quoted line", "> a\n> b"], ["> a\nlazy", "S\n==="])
    choices = [paragraph(rough), paragraph(rough), heading(rough), bullet_list(rough)]
    choices += [table(rough), fence(rough), others]
    if depth < 2:
        choices.append(admonition(rough, depth=depth))
    return draw(st.one_of(*choices))


@st.composite
def body(draw: st.DrawFn, rough: bool | None = None, depth: int = 0, size: int = 8) -> str:
    """A whole body: blocks separated by a blank line (if rough, sometimes not)."""
    if rough is None:
        rough = draw(st.booleans())
    blocks = draw(st.lists(block(rough, depth=depth), min_size=1, max_size=size))
    out = blocks[0]
    for item in blocks[1:]:
        out += draw(pick(rough, ["\n\n", "\n\n\n"], ["\n", "\n  \n"])) + item
    return out + "\n"
