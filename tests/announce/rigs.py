"""Every network's real client pointed at its fake, for tests that run whole announcements."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from tests.fakes import social
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.mastodon import FakeMastodon

TOKENS = {
    "CAREBASE_MASTODON_TOKEN": "tok-SECRET-mastodon-4711",
    "CAREBASE_BLUESKY_APP_PASSWORD": "tok-SECRET-bluesky-4712",
    "CAREBASE_FACEBOOK_PAGE_TOKEN": "tok-SECRET-facebook-4713",
    "CAREBASE_LINKEDIN_TOKEN": "tok-SECRET-linkedin-4714",
    "CAREBASE_X_API_KEY": "tok-SECRET-xkey-4715",
    "CAREBASE_X_API_SECRET": "tok-SECRET-xsecret-4716",
    "CAREBASE_X_ACCESS_TOKEN": "tok-SECRET-xaccess-4717",
    "CAREBASE_X_ACCESS_SECRET": "tok-SECRET-xaccsecret-4718",
}
"""Distinctive credentials: tests assert none of them is ever printed."""
SLACK_TOKEN = "SECRETslackhook4719xyz"
DISCORD_TOKEN = "SECRET-discord-hook-4720"


@dataclass
class Rig:
    """One network: its options for ``carebase/announce``, and its fake."""

    name: str
    options: dict[str, Any]
    fake: Any

    def posts_of(self, page_path: str) -> int:
        """How many posts on the fake link to ``page_path``."""
        return sum(1 for post in self.fake.posts if page_path in json.dumps(post))

    @property
    def reconciles(self) -> bool:
        return self.options["kind"] not in {"slack", "discord"}


def _x_rig(stack: ExitStack, timeout: float) -> Rig:
    from tests.fakes.x import FakeX

    fake = stack.enter_context(
        FakeX(
            consumer_key=TOKENS["CAREBASE_X_API_KEY"],
            access_token=TOKENS["CAREBASE_X_ACCESS_TOKEN"],
        ).running()
    )
    return Rig("x", {"kind": "x", "enabled": True, "url": fake.url, "timeout": timeout}, fake)


@contextmanager
def rigs(monkeypatch: pytest.MonkeyPatch, timeout: float = 2.0) -> Iterator[list[Rig]]:
    """Every network's fake running, its credentials in the environment."""
    for name, value in TOKENS.items():
        monkeypatch.setenv(name, value)
    with ExitStack() as stack:

        def start(fake: Any) -> Any:
            return stack.enter_context(fake.running())

        mastodon = start(FakeMastodon(token=TOKENS["CAREBASE_MASTODON_TOKEN"]))
        bluesky = start(FakeBluesky(password=TOKENS["CAREBASE_BLUESKY_APP_PASSWORD"]))
        facebook = start(social.FakeFacebook(token=TOKENS["CAREBASE_FACEBOOK_PAGE_TOKEN"]))
        linkedin = start(social.FakeLinkedIn(token=TOKENS["CAREBASE_LINKEDIN_TOKEN"]))
        slack = start(social.FakeSlack(token=SLACK_TOKEN))
        discord = start(social.FakeDiscord(token=DISCORD_TOKEN))
        monkeypatch.setenv("CAREBASE_SLACK_WEBHOOK_URL", slack.webhook_url)
        monkeypatch.setenv("CAREBASE_DISCORD_WEBHOOK_URL", discord.webhook_url)
        found = [
            Rig("mastodon", {"kind": "mastodon", "url": mastodon.url}, mastodon),
            Rig(
                "bluesky", {"kind": "bluesky", "handle": bluesky.user, "url": bluesky.url}, bluesky
            ),
            Rig(
                "facebook",
                {"kind": "facebook", "page_id": facebook.page_id, "url": facebook.url},
                facebook,
            ),
            Rig(
                "linkedin",
                {"kind": "linkedin", "organization": linkedin.organization, "url": linkedin.url},
                linkedin,
            ),
            Rig("slack", {"kind": "slack"}, slack),
            Rig("discord", {"kind": "discord"}, discord),
        ]
        found.append(_x_rig(stack, timeout))
        for rig in found:
            rig.options.setdefault("timeout", timeout)
        yield found


def secrets_in(text: str) -> list[str]:
    """The test credentials that appear in ``text``."""
    values = [*TOKENS.values(), SLACK_TOKEN, DISCORD_TOKEN]
    return [value for value in values if value in text]


Inject = Callable[[Rig], None]
