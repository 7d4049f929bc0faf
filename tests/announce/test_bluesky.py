"""Posting to a Bluesky account through atproto, against a fake PDS on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest

from carebase.announce.model import NetworkKind, RateLimited, Rejected, SendError, Transient
from carebase.announce.networks.bluesky import BlueskyAccount, connect, facets_of
from carebase.announce.settings import BlueskyOptions
from tests.announce.faults import (
    LOOKUP,
    POSTING,
    Case,
    check_found_by_revision,
    check_lookup,
    check_not_sent,
    check_posting,
    untracked,
)
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.social import closed_port_url, make_message

PASSWORD = "pw-SECRET-bluesky-123456"
ENV = "CAREBASE_TEST_BLUESKY_PASSWORD"
HANDLE = "carebase.test"
LINK = "https://help.example.com/es/kb/facturación/reembolsos/?utm_source=bluesky&utm_content=r1"
TEXT = (
    "Cómo pedir un reembolso 🧾 (für Kunden, año 2026): help.example.com/es/kb… #facturación #ayuda"
)
MESSAGE = make_message(
    NetworkKind.BLUESKY,
    text=TEXT,
    link=LINK,
    link_text="help.example.com/es/kb…",
    lang="es",
    title="Cómo pedir un reembolso",
    description="Los pasos, y cuánto tarda.",
    hashtags=("facturación", "ayuda"),
)


@pytest.fixture
def pds() -> Iterator[FakeBluesky]:
    with FakeBluesky(handle=HANDLE, password=PASSWORD).running() as fake:
        yield fake


def account_for(
    url: str, monkeypatch: pytest.MonkeyPatch, password: str = PASSWORD
) -> BlueskyAccount:
    monkeypatch.setenv(ENV, password)
    options = BlueskyOptions(handle=HANDLE, url=url, password_env=ENV, timeout=0.5)
    return connect(options, "bluesky-es")


@pytest.fixture
def account(pds: FakeBluesky, monkeypatch: pytest.MonkeyPatch) -> Iterator[BlueskyAccount]:
    network = account_for(pds.url, monkeypatch)
    yield network
    network.close()


def assert_no_secret(error: SendError) -> None:
    assert PASSWORD not in str(error)
    assert "\n" not in str(error)


def selected(text: str, facet: dict[str, object]) -> str:
    index = facet["index"]
    assert isinstance(index, dict)
    return text.encode()[index["byteStart"] : index["byteEnd"]].decode()


def test_a_post_is_made_once_with_its_text_language_and_uri(
    pds: FakeBluesky, account: BlueskyAccount
):
    uri = account.send(MESSAGE)

    [record] = pds.records()
    assert record["text"] == TEXT
    assert record["langs"] == ["es"]
    assert pds.posts[0]["uri"] == uri
    assert uri.startswith("at://")


def test_facets_select_the_link_text_and_hashtags_by_utf8_bytes(
    pds: FakeBluesky, account: BlueskyAccount
):
    account.send(MESSAGE)

    [record] = pds.records()
    chosen = {selected(record["text"], facet): facet["features"] for facet in record["facets"]}
    assert chosen == {
        "help.example.com/es/kb…": [{"$type": "app.bsky.richtext.facet#link", "uri": LINK}],
        "#facturación": [{"$type": "app.bsky.richtext.facet#tag", "tag": "facturación"}],
        "#ayuda": [{"$type": "app.bsky.richtext.facet#tag", "tag": "ayuda"}],
    }


def test_the_post_carries_a_link_card(pds: FakeBluesky, account: BlueskyAccount):
    account.send(MESSAGE)

    [record] = pds.records()
    assert record["embed"] == {
        "$type": "app.bsky.embed.external",
        "external": {
            "$type": "app.bsky.embed.external#external",
            "uri": LINK,
            "title": "Cómo pedir un reembolso",
            "description": "Los pasos, y cuánto tarda.",
        },
    }


def test_the_account_logs_in_once(pds: FakeBluesky, account: BlueskyAccount):
    account.send(MESSAGE)
    account.send(make_message(NetworkKind.BLUESKY, item_id="other@en"))
    account.find(MESSAGE)

    assert pds.sessions == 1


def test_a_429_is_a_rate_limit_until_the_window_resets(pds: FakeBluesky, account: BlueskyAccount):
    pds.rate_limit(120, path="createRecord")

    with pytest.raises(RateLimited) as raised:
        account.send(MESSAGE)
    assert raised.value.retry_after is not None
    assert 100 < raised.value.retry_after <= 121
    assert pds.posts == []
    assert_no_secret(raised.value)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_transient_and_maybe_sent(
    pds: FakeBluesky, account: BlueskyAccount, status: int
):
    pds.fail(status, path="createRecord")

    with pytest.raises(Transient) as raised:
        account.send(MESSAGE)
    assert raised.value.maybe_sent
    assert_no_secret(raised.value)


def test_no_answer_in_time_is_transient_and_maybe_sent(pds: FakeBluesky, account: BlueskyAccount):
    pds.delay(1.0, path="createRecord")

    with pytest.raises(Transient) as raised:
        account.send(MESSAGE)
    assert raised.value.maybe_sent
    assert_no_secret(raised.value)


def test_a_refused_connection_is_transient_and_not_sent(monkeypatch: pytest.MonkeyPatch):
    with (
        closing(account_for(closed_port_url(), monkeypatch)) as network,
        pytest.raises(Transient) as raised,
    ):
        network.send(MESSAGE)
    assert not raised.value.maybe_sent


def test_a_wrong_password_is_rejected_without_showing_it(
    pds: FakeBluesky, monkeypatch: pytest.MonkeyPatch
):
    pds.password = "pw-SECRET-the-right-one-999999"
    with closing(account_for(pds.url, monkeypatch)) as network, pytest.raises(Rejected) as raised:
        network.send(MESSAGE)
    assert "401" in str(raised.value)
    assert ENV in str(raised.value)
    assert_no_secret(raised.value)
    assert pds.posts == []


def test_a_bad_request_is_rejected(pds: FakeBluesky, account: BlueskyAccount):
    pds.fail(400, path="createRecord")

    with pytest.raises(Rejected) as raised:
        account.send(MESSAGE)
    assert_no_secret(raised.value)


POST_PATH = "POST /xrpc/com.atproto.repo.createRecord"
LOGIN_PATH = "POST /xrpc/com.atproto.server.createSession"


@pytest.mark.parametrize("case", POSTING, ids=str)
def test_every_fault_of_posting_is_mapped_and_find_tells_the_truth(
    pds: FakeBluesky, account: BlueskyAccount, case: Case
):
    assert_no_secret(check_posting(case, pds, account, MESSAGE, POST_PATH))


@pytest.mark.parametrize("case", LOOKUP, ids=str)
def test_every_fault_of_the_look_up_is_mapped(
    pds: FakeBluesky, account: BlueskyAccount, case: Case
):
    account.send(MESSAGE)

    error = check_lookup(case, pds, account, MESSAGE, "GET /xrpc/app.bsky.feed.getAuthorFeed")
    assert_no_secret(error)


def test_a_dropped_connection_is_an_outcome_not_a_crash(pds: FakeBluesky, account: BlueskyAccount):
    pds.drop(path=POST_PATH)

    with pytest.raises(Transient) as raised:
        account.send(MESSAGE)
    assert "disconnected" in str(raised.value)
    assert raised.value.maybe_sent


LOGIN_FAULTS = [
    ("401", lambda f: f.fail(401, path=LOGIN_PATH), Rejected),
    ("400", lambda f: f.fail(400, path=LOGIN_PATH), Rejected),
    ("takedown", lambda f: f.fail(401, body=TAKEDOWN, path=LOGIN_PATH), Rejected),
    ("500", lambda f: f.fail(500, path=LOGIN_PATH), Transient),
    ("502", lambda f: f.fail(502, path=LOGIN_PATH), Transient),
    ("drop", lambda f: f.drop(path=LOGIN_PATH), Transient),
    ("timeout", lambda f: f.delay(1.5, path=LOGIN_PATH), Transient),
]
TAKEDOWN = {"error": "AccountTakedown", "message": "Account has been taken down"}


@pytest.mark.parametrize(
    ("name", "inject", "error"), LOGIN_FAULTS, ids=[f[0] for f in LOGIN_FAULTS]
)
def test_a_failed_login_is_mapped_and_nothing_was_sent(
    pds: FakeBluesky, account: BlueskyAccount, name: str, inject: Any, error: type[SendError]
):
    inject(pds)

    with pytest.raises(SendError) as raised:
        account.send(MESSAGE)
    assert type(raised.value) is error
    assert not getattr(raised.value, "maybe_sent", False)
    assert pds.posts == []
    assert_no_secret(raised.value)
    assert account.send(MESSAGE) == pds.posts[0]["uri"], "the next attempt logs in again"


def test_find_takes_only_this_revisions_post(pds: FakeBluesky, account: BlueskyAccount):
    first, update = (make_message(NetworkKind.BLUESKY, revision=r) for r in ("r1", "r2"))
    check_found_by_revision(account, first, update)


def test_untracked_find_compares_the_text(pds: FakeBluesky, account: BlueskyAccount):
    check_found_by_revision(account, *untracked(NetworkKind.BLUESKY, link_in_text=False))


def test_find_returns_an_earlier_post_by_its_link(pds: FakeBluesky, account: BlueskyAccount):
    uri = account.send(MESSAGE)
    account.send(make_message(NetworkKind.BLUESKY, item_id="other@en"))

    assert account.find(MESSAGE) == uri
    assert (
        account.find(make_message(NetworkKind.BLUESKY, link="https://elsewhere/?utm_content=r1"))
        is None
    )


def test_facets_count_bytes_not_characters():
    text = "ñ 🎉 see example.com #tag"
    [link, tag] = facets_of(text, "example.com", "https://example.com/", ("tag",))

    data = text.encode()
    assert data[link.index.byte_start : link.index.byte_end] == b"example.com"
    assert data[tag.index.byte_start : tag.index.byte_end] == b"#tag"


def test_only_the_messages_hashtags_get_facets():
    facets = facets_of("Call #1 about #billing and #other", "", "", ("billing",))

    assert [f.features[0].tag for f in facets] == ["billing"]


def test_an_unknown_host_was_not_sent(monkeypatch: pytest.MonkeyPatch):
    with closing(account_for("http://carebase-test.invalid", monkeypatch)) as network:
        check_not_sent(network, MESSAGE)


def test_the_fake_lists_posts_as_bluesky_does(pds: FakeBluesky, account: BlueskyAccount):
    account.send(MESSAGE)
    login = {"identifier": HANDLE, "password": PASSWORD}
    with httpx.Client(base_url=f"{pds.url}/xrpc") as client:
        session = client.post("/com.atproto.server.createSession", json=login).json()
        auth = {"Authorization": f"Bearer {session['accessJwt']}"}
        feed = client.get("/app.bsky.feed.getAuthorFeed", params={"actor": HANDLE}, headers=auth)
        listed = client.get(
            "/com.atproto.repo.listRecords",
            params={"repo": HANDLE, "collection": "app.bsky.feed.post"},
            headers=auth,
        )

    [item] = feed.json()["feed"]
    post = item["post"]
    assert post["embed"]["$type"] == "app.bsky.embed.external#view"
    assert post["embed"]["external"]["uri"] == LINK
    assert post["record"]["embed"]["external"]["uri"] == LINK
    assert {"likeCount", "repostCount", "replyCount", "indexedAt"} <= set(post)
    [record] = listed.json()["records"]
    assert record["uri"] == post["uri"]
    assert [f["features"][0]["uri"] for f in record["value"]["facets"][:1]] == [LINK]
