"""What Slack's and Discord's incoming webhooks share: the whole URL is the secret, and nothing
can be asked of them afterwards, so the announcer never reconciles a webhook post (an attempt
interrupted mid-way is reported, not repeated)."""

from __future__ import annotations

from typing import ClassVar, TypeVar
from urllib.parse import urlsplit

import httpx

from carebase.announce.model import Message
from carebase.announce.secrets import remember, secret
from carebase.announce.settings import DiscordOptions, SlackOptions

_W = TypeVar("_W", bound="Webhook")


class Webhook:
    """A channel's incoming webhook; subclasses send and read their service's answers."""

    service: ClassVar[str]
    """The service's name for messages: ``"Slack"``."""
    reconciles = False

    def __init__(
        self, name: str, webhook_url: str, client: httpx.Client, webhook_env: str = "the URL"
    ) -> None:
        self.name = name
        self._url = webhook_url
        self._client = client
        self._what = f"the {self.service} channel {name}"
        self._env = webhook_env

    def find(self, message: Message) -> str | None:
        """A webhook cannot say what it posted: always None (:attr:`reconciles` is false, so
        the runner never asks)."""
        return None

    def close(self) -> None:
        self._client.close()


def open_webhook(cls: type[_W], options: SlackOptions | DiscordOptions, name: str) -> _W:
    """The channel of ``options``, with its webhook URL from the environment."""
    url = secret(options.webhook_env, f"the {cls.service} channel {name}")
    # The token at the end of the URL is redacted on its own too: an answer may quote it.
    remember(urlsplit(url).path.rstrip("/").rpartition("/")[2])
    return cls(name, url, httpx.Client(timeout=options.timeout), options.webhook_env)
