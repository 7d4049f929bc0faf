"""Unanswered questions in the browser: "Ask the community", and the analytics that count them.

The sample (analytics off, as shipped) must send no query anywhere; a small help centre with
Plausible analytics sends its unanswered searches and feedback to a fake Plausible on
127.0.0.1, and ``carebase report gaps`` reads them back from it.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, Request, Route, expect

from carebase.cli.main import cli
from tests.fakes.plausible import Event, FakePlausible
from tests.site.browsers import chromium_path, launched
from tests.site.conftest import BUILD_TIME, build_site, commit_all, parse
from tests.site.servers import served

pytestmark = pytest.mark.browser

DOMAIN = "help.brightwave.example"
GA4_ID = "G-TEST1234"
FORUM = "https://community.brightwave.example"
REFUND = "kb/billing/how-to-get-a-refund/"
NOWHERE = "zqxj flurble"
"""A question no page of either site answers."""

MKDOCS_YML = f"""\
site_name: Brightwave Help Centre
site_url: https://{DOMAIN}/
docs_dir: content
theme:
  name: material
  custom_dir: theme
  font: false
  logo: assets/logo.svg
  favicon: assets/logo.svg
extra_css: [assets/carebase.css]
extra_javascript: [assets/carebase.js, assets/carebase-search.js]
extra:
  analytics:
    feedback:
      title: Was this page helpful?
      ratings:
        - {{icon: material/thumb-up-outline, name: Helpful, data: 1, note: Thanks!}}
        - {{icon: material/thumb-down-outline, name: Could be better, data: 0, note: Sorry!}}
markdown_extensions:
  [admonition, attr_list, md_in_html, tables, pymdownx.details, pymdownx.superfences]
plugins:
  - carebase/search:
      analytics: ANALYTICS
  - carebase/kb:
      categories_file: kb/.categories.yml
      support:
        - kind: email
          label: {{en: Email us, es: Escríbenos}}
          url: "mailto:care@brightwave.example"
  - carebase/import:
      discourse: {{url: "{FORUM}", ask_category: help/billing}}
  - i18n:
      docs_structure: suffix
      languages:
        - {{locale: en, name: English, default: true, build: true}}
        - {{locale: es, name: Español, build: true}}
"""
ARTICLE = """\
---
title: {title}
description: {description}
type: {kind}
owner: priya
reviewed: 2026-10-21
---

{body}
"""
FILES = {
    "index.md": "# Brightwave Help Centre\n",
    "index.es.md": "# Centro de ayuda\n",
    "kb/index.md": "---\ntitle: Knowledge base\ntemplate: carebase/kb-index.html\n---\n",
    "kb/index.es.md": "---\ntitle: Base de conocimiento\ntemplate: carebase/kb-index.html\n---\n",
    "kb/.categories.yml": "billing:\n  title: Billing and payments\n",
    "blog/.authors.yml": (
        "authors:\n  priya:\n    name: Priya Sharma\n    description: Customer care\n"
        "    avatar: https://example.com/priya.png\n"
    ),
    "kb/billing/how-to-get-a-refund.md": ARTICLE.format(
        title="How to get a refund",
        description="When you can get money back and how long refunds take.",
        kind="article",
        body="Most refunds reach the card or bank account you paid with in 5 working days.",
    ),
    "kb/billing/when-is-my-bill-due.md": ARTICLE.format(
        title="When is my bill due?",
        description="The day your Direct Debit is taken.",
        kind="faq",
        body="Your bill is due 14 days after it is issued; a refund appears in the next bill.",
    ),
}


@dataclass(frozen=True)
class GapsSite:
    project: Path
    site: Path
    plausible: FakePlausible


@pytest.fixture(scope="module")
def gaps_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GapsSite]:
    """A two-article help centre with Plausible analytics, built once for the module."""
    plausible = FakePlausible(
        api_key="stats-key", sites=(DOMAIN,), goals=("Search: no results", "Search: no click")
    )
    with plausible.running():
        analytics = f"{{provider: plausible, domain: {DOMAIN}, endpoint: '{plausible.url}'"
        project, site = build_small_site(tmp_path_factory.mktemp("gaps-site"), analytics)
        yield GapsSite(project, site, plausible)


def build_small_site(root: Path, analytics: str) -> tuple[Path, Path]:
    """The two-article help centre with ``analytics`` (its start, without the closing brace)."""
    project = root / "project"
    (project / "content").mkdir(parents=True)
    config = MKDOCS_YML.replace("ANALYTICS", analytics + ", no_click_seconds: 1}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    for name, text in FILES.items():
        path = project / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copytree(Path(__file__).resolve().parents[2] / "theme", project / "theme")
    commit_all(project)
    with pytest.MonkeyPatch.context() as monkeypatch:
        return project, build_site(project, root / "site", monkeypatch, BUILD_TIME)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched(chromium_path()) as browser:
        yield browser


@dataclass
class Traffic:
    """Every request a tab made (its address and body), and the page's script errors."""

    seen: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def record(self, request: Request) -> None:
        self.seen.append((request.url, request.post_data or ""))


