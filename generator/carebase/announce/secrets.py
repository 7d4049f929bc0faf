"""Credentials from the environment; :func:`redact` (:mod:`carebase.redaction`) keeps them out
of every message.

A network's client is built from :func:`secret`, which remembers the value, so that every
error text and log line the announcer or the deploy prints (through :func:`redact`) loses it.
"""

from __future__ import annotations

import logging
import os
import re

from carebase.errors import ProjectError
from carebase.redaction import MIN_SECRET, redact, remember

__all__ = ["MIN_SECRET", "QUIET_LOGGERS", "quiet_clients", "redact", "remember", "secret"]

QUIET_LOGGERS = (
    "httpx",
    "httpcore",
    "urllib3",
    "requests_oauthlib",
    "oauthlib",
    "tweepy",
    "atproto",
    "mastodon",
    "github",
    "git",
)
"""Clients whose debug output can carry headers: never below WARNING."""


def secret(name: str, needed_for: str) -> str:
    """The value of the environment variable ``name``; a clear error when it is unset.

    ``needed_for`` says what needs it (``"the Mastodon account mastodon-en"``).
    """
    value = os.environ.get(name, "").strip()
    if not value:
        raise ProjectError(
            f"{name} is not set: {needed_for} needs it\n"
            f"  hint: set it in the environment (a CI secret), never in mkdocs.yml"
        )
    remember(value)
    return header_safe(name, value, needed_for)


_HEADER_SAFE = re.compile(r"[\x20-\x7e]*")
"""What an HTTP header can carry: printable ASCII (tokens travel in headers)."""


def header_safe(name: str, value: str, needed_for: str) -> str:
    """``value`` when it can travel in an HTTP header; else an error naming ``name``, not it."""
    if _HEADER_SAFE.fullmatch(value):
        return value
    raise ProjectError(
        f"{name} holds a character a token cannot have (non-ASCII, a control character or a "
        f"line break): {needed_for} cannot use it\n"
        "  hint: copy the token again, exactly as the service shows it, without quotes"
    )


def quiet_clients() -> None:
    """Keep the HTTP clients' debug logging (headers, bodies) off, whatever the root level."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
