"""Every page of the sample in its reader's language: the 404 of each language, the es/de home
pages, tab titles, related articles after the fallback to English, community articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from carebase.strings import strings_for
from tests.site.conftest import parse

SITE_NAMES = {"en": "Brightwave Help Centre", "es": "Centro de ayuda de Brightwave",
              "de": "Brightwave Hilfe-Center"}  # fmt: skip
HOMES = {"en": "/", "es": "/es/", "de": "/de/"}
UNTRANSLATED = "kb/billing/understand-your-first-bill/"
COMMUNITY = "kb/broadband/community/wi-fi-drops-every-night-around-2am/"


def _text(soup: BeautifulSoup, selector: str) -> str:
    found = soup.select_one(selector)
    assert found is not None, selector
    return found.get_text(" ", strip=True)


@pytest.mark.parametrize("lang", ["en", "es", "de"])
def test_each_language_has_its_own_not_found_page(sample_site: Path, lang: str) -> None:
    folder = "" if lang == "en" else f"{lang}/"
    page = parse(sample_site, f"{folder}404.html")
    strings = strings_for(lang)
    assert page.html is not None and page.html["lang"] == lang
    assert _text(page, "title") == f"{strings['not_found_title']} - {SITE_NAMES[lang]}"
    assert _text(page, "h1") == strings["not_found_title"]
    # The search box: the big one sends its query to this language's home page, the header's
    # searches this language's index; both work at any address (absolute paths).
    form = page.select_one("form.cb-hero__form")
    assert form is not None and form["action"] == HOMES[lang]
    search = page.select_one("[data-cb-search]")
    assert search is not None
    assert search["data-cb-search-bundle"] == f"/{folder}pagefind/pagefind.js"
    # Popular articles, in this language where translated, and the help channels.
    cards = page.select(".cb-cards--promoted .cb-card")
    assert len(cards) >= 3
    for card in cards:
        link = card.a
        assert link is not None and str(link["href"]).startswith("/")
        if card.get("lang"):
            assert _text(card, ".cb-badge--lang") == strings["in_english"]
    assert _text(page, ".cb-help h2") == strings["need_help"]
    # The notice badge reads as on every other page (not Material's "Critical").
    assert _text(page, ".cb-notice__severity") == strings["severity_critical"]
    # The language switcher leads to each language's home page, not to the last page built.
    switcher = {a["hreflang"]: a["href"] for a in page.select("a.md-select__link")}
    assert switcher == HOMES
    stylesheet = page.select_one("link[rel=stylesheet]")
    assert stylesheet is not None and str(stylesheet["href"]).startswith("/assets/")


@pytest.mark.parametrize("lang", ["es", "de"])
def test_home_pages_say_everything_in_their_language(sample_site: Path, lang: str) -> None:
    page = parse(sample_site, f"{lang}/")
    strings = strings_for(lang)
    # One site name in the tab and the header, in this language.
    assert _text(page, "title") == SITE_NAMES[lang]
    assert _text(page, ".md-header__topic .md-ellipsis") == SITE_NAMES[lang]
    headings = [h.get_text(strip=True) for h in page.select("h2")]
    assert strings["promoted"] in headings and strings["latest_posts"] in headings
    # Every English card says so, in this language, marked as this language's text.
    english = page.select(".cb-card[lang=en]")
    assert len(english) >= 4
    for card in english:
        badge = card.select_one(".cb-badge--lang")
        assert badge is not None and badge.get_text(strip=True) == strings["in_english"]
        assert badge["lang"] == lang
    # The notice summary is translated (notice.translations), so not marked as English.
    summary = page.select_one(".cb-notice__summary")
    assert summary is not None and not summary.get("lang")
    assert "Cumbria" in summary.get_text()
    assert summary.get_text(strip=True) != "Broadband outage in parts of Cumbria after flooding"


def test_tab_titles_name_the_site_once_in_the_pages_language(sample_site: Path) -> None:
    assert _text(parse(sample_site, ""), "title") == "Brightwave Help Centre"
    refund = parse(sample_site, "es/kb/billing/how-to-get-a-refund/")
    assert _text(refund, "title") == "Cómo obtener un reembolso - Centro de ayuda de Brightwave"
    assert _text(refund, ".md-header__topic .md-ellipsis") == SITE_NAMES["es"]


def test_an_untranslated_article_ends_in_each_readers_language(sample_site: Path) -> None:
    page = parse(sample_site, UNTRANSLATED)
    endings = {str(div["data-cb-ending"]): div for div in page.select("[data-cb-ending]")}
    assert set(endings) == {"", "es", "de"}
    assert not endings[""].has_attr("hidden") and endings["es"].has_attr("hidden")
    spanish = endings["es"]
    assert spanish["lang"] == "es"
    assert _text(spanish, ".cb-related h2") == strings_for("es")["related"]
    assert _text(spanish, ".cb-help h2") == strings_for("es")["need_help"]
    links = {a.get_text(strip=True): str(a["href"]) for a in spanish.select(".cb-related a")}
    # Translated into Spanish: its Spanish page; not translated: the English one, marked.
    assert links["Cómo obtener un reembolso"].endswith("/es/kb/billing/how-to-get-a-refund/")
    english = spanish.select(".cb-related li[lang=en]")
    assert english and all(_text(li, ".cb-badge--lang") == "En inglés" for li in english)
    assert not any("/es/" in str(li.a["href"]) for li in english if li.a)
    # Each heading's id is its own: the endings share one page.
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))


def test_a_community_article_says_its_question_once_and_lists_no_user_names(
    sample_site: Path,
) -> None:
    page = parse(sample_site, COMMUNITY)
    assert page.select_one(".cb-article-meta__description") is None
    description = page.select_one('meta[name="description"]')
    assert description is not None and str(description["content"]).startswith("Every night")
    toc = [a.get_text(strip=True) for a in page.select(".md-nav--secondary .md-nav__link")]
    assert toc == ["Accepted answer", "Other helpful replies"]
    text = _text(page, ".cb-page")
    assert "Reply from Priyanka on 15 September 2026." in text
    assert "Reply from dave_k on 15 September 2026." in text
    assert not page.select(".cb-page h3")
