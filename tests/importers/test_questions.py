"""Imported articles get ``questions`` from the source's own signals: the forum's topics that
link to a solved topic (Discourse's reflections), the issues a merged pull request closes.

Driven through the real clients against the fakes (Discourse over HTTP, PyGithub with
GraphQL), then through the writer into an article that the content model accepts.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from carebase.importers.discourse import DiscourseSource
from carebase.importers.github import PullsSource
from carebase.importers.github_api import Limits
from carebase.importers.jsonl import JsonlSource
from carebase.importers.model import Cursor, Post, Thread
from carebase.importers.settings import ImportSettings, PullsOptions
from carebase.importers.writer import front_matter, questions_of
from carebase.models import QUESTION_LENGTH, ArticleMeta, SourceKind
from tests.fakes.discourse import FakeDiscourse
from tests.fakes.github import TOKEN, WEB, FakeGitHub

SETTINGS = ImportSettings(default_category="broadband")


@pytest.fixture
def forum() -> Iterator[FakeDiscourse]:
    with FakeDiscourse().running() as fake:
        yield fake


def imported(
    fake: FakeDiscourse, *, staff: bool = False, concurrency: int = 4
) -> dict[str, Thread]:
    keys = {"api_key": fake.api_key, "api_username": fake.api_username} if staff else {}
    source = DiscourseSource(fake.url, backoff=0.01, timeout=5.0, concurrency=concurrency, **keys)
    changes = source.changes(Cursor(), full=True, limit=None)
    return {change.id: change for change in changes if isinstance(change, Thread)}


def link_to(fake: FakeDiscourse, topic_id: int, slug: str = "x") -> str:
    return f'<p>Same as <a href="{fake.url}/t/{slug}/{topic_id}">this one</a>.</p>'


def test_titles_of_public_topics_linking_here_become_questions(forum: FakeDiscourse) -> None:
    solved = forum.add_topic("Hub light flashes orange")
    duplicate = forum.add_topic("Router blinking amber after storm", accepted=None, posts=1)
    forum.post(duplicate.id, 1).cooked = link_to(forum, solved.id, solved.slug)
    # Links *from* the solved topic are other questions: never used.
    elsewhere = forum.add_topic("How do I read my bill", accepted=None, posts=1)
    forum.post(solved.id, 2).cooked = link_to(forum, elsewhere.id)

    thread = imported(forum)[str(solved.id)]

    assert thread.questions == ("Router blinking amber after storm",)


@pytest.mark.parametrize("staff", [False, True])
def test_topics_out_of_public_view_never_lend_their_titles(
    forum: FakeDiscourse, staff: bool
) -> None:
    solved = forum.add_topic("No dial tone")
    hidden = [
        forum.add_topic("Complaint about Jo Bloggs", category_id=5, accepted=None, posts=1),
        forum.add_topic("Your account 4471", archetype="private_message", accepted=None, posts=1),
        forum.add_topic("Unlisted phone question", visible=False, accepted=None, posts=1),
    ]
    for topic in hidden:
        forum.post(topic.id, 1).cooked = link_to(forum, solved.id)

    thread = imported(forum, staff=staff)[str(solved.id)]

    # A key shows staff the private reflections; the source reads each linking topic and
    # keeps only what anyone may read.
    assert thread.questions == ()


def test_a_linking_topic_already_read_costs_no_request(forum: FakeDiscourse) -> None:
    solved = forum.add_topic("Roaming data not working")
    also_solved = forum.add_topic("No internet abroad")  # Newer: read first.
    forum.post(also_solved.id, 1).cooked = link_to(forum, solved.id)

    threads = imported(forum, concurrency=1)  # In listing order: the newer topic first.

    assert threads[str(solved.id)].questions == ("No internet abroad",)
    reads = [r.path for r in forum.requests if r.path.startswith(f"/t/{also_solved.id}")]
    assert reads == [f"/t/{also_solved.id}.json"]


def test_the_issues_a_pull_request_closes_become_questions() -> None:
    with FakeGitHub().running() as fake:
        repo = fake.repository("acme/help")
        other = fake.repository("acme/public-site")
        secret = fake.repository("acme/internal", private=True)
        repo.issue_titles[12] = "Refund took three weeks"
        other.issue_titles[3] = "Money back page is confusing"
        secret.issue_titles[8] = "Customer 4471 escalation"
        repo.add_pull(5, "Refunds in one day", body="Fixes #12")
        repo.closing[5] = [
            f"{WEB}/acme/help/issues/12",
            f"{WEB}/acme/public-site/issues/3",
            f"{WEB}/acme/internal/issues/8",
        ]
        options = PullsOptions(repositories=["acme/help"], labels=["customer-facing"])
        env = {"CAREBASE_GITHUB_API_URL": fake.api_url, "GITHUB_TOKEN": TOKEN}
        source = PullsSource.from_settings(options, env, limits=Limits(retries=1, pause=0))

        (thread,) = list(source.changes(Cursor(), full=True, limit=None))

    assert isinstance(thread, Thread)
    assert thread.questions == ("Refund took three weeks", "Money back page is confusing")


def test_a_json_lines_thread_may_bring_its_questions() -> None:
    line = (
        '{"id": 7, "url": "https://forum.example.com/t/7", "title": "Router drops", '
        '"questions": ["Wi-Fi off at 2am"], "question": {"author": "Alex", "body": "It drops.", '
        '"created_at": "2026-10-01T09:00:00Z"}, "answer": {"author": "Sam", "body": "Fix", '
        '"created_at": "2026-10-01T10:00:00Z"}}'
    )
    source = JsonlSource.from_text(line, "threads.jsonl")

    (thread,) = list(source.changes(Cursor(), full=False, limit=None))

    assert isinstance(thread, Thread) and thread.questions == ("Wi-Fi off at 2am",)


def thread_with(title: str, questions: tuple[str, ...]) -> Thread:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    post = Post("1", "Ann", "<p>Question</p>", "html", when)
    return Thread(
        SourceKind.DISCOURSE, "7", "https://forum.example/t/7", title, "general", post, post,
        questions=questions,
    )  # fmt: skip


def test_questions_are_plain_distinct_short_and_never_the_title() -> None:
    long = "Why " + "really " * 40 + "slow?"
    thread = thread_with(
        "Wi-Fi slow at night",
        ("wi-fi slow at night?", "Internet slow after 7pm", "internet  slow after 7PM", long, ""),
    )

    questions = questions_of(thread, SETTINGS)

    assert questions[0] == "Internet slow after 7pm"
    assert len(questions) == 2
    assert questions[1].endswith("…") and len(questions[1]) <= QUESTION_LENGTH
    meta = front_matter(thread, SETTINGS, datetime(2026, 1, 2, tzinfo=UTC))
    assert ArticleMeta.model_validate(meta).questions == questions
