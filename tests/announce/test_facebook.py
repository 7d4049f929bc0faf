"""Posting to a Facebook page through the Graph API, against a fake Graph on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import closing
from urllib.parse import urlencode

import httpx
import pytest

from carebase.announce.model import (
    Duplicate,
    NetworkKind,
    RateLimited,
    Rejected,
    SendError,
    Transient,
)
from carebase.announce.networks.facebook import (
    FEED_FIELDS,
    FacebookPage,
    attachment_links,
    connect,
)
from carebase.announce.settings import FacebookOptions
from tests.announce.faults import (
    LOOKUP,
    POSTING,
    Case,
    check_found_by_revision,
    check_lookup,
    check_posting,
    untracked,
)
from tests.fakes.social import FakeFacebook, closed_port_url, make_message

TOKEN = "tok-SECRET-facebook-123456"
PAGE = "1234567890"
ENV = "CAREBASE_TEST_FACEBOOK_TOKEN"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def graph() -> Iterator[FakeFacebook]:
    with FakeFacebook(page_id=PAGE, token=TOKEN).running() as fake:
        yield fake


def page_for(url: str, monkeypatch: pytest.MonkeyPatch, token: str = TOKEN) -> FacebookPage:
    monkeypatch.setenv(ENV, token)
    options = FacebookOptions(page_id=PAGE, url=f"{url}/v21.0", token_env=ENV, timeout=0.5)
    return connect(options, "facebook-en")


@pytest.fixture
def page(graph: FakeFacebook, monkeypatch: pytest.MonkeyPatch) -> Iterator[FacebookPage]:
    network = page_for(graph.url, monkeypatch)
    yield network
    network.close()


MESSAGE = make_message(NetworkKind.FACEBOOK)


def test_a_post_arrives_once_with_its_text_and_link(
    graph: FakeFacebook, page: FacebookPage
) -> None:
    post_id = page.send(MESSAGE)

    [request] = graph.sent("POST")
    assert request.path == f"/v21.0/{PAGE}/feed"
    assert request.body == {"message": MESSAGE.text, "link": MESSAGE.link}
    [post] = graph.posts
    assert (post["id"], post["message"]) == (post_id, MESSAGE.text)
    assert post["attachments"]["data"][0]["unshimmed_url"] == MESSAGE.link
    assert post_id.startswith(f"{PAGE}_")


def test_the_token_travels_in_a_header_never_in_the_address(
    graph: FakeFacebook, page: FacebookPage
) -> None:
    page.send(MESSAGE)

    [request] = graph.requests
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert "access_token" not in request.query
    assert "access_token" not in request.body


def test_a_429_is_a_rate_limit_with_its_retry_after(
    graph: FakeFacebook, page: FacebookPage
) -> None:
    graph.fail(429, retry_after="120")

    with pytest.raises(RateLimited) as raised:
        page.send(MESSAGE)
    assert raised.value.retry_after == 120
    assert graph.posts == []


def test_a_graph_rate_limit_code_waits_as_the_usage_header_says(
    graph: FakeFacebook, page: FacebookPage
) -> None:
    usage = {PAGE: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 5}]}
    graph.graph_fail(
        32, "Page request limit reached", headers={"X-Business-Use-Case-Usage": json.dumps(usage)}
    )

    with pytest.raises(RateLimited) as raised:
        page.send(MESSAGE)
    assert raised.value.retry_after == 300


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_transient_and_maybe_sent(
    graph: FakeFacebook, page: FacebookPage, status: int
) -> None:
    graph.fail(status)

    with pytest.raises(Transient) as raised:
        page.send(MESSAGE)
    assert raised.value.maybe_sent


def test_a_late_answer_is_transient_and_may_have_been_sent(
    graph: FakeFacebook, page: FacebookPage
) -> None:
    graph.delay(0.8)

    with pytest.raises(Transient) as raised:
        page.send(MESSAGE)
    assert raised.value.maybe_sent


def test_a_refused_connection_was_not_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    with (
        closing(page_for(closed_port_url(), monkeypatch)) as network,
        pytest.raises(Transient) as raised,
    ):
        network.send(MESSAGE)
    assert not raised.value.maybe_sent


def test_a_wrong_token_is_rejected_naming_the_variable(
    graph: FakeFacebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "tok-SECRET-facebook-wrong-999"
    with (
        closing(page_for(graph.url, monkeypatch, wrong)) as network,
        pytest.raises(Rejected) as raised,
    ):
        network.send(MESSAGE)
    assert "#190" in str(raised.value)
    assert ENV in str(raised.value)
    assert graph.posts == []


def test_missing_permissions_are_rejected(graph: FakeFacebook, page: FacebookPage) -> None:
    graph.graph_fail(200, "(#200) The user hasn't authorized the application", status=403)

    with pytest.raises(Rejected, match="pages_manage_posts"):
        page.send(MESSAGE)


def test_an_identical_message_is_a_duplicate(graph: FakeFacebook, page: FacebookPage) -> None:
    page.send(MESSAGE)

    with pytest.raises(Duplicate, match="Duplicate status message"):
        page.send(MESSAGE)
    assert len(graph.posts) == 1


def test_find_answers_an_earlier_post_by_its_link(graph: FakeFacebook, page: FacebookPage) -> None:
    other = make_message(NetworkKind.FACEBOOK, text="Another", link="https://help.example.com/b/")
    post_id = page.send(MESSAGE)
    page.send(other)

    assert page.find(MESSAGE) == post_id
    [lookup, *_] = graph.sent("GET")
    assert lookup.path == f"/v21.0/{PAGE}/published_posts"
    assert lookup.query == {"fields": FEED_FIELDS, "limit": "25"}


def test_the_fake_feed_has_graphs_fields_and_no_link(graph: FakeFacebook, page: FacebookPage):
    page.send(MESSAGE)
    with httpx.Client(base_url=f"{graph.url}/v21.0", headers=AUTH) as client:
        listed = client.get(f"/{PAGE}/feed", params={"fields": FEED_FIELDS}).json()
        refused = client.get(f"/{PAGE}/feed", params={"fields": "id,message,link"})

    [post] = listed["data"]
    assert set(post) == {"id", "message", "created_time", "permalink_url", "attachments"}
    [card] = post["attachments"]["data"]
    assert card["url"].startswith("https://l.facebook.com/l.php?u=")
    assert card["target"]["url"] == card["url"]
    assert card["unshimmed_url"] == MESSAGE.link
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == 12


def test_find_reads_the_shimmed_link_when_unshimmed_url_is_missing() -> None:
    shimmed = "https://l.facebook.com/l.php?" + urlencode({"u": MESSAGE.link, "h": "AT1"})
    post = {"id": "1_2", "attachments": {"data": [{"url": shimmed, "target": {"url": shimmed}}]}}

    assert attachment_links(post) == {MESSAGE.link}


def test_find_takes_only_this_revisions_post(graph: FakeFacebook, page: FacebookPage) -> None:
    first, update = (make_message(NetworkKind.FACEBOOK, revision=r) for r in ("r1", "r2"))
    check_found_by_revision(page, first, update)


def test_untracked_find_compares_the_message(graph: FakeFacebook, page: FacebookPage) -> None:
    check_found_by_revision(page, *untracked(NetworkKind.FACEBOOK, link_in_text=False))


@pytest.mark.parametrize("case", POSTING, ids=str)
def test_every_fault_of_posting_is_mapped_and_find_tells_the_truth(
    graph: FakeFacebook, page: FacebookPage, case: Case
) -> None:
    error = check_posting(case, graph, page, MESSAGE, "POST /")
    assert TOKEN not in str(error)


@pytest.mark.parametrize("case", LOOKUP, ids=str)
def test_every_fault_of_the_look_up_is_mapped(
    graph: FakeFacebook, page: FacebookPage, case: Case
) -> None:
    page.send(MESSAGE)

    assert TOKEN not in str(check_lookup(case, graph, page, MESSAGE, "GET /"))


def test_a_look_up_with_a_wrong_token_is_rejected(
    graph: FakeFacebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        closing(page_for(graph.url, monkeypatch, "tok-SECRET-facebook-wrong-999")) as network,
        pytest.raises(Rejected, match="#190"),
    ):
        network.find(MESSAGE)


def test_find_answers_none_without_such_a_post(graph: FakeFacebook, page: FacebookPage) -> None:
    page.send(make_message(NetworkKind.FACEBOOK, link="https://help.example.com/other/"))

    assert page.find(MESSAGE) is None


FAULTS: dict[str, Callable[[FakeFacebook], object]] = {
    "429": lambda fake: fake.fail(429, retry_after="5"),
    "500": lambda fake: fake.fail(500),
    "timeout": lambda fake: fake.delay(0.8),
    "graph 190": lambda fake: fake.graph_fail(190, f"Bad token {TOKEN}"),
    "duplicate": lambda fake: fake.graph_fail(506, "Duplicate status message"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_no_error_shows_the_token(graph: FakeFacebook, page: FacebookPage, fault: str) -> None:
    FAULTS[fault](graph)

    with pytest.raises(SendError) as raised:
        page.send(MESSAGE)
    assert TOKEN not in str(raised.value)
    assert "\n" not in str(raised.value)
