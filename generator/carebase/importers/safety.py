"""Making the public's text safe to publish: HTML sanitised, Markdown inert, personal data gone.

Everything a source hands over is untrusted. Bodies take one road whatever their format:
Markdown is rendered to HTML first (:func:`safe_markdown`), then the HTML is sanitised with
nh3 (an allowlist: no script, iframe, form, object, style or event attribute, no URL but
``http(s)``), converted to Markdown by a converter that escapes every character of the text
that Markdown or MkDocs' extensions would read as syntax, and sanitised by nh3 again where the
Markdown could still hold a tag. A sanitiser before conversion alone is not enough: converters
turn escaped text such as ``&lt;img onerror=…&gt;`` back into a live tag. The build sanitises
imported pages a third time (:func:`safe_page_html`), after MkDocs' own extensions ran.

The converter is markdownify rather than html2text: it is MIT-licensed like Carebase
(html2text is GPL-3.0), released regularly, typed, and built around one overridable method
per tag and one for text, which is exactly where escaping, URL checks and scrubbing belong.

Personal data is scrubbed from text (:func:`scrub`): e-mail addresses, telephone numbers
(Google's libphonenumber rules, so dates and order numbers are left alone), payment card
numbers (Luhn-checked) and the site's own ``redact`` patterns.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

import markdown
import nh3
import phonenumbers
import regex
from markdownify import MarkdownConverter

from carebase.errors import CarebaseError
from carebase.importers.settings import ImportSettings, Redaction

if TYPE_CHECKING:
    from bs4 import Tag

Scrubber = Callable[[str], str]
REDACT_TIMEOUT = 1.0
"""Seconds one ``redact`` pattern may take on one piece of text: a pattern that backtracks
catastrophically (``(a+)+$``) must not hang an import."""


class RedactTimeout(CarebaseError):
    """A ``redact`` pattern ran out of time: the text cannot be known to be clean."""


COMMUNITY_MEMBER = "Community member"
"""The name shown for an anonymised or nameless author."""
EMAIL_LABEL = "[email removed]"
PHONE_LABEL = "[phone number removed]"
CARD_LABEL = "[card number removed]"
PHONE_REGIONS = ("GB", "US", "DE", "ES", "FR", "IE")
"""Where a number written without ``+country`` is looked up (and ``+…`` numbers everywhere)."""
URL_SCHEMES = frozenset({"http", "https"})
HEADING_OFFSET = 2
"""Headings in imported text start at h3: h1 is the title, h2 the article's own sections."""

_BODY_TAGS = frozenset(
    {
        "a", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p",
        "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "ul",
    }
)  # fmt: skip
_BODY_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
# What MkDocs renders from Markdown (headings with ids, permalinks, admonitions, highlighted
# code, tables): classes and ids stay, nothing active does.
_PAGE_TAGS = _BODY_TAGS | {"abbr", "details", "div", "span", "summary", "caption", "mark"}
_PAGE_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "details": {"open"},
}

_PAGE_CLEANER = nh3.Cleaner(
    tags=_PAGE_TAGS,
    clean_content_tags={"script", "style", "template"},
    attributes=_PAGE_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel=None,
)
_TEXT_CLEANER = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"}, link_rel=None)


# --- HTML ----------------------------------------------------------------------------------


def safe_html(text: str, base_url: str = "") -> str:
    """Untrusted HTML reduced to an allowlist of plain formatting, links and images.

    Relative links and images are made absolute against ``base_url`` (the thread's address);
    without one they are dropped, as they would point into our own site.
    """
    relative: nh3.UrlRelative = ("rewrite_with_base", base_url) if base_url else "deny"
    return nh3.clean(
        text,
        tags=_BODY_TAGS,
        clean_content_tags={"script", "style", "template", "iframe", "object", "noscript"},
        attributes=_BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        url_relative=relative,
    )


def safe_page_html(text: str) -> str:
    """A rendered imported page sanitised again at build time (classes and ids kept)."""
    return _PAGE_CLEANER.clean(text)


