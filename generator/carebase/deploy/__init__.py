"""Publishing a built site (a git branch, or a folder) and waiting until it is served."""

from __future__ import annotations

from carebase.errors import CarebaseError


class DeployError(CarebaseError):
    """The site could not be published, or did not go live: one line, then a hint."""
