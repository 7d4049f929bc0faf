"""Each language's search vocabulary: the words its search box can find, for typo tolerance.

Pagefind matches a query word only as typed (or as the prefix of an indexed word): "roming"
or "sginal" find nothing. The build lists the words of the pages each language's box
searches, most common first (:func:`vocabulary_text`); the box fetches that list only when a
word of a query matches nothing, and searches instead the listed word closest to it in spelling
(``theme/assets/carebase-search.js``, ``respell``).

Beside it, each language's common words (:data:`COMMON_ASSET`, :func:`common_text`): the words
on so many pages that searching one alone costs the box more than its answer is worth (Pagefind
scores and hands over every page holding it: ≈ 40 µs a page, 0.4 s for a word on 11,000 pages
of a 20,000-article site). The box searches such a word only together with a rarer word of the
question (issue 17, "p95 query ≤ 50 ms").

The build reads its pages once every language is written, in a process of its own
(:class:`VocabularyRun`) beside the last Pagefind runs: at 20,000 articles that is ≈ 20 s of
CPU, which would otherwise lengthen the build by as much.

A page's words are those of its indexed element, the one the theme marks with
``data-cb-index`` (``partials/content.html``): the languages listed there each search it
(its own, and those it stands in for untranslated), so the same page adds its words to each.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from carebase.errors import CarebaseError
from carebase.fsutil import atomic_write_text
from carebase.search.background import BackgroundRun
from carebase.search.pagefind import INDEX_ATTRIBUTE

VOCABULARY_ASSET = "search-vocabulary.txt"
"""A language's vocabulary, in that language's folder: one word a line, most common first."""
MAX_WORDS = 20_000
"""Words kept per language (about 170 KB, 60 KB compressed): the most common ones."""
MIN_LETTERS = 3
"""Shorter words are never corrected to, nor from: too many are one letter apart."""
COMMON_ASSET = "search-common.json"
"""A language's common words with the pages holding each, beside its vocabulary:
``{"least": 250, "words": {"router": 11530, …}}``, most common first: the box counts as common
any word it finds on ``least`` pages or more, listed or not (Pagefind stems: "restarting")."""
COMMON_PAGES = 250
"""A word on this many pages or more is common: ≈ 10 ms of Pagefind's work to search alone,
so five of them already spend the 50 ms a query may take. A site of a few hundred pages has
none, and searches as before."""
MAX_COMMON = 2_000
"""Common words kept per language, the most common (about 40 KB at most, 15 KB compressed)."""

_INDEXED = re.compile(rf'<div\b[^>]*\b{INDEX_ATTRIBUTE}="([^"]*)"[^>]*>')
_DIV = re.compile(r"<(/?)div\b", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
_WORD = re.compile(rf"[^\W\d_]{{{MIN_LETTERS},}}")


def indexed_words(page: str) -> tuple[tuple[str, ...], set[str]]:
    """The languages whose index holds ``page`` (HTML) and the words of its indexed element,
    lower-cased; nothing for a page without one (listings, redirects)."""
    # Most pages read (listings, redirects) have none: look for the attribute first.
    if f'{INDEX_ATTRIBUTE}="' not in page:
        return (), set()
    found = _INDEXED.search(page)
    if found is None:
        return (), set()
    languages = tuple(found[1].split())
    element = page[found.end() : _element_end(page, found.end())]
    text = html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", element))).lower()
    return languages, set(_WORD.findall(text))


def _element_end(page: str, start: int) -> int:
    """Where the ``<div>`` opened just before ``start`` closes (the end of ``page`` if never)."""
    depth = 1
    for tag in _DIV.finditer(page, start):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return tag.start()
    return len(page)


def count_words(pages: Iterable[str]) -> dict[str, Counter[str]]:
    """Per language, on how many of ``pages`` each word appears."""
    counts: dict[str, Counter[str]] = {}
    for page in pages:
        languages, words = indexed_words(page)
        for lang in languages:
            counts.setdefault(lang, Counter()).update(words)
    return counts


def vocabulary_text(counts: Counter[str], limit: int = MAX_WORDS) -> str:
    """The ``limit`` most common words, most common first (ties alphabetically), one a line."""
    return "".join(f"{word}\n" for word, _ in _ranked(counts, limit))


def common_text(counts: Counter[str], least: int = COMMON_PAGES, limit: int = MAX_COMMON) -> str:
    """The words on at least ``least`` pages (the ``limit`` most common, most common first,
    ties alphabetically) with their page counts, as JSON."""
    common = {word: pages for word, pages in _ranked(counts, limit) if pages >= least}
    table = {"least": least, "words": common}
    return json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n"


def _ranked(counts: Counter[str], limit: int) -> list[tuple[str, int]]:
    """The ``limit`` most common words with their counts, most common first, ties alphabetically."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def read_pages(folders: Iterable[Path]) -> Iterator[str]:
    """The text of every ``.html`` file under ``folders`` (those that exist)."""
    for folder in folders:
        for parent, folder_names, file_names in os.walk(folder):
            folder_names.sort()
            for name in sorted(file_names):
                if name.endswith(".html"):
                    path = os.path.join(parent, name)  # noqa: PTH118
                    with open(path, encoding="utf-8", errors="replace") as page:  # noqa: PTH123
                        yield page.read()


def write_vocabularies(
    folders: Iterable[Path], outputs: dict[str, Path], limit: int = MAX_WORDS
) -> dict[str, int]:
    """Each language's vocabulary from the pages under ``folders``, written (atomically) to
    ``outputs[lang]``, empty for a language no page lists, and its common words to
    :data:`COMMON_ASSET` in the same folder; the words each vocabulary holds."""
    counts = count_words(read_pages(folders))
    written = {}
    for lang, path in outputs.items():
        counted = counts.get(lang, Counter())
        text = vocabulary_text(counted, limit)
        atomic_write_text(path, text)
        atomic_write_text(path.with_name(COMMON_ASSET), common_text(counted))
        written[lang] = text.count("\n")
    return written


class VocabularyRun:
    """:func:`write_vocabularies` in a process of its own: start it, do other work, then
    :meth:`finish` (or :meth:`stop` it: a newer build replaces it)."""

    def __init__(self, folders: Iterable[Path], outputs: dict[str, Path]) -> None:
        spec = {
            "folders": [str(folder) for folder in folders],
            "outputs": {lang: str(path) for lang, path in outputs.items()},
        }
        self._run = BackgroundRun(
            [sys.executable, "-m", __name__, json.dumps(spec)], "search: the typo vocabulary"
        )

    def finish(self) -> dict[str, int]:
        """Wait for the run; the words each language's file holds."""
        code, output = self._run.wait()
        said = output.strip().splitlines()
        if code != 0 or not said:
            raise CarebaseError(
                f"search: the typo vocabulary was not written (exit {code}):\n  "
                + "\n  ".join(said[-5:] or ["(it said nothing)"])
            )
        written: dict[str, int] = json.loads(said[-1])
        return written

    def stop(self) -> None:
        """Abandon the run."""
        self._run.stop()


def main(argv: list[str]) -> int:
    """``python -m carebase.search.vocabulary SPEC``: SPEC is :class:`VocabularyRun`'s JSON."""
    spec = json.loads(argv[0])
    outputs = {lang: Path(path) for lang, path in spec["outputs"].items()}
    try:
        written = write_vocabularies([Path(folder) for folder in spec["folders"]], outputs)
    except OSError as exc:
        print(f"{exc.filename or ''}: {exc.strerror or exc}", flush=True)
        print("hint: the site folder (site_dir) must be a writable folder", flush=True)
        return 1
    print(json.dumps(written), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
