"""Authors' pictures drawn from their initials (carebase.avatars)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from carebase.avatars import PALETTE, colours, drawn, generated_avatars, initials, initials_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_initials_are_the_first_and_last_names_first_letters():
    assert initials("Priya Sharma") == "PS"
    assert initials("Amara Ngozi Okafor") == "AO"
    assert initials("cher") == "C"
    assert initials("  ") == "?"
    assert initials("Łukasz Żak") == "ŁŻ"


def test_every_author_gets_a_colour_of_their_own():
    ids = ["priya", "tomasz", "amara", "dev", "kim", "lee"]
    chosen = colours(ids)
    assert set(chosen) == set(ids)
    assert len(set(chosen.values())) == len(ids)
    assert set(chosen.values()) <= set(PALETTE)


@given(st.lists(st.text(min_size=1, max_size=8), unique=True, max_size=len(PALETTE)))
def test_colours_stay_distinct_while_the_palette_lasts(ids):
    assert len(set(colours(ids).values())) == len(ids)


def test_adding_an_author_changes_no_one_elses_colour_when_theirs_is_free():
    before = colours(["priya", "tomasz"])
    after = colours(["priya", "tomasz", "zoe"])
    if after["zoe"] not in before.values():
        assert {key: after[key] for key in before} == before


def test_the_picture_is_svg_with_the_initials_and_a_name_for_screen_readers():
    svg = ET.fromstring(initials_svg("Tomasz Nowak", "#00695c"))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Tomasz Nowak"
    assert svg.find(f"{SVG}text").text == "TN"
    assert svg.find(f"{SVG}rect").get("fill") == "#00695c"


def test_a_name_with_markup_stays_text():
    svg = initials_svg('<script>alert(1)</script> "x', "#3949ab")
    tree = ET.fromstring(svg)
    assert "<script>" not in svg
    assert tree.get("aria-label") == '<script>alert(1)</script> "x'
    assert list(tree) and all(child.tag != "script" for child in tree.iter())


def test_only_local_svgs_are_drawn():
    assert drawn("assets/authors/priya.svg")
    assert drawn("/assets/authors/PRIYA.SVG")
    assert not drawn("https://www.gravatar.com/avatar/x.svg")
    assert not drawn("//cdn.example/a.svg")
    assert not drawn("assets/authors/priya.png")


def test_generated_avatars_are_keyed_by_author():
    svgs = generated_avatars({"priya": "Priya Sharma", "amara": "Amara Okafor"})
    assert set(svgs) == {"priya", "amara"}
    assert ">PS<" in svgs["priya"]
    assert ">AO<" in svgs["amara"]
