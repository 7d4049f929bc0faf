"""Unanswered questions as events report them, merged per question."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from carebase.errors import CarebaseError

_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
UNKNOWN = ("(none)", "")
"""Property values Plausible and GA4 report for events without one: no question."""


class GapsError(CarebaseError):
    """The events could not be read (an API refused, or an export file is not one)."""


class Kind(StrEnum):
    """Why a search counts as unanswered (the event's name, as the search box sends it)."""

    NO_RESULTS = "no results"
    NO_CLICK = "no click"
    EXPORTED = "searches"
    """From an export that does not say which (Plausible's custom_props.csv)."""


EVENT_NAMES = {
    Kind.NO_RESULTS: {"plausible": "Search: no results", "ga4": "search_no_results"},
    Kind.NO_CLICK: {"plausible": "Search: no click", "ga4": "search_no_click"},
}
"""The event names assets/carebase-analytics.js sends, per provider."""
FEEDBACK_EVENT = {"plausible": "Feedback", "ga4": "page_feedback"}


@dataclass(frozen=True)
class Sighting:
    """One row of a report: a question, how it went unanswered, how often, in which language."""

    query: str
    kind: Kind
    count: int
    lang: str = ""


@dataclass
class Gap:
    """One question, however it was typed, with its counts."""

    query: str
    """As most often typed (ties: the first seen)."""
    lang: str
    counts: dict[Kind, int] = field(default_factory=dict)
    _spellings: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def clean(text: str) -> str:
    """A query fit to print: no control or bidirectional characters, spaces collapsed."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text))
    return _SPACE.sub(" ", text).strip()


def question_key(query: str) -> str:
    """What makes two typed queries the same question: case, spacing and end punctuation."""
    return clean(query).casefold().rstrip("?!.¿¡ ").lstrip("¿¡ ")


def merge(sightings: Iterable[Sighting], default_lang: str) -> list[Gap]:
    """The questions, most asked first (then alphabetically, so reports are stable)."""
    gaps: dict[tuple[str, str], Gap] = {}
    for sighting in sightings:
        query = clean(sighting.query)
        if query in UNKNOWN or sighting.count <= 0:
            continue
        lang = sighting.lang if sighting.lang not in UNKNOWN else default_lang
        key = (lang, question_key(query))
        gap = gaps.setdefault(key, Gap(query, lang))
        gap.counts[sighting.kind] = gap.counts.get(sighting.kind, 0) + sighting.count
        gap._spellings[query] = gap._spellings.get(query, 0) + sighting.count
        gap.query = max(gap._spellings, key=lambda spelling: gap._spellings[spelling])
    return sorted(gaps.values(), key=lambda gap: (-gap.total, gap.query.casefold()))
