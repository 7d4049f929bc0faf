"""A fake Mastodon instance on 127.0.0.1, for the real Mastodon.py client.

It speaks the REST API the announcer uses: ``POST /api/v1/statuses`` (form or JSON, with
``Idempotency-Key``: a repeated key returns the first status and makes no second),
``GET /api/v1/accounts/verify_credentials``, ``GET /api/v1/accounts/:id/statuses`` and
``GET /api/v1/instance``. Status content is HTML with the links as ``<a href>``, as Mastodon
renders it. Errors come as ``{"error": "..."}``; a 429 carries Mastodon's ``X-RateLimit-*``
headers (the reset as an ISO 8601 time). A wrong token is a 401.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.social import Answer, Request, _SocialFake

__all__ = ["FakeMastodon", "Request"]

ACCOUNT_ID = "109000000000000001"
_URL = re.compile(r"https?://\S+")
_TOKEN = re.compile(r"(?P<url>https?://\S+)|(?<![\w#&])#(?P<tag>\w+)|(?P<plain>[^#h]+|.)", re.S)
_ACCOUNT_STATUSES = re.compile(r"^/api/v1/accounts/(?P<id>[^/]+)/statuses$")


def render(text: str) -> str:
    """A status's text as Mastodon's HTML content: paragraphs at blank lines, ``<br />`` at
    line ends, a link as an anchor showing its first 30 characters after the scheme (the rest
    in ``invisible`` spans), a hashtag as a link to the instance's tag page."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{_inline(p)}</p>" for p in paragraphs)


def _inline(text: str) -> str:
    pieces = []
    for match in _TOKEN.finditer(text):
        url, tag, plain = match.group("url"), match.group("tag"), match.group("plain")
        if url:
            pieces.append(_anchor(url))
        elif tag:
            pieces.append(
                f'<a href="https://fake.example/tags/{html.escape(tag.lower())}" '
                f'class="mention hashtag" rel="tag">#<span>{html.escape(tag)}</span></a>'
            )
        else:
            pieces.append(html.escape(plain, quote=False).replace("\n", "<br />"))
    return "".join(pieces)


def _anchor(url: str) -> str:
    scheme, _, rest = url.partition("://")
    shown, hidden = rest[:30], rest[30:]
    spans = f'<span class="invisible">{html.escape(scheme)}://</span>'
    ellipsis = "ellipsis" if hidden else ""
    spans += f'<span class="{ellipsis}">{html.escape(shown)}</span>'
    spans += f'<span class="invisible">{html.escape(hidden)}</span>'
    return (
        f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener noreferrer" '
        f'translate="no">{spans}</a>'
    )


class FakeMastodon(_SocialFake):
    """The fake instance: start with :meth:`running`; ``posts`` holds the statuses made,
    ``requests`` every request; ``fail`` and ``rate_limit`` inject errors, ``delay`` lateness."""

    def __init__(self, token: str = "mastodon-token-for-tests") -> None:
        super().__init__()
        self.token = token
        self._keys: dict[str, dict[str, Any]] = {}

    def error_body(self, status: int) -> Any:
        if status == 429:
            return {"error": "Too many requests"}
        if status == 401:
            return {"error": "The access token is invalid"}
        return {"error": f"injected {status}"}

    def rate_limit(self, seconds: int = 300, *, times: int = 1, path: str = "") -> None:
        """Answer the next matching requests 429 with the reset ``seconds`` from now."""
        now = datetime.now(UTC)
        reset = (now + timedelta(seconds=seconds)).isoformat(timespec="milliseconds")
        headers = {
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": reset.replace("+00:00", "Z"),
        }
        self.fail(429, headers=headers, times=times, path=path)

    def listed(self) -> list[dict[str, Any]]:
        """The statuses, newest first, as ``GET /api/v1/accounts/:id/statuses`` shows them."""
        return [_view(status) for status in reversed(self.posts)]

    def statuses(self) -> list[Request]:
        """The requests that posted a status."""
        return [r for r in self.sent("POST") if r.path == "/api/v1/statuses"]

    def answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Answer:
        if path == "/api/v1/instance":
            return 200, {"uri": "fake.example", "title": "Fake", "version": "4.3.0"}, {}
        if headers.get("authorization") != f"Bearer {self.token}":
            return 401, {"error": "The access token is invalid"}, {}
        if method == "POST" and path == "/api/v1/statuses":
            return self._post(headers, body if isinstance(body, dict) else {})
        if method == "GET" and path == "/api/v1/accounts/verify_credentials":
            return 200, self._account(), {}
        match = _ACCOUNT_STATUSES.match(path)
        if method == "GET" and match:
            if match["id"] != ACCOUNT_ID:
                return 404, {"error": "Record not found"}, {}
            limit = int(query.get("limit", "20"))
            return 200, self.listed()[:limit], {}
        return 404, {"error": "Record not found"}, {}

    def _post(self, headers: dict[str, str], form: dict[str, Any]) -> Answer:
        key = headers.get("idempotency-key")
        if key and key in self._keys:
            return 200, _view(self._keys[key]), {}
        text = str(form.get("status") or "")
        if not text:
            return 422, {"error": "Validation failed: Text can't be blank"}, {}
        status = {
            "id": str(110000000000000000 + len(self.posts) + 1),
            "created_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "content": render(text),
            "text": text,  # What was sent; kept here, Mastodon only returns it on delete.
            "visibility": form.get("visibility") or "public",
            "language": form.get("language"),
            "uri": f"https://fake.example/users/carebase/statuses/{len(self.posts) + 1}",
            "url": f"https://fake.example/@carebase/{len(self.posts) + 1}",
            "account": self._account(),
            "media_attachments": [],
            "mentions": [],
            "tags": [],
            "emojis": [],
        }
        links = _URL.findall(text)
        status["card"] = _card(links[0]) if links else None
        self.posts.append(status)
        if key:
            self._keys[key] = status
        return 200, _view(status), {}

    def _account(self) -> dict[str, Any]:
        return {
            "id": ACCOUNT_ID,
            "username": "carebase",
            "acct": "carebase",
            "display_name": "Carebase",
            "url": "https://fake.example/@carebase",
            "created_at": "2024-01-01T00:00:00.000Z",
        }


def _view(status: dict[str, Any]) -> dict[str, Any]:
    """A status as the API returns it: without ``text`` (the source), which only a delete
    returns."""
    return {name: value for name, value in status.items() if name != "text"}


def _card(url: str) -> dict[str, Any]:
    """The preview card Mastodon fetches for a status's first link."""
    return {"url": url, "title": "Carebase", "description": "", "type": "link", "image": None}
