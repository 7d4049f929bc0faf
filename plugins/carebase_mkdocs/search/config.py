"""Options of the ``carebase/search`` plugin (checked again by the core's ``SearchSettings``)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class SearchConfig(Config):
    """``plugins: - carebase/search: {...}`` in mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    backend = c.Choice(("pagefind", "material", "algolia"), default="pagefind")
    """Where queries go: Pagefind (static, default), Material's own search, or Algolia."""
    fallback = c.Type(bool, default=True)
    """Pagefind: search a question word by word (and with the synonyms file), summing
    Pagefind's scores; off, only pages with every word are found."""
    bundle_pages = c.Type(int, default=4000)
    """Pagefind: at most this many pages per bundle (one indexer run, one at a time)."""
    algolia = c.Optional(c.Type(dict))
    """Algolia: ``app_id``, ``index_name`` and the public ``search_key``."""
    analytics = c.Optional(c.Type(dict))
    """Content-gap analytics: ``provider`` (plausible, ga4) and its site; off when unset."""
