""" "Ask the community": where the search box sends a question no article answered.

When ``carebase/import`` knows a Discourse forum, the search box's no-results panel links to
the forum's new-topic page with the question filled in (Discourse's documented
``/new-topic?title=…&body=…&category=…`` link); the question comes back as an article once
it is solved and imported. The browser adds the query; here is only the forum's side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from carebase.errors import ProjectError
from carebase.importers.settings import ENV, IMPORT_PLUGIN, ImportSettings, discourse_url

NEW_TOPIC = "new-topic"
_UNSAFE = re.compile(r"[\s\"'<>\\`{}|^]")
"""Characters a URL never needs raw and an HTML attribute must not meet."""


@dataclass(frozen=True)
class AskCommunity:
    """The forum's new-topic page, and the category new questions go to."""

    url: str
    """``https://forum.example.com/new-topic``: always http(s), never a ``javascript:`` link."""
    category: str | None


def ask_community(settings: ImportSettings, env: Mapping[str, str]) -> AskCommunity | None:
    """Where to ask, when the project has a Discourse forum; None without one."""
    url = discourse_url(settings.discourse, env)
    if not url:
        return None
    category = settings.discourse.ask_category if settings.discourse else None
    return AskCommunity(f"{_base(url)}/{NEW_TOPIC}", category)


def _base(url: str) -> str:
    where = f"mkdocs.yml: plugins.{IMPORT_PLUGIN}.discourse.url (or {ENV['discourse_url']})"
    try:
        parts = urlsplit(url)
        credentials = parts.username or parts.password
    except ValueError:
        raise ProjectError(f"{where}: is not a valid address\n  hint: {_EXAMPLE}") from None
    if credentials or parts.query or parts.fragment:
        # Not echoed: the address may hold a password.
        raise ProjectError(
            f"{where}: the forum's address must be plain, without a user, password, query or #\n"
            f"  hint: put API keys in {ENV['discourse_api_key']}, never in the address"
        )
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ProjectError(f"{where}: {url!r} is not an http(s) address\n  hint: {_EXAMPLE}")
    if _UNSAFE.search(url):
        raise ProjectError(
            f"{where}: the forum's address has a space, quote or angle bracket\n"
            "  hint: percent-encode it, or write the address as the browser shows it"
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


_EXAMPLE = "write the forum's address, such as https://forum.example.com"
