"""What the announcer's parts hand each other: messages, networks and the errors of sending.

Every network module implements :class:`Network`; the composer produces :class:`Message`; the
runner records what happened in the ledger (:mod:`carebase.announce.ledger`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable


class NetworkKind(StrEnum):
    """The networks Carebase can post to."""

    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    X = "x"
    FACEBOOK = "facebook"
    LINKEDIN = "linkedin"
    SLACK = "slack"
    DISCORD = "discord"


class Change(StrEnum):
    """Why an item is announced."""

    NEW = "new"
    UPDATED = "updated"


@dataclass(frozen=True)
class Item:
    """One published page worth announcing, in one language (from the build manifest)."""

    id: str
    """The manifest entry id: ``kb/billing/how-to-get-a-refund@en``."""
    revision: str
    type: str
    """``faq``, ``post`` or ``notice`` (a manifest :class:`~carebase.manifest.EntryType`)."""
    lang: str
    title: str
    description: str
    url: str
    """Absolute address of the published page, without tracking parameters."""
    category: str = ""
    tags: tuple[str, ...] = ()
    published: str | None = None
    silent: bool = False
    """Staff marked this revision as not worth announcing."""
    change: Change = Change.NEW


@dataclass(frozen=True)
class Message:
    """One announcement composed for one network: exactly what is sent."""

    item_id: str
    revision: str
    network: str
    """The configured network's name (``mastodon-en``), as the ledger knows it."""
    kind: NetworkKind
    text: str
    """The whole text of the post; it contains ``link`` where the network shows links in text."""
    link: str
    """The page's address with this network's tracking parameters."""
    title: str
    description: str
    lang: str
    length: int
    """``text`` counted the network's way."""
    limit: int
    link_text: str = ""
    """The part of ``text`` that stands for ``link``: the link itself, or a shorter display form
    (Bluesky, whose link facet points at ``link``); empty where the link is not in the text
    (Facebook and LinkedIn show it as a card)."""
    hashtags: tuple[str, ...] = ()
    """Hashtags in ``text``, without ``#``."""

    @property
    def idempotency_key(self) -> str:
        """The same for every attempt at this item, revision and network: what networks that
        accept one (Mastodon's ``Idempotency-Key``) use to drop a repeated request."""
        return idempotency_key(self.item_id, self.revision, self.network)


def idempotency_key(item_id: str, revision: str, network: str) -> str:
    """A stable key for one (item, revision, network)."""
    raw = f"carebase\t{item_id}\t{revision}\t{network}".encode()
    return hashlib.sha256(raw).hexdigest()[:32]


class SendError(Exception):
    """Sending failed. ``str(error)`` is one line a person can act on, with secrets removed."""


class RateLimited(SendError):
    """The network said 429 (or its own rate-limit answer); try again after ``retry_after``."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Transient(SendError):
    """5xx, a timeout or a dropped connection: the same request may succeed later.

    ``maybe_sent`` is true whenever the request may have reached the network: a 5xx (a server
    may store the post and then fail), a timeout waiting for the answer, a connection dropped or
    a protocol error after sending. The runner never sends such a post again blind: it asks
    :meth:`Network.find` first (now, after a short wait, and on later runs), or, where the
    network cannot be asked, records it ``unconfirmed`` for a person. It is false only when the
    request provably never left (the connection was refused, DNS failed): then it is retried.
    """

    def __init__(self, message: str, *, maybe_sent: bool = False) -> None:
        super().__init__(message)
        self.maybe_sent = maybe_sent


class Rejected(SendError):
    """The network refused the post for good (bad credentials, invalid text, forbidden):
    retrying the same request cannot help, a person has to act."""


class Duplicate(SendError):
    """The network already has this post (X's duplicate-content 403, LinkedIn's 422
    ``DUPLICATE_POST``); ``remote_id`` is the original's when the network says it."""

    def __init__(self, message: str, remote_id: str | None = None) -> None:
        super().__init__(message)
        self.remote_id = remote_id


@runtime_checkable
class Network(Protocol):
    """A configured account on one network."""

    name: str
    kind: NetworkKind
    reconciles: bool
    """Whether :meth:`find` can tell if an earlier attempt reached the network. Without it
    (webhooks), an attempt that may have reached it (marked in the ledger before sending, then
    a maybe-sent error or a run killed) is reported ``unconfirmed``, never repeated."""

    def send(self, message: Message) -> str:
        """Post ``message``; return the network's id of the new post (or a URL for it).

        Raises :class:`RateLimited`, :class:`Transient`, :class:`Rejected` or
        :class:`Duplicate`; never anything else for a network's answer.
        """
        ...

    def find(self, message: Message) -> str | None:
        """The id of a post of ``message`` made earlier (recent posts of the account looked up by
        its link, or the network's idempotency key), or None when there is none. It must tell
        revisions apart: an earlier revision's post of the same page is not this one (the
        runner also asks it about an older revision, to know whether an edit is an update).

        Only called when :attr:`reconciles` is true. Raises the same errors as :meth:`send`.
        """
        ...

    def close(self) -> None:
        """Release connections."""
        ...
