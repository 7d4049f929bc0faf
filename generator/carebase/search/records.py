"""Search records for a hosted index (Algolia), read from the built site.

Records follow DocSearch's shape, so DocSearch's UI and Algolia's examples work with them:
one record per section of a page (the text before the first ``h2``, then each ``h2`` and
``h3``), with the headings above it in ``hierarchy``. Fields beyond DocSearch's:

- ``page_type``: what the page is (``article``, ``faq``, ``community``, ``post``, ``notice``).
  DocSearch already uses ``type`` for the record's level (``lvl1``, ``lvl2``, ``content``).
- ``lang``, ``category`` and ``promoted``, for filters and ranking.
- ``fallback_for``: the languages that read this default-language page because it is not
  translated into them (the search box asks for ``lang:es OR fallback_for:es``), as the page
  lists them for Pagefind (``data-cb-index``).
- ``questions``: the other ways people ask what the page answers (its "Also asked as" list),
  on every record of the page, searched right after its title; not repeated in ``content``.
- ``hash``: a digest of everything else in the record, so a push can skip unchanged records.

The text comes from the element marked ``data-pagefind-body`` in each built page (the same
text Pagefind indexes), less its ``data-pagefind-ignore`` parts and heading permalinks.
Building records is a pure function of the manifest and the built files: no network.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from carebase.errors import CarebaseError
from carebase.manifest import EntryType, Manifest, ManifestEntry

RECORD_LIMIT = 8 * 1024
"""Every record serialises (JSON, UTF-8) to fewer bytes than this; longer sections are split."""
BODY_SELECTOR = "[data-pagefind-body]"
LEFT_OUT_SELECTOR = "[data-pagefind-ignore], .headerlink"
QUESTIONS_SELECTOR = "[data-cb-questions]"
BLOG_LVL0 = "Blog"
LEVEL_WEIGHT = {1: 90, 2: 80, 3: 70}
"""``weight.level`` by section depth, as DocSearch ranks headings: matches high up rank first."""
PAGE_RANK = {
    EntryType.ARTICLE: 2,
    EntryType.FAQ: 2,
    EntryType.COMMUNITY: 1,
    EntryType.NOTICE: 1,
    EntryType.POST: 0,
}
"""``weight.page_rank``: answers first, then community solutions and notices, then posts."""

_SECTION_TAGS = {"h2": 2, "h3": 3}
_SKIPPED_TAGS = frozenset({"h1", "script", "style", "template", "noscript", "svg", "-comment"})
# Elements whose text is separate from their neighbours' ("<td>a</td><td>b</td>" is "a b").
_BLOCK_TAG_NAMES = (
    "address article aside blockquote br dd details div dl dt figcaption figure footer form h4 h5 "
    "h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul"
)
_BLOCK_TAGS = frozenset(_BLOCK_TAG_NAMES.split())
_INDEX_LANGUAGES = re.compile(r'\sdata-cb-index="([^"]*)"')
_SENTENCE_END = re.compile(r"(?<=[.!?…。])\s+")
_RECORD_SLACK = 64
"""Bytes kept free under the limit, for JSON escapes the size estimate does not see."""
_MIN_CONTENT_BUDGET = 512
HASH_LENGTH = 20

CategoryTitle = Callable[[str, str], str]
"""``(category id, lang) -> title`` for ``hierarchy.lvl0``."""


class SearchRecordsError(CarebaseError):
    """A built page cannot be turned into search records."""


@dataclass(frozen=True)
class Section:
    """The text under one heading of a page (or before the first ``h2``)."""

    level: int
    """1 for the text before the first ``h2``, 2 under an ``h2``, 3 under an ``h3``."""
    lvl2: str | None
    lvl3: str | None
    anchor: str
    """The heading's ``id``; empty for level 1 and for headings without one."""
    text: str


@dataclass(frozen=True)
class SearchRecord:
    """One chunk of one section of one page, as the index stores it."""

    object_id: str
    hierarchy: dict[str, str | None]
    type: str
    content: str | None
    url: str
    url_without_anchor: str
    anchor: str | None
    lang: str
    category: str
    page_type: str
    promoted: bool
    weight: dict[str, int]
    hash: str
    """A digest of every other field but the id: equal hashes, nothing to push."""
    fallback_for: list[str] = field(default_factory=list)
    """Languages whose search shows this page untranslated: for most, none (and no field, so
    their hashes stay as they were)."""
    questions: tuple[str, ...] = ()
    """The page's "Also asked as" questions, on each of its records."""

    def to_dict(self) -> dict[str, Any]:
        """The record as Algolia receives it."""
        return {"objectID": self.object_id, **_fields(self), "hash": self.hash}

    def size(self) -> int:
        """Bytes of the record serialised as JSON in UTF-8."""
        return len(_json(self.to_dict()).encode("utf-8"))


