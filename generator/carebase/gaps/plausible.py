"""Plausible's Stats API v2 (``POST /api/v2/query``), read with a key from the environment.

One query per kind of unanswered search: the goal of its event (Plausible filters custom
events only by goals, so each event name must be a goal of the site), grouped by the
``query`` and ``lang`` properties the search box sends, counted in ``events``. A 429 waits
its ``Retry-After`` (or a backoff) and tries again, up to :data:`MAX_WAIT` seconds; 5xx
answers and timeouts are tried again with a growing delay; anything else is an error that
says what to do. The key is remembered for redaction and never printed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from carebase.gaps.model import EVENT_NAMES, FEEDBACK_EVENT, GapsError, Sighting
from carebase.redaction import remember
from carebase.retry_after import retry_after_seconds

ATTEMPTS = 4
MAX_WAIT = 120.0
"""Longest ``Retry-After`` worth waiting for; beyond it the report stops and says so."""
PERIODS = ("day", "7d", "28d", "30d", "91d", "month", "6mo", "12mo", "year", "all")
"""Plausible's ``date_range`` shortcuts."""
PAGE = 1000


@dataclass(frozen=True)
class Rating:
    """How often one page got one "Was this page helpful?" answer."""

    page: str
    rating: str
    count: int


class PlausibleStats:
    """Queries one site's stats."""

    def __init__(
        self, endpoint: str, site_id: str, key: str, *, key_env: str, timeout: float = 20.0
    ) -> None:
        remember(key)
        self.endpoint = endpoint.rstrip("/")
        self.site_id = site_id
        self.key_env = key_env
        self.timeout = timeout
        self.backoff = 0.25
        """Seconds before the first retry of a 5xx or timeout; doubled each time, jittered."""
        self._http = httpx.Client(
            base_url=self.endpoint,
            headers={"Authorization": f"Bearer {key}", "User-Agent": "carebase-report"},
            timeout=timeout,
        )
        self._random = random.Random()

    def close(self) -> None:
        self._http.close()

    def unanswered(self, period: str, limit: int) -> Iterator[Sighting]:
        """The questions of each kind, most asked first, at most ``limit`` of each."""
        for kind, names in EVENT_NAMES.items():
            rows = self.rows(
                {
                    "metrics": ["events"],
                    "date_range": period,
                    "filters": [["is", "event:goal", [names["plausible"]]]],
                    "dimensions": ["event:props:query", "event:props:lang"],
                    "order_by": [["events", "desc"]],
                    "pagination": {"limit": limit, "offset": 0},
                }
            )
            for dimensions, metrics in rows:
                yield Sighting(str(dimensions[0]), kind, _count(metrics[0]), str(dimensions[1]))

    def ratings(self, period: str) -> list[Rating]:
        """Every page's "Was this page helpful?" answers."""
        rows = self.rows(
            {
                "metrics": ["events"],
                "date_range": period,
                "filters": [["is", "event:goal", [FEEDBACK_EVENT["plausible"]]]],
                "dimensions": ["event:props:page", "event:props:rating"],
                "pagination": {"limit": PAGE, "offset": 0},
            }
        )
        return [Rating(str(d[0]), str(d[1]), _count(m[0])) for d, m in rows]

    def rows(self, query: dict[str, Any]) -> list[tuple[list[Any], list[Any]]]:
        """The ``results`` of a query as (dimensions, metrics) pairs."""
        answer = self._post({"site_id": self.site_id, **query})
        results = answer.get("results")
        if not isinstance(results, list):
            raise GapsError(f"Plausible at {self.endpoint}: the answer has no 'results' list")
        try:
            return [(list(row["dimensions"]), list(row["metrics"])) for row in results]
        except (KeyError, TypeError):
            raise GapsError(
                f"Plausible at {self.endpoint}: a result row has no 'dimensions' and 'metrics'"
            ) from None

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        failure = ""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = self._http.post("/api/v2/query", json=body)
            except httpx.TimeoutException:
                failure = f"did not answer within {self.timeout:g} s"
            except httpx.TransportError as exc:
                failure = f"could not be reached ({str(exc) or type(exc).__name__})"
            else:
                if response.status_code == 429:
                    time.sleep(self._wait_asked(response, attempt))
                    failure = "kept asking us to slow down (429)"
                    continue
                if response.status_code < 500:
                    return self._decode(response)
                failure = f"answered {response.status_code} {response.reason_phrase}"
            if attempt < ATTEMPTS:
                time.sleep(self.backoff * 2 ** (attempt - 1) * self._random.uniform(0.5, 1.5))
        raise GapsError(
            f"Plausible at {self.endpoint} {failure} ({ATTEMPTS} attempts)\n  hint: try again later"
        )

    def _wait_asked(self, response: httpx.Response, attempt: int) -> float:
        seconds = retry_after_seconds(response.headers.get("Retry-After"))
        if seconds is None:
            seconds = self.backoff * 2 ** (attempt - 1)
        if seconds > MAX_WAIT:
            raise GapsError(
                f"Plausible at {self.endpoint} is rate limiting this key for {seconds:.0f} s "
                f"(more than {MAX_WAIT:.0f} s)\n  hint: try again later; a key makes at most "
                "600 requests an hour unless Plausible raised its limit"
            )
        return seconds

    def _decode(self, response: httpx.Response) -> dict[str, Any]:
        try:
            answer = response.json()
        except (ValueError, RecursionError):
            answer = None
        said = answer.get("error") if isinstance(answer, dict) else None
        status = response.status_code
        if status == 401:
            raise GapsError(
                f"Plausible at {self.endpoint} refused the key in {self.key_env} for site "
                f"'{self.site_id}' (401: {said or 'unauthorised'})\n  hint: create a Stats API "
                "key in Plausible's account settings, and check 'domain' under "
                "plugins.carebase/search.analytics"
            )
        if status >= 400:
            raise GapsError(
                f"Plausible at {self.endpoint} answered {status}: {said or response.reason_phrase}"
                f"\n  hint: {_hint(status, said or '')}"
            )
        if not isinstance(answer, dict):
            raise GapsError(
                f"Plausible at {self.endpoint} did not answer a JSON object; is 'endpoint' the "
                "address of a Plausible server?"
            )
        return answer


def _hint(status: int, said: str) -> str:
    if "goal" in said:
        names = [names["plausible"] for names in EVENT_NAMES.values()]
        goals = ", ".join(f"'{name}'" for name in [*names, FEEDBACK_EVENT["plausible"]])
        return f"add the custom-event goals {goals} in the site's settings on Plausible"
    if status == 402:
        return "the Stats API needs a Plausible plan that includes it"
    if status == 404:
        return "is 'endpoint' the address of a Plausible server?"
    return "see the 'Content gaps' part of the README's Search section"


def _count(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
