"""Untrusted text made safe: sanitised HTML, inert Markdown, plain titles, scrubbed data."""

from __future__ import annotations

import re

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from carebase.importers.safety import (
    CARD_LABEL,
    COMMUNITY_MEMBER,
    EMAIL_LABEL,
    PHONE_LABEL,
    display_name,
    escape_text,
    inline_html,
    luhn_valid,
    markdown_from_html,
    plain_text,
    safe_markdown,
    safe_page_html,
    scrub,
)
from carebase.importers.settings import ImportSettings
from tests.importers.conftest import SETTINGS

SITE_EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "pymdownx.details"]
BASE = "https://forum.example.com/t/1"


def rendered(text: str) -> BeautifulSoup:
    """Markdown as the sample site's extensions render it, parsed."""
    return BeautifulSoup(markdown.markdown(text, extensions=SITE_EXTENSIONS), "html.parser")


def active_parts(soup: BeautifulSoup) -> list[str]:
    """Elements and attributes that could run script or load something unwanted."""
    found = [tag.name for tag in soup.find_all(["script", "iframe", "form", "object", "svg"])]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.startswith("on") or name == "style":
                found.append(f"{tag.name}[{name}]")
            if re.match(r"\s*(javascript|data|vbscript):", text, re.IGNORECASE):
                found.append(f"{tag.name}[{name}={text}]")
    return found


class TestMarkdownFromHtml:
    def test_keeps_formatting_links_and_code(self) -> None:
        html = (
            "<h1>Steps</h1><p>Use <strong>5 GHz</strong> and <a href='/t/other/7'>this</a>.</p>"
            "<ul><li>one</li><li>two</li></ul><pre><code>ping 192.168.1.254</code></pre>"
        )
        text = markdown_from_html(html, BASE)
        assert text == (
            "### Steps\n\nUse **5 GHz** and [this](https://forum.example.com/t/other/7).\n\n"
            "- one\n- two\n\n```\nping 192.168.1.254\n```\n"
        )

    def test_escaped_markup_stays_text(self) -> None:
        html = "<p>&lt;img src=x onerror=alert(1)&gt; and &lt;script&gt;alert(1)&lt;/script&gt;</p>"
        soup = rendered(markdown_from_html(html, BASE))
        assert active_parts(soup) == []
        assert soup.get_text() == "<img src=x onerror=alert(1)> and <script>alert(1)</script>"

    @pytest.mark.parametrize(
        "text",
        [
            "{{ 7*7 }} {% include 'x' %}",
            "[click](javascript:alert(1)) ![x](data:image/png;base64,AA)",
            "- not a list",
            "# not a heading",
            "1. not a list",
            '!!! danger "not an admonition"',
            '??? note "not details"',
            "> not a quote",
            "a | b\n--- | ---",
            'Text{: onclick="alert(1)" }',
            "```fence``` and ~~~",
            "&amp;lt;b&amp;gt;",
            '--8<-- "/etc/passwd"',
        ],
    )
    def test_text_that_looks_like_markup_renders_literally(self, text: str) -> None:
        html = f"<p>{text.replace('&', '&amp;').replace('<', '&lt;')}</p>"
        soup = rendered(markdown_from_html(html, BASE))
        assert [tag.name for tag in soup.find_all(True)] == ["p"]
        assert soup.get_text() == " ".join(text.split("\n"))

    def test_a_fence_inside_code_cannot_close_it(self) -> None:
        html = "<pre><code>```\n&lt;img src=x onerror=alert(1)&gt;\n```</code></pre>"
        soup = rendered(markdown_from_html(html, BASE))
        assert active_parts(soup) == []
        assert "<img src=x onerror=alert(1)>" in soup.get_text()

    def test_urls_are_encoded_so_markdown_cannot_end_them_early(self) -> None:
        html = '<a href="https://ok.example/a) [b](javascript:alert(1)">x</a>'
        soup = rendered(markdown_from_html(html, BASE))
        assert active_parts(soup) == []
        assert soup.a is not None and str(soup.a["href"]).startswith("https://ok.example/a%29")

    def test_relative_urls_need_a_base(self) -> None:
        html = '<p><a href="/t/2">other</a> <img src="/uploads/a.png" alt="pic"></p>'
        assert markdown_from_html(html, "") == "other pic\n"

    def test_dangerous_elements_and_attributes_are_gone(self) -> None:
        html = (
            '<p style="color:red" onclick="alert(1)">x</p><iframe src="https://evil"></iframe>'
            "<form action='https://evil'><input name=a></form><svg onload=alert(1)></svg>"
            "<object data='x.swf'></object><embed src='x'><math><mi>y</mi></math>"
            "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>"
        )
        soup = rendered(markdown_from_html(html, BASE))
        assert active_parts(soup) == []
        assert [tag.name for tag in soup.find_all(True)] == ["p"]

    def test_headings_start_below_the_articles_own(self) -> None:
        assert markdown_from_html("<h1>A</h1><h5>B</h5>", BASE) == "### A\n\n###### B\n"

    def test_the_scrubber_sees_text_code_and_alt_text(self) -> None:
        html = (
            "<p>mail <b>me@example.com</b></p><pre><code>me@example.com</code></pre>"
            '<img src="https://forum.example.com/a.png" alt="me@example.com">'
        )
        text = markdown_from_html(html, BASE, lambda part: part.replace("me@example.com", "X"))
        assert "me@example.com" not in text


