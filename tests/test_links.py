"""Finding internal links in Markdown: what counts, what is code, and which line it is on."""

from __future__ import annotations

import pytest

from carebase.links import Link, LinkKind, find_links, is_internal, mask_code, resolve


def targets(body: str) -> list[tuple[str, int]]:
    return [(link.target, link.line) for link in find_links(body)]


def test_inline_links_images_and_reference_definitions_with_their_lines():
    body = 'First [a](a.md).\n\n![logo](img/logo.png "Logo")\n\n[ref]: ../b.md "B"\n'
    assert find_links(body) == [
        Link("a.md", 1, LinkKind.LINK),
        Link("img/logo.png", 3, LinkKind.IMAGE),
        Link("../b.md", 5, LinkKind.REFERENCE),
    ]


def test_lines_count_from_the_first_line_of_the_body():
    assert targets("\n\n\n[x](x.md)") == [("x.md", 4)]


def test_a_link_text_spanning_lines_is_reported_at_its_target():
    assert targets("[a long\nlink text](far.md)") == [("far.md", 2)]


@pytest.mark.parametrize(
    "target",
    [
        "https://example.com/a.md",
        "http://example.com",
        "mailto:care@example.com",
        "tel:+448001234567",
        "ftp://files.example.com/x",
        "//cdn.example.com/x.js",
        "#section",
        "",
    ],
)
def test_external_urls_anchors_and_empty_targets_are_not_internal(target):
    assert not is_internal(target)
    assert targets(f"[x]({target})") == []


def test_anchors_and_queries_stay_in_the_target_but_not_in_the_path():
    [link] = find_links("[x](page%20two.md?tab=1#part)")
    assert link.target == "page%20two.md?tab=1#part"
    assert link.path == "page two.md"


def test_fenced_code_blocks_are_ignored_until_a_matching_fence():
    body = "```md\n[a](a.md)\n~~~\n[b](b.md)\n```\n[c](c.md)\n~~~~\n[d](d.md)\n~~~~~\n[e](e.md)\n"
    assert targets(body) == [("c.md", 6), ("e.md", 10)]


def test_a_fence_indented_in_a_list_is_still_code():
    assert targets("1. Step\n\n    ```\n    [a](a.md)\n    ```\n") == []


def test_an_unclosed_fence_runs_to_the_end():
    assert targets("[a](a.md)\n```\n[b](b.md)\n") == [("a.md", 1)]


def test_inline_code_is_ignored_with_any_number_of_backticks():
    body = "`[a](a.md)` and ``[b](b.md) ` still code`` but [c](c.md)"
    assert targets(body) == [("c.md", 1)]


def test_an_unmatched_backtick_does_not_hide_the_rest():
    assert targets("It's a ` stray [c](c.md)") == [("c.md", 1)]


def test_html_comments_are_ignored():
    assert targets("<!-- [a](a.md)\n[b](b.md) -->\n[c](c.md)") == [("c.md", 3)]


def test_an_image_inside_a_link_counts_as_two_links():
    assert find_links("[![badge](badge.svg)](page.md)") == [
        Link("badge.svg", 1, LinkKind.IMAGE),
        Link("page.md", 1, LinkKind.LINK),
    ]


def test_angle_brackets_allow_spaces_and_parentheses_in_paths():
    assert targets("[a](<my file.md>) [b](wiki_(x).md) [c](c.md 'title')") == [
        ("my file.md", 1),
        ("wiki_(x).md", 1),
        ("c.md", 1),
    ]


def test_footnotes_and_abbreviations_are_not_reference_definitions():
    assert targets("[^1]: note.md\n*[HTML]: Hyper Text\n   [ok]: ok.md\n") == [("ok.md", 3)]


def test_references_without_definition_and_plain_brackets_are_not_links():
    assert targets("[see this][missing] and [just brackets] and [a] (b.md)") == []


def test_masking_keeps_line_breaks():
    text = "a\n```\ncode\n```\n`x\ny` z"
    masked = mask_code(text)
    assert masked.count("\n") == text.count("\n")
    assert "code" not in masked
    assert masked.endswith(" z")


@pytest.mark.parametrize(
    ("source", "target", "resolved"),
    [
        ("kb/billing/a.md", "b.md", "kb/billing/b.md"),
        ("kb/billing/a.md", "../broadband/c.md", "kb/broadband/c.md"),
        ("kb/billing/a.md", "./b.md", "kb/billing/b.md"),
        ("kb/billing/a.md", "/index.md", "index.md"),
        ("kb/billing/a.md", "../../", ""),
        ("kb/billing/a.md", "../../../x.md", None),
        ("index.md", "../x.md", None),
        ("index.md", "kb/", "kb"),
    ],
)
def test_resolve_is_relative_to_the_source_folder(source, target, resolved):
    assert resolve(source, target) == resolved
