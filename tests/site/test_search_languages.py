"""What each language's search holds: its own articles and posts plus, marked in its words, the
default language's articles it falls back to (indexed once, in the default language's index,
their readers filter naming the languages that read them); never a listing page or a redirect."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from selectolax.lexbor import LexborHTMLParser

from tests.site.browsers import chromium_path, launched
from tests.site.conftest import REPO, build_site
from tests.site.pagefind_files import fragments
from tests.site.servers import served

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CONFIG = """\
site_name: Languages test
site_url: https://help.example.com/
docs_dir: content
theme:
  name: material
  custom_dir: theme
extra_css: [assets/carebase.css]
extra_javascript: [assets/carebase.js, assets/carebase-search.js]
plugins:
  - carebase/search
  - carebase/kb
  - i18n:
      docs_structure: suffix
      fallback_to_default: true
      reconfigure_material: true
      reconfigure_search: false
      languages:
        - {locale: en, name: English, default: true, build: true}
        - {locale: es, name: Español, build: true}
"""
CATEGORIES = """\
billing:
  title: Billing
  translations: {es: {title: Facturación}}
broadband:
  title: Broadband
  translations: {es: {title: Banda ancha}}
"""
COMPENSATION = """\
---
title: Claim compensation for an outage
description: What we pay when your line is down.
tags: [zeppelin, kumquat]
---

If your broadband stops working, we pay compensation automatically.
"""
ARTICLES = {
    "kb/billing/claim-compensation.md": COMPENSATION,
    "kb/billing/pay-your-bill.md": "# Pay your bill\n\nPay by card or direct debit.\n",
    "kb/broadband/check-your-speed.md": "# Check your speed\n\nRun a speed test.\n",
}
WHEN = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def untranslated_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Path]:
    """English articles and a Spanish site with none of them translated yet."""
    root = tmp_path_factory.mktemp("untranslated")
    project = root / "project"
    (project / "content" / "kb" / "billing").mkdir(parents=True)
    (project / "content" / "kb" / "broadband").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    files = {
        "index.md": "# Help\n",
        "index.es.md": "# Ayuda\n",
        "kb/.categories.yml": CATEGORIES,
        **ARTICLES,
    }
    for rel, text in files.items():
        (project / "content" / rel).write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "theme", project / "theme")
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield build_site(project, root / "site", monkeypatch, WHEN)


def _indexed_for(site: Path, url: str, lang: str) -> bool:
    """Whether the page at ``url`` (from the site's root) marks its text for ``lang``'s index."""
    html = (site / url.lstrip("/") / "index.html").read_text(encoding="utf-8")
    body = LexborHTMLParser(html).css_first("[data-cb-index]")
    return body is not None and lang in str(body.attributes["data-cb-index"]).split()


# --- on disk -----------------------------------------------------------------------------


def test_a_language_without_translations_searches_the_articles_it_falls_back_to(
    untranslated_site: Path,
) -> None:
    articles = {"/kb/billing/claim-compensation/", "/kb/billing/pay-your-bill/"}
    articles.add("/kb/broadband/check-your-speed/")
    # Nothing of its own: no Spanish bundle (never the home page, the knowledge base, a
    # category page or a redirect stub of es/kb/…); its box searches the English one.
    assert not (untranslated_site / "es" / "pagefind").exists()
    english = fragments(untranslated_site / "pagefind")
    assert {page["url"] for page in english} == articles
    assert all(page["filters"]["readers"] == ["en", "es"] for page in english)
    compensation = next(page for page in english if "compensation" in page["url"])
    assert compensation["meta"]["category_es"] == "Facturación"
    assert compensation["meta"]["type_es"] == "Artículo"
    # Tags are searched (as meta), never part of the text excerpts come from.
    assert compensation["meta"]["tags"] == "zeppelin, kumquat"
    assert "zeppelin" not in compensation["content"]


def test_the_sample_spanish_search_holds_its_articles_and_the_english_fallbacks(
    sample_site: Path,
) -> None:
    spanish = [page["url"] for page in fragments(sample_site / "es" / "pagefind")]
    assert spanish and len(spanish) == len(set(spanish))
    # Only its own pages, each marking its text for Spanish: no listing page, no redirect stub.
    assert all(url.startswith("/es/") for url in spanish)
    assert all(_indexed_for(sample_site, url, "es") for url in spanish)
    # The English index names Spanish among the readers of each article not translated into
    # Spanish, and of no other: an English article is indexed once.
    english = fragments(sample_site / "pagefind")
    read_in_spanish = {page["url"] for page in english if "es" in page["filters"]["readers"]}
    untranslated = {
        page["url"]
        for page in english
        if page["url"].startswith("/kb/") and _indexed_for(sample_site, page["url"], "es")
    }
    assert read_in_spanish == untranslated
    translated = {url.removeprefix("/es") for url in spanish}
    assert read_in_spanish and not translated & read_in_spanish


# --- in the browser ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched(chromium_path()) as browser:
        yield browser


def _search_page(browser: Browser, url: str, width: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(url) else route.abort(),
    )
    return context.new_page()


def _results(page: Page, query: str) -> list[dict[str, str]]:
    """Type ``query`` in the header search; each result's link, badge, facets and excerpt."""
    if page.locator("[data-cb-search-input]").is_visible():
        # An empty box empties the list: what follows is this query's answer.
        page.locator("[data-cb-search-input]").fill("")
        expect(page.locator(".md-search-result__item")).to_have_count(0)
    else:
        page.keyboard.press("/")
    page.locator("[data-cb-search-input]").fill(query)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15_000)
    found: list[dict[str, str]] = page.locator(".md-search-result__item").evaluate_all(
        """items => items.map((item) => ({
            href: item.querySelector("a").getAttribute("href"),
            lang: item.querySelector("article").lang,
            badge: (item.querySelector(".cb-badge--lang") || {}).textContent || "",
            facets: (item.querySelector(".cb-search__facets") || {}).textContent || "",
            excerpt: item.querySelector(".cb-search__excerpt").textContent,
        }))"""
    )
    return found


