"""A Slack channel for staff through an incoming webhook: its whole URL is the secret.

Slack answers ``ok`` in plain text, and its errors too: 400 ``invalid_payload``, 403
``action_prohibited``, 404 ``no_service``, 410 ``channel_is_archived``, 429 with
``Retry-After``. It returns no id and cannot list what was posted, so the announcer never
reconciles a Slack post: an attempt interrupted mid-way is reported, not repeated.
"""

from __future__ import annotations

import httpx

from carebase.announce.model import Message, NetworkKind, Rejected, SendError
from carebase.announce.networks.http import excerpt, one_line, request, status_error
from carebase.announce.networks.webhook import Webhook, open_webhook
from carebase.announce.settings import SlackOptions

_HINTS = {
    "no_service": "the webhook was removed or its URL is wrong",
    "invalid_token": "the webhook's URL is wrong",
    "channel_is_archived": "the channel is archived",
    "channel_not_found": "the channel was deleted",
    "action_prohibited": "a workspace admin restricted this webhook",
    "invalid_payload": "Slack could not read the message",
}


def escape(text: str) -> str:
    """``text`` for Slack's ``mrkdwn``: ``&``, ``<`` and ``>`` as entities, which Slack requires
    (they would otherwise start a link or mention)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def payload(message: Message) -> dict[str, object]:
    """The webhook's body for ``message``: the text, and the same as one ``mrkdwn`` section."""
    text = escape(message.text)
    return {
        "text": text,
        "unfurl_links": True,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


class SlackWebhook(Webhook):
    """A Slack channel's incoming webhook."""

    kind = NetworkKind.SLACK
    service = "Slack"

    def send(self, message: Message) -> str:
        """Post ``message``; ``slack:`` and its idempotency key, since Slack returns no id."""
        request(
            self._client,
            "POST",
            self._url,
            what=self._what,
            interpret=self._interpret,
            json=payload(message),
        )
        return f"slack:{message.idempotency_key}"

    def _interpret(self, response: httpx.Response) -> SendError | None:
        said = excerpt(response)
        error = status_error(response, self._what, said)
        hint = _HINTS.get(said.strip())
        if hint and isinstance(error, Rejected):
            return Rejected(one_line(f"{error}: {hint}; check {self._env}"))
        return error


def connect(options: SlackOptions, name: str) -> SlackWebhook:
    """The channel of ``options``, with its webhook URL from the environment."""
    return open_webhook(SlackWebhook, options, name)
