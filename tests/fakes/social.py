"""Fakes of Facebook's Graph API, LinkedIn's REST posts API and Slack's and Discord's webhooks,
on 127.0.0.1, answering like the real services where the announcer depends on it.

Each records every request (:class:`Request`, under a lock) in ``requests`` and what it
published in ``posts``; ``fail`` makes the next matching requests answer an error in the
service's own format, ``delay`` makes them late (for timeouts), ``drop`` closes the connection
without an answer; ``commit_then_500``, ``commit_then_drop`` and ``commit_then_timeout`` do the
request (a post is made) and then answer 5xx, close the connection, or answer too late.
A fault's ``path`` is matched against ``"METHOD /path"``: ``"POST "`` picks the posting call
where posting and listing share a path (Graph's ``/feed``).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from carebase.announce.compose import tracked
from carebase.announce.model import Message, NetworkKind
from tests.fakes.server import FakeService, Fault, Faults, JsonHandler
from tests.site.servers import free_port

Answer = tuple[int, Any, dict[str, str]]
PAGE_URL = "https://help.example.com/kb/billing/refunds/"
_TEXT = {"Content-Type": "text/plain; charset=utf-8"}


@dataclass(frozen=True)
class Request:
    """One request as a fake received it, and the status it answered."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Names in lower case."""
    body: Any
    """JSON, a form as ``{name: value}``, or text."""
    status: int
    raw_query: str = ""
    """The query string as sent, before decoding."""


class _Handler(JsonHandler):
    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        fake: _SocialFake = self.server.fake  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        status, answer, extra = fake.handle(self.command, self.path, headers, raw)
        self.send_answer(status, answer, extra)


