"""The sample's "Also asked as": shown under each article in its own language, indexed by
Pagefind with a weight and by Algolia records in their own field, never as page text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from carebase.documents import load_document
from carebase.manifest import read_manifest
from carebase.search.algolia import index_settings
from carebase.search.records import site_records
from tests.site.browsers import chromium_path, launched
from tests.site.conftest import REPO, parse
from tests.site.servers import served

LABELS = {"": "Also asked as", "es": "También se pregunta así", "de": "Auch so gefragt"}
SOURCES = [
    "kb/billing/how-to-get-a-refund.md",
    "kb/billing/how-to-get-a-refund.es.md",
    "kb/faults/broadband-not-working.de.md",
    "kb/devices/restart-your-router.md",  # Written with no front matter but its questions.
]


def url_of(source: str) -> tuple[str, str]:
    """The page of a source file, and its language ("" for English)."""
    stem, _, lang = source.removesuffix(".md").partition(".")
    return (f"{lang}/{stem}/" if lang else f"{stem}/"), lang


def questions_in(source: str) -> list[str]:
    document, _ = load_document(REPO / "content" / source, source)
    assert document is not None
    return list(document.meta["questions"])


@pytest.mark.parametrize("source", SOURCES)
def test_an_article_shows_its_questions_in_its_language(sample_site: Path, source: str) -> None:
    url, lang = url_of(source)
    soup = parse(sample_site, url)

    block = soup.select_one("[data-pagefind-body] .cb-also-asked")
    assert block is not None, "the questions must be inside the indexed text"
    title = block.select_one(".cb-also-asked__title")
    assert title is not None and title.get_text(strip=True) == LABELS[lang]
    assert title.has_attr("data-pagefind-ignore")  # The label is no match for anything.
    listed = block.select_one("ul[data-pagefind-weight]")
    assert listed is not None
    assert 1 < float(listed["data-pagefind-weight"]) <= 10  # Pagefind's range; 1 is plain text.
    assert [li.get_text(strip=True) for li in listed.select("li")] == questions_in(source)


def test_algolia_records_carry_the_questions_in_a_field_searched_after_the_title(
    sample_site: Path,
) -> None:
    records = site_records(read_manifest(sample_site), sample_site)
    refund = [
        r
        for r in records
        if r.lang == "en" and r.url_without_anchor.endswith("/kb/billing/how-to-get-a-refund/")
    ]

    assert refund and all(
        list(r.questions) == questions_in("kb/billing/how-to-get-a-refund.md") for r in refund
    )
    asked = questions_in("kb/billing/how-to-get-a-refund.md")
    assert not any(q in (r.content or "") for q in asked for r in refund)  # Not twice.
    assert all("questions" in r.to_dict() for r in refund)
    searchable = index_settings()["searchableAttributes"]
    assert searchable.index("unordered(questions)") == 2  # After lvl0 (category), lvl1 (title).


# Words that are only in an article's questions, never in its text: search finds the article
# by them, first, through the site's own search box (Pagefind, in chromium).
ONLY_ASKED = {
    "": {"reboot": "/kb/devices/restart-your-router/", "bars": "/kb/faults/no-mobile-signal/"},
    "es/": {"recibo": "/es/kb/billing/when-is-my-bill-due/"},
    "de/": {"Zahltag": "/de/kb/billing/when-is-my-bill-due/"},
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched(chromium_path()) as browser:
        yield browser


def test_words_found_only_in_questions_find_the_article_first(
    sample_site: Path, browser: Browser
) -> None:
    found: dict[str, str] = {}
    with served(sample_site) as url:
        page = browser.new_page()
        for prefix, queries in ONLY_ASKED.items():
            page.goto(f"{url}{prefix}")
            found |= page.evaluate(
                """async (queries) => {
                    await window.carebaseSearch.ready;
                    const first = {};
                    for (const query of queries) {
                        const answer = await window.carebaseSearch.search(query, {limit: 1});
                        first[query] = answer.results.length ? answer.results[0].url : "";
                    }
                    return first;
                }""",
                list(queries),
            )
        page.close()

    assert found == {
        query: url for queries in ONLY_ASKED.values() for query, url in queries.items()
    }
