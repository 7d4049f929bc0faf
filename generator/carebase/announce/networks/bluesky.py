"""A Bluesky account through atproto: one post per message, whose link text carries a link facet
to the page, each ``#hashtag`` a tag facet, with a link card (an external embed).

Facets select their text by UTF-8 *byte* offsets (Bluesky's rule), so they are computed from the
encoded text: an ``é`` or an emoji before the link moves it by more than one.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

# atproto ships no py.typed: its models are Any here.
from atproto import Client, models  # type: ignore[import-untyped]
from atproto_client.exceptions import (  # type: ignore[import-untyped]
    InvokeTimeoutError,
    NetworkError,
    RateLimitExceededError,
    RequestErrorBase,
)
from atproto_client.request import Request  # type: ignore[import-untyped]
from atproto_core.exceptions import AtProtocolError  # type: ignore[import-untyped]

from carebase.announce.model import (
    Message,
    NetworkKind,
    RateLimited,
    Rejected,
    SendError,
    Transient,
)
from carebase.announce.networks.http import by_status, one_line, transport_error
from carebase.announce.networks.recognise import recognised
from carebase.announce.secrets import secret
from carebase.announce.settings import BlueskyOptions

FEED = 50
"""Recent posts of the account looked through by :meth:`BlueskyAccount.find`."""
_T = TypeVar("_T")
_MADE = "the post may have been made"
Facet = Any
"""``models.AppBskyRichtextFacet.Main`` (atproto is untyped)."""


class BlueskyAccount:
    """A Bluesky account posting with an app password; it logs in once, at the first call."""

    kind = NetworkKind.BLUESKY
    reconciles = True

    def __init__(
        self,
        name: str,
        client: Client,
        handle: str,
        password: str,
        password_env: str = "the app password",
    ) -> None:
        self.name = name
        self.handle = handle
        self._client = client
        self._password = password
        self._password_env = password_env
        self._what = f"the Bluesky account {name}"
        self._logged_in = False
        self._lock = threading.Lock()

    def send(self, message: Message) -> str:
        """Post ``message`` with its facets and link card; the post's ``at://`` URI."""
        embed = models.AppBskyEmbedExternal.Main(
            external=models.AppBskyEmbedExternal.External(
                uri=message.link, title=message.title, description=message.description
            )
        )
        facets = facets_of(message.text, message.link_text, message.link, message.hashtags)
        self._login()
        post = self._call(
            lambda: self._client.send_post(
                message.text,
                profile_identify=self.handle,
                embed=embed,
                langs=[message.lang],
                facets=facets or None,
            )
        )
        return str(post.uri)

    def find(self, message: Message) -> str | None:
        """The URI of a recent post of the account that is ``message``'s (its card or a link
        facet names this revision; or, untracked, its text is the message's), if any."""
        self._login()
        answer = self._call(lambda: self._client.get_author_feed(actor=self.handle, limit=FEED))
        for item in answer.feed:
            if recognised(message, links_of(item.post), text_of(item.post)):
                return str(item.post.uri)
        return None

    def close(self) -> None:
        self._client.request.close()

    def _login(self) -> None:
        with self._lock:
            if self._logged_in:
                return
            # No profile lookup: a PDS need not serve app.bsky, and posts name the repo by handle.
            try:
                self._call(
                    lambda: self._client.login(
                        self.handle, self._password, fetch_bsky_profile=False
                    )
                )
            except Transient as failed:
                # Logging in failed: nothing was posted, whatever became of the session.
                raise Transient(f"logging in: {failed}", maybe_sent=False) from None
            self._logged_in = True

    def _call(self, call: Callable[[], _T]) -> _T:
        try:
            return call()
        except AtProtocolError as exc:
            raise send_error(exc, self._what, self._password_env) from None
        except httpx.HTTPError as exc:
            # atproto maps only httpx's timeouts and NetworkError: a server that closed the
            # connection without answering (RemoteProtocolError) comes through as httpx's own.
            raise _transport_error(exc, self._what) from None


