"""The skeleton: a page cut at its field markers and filled again."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from jinja2 import Environment

from carebase.render.skeleton import Skeleton, SkeletonError, changed_characters
from carebase.render.writer import PageWriter, assemble

MARKERS = {"title": "zqcbtitle", "content": "zqcbcontent"}
TEMPLATE = Environment().from_string(
    "<title>{{ title | striptags }}</title>\n  <h1>{{ title }}</h1>\n"
    '  <meta content="{{ title | e }}">\n<main>{{ content }}</main>\n'
)


def render(values: Mapping[str, str]) -> str:
    return TEMPLATE.render(**values)


def test_filling_a_skeleton_gives_back_the_render_of_those_values() -> None:
    skeleton = Skeleton.cut(render(MARKERS), MARKERS, required={"title", "content"})
    values = {"title": "Reset your router", "content": "<p>Hold the button.</p>"}
    assert skeleton.fill(values) == render(values)
    assert skeleton.fields == ("title", "title", "title", "content")


def test_a_required_field_the_page_does_not_show_is_refused() -> None:
    page = render({"title": "zqcbtitle", "content": "no marker here"})
    with pytest.raises(SkeletonError, match="does not show content"):
        Skeleton.cut(page, MARKERS, required={"title", "content"})


def test_a_marker_the_template_changed_is_refused() -> None:
    # The template cut the marker short: filling would leave part of it on every page.
    page = render(MARKERS).replace("zqcbcontent", "zqcbcont")
    with pytest.raises(SkeletonError, match="changed a page field"):
        Skeleton.cut(page, MARKERS, required={"title"})


def test_changed_characters_are_those_some_placement_escapes_or_strips() -> None:
    changed = changed_characters(render, MARKERS, "title")
    # `| e` escapes quotes and ampersands; striptags drops tags and folds spaces.
    assert {"'", '"', "&", "<", ">", "  "} <= changed
    assert changed_characters(render, MARKERS, "content") == set()


def test_assemble_drops_indentation_from_the_whole_page() -> None:
    skeleton = Skeleton.cut(render(MARKERS), MARKERS, required={"title", "content"})
    page = assemble(skeleton, {"title": "A", "content": "<p>\n    x</p>"}, compact=True)
    assert "\n  " not in page
    assert "<pre" not in page


def test_the_writer_makes_folders_and_writes_unencodable_characters_as_references(
    tmp_path,
) -> None:
    writer = PageWriter()
    target = tmp_path / "kb" / "billing" / "refunds" / "index.html"
    writer.write(str(target), "<p>caf\u00e9 \udcff</p>")
    assert target.read_bytes() == "<p>caf\u00e9 &#56575;</p>".encode()
