"""Exactly once: every network's real client against its fake, runs killed at every step and
failures injected, over randomised trials — no post twice on a network, none lost unseen."""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from carebase.announce.ledger import Ledger, State
from carebase.announce.model import Item
from carebase.announce.runner import Announcer
from carebase.announce.service import accounts_of, composer, connect, enabled_networks
from carebase.announce.settings import AnnounceSettings
from carebase.announce.store import DirectoryStore, GitBranchStore
from tests.announce.rigs import Rig, rigs
from tests.gitrepos import git, user_checkout

TRIALS = 100
STEPS = ("claimed", "before-send", "after-send", "recorded")
LATE = 0.6
"""A fake's lateness in a timeout trial; clients give up after ``TIMEOUT``."""
TIMEOUT = 0.3


class Killed(BaseException):
    """The run was killed (a BaseException, as SIGKILL is not an error anyone handles)."""


class Killer:
    """A checkpoint that kills the run at the n-th passing of one step, in every thread."""

    def __init__(self, step: str | None, nth: int) -> None:
        self.step, self.left, self.dead = step, nth, False
        self._lock = threading.Lock()

    def __call__(self, step: str) -> None:
        with self._lock:
            if not self.dead and step == self.step:
                self.left -= 1
                self.dead = self.left <= 0
            if self.dead:
                raise Killed(step)


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
