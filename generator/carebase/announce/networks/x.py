"""An X account through tweepy (API v2, OAuth 1.0a user context): one post per message.

tweepy always sends to ``https://api.twitter.com`` and sets no timeout; :class:`_Redirect`,
mounted on the client's session, sends each request to the configured address instead (for a
proxy or a test server) with the configured timeout.

X refuses a text it already has with a 403 saying "duplicate content": that is
:class:`~carebase.announce.model.Duplicate`, with the original's id when :meth:`XAccount.find`
can see it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import requests
import tweepy
from requests.adapters import HTTPAdapter

from carebase.announce.model import (
    Duplicate,
    Message,
    NetworkKind,
    RateLimited,
    Rejected,
    SendError,
    Transient,
)
from carebase.announce.networks.http import one_line, requests_transport_error, unreadable
from carebase.announce.networks.recognise import recognised
from carebase.announce.secrets import secret
from carebase.announce.settings import XOptions
from carebase.retry_after import retry_after_seconds

_MADE = "the post may have been made"
RECENT = 50
"""Recent posts of the account looked through by :meth:`XAccount.find` (X allows 5 to 100)."""
_T = TypeVar("_T")


class _Redirect(HTTPAdapter):
    """Sends every request to ``base`` (scheme and host; the path is kept), with ``timeout``."""

    def __init__(self, base: str, timeout: float) -> None:
        super().__init__()
        parts = urlsplit(base)
        self._scheme, self._netloc = parts.scheme, parts.netloc
        self._prefix = parts.path.rstrip("/")
        self._timeout = timeout

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        parts = urlsplit(request.url or "")
        request.url = urlunsplit(
            (self._scheme, self._netloc, self._prefix + parts.path, parts.query, "")
        )
        # The OAuth signature covers the URL tweepy built; X checks it against its own
        # address, which a proxy forwards to unchanged.
        kwargs["timeout"] = self._timeout
        return super().send(request, **kwargs)


class XAccount:
    """An X account posting with a user's access token and secret."""

    kind = NetworkKind.X
    reconciles = True

    def __init__(self, name: str, client: tweepy.Client) -> None:
        self.name = name
        self._client = client
        self._what = f"the X account {name}"
        self._me: str | None = None

    def send(self, message: Message) -> str:
        """Post ``message``; the post's id."""
        try:
            response = self._call(lambda: self._client.create_tweet(text=message.text))
        except Duplicate as duplicate:
            duplicate.remote_id = self._original(message)
            raise
        data = getattr(response, "data", None)
        post_id = data.get("id") if isinstance(data, Mapping) else None
        if not post_id:
            raise unreadable(self._what, "X answered without the post's id")
        return str(post_id)

    def find(self, message: Message) -> str | None:
        """The id of a recent post of the account that is ``message``'s: its link names this
        revision (X shows links as t.co addresses, and gives the real one in
        ``entities.urls[].expanded_url``), or, untracked, its text is the message's."""
        if self._me is None:
            me = self._call(lambda: self._client.get_me(user_auth=True))
            self._me = str(me.data["id"])
        answer = self._call(
            lambda: self._client.get_users_tweets(
                self._me, max_results=RECENT, tweet_fields=["entities"], user_auth=True
            )
        )
        for tweet in answer.data or []:
            if recognised(message, expanded_urls(tweet.data), expanded_text(tweet.data)):
                return str(tweet.id)
        return None

    def close(self) -> None:
        self._client.session.close()

    def _original(self, message: Message) -> str | None:
        try:
            return self.find(message)
        except SendError:
            return None  # The duplicate stands; its id is a nicety.

    def _call(self, call: Callable[[], _T]) -> _T:
        try:
            return call()
        except tweepy.TweepyException as exc:
            raise api_error(exc, self._what) from None
        except requests.RequestException as exc:
            raise requests_transport_error(exc, self._what, _MADE) from None


def expanded_urls(tweet: Mapping[str, Any]) -> set[str]:
    """The addresses a post's ``t.co`` links stand for."""
    urls = (tweet.get("entities") or {}).get("urls") or []
    return {str(url["expanded_url"]) for url in urls if url.get("expanded_url")}


def expanded_text(tweet: Mapping[str, Any]) -> str:
    """A post's text with its ``t.co`` links put back as the addresses they stand for."""
    text = str(tweet.get("text") or "")
    for url in (tweet.get("entities") or {}).get("urls") or []:
        if url.get("url") and url.get("expanded_url"):
            text = text.replace(str(url["url"]), str(url["expanded_url"]))
    return text


def api_error(exc: tweepy.TweepyException, what: str) -> SendError:
    """The announcer's error for one of tweepy's."""
    if not isinstance(exc, tweepy.HTTPException):
        return Transient(one_line(f"{what}: {exc}"), maybe_sent=True)
    status = exc.response.status_code
    messages = " ".join(str(m) for m in exc.api_messages)
    text = one_line(f"{what}: HTTP {status}" + (f" {messages}" if messages else ""))
    if isinstance(exc, tweepy.TooManyRequests):
        return RateLimited(text, _wait(exc.response.headers))
    if isinstance(exc, tweepy.Forbidden) and "duplicate" in messages.lower():
        return Duplicate(text)
    if isinstance(exc, tweepy.TwitterServerError):
        # The post may have been made before the answer failed.
        return Transient(text, maybe_sent=True)
    if isinstance(exc, tweepy.Unauthorized):
        return Rejected(one_line(f"{text}; check the API key and access token and their secrets"))
    return Rejected(text)


def _wait(headers: Mapping[str, str]) -> float | None:
    """Seconds until ``x-rate-limit-reset`` (a Unix time), or ``Retry-After``."""
    try:
        return max(float(headers.get("x-rate-limit-reset", "")) - time.time(), 0.0)
    except ValueError:
        return retry_after_seconds(headers.get("retry-after"))


def connect(options: XOptions, name: str) -> XAccount:
    """The account of ``options``, with its four credentials from the environment."""
    needed_for = f"the X account {name}"
    client = tweepy.Client(
        consumer_key=secret(options.api_key_env, needed_for),
        consumer_secret=secret(options.api_secret_env, needed_for),
        access_token=secret(options.access_token_env, needed_for),
        access_token_secret=secret(options.access_secret_env, needed_for),
        wait_on_rate_limit=False,
    )
    adapter = _Redirect(options.url, options.timeout)
    client.session.mount("https://", adapter)
    client.session.mount("http://", adapter)
    return XAccount(name, client)
