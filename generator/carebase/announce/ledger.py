"""The ledger (an outbox): one entry per announced (item, revision, network), and its states.

A run claims what it is about to post (``sending``, with its idempotency key), saves that,
posts, and records each outcome (``posted`` with the remote id, or ``failed`` with the error and
the attempts). The ledger is kept by a :class:`LedgerStore` whose :meth:`~LedgerStore.save`
is a compare-and-swap, so two runs cannot both claim the same announcement.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields, replace
from enum import StrEnum
from typing import Any, Protocol

from carebase.errors import CarebaseError

FORMAT_VERSION = 1
LEDGER_FILE = "ledger.jsonl"


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
    """A run stopped between posting and recording, on a network that cannot be asked whether
    the post arrived (webhooks): never sent again by itself, reported until a person decides."""
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

    @property
    def key(self) -> Key:
        return (self.item_id, self.revision, self.network)

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

    def copy(self) -> Ledger:
        return Ledger(self._entries.values())

    def to_text(self) -> str:
        """JSON lines, sorted: a header, then one entry per line (diffs stay readable)."""
        lines = [json.dumps({"carebase_ledger": FORMAT_VERSION})]
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
        return cls(_entry(line, where, number) for number, line in enumerate(lines[1:], 2) if line)


_FIELDS = {f.name for f in fields(Entry)}


def _plain(entry: Entry) -> dict[str, Any]:
    data = asdict(entry)
    return {key: value for key, value in data.items() if value not in (None, "", 0)} | {
        "state": entry.state.value,
        "item_id": entry.item_id,
        "revision": entry.revision,
        "network": entry.network,
    }


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
