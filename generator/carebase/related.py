"""Related articles: the ones an author named first, then the ones sharing most tags.

Tags are weighted by rarity (a tag on half the site says little), and a tag carried by more
than ``MAX_POSTINGS`` articles is not used to find candidates at all, so the cost per article
stays bounded however large the site grows.
"""

from __future__ import annotations

import heapq
import math
import posixpath
from collections import defaultdict
from collections.abc import Sequence

from carebase.content import Article

MAX_POSTINGS = 500
SAME_CATEGORY_BONUS = 0.5


class RelatedIndex:
    """Finds related articles among the articles readable in one language."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self._by_key = {article.key: article for article in articles}
        self._sort_title = {article.key: article.title.casefold() for article in articles}
        self._by_tag: dict[str, list[Article]] = defaultdict(list)
        self._by_category: dict[str, list[Article]] = defaultdict(list)
        for article in sorted(articles, key=lambda a: a.title.casefold()):
            self._by_category[article.category].append(article)
            for tag in set(article.meta.tags):
                self._by_tag[tag].append(article)
        self._keys_by_tag = {tag: [a.key for a in arts] for tag, arts in self._by_tag.items()}
        self._keys_by_category = {
            category: {a.key for a in arts} for category, arts in self._by_category.items()
        }
        total = max(len(articles), 1)
        self._weight = {tag: math.log(1 + total / len(arts)) for tag, arts in self._by_tag.items()}

    def related(self, article: Article, limit: int = 5) -> list[Article]:
        """Up to ``limit`` related articles: explicit ``related`` first, then by score."""
        chosen = self._explicit(article)
        seen = {article.key, *(a.key for a in chosen)}
        # Self and the explicit ones may rank too: ask for enough to skip them.
        for candidate in self._ranked(article, limit + len(chosen) + 1):
            if len(chosen) >= limit:
                break
            if candidate.key not in seen:
                chosen.append(candidate)
                seen.add(candidate.key)
        return chosen[:limit]

    def _explicit(self, article: Article) -> list[Article]:
        folder = posixpath.dirname(article.path)
        found = []
        for target in article.meta.related:
            key = posixpath.normpath(posixpath.join(folder, target)).removesuffix(".md")
            if key in self._by_key:
                found.append(self._by_key[key])
        return found

    def _ranked(self, article: Article, wanted: int) -> list[Article]:
        scores: dict[str, float] = defaultdict(float)
        for tag in set(article.meta.tags):
            postings = self._keys_by_tag.get(tag, ())
            if len(postings) > MAX_POSTINGS:
                continue
            weight = self._weight[tag]
            for key in postings:
                scores[key] += weight
        for key in self._keys_by_category.get(article.category, set()).intersection(scores):
            scores[key] += SAME_CATEGORY_BONUS
        titles = self._sort_title
        ranked = heapq.nsmallest(
            wanted, scores.items(), key=lambda item: (-item[1], titles[item[0]])
        )
        result = [self._by_key[key] for key, _score in ranked]
        # Too few tagged neighbours: fill from the same category, in title order.
        return result + self._by_category[article.category][:10]
