"""The faults every network client is tried with, and how each must be classified.

One table for every network (each test module parametrizes over it with its own fake, client
and paths): a fault is injected into the fake, the client's ``send`` (or ``find``) must raise
exactly the model's error it means, and, where the network can be asked, ``find`` must then say
truthfully whether the post exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from carebase.announce.model import (
    Message,
    Network,
    NetworkKind,
    RateLimited,
    SendError,
    Transient,
)
from tests.fakes.social import _SocialFake, make_message

LATE = 1.5
"""Seconds a fake waits before answering: longer than every test client's 0.5 s timeout."""
LONG_WAIT = 3600
"""A rate limit's announced wait, in seconds: long, so a client must not sleep it away."""

Inject = Callable[[_SocialFake, str], None]


@dataclass(frozen=True)
class Case:
    """One fault, the error it must become, and whether the post was made."""

    name: str
    inject: Inject
    error: type[SendError]
    maybe_sent: bool | None = None
    """For :class:`Transient`: whether the request may have reached the network."""
    committed: bool = False
    """Whether the fake made the post before failing."""

    def __str__(self) -> str:
        return self.name


def _rate_limit(fake: _SocialFake, path: str) -> None:
    fake.rate_limit(LONG_WAIT, path=path)


POSTING = [
    Case("commit_then_500", lambda f, p: f.commit_then_500(500, path=p), Transient, True, True),
    Case("commit_then_503", lambda f, p: f.commit_then_500(503, path=p), Transient, True, True),
    Case("commit_then_drop", lambda f, p: f.commit_then_drop(path=p), Transient, True, True),
    Case(
        "commit_then_timeout",
        lambda f, p: f.commit_then_timeout(LATE, path=p),
        Transient,
        True,
        True,
    ),
    Case("drop", lambda f, p: f.drop(path=p), Transient, True, False),
    Case("plain_500", lambda f, p: f.fail(500, path=p), Transient, True, False),
    Case("rate_limit_long", _rate_limit, RateLimited),
]
"""Faults of the posting call."""

LOOKUP = [
    Case("500", lambda f, p: f.fail(500, path=p), Transient),
    Case("drop", lambda f, p: f.drop(path=p), Transient),
    Case("timeout", lambda f, p: f.delay(LATE, path=p), Transient),
    Case("rate_limit_long", _rate_limit, RateLimited),
]
"""Faults of the look-up call (:meth:`Network.find`)."""


def check_posting(
    case: Case, fake: _SocialFake, network: Network, message: Message, path: str
) -> SendError:
    """Inject ``case`` on ``path``, send ``message``: the right error, and ``find`` (where the
    network can be asked) agreeing with what the fake holds."""
    case.inject(fake, path)

    with pytest.raises(SendError) as raised:
        network.send(message)
    error = raised.value
    _assert_is(case, error)
    assert len(fake.posts) == (1 if case.committed else 0)
    if network.reconciles:
        found = network.find(message)
        assert (found is not None) is case.committed, f"find() after {case}: {found!r}"
    return error


def check_lookup(case: Case, fake: _SocialFake, network: Network, message: Message, path: str):
    """Inject ``case`` on the look-up ``path``: ``find`` raises the mapped error, nothing else."""
    case.inject(fake, path)

    with pytest.raises(SendError) as raised:
        network.find(message)
    _assert_is(case, raised.value)
    return raised.value


def _assert_is(case: Case, error: SendError) -> None:
    assert type(error) is case.error, f"{case}: {type(error).__name__}: {error}"
    assert "\n" not in str(error)
    if isinstance(error, Transient) and case.maybe_sent is not None:
        assert error.maybe_sent is case.maybe_sent, f"{case}: maybe_sent={error.maybe_sent}"
    if isinstance(error, RateLimited):
        assert error.retry_after is not None
        assert error.retry_after > LONG_WAIT - 120


def check_found_by_revision(network: Network, first: Message, update: Message) -> None:
    """``first`` posted: ``find`` takes it for ``first`` and never for ``update``, a later
    revision of the same page."""
    posted = network.send(first)

    assert network.find(update) is None
    assert network.find(first) == posted


def untracked(kind: NetworkKind, *, link_in_text: bool = True) -> tuple[Message, Message]:
    """A first announcement and an update of one page, its link untracked (``utm: false``)."""
    page = "https://h.example/r"
    shown = f" {page}" if link_in_text else ""
    first = make_message(kind, text=f"New FAQ: Refunds{shown}", link=page)
    update = make_message(kind, revision="r2", text=f"Updated FAQ: Refunds{shown}", link=page)
    return first, update


def check_not_sent(network: Network, message: Message) -> None:
    """A network whose address cannot be resolved: ``Transient``, and known not sent."""
    with pytest.raises(Transient) as raised:
        network.send(message)
    assert not raised.value.maybe_sent
