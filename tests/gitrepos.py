"""Real git repositories for tests: a user's clone with a bare remote, and what of it a user
would notice changing."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` as a staff member; its output."""
    command = ["git", "-c", "user.name=Staff", "-c", "user.email=staff@example.com", *args]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout


def user_checkout(tmp_path: Path, files: dict[str, str]) -> Path:
    """``tmp_path/work``: a user's clone whose ``origin`` is the bare ``tmp_path/remote.git``,
    with ``files`` committed and pushed to ``main``, then a staged and an unstaged edit."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    work = tmp_path / "work"
    git(tmp_path, "init", "-q", "-b", "main", str(work))
    for name, text in files.items():
        (work / name).write_text(text, encoding="utf-8")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "Start")
    git(work, "remote", "add", "origin", str(remote))
    git(work, "push", "-q", "origin", "main")
    (work / "staged.md").write_text("staged\n", encoding="utf-8")
    git(work, "add", "staged.md")
    (work / "mkdocs.yml").write_text("site_name: Help (edited)\n", encoding="utf-8")
    return work


def state_of(work: Path) -> tuple[str, ...]:
    """Everything of the checkout a user works with: HEAD, branch, index, work tree (ignored
    files too), branches. (A push to a named remote may add its remote-tracking branch, as any
    fetch would.)"""
    return (
        git(work, "rev-parse", "HEAD"),
        git(work, "symbolic-ref", "HEAD"),
        git(work, "ls-files", "--stage"),
        git(work, "status", "--porcelain", "--untracked-files=all", "--ignored"),
        git(work, "diff"),
        git(work, "for-each-ref", "refs/heads", "refs/tags"),
    )
