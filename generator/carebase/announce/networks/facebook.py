"""A Facebook page through the Graph API: ``POST /{page-id}/feed`` with the text and the link
(Facebook shows the link as a card), with a page access token.

Graph answers errors as ``{"error": {"message", "type", "code", "error_subcode",
"fbtrace_id"}}`` and the code says more than the HTTP status: 4, 17, 32 and 613 are rate
limits, 190 an expired or wrong token, 200 and the 2xx codes missing permissions, 1 and 2
passing trouble, 506 a duplicate of a recent post.

An earlier attempt is looked up in ``/{page-id}/published_posts``. Graph stopped returning a
page post's ``link`` in v3.3 (asking for it is error 12): the link card is read from the post's
``attachments`` (``unshimmed_url``, or ``url`` unwrapped from ``l.facebook.com/l.php?u=``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from carebase.announce.model import (
    Duplicate,
    Message,
    NetworkKind,
    RateLimited,
    Rejected,
    SendError,
    Transient,
)
from carebase.announce.networks.http import (
    json_object,
    json_of,
    one_line,
    request,
    retry_after,
    unreadable,
)
from carebase.announce.networks.recognise import recognised
from carebase.announce.secrets import secret
from carebase.announce.settings import FacebookOptions

RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})
TOKEN_CODES = frozenset({102, 190})
DUPLICATE_CODE = 506
FEED_FIELDS = "id,message,created_time,permalink_url,attachments{url,unshimmed_url,target}"
"""What :meth:`FacebookPage.find` reads of a page post (Graph's ``link`` was deprecated for page
feeds in v3.3; the link card is an attachment)."""
FEED_LIMIT = 25
"""Recent posts looked through by :meth:`FacebookPage.find`."""
_USAGE_HEADERS = ("X-Business-Use-Case-Usage", "X-Page-Usage", "X-App-Usage")


class FacebookPage:
    """A Facebook page posting with one page access token."""

    kind = NetworkKind.FACEBOOK
    reconciles = True

    def __init__(
        self, name: str, page_id: str, client: httpx.Client, token_env: str = "the token"
    ) -> None:
        self.name = name
        self.page_id = page_id
        self._client = client
        self._what = f"the Facebook page {name}"
        self._token_env = token_env

    def send(self, message: Message) -> str:
        """Post ``message``; the new post's id (``PAGEID_POSTID``)."""
        data = {"message": message.text}
        if message.link:
            data["link"] = message.link
        response = request(
            self._client,
            "POST",
            f"/{self.page_id}/feed",
            what=self._what,
            interpret=self._interpret,
            data=data,
        )
        post_id = json_object(response).get("id")
        if not isinstance(post_id, str) or not post_id:
            raise unreadable(self._what, "Graph answered without the post's id")
        return post_id

    def find(self, message: Message) -> str | None:
        """The id of a recent post of the page that is ``message``'s: its link card's address
        names this revision, or, untracked, its message is the text sent.

        Graph has not returned a page post's ``link`` since v3.3: the address is read from the
        post's ``attachments``, whose ``url`` Facebook wraps in ``l.facebook.com/l.php?u=``
        (``unshimmed_url`` is the address as posted)."""
        response = request(
            self._client,
            "GET",
            f"/{self.page_id}/published_posts",
            what=self._what,
            interpret=self._interpret,
            params={"fields": FEED_FIELDS, "limit": str(FEED_LIMIT)},
        )
        posts = json_object(response).get("data")
        for post in posts if isinstance(posts, list) else []:
            if not isinstance(post, dict) or not post.get("id"):
                continue
            message_text = post.get("message")
            text = message_text if isinstance(message_text, str) else None
            if recognised(message, attachment_links(post), text):
                return str(post["id"])
        return None

    def close(self) -> None:
        self._client.close()

    def _interpret(self, response: httpx.Response) -> SendError | None:
        return graph_error(response, self._what, self._token_env)


def attachment_links(post: dict[str, Any]) -> set[str]:
    """The addresses a page post's attachments link to, unwrapped from Facebook's link shim."""
    found: set[str] = set()
    attachments = post.get("attachments")
    entries = attachments.get("data") if isinstance(attachments, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        target = entry.get("target")
        candidates = [entry.get("unshimmed_url"), entry.get("url")]
        candidates.append(target.get("url") if isinstance(target, dict) else None)
        found |= {unshimmed(url) for url in candidates if isinstance(url, str) and url}
    return found


def unshimmed(url: str) -> str:
    """``url``, or the address Facebook's link shim (``l.facebook.com/l.php?u=…``) stands for."""
    parts = urlsplit(url)
    if parts.netloc.endswith("facebook.com") and parts.path == "/l.php":
        return dict(parse_qsl(parts.query)).get("u", url)
    return url


def graph_error(response: httpx.Response, what: str, token_env: str) -> SendError | None:
    """The error a Graph error body means, or None when the body is not Graph's."""
    body = json_of(response)
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None
    code = error.get("code")
    subcode = error.get("error_subcode")
    graph = f"({error.get('type', 'GraphError')} #{code}"
    graph += f"/{subcode})" if subcode else ")"
    text = one_line(f"{what}: {graph} {error.get('message', '')}")
    if code in RATE_LIMIT_CODES:
        return RateLimited(text, retry_after(response) or usage_wait(response))
    if code == DUPLICATE_CODE:
        return Duplicate(text)
    if code in TOKEN_CODES:
        return Rejected(one_line(f"{text}; renew the page access token in {token_env}"))
    if code == 200 or (isinstance(code, int) and 200 < code < 300):
        return Rejected(one_line(f"{text}; the token lacks pages_manage_posts for this page"))
    if code in (1, 2) or error.get("is_transient") is True or response.status_code >= 500:
        # Code 1 is "an unknown error", 2 and a 5xx passing trouble that Graph also answers
        # after committing a post under load: it may exist, and find() can tell.
        return Transient(text, maybe_sent=True)
    if response.status_code == 429:
        return RateLimited(text, retry_after(response))
    return Rejected(text)


def usage_wait(response: httpx.Response) -> float | None:
    """Seconds until access returns, from Graph's usage headers
    (``estimated_time_to_regain_access``, in minutes), if they say."""
    minutes: list[float] = []
    for header in _USAGE_HEADERS:
        raw = response.headers.get(header)
        if not raw:
            continue
        try:
            usage: Any = json.loads(raw)
        except json.JSONDecodeError:
            continue
        values = usage.values() if isinstance(usage, dict) else []
        entries = [e for v in values if isinstance(v, list) for e in v]
        for entry in [usage, *entries]:
            if isinstance(entry, dict):
                value = entry.get("estimated_time_to_regain_access")
                if isinstance(value, int | float) and value > 0:
                    minutes.append(float(value))
    return max(minutes) * 60 if minutes else None


def connect(options: FacebookOptions, name: str) -> FacebookPage:
    """The page of ``options``, with its token from the environment."""
    token = secret(options.token_env, f"the Facebook page {name}")
    # The token goes in a header, not in ``access_token=``: URLs end up in logs.
    client = httpx.Client(
        base_url=options.url,
        timeout=options.timeout,
        headers={"Authorization": f"Bearer {token}"},
    )
    return FacebookPage(name, options.page_id, client, options.token_env)
