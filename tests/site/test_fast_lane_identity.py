"""Carebase's page writer writes exactly the pages Material's pipeline writes.

Each site is built twice: with the fast lane (articles rendered by ``carebase.render`` from a
skeleton of Material's render) and without it (every article through MkDocs, static-i18n and
Material's template). Every file must be the same, byte for byte, apart from the order of the
sitemap's entries. The same test catches the skeleton drifting when Material or the theme
changes: a new per-page field in the template shows as a difference here.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import pytest

from tests.site.conftest import BUILD_TIME, build_site, commit_all, copy_sample

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
_UNSTABLE = ("index/", "filter/", "pagefind", "wasm.")
_URL = re.compile(r"<url>.*?</url>", re.DOTALL)


def set_kb_options(project: Path, **options: object) -> None:
    """Add ``options`` to the ``carebase/kb`` entry of the project's mkdocs.yml."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    lines = "".join(f"      {key}: {str(value).lower()}\n" for key, value in options.items())
    if "  - carebase/kb:\n" in text:
        text = text.replace("  - carebase/kb:\n", f"  - carebase/kb:\n{lines}", 1)
    else:
        text = text.replace("  - carebase/kb\n", f"  - carebase/kb:\n{lines}", 1)
    config.write_text(text, encoding="utf-8")


def site_tree(site: Path) -> dict[str, bytes]:
    """Every file of the site, but Pagefind's index files (numbered in thread order)."""
    files = {path.relative_to(site).as_posix(): path for path in site.rglob("*") if path.is_file()}
    return {
        rel: path.read_bytes()
        for rel, path in files.items()
        if not ("pagefind/" in rel and rel.split("pagefind/", 1)[1].startswith(_UNSTABLE))
        and not rel.endswith("sitemap.xml.gz")
    }


def build_both(
    project_of: dict[bool, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> tuple[dict[bool, dict[str, bytes]], list[str]]:
    """Build each project (fast lane on and off); the trees and the fast build's log."""
    trees = {}
    said: list[str] = []
    for lane, project in project_of.items():
        set_kb_options(project, fast_lane=lane)
        caplog.clear()
        with caplog.at_level(logging.INFO):
            site = build_site(project, tmp_path / f"site-{lane}", monkeypatch, BUILD_TIME)
        if lane:
            said = [record.getMessage() for record in caplog.records]
        trees[lane] = site_tree(site)
    return trees, said


def assert_same_sites(fast: dict[str, bytes], slow: dict[str, bytes]) -> None:
    """Same files, same bytes; the sitemap may list its entries in another order."""
    assert sorted(fast) == sorted(slow)
    differing = [rel for rel in fast if fast[rel] != slow[rel] and not rel.endswith("sitemap.xml")]
    assert differing == [], f"{len(differing)} files differ, e.g. {differing[:5]}"
    for rel in (rel for rel in fast if rel.endswith("sitemap.xml")):
        fast_urls = _URL.findall(fast[rel].decode())
        slow_urls = _URL.findall(slow[rel].decode())
        assert sorted(fast_urls) == sorted(slow_urls)


def rendered_count(said: list[str]) -> int:
    """How many article pages the fast lane wrote, from its log line."""
    counts = [re.search(r"page writer: (\d+) article pages", m) for m in said]
    return sum(int(found.group(1)) for found in counts if found)


def test_sample_site_is_the_same_with_the_fast_lane(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    projects = {lane: copy_sample(tmp_path / f"project-{lane}") for lane in (True, False)}
    trees, said = build_both(projects, tmp_path, monkeypatch, caplog)
    # Every article page of every language came from the fast lane: 51 English pages and
    # the 12 Spanish and German translations.
    article_pages = [
        rel
        for rel in trees[True]
        if re.fullmatch(r"((es|de)/)?kb/[^/]+/(community/)?[^/]+/index\.html", rel)
        and b'http-equiv="refresh"' not in trees[True][rel]
        and not re.search(r"/(faq|page)(-\d+)?/", rel)
    ]
    assert rendered_count(said) == len(article_pages) > 50
    assert_same_sites(trees[True], trees[False])


def test_synthetic_site_is_the_same_with_the_fast_lane(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import write_site
    finally:
        sys.path.remove(str(REPO / "bench"))
    projects = {}
    for lane in (True, False):
        projects[lane] = tmp_path / f"synth-{lane}"
        write_site(100, projects[lane], seed=7)
        commit_all(projects[lane])
    trees, said = build_both(projects, tmp_path, monkeypatch, caplog)
    assert rendered_count(said) > 100
    assert_same_sites(trees[True], trees[False])
