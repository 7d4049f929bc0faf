"""What a run announces: the published items compared with the ledger, per network.

Pure: it reads the manifest's items and the ledger and says what to send, what to record
without sending (a baseline for a new network, a silenced edit, an older revision superseded by
the one published now) and what waits for a later run (over the cap, or failed and not yet due).

Only the revision published now is ever sent, once. It is announced as *updated* only when an
earlier revision was posted on that network (or was already published when the network was
added): what the network's followers saw, not what the ledger once planned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from urllib.parse import urljoin

from carebase.announce.ledger import Entry, Ledger, State
from carebase.announce.model import Change, Item, idempotency_key
from carebase.manifest import EntryType, Manifest

CHANGES_ANNOUNCED = {EntryType.FAQ.value, EntryType.NOTICE.value}
"""Types whose later revisions are announced again; a post is announced once."""
SEEN = {State.POSTED, State.BASELINE}
"""An earlier revision in one of these states was seen by the network's followers."""


@dataclass(frozen=True)
class Account:
    """A configured network account, as the planner needs it."""

    name: str
    languages: tuple[str, ...]
    """Empty: every language."""
    cap: int
    reconciles: bool = True
    """Whether the network can be asked what it received (webhooks cannot)."""

    def takes(self, item: Item) -> bool:
        return not self.languages or item.lang in self.languages


@dataclass(frozen=True)
class Send:
    """One item to post on one account; ``previous`` is the entry a retry or reclaim replaces."""

    item: Item
    network: str
    previous: Entry | None = None
    earlier: tuple[Entry, ...] = ()
    """Older revisions that may have reached this network (which can be asked) unrecorded:
    the runner looks them up first, since whether one was seen decides new or updated."""

    @property
    def reclaimed(self) -> bool:
        """Claimed before by a run that stopped before recording it."""
        return self.previous is not None and self.previous.state is State.SENDING

    @property
    def in_doubt(self) -> bool:
        """An earlier attempt may have reached the network: ask it first, or (a network that
        cannot be asked) report the post unconfirmed."""
        return self.previous is not None and self.previous.in_doubt


@dataclass
class Plan:
    """What one run does."""

    send: list[Send] = field(default_factory=list)
    record: list[Entry] = field(default_factory=list)
    """Written without posting: baselines, silenced edits, superseded failures."""
    deferred: dict[str, int] = field(default_factory=dict)
    """Per account: items over its cap this run."""
    waiting: int = 0
    """Failed entries not yet due, and claims of other runs still within their lease."""

    @property
    def empty(self) -> bool:
        return not self.send and not self.record


def items_of(manifest: Manifest, types: Iterable[str]) -> list[Item]:
    """The published pages worth announcing, with absolute addresses."""
    wanted = set(types)
    return [
        Item(
            id=entry.id,
            revision=entry.revision,
            type=entry.type.value,
            lang=entry.lang,
            title=entry.title,
            description=entry.description,
            url=urljoin(manifest.site_url, entry.url),
            category=entry.category,
            tags=entry.tags,
            published=entry.published,
            silent=entry.silent,
        )
        for entry in manifest.published()
        if entry.type.value in wanted
    ]


def plan(
    items: Sequence[Item],
    ledger: Ledger,
    accounts: Sequence[Account],
    *,
    now: datetime,
    lease: timedelta,
    backfill: bool = False,
) -> Plan:
    """Decide, per account, what to post, record or leave for later."""
    result = Plan()
    known = ledger.networks()
    for account in accounts:
        mine = [item for item in items if account.takes(item)]
        if account.name not in known and not backfill:
            result.record += [_settled(item, account.name, State.BASELINE, now) for item in mine]
            continue
        sends: list[Send] = []
        for item in mine:
            sends += _decide(item, account, ledger, now, lease, result)
        sends.sort(key=_priority)
        result.send += sends[: account.cap]
        if len(sends) > account.cap:
            result.deferred[account.name] = len(sends) - account.cap
    return result