def site_records(
    manifest: Manifest, site_dir: Path, category_title: CategoryTitle | None = None
) -> list[SearchRecord]:
    """Records of every page readers can reach, in manifest order."""
    records: list[SearchRecord] = []
    for entry in manifest.published():
        html = _read_page(site_dir, entry)
        lvl0 = _lvl0(entry, category_title)
        records.extend(page_records(entry, html, manifest.site_url, lvl0))
    return records


def page_records(entry: ManifestEntry, html: str, site_url: str, lvl0: str) -> list[SearchRecord]:
    """Records of one built page: one per section, more where a section is too long."""
    page_url = absolute_url(site_url, entry.url)
    records: list[SearchRecord] = []
    anchors: set[str] = set()
    readers = fallback_languages(html, entry.lang)
    questions, sections = page_text(html, entry.html)
    for section in sections:
        shared = _section_fields(entry, section, lvl0, page_url, readers)
        if questions:  # Absent when empty: other pages' records (and hashes) stay as they were.
            shared["questions"] = questions
        anchor = _unique(section.anchor, anchors)
        budget = _content_budget(shared, object_id(entry.id, anchor, 999), entry)
        chunks: list[str | None] = [*split_text(section.text, budget)]
        for number, chunk in enumerate(chunks or [None]):
            oid = object_id(entry.id, anchor, number)
            records.append(_record(shared, oid, chunk, position=len(records)))
    return records


def page_sections(html: str, display: str = "page") -> list[Section]:
    """Split the indexed text of a built page into sections at its ``h2`` and ``h3``."""
    return page_text(html, display)[1]


def page_text(html: str, display: str = "page") -> tuple[tuple[str, ...], list[Section]]:
    """A built page's "Also asked as" questions, and the rest of its indexed text in sections."""
    body = LexborHTMLParser(html).css_first(BODY_SELECTOR)
    if body is None:
        raise SearchRecordsError(
            f"{display}: no element has data-pagefind-body, so there is no text to index; "
            "hint: rebuild the site with Carebase's theme and the carebase/search plugin"
        )
    questions: list[str] = []
    for block in body.css(QUESTIONS_SELECTOR):
        questions += [" ".join(item.text(deep=True).split()) for item in block.css("li")]
        block.decompose()
    for node in body.css(LEFT_OUT_SELECTOR):
        node.decompose()
    writer = _SectionWriter()
    _walk(body, writer)
    return tuple(question for question in questions if question), writer.finish()


def fallback_languages(html: str, lang: str) -> list[str]:
    """The languages other than ``lang`` whose search holds the page (its ``data-cb-index``)."""
    found = _INDEX_LANGUAGES.search(html)
    return [other for other in found[1].split() if other != lang] if found else []


def split_text(text: str, budget: int) -> list[str]:
    """Cut ``text`` into chunks of at most ``budget`` UTF-8 bytes, at sentences, then words."""
    if not text:
        return []
    if _byte_size(text) <= budget:
        return [text]  # Most sections: no need to find sentences.
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, budget):
        joined = f"{current} {piece}" if current else piece
        if _byte_size(joined) <= budget:
            current = joined
            continue
        chunks.append(current)
        current = piece
    chunks.append(current)
    return [chunk for chunk in chunks if chunk]


def object_id(entry_id: str, anchor: str, chunk: int) -> str:
    """A record's id: its page, section and chunk number, never its text, so edits keep it."""
    return f"{entry_id}#{anchor}:{chunk}" if anchor else f"{entry_id}:{chunk}"


def page_of(record_id: str) -> str:
    """The manifest id of the page a record id belongs to (the inverse of :func:`object_id`)."""
    head = record_id.rpartition(":")[0] or record_id
    return head.partition("#")[0]


def absolute_url(site_url: str, url: str) -> str:
    """``url`` (relative to the site root) under ``site_url``; root-relative without one."""
    base = site_url.rstrip("/") if site_url else ""
    return f"{base}/{url.lstrip('/')}"


def _fields(record: SearchRecord) -> dict[str, Any]:
    return {
        "hierarchy": record.hierarchy,
        "type": record.type,
        "content": record.content,
        "url": record.url,
        "url_without_anchor": record.url_without_anchor,
        "anchor": record.anchor,
        "lang": record.lang,
        "category": record.category,
        "page_type": record.page_type,
        "promoted": record.promoted,
        "weight": record.weight,
        **({"fallback_for": record.fallback_for} if record.fallback_for else {}),
    } | ({"questions": list(record.questions)} if record.questions else {})


def _json(data: dict[str, Any]) -> str:
    # Spaced like json.dumps by default, so sizes count what most tools would write.
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _byte_size(text: str) -> int:
    # As JSON encodes it: quotes, backslashes and control characters grow when escaped.
    return len(json.dumps(text, ensure_ascii=False).encode("utf-8")) - 2


