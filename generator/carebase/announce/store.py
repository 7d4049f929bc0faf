"""Where the ledger is kept: a git branch of its own (the default), or a folder.

Both save with a compare-and-swap. The git branch is pushed with ``--force-with-lease`` naming
the commit this run loaded (or none, for the first save), so when another run pushed first the
push is refused and this run loads again; the folder is written under an exclusive lock after
comparing its hash.
"""

from __future__ import annotations

import fcntl
import hashlib
from pathlib import Path

from carebase.announce.ledger import (
    LEDGER_FILE,
    Ledger,
    LedgerConflict,
    LedgerError,
    LedgerStore,
    Snapshot,
)
from carebase.announce.settings import LedgerOptions
from carebase.fsutil import atomic_write_text
from carebase.gitutil import (
    GitError,
    failure,
    fetch_branch,
    git,
    lost_push_race,
    push_refusal,
    run_git,
    scrub,
)

_HINT_READ = "  hint: check that the remote exists and that this machine may fetch from it"
_HINT_WRITE = "  hint: check that this machine may push to the remote (a token with write access)"


class GitBranchStore:
    """``ledger.jsonl`` on a branch of a remote, written with plumbing: the user's work tree,
    index and current branch are never touched."""

    def __init__(self, repo: Path, remote: str, branch: str) -> None:
        self.repo = repo
        self.remote = remote
        self.branch = branch
        self._ref = f"refs/carebase/ledger/{branch}"

    def describe(self) -> str:
        return f"branch {self.branch} of {remote_label(self.remote)}"

    def load(self) -> Snapshot:
        version = self._fetch()
        if version is None:
            return Snapshot(Ledger(), None)
        try:
            text = git(self.repo, "cat-file", "blob", f"{version}:{LEDGER_FILE}")
        except GitError as exc:
            raise LedgerError(f"{self.describe()}: {LEDGER_FILE} cannot be read: {exc}") from None
        return Snapshot(Ledger.from_text(text, f"{self.describe()}: {LEDGER_FILE}"), version)

    def _fetch(self) -> str | None:
        """The remote branch's head, fetched into a private ref; None when there is no branch."""
        try:
            return fetch_branch(self.repo, self.remote, self.branch, self._ref)
        except GitError as exc:
            raise LedgerError(f"{self.describe()}: cannot be read: {exc}\n{_HINT_READ}") from None

    def save(self, ledger: Ledger, base: str | None, message: str) -> str:
        commit = self._commit(ledger, base, message)
        lease = f"--force-with-lease=refs/heads/{self.branch}:{base or ''}"
        refspec = f"{commit}:refs/heads/{self.branch}"
        done = run_git(self.repo, "push", "--porcelain", lease, self.remote, refspec)
        if done.returncode != 0:
            reason = push_refusal(done.stdout)
            if reason is not None and lost_push_race(reason):
                raise LedgerConflict(f"{self.describe()}: another run saved first ({reason})")
            why = reason or str(failure("push", done))
            raise LedgerError(f"{self.describe()}: cannot be written: {why}\n{_HINT_WRITE}")
        # Only a cache of what was pushed: another thread may move it at the same moment.
        run_git(self.repo, "update-ref", self._ref, commit)
        return commit

    def _commit(self, ledger: Ledger, base: str | None, message: str) -> str:
        try:
            blob = git(
                self.repo, "hash-object", "-w", "--stdin", stdin=ledger.to_text().encode()
            ).strip()
            tree = git(self.repo, "mktree", stdin=f"100644 blob {blob}\t{LEDGER_FILE}\n".encode())
            parents = ["-p", base] if base else []
            return git(self.repo, "commit-tree", tree.strip(), *parents, "-m", message).strip()
        except GitError as exc:
            raise LedgerError(f"{self.describe()}: cannot be written: {exc}") from None


def remote_label(remote: str) -> str:
    """A remote for messages: a name as it is, a URL without its credentials."""
    return scrub(remote)


class DirectoryStore:
    """``ledger.jsonl`` in a folder, for one machine (a developer's, or a self-hosted runner)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LEDGER_FILE

    def describe(self) -> str:
        return str(self.path)

    def load(self) -> Snapshot:
        data = self._read()
        if data is None:
            return Snapshot(Ledger(), None)
        text = data.decode("utf-8", "replace")
        return Snapshot(Ledger.from_text(text, str(self.path)), _hash(data))

    def _read(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise LedgerError(f"{self.path}: cannot be read: {exc.strerror}") from None

    def save(self, ledger: Ledger, base: str | None, message: str) -> str:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with (self.folder / ".ledger.lock").open("a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                return self._swap(ledger, base)
        except OSError as exc:
            raise LedgerError(f"{self.path}: cannot be written: {exc.strerror}") from None

    def _swap(self, ledger: Ledger, base: str | None) -> str:
        data = self._read()
        current = None if data is None else _hash(data)
        if current != base:
            raise LedgerConflict(f"{self.path}: another run saved first")
        text = ledger.to_text()
        atomic_write_text(self.path, text)
        return _hash(text.encode())


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def open_store(project_root: Path, options: LedgerOptions) -> LedgerStore:
    """The store ``options`` name, for the project at ``project_root``."""
    if options.path is not None:
        return DirectoryStore(project_root / options.path)
    return GitBranchStore(project_root, options.remote, options.branch)
