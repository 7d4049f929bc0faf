"""Reading a Discourse forum's JSON politely: retries, rate limits, and errors a person can act on.

Discourse answers 429 when we go too fast, with ``Retry-After`` or, in its JSON body,
``extras.wait_seconds``: every thread of the import then waits that long. 5xx answers,
timeouts and dropped connections are retried with exponential backoff and jitter, a bounded
number of times. What remains becomes a :class:`DiscourseError` naming the forum, the
request and what to do, never a key: keys travel in headers, and messages show only paths.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx

from carebase.errors import CarebaseError
from carebase.importers.settings import ENV
from carebase.retry_after import retry_after_seconds

Json = dict[str, Any]

ATTEMPTS = 5
MAX_BACKOFF = 30.0
MAX_WAIT = 300.0
"""The longest ``Retry-After`` we sit through; beyond it the run stops with an error."""
GONE = {403: "private", 404: "deleted", 410: "deleted"}
"""What a topic's answer means when it is not there for anyone: why its article goes."""
_log = logging.getLogger(__name__)


class DiscourseError(CarebaseError):
    """A Discourse forum could not be read: unreachable, refusing us, or not Discourse."""


class Gone(Exception):
    """A topic answered 403, 404 or 410: it went private or was deleted."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class Politeness:
    """How hard to try: per-request timeout, attempts, and the first retry's delay."""

    timeout: float = 20.0
    attempts: int = ATTEMPTS
    backoff: float = 0.5
    """Seconds before the first retry of a 5xx or timeout; doubled each time, jittered."""


class DiscourseApi:
    """GET requests with JSON answers to one forum; safe to share between threads."""

    def __init__(
        self,
        base: str,
        headers: Mapping[str, str],
        politeness: Politeness,
        *,
        connections: int,
        counted: Callable[[], None],
    ) -> None:
        self.base = base
        self.politeness = politeness
        self._authenticated = "Api-Key" in headers
        self._counted = counted
        self._http = httpx.Client(
            base_url=base,
            headers=dict(headers),
            timeout=politeness.timeout,
            follow_redirects=True,
            limits=httpx.Limits(max_connections=connections),
        )
        self._lock = threading.Lock()
        self._resume_at = 0.0
        self._random = random.Random()
        _quiet_client_logs()

    def __enter__(self) -> DiscourseApi:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._http.close()

    def get(
        self, path: str, *, params: Sequence[tuple[str, str]] = (), gone_ok: bool = False
    ) -> Json:
        """The JSON object at ``path``; retried on 429, 5xx and timeouts; else an error.

        With ``gone_ok``, 403, 404 and 410 raise :class:`Gone` instead of an error.
        """
        attempts = self.politeness.attempts
        failure = ""
        for attempt in range(1, attempts + 1):
            self._wait_turn()
            self._counted()
            response, failure = self._send(path, params)
            if response is not None and response.status_code == 429:
                self._pause(self._wait_asked(response, path))
                continue
            if response is not None and response.status_code < 500:
                return self._decode(response, path, gone_ok)
            if attempt < attempts:
                _log.info("GET %s %s; trying again (%d of %d)", path, failure, attempt, attempts)
                time.sleep(self._backoff(attempt))
        raise DiscourseError(
            f"Discourse at {self.base}: GET {path} {failure} ({attempts} attempts); try again later"
        )

    def _send(
        self, path: str, params: Sequence[tuple[str, str]]
    ) -> tuple[httpx.Response | None, str]:
        """The response, and what went wrong if it is not one to use."""
        try:
            response = self._http.get(path, params=list(params) or None)
        except httpx.TimeoutException:
            return None, f"did not answer within {self.politeness.timeout:g} s"
        except httpx.TransportError as exc:
            return None, f"could not be reached ({str(exc) or type(exc).__name__})"
        if response.status_code == 429:
            return response, "kept asking us to slow down (429)"
        return response, f"answered {response.status_code} {response.reason_phrase}"

    def _decode(self, response: httpx.Response, path: str, gone_ok: bool) -> Json:
        status = response.status_code
        if gone_ok and status in GONE:
            raise Gone(status)
        if status in (401, 403):
            raise DiscourseError(self._refused(path, status))
        if status >= 400:
            raise DiscourseError(
                f"Discourse at {self.base}: GET {path} answered {status} "
                f"{response.reason_phrase}; is this the address of a Discourse forum?"
            )
        try:
            answer = response.json()
        except (ValueError, RecursionError):  # Not JSON, or nested too deeply to read.
            answer = None
        if not isinstance(answer, dict):
            raise DiscourseError(
                f"Discourse at {self.base}: GET {path} did not answer a JSON object; "
                "is this the address of a Discourse forum?"
            )
        return answer

    def _refused(self, path: str, status: int) -> str:
        where = f"Discourse at {self.base} refused GET {path} ({status})"
        key, user = ENV["discourse_api_key"], ENV["discourse_api_username"]
        if self._authenticated:
            return f"{where}: check the key in {key} and the user in {user}"
        return f"{where}: the forum may need an API key: set {key} and {user}"

    def _wait_asked(self, response: httpx.Response, path: str) -> float:
        """Seconds a 429 asks us to wait: ``Retry-After``, else Discourse's ``wait_seconds``."""
        seconds = retry_after_seconds(response.headers.get("Retry-After"))
        if seconds is None:
            seconds = _wait_seconds(response)
        if seconds is None:
            seconds = self._backoff(1)
        if seconds > MAX_WAIT:
            raise DiscourseError(
                f"Discourse at {self.base}: GET {path} was rate limited for {seconds:.0f} s "
                f"(more than {MAX_WAIT:.0f} s); try again later"
            )
        _log.info("Discourse asked us to slow down: waiting %.1f s", seconds)
        return seconds

    def _pause(self, seconds: float) -> None:
        with self._lock:
            self._resume_at = max(self._resume_at, time.monotonic() + seconds)

    def _wait_turn(self) -> None:
        """Sleep while a 429 told every thread to hold off."""
        while True:
            with self._lock:
                wait = self._resume_at - time.monotonic()
            if wait <= 0:
                return
            time.sleep(wait)

    def _backoff(self, attempt: int) -> float:
        delay = min(self.politeness.backoff * 2.0 ** (attempt - 1), MAX_BACKOFF)
        return delay * self._random.uniform(0.5, 1.5)


def _wait_seconds(response: httpx.Response) -> float | None:
    try:
        extras = response.json().get("extras") or {}
        return max(0.0, float(extras["wait_seconds"]))
    except (ValueError, AttributeError, KeyError, TypeError, RecursionError):
        return None


def _quiet_client_logs() -> None:
    """httpx logs every request at INFO: 12,000 lines for a forum, none of them news."""
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.level, logging.WARNING))
