"""Every page type in every language, in Debian's chromium: it fits a phone, axe-core finds no
serious WCAG 2.1 A/AA violation, nothing is fetched from another site, and a keyboard alone
gets from the home page to an article's "Still need help?"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

LANGUAGES = ("", "es/", "de/")
# A query reaching several categories in each language, so the filter chips are shown too.
QUERY = {"": "router", "es/": "wifi", "de/": "WLAN"}
# Page type → where it is under a language's root; "?search=…" opens the header search there.
PAGE_TYPES = {
    "home": "",
    "kb-index": "kb/",
    "category": "kb/billing/",
    "faq": "kb/billing/faq/",
    "article": "kb/billing/how-to-get-a-refund/",
    "community": "kb/broadband/community/wi-fi-drops-every-night-around-2am/",
    "blog-index": "blog/",
    "post": "blog/2026/11/21/broadband-outage-in-parts-of-cumbria-after-flooding/",
    "archive": "blog/archive/2026/11/",
    "author": "blog/author/amara/",
    "404": "404.html",
    "search-open": "?search={query}",
    "no-results": "?search=qqzzxxvv",
}
# Pages the sample does not have yet; each line goes when its page exists.
WIDTHS = (320, 390, 768)
AXE_WIDTH = 390
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = {"serious", "critical"}


def visits() -> list[tuple[str, str]]:
    """(name, path) of every page type in every language."""
    table = []
    for lang in LANGUAGES:
        for kind, path in PAGE_TYPES.items():
            table.append((f"{lang or 'en/'}{kind}", f"{lang}{path}".format(query=QUERY[lang])))
    return table


@dataclass
class Survey:
    """What one visit of every page found."""

    overflow: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    outside: set[str] = field(default_factory=set)
    broken: list[str] = field(default_factory=list)
    unfiltered: list[str] = field(default_factory=list)
    visited: int = 0


def local_tab(browser: Browser, site_url: str, survey: Survey, width: int) -> Page:
    """A tab whose requests to anywhere but the test server are recorded and refused."""
    context = browser.new_context(viewport={"width": width, "height": 800})

    def route(route_: object) -> None:
        request = route_.request  # type: ignore[attr-defined]
        if request.url.startswith(site_url) or request.url.startswith("data:"):
            route_.continue_()  # type: ignore[attr-defined]
        else:
            survey.outside.add(request.url)
            route_.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    page = context.new_page()
    page.on("response", lambda r: survey.broken.append(r.url) if r.status >= 400 else None)
    return page


# What sticks out to the right of the page, and any placeholder that is shown but cut short.
SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const name = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`;
  const wide = document.documentElement.scrollWidth > width;
  const found = !wide ? [] : [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5).slice(-3).map(name);
  const pen = document.createElement("canvas").getContext("2d");
  const searching = document.querySelector("[data-md-toggle=search]")?.checked;
  for (const input of document.querySelectorAll("input[placeholder]")) {
    const shown = getComputedStyle(input, "::placeholder");
    const closed = input.closest(".md-search") && !searching;
    if (closed || !input.offsetWidth || shown.color === "rgba(0, 0, 0, 0)") continue;
    const style = getComputedStyle(input);
    pen.font = `${shown.fontSize} ${style.fontFamily}`;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const cut = pen.measureText(input.placeholder).width > room + 1;
    if (cut) found.push(`${name(input)}: placeholder cut`);
  }
  return found;
}"""


def open_page(page: Page, site_url: str, path: str) -> None:
    """Go to ``path``; a ``?search=`` path types its query into the header search."""
    where, _, query = path.partition("?search=")
    page.goto(f"{site_url}{where}")
    if query:
        page.locator("body").press("/")
        page.locator("[data-cb-search-input]").press_sequentially(query, delay=5)
        answer = page.locator(".md-search-result__item, .cb-search__none:not([hidden])")
        expect(answer.first).to_be_visible(timeout=15_000)


