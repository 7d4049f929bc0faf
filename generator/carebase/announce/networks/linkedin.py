"""A LinkedIn organisation page through the versioned REST API: ``POST /rest/posts`` with the
text as commentary and the page as an article card.

The commentary is LinkedIn's "little text" format, where ``( ) [ ] { } < > @ | ~ _ * # \\`` are
markup: :func:`little_text` escapes them, except the hashtags the message means. A post of an
article already posted is refused with 422 ``DUPLICATE_POST`` naming the original's URN.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import httpx

from carebase.announce.model import Duplicate, Message, NetworkKind, Rejected, SendError
from carebase.announce.networks.http import (
    json_object,
    json_of,
    message_of,
    one_line,
    request,
    status_error,
    unreadable,
)
from carebase.announce.networks.recognise import recognised
from carebase.announce.secrets import secret
from carebase.announce.settings import LinkedInOptions

RESERVED = "()[]{}<>@|~_*#\\"
"""Characters of little text that must be escaped to be shown as themselves."""
_MARKUP = re.compile(r"#(\w+)|[" + re.escape(RESERVED) + "]")
_URN = re.compile(r"urn:li:(?:share|ugcPost|post):\d+")
_HASHTAG_TEMPLATE = re.compile(r"\{hashtag\|\\?#\|([^}]*)\}")
_ESCAPED = re.compile(r"\\([" + re.escape(RESERVED) + "])")
FIND_COUNT = 20
"""Recent posts looked through by :meth:`LinkedInOrganization.find`."""


def little_text(text: str, hashtags: tuple[str, ...] = ()) -> str:
    """``text`` with little text's reserved characters escaped, ``#tag`` kept for ``hashtags``."""
    wanted = {tag.casefold() for tag in hashtags}

    def escape(match: re.Match[str]) -> str:
        tag = match.group(1)
        if tag is None:
            return "\\" + match.group(0)
        if tag.casefold() in wanted:
            return match.group(0)
        return "\\#" + little_text(tag)

    return _MARKUP.sub(escape, text)


def post_body(message: Message, author: str) -> dict[str, object]:
    """The ``/rest/posts`` body for ``message`` by ``author`` (an organisation URN)."""
    return {
        "author": author,
        "commentary": little_text(message.text, message.hashtags),
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "content": {
            "article": {
                "source": message.link,
                "title": message.title,
                "description": message.description,
            }
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }


def plain_text(commentary: str) -> str:
    """A post's commentary as LinkedIn returns it, as plain text: ``{hashtag|\\#|tag}``
    templates as ``#tag``, escaped characters as themselves."""
    text = _HASHTAG_TEMPLATE.sub(lambda match: "#" + match.group(1), commentary)
    return _ESCAPED.sub(lambda match: match.group(1), text)


class LinkedInOrganization:
    """A LinkedIn organisation page posting with a member's token allowed to post for it."""

    kind = NetworkKind.LINKEDIN
    reconciles = True

    def __init__(
        self, name: str, author: str, client: httpx.Client, token_env: str = "the token"
    ) -> None:
        self.name = name
        self.author = author
        self._client = client
        self._what = f"the LinkedIn page {name}"
        self._token_env = token_env

    def send(self, message: Message) -> str:
        """Post ``message``; the new post's URN (``urn:li:share:…``)."""
        response = request(
            self._client,
            "POST",
            "/rest/posts",
            what=self._what,
            interpret=self._interpret,
            json=post_body(message, self.author),
        )
        urn = str(response.headers.get("x-restli-id", "")).strip()
        if not urn:
            raise unreadable(self._what, "LinkedIn answered without the post's x-restli-id")
        return urn

    def find(self, message: Message) -> str | None:
        """The URN of a recent post of the page that is ``message``'s: its article's address
        names this revision, or, untracked, its commentary is the text sent."""
        # Rest.li 2.0 wants the URN percent-encoded whole, colons included.
        url = f"/rest/posts?author={quote(self.author, safe='')}&q=author&count={FIND_COUNT}"
        response = request(self._client, "GET", url, what=self._what, interpret=self._interpret)
        posts = json_object(response).get("elements")
        for post in posts if isinstance(posts, list) else []:
            if not isinstance(post, dict) or not post.get("id"):
                continue
            source = _source(post)
            links = {source} if isinstance(source, str) else set()
            commentary = post.get("commentary")
            text = plain_text(commentary) if isinstance(commentary, str) else None
            if recognised(message, links, text):
                return str(post["id"])
        return None

    def close(self) -> None:
        self._client.close()

    def _interpret(self, response: httpx.Response) -> SendError | None:
        body = json_of(response)
        detail = message_of(response, body)
        raw = response.text if body is not None else ""
        if response.status_code == 422 and ("DUPLICATE_POST" in raw or "duplicate" in detail):
            urn = _URN.search(detail)
            return Duplicate(
                one_line(f"{self._what}: LinkedIn has this post already ({detail})"),
                remote_id=urn.group(0) if urn else None,
            )
        error = status_error(response, self._what, detail)
        if not isinstance(error, Rejected):
            return error
        if response.status_code == 401:
            return Rejected(one_line(f"{error}; renew the access token in {self._token_env}"))
        if response.status_code == 426 or "VERSION" in raw:
            return Rejected(
                one_line(
                    f"{error}; LinkedIn retires a version a year after its release: set "
                    "'version' to an active YYYYMM, or remove it to follow the date"
                )
            )
        return error


def _source(post: Any) -> Any:
    """The article address of a post as ``/rest/posts`` lists it."""
    content = post.get("content") if isinstance(post, dict) else None
    article = content.get("article") if isinstance(content, dict) else None
    return article.get("source") if isinstance(article, dict) else None


def connect(options: LinkedInOptions, name: str) -> LinkedInOrganization:
    """The organisation page of ``options``, with its token from the environment."""
    token = secret(options.token_env, f"the LinkedIn page {name}")
    client = httpx.Client(
        base_url=options.url,
        timeout=options.timeout,
        headers={
            "Authorization": f"Bearer {token}",
            "LinkedIn-Version": options.version,
            "X-Restli-Protocol-Version": "2.0.0",
        },
    )
    return LinkedInOrganization(name, options.author, client, options.token_env)
