"""Lengths counted the way each network counts them."""

from __future__ import annotations

import pytest

from carebase.announce.length import graphemes, length, mastodon_length, x_weight
from carebase.announce.model import NetworkKind

LONG_URL = "https://help.example.com/kb/billing/how-to-get-a-refund/?utm_source=x&utm_medium=social"


def test_a_url_counts_23_on_mastodon_and_x_however_long() -> None:
    text = f"See {LONG_URL}"
    assert len(LONG_URL) > 23
    assert mastodon_length(text) == 4 + 23
    assert x_weight(text) == 4 + 23


def test_trailing_punctuation_is_not_part_of_the_url() -> None:
    assert x_weight(f"({LONG_URL}).") == 1 + 23 + 2


def test_emoji_sequences_are_one_grapheme_and_weigh_two_on_x() -> None:
    family = "👨\u200d👩\u200d👧"  # five code points, one grapheme
    flag = "🇪🇸"
    assert graphemes(family + flag) == 2
    assert x_weight(family + flag) == 4
    assert len(family + flag) == 7


def test_cjk_weighs_two_on_x_and_latin_with_accents_one() -> None:
    assert x_weight("日本語") == 6
    assert x_weight("Rückerstattung año") == 18


def test_combining_accents_are_one_grapheme() -> None:
    decomposed = "e\u0301"  # é as e + combining acute
    assert graphemes(decomposed) == 1
    assert length(NetworkKind.BLUESKY, decomposed) == 1
    assert length(NetworkKind.FACEBOOK, decomposed) == 2


@pytest.mark.parametrize("kind", [NetworkKind.FACEBOOK, NetworkKind.LINKEDIN, NetworkKind.SLACK])
def test_other_networks_count_code_points_and_urls_in_full(kind: NetworkKind) -> None:
    assert length(kind, f"a {LONG_URL}") == 2 + len(LONG_URL)
