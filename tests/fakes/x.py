"""A fake X API v2 on 127.0.0.1, for the real tweepy client (redirected to it).

It answers ``POST /2/tweets`` (``{"data": {"id", "text"}}``; the same text twice is X's 403
"duplicate content"), ``GET /2/users/me`` and ``GET /2/users/:id/tweets`` (links rewritten to
``t.co`` in ``text``, the real address in ``entities.urls[].expanded_url``, as X does). Requests
must carry an OAuth 1.0a ``Authorization`` header with the right consumer key and access token
(the signature is not checked); otherwise 401. Errors come in X's problem format
(``{"title", "detail", "type", "status"}``); a 429 carries ``x-rate-limit-*`` headers (the reset
a Unix time).
"""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import unquote

from tests.fakes.social import Answer, Request, _SocialFake

__all__ = ["FakeX", "Request"]

USER_ID = "1790000000000000001"
DUPLICATE = {
    "detail": "You are not allowed to create a Tweet with duplicate content.",
    "type": "about:blank",
    "title": "Forbidden",
    "status": 403,
}
_TITLES = {
    400: "Invalid Request",
    401: "Unauthorized",
    403: "Forbidden",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_URL = re.compile(r"https?://\S+")
_USER_TWEETS = re.compile(r"^/2/users/(?P<id>\d+)/tweets$")
_OAUTH = re.compile(r'(\w+)="([^"]*)"')


class FakeX(_SocialFake):
    """The fake API: start with :meth:`running`; ``posts`` holds the posts made (``id``,
    ``text``, ``urls``), ``requests`` every request; ``fail`` and ``rate_limit`` inject errors,
    ``delay`` lateness."""

    def __init__(
        self, consumer_key: str = "consumer-key-for-tests", access_token: str = "access-token"
    ) -> None:
        super().__init__()
        self.consumer_key = consumer_key
        self.access_token = access_token

    def error_body(self, status: int) -> Any:
        title = _TITLES.get(status, "Error")
        return {"title": title, "detail": f"injected {status}", "type": "about:blank"} | {
            "status": status
        }

    def rate_limit(self, seconds: int = 900, *, times: int = 1, path: str = "") -> None:
        """Answer the next matching requests 429, the window resetting ``seconds`` from now."""
        headers = {
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(int(time.time()) + seconds),
        }
        self.fail(429, headers=headers, times=times, path=path)

    def answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Answer:
        if not self._authorized(headers.get("authorization", "")):
            return 401, self.error_body(401) | {"detail": "Unauthorized"}, {}
        if method == "POST" and path == "/2/tweets":
            return self._post(body if isinstance(body, dict) else {})
        if method == "GET" and path == "/2/users/me":
            return 200, {"data": {"id": USER_ID, "name": "Carebase", "username": "carebase"}}, {}
        match = _USER_TWEETS.match(path)
        if method == "GET" and match and match["id"] == USER_ID:
            return self._timeline(query)
        return 404, self.error_body(404) | {"title": "Not Found Error"}, {}

    def _authorized(self, header: str) -> bool:
        if not header.startswith("OAuth "):
            return False
        fields = {name: unquote(value) for name, value in _OAUTH.findall(header)}
        return (
            fields.get("oauth_consumer_key") == self.consumer_key
            and fields.get("oauth_token") == self.access_token
            and bool(fields.get("oauth_signature"))
        )

    def _post(self, body: dict[str, Any]) -> Answer:
        text = str(body.get("text") or "")
        if not text:
            return 400, self.error_body(400) | {"detail": "text is required"}, {}
        if any(post["text"] == text for post in self.posts):
            return 403, DUPLICATE, {}
        post_id = str(1800000000000000000 + len(self.posts) + 1)
        self.posts.append({"id": post_id, "text": text, "urls": _URL.findall(text)})
        return 201, {"data": {"id": post_id, "text": text, "edit_history_tweet_ids": [post_id]}}, {}

    def listed(self, *, entities: bool = False) -> list[dict[str, Any]]:
        """The posts, newest first, as ``GET /2/users/:id/tweets`` shows them."""
        return [self._view(post, entities) for post in reversed(self.posts)]

    def _timeline(self, query: dict[str, str]) -> Answer:
        limit = int(query.get("max_results", "10"))
        wants_entities = "entities" in query.get("tweet.fields", "")
        tweets = self.listed(entities=wants_entities)[:limit]
        meta = {"result_count": len(tweets)}
        return 200, ({"data": tweets, "meta": meta} if tweets else {"meta": meta}), {}

    def _view(self, post: dict[str, Any], entities: bool) -> dict[str, Any]:
        text, urls = post["text"], []
        for number, url in enumerate(post["urls"], 1):
            short = f"https://t.co/fake{number:06d}"
            start = text.index(url)
            text = text[:start] + short + text[start + len(url) :]
            urls.append({"start": start, "end": start + len(short), "url": short})
            urls[-1] |= {"expanded_url": url, "display_url": url.split("://", 1)[1][:25]}
        view: dict[str, Any] = {
            "id": post["id"],
            "text": text,
            "edit_history_tweet_ids": [post["id"]],
        }
        if entities and urls:
            view["entities"] = {"urls": urls}
        return view
