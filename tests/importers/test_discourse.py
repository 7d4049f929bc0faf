"""The Discourse source, driven against a fake forum on 127.0.0.1 through real HTTP."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from carebase.errors import CarebaseError
from carebase.importers.discourse import DiscourseSource, references
from carebase.importers.model import Change, Cursor, Removal, Thread
from carebase.importers.settings import DiscourseOptions, ImportSettings
from carebase.importers.sync import Action, sync
from carebase.models import SourceKind
from carebase.project import load_project
from carebase.retry_after import retry_after_seconds
from tests.conftest import ProjectFactory
from tests.fakes.discourse import PAGE_SIZE, WHISPER, FakeDiscourse

KEY = "discourse-key-for-tests"
Serve = Callable[..., FakeDiscourse]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start fake forums (``serve(topics=100)``) that stop when the test ends."""
    with ExitStack() as stack:

        def start(topics: int = 0, **options: Any) -> FakeDiscourse:
            return stack.enter_context(FakeDiscourse(topics, **options).running())

        yield start


def source_for(fake: FakeDiscourse, *, staff: bool = False, **options: Any) -> DiscourseSource:
    """The real source, with quick retries so failure tests stay short."""
    options = {"backoff": 0.01, "timeout": 5.0, **options}
    if staff:
        options.update(api_key=fake.api_key, api_username=fake.api_username)
    return DiscourseSource(fake.url, **options)


START = Cursor()


def run(
    source: DiscourseSource,
    since: Cursor = START,
    *,
    full: bool = False,
    limit: int | None = None,
) -> list[Change]:
    return list(source.changes(since, full=full, limit=limit))


def threads(changes: list[Change]) -> dict[str, Thread]:
    return {change.id: change for change in changes if isinstance(change, Thread)}


def removals(changes: list[Change]) -> dict[str, str]:
    return {change.id: change.reason for change in changes if isinstance(change, Removal)}


def list_requests(fake: FakeDiscourse) -> list[int]:
    """The page number of every ``/latest.json`` request, in order."""
    return [int(r.query.get("page", ["0"])[0]) for r in fake.requests if r.path == "/latest.json"]


# --- settings ------------------------------------------------------------------------------


def test_the_address_comes_from_the_options_or_the_environment() -> None:
    options = DiscourseOptions(url="https://forum.example.com/", concurrency=2, timeout=3)
    source = DiscourseSource.from_settings(options, {})
    assert (source.base, source.concurrency, source.politeness.timeout) == (
        "https://forum.example.com",
        2,
        3,
    )

    env = {"CAREBASE_DISCOURSE_URL": "https://community.example.org/forum"}
    assert DiscourseSource.from_settings(None, env).base == "https://community.example.org/forum"


def test_without_an_address_the_error_names_the_setting_and_the_variable() -> None:
    with pytest.raises(CarebaseError) as caught:
        DiscourseSource.from_settings(DiscourseOptions(), {})
    assert "CAREBASE_DISCOURSE_URL" in str(caught.value)
    assert "plugins.carebase/import.discourse" in str(caught.value)


def test_a_user_name_without_a_key_is_refused() -> None:
    env = {"CAREBASE_DISCOURSE_URL": "https://f.example", "CAREBASE_DISCOURSE_API_USERNAME": "x"}
    with pytest.raises(CarebaseError, match="CAREBASE_DISCOURSE_API_KEY"):
        DiscourseSource.from_settings(None, env)


def test_a_password_in_the_address_is_refused_without_being_shown() -> None:
    with pytest.raises(CarebaseError) as caught:
        DiscourseSource.from_settings(DiscourseOptions(url="https://me:hunter2@f.example"), {})
    assert "hunter2" not in str(caught.value)


# --- what is imported ----------------------------------------------------------------------