@pytest.fixture(scope="module")
def survey(browser: Browser, site_url: str) -> Survey:
    """Each page loaded once: checked at each width, and by axe-core at one."""
    found = Survey()
    axe = Axe()
    page = local_tab(browser, site_url, found, AXE_WIDTH)
    for name, path in visits():
        open_page(page, site_url, path)
        found.visited += 1
        if name.endswith("search-open") and not page.locator(".cb-search__filter").count():
            found.unfiltered.append(name)
        # Each width is measured at once, not in the middle of Material's transitions.
        page.add_style_tag(content="*, ::before, ::after { transition: none !important; }")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            culprits = page.evaluate(SIDEWAYS)
            if culprits:
                found.overflow.append(f"{name} at {width} px: {', '.join(culprits)}")
        page.set_viewport_size({"width": AXE_WIDTH, "height": 800})
        options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
        for violation in axe.run(page, options=options).response["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [str(node["target"][0]) for node in violation["nodes"][:3]]
                found.violations.append(f"{name}: {violation['id']} at {', '.join(targets)}")
    page.context.close()
    return found


def test_no_page_scrolls_sideways_on_a_phone_or_tablet(survey: Survey) -> None:
    assert survey.visited == len(PAGE_TYPES) * len(LANGUAGES)
    assert survey.overflow == []


def test_axe_finds_no_serious_wcag_21_aa_violation(survey: Survey) -> None:
    assert survey.unfiltered == [], "axe should see the search's filter chips"
    assert survey.violations == []


def test_no_page_view_requests_another_site(survey: Survey, site_url: str) -> None:
    assert survey.outside == set()
    assert survey.broken == []


# --- the keyboard alone --------------------------------------------------------------------

FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const ring = style.boxShadow && style.boxShadow !== "none";
  return outline || ring;
}"""


def focused(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)"))


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focus is on ``selector``, checking each stop shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_SHOWN), f"no visible focus on {focused(page)}"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


@pytest.fixture
def tab(browser: Browser, site_url: str) -> Iterator[Page]:
    page = local_tab(browser, site_url, Survey(), 1280)
    yield page
    page.context.close()


def test_a_keyboard_reaches_an_answer_and_the_help_channels(tab: Page, site_url: str) -> None:
    tab.goto(site_url)
    tab_to(tab, "#cb-hero-query")
    tab.keyboard.type("refund")
    tab.keyboard.press("Enter")
    first = tab.locator(".md-search-result__item a").first
    expect(first).to_be_visible(timeout=15_000)
    tab.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    assert tab.evaluate(FOCUS_SHOWN), f"no visible focus on {focused(tab)}"
    tab.keyboard.press("Enter")

    expect(tab).to_have_url(f"{site_url}kb/billing/how-to-get-a-refund/")
    tab.wait_for_load_state()
    tab_to(tab, ".cb-help a", limit=200)
    expect(tab.locator(".cb-help a").first).to_be_focused()


def test_the_search_dialog_keeps_the_focus_and_gives_it_back(tab: Page, site_url: str) -> None:
    tab.goto(site_url)
    dialog = tab.locator("[data-cb-search]")
    toggle = tab.locator("[data-md-toggle=search]")
    tab_to(tab, ".cb-card--category a")
    opener = tab.evaluate("() => document.activeElement.href")
    tab.keyboard.press("/")
    expect(toggle).to_be_checked()
    tab.keyboard.type("router")
    expect(tab.locator(".md-search-result__item").first).to_be_visible(timeout=15_000)
    stops = dialog.evaluate(
        "(box) => [...box.querySelectorAll('input, button, [tabindex]')]"
        ".filter((el) => el.tabIndex >= 0 && el.getClientRects().length).length"
    )
    assert stops >= 3, "the open search should offer its box, filters and results"
    for key in ["Tab"] * (stops + 2) + ["Shift+Tab"] * (stops + 2):
        tab.keyboard.press(key)
        inside = dialog.evaluate("(box) => box.contains(document.activeElement)")
        assert inside, f"{key} left the open search for {focused(tab)}"

    tab.keyboard.press("Escape")
    expect(toggle).not_to_be_checked()
    tab.wait_for_function(
        "(href) => document.activeElement.href === href", arg=opener, timeout=5_000
    )


def test_popular_articles_leave_no_hole_in_their_last_row(tab: Page, site_url: str) -> None:
    tab.goto(site_url)
    cards = tab.locator(".cb-cards--promoted > li")
    assert cards.count() == 5, "the sample promotes five articles"
    for width in (1280, 1000, 700, 390):
        tab.set_viewport_size({"width": width, "height": 800})
        edges = tab.evaluate(
            """() => {
              const list = document.querySelector(".cb-cards--promoted").getBoundingClientRect();
              const cards = [...document.querySelectorAll(".cb-cards--promoted > li")];
              return [list.right, cards.at(-1).getBoundingClientRect().right];
            }"""
        )
        assert abs(edges[0] - edges[1]) <= 1, f"at {width} px the last card ends short: {edges}"
