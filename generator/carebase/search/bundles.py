"""A language's search index in several Pagefind bundles, each of at most ``bundle_pages`` pages.

Pagefind keeps ≈ 300 KB of memory per page it indexes, so one run over 20,000 pages needs
≈ 6 GB. Splitting the pages into bundles indexed one after another bounds the memory by the
largest bundle; the browser merges the bundles back into one search (``mergeIndex``).

Bundles are formed from whole folders (``kb/billing/``, ``blog/``…). A folder with more pages
than the limit is split by the first characters of its entries' names: ``kb/[ab]*`` holds every
entry starting with ``a`` or ``b``, and one more group, ``kb/[!ab…]*``, every name not seen when
the split was planned. So the globs cover every page under the indexed folders, including pages
written after the plan was made. The groups are then spread over as few bundles as the limit
allows, largest first onto the lightest bundle, so the bundles end up of similar size.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

BUNDLE_DIR = "pagefind"
"""The first bundle's folder, relative to a language's folder; the others are ``pagefind-2``…"""
PAGEFIND_CHUNK_SIZE = 20_000
"""Pagefind's default size of an index chunk (word occurrences; 1.5.2's
``PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE``): a query loads about one chunk per word and bundle."""
MIN_CHUNK_SIZE = 1_000
_LITERAL = frozenset("-_.")
"""Characters a Pagefind (wax) glob reads as themselves, besides letters and digits."""


def bundle_dir(number: int) -> str:
    """The folder of bundle ``number`` (from 1) under a language's folder."""
    return BUNDLE_DIR if number == 1 else f"{BUNDLE_DIR}-{number}"


@dataclass
class Folder:
    """The ``.html`` pages under one folder: its own files and its subfolders."""

    files: list[str] = field(default_factory=list)
    folders: dict[str, Folder] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return len(self.files) + sum(child.pages for child in self.folders.values())

    def add(self, relative: PurePosixPath) -> None:
        """Count the page at ``relative`` (a path below this folder)."""
        node = self
        for part in relative.parts[:-1]:
            node = node.folders.setdefault(part, Folder())
        node.files.append(relative.name)


@dataclass(frozen=True)
class Part:
    """Pages matched by ``globs`` (relative to the language folder): a unit never split."""

    globs: tuple[str, ...]
    pages: int


@dataclass(frozen=True)
class Bundle:
    """One Pagefind run: the pages matching ``glob``, written to ``subdir``."""

    number: int
    glob: str
    pages: int
    index_chunk_size: int | None = None
    """Smaller index chunks for a bundle holding part of a language (``None``: Pagefind's own),
    so a query's words cost about as many bytes over every bundle as over one."""

    @property
    def subdir(self) -> str:
        return bundle_dir(self.number)


def tree_from_paths(paths: list[str], roots: list[str]) -> dict[str, Folder]:
    """The pages among ``paths`` (``kb/a/b/index.html``, relative to the language folder)
    under each of ``roots``, as folder trees; every root is present, maybe empty."""
    trees = {root: Folder() for root in roots}
    for path in paths:
        if not path.endswith(".html"):
            continue
        parts = PurePosixPath(path)
        root = parts.parts[0]
        if root in trees and len(parts.parts) > 1:
            trees[root].add(parts.relative_to(root))
    return trees


def scan_html(folder: Path, roots: list[str]) -> dict[str, Folder]:
    """The ``.html`` files written under ``folder/<root>`` for each root: one scandir walk."""
    trees: dict[str, Folder] = {}
    for root in roots:
        trees[root] = tree = Folder()
        if (folder / root).is_dir():
            _scan_into(folder / root, tree)
    return trees


def _scan_into(path: Path, tree: Folder) -> None:
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _scan_into(Path(entry.path), tree.folders.setdefault(entry.name, Folder()))
            elif entry.name.endswith(".html"):
                tree.files.append(entry.name)


def plan_bundles(trees: dict[str, Folder], bundle_pages: int) -> list[Bundle]:
    """The bundles indexing every page of ``trees``, each of at most ``bundle_pages`` pages
    (unless one file name group alone is larger), as few and as balanced as that allows.

    A language with at most ``bundle_pages`` pages keeps one bundle over all its folders.
    """
    if bundle_pages < 1:
        raise ValueError("bundle_pages must be at least 1")
    roots = sorted(trees)
    total = sum(tree.pages for tree in trees.values())
    if total <= bundle_pages:
        return [Bundle(1, _alternatives([f"{root}/**/*.html" for root in roots]), total)]
    parts = [part for root in roots for part in split_folder(root, trees[root], bundle_pages)]
    return [
        Bundle(
            number,
            _alternatives([glob for part in group for glob in part.globs]),
            pages,
            chunk_size(pages, total),
        )
        for number, (pages, group) in enumerate(balance(parts, bundle_pages), start=1)
    ]


