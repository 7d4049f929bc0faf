"""The site engine never sees a credential: ``!ENV`` in mkdocs.yml cannot publish one.

``carebase deploy`` runs with every network's token in its environment, and the build renders
``mkdocs.yml`` and templates that a pull request can change. The engine is started without the
variables the project names for its secrets and without any variable named like a secret.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from carebase.engine_env import engine_environment
from tests.commands import carebase
from tests.conftest import MKDOCS_YML

pytestmark = pytest.mark.slow

NAMED = "BRIGHTWAVE_MASTO"  # a secret whose name does not say so: only the project names it
CANARY_NAMED = "canary-named-6d1f0c"
CANARY_TOKEN = "canary-token-93ab41"

CONFIG = (
    MKDOCS_YML.replace("  name: material", "  name: material\n  custom_dir: theme").replace(
        "site_name: Test Help Centre",
        "site_name: Test Help Centre\n"
        f'copyright: !ENV [{NAMED}, "copyright-fallback"]\n'
        'site_description: !ENV [CAREBASE_CANARY_TOKEN, "description-fallback"]',
    )
    + "  - carebase/announce:\n"
    "      networks:\n"
    f"        - {{kind: mastodon, url: 'https://mastodon.example', token_env: {NAMED}}}\n"
)


def published_text(site: Path) -> str:
    return "\n".join(
        path.read_bytes().decode("utf-8", "replace") for path in site.rglob("*") if path.is_file()
    )


def test_env_tags_in_mkdocs_yml_cannot_publish_a_secret(make_project, tmp_path: Path) -> None:
    project = make_project(config=CONFIG, theme=True)
    env = {NAMED: CANARY_NAMED, "CAREBASE_CANARY_TOKEN": CANARY_TOKEN}
    done = carebase(project, "build", "--site-dir", str(tmp_path / "out"), env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    text = published_text(tmp_path / "out")
    # The fallbacks prove the tags were rendered, so the canaries' absence means something.
    assert "copyright-fallback" in text
    assert "description-fallback" in text
    assert CANARY_NAMED not in text
    assert CANARY_TOKEN not in text
    assert CANARY_NAMED not in done.stdout + done.stderr


def test_the_engine_environment_keeps_what_a_build_needs() -> None:
    environ = {
        "PATH": "/usr/bin",
        "HOME": "/root",
        "SOURCE_DATE_EPOCH": "1",
        "LANG": "C.UTF-8",
        "CAREBASE_DISCOURSE_URL": "https://forum.example",
        "GITHUB_TOKEN": "x",
        "ALGOLIA_ADMIN_KEY": "x",
        "CAREBASE_SLACK_WEBHOOK_URL": "x",
        "MY_PASSWORD": "x",
        "CAREBASE_BLUESKY_APP_PASSWORD": "x",
        "CUSTOM": "x",
    }
    kept = engine_environment(environ, {"CUSTOM"})
    assert sorted(kept) == ["CAREBASE_DISCOURSE_URL", "HOME", "LANG", "PATH", "SOURCE_DATE_EPOCH"]