def facets_of(text: str, link_text: str, link: str, hashtags: tuple[str, ...] = ()) -> list[Facet]:
    """A link facet on ``link_text`` (or on ``link`` where the text shows it whole) and a tag
    facet on each ``#hashtag``, by UTF-8 byte offsets into ``text``."""
    facets: list[Facet] = []
    shown = link_text or (link if link in text else "")
    if shown and link and shown in text:
        start = text.index(shown)
        facets.append(
            _facet(text, start, start + len(shown), models.AppBskyRichtextFacet.Link(uri=link))
        )
    for tag, start, end in hashtags_in(text, hashtags):
        facets.append(_facet(text, start, end, models.AppBskyRichtextFacet.Tag(tag=tag)))
    return facets


def hashtags_in(text: str, wanted: tuple[str, ...] = ()) -> Iterator[tuple[str, int, int]]:
    """``(tag, start, end)`` (character offsets, ``#`` included) of each hashtag in ``text``:
    those in ``wanted``, or every one when ``wanted`` is empty."""
    for match in re.finditer(r"(?<![\w#&])#(\w+)", text):
        tag = match.group(1)
        if tag.isdigit() or (wanted and tag not in wanted):
            continue
        yield tag, match.start(), match.end()


def _facet(text: str, start: int, end: int, feature: Any) -> Facet:
    byte_start = len(text[:start].encode())
    byte_end = byte_start + len(text[start:end].encode())
    facet: Facet = models.AppBskyRichtextFacet.Main(
        index=models.AppBskyRichtextFacet.ByteSlice(byte_start=byte_start, byte_end=byte_end),
        features=[feature],
    )
    return facet


def links_of(post: Any) -> set[str]:
    """Every address a post of a feed links to: its card's and its link facets'."""
    found: set[str] = set()
    external = getattr(getattr(post, "embed", None), "external", None)
    uri = getattr(external, "uri", None)
    if uri:
        found.add(str(uri))
    record = getattr(post, "record", None)
    facets = record.get("facets") if isinstance(record, dict) else getattr(record, "facets", None)
    for facet in facets or []:
        features = facet.get("features") if isinstance(facet, dict) else facet.features
        for feature in features or []:
            uri = feature.get("uri") if isinstance(feature, dict) else getattr(feature, "uri", None)
            if uri:
                found.add(str(uri))
    return found


def text_of(post: Any) -> str | None:
    """A feed post's text, from its record."""
    record = getattr(post, "record", None)
    text = record.get("text") if isinstance(record, dict) else getattr(record, "text", None)
    return str(text) if text is not None else None


def _transport_error(exc: httpx.HTTPError, what: str) -> SendError:
    if isinstance(exc, httpx.RequestError):
        return transport_error(exc, what)
    return Transient(one_line(f"{what}: {type(exc).__name__}; {_MADE}"), maybe_sent=True)


def send_error(exc: AtProtocolError, what: str, password_env: str) -> SendError:
    """The announcer's error for one of atproto's."""
    response = exc.response if isinstance(exc, RequestErrorBase) else None
    if response is None:
        cause = exc.__cause__
        if isinstance(exc, NetworkError | InvokeTimeoutError) and isinstance(
            cause, httpx.RequestError
        ):
            # atproto raises its own from httpx's: that one says whether anything left.
            return transport_error(cause, what)
        # An answer the client could not read (or a client-side refusal): whether a post was
        # made is unknown, and find() can tell.
        return Transient(
            one_line(f"{what}: unreadable answer ({type(exc).__name__}: {exc}); {_MADE}"),
            maybe_sent=True,
        )
    status = response.status_code
    text = one_line(f"{what}: HTTP {exc}")
    if isinstance(exc, RateLimitExceededError):
        return RateLimited(text, _wait(exc))
    if status == 401:
        return Rejected(
            one_line(f"{text}; check the handle and the app password in {password_env}")
        )
    return by_status(status, text)


def _wait(exc: AtProtocolError) -> float | None:
    """Seconds until the rate limit resets: ``retry-after``, or Bluesky's ``ratelimit-reset``
    (a Unix time)."""
    if not isinstance(exc, RateLimitExceededError):
        return None
    if exc.retry_after is not None:
        return float(exc.retry_after)
    if exc.reset_at is not None:
        return max(float((exc.reset_at - datetime.now(UTC)).total_seconds()), 0.0)
    return None


def connect(options: BlueskyOptions, name: str) -> BlueskyAccount:
    """The account of ``options``, with its app password from the environment."""
    password = secret(options.password_env, f"the Bluesky account {name}")
    client = Client(base_url=options.url, request=Request(timeout=options.timeout))
    return BlueskyAccount(name, client, options.handle, password, options.password_env)
