"""The ledger's stores: a git branch of a bare remote (real git), and a folder.

Both save with a compare-and-swap: of runs that loaded the same version, exactly one saves.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from carebase.announce.ledger import (
    LEDGER_FILE,
    Entry,
    Ledger,
    LedgerConflict,
    LedgerError,
    LedgerStore,
    State,
)
from carebase.announce.settings import LedgerOptions
from carebase.announce.store import DirectoryStore, GitBranchStore, open_store
from tests.gitrepos import git, state_of, user_checkout

BRANCH = "carebase-ledger"


def entry(item: str, state: State = State.POSTED) -> Entry:
    return Entry(item_id=item, revision="r1", network="mastodon", state=state, text=f"About {item}")


def ledger_of(*items: str) -> Ledger:
    return Ledger(entry(item) for item in items)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A user's clone of a project, with a remote ``origin``, a staged and an unstaged edit."""
    return user_checkout(tmp_path, {"mkdocs.yml": "site_name: Help\n"})


@pytest.fixture(params=["git", "folder"])
def make_store(request: pytest.FixtureRequest, checkout: Path) -> Callable[[], LedgerStore]:
    """A factory of stores on the same ledger (each a separate run)."""
    if request.param == "git":
        return lambda: GitBranchStore(checkout, "origin", BRANCH)
    folder = checkout.parent / "ledger-folder"
    return lambda: DirectoryStore(folder)


def test_an_absent_ledger_is_empty(make_store: Callable[[], LedgerStore]) -> None:
    snapshot = make_store().load()
    assert len(snapshot.ledger) == 0
    assert snapshot.version is None


def test_a_saved_ledger_loads_back(make_store: Callable[[], LedgerStore]) -> None:
    store = make_store()
    version = store.save(ledger_of("kb/a", "kb/b"), None, "Announce kb/a and kb/b")
    snapshot = make_store().load()
    assert snapshot.version == version
    assert list(snapshot.ledger) == list(ledger_of("kb/a", "kb/b"))
    second = store.save(ledger_of("kb/a", "kb/b", "kb/c"), version, "Announce kb/c")
    assert second != version
    assert [e.item_id for e in make_store().load().ledger] == ["kb/a", "kb/b", "kb/c"]


def test_two_runs_from_one_version_save_once(make_store: Callable[[], LedgerStore]) -> None:
    base = make_store().save(ledger_of("kb/a"), None, "First")
    first, second = make_store(), make_store()
    assert first.load().version == second.load().version == base
    winner = first.save(ledger_of("kb/a", "kb/first"), base, "First run")
    with pytest.raises(LedgerConflict):
        second.save(ledger_of("kb/a", "kb/second"), base, "Second run")
    again = second.load()
    assert again.version == winner
    assert [e.item_id for e in again.ledger] == ["kb/a", "kb/first"]


def test_two_first_saves_save_once(make_store: Callable[[], LedgerStore]) -> None:
    make_store().save(ledger_of("kb/first"), None, "First run")
    with pytest.raises(LedgerConflict):
        make_store().save(ledger_of("kb/second"), None, "Second run")
    assert [e.item_id for e in make_store().load().ledger] == ["kb/first"]


def test_twenty_racing_runs_save_once(make_store: Callable[[], LedgerStore]) -> None:
    base = make_store().save(ledger_of("kb/a"), None, "First")
    won: list[str] = []
    lost: list[str] = []
    failed: list[BaseException] = []
    start = threading.Barrier(20)

    def run(number: int) -> None:
        store = make_store()
        start.wait()
        try:
            store.save(ledger_of("kb/a", f"kb/run-{number}"), base, f"Run {number}")
            won.append(f"kb/run-{number}")
        except LedgerConflict:
            lost.append(f"kb/run-{number}")
        except BaseException as exc:
            failed.append(exc)

    threads = [threading.Thread(target=run, args=(number,)) for number in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == []
    assert len(won) == 1
    assert len(lost) == 19
    assert [e.item_id for e in make_store().load().ledger] == ["kb/a", won[0]]


def test_a_corrupt_ledger_names_the_file_and_line(checkout: Path, tmp_path: Path) -> None:
    good = ledger_of("kb/a").to_text()
    folder = tmp_path / "ledger-folder"
    folder.mkdir()
    (folder / LEDGER_FILE).write_text(good + "{not json\n", encoding="utf-8")
    with pytest.raises(LedgerError, match=rf"{LEDGER_FILE}:3: is not a ledger entry"):
        DirectoryStore(folder).load()

    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(tmp_path / "remote.git"), str(other))
    git(other, "switch", "-q", "--orphan", BRANCH)
    (other / LEDGER_FILE).write_text(good + '{"state": "no-such-state"}\n', encoding="utf-8")
    git(other, "add", LEDGER_FILE)
    git(other, "commit", "-q", "-m", "Broken by hand")
    git(other, "push", "-q", "origin", BRANCH)
    with pytest.raises(LedgerError, match=rf"of origin: {LEDGER_FILE}:3: is not a ledger"):
        GitBranchStore(checkout, "origin", BRANCH).load()


