"""Which search backend a site uses, from ``plugins: carebase/search`` in ``mkdocs.yml``.

Both the build (the ``carebase/search`` MkDocs plugin) and ``carebase search push`` read the
same options through :func:`search_settings`, so they cannot disagree.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from carebase.validation import validate_options

SEARCH_PLUGIN = "carebase/search"
BUNDLE_PAGES = 4000
"""Pages per Pagefind bundle by default: ≈ 1.2 GB for the indexer at ≈ 300 KB a page, so a
20,000-article build stays under 3 GB with MkDocs' own ≈ 1.3 GB (bench/RESULTS.md, issue 16)."""
ADMIN_KEY_ENV = "ALGOLIA_ADMIN_KEY"
"""The environment variable holding Algolia's admin (write) key: never in a file."""
STATS_KEY_ENV = "PLAUSIBLE_API_KEY"
"""The environment variable holding the Plausible Stats API key ``carebase report gaps`` reads."""


class Backend(StrEnum):
    """Where visitors' queries go."""

    PAGEFIND = "pagefind"
    """A static index next to the pages, searched in the browser: the default."""
    MATERIAL = "material"
    """Material's own search plugin (one index for the whole site): only for tiny sites."""
    ALGOLIA = "algolia"
    """A hosted index, filled by ``carebase search push``."""


class AlgoliaSettings(BaseModel):
    """The Algolia application and index a site searches."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    app_id: str = Field(min_length=1)
    index_name: str = Field(min_length=1)
    search_key: str = Field(min_length=1)
    """The search-only key. It is public by design: every visitor's browser sends it."""
    admin_key_env: str = ADMIN_KEY_ENV
    """Name of the environment variable holding the admin key, for ``carebase search push``."""
    search_host: str | None = None
    """Where visitors' browsers send queries; Algolia's own (``https://<app_id>-dsn.algolia.net``)
    unless a proxy (or a test server) stands in front of it."""

    @property
    def browser_host(self) -> str:
        """The base URL the search box queries."""
        return (self.search_host or f"https://{self.app_id}-dsn.algolia.net").rstrip("/")


class AnalyticsProvider(StrEnum):
    """Where the search box sends the questions it could not answer."""

    PLAUSIBLE = "plausible"
    """Plausible (hosted or self-hosted): events sent straight to its Events API, no script."""
    GA4 = "ga4"
    """Google Analytics 4: Google's gtag.js is loaded (only then) and sends the events."""


class AnalyticsSettings(BaseModel):
    """Content-gap analytics: off unless ``analytics`` is set (see the README's Search)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: AnalyticsProvider
    domain: str | None = Field(default=None, min_length=1, pattern=r"^[^\s/?#]+$")
    """Plausible: the site's domain as added to Plausible (its ``site_id``)."""
    endpoint: str = "https://plausible.io"
    """Plausible: the server's base URL (``https://plausible.example.com`` when self-hosted)."""
    measurement_id: str | None = Field(default=None, pattern=r"^G-[A-Z0-9]{4,20}$")
    """GA4: the web stream's measurement ID, ``G-XXXXXXXXXX``."""
    no_click_seconds: float = Field(default=30.0, gt=0, le=600)
    """A search with results but no click for this long (or left) counts as unanswered."""
    api_key_env: str = Field(default=STATS_KEY_ENV, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    """Plausible: the environment variable with a Stats API key, for ``carebase report gaps``."""

    @field_validator("endpoint")
    @classmethod
    def _plain_http_address(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http(s) address such as https://plausible.io")
        if parts.username or parts.password or parts.query or parts.fragment:
            raise ValueError("must be a plain base address, without a password, query or #")
        return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"

    @model_validator(mode="after")
    def _provider_needs_its_site(self) -> AnalyticsSettings:
        if self.provider is AnalyticsProvider.PLAUSIBLE and self.domain is None:
            raise ValueError("provider 'plausible' needs 'domain' (the site as added to Plausible)")
        if self.provider is AnalyticsProvider.GA4 and self.measurement_id is None:
            raise ValueError("provider 'ga4' needs 'measurement_id' (G-XXXXXXXXXX)")
        return self


class SearchSettings(BaseModel):
    """Options of the ``carebase/search`` plugin."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    backend: Backend = Backend.PAGEFIND
    fallback: bool = True
    """Pagefind: search a question word by word (stop words left out, synonyms added), a page
    scoring the sum of Pagefind's scores; off, only pages with every word are found."""
    algolia: AlgoliaSettings | None = None
    bundle_pages: int = Field(default=BUNDLE_PAGES, ge=1)
    """Pagefind: at most this many pages per bundle (one indexer run, ≈ 300 KB of memory per
    page); a language with more pages is searched in several bundles, merged in the browser."""
    analytics: AnalyticsSettings | None = None
    """Content-gap analytics; None (the default): no query ever leaves the reader's browser."""

    @model_validator(mode="after")
    def _algolia_needs_its_index(self) -> SearchSettings:
        if self.backend is Backend.ALGOLIA and self.algolia is None:
            raise ValueError("backend 'algolia' needs 'algolia: {app_id, index_name, search_key}'")
        return self


def search_settings(
    plugins: dict[str, dict[str, Any]], config_name: str = "mkdocs.yml"
) -> SearchSettings:
    """The search options of a project (its ``plugins`` as ``{name: options}``)."""
    options = plugins.get(SEARCH_PLUGIN)
    if options is None:
        # Without the plugin, a site with Material's search plugin keeps it.
        material = "search" in plugins or "material/search" in plugins
        return SearchSettings(enabled=material, backend=Backend.MATERIAL)
    return validate_options(
        SearchSettings,
        options,
        f"{config_name}: plugins.{SEARCH_PLUGIN}",
        "see the 'Search' section of the README for the options",
    )
