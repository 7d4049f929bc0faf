"""The announcer put together for a project: its accounts, their clients, composer and ledger.

The CLI (``carebase announce`` and ``carebase deploy``) calls :func:`announce_site`; everything
it needs comes from ``plugins: carebase/announce`` in ``mkdocs.yml``, the built site's manifest
and the environment (credentials).
"""

from __future__ import annotations

import importlib
import os
import signal
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from carebase.announce.compose import compose
from carebase.announce.ledger import (
    Entry,
    Ledger,
    LedgerConflict,
    LedgerError,
    LedgerStore,
    Snapshot,
    State,
)
from carebase.announce.model import Item, Message, Network, NetworkKind, Rejected
from carebase.announce.planner import Account, items_of
from carebase.announce.runner import Announcer, Checkpoint, Report
from carebase.announce.secrets import quiet_clients, redact
from carebase.announce.settings import AnnounceSettings, NetworkOptions
from carebase.announce.store import open_store
from carebase.errors import CarebaseError
from carebase.manifest import Manifest

CRASH_ENV = "CAREBASE_TEST_CRASH_AT"
"""For tests only: ``<step>`` or ``<step>:<n>`` kills the process (SIGKILL) at that step's
n-th occurrence, to prove that a killed run is reconciled rather than repeated."""
NOW_ENV = "CAREBASE_TEST_NOW"
"""For tests only: an ISO 8601 time (with its offset) the announcer's clock starts from, then
running at the real pace, so that runs "hours apart" (expired leases, passed backoffs) are
simulated without waiting."""

CONFIRMED_BY_PERSON = "confirmed-by-person"
"""The remote id of an unconfirmed post a person said went out."""
Decision = Literal["posted", "resend"]
SAVE_TRIES = 5

_MODULES = {kind: f"carebase.announce.networks.{kind.value}" for kind in NetworkKind}
_WEBHOOKS = frozenset({NetworkKind.SLACK, NetworkKind.DISCORD})


def enabled_networks(settings: AnnounceSettings) -> dict[str, NetworkOptions]:
    """The accounts to announce on, by ledger name."""
    return {net.ledger_name(): net for net in settings.networks if net.enabled}


def accounts_of(settings: AnnounceSettings) -> list[Account]:
    """What the planner needs of each enabled account."""
    return [
        Account(
            name=name,
            languages=tuple(options.languages),
            cap=options.cap if options.cap is not None else settings.cap,
            reconciles=options.kind not in _WEBHOOKS,
        )
        for name, options in enabled_networks(settings).items()
    ]


def connect(name: str, options: NetworkOptions) -> Network:
    """The account's real client (credentials from the environment)."""
    module: Any = importlib.import_module(_MODULES[options.kind])
    network: Network = module.connect(options, name)
    return network


class Unusable:
    """An account whose client could not be made (a missing or malformed secret): each of its
    posts fails with the reason, and the other accounts post as usual."""

    def __init__(self, name: str, kind: NetworkKind, reason: str) -> None:
        self.name, self.kind, self.reason = name, kind, reason
        # As the real client would: webhooks cannot be asked what they received.
        self.reconciles = kind not in _WEBHOOKS

    def send(self, message: Message) -> str:
        raise Rejected(self.reason)

    def find(self, message: Message) -> str | None:
        raise Rejected(self.reason)

    def close(self) -> None:
        """Nothing to close."""


def _connected(name: str, options: NetworkOptions) -> Network:
    """The account's client, or an :class:`Unusable` one saying why it could not be made."""
    try:
        return connect(name, options)
    except CarebaseError as exc:
        reason = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    except Exception as exc:  # A client library's own error: this account only fails.
        reason = f"{name}: the client could not be made: {type(exc).__name__}: {exc}"
    return Unusable(name, options.kind, redact(reason))


def composer(settings: AnnounceSettings) -> Callable[[Item, str], Message]:
    """Compose an item for a named account with its options."""
    accounts = enabled_networks(settings)

    def compose_for(item: Item, name: str) -> Message:
        return compose(item, accounts[name], settings, name)

    return compose_for


class _EmptyIfMissing:
    """A read-only view of a store that may not exist yet (a pull request's dry run)."""

    def __init__(self, store: LedgerStore) -> None:
        self.store = store
        self.note: str | None = None

    def describe(self) -> str:
        return self.store.describe()

    def load(self) -> Snapshot:
        try:
            return self.store.load()
        except LedgerError as exc:
            self.note = f"the ledger could not be read ({exc}); previewing as if it were empty"
            return Snapshot(Ledger(), None)

    def save(self, ledger: Ledger, base: str | None, message: str) -> str:
        raise LedgerError("a dry run saves nothing")


