"""The runner never resends blind: an answer after which a post may have landed is looked up
(or, on a webhook, reported unconfirmed); a kill strands only posts that may have left; one
network's crash never stops the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebase.announce.ledger import Ledger, State
from carebase.announce.model import NetworkKind
from carebase.announce.runner import RECHECK_WAIT, Announcer
from carebase.announce.service import accounts_of, composer, connect, enabled_networks
from carebase.announce.settings import AnnounceSettings
from carebase.announce.store import DirectoryStore
from carebase.cli.announce import report_lines
from tests.announce.fakenet import LEASE, FakeNetwork, Killed, Killer, Runs, faq
from tests.announce.rigs import rigs

WIFI = faq("wifi")


def state_of(runs: Runs, name: str, item: object = WIFI) -> State | None:
    entry = runs.store.load().ledger.get((WIFI.id, WIFI.revision, name))
    return entry.state if entry else None


@pytest.mark.parametrize("fault", ["commit-500", "commit-timeout", "commit-drop"])
def test_a_post_stored_before_a_failed_answer_is_found_not_sent_again(
    tmp_path: Path, fault: str
) -> None:
    net = FakeNetwork("bluesky", NetworkKind.BLUESKY, faults=[fault])
    waits: list[float] = []
    report = Runs(tmp_path, [net]).run([WIFI], sleep=waits.append)
    assert (net.sends, net.count(WIFI)) == (1, 1)
    assert [(o.state, o.reconciled) for o in report.outcomes] == [(State.POSTED, True)]
    assert waits == [RECHECK_WAIT], "looked up after a short wait"


def test_a_5xx_of_a_post_that_did_not_land_waits_for_the_next_run_which_asks_first(
    tmp_path: Path,
) -> None:
    net = FakeNetwork("facebook", NetworkKind.FACEBOOK, faults=["500", "500"])
    runs = Runs(tmp_path, [net])
    first = runs.run([WIFI])
    assert net.sends == 1, "no second send in the run that got the 5xx"
    assert [o.state for o in first.outcomes] == [State.FAILED]
    finds = net.finds
    runs.run([WIFI])  # Asks first (not found), sends once more: 500 again, not found again.
    assert (net.sends, net.finds) == (2, finds + 2)
    runs.run([WIFI])
    assert (net.sends, net.count(WIFI), state_of(runs, "facebook")) == (3, 1, State.POSTED)


def test_a_failed_look_up_is_a_failure_and_the_next_run_looks_again(tmp_path: Path) -> None:
    net = FakeNetwork("linkedin", NetworkKind.LINKEDIN, faults=["commit-500"])
    net.find_faults = ["500", "500"]
    runs = Runs(tmp_path, [net])
    runs.run([WIFI])  # The post landed; the look-up after the 500 fails.
    runs.run([WIFI])  # The next run's look-up fails too: still not sent again.
    assert (net.sends, state_of(runs, "linkedin")) == (1, State.FAILED)
    runs.run([WIFI])
    assert (net.sends, net.count(WIFI), state_of(runs, "linkedin")) == (1, 1, State.POSTED)


@pytest.mark.parametrize("fault", ["commit-500", "500", "commit-timeout"])
def test_a_webhook_that_may_have_posted_is_unconfirmed_and_never_sent_again(
    tmp_path: Path, fault: str
) -> None:
    net = FakeNetwork("slack", NetworkKind.SLACK, faults=[fault])
    runs = Runs(tmp_path, [net])
    first = runs.run([WIFI])
    assert [o.state for o in first.outcomes] == [State.UNCONFIRMED]
    for _ in range(3):
        later = runs.run([WIFI])
        assert [e.item_id for e in later.unconfirmed] == [WIFI.id], "listed by every run"
        assert "1 unconfirmed" in later.summary()
        assert not later.failed, "an earlier run's unconfirmed post does not fail every deploy"
    assert (net.sends, net.finds) == (1, 0)


@pytest.mark.parametrize("kind", [NetworkKind.MASTODON, NetworkKind.SLACK])
def test_an_answer_proving_nothing_was_sent_is_retried_in_the_same_run(
    tmp_path: Path, kind: NetworkKind
) -> None:
    net = FakeNetwork("net", kind, faults=["refused", "429"])
    report = Runs(tmp_path, [net]).run([WIFI])
    assert [o.state for o in report.outcomes] == [State.POSTED]
    assert (net.sends, net.finds, net.count(WIFI)) == (3, 0, 1)


def test_a_refused_post_is_retried_later_without_a_look_up(tmp_path: Path) -> None:
    net = FakeNetwork("slack", NetworkKind.SLACK, faults=["refused"] * 3)
    runs = Runs(tmp_path, [net])
    runs.run([WIFI])
    entry = runs.store.load().ledger.get((WIFI.id, "r1", "slack"))
    assert entry is not None and entry.state is State.FAILED and entry.attempted_at is None
    runs.run([WIFI])
    assert (net.count(WIFI), state_of(runs, "slack")) == (1, State.POSTED)


def kill_then_run(tmp_path: Path, net: FakeNetwork, step: str, nth: int) -> Runs:
    runs = Runs(tmp_path, [net])
    with pytest.raises(Killed):
        runs.run([faq("a"), faq("b"), faq("c")], checkpoint=Killer(step, nth))
    runs.run([faq("a"), faq("b"), faq("c")])
    return runs


@pytest.mark.parametrize("kind", [NetworkKind.SLACK, NetworkKind.DISCORD, NetworkKind.X])
def test_a_kill_after_claiming_strands_nothing_claims_never_tried_are_sent(
    tmp_path: Path, kind: NetworkKind
) -> None:
    net = FakeNetwork("net", kind)
    runs = kill_then_run(tmp_path, net, "claimed", 1)
    assert [net.count(faq(n)) for n in "abc"] == [1, 1, 1]
    assert net.finds == 0, "a claim never attempted is simply sent"
    assert {e.state for e in runs.store.load().ledger} == {State.POSTED}


def test_a_kill_mid_send_on_a_webhook_leaves_only_that_post_unconfirmed(tmp_path: Path) -> None:
    net = FakeNetwork("discord", NetworkKind.DISCORD)
    runs = kill_then_run(tmp_path, net, "before-send", 2)  # Killed while sending the second.
    states = {e.item_id: e.state for e in runs.store.load().ledger}
    assert sorted(states.values()) == [State.POSTED, State.POSTED, State.UNCONFIRMED]
    assert sum(net.count(faq(n)) for n in "abc") == 2, "the unconfirmed one is not sent again"


@pytest.mark.parametrize("step", ["before-send", "after-send"])
def test_a_kill_mid_send_on_a_network_that_can_be_asked_is_reconciled(
    tmp_path: Path, step: str
) -> None:
    net = FakeNetwork("mastodon")
    runs = kill_then_run(tmp_path, net, step, 2)
    assert [net.count(faq(n)) for n in "abc"] == [1, 1, 1]
    assert {e.state for e in runs.store.load().ledger} == {State.POSTED}
    assert net.finds == 1, "only the post that may have left is looked up"


def test_a_ledger_from_before_attempt_marks_reads_every_claim_as_attempted(
    tmp_path: Path,
) -> None:
    old = (
        '{"carebase_ledger": 1}\n'
        '{"item_id": "kb/help/wifi@en", "network": "slack", "revision": "r1", '
        '"state": "sending", "claimed_at": "2026-12-05T09:00:00+00:00"}\n'
    )
    (tmp_path / "ledger.jsonl").write_text(old, encoding="utf-8")
    net = FakeNetwork("slack", NetworkKind.SLACK)
    runs = Runs(tmp_path, [net])
    report = runs.run([WIFI])
    assert net.sends == 0 and [o.state for o in report.outcomes] == [State.UNCONFIRMED]
    header = (tmp_path / "ledger.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert Ledger.from_text(header + "\n", "x") is not None and "attempt_marks" in header


def test_one_networks_unexpected_crash_does_not_stop_the_others_or_the_report(
    tmp_path: Path,
) -> None:
    bad = FakeNetwork("facebook", NetworkKind.FACEBOOK, faults=["crash"])
    asks = FakeNetwork("bluesky", NetworkKind.BLUESKY, faults=["500"], find_faults=["crash"])
    hook = FakeNetwork("slack", NetworkKind.SLACK, faults=["crash"])
    good = FakeNetwork("mastodon")
    runs = Runs(tmp_path, [bad, asks, hook, good])
    first = faq("router")  # Sent before "wifi" (by id), which each failing network skips.
    report = runs.run([WIFI, first])
    by = {(o.network, o.item_id): o.state for o in report.outcomes}
    assert by[("mastodon", first.id)] is by[("mastodon", WIFI.id)] is State.POSTED
    assert by[("facebook", first.id)] is State.FAILED  # Asked next run: it did land.
    assert by[("slack", first.id)] is State.UNCONFIRMED  # Marked, then crashed: may have left.
    assert by[("bluesky", first.id)] is State.FAILED
    lines = report_lines(report)
    assert lines[-1].startswith("Announced: 2 posted, 5 failed, 1 unconfirmed"), lines
    assert any("RuntimeError" in line and "facebook" in line for line in lines)
    runs.run([WIFI, first])
    assert [bad.count(first), bad.sends] == [1, 2], "found by the next run, not sent again"


def test_a_network_whose_recording_fails_still_leaves_the_others_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, bad = FakeNetwork("mastodon"), FakeNetwork("x", NetworkKind.X)
    runs = Runs(tmp_path, [good, bad])
    real_save = DirectoryStore.save

    def save(self: DirectoryStore, ledger: Ledger, base: str | None, message: str) -> str:
        if " x " in message and "sending" in message:
            raise RuntimeError("disk on fire")
        return real_save(self, ledger, base, message)

    monkeypatch.setattr(DirectoryStore, "save", save)
    report = runs.run([WIFI])
    lines = report_lines(report)
    assert any(line.split()[:2] == ["posted", "mastodon"] for line in lines), lines
    assert any("x" in line.split()[:2] and "disk on fire" in line for line in lines), lines
    assert bad.sends == 0, "nothing is sent before its attempt is saved"
    assert lines[-1].startswith("Announced: 1 posted, 1 failed")


def test_real_clients_whose_post_lands_after_they_gave_up_post_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mastodon's and Slack's real clients against their fakes, each storing the post only after
    the client timed out: Mastodon's is looked up and found, Slack's is unconfirmed."""
    with rigs(monkeypatch, timeout=0.3) as all_rigs:
        chosen = [rig for rig in all_rigs if rig.name in {"mastodon", "slack"}]
        settings = AnnounceSettings.model_validate(
            {"networks": [rig.options for rig in chosen], "cap": 5}
        )
        networks = {name: connect(name, opts) for name, opts in enabled_networks(settings).items()}
        chosen[0].fake.delay(0.8, path="/api/v1/statuses")
        chosen[1].fake.delay(0.8)
        items = [faq("router")]
        store = DirectoryStore(tmp_path)
        try:
            for _ in range(3):
                Announcer(store, networks, composer(settings), lease=LEASE).run(
                    items, accounts_of(settings), backfill=True
                )
        finally:
            for network in networks.values():
                network.close()
        ledger = store.load().ledger
        states = {entry.network: entry.state for entry in ledger}
        assert [rig.posts_of("/kb/help/router/") for rig in chosen] == [1, 1]
        assert states == {"mastodon": State.POSTED, "slack": State.UNCONFIRMED}


