"""Options of the announcer, from ``plugins: - carebase/announce: {...}`` in ``mkdocs.yml``.

Credentials never live here: each network names the environment variables holding them
(``token_env`` and the like), and :mod:`carebase.announce.secrets` reads them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from carebase.announce.model import NetworkKind
from carebase.announce.templates import template_problem
from carebase.durations import parse_duration
from carebase.validation import validate_options

ANNOUNCE_PLUGIN = "carebase/announce"
AnnouncedType = Literal["faq", "post", "notice"]
ANNOUNCED_TYPES: tuple[AnnouncedType, ...] = ("faq", "post", "notice")


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _NetworkOptions(_Options):
    """What every network has."""

    kind: NetworkKind
    name: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    """The account's name in the ledger and in output; ``<kind>`` or ``<kind>-<language>``."""
    enabled: bool = True
    languages: list[str] = []
    """Languages this account announces; empty: every language of the site."""
    template: str | None = None
    """A Jinja template for the text, instead of the network's default."""
    hashtags: list[str] | None = None
    """Hashtags for this account; None: the announcer's ``hashtags``."""
    utm: bool = True
    """Add ``utm_source``, ``utm_medium`` and ``utm_campaign`` to links."""
    cap: int | None = Field(default=None, ge=0)
    """Posts per run at most; None: the announcer's ``cap``."""
    timeout: float = Field(default=20.0, gt=0)

    @field_validator("template")
    @classmethod
    def _template_works(cls, value: str | None) -> str | None:
        problem = template_problem(value) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value

    def ledger_name(self) -> str:
        """The configured name, or one made of the kind and the only language."""
        if self.name:
            return self.name
        if len(self.languages) == 1:
            return f"{self.kind.value}-{self.languages[0]}"
        return self.kind.value


class MastodonOptions(_NetworkOptions):
    """A Mastodon account: statuses through Mastodon.py with an ``Idempotency-Key``."""

    kind: Literal[NetworkKind.MASTODON] = NetworkKind.MASTODON
    url: str = Field(pattern=r"^https?://")
    """The instance, like ``https://mastodon.social``."""
    token_env: str = "CAREBASE_MASTODON_TOKEN"
    limit: int = Field(default=500, ge=50)
    """Characters per status (500 on most instances); links count 23."""
    visibility: Literal["public", "unlisted", "private"] = "public"


class BlueskyOptions(_NetworkOptions):
    """A Bluesky account: posts with link facets and a link card through atproto."""

    kind: Literal[NetworkKind.BLUESKY] = NetworkKind.BLUESKY
    handle: str = Field(min_length=3)
    url: str = Field(default="https://bsky.social", pattern=r"^https?://")
    """The account's PDS (or ``https://bsky.social``)."""
    password_env: str = "CAREBASE_BLUESKY_APP_PASSWORD"
    """An app password, never the account's own."""


class XOptions(_NetworkOptions):
    """An X account through tweepy. Opt-in: every post costs money, so ``enabled`` must be set."""

    kind: Literal[NetworkKind.X] = NetworkKind.X
    enabled: bool = False
    url: str = Field(default="https://api.twitter.com", pattern=r"^https?://")
    """The API's address; another only for a proxy or a test server."""
    api_key_env: str = "CAREBASE_X_API_KEY"
    api_secret_env: str = "CAREBASE_X_API_SECRET"
    access_token_env: str = "CAREBASE_X_ACCESS_TOKEN"
    access_secret_env: str = "CAREBASE_X_ACCESS_SECRET"


class FacebookOptions(_NetworkOptions):
    """A Facebook page: ``POST /{page-id}/feed`` with message and link (Graph API)."""

    kind: Literal[NetworkKind.FACEBOOK] = NetworkKind.FACEBOOK
    page_id: str = Field(pattern=r"^\d+$")
    url: str = Field(default="https://graph.facebook.com/v21.0", pattern=r"^https?://")
    token_env: str = "CAREBASE_FACEBOOK_PAGE_TOKEN"


LINKEDIN_VERSION_LAG = 2
"""Months between today and the default ``LinkedIn-Version``: a version released, and ten
months from its retirement."""


def linkedin_version(today: date | None = None) -> str:
    """The default ``LinkedIn-Version``: the YYYYMM of the month ``LINKEDIN_VERSION_LAG`` months
    before ``today`` (UTC today by default)."""
    today = today or datetime.now(UTC).date()
    months = today.year * 12 + today.month - 1 - LINKEDIN_VERSION_LAG
    return f"{months // 12:04d}{months % 12 + 1:02d}"


