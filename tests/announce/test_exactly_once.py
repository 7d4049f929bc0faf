"""Exactly once: runs killed at every step and failures injected — commit-then-fail answers
above all — over randomised trials, with in-process networks and with every network's real
client against its fake: per (network, page, revision) a post goes out once, or is
``unconfirmed`` and reported; never twice, never silently missing."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from carebase.announce.ledger import Ledger, State
from carebase.announce.model import Item, NetworkKind
from carebase.announce.runner import Announcer, Report
from carebase.announce.service import accounts_of, composer, connect, enabled_networks
from carebase.announce.settings import AnnounceSettings
from carebase.announce.store import DirectoryStore, GitBranchStore
from tests.announce.fakenet import FAULTS, FakeNetwork, Killed, Killer, Runs
from tests.announce.rigs import Rig, rigs
from tests.gitrepos import git, user_checkout

TRIALS = 100
STEPS = ("claimed", "before-send", "after-send", "recorded")
LATE = 0.6
"""A fake's lateness in a timeout trial; clients give up after ``TIMEOUT``."""
TIMEOUT = 0.3


def faqs(count: int, trial: int) -> list[Item]:
    return [
        Item(
            id=f"kb/help/t{trial}-faq{n}@en",
            revision="r1",
            type="faq",
            lang="en",
            title=f"Why does my router restart at night? Ünïcödé ñ 🛜 {trial}.{n}",
            description="What the lights mean and what to try first.",
            url=f"https://help.example.com/kb/help/t{trial}-faq{n}/",
        )
        for n in range(count)
    ]


def inject(rig: Rig, rng: random.Random) -> bool:
    """A random failure on ``rig``'s fake; True when it is a (slow) timeout."""
    choice = rng.choice(["none", "none", "429", "500", "503", "timeout"])
    times = rng.randint(1, 2)
    if choice == "429":
        rig.fake.fail(429, headers={"Retry-After": "0"}, times=times)
    elif choice in {"500", "503"}:
        rig.fake.fail(int(choice), times=times)
    elif choice == "timeout" and rng.random() < 0.3:
        rig.fake.delay(LATE, times=1)
        return True
    return False


def settle(fakes: list[Any]) -> None:
    """Let answers the clients gave up on land (as they would, late, on a real network)."""
    time.sleep(LATE + 0.1)