def inline_html(text: str) -> str:
    """Staff-written inline Markdown (the attribution line) as sanitised HTML, no paragraph."""
    if not text.strip():
        return ""
    rendered = markdown.markdown(text).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>"):
        rendered = rendered[3:-4]
    return safe_page_html(rendered)


def plain_text(text: str) -> str:
    """Text without tags, entities or the characters that could break out of HTML.

    For titles, names, tags and descriptions: MkDocs and Material write them into pages and
    attributes without escaping, so ``<``, ``>`` and ``"`` never reach them.
    """
    stripped = _TEXT_CLEANER.clean(text)
    for _ in range(4):  # `&amp;lt;` is text a person typed as `&lt;`: unescape to a fixpoint.
        unescaped = html.unescape(stripped)
        if unescaped == stripped:
            break
        stripped = unescaped
    stripped = stripped.replace("<", "‹").replace(">", "›").replace('"', "”")
    return " ".join(_CONTROL.sub(" ", stripped).split())


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


# --- Markdown ------------------------------------------------------------------------------


def safe_markdown(text: str, base_url: str = "", scrubber: Scrubber | None = None) -> str:
    """Markdown as written on a forum, made inert: rendered, sanitised and converted back.

    Raw HTML in it is sanitised like any HTML; everything else keeps its Markdown meaning.
    """
    rendered = markdown.markdown(text, extensions=["fenced_code", "tables", "sane_lists"])
    return markdown_from_html(rendered, base_url, scrubber)


def markdown_from_html(text: str, base_url: str = "", scrubber: Scrubber | None = None) -> str:
    """Untrusted HTML as Markdown that renders exactly the text it shows, and nothing active.

    nh3 before conversion (tags, attributes, URLs), an escaping converter, nh3 again after
    conversion on anything tag-like outside code. ``scrubber`` is applied to every piece of
    text, code included, before it is escaped.
    """
    cleaned = safe_html(text, base_url)
    converter = _SafeConverter(scrubber or _same)
    converted = converter.convert(cleaned)
    return _sanitise_tags_outside_code(_tidy(converted))


def _same(text: str) -> str:
    return text


# Anywhere in text: what Markdown reads as markup, tags, entities, tables or attribute lists.
_BACKSLASHED = str.maketrans({char: "\\" + char for char in "\\`*_{}[]"})
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", "|": "&#124;"})
# At the start of a piece of text, which may start a line: what Markdown or MkDocs' extensions
# read as structure (headings, quotes, lists, setext lines, `!!!` admonitions, `???` details,
# `:::` blocks, `~~~` fences, `--8<--` snippets).
_LEADING = re.compile(
    r"^(\s*)(?:(?P<mark>[#>=]|[-+](?=\s|$|[-+])|([!?:~])(?=\3\3))|(?P<number>\d+)(?P<dot>[.)])(?=\s|$))"
)


def escape_text(text: str) -> str:
    """Text as Markdown that shows it literally: no markup, no tag, no template syntax."""
    text = text.translate(_BACKSLASHED).translate(_ENTITIES)
    return _LEADING.sub(_leading_entity, text, count=1)


def _leading_entity(match: re.Match[str]) -> str:
    if match["number"]:
        return f"{match[1]}{match['number']}&#{ord(match['dot'])};"
    mark = match["mark"] or match[3]
    return f"{match[1]}&#{ord(mark)};"


