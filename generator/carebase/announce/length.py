"""How long a post is, counted the way each network counts, and how long it may be.

- Mastodon counts grapheme clusters, every URL as 23 (``StatusLengthValidator``);
- X counts twitter-text v3 weights: code points in the Latin, punctuation and symbol ranges
  weigh 1, everything else 2 (CJK, emoji sequences), every URL 23;
- Bluesky counts grapheme clusters, 300 at most (the ``app.bsky.feed.post`` lexicon);
- Facebook, LinkedIn, Slack and Discord count characters (code points).
"""

from __future__ import annotations

import regex

from carebase.announce.model import NetworkKind

URL_LENGTH = 23
"""What Mastodon and X count a URL as, however long it is (``t.co`` wrapping on X)."""

LIMITS: dict[NetworkKind, int] = {
    NetworkKind.MASTODON: 500,
    NetworkKind.BLUESKY: 300,
    NetworkKind.X: 280,
    NetworkKind.FACEBOOK: 63_206,
    NetworkKind.LINKEDIN: 3_000,
    NetworkKind.SLACK: 3_000,
    NetworkKind.DISCORD: 2_000,
}
"""Characters per post on each network (Mastodon's is the instance's: ``limit`` overrides)."""

URL_PATTERN = regex.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'’”]")
"""A URL the way the networks' linkifiers find one: up to whitespace, without the trailing
punctuation a sentence puts after it."""

_GRAPHEMES = regex.compile(r"\X")
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")

_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
"""Code points X weighs 1 (twitter-text v3 ``ranges``); the rest weigh 2."""


def graphemes(text: str) -> int:
    """User-perceived characters: an emoji with its modifiers, or a letter with its accents, is
    one."""
    return len(_GRAPHEMES.findall(text))


def _light(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in _LIGHT_RANGES)


def x_weight(text: str) -> int:
    """X's weighted length of ``text`` (twitter-text v3, emoji parsing on)."""
    total = 0
    position = 0
    for match in URL_PATTERN.finditer(text):
        total += _weigh_plain(text[position : match.start()]) + URL_LENGTH
        position = match.end()
    return total + _weigh_plain(text[position:])


def _weigh_plain(text: str) -> int:
    total = 0
    for cluster in _GRAPHEMES.findall(text):
        if _EMOJI.search(cluster):
            total += 2  # a whole emoji sequence (flags, skin tones, ZWJ families) weighs 2
        else:
            total += sum(1 if _light(char) else 2 for char in cluster)
    return total


def mastodon_length(text: str) -> int:
    """Mastodon's length: grapheme clusters, each URL counted as 23."""
    return graphemes(URL_PATTERN.sub("x" * URL_LENGTH, text))


def length(kind: NetworkKind, text: str) -> int:
    """``text`` counted the way ``kind`` counts it."""
    if kind is NetworkKind.MASTODON:
        return mastodon_length(text)
    if kind is NetworkKind.X:
        return x_weight(text)
    if kind is NetworkKind.BLUESKY:
        return graphemes(text)
    return len(text)