class TestSafeMarkdown:
    def test_markdown_keeps_its_meaning(self) -> None:
        text = "Use **bold** and `code`.\n\n- a\n- b\n\n```\nif a < b:\n```\n"
        assert safe_markdown(text, BASE) == (
            "Use **bold** and `code`.\n\n- a\n- b\n\n```\nif a < b:\n```\n"
        )

    def test_raw_html_and_script_urls_are_neutralised(self) -> None:
        text = (
            "Hi <script>alert(1)</script><img src=x onerror=alert(1)>\n\n"
            "[js](javascript:alert(1)) <a href='javascript:alert(2)'>a</a> {{ 7*7 }}"
        )
        soup = rendered(safe_markdown(text, BASE))
        assert active_parts(soup) == []
        assert "alert(1)" not in soup.get_text()
        assert "{{ 7*7 }}" in soup.get_text()


class TestPageHtml:
    def test_keeps_what_mkdocs_renders(self) -> None:
        html = (
            '<h2 id="steps">Steps<a class="headerlink" href="#steps" title="Permanent link">¶</a>'
            '</h2><div class="admonition note"><p class="admonition-title">Note</p></div>'
        )
        assert safe_page_html(html) == html

    def test_drops_anything_active(self) -> None:
        html = '<p onclick="x" style="y">a</p><a href="javascript:alert(1)">b</a><script>c</script>'
        assert safe_page_html(html) == "<p>a</p><a>b</a>"

    def test_attribution_is_inline_html(self) -> None:
        text = "Shared under [CC BY-SA](https://creativecommons.org/licenses/by-sa/4.0/)"
        assert inline_html(text) == (
            'Shared under <a href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA</a>'
        )
        assert inline_html("<img src=x onerror=alert(1)>") == '<img src="x">'


class TestPlainText:
    @pytest.mark.parametrize(
        ("raw", "plain"),
        [
            ("<b>Router</b> drops", "Router drops"),
            ("Wi-Fi &amp; TV", "Wi-Fi & TV"),
            ("&amp;lt;script&amp;gt;", "‹script›"),
            ('Say "hi" <script>alert(1)</script>', "Say ”hi”"),
            ("line\nbreak\ttab", "line break tab"),
            ("{{ 7*7 }}", "{{ 7*7 }}"),
        ],
    )
    def test_never_holds_markup(self, raw: str, plain: str) -> None:
        assert plain_text(raw) == plain

    @given(st.text())
    def test_nothing_can_break_out_of_html(self, raw: str) -> None:
        text = plain_text(raw)
        assert not set(text) & {"<", ">", '"', "\n"}


