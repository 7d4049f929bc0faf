"""What the networks spoken to with plain httpx share: one request, its failures mapped onto the
announcer's errors (:mod:`carebase.announce.model`), every message one line without secrets.

A network module passes an ``interpret`` function that knows its own error bodies (Graph's
``error.code``, LinkedIn's ``DUPLICATE_POST``); whatever it leaves is mapped by status alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from carebase.announce.model import RateLimited, Rejected, SendError, Transient
from carebase.announce.secrets import redact
from carebase.retry_after import retry_after_seconds

Interpret = Callable[[httpx.Response], SendError | None]
"""A network's reading of a failed answer; None leaves it to the status."""

EXCERPT = 200
"""Characters of an answer's body quoted in an error."""

# The request cannot have left the machine: sending again is safe.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
# A configuration mistake, not a passing failure.
_BROKEN = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


def one_line(text: str, limit: int = EXCERPT * 2) -> str:
    """``text`` redacted, on one line, at most ``limit`` characters.

    Redacted before it is cut, so that a secret cut in half cannot slip past :func:`redact`.
    """
    flat = " ".join(redact(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def request(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    what: str,
    interpret: Interpret | None = None,
    **options: Any,
) -> httpx.Response:
    """Send one request; the answer when it succeeded (2xx), else the error it means.

    ``what`` names the account in messages (``"the Facebook page facebook-en"``); the URL never
    appears, since for webhooks it is the secret.
    """
    try:
        response = client.request(method, url, **options)
    except httpx.InvalidURL:
        raise Rejected(one_line(f"{what}: the configured address is not a valid URL")) from None
    except httpx.RequestError as exc:
        # Not chained: httpx's exceptions carry the request, and with it the URL and headers.
        raise transport_error(exc, what, client.timeout) from None
    if response.is_success:
        return response
    error = interpret(response) if interpret is not None else None
    raise error or status_error(response, what)


def transport_error(
    exc: httpx.RequestError, what: str, timeout: httpx.Timeout | None = None
) -> SendError:
    """The error meant by a request that got no answer: "maybe sent" unless it provably never
    left (no connection, no free connection in the pool, a malformed request)."""
    cause = one_line(str(exc) or type(exc).__name__, EXCERPT)
    if isinstance(exc, _BROKEN):
        return Rejected(one_line(f"{what}: the request could not be made ({cause})"))
    if isinstance(exc, _NOT_SENT):
        return Transient(one_line(f"{what}: could not connect ({cause})"), maybe_sent=False)
    if isinstance(exc, httpx.TimeoutException):
        seconds = timeout.read if timeout is not None else None
        limit = f" within {seconds:g} s" if seconds is not None else ""
        return Transient(
            one_line(f"{what}: no answer{limit}; the post may have been made"), maybe_sent=True
        )
    # Read and write errors, a dropped connection, an answer that could not be decoded: the
    # request may have arrived.
    return Transient(
        one_line(f"{what}: the connection failed ({cause}); the post may have been made"),
        maybe_sent=True,
    )


def status_error(response: httpx.Response, what: str, detail: str | None = None) -> SendError:
    """The error meant by a failed answer's status (see :func:`by_status`)."""
    status = response.status_code
    detail = excerpt(response) if detail is None else detail
    text = one_line(f"{what}: HTTP {status}" + (f" {detail}" if detail else ""))
    return by_status(status, text, retry_after(response))


def by_status(status: int, text: str, wait: float | None = None) -> SendError:
    """Every network's rule for a failed answer: 429 waits (``wait`` seconds, if known), 408
    and 5xx pass, the rest is final.

    A 5xx may come after the server committed the post (Graph and webhooks do that under load):
    it is "maybe sent", to be reconciled before sending again. A 408 says the server stopped
    waiting for the request before it had it whole."""
    if status == 429:
        return RateLimited(text, wait)
    if status >= 500:
        return Transient(text, maybe_sent=True)
    if status == 408:
        return Transient(text)
    return Rejected(text)


def requests_transport_error(cause: BaseException | None, what: str, made: str) -> Transient:
    """The error meant by a ``requests`` call that got no answer (Mastodon.py and tweepy use
    requests); ``made`` is what may have happened regardless ("the post may have been made").

    Only a failure to connect (refused, DNS, connect timeout) or a request that could not be
    made (an invalid address) is known not to have left; a read timeout, a dropped connection
    (``ConnectionError`` after sending, ``ChunkedEncodingError``) may follow a post made."""
    if not_sent_by_requests(cause):
        return Transient(one_line(f"{what}: could not connect"), maybe_sent=False)
    if isinstance(cause, requests.Timeout):
        return Transient(one_line(f"{what}: no answer in time; {made}"), maybe_sent=True)
    reason = type(cause).__name__ if cause is not None else "network error"
    return Transient(one_line(f"{what}: the connection failed ({reason}); {made}"), maybe_sent=True)


def not_sent_by_requests(cause: BaseException | None) -> bool:
    """Whether ``requests`` failed before the request left the machine."""
    if isinstance(cause, requests.ConnectTimeout | requests.exceptions.InvalidURL):
        return True
    if isinstance(cause, requests.exceptions.MissingSchema | requests.exceptions.InvalidSchema):
        return True
    if not isinstance(cause, requests.ConnectionError):
        return False
    # requests wraps urllib3's MaxRetryError, whose ``reason`` says what happened; a refused
    # connection and a failed name look-up are NewConnectionError (NameResolutionError is one).
    reason = getattr(cause.args[0], "reason", None) if cause.args else None
    return isinstance(reason, NewConnectionError | ConnectTimeoutError)


def retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), if any."""
    return retry_after_seconds(response.headers.get("Retry-After"))


def json_of(response: httpx.Response) -> Any:
    """The answer's JSON, or None when it has none."""
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object, or an empty one when it is something else."""
    body = json_of(response)
    return body if isinstance(body, dict) else {}


def message_of(response: httpx.Response, body: Any) -> str:
    """What a failed answer says: its JSON ``message`` (Discord's, LinkedIn's), else the start of
    its body."""
    said = body.get("message") if isinstance(body, dict) else None
    return one_line(str(said)) if said else excerpt(response)


def excerpt(response: httpx.Response) -> str:
    """The start of the answer's body, for a message."""
    try:
        text = response.text
    except UnicodeDecodeError:
        return ""
    return one_line(text, EXCERPT)


def unreadable(what: str, problem: str) -> Transient:
    """A 2xx answer without what it should carry: the post was probably made, unconfirmed."""
    return Transient(one_line(f"{what}: {problem}; the post may have been made"), maybe_sent=True)
