"""Posting to a Mastodon account through Mastodon.py, against a fake instance on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest

from carebase.announce.model import (
    Message,
    NetworkKind,
    RateLimited,
    Rejected,
    SendError,
    Transient,
)
from carebase.announce.networks.mastodon import MastodonAccount, connect, links_of
from carebase.announce.settings import MastodonOptions
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
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.social import closed_port_url, make_message

TOKEN = "tok-SECRET-mastodon-123456"
ENV = "CAREBASE_TEST_MASTODON_TOKEN"


def message_of(revision: str, lead: str = "New FAQ", **fields: Any) -> Message:
    """The status of ``revision`` of the refunds FAQ, its tracked link in the text."""
    link = make_message(NetworkKind.MASTODON, revision=revision).link
    text = f"{lead}: How to get a refund {link} #billing"
    return make_message(
        NetworkKind.MASTODON, revision=revision, text=text, link_text=link, **fields
    )


MESSAGE = message_of("r1")


@pytest.fixture
def instance() -> Iterator[FakeMastodon]:
    with FakeMastodon(token=TOKEN).running() as fake:
        yield fake


def account_for(url: str, monkeypatch: pytest.MonkeyPatch, token: str = TOKEN) -> MastodonAccount:
    monkeypatch.setenv(ENV, token)
    options = MastodonOptions(url=url, token_env=ENV, timeout=0.5, visibility="unlisted")
    return connect(options, "mastodon-en")


@pytest.fixture
def account(instance: FakeMastodon, monkeypatch: pytest.MonkeyPatch) -> Iterator[MastodonAccount]:
    network = account_for(instance.url, monkeypatch)
    yield network
    network.close()


def assert_no_secret(error: SendError) -> None:
    assert TOKEN not in str(error)
    assert "\n" not in str(error)


def test_a_status_is_posted_once_with_its_text_language_and_visibility(
    instance: FakeMastodon, account: MastodonAccount
):
    status_id = account.send(MESSAGE)

    [status] = instance.posts
    assert status["id"] == status_id
    assert status["text"] == MESSAGE.text
    assert status["language"] == "en"
    assert status["visibility"] == "unlisted"
    [request] = instance.statuses()
    assert request.headers["idempotency-key"] == MESSAGE.idempotency_key
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


def test_the_same_idempotency_key_twice_makes_one_status(
    instance: FakeMastodon, account: MastodonAccount
):
    first = account.send(MESSAGE)
    second = account.send(MESSAGE)

    assert first == second
    assert len(instance.posts) == 1
    assert len(instance.statuses()) == 2


def test_a_429_is_a_rate_limit_with_the_time_until_the_reset(
    instance: FakeMastodon, account: MastodonAccount
):
    instance.rate_limit(120)

    with pytest.raises(RateLimited) as raised:
        account.send(MESSAGE)
    assert raised.value.retry_after is not None
    assert 100 < raised.value.retry_after <= 121
    assert instance.posts == []
    assert_no_secret(raised.value)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_server_error_is_transient_and_maybe_sent(
    instance: FakeMastodon, account: MastodonAccount, status: int
):
    instance.fail(status)

    with pytest.raises(Transient) as raised:
        account.send(MESSAGE)
    assert raised.value.maybe_sent
    assert str(status) in str(raised.value)
    assert_no_secret(raised.value)


def test_no_answer_in_time_is_transient_and_maybe_sent(
    instance: FakeMastodon, account: MastodonAccount
):
    instance.delay(1.0)

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


def test_a_wrong_token_is_rejected_without_showing_it(
    instance: FakeMastodon, monkeypatch: pytest.MonkeyPatch
):
    with (
        closing(
            account_for(instance.url, monkeypatch, token="tok-SECRET-wrong-mastodon-654321")
        ) as network,
        pytest.raises(Rejected) as raised,
    ):
        network.send(MESSAGE)
    assert "401" in str(raised.value)
    assert ENV in str(raised.value)
    assert "tok-SECRET-wrong-mastodon-654321" not in str(raised.value)
    assert instance.posts == []


@pytest.mark.parametrize("status", [403, 404, 422])
def test_a_refusal_is_rejected(instance: FakeMastodon, account: MastodonAccount, status: int):
    instance.fail(status, body={"error": f"Validation failed ({status})"})

    with pytest.raises(Rejected) as raised:
        account.send(MESSAGE)
    assert str(status) in str(raised.value)
    assert_no_secret(raised.value)


@pytest.mark.parametrize("case", POSTING, ids=str)
def test_every_fault_of_posting_is_mapped_and_find_tells_the_truth(
    instance: FakeMastodon, account: MastodonAccount, case: Case
):
    error = check_posting(case, instance, account, MESSAGE, "POST /api/v1/statuses")
    assert_no_secret(error)


@pytest.mark.parametrize("case", LOOKUP, ids=str)
def test_every_fault_of_the_look_up_is_mapped(
    instance: FakeMastodon, account: MastodonAccount, case: Case
):
    account.send(MESSAGE)

    assert_no_secret(check_lookup(case, instance, account, MESSAGE, "GET /api/v1/accounts/"))


def test_a_resend_after_commit_then_500_makes_no_second_status(
    instance: FakeMastodon, account: MastodonAccount
):
    instance.commit_then_500()
    with pytest.raises(Transient):
        account.send(MESSAGE)

    assert account.send(MESSAGE) == instance.posts[0]["id"]
    assert len(instance.posts) == 1


def test_find_takes_only_this_revisions_status(instance: FakeMastodon, account: MastodonAccount):
    check_found_by_revision(account, message_of("r1"), message_of("r2", "Updated FAQ"))


def test_untracked_find_compares_the_text(instance: FakeMastodon, account: MastodonAccount):
    check_found_by_revision(account, *untracked(NetworkKind.MASTODON))


def test_the_fake_lists_statuses_as_mastodon_does(instance: FakeMastodon, account: MastodonAccount):
    account.send(MESSAGE)

    [status] = instance.listed()
    assert {"id", "uri", "url", "content", "card"} <= set(status)
    assert "text" not in status
    assert MESSAGE.link in links_of(status["content"])


def test_find_returns_an_earlier_status_by_its_link(
    instance: FakeMastodon, account: MastodonAccount
):
    status_id = account.send(MESSAGE)
    other = make_message(
        NetworkKind.MASTODON, text="Another page: https://help.example.com/other/", item_id="x@en"
    )
    account.send(other)

    assert account.find(MESSAGE) == status_id
    assert account.find(make_message(NetworkKind.MASTODON, link="https://elsewhere/")) is None


def test_find_passes_a_rate_limit_on(instance: FakeMastodon, account: MastodonAccount):
    instance.rate_limit(60, path="/statuses")

    with pytest.raises(RateLimited):
        account.find(MESSAGE)


def test_links_are_read_from_the_status_html():
    content = '<p>See <a href="https://a.example/x?utm_source=m&amp;b=1">a.example/x</a></p>'

    assert links_of(content) == {"https://a.example/x?utm_source=m&b=1"}


def test_an_unknown_host_was_not_sent(monkeypatch: pytest.MonkeyPatch):
    with closing(account_for("http://carebase-test.invalid", monkeypatch)) as network:
        check_not_sent(network, MESSAGE)


def test_a_look_up_with_a_wrong_token_is_rejected(
    instance: FakeMastodon, monkeypatch: pytest.MonkeyPatch
):
    with (
        closing(account_for(instance.url, monkeypatch, token="tok-SECRET-wrong-1")) as network,
        pytest.raises(Rejected, match="401"),
    ):
        network.find(MESSAGE)
