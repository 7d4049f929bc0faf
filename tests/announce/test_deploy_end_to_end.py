"""A merge in a test repository, deployed with the real ``carebase deploy``: the site lands on
gh-pages of a bare remote, and every network's fake gets exactly one post per new or changed
FAQ — none on the first deploy (the baseline), none when the same deploy runs again."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.announce.rigs import Rig, rigs, secrets_in
from tests.commands import carebase
from tests.gitrepos import git
from tests.site.conftest import copy_sample

pytestmark = pytest.mark.slow
CHANGED = "kb/faults/will-my-home-phone-work-in-a-power-cut"
ADDED = "kb/faults/can-i-keep-my-number-after-a-flood"
NEW_FAQ = """\
---
title: Can I keep my number after a flood?
description: Yes. Your number stays yours while we repair or move your line.
type: faq
owner: tomasz
---

Yes. Your number is kept while we repair or move your line, however long it takes.
"""


def announce_block(all_rigs: list[Rig], lease: str) -> str:
    options = {
        "hashtags": ["BrightwaveHelp"],
        "lease": lease,
        "networks": [{**rig.options, "languages": ["en"]} for rig in all_rigs],
    }
    return f"  - carebase/announce: {json.dumps(options)}\n"


def configure(project: Path, block: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"  - carebase/announce:\n(?:      .*\n|\s*\n)+", block, text)
    assert block in text
    config.write_text(text, encoding="utf-8")


def deploy(
    project: Path, *more: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return carebase(project, "deploy", "--no-search", *more, env=env)


def merge(project: Path) -> None:
    """Staff change one FAQ's answer and add another; the pull request merges."""
    faq = project / "content" / f"{CHANGED}.md"
    faq.write_text(
        faq.read_text(encoding="utf-8")
        + "\nA battery back-up unit keeps it working for an hour.\n",
        encoding="utf-8",
    )
    (project / "content" / f"{ADDED}.md").write_text(NEW_FAQ, encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "FAQ: power cuts, and keeping your number")


def posts(all_rigs: list[Rig], page: str) -> dict[str, int]:
    return {rig.name: rig.posts_of(f"/{page}/") for rig in all_rigs}


def test_a_merge_is_announced_once_per_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_sample(tmp_path / "project")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(project, "remote", "add", "origin", str(remote))
    output = ""
    with rigs(monkeypatch) as all_rigs:
        configure(project, announce_block(all_rigs, "15m"))
        git(project, "commit", "-q", "-am", "announce on the test networks")

        first = deploy(project)
        output += first.stdout + first.stderr
        assert first.returncode == 0, first.stdout + first.stderr
        assert all(not rig.fake.posts for rig in all_rigs), "the first deploy is a baseline"
        published = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()
        assert "carebase-manifest.json" in published and f"{CHANGED}/index.html" in published
        assert "ledger.jsonl" in git(remote, "ls-tree", "--name-only", "carebase-ledger")

        merge(project)
        output += preview_on_the_pull_request(project, all_rigs)
        second = deploy(project)
        output += second.stdout + second.stderr
        assert second.returncode == 0, second.stdout + second.stderr
        everyone = {rig.name: 1 for rig in all_rigs}
        assert posts(all_rigs, CHANGED) == everyone
        assert posts(all_rigs, ADDED) == everyone
        assert all(len(rig.fake.posts) == 2 for rig in all_rigs)

        again = deploy(project)
        output += again.stdout + again.stderr
        assert again.returncode == 0, again.stdout + again.stderr
        assert all(len(rig.fake.posts) == 2 for rig in all_rigs), "a re-run posts nothing"
        assert "0 posted" in again.stdout

    assert secrets_in(output) == []


def preview_on_the_pull_request(project: Path, all_rigs: list[Rig]) -> str:
    """What the pull request's workflow does: build, then one sticky preview comment."""
    from tests.fakes.github import TOKEN, FakeGitHub

    with FakeGitHub().running() as github:
        github.repository("brightwave/help").add_pull(7, "FAQ: power cuts", merged=None)
        env = {"GITHUB_TOKEN": TOKEN, "CAREBASE_GITHUB_API_URL": github.api_url}
        built = carebase(project, "build", "--site-dir", "pr-site")
        assert built.returncode == 0, built.stdout + built.stderr
        arguments = ["announce", "--dry-run", "--site-dir", "pr-site", "--pr-comment", "7"]
        arguments += ["--repository", "brightwave/help"]
        runs = [carebase(project, *arguments, env=env) for _ in range(2)]
        assert [run.returncode for run in runs] == [0, 0], runs[0].stdout + runs[0].stderr
        assert "preview comment created" in runs[0].stdout
        assert "preview comment unchanged" in runs[1].stdout
        (comment,) = github.repositories["brightwave/help"].issue_comments[7]
        for rig in all_rigs:
            assert f"── {rig.name}-en · {CHANGED}@en" in comment["body"]
            assert f"── {rig.name}-en · {ADDED}@en" in comment["body"]
        assert "Updated FAQ: Will my home phone work in a power cut?" in comment["body"]
    assert all(not rig.fake.posts for rig in all_rigs), "a preview posts nothing"
    return runs[0].stdout + runs[0].stderr + comment["body"]


def test_a_deploy_killed_after_posting_is_reconciled_not_repeated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_sample(tmp_path / "project")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(project, "remote", "add", "origin", str(remote))
    with rigs(monkeypatch) as all_rigs:
        askable = [rig for rig in all_rigs if rig.reconciles]
        configure(project, announce_block(askable, "0s"))
        git(project, "commit", "-q", "-am", "announce on the test networks")
        assert deploy(project).returncode == 0
        merge(project)
        killed = deploy(project, env={"CAREBASE_TEST_CRASH_AT": "after-send:3"})
        assert killed.returncode == -9, killed.stdout + killed.stderr
        assert sum(len(rig.fake.posts) for rig in askable) >= 3
        rerun = deploy(project)
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        everyone = {rig.name: 1 for rig in askable}
        assert posts(askable, CHANGED) == everyone
        assert posts(askable, ADDED) == everyone
        assert "found: posted by an earlier run" in rerun.stdout
