"""The built sample help centre, served over HTTP and driven in Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from tests.site.conftest import BUILD_TIME

pytestmark = pytest.mark.browser

REFUND = "kb/billing/how-to-get-a-refund/"
REFUND_DE_TITLE = "So erhalten Sie eine Erstattung"  # content/kb/billing/how-to-get-a-refund.de.md
UNTRANSLATED_DE = "de/kb/billing/why-has-my-bill-gone-up/"
# Material fetches ``sitemap.xml`` next to every ``link[rel=alternate]`` on every page view;
# theme/main.html writes those links so it does not (17 MB twice per view at 20,000 articles).
SITEMAP = "sitemap.xml"


@dataclass
class Watch:
    """What went wrong in the pages while a test browsed them."""

    origin: str
    errors: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        page.on("response", self.on_response)

    def on_response(self, response: Response) -> None:
        url = urlsplit(response.url)
        same_origin = f"{url.scheme}://{url.netloc}/" == self.origin
        if url.path.endswith(SITEMAP):
            self.sitemaps.append(url.path)
        elif same_origin and response.status >= 400:
            self.missing.append(f"{response.status} {url.path}")


@pytest.fixture
def watch(site_url: str) -> Watch:
    return Watch(site_url)


@pytest.fixture
def page(browser: Browser, site_url: str, watch: Watch) -> Iterator[Page]:
    """A fresh desktop-sized tab that can reach only the test server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # There is no internet here: Google Fonts, Gravatar and the GitHub API would only hang.
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(site_url) else route.abort()
        ),
    )
    page = context.new_page()
    watch.attach(page)
    yield page
    context.close()


def snap(page: Page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=path, full_page=True, animations="disabled")
    assert path.read_bytes().startswith(b"\x89PNG"), f"{name}.png is not a PNG"
    return path


def test_home_puts_search_first_then_topics_posts_and_the_outage(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    # carebase.js hides notices by the reader's clock: read the page on the day it was built.
    # Only here, because Playwright's fake timers swallow errors thrown in timer callbacks.
    page.clock.install(time=BUILD_TIME)
    page.goto(site_url)

    hero = page.locator("#cb-hero-query")
    expect(hero).to_be_visible()
    first_field = page.locator(".md-content").locator("input, select, textarea, button").first
    expect(first_field).to_have_id("cb-hero-query")
    expect(page.locator(".cb-cards--promoted .cb-card").first).to_be_visible()
    expect(page.get_by_role("heading", name="Popular")).to_be_visible()
    categories = page.locator(".cb-card--category")
    expect(categories).to_have_count(6)
    for card in categories.all():
        expect(card).to_be_visible()
    expect(page.locator(".cb-card--post").first).to_be_visible()
    notice = page.locator(".cb-notice--critical")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Cumbria")
    snap(page, tmp_path, "home")

    hero.fill("refund")
    hero.press("Enter")
    # The hero form opens the header search with its query, without leaving the page.
    expect(page.locator(".md-search__input")).to_have_value("refund")
    expect(page.locator("[data-md-toggle=search]")).to_be_checked()
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15_000)
    snap(page, tmp_path, "search")


