"""A Mastodon account through Mastodon.py: one status per message, sent with an
``Idempotency-Key`` so that a repeated attempt (after a timeout) returns the first status
instead of making a second.

Mastodon.py raises its own exceptions for every failure; :func:`send_error` maps them onto the
announcer's. With ``ratelimit_method="throw"`` it never sleeps: a 429 is the runner's to wait
out.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from mastodon import Mastodon
from mastodon.errors import (
    MastodonAPIError,
    MastodonError,
    MastodonNetworkError,
    MastodonRatelimitError,
    MastodonServerError,
)
from selectolax.lexbor import LexborHTMLParser

from carebase.announce.model import (
    Message,
    NetworkKind,
    RateLimited,
    Rejected,
    SendError,
    Transient,
)
from carebase.announce.networks.http import (
    by_status,
    one_line,
    requests_transport_error,
    unreadable,
)
from carebase.announce.networks.recognise import recognised
from carebase.announce.secrets import secret
from carebase.announce.settings import MastodonOptions

RECENT = 40
"""Recent statuses of the account looked through by :meth:`MastodonAccount.find`."""
_T = TypeVar("_T")
_BREAK = re.compile(r"<br\s*/?>|</p>", re.IGNORECASE)


class MastodonAccount:
    """A Mastodon account posting with one access token."""

    kind = NetworkKind.MASTODON
    reconciles = True

    def __init__(
        self,
        name: str,
        client: Mastodon,
        visibility: str = "public",
        token_env: str = "the token",
    ) -> None:
        self.name = name
        self._client = client
        self._visibility = visibility
        self._what = f"the Mastodon account {name}"
        self._token_env = token_env
        self._me: str | None = None

    def send(self, message: Message) -> str:
        """Post ``message`` as a status; the status's id."""
        status = self._call(
            lambda: self._client.status_post(
                message.text,
                idempotency_key=message.idempotency_key,
                visibility=self._visibility,
                language=message.lang,
            )
        )
        status_id = _field(status, "id")
        if status_id is None:
            raise unreadable(self._what, "the answer had no status id")
        return str(status_id)

    def find(self, message: Message) -> str | None:
        """The id of a recent status of the account that is ``message``'s (its link, in the
        content's ``href`` or the card, names this revision; or, untracked, its text is the
        message's), if any."""
        if self._me is None:
            me = self._call(self._client.me)
            self._me = str(_field(me, "id"))
        statuses = self._call(lambda: self._client.account_statuses(self._me, limit=RECENT))
        for status in statuses or []:
            content = str(_field(status, "content") or "")
            links = links_of(content) | card_links(status)
            if recognised(message, links, text_of(content)):
                return str(_field(status, "id"))
        return None

    def close(self) -> None:
        self._client.session.close()

    def _call(self, call: Callable[[], _T]) -> _T:
        try:
            return call()
        except MastodonError as exc:
            raise send_error(exc, self._what, self._client, self._token_env) from None


def links_of(content: str) -> set[str]:
    """The ``href`` of every link in a status's HTML content."""
    tree = LexborHTMLParser(content)
    return {str(node.attributes.get("href")) for node in tree.css("a[href]")}


def card_links(status: Any) -> set[str]:
    """The address of a status's preview card (None until Mastodon has fetched it)."""
    url = _field(_field(status, "card"), "url")
    return {str(url)} if url else set()


def text_of(content: str) -> str:
    """A status's HTML content as text: paragraphs and line breaks as line ends, a link as its
    whole address (Mastodon hides part of it in ``invisible`` spans, but keeps it)."""
    flat = _BREAK.sub("\n", content)
    tree = LexborHTMLParser(flat)
    return tree.text(deep=True, separator="") if tree.body is not None else ""


def send_error(exc: MastodonError, what: str, client: Mastodon, token_env: str) -> SendError:
    """The announcer's error for one of Mastodon.py's."""
    if isinstance(exc, MastodonRatelimitError):
        reset = getattr(client, "ratelimit_reset", None)
        wait = max(float(reset) - time.time(), 0.0) if isinstance(reset, int | float) else None
        return RateLimited(one_line(f"{what}: rate limited (HTTP 429)"), wait)
    if isinstance(exc, MastodonNetworkError):
        # Mastodon.py raises inside its ``except``: the requests exception is the context.
        return requests_transport_error(exc.__context__, what, "the status may have been posted")
    status, detail = _status_of(exc)
    text = one_line(f"{what}: HTTP {status or '?'}" + (f" {detail}" if detail else ""))
    if isinstance(exc, MastodonServerError):
        # 500, 502, 503, 504: the status may have been made before the answer failed.
        return Transient(text, maybe_sent=True)
    if status == 401:
        return Rejected(one_line(f"{text}; check the access token in {token_env}"))
    return by_status(status or 0, text)


def _status_of(exc: MastodonError) -> tuple[int | None, str]:
    """Mastodon.py's API errors carry ``(text, status, reason, error)`` as their args."""
    args = exc.args
    status = args[1] if len(args) > 1 and isinstance(args[1], int) else None
    detail = str(args[3]) if len(args) > 3 and args[3] else (str(args[2]) if len(args) > 2 else "")
    if status is None and isinstance(exc, MastodonAPIError):
        detail = str(exc)
    return status, detail


def _field(record: Any, name: str) -> Any:
    if isinstance(record, dict):
        return record.get(name)
    return getattr(record, name, None)


def connect(options: MastodonOptions, name: str) -> MastodonAccount:
    """The account of ``options``, with its token from the environment."""
    token = secret(options.token_env, f"the Mastodon account {name}")
    parts = urlsplit(options.url)
    client = Mastodon(
        access_token=token,
        api_base_url=f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}",
        ratelimit_method="throw",
        request_timeout=options.timeout,
        # "none": no request to /api/v1/instance before the first post, no version guessing.
        version_check_mode="none",
    )
    return MastodonAccount(name, client, options.visibility, options.token_env)
