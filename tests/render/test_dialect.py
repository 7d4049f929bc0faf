"""slow_lane_reason: bodies where Python-Markdown and CommonMark part are refused, by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebase.render.markdown import Heading, Rendered, render, slow_lane_reason
from tests.render.corpus import SLOW


@pytest.mark.parametrize("name", list(SLOW))
def test_divergent_snippet_takes_the_slow_lane(name: str) -> None:
    markdown, line = SLOW[name]
    reason = slow_lane_reason(markdown)
    assert reason is not None
    assert reason.startswith(f"line {line}: ")


def test_reason_names_the_first_offending_line() -> None:
    markdown = "Fine.\n\n## Fine too\n\nText with <b>bold</b>.\n\nAnd &copy;.\n"
    assert slow_lane_reason(markdown) == "line 5: raw HTML in 'Text with <b>bold</b>.'"


def test_admonition_body_lines_are_counted_in_the_whole_body() -> None:
    markdown = "Intro.\n\n!!! note\n    Fine.\n\n    <div>x</div>\n"
    reason = slow_lane_reason(markdown)
    assert reason is not None and reason.startswith("line 6: ")


def test_render_gives_toc_title_and_calls_rewrite_url_in_order() -> None:
    seen: list[str] = []

    def rewrite_url(url: str) -> str:
        seen.append(url)
        return url.upper()

    rendered = render("# Hi [a](a.md)\n\n![i](i.png)\n\n## Two\n", rewrite_url)
    assert seen == ["a.md", "#hi-a", "i.png", "#two"]
    assert rendered == Rendered(
        html=(
            '<h1 id="hi-a">Hi <a href="A.MD">a</a><a class="headerlink" href="#HI-A"'
            ' title="Permanent link">&para;</a></h1>\n'
            '<p><img alt="i" src="I.PNG" /></p>\n'
            '<h2 id="two">Two<a class="headerlink" href="#TWO" title="Permanent link">'
            "&para;</a></h2>"
        ),
        toc=(Heading("Hi a", "hi-a", 1, (Heading("Two", "two", 2, ()),)),),
        title="Hi a",
    )


def test_core_does_not_import_mkdocs() -> None:
    import carebase.render.markdown as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "import mkdocs" not in source and "from mkdocs" not in source


def test_the_site_markdown_setup_must_be_the_one_the_dialect_reproduces() -> None:
    from carebase.render.markdown import EXTENSIONS, unsupported_setup

    site = sorted(EXTENSIONS)
    assert unsupported_setup(site, {"toc": {"permalink": True}}) is None
    assert unsupported_setup([*site, "smarty"], {"toc": {"permalink": True}}) == (
        "markdown_extensions has smarty"
    )
    without = [name for name in site if name != "admonition"]
    assert unsupported_setup(without, {"toc": {"permalink": True}}) == (
        "markdown_extensions lacks admonition"
    )
    assert unsupported_setup(site, {"toc": {"permalink": "#"}}) == (
        "markdown_extensions: toc has options {'permalink': '#'}"
    )
