"""A site searched through Algolia: built, pushed and searched in the browser, end to end.

The real ``algoliasearch`` client pushes to the fake Algolia server, and the site's search box
queries the same fake from Debian's chromium with the search-only key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, expect

from carebase.cli.main import cli
from tests.fakes.algolia import FakeAlgolia, use_algolia
from tests.site.browsers import chromium_path, launched
from tests.site.conftest import BUILD_TIME, build_site, copy_sample
from tests.site.servers import served

ADMIN_KEY = "admin-Zq7-never-published"
SEARCH_KEY = "search-only-3f1c"
INDEX = "brightwave_help"


@dataclass(frozen=True)
class AlgoliaSite:
    project: Path
    site: Path
    fake: FakeAlgolia


@pytest.fixture(scope="module")
def algolia_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AlgoliaSite]:
    fake = FakeAlgolia(app_id="BRIGHTAPP", admin_key=ADMIN_KEY, search_key=SEARCH_KEY)
    with fake.running():
        root = tmp_path_factory.mktemp("algolia-site")
        project = copy_sample(root / "project")
        config = project / "mkdocs.yml"
        use_algolia(config, fake.app_id, INDEX, SEARCH_KEY, search_host=fake.url)
        with pytest.MonkeyPatch.context() as monkeypatch:
            # As in CI: the admin key is in the environment while the site builds.
            monkeypatch.setenv("ALGOLIA_ADMIN_KEY", ADMIN_KEY)
            site = build_site(project, root / "site", monkeypatch, BUILD_TIME)
        env = {"ALGOLIA_ADMIN_KEY": ADMIN_KEY, "CAREBASE_ALGOLIA_HOSTS": fake.url}
        command = ["-f", str(config), "search", "push", "--site-dir", str(site)]
        pushed = CliRunner().invoke(cli, command, env=env)
        assert pushed.exit_code == 0, pushed.output
        assert ADMIN_KEY not in pushed.output
        yield AlgoliaSite(project, site, fake)


def test_the_admin_key_never_reaches_a_built_file(algolia_site: AlgoliaSite) -> None:
    files = [path for path in algolia_site.site.rglob("*") if path.is_file()]
    leaking = [path for path in files if ADMIN_KEY.encode() in path.read_bytes()]
    assert leaking == []
    # The search-only key is what pages carry, and no other backend's index is built.
    page = (algolia_site.site / "index.html").read_text(encoding="utf-8")
    assert f'data-cb-search-algolia-key="{SEARCH_KEY}"' in page
    assert not (algolia_site.site / "pagefind").exists()
    assert not (algolia_site.site / "search" / "search_index.json").exists()


@pytest.fixture(scope="module")
def site_url(algolia_site: AlgoliaSite) -> Iterator[str]:
    with served(algolia_site.site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched(chromium_path()) as browser:
        yield browser


@pytest.fixture
def page(browser: Browser, site_url: str, algolia_site: AlgoliaSite) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    allowed = (site_url, algolia_site.fake.url)
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(allowed) else route.abort(),
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.browser
def test_the_search_box_asks_algolia_with_the_search_only_key(
    page: Page, site_url: str, algolia_site: AlgoliaSite
) -> None:
    algolia_site.fake.reset_log()
    page.goto(site_url)
    page.locator("body").press("/")
    box = page.locator("[data-cb-search-input]")
    results = page.locator(".md-search-result__item")

    # A query reaching several categories can be narrowed to one.
    box.press_sequentially("your bill", delay=10)
    expect(results.first).to_be_visible(timeout=15_000)
    billing = page.locator("[data-cb-search-filters] button", has_text="Billing and payments")
    billing.click()
    expect(billing).to_have_attribute("aria-pressed", "true")
    for facets in page.locator(".md-search-result__item .cb-search__facets").all():
        expect(facets).to_contain_text("Billing and payments")

    queries = [r for r in algolia_site.fake.requests if r.verb == "query"]
    assert queries and all(r.status == 200 for r in queries)
    params = queries[-1].body["params"]
    assert "lang%3A%22en%22" in params and "hierarchy.lvl0" in params

    box.fill("")
    box.press_sequentially("refund", delay=10)
    expect(results.first).to_contain_text("How to get a refund", timeout=15_000)
    expect(results.first.locator(".cb-search__excerpt mark").first).to_have_text("refund")
    expect(results.first.locator(".cb-search__facets")).to_contain_text("Billing and payments")
    # Records are sections: the link lands on the section that matched.
    results.first.locator("a").click()
    expect(page).to_have_url(re.compile(re.escape(f"{site_url}kb/billing/how-to-get-a-refund/")))


@pytest.mark.browser
def test_the_spanish_site_asks_for_spanish_records(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}es/")
    page.locator("body").press("/")
    page.locator("[data-cb-search-input]").press_sequentially("reembolso", delay=10)
    first = page.locator(".md-search-result__item a").first
    expect(first).to_be_visible(timeout=15_000)
    expect(first).to_contain_text("Cómo obtener un reembolso")
    for link in page.locator(".md-search-result__item a").all():
        assert "/es/" in (link.get_attribute("href") or "")


@pytest.mark.browser
def test_the_spanish_site_also_finds_untranslated_english_records_marked(
    page: Page, site_url: str
) -> None:
    page.goto(f"{site_url}es/")
    page.locator("body").press("/")
    page.locator("[data-cb-search-input]").press_sequentially("compensation", delay=10)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=15_000)
    hrefs = [link.get_attribute("href") or "" for link in results.locator("a").all()]
    claim = "/kb/billing/claim-compensation-for-an-outage/"
    assert [href for href in hrefs if href.startswith(claim)], hrefs
    # English records of articles translated into Spanish are not searched from here.
    assert not [href for href in hrefs if "how-to-get-a-refund" in href], hrefs
    for item in results.all():
        href = item.locator("a").get_attribute("href") or ""
        badge = item.locator(".cb-badge--lang")
        expect(badge).to_have_count(0 if "/es/" in href else 1)
    expect(results.first.locator(".cb-badge--lang")).to_have_text("En inglés")
