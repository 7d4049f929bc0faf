"""An imported thread's address does not bring back what the scrubber removed from its title.

A forum's slug is its title: an e-mail address, a phone number or an account number scrubbed
from the title would reappear in ``source.url`` and the "Solved in our community" link. The
threads are imported through the real CLI (the fake Discourse, and JSON lines), then the site
is built: the values appear nowhere — Markdown, front matter, built pages, search files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner

from carebase.cli.main import cli
from carebase.importers.safety import public_url
from carebase.importers.settings import ImportSettings, Redaction
from tests.fakes.discourse import FakeDiscourse
from tests.site.conftest import BUILD_TIME, build_site, copy_sample, without_sample_forum

pytestmark = pytest.mark.slow

TITLE = "Refund to jane.doe@example.com, call 07700 900123, account BW-12345678"
"""The sample's mkdocs.yml redacts account numbers like BW-12345678."""
SLUG = "refund-to-jane-doe-example-com-call-07700-900123-account-bw-12345678"
JSONL_URL = (
    "https://community.brightwave.example/t/"
    "refund-to-jane.doe%40example.com-call-07700-900123-account-BW-12345678/4711"
    "?u=jane.doe@example.com#call-07700900123"
)
SCRUBBED = (
    "jane.doe@example.com",
    "jane.doe%40example.com",
    "jane-doe-example-com",
    "07700 900123",
    "07700-900123",
    "07700900123",
    "BW-12345678",
)
"""What must not be published, as written and as slugs write it (compared ignoring case)."""


@dataclass(frozen=True)
class Imported:
    project: Path
    site: Path
    forum_url: str


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    root = tmp_path_factory.mktemp("source-urls")
    project = without_sample_forum(copy_sample(root / "project"))
    config = project / "mkdocs.yml"
    forum = FakeDiscourse()
    topic = forum.add_topic(TITLE, category_id=1)
    assert topic.slug == SLUG
    thread = {
        "id": "4711",
        "url": JSONL_URL,
        "title": TITLE,
        "category": "broadband-and-wifi",
        "question": {"author": "Jane", "body": "Where is my refund?",
                     "created_at": "2026-10-01T09:00:00Z"},
        "answer": {"author": "Sam", "body": "On its way.", "created_at": "2026-10-01T10:00:00Z"},
    }  # fmt: skip
    (root / "threads.jsonl").write_text(json.dumps(thread) + "\n", encoding="utf-8")
    with forum.running():
        forum_url = forum.url
        runs = {
            "discourse": ["import", "discourse"],
            "jsonl": ["import", "jsonl", str(root / "threads.jsonl"), "--since", "2000-01-01"],
        }
        for command in runs.values():
            result = CliRunner().invoke(
                cli, ["-f", str(config), *command], env={"CAREBASE_DISCOURSE_URL": forum.url}
            )
            assert result.exit_code == 0, result.output
            assert "1 added" in result.output, result.output
    with pytest.MonkeyPatch.context() as monkeypatch:
        site = build_site(project, root / "site", monkeypatch, BUILD_TIME)
    yield Imported(project, site, forum_url)


def _imported(project: Path) -> dict[str, Path]:
    found = {}
    for path in (project / "content" / "kb").glob("*/community/*.md"):
        meta = frontmatter.load(path).metadata
        source = meta.get("source")
        if isinstance(source, dict) and str(meta["title"]).startswith("Refund to"):
            found[str(source["kind"])] = path
    return found


def _leaks(text: str) -> list[str]:
    folded = text.casefold()
    return [value for value in SCRUBBED if value.casefold() in folded]


def test_the_address_is_the_thread_without_its_slug(imported: Imported) -> None:
    files = _imported(imported.project)
    assert set(files) == {"discourse", "jsonl"}
    sources = {kind: frontmatter.load(path).metadata["source"] for kind, path in files.items()}
    assert sources["discourse"]["url"] == f"{imported.forum_url}/t/1"
    # JSON lines: the slug, query and fragment held personal data, so they are dropped.
    assert sources["jsonl"]["url"] == "https://community.brightwave.example/t/4711"


def test_no_scrubbed_value_is_in_the_markdown_or_its_front_matter(imported: Imported) -> None:
    for path in _imported(imported.project).values():
        text = path.read_text(encoding="utf-8")
        assert "[account number removed]" in text  # The title was scrubbed…
        assert _leaks(text) == [], path  # …and nothing brings the values back.
        assert _leaks(json.dumps(frontmatter.load(path).metadata["source"])) == []


def test_no_scrubbed_value_is_in_the_built_site(imported: Imported) -> None:
    for path in _imported(imported.project).values():
        rel = path.relative_to(imported.project / "content").with_suffix("")
        page = (imported.site / rel / "index.html").read_text(encoding="utf-8")
        assert "Solved in our community" in page
    leaking = {
        str(path.relative_to(imported.site)): leaks
        for path in imported.site.rglob("*")
        if path.is_file()
        and path.suffix in {".html", ".json", ".xml", ".txt", ".js"}
        and (leaks := _leaks(path.read_text(encoding="utf-8", errors="replace")))
    }
    assert leaking == {}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://f.example/t/refund-for-bw-12345678/4711", "https://f.example/t/4711"),
        ("https://f.example/t/call-me-on-07700-900123/4711", "https://f.example/t/4711"),
        ("https://jane:pw@f.example/t/router-drops/4711", "https://f.example/t/router-drops/4711"),
        ("https://f.example/t/987654321", "https://f.example/t/987654321"),  # its id stays
        (
            "https://f.example/t/router-drops/4711?page=2",
            "https://f.example/t/router-drops/4711?page=2",
        ),
    ],
)
def test_public_url_drops_the_parts_holding_personal_data(url: str, expected: str) -> None:
    settings = ImportSettings(redact=[Redaction(pattern=r"\bBW-?\d{8}\b", label="[removed]")])
    thread_id = url.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    assert public_url(url, settings, thread_id) == expected
