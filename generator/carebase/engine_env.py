"""The environment the site engine runs in: the caller's, less every credential.

A build renders Markdown, templates and ``mkdocs.yml``, all of which staff change in pull
requests. MkDocs' ``!ENV`` tag, a hook, a template or a file linked to ``/proc/self/environ``
could copy whatever the engine's environment holds into a published page — and ``carebase
deploy`` runs with every network's token set. The engine needs no credential, so it is given
none: the variables the project names for its secrets, and any whose name says it holds one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from carebase.importers.settings import ENV as IMPORT_ENV
from carebase.project import Project
from carebase.search.settings import ADMIN_KEY_ENV

SECRET_NAME = re.compile(
    r"(?i)(TOKEN|SECRET|PASSW|API_?KEY|ADMIN_?KEY|PRIVATE_?KEY|CREDENTIAL|WEBHOOK|COOKIE|AUTH)"
)
"""Names that say they hold a credential (``GITHUB_TOKEN``, ``ALGOLIA_ADMIN_KEY``, …)."""

_IMPORT_SECRETS = (IMPORT_ENV["discourse_api_key"], IMPORT_ENV["github_token"])


def project_secret_names(project: Project) -> set[str]:
    """Every variable the project reads a credential from, whatever its name."""
    algolia = project.search.algolia
    names = {algolia.admin_key_env if algolia else ADMIN_KEY_ENV, *_IMPORT_SECRETS}
    for network in project.announce.networks if project.announce else ():
        names |= {
            str(value)
            for key, value in network.model_dump().items()
            if key.endswith("_env") and value
        }
    return names


def engine_environment(environ: Mapping[str, str], secret_names: Iterable[str]) -> dict[str, str]:
    """``environ`` without ``secret_names`` and without any variable named like a secret."""
    named = set(secret_names)
    return {
        name: value
        for name, value in environ.items()
        if name not in named and not SECRET_NAME.search(name)
    }
