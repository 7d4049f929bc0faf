"""In-process networks for the runner's tests: they record what landed and fail on a script,
including the worst case a real network has — the post is stored, then the answer is lost."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from carebase.announce.ledger import LedgerStore
from carebase.announce.model import (
    Item,
    Message,
    NetworkKind,
    RateLimited,
    Rejected,
    Transient,
)
from carebase.announce.planner import Account
from carebase.announce.runner import Announcer, Checkpoint, Report
from carebase.announce.store import DirectoryStore

START = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=15)

FAULTS = (
    "commit-500",  # Stored, then a 5xx: maybe sent (and it was).
    "commit-timeout",  # Stored, then no answer in time: maybe sent (and it was).
    "commit-drop",  # Stored, then the connection closed: maybe sent (and it was).
    "500",  # A 5xx before storing: maybe sent (it was not).
    "refused",  # The connection was refused: provably never sent.
    "429",  # Rate limited, Retry-After 0: never sent.
    "crash",  # The client raised something unexpected after storing the post.
)
"""What :class:`FakeNetwork` can do to one send."""


class Killed(BaseException):
    """The run was killed (a BaseException, as SIGKILL is not an error anyone handles)."""


class Killer:
    """A checkpoint that kills the run at the n-th passing of one step, in every thread."""

    def __init__(self, step: str | None, nth: int = 1) -> None:
        self.step, self.left, self.dead = step, nth, False
        self._lock = threading.Lock()

    def __call__(self, step: str) -> None:
        with self._lock:
            if not self.dead and step == self.step:
                self.left -= 1
                self.dead = self.left <= 0
            if self.dead:
                raise Killed(step)


@dataclass
class FakeNetwork:
    """A network account in memory. ``faults`` are taken one per send, in order (None: none)."""

    name: str
    kind: NetworkKind = NetworkKind.MASTODON
    faults: list[str | None] = field(default_factory=list)
    find_faults: list[str | None] = field(default_factory=list)
    """Per look-up: ``"500"`` fails it (Transient), ``"crash"`` raises RuntimeError."""
    posts: list[Message] = field(default_factory=list)
    sends: int = 0
    finds: int = 0
    fired: int = 0
    """Faults that happened (scripted ones left unused are not counted)."""

    @property
    def reconciles(self) -> bool:
        return self.kind not in {NetworkKind.SLACK, NetworkKind.DISCORD}

    def send(self, message: Message) -> str:
        self.sends += 1
        fault = self.faults.pop(0) if self.faults else None
        self.fired += fault is not None
        if fault == "refused":
            raise Transient(f"{self.name}: connection refused", maybe_sent=False)
        if fault == "429":
            raise RateLimited(f"{self.name}: 429", retry_after=0)
        if fault == "500":
            raise Transient(f"{self.name}: 500 Internal Server Error", maybe_sent=True)
        if fault == "rejected":
            raise Rejected(f"{self.name}: 401 bad token")
        self.posts.append(message)
        if fault in {"commit-500", "commit-timeout", "commit-drop"}:
            raise Transient(f"{self.name}: {fault}", maybe_sent=True)
        if fault == "crash":
            raise RuntimeError("the client library fell over")
        return f"{self.name}-{len(self.posts)}"

    def find(self, message: Message) -> str | None:
        self.finds += 1
        fault = self.find_faults.pop(0) if self.find_faults else None
        self.fired += fault is not None
        if fault == "500":
            raise Transient(f"{self.name}: look-up answered 503", maybe_sent=False)
        if fault == "crash":
            raise RuntimeError("the look-up fell over")
        for number, post in enumerate(self.posts, 1):
            # By revision: an earlier revision's post is not this one.
            if (post.item_id, post.revision) == (message.item_id, message.revision):
                return f"{self.name}-{number}"
        return None

    def close(self) -> None:
        """Nothing to close."""

    def count(self, item: Item) -> int:
        """Posts of this item at this revision."""
        return sum(1 for p in self.posts if (p.item_id, p.revision) == (item.id, item.revision))


def compose(item: Item, network: str) -> Message:
    """A plain message: the change, the title and the link (with the revision in it)."""
    link = f"{item.url}?utm_content={item.revision}"
    text = f"{item.change.value.title()}: {item.title} {link}"
    return Message(
        item.id,
        item.revision,
        network,
        NetworkKind.MASTODON,
        text,
        link,
        item.title,
        item.description,
        item.lang,
        len(text),
        500,
        link_text=link,
    )


def faq(name: str, revision: str = "r1", type: str = "faq") -> Item:
    return Item(
        id=f"kb/help/{name}@en",
        revision=revision,
        type=type,
        lang="en",
        title=f"About {name}",
        description="",
        url=f"https://help.example/kb/help/{name}/",
    )


@dataclass
class Runs:
    """Runs of the announcer on one ledger, each later than the one before."""

    folder: Path
    networks: Sequence[FakeNetwork]
    cap: int = 10
    clock: datetime = START
    store: LedgerStore = field(init=False)

    def __post_init__(self) -> None:
        self.store = DirectoryStore(self.folder)

    def run(
        self,
        items: Sequence[Item],
        checkpoint: Checkpoint | None = None,
        later: timedelta = timedelta(hours=7),
        sleep: Callable[[float], None] = lambda seconds: None,
    ) -> Report:
        """One run (backfill: no baseline); the clock then moves past backoffs and leases."""
        accounts = [
            Account(net.name, (), self.cap, reconciles=net.reconciles) for net in self.networks
        ]
        announcer = Announcer(
            self.store,
            {net.name: net for net in self.networks},
            compose,
            lease=LEASE,
            clock=lambda: self.clock,
            sleep=sleep,
            checkpoint=checkpoint or (lambda step: None),
        )
        try:
            return announcer.run(items, accounts, backfill=True)
        finally:
            self.clock += later