def tab(browser: Browser, allowed: tuple[str, ...], width: int = 1280) -> tuple[Page, Traffic]:
    """A tab that can reach only ``allowed`` origins, recording every request it makes."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(allowed) else route.abort(),
    )
    page = context.new_page()
    traffic = Traffic()
    page.on("request", traffic.record)
    page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    return page, traffic


def search(page: Page, query: str) -> None:
    """Type ``query`` in the search box and wait until its results (or none) are shown."""
    page.evaluate(
        """query => {
          const box = document.querySelector("[data-cb-search]");
          window.cbShown = new Promise((shown) => box.addEventListener("carebase:search",
            (event) => { if (event.detail.query === query) shown(); }));
        }""",
        query.strip(),
    )
    if not page.locator("#__search").is_checked():
        page.keyboard.press("/")  # The box's shortcut: on a phone the field hides in the header.
    page.locator(".md-search__input").fill(query)
    page.evaluate("() => window.cbShown")


def wait_for(condition: Callable[[], bool], page: Page, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(100)


def events(plausible: FakePlausible, name: str) -> list[Event]:
    with plausible.lock:
        return [event for event in plausible.events if event.name == name]


def test_no_query_leaves_the_browser_when_analytics_are_off(
    sample_site: Path, browser: Browser
) -> None:
    with served(sample_site) as url:
        page, traffic = tab(browser, (url,))
        page.goto(url + REFUND)
        search(page, NOWHERE)
        expect(page.locator("[data-cb-search-none]")).to_be_visible()
        page.wait_for_timeout(1200)  # Longer than a search settles with analytics on.
        search(page, "refund")
        expect(page.locator("#cb-search-results a").first).to_be_visible()
        page.keyboard.press("Escape")
        search(page, "bill")
        page.locator("#cb-search-results a").first.click()
        page.wait_for_load_state()
        page.context.close()
    # Pages the reader opened name "refund" and "bill" in their path; nothing else may.
    leaks = [
        (address, body)
        for address, body in traffic.seen
        for word in ("zqxj", "flurble", "refund", "bill")
        if word in urlsplit(address).query or word in body
    ]
    assert leaks == []
    assert traffic.errors == []
    # Besides the site, only Material's look-up of the repository's stars (repo_url).
    others = {
        urlsplit(address).netloc for address, _ in traffic.seen if not address.startswith(url)
    }
    assert others <= {"api.github.com"}
    assert not any("carebase-analytics" in address for address, _ in traffic.seen)


def test_the_community_link_is_translated(sample_site: Path) -> None:
    for prefix, label in (("", "Ask the community"), ("es/", "Pregunta a la comunidad"),
                          ("de/", "Die Community fragen")):  # fmt: skip
        link = parse(sample_site, prefix).select_one("[data-cb-search-community-link]")
        assert link is not None and link.get_text(strip=True) == label
        assert link["href"] == f"{FORUM}/new-topic"


def test_unanswered_searches_and_feedback_reach_plausible(
    gaps_site: GapsSite, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    plausible = gaps_site.plausible
    with served(gaps_site.site) as url:
        page, traffic = tab(browser, (url, plausible.url))
        page.goto(url + REFUND)
        # "Was this page helpful?": Material's form, shown and sent without Google's script.
        page.locator("form[name=feedback] button[data-md-value='0']").click()
        expect(page.locator(".md-feedback__note [data-md-value='0']")).to_be_visible()
        wait_for(lambda: bool(events(plausible, "Feedback")), page)
        (feedback,) = events(plausible, "Feedback")
        assert feedback.props == {"page": f"/{REFUND}", "rating": "0", "lang": "en"}

        # Typed a letter at a time: only the settled question counts, not "z", "zq"…
        page.keyboard.press("/")
        page.locator(".md-search__input").press_sequentially("zqxj", delay=150)
        expect(page.locator("[data-cb-search-none]")).to_be_visible()
        wait_for(lambda: bool(events(plausible, "Search: no results")), page)
        community = page.locator("[data-cb-search-community-link]")
        assert community.get_attribute("href") == (
            f"{FORUM}/new-topic?title=zqxj&body="
            + quote("I searched the help centre for this and found no answer.", safe="")
            + "&category=help%2Fbilling"
        )

        search(page, "refund")
        expect(page.locator("#cb-search-results a").first).to_be_visible()
        wait_for(lambda: bool(events(plausible, "Search: no click")), page)

        search(page, "my email is jo@example.com, call 07700 900123")
        page.keyboard.press("Escape")  # Closing the search settles it at once.

        search(page, "bill")
        page.locator("#cb-search-results a").first.click()  # Answered: never sent.
        page.wait_for_load_state()
        page.wait_for_timeout(1500)
        page.context.close()

    assert traffic.errors == []
    with plausible.lock:
        sent = [event for event in plausible.events if event.name.startswith("Search: ")]
    queries = [event.props["query"] for event in sent]
    assert queries[:2] == ["zqxj", "refund"]
    assert len(queries) == 3 and "jo@" not in queries[2] and "900123" not in queries[2]
    assert queries[2].startswith("my email is [email] call [number]")
    assert all(event.props["lang"] == "en" and event.domain == DOMAIN for event in sent)
    assert all(event.url == url + REFUND for event in [*sent, feedback])
    assert {event.content_type for event in [*sent, feedback]} == {"text/plain"}

    # And back: the report lists them, with the nearest article and a command.
    monkeypatch.chdir(gaps_site.project)
    done = CliRunner().invoke(
        cli,
        ["report", "gaps", "--site-dir", str(gaps_site.site)],
        env={"PLAUSIBLE_API_KEY": "stats-key"},
    )
    assert done.exit_code == 0, done.output
    assert "“refund” (en): 1 time (1 no click)" in done.output
    assert "nearest article: How to get a refund (kb/billing/how-to-get-a-refund/)" in done.output
    assert "carebase new faq Zqxj --category billing --author priya --lang en" in done.output


def test_ask_the_community_carries_a_hostile_query_as_text(
    gaps_site: GapsSite, browser: Browser, tmp_path: Path
) -> None:
    # Words no page has (a "1" would find a page): the fallback finds nothing either.
    hostile = '"><img src=qzx onerror=qzpwn()>&category=qzcat#qzfrag'
    with served(gaps_site.site) as url:
        page, traffic = tab(browser, (url,), width=390)
        page.goto(url + "es/")
        search(page, hostile)
        link = page.locator("[data-cb-search-community-link]")
        expect(link).to_be_visible()
        expect(link).to_have_text("Pregunta a la comunidad")
        expect(page.locator("[data-cb-search-none-text]")).to_contain_text(hostile)
        assert page.locator(".cb-search__none img").count() == 0
        address = link.get_attribute("href") or ""
        parsed = page.evaluate("href => Object.fromEntries(new URL(href).searchParams)", address)
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            expect(link).to_be_visible()
            page.screenshot(path=tmp_path / f"ask-community-{width}.png", animations="disabled")
        page.context.close()
    href = urlsplit(address)
    assert (href.scheme, href.netloc, href.path) == ("https", FORUM.split("//")[1], "/new-topic")
    assert parsed["title"] == hostile
    assert parsed["category"] == "help/billing"
    assert href.fragment == ""
    assert traffic.errors == []


def test_ga4_loads_googles_script_only_to_send_an_event(
    tmp_path_factory: pytest.TempPathFactory, browser: Browser
) -> None:
    _, site = build_small_site(
        tmp_path_factory.mktemp("ga4-site"), f"{{provider: ga4, measurement_id: {GA4_ID}"
    )
    with served(site) as url:
        page, traffic = tab(browser, (url,))
        google: list[str] = []

        def stand_in(route: Route) -> None:  # Google's gtag.js reads window.dataLayer.
            google.append(route.request.url)
            route.fulfill(content_type="text/javascript", body="window.gtagLoaded = true;")

        page.route("https://www.googletagmanager.com/**", stand_in)
        page.goto(url + REFUND)
        search(page, NOWHERE)
        assert google == []  # Nothing from Google before there is something to send.
        page.wait_for_function("() => window.gtagLoaded === true")
        sent = page.evaluate(
            """() => window.dataLayer.filter((call) => call[0] !== "js")
                 .map((call) => Array.from(call))"""
        )
        page.context.close()
    assert google == [f"https://www.googletagmanager.com/gtag/js?id={GA4_ID}"]
    settings = {"send_page_view": False, "allow_google_signals": False,
                "allow_ad_personalization_signals": False}  # fmt: skip
    assert sent == [
        ["config", GA4_ID, settings],
        ["event", "search_no_results", {"query": NOWHERE, "results": "0", "lang": "en"}],
    ]
    assert traffic.errors == []