def announce_site(
    manifest: Manifest,
    settings: AnnounceSettings,
    root: Path,
    *,
    dry_run: bool = False,
    backfill: bool = False,
    checkpoint: Checkpoint | None = None,
) -> tuple[Report, str | None]:
    """Announce what the built site published and the ledger has not seen.

    Returns the report and, for a dry run, a note when the ledger could not be read.
    """
    quiet_clients()
    items = items_of(manifest, settings.types)
    store = open_store(root, settings.ledger)
    if dry_run:
        view = _EmptyIfMissing(store)
        dry = Announcer(view, {}, composer(settings), lease=settings.lease_time)
        return dry.run(items, accounts_of(settings), backfill=backfill, dry_run=True), view.note
    networks = {name: _connected(name, opts) for name, opts in enabled_networks(settings).items()}
    try:
        announcer = Announcer(
            store,
            networks,
            composer(settings),
            lease=settings.lease_time,
            max_attempts=settings.max_attempts,
            checkpoint=checkpoint or crash_checkpoint(),
            clock=env_clock(),
        )
        report = announcer.run(items, accounts_of(settings), backfill=backfill)
        report.unusable = {
            name: network.reason
            for name, network in networks.items()
            if isinstance(network, Unusable)
        }
        return report, None
    finally:
        for network in networks.values():
            network.close()


def crash_checkpoint() -> Checkpoint:
    """The checkpoint of :data:`CRASH_ENV` (nothing happens when it is unset)."""
    wanted = os.environ.get(CRASH_ENV, "")
    step, _, nth = wanted.partition(":")
    remaining = [int(nth) if nth.isdigit() else 1]

    def checkpoint(name: str) -> None:
        if step and name == step:
            remaining[0] -= 1
            if remaining[0] <= 0:
                os.kill(os.getpid(), signal.SIGKILL)

    return checkpoint


def unconfirmed(settings: AnnounceSettings, root: Path) -> list[Entry]:
    """Every ``unconfirmed`` entry of the project's ledger."""
    return open_store(root, settings.ledger).load().ledger.unconfirmed()


def resolve(settings: AnnounceSettings, root: Path, short_id: str, decision: Decision) -> Entry:
    """A person settles one unconfirmed post: it went out (``posted``), or the next run sends
    it again (``resend``). Saved by compare-and-swap; returns the settled entry."""
    store = open_store(root, settings.ledger)
    for _ in range(SAVE_TRIES):
        snapshot = store.load()
        entry = snapshot.ledger.by_short_id(short_id.strip())
        if entry is None or entry.state is not State.UNCONFIRMED:
            raise LedgerError(
                f"{store.describe()}: no unconfirmed announcement {short_id!r}\n"
                "  hint: 'carebase announce --unconfirmed' lists them with their IDs"
            )
        settled = _settled(entry, decision, datetime.now(UTC).isoformat())
        ledger = snapshot.ledger.copy()
        ledger.put(settled)
        why = f"carebase announce --resolve {settled.short_id} {decision}"
        try:
            store.save(ledger, snapshot.version, why)
        except LedgerConflict:
            continue  # A run saved meanwhile: settle it on the ledger as it is now.
        return settled
    raise LedgerError(
        f"{store.describe()}: other runs kept saving the ledger\n  hint: run the command again"
    )


def _settled(entry: Entry, decision: Decision, now: str) -> Entry:
    if decision == "posted":
        return entry.but(
            state=State.POSTED,
            remote_id=CONFIRMED_BY_PERSON,
            error=None,
            next_attempt_at=None,
            updated_at=now,
        )
    # A person checked that it did not go out: sent by the next run as a fresh attempt.
    return entry.but(
        state=State.FAILED,
        error="a person asked to send it again",
        attempts=0,
        attempted_at=None,
        next_attempt_at=None,
        updated_at=now,
    )


def env_clock() -> Callable[[], datetime]:
    """The clock of :data:`NOW_ENV`, or the real one when it is unset."""
    start = os.environ.get(NOW_ENV, "")
    if not start:
        return lambda: datetime.now(UTC)
    offset = datetime.fromisoformat(start) - datetime.now(UTC)
    return lambda: datetime.now(UTC) + offset
