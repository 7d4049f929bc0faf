"""A broken link in an article fails a strict build exactly as before the fast lane.

Articles no longer go through MkDocs' page loop, so MkDocs itself does not see their links.
Two checks stand in its place: ``carebase check`` (run by ``carebase build`` and ``deploy``)
refuses a link to a file that does not exist, with its line and a hint; and the page writer
resolves every link with MkDocs' own link resolver, so a plain ``mkdocs build --strict`` warns
and fails with MkDocs' words, from either lane.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from tests.commands import carebase
from tests.site.conftest import BUILD_TIME, build_site, commit_all

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]

CONFIG = """\
site_name: Links
site_url: https://help.example.com/
docs_dir: content
theme:
  name: material
  custom_dir: theme
plugins:
  - carebase/kb:
      fast_lane: {lane}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
"""
FILES = {
    "index.md": "# Home\n",
    "kb/.categories.yml": "billing:\n  title: Billing\n",
    "kb/billing/b.md": "---\ndescription: B\n---\n# B\n\nText.\n",
}
BROKEN = "---\ndescription: A\n---\n# A\n\nSee [b](b.md) and [gone](missing.md).\n"
MKDOCS_SAYS = (
    "Doc file 'kb/billing/a.md' contains a link 'missing.md', but the target "
    "'kb/billing/missing.md' is not found among documentation files."
)


def project_with(root: Path, article: str, lane: bool = True) -> Path:
    """A help centre whose article ``kb/billing/a.md`` is ``article``, in a git repository."""
    shutil.copytree(REPO / "theme", root / "theme")
    (root / "mkdocs.yml").write_text(CONFIG.format(lane=str(lane).lower()), encoding="utf-8")
    for rel, text in {**FILES, "kb/billing/a.md": article}.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return commit_all(root)


@pytest.mark.parametrize("lane", [True, False], ids=["fast-lane", "mkdocs-loop"])
def test_mkdocs_strict_fails_on_a_broken_link_in_an_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, lane: bool
) -> None:
    project = project_with(tmp_path / "project", BROKEN, lane)
    with caplog.at_level(logging.INFO), pytest.raises(Abort):
        build_site(project, tmp_path / "site", monkeypatch, BUILD_TIME)
    said = [record.getMessage() for record in caplog.records]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [MKDOCS_SAYS]
    assert any("page writer: 2 article pages" in message for message in said) is lane


def test_mkdocs_strict_passes_when_the_article_links_resolve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixed = BROKEN.replace("missing.md", "b.md")
    project = project_with(tmp_path / "project", fixed)
    site = build_site(project, tmp_path / "site", monkeypatch, BUILD_TIME)
    page = (site / "kb" / "billing" / "a" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../b/">b</a>' in page


@pytest.mark.parametrize(
    "command", [["build"], ["build", "--strict-build"], ["deploy", "--dir", "published"]]
)
def test_carebase_refuses_to_build_or_deploy_with_a_broken_link(
    tmp_path: Path, command: list[str]
) -> None:
    project = project_with(tmp_path / "project", BROKEN)
    result: subprocess.CompletedProcess[str] = carebase(project, *command)
    assert result.returncode == 1
    assert "kb/billing/a.md:6: link: 'missing.md' does not exist" in result.stdout + result.stderr
    assert not (project / "published").exists()
    assert not (project / "site" / "kb" / "billing" / "a").exists()


def test_a_markdown_setup_the_page_writer_does_not_know_sends_articles_to_mkdocs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fixed = BROKEN.replace("missing.md", "b.md").replace("See", '"See"')
    project = project_with(tmp_path / "project", fixed)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("markdown_extensions:\n", "markdown_extensions:\n  - smarty\n"), "utf-8"
    )
    with caplog.at_level(logging.INFO):
        site = build_site(project, tmp_path / "site", monkeypatch, BUILD_TIME)
    said = " ".join(record.getMessage() for record in caplog.records)
    assert "every article is rendered by MkDocs" in said
    assert "markdown_extensions has smarty" in said
    assert "page writer:" not in said
    # MkDocs rendered it, with the site's extension: curly quotes.
    page = (site / "kb" / "billing" / "a" / "index.html").read_text(encoding="utf-8")
    assert "&ldquo;See&rdquo;" in page