def test_saving_leaves_the_users_checkout_alone(checkout: Path) -> None:
    before = state_of(checkout)
    store = GitBranchStore(checkout, "origin", BRANCH)
    version = store.save(ledger_of("kb/a"), None, "First")
    store.save(ledger_of("kb/a", "kb/b"), version, "Second")
    store.load()
    assert state_of(checkout) == before


def test_the_branch_has_only_the_ledger_and_no_common_history(checkout: Path) -> None:
    GitBranchStore(checkout, "origin", BRANCH).save(ledger_of("kb/a"), None, "First")
    remote = checkout.parent / "remote.git"
    assert git(remote, "ls-tree", "--name-only", BRANCH) == f"{LEDGER_FILE}\n"
    assert git(remote, "log", "--format=%an <%ae>|%s", BRANCH) == (
        "Carebase <carebase@localhost>|First\n"
    )
    with pytest.raises(subprocess.CalledProcessError):
        git(remote, "merge-base", "main", BRANCH)


def test_works_without_a_git_identity(
    checkout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "nobody"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    store = GitBranchStore(checkout, "origin", BRANCH)
    assert store.save(ledger_of("kb/a"), None, "First") == store.load().version


def test_works_in_a_shallow_clone(checkout: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    GitBranchStore(checkout, "origin", BRANCH).save(ledger_of("kb/a"), None, "First")
    shallow = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{remote}", str(shallow))
    store = GitBranchStore(shallow, "origin", BRANCH)
    snapshot = store.load()
    version = store.save(ledger_of("kb/a", "kb/b"), snapshot.version, "From CI")
    assert GitBranchStore(checkout, "origin", BRANCH).load().version == version


def test_an_unreachable_remote_keeps_its_token_out_of_the_error(checkout: Path) -> None:
    url = "https://x-access-token:SECRET123456@127.0.0.1:1/repo.git"
    store = GitBranchStore(checkout, url, BRANCH)
    for action in (store.load, lambda: store.save(ledger_of("kb/a"), None, "First")):
        with pytest.raises(LedgerError) as caught:
            action()
        assert not isinstance(caught.value, LedgerConflict)
        assert "SECRET123456" not in str(caught.value)
        assert "cannot be" in str(caught.value)
    assert "SECRET123456" not in store.describe()


def test_a_missing_remote_is_an_error_not_an_empty_ledger(checkout: Path) -> None:
    with pytest.raises(LedgerError, match="cannot be read"):
        GitBranchStore(checkout, "nowhere", BRANCH).load()


def test_open_store_follows_the_options(checkout: Path) -> None:
    folder = open_store(checkout, LedgerOptions(path="ledger"))
    assert isinstance(folder, DirectoryStore)
    assert folder.path == checkout / "ledger" / LEDGER_FILE
    branch = open_store(checkout, LedgerOptions(branch="announcements", remote="upstream"))
    assert isinstance(branch, GitBranchStore)
    assert (branch.repo, branch.remote, branch.branch) == (checkout, "upstream", "announcements")
    assert branch.describe() == "branch announcements of upstream"


def test_attempt_marks_load_back_and_an_older_ledger_reads_as_attempted(
    make_store: Callable[[], LedgerStore],
) -> None:
    store = make_store()
    marked = entry("kb/a", State.SENDING).but(attempted_at="2026-12-05T12:00:00+00:00")
    never = entry("kb/b", State.SENDING).but(claimed_at="2026-12-05T11:59:00+00:00")
    store.save(Ledger([marked, never]), None, "claims")
    loaded = make_store().load().ledger
    assert [e.attempted_at for e in loaded] == ["2026-12-05T12:00:00+00:00", None]
    assert [e.in_doubt for e in loaded] == [True, False]
    # Written before attempt marks (no header flag): every claim may have left.
    old = Ledger([never]).to_text().replace(', "attempt_marks": true', "")
    assert [e.in_doubt for e in Ledger.from_text(old, "old")] == [True]