def test_a_full_run_pages_through_every_solved_public_topic(serve: Serve) -> None:
    fake = serve(topics=150)
    expected = [str(topic.id) for topic in fake.solved_public()]
    source = source_for(fake)

    changes = run(source, full=True)

    assert list(threads(changes)) == expected  # Newest first, as the forum lists them.
    pages = math.ceil(len(fake._listed(staff=False, solved=True)) / PAGE_SIZE)
    assert pages > 2
    assert list_requests(fake) == list(range(pages))
    assert all(r.query.get("solved") == ["yes"] for r in fake.requests if r.path == "/latest.json")
    assert source.known_ids() == set(expected)
    assert source.requests_made == len(fake.requests)


def test_a_thread_holds_the_question_the_accepted_answer_and_the_public_replies(
    serve: Serve,
) -> None:
    fake = serve()
    topic = fake.add_topic("Refund after cancelling", category_id=1, posts=5, accepted=4)
    fake.post(topic.id, 3).name = ""

    thread = threads(run(source_for(fake)))[str(topic.id)]

    base = fake.url
    assert thread.kind is SourceKind.DISCOURSE
    assert thread.url == f"{base}/t/{topic.id}"  # Without the slug: it is the title.
    assert (thread.title, thread.source_category) == (
        "Refund after cancelling",
        "billing-and-payments",
    )
    assert thread.question.body == "<p>Refund after cancelling: post 1.</p>"
    assert thread.question.format == "html"
    assert thread.answer is not None
    assert thread.answer.url == f"{thread.url}/4"
    assert thread.answer.score == 4  # Its likes.
    assert [reply.url.rsplit("/", 1)[1] for reply in thread.replies] == ["2", "3", "5"]
    assert thread.replies[1].author == fake.post(topic.id, 3).username  # No display name.
    assert thread.question.author == fake.post(topic.id, 1).name
    assert thread.updated_at == topic.bumped_at


def test_long_post_streams_are_fetched_twenty_posts_at_a_time(serve: Serve) -> None:
    fake = serve()
    topic = fake.add_topic("Router keeps restarting", posts=47, accepted=45)

    thread = threads(run(source_for(fake)))[str(topic.id)]

    assert thread.answer is not None and thread.answer.url.endswith("/45")
    assert len(thread.replies) == 45
    batches = [r.query["post_ids[]"] for r in fake.requests if r.path.endswith("/posts.json")]
    assert [len(batch) for batch in batches] == [20, 7]
    assert sorted(int(i) for batch in batches for i in batch) == [
        topic.id * 1000 + n for n in range(21, 48)
    ]


def test_staff_only_posts_never_reach_a_thread(serve: Serve) -> None:
    fake = serve()
    topic = fake.add_topic("Bill too high", posts=6, accepted=2)
    secret = "<p>internal: customer is on the watch list</p>"
    staff_only: list[tuple[int, dict[str, Any]]] = [
        (3, {"post_type": WHISPER}),
        (4, {"hidden": True}),
        (5, {"deleted": True}),
        (6, {"user_deleted": True}),
    ]
    for number, change in staff_only:
        post = fake.post(topic.id, number)
        post.cooked = secret
        for name, value in change.items():
            setattr(post, name, value)

    for staff in (False, True):
        thread = threads(run(source_for(fake, staff=staff)))[str(topic.id)]
        assert thread.replies == ()
        texts = [thread.question.body, thread.answer.body if thread.answer else ""]
        assert all("watch list" not in text for text in texts)


def test_topics_out_of_public_view_are_removed_even_when_a_key_shows_them(serve: Serve) -> None:
    fake = serve()
    public = fake.add_topic("Roaming charges")
    unlisted = fake.add_topic("Unlisted", visible=False)
    private = fake.add_topic("Escalated", category_id=5)
    child_of_private = fake.add_topic("Escalated further", category_id=6)
    grandchild = fake.add_topic("Complaint", category_id=7)
    message = fake.add_topic("Your account", archetype="private_message")

    staff = run(source_for(fake, staff=True), full=True)
    anonymous = run(source_for(fake), full=True)

    assert list(threads(staff)) == list(threads(anonymous)) == [str(public.id)]
    assert removals(staff) == {
        str(unlisted.id): "unlisted",
        str(private.id): "private category",
        str(child_of_private.id): "private category",
        str(grandchild.id): "private category",
        str(message.id): "personal message",
    }
    assert removals(anonymous) == {}  # Anyone's lists never show them at all.


