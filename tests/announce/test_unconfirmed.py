"""Unconfirmed posts (a webhook that may or may not have posted) are listed by every run until
a person settles them with ``carebase announce --resolve ID posted|resend`` — through the real
command, with the ledger in a folder."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from carebase.announce.ledger import Entry, Ledger, LedgerStore, State
from carebase.announce.service import CONFIRMED_BY_PERSON, resolve
from carebase.announce.settings import AnnounceSettings
from carebase.announce.store import DirectoryStore
from tests.announce.rigs import SLACK_TOKEN
from tests.commands import carebase
from tests.fakes.social import FakeSlack
from tests.site.conftest import copy_sample

pytestmark = pytest.mark.slow
OPTIONS = {"networks": [{"kind": "slack", "languages": ["en"]}], "ledger": {"path": "ledger"}}
ENV = "CAREBASE_SLACK_WEBHOOK_URL"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, announcing on one Slack channel with a folder ledger, built once."""
    project = copy_sample(tmp_path_factory.mktemp("built") / "project")
    config = project / "mkdocs.yml"
    block = f"  - carebase/announce: {json.dumps(OPTIONS)}\n"
    text = re.sub(r"  - carebase/announce:\n(?:      .*\n|\s*\n)+", block, config.read_text())
    assert block in text
    config.write_text(text, encoding="utf-8")
    done = carebase(project, "build")
    assert done.returncode == 0, done.stderr
    return project


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=SLACK_TOKEN).running() as fake:
        yield fake


class Project:
    """A copy of the built sample; ``announce`` runs the real command against ``slack``."""

    def __init__(self, built: Path, where: Path, slack: FakeSlack) -> None:
        self.root = shutil.copytree(built, where)
        self.slack = slack
        self.store = DirectoryStore(self.root / "ledger")

    def announce(self, *more: str) -> subprocess.CompletedProcess[str]:
        return carebase(self.root, "announce", *more, env={ENV: self.slack.webhook_url})

    def turn(self, state: State, **more: object) -> Entry:
        """Turn one baseline entry into ``state`` (as a run would have left it)."""
        snapshot = self.store.load()
        entry = next(e for e in snapshot.ledger if e.item_id.startswith("kb/faults/"))
        text = "New FAQ: " + "Will my home phone work in a power cut? " * 4
        changed = entry.but(state=state, text=text, attempted_at="2026-12-05T12:00:00+00:00")
        changed = changed.but(**more)
        ledger = snapshot.ledger.copy()
        ledger.put(changed)
        self.store.save(ledger, snapshot.version, "test")
        return changed


@pytest.fixture
def project(built: Path, tmp_path: Path, slack: FakeSlack) -> Project:
    made = Project(built, tmp_path / "project", slack)
    first = made.announce()  # A new network: the baseline.
    assert first.returncode == 0, first.stdout + first.stderr
    return made


def test_every_run_lists_unconfirmed_posts_until_a_person_says_they_went_out(
    project: Project,
) -> None:
    entry = project.turn(State.UNCONFIRMED)
    for _ in range(2):
        run = project.announce()
        assert run.returncode == 0, "an earlier run's unconfirmed post does not fail the deploy"
        assert "WARNING: 1 posts may or may not have gone out" in run.stdout
        assert (
            f"  {entry.short_id}  {entry.network}  {entry.item_id}  {entry.revision}" in run.stdout
        )
        assert run.stdout.splitlines()[-1].startswith("Announced: 0 posted, 0 failed, 1 unconf")
    listed = project.announce("--unconfirmed")
    assert listed.returncode == 0
    line = next(ln for ln in listed.stdout.splitlines() if entry.short_id in ln)
    assert line.split()[:5] == [
        entry.short_id,
        entry.network,
        entry.item_id,
        entry.revision,
        "2026-12-05T12:00:00+00:00",
    ]
    assert line.endswith(entry.text[:79] + "…") and len(line.split("  ")[-1]) == 80
    settled = project.announce("--resolve", entry.short_id, "posted")
    assert settled.returncode == 0, settled.stderr
    after = project.store.load().ledger.get(entry.key)
    assert after is not None and after.state is State.POSTED
    assert after.remote_id == CONFIRMED_BY_PERSON
    assert project.announce("--unconfirmed").stdout.strip() == "0 unconfirmed"
    run = project.announce()
    assert "WARNING" not in run.stdout and ", 0 unconfirmed," in run.stdout
    assert project.slack.posts == []


def test_resend_sends_it_again_on_the_next_run_once(project: Project) -> None:
    entry = project.turn(State.UNCONFIRMED)
    assert project.announce("--resolve", entry.short_id[:6], "resend").returncode == 0
    run = project.announce()
    assert run.returncode == 0, run.stdout
    assert f"posted      {entry.network} {entry.item_id}" in run.stdout
    assert len(project.slack.posts) == 1
    project.announce()
    assert len(project.slack.posts) == 1
    after = project.store.load().ledger.get(entry.key)
    assert after is not None and after.state is State.POSTED


def test_the_run_that_leaves_a_post_unconfirmed_fails_later_runs_warn(project: Project) -> None:
    # A run was killed while sending it (the attempt was marked): a webhook cannot be asked.
    project.turn(State.SENDING, claimed_at="2026-12-05T12:00:00+00:00")
    first = project.announce()
    assert first.returncode == 1, first.stdout
    assert "unconfirmed slack-en kb/faults/" in first.stdout
    second = project.announce()
    assert second.returncode == 0 and "WARNING: 1 posts" in second.stdout
    assert project.slack.posts == []


def test_an_unknown_id_is_one_line_with_a_hint(project: Project) -> None:
    done = project.announce("--resolve", "nope", "posted")
    assert done.returncode == 1
    assert re.fullmatch(
        r"Error: .*no unconfirmed announcement 'nope'; hint: 'carebase announce "
        r"--unconfirmed' lists them with their IDs\n",
        done.stderr,
    ), done.stderr


def test_resolve_saves_by_compare_and_swap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another run saves between the command's load and its save: both changes are kept."""
    store = DirectoryStore(tmp_path / "ledger")
    waiting = Entry("kb/a@en", "r1", "slack", State.UNCONFIRMED, idempotency_key="abc123def0")
    store.save(Ledger([waiting]), None, "seed")
    real_load = DirectoryStore.load
    raced: list[bool] = []

    def load(self: LedgerStore) -> object:
        snapshot = real_load(self)  # type: ignore[arg-type]
        if not raced:
            raced.append(True)
            other = snapshot.ledger.copy()
            other.put(Entry("kb/b@en", "r1", "slack", State.POSTED))
            store.save(other, snapshot.version, "another run")
        return snapshot

    monkeypatch.setattr(DirectoryStore, "load", load)
    settings = AnnounceSettings.model_validate(OPTIONS)
    resolve(settings, tmp_path, "abc123", "posted")
    monkeypatch.undo()
    ledger = store.load().ledger
    assert {(e.item_id, e.state) for e in ledger} == {
        ("kb/a@en", State.POSTED),
        ("kb/b@en", State.POSTED),
    }
