"""Cross-language links and redirect pages: pure functions on HTML."""

from __future__ import annotations

from bs4 import BeautifulSoup

from carebase.crosslinks import leaves_language, mark_cross_language_links
from carebase.redirects import redirect_page


def test_a_link_leaves_the_language_only_when_it_resolves_outside_its_folder() -> None:
    page = "es/kb/billing/refunds/"
    assert leaves_language("../../../../kb/billing/other/", page, "es")
    assert not leaves_language("../other/", page, "es")
    assert not leaves_language("#section", page, "es")
    assert not leaves_language("https://example.com/", page, "es")
    assert not leaves_language("/absolute/", page, "es")
    # "es" must be the whole first folder, not a prefix of "escape/".
    assert leaves_language("../../../../escape/", page, "es")


def test_marking_adds_a_target_only_to_links_leaving_the_language() -> None:
    html = (
        '<p><a href="../../../../kb/billing/x/">x</a> <a href="../y/">y</a>'
        ' <a href="../../../../z/" target="_blank">z</a></p>'
    )
    marked = BeautifulSoup(mark_cross_language_links(html, "es/kb/billing/r/", "es"), "html.parser")
    targets = {a.get_text(): a.get("target") for a in marked.find_all("a")}
    assert targets == {"x": "_self", "y": None, "z": "_blank"}


def test_a_redirect_page_escapes_what_it_is_given() -> None:
    page = redirect_page('../x/"><script>', "https://h/x/", "<b>Title</b>", "de")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.html["lang"] == "de"
    assert soup.title.get_text() == "<b>Title</b>"
    assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == (
        '0; url=../x/"><script>'
    )
    script = soup.find("script").string
    assert '"../x/\\"><script>"' in script
    assert "</script>" not in script
