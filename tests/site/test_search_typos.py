"""Typo tolerance of the search box in chromium, on the sample site (issue 17).

Pagefind matches a word only as typed; the box searches a word the index lacks as the closest
word of its language's vocabulary (``search-vocabulary.txt``, written by the build and fetched
only when a query needs it). One browser for the module, one page per language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.site.browsers import chromium_path, launched
from tests.site.servers import served
from tests.site.test_search_ranking import search

LANGUAGES = {"en": "", "es": "es/", "de": "de/"}
VOCABULARY = "search-vocabulary.txt"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched(chromium_path()) as opened:
        yield opened


@pytest.fixture(scope="module")
def site_url(sample_site: Path) -> Iterator[str]:
    with served(sample_site) as url:
        yield url


@pytest.fixture(scope="module")
def pages(browser: Browser, site_url: str) -> dict[str, tuple[Page, list[str]]]:
    """Each language's home page, its search ready, and the URLs it has fetched since."""
    opened = {}
    for lang, folder in LANGUAGES.items():
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        fetched: list[str] = []
        page.on("request", lambda request, into=fetched: into.append(request.url))
        page.goto(site_url + folder)
        page.evaluate("async () => { await window.carebaseSearch.ready; }")
        opened[lang] = (page, fetched)
    return opened


def top(answer: dict[str, Any], count: int = 3) -> list[str]:
    return [result["url"].split("/kb/", 1)[-1] for result in answer["results"][:count]]


def test_correct_spelling_never_fetches_the_vocabulary(
    pages: dict[str, tuple[Page, list[str]]],
) -> None:
    # First in the module: the pages have not needed the vocabulary yet.
    page, fetched = pages["en"]
    for query in ("router keeps restarting", "refunded", "charging for paper bills", "signal"):
        assert search(page, query)["respelled"] == {}
    assert not [url for url in fetched if url.endswith(VOCABULARY)]


@pytest.mark.parametrize(
    ("lang", "query", "respelled", "expected"),
    [
        ("en", "no sginal", {"sginal": "signal"}, "faults/no-mobile-signal/"),  # two swapped
        ("en", "roming charges", {"roming": "roaming"}, "mobile/using-your-phone-abroad/"),
        ("en", "forgot pasword", {"pasword": "password"}, "account/reset-your-password/"),
        ("es", "reembolos", {"reembolos": "reembolso"}, "billing/how-to-get-a-refund/"),
        ("de", "rehcnung", {"rehcnung": "rechnung"}, "billing/when-is-my-bill-due/"),
    ],
)
def test_a_misspelt_word_is_searched_as_the_nearest_word_of_the_site(
    pages: dict[str, tuple[Page, list[str]]],
    site_url: str,
    lang: str,
    query: str,
    respelled: dict[str, str],
    expected: str,
) -> None:
    page, fetched = pages[lang]
    answer = search(page, query)
    assert answer["respelled"] == respelled
    assert expected in top(answer)
    # The word searched instead is the one marked in the excerpts.
    marked = re.compile(rf"<mark>{next(iter(respelled.values()))}", re.IGNORECASE)
    assert any(marked.search(result["excerpt"]) for result in answer["results"])
    # Each language's box reads its own vocabulary (its words and its fallbacks').
    assert f"{site_url}{LANGUAGES[lang]}{VOCABULARY}" in fetched


def test_short_words_and_words_without_a_near_spelling_are_not_respelled(
    pages: dict[str, tuple[Page, list[str]]],
) -> None:
    page, _ = pages["en"]
    # Four letters: "voip" is left as typed, not taken for "void" or "voice".
    assert search(page, "voip")["respelled"] == {}
    # A word no page holds, with no near spelling, is left out: the rest is searched alone,
    # and the box says no page holds every word.
    noisy, clean = search(page, "asdfgh restart router"), search(page, "restart router")
    assert noisy["respelled"] == {}
    assert top(noisy, 10) == top(clean, 10)
    assert (noisy["strategy"], clean["strategy"]) == ("any-word", "all-words")


@pytest.mark.parametrize(
    ("lang", "query", "said"),
    [
        ("en", "No Sginal", "Showing results for “No signal”"),
        ("es", "reembolos tarde", "Mostrando resultados de «reembolso tarde»"),
        ("de", "Rehcnung", "Ergebnisse für „rechnung“"),
    ],
)
def test_the_box_says_which_spelling_it_searched(
    pages: dict[str, tuple[Page, list[str]]], tmp_path: Path, lang: str, query: str, said: str
) -> None:
    page, _ = pages[lang]
    meta = page.locator("[data-cb-search-meta]")
    for width, height in ((390, 844), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        try:
            page.locator("body").press("/")
            page.locator("[data-cb-search-input]").fill(query)
            expect(meta).to_contain_text(said, timeout=15_000)
            page.screenshot(path=str(tmp_path / f"respelled-{lang}-{width}.png"))
            # A word typed right says nothing of the kind.
            page.locator("[data-cb-search-input]").fill("router")
            expect(page.locator("#cb-search-results a").first).to_be_visible(timeout=15_000)
            expect(meta).not_to_contain_text(said[: said.index(" ", 12)])
        finally:
            page.locator("[data-cb-search-input]").fill("")
            page.keyboard.press("Escape")
    page.set_viewport_size({"width": 1280, "height": 900})
