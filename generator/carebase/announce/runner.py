"""One announcing run: claim, post, record — so that every announcement goes out exactly once.

1. Load the ledger and plan (:mod:`carebase.announce.planner`).
2. Save the plan as claims (``sending``, with idempotency keys) in one compare-and-swap: when
   another run saved first, load again and plan again, so two runs never claim the same post.
3. Post, one thread per network, so a slow or failing network does not hold up the others.
   Immediately before each send the post is marked ``attempted_at`` and saved; each outcome is
   saved as it happens.
4. Never resend blind. An answer after which the post may have landed (``Transient`` with
   ``maybe_sent``: 5xx, a timeout, a dropped connection) is looked up on the network
   (:meth:`~carebase.announce.model.Network.find`) after :data:`RECHECK_WAIT`; not found, it
   waits for the next run, which looks it up again before sending. On a network that cannot be
   asked (webhooks) it is *unconfirmed*: listed by every run until a person settles it. Only an
   answer proving the request never arrived (``maybe_sent`` false, 429) is retried directly.
5. Nothing is saved in a ``finally``: a run killed anywhere leaves claims. The next run sends a
   claim that was never marked (it never left), looks up a marked one, or reports it
   unconfirmed on a webhook — only a post that may have left is ever in doubt.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from carebase.announce.ledger import Entry, Ledger, LedgerConflict, LedgerError, LedgerStore, State
from carebase.announce.model import (
    Change,
    Duplicate,
    Item,
    Message,
    Network,
    RateLimited,
    Rejected,
    SendError,
    Transient,
)
from carebase.announce.planner import (
    CHANGES_ANNOUNCED,
    Account,
    Plan,
    Send,
    plan,
    superseded,
)
from carebase.announce.secrets import redact

Compose = Callable[[Item, str], Message]
"""Compose the message of an item for the named account."""
Checkpoint = Callable[[str], None]
"""Called at each step (``claimed``, ``before-send`` — after the attempt mark is saved —,
``after-send``, ``recorded``); tests stop the run there to prove a re-run neither loses nor
repeats a post."""

PLAN_TRIES = 5
SEND_TRIES = 3
MAX_WAIT = 30.0
"""Longest Retry-After waited for within a run; longer ones wait for the next run."""
RECHECK_WAIT = 2.0
"""Seconds between an answer that leaves a post in doubt and looking it up on the network."""
FIRST_BACKOFF = timedelta(minutes=5)
LONGEST_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class Outcome:
    """What happened to one announcement in this run."""

    network: str
    item_id: str
    state: State
    remote_id: str | None = None
    error: str | None = None
    reconciled: bool = False
    """Found on the network (posted by an earlier, interrupted run), not posted again."""
    unsent: bool = False
    """No attempt can have reached the network (refused, 429, or failed before sending): the
    attempt mark is cleared and the next run sends without asking first."""


@dataclass
class Report:
    """What a run did (or, dry, would do)."""

    outcomes: list[Outcome] = field(default_factory=list)
    recorded: int = 0
    deferred: dict[str, int] = field(default_factory=dict)
    waiting: int = 0
    previews: list[Message] = field(default_factory=list)
    dry_run: bool = False
    unusable: dict[str, str] = field(default_factory=dict)
    """Accounts whose client could not be made (a missing or malformed secret), and why: a
    person has to act even when nothing was to be posted on them."""
    unconfirmed: list[Entry] = field(default_factory=list)
    """Every ``unconfirmed`` entry in the ledger after the run (earlier runs' too): listed by
    every run until a person settles it."""

    def count(self, state: State) -> int:
        return sum(1 for outcome in self.outcomes if outcome.state is state)

    @property
    def failed(self) -> bool:
        """Something needs another run or a person *now*: a failure, or a post this run left
        unconfirmed. Unconfirmed posts of earlier runs are listed loudly but do not fail every
        later deploy: a person settles them with ``carebase announce --resolve``."""
        bad = {State.FAILED, State.GAVE_UP, State.UNCONFIRMED}
        return bool(self.unusable) or any(outcome.state in bad for outcome in self.outcomes)

    def summary(self) -> str:
        deferred = sum(self.deferred.values())
        if self.dry_run:
            return (
                f"Dry run, nothing posted: {len(self.previews)} posts would go out, "
                f"{self.recorded} recorded without posting, {deferred} over the cap, "
                f"{self.waiting} waiting"
            )
        return (
            f"Announced: {self.count(State.POSTED)} posted, {self.count(State.FAILED)} failed, "
            f"{len(self.unconfirmed)} unconfirmed, {self.count(State.GAVE_UP)} given "
            f"up, {self.recorded} recorded without posting, {deferred} over the cap, "
            f"{self.waiting} waiting"
        )


def _now() -> datetime:
    return datetime.now(UTC)


def _ignore(step: str) -> None:
    """No checkpoint."""


class Announcer:
    """Runs announcements against one ledger store and a set of connected networks."""

    def __init__(
        self,
        store: LedgerStore,
        networks: Mapping[str, Network],
        compose: Compose,
        *,
        lease: timedelta,
        max_attempts: int = 8,
        clock: Callable[[], datetime] = _now,
        sleep: Callable[[float], None] = time.sleep,
        checkpoint: Checkpoint = _ignore,
        run_id: str | None = None,
    ) -> None:
        self.store = store
        self.networks = networks
        self.compose = compose
        self.lease = lease
        self.max_attempts = max_attempts
        self.clock = clock
        self.sleep = sleep
        self.checkpoint = checkpoint
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self._lock = threading.Lock()
        self._ledger = Ledger()
        self._version: str | None = None

    def run(
        self,
        items: Sequence[Item],
        accounts: Sequence[Account],
        *,
        backfill: bool = False,
        dry_run: bool = False,
    ) -> Report:
        """Announce what the ledger has not seen; see the module's docstring for the steps."""
        planned, messages = self._claim(items, accounts, backfill, dry_run)
        report = Report(
            recorded=len(planned.record),
            deferred=planned.deferred,
            waiting=planned.waiting,
            previews=[message for _, message in messages],
            dry_run=dry_run,
        )
        if dry_run or not messages:
            report.unconfirmed = self._ledger.unconfirmed()
            return report
        self.checkpoint("claimed")
        by_network: dict[str, list[tuple[Send, Message]]] = defaultdict(list)
        for send, message in messages:
            by_network[send.network].append((send, message))
        done: dict[str, list[Outcome]] = {name: [] for name in by_network}
        with ThreadPoolExecutor(max_workers=len(by_network)) as pool:
            batches = {
                name: pool.submit(self._post_all, name, sends, done[name])
                for name, sends in by_network.items()
            }
            for name, batch in batches.items():
                crash = batch.exception()
                if crash is not None and not isinstance(crash, Exception):
                    raise crash  # Interrupted (Ctrl-C): stop as a kill would.
                report.outcomes += done[name]
                if crash is not None:  # Its outcomes so far are kept; the others report on.
                    report.outcomes.append(_crashed(name, by_network[name], done[name], crash))
        with self._lock:
            report.unconfirmed = self._ledger.unconfirmed()
        return report

    def _claim(
        self, items: Sequence[Item], accounts: Sequence[Account], backfill: bool, dry_run: bool
    ) -> tuple[Plan, list[tuple[Send, Message]]]:
        for _ in range(PLAN_TRIES):
            snapshot = self.store.load()
            now = self.clock()
            planned = plan(
                items, snapshot.ledger, accounts, now=now, lease=self.lease, backfill=backfill
            )
            messages = [(send, self.compose(send.item, send.network)) for send in planned.send]
            if dry_run or planned.empty:
                self._ledger = snapshot.ledger
                return planned, messages
            ledger = snapshot.ledger.copy()
            for entry in planned.record:
                ledger.put(entry)
            for send, message in messages:
                ledger.put(self._claimed(send, message, now))
            try:
                version = self.store.save(ledger, snapshot.version, self._why(planned))
            except LedgerConflict:
                continue  # Another run saved first: what it claimed is no longer ours to post.
            self._ledger, self._version = ledger, version
            return planned, messages
        raise LedgerError(
            f"{self.store.describe()}: another run kept saving the ledger while this one "
            "planned\n  hint: run again; deploys should share one concurrency group"
        )

    def _why(self, planned: Plan) -> str:
        return (
            f"carebase announce {self.run_id}: claim {len(planned.send)}, "
            f"record {len(planned.record)}"
        )

    def _claimed(self, send: Send, message: Message, now: datetime) -> Entry:
        previous = send.previous
        return Entry(
            item_id=send.item.id,
            revision=send.item.revision,
            network=send.network,
            state=State.SENDING,
            idempotency_key=message.idempotency_key,
            text=message.text,
            link=message.link,
            remote_id=None,
            error=previous.error if previous else None,
            attempts=previous.attempts if previous else 0,
            run=self.run_id,
            claimed_at=now.isoformat(),
            updated_at=now.isoformat(),
            kind=send.item.change.value,
            attempted_at=previous.attempted_at if previous else None,
        )

    def _post_all(
        self, name: str, sends: list[tuple[Send, Message]], outcomes: list[Outcome]
    ) -> list[Outcome]:
        network = self.networks[name]
        stopped: str | None = None
        for send, message in sends:
            if stopped is not None:
                outcome = Outcome(name, send.item.id, State.FAILED, error=stopped)
                self._record(send, outcome, retry_after=None, tried=False)
            else:
                outcome, retry_after, stop = self._post_guarded(network, send, message)
                self._record(send, outcome, retry_after=retry_after, tried=True)
                if stop:
                    stopped = f"not tried: {name} failed earlier in this run ({outcome.error})"
            outcomes.append(outcome)
        return outcomes

    def _post_guarded(
        self, network: Network, send: Send, message: Message
    ) -> tuple[Outcome, float | None, bool]:
        """:meth:`_post_one`; a client's unexpected error fails this network alone.

        When the post was marked attempted in this run it may have been made before the error:
        a network that can be asked is asked on the next run; another one's post is reported
        unconfirmed, never sent twice.
        """
        try:
            return self._post_one(network, send, message)
        except Exception as exc:
            error = redact(" ".join(f"{network.name}: {type(exc).__name__}: {exc}".split()))
            doubt = self._attempted(send) and not network.reconciles
            state = State.UNCONFIRMED if doubt else State.FAILED
            return Outcome(network.name, send.item.id, state, error=error), None, True

    def _post_one(
        self, network: Network, send: Send, message: Message
    ) -> tuple[Outcome, float | None, bool]:
        """Post one message; the outcome, a Retry-After to honour, and whether to stop."""
        settled = self._before_sending(network, send, message)
        if isinstance(settled, tuple):
            return settled
        name, item_id, message = network.name, send.item.id, settled
        for attempt in range(1, SEND_TRIES + 1):
            self.checkpoint("before-send")
            try:
                remote_id = network.send(message)
            except Duplicate as exc:
                remote_id = exc.remote_id or self._lookup(network, message) or "duplicate"
                return Outcome(name, item_id, State.POSTED, remote_id, reconciled=True), None, False
            except RateLimited as exc:
                wait = exc.retry_after
                if wait is not None and wait <= MAX_WAIT and attempt < SEND_TRIES:
                    self.sleep(wait)
                    continue
                failed = Outcome(name, item_id, State.FAILED, error=_line(exc), unsent=True)
                return failed, wait, True
            except Transient as exc:
                if exc.maybe_sent:
                    outcome = self._maybe_sent(network, send, message, exc)
                    return outcome, None, outcome.state is not State.POSTED
                if attempt < SEND_TRIES:
                    self.sleep(min(2.0**attempt, MAX_WAIT))
                    continue
                return (
                    Outcome(name, item_id, State.FAILED, error=_line(exc), unsent=True),
                    None,
                    True,
                )
            except Rejected as exc:
                failed = Outcome(name, item_id, State.FAILED, error=_line(exc), unsent=True)
                return failed, None, False
            self.checkpoint("after-send")
            return Outcome(name, item_id, State.POSTED, remote_id), None, False
        raise AssertionError("unreachable: the last attempt returns")

    def _before_sending(
        self, network: Network, send: Send, message: Message
    ) -> tuple[Outcome, float | None, bool] | Message:
        """Settle what earlier attempts may have done, then mark this attempt: the message to
        send, or the outcome when nothing is to be sent now."""
        name, item_id = network.name, send.item.id
        if send.in_doubt:
            if not network.reconciles:
                why = "an earlier attempt may have reached it and this network cannot be asked"
                return Outcome(name, item_id, State.UNCONFIRMED, error=why), None, False
            try:
                found = network.find(message)
            except SendError as exc:
                return Outcome(name, item_id, State.FAILED, error=_line(exc)), None, True
            if found:
                return Outcome(name, item_id, State.POSTED, found, reconciled=True), None, False
        change = send.item.change
        if send.earlier:
            try:
                seen = self._earlier_seen(network, send)
            except SendError as exc:
                return Outcome(name, item_id, State.FAILED, error=_line(exc)), None, True
            if seen and send.item.type not in CHANGES_ANNOUNCED:
                return Outcome(name, item_id, State.POSTED, seen, reconciled=True), None, False
            if seen:  # Its followers saw an earlier revision: this one is an update.
                change = Change.UPDATED
                message = self.compose(replace(send.item, change=change), name)
        self._mark(send, message, change)
        return message

    def _maybe_sent(
        self, network: Network, send: Send, message: Message, exc: Transient
    ) -> Outcome:
        """The post may have landed: never send it again blind. Look it up after a short
        wait; not found (or the look-up failed), the next run looks again before sending."""
        name, item_id = network.name, send.item.id
        if not network.reconciles:
            why = f"{_line(exc)}; it may have been posted and this network cannot be asked"
            return Outcome(name, item_id, State.UNCONFIRMED, error=why)
        self.sleep(RECHECK_WAIT)
        found = self._lookup(network, message)
        if found:
            return Outcome(name, item_id, State.POSTED, found, reconciled=True)
        why = f"{_line(exc)}; not found on the network yet, looked up again before a resend"
        return Outcome(name, item_id, State.FAILED, error=why)

    def _earlier_seen(self, network: Network, send: Send) -> str | None:
        """Look up the older revisions that may have gone out unrecorded; record each as
        posted (found) or superseded. The id of one found, if any."""
        seen: str | None = None
        for entry in send.earlier:
            change = Change(entry.kind) if entry.kind else Change.NEW
            older = replace(send.item, revision=entry.revision, change=change)
            found = network.find(self.compose(older, send.network))
            now = self.clock()
            settled = (
                entry.but(state=State.POSTED, remote_id=found, error=None)
                if found
                else superseded(entry, now, reconciles=True)
            )
            with self._lock:
                self._ledger.put(settled.but(run=self.run_id, updated_at=now.isoformat()))
                self._save(
                    f"carebase announce {self.run_id}: {send.network} {entry.item_id} "
                    f"{entry.revision} {settled.state}"
                )
            seen = seen or found
        return seen

    def _mark(self, send: Send, message: Message, change: Change) -> None:
        """Save that this post is about to be sent: from now on it may have left."""
        now = self.clock()
        with self._lock:
            claimed = self._ledger.get(_key(send))
            assert claimed is not None, "an announcement is marked only after its claim"
            marked = claimed.but(
                attempted_at=now.isoformat(),
                updated_at=now.isoformat(),
                text=message.text,
                kind=change.value,
            )
            self._ledger.put(marked)
            self._save(f"carebase announce {self.run_id}: {send.network} {send.item.id} sending")

    def _attempted(self, send: Send) -> bool:
        with self._lock:
            entry = self._ledger.get(_key(send))
        return entry is not None and entry.attempted_at is not None

    def _lookup(self, network: Network, message: Message) -> str | None:
        if not network.reconciles:
            return None
        try:
            return network.find(message)
        except SendError:
            return None

    def _record(self, send: Send, outcome: Outcome, retry_after: float | None, tried: bool) -> None:
        now = self.clock()
        with self._lock:
            claimed = self._ledger.get(_key(send))
            assert claimed is not None, "an announcement is recorded only after its claim"
            attempts = claimed.attempts + (1 if tried and outcome.state is State.FAILED else 0)
            state = outcome.state
            next_attempt = None
            if state is State.FAILED:
                if attempts >= self.max_attempts:
                    state = State.GAVE_UP
                else:
                    next_attempt = (now + _backoff(attempts, retry_after)).isoformat()
            self._ledger.put(
                claimed.but(
                    state=state,
                    remote_id=outcome.remote_id,
                    error=outcome.error,
                    attempts=attempts,
                    next_attempt_at=next_attempt,
                    updated_at=now.isoformat(),
                    attempted_at=None if outcome.unsent else claimed.attempted_at,
                )
            )
            self._save(f"carebase announce {self.run_id}: {send.network} {send.item.id} {state}")
        self.checkpoint("recorded")

    def _save(self, message: str) -> None:
        """Save the ledger; when another run saved meanwhile, keep its entries and ours."""
        for _ in range(PLAN_TRIES):
            try:
                self._version = self.store.save(self._ledger, self._version, message)
                return
            except LedgerConflict:
                theirs = self.store.load()
                merged = theirs.ledger.copy()
                for entry in self._ledger:
                    if entry.run == self.run_id:
                        merged.put(entry)
                self._ledger, self._version = merged, theirs.version
        raise LedgerError(
            f"{self.store.describe()}: could not save the ledger, other runs kept saving\n"
            "  hint: run again; what was posted is reconciled, not posted twice"
        )


def _key(send: Send) -> tuple[str, str, str]:
    return (send.item.id, send.item.revision, send.network)


def _crashed(
    name: str, sends: list[tuple[Send, Message]], done: list[Outcome], crash: BaseException
) -> Outcome:
    """One line for a network whose thread raised: the posts it had not reported."""
    left = [send.item.id for send, _ in sends[len(done) :]]
    error = redact(" ".join(f"{name}: {type(crash).__name__}: {crash}".split()))
    return Outcome(name, ", ".join(left) or "-", State.FAILED, error=f"the run stopped: {error}")


def _backoff(attempts: int, retry_after: float | None) -> timedelta:
    wait = FIRST_BACKOFF * int(2 ** max(attempts - 1, 0))
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=retry_after))
    return min(wait, LONGEST_BACKOFF)


def _line(error: SendError) -> str:
    return redact(" ".join(str(error).split())) or type(error).__name__