def test_a_hidden_question_or_accepted_answer_removes_the_thread(serve: Serve) -> None:
    fake = serve()
    question = fake.add_topic("Hidden question")
    fake.post(question.id, 1).hidden = True
    answer = fake.add_topic("Deleted answer", accepted=3)
    fake.post(answer.id, 3).deleted = True

    changes = run(source_for(fake, staff=True))

    assert threads(changes) == {}
    assert removals(changes) == {
        str(question.id): "question hidden or deleted",
        str(answer.id): "accepted answer hidden or deleted",
    }


def test_a_full_run_leaves_out_topics_no_longer_solved_or_public(serve: Serve) -> None:
    fake = serve(topics=40)
    first = source_for(fake)
    run(first, full=True)
    gone = sorted(first.known_ids() or set(), key=int)[:3]
    fake.change(int(gone[0]), accepted=None)
    fake.change(int(gone[1]), deleted=True)
    fake.change(int(gone[2]), category_id=5)

    again = source_for(fake)
    run(again, full=True)

    assert again.known_ids() == (first.known_ids() or set()) - set(gone)


def test_a_topic_made_private_and_bumped_is_removed_incrementally(serve: Serve) -> None:
    fake = serve(topics=40)
    first = source_for(fake, staff=True)
    imported = threads(run(first, full=True))
    moved = next(iter(imported))
    fake.change(int(moved), category_id=5, bump=True)

    changes = run(source_for(fake, staff=True), first.cursor())

    assert changes == [Removal(SourceKind.DISCOURSE, moved, "private category")]


def test_only_the_configured_categories_and_their_subcategories_are_imported(
    serve: Serve,
) -> None:
    fake = serve()
    fake.add_topic("Bill", category_id=1)
    broadband = fake.add_topic("Slow fibre", category_id=2)
    outage = fake.add_topic("Outage in Leeds", category_id=4)

    found = threads(run(source_for(fake, categories=["broadband-and-wifi"])))

    assert set(found) == {str(broadband.id), str(outage.id)}
    assert found[str(outage.id)].source_category == "outages"


def test_links_to_other_topics_and_images_are_collected(serve: Serve) -> None:
    fake = serve()
    other = fake.add_topic("Other topic")
    topic = fake.add_topic("With links", posts=2)
    fake.post(topic.id, 1).cooked = (
        f'<p><a href="/t/other-topic/{other.id}/3?u=x">see</a> '
        f'<a href="{fake.url}/t/{other.id}">again</a> '
        f'<a href="/t/with-links/{topic.id}">myself</a> '
        '<a href="https://elsewhere.example/t/x/9">not ours</a></p>'
        '<img src="/uploads/default/original/1X/abc.png">'
        '<img src="/images/emoji/twitter/smile.png?v=12" class="emoji">'
        '<img src="data:image/png;base64,AAAA">'
    )

    thread = threads(run(source_for(fake)))[str(topic.id)]

    assert thread.links == (f"{fake.url}/t/{other.id}",)  # One topic, one canonical address.
    assert thread.images == (f"{fake.url}/uploads/default/original/1X/abc.png",)


def test_references_follow_a_forum_in_a_subfolder() -> None:
    base = "https://example.com/forum"
    html = '<a href="/forum/t/refunds/12/2">x</a><a href="/t/other/13">outside</a>'
    assert references([html], base, "1") == ((f"{base}/t/12",), ())


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("3", 3.0),
        ("0.5", 0.5),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # In the past: no wait.
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_is_seconds_or_a_date(header: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header) == seconds


