"""Options of the ``carebase/announce`` plugin (checked again by ``AnnounceSettings``)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class AnnounceConfig(Config):
    """``plugins: - carebase/announce: {...}`` in mkdocs.yml; read by ``carebase announce``."""

    enabled = c.Type(bool, default=True)
    """Announce nothing (the build still checks these options)."""
    types = c.Type(list, default=["faq", "post", "notice"])
    """What is announced: ``faq``, ``post``, ``notice``."""
    cap = c.Type(int, default=5)
    """Posts per network per run at most."""
    hashtags = c.Type(list, default=[])
    """Hashtags added to every post (without ``#``)."""
    utm_campaign = c.Type(str, default="help-centre")
    """``utm_campaign`` of the links in posts."""
    lease = c.Type(str, default="15m")
    """How long one run's claim on an announcement keeps other runs away."""
    max_attempts = c.Type(int, default=8)
    """Failed attempts before an announcement is given up."""
    ledger = c.Type(dict, default={})
    """Where the ledger lives: ``branch`` and ``remote``, or ``path``."""
    networks = c.Type(list, default=[])
    """The accounts: ``[{kind: mastodon, url: …, languages: [en]}, …]``."""
