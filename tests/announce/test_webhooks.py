"""Posting to staff channels through Slack's and Discord's webhooks, against fakes on
127.0.0.1: the whole webhook URL is the secret."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing

import pytest

from carebase.announce.model import NetworkKind, RateLimited, Rejected, SendError, Transient
from carebase.announce.networks import discord, slack
from carebase.announce.networks.discord import DiscordWebhook
from carebase.announce.networks.slack import SlackWebhook
from carebase.announce.settings import DiscordOptions, SlackOptions
from tests.announce.faults import POSTING, Case, check_posting
from tests.fakes.social import FakeDiscord, FakeSlack, closed_port_url, make_message

SLACK_TOKEN = "SECRETslackHOOK123456"
DISCORD_TOKEN = "tok-SECRET-discord-123456"
SLACK_ENV = "CAREBASE_TEST_SLACK_WEBHOOK"
DISCORD_ENV = "CAREBASE_TEST_DISCORD_WEBHOOK"
SLACK_MESSAGE = make_message(
    NetworkKind.SLACK,
    text="New FAQ: Refunds & credits <in 5 days> https://help.example.com/kb/billing/refunds/",
)
DISCORD_MESSAGE = make_message(NetworkKind.DISCORD, text="New FAQ: Refunds @everyone")


def slack_for(url: str, monkeypatch: pytest.MonkeyPatch) -> SlackWebhook:
    monkeypatch.setenv(SLACK_ENV, url)
    return slack.connect(SlackOptions(webhook_env=SLACK_ENV, timeout=0.5), "slack-staff")


def discord_for(url: str, monkeypatch: pytest.MonkeyPatch) -> DiscordWebhook:
    monkeypatch.setenv(DISCORD_ENV, url)
    return discord.connect(DiscordOptions(webhook_env=DISCORD_ENV, timeout=0.5), "discord-staff")


@pytest.fixture
def slack_fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=SLACK_TOKEN).running() as fake:
        yield fake


@pytest.fixture
def slack_hook(slack_fake: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> Iterator[SlackWebhook]:
    with closing(slack_for(slack_fake.webhook_url, monkeypatch)) as hook:
        yield hook


@pytest.fixture
def discord_fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(token=DISCORD_TOKEN).running() as fake:
        yield fake


@pytest.fixture
def discord_hook(
    discord_fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> Iterator[DiscordWebhook]:
    with closing(discord_for(discord_fake.webhook_url, monkeypatch)) as hook:
        yield hook


# Slack


def test_slack_gets_the_text_once_escaped_as_mrkdwn(
    slack_fake: FakeSlack, slack_hook: SlackWebhook
) -> None:
    remote_id = slack_hook.send(SLACK_MESSAGE)

    escaped = (
        "New FAQ: Refunds &amp; credits &lt;in 5 days&gt; "
        "https://help.example.com/kb/billing/refunds/"
    )
    [request] = slack_fake.sent("POST")
    assert request.path == slack_fake.webhook_path
    assert request.body == {
        "text": escaped,
        "unfurl_links": True,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": escaped}}],
    }
    assert len(slack_fake.posts) == 1
    assert remote_id == f"slack:{SLACK_MESSAGE.idempotency_key}"


def test_slack_does_not_reconcile(slack_hook: SlackWebhook) -> None:
    assert slack_hook.reconciles is False
    assert slack_hook.find(SLACK_MESSAGE) is None


def test_slack_429_is_a_rate_limit_with_its_retry_after(
    slack_fake: FakeSlack, slack_hook: SlackWebhook
) -> None:
    slack_fake.fail(429, retry_after="30")

    with pytest.raises(RateLimited) as raised:
        slack_hook.send(SLACK_MESSAGE)
    assert raised.value.retry_after == 30


def test_slack_500_is_transient_and_maybe_sent(
    slack_fake: FakeSlack, slack_hook: SlackWebhook
) -> None:
    slack_fake.fail(500)

    with pytest.raises(Transient) as raised:
        slack_hook.send(SLACK_MESSAGE)
    assert raised.value.maybe_sent


def test_slack_late_answer_may_have_been_sent(
    slack_fake: FakeSlack, slack_hook: SlackWebhook
) -> None:
    slack_fake.delay(0.8)

    with pytest.raises(Transient) as raised:
        slack_hook.send(SLACK_MESSAGE)
    assert raised.value.maybe_sent


def test_slack_wrong_webhook_is_rejected(
    slack_fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook = slack_for(f"{slack_fake.url}/services/T000/B000/SECRETwrongHOOK999", monkeypatch)
    with closing(hook), pytest.raises(Rejected, match=r"404 no_service.*removed") as raised:
        hook.send(SLACK_MESSAGE)
    assert SLACK_ENV in str(raised.value)


def test_slack_archived_channel_is_rejected(
    slack_fake: FakeSlack, slack_hook: SlackWebhook
) -> None:
    slack_fake.archived = True

    with pytest.raises(Rejected, match="archived"):
        slack_hook.send(SLACK_MESSAGE)


def test_slack_refused_connection_was_not_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    hook = slack_for(f"{closed_port_url()}/services/T000/B000/{SLACK_TOKEN}", monkeypatch)
    with closing(hook), pytest.raises(Transient) as raised:
        hook.send(SLACK_MESSAGE)
    assert not raised.value.maybe_sent


# Discord


def test_discord_gets_the_message_once_with_an_embed_and_no_mentions(
    discord_fake: FakeDiscord, discord_hook: DiscordWebhook
) -> None:
    remote_id = discord_hook.send(DISCORD_MESSAGE)

    [request] = discord_fake.sent("POST")
    assert request.query == {"wait": "true"}
    assert request.body == {
        "content": DISCORD_MESSAGE.text,
        "allowed_mentions": {"parse": []},
        "embeds": [
            {
                "title": DISCORD_MESSAGE.title,
                "url": DISCORD_MESSAGE.link,
                "description": DISCORD_MESSAGE.description,
            }
        ],
    }
    assert remote_id == discord_fake.posts[0]["id"]
    assert len(discord_fake.posts) == 1


def test_discord_content_is_kept_within_2000_characters(
    discord_fake: FakeDiscord, discord_hook: DiscordWebhook
) -> None:
    discord_hook.send(make_message(NetworkKind.DISCORD, text="x" * 2500))

    assert len(discord_fake.posts[0]["content"]) == 2000


def test_discord_does_not_reconcile(discord_hook: DiscordWebhook) -> None:
    assert discord_hook.reconciles is False
    assert discord_hook.find(DISCORD_MESSAGE) is None


def test_discord_429_waits_the_body_retry_after(
    discord_fake: FakeDiscord, discord_hook: DiscordWebhook
) -> None:
    body = {"message": "You are being rate limited.", "retry_after": 2.75, "global": False}
    discord_fake.fail(429, body=body, retry_after="3")

    with pytest.raises(RateLimited) as raised:
        discord_hook.send(DISCORD_MESSAGE)
    assert raised.value.retry_after == 2.75


def test_discord_500_is_transient_and_maybe_sent(
    discord_fake: FakeDiscord, discord_hook: DiscordWebhook
) -> None:
    discord_fake.fail(500)

    with pytest.raises(Transient) as raised:
        discord_hook.send(DISCORD_MESSAGE)
    assert raised.value.maybe_sent


def test_discord_late_answer_may_have_been_sent(
    discord_fake: FakeDiscord, discord_hook: DiscordWebhook
) -> None:
    discord_fake.delay(0.8)

    with pytest.raises(Transient) as raised:
        discord_hook.send(DISCORD_MESSAGE)
    assert raised.value.maybe_sent


def test_discord_wrong_token_is_rejected(
    discord_fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"{discord_fake.url}/api/webhooks/{discord_fake.webhook_id}/tok-SECRET-discord-wrong"
    hook = discord_for(url, monkeypatch)
    with closing(hook), pytest.raises(Rejected, match="Invalid Webhook Token") as raised:
        hook.send(DISCORD_MESSAGE)
    assert DISCORD_ENV in str(raised.value)


# Neither shows its webhook URL


SLACK_FAULTS: dict[str, Callable[[FakeSlack], object]] = {
    "429": lambda fake: fake.fail(429, retry_after="5"),
    "500": lambda fake: fake.fail(500, body=f"error at {fake.webhook_url}".encode()),
    "timeout": lambda fake: fake.delay(0.8),
    "archived": lambda fake: setattr(fake, "archived", True),
}
DISCORD_FAULTS: dict[str, Callable[[FakeDiscord], object]] = {
    "429": lambda fake: fake.fail(429),
    "500": lambda fake: fake.fail(500, body={"message": f"failed {fake.webhook_url}"}),
    "timeout": lambda fake: fake.delay(0.8),
    "400": lambda fake: fake.fail(400, body={"message": f"bad token {DISCORD_TOKEN}"}),
}


@pytest.mark.parametrize("fault", SLACK_FAULTS)
def test_no_slack_error_shows_the_webhook(
    slack_fake: FakeSlack, slack_hook: SlackWebhook, fault: str
) -> None:
    SLACK_FAULTS[fault](slack_fake)

    with pytest.raises(SendError) as raised:
        slack_hook.send(SLACK_MESSAGE)
    text = str(raised.value)
    assert SLACK_TOKEN not in text
    assert slack_fake.url not in text
    assert "\n" not in text


@pytest.mark.parametrize("fault", DISCORD_FAULTS)
def test_no_discord_error_shows_the_webhook(
    discord_fake: FakeDiscord, discord_hook: DiscordWebhook, fault: str
) -> None:
    DISCORD_FAULTS[fault](discord_fake)

    with pytest.raises(SendError) as raised:
        discord_hook.send(DISCORD_MESSAGE)
    text = str(raised.value)
    assert DISCORD_TOKEN not in text
    assert discord_fake.url not in text
    assert "\n" not in text


@pytest.mark.parametrize("case", POSTING, ids=str)
def test_every_fault_of_a_slack_post_is_mapped(
    slack_fake: FakeSlack, slack_hook: SlackWebhook, case: Case
) -> None:
    error = check_posting(case, slack_fake, slack_hook, SLACK_MESSAGE, "POST /")
    assert SLACK_TOKEN not in str(error)


@pytest.mark.parametrize("case", POSTING, ids=str)
def test_every_fault_of_a_discord_post_is_mapped(
    discord_fake: FakeDiscord, discord_hook: DiscordWebhook, case: Case
) -> None:
    error = check_posting(case, discord_fake, discord_hook, DISCORD_MESSAGE, "POST /")
    assert DISCORD_TOKEN not in str(error)
