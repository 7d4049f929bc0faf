"""A language's Pagefind index in bundles of at most ``bundle_pages`` pages (issue 16)."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from carebase.search import pagefind
from carebase.search.bundles import (
    PAGEFIND_CHUNK_SIZE,
    Bundle,
    Folder,
    bundle_dir,
    plan_bundles,
    scan_html,
    tree_from_paths,
)
from carebase.search.settings import BUNDLE_PAGES, SearchSettings

ROOTS = ["blog", "kb"]


def _paths(counts: dict[str, int]) -> list[str]:
    """``{"kb/billing": 3}`` → three article pages in ``kb/billing/``."""
    return [
        f"{folder}/page-{number:05d}/index.html"
        for folder, count in counts.items()
        for number in range(count)
    ]


def _write_site(site: Path, paths: list[str]) -> None:
    for path in paths:
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        words = path.replace("/", " ").replace("-", " ")
        target.write_text(
            f"<html lang='en'><body><main data-pagefind-body><h1>{path}</h1>"
            f"<p>Words of {words}.</p></main></body></html>",
            encoding="utf-8",
        )


def _glob_regex(glob: str) -> re.Pattern[str]:
    """The glob subset the plan writes (``{a,b}``, ``**/``, ``*``, ``[ab]``, ``[!ab]``,
    ``[\\c]``) as a regular expression: a stand-in for Pagefind's matcher in fast tests."""
    out, at = "", 0
    while at < len(glob):
        char = glob[at]
        if glob.startswith("**/", at):
            out, at = out + "(?:.*/)?", at + 3
        elif char == "*":
            out, at = out + "[^/]*", at + 1
        elif char == "[":
            end = glob.index("]", at + 2 if glob[at + 1] == "\\" else at + 1)
            inner = glob[at + 1 : end]
            negated = inner.startswith("!")
            chars = inner[1:] if negated else inner
            body = "".join(re.escape(c) for c in chars.replace("\\", ""))
            out, at = out + (f"[^/{body}]" if negated else f"[{body}]"), end + 1
        elif char in "{,}":
            out, at = out + {"{": "(?:", ",": "|", "}": ")"}[char], at + 1
        else:
            out, at = out + re.escape(char), at + 1
    return re.compile(out + r"\Z")


def _bundle_of(path: str, plan: list[Bundle]) -> int:
    """The one bundle whose glob matches ``path``."""
    matching = [bundle.number for bundle in plan if _glob_regex(bundle.glob).match(path)]
    assert len(matching) == 1, f"{path} is in bundles {matching}"
    return matching[0]