def test_tags_and_dates_come_from_the_topic(serve: Serve) -> None:
    fake = serve()
    topic = fake.add_topic("Tagged", tags=("wifi", "router"))

    thread = threads(run(source_for(fake)))[str(topic.id)]

    assert thread.tags == ("wifi", "router")
    assert thread.created_at == topic.created_at


def test_fetching_is_concurrent_but_bounded(serve: Serve) -> None:
    fake = serve(topics=60)
    fake.delay(0.05, times=1000, path="/t/")

    run(source_for(fake, concurrency=3), full=True)

    assert 2 <= fake.max_in_flight <= 3 + 1  # The workers, and the listing running ahead.


# --- incremental sync ----------------------------------------------------------------------


def test_an_unchanged_forum_costs_one_request(serve: Serve) -> None:
    fake = serve(topics=300)
    first = source_for(fake)
    run(first, full=True)
    cursor = first.cursor()
    fake.reset_log()

    again = source_for(fake)
    changes = run(again, cursor)

    assert changes == []
    assert again.requests_made == len(fake.requests) == 1
    assert again.requests_made <= math.ceil(300 / PAGE_SIZE)
    assert again.cursor() == cursor
    assert again.known_ids() is None


def test_a_bumped_topic_is_yielded_again_and_moves_the_cursor(serve: Serve) -> None:
    fake = serve(topics=100)
    first = source_for(fake)
    imported = threads(run(first, full=True))
    oldest = list(imported)[-1]
    fake.bump(int(oldest))
    fake.reset_log()

    again = source_for(fake)
    changes = run(again, first.cursor())

    assert list(threads(changes)) == [oldest]
    assert again.cursor().value > first.cursor().value
    assert [r.path for r in fake.requests][:2] == ["/latest.json", "/categories.json"]
    assert list_requests(fake) == [0]


def test_a_pinned_old_topic_does_not_end_the_listing_early(serve: Serve) -> None:
    fake = serve(topics=40)
    first = source_for(fake)
    imported = list(threads(run(first, full=True)))
    fake.change(int(imported[-1]), pinned=True)
    new = fake.add_topic("Brand new")

    changes = run(source_for(fake), first.cursor())

    assert list(threads(changes)) == [str(new.id)]


def test_a_run_cut_short_by_its_limit_keeps_the_old_cursor(serve: Serve) -> None:
    fake = serve(topics=100)
    source = source_for(fake)

    changes = run(source, Cursor("2020-01-01T00:00:00Z"), full=True, limit=5)

    assert len(threads(changes)) == 5
    assert source.cursor() == Cursor("2020-01-01T00:00:00Z")
    assert source.known_ids() is None


def test_a_run_the_caller_abandons_keeps_the_old_cursor(serve: Serve) -> None:
    fake = serve(topics=60)
    source = source_for(fake)
    changes = source.changes(Cursor("2020-01-01T00:00:00Z"), full=False, limit=None)
    assert isinstance(changes, Generator)
    next(changes)
    changes.close()

    assert source.cursor() == Cursor("2020-01-01T00:00:00Z")


# --- politeness and failures ---------------------------------------------------------------


@pytest.mark.parametrize(
    "how", [{"retry_after": "1"}, {"wait_seconds": 1}], ids=["retry-after", "wait-seconds"]
)
def test_a_429_is_waited_out(serve: Serve, how: dict[str, Any]) -> None:
    fake = serve()
    topic = fake.add_topic("Slow down")
    fake.fail(429, path="/t/", **how)

    started = time.monotonic()
    found = threads(run(source_for(fake)))
    took = time.monotonic() - started

    assert list(found) == [str(topic.id)]
    assert took >= 1.0
    statuses = [(r.path, r.status) for r in fake.requests if r.path.startswith("/t/")]
    assert statuses == [(f"/t/{topic.id}.json", 429), (f"/t/{topic.id}.json", 200)]
    retried = [r.at for r in fake.requests if r.path.startswith("/t/")]
    assert retried[1] - retried[0] >= 1.0