class _SafeConverter(MarkdownConverter):
    """markdownify with Python-Markdown's escaping, checked URLs and scrubbed text."""

    def __init__(self, scrubber: Scrubber) -> None:
        super().__init__(
            autolinks=False,
            heading_style="atx",
            bullets="-",
            escape_asterisks=False,
            escape_underscores=False,
            keep_inline_images_in=["a", "td", "th"],
            strip_document="strip",
        )
        self.scrubber = scrubber

    def escape(self, text: str, parent_tags: Any) -> str:
        # Whitespace in HTML text is one space: a newline here must not start a new block.
        return escape_text(self.scrubber(text.replace("\n", " ")))

    def convert_a(self, el: Tag, text: str, parent_tags: Any) -> str:
        href = checked_url(str(el.get("href") or ""))
        if not text.strip() or not href or "_noformat" in parent_tags:
            return text
        return f"[{text}]({href})"

    def convert_img(self, el: Tag, text: str, parent_tags: Any) -> str:
        alt = escape_text(self.scrubber(str(el.get("alt") or "")))
        src = checked_url(str(el.get("src") or ""))
        inline = "_inline" in parent_tags and el.parent is not None
        if not src or (inline and el.parent.name not in ("a", "td", "th")):  # type: ignore[union-attr]
            return alt
        return f"![{alt}]({src})"

    def convert_code(self, el: Tag, text: str, parent_tags: Any) -> str:
        if "_noformat" in parent_tags:
            return text
        code = self.scrubber(text)
        if not code.strip():
            return ""
        # One backtick more than the longest run inside; a space keeps inner ones apart.
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        ticks = "`" * (longest + 1)
        return f"{ticks} {code} {ticks}" if longest else f"{ticks}{code}{ticks}"

    def convert_pre(self, el: Tag, text: str, parent_tags: Any) -> str:
        code = self.scrubber(text).strip("\n")
        if not code:
            return ""
        # A fence longer than any run of backticks inside cannot be closed by the code.
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}\n{code}\n{fence}\n\n"

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: Any) -> str:
        if "_inline" in parent_tags:
            return text
        level = min(6, n + HEADING_OFFSET)
        return f"\n\n{'#' * level} {' '.join(text.split())}\n\n"


def checked_url(url: str) -> str:
    """An absolute ``http(s)`` URL, percent-encoded so Markdown cannot end it early; or ""."""
    url = url.strip()
    if urlsplit(url).scheme.lower() not in URL_SCHEMES:
        return ""
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def _tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# --- tags hiding in Markdown ---------------------------------------------------------------

_CODE = re.compile(
    r"(?P<fence>^(?P<marks>`{3,}|~{3,})[^\n]*\n.*?^(?P=marks)[ \t]*$)"
    r"|(?P<span>(?<!\\)(?P<ticks>`+).+?(?<!`)(?P=ticks)(?!`))",
    re.MULTILINE | re.DOTALL,
)
_TAG_LIKE = re.compile(r"<[A-Za-z!/?][^>]*(?:>|$)", re.MULTILINE)


def _sanitise_tags_outside_code(text: str) -> str:
    """nh3 after conversion: anything outside code that an HTML parser would take for a tag."""
    return "".join(
        part if is_code else _TAG_LIKE.sub(lambda m: _TEXT_CLEANER.clean(m[0]), part)
        for part, is_code in split_code(text)
    )


def split_code(text: str) -> Iterator[tuple[str, bool]]:
    """Markdown cut into (part, is code) pieces: fenced blocks and code spans are code."""
    position = 0
    for match in _CODE.finditer(text):
        if match.start() > position:
            yield text[position : match.start()], False
        yield match[0], True
        position = match.end()
    if position < len(text):
        yield text[position:], False


# --- personal data -------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.%+\\-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_CARD_CANDIDATE = re.compile(r"(?<!\d)\d(?:[ \-\u00a0]?\d){12,}(?!\d)")
_DIGIT_GROUP = re.compile(r"\d+")
_MIN_PHONE_DIGITS = 6
_MIN_CARD_GROUP = 3
"""Cards are written in groups of 4 to 6 digits (or none): dates and phone numbers are not."""


def scrub(text: str, settings: ImportSettings) -> str:
    """``text`` with e-mail addresses, phone and card numbers and ``redact`` matches replaced."""
    if not text:
        return text
    text = _EMAIL.sub(EMAIL_LABEL, text)
    text = _CARD_CANDIDATE.sub(_card_replacement, text)
    for redaction in settings.redact:
        text = _redacted(redaction, text)
    return _scrub_phones(text)


def _redacted(redaction: Redaction, text: str) -> str:
    try:
        return _compiled(redaction).sub(redaction.label, text, timeout=REDACT_TIMEOUT)
    except TimeoutError:
        raise RedactTimeout(
            f"the redact pattern {redaction.pattern!r} took over {REDACT_TIMEOUT:g} s on "
            f"{len(text)} characters and was stopped, so nothing of this thread was written; "
            "hint: simplify it in plugins: carebase/import: redact (no nested repetition "
            "such as '(a+)+')"
        ) from None