def _indexed_pages(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


# --- the plan ----------------------------------------------------------------------------


def test_a_small_language_keeps_one_bundle_over_all_its_folders() -> None:
    trees = tree_from_paths(_paths({"kb/billing": 30, "blog/posts": 5}), ROOTS)
    assert plan_bundles(trees, 4000) == [Bundle(1, "{blog/**/*.html,kb/**/*.html}", 35)]
    assert plan_bundles(trees, 35)[0].subdir == "pagefind"
    assert [bundle_dir(n) for n in (1, 2, 3)] == ["pagefind", "pagefind-2", "pagefind-3"]


def test_the_split_is_balanced_and_within_the_limit() -> None:
    counts = {f"kb/category-{n:02d}": 150 + 37 * n for n in range(20)} | {"blog": 20}
    trees = tree_from_paths(_paths(counts), ROOTS)
    total = sum(counts.values())
    plan = plan_bundles(trees, 4000)
    sizes = [bundle.pages for bundle in plan]
    assert sum(sizes) == total == 10_050
    assert len(plan) == 3  # ceil(10,050 / 4,000)
    assert max(sizes) <= 4000
    assert max(sizes) - min(sizes) <= max(counts.values())
    assert [bundle.subdir for bundle in plan] == ["pagefind", "pagefind-2", "pagefind-3"]
    # Index chunks scaled by each bundle's share: a word costs about one default chunk in all.
    chunks = [bundle.index_chunk_size or 0 for bundle in plan]
    assert abs(sum(chunks) - PAGEFIND_CHUNK_SIZE) <= len(plan)
    assert plan_bundles(trees, 20_000)[0].index_chunk_size is None
    # Every page in exactly one bundle, and each category folder whole in one bundle.
    homes: dict[str, set[int]] = {}
    for path in _paths(counts):
        homes.setdefault(path.rsplit("/", 2)[0], set()).add(_bundle_of(path, plan))
    assert all(len(bundles) == 1 for bundles in homes.values()), homes
    pages = [sum(counts[f] for f, b in homes.items() if b == {n}) for n in (1, 2, 3)]
    assert pages == sizes


def test_a_folder_larger_than_the_limit_is_split_by_entry_names() -> None:
    # One flat category of 900 articles with a limit of 100: split by the first letters.
    names = [f"{first}{second}-article" for first in "abcdefghi" for second in "0123456789"]
    paths = [f"kb/all/{name}-{n}/index.html" for name in names for n in range(10)]
    plan = plan_bundles(tree_from_paths(paths, ROOTS), 100)
    assert sum(bundle.pages for bundle in plan) == 900
    assert max(bundle.pages for bundle in plan) <= 100
    assert len(plan) == 9
    for path in [*paths, "kb/all/new-name/index.html", "kb/all/a-new/index.html"]:
        _bundle_of(path, plan)


def test_settings_default_and_limit() -> None:
    assert SearchSettings().bundle_pages == BUNDLE_PAGES == 4000
    with pytest.raises(ValueError):
        SearchSettings(bundle_pages=0)


# --- real Pagefind ----------------------------------------------------------------------


@pytest.fixture
def odd_site(tmp_path: Path) -> Path:
    """Folders of several sizes, one larger than the limit, names with glob characters."""
    site = tmp_path / "site"
    paths = _paths({"kb/billing": 4, "kb/account": 3, "kb/big": 9, "blog/2026": 2})
    paths += [
        "kb/index.html",
        "kb/big/index.html",
        "kb/big/[weird]{name},1/index.html",
        "kb/big/page-00001-extra.html",
        "blog/index.html",
    ]
    _write_site(site, paths)
    return site


def test_every_page_is_indexed_once_across_the_bundles(odd_site: Path) -> None:
    trees = scan_html(odd_site, ROOTS)
    total = sum(tree.pages for tree in trees.values())
    plan = plan_bundles(trees, 3)
    # Written after the plan, with a first letter the plan never saw: still indexed.
    _write_site(odd_site, ["kb/big/zz-late/index.html"])
    queue = pagefind.IndexingQueue()
    for bundle in plan:
        queue.add(pagefind.IndexingJob(odd_site, bundle.glob, bundle.subdir))
    reports = queue.finish()
    indexed = [_indexed_pages(odd_site / bundle.subdir) for bundle in plan]
    assert sum(indexed) == total + 1 == 24
    assert [report.pages for report in reports] == indexed
    assert all(bundle.pages <= 3 for bundle in plan)


def test_the_queue_runs_one_indexer_at_a_time(tmp_path: Path) -> None:
    sites = []
    for number in range(3):
        site = tmp_path / f"lang-{number}"
        _write_site(site, _paths({"kb/a": 40, "kb/b": 40, "blog": 5}))
        sites.append(site)
    queue = pagefind.IndexingQueue()
    for site in sites:
        for bundle in plan_bundles(scan_html(site, ROOTS), 40):
            queue.add(pagefind.IndexingJob(site, bundle.glob, bundle.subdir))
    reports = queue.finish()
    assert len(reports) == 9
    runs = sorted((report.started, report.ended) for report in reports)
    for (_, ended), (started, _) in itertools.pairwise(runs):
        assert started >= ended, "two Pagefind runs overlapped"
    assert sum(report.pages for report in reports) == 3 * 85


def test_a_failed_run_is_reported_with_its_folder(tmp_path: Path) -> None:
    queue = pagefind.IndexingQueue()
    queue.add(pagefind.IndexingJob(tmp_path, "kb/**/*.html", "pagefind"))
    with pytest.raises(Exception, match="Pagefind failed indexing"):
        queue.finish()


def test_scan_counts_html_files_per_folder(odd_site: Path) -> None:
    (odd_site / "kb" / "billing" / "notes.txt").write_text("not a page", encoding="utf-8")
    trees = scan_html(odd_site, [*ROOTS, "missing"])
    assert trees["kb"].folders["billing"].pages == 4
    assert trees["kb"].pages == 20
    assert trees["missing"] == Folder()
