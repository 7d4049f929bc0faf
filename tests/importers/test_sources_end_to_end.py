"""`carebase import discourse|discussions|pulls` against the fakes, then a strict build.

Each source's command runs as a user runs it (the CLI, settings from mkdocs.yml, URLs and
tokens from the environment), and what it writes must build into published pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner

from carebase.cli.main import cli
from tests.fakes.discourse import FakeDiscourse
from tests.fakes.github import FakeGitHub
from tests.site.conftest import BUILD_TIME, build_site, copy_sample, without_sample_forum

REPOSITORY = "brightwave-example/community"
SOURCES = """\
      discourse: {categories: [billing-and-payments, broadband-and-wifi]}
      discussions: {repository: brightwave-example/community}
      pulls:
        repositories: [brightwave-example/community]
        labels: [customer-facing]
        category: devices
"""


@dataclass(frozen=True)
class Imported:
    project: Path
    site: Path
    outputs: dict[str, str]


def imported_files(project: Path, kind: str) -> list[Path]:
    found = []
    for path in sorted((project / "content" / "kb").glob("*/community/*.md")):
        source = frontmatter.load(path).metadata.get("source")
        if isinstance(source, dict) and source.get("kind") == kind:
            found.append(path)
    return found


def page_of(site: Path, project: Path, path: Path) -> Path:
    rel = path.relative_to(project / "content").with_suffix("")
    return site / rel / "index.html"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    root = tmp_path_factory.mktemp("sources")
    project = without_sample_forum(copy_sample(root / "project"))
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("      replies: 2\n", f"      replies: 2\n{SOURCES}", 1)
    text = text.replace(
        "        routers-and-devices: devices\n",
        "        routers-and-devices: devices\n        Q&A: faults\n",
        1,
    )
    config.write_text(text, encoding="utf-8")

    forum = FakeDiscourse()
    forum.add_topic("Refund after cancelling in the cooling-off period", category_id=1)
    forum.add_topic("Wi-Fi drops when the microwave is on", category_id=2, posts=4)
    forum.add_topic("Staff notes on a complaint", category_id=5)  # private: never imported
    github = FakeGitHub()
    outputs: dict[str, str] = {}
    with forum.running(), github.running():
        repo = github.repository(REPOSITORY)
        repo.add_discussion(
            1,
            "Voicemail stopped after switching SIM",
            body="Since my new SIM arrived, voicemail does not pick up.",
            answer=repo.comment("DC_11", "Dial 1571 once to set it up again.", author="helper"),
        )
        repo.add_discussion(2, "Unanswered question", body="Anyone?")
        repo.add_pull(7, "Hub firmware fixes evening Wi-Fi drops", body="Fixes #3.\n\nDetails.")
        repo.add_pull(8, "Internal refactor", labels=())
        env = {
            "CAREBASE_DISCOURSE_URL": forum.url,
            "CAREBASE_GITHUB_API_URL": github.api_url,
            "GITHUB_TOKEN": github.token,
        }
        for source in ("discourse", "discussions", "pulls"):
            result = CliRunner().invoke(cli, ["-f", str(config), "import", source], env=env)
            assert result.exit_code == 0, result.output
            assert github.token not in result.output
            outputs[source] = result.output
    with pytest.MonkeyPatch.context() as monkeypatch:
        site = build_site(project, root / "site", monkeypatch, BUILD_TIME)
    yield Imported(project, site, outputs)


@pytest.mark.parametrize(
    ("source", "kind", "count", "title"),
    [
        ("discourse", "discourse", 2, "Wi-Fi drops when the microwave is on"),
        ("discussions", "github-discussion", 1, "Voicemail stopped after switching SIM"),
        ("pulls", "github-pull", 1, "Hub firmware fixes evening Wi-Fi drops"),
    ],
)
def test_each_source_imports_articles_that_build(
    imported: Imported, source: str, kind: str, count: int, title: str
) -> None:
    assert f"{count} added" in imported.outputs[source]
    files = imported_files(imported.project, kind)
    assert len(files) == count
    titles = [frontmatter.load(path).metadata["title"] for path in files]
    assert title in titles
    for path in files:
        page = page_of(imported.site, imported.project, path)
        assert page.is_file(), f"{path.name} was imported but not published"
        html = page.read_text(encoding="utf-8")
        assert "Solved in our community" in html or kind == "github-pull"


def test_private_and_unanswered_threads_stay_out(imported: Imported) -> None:
    titles = {
        frontmatter.load(path).metadata["title"]
        for path in (imported.project / "content" / "kb").glob("*/community/*.md")
    }
    assert "Staff notes on a complaint" not in titles
    assert "Unanswered question" not in titles
    assert "Internal refactor" not in titles
