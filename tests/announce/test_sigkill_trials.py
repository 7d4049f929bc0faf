"""Exactly once under SIGKILL: real ``carebase deploy`` and ``carebase announce`` processes
killed at random moments while every network's fake commits-then-fails, drops, rate-limits and
fails its look-ups and logins (the harness: :mod:`tests.announce.trials`); and the fakes' meaner
fault modes themselves, driven by a real HTTP client."""

from __future__ import annotations

import random
from pathlib import Path

import httpx
import pytest

from tests.announce.trials import Tally, run_scenario
from tests.fakes.server import Fault, Faults
from tests.fakes.social import FakeDiscord

SEEDS = (1501, 1502)
"""Two scenarios of four merges: eight trials, one SIGKILLed ``carebase deploy`` in each."""


def discord_post(fake: FakeDiscord, timeout: float = 1.0) -> httpx.Response:
    return httpx.post(fake.webhook_url + "?wait=true", json={"content": "hi"}, timeout=timeout)


def test_commit_then_500_stores_the_post_and_answers_500() -> None:
    with FakeDiscord().running() as fake:
        fake.inject(Fault(None, mode="commit_then_500"))
        assert discord_post(fake).status_code == 500
        assert len(fake.posts) == 1
        assert fake.faults.fired == {"commit_then_500": 1}


def test_commit_then_drop_stores_the_post_and_closes_unanswered() -> None:
    with FakeDiscord().running() as fake:
        fake.inject(Fault(None, mode="commit_then_drop"))
        with pytest.raises(httpx.RemoteProtocolError):
            discord_post(fake)
        assert len(fake.posts) == 1
        assert discord_post(fake).status_code == 200, "the next connection is served"


def test_commit_then_timeout_stores_the_post_and_hangs_past_the_timeout() -> None:
    with FakeDiscord().running() as fake:
        fake.inject(Fault(None, mode="commit_then_timeout", delay=1.0))
        with pytest.raises(httpx.ReadTimeout):
            discord_post(fake, timeout=0.3)
        assert len(fake.posts) == 1


def test_drop_closes_before_handling() -> None:
    with FakeDiscord().running() as fake:
        fake.inject(Fault(None, mode="drop"))
        with pytest.raises(httpx.RemoteProtocolError):
            discord_post(fake)
        assert fake.posts == []
        assert [r.status for r in fake.requests] == [0]


def test_rate_limit_answers_429_with_a_long_retry_after() -> None:
    with FakeDiscord().running() as fake:
        fake.inject(Fault(None, mode="rate_limit", retry_after=3600))
        answer = discord_post(fake)
        assert (answer.status_code, answer.headers["Retry-After"]) == (429, "3600")
        assert answer.json()["message"] == "You are being rate limited."
        assert fake.posts == []


def test_faults_match_a_method_and_fire_with_a_seeded_probability() -> None:
    def fired(seed: int) -> list[bool]:
        faults = Faults(random.Random(seed))
        faults.add(Fault(500, method="GET", probability=0.5, times=100))
        assert faults.take("/feed", "POST") is None, "a look-up fault leaves posts alone"
        return [faults.take("/feed", "GET") is not None for _ in range(40)]

    assert fired(7) == fired(7)
    assert 5 < sum(fired(7)) < 35


@pytest.mark.slow
def test_random_sigkills_neither_duplicate_nor_lose_an_announcement(tmp_path: Path) -> None:
    total = Tally()
    for seed in SEEDS:
        total.add(run_scenario(tmp_path / str(seed), seed, merges=4, deploy_kills=1))
    print(total.table())
    assert total.trials == 8 and total.kills >= 3 and total.deploy_kills >= 2, total.table()
    assert sum(total.faults.values()) > 0
    assert (total.duplicates, total.losses) == ({}, {}), "\n".join(total.problems)
    assert total.crashes == 0 and total.unsettled == 0, "\n".join(total.problems)


def test_the_test_clock_starts_at_carebase_test_now(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime, timedelta

    from carebase.announce.service import NOW_ENV, env_clock

    monkeypatch.setenv(NOW_ENV, "2030-01-01T07:00:00+00:00")
    later = env_clock()()
    start = datetime(2030, 1, 1, 7, tzinfo=UTC)
    assert start <= later < start + timedelta(seconds=5)
    monkeypatch.delenv(NOW_ENV)
    assert abs(env_clock()() - datetime.now(UTC)) < timedelta(seconds=5)
