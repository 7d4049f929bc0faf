"""What every fake service shares: an HTTP server on a free port of 127.0.0.1, in a thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], fake: Any) -> Iterator[ThreadingHTTPServer]:
    """Serve ``handler`` (which finds ``fake`` as ``self.server.fake``) until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True  # A handler sleeping for a timeout test must not block.
    server.fake = fake  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def local_url(server: ThreadingHTTPServer | None) -> str:
    """The base URL of a running fake."""
    assert server is not None, "the fake is not running"
    return f"http://127.0.0.1:{server.server_address[1]}"
