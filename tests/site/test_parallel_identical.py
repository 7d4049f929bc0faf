"""The two-process build writes exactly the site a one-process build writes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from tests.site.conftest import BUILD_TIME, build_site, copy_sample

pytestmark = pytest.mark.slow


def _with_workers(project: Path, workers: int, fast_lane: bool) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    options = (
        f"  - carebase/kb:\n      workers: {workers}\n      parallel_min_pages: 1\n"
        f"      fast_lane: {str(fast_lane).lower()}\n"
    )
    config.write_text(text.replace("  - carebase/kb:\n", options, 1), encoding="utf-8")


def _tree(site: Path) -> dict[str, bytes]:
    """Every file of the site, except Pagefind's index and filter files.

    Pagefind numbers pages in the order its threads find them, so those files differ from one
    run to the next even on the same site; the page fragments it indexes (the words and
    metadata of each page) do not, and are compared.
    """
    unstable = ("index/", "filter/", "pagefind", "wasm.")
    files = {path.relative_to(site).as_posix(): path for path in site.rglob("*") if path.is_file()}
    return {
        rel: path.read_bytes()
        for rel, path in files.items()
        if not ("pagefind/" in rel and rel.split("pagefind/", 1)[1].startswith(unstable))
    }


# Carebase's page writer renders every article in the second process; without it, MkDocs'
# loop renders every other article there.
SPLIT_SAID = {
    True: "carebase-kb: Carebase's page writer: 51 article pages (en), beside MkDocs",
    False: "carebase-kb: rendering 25 of 51 articles in a second process",
}


@pytest.mark.parametrize("fast_lane", [True, False], ids=["fast-lane", "mkdocs-loop"])
def test_two_processes_build_the_same_site_as_one(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    fast_lane: bool,
) -> None:
    sites = {}
    split = {}
    for workers in (1, 2):
        project = copy_sample(tmp_path / f"project-{workers}")
        _with_workers(project, workers, fast_lane)
        caplog.clear()
        with caplog.at_level(logging.INFO):
            sites[workers] = build_site(
                project, tmp_path / f"site-{workers}", monkeypatch, BUILD_TIME
            )
        split[workers] = [
            r.getMessage()
            for r in caplog.records
            if "second process" in r.getMessage() or "beside MkDocs" in r.getMessage()
        ]
    # The split really happened with two workers (once per language with articles), never with one.
    assert split[1] == []
    assert split[2][0] == SPLIT_SAID[fast_lane]
    serial, parallel = _tree(sites[1]), _tree(sites[2])
    assert any(path.startswith("pagefind/fragment/") for path in serial)
    assert any(path.startswith("es/pagefind/fragment/") for path in serial)
    assert sorted(parallel) == sorted(serial)
    different = [path for path in serial if serial[path] != parallel[path]]
    assert different == []


def test_an_error_in_the_second_process_fails_the_build(
    make_project, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    config = (
        "site_name: Split\ndocs_dir: content\ntheme:\n  name: material\n"
        "  custom_dir: theme\n"
        "plugins:\n  - carebase/kb:\n      parallel_min_pages: 1\n      fast_lane: false\n"
    )
    files = {
        "blog/.authors.yml": None,
        # Sorted by path, the second article is the second process's share.
        "kb/billing/a.md": "# Fine\n",
        # A template that exists (the check passes) and fails as the page is rendered.
        "kb/billing/b.md": "---\ntitle: Broken\ntemplate: broken.html\n---\nText\n",
    }
    project = make_project(files, config=config, theme=True)
    (project / "theme" / "broken.html").write_text('{% include "no-such-template.html" %}\n')
    with pytest.raises(Abort):
        build_site(project, project / "site", monkeypatch, BUILD_TIME)
    errors = " ".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert "the second build process failed" in errors
    assert "no-such-template.html" in errors
    # The first process finished its own share before it heard of the failure.
    assert (project / "site" / "kb" / "billing" / "a" / "index.html").exists()


def test_an_error_in_the_page_writer_fails_the_build_naming_the_page(
    make_project, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    config = (
        "site_name: Split\ndocs_dir: content\ntheme:\n  name: material\n"
        "  custom_dir: theme\nplugins:\n  - carebase/kb\n"
        # The site's Markdown set-up: the one Carebase's page writer reproduces.
        "markdown_extensions: [admonition, attr_list, md_in_html, tables, {toc: {permalink: true}},"
        " pymdownx.details, pymdownx.superfences]\n"
    )
    files = {"blog/.authors.yml": None, "kb/billing/a.md": "# Fine\n\n## Part\n\nText\n"}
    project = make_project(files, config=config, theme=True)
    # Fails on article pages only, which the page writer renders.
    broken = (
        "{% if carebase is defined and carebase.article %}"
        '{% include "no-such-template.html" %}{% endif %}\n'
    )
    (project / "theme" / "partials" / "toc.html").write_text(broken, encoding="utf-8")
    with pytest.raises(Abort):
        build_site(project, project / "site", monkeypatch, BUILD_TIME)
    errors = " ".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert "rendering articles failed: kb/billing/a.md" in errors
    assert "no-such-template.html" in errors
