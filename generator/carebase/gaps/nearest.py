"""The existing article nearest to a question: TF-IDF cosine similarity over words.

Each published article, FAQ and community answer of the question's language is a bag of its
words: title twice (a title says what a page answers), description and tags once. Words are
lower-cased, split on anything that is not a letter or digit, stop words dropped, and a plural
"s" cut ("refunds" meets "refund"; "-ing"/"-ed" are kept: "charged" is not "charg"). Each word
weighs ``tf × log((1 + N) / (1 + df)) + 1`` (N pages of that language, df of them with the
word); the nearest page has the largest cosine between its vector and the question's. Pure,
deterministic, and fast enough for thousands of pages (one pass to build, one per question).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from carebase.manifest import EntryType, ManifestEntry

ANSWERS = (EntryType.ARTICLE, EntryType.FAQ, EntryType.COMMUNITY)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOPWORDS = frozenset(
    " ".join(
        [
            "a an and are at be by can do does for from get has have how i if in is it my no",
            "not of on or so that the this to was what when where which who why will with you",
            "your al como cómo de del el en es la las lo los me mi para por qué que se si su",
            "un una y am auf aus bei das dem den der des die ein eine ich im ist kann mein mit",
            "nicht und von was wie zu",
        ]
    ).split()
)


@dataclass(frozen=True)
class Match:
    """The nearest page to a question, and how near (cosine, 0 to 1)."""

    entry: ManifestEntry
    score: float


def words(text: str) -> list[str]:
    """The stems of ``text``'s content words."""
    return [_stem(word) for word in _WORD.findall(text.casefold()) if word not in _STOPWORDS]


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class NearestArticles:
    """The answers of one language, ready to be compared with questions."""

    def __init__(self, entries: Iterable[ManifestEntry]) -> None:
        self.entries = [entry for entry in entries if entry.type in ANSWERS]
        bags = [Counter(words(_text(entry))) for entry in self.entries]
        frequency = Counter(word for bag in bags for word in bag)
        total = len(bags)
        self._idf = {
            word: math.log((1 + total) / (1 + count)) + 1 for word, count in frequency.items()
        }
        self._vectors = [self._vector(bag) for bag in bags]

    def nearest(self, question: str) -> Match | None:
        """The most similar page (ties: the first in manifest order); None if none shares a word."""
        query = self._vector(Counter(words(question)))
        best: Match | None = None
        for entry, vector in zip(self.entries, self._vectors, strict=True):
            score = sum(weight * vector.get(word, 0.0) for word, weight in query.items())
            if score > 0 and (best is None or score > best.score + 1e-12):
                best = Match(entry, round(score, 3))
        return best

    def _vector(self, bag: Counter[str]) -> dict[str, float]:
        weights = {word: count * self._idf.get(word, 0.0) for word, count in bag.items()}
        norm = math.sqrt(sum(weight * weight for weight in weights.values()))
        return {word: weight / norm for word, weight in weights.items() if weight} if norm else {}


def _text(entry: ManifestEntry) -> str:
    return " ".join([entry.title, entry.title, entry.description, *entry.tags])