@pytest.mark.parametrize(("fault", "change"), [("commit-500", "Updated"), ("500", "New")])
def test_an_edit_after_a_first_post_in_doubt_asks_whether_it_was_seen(
    tmp_path: Path, fault: str, change: str
) -> None:
    net = FakeNetwork("bluesky", NetworkKind.BLUESKY, faults=[fault], find_faults=["500"])
    runs = Runs(tmp_path, [net])
    runs.run([WIFI])  # In doubt: the look-up after the failed answer failed too.
    edited = faq("wifi", "r2")
    runs.run([edited])
    assert [(p.revision, p.text.split(":")[0]) for p in net.posts][-1] == ("r2", change)
    assert net.count(edited) == 1 and net.count(WIFI) == (1 if fault == "commit-500" else 0)
    ledger = runs.store.load().ledger
    first = ledger.get((WIFI.id, "r1", "bluesky"))
    assert first is not None
    assert first.state is (State.POSTED if fault == "commit-500" else State.GAVE_UP)
    second = ledger.get((edited.id, "r2", "bluesky"))
    assert second is not None and second.kind == change.lower()


def test_a_post_found_after_a_5xx_lets_the_network_go_on_with_the_next(tmp_path: Path) -> None:
    net = FakeNetwork("facebook", NetworkKind.FACEBOOK, faults=["commit-500"])
    report = Runs(tmp_path, [net]).run([faq("a"), faq("b")])
    assert [(o.item_id, o.state) for o in report.outcomes] == [
        (faq("a").id, State.POSTED),
        (faq("b").id, State.POSTED),
    ]
    assert net.sends == 2