def test_randomised_kills_and_failures_never_post_twice_nor_lose_a_post(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(20261205)
    clock = [datetime(2026, 12, 5, 12, 0, tzinfo=UTC)]
    kills = failures = 0
    with rigs(monkeypatch, timeout=TIMEOUT) as all_rigs:
        settings = AnnounceSettings.model_validate(
            {"networks": [rig.options for rig in all_rigs], "lease": "15m", "cap": 10}
        )
        networks = {name: connect(name, opts) for name, opts in enabled_networks(settings).items()}
        by_name = dict(zip(enabled_networks(settings), all_rigs, strict=True))
        for trial in range(TRIALS):
            items = faqs(rng.randint(1, 3), trial)
            store = DirectoryStore(tmp_path / f"ledger-{trial}")
            slow = [inject(rig, rng) for rig in all_rigs if rng.random() < 0.5]
            failures += len(slow)
            step = rng.choice([*STEPS, None])
            killer = Killer(step, rng.randint(1, 4))
            for run in range(6):
                announcer = Announcer(
                    store,
                    networks,
                    composer(settings),
                    lease=settings.lease_time,
                    clock=lambda: clock[0],
                    sleep=lambda seconds: None,
                    checkpoint=killer if run == 0 else (lambda name: None),
                )
                try:
                    announcer.run(items, accounts_of(settings), backfill=True)
                except Killed:
                    kills += 1
                if any(slow) and run == 0:
                    settle([])
                clock[0] += timedelta(hours=7)  # Past every backoff and lease.
            ledger = store.load().ledger
            for name, rig in by_name.items():
                for it in items:
                    count = rig.posts_of(it.url.removeprefix("https://help.example.com"))
                    entry = ledger.get((it.id, it.revision, name))
                    state = entry.state if entry else None
                    where = f"trial {trial}, {name}, {it.id}, kill at {step}"
                    assert count <= 1, f"posted {count} times: {where}"
                    if rig.reconciles:
                        assert count == 1 and state is State.POSTED, f"{state}, {count}: {where}"
                    else:
                        # A webhook cannot be asked: a post cut off mid-way is reported.
                        assert (count == 1 and state is State.POSTED) or (
                            state is State.UNCONFIRMED
                        ), f"{state}, {count}: {where}"
        for network in networks.values():
            network.close()
    assert kills >= TRIALS // 2, "the trials must kill runs at every step"
    assert failures >= TRIALS // 3


class RacingStore(GitBranchStore):
    """A runner's ledger whose first save (its claims) waits until every runner is about to
    save: they all planned from the same version, the worst interleaving deploys can have."""

    def __init__(self, repo: Path, together: threading.Barrier) -> None:
        super().__init__(repo, "origin", "carebase-ledger")
        self._together: threading.Barrier | None = together

    def save(self, ledger: Ledger, base: str | None, message: str) -> str:
        if self._together is not None:
            together, self._together = self._together, None
            together.wait()
        return super().save(ledger, base, message)


def clone_runner(remote: Path, where: Path) -> Path:
    """A CI runner's fresh clone of the project, whose ledger branch lives on ``remote``."""
    git(where.parent, "clone", "-q", str(remote), str(where))
    return where


@pytest.mark.parametrize("runners", [2, 4])
def test_deploys_racing_on_separate_runners_announce_each_item_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runners: int
) -> None:
    seed = user_checkout(tmp_path, {"mkdocs.yml": "site_name: Help\n"})
    remote = tmp_path / "remote.git"
    items = faqs(3, 0)
    failed: list[BaseException] = []
    with rigs(monkeypatch, timeout=5.0) as all_rigs:
        settings = AnnounceSettings.model_validate(
            {"networks": [rig.options for rig in all_rigs], "cap": 10}
        )
        saving = threading.Barrier(runners, timeout=60)

        def deploy(number: int) -> None:
            work = clone_runner(remote, tmp_path / f"runner-{number}")
            networks = {n: connect(n, o) for n, o in enabled_networks(settings).items()}
            announcer = Announcer(
                RacingStore(work, saving),
                networks,
                composer(settings),
                lease=settings.lease_time,
            )
            try:
                announcer.run(items, accounts_of(settings), backfill=True)
            except BaseException as exc:
                failed.append(exc)
            finally:
                for network in networks.values():
                    network.close()

        threads = [threading.Thread(target=deploy, args=(n,)) for n in range(runners)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for rig in all_rigs:
            counts = [rig.posts_of(it.url.removeprefix("https://help.example.com")) for it in items]
            assert counts == [1, 1, 1], f"{rig.name}: {counts}"
        assert failed == []
        ledger = GitBranchStore(seed, str(remote), "carebase-ledger").load().ledger
        assert {entry.state for entry in ledger} == {State.POSTED}
        assert len(list(ledger)) == len(items) * len(all_rigs)


IN_PROCESS_TRIALS = 400
SETTLING = 20
KINDS = list(NetworkKind)
TYPES = ("faq", "faq", "notice", "post")


@dataclass
class Tally:
    """What the in-process trials saw."""

    trials: int = 0
    faults: int = 0
    kills: int = 0
    posts: int = 0
    duplicates: list[str] = field(default_factory=list)
    losses: list[str] = field(default_factory=list)
    unconfirmed: int = 0
    unconfirmed_landed: int = 0
    webhook_posts: int = 0
    wrong_kind: list[str] = field(default_factory=list)
    new_after_unconfirmed: int = 0
    """Announced as new on a webhook whose earlier revision was unconfirmed but had landed."""

    def line(self) -> str:
        return (
            f"{self.trials} trials, {self.faults} faults fired, {self.kills} runs killed, "
            f"{self.posts} posts, {len(self.duplicates)} duplicates, {len(self.losses)} losses, "
            f"{self.unconfirmed} unconfirmed and reported ({self.unconfirmed_landed} had landed; "
            f"{self.webhook_posts} revisions published on webhooks), "
            f"{len(self.wrong_kind)} wrong new/updated, {self.new_after_unconfirmed} new on a "
            "webhook after an unconfirmed earlier revision that had landed"
        )


def site_after(merge: int, pages: dict[str, Item], rng: random.Random, trial: int) -> list[Item]:
    """The published items after ``merge``: new pages, and edits of some published ones."""
    for number in range(rng.randint(0 if pages else 1, 2)):
        name = f"t{trial}-m{merge}-p{number}"
        pages[name] = Item(
            id=f"kb/help/{name}@en",
            revision=f"m{merge}",
            type=rng.choice(TYPES),
            lang="en",
            title=f"Page {name}",
            description="",
            url=f"https://help.example/kb/help/{name}/",
        )
    for name, page in list(pages.items()):
        if page.revision != f"m{merge}" and rng.random() < 0.5:
            pages[name] = Item(**{**page.__dict__, "revision": f"m{merge}"})
    return list(pages.values())


def faults_for(networks: list[FakeNetwork], rng: random.Random) -> None:
    """Script random faults (commit-then-fail ones most of all) on some networks."""
    for network in networks:
        if rng.random() < 0.6:
            network.faults = [rng.choice([*FAULTS, "commit-500", None]) for _ in range(3)]
            network.find_faults = [rng.choice(["500", None, None]) for _ in range(2)]
    return sum(network.fired for network in networks)


def test_in_process_trials_post_each_revision_once_or_report_it_unconfirmed(
    tmp_path: Path,
) -> None:
    """Merges, edits, commit-then-fail answers, look-ups that fail and runs killed at every step:
    per (network, page, revision), posted at most once; the revision published last is posted
    once or unconfirmed and reported; "updated" only after an earlier revision was posted."""
    rng = random.Random(20261206)
    tally = Tally()
    for trial in range(IN_PROCESS_TRIALS):
        networks = [FakeNetwork(kind.value, kind) for kind in KINDS]
        runs = Runs(tmp_path / f"trial-{trial}", networks, cap=rng.randint(1, 4))
        pages: dict[str, Item] = {}
        for merge in range(rng.randint(1, 3)):
            items = site_after(merge, pages, rng, trial)
            for _ in range(rng.randint(1, 3)):
                faults_for(networks, rng)
                step = rng.choice([*STEPS, None])
                try:
                    runs.run(items, checkpoint=Killer(step, rng.randint(1, 6)), later=_hours(rng))
                except Killed:
                    tally.kills += 1
        for network in networks:
            network.faults, network.find_faults = [], []
            tally.faults += network.fired
        for _ in range(SETTLING):  # Later runs, hours apart, until nothing is left to do.
            report = runs.run(list(pages.values()))
            if not (report.outcomes or report.deferred or report.waiting):
                break
        check(tally, runs, networks, list(pages.values()), report, trial)
        tally.trials += 1
    print(f"\nin-process trials: {tally.line()}")
    assert tally.duplicates == [], tally.duplicates[:5]
    assert tally.losses == [], tally.losses[:5]
    assert tally.wrong_kind == [], tally.wrong_kind[:5]
    assert tally.kills >= IN_PROCESS_TRIALS // 2 and tally.faults >= IN_PROCESS_TRIALS


def _hours(rng: random.Random) -> timedelta:
    """A re-run minutes later (within the lease, or not) or a run hours later."""
    return rng.choice([timedelta(minutes=1), timedelta(minutes=20), timedelta(hours=7)])


def check(
    tally: Tally,
    runs: Runs,
    networks: list[FakeNetwork],
    published: list[Item],
    report: Report,
    trial: int,
) -> None:
    ledger = runs.store.load().ledger
    listed = {(e.item_id, e.revision, e.network) for e in report.unconfirmed}
    for network in networks:
        tally.posts += len(network.posts)
        seen: dict[tuple[str, str], int] = {}
        for post in network.posts:
            key = (post.item_id, post.revision)
            seen[key] = seen.get(key, 0) + 1
            earlier = any(
                before.item_id == post.item_id and before.revision < post.revision
                for before in network.posts
            )
            if post.text.startswith("Updated") and not earlier:
                tally.wrong_kind.append(f"trial {trial} {network.name} {key}: updated, none seen")
            if post.text.startswith("New") and earlier and network.reconciles:
                tally.wrong_kind.append(f"trial {trial} {network.name} {key}: new, one seen")
            tally.new_after_unconfirmed += post.text.startswith("New") and earlier
        for key, count in seen.items():
            if count > 1:
                tally.duplicates.append(f"trial {trial} {network.name} {key}: {count} posts")
        for page in published:
            where = f"trial {trial} {network.name} {page.id}@{page.revision}"
            entry = ledger.get((page.id, page.revision, network.name))
            state = entry.state if entry else None
            count = seen.get((page.id, page.revision), 0)
            tally.webhook_posts += not network.reconciles
            if state is State.UNCONFIRMED and (page.id, page.revision, network.name) in listed:
                tally.unconfirmed += 1
                tally.unconfirmed_landed += count
            elif not _announced_once(page, network, state, count, ledger):
                tally.losses.append(f"{where}: {state}, posted {count} times")


def _announced_once(
    page: Item, network: FakeNetwork, state: State | None, count: int, ledger: Ledger
) -> bool:
    """Posted once; or a post (announced once whatever its edits) already announced earlier."""
    if state is State.POSTED and count == 1:
        return True
    earlier = [e for e in ledger.of_item(page.id, network.name) if e.revision != page.revision]
    announced = {State.POSTED, State.UNCONFIRMED}
    return page.type == "post" and count == 0 and any(e.state in announced for e in earlier)
