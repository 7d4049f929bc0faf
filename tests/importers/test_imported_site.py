"""Hostile threads imported into the sample help centre, built, and read back as a browser would.

One build serves every test: the XSS corpus and the personal-data corpus are imported through
the JSON-lines source into a copy of the sample, one thread is then renamed, and the site is
built strictly. The built HTML is parsed; one test drives Debian's chromium over every page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from carebase.importers.jsonl import JsonlSource
from carebase.importers.settings import ImportSettings, import_settings
from carebase.importers.sync import Action, SyncReport, sync
from carebase.project import Project, load_project, plugin_configs, read_config
from tests.importers.corpus import (
    ORDER_PATTERN,
    PERSONAL,
    PHONES,
    TEMPLATE_TEXT,
    XSS_VECTORS,
)
from tests.site.conftest import BUILD_TIME, build_site, copy_sample

pytestmark = pytest.mark.slow

CATEGORY = "broadband-and-wifi"
OLD_TITLE = "Hub lights flash orange after a power cut"
NEW_TITLE = "Hub light flashes orange after a power cut"
OLD_URL = "kb/broadband/community/hub-lights-flash-orange-after-a-power-cut/"
NEW_URL = "kb/broadband/community/hub-light-flashes-orange-after-a-power-cut/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
_SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data|livescript):", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background"}


@dataclass(frozen=True)
class ImportedSite:
    project: Project
    site: Path
    first: SyncReport


def _line(thread_id: str, title: str, question: str, answer: str, **extra: Any) -> str:
    data = {
        "id": thread_id,
        "url": f"https://community.brightwave.example/t/{thread_id}",
        "title": title,
        "category": CATEGORY,
        "updated_at": "2026-10-02T08:00:00Z",
        "question": {"author": "Alex", "body": question, "format": "html",
                     "created_at": "2026-10-01T09:00:00Z"},
        "answer": {"author": "Sam", "body": answer, "created_at": "2026-10-01T10:00:00Z",
                   "score": 3},
        **extra,
    }  # fmt: skip
    return json.dumps(data)


def xss_lines() -> list[str]:
    return [
        _line(
            f"xss-{number}",
            f"Vector {number} {vector}",
            f"<p>Before {number}</p>{vector}<p>After</p>",
            f"Answer {number}: {vector}\n\nDone.",
            replies=[
                {
                    "author": vector,
                    "body": vector,
                    "format": "html",
                    "created_at": "2026-10-01T11:00:00Z",
                    "score": 1,
                }
            ],
        )
        for number, vector in enumerate(XSS_VECTORS)
    ]


def personal_lines() -> list[str]:
    listed = ", ".join(PERSONAL)
    return [
        _line(
            "pii",
            f"Refund to jane.doe@example.com, call {PHONES[0]}",
            f"<p>Reach me on {listed}.</p><pre><code>{listed}</code></pre>",
            f"We removed {listed}.\n\n| Card | {PERSONAL[-3]} |\n| --- | --- |\n",
            replies=[
                {
                    "author": "jane.doe@example.com",
                    "body": f"<p>{listed}</p>",
                    "format": "html",
                    "created_at": "2026-10-01T11:00:00Z",
                    "score": 1,
                }
            ],
        )
    ]


def _settings(project: Project) -> ImportSettings:
    plugins = plugin_configs(read_config(project.config_path).get("plugins"))
    return import_settings(plugins)


def _import(project: Project, lines: list[str]) -> SyncReport:
    source = JsonlSource.from_text("\n".join(lines), "corpus.jsonl")
    # From the start: the sample's own cursor is newer than the corpus.
    since = datetime(2000, 1, 1, tzinfo=UTC)
    return sync(source, project, _settings(project), since=since, fetch=lambda url, size: PNG)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ImportedSite]:
    root = tmp_path_factory.mktemp("imported")
    folder = copy_sample(root / "project")
    config = folder / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    order = f"        - pattern: '{ORDER_PATTERN}'\n          label: '[order number removed]'\n"
    config.write_text(text.replace("      redact:\n", "      redact:\n" + order), "utf-8")
    project = load_project(config)
    first = _import(project, [*xss_lines(), *personal_lines(), _line("moved", OLD_TITLE, "q", "a")])
    renamed = _line("moved", NEW_TITLE, "q", "a", updated_at="2026-10-05T08:00:00Z")
    assert _import(project, [renamed]).count(Action.UPDATED) == 1
    (project.docs_dir / HAND_WRITTEN).write_text(_hand_written(), encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        site = build_site(folder, root / "site", monkeypatch, BUILD_TIME)
    yield ImportedSite(project, site, first)


HAND_WRITTEN = "kb/broadband/community/edited-by-hand.md"


def _hand_written() -> str:
    """An imported page a person edited with raw HTML: the build sanitises it all the same."""
    source = (
        "source:\n  kind: jsonl\n  url: https://community.brightwave.example/t/hand\n"
        "  id: hand\n  imported_at: 2026-10-01T00:00:00Z\n  content_hash: sha256:0\n"
    )
    vectors = "\n\n".join(vector for vector in XSS_VECTORS if "<" in vector or "{:" in vector)
    return f"---\ntitle: Edited by hand\n{source}---\n\n{vectors}\n"


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _imported_pages(site: Path) -> list[Path]:
    return sorted((site / "kb").glob("*/community/*/index.html"))


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _active(soup: BeautifulSoup) -> list[str]:
    """What in a page could run a payload: handlers, script URLs, payload scripts, frames."""
    found: list[str] = []
    for tag in soup.find_all(True):
        found += [f"{tag.name}[{name}]" for name in tag.attrs if name.lower().startswith("on")]
        for name in _URL_ATTRIBUTES & set(tag.attrs):
            if _SCRIPT_URL.match(str(tag.attrs[name])) and not _theme_form(tag):
                found.append(f"{tag.name}[{name}={tag.attrs[name]}]")
    for script in soup.find_all("script"):
        if re.search(r"__xss|alert\(|msgbox", script.get_text()):
            found.append(f"script: {script.get_text()[:60]}")
        if script.get("src") and urlsplit(str(script["src"])).netloc:
            found.append(f"script src={script['src']}")
    content = soup.select_one(".cb-page")  # An article's text; the theme's forms are outside.
    if isinstance(content, Tag):
        kinds = ("script", "iframe", "frame", "form", "object", "embed", "style", "base", "meta")
        found += [f"content <{tag.name}>" for tag in content.find_all(kinds)]
    return found


def _theme_form(tag: Tag) -> bool:
    """The header's search form, which the theme's script handles; it never submits."""
    return (
        tag.name == "form"
        and tag.get("action") == "javascript:void(0)"
        and tag.find_parent(class_="md-header") is not None
    )


def test_every_vector_became_an_article(imported: ImportedSite) -> None:
    report = imported.first
    assert report.count(Action.ADDED) == len(XSS_VECTORS) + 2
    assert report.count(Action.FAILED) == 0
    assert len(XSS_VECTORS) >= 50
    assert len(_imported_pages(imported.site)) >= len(XSS_VECTORS) + 3
    assert (imported.site / "kb/broadband/community/edited-by-hand/index.html").is_file()


def test_nothing_active_survives_in_any_page(imported: ImportedSite) -> None:
    problems = {
        str(path.relative_to(imported.site)): found
        for path in _pages(imported.site)
        if (found := _active(_soup(path)))
    }
    assert problems == {}


def test_titles_reach_pages_as_plain_text(imported: ImportedSite) -> None:
    listing = _soup(imported.site / "kb/broadband/index.html")
    titles = [link.get_text() for link in listing.select(".cb-article-list a")]
    vectors = [title for title in titles if title.startswith("Vector ")]
    assert vectors, "the category page lists imported articles"
    assert all("<" not in title and ">" not in title for title in vectors)


def test_template_syntax_stays_text(imported: ImportedSite) -> None:
    number = XSS_VECTORS.index(TEMPLATE_TEXT)
    [page] = [p for p in _imported_pages(imported.site) if f"/vector-{number}-" in str(p)]
    soup = _soup(page)
    heading = soup.select_one(".md-content h1")
    assert heading is not None and heading.get_text().strip() == f"Vector {number} {TEMPLATE_TEXT}"
    text = soup.select_one(".cb-page")
    assert text is not None and text.get_text().count(TEMPLATE_TEXT) >= 2
    assert "49" not in text.get_text()


def test_no_personal_data_reaches_the_site_or_the_repository(imported: ImportedSite) -> None:
    site_files = [p for p in imported.site.rglob("*") if p.suffix in (".html", ".json", ".xml")]
    markdown = list(imported.project.docs_dir.glob("kb/*/community/*.md"))
    leaks = [
        f"{path}: {item}"
        for path in site_files + markdown
        for item in PERSONAL
        if item.lower() in path.read_text(encoding="utf-8").lower()
    ]
    assert leaks == []


def test_no_number_is_left_however_it_was_written(imported: ImportedSite) -> None:
    """The imported pages hold no run of the corpus' digits, whatever the separators."""
    digits = {re.sub(r"\D", "", item)[-9:] for item in PERSONAL if "@" not in item}
    leaks = []
    for path in [
        *_imported_pages(imported.site),
        *imported.project.docs_dir.glob("kb/*/community/*.md"),
    ]:
        text = _soup(path).get_text(" ") if path.suffix == ".html" else path.read_text("utf-8")
        runs = {re.sub(r"\D", "", run) for run in re.findall(r"\d[\d ()\-]{7,}\d", text)}
        leaks += [f"{path}: {run}" for run in runs if any(tail in run for tail in digits)]
    assert leaks == []