def _decide(
    item: Item, account: Account, ledger: Ledger, now: datetime, lease: timedelta, result: Plan
) -> list[Send]:
    network = account.name
    entry = ledger.get((item.id, item.revision, network))
    older = [e for e in ledger.of_item(item.id, network) if e.revision != item.revision]
    seen = any(stale.state in SEEN for stale in older)
    ask = tuple(e for e in older if account.reconciles and not seen and e.in_doubt)
    if entry is not None:
        return _again(item, entry, now, lease, result, ask)
    if any(_busy(stale, now, lease) for stale in older):
        result.waiting += 1  # Another run is posting an older revision: what it saw decides.
        return []
    result.record += [
        superseded(stale, now, account.reconciles)
        for stale in older
        if _pending(stale) and stale not in ask
    ]
    if item.type not in CHANGES_ANNOUNCED and (
        seen or any(stale.state is State.UNCONFIRMED for stale in older)
    ):
        return []  # A post is announced once, whatever is edited later.
    if item.silent:
        result.record.append(_settled(item, network, State.SILENCED, now))
        return []
    change = Change.UPDATED if seen else Change.NEW
    return [Send(replace(item, change=change), network, earlier=ask)]


def _pending(entry: Entry) -> bool:
    """Claimed or failed, never posted: an older revision that is not sent any more."""
    return entry.state in {State.SENDING, State.FAILED}


def _busy(entry: Entry, now: datetime, lease: timedelta) -> bool:
    """Claimed by a run whose lease has not ended: it may be posting right now."""
    return entry.state is State.SENDING and _claim_time(entry, now, lease) + lease > now


def _again(
    item: Item,
    entry: Entry,
    now: datetime,
    lease: timedelta,
    result: Plan,
    ask: tuple[Entry, ...],
) -> list[Send]:
    """An item already in the ledger at this revision: retry it, reclaim it, or leave it."""
    change = Change(entry.kind) if entry.kind else Change.NEW
    if entry.state is State.FAILED:
        if entry.next_attempt_at and _time(entry.next_attempt_at) > now:
            result.waiting += 1
            return []
        return [Send(replace(item, change=change), entry.network, entry, ask)]
    if entry.state is State.SENDING:
        if _busy(entry, now, lease):
            result.waiting += 1  # Another run is posting it right now.
            return []
        return [Send(replace(item, change=change), entry.network, entry, ask)]
    return []


def _claim_time(entry: Entry, now: datetime, lease: timedelta) -> datetime:
    return _time(entry.claimed_at) if entry.claimed_at else now - lease


def _priority(send: Send) -> tuple[int, int, str, str]:
    # Service notices first; then what waited longest (retries), then the newest posts.
    notice = 0 if send.item.type == EntryType.NOTICE.value else 1
    retry = 0 if send.previous is not None else 1
    published = send.item.published or ""
    return (notice, retry, _descending(published), send.item.id)


def _descending(text: str) -> str:
    return "".join(chr(0x10FFFF - ord(char)) for char in text)


def _settled(item: Item, network: str, state: State, now: datetime) -> Entry:
    return Entry(
        item_id=item.id,
        revision=item.revision,
        network=network,
        state=state,
        idempotency_key=idempotency_key(item.id, item.revision, network),
        link=item.url,
        updated_at=now.isoformat(),
    )


def superseded(entry: Entry, now: datetime, reconciles: bool) -> Entry:
    """An older revision not sent any more. One that may have reached a network that cannot
    be asked stays for a person to settle (unconfirmed); every other is given up."""
    state = State.GAVE_UP if reconciles or not entry.in_doubt else State.UNCONFIRMED
    return entry.but(
        state=state,
        error=f"superseded by a newer revision; last error: {entry.error or 'none'}",
        updated_at=now.isoformat(),
    )


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)