def test_a_500_is_retried(serve: Serve) -> None:
    fake = serve(topics=10)
    fake.fail(500, times=2, path="/latest.json")

    source = source_for(fake)
    found = threads(run(source, full=True))

    assert len(found) == len(fake.solved_public())
    assert [r.status for r in fake.requests[:3]] == [500, 500, 200]


def test_a_persistent_500_stops_the_run_with_a_clear_error(serve: Serve) -> None:
    fake = serve(topics=10)
    fake.fail(500, times=100, path="/latest.json")

    source = source_for(fake, attempts=3)
    with pytest.raises(CarebaseError) as caught:
        run(source, full=True)

    message = str(caught.value)
    assert message.startswith(f"Discourse at {fake.url}: GET /latest.json?solved=yes answered 500")
    assert "3 attempts" in message and "try again later" in message
    assert len(fake.requests) == 3
    assert source.cursor() == Cursor()


def test_a_slow_answer_is_a_timeout(serve: Serve) -> None:
    fake = serve(topics=10)
    fake.delay(1.0, times=2, path="/latest.json")

    with pytest.raises(CarebaseError, match=r"did not answer within 0\.2 s \(2 attempts\)"):
        run(source_for(fake, timeout=0.2, attempts=2), full=True)


def test_a_refused_key_is_reported_without_the_key(serve: Serve) -> None:
    fake = serve(topics=5, api_key="the-right-key")
    source = DiscourseSource(fake.url, api_key="super-secret-token", api_username="system")

    with pytest.raises(CarebaseError) as caught:
        run(source)

    assert "CAREBASE_DISCOURSE_API_KEY" in str(caught.value)
    assert "super-secret-token" not in str(caught.value)


def test_tokens_never_appear_in_errors(serve: Serve) -> None:
    fake = serve(topics=5, api_key="super-secret-token")
    fake.fail(503, times=100)
    source = source_for(fake, staff=True, attempts=2)

    with pytest.raises(CarebaseError) as caught:
        run(source)

    assert "503" in str(caught.value)
    assert "super-secret-token" not in str(caught.value)
    assert all(request.staff for request in fake.requests)


def test_an_unreachable_forum_is_a_clear_error(serve: Serve) -> None:
    fake = serve()
    url = fake.url
    fake_port_closed = url.rsplit(":", 1)[0] + ":9"  # The discard port: nothing listens.
    source = DiscourseSource(fake_port_closed, attempts=1, timeout=2)

    with pytest.raises(CarebaseError, match="could not be reached"):
        run(source)


def test_something_that_is_not_discourse_is_named(serve: Serve) -> None:
    fake = serve()
    source = DiscourseSource(fake.url + "/nowhere", attempts=1)

    with pytest.raises(CarebaseError, match="is this the address of a Discourse forum"):
        run(source)


# --- through the engine --------------------------------------------------------------------


def test_through_the_engine_an_unchanged_forum_writes_nothing(
    serve: Serve, make_project: ProjectFactory
) -> None:
    fake = serve(topics=60)
    project = load_project(make_project() / "mkdocs.yml")
    settings = ImportSettings(
        categories={"billing-and-payments": "billing", "broadband-and-wifi": "broadband"},
        default_category="broadband",
    )

    first = sync(source_for(fake), project, settings, full=True)
    assert not first.failed, first.details()
    assert first.count(Action.ADDED) == len(fake.solved_public())
    before = {path: path.stat().st_mtime_ns for path in project.docs_dir.rglob("*")}
    fake.reset_log()

    again = sync(source_for(fake), project, settings)

    assert again.count(Action.UNCHANGED) == 0
    assert [again.count(a) for a in (Action.ADDED, Action.UPDATED, Action.REMOVED)] == [0, 0, 0]
    assert len(fake.requests) == 1
    assert {path: path.stat().st_mtime_ns for path in project.docs_dir.rglob("*")} == before
