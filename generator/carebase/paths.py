"""Paths named by content, data files and options, kept inside the folder they belong to.

Every place that validates or writes such a path asks here: :func:`unsafe_reason` says why a
relative path could leave its folder, :func:`inside` joins one to its folder or raises, and
:func:`walk` lists a folder's files without following symlinks that leave the project (a
symlink in ``content/`` to ``/proc/self/environ`` or ``.git/config`` would be published).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from carebase.errors import CarebaseError, Problem

LINK_HINT = (
    "symlinks may point only to files of the project outside hidden folders;"
    " replace the link with a copy of what it points to"
)


class PathEscapeError(CarebaseError):
    """A path named in content, a data file or an option leads outside its folder."""


def unsafe_reason(relative: str) -> str | None:
    """Why ``relative`` is not a plain POSIX path below its folder; None when it is."""
    if not relative:
        return "is empty"
    if any(ord(char) < 32 or ord(char) == 127 for char in relative):
        return "contains a control character"
    if "\\" in relative:
        return "contains a backslash"
    if relative.startswith("/"):
        return "is an absolute path"
    if ":" in relative.split("/", 1)[0]:
        return "is an address, not a path"
    if any(part in ("", ".", "..") for part in relative.split("/")):
        return "has an empty, '.' or '..' part"
    return None


def inside(root: Path | str, relative: str) -> Path:
    """``root / relative``; :class:`PathEscapeError` when ``relative`` could leave ``root``."""
    reason = unsafe_reason(relative)
    if reason is not None:
        raise PathEscapeError(f"'{relative}' {reason}: it must stay inside {root}")
    return Path(root, relative)


def inside_absolute(root: Path | str, path: Path | str) -> Path:
    """``path`` (absolute, as MkDocs computes destinations) when it is below ``root``."""
    relative = os.path.relpath(path, root)  # Both made absolute, lexically: no I/O.
    return inside(root, Path(relative).as_posix())


def check_folder(root: Path, folder: Path, option: str) -> None:
    """Refuse an option (``docs_dir``, ``custom_dir``, ``INHERIT``) naming a place outside
    ``root``: what a build reads comes from the project, whatever its config says."""
    if not _contains(os.path.realpath(root), os.path.realpath(folder)):
        raise PathEscapeError(
            f"{option}: '{folder}' is outside the project folder {root}\n"
            f"  hint: {option} must name something inside {root}; copy what it needs there"
        )


@dataclass(frozen=True)
class Link:
    """A symlink that must not be followed: where it is and where it leads."""

    path: str
    target: str
    message: str


@dataclass
class Tree:
    """Files of a folder, through symlinks that stay in the project; the others are listed."""

    files: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def problems(self, prefix: str = "") -> list[Problem]:
        """Each refused symlink as a problem of the file ``prefix + path``."""
        return [
            Problem(f"{prefix}{link.path}", 1, "file", link.message, hint=LINK_HINT)
            for link in self.links
        ]


def walk(folder: Path, root: Path) -> Tree:
    """Every file below ``folder`` (POSIX, relative), sorted; symlinks checked against ``root``.

    One ``os.scandir`` pass: only symlinks are resolved, so it costs what a listing costs.
    """
    tree = Tree()
    if not folder.is_dir():
        return tree
    real_root = os.path.realpath(root)
    _walk(tree, str(folder), "", real_root, {os.path.realpath(folder)})
    tree.files.sort()
    return tree


def _walk(tree: Tree, folder: str, prefix: str, root: str, above: set[str]) -> None:
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            rel = f"{prefix}{entry.name}"
            if entry.is_symlink() and not _allowed(tree, entry.path, rel, root, above):
                continue
            if entry.is_dir():
                real = os.path.realpath(entry.path)
                _walk(tree, entry.path, f"{rel}/", root, above | {real})
            elif entry.is_file():
                tree.files.append(rel)


def _allowed(tree: Tree, path: str, rel: str, root: str, above: set[str]) -> bool:
    """Whether to follow the symlink at ``path``; a refused one is added to ``tree.links``."""
    target = os.path.realpath(path)
    message = link_message(target, root)
    if message is None and any(_contains(target, folder) for folder in above):
        message = f"symlink to '{os.path.relpath(target, root)}', a folder that contains it"
    if message is not None:
        tree.links.append(Link(rel, target, message))
    return message is None


def _contains(folder: str, path: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def link_message(target: str, root: str) -> str | None:
    """Why a symlink resolving to ``target`` must not be published; None when it may."""
    if not _contains(root, target):
        return f"symlink to '{target}' outside the repository"
    relative = os.path.relpath(target, root)
    if any(part.startswith(".") for part in Path(relative).parts):
        return f"symlink to '{relative}', a hidden file of the repository"
    return None