def scrubber(settings: ImportSettings) -> Scrubber:
    """:func:`scrub` with these settings, as a one-argument function."""
    return lambda text: scrub(text, settings)


@cache
def _compiled_pattern(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern)


def _compiled(redaction: Redaction) -> regex.Pattern[str]:
    return _compiled_pattern(redaction.pattern)


def public_url(url: str, settings: ImportSettings, thread_id: str = "") -> str:
    """A thread's address without what could repeat personal data the scrubber removed.

    A forum's slug is its title: an order number scrubbed from the title would survive in
    the link. Every path segment, the query and the fragment the scrubber would change (as
    written, in capitals, or with ``-``/``_``/``+`` read as spaces) is dropped, credentials
    always; the segment that is the thread's id stays, as it is published as ``source.id``.
    """
    parts = urlsplit(url)
    segments = parts.path.split("/")
    path = "/".join(s for s in segments if s == thread_id or not _personal(s, settings))
    query = "" if _personal(parts.query, settings) else parts.query
    fragment = "" if _personal(parts.fragment, settings) else parts.fragment
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], path, query, fragment))


_WORD_SEPARATORS = str.maketrans("-_+", "   ")


def _personal(text: str, settings: ImportSettings) -> bool:
    """Whether the scrubber would change any way of reading ``text`` (a URL part)."""
    plain = unquote_plus(text)
    readings = {plain, plain.translate(_WORD_SEPARATORS)}
    readings |= {reading.upper() for reading in readings}
    return any(scrub(reading, settings) != reading for reading in readings if reading)


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check that every card number passes."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card_replacement(match: re.Match[str]) -> str:
    """The card number(s) in a run of digit groups replaced; anything else left alone."""
    run = match[0]
    groups = list(_DIGIT_GROUP.finditer(run))
    spans = list(_card_spans([group.span() for group in groups], run))
    for start, end in reversed(spans):
        run = run[:start] + CARD_LABEL + run[end:]
    return run


def _card_spans(groups: list[tuple[int, int]], run: str) -> Iterator[tuple[int, int]]:
    """Spans of whole digit groups holding 13–19 digits that pass the Luhn check.

    The longest card found from each group on wins, and the search goes on after it.
    """
    index = 0
    while index < len(groups):
        found = _card_from(groups, index, run)
        if found is None:
            index += 1
            continue
        last, span = found
        yield span
        index = last + 1


def _card_from(
    groups: list[tuple[int, int]], first: int, run: str
) -> tuple[int, tuple[int, int]] | None:
    digits = ""
    best: tuple[int, tuple[int, int]] | None = None
    for last in range(first, len(groups)):
        start, end = groups[last]
        if end - start < _MIN_CARD_GROUP:
            break
        digits += run[start:end]
        if len(digits) > 19:
            break
        if len(digits) >= 13 and luhn_valid(digits):
            best = (last, (groups[first][0], end))
    return best


def _scrub_phones(text: str) -> str:
    if sum(char.isdigit() for char in text) < _MIN_PHONE_DIGITS:
        return text
    spans = sorted(_phone_spans(text))
    for start, end in reversed(_merged(spans)):
        text = text[:start] + PHONE_LABEL + text[end:]
    return text


def _phone_spans(text: str) -> Iterator[tuple[int, int]]:
    # VALID: a number that could be dialled in the region; STRICT_GROUPING and above reject
    # common ways of writing real numbers, POSSIBLE takes years and order numbers for phones.
    leniency = phonenumbers.Leniency.VALID
    for region in PHONE_REGIONS:
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=leniency):
            yield match.start, match.end


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def display_name(author: str, settings: ImportSettings) -> str:
    """How an author is shown: their display name, scrubbed, or "Community member"."""
    if settings.anonymise_authors:
        return COMMUNITY_MEMBER
    name = scrub(plain_text(author), settings)
    return name or COMMUNITY_MEMBER
