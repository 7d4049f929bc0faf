"""A fake Plausible on 127.0.0.1: the Events API a browser sends to, the Stats API v2 read back.

Built from Plausible's documentation (plausible.io/docs/events-api, /docs/stats-api):

- ``POST /api/event`` takes ``application/json`` or ``text/plain`` (read as JSON) with
  ``name``, ``url`` and ``domain`` (``props``: at most 30 string pairs), answers ``202 {}``
  (400 with ``{"errors": {...}}`` without them) and lets any origin post, as Plausible does;
  events for a domain the fake does not know are dropped with ``x-plausible-dropped: 1``.
- ``POST /api/v2/query`` needs ``Authorization: Bearer <key>`` (401 with Plausible's own
  ``{"error": ...}`` texts otherwise), ``site_id``, ``metrics`` and ``date_range``; counts the
  stored events, filtered by ``["is", "event:goal", [...]]`` (a goal must be configured, as on
  Plausible) and ``["is", "event:props:<name>", [...]]``, grouped by ``event:goal`` and
  ``event:props:<name>`` dimensions (``(none)`` when an event lacks the property), metrics
  ``events`` and ``visitors``, ordered by ``order_by`` (else the first metric, descending) and
  paged by ``pagination``; answers ``{"results": [{"dimensions": [...], "metrics": [...]}],
  "meta": {}, "query": {...}}``.

Faults (:class:`tests.fakes.server.Faults`): 429 with ``Retry-After``, 5xx, a hang past the
client's timeout.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.server import Answer, FakeService, Faults, JsonHandler

MISSING_KEY = "Missing API key. Please use a valid Plausible API key as a Bearer Token."
INVALID_KEY = (
    "Invalid API key or site ID. Please make sure you're using a valid API key with access "
    "to the site you've requested."
)
RATE_LIMITED = (
    "Too many API requests. Your API key is limited to 600 requests per hour. Please contact "
    "us to request more capacity."
)
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
}
_METRICS = ("events", "visitors")


@dataclass(frozen=True)
class Event:
    """One event as received: its body, and who sent it (for ``visitors``)."""

    name: str
    url: str
    domain: str
    props: dict[str, str]
    content_type: str
    visitor: str


@dataclass
class FakePlausible(FakeService):
    """Plausible for one or more sites; ``api_key`` reads their stats."""

    api_key: str = "stats-key"
    sites: tuple[str, ...] = ("help.example",)
    goals: tuple[str, ...] = ()
    """Custom-event goals configured for every site (the Stats API filters only on goals)."""
    events: list[Event] = field(default_factory=list)
    requests: list[tuple[str, str, Any]] = field(default_factory=list)
    """Every request: method, path, JSON body."""
    faults: Faults = field(default_factory=Faults)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()

    def error(self, status: int) -> Any:
        if status == 429:
            return {"error": RATE_LIMITED}
        return {"error": "Internal server error"} if status >= 500 else {"error": "Bad request"}

    # The Events API.

    def record(self, body: Any, content_type: str, visitor: str) -> Answer:
        problems = _event_problems(body)
        if problems:
            return 400, {"errors": problems}, dict(_CORS)
        props = {str(key): str(value) for key, value in (body.get("props") or {}).items()}
        if body["domain"] not in self.sites:
            return 202, {}, {**_CORS, "x-plausible-dropped": "1"}
        event = Event(body["name"], body["url"], body["domain"], props, content_type, visitor)
        with self.lock:
            self.events.append(event)
        return 202, {}, dict(_CORS)

    # The Stats API.

    def query(self, authorization: str, body: Any) -> Answer:
        if not authorization.startswith("Bearer "):
            return 401, {"error": MISSING_KEY}, {}
        if not isinstance(body, dict) or not body.get("site_id"):
            return 400, {"error": "Missing site ID. Please provide the required site_id."}, {}
        if authorization.removeprefix("Bearer ").strip() != self.api_key:
            return 401, {"error": INVALID_KEY}, {}
        if body["site_id"] not in self.sites:
            return 401, {"error": INVALID_KEY}, {}
        problem = self._query_problem(body)
        if problem:
            return 400, {"error": problem}, {}
        rows = self._rows(body)
        return 200, {"results": rows, "meta": {}, "query": body}, {}

    def _query_problem(self, body: dict[str, Any]) -> str:
        if "date_range" not in body:
            return "#: Required property date_range was not present."
        metrics = body.get("metrics")
        if not metrics or any(metric not in _METRICS for metric in metrics):
            return f"#/metrics: Invalid metrics {metrics!r}"
        for dimension in body.get("dimensions", []):
            if dimension != "event:goal" and not dimension.startswith("event:props:"):
                return f"#/dimensions: Invalid dimension {dimension!r}"
        for operator, dimension, clauses in body.get("filters", []):
            if operator != "is":
                return f"#/filters: the fake knows only 'is', got {operator!r}"
            if dimension == "event:goal":
                missing = [goal for goal in clauses if goal not in self.goals]
                if missing:
                    return (
                        f"The goal `{missing[0]}` is not configured for this site. Find out "
                        "how to configure goals here: https://plausible.io/docs/stats-api#filtering-by-goals"
                    )
        return ""

    def _rows(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        dimensions: list[str] = body.get("dimensions", [])
        with self.lock:
            events = [e for e in self.events if e.domain == body["site_id"]]
        events = [e for e in events if _passes(e, body.get("filters", []))]
        groups: dict[tuple[str, ...], list[Event]] = defaultdict(list)
        for event in events:
            groups[tuple(_value(event, dimension) for dimension in dimensions)].append(event)
        metrics: list[str] = body["metrics"]
        rows = [
            {"dimensions": list(key), "metrics": [_metric(name, group) for name in metrics]}
            for key, group in groups.items()
        ]
        order = body.get("order_by") or [[metrics[0], "desc"]]
        for name, direction in reversed(order):
            rows.sort(
                key=lambda row: _sort_key(row, name, metrics, dimensions),
                reverse=direction == "desc",
            )
        page = body.get("pagination") or {}
        offset = int(page.get("offset", 0))
        return rows[offset : offset + int(page.get("limit", 10000))]


def _event_problems(body: Any) -> dict[str, list[str]]:
    if not isinstance(body, dict):
        return {"request": ["must be a JSON object"]}
    problems = {
        name: ["can't be blank"] for name in ("name", "url", "domain") if not body.get(name)
    }
    props = body.get("props")
    if props is not None and (not isinstance(props, dict) or len(props) > 30):
        problems["props"] = ["must be an object of at most 30 pairs"]
    return problems


def _value(event: Event, dimension: str) -> str:
    if dimension == "event:goal":
        return event.name
    return event.props.get(dimension.removeprefix("event:props:"), "(none)")


def _passes(event: Event, filters: list[list[Any]]) -> bool:
    return all(_value(event, dimension) in clauses for _, dimension, clauses in filters)


def _metric(name: str, events: list[Event]) -> int:
    return len(events) if name == "events" else len({event.visitor for event in events})


def _sort_key(row: dict[str, Any], name: str, metrics: list[str], dimensions: list[str]) -> Any:
    if name in metrics:
        return row["metrics"][metrics.index(name)]
    return row["dimensions"][dimensions.index(name)]


class _Handler(JsonHandler):
    @property
    def fake(self) -> FakePlausible:
        return self.server.fake  # type: ignore[attr-defined,no-any-return]

    def do_OPTIONS(self) -> None:
        """A browser's CORS preflight (only sent for JSON bodies; text/plain needs none)."""
        self.send_answer(204, b"", dict(_CORS))

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        fake = self.fake
        with fake.lock:
            fake.requests.append(("POST", path, body))
        fault = fake.faults.take(path, "POST")
        if path == "/api/event":
            content_type = self.headers.get("Content-Type", "")
            visitor = f"{self.client_address[0]}|{self.headers.get('User-Agent', '')}"
            handle = lambda: fake.record(body, content_type, visitor)  # noqa: E731
        elif path == "/api/v2/query":
            authorization = self.headers.get("Authorization", "")
            handle = lambda: fake.query(authorization, body)  # noqa: E731
        else:
            handle = lambda: (404, {"error": "Not found"}, {})  # noqa: E731
        status, answer, headers = fake.faults.apply(fault, handle, fake.error)
        self.send_answer(status, answer, headers)


FakePlausible.handler = _Handler
