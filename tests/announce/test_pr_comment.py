"""The preview comment on a pull request: one comment, created, then edited or left alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from carebase.announce.pr_comment import MARKER, MAX_BODY, CommentError, upsert_comment
from tests.fakes.github import TOKEN, FakeGitHub, FakeRepository

REPO = "brightwave/help"


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub().running() as fake:
        fake.repository(REPO).add_pull(7, "FAQ: power cuts", merged=None, state="open")
        yield fake


def repository(github: FakeGitHub) -> FakeRepository:
    return github.repositories[REPO]


def test_created_then_unchanged_then_updated_in_place(github: FakeGitHub) -> None:
    first = upsert_comment(REPO, 7, "two posts", TOKEN, github.api_url)
    again = upsert_comment(REPO, 7, "two posts", TOKEN, github.api_url)
    changed = upsert_comment(REPO, 7, "three posts", TOKEN, github.api_url)
    assert first.startswith("created: https://github.example.test/brightwave/help/pull/7#")
    assert again.startswith("unchanged: ") and changed.startswith("updated: ")
    (comment,) = repository(github).issue_comments[7]
    assert comment["body"] == f"{MARKER}\nthree posts"
    assert [r.method for r in github.requests].count("PATCH") == 1


def test_ours_is_found_among_many_pages_of_other_comments(github: FakeGitHub) -> None:
    upsert_comment(REPO, 7, "preview", TOKEN, github.api_url)
    others = [
        {**repository(github).issue_comments[7][0], "id": n, "body": "LGTM"} for n in range(250)
    ]
    repository(github).issue_comments[7][:0] = others
    assert upsert_comment(REPO, 7, "preview 2", TOKEN, github.api_url).startswith("updated")
    assert len(repository(github).issue_comments[7]) == 251


def test_a_huge_preview_is_shortened_to_what_github_takes(github: FakeGitHub) -> None:
    upsert_comment(REPO, 7, "x" * 100_000, TOKEN, github.api_url)
    body = repository(github).issue_comments[7][0]["body"]
    assert len(body) <= MAX_BODY and body.endswith("for the whole preview)")


def test_a_wrong_token_is_a_clear_error_without_the_token(github: FakeGitHub) -> None:
    wrong = "ghp_wrong-token-0123456789"
    with pytest.raises(CommentError) as caught:
        upsert_comment(REPO, 7, "preview", wrong, github.api_url)
    assert "GitHub rejected GITHUB_TOKEN (401" in str(caught.value)
    assert wrong not in str(caught.value)


def test_a_missing_pull_request_names_the_permission_to_check(github: FakeGitHub) -> None:
    with pytest.raises(CommentError, match=r"pull request #8 of brightwave/help .*404"):
        upsert_comment(REPO, 8, "preview", TOKEN, github.api_url)


def test_a_read_only_token_is_explained(github: FakeGitHub) -> None:
    github.fail(403, path="/comments", message="Resource not accessible by integration", times=9)
    with pytest.raises(CommentError) as caught:
        upsert_comment(REPO, 7, "preview", TOKEN, github.api_url)
    assert "pull-requests: write" in str(caught.value)
    assert "Resource not accessible by integration" in str(caught.value)