def test_category_card_leads_to_articles_with_related_links_and_help(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    page.goto(site_url)
    page.locator(".cb-card--category").get_by_role("link", name="Billing and payments").click()

    expect(page).to_have_url(f"{site_url}kb/billing/")
    items = page.locator(".cb-article-list > li")
    expect(items.first).to_be_visible()
    expect(items.first).to_contain_class("cb-article-list__item--promoted")
    snap(page, tmp_path, "billing")

    page.locator(".cb-article-list").get_by_role("link", name="How to get a refund").click()
    expect(page).to_have_url(f"{site_url}{REFUND}")
    expect(page.locator(".cb-article-meta")).to_be_visible()
    related = page.locator(".cb-related")
    expect(related).to_contain_text("Related articles")
    expect(related.get_by_role("link").first).to_be_visible()
    help_box = page.locator(".cb-help")
    expect(help_box).to_be_visible()
    expect(help_box).to_contain_text("Still need help?")
    expect(help_box.locator(".cb-help__channel")).to_have_count(4)
    snap(page, tmp_path, "refund")


def test_language_selector_switches_to_german_and_flags_untranslated_pages(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    page.goto(f"{site_url}{REFUND}")
    selector = page.locator(".md-header__option .md-select")
    selector.hover()
    selector.get_by_role("link", name="Deutsch").click()

    expect(page).to_have_url(f"{site_url}de/{REFUND}")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator(".md-content h1")).to_have_text(REFUND_DE_TITLE)
    expect(page).to_have_title(f"{REFUND_DE_TITLE} - Brightwave Hilfe-Center")
    expect(page.locator(".cb-fallback")).to_have_count(0)
    snap(page, tmp_path, "refund-de")

    # An untranslated article is published once, in English: its German URL redirects there
    # and the page says, in German, that it is not translated yet.
    page.goto(f"{site_url}{UNTRANSLATED_DE}")
    expect(page).to_have_url(f"{site_url}{UNTRANSLATED_DE.removeprefix('de/')}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    note = page.locator(".cb-fallback [data-cb-lang=de]")
    expect(note).to_be_visible()
    expect(note).to_contain_text("noch nicht")
    expect(page.locator(".cb-fallback [data-cb-lang=es]")).to_be_hidden()
    # Its end is German too: related articles lead to their German pages where there are.
    german_end = page.locator("[data-cb-ending=de]")
    expect(german_end).to_be_visible()
    expect(page.locator('[data-cb-ending=""]')).to_be_hidden()
    expect(german_end.locator(".cb-help h2")).to_have_text("Brauchen Sie weitere Hilfe?")
    german_end.get_by_role("link", name="So erhalten Sie eine Erstattung").click()
    expect(page).to_have_url(f"{site_url}de/{REFUND}")
    page.go_back()
    snap(page, tmp_path, "untranslated-de")

    # Reached from the German listing, the same page says so too.
    page.goto(f"{site_url}de/kb/billing/")
    page.locator(".cb-article-list").get_by_role("link", name="Why has my bill gone up?").click()
    expect(page.locator(".cb-fallback [data-cb-lang=de]")).to_be_visible()

    # A reader who starts in English sees no note.
    page.goto(f"{site_url}kb/")
    page.goto(f"{site_url}{UNTRANSLATED_DE.removeprefix('de/')}")
    expect(page.locator(".cb-fallback")).to_be_hidden()
    expect(page.locator('[data-cb-ending=""]')).to_be_visible()
    expect(page.locator("[data-cb-ending=de]")).to_be_hidden()


TOUR = {
    "home": "",
    "search": "?q=refund",
    "kb": "kb/",
    "billing": "kb/billing/",
    "billing-faq": "kb/billing/faq/",
    "refund": REFUND,
    "blog": "blog/",
    "outage-post": "blog/2026/11/21/broadband-outage-in-parts-of-cumbria-after-flooding/",
    "home-de": "de/",
    "refund-de": f"de/{REFUND}",
    "untranslated-de": UNTRANSLATED_DE,
    "kb-es": "es/kb/",
}


def test_pages_run_without_script_errors_or_missing_files(
    page: Page, site_url: str, watch: Watch, tmp_path: Path
) -> None:
    for name, path in TOUR.items():
        # Material's scripts keep working after ``load`` (search worker, sitemaps, GitHub facts).
        page.goto(f"{site_url}{path}", wait_until="networkidle")
        snap(page, tmp_path, name)

    assert watch.errors == []
    assert watch.missing == []
    assert watch.sitemaps == [], "a page view should not download the sitemap"


# --- search (Pagefind) -------------------------------------------------------------------

RESULTS = ".md-search-result__item"


def search_for(page: Page, query: str) -> None:
    """Open the header search with its keyboard shortcut and type like a reader."""
    page.locator("body").press("/")
    box = page.locator("[data-cb-search-input]")
    expect(box).to_be_focused()
    expect(page.locator("[data-md-toggle=search]")).to_be_checked()
    box.press_sequentially(query, delay=10)


def test_header_search_finds_filters_and_opens_an_article_from_the_keyboard(
    page: Page, site_url: str, watch: Watch, tmp_path: Path
) -> None:
    page.goto(site_url)
    search_for(page, "money back after i cancelled")

    results = page.locator(RESULTS)
    expect(results.first).to_be_visible(timeout=15_000)
    expect(results.first).to_contain_text("How to get a refund")
    # Excerpts show the page's words with the reader's words marked.
    expect(results.first.locator(".cb-search__excerpt mark").first).to_be_visible()
    assert "¶" not in results.first.inner_text()
    snap(page, tmp_path, "search-results")

    filters = page.locator("[data-cb-search-filters] button")
    billing = filters.filter(has_text="Billing and payments")
    expect(billing).to_be_visible()
    assert filters.count() > 2, "the query should reach more than one category"
    billing.click()
    expect(billing).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".md-search-result__meta")).not_to_contain_text("Type your question")
    for facets in page.locator(f"{RESULTS} .cb-search__facets").all():
        expect(facets).to_contain_text("Billing and payments")
    snap(page, tmp_path, "search-filtered")

    page.locator("[data-cb-search-input]").press("ArrowDown")
    expect(page.locator(f"{RESULTS} a").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site_url}{REFUND}")
    expect(page.locator("h1").first).to_have_text("How to get a refund")
    assert watch.errors == []
    assert watch.missing == []


def test_a_long_question_still_finds_its_article(page: Page, site_url: str) -> None:
    page.goto(site_url)
    answer = page.evaluate(
        """async () => {
            await window.carebaseSearch.ready;
            return await window.carebaseSearch.search(
                "what can i do now that my direct debit payment failed last month", {limit: 3});
        }"""
    )
    urls = [result["url"] for result in answer["results"]]
    assert "/kb/billing/missed-or-failed-payments/" in urls, answer


def test_a_spanish_query_on_the_spanish_site_finds_spanish_articles(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    page.goto(f"{site_url}es/")
    search_for(page, "devolución del dinero")

    first = page.locator(f"{RESULTS} a").first
    expect(first).to_be_visible(timeout=15_000)
    expect(first).to_have_attribute("href", "/es/kb/billing/how-to-get-a-refund/")
    expect(first).to_contain_text("Cómo obtener un reembolso")
    # Spanish pages, then English articles not translated yet, marked "En inglés".
    for item in page.locator(RESULTS).all():
        spanish = (item.locator("a").get_attribute("href") or "").startswith("/es/")
        expect(item.locator(".cb-badge--lang")).to_have_count(0 if spanish else 1)
    snap(page, tmp_path, "search-es")


def test_no_results_offers_the_ways_to_reach_the_team(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    page.goto(site_url)
    search_for(page, "qqzzxxvv")

    none = page.locator(".cb-search__none")
    expect(none).to_be_visible(timeout=15_000)
    expect(none).to_contain_text("Nothing in the help centre matches “qqzzxxvv”")
    channels = none.locator(".cb-search__channels a")
    expect(channels).to_have_count(4)
    expect(channels.first).to_have_text("Live chat")
    expect(page.locator(RESULTS)).to_have_count(0)
    snap(page, tmp_path, "search-none")

    page.keyboard.press("Escape")
    expect(page.locator("[data-md-toggle=search]")).not_to_be_checked()
