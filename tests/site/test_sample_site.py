"""The sample help centre, built as CI builds it, read back as HTML, RSS and XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from tests.site.conftest import parse

pytestmark = pytest.mark.slow

CATEGORIES = ("billing", "broadband", "mobile", "account", "faults", "devices")


def test_every_category_has_a_landing_page_listing_promoted_articles_first(
    sample_site: Path,
) -> None:
    for category in CATEGORIES:
        soup = parse(sample_site, f"kb/{category}/")
        items = soup.select(".cb-article-list__item")
        assert len(items) >= 5, category
        promoted = ["cb-article-list__item--promoted" in item.get("class", []) for item in items]
        # Promoted articles come first: no promoted item after a plain one.
        assert promoted == sorted(promoted, reverse=True), category
    billing = parse(sample_site, "kb/billing/")
    first = billing.select_one(".cb-article-list__item a")
    assert first is not None and first.get_text(strip=True) == "Understand your first bill"


def test_every_category_has_an_faq_page_with_each_answer_under_its_question(
    sample_site: Path,
) -> None:
    for category in CATEGORIES:
        soup = parse(sample_site, f"kb/{category}/faq/")
        questions = soup.select(".cb-faq h2[id]")
        assert len(questions) == 2, category
    soup = parse(sample_site, "kb/billing/faq/")
    question = soup.select_one("h2#when-is-my-bill-due")
    assert question is not None
    answer = question.find_next_sibling("p")
    assert answer is not None and "bill" in answer.get_text().lower()


def test_the_navigation_lists_sections_and_categories_never_articles(sample_site: Path) -> None:
    soup = parse(sample_site, "kb/billing/how-to-get-a-refund/")
    nav_links = soup.select("nav.md-nav--primary a.md-nav__link")
    hrefs = [link.get("href", "") for link in nav_links]
    assert not any("how-to-get-a-refund" in href for href in hrefs)
    assert len(nav_links) < 30
    tabs = [a.get_text(strip=True) for a in soup.select(".md-tabs__link")]
    assert tabs == ["Home", "Knowledge base", "Blog"]


def test_an_article_shows_its_review_owner_tags_related_and_help(sample_site: Path) -> None:
    soup = parse(sample_site, "kb/billing/how-to-get-a-refund/")
    meta = soup.select_one(".cb-article-meta")
    assert meta is not None
    assert "Priya Sharma" in meta.get_text()
    reviewed = meta.select_one(".cb-article-meta__reviewed time")
    assert reviewed is not None and reviewed["datetime"] == "2026-10-21"
    assert [t.get_text(strip=True) for t in meta.select(".cb-article-meta__tags li")][:2] == [
        "refunds",
        "payments",
    ]
    assert soup.select_one(".cb-stale") is None
    related = [a.get_text(strip=True) for a in soup.select(".cb-related a")]
    # The article names this one first in its front matter; tag neighbours follow.
    assert related[0] == "Claim compensation for an outage"
    assert 1 < len(related) <= 5
    channels = soup.select(".cb-help__channel")
    assert [c["class"][-1] for c in channels] == [
        "cb-help__channel--chat",
        "cb-help__channel--phone",
        "cb-help__channel--email",
        "cb-help__channel--social",
    ]
    assert "Replies in about 5 minutes" in channels[0].get_text()


def test_an_article_past_its_review_date_is_flagged(sample_site: Path) -> None:
    soup = parse(sample_site, "kb/broadband/upgrade-your-broadband-package/")
    stale = soup.select_one(".cb-stale")
    assert stale is not None
    assert "July 9, 2025" in stale.get_text()


def test_an_article_with_only_a_heading_builds_in_its_category(sample_site: Path) -> None:
    soup = parse(sample_site, "kb/devices/restart-your-router/")
    assert soup.select_one("h1") is not None
    assert soup.select_one("h1").get_text(strip=True).startswith("Restart your router")
    listing = parse(sample_site, "kb/devices/")
    titles = [a.get_text(strip=True) for a in listing.select(".cb-article-list a")]
    assert "Restart your router" in titles


def test_edit_link_opens_the_source_file_in_the_repository(sample_site: Path) -> None:
    soup = parse(sample_site, "kb/billing/how-to-get-a-refund/")
    edit = soup.select_one("a.md-content__button[href*='/edit/']")
    assert edit is not None
    assert edit["href"] == (
        "https://github.com/brightwave-example/help-centre/edit/main/content/"
        "kb/billing/how-to-get-a-refund.md"
    )


@pytest.mark.parametrize(
    "url_path",
    ["", "kb/billing/", "kb/billing/how-to-get-a-refund/", "blog/", "es/kb/billing/faq/"],
)
def test_every_page_carries_link_card_meta(sample_site: Path, url_path: str) -> None:
    soup = parse(sample_site, url_path)

    def meta(attr: str, name: str) -> str:
        tag = soup.find("meta", attrs={attr: name})
        assert tag is not None, f"{url_path}: no {name}"
        return str(tag["content"])

    assert meta("property", "og:title")
    assert meta("property", "og:description")
    assert meta("property", "og:url") == "https://help.brightwave.example/" + url_path
    assert meta("property", "og:image") == "https://help.brightwave.example/assets/card.png"
    assert meta("name", "twitter:card") == "summary_large_image"
    assert (sample_site / "assets" / "card.png").stat().st_size > 1000


def test_article_card_uses_its_description(sample_site: Path) -> None:
    soup = parse(sample_site, "kb/billing/how-to-get-a-refund/")
    description = soup.find("meta", attrs={"property": "og:description"})
    assert description is not None
    assert str(description["content"]).startswith("When you can get money back")


def test_the_sitemap_lists_articles_in_every_language(sample_site: Path) -> None:
    tree = ET.parse(sample_site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {loc.text for loc in tree.getroot().findall(".//s:loc", ns)}
    assert "https://help.brightwave.example/kb/billing/how-to-get-a-refund/" in locs
    assert "https://help.brightwave.example/es/kb/billing/how-to-get-a-refund/" in locs


def test_the_blog_has_index_archive_category_and_author_pages(sample_site: Path) -> None:
    index = parse(sample_site, "blog/")
    assert index.select("article.md-post")
    assert (sample_site / "blog/archive/2026/11/index.html").exists()
    for category in ("news", "tips", "service-status"):
        assert (sample_site / f"blog/category/{category}/index.html").exists(), category
    author = parse(sample_site, "blog/author/tomasz/")
    assert "Tomasz" in author.get_text()
    # Read time is shown on posts.
    assert "min read" in index.get_text()


def test_drafts_are_not_published(sample_site: Path) -> None:
    pages = "\n".join(p.read_text(encoding="utf-8") for p in sample_site.rglob("*.html"))
    assert "Brightwave TV Max" not in pages
    feed = feedparser.parse((sample_site / "feed_rss_created.xml").read_bytes())
    assert all("TV Max" not in entry.title for entry in feed.entries)


def test_the_rss_feed_lists_published_posts_newest_first(sample_site: Path) -> None:
    feed = feedparser.parse((sample_site / "feed_rss_created.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    titles = [entry.title for entry in feed.entries]
    assert len(titles) == 6
    assert titles[0] == "Broadband outage in parts of Cumbria after flooding"
    assert all(
        entry.link.startswith("https://help.brightwave.example/blog/") for entry in feed.entries
    )


def test_the_active_notice_shows_site_wide_and_the_ended_one_does_not(sample_site: Path) -> None:
    for url_path in ("", "kb/billing/how-to-get-a-refund/", "de/kb/billing/", "blog/"):
        soup = parse(sample_site, url_path)
        notices = soup.select("a.cb-notice")
        assert len(notices) == 1, url_path
        assert "Cumbria" in notices[0].get_text()
        assert "cb-notice--critical" in notices[0]["class"]
    german = parse(sample_site, "de/")
    assert "Störung" in german.select_one(".cb-notice__severity").get_text()


def test_translated_pages_are_in_their_language(sample_site: Path) -> None:
    translations = (("es", "Cómo obtener un reembolso"), ("de", "So erhalten Sie eine Erstattung"))
    for lang, title in translations:
        soup = parse(sample_site, f"{lang}/kb/billing/how-to-get-a-refund/")
        assert soup.html is not None and soup.html["lang"] == lang
        assert soup.select_one("h1").get_text(strip=True) == title
        assert soup.select_one(".cb-fallback") is None


def test_an_untranslated_article_is_rendered_once_with_notes_for_other_languages(
    sample_site: Path,
) -> None:
    english = parse(sample_site, "kb/billing/why-has-my-bill-gone-up/")
    assert english.html is not None and english.html["lang"] == "en"
    box = english.select_one("[data-cb-fallback]")
    assert box is not None and box.has_attr("hidden")
    notes = {
        note["data-cb-lang"]: note.get_text(" ", strip=True)
        for note in box.select("[data-cb-lang]")
    }
    assert set(notes) == {"es", "de"}
    assert "disponible en español" in notes["es"] and "auf Deutsch" in notes["de"]
    # A translated article needs no note.
    assert (
        parse(sample_site, "kb/billing/how-to-get-a-refund/").select_one("[data-cb-fallback]")
        is None
    )


def test_another_languages_url_of_an_untranslated_article_redirects_to_it(
    sample_site: Path,
) -> None:
    stub = parse(sample_site, "es/kb/billing/why-has-my-bill-gone-up/")
    assert stub.html is not None and stub.html["lang"] == "es"
    refresh = stub.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh is not None
    assert refresh["content"] == "0; url=../../../../kb/billing/why-has-my-bill-gone-up/"
    canonical = stub.find("link", rel="canonical")
    assert (
        canonical["href"] == "https://help.brightwave.example/kb/billing/why-has-my-bill-gone-up/"
    )
    # Not a rendered page: no theme, a few hundred bytes.
    assert stub.select_one(".md-header") is None
    assert (sample_site / "es/kb/billing/why-has-my-bill-gone-up/index.html").stat().st_size < 1000


def test_other_languages_link_to_the_one_rendered_page(sample_site: Path) -> None:
    listing = parse(sample_site, "es/kb/billing/")
    links = {a.get_text(strip=True): a["href"] for a in listing.select(".cb-article-list a")}
    assert links["Why has my bill gone up?"] == "../../../kb/billing/why-has-my-bill-gone-up/"
    assert links["Cómo obtener un reembolso"] == "how-to-get-a-refund/"
    # Material's language switcher would catch these clicks without an explicit target.
    assert listing.find("a", string="Why has my bill gone up?")["target"] == "_self"
    assert listing.find("a", string="Cómo obtener un reembolso").get("target") is None
    item = listing.find("a", string="Why has my bill gone up?").find_parent("li")
    assert item["lang"] == "en"
    assert "En inglés" in item.get_text()
    # Links inside a translated article's text follow too.
    refund = parse(sample_site, "es/kb/billing/how-to-get-a-refund/")
    targets = {a["href"]: a.get("target") for a in refund.select(".md-content a")}
    assert targets["../../../../kb/billing/claim-compensation-for-an-outage/"] == "_self"


def test_the_language_switcher_links_each_page_to_its_translation(sample_site: Path) -> None:
    soup = parse(sample_site, "kb/billing/how-to-get-a-refund/")
    links = {a.get("hreflang"): a["href"] for a in soup.select(".md-select__list a[hreflang]")}
    assert set(links) == {"en", "es", "de"}
    assert links["de"].rstrip("/").endswith("de/kb/billing/how-to-get-a-refund")


def test_category_pages_are_translated(sample_site: Path) -> None:
    soup = parse(sample_site, "de/kb/billing/")
    assert soup.select_one("h1").get_text(strip=True) == "Rechnungen und Zahlungen"
    titles = [a.get_text(strip=True) for a in soup.select(".cb-article-list a")]
    assert "So erhalten Sie eine Erstattung" in titles


def test_the_home_page_puts_search_first_then_promoted_categories_and_posts(
    sample_site: Path,
) -> None:
    soup = parse(sample_site, "")
    content = soup.select_one("article.md-content__inner")
    assert content is not None
    first_input = content.find("input")
    assert first_input is not None and first_input.get("name") == "q"
    assert len(content.select(".cb-cards--promoted .cb-card")) == 5
    assert len(content.select(".cb-card--category")) == 6
    posts = [a.select_one("strong").get_text() for a in content.select(".cb-card--post a")]
    assert posts[0] == "Broadband outage in parts of Cumbria after flooding"
    assert "Brightwave TV Max" not in " ".join(posts)


def test_head_links_name_translations_and_feeds_without_material_fetching_the_sitemap(sample_site):
    head = parse(sample_site, "kb/billing/how-to-get-a-refund/").head
    assert head is not None
    # Parsers read rel as a set of words: still "alternate" to search engines and feed readers.
    alternates = head.find_all("link", rel="alternate")
    languages = {link["hreflang"]: link["href"] for link in alternates if link.get("hreflang")}
    assert languages == {
        "en": "./",
        "es": "../../../es/kb/billing/how-to-get-a-refund/",
        "de": "../../../de/kb/billing/how-to-get-a-refund/",
    }
    feeds = [link for link in alternates if link.get("type") == "application/rss+xml"]
    assert len(feeds) == 2
    # Material's script looks for the exact value "alternate" (and then fetches sitemap.xml).
    html = (sample_site / "kb/billing/how-to-get-a-refund/index.html").read_text(encoding="utf-8")
    assert 'rel="alternate"' not in html
