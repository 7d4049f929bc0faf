"""A Discord channel for staff through a webhook: its whole URL is the secret.

``?wait=true`` makes Discord answer the created message (with its ``id``) instead of 204. A
429 carries ``{"message", "retry_after", "global"}``, ``retry_after`` in seconds (a float).
Discord cannot look up what a webhook posted, so a post is never reconciled.
"""

from __future__ import annotations

import httpx

from carebase.announce.model import Message, NetworkKind, RateLimited, Rejected, SendError
from carebase.announce.networks.http import (
    json_object,
    json_of,
    message_of,
    one_line,
    request,
    retry_after,
    status_error,
    unreadable,
)
from carebase.announce.networks.webhook import Webhook, open_webhook
from carebase.announce.settings import DiscordOptions

CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def payload(message: Message) -> dict[str, object]:
    """The webhook's body: the text, an embed for the page, and no mentions pinging anyone."""
    embed = {
        "title": _cut(message.title, TITLE_LIMIT),
        "url": message.link,
        "description": _cut(message.description, DESCRIPTION_LIMIT),
    }
    return {
        "content": _cut(message.text, CONTENT_LIMIT),
        "allowed_mentions": {"parse": []},
        "embeds": [embed],
    }


class DiscordWebhook(Webhook):
    """A Discord channel's webhook."""

    kind = NetworkKind.DISCORD
    service = "Discord"

    def send(self, message: Message) -> str:
        """Post ``message``; the new message's id."""
        response = request(
            self._client,
            "POST",
            self._url,
            what=self._what,
            interpret=self._interpret,
            params={"wait": "true"},
            json=payload(message),
        )
        message_id = json_object(response).get("id")
        if not message_id:
            raise unreadable(self._what, "Discord answered without the message's id")
        return str(message_id)

    def _interpret(self, response: httpx.Response) -> SendError | None:
        body = json_of(response)
        detail = message_of(response, body)
        if response.status_code == 429:
            wait = body.get("retry_after") if isinstance(body, dict) else None
            seconds = float(wait) if isinstance(wait, int | float) else retry_after(response)
            scope = " (global)" if isinstance(body, dict) and body.get("global") else ""
            return RateLimited(one_line(f"{self._what}: HTTP 429{scope} {detail}"), seconds)
        error = status_error(response, self._what, detail)
        if response.status_code in (401, 404) and isinstance(error, Rejected):
            return Rejected(one_line(f"{error}; check the webhook URL in {self._env}"))
        return error


def connect(options: DiscordOptions, name: str) -> DiscordWebhook:
    """The channel of ``options``, with its webhook URL from the environment."""
    return open_webhook(DiscordWebhook, options, name)
