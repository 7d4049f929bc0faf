"""The build's idea of "now": the real time, or ``SOURCE_DATE_EPOCH`` for reproducible builds.

Stale flags and service notices depend on the date; pinning it makes a build reproducible
and lets tests build the same site as it will look on another day.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from carebase.errors import ProjectError


def build_time() -> datetime:
    """The time the site is built as of, timezone-aware (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(UTC)
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except ValueError as exc:
        raise ProjectError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got {epoch!r}"
        ) from exc
