"""Review intervals written by people: ``180d``, ``6w``, ``6m``, ``1y``."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^\s*(?P<count>\d+)\s*(?P<unit>[dwmy])\s*$")
_DAYS_PER_UNIT = {"d": 1, "w": 7, "m": 30, "y": 365}
MAX_DAYS = 100 * 365
"""Longer is a typo, and past what dates can hold."""


def parse_duration(text: str) -> timedelta:
    """Parse ``<number><d|w|m|y>``; months count 30 days and years 365.

    Raises ValueError with a message fit for a person.
    """
    match = _DURATION.match(text)
    if not match or int(match["count"]) == 0:
        raise ValueError(f"must be a number followed by d, w, m or y (like '180d'), got {text!r}")
    days = int(match["count"]) * _DAYS_PER_UNIT[match["unit"]]
    if days > MAX_DAYS:
        raise ValueError("must be at most 100y")
    return timedelta(days=days)