def _read_page(site_dir: Path, entry: ManifestEntry) -> str:
    try:
        return (site_dir / entry.html).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SearchRecordsError(
            f"{entry.html}: listed in the manifest but missing from {site_dir}; "
            "hint: rebuild the site with `carebase build`"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SearchRecordsError(f"{entry.html}: cannot be read ({exc})") from None


def _lvl0(entry: ManifestEntry, category_title: CategoryTitle | None) -> str:
    if entry.type in (EntryType.POST, EntryType.NOTICE):
        return BLOG_LVL0
    if category_title is None or not entry.category:
        return entry.category
    return category_title(entry.category, entry.lang)


def _hierarchy(lvl0: str, title: str, section: Section) -> dict[str, str | None]:
    levels: dict[str, str | None] = {"lvl0": lvl0, "lvl1": title}
    levels.update({"lvl2": section.lvl2, "lvl3": section.lvl3})
    levels.update({f"lvl{level}": None for level in (4, 5, 6)})
    return levels


def _unique(anchor: str, seen: set[str]) -> str:
    """The anchor, or a numbered variant when the page repeats an id (or has no ids)."""
    candidate, number = anchor, 1
    while candidate in seen:
        number += 1
        candidate = f"{anchor}~{number}"
    seen.add(candidate)
    return candidate


def _section_fields(
    entry: ManifestEntry, section: Section, lvl0: str, page_url: str, readers: list[str]
) -> dict[str, Any]:
    """The fields every chunk of a section shares: all but its id, text, position and hash."""
    return {
        "hierarchy": _hierarchy(lvl0, entry.title, section),
        "type": "content" if section.text else f"lvl{section.level}",
        "url": f"{page_url}#{section.anchor}" if section.anchor else page_url,
        "url_without_anchor": page_url,
        "anchor": section.anchor or None,
        "lang": entry.lang,
        "category": entry.category,
        "page_type": entry.type.value,
        "promoted": entry.promoted,
        "weight": {"level": LEVEL_WEIGHT[section.level], "page_rank": PAGE_RANK[entry.type]},
        **({"fallback_for": readers} if readers else {}),
    }


def _record(shared: dict[str, Any], oid: str, content: str | None, position: int) -> SearchRecord:
    fields = {**shared, "content": content, "weight": {**shared["weight"], "position": position}}
    # The hash covers every field the index stores, so any change to a record is pushed.
    digest = hashlib.sha256(_json(fields).encode("utf-8")).hexdigest()[:HASH_LENGTH]
    return SearchRecord(object_id=oid, hash=digest, **fields)


def _content_budget(shared: dict[str, Any], widest_id: str, entry: ManifestEntry) -> int:
    """Bytes left for text in a record of this section, once its other fields are counted."""
    widest = {**shared, "objectID": widest_id, "hash": "0" * HASH_LENGTH, "content": ""}
    widest["weight"] = {**shared["weight"], "position": 99999}
    overhead = len(_json(widest).encode("utf-8"))
    budget = RECORD_LIMIT - overhead - _RECORD_SLACK
    if budget < _MIN_CONTENT_BUDGET:
        raise SearchRecordsError(
            f"{entry.html}: its title, headings or address leave no room for text in a search "
            f"record ({overhead} of {RECORD_LIMIT} bytes); hint: shorten the title or heading"
        )
    return budget


def _pieces(text: str, budget: int) -> Iterator[str]:
    """Sentences; a sentence over the budget as words; a word over it in slices."""
    for sentence in _SENTENCE_END.split(text):
        if _byte_size(sentence) <= budget:
            yield sentence
            continue
        for word in sentence.split(" "):
            yield from _slices(word, budget)


def _slices(word: str, budget: int) -> Iterator[str]:
    start = 0
    while start < len(word):
        end = min(len(word), start + budget // 6)  # An escaped control character takes 6
        yield word[start:end]
        start = end


class _SectionWriter:
    """Collects text while walking a page, starting a section at every ``h2`` and ``h3``."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self._parts: list[str] = []
        self._level, self._anchor = 1, ""
        self._lvl2: str | None = None
        self._lvl3: str | None = None

    def text(self, text: str) -> None:
        self._parts.append(text)

    def gap(self) -> None:
        self._parts.append(" ")

    def heading(self, level: int, title: str, anchor: str) -> None:
        self._close()
        self._level, self._anchor = level, anchor
        if level == 2:
            self._lvl2, self._lvl3 = title, None
        else:
            self._lvl3 = title

    def finish(self) -> list[Section]:
        self._close()
        return self.sections

    def _close(self) -> None:
        text = " ".join("".join(self._parts).split())
        self._parts = []
        self.sections.append(Section(self._level, self._lvl2, self._lvl3, self._anchor, text))


def _walk(node: LexborNode, writer: _SectionWriter) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag or ""
        if tag == "-text":
            writer.text(child.text(deep=False))
        elif tag in _SECTION_TAGS:
            title = " ".join(child.text(deep=True).split())
            writer.heading(_SECTION_TAGS[tag], title, child.attributes.get("id") or "")
        elif tag not in _SKIPPED_TAGS:
            block = tag in _BLOCK_TAGS
            if block:
                writer.gap()
            _walk(child, writer)
            if block:
                writer.gap()
