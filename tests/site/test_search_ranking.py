"""The search box's ranking, synonyms and highlighting in chromium, on the sample site (issue 17).

One browser and one page per language for the module: each test runs its queries through the
page's own search (``window.carebaseSearch``), as the search-quality benchmark does, and one
through the box as a reader types.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.site.browsers import chromium_path, launched
from tests.site.conftest import parse
from tests.site.servers import served

STOPWORDS = {
    "en": {"how", "do", "i", "a", "the", "my", "for", "to", "is", "can", "get", "of", "on"},
    "es": {"de", "la", "el", "un", "una", "mi", "cómo", "por", "que", "qué", "los", "las"},
    "de": {"der", "die", "das", "und", "ich", "wie", "ein", "eine", "meine", "mein", "ist"},
}
MARK = re.compile(r"<mark>([^<]*)</mark>")


@pytest.fixture(scope="module")
def pages(sample_site: Path) -> Iterator[dict[str, Page]]:
    """The home page of each language, its search ready, in one browser."""
    with served(sample_site) as url, launched(chromium_path()) as browser:
        yield {lang: _open(browser, url + folder) for lang, folder in LANGUAGES.items()}


LANGUAGES = {"en": "", "es": "es/", "de": "de/"}


def _open(browser: Browser, url: str) -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.evaluate("async () => { await window.carebaseSearch.ready; }")
    return page


def search(page: Page, query: str, **options: Any) -> dict[str, Any]:
    answer: dict[str, Any] = page.evaluate(
        "async ([query, options]) => await window.carebaseSearch.search(query, options)",
        [query, {"limit": 10, **options}],
    )
    return answer


def urls(answer: dict[str, Any]) -> list[str]:
    return [result["url"] for result in answer["results"]]


CONTENT = Path(__file__).resolve().parents[2] / "content"


def words_of(url: str) -> int:
    """Words in the article's Markdown source (the text the index holds, with its markup)."""
    return len((CONTENT / f"{url.strip('/')}.md").read_text(encoding="utf-8").split())


# A long question whose answer is a short page, and a long page holding many of its words that
# the rescaled merge of main (before issue 17) put first.
@pytest.mark.parametrize(
    ("question", "short", "long"),
    [
        (
            "what happens if i keep the router after leaving",
            "/kb/devices/do-i-need-to-return-my-router/",
            "/kb/broadband/switching-to-brightwave/",
        ),
        (
            "is my account number on the router",
            "/kb/account/how-do-i-find-my-account-number/",
            "/kb/account/cancel-your-contract/",
        ),
    ],
)
def test_a_short_page_that_answers_beats_a_long_page_with_many_of_the_words(
    pages: dict[str, Page], question: str, short: str, long: str
) -> None:
    found = urls(search(pages["en"], question))

    assert found[0] == short, found
    assert long in found, "the long page matches too, lower down"
    assert words_of(long) > 2 * words_of(short)


def test_a_query_with_only_a_synonym_finds_the_article(
    pages: dict[str, Page], sample_site: Path
) -> None:
    refund = "/kb/billing/how-to-get-a-refund/"
    # No page holds the word: only the synonyms file (refund ↔ reimbursement) leads there.
    assert "reimbursement" not in parse(sample_site, refund.strip("/") + "/").get_text().lower()

    assert urls(search(pages["en"], "reimbursement"))[0] == refund
    assert urls(search(pages["en"], "how do i claim a reimbursement"))[0] == refund
    # One way: "bb" also searches for broadband; Spanish has its own list.
    assert any("broadband" in url for url in urls(search(pages["en"], "bb"))[:3])
    assert (
        urls(search(pages["es"], "devolver el dinero"))[0] == "/es/kb/billing/how-to-get-a-refund/"
    )
    # Without the fallback (Pagefind alone), the synonym finds nothing.
    assert refund not in urls(search(pages["en"], "reimbursement", fallback=False))


@pytest.mark.parametrize(
    ("lang", "question", "content"),
    [
        ("en", "how do i get a refund for the late payment fee", ("refund", "late", "payment")),
        # "reembolso" also searches "devolver el dinero": its "el" is no more marked than "la".
        ("es", "cómo obtener un reembolso de la factura", ("reembolso", "devol", "dinero")),
        ("de", "wie bekomme ich die erstattung für meine rechnung", ("erstattung", "rechnung")),
    ],
)
def test_only_content_words_are_highlighted(
    pages: dict[str, Page], lang: str, question: str, content: tuple[str, ...]
) -> None:
    excerpts = [result["excerpt"] for result in search(pages[lang], question)["results"]]
    marked = {word.strip().lower() for excerpt in excerpts for word in MARK.findall(excerpt)}

    assert any(word.startswith(content) for word in marked), marked
    assert not marked & STOPWORDS[lang], marked & STOPWORDS[lang]


def test_the_box_marks_content_words_on_a_phone(pages: dict[str, Page], tmp_path: Path) -> None:
    page = pages["en"]
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.locator("body").press("/")
        page.locator("[data-cb-search-input]").press_sequentially("how do i get my money back")
        first = page.locator("#cb-search-results a").first
        expect(first).to_contain_text("How to get a refund", timeout=15_000)
        marks = page.locator("#cb-search-results .cb-search__excerpt mark").all_inner_texts()
        page.screenshot(path=str(tmp_path / "search-marks-390.png"))
    finally:
        page.keyboard.press("Escape")
        page.set_viewport_size({"width": 1280, "height": 900})
    assert marks and not {mark.lower() for mark in marks} & STOPWORDS["en"], marks
