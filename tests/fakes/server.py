"""What every fake service shares: serving on a free port of 127.0.0.1 in a thread, JSON in
and out, and the failures a test injects."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


@dataclass
class Fault:
    """A failure a test injects: the next ``times`` requests whose path contains ``path``."""

    status: int | None
    """None: the answer is only late (``delay``)."""
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    path: str = ""
    times: int = 1


class Faults:
    """Injected failures, taken by matching requests in the order they were added."""

    def __init__(self) -> None:
        self._queue: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._queue.append(fault)

    def take(self, path: str) -> Fault | None:
        """The fault for a request to ``path``, if one is due (and count it used)."""
        with self._lock:
            for fault in self._queue:
                if fault.times > 0 and fault.path in path:
                    fault.times -= 1
                    return fault
        return None