@pytest.mark.parametrize("width", [390, 1280])
def test_a_spanish_search_marks_english_articles_and_links_to_them(
    browser: Browser, untranslated_site: Path, tmp_path: Path, width: int
) -> None:
    with served(untranslated_site) as url:
        page = _search_page(browser, url, width)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        # A language with nothing of its own to search has no bundle: the box asks for it once,
        # then searches the English one (the only answer allowed to be missing).
        own_bundle = url + "es/pagefind/pagefind.js"
        page.on(
            "response",
            lambda r: errors.append(r.url) if r.status >= 400 and r.url != own_bundle else None,
        )
        page.goto(url + "es/")
        results = _results(page, "compensation")
        page.screenshot(path=tmp_path / f"search-es-{width}.png")
        assert [result["href"] for result in results] == ["/kb/billing/claim-compensation/"]
        result = results[0]
        assert result["badge"] == "En inglés" and result["lang"] == "en"
        assert result["facets"].startswith("Facturación · Artículo")
        assert "zeppelin" not in result["excerpt"] and "kumquat" not in result["excerpt"]
        # A tag still finds its article; the excerpt shows the article's text, not its tags.
        tagged = _results(page, "zeppelin")
        assert [result["href"] for result in tagged] == ["/kb/billing/claim-compensation/"]
        assert "zeppelin" not in tagged[0]["excerpt"]
        # Its category, in Spanish, narrows the search to it (its own filter value is English).
        assert len(_results(page, "speed compensation")) == 2
        chip = page.locator("[data-cb-search-filters] button", has_text="Facturación")
        chip.click()
        expect(chip).to_have_attribute("aria-pressed", "true")
        narrowed = page.locator(".md-search-result__item a")
        expect(narrowed).to_have_count(1)
        expect(narrowed).to_have_attribute("href", "/kb/billing/claim-compensation/")
        narrowed.click()
        page.wait_for_url(url + "kb/billing/claim-compensation/")
        page.context.close()
    assert errors == []
