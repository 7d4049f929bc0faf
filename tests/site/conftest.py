"""The sample help centre, copied into a temporary git repository and built once per session."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from tests.site.browsers import chromium_path, launched
from tests.site.servers import served

REPO = Path(__file__).resolve().parents[2]
# The day the sample site is checked as of: the Cumbria outage notice is active, the October
# maintenance notice has ended, and two articles are past their review date.
BUILD_TIME = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def copy_sample(target: Path) -> Path:
    """Copy what a build reads (config, content, theme) into ``target``, a fresh git repo."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("content", "theme"):
        shutil.copytree(REPO / folder, target / folder)
    return commit_all(target)


SAMPLE_FORUM = "      discourse:\n        url: https://community.brightwave.example\n"
"""The sample's forum address in mkdocs.yml (for "Ask the community"; it does not exist)."""


def without_sample_forum(project: Path) -> Path:
    """Drop the sample's forum address, so an import reads ``CAREBASE_DISCOURSE_URL`` (a fake).

    The address in ``mkdocs.yml`` wins over the variable, as the README says.
    """
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert SAMPLE_FORUM in text, "the sample's forum address moved: update SAMPLE_FORUM"
    config.write_text(text.replace(SAMPLE_FORUM, "", 1), encoding="utf-8")
    return project


def commit_all(target: Path) -> Path:
    """Make ``target`` a git repository with everything in it committed, at a pinned date."""
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"]
    # Git dates feed the RSS plugin: pin them, so every copy builds the same site.
    when = BUILD_TIME.isoformat()
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=target, check=True)
    subprocess.run([*git, "add", "-A"], cwd=target, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "sample"], cwd=target, check=True, env=env)
    return target


def build_site(
    project: Path, site_dir: Path, monkeypatch: pytest.MonkeyPatch, when: datetime
) -> Path:
    """Build ``project`` in-process with MkDocs, strict, as of ``when``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(when.timestamp())))
    # MkDocs' command line, once any test has run it in this process, leaves its logger
    # not propagating to the root logger (where pytest captures records) and, after `-q`,
    # at ERROR: warnings would not reach MkDocs' own counter, so --strict would pass.
    engine_logger = logging.getLogger("mkdocs")
    monkeypatch.setattr(engine_logger, "propagate", True)
    monkeypatch.setattr(
        engine_logger, "level", min(engine_logger.level or logging.INFO, logging.INFO)
    )
    monkeypatch.setattr(engine_logger, "disabled", False)
    monkeypatch.chdir(project)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    # As `mkdocs build` does: some plugins (RSS) set themselves up in on_startup.
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site_dir


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The built sample help centre (its ``site`` folder)."""
    root = tmp_path_factory.mktemp("sample")
    project = copy_sample(root / "project")
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield build_site(project, root / "site", monkeypatch, BUILD_TIME)


def parse(site: Path, url_path: str) -> BeautifulSoup:
    """Parse the page served at ``url_path`` (``kb/billing/`` → ``kb/billing/index.html``)."""
    path = site / url_path
    if url_path.endswith("/") or not url_path:
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# One server and one browser per test module, for the modules that browse the sample site.


@pytest.fixture(scope="module")
def site_url(sample_site: Path) -> Iterator[str]:
    """The sample site served by ``http.server`` in a subprocess, as ``http://127.0.0.1:<port>/``."""
    with served(sample_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium: never Playwright's own download."""
    with launched(chromium_path()) as browser:
        yield browser
