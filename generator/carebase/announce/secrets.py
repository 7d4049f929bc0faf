"""Credentials from the environment, and the redaction that keeps them out of every message.

A network's client is built from :func:`secret`; every error text and log line the announcer
or the deploy prints goes through :func:`redact`, which removes each secret read so far and
anything that looks like a credential (``Authorization`` headers, ``access_token=`` query
parameters, webhook paths).
"""

from __future__ import annotations

import logging
import os
import re
import threading

from carebase.errors import ProjectError

_known: set[str] = set()
_lock = threading.Lock()
MIN_SECRET = 6
"""Shorter values are not redacted on their own (they would blank out ordinary words)."""

_PATTERNS = (
    (
        re.compile(r"(?i)(authorization\s*[:=]\s*)(bearer|basic|oauth|token)?\s*[^\s,'\"}]+"),
        r"\1\2 [redacted]",
    ),
    (
        re.compile(r"(?i)((?:access_token|token|password|secret|key|sig|signature)=)[^&\s'\"]+"),
        r"\1[redacted]",
    ),
    (re.compile(r"(hooks\.slack\.com/services/)[\w/]+"), r"\1[redacted]"),
    (re.compile(r"(/api/webhooks/\d+/)[\w-]+"), r"\1[redacted]"),
)
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


def remember(value: str) -> None:
    """Redact ``value`` from every message from now on."""
    if len(value) >= MIN_SECRET:
        with _lock:
            _known.add(value)


def redact(text: str) -> str:
    """``text`` with every known secret and credential-looking part replaced."""
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for value in known:
        text = text.replace(value, "[redacted]")
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def quiet_clients() -> None:
    """Keep the HTTP clients' debug logging (headers, bodies) off, whatever the root level."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
