"""Options of the importers, from ``plugins: - carebase/import: {...}`` in ``mkdocs.yml``.

Tokens never live here: they come from the environment (:data:`ENV`), and are never printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import regex
from pydantic import BaseModel, ConfigDict, Field, field_validator

from carebase.validation import validate_options

IMPORT_PLUGIN = "carebase/import"
ENV = {
    "discourse_url": "CAREBASE_DISCOURSE_URL",
    "discourse_api_key": "CAREBASE_DISCOURSE_API_KEY",
    "discourse_api_username": "CAREBASE_DISCOURSE_API_USERNAME",
    "github_token": "GITHUB_TOKEN",
    "github_api_url": "CAREBASE_GITHUB_API_URL",
}
"""Environment variables the importers read (the GitHub API URL is for GitHub Enterprise)."""


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Redaction(_Options):
    """A pattern of personal or account data to scrub from imported text."""

    pattern: str
    label: str = Field(min_length=1)
    """Shown instead of the match: ``[order number removed]``."""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            regex.compile(value)  # What scrubbing runs it with (with a time limit).
        except regex.error as exc:
            raise ValueError(f"is not a valid regular expression: {exc}") from None
        except RecursionError:
            raise ValueError("is not a valid regular expression: it nests too deeply") from None
        return value


class DiscourseOptions(_Options):
    """A Discourse forum: its address (or ``CAREBASE_DISCOURSE_URL``) and what to import."""

    url: str | None = None
    categories: list[str] = []
    """Discourse category slugs to import from; empty: every public category."""
    concurrency: int = Field(default=4, ge=1, le=16)
    timeout: float = Field(default=20.0, gt=0)
    ask_category: str | None = Field(default=None, pattern=r"^[a-z0-9_-]+(/[a-z0-9_-]+)?$")
    """Category slug (``parent/child`` for a subcategory) where "Ask the community" opens
    new topics; unset: the forum's default."""


class DiscussionsOptions(_Options):
    """GitHub Discussions of one repository, answered ones only."""

    repository: str = Field(pattern=r"^[\w.-]+/[\w.-]+$")
    categories: list[str] = []
    """Discussion category names to import from; empty: all."""


class PullsOptions(_Options):
    """Merged pull requests of some repositories, as "What's new / fixed" articles."""

    repositories: list[str] = Field(min_length=1)
    labels: list[str] = ["customer-facing"]
    """Only pull requests with one of these labels; empty: every merged pull request."""
    category: str = "whats-new"
    """Our category for them."""


class ImportSettings(_Options):
    """Everything the importers need to turn threads into articles."""

    categories: dict[str, str] = {}
    """A source's category (or label) → one of ours (an id in kb/.categories.yml)."""
    default_category: str | None = None
    """Where threads of unmapped categories go; None: they are skipped (and reported)."""
    replies: int = Field(default=3, ge=0, le=20)
    """Helpful replies kept after the accepted answer."""
    attribution: str = ""
    """The licence/attribution line under every imported article."""
    anonymise_authors: bool = False
    """Show "Community member" instead of display names."""
    redact: list[Redaction] = []
    image_max_bytes: int = Field(default=2_000_000, gt=0)
    discourse: DiscourseOptions | None = None
    discussions: DiscussionsOptions | None = None
    pulls: PullsOptions | None = None


def import_settings(
    plugins: dict[str, dict[str, Any]], config_name: str = "mkdocs.yml"
) -> ImportSettings:
    """The importers' options of a project (its ``plugins`` as ``{name: options}``)."""
    return validate_options(
        ImportSettings,
        plugins.get(IMPORT_PLUGIN, {}),
        f"{config_name}: plugins.{IMPORT_PLUGIN}",
        "see the 'Importing community content' section of the README",
    )


def discourse_url(options: DiscourseOptions | None, env: Mapping[str, str]) -> str:
    """The forum's address: ``url`` in ``mkdocs.yml``, else ``CAREBASE_DISCOURSE_URL``; or ""."""
    return ((options.url if options else None) or env.get(ENV["discourse_url"], "")).strip()