def test_a_renamed_thread_redirects_from_its_old_address(imported: ImportedSite) -> None:
    site = imported.site
    assert (site / NEW_URL / "index.html").is_file()
    for prefix in ("", "es/", "de/"):
        page = _soup(site / prefix / OLD_URL / "index.html")
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})
        assert isinstance(refresh, Tag)
        target = str(refresh["content"]).split("url=", 1)[1]
        assert urljoin(f"https://help.example/{prefix}{OLD_URL}", target) == (
            f"https://help.example/{NEW_URL}"
        )


@pytest.mark.browser
def test_no_payload_runs_in_chromium(imported: ImportedSite) -> None:
    from tests.site.browsers import chromium_path, launched
    from tests.site.servers import served

    dialogs: list[str] = []
    fired: list[str] = []
    with served(imported.site) as origin, launched(chromium_path()) as browser:
        context = browser.new_context()
        context.route("**/*", lambda route: (
            route.continue_() if route.request.url.startswith(origin) else route.abort()
        ))  # fmt: skip
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        urls = [
            origin + path.parent.relative_to(imported.site).as_posix() + "/"
            for path in _imported_pages(imported.site)
        ]
        for url in [*urls, f"{origin}kb/broadband/", f"{origin}{OLD_URL}"]:
            page.goto(url, wait_until="load")
            page.wait_for_timeout(50)
            if page.evaluate("typeof window.__xss") != "undefined":
                fired.append(url)
    assert (dialogs, fired) == ([], [])
