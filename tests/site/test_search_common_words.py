"""Common words of a long question are not searched alone (issue 17, "p95 query ≤ 50 ms").

At 20,000 articles a word on half the pages costs Pagefind ≈ 0.4 s to search alone. The build
lists each language's common words (``search-common.json``: none on the sample, whose words
are each on a few dozen pages); the box searches such a word only together with a rarer word
of the question. Here the page is served a table that makes two of the sample's words common,
and counts what the box asks Pagefind's worker. The conftest's browser and server, one page
per table.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Route

COMMON = "search-common.json"
# Pagefind searches in a web worker: the page records each search term it is asked for.
RECORD_SEARCHES = """(() => {
  window.pagefindTerms = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && message.method === "search") window.pagefindTerms.push(message.args[0]);
    return post.call(this, message, ...rest);
  };
})();"""
ASK = """async (query) => {
  window.pagefindTerms = [];
  const answer = await window.carebaseSearch.search(query, {limit: 10});
  return {terms: window.pagefindTerms, strategy: answer.strategy,
          urls: answer.results.map((result) => result.url)};
}"""


def _home(browser: Browser, site_url: str, common: dict[str, int] | None) -> Page:
    """The English home page, its search ready; ``common`` replaces the build's table."""
    page = browser.new_page()
    page.add_init_script(RECORD_SEARCHES)
    if common is not None:
        body = json.dumps({"least": min(common.values()), "words": common})

        def table(route: Route) -> None:
            route.fulfill(status=200, content_type="application/json", body=body)

        page.route(f"**/{COMMON}", table)
    page.goto(site_url)
    page.evaluate("async () => { await window.carebaseSearch.ready; }")
    return page


def _ask(page: Page, query: str) -> dict[str, Any]:
    answer: dict[str, Any] = page.evaluate(ASK, query)
    return answer


def test_the_sample_has_no_common_word_so_every_word_is_searched_alone(
    sample_site: Path, browser: Browser, site_url: str
) -> None:
    assert json.loads((sample_site / COMMON).read_text(encoding="utf-8"))["words"] == {}
    page = _home(browser, site_url, None)
    try:
        terms = _ask(page, "router keeps restarting")["terms"]
    finally:
        page.close()
    assert {"router", "keeps", "restarting"} <= set(terms), terms


def test_a_common_word_is_searched_only_with_a_rarer_one(browser: Browser, site_url: str) -> None:
    plain = _home(browser, site_url, None)
    sparing = _home(browser, site_url, {"keeps": 900, "restarting": 400})
    try:
        before = _ask(plain, "router keeps restarting")
        after = _ask(sparing, "router keeps restarting")
        # Only common words: the pages holding them all, rarest first, in one search.
        only = _ask(sparing, "keeps restarting")
    finally:
        plain.close()
        sparing.close()
    assert "router" in after["terms"]
    assert not {"keeps", "restarting", '"keeps"', '"restarting"'} & set(after["terms"])
    assert {"router keeps", "router restarting"} <= set(after["terms"]), after["terms"]
    # What a common word adds to a page holding the rarer word still counts: same first answer.
    assert after["urls"][:1] == before["urls"][:1] != []
    assert only["terms"] == ["restarting keeps"], only["terms"]
    assert only["strategy"] == "all-words" and only["urls"]


def test_a_short_word_the_index_lacks_is_never_searched_alone(
    browser: Browser, site_url: str
) -> None:
    # "wif" is in no page as such, and too short to respell: Pagefind stands in a longer or
    # shorter word for it, which on a large site may be on every page. Like a common word, it
    # is searched only together with a word the index holds.
    page = _home(browser, site_url, {"keeps": 900})
    try:
        answer = _ask(page, "router wif keeps")
    finally:
        page.close()
    assert "wif" not in answer["terms"], answer["terms"]
    assert {"router", "router wif", "router keeps"} <= set(answer["terms"]), answer["terms"]
    assert answer["urls"]


def test_a_misspelt_word_is_respelled_before_anything_is_searched(
    browser: Browser, site_url: str
) -> None:
    # Searched as typed, alone or with "charges", "roming" would be Pagefind's stand-in (a
    # shorter word, found on many pages of a large site), only to be thrown away for
    # "roaming": the box only counts the pages holding it as such, then respells it.
    page = _home(browser, site_url, None)
    try:
        answer = _ask(page, "roming charges")
    finally:
        page.close()
    assert [term for term in answer["terms"] if "roming" in term] == ['"roming"'], answer["terms"]
    assert {'"roming"', "roaming", "charges"} <= set(answer["terms"]), answer["terms"]