class LinkedInOptions(_NetworkOptions):
    """A LinkedIn organisation page: ``POST /rest/posts`` with an article."""

    kind: Literal[NetworkKind.LINKEDIN] = NetworkKind.LINKEDIN
    organization: str = Field(pattern=r"^(urn:li:organization:)?\d+$")
    url: str = Field(default="https://api.linkedin.com", pattern=r"^https?://")
    token_env: str = "CAREBASE_LINKEDIN_TOKEN"
    version: str = Field(default_factory=linkedin_version, pattern=r"^\d{6}$")
    """The ``LinkedIn-Version`` header: the API version, YYYYMM. By default the month two months
    before today's, so that it never goes stale: LinkedIn releases a version each month and
    retires it a year later (426 ``NONEXISTENT_VERSION``)."""

    @property
    def author(self) -> str:
        """The organisation's URN."""
        if self.organization.startswith("urn:"):
            return self.organization
        return f"urn:li:organization:{self.organization}"


class SlackOptions(_NetworkOptions):
    """A Slack channel for staff, through an incoming webhook (its URL is the secret)."""

    kind: Literal[NetworkKind.SLACK] = NetworkKind.SLACK
    webhook_env: str = "CAREBASE_SLACK_WEBHOOK_URL"
    utm: bool = False


class DiscordOptions(_NetworkOptions):
    """A Discord channel for staff, through a webhook (its URL is the secret)."""

    kind: Literal[NetworkKind.DISCORD] = NetworkKind.DISCORD
    webhook_env: str = "CAREBASE_DISCORD_WEBHOOK_URL"
    utm: bool = False


NetworkOptions = Annotated[
    MastodonOptions
    | BlueskyOptions
    | XOptions
    | FacebookOptions
    | LinkedInOptions
    | SlackOptions
    | DiscordOptions,
    Field(discriminator="kind"),
]


class LedgerOptions(_Options):
    """Where the ledger of announcements lives."""

    branch: str = Field(default="carebase-ledger", pattern=r"^[\w./-]+$")
    """A git branch holding only the ledger, pushed to ``remote``."""
    remote: str = "origin"
    """A remote name of the project's repository, or a URL."""
    path: str | None = None
    """A folder instead of a git branch (relative to mkdocs.yml): for a single machine only."""


class AnnounceSettings(_Options):
    """Everything the announcer needs."""

    enabled: bool = True
    types: list[AnnouncedType] = list(ANNOUNCED_TYPES)
    """What is announced: new and changed FAQs, new posts, new and changed service notices."""
    cap: int = Field(default=5, ge=0)
    """Posts per network per run at most; the rest wait for the next run (notices first)."""
    hashtags: list[str] = []
    utm_campaign: str = "help-centre"
    lease: str = "15m"
    """How long a run's claim on an announcement holds (`30s`, `15m`, `2h`): another run
    leaves a claimed announcement alone meanwhile."""
    max_attempts: int = Field(default=8, ge=1)
    """Failed attempts after which an announcement is given up (and reported)."""
    ledger: LedgerOptions = LedgerOptions()
    networks: list[NetworkOptions] = []

    @field_validator("lease")
    @classmethod
    def _lease_is_a_duration(cls, value: str) -> str:
        lease_of(value)
        return value

    @field_validator("hashtags")
    @classmethod
    def _plain_hashtags(cls, value: list[str]) -> list[str]:
        return [tag.lstrip("#") for tag in value]

    @model_validator(mode="after")
    def _names_are_unique(self) -> AnnounceSettings:
        names = [network.ledger_name() for network in self.networks]
        doubled = sorted({name for name in names if names.count(name) > 1})
        if doubled:
            raise ValueError(
                f"two networks are both called {doubled[0]!r}; give each a 'name' of its own"
            )
        return self

    @property
    def lease_time(self) -> timedelta:
        """The lease as a duration."""
        return lease_of(self.lease)


_SHORT = re.compile(r"^\s*(?P<count>\d+)\s*(?P<unit>[smh])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600}


def lease_of(text: str) -> timedelta:
    """``30s``, ``15m`` or ``2h`` (or days and longer, as review intervals are written)."""
    match = _SHORT.match(text)
    if match:
        return timedelta(seconds=int(match["count"]) * _SECONDS[match["unit"]])
    if text.strip() == "0":
        return timedelta(0)
    return parse_duration(text)


def announce_settings(
    plugins: dict[str, dict[str, Any]], config_name: str = "mkdocs.yml"
) -> AnnounceSettings | None:
    """The announcer's options of a project (its ``plugins`` as ``{name: options}``), or None
    when the project announces nothing."""
    options = plugins.get(ANNOUNCE_PLUGIN)
    if options is None:
        return None
    return validate_options(
        AnnounceSettings,
        options,
        f"{config_name}: plugins.{ANNOUNCE_PLUGIN}",
        "see the 'Announcing on social networks' section of the README for the options",
    )
