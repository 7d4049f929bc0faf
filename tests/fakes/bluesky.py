"""A fake Bluesky PDS on 127.0.0.1, for the real atproto client.

It speaks the XRPC calls the announcer makes: ``com.atproto.server.createSession`` (handle and
app password; 401 ``AuthenticationRequired`` otherwise), ``com.atproto.repo.createRecord`` with
the session's bearer token, and ``app.bsky.feed.getAuthorFeed`` (post views with the record and
the card's ``app.bsky.embed.external#view``). Errors come as XRPC's ``{"error", "message"}``; a
429 carries Bluesky's ``ratelimit-*`` headers (the reset a Unix time).
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from tests.fakes.social import Answer, Request, _SocialFake

__all__ = ["FakeBluesky", "Request"]

DID = "did:plc:carebasefaketest0000000"


def _jwt(subject: str, scope: str) -> str:
    """An unsigned JWT the client can read the expiry of (it refreshes 15 min before)."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    payload = {"scope": scope, "sub": subject, "iat": int(time.time())}
    payload["exp"] = int(time.time()) + 7200
    return f"{part({'alg': 'ES256K', 'typ': 'JWT'})}.{part(payload)}.c2lnbmF0dXJl"


class FakeBluesky(_SocialFake):
    """The fake PDS: start with :meth:`running`; ``posts`` holds the records made (with
    ``uri``), ``requests`` every request; ``fail`` and ``rate_limit`` inject errors, ``delay``
    lateness."""

    def __init__(
        self, handle: str = "carebase.test", password: str = "app-password-for-tests"
    ) -> None:
        super().__init__()
        self.user = handle
        """The account's handle (``handle`` is the request handler's)."""
        self.password = password
        self.sessions = 0
        self._access = _jwt(DID, "com.atproto.appPass")

    def error_body(self, status: int) -> Any:
        names = {
            400: "InvalidRequest",
            401: "AuthenticationRequired",
            429: "RateLimitExceeded",
            500: "InternalServerError",
            502: "UpstreamFailure",
            503: "NotEnoughResources",
        }
        return {"error": names.get(status, "InternalServerError"), "message": f"injected {status}"}

    def rate_limit(self, seconds: int = 300, *, times: int = 1, path: str = "") -> None:
        """Answer the next matching requests 429, the window resetting ``seconds`` from now."""
        headers = {
            "ratelimit-limit": "5000",
            "ratelimit-remaining": "0",
            "ratelimit-reset": str(int(time.time()) + seconds),
            "ratelimit-policy": "5000;w=3600",
        }
        self.fail(429, headers=headers, times=times, path=path)

    def records(self) -> list[dict[str, Any]]:
        """The post records made, as the client sent them."""
        return [post["record"] for post in self.posts]

    def answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Answer:
        nsid = path.removeprefix("/xrpc/")
        if method == "POST" and nsid == "com.atproto.server.createSession":
            return self._session(body or {})
        if headers.get("authorization") != f"Bearer {self._access}":
            return 401, {"error": "AuthenticationRequired", "message": "Invalid token"}, {}
        if method == "POST" and nsid == "com.atproto.repo.createRecord":
            return self._create(body or {})
        if method == "GET" and nsid == "app.bsky.feed.getAuthorFeed":
            return self._feed(query)
        if method == "GET" and nsid == "com.atproto.repo.listRecords":
            return self._records(query)
        return 501, {"error": "MethodNotImplemented", "message": f"no {nsid}"}, {}

    def _session(self, body: dict[str, Any]) -> Answer:
        if body.get("identifier") != self.user or body.get("password") != self.password:
            return (
                401,
                {"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
                {},
            )
        self.sessions += 1
        session = {
            "accessJwt": self._access,
            "refreshJwt": _jwt(DID, "com.atproto.refresh"),
            "handle": self.user,
            "did": DID,
            "active": True,
        }
        return 200, session, {}

    def _create(self, body: dict[str, Any]) -> Answer:
        if body.get("repo") not in (self.user, DID):
            return 400, {"error": "InvalidRequest", "message": "Could not find repo"}, {}
        if body.get("collection") != "app.bsky.feed.post":
            return 400, {"error": "InvalidRequest", "message": "Unsupported collection"}, {}
        record = body.get("record") or {}
        rkey = f"3lfake{len(self.posts) + 1:07d}"
        uri = f"at://{DID}/app.bsky.feed.post/{rkey}"
        cid = f"bafyreifake{len(self.posts) + 1:040d}"
        self.posts.append({"uri": uri, "cid": cid, "record": record})
        return 200, {"uri": uri, "cid": cid, "validationStatus": "valid"}, {}

    def _feed(self, query: dict[str, str]) -> Answer:
        if query.get("actor") not in (self.user, DID):
            return 400, {"error": "InvalidRequest", "message": "Profile not found"}, {}
        limit = int(query.get("limit", "50"))
        feed = [{"post": self._view(post)} for post in reversed(self.posts)][:limit]
        return 200, {"feed": feed}, {}

    def _records(self, query: dict[str, str]) -> Answer:
        if query.get("repo") not in (self.user, DID):
            return 400, {"error": "InvalidRequest", "message": "Could not find repo"}, {}
        limit = int(query.get("limit", "50"))
        records = [
            {"uri": post["uri"], "cid": post["cid"], "value": post["record"]}
            for post in reversed(self.posts)
        ][:limit]
        return 200, {"records": records}, {}

    def _view(self, post: dict[str, Any]) -> dict[str, Any]:
        """A post as ``app.bsky.feed.defs#postView``: the record as written (text, facets,
        ``embed.external.uri``), the card as ``app.bsky.embed.external#view``, the counts."""
        record = post["record"]
        view: dict[str, Any] = {
            "uri": post["uri"],
            "cid": post["cid"],
            "author": {"did": DID, "handle": self.user, "displayName": "Carebase", "labels": []},
            "record": record,
            "replyCount": 0,
            "repostCount": 0,
            "likeCount": 0,
            "quoteCount": 0,
            "indexedAt": record.get("createdAt", "2026-01-01T00:00:00.000Z"),
            "labels": [],
        }
        external = (record.get("embed") or {}).get("external")
        if external:
            card = {**external, "$type": "app.bsky.embed.external#viewExternal"}
            view["embed"] = {"$type": "app.bsky.embed.external#view", "external": card}
        return view
