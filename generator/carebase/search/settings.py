"""Which search backend a site uses, from ``plugins: carebase/search`` in ``mkdocs.yml``.

Both the build (the ``carebase/search`` MkDocs plugin) and ``carebase search push`` read the
same options through :func:`search_settings`, so they cannot disagree.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from carebase.validation import validate_options

SEARCH_PLUGIN = "carebase/search"
BUNDLE_PAGES = 4000
"""Pages per Pagefind bundle by default: ≈ 1.2 GB for the indexer at ≈ 300 KB a page, so a
20,000-article build stays under 3 GB with MkDocs' own ≈ 1.3 GB (bench/RESULTS.md, issue 16)."""
ADMIN_KEY_ENV = "ALGOLIA_ADMIN_KEY"
"""The environment variable holding Algolia's admin (write) key: never in a file."""


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
