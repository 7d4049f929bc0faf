"""MkDocs adapter of Carebase's announcer: checks its options when the site is built.

Announcing happens after a deploy (``carebase deploy`` or ``carebase announce``), from the
build manifest, so a typo in a network's options fails the pull request's build instead of the
announcement after the merge.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from carebase.announce.settings import ANNOUNCE_PLUGIN, announce_settings
from carebase.errors import CarebaseError
from carebase_mkdocs.announce.config import AnnounceConfig


class AnnouncePlugin(BasePlugin[AnnounceConfig]):
    """Validates ``plugins: carebase/announce`` with the core's settings."""

    supports_multiple_instances = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        try:
            announce_settings({ANNOUNCE_PLUGIN: dict(self.config)})
        except CarebaseError as exc:
            raise PluginError(str(exc)) from exc
        return None
