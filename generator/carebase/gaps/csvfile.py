"""Unanswered questions from an export file, for sites that cannot use an API.

Two formats, told apart by their header:

- Plausible's dashboard export (``custom_props.csv`` in the ZIP of "Export stats", best with
  the dashboard filtered by the goal ``Search: no results`` or ``Search: no click``):
  ``property,value,visitors,events,conversion_rate`` (or ``percentage``). Rows whose
  property is ``query`` are questions, counted in ``events``. The export does not say in
  which language each was asked: the site's default language is assumed.
- Google Analytics 4's CSV download of an exploration or report: ``#`` comment lines, then a
  header with a search-term column (``Search term``, ``search_term`` or ``query``, a custom
  dimension of the event parameter), ``Event count``, and optionally ``Event name`` (only the
  search box's events are kept) and ``lang``. A ``Grand total`` row is skipped.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from carebase.gaps.model import EVENT_NAMES, GapsError, Kind, Sighting

PLAUSIBLE_HEADER = ("property", "value", "visitors", "events")
QUERY_COLUMNS = (
    "search term",
    "search_term",
    "query",
    "customevent:query",
    "customevent:search_term",
)
COUNT_COLUMNS = ("event count", "eventcount", "events")
_GA4_KINDS = {names["ga4"]: kind for kind, names in EVENT_NAMES.items()}


def read_export(path: Path) -> list[Sighting]:
    """Every question in the export at ``path``; an error naming the file and line if broken."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GapsError(
            f"{path}: not UTF-8 text (byte {exc.start})\n  hint: export it as CSV"
        ) from None
    lines = text.splitlines()
    first = next(
        (n for n, line in enumerate(lines) if line.strip() and not line.startswith("#")), None
    )
    if first is None:
        raise GapsError(f"{path}: holds no rows\n  hint: {_FORMATS}")
    rows = list(csv.reader(lines[first:]))
    header = [cell.strip().casefold() for cell in rows[0]]
    if tuple(header[:4]) == PLAUSIBLE_HEADER:
        return list(_plausible(path, rows, first))
    if any(name in header for name in QUERY_COLUMNS):
        return list(_ga4(path, rows, header, first))
    raise GapsError(
        f"{path}, line {first + 1}: not a known export header: {rows[0]!r}\n  hint: {_FORMATS}"
    )


_FORMATS = (
    "use Plausible's custom_props.csv (property,value,visitors,events,…) or a GA4 CSV download "
    "with a 'Search term' (or 'query') column and 'Event count'"
)


def _plausible(path: Path, rows: list[list[str]], first: int) -> Iterator[Sighting]:
    for number, row in enumerate(rows[1:], start=first + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 4:
            raise GapsError(f"{path}, line {number}: {len(row)} columns, expected at least 4")
        if row[0].strip() == "query":
            yield Sighting(row[1], Kind.EXPORTED, _number(path, number, "events", row[3]))


def _ga4(path: Path, rows: list[list[str]], header: list[str], first: int) -> Iterator[Sighting]:
    query = next(header.index(name) for name in QUERY_COLUMNS if name in header)
    count = next((header.index(name) for name in COUNT_COLUMNS if name in header), None)
    if count is None:
        raise GapsError(f"{path}, line {first + 1}: no 'Event count' column\n  hint: {_FORMATS}")
    name = header.index("event name") if "event name" in header else None
    lang = header.index("lang") if "lang" in header else None
    for number, row in enumerate(rows[1:], start=first + 2):
        if not any(cell.strip() for cell in row) or row[0].strip().casefold() == "grand total":
            continue
        if len(row) < len(header):
            raise GapsError(
                f"{path}, line {number}: {len(row)} columns, the header has {len(header)}"
            )
        kind = Kind.EXPORTED
        if name is not None:
            if row[name].strip() not in _GA4_KINDS:
                continue  # Another event of the property.
            kind = _GA4_KINDS[row[name].strip()]
        events = _number(path, number, rows[0][count], row[count])
        yield Sighting(row[query], kind, events, row[lang].strip() if lang is not None else "")


def _number(path: Path, line: int, column: str, value: str) -> int:
    try:
        return int(value.replace(",", "").strip())
    except ValueError:
        raise GapsError(
            f"{path}, line {line}: '{column}' is not a whole number: {value!r}"
        ) from None
