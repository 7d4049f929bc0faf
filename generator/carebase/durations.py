"""Review intervals written by people: ``180d``, ``6w``, ``6m``, ``1y``."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^\s*(?P<count>\d+)\s*(?P<unit>[dwmy])\s*$")
_DAYS_PER_UNIT = {"d": 1, "w": 7, "m": 30, "y": 365}
MAX_DAYS = 100 * 365
"""Longer is a typo, and past what dates can hold."""


class DurationError(ValueError):
    """A duration a person wrote that is not one; ``reason`` says why without repeating it."""

    def __init__(self, reason: str, text: str) -> None:
        super().__init__(f"{reason}, got {text!r}")
        self.reason = reason


def parse_duration(text: str) -> timedelta:
    """Parse ``<number><d|w|m|y>``; months count 30 days and years 365.

    Raises :class:`DurationError` with a message fit for a person.
    """
    match = _DURATION.match(text)
    if not match or int(match["count"]) == 0:
        raise DurationError("must be a number followed by d, w, m or y (like '180d')", text)
    days = int(match["count"]) * _DAYS_PER_UNIT[match["unit"]]
    if days > MAX_DAYS:
        raise DurationError("must be at most 100y", text)
    return timedelta(days=days)