class TestEscapeText:
    @given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"])))
    def test_escaped_text_renders_as_that_text_and_nothing_else(self, raw: str) -> None:
        text = " ".join(raw.split())
        soup = rendered(escape_text(text))
        assert [tag.name for tag in soup.find_all(True)] in ([], ["p"])
        assert " ".join(soup.get_text().split()) == text.strip()


class TestScrub:
    SETTINGS = SETTINGS

    @pytest.mark.parametrize(
        "text",
        [
            "mail jane.doe@example.com now",
            "mail jane\\_doe+help@mail.example.co.uk now",
            "call +44 20 7946 0958 now",
            "call 020 7946 0958 now",
            "call (415) 555-2671 now",
            "call +1 415-555-2671 now",
            "call +49 30 901820 now",
            "call 0171 1234567 now",
            "call +34 912 34 56 78 now",
            "call 612 345 678 now",
            "call 07700 900123 now",
        ],
    )
    def test_removes_emails_and_phone_numbers(self, text: str) -> None:
        scrubbed = scrub(text, SETTINGS)
        assert scrubbed.startswith(("mail [", "call ["))
        assert scrubbed.endswith("] now")
        assert not re.search(r"\d{3}", scrubbed) and "@" not in scrubbed

    @pytest.mark.parametrize(
        "number",
        ["4111 1111 1111 1111", "4111-1111-1111-1111", "5555555555554444", "3782 822463 10005"],
    )
    def test_removes_card_numbers(self, number: str) -> None:
        assert scrub(f"card {number}.", SETTINGS) == f"card {CARD_LABEL}."

    @pytest.mark.parametrize(
        "text",
        [
            "On 2026-10-12 at 10:30",
            "Ticket 12/10/2026",
            "Router model 8012345",
            "Firmware 1.2.3.4 released in 2025",
            "4111 1111 1111 1112 is not a valid card",
            "Price 1234.56",
        ],
    )
    def test_leaves_dates_versions_and_other_numbers(self, text: str) -> None:
        assert scrub(text, SETTINGS) == text

    def test_applies_the_sites_patterns(self) -> None:
        assert scrub("order ORD-1234567 shipped", SETTINGS) == (
            "order [order number removed] shipped"
        )

    def test_labels_are_what_readers_see(self) -> None:
        assert scrub("a@b.example and +44 20 7946 0958", SETTINGS) == (
            f"{EMAIL_LABEL} and {PHONE_LABEL}"
        )

    @given(
        st.lists(st.integers(0, 9), min_size=15, max_size=15),
        st.sampled_from(["", " ", "-"]),
        st.text(alphabet="ab 1-", max_size=5),
        st.text(alphabet="ab 1-", max_size=5),
    )
    def test_never_leaves_a_luhn_valid_card_number(
        self, digits: list[int], separator: str, before: str, after: str
    ) -> None:
        number = "".join(map(str, digits)) + _check_digit(digits)
        written = separator.join(number[i : i + 4] for i in range(0, 16, 4))
        scrubbed = scrub(f"{before} {written} {after}", SETTINGS)
        for run in re.findall(r"\d(?:[ -]?\d)*", scrubbed):
            plain = re.sub(r"\D", "", run)
            assert not (len(plain) == 16 and luhn_valid(plain)), scrubbed


def _check_digit(digits: list[int]) -> str:
    for check in range(10):
        if luhn_valid("".join(map(str, digits)) + str(check)):
            return str(check)
    raise AssertionError("unreachable")


class TestDisplayName:
    def test_shows_a_scrubbed_plain_name(self) -> None:
        assert display_name("<b>Alex</b> (alex@example.com)", SETTINGS) == (f"Alex ({EMAIL_LABEL})")

    def test_anonymises_when_configured(self) -> None:
        settings = ImportSettings(anonymise_authors=True)
        assert display_name("Alex", settings) == COMMUNITY_MEMBER

    def test_a_name_that_is_nothing_but_markup_becomes_a_member(self) -> None:
        assert display_name("<img src=x onerror=alert(1)>", SETTINGS) == COMMUNITY_MEMBER
