"""Options of the ``carebase/import`` plugin (checked again by the core's ``ImportSettings``)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class ImportConfig(Config):
    """``plugins: - carebase/import: {...}`` in mkdocs.yml; read by ``carebase import`` too."""

    enabled = c.Type(bool, default=True)
    """Turn off the build-time part (sanitising, redirects, source box) without removing it."""
    categories = c.Type(dict, default={})
    """A source's category or label → one of ours (an id in kb/.categories.yml)."""
    default_category = c.Optional(c.Type(str))
    """Where threads of unmapped categories go; unset: they are skipped and reported."""
    replies = c.Type(int, default=3)
    """Helpful replies kept after the accepted answer (0 to 20)."""
    attribution = c.Type(str, default="")
    """Licence or attribution line under every imported article (inline Markdown)."""
    anonymise_authors = c.Type(bool, default=False)
    """Show "Community member" instead of display names."""
    redact = c.Type(list, default=[])
    """Patterns of account data to scrub: ``[{pattern: 'ORD-\\d+', label: '[order removed]'}]``."""
    image_max_bytes = c.Type(int, default=2_000_000)
    """Largest image downloaded into the repository."""
    discourse = c.Optional(c.Type(dict))
    """Discourse forum: ``url`` (or CAREBASE_DISCOURSE_URL), ``categories``."""
    discussions = c.Optional(c.Type(dict))
    """GitHub Discussions: ``repository``, ``categories``."""
    pulls = c.Optional(c.Type(dict))
    """Merged pull requests: ``repositories``, ``labels``, ``category``."""