def _parse(headers: dict[str, str], raw: bytes) -> Any:
    kind = headers.get("content-type", "")
    if not raw:
        return None
    if "json" in kind:
        return json.loads(raw)
    if "x-www-form-urlencoded" in kind:
        return {k: v[0] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
    return raw.decode()


class _SocialFake(FakeService):
    handler = _Handler

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.posts: list[dict[str, Any]] = []
        self.faults = Faults()
        self._lock = threading.Lock()

    def fail(
        self,
        status: int,
        *,
        body: Any = None,
        retry_after: str | None = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
        path: str = "",
    ) -> None:
        """Answer the next ``times`` requests whose path contains ``path`` with ``status`` and
        ``body`` (by default the service's own body for that status)."""
        extra = dict(headers or {})
        if retry_after is not None:
            extra["Retry-After"] = retry_after
        answer = self.error_body(status) if body is None else body
        self.faults.add(Fault(status, answer, extra, path=path, times=times))

    def delay(self, seconds: float, *, times: int = 1, path: str = "") -> None:
        """Answer the next ``times`` matching requests only after ``seconds``."""
        self.faults.add(Fault(None, delay=seconds, path=path, times=times))

    def inject(self, fault: Fault) -> None:
        """Add a fault of any mode (:data:`tests.fakes.server.MODES`)."""
        self.faults.add(fault)

    def rate_limit(self, seconds: int = 300, *, times: int = 1, path: str = "") -> None:
        """Answer the next matching requests 429 with ``Retry-After: seconds`` (fakes of
        services that say it otherwise override this)."""
        self.fail(429, retry_after=str(seconds), times=times, path=path)

    def drop(self, *, times: int = 1, path: str = "") -> None:
        """Close the connection of the next ``times`` matching requests without doing them or
        answering."""
        self.faults.add(Fault(None, path=path, times=times, mode="drop"))

    def commit_then_500(self, status: int = 500, *, times: int = 1, path: str = "") -> None:
        """Do the next ``times`` matching requests (a post is made), then answer ``status`` in
        the service's format, as Graph and webhooks do under load."""
        body = self.error_body(status)
        self.faults.add(Fault(status, body, path=path, times=times, mode="commit_then_500"))

    def commit_then_drop(self, *, times: int = 1, path: str = "") -> None:
        """Do the next ``times`` matching requests, then close the connection unanswered."""
        self.faults.add(Fault(None, path=path, times=times, mode="commit_then_drop"))

    def commit_then_timeout(self, seconds: float, *, times: int = 1, path: str = "") -> None:
        """Do the next ``times`` matching requests, then hang ``seconds`` and close."""
        fault = Fault(None, delay=seconds, path=path, times=times, mode="commit_then_timeout")
        self.faults.add(fault)

    def error_body(self, status: int) -> Any:
        return {"message": f"injected {status}"}

    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Answer:
        """The answer to one request; :class:`~tests.fakes.server.Dropped` closes the connection
        without one. A fault's ``path`` is matched against ``"METHOD /path"``."""
        parts = urlsplit(target)
        path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        body = _parse(headers, raw)

        def own() -> Answer:
            with self._lock:
                return self.answer(method, path, query, headers, body)

        status = 0  # The connection closed unanswered.
        try:
            answer = self.faults.apply(
                self.faults.take(f"{method} {path}", method), own, self.error_body
            )
            status = answer[0]
        finally:
            with self._lock:
                self.requests.append(
                    Request(method, path, query, headers, body, status, parts.query)
                )
        return answer

    def answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Answer:
        raise NotImplementedError

    def sent(self, method: str = "POST") -> list[Request]:
        """The requests made with ``method``."""
        with self._lock:
            return [r for r in self.requests if r.method == method]


def _bearer(headers: dict[str, str]) -> str | None:
    value = headers.get("authorization", "")
    return value[7:] if value.startswith("Bearer ") else None


# Facebook


_FEED = re.compile(r"^(?:/v\d+\.\d+)?/(?P<page>\d+)/(?P<edge>feed|published_posts)$")
DEPRECATED_FIELDS = frozenset({"caption", "description", "link", "name", "object_id", "source"})
"""Page post fields Graph stopped returning for page feeds in v3.3 (``type`` too)."""
_FIELD = re.compile(r"(\w+)(?:\{([^{}]*)\})?")


def graph_error(code: int, message: str, *, type: str = "OAuthException", **more: Any) -> Any:
    """A Graph API error body."""
    return {
        "error": {"message": message, "type": type, "code": code, "fbtrace_id": "AbCdEf", **more}
    }


class FakeFacebook(_SocialFake):
    """Graph API's ``/{page-id}/feed``: posts with a page token (as ``Authorization: Bearer``
    or ``access_token``), error 190 for a wrong one, 506 for a message identical to a post.

    ``GET /{page-id}/feed`` and ``/published_posts`` list the page's posts with the fields asked
    for, as Graph v21 has them: ``id``, ``message``, ``created_time``, ``permalink_url`` and
    ``attachments`` (a link card's ``url`` and ``target.url`` wrapped in Facebook's link shim,
    ``unshimmed_url`` as posted). ``link`` and the other fields deprecated in v3.3 are refused
    with error 12, as Graph does."""

    def __init__(self, page_id: str = "1234567890", token: str = "page-token-for-tests") -> None:
        super().__init__()
        self.page_id = page_id
        self.token = token

    def error_body(self, status: int) -> Any:
        if status == 429:
            return graph_error(32, "Page request limit reached")
        if status >= 500:
            return graph_error(2, "Service temporarily unavailable", is_transient=True)
        return graph_error(100, f"injected {status}")

    def rate_limit(self, seconds: int = 300, *, times: int = 1, path: str = "") -> None:
        """Answer Graph's page rate limit (code 32, as an HTTP 400), the wait only in the
        ``X-Business-Use-Case-Usage`` header, in minutes, as Graph says it."""
        usage = {"type": "pages", "call_count": 100, "total_cputime": 20, "total_time": 30}
        usage["estimated_time_to_regain_access"] = max(seconds // 60, 1)
        header = json.dumps({self.page_id: [usage]})
        body = graph_error(32, "Page request limit reached")
        headers = {"X-Business-Use-Case-Usage": header}
        self.fail(400, body=body, headers=headers, path=path, times=times)

    def graph_fail(self, code: int, message: str, *, status: int = 400, **fail: Any) -> None:
        """Answer the next request with Graph error ``code``."""
        self.fail(status, body=graph_error(code, message), **fail)

    def answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Answer:
        match = _FEED.match(path)
        if match is None or match["page"] != self.page_id:
            return (
                404,
                graph_error(803, "(#803) Some aliases do not exist"),
                {},
            )
        form = body if isinstance(body, dict) else {}
        token = _bearer(headers) or form.get("access_token") or query.get("access_token")
        if token != self.token:
            message = "Invalid OAuth access token - Cannot parse access token"
            return 400, graph_error(190, message), {}
        if method == "GET":
            return self._feed(query)
        if match["edge"] != "feed":
            return 400, graph_error(100, "(#100) Unsupported post request"), {}
        return self._post(form)

    def _post(self, form: dict[str, str]) -> Answer:
        if not form.get("message") and not form.get("link"):
            return 400, graph_error(100, "(#100) Missing message or attachment"), {}
        if any(post["message"] == form.get("message") for post in self.posts):
            return 400, graph_error(506, "Duplicate status message", error_subcode=1455006), {}
        number = len(self.posts) + 1
        post: dict[str, Any] = {
            "id": f"{self.page_id}_{number}00",
            "message": form.get("message", ""),
            "created_time": time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime()),
            "permalink_url": f"https://www.facebook.com/{self.page_id}/posts/{number}00",
        }
        link = form.get("link")
        if link:
            shimmed = "https://l.facebook.com/l.php?" + urlencode({"u": link, "h": "AT0fake"})
            card = {"url": shimmed, "unshimmed_url": link, "type": "share"}
            card["target"] = {"url": shimmed}
            post["attachments"] = {"data": [card]}
        self.posts.append(post)
        return 200, {"id": post["id"]}, {}

    def _feed(self, query: dict[str, str]) -> Answer:
        fields = _FIELD.findall(query.get("fields", "id"))
        deprecated = sorted({name for name, _ in fields} & DEPRECATED_FIELDS)
        if deprecated:
            message = f"(#12) {deprecated[0]} field is deprecated for versions v3.3 and higher"
            return 400, graph_error(12, message), {}
        limit = int(query.get("limit", "25"))
        newest = list(reversed(self.posts))[:limit]
        return 200, {"data": [_fields_of(post, fields) for post in newest], "paging": {}}, {}


def _fields_of(post: dict[str, Any], fields: list[tuple[str, str]]) -> dict[str, Any]:
    """``post`` with only ``fields`` (``attachments{url,target}`` picks inside each attachment)."""
    view: dict[str, Any] = {}
    for name, inner in fields:
        if post.get(name) is None:
            continue
        value = post[name]
        if name == "attachments" and inner:
            wanted = inner.split(",")
            value = {"data": [{k: a[k] for k in wanted if k in a} for a in value["data"]]}
        view[name] = value
    return view


# LinkedIn


def linkedin_error(status: int, code: str, message: str) -> Any:
    """A LinkedIn REST error body."""
    return {"status": status, "code": code, "message": message}


class FakeLinkedIn(_SocialFake):
    """LinkedIn's ``/rest/posts``: requires the token, the ``LinkedIn-Version`` header (400
    ``VERSION_MISSING`` without it, 426 ``NONEXISTENT_VERSION`` for one not active) and
    answers 422 ``DUPLICATE_POST`` with the original's URN for an article posted before.

    Active versions are ``versions`` or, by default, LinkedIn's rule: a version is released
    in its month and retired twelve months later, so the twelve months before this one are
    active (in April 2026, 202504 to 202603); an older or a future one is a 426. The finder
    ``GET /rest/posts?author=…&q=author`` returns the posts as LinkedIn does, hashtags in the
    commentary as ``{hashtag|\\#|tag}`` templates."""

    def __init__(
        self,
        organization: str = "urn:li:organization:5515715",
        token: str = "linkedin-token-for-tests",
        versions: frozenset[str] | None = None,
    ) -> None:
        super().__init__()
        self.organization = organization
        self.token = token
        self.versions = versions

    def error_body(self, status: int) -> Any:
        if status == 429:
            return linkedin_error(429, "TOO_MANY_REQUESTS", "Resource level throttle limit")
        return linkedin_error(status, "INTERNAL_SERVER_ERROR", f"injected {status}")

    def answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Answer:
        if path != "/rest/posts":
            return 404, linkedin_error(404, "NOT_FOUND", f"No virtual resource at {path}"), {}
        if _bearer(headers) != self.token:
            error = linkedin_error(401, "INVALID_ACCESS_TOKEN", "Invalid access token")
            return 401, {**error, "serviceErrorCode": 65600}, {}
        version = headers.get("linkedin-version")
        if not version:
            message = (
                "A version must be present. Please specify a version by adding the "
                "LinkedIn-Version header."
            )
            return 400, linkedin_error(400, "VERSION_MISSING", message), {}
        if not self._active(version):
            # LinkedIn names the version as YYYYMMDD: "Requested version 20241101 is not active".
            named = version + "01" if len(version) == 6 else version
            message = f"Requested version {named} is not active"
            return 426, linkedin_error(426, "NONEXISTENT_VERSION", message), {}
        if method == "GET":
            return self._find(query)
        return self._post(body)

    def _active(self, version: str) -> bool:
        if self.versions is not None:
            return version in self.versions
        if not re.fullmatch(r"\d{6}", version):
            return False
        today = time.gmtime()
        age = (today.tm_year * 12 + today.tm_mon) - (int(version[:4]) * 12 + int(version[4:]))
        return 1 <= age <= 12

    def _post(self, body: Any) -> Answer:
        if not isinstance(body, dict) or body.get("author") != self.organization:
            message = "Not enough permissions to do that for this author"
            return 403, linkedin_error(403, "ACCESS_DENIED", message), {}
        source = body.get("content", {}).get("article", {}).get("source")
        for post in self.posts:
            if post["content"]["article"]["source"] == source:
                return 422, _duplicate(post["id"]), {}
        post = {**body, "id": f"urn:li:share:71{len(self.posts) + 1:017d}"}
        self.posts.append(post)
        return 201, b"", {"x-restli-id": post["id"]}

    def _find(self, query: dict[str, str]) -> Answer:
        if query.get("q") != "author" or unquote(query.get("author", "")) != self.organization:
            return 400, linkedin_error(400, "ILLEGAL_ARGUMENT", "Invalid finder"), {}
        count = int(query.get("count", "10"))
        elements = [_as_listed(post) for post in reversed(self.posts)][:count]
        return 200, {"elements": elements, "paging": {"start": 0, "count": count}}, {}


def _as_listed(post: dict[str, Any]) -> dict[str, Any]:
    """A post as the finder returns it: hashtags as templates in the commentary."""
    commentary = re.sub(r"(?<!\\)#(\w+)", r"{hashtag|\\#|\1}", str(post.get("commentary", "")))
    return {**post, "commentary": commentary}


def _duplicate(urn: str) -> Any:
    """LinkedIn's answer to a duplicate, as it really comes."""
    return {
        "errorDetailType": "com.linkedin.common.error.BadRequest",
        "message": "com.linkedin.content.common.exception.BadRequestResponseException: "
        f"Content is a duplicate of {urn}",
        "errorDetails": {
            "inputErrors": [
                {"description": "Duplicate post is detected", "input": {}, "code": "DUPLICATE_POST"}
            ]
        },
        "status": 422,
    }


# Slack


class FakeSlack(_SocialFake):
    """A Slack incoming webhook at ``/services/T000/B000/<token>``, answering ``ok`` or Slack's
    plain-text errors (``no_service`` for another path, ``invalid_payload``,
    ``channel_is_archived`` once ``archived``)."""

    def __init__(self, token: str = "XXXXXXXXXXXXXXXXXXXXXXXX") -> None:
        super().__init__()
        self.token = token
        self.archived = False

    @property
    def webhook_path(self) -> str:
        return f"/services/T000/B000/{self.token}"

    @property
    def webhook_url(self) -> str:
        return self.url + self.webhook_path

    def error_body(self, status: int) -> Any:
        names = {400: "invalid_payload", 403: "action_prohibited", 404: "no_service"}
        names |= {410: "channel_is_archived", 429: "rate_limited"}
        return names.get(status, "internal_error").encode()

    def fail(self, status: int, **options: Any) -> None:
        options["headers"] = {**_TEXT, **(options.get("headers") or {})}
        super().fail(status, **options)

    def answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Answer:
        if method != "POST" or path != self.webhook_path:
            return 404, b"no_service", _TEXT
        if self.archived:
            return 410, b"channel_is_archived", _TEXT
        if not isinstance(body, dict) or not (body.get("text") or body.get("blocks")):
            return 400, b"invalid_payload", _TEXT
        self.posts.append(body)
        return 200, b"ok", {"Content-Type": "text/html"}


# Discord


class FakeDiscord(_SocialFake):
    """A Discord webhook at ``/api/webhooks/<id>/<token>``: the created message with
    ``?wait=true`` (204 without), 401 for a wrong token, 404 for an unknown webhook, 400 for a
    content over 2000 characters."""

    def __init__(self, webhook_id: str = "1234567890123", token: str = "tok-for-tests") -> None:
        super().__init__()
        self.webhook_id = webhook_id
        self.token = token

    @property
    def webhook_url(self) -> str:
        return f"{self.url}/api/webhooks/{self.webhook_id}/{self.token}"

    def error_body(self, status: int) -> Any:
        if status == 429:
            return {"message": "You are being rate limited.", "retry_after": 1.5, "global": False}
        return {"message": f"injected {status}", "code": 0}

    def rate_limit(self, seconds: int = 300, *, times: int = 1, path: str = "") -> None:
        """Answer 429 with the wait in the body's ``retry_after`` and in ``Retry-After``."""
        body = {"message": "You are being rate limited.", "retry_after": seconds, "global": False}
        self.fail(429, body=body, retry_after=str(seconds), times=times, path=path)

    def answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Answer:
        match = re.fullmatch(r"/api/webhooks/(?P<id>\d+)/(?P<token>[\w-]+)", path)
        if method != "POST" or match is None or match["id"] != self.webhook_id:
            return 404, {"message": "Unknown Webhook", "code": 10015}, {}
        if match["token"] != self.token:
            return 401, {"message": "Invalid Webhook Token", "code": 50027}, {}
        if not isinstance(body, dict) or len(body.get("content") or "") > 2000:
            return 400, {"message": "Invalid Form Body", "code": 50035}, {}
        message = {
            "id": str(1100000000000000000 + len(self.posts) + 1),
            "channel_id": "987654321",
            "webhook_id": self.webhook_id,
            "content": body.get("content", ""),
            "embeds": body.get("embeds", []),
        }
        self.posts.append(message)
        if query.get("wait") != "true":
            return 204, b"", {}
        return 200, message, {}


def make_message(kind: NetworkKind, **fields: Any) -> Message:
    """A composed message for ``kind``, as the composer would make it (its link tracked, with
    the revision as ``utm_content``); ``fields`` override."""
    revision = fields.get("revision", "r1")
    link = tracked(PAGE_URL, kind.value, "help-centre", revision)
    values: dict[str, Any] = {
        "item_id": "kb/billing/refunds@en",
        "revision": revision,
        "network": kind.value,
        "kind": kind,
        "text": "How to get a refund: the steps, and how long it takes. #billing",
        "link": link,
        "title": "How to get a refund",
        "description": "The steps, and how long a refund takes.",
        "lang": "en",
        "length": 60,
        "limit": 3000,
        "hashtags": ("billing",),
    }
    values.update(fields)
    return Message(**values)


def closed_port_url() -> str:
    """An address of 127.0.0.1 where nothing listens (connections are refused)."""
    return f"http://127.0.0.1:{free_port()}"