def chunk_size(pages: int, total: int) -> int:
    """The index chunk size of a bundle of ``pages`` out of a language's ``total``: Pagefind's
    default scaled by its share, so each word's chunks together are about one default chunk."""
    return max(MIN_CHUNK_SIZE, round(PAGEFIND_CHUNK_SIZE * pages / max(total, 1)))


def split_folder(path: str, folder: Folder, bundle_pages: int) -> list[Part]:
    """``path`` whole if it fits in a bundle, else in groups of entries by name."""
    if folder.pages <= bundle_pages:
        return [Part((f"{path}/**/*.html",), folder.pages)]
    return _split_by_name(path, folder, "", bundle_pages)


def _split_by_name(path: str, folder: Folder, prefix: str, bundle_pages: int) -> list[Part]:
    """The entries of ``folder`` whose names start with ``prefix``, grouped by the next
    character; a group still too large is split by one more character."""
    entries = _entries(folder, prefix)
    parts: list[Part] = []
    exact = entries.pop(prefix, None)
    if exact is not None:  # The entry named exactly ``prefix``.
        child = folder.folders.get(prefix)
        if child is not None:
            parts += split_folder(f"{path}/{_escape(prefix)}", child, bundle_pages)
        if prefix in folder.files:
            parts.append(Part((f"{path}/{_escape(prefix)}",), 1))
    by_next: dict[str, int] = {}
    for name, pages in entries.items():
        next_char = name[len(prefix)]
        by_next[next_char] = by_next.get(next_char, 0) + pages
    small: list[str] = []
    for char, pages in sorted(by_next.items()):
        if pages <= bundle_pages:
            small.append(char)
        else:
            parts += _split_by_name(path, folder, prefix + char, bundle_pages)
    # Small groups: each character on its own (balance() packs them); big ones split above.
    for char in small:
        pattern = _escape(prefix) + _class([char]) + "*"
        parts.append(Part(_entry_globs(path, pattern), by_next[char]))
    # Names with a next character not seen now (pages written after the plan).
    unseen = _escape(prefix) + _class(sorted(by_next), negated=True) + "*"
    parts.append(Part(_entry_globs(path, unseen), 0))
    return parts


def _entries(folder: Folder, prefix: str) -> dict[str, int]:
    """Pages per entry (file or subfolder) of ``folder`` whose name starts with ``prefix``."""
    pages = {name: 1 for name in folder.files if name.startswith(prefix)}
    for name, child in folder.folders.items():
        if name.startswith(prefix):
            pages[name] = pages.get(name, 0) + child.pages
    return pages


def _entry_globs(path: str, pattern: str) -> tuple[str, str]:
    """Pages in the subfolders matching ``pattern``, and the pages matching it themselves."""
    return (f"{path}/{pattern}/**/*.html", f"{path}/{pattern}.html")


def balance(parts: list[Part], bundle_pages: int) -> list[tuple[int, list[Part]]]:
    """``parts`` spread over the fewest bundles of at most ``bundle_pages`` pages: largest
    first, each onto the lightest bundle (a part larger than the limit gets its own bundle)."""
    ordered = sorted(parts, key=lambda part: -part.pages)
    total = sum(part.pages for part in parts)
    count = max(1, math.ceil(total / bundle_pages))
    while True:
        bundles: list[tuple[int, list[Part]]] = [(0, []) for _ in range(count)]
        for part in ordered:
            lightest = min(range(count), key=lambda index: bundles[index][0])
            pages, group = bundles[lightest]
            bundles[lightest] = (pages + part.pages, [*group, part])
        fits = all(pages <= bundle_pages or len(group) == 1 for pages, group in bundles)
        if fits or count >= len(parts):
            return [(pages, group) for pages, group in bundles if group]
        count += 1


def _alternatives(globs: list[str]) -> str:
    return globs[0] if len(globs) == 1 else "{" + ",".join(globs) + "}"


def _escape(text: str) -> str:
    """``text`` matched literally by a Pagefind glob."""
    return "".join(char if char.isalnum() or char in _LITERAL else f"[\\{char}]" for char in text)


def _class(chars: list[str], negated: bool = False) -> str:
    """A glob character class of ``chars`` (or of every other character)."""
    inner = "".join(char if char.isalnum() else f"\\{char}" for char in chars)
    if not inner:
        return "?" if negated else "[]"
    return f"[{'!' if negated else ''}{inner}]"
