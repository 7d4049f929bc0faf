"""Posting to an X account through tweepy, redirected to a fake X API on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import pytest

from carebase.announce.model import (
    Duplicate,
    Message,
    NetworkKind,
    RateLimited,
    Rejected,
    SendError,
    Transient,
)
from carebase.announce.networks.x import XAccount, connect
from carebase.announce.settings import XOptions
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
from tests.fakes.social import closed_port_url, make_message
from tests.fakes.x import FakeX

SECRETS = {
    "CAREBASE_TEST_X_API_KEY": "key-SECRET-x-123456",
    "CAREBASE_TEST_X_API_SECRET": "keysecret-SECRET-x-123456",
    "CAREBASE_TEST_X_ACCESS_TOKEN": "tok-SECRET-x-123456",
    "CAREBASE_TEST_X_ACCESS_SECRET": "toksecret-SECRET-x-123456",
}


def message_of(revision: str, lead: str = "New FAQ") -> Message:
    """The post of ``revision`` of the refunds FAQ, its tracked link in the text."""
    link = make_message(NetworkKind.X, revision=revision).link
    text = f"{lead}: How to get a refund {link} #billing"
    return make_message(NetworkKind.X, revision=revision, text=text, link_text=link)


MESSAGE = message_of("r1")


@pytest.fixture
def api() -> Iterator[FakeX]:
    fake = FakeX(
        consumer_key=SECRETS["CAREBASE_TEST_X_API_KEY"],
        access_token=SECRETS["CAREBASE_TEST_X_ACCESS_TOKEN"],
    )
    with fake.running():
        yield fake


def account_for(url: str, monkeypatch: pytest.MonkeyPatch, **changed: str) -> XAccount:
    for name, value in {**SECRETS, **changed}.items():
        monkeypatch.setenv(name, value)
    options = XOptions(
        enabled=True,
        url=url,
        api_key_env="CAREBASE_TEST_X_API_KEY",
        api_secret_env="CAREBASE_TEST_X_API_SECRET",
        access_token_env="CAREBASE_TEST_X_ACCESS_TOKEN",
        access_secret_env="CAREBASE_TEST_X_ACCESS_SECRET",
        timeout=0.5,
    )
    return connect(options, "x-en")


@pytest.fixture
def account(api: FakeX, monkeypatch: pytest.MonkeyPatch) -> Iterator[XAccount]:
    network = account_for(api.url, monkeypatch)
    yield network
    network.close()


def assert_no_secret(error: SendError) -> None:
    for value in SECRETS.values():
        assert value not in str(error)
    assert "\n" not in str(error)


def test_a_post_is_made_once_with_its_text(api: FakeX, account: XAccount):
    post_id = account.send(MESSAGE)

    assert [(post["id"], post["text"]) for post in api.posts] == [(post_id, MESSAGE.text)]
    [request] = api.sent("POST")
    assert request.path == "/2/tweets"
    assert request.body == {"text": MESSAGE.text}
    assert request.headers["authorization"].startswith("OAuth ")


def test_the_same_text_again_is_a_duplicate_with_the_originals_id(api: FakeX, account: XAccount):
    post_id = account.send(MESSAGE)

    with pytest.raises(Duplicate) as raised:
        account.send(MESSAGE)
    assert raised.value.remote_id == post_id
    assert "duplicate content" in str(raised.value)
    assert len(api.posts) == 1
    assert_no_secret(raised.value)


def test_a_duplicate_whose_original_cannot_be_found_has_no_id(api: FakeX, account: XAccount):
    api.fail(403, body={"detail": "You are not allowed to create a Tweet with duplicate content."})

    with pytest.raises(Duplicate) as raised:
        account.send(MESSAGE)
    assert raised.value.remote_id is None


def test_a_429_is_a_rate_limit_until_the_window_resets(api: FakeX, account: XAccount):
    api.rate_limit(120)

    with pytest.raises(RateLimited) as raised:
        account.send(MESSAGE)
    assert raised.value.retry_after is not None
    assert 100 < raised.value.retry_after <= 121
    assert api.posts == []
    assert_no_secret(raised.value)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_transient_and_maybe_sent(api: FakeX, account: XAccount, status: int):
    api.fail(status)

    with pytest.raises(Transient) as raised:
        account.send(MESSAGE)
    assert raised.value.maybe_sent
    assert_no_secret(raised.value)


def test_no_answer_in_time_is_transient_and_maybe_sent(api: FakeX, account: XAccount):
    api.delay(1.0)

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
    assert_no_secret(raised.value)


def test_wrong_credentials_are_rejected_without_showing_them(
    api: FakeX, monkeypatch: pytest.MonkeyPatch
):
    wrong = "tok-SECRET-x-wrong-654321"
    with (
        closing(account_for(api.url, monkeypatch, CAREBASE_TEST_X_ACCESS_TOKEN=wrong)) as network,
        pytest.raises(Rejected) as raised,
    ):
        network.send(MESSAGE)
    assert "401" in str(raised.value)
    assert wrong not in str(raised.value)
    assert_no_secret(raised.value)
    assert api.posts == []


@pytest.mark.parametrize("status", [400, 403])
def test_a_refusal_is_rejected(api: FakeX, account: XAccount, status: int):
    api.fail(status)

    with pytest.raises(Rejected) as raised:
        account.send(MESSAGE)
    assert str(status) in str(raised.value)


def test_find_returns_an_earlier_post_by_its_expanded_link(api: FakeX, account: XAccount):
    post_id = account.send(MESSAGE)
    account.send(make_message(NetworkKind.X, text="Another: https://help.example.com/other/"))

    assert account.find(MESSAGE) == post_id
    [timeline] = [r for r in api.sent("GET") if r.path.endswith("/tweets")]
    assert timeline.query["max_results"] == "50"
    assert (
        account.find(make_message(NetworkKind.X, link="https://elsewhere/?utm_content=r1")) is None
    )


def test_find_recognises_a_post_without_links_by_its_text(api: FakeX, account: XAccount):
    plain = make_message(NetworkKind.X, text="Our phone lines are busy today.", link="")
    post_id = account.send(plain)

    assert account.find(plain) == post_id


@pytest.mark.parametrize("case", POSTING, ids=str)
def test_every_fault_of_posting_is_mapped_and_find_tells_the_truth(
    api: FakeX, account: XAccount, case: Case
):
    assert_no_secret(check_posting(case, api, account, MESSAGE, "POST /2/tweets"))


@pytest.mark.parametrize("case", LOOKUP, ids=str)
def test_every_fault_of_the_look_up_is_mapped(api: FakeX, account: XAccount, case: Case):
    account.send(MESSAGE)

    assert_no_secret(check_lookup(case, api, account, MESSAGE, "GET /2/users/"))


def test_a_look_up_with_wrong_credentials_is_rejected(api: FakeX, monkeypatch: pytest.MonkeyPatch):
    wrong = "tok-SECRET-x-wrong-654321"
    with (
        closing(account_for(api.url, monkeypatch, CAREBASE_TEST_X_ACCESS_TOKEN=wrong)) as network,
        pytest.raises(Rejected) as raised,
    ):
        network.find(MESSAGE)
    assert "401" in str(raised.value)
    assert_no_secret(raised.value)


def test_find_takes_only_this_revisions_post(api: FakeX, account: XAccount):
    check_found_by_revision(account, message_of("r1"), message_of("r2", "Updated FAQ"))


def test_untracked_find_compares_the_text_with_its_links_expanded(api: FakeX, account: XAccount):
    first, update = untracked(NetworkKind.X)
    check_found_by_revision(account, first, update)

    [listed] = api.listed(entities=True)
    assert first.link not in listed["text"], "X lists links as t.co addresses"


def test_an_unknown_host_was_not_sent(monkeypatch: pytest.MonkeyPatch):
    with closing(account_for("http://carebase-test.invalid", monkeypatch)) as network:
        check_not_sent(network, MESSAGE)
