"""The issue's reproduction, end to end: a pull request adds symlinks to the deploy's
environment, the job's git credentials and an SSH folder; the merge is deployed to a real
bare remote. Nothing is published: the deploy refuses, and no canary is in its output, in the
published branch or in any object of the remote."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.commands import carebase
from tests.gitrepos import git
from tests.site.conftest import copy_sample

pytestmark = pytest.mark.slow

ENV_CANARY = "canary-env-0b7e5d19"
GIT_CANARY = "ghs_canaryGitConfig77e1"
SSH_CANARY = "canary-ssh-key-4c02aa"


def objects_of(remote: Path) -> str:
    """Every object the remote holds, as text."""
    listing = git(remote, "cat-file", "--batch-all-objects", "--batch-check=%(objectname)")
    return "\n".join(
        subprocess.run(
            ["git", "cat-file", "-p", name],
            cwd=remote,
            capture_output=True,
            text=True,
            check=True,
            errors="replace",
        ).stdout
        for name in listing.split()
    )


@pytest.fixture
def attacked(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The sample with the three links committed, a bare remote, and a home with a key."""
    project = copy_sample(tmp_path / "project")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    # actions/checkout persists the job's token in .git/config like this.
    git(
        project,
        "config",
        "http.https://github.com/.extraheader",
        f"AUTHORIZATION: basic {GIT_CANARY}",
    )
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text(SSH_CANARY, encoding="utf-8")
    content = project / "content"
    (content / "env.txt").symlink_to("/proc/self/environ")
    (content / "gitconfig.txt").symlink_to("../.git/config")
    (content / "sshdir").symlink_to(home / ".ssh", target_is_directory=True)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "One line holding a path")
    return project, remote, home


def test_check_names_every_link(attacked: tuple[Path, Path, Path]) -> None:
    project, _remote, home = attacked
    done = carebase(project, "check", env={"HOME": str(home)})
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    for name in ("env.txt", "gitconfig.txt", "sshdir"):
        assert f"{name}:1: file: symlink to" in output, output


def test_a_deploy_publishes_nothing_of_them(attacked: tuple[Path, Path, Path]) -> None:
    project, remote, home = attacked
    env = {
        "HOME": str(home),
        "ALGOLIA_ADMIN_KEY": ENV_CANARY,
        "CAREBASE_MASTODON_TOKEN": ENV_CANARY,
    }
    done = carebase(
        project,
        "deploy",
        "--remote",
        str(remote),
        "--branch",
        "gh-pages",
        "--no-announce",
        "--no-search",
        env=env,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "symlink to" in output and "Traceback" not in output
    assert "gh-pages" not in git(remote, "branch", "--list")
    published = objects_of(remote)
    site = project / "site"
    built = (
        "".join(
            path.read_text(encoding="utf-8", errors="replace")
            for path in site.rglob("*")
            if path.is_file()
        )
        if site.exists()
        else ""
    )
    for canary in (ENV_CANARY, GIT_CANARY, SSH_CANARY):
        assert canary not in output
        assert canary not in published
        assert canary not in built
