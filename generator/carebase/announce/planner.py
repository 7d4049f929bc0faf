"""What a run announces: the published items compared with the ledger, per network.

Pure: it reads the manifest's items and the ledger and says what to send, what to record
without sending (a baseline for a new network, a silenced edit) and what waits for a later run
(over the cap, or failed and not yet due).
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


@dataclass(frozen=True)
class Account:
    """A configured network account, as the planner needs it."""

    name: str
    languages: tuple[str, ...]
    """Empty: every language."""
    cap: int

    def takes(self, item: Item) -> bool:
        return not self.languages or item.lang in self.languages


@dataclass(frozen=True)
class Send:
    """One item to post on one account; ``previous`` is the entry a retry or reclaim replaces."""

    item: Item
    network: str
    previous: Entry | None = None

    @property
    def reclaimed(self) -> bool:
        """Claimed before by a run that may have posted it: ask the network first."""
        return self.previous is not None and self.previous.state is State.SENDING


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
            sends += _decide(item, account.name, ledger, now, lease, result)
        sends.sort(key=_priority)
        result.send += sends[: account.cap]
        if len(sends) > account.cap:
            result.deferred[account.name] = len(sends) - account.cap
    return result


def _decide(
    item: Item, network: str, ledger: Ledger, now: datetime, lease: timedelta, result: Plan
) -> list[Send]:
    entry = ledger.get((item.id, item.revision, network))
    if entry is not None:
        return _again(item, entry, now, lease, result)
    older = [e for e in ledger.of_item(item.id, network) if e.revision != item.revision]
    for stale in older:
        if stale.state is State.FAILED:
            result.record.append(_superseded(stale, now))
    if older and item.type not in CHANGES_ANNOUNCED:
        return []  # A post is announced once, whatever is edited later.
    if item.silent:
        result.record.append(_settled(item, network, State.SILENCED, now))
        return []
    change = Change.UPDATED if older else Change.NEW
    return [Send(replace(item, change=change), network)]


def _again(item: Item, entry: Entry, now: datetime, lease: timedelta, result: Plan) -> list[Send]:
    """An item already in the ledger at this revision: retry it, reclaim it, or leave it."""
    change = Change(entry.kind) if entry.kind else Change.NEW
    if entry.state is State.FAILED:
        if entry.next_attempt_at and _time(entry.next_attempt_at) > now:
            result.waiting += 1
            return []
        return [Send(replace(item, change=change), entry.network, entry)]
    if entry.state is State.SENDING:
        claimed = _time(entry.claimed_at) if entry.claimed_at else now - lease
        if claimed + lease > now:
            result.waiting += 1  # Another run is posting it right now.
            return []
        return [Send(replace(item, change=change), entry.network, entry)]
    return []


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


def _superseded(entry: Entry, now: datetime) -> Entry:
    return entry.but(
        state=State.GAVE_UP,
        error=f"superseded by a newer revision; last error: {entry.error or 'none'}",
        updated_at=now.isoformat(),
    )


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)
