"""The pull request preview edits only a comment its own token wrote: a comment holding the
marker written by anyone else is never edited, and a new one is created instead."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from carebase.announce.pr_comment import MARKER, CommentError, upsert_comment
from carebase.cli.main import cli
from tests.conftest import ProjectFactory
from tests.fakes.github import TOKEN, FakeGitHub, FakeRepository
from tests.security.test_redaction import announcing_project

REPO = "brightwave/help"
PLANTED = f"{MARKER}\nMerging this will announce: free broadband for everyone!"


def planted(repository: FakeRepository, login: str, comment_id: int = 1) -> dict[str, Any]:
    """A comment holding the marker, written by ``login`` before any preview."""
    comment = {
        "id": comment_id,
        "body": PLANTED,
        "user": {"login": login, "id": 666, "type": "User"},
        "created_at": "2026-12-05T11:00:00Z",
        "updated_at": "2026-12-05T11:00:00Z",
        "html_url": f"{repository.web}/pull/7#issuecomment-{comment_id}",
        "url": f"https://api.example/repos/{REPO}/issues/comments/{comment_id}",
    }
    repository.issue_comments.setdefault(7, []).append(comment)
    return comment


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    """GitHub as GitHub Actions' ``GITHUB_TOKEN`` sees it: ``/user`` refused, comments by
    ``github-actions[bot]``."""
    with FakeGitHub().running() as fake:
        fake.repository(REPO).add_pull(7, "FAQ: power cuts", merged=None, state="open")
        yield fake


def test_a_contributors_marker_comment_is_never_edited(github: FakeGitHub) -> None:
    repository = github.repositories[REPO]
    theirs = planted(repository, "mallory")
    first = upsert_comment(REPO, 7, "two posts", TOKEN, github.api_url)
    second = upsert_comment(REPO, 7, "three posts", TOKEN, github.api_url)
    assert first.startswith("created: ") and second.startswith("updated: ")
    assert theirs["body"] == PLANTED
    ours = [c for c in repository.issue_comments[7] if c["user"]["login"] != "mallory"]
    assert [c["body"] for c in ours] == [f"{MARKER}\nthree posts"]
    edited = [r.path for r in github.requests if r.method == "PATCH"]
    assert edited == [f"/api/v3/repos/{REPO}/issues/comments/{ours[0]['id']}"]


def test_an_installation_token_is_github_actions_bot(github: FakeGitHub) -> None:
    """GitHub answers ``GET /user`` 403 to an installation token; its comments are the bot's."""
    upsert_comment(REPO, 7, "preview", TOKEN, github.api_url)
    asked = [(r.path, r.status) for r in github.requests if r.path == "/api/v3/user"]
    assert asked == [("/api/v3/user", 403)]
    (comment,) = github.repositories[REPO].issue_comments[7]
    assert comment["user"]["login"] == "github-actions[bot]"


def test_a_persons_token_owns_only_its_own_comments() -> None:
    with FakeGitHub(login="help-bot", installation=False).running() as github:
        repository = github.repository(REPO)
        repository.add_pull(7, "FAQ: power cuts", merged=None, state="open")
        bots = planted(repository, "github-actions[bot]")
        assert upsert_comment(REPO, 7, "preview", TOKEN, github.api_url).startswith("created")
        assert upsert_comment(REPO, 7, "preview 2", TOKEN, github.api_url).startswith("updated")
        assert bots["body"] == PLANTED
        assert [c["user"]["login"] for c in repository.issue_comments[7]] == [
            "github-actions[bot]",
            "help-bot",
        ]


def test_a_given_login_is_used_without_asking(github: FakeGitHub) -> None:
    """A GitHub App's token comments as ``<slug>[bot]``, which ``/user`` cannot tell."""
    theirs = planted(github.repositories[REPO], "github-actions[bot]")
    outcome = upsert_comment(REPO, 7, "preview", TOKEN, github.api_url, "brightwave-help[bot]")
    assert outcome.startswith("created") and theirs["body"] == PLANTED
    assert "/api/v3/user" not in [r.path for r in github.requests]


def test_a_rejected_token_is_an_error_without_the_token(github: FakeGitHub) -> None:
    """Only a 403 means "an installation token"; a 401 is the token's fault, said so."""
    github.fail(401, path="/api/v3/user", message="Bad credentials")
    with pytest.raises(CommentError) as caught:
        upsert_comment(REPO, 7, "preview", TOKEN, github.api_url)
    assert "GitHub rejected GITHUB_TOKEN (401" in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert 7 not in github.repositories[REPO].issue_comments


def test_the_cli_takes_the_login_from_the_environment(
    github: FakeGitHub, make_project: ProjectFactory
) -> None:
    project = announcing_project(make_project)
    github.login = "brightwave-help[bot]"
    theirs = planted(github.repositories[REPO], "github-actions[bot]")
    env = {
        "GITHUB_TOKEN": TOKEN,
        "CAREBASE_GITHUB_API_URL": github.api_url,
        "CAREBASE_PR_COMMENT_LOGIN": "brightwave-help[bot]",
    }
    arguments = ["-f", str(project / "mkdocs.yml"), "announce", "--dry-run"]
    arguments += ["--pr-comment", "7", "--repository", REPO]
    for expected in ("created", "unchanged"):
        result = CliRunner().invoke(cli, arguments, env=env)
        assert result.exit_code == 0, result.output
        assert f"preview comment {expected}: " in result.output
    assert theirs["body"] == PLANTED
    assert "/api/v3/user" not in [r.path for r in github.requests]
