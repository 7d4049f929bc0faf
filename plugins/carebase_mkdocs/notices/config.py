"""Options of the ``carebase/notices`` plugin."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class NoticesConfig(Config):
    """``plugins: - carebase/notices: {...}`` in mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    """Turn the banner off (notices still appear as blog posts)."""
    limit = c.Type(int, default=3)
    """How many active notices the banner shows at most, most severe first."""
