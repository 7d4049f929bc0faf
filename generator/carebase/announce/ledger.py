"""The ledger (an outbox): one entry per announced (item, revision, network), and its states.

A run claims what it is about to post (``sending``, with its idempotency key), saves that,
marks each post ``attempted_at`` (saved) immediately before sending it, and records each outcome
(``posted`` with the remote id, or ``failed`` with the error and the attempts). The mark tells
the next run which claims may have reached a network (look them up, or report them
``unconfirmed``) and which never left (send them). The ledger is kept by a
:class:`LedgerStore` whose :meth:`~LedgerStore.save` is a compare-and-swap, so two runs cannot
both claim the same announcement.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields, replace
from enum import StrEnum
from typing import Any, Protocol

from carebase.announce.model import idempotency_key
from carebase.errors import CarebaseError

FORMAT_VERSION = 1
LEDGER_FILE = "ledger.jsonl"
MARKS = "attempt_marks"
"""In the header of ledgers whose entries carry ``attempted_at``. In an older ledger every
claimed or failed entry may have reached its network: it is read as attempted."""


class State(StrEnum):
    """Where one announcement stands."""

    BASELINE = "baseline"
    """Already published when the network was added: recorded, never posted."""
    SILENCED = "silenced"
    """Staff marked the edit ``silent: true``: recorded, never posted."""
    SENDING = "sending"
    """Claimed by a run that is posting it (or crashed while posting it)."""
    POSTED = "posted"
    FAILED = "failed"
    """The last attempt failed; retried by a later run once ``next_attempt_at`` has passed."""
    UNCONFIRMED = "unconfirmed"
    """A post may have reached a network that cannot be asked whether it arrived (a webhook
    answered 5xx or timed out, or a run stopped after marking the attempt): never sent again by
    itself, listed by every run until a person settles it (``carebase announce --resolve``)."""
    GAVE_UP = "gave-up"
    """Failed ``max_attempts`` times, or refused for good: reported, not retried."""

    @property
    def settled(self) -> bool:
        """Nothing more will happen to this entry without a person."""
        return self in {State.BASELINE, State.SILENCED, State.POSTED, State.GAVE_UP}


Key = tuple[str, str, str]
"""``(item_id, revision, network)``."""


@dataclass(frozen=True)
class Entry:
    """One announcement of one revision of one item on one network."""

    item_id: str
    revision: str
    network: str
    state: State
    idempotency_key: str = ""
    text: str = ""
    """What was (or is being) sent."""
    link: str = ""
    remote_id: str | None = None
    error: str | None = None
    """The last failure, one line, secrets removed."""
    attempts: int = 0
    run: str | None = None
    """The run that claimed it last."""
    claimed_at: str | None = None
    next_attempt_at: str | None = None
    updated_at: str = ""
    kind: str = ""
    """``new`` or ``updated``."""
    attempted_at: str | None = None
    """When a send that may have reached the network began (saved before sending); None when no
    attempt can have left this machine. A retry or reclaim of an attempted entry looks the post
    up first, or (webhooks) is reported unconfirmed."""

    @property
    def key(self) -> Key:
        return (self.item_id, self.revision, self.network)

    @property
    def short_id(self) -> str:
        """What a person types to name this entry (``--resolve ID``)."""
        return (self.idempotency_key or idempotency_key(*self.key))[:10]

    @property
    def in_doubt(self) -> bool:
        """An attempt may have reached the network and its outcome is not known."""
        return self.attempted_at is not None and self.state in {State.SENDING, State.FAILED}

    def but(self, **changes: Any) -> Entry:
        """A copy with ``changes``."""
        return replace(self, **changes)


class Ledger:
    """Every entry, by key."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._entries: dict[Key, Entry] = {entry.key: entry for entry in entries}

    def __iter__(self) -> Iterator[Entry]:
        return iter(sorted(self._entries.values(), key=lambda entry: entry.key))

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key) -> Entry | None:
        return self._entries.get(key)

    def put(self, entry: Entry) -> None:
        self._entries[entry.key] = entry

    def networks(self) -> set[str]:
        """Networks that have any entry (a network without any gets a baseline first)."""
        return {entry.network for entry in self._entries.values()}

    def of_item(self, item_id: str, network: str) -> list[Entry]:
        """Every revision of ``item_id`` recorded for ``network``."""
        return [
            entry
            for entry in self._entries.values()
            if entry.item_id == item_id and entry.network == network
        ]

    def unconfirmed(self) -> list[Entry]:
        """Entries waiting for a person to say whether they went out."""
        return [entry for entry in self if entry.state is State.UNCONFIRMED]

    def by_short_id(self, short: str) -> Entry | None:
        """The one entry whose :attr:`Entry.short_id` starts with ``short``."""
        found = [entry for entry in self if short and entry.short_id.startswith(short)]
        return found[0] if len(found) == 1 else None

    def copy(self) -> Ledger:
        return Ledger(self._entries.values())

    def to_text(self) -> str:
        """JSON lines, sorted: a header, then one entry per line (diffs stay readable)."""
        lines = [json.dumps({"carebase_ledger": FORMAT_VERSION, MARKS: True})]
        lines += [json.dumps(_plain(entry), ensure_ascii=False, sort_keys=True) for entry in self]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_text(cls, text: str, where: str) -> Ledger:
        """Read :meth:`to_text`'s output; :class:`LedgerError` naming ``where`` and the line."""
        lines = text.splitlines()
        if not lines:
            return cls()
        try:
            header = json.loads(lines[0])
        except ValueError:
            header = None
        if not isinstance(header, dict) or header.get("carebase_ledger") != FORMAT_VERSION:
            raise LedgerError(
                f"{where}:1: is not a Carebase ledger (version {FORMAT_VERSION})\n"
                "  hint: point 'ledger' in plugins.carebase/announce at a branch or folder of "
                "its own"
            )
        entries = [_entry(line, where, number) for number, line in enumerate(lines[1:], 2) if line]
        if not header.get(MARKS):
            entries = [_marked(entry) for entry in entries]
        return cls(entries)


