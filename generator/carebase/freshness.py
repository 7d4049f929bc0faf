"""When an article was last reviewed and whether it may be out of date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from carebase.models import ArticleMeta


@dataclass(frozen=True)
class ReviewStatus:
    """The review dates of an article; ``stale`` once the due date has passed."""

    reviewed: date | None
    due: date | None
    stale: bool


def review_status(meta: ArticleMeta, today: date) -> ReviewStatus:
    """Work out the review status of an article on ``today``."""
    interval = meta.review_interval
    if meta.reviewed is None or interval is None:
        return ReviewStatus(meta.reviewed, None, stale=False)
    try:
        due = meta.reviewed + interval
    except OverflowError:  # Reviewed in the year 9999: due after the calendar ends.
        due = date.max
    return ReviewStatus(meta.reviewed, due, stale=due < today)
