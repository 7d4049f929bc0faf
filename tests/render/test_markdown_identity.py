"""The fast lane renders every body it accepts exactly as MkDocs 1.6.1 does.

The reference is MkDocs itself (``Page.render`` with the site's markdown_extensions), and
``rewrite_url`` is MkDocs' own ``_RelativePathTreeprocessor.path_to_url`` for the page, so
the comparison covers HTML, TOC, title and the URLs handed over, in order.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import frontmatter
import pyromark
import pytest
from hypothesis import HealthCheck, given, settings

from carebase.render import markdown as lane
from carebase.render.markdown import Heading, render, slow_lane_reason
from tests.render.corpus import FAST, SLOW
from tests.render.grammar import body
from tests.render.reference import REPO, Reference, Site

sys.path.insert(0, str(REPO / "bench"))
import synth

SYNTH_ARTICLES = 300
SYNTH_SEED = 7
SNIPPET_PAGE = "kb/a/x.md"
SNIPPET_FILES = ["kb/a/x.md", "kb/a/y.md", "kb/b.md", "kb/a/img.png", "kb/a/index.md"]


def _sample_files() -> dict[str, str]:
    content = REPO / "content"
    return {
        path.relative_to(content).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(content.rglob("*.md"))
    }


def _is_article(path: str) -> bool:
    return path.startswith("kb/") and path.count("/") >= 2


SAMPLE = _sample_files()
SYNTHETIC = synth.generate(SYNTH_ARTICLES, seed=SYNTH_SEED)


def _toc(items: tuple[Heading, ...]) -> tuple[Any, ...]:
    return tuple((i.title, i.id, i.level, _toc(i.children)) for i in items)


def _body(text: str) -> str:
    return str(frontmatter.loads(text).content)


def assert_identical(site: Site, path: str, markdown: str) -> None:
    """``render`` equals MkDocs for ``markdown`` as the page at ``path``."""
    reference: Reference = site.render(path, markdown)
    rewriter, seen = site.rewriter(path), []

    def rewrite_url(url: str) -> str:
        seen.append(url)
        return rewriter.path_to_url(url)

    fast = render(markdown, rewrite_url)
    assert fast.html == reference.html
    assert _toc(fast.toc) == reference.toc
    assert fast.title == reference.title
    assert tuple(seen) == reference.urls


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return Site(tmp_path_factory.mktemp("sample") / "docs", list(SAMPLE))


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return Site(tmp_path_factory.mktemp("synth") / "docs", list(SYNTHETIC))


@pytest.fixture(scope="module")
def snippet_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return Site(tmp_path_factory.mktemp("snippets") / "docs", SNIPPET_FILES)


@pytest.mark.parametrize("path", [p for p in SAMPLE if _is_article(p)])
def test_sample_article_is_fast_and_identical(sample_site: Site, path: str) -> None:
    markdown = _body(SAMPLE[path])
    assert slow_lane_reason(markdown) is None
    assert_identical(sample_site, path, markdown)


def _synthetic_articles() -> Iterator[str]:
    return (p for p in SYNTHETIC if _is_article(p))


@pytest.mark.parametrize("path", list(_synthetic_articles()))
def test_synthetic_article_is_fast_and_identical(synthetic_site: Site, path: str) -> None:
    markdown = _body(SYNTHETIC[path])
    assert slow_lane_reason(markdown) is None
    assert_identical(synthetic_site, path, markdown)


def test_enough_synthetic_articles() -> None:
    assert sum(1 for _ in _synthetic_articles()) >= 300


@pytest.mark.parametrize("name", list(FAST))
def test_snippet_is_fast_and_identical(snippet_site: Site, name: str) -> None:
    assert slow_lane_reason(FAST[name]) is None
    assert_identical(snippet_site, SNIPPET_PAGE, FAST[name])


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(markdown=body())
def test_fast_lane_never_differs(snippet_site: Site, markdown: str) -> None:
    """Random bodies: whenever slow_lane_reason lets one through, the output is identical."""
    if slow_lane_reason(markdown) is None:
        assert_identical(snippet_site, SNIPPET_PAGE, markdown)


# Snippets slow_lane_reason refuses where pulldown-cmark, reshaped as the fast lane does,
# really writes something else than MkDocs: without the check, a writer would see it.
DIVERGENT = [
    "list-after-paragraph", "adjacent-lists-merge", "two-space-nesting", "attr-list",
    "attr-list-id", "md-in-html", "tab", "indented-code", "entity", "numeric-entity",
    "custom-fence", "one-trailing-space", "three-trailing-spaces", "heading-no-space",
    "paren-list", "mixed-bullets", "image-in-heading", "fence-in-paragraph",
    "heading-hash-at-end", "adjacent-quotes-merge", "nested-numbered-not-1", "empty-link-title",
]  # fmt: skip


def _unchecked_render(site: Site, markdown: str) -> str:
    """What the fast lane would write for ``markdown`` if nothing checked it first."""
    state = lane._State(site.rewriter(SNIPPET_PAGE).path_to_url)
    out = pyromark.html(markdown, options=lane.OPTIONS, highlight=lane._code_block)
    return lane._python_markdown_html(out, state).rstrip("\n")


@pytest.mark.parametrize("name", DIVERGENT)
def test_refused_snippet_would_really_differ(snippet_site: Site, name: str) -> None:
    markdown, _line = SLOW[name]
    assert slow_lane_reason(markdown) is not None
    assert (
        _unchecked_render(snippet_site, markdown)
        != snippet_site.render(SNIPPET_PAGE, markdown).html
    )