_FIELDS = {f.name for f in fields(Entry)}


def _plain(entry: Entry) -> dict[str, Any]:
    data = asdict(entry)
    return {key: value for key, value in data.items() if value not in (None, "", 0)} | {
        "state": entry.state.value,
        "item_id": entry.item_id,
        "revision": entry.revision,
        "network": entry.network,
    }


def _marked(entry: Entry) -> Entry:
    """An entry of a ledger written before attempt marks: a claim or failure may have left."""
    if entry.state in {State.SENDING, State.FAILED} and entry.attempted_at is None:
        return entry.but(attempted_at=entry.claimed_at or entry.updated_at or "unknown")
    return entry


def _entry(line: str, where: str, number: int) -> Entry:
    try:
        data = json.loads(line)
        values = {key: value for key, value in data.items() if key in _FIELDS}
        values["state"] = State(values["state"])
        return Entry(**values)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LedgerError(
            f"{where}:{number}: is not a ledger entry ({exc})\n"
            "  hint: the ledger is written by Carebase only; restore the line from the "
            "branch's history"
        ) from None


class LedgerError(CarebaseError):
    """The ledger cannot be read or written."""


class LedgerConflict(LedgerError):
    """Another run saved the ledger since this run loaded it: load again and re-plan."""


@dataclass(frozen=True)
class Snapshot:
    """The ledger as loaded, with the store's version of it (None: no ledger yet)."""

    ledger: Ledger
    version: str | None


class LedgerStore(Protocol):
    """Where the ledger is kept, durably, for the next run (on another machine) to read."""

    def describe(self) -> str:
        """Where it is, for messages (``branch carebase-ledger of origin``); no secrets."""
        ...

    def load(self) -> Snapshot:
        """The latest saved ledger (an empty one with version None when there is none)."""
        ...

    def save(self, ledger: Ledger, base: str | None, message: str) -> str:
        """Replace the saved ledger with ``ledger``, atomically, if the saved version is still
        ``base``; return the new version. Raises :class:`LedgerConflict` when it is not
        (another run saved in between) and :class:`LedgerError` when it cannot be written."""
        ...
