"""What every fake service shares: serving on a free port of 127.0.0.1 in a thread, JSON in
and out, and the failures a test injects.

A :class:`Fault` is either an answer (an error status, or only lateness), or one of the meaner
modes of :data:`MODES`: the fake stores the post and then answers 500, hangs past the client's
timeout or closes the connection unanswered; it closes before handling; it answers 429 with a
long Retry-After. Each fires ``times`` times, or with a ``probability`` drawn from the seeded
:attr:`Faults.rng`, on requests matching a path part and a method (``GET``: the look-ups).
"""

from __future__ import annotations

import gzip
import json
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self


class JsonHandler(BaseHTTPRequestHandler):
    """A request handler answering JSON (or bytes), quiet: tests read the fake's request log."""

    protocol_version = "HTTP/1.1"  # Keep-alive, as the clients' sessions expect.
    # Headers and body go out in two writes: with Nagle's algorithm and delayed ACKs, every
    # answer on a kept-alive connection would wait 40 ms for the second.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except ConnectionResetError:
            self.close_connection = True  # The client was killed (a SIGKILL trial).
        except Dropped:
            self.close_connection = True
            with suppress(OSError):  # The client may be gone already.
                self.connection.shutdown(socket.SHUT_RDWR)

    def send_answer(self, status: int, answer: Any, headers: dict[str, str]) -> None:
        """Send ``answer`` (JSON, unless it is bytes) with ``headers``."""
        data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        try:
            self.send_response(status)
            if "Content-Type" not in headers:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # The client gave up waiting (a timeout test).

    def json_body(self) -> Any:
        """The request's JSON body (gzipped or not), or None without one."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        return json.loads(raw) if raw else None


class FakeService:
    """Base of the fakes: :meth:`running` serves ``handler``; ``url`` while it runs."""

    handler: ClassVar[type[JsonHandler]]
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """The base URL of the running fake."""
        assert self._server is not None, "the fake is not running"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @contextmanager
    def running(self) -> Iterator[Self]:
        """Serve on a free port of 127.0.0.1 until the block ends."""
        server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        server.daemon_threads = True  # A handler sleeping for a timeout test must not block.
        server.fake = self  # type: ignore[attr-defined]
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        self._server = server
        try:
            yield self
        finally:
            self._server = None
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)


Answer = tuple[int, Any, dict[str, str]]
"""A fake's answer: status, body (JSON, or bytes), headers."""

MODES = (
    "answer",
    "commit_then_500",
    "commit_then_timeout",
    "commit_then_drop",
    "drop",
    "rate_limit",
)
"""``answer``: ``status`` (None: only late by ``delay``); ``commit_then_*``: handled and stored,
then a 500, a hang of ``delay`` seconds before closing, or a close; ``drop``: closed before
handling; ``rate_limit``: 429 with ``Retry-After: retry_after``."""


class Dropped(Exception):
    """Close the connection without an answer (:meth:`JsonHandler.handle_one_request`)."""


@dataclass
class Fault:
    """A failure a test injects: the next ``times`` requests whose path contains ``path``
    (and whose method is ``method``, when given), each with ``probability``."""

    status: int | None
    """None: the answer is only late (``delay``)."""
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    path: str = ""
    times: int = 1
    mode: str = "answer"
    method: str = ""
    probability: float = 1.0
    retry_after: int = 3600
    label: str = ""
    """What :attr:`Faults.fired` counts it as; ``mode`` by default."""

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and self.path in path and self.method in ("", method)


class Faults:
    """Injected failures, taken by matching requests in the order they were added."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self._queue: list[Fault] = []
        self._lock = threading.Lock()
        self.rng = rng or random.Random(0)
        """Draws the faults that fire with a probability: seed it for a repeatable plan."""
        self.fired: Counter[str] = Counter()

    def add(self, fault: Fault) -> None:
        assert fault.mode in MODES, fault.mode
        with self._lock:
            self._queue.append(fault)

    def take(self, path: str, method: str = "") -> Fault | None:
        """The fault for a request to ``path``, if one is due (and count it used)."""
        with self._lock:
            for fault in self._queue:
                if not fault.matches(method, path):
                    continue
                if fault.probability < 1 and self.rng.random() >= fault.probability:
                    continue
                fault.times -= 1
                self.fired[fault.label or fault.mode] += 1
                return fault
        return None

    def apply(
        self, fault: Fault | None, handle: Callable[[], Answer], error: Callable[[int], Any]
    ) -> Answer:
        """The answer to a request under ``fault``: ``handle`` makes the fake's own (and
        stores what it posts); ``error`` is the service's body for a status. Raises
        :class:`Dropped` for the modes that close the connection."""
        if fault is None:
            return handle()
        if fault.mode in ("answer", "rate_limit"):
            time.sleep(fault.delay)
            if fault.mode == "rate_limit":
                return 429, error(429), {"Retry-After": str(fault.retry_after), **fault.headers}
            if fault.status is None:
                return handle()
            return fault.status, fault.body, dict(fault.headers)
        if fault.mode == "drop":
            raise Dropped
        handle()  # The commit_then_* modes: the request took effect, the answer is lost.
        if fault.mode == "commit_then_500":  # Or the status the fault names (503, …).
            status = fault.status or 500
            body = error(status) if fault.body is None else fault.body
            return status, body, dict(fault.headers)
        time.sleep(fault.delay if fault.mode == "commit_then_timeout" else 0)
        raise Dropped
