"""Running git for the ledger and the deploy: plumbing only, errors as one redacted line."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from carebase.errors import CarebaseError
from carebase.redaction import redact

IDENTITY = {
    "GIT_AUTHOR_NAME": "Carebase",
    "GIT_AUTHOR_EMAIL": "carebase@localhost",
    "GIT_COMMITTER_NAME": "Carebase",
    "GIT_COMMITTER_EMAIL": "carebase@localhost",
}
"""Commits made by Carebase itself, so they work where no git identity is configured."""


class GitError(CarebaseError):
    """A git command failed; the message is git's own last line, secrets removed."""

    def __init__(self, message: str, stderr: str = "", stdout: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr
        self.stdout = stdout


@dataclass(frozen=True)
class Done:
    """A finished git command, its output already redacted."""

    returncode: int
    stdout: str
    stderr: str


scrub = redact
"""``text`` without known secrets nor credentials in URLs (git echoes remote URLs in its
errors, credentials included): the one :func:`carebase.redaction.redact`."""


def push_refusal(porcelain: str) -> str | None:
    """Why ``git push --porcelain`` refused the ref (``[rejected] (stale info)``), if it did."""
    for line in porcelain.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0] == "!":
            return scrub(parts[2].strip())
    return None


_MOVED = ("stale info", "fetch first", "non-fast-forward", "already exists")
"""Why git refuses a push when the branch moved since it was read (or a lease no longer holds)."""
_RACES = ("lock", "failed to update ref", "expected", "but expected")
"""Why a remote refuses an update another push is making at the same moment."""


def lost_push_race(reason: str) -> bool:
    """Whether a push refused for ``reason`` (:func:`push_refusal`) lost to another push, so
    reading the branch again and retrying is the answer."""
    if reason.startswith("[rejected]"):
        return any(word in reason for word in _MOVED)
    return reason.startswith("[remote rejected]") and any(word in reason for word in _RACES)


def fetch_branch(repo: Path, remote: str, branch: str, ref: str) -> str | None:
    """Fetch ``branch`` of ``remote`` into the private ``ref`` (never the user's remote-tracking
    branches) and return its head; None when the remote has no such branch."""
    # An empty --refmap keeps fetch from updating the user's remote-tracking branches.
    done = run_git(
        repo,
        "fetch",
        "--quiet",
        "--no-tags",
        "--no-write-fetch-head",
        "--refmap=",
        *shallow_args(repo),
        remote,
        f"+refs/heads/{branch}:{ref}",
    )
    if done.returncode != 0:
        if "couldn't find remote ref" in done.stderr:
            return None
        raise failure("fetch", done)
    return git(repo, "rev-parse", "--verify", f"{ref}^{{commit}}").strip()


def run_git(
    repo: Path,
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> Done:
    """Run ``git args`` in ``repo`` whatever its exit status (which the caller judges)."""
    environment = {
        **os.environ,
        **IDENTITY,
        "GIT_TERMINAL_PROMPT": "0",
        "LC_ALL": "C",
        **(env or {}),
    }
    try:
        done = subprocess.run(
            ["git", *args], cwd=repo, input=stdin, capture_output=True, env=environment, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed\n  hint: install git") from None
    stdout = done.stdout.decode("utf-8", "replace")
    return Done(done.returncode, stdout, scrub(done.stderr.decode("utf-8", "replace")))


def git(
    repo: Path,
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> str:
    """Run ``git args`` in ``repo``; its output, or :class:`GitError`."""
    done = run_git(repo, *args, stdin=stdin, env=env)
    if done.returncode != 0:
        raise failure(args[0], done)
    return done.stdout


def shallow_args(repo: Path) -> list[str]:
    """``--depth=1`` in a shallow clone (CI's usual checkout), where fetching a whole branch's
    history is wasted; nothing elsewhere, where it would make the user's clone shallow."""
    done = run_git(repo, "rev-parse", "--is-shallow-repository")
    return ["--depth=1"] if done.stdout.strip() == "true" else []


_COMPLAINTS = ("fatal:", "error:")


def failure(command: str, done: Done) -> GitError:
    """A :class:`GitError` for ``done``: git's ``fatal:``/``error:`` lines, else its last line
    (git ends many complaints with advice, "Please make sure … the repository exists.")."""
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    said = [line.split(":", 1)[1].strip() for line in lines if line.startswith(_COMPLAINTS)]
    message = "; ".join(said) or (lines[-1] if lines else f"exit status {done.returncode}")
    return GitError(f"git {command} failed: {message}", done.stderr, scrub(done.stdout))
