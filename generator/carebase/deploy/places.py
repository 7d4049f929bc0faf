"""Which folders ``carebase deploy --dir`` may replace and a build may empty: an empty or new
one, or a site an earlier build put there, and never one that holds something a person would miss.

A deploy replaces the whole folder, so a mistyped ``--dir ~`` would delete a home folder. A
folder is taken only when it is missing, empty, or has ``carebase-manifest.json`` at its root
(every Carebase build writes one); and never when it is the file system's root, the user's
home, the project, the content folder, or a folder that holds one of these or the built site.
"""

from __future__ import annotations

from pathlib import Path

from carebase.errors import CarebaseError
from carebase.manifest import MANIFEST_FILE

_ELSEWHERE = "name a folder of its own for the site, such as /srv/help"
BUILT_MARKERS = (MANIFEST_FILE, "404.html", "sitemap.xml")
"""Files at the root of a folder an earlier build wrote (MkDocs writes the last two first, so
they are there even when that build failed)."""


class PlaceError(CarebaseError):
    """A build or a deploy would empty or replace a folder it must not: one line, then a hint."""


def check_target(
    site: Path, target: Path, *, project: Path | None = None, content: Path | None = None
) -> None:
    """:class:`PlaceError` unless ``target`` may be replaced by the site built in ``site``
    (checked before the build, so a mistake costs no build, and again before the swap).

    ``project`` (the folder of mkdocs.yml) and ``content`` (docs_dir) are kept whole too.
    """
    site = site.resolve()
    if target.exists() and not target.is_dir():
        raise PlaceError(f"{target}: is not a folder\n  hint: name a folder to publish into")
    real = target.resolve()
    _refuse_kept(target, real, project, content)
    if real == site or _holds(site, real) or _holds(real, site):
        raise PlaceError(
            f"{target}: overlaps the built site {site}\n"
            "  hint: publish into a folder outside the build's"
        )
    if real.is_dir() and any(real.iterdir()) and not (real / MANIFEST_FILE).is_file():
        raise PlaceError(
            f"{target}: is not empty and holds no Carebase site (no {MANIFEST_FILE}), "
            "so deploying would delete what it holds\n"
            f"  hint: {_ELSEWHERE}, empty or new, or one an earlier deploy wrote"
        )


def _refuse_kept(
    target: Path,
    real: Path,
    project: Path | None,
    content: Path | None,
    does: str = "a deploy replaces it whole",
) -> None:
    """Refuse the root, the home folder, the project, the content, and their parents."""
    kept = {"the file system's root": Path(real.anchor), "your home folder": _home()}
    kept |= {"the project's folder": project, "the content folder (docs_dir)": content}
    for name, folder in kept.items():
        if folder is None:
            continue
        folder = folder.resolve()
        if real == folder or _holds(real, folder):
            what = name if real == folder else f"a folder holding {name} ({folder})"
            raise PlaceError(f"{target}: is {what}: {does}\n  hint: {_ELSEWHERE}")
    if content is not None and _holds(content.resolve(), real):
        raise PlaceError(
            f"{target}: is inside the content folder (docs_dir), so the site would become "
            f"content\n  hint: {_ELSEWHERE}"
        )


def _holds(folder: Path, other: Path) -> bool:
    """Whether ``other`` is inside ``folder`` (both resolved)."""
    return folder in other.parents


def _home() -> Path | None:
    try:
        return Path.home()
    except RuntimeError:  # No HOME and no password entry: nothing to protect by that name.
        return None


def check_site_dir(site_dir: Path, *, project: Path, content: Path) -> None:
    """:class:`PlaceError` unless a build may empty ``site_dir`` (MkDocs' ``--clean``): never a
    kept folder (:func:`check_target`'s), and, when it holds anything, an earlier build's."""
    real = site_dir.resolve()
    _refuse_kept(site_dir, real, project, content, "a build empties it first")
    built = any((real / marker).exists() for marker in BUILT_MARKERS)
    if real.is_dir() and not built and any(real.iterdir()):
        raise PlaceError(
            f"{site_dir}: the site folder is not empty and holds no earlier build "
            f"({', '.join(BUILT_MARKERS)}), so building would delete what it holds\n"
            "  hint: set site_dir (or --site-dir) to a new or empty folder, such as 'site'"
        )
