"""GitHub as a source: the real PyGithub client against a fake GitHub API on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from carebase.importers.gfm import autolink_references, closing_references, image_urls
from carebase.importers.github import DiscussionsSource, PullsSource
from carebase.importers.github_api import GitHubError, Limits, connect
from carebase.importers.model import Change, Cursor, Removal, Thread, ThreadSource
from carebase.importers.settings import DiscussionsOptions, PullsOptions
from carebase.models import SourceKind
from tests.fakes.github import TOKEN, WEB, FakeGitHub, FakeRepository

REPO = "acme/help"
FAST = Limits(timeout=2, retries=2, backoff=0.01, max_wait=5, pause=0)


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub().running() as fake:
        yield fake


@pytest.fixture
def repo(fake: FakeGitHub) -> FakeRepository:
    return fake.repository(REPO)


def env(fake: FakeGitHub, token: str | None = TOKEN) -> dict[str, str]:
    values = {"CAREBASE_GITHUB_API_URL": fake.api_url}
    return values | ({"GITHUB_TOKEN": token} if token is not None else {})


def discussions(
    fake: FakeGitHub, *, categories: list[str] | None = None, page_size: int | None = None
) -> DiscussionsSource:
    options = DiscussionsOptions(repository=REPO, categories=categories or [])
    if page_size is None:
        return DiscussionsSource.from_settings(options, env(fake), limits=FAST)
    client = connect(env(fake), TOKEN, page_size=page_size, limits=FAST)
    return DiscussionsSource(options, client)


def pulls(
    fake: FakeGitHub,
    *,
    repositories: tuple[str, ...] = (REPO,),
    labels: tuple[str, ...] = ("customer-facing",),
    token: str | None = TOKEN,
    page_size: int | None = None,
) -> PullsSource:
    options = PullsOptions(repositories=list(repositories), labels=list(labels))
    if page_size is None:
        return PullsSource.from_settings(options, env(fake, token), limits=FAST)
    return PullsSource(options, connect(env(fake), token, page_size=page_size, limits=FAST))


def run(
    source: ThreadSource,
    since: Cursor | None = None,
    *,
    full: bool = False,
    limit: int | None = None,
) -> list[Change]:
    return list(source.changes(since or Cursor(), full=full, limit=limit))


def threads(changes: list[Change]) -> dict[str, Thread]:
    return {change.id: change for change in changes if isinstance(change, Thread)}


def removals(changes: list[Change]) -> dict[str, str]:
    return {change.id: change.reason for change in changes if isinstance(change, Removal)}


def answered(repo: FakeRepository, number: int, **kwargs: Any) -> dict[str, Any]:
    answer = repo.comment(f"a{number}", f"Answer {number}")
    return repo.add_discussion(number, f"Question {number}", answer=answer, **kwargs)


# Discussions


def test_an_answered_discussion_becomes_a_thread_with_its_answer_first(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    repo.names.update({"asker": "Ada Asker", "helper": "Hal Helper", "mail": "me@example.com"})
    answer = repo.comment("a1", "Restart it: ![router](https://img.test/r.png)", author="helper")
    replies = [
        repo.comment("r1", "Same here", upvotes=1, author=None),
        repo.comment("r2", "Also see #7", upvotes=2, reactions={"THUMBS_UP": 2, "CONFUSED": 9}),
        repo.comment("r3", "Buy my product", upvotes=50, minimized="spam"),
        repo.comment("r4", "Thanks!", author="mail"),
    ]
    repo.add_discussion(
        1,
        "Router keeps dropping",
        body=f"It drops. Like {WEB}/{REPO}/discussions/4 said.",
        answer=answer,
        replies=replies,
        labels=["wifi"],
        updated="2025-03-01T08:00:00Z",
    )

    thread = threads(run(discussions(fake), full=True))[f"D_{REPO}_1"]

    assert thread.kind is SourceKind.GITHUB_DISCUSSION
    assert (thread.title, thread.source_category, thread.tags) == (
        "Router keeps dropping",
        "Q&A",
        ("wifi",),
    )
    assert thread.url == f"{WEB}/{REPO}/discussions/1"
    assert (thread.question.author, thread.question.format) == ("Ada Asker", "markdown")
    assert thread.answer is not None
    assert (thread.answer.author, thread.answer.id) == ("Hal Helper", "DC_a1")
    assert thread.answer.url == f"{WEB}/{REPO}/discussions/1#discussioncomment-a1"
    # Most helpful first (upvotes and positive reactions); hidden ones and the answer left out.
    assert [(r.id, r.score) for r in thread.replies] == [("DC_r2", 4), ("DC_r1", 1), ("DC_r4", 0)]
    assert [r.author for r in thread.replies] == ["Hal Helper", "ghost", "mail"]  # Never an e-mail.
    assert thread.replies[0].body == f"Also see [#7]({WEB}/{REPO}/issues/7)"
    assert thread.images == ("https://img.test/r.png",)
    assert thread.links == (f"{WEB}/{REPO}/discussions/4",)
    assert thread.updated_at == datetime(2025, 3, 1, 8, tzinfo=UTC)


def test_a_full_sync_reads_answered_discussions_only_and_knows_their_ids(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    answered(repo, 1)
    repo.add_discussion(2, "Nobody knows", updated="2025-02-01T00:00:00Z")
    answered(repo, 3, updated="2025-01-20T00:00:00Z")
    source = discussions(fake)

    changes = run(source, full=True)

    assert list(threads(changes)) == [f"D_{REPO}_3", f"D_{REPO}_1"]  # Newest update first.
    assert removals(changes) == {}
    assert source.known_ids() == {f"D_{REPO}_1", f"D_{REPO}_3"}
    assert [r.variables["answered"] for r in fake.requests] == [True]
    assert source.requests_made == 1


def test_discussions_are_read_page_by_page(fake: FakeGitHub, repo: FakeRepository) -> None:
    for number in range(1, 8):
        answered(repo, number, updated=f"2025-01-{number:02d}T00:00:00Z")
    source = discussions(fake, page_size=3)

    changes = run(source, full=True)

    assert [t.title for t in threads(changes).values()] == [
        f"Question {n}" for n in range(7, 0, -1)
    ]
    assert [r.variables["first"] for r in fake.requests] == [3, 3, 3]
    assert [r.variables["after"] is None for r in fake.requests] == [True, False, False]
    assert source.requests_made == 3


def test_only_the_chosen_categories_are_imported(fake: FakeGitHub, repo: FakeRepository) -> None:
    answered(repo, 1, category="Q&A")
    answered(repo, 2, category="General")
    source = discussions(fake, categories=["q&a"])

    changes = run(source, full=True)

    assert list(threads(changes)) == [f"D_{REPO}_1"]
    assert removals(changes) == {f"D_{REPO}_2": "is in category 'General', which is not imported"}
    assert source.known_ids() == {f"D_{REPO}_1"}


def test_an_unknown_category_is_named_with_the_ones_that_exist(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    answered(repo, 1)

    with pytest.raises(GitHubError) as error:
        run(discussions(fake, categories=["Billing"]))

    assert "discussions.categories: 'Billing' not found in acme/help" in str(error.value)
    assert "'Q&A', 'General', 'Ideas'" in str(error.value)


def test_spam_hidden_and_outdated_discussions_are_removed(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    answered(repo, 1, locked="RESOLVED")  # Locked because it is solved: still a good answer.
    answered(repo, 2, locked="SPAM")
    answered(repo, 3, closed="OUTDATED")
    hidden = repo.comment("a4", "Click here", minimized="abuse")
    repo.add_discussion(4, "Hidden answer", answer=hidden)
    source = discussions(fake)

    changes = run(source, full=True)

    assert list(threads(changes)) == [f"D_{REPO}_1"]
    assert removals(changes) == {
        f"D_{REPO}_2": "was locked as spam",
        f"D_{REPO}_3": "was closed as outdated",
        f"D_{REPO}_4": "its answer was hidden as abuse",
    }
    assert source.known_ids() == {f"D_{REPO}_1"}


def test_a_deleted_discussion_is_missing_from_the_known_ids_of_a_full_sync(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    answered(repo, 1)
    answered(repo, 2)
    source = discussions(fake)
    run(source, full=True)
    repo.discussions = [d for d in repo.discussions if d["number"] != 2]

    run(source, full=True)

    assert source.known_ids() == {f"D_{REPO}_1"}


def test_an_incremental_sync_reads_only_what_changed_since_the_cursor(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    answered(repo, 1, updated="2025-01-01T00:00:00Z")
    second = answered(repo, 2, updated="2025-01-02T00:00:00Z")
    source = discussions(fake, page_size=1)
    run(source)
    cursor = source.cursor()
    fake.reset_log()

    assert run(source, cursor) == []
    assert source.cursor() == cursor
    assert source.known_ids() is None  # Only a full sync knows what is gone.
    assert len(fake.requests) == 1  # The newest is older than the cursor: stop there.

    second["updatedAt"] = "2025-02-01T00:00:00Z"
    second["title"] = "Question 2, edited"
    assert [t.title for t in threads(run(source, cursor)).values()] == ["Question 2, edited"]
    assert source.cursor() == Cursor('{"acme/help": "2025-02-01T00:00:00+00:00"}')


def test_a_discussion_that_lost_its_answer_is_removed_incrementally(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    node = answered(repo, 1, updated="2025-01-01T00:00:00Z")
    source = discussions(fake)
    run(source)
    node.update(isAnswered=False, answer=None, updatedAt="2025-01-05T00:00:00Z")

    changes = run(source, source.cursor())

    assert changes == [Removal(SourceKind.GITHUB_DISCUSSION, node["id"], "has no accepted answer")]
    assert fake.requests[-1].variables["answered"] is None  # Incremental: answered or not.


def test_a_limited_sync_keeps_its_cursor_so_nothing_is_skipped(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    for number in range(1, 4):
        answered(repo, number, updated=f"2025-01-0{number}T00:00:00Z")
    source = discussions(fake)

    changes = run(source, Cursor(), full=True, limit=2)

    assert len(threads(changes)) == 2
    assert source.cursor() == Cursor()
    assert source.known_ids() is None  # Incomplete: must not remove the third.


def test_discussions_need_a_token(fake: FakeGitHub) -> None:
    options = DiscussionsOptions(repository=REPO)

    with pytest.raises(GitHubError, match="GraphQL API, which needs a token: set GITHUB_TOKEN"):
        DiscussionsSource.from_settings(options, env(fake, token=None))
    with pytest.raises(GitHubError, match=r"discussions\.repository is not set"):
        DiscussionsSource.from_settings(None, env(fake))


# Pull requests


def test_merged_labelled_pull_requests_become_whats_new_threads(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    repo.names["dev"] = "Dev Eloper"
    repo.add_pull(
        5,
        "Refunds in one day",
        body="Refunds are faster.\n\nFixes #12, closes other/repo#3\n\n```\nfixes #99\n```",
        labels=("customer-facing", "billing"),
        user="dev",
        merged="2025-02-03T10:00:00Z",
        updated="2025-02-04T10:00:00Z",
    )
    repo.closing[5] = [f"{WEB}/{REPO}/issues/12", f"{WEB}/{REPO}/issues/40"]
    repo.add_pull(6, "Closed without merging", merged=None)
    repo.add_pull(7, "Still open", merged=None, state="open")
    repo.add_pull(8, "Internal refactor", labels=("internal",))
    source = pulls(fake)

    changes = run(source, full=True)

    assert list(threads(changes)) == [f"{REPO}#5"]
    assert removals(changes) == {}  # A full sync leaves the unlabelled to known_ids.
    thread = threads(changes)[f"{REPO}#5"]
    assert thread.kind is SourceKind.GITHUB_PULL
    assert (thread.answer, thread.source_category, thread.tags) == (None, "whats-new", ("billing",))
    assert thread.url == f"{WEB}/{REPO}/pull/5"
    assert thread.created_at == datetime(2025, 2, 3, 10, tzinfo=UTC)  # Merged: shipped.
    assert thread.updated_at == datetime(2025, 2, 4, 10, tzinfo=UTC)
    assert thread.question.author == "Dev Eloper"
    assert thread.question.body.startswith("Refunds are faster.\n\nFixes [#12](")
    assert thread.question.body.endswith("```\nfixes #99\n```")  # Code is left alone.
    assert thread.links == (
        f"{WEB}/{REPO}/issues/12",
        f"{WEB}/other/repo/issues/3",
        f"{WEB}/{REPO}/issues/40",
    )
    assert source.known_ids() == {f"{REPO}#5"}
    assert fake.operations() == [
        "GET /api/v3/repos/acme/help",
        "GET /api/v3/repos/acme/help/pulls",
        "CarebasePulls",
    ]
    assert fake.requests[1].query == {
        "state": "closed",
        "sort": "updated",
        "direction": "desc",
        "per_page": "100",
    }


def test_without_labels_every_merged_pull_request_is_imported(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    repo.add_pull(1, "One", labels=())
    repo.add_pull(2, "Two", labels=("internal",))
    repo.add_pull(3, "Three", merged=None)

    assert set(threads(run(pulls(fake, labels=()), full=True))) == {f"{REPO}#1", f"{REPO}#2"}


def test_pull_requests_are_read_page_by_page_through_link_headers(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    for number in range(1, 6):
        repo.add_pull(number, f"Change {number}", merged=f"2025-02-0{number}T00:00:00Z")
    source = pulls(fake, page_size=2)

    changes = run(source, full=True)

    assert list(threads(changes)) == [f"{REPO}#{n}" for n in range(5, 0, -1)]
    pages = [r.query.get("page", "1") for r in fake.requests if r.path.endswith("/pulls")]
    assert pages == ["1", "2", "3"]


def test_an_incremental_pull_sync_stops_at_the_cursor(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    repo.add_pull(1, "Old", merged="2025-01-01T00:00:00Z")
    second = repo.add_pull(2, "Newer", merged="2025-01-02T00:00:00Z")
    source = pulls(fake, page_size=1)
    assert len(threads(run(source))) == 2
    cursor = source.cursor()
    fake.reset_log()

    assert run(source, cursor) == []
    assert fake.operations() == ["GET /api/v3/repos/acme/help", "GET /api/v3/repos/acme/help/pulls"]

    second.update(labels=[], updated_at="2025-03-01T00:00:00Z")  # Unlabelled: withdrawn.
    assert run(source, cursor) == [
        Removal(SourceKind.GITHUB_PULL, f"{REPO}#2", "is no longer labelled 'customer-facing'")
    ]
    assert source.cursor() == Cursor('{"acme/help": "2025-03-01T00:00:00+00:00"}')


def test_each_repository_keeps_its_own_mark_in_the_cursor(fake: FakeGitHub) -> None:
    fake.repository("acme/app").add_pull(1, "App", merged="2025-01-05T00:00:00Z")
    fake.repository("acme/api").add_pull(1, "API", merged="2025-01-07T00:00:00Z")
    source = pulls(fake, repositories=("acme/app", "acme/api"))

    assert set(threads(run(source))) == {"acme/app#1", "acme/api#1"}
    assert source.cursor() == Cursor(
        '{"acme/api": "2025-01-07T00:00:00+00:00", "acme/app": "2025-01-05T00:00:00+00:00"}'
    )


def test_a_bare_timestamp_cursor_means_since_then_for_every_repository(
    fake: FakeGitHub,
) -> None:
    app, api = fake.repository("acme/app"), fake.repository("acme/api")
    app.add_pull(1, "Old app change", merged="2025-01-01T00:00:00Z")
    app.add_pull(2, "New app change", merged="2025-03-01T00:00:00Z")
    api.add_pull(1, "Old API change", merged="2025-01-02T00:00:00Z")
    source = pulls(fake, repositories=("acme/app", "acme/api"))

    changes = run(source, Cursor("2025-02-01T00:00:00+00:00"))  # What --since passes.

    assert list(threads(changes)) == ["acme/app#2"]
    assert source.cursor() == Cursor(
        '{"acme/api": "2025-02-01T00:00:00+00:00", "acme/app": "2025-03-01T00:00:00+00:00"}'
    )


def test_public_pull_requests_can_be_read_without_a_token(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    repo.add_pull(3, "Public change", body="Resolves #1", user="octo")
    repo.closing[3] = [f"{WEB}/{REPO}/issues/77"]  # Only GraphQL knows; it needs a token.

    thread = threads(run(pulls(fake, token=None)))[f"{REPO}#3"]

    assert (thread.question.author, thread.links) == ("octo", (f"{WEB}/{REPO}/issues/1",))
    assert all(r.authorization is None and not r.operation for r in fake.requests)


def test_a_limited_pull_sync_stops_listing_and_keeps_its_cursor(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    for number in range(1, 6):
        repo.add_pull(number, f"Change {number}", merged=f"2025-02-0{number}T00:00:00Z")
    source = pulls(fake, page_size=2)

    changes = run(source, full=True, limit=2)

    assert list(threads(changes)) == [f"{REPO}#5", f"{REPO}#4"]
    assert (source.cursor(), source.known_ids()) == (Cursor(), None)
    assert len([r for r in fake.requests if r.path.endswith("/pulls")]) == 2


# Errors a person can act on


def test_a_bad_token_is_reported_without_showing_it(fake: FakeGitHub, repo: FakeRepository) -> None:
    answered(repo, 1)
    wrong = "ghp_wrong-token-0000"
    options = DiscussionsOptions(repository=REPO)
    source = DiscussionsSource.from_settings(options, env(fake, wrong), limits=FAST)

    with pytest.raises(GitHubError) as error:
        run(source)

    message = str(error.value)
    assert "GitHub rejected the token in GITHUB_TOKEN (401 Bad credentials)" in message
    assert wrong not in message and wrong not in repr(error.value.__cause__)
    with pytest.raises(GitHubError, match="rejected the token in GITHUB_TOKEN"):
        run(pulls(fake, token=wrong))


def test_a_missing_repository_is_named(fake: FakeGitHub) -> None:
    with pytest.raises(GitHubError) as error:
        run(discussions(fake))
    assert "GitHub repository 'acme/help' was not found at http://127.0.0.1:" in str(error.value)
    assert "plugins.carebase/import.discussions.repository" in str(error.value)

    with pytest.raises(GitHubError, match=r"'acme/gone' was not found .*pulls\.repositories"):
        run(pulls(fake, repositories=("acme/gone",)))


def test_a_private_repository_without_a_token_is_not_found_with_a_hint(fake: FakeGitHub) -> None:
    fake.repository("acme/secret", private=True).add_pull(1, "Hidden")

    with pytest.raises(GitHubError, match="a private repository needs a GITHUB_TOKEN"):
        run(pulls(fake, repositories=("acme/secret",), token=None))


def test_a_short_rate_limit_is_waited_for(fake: FakeGitHub, repo: FakeRepository) -> None:
    answered(repo, 1)
    fake.rate_limit(retry_after=1, path="graphql")
    started = time.monotonic()

    changes = run(discussions(fake))

    assert len(threads(changes)) == 1
    assert time.monotonic() - started >= 1
    assert [r.status for r in fake.requests] == [403, 200]


def test_a_rate_limit_that_resets_soon_is_waited_for(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    repo.add_pull(1, "Change")
    fake.rate_limit(reset_in=0, path="/pulls")  # No Retry-After: x-ratelimit-reset says when.

    assert len(threads(run(pulls(fake)))) == 1
    assert [r.status for r in fake.requests if r.path.endswith("/pulls")] == [403, 200]


def test_graphqls_own_rate_limit_is_reported(fake: FakeGitHub, repo: FakeRepository) -> None:
    answered(repo, 1)
    fake.graphql_rate_limit()

    with pytest.raises(GitHubError, match="rate limit for this token is used up until"):
        run(discussions(fake))


def test_a_token_without_access_is_told_what_it_needs(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    repo.add_pull(1, "Change")
    fake.fail(403, message="Resource not accessible by integration", path="/pulls")

    with pytest.raises(GitHubError) as error:
        run(pulls(fake))

    assert str(error.value).startswith(
        "GitHub refused access to acme/help (403 Resource not accessible by integration)\n"
        "  hint: the token in GITHUB_TOKEN needs read access"
    )
    assert len(fake.requests) == 2  # Not a rate limit: not retried.


def test_a_long_rate_limit_is_reported_not_waited_for(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    repo.add_pull(1, "Change")
    fake.rate_limit(reset_in=3600, times=10)
    started = time.monotonic()

    with pytest.raises(GitHubError) as error:
        run(pulls(fake, token=None))

    message = str(error.value)
    assert time.monotonic() - started < FAST.max_wait
    assert "GitHub's rate limit for requests without a token is used up until" in message
    assert "hint: set GITHUB_TOKEN: GitHub allows 60 requests an hour without a token" in message
    assert len(fake.requests) == 1


def test_a_long_retry_after_is_reported_not_slept_through(
    fake: FakeGitHub, repo: FakeRepository
) -> None:
    answered(repo, 1)
    fake.rate_limit(retry_after=3600, times=10)

    with pytest.raises(GitHubError, match=r"asks to wait 3600 s; Carebase waits at most 5 s"):
        run(discussions(fake))


def test_a_server_error_is_retried(fake: FakeGitHub, repo: FakeRepository) -> None:
    repo.add_pull(1, "Change")
    fake.fail(502, path="/pulls")

    assert len(threads(run(pulls(fake)))) == 1
    assert [r.status for r in fake.requests if r.path.endswith("/pulls")] == [502, 200]


def test_a_server_that_keeps_failing_is_reported(fake: FakeGitHub, repo: FakeRepository) -> None:
    answered(repo, 1)
    fake.fail(500, times=10, message="Something went wrong")

    with pytest.raises(GitHubError) as error:
        run(discussions(fake))

    assert str(error.value) == (
        "GitHub kept failing for acme/help (500 Something went wrong) after 3 attempts; "
        "try again later"
    )
    assert len(fake.requests) == 3


def test_a_server_that_does_not_answer_is_reported(fake: FakeGitHub, repo: FakeRepository) -> None:
    repo.add_pull(1, "Change")
    fake.delay(2, times=5)
    options = PullsOptions(repositories=[REPO])
    limits = Limits(timeout=1, retries=0, pause=0)
    source = PullsSource.from_settings(options, env(fake), limits=limits)

    with pytest.raises(GitHubError, match=r"did not answer within 1 s \(1 attempts\)"):
        run(source)


def test_an_unreachable_server_is_reported(fake: FakeGitHub) -> None:
    url = fake.api_url.replace(fake.url.rsplit(":", 1)[1], "1")  # Port 1: nobody listens.
    options = PullsOptions(repositories=[REPO])
    source = PullsSource.from_settings(
        options, {"CAREBASE_GITHUB_API_URL": url}, limits=Limits(retries=0, pause=0)
    )

    with pytest.raises(
        GitHubError, match=r"Could not reach GitHub at http://127\.0\.0\.1:1/api/v3"
    ):
        run(source)


def test_an_api_url_that_is_not_a_url_is_refused() -> None:
    options = PullsOptions(repositories=[REPO])

    with pytest.raises(GitHubError, match="CAREBASE_GITHUB_API_URL must be an http"):
        PullsSource.from_settings(options, {"CAREBASE_GITHUB_API_URL": "ghe.example.com"})


# GitHub-flavoured Markdown, without the network


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("See #12.", f"See [#12]({WEB}/a/b/issues/12)."),
        ("See x/y#3", f"See [x/y#3]({WEB}/x/y/issues/3)"),
        ("`#12` and\n```\n#13\n```\n", "`#12` and\n```\n#13\n```\n"),
        ("[#12](https://e.test) C#1 &#35; https://e.test/p#4", None),
        ("<a href='#5'>five</a>", None),
    ],
)
def test_references_become_links_outside_code_and_links(
    markdown: str, expected: str | None
) -> None:
    assert autolink_references(markdown, f"{WEB}/a/b") == (expected or markdown)


def test_closing_keywords_name_the_issues_a_pull_request_closes() -> None:
    body = (
        "Fixes #1. Closes: x/y#2\nresolved https://ghe.test/a/b/issues/3, "
        "fixes #1 again; mentions #4\n\n```\nfixes #5\n```\n`closes #6`"
    )

    assert closing_references(body, f"{WEB}/a/b") == [
        f"{WEB}/a/b/issues/1",
        f"{WEB}/x/y/issues/2",
        "https://ghe.test/a/b/issues/3",
    ]


def test_images_are_found_in_markdown_and_html() -> None:
    texts = [
        '![a](https://i.test/1.png "title") <img alt="b" src="https://i.test/2.gif">',
        "![again](https://i.test/1.png) ![relative](img/3.png)",
    ]

    assert image_urls(texts) == ("https://i.test/1.png", "https://i.test/2.gif")
