"""The sync engine: a source's changes become files under ``kb/<category>/community/``.

Rules, whatever the source:

- A thread is found by its front matter's ``source.kind`` and ``source.id``, never by file
  name. Unchanged upstream, nothing is written (not even ``imported_at``).
- A new title or category moves the file, and the old page redirects to the new one
  (``.carebase/redirects.yml``, served by the ``carebase/import`` plugin).
- A file a person edited (its ``content_hash`` no longer matches) is never overwritten or
  removed: it is reported, and replaced only with ``force``.
- A thread un-accepted, deleted, hidden or made private is removed; with ``full``, so is
  every thread the source no longer publishes.
- Crash-safe: every file is replaced atomically; a move writes the new file before it deletes
  the old one (a run that dies in between leaves a duplicate the next run removes); the cursor
  is saved only after a run wrote everything without a failure, so a re-run sees the same
  changes again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from carebase.content import RESERVED_SLUGS
from carebase.datafiles import load_categories
from carebase.documents import parse_document
from carebase.errors import CarebaseError
from carebase.fsutil import atomic_write_text
from carebase.importers import store
from carebase.importers.images import Fetch, Images, fetch_url
from carebase.importers.model import Change, Cursor, Removal, Thread, ThreadSource
from carebase.importers.safety import RedactTimeout, public_url
from carebase.importers.settings import IMPORT_PLUGIN, ImportSettings
from carebase.importers.store import ImportedFile, ImportedFiles, Key
from carebase.importers.writer import (
    IMAGE_FOLDER,
    article_path,
    base_slug,
    body_of,
    community_folder,
    id_slug,
    image_urls,
    is_hand_edited,
    link_urls,
    relative_link,
    relinked,
    render,
    replace_urls,
)
from carebase.models import ArticleMeta, SourceKind
from carebase.project import Project
from carebase.validation import validate


class Action(StrEnum):
    """What a sync did with one thread."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REMOVED = "removed"
    SKIPPED_EDITED = "skipped-edited"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    """One thread's fate in a sync."""

    action: Action
    key: Key
    path: str = ""
    detail: str = ""
    moved_from: tuple[str, ...] = ()
    """Where an updated article was before (paths relative to the docs folder)."""

    def line(self, dry_run: bool = False, shown: Callable[[str], str] = str) -> str:
        """``added content/kb/billing/community/refund.md`` or ``failed discourse 123: why``;
        ``shown`` gives a path (relative to the docs folder) as messages print it."""
        where = shown(self.path) if self.path else f"{self.key[0]} {self.key[1]}"
        verb = f"would be {self.action.value}" if dry_run else self.action.value
        detail = self.detail
        if self.moved_from:
            detail = "moved from " + ", ".join(shown(path) for path in self.moved_from)
        return f"{verb:<14} {where}" + (f": {detail}" if detail else "")


Progress = Callable[[Outcome], None]


@dataclass
class SyncReport:
    """Everything one sync did (or, in a dry run, would do)."""

    source: str
    dry_run: bool = False
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Problems that did not stop a thread: images left out, removals skipped under --limit."""
    error: str = ""
    """Why the source stopped before the end; the cursor was not saved."""
    cursor_saved: bool = False
    shown: Callable[[str], str] = field(default=str, repr=False)
    """A path relative to the docs folder as messages print it (relative to the project)."""

    def count(self, action: Action) -> int:
        """How many threads met ``action``."""
        return sum(1 for outcome in self.outcomes if outcome.action is action)

    def summary(self) -> str:
        """One line: the counts of every action."""
        counts = ", ".join(f"{self.count(action)} {action.value}" for action in Action)
        if self.dry_run:
            return f"Dry run, nothing written: {self.source} would give {counts}"
        return f"Imported from {self.source}: {counts}"

    def details(self) -> list[str]:
        """A line per thread that changed, was skipped or failed (unchanged ones are quiet)."""
        lines = [
            o.line(self.dry_run, self.shown)
            for o in self.outcomes
            if o.action is not Action.UNCHANGED
        ]
        return lines + [f"note: {note}" for note in self.notes]

    @property
    def failed(self) -> bool:
        """Whether a thread failed or the source stopped early."""
        return bool(self.error) or self.count(Action.FAILED) > 0


class _Failed(Exception):
    """A thread cannot be imported; the message says why and what to do."""


@dataclass
class _Run:
    """The state of one sync."""

    docs_dir: Path
    kb_dir: str
    settings: ImportSettings
    categories: set[str]
    files: ImportedFiles
    redirects: dict[str, str]
    images: Images
    now: datetime
    dry_run: bool
    force: bool
    report: SyncReport
    seen: set[Key] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    """Community folders whose images may have lost their last article."""


def sync(
    source: ThreadSource,
    project: Project,
    settings: ImportSettings,
    *,
    dry_run: bool = False,
    full: bool = False,
    force: bool = False,
    since: datetime | None = None,
    limit: int | None = None,
    now: datetime | None = None,
    fetch: Fetch = fetch_url,
    progress: Progress | None = None,
) -> SyncReport:
    """Bring the imported articles of ``source`` up to date; see the module's rules."""
    run = _start(source, project, settings, dry_run=dry_run, force=force, now=now, fetch=fetch)
    name = source.kind.value
    cursor = _starting_cursor(run.docs_dir, name, full=full, since=since)
    try:
        for change in source.changes(cursor, full=full, limit=limit):
            _record(run, _apply(run, change), progress)
    except CarebaseError as exc:
        run.report.error = str(exc)
    if full and not run.report.error:
        _remove_unpublished(run, source, limit, progress)
    _finish(run, source, name)
    return run.report


def _start(
    source: ThreadSource,
    project: Project,
    settings: ImportSettings,
    *,
    dry_run: bool,
    force: bool,
    now: datetime | None,
    fetch: Fetch,
) -> _Run:
    content = project.settings
    docs_dir = project.docs_dir
    categories, _problems = load_categories(
        docs_dir / content.categories_file, content.categories_file
    )
    return _Run(
        docs_dir=docs_dir,
        kb_dir=content.kb_dir,
        settings=settings,
        categories=set(categories),
        files=store.scan(docs_dir, content.kb_dir, content.languages),
        redirects=store.read_redirects(docs_dir),
        images=Images(docs_dir, settings.image_max_bytes, fetch, dry_run),
        now=(now or datetime.now(UTC)).replace(microsecond=0),
        dry_run=dry_run,
        force=force,
        report=SyncReport(source.kind.value, dry_run, shown=content.shown),
    )


def _starting_cursor(docs_dir: Path, name: str, *, full: bool, since: datetime | None) -> Cursor:
    if since is not None:
        aware = since if since.tzinfo else since.replace(tzinfo=UTC)
        return Cursor(aware.isoformat())
    return Cursor() if full else store.read_cursor(docs_dir, name)


def _record(run: _Run, outcome: Outcome | None, progress: Progress | None) -> None:
    if outcome is None:
        return
    run.report.outcomes.append(outcome)
    if progress is not None:
        progress(outcome)


def _finish(run: _Run, source: ThreadSource, name: str) -> None:
    run.report.notes += run.images.problems
    if run.dry_run:
        return
    _collect_images(run)
    if not run.report.failed:
        store.write_cursor(run.docs_dir, name, source.cursor())
        run.report.cursor_saved = True


# --- one change ----------------------------------------------------------------------------


def _apply(run: _Run, change: Change) -> Outcome | None:
    key: Key = (change.kind.value, change.id)
    run.seen.add(key)
    try:
        if isinstance(change, Removal):
            return _remove(run, key, change.reason)
        if change.answer is None and change.kind is not SourceKind.GITHUB_PULL:
            return _remove(run, key, "it no longer has an accepted answer")
        return _import(run, key, change)
    except (_Failed, RedactTimeout) as exc:
        return Outcome(Action.FAILED, key, "", str(exc))


def _import(run: _Run, key: Key, thread: Thread) -> Outcome:
    # Its address is published (source.url, the "Solved in our community" link): scrubbed too.
    thread = replace(thread, url=public_url(thread.url, run.settings, thread.id))
    existing = run.files.files(key)
    current = existing[0] if existing else None
    if current is not None and not run.force and _edited(existing):
        return _edited_outcome(key, current, "its thread changed upstream")
    path = _choose_path(run, thread, _category(run, thread), existing)
    current = next((file for file in existing if file.path == path), None)
    body = _localised_body(run, thread, path)
    # A file moved or left twice by a crash keeps when it was first imported too.
    previous = _parse_time((current or existing[0]).imported_at) if existing else None
    text = render(thread, run.settings, body, previous or run.now)
    if existing == [current] and current is not None and current.text == text:
        return Outcome(Action.UNCHANGED, key, path)
    if previous is not None:
        text = render(thread, run.settings, body, run.now)
    _check_article(path, text)
    _write(run, key, thread.url, path, text, existing)
    return _written_outcome(key, path, existing)


def _edited(files: list[ImportedFile]) -> bool:
    return any(is_hand_edited(file.text) for file in files)


def _edited_outcome(key: Key, file: ImportedFile, why: str) -> Outcome:
    return Outcome(
        Action.SKIPPED_EDITED,
        key,
        file.path,
        f"edited by hand since it was imported, and {why}; run with --force to replace it",
    )


def _written_outcome(key: Key, path: str, existing: list[ImportedFile]) -> Outcome:
    if not existing:
        return Outcome(Action.ADDED, key, path)
    others = sorted({file.path for file in existing if file.path != path})
    return Outcome(Action.UPDATED, key, path, moved_from=tuple(others))


def _category(run: _Run, thread: Thread) -> str:
    settings = run.settings
    if thread.kind is SourceKind.GITHUB_PULL and settings.pulls is not None:
        category: str | None = settings.pulls.category
    else:
        category = settings.categories.get(thread.source_category, settings.default_category)
    if category is None:
        raise _Failed(
            f"its category '{thread.source_category}' is not mapped to one of ours; hint: add "
            f"it under plugins: {IMPORT_PLUGIN}: categories, or set default_category"
        )
    if category not in run.categories:
        raise _Failed(
            f"category '{category}' (for '{thread.source_category}') is not in the categories "
            "file; hint: add it there or map the thread to another category"
        )
    return category


def _choose_path(run: _Run, thread: Thread, category: str, existing: list[ImportedFile]) -> str:
    """The current path while title and category still give it; else a free slug."""
    folder = community_folder(run.kb_dir, category)
    base = base_slug(thread, run.settings)
    candidates = [base, f"{base}-{id_slug(thread.id)}"]
    for file in existing:
        directory, name = file.path.rsplit("/", 1)
        if directory == folder and name.removesuffix(".md") in candidates:
            return file.path
    own = {file.path.rsplit("/", 1)[-1].removesuffix(".md") for file in existing}
    taken = run.files.slugs - own
    for slug in _slugs(base, id_slug(thread.id)):
        if slug not in taken and not RESERVED_SLUGS.match(slug):
            return article_path(run.kb_dir, category, slug)
    raise _Failed(f"no free file name for '{base}' in {folder}")


def _slugs(base: str, suffix: str) -> Iterator[str]:
    """``base``, ``base-<id>``, then ``base-<id>-2`` and so on (a bounded number of them)."""
    yield base
    yield f"{base}-{suffix}"
    for number in range(2, 100):
        yield f"{base}-{suffix}-{number}"


def _localised_body(run: _Run, thread: Thread, path: str) -> str:
    """The body with its images in the repository and links to imported threads rewritten."""
    body = body_of(thread, run.settings)
    folder = path.rsplit("/", 1)[0]
    allowed = set(thread.images)
    host = _host(thread.url)
    images: dict[str, str | None] = {}
    for url in image_urls(body):
        trusted = url in allowed or _host(url) == host
        images[url] = run.images.localise(url, folder) if trusted else None
        if not trusted:
            run.images.problems.append(f"image {url} left out: not on {host} nor listed")
    links: dict[str, str] = {}
    for url in link_urls(body):
        target = run.files.article_for(url)
        if target is not None and target != path:
            links[url] = relative_link(path, target)
    return replace_urls(body, images, links)


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _check_article(path: str, text: str) -> None:
    """The file must be an article the build accepts; a source bug must not break a build."""
    document, problems = parse_document(text, path)
    if document is not None:
        _meta, problems = validate(ArticleMeta, document.meta, path, document.line_of)
    if problems:
        raise _Failed(f"would not be a valid article: {problems[0].field}: {problems[0].message}")


def _write(
    run: _Run, key: Key, url: str, path: str, text: str, existing: list[ImportedFile]
) -> None:
    """New file first, then the redirects, then the old files: see the module's rules."""
    others = [file for file in existing if file.path != path]
    if not run.dry_run:
        atomic_write_text(run.docs_dir / path, text)
    for file in others:
        run.redirects = store.moved(run.redirects, file.path, path)
    _save_redirects(run)
    _delete(run, others)
    run.files.remove(key)
    run.files.add(ImportedFile(path, key, url, text, _imported_at(text)))
    run.folders.add(path.rsplit("/", 1)[0])
    for file in others:
        _relink(run, file.path, path)


_IMPORTED_AT = re.compile(r"^  imported_at: '?(?P<value>[^'\n]+)'?$", re.MULTILINE)


def _imported_at(text: str) -> str | None:
    match = _IMPORTED_AT.search(text)
    return match["value"] if match else None


def _save_redirects(run: _Run) -> None:
    if not run.dry_run:
        store.write_redirects(run.docs_dir, run.redirects)


def _delete(run: _Run, files: list[ImportedFile]) -> None:
    for file in files:
        run.folders.add(file.path.rsplit("/", 1)[0])
        if not run.dry_run:
            (run.docs_dir / file.path).unlink(missing_ok=True)


def _shown(run: _Run, target: str) -> str:
    """A path as messages print it; the address of a removed thread as it is."""
    return target if "://" in target else run.report.shown(target)


def _relink(run: _Run, old: str, new: str) -> None:
    """Imported articles linking to a moved (or removed) one link to its new path (or thread).

    MkDocs checks links between pages: a link to a page that is gone fails a strict build.
    """
    for key in list(run.files.by_key):
        for file in run.files.files(key):
            text = relinked(file.text, file.path, old, new)
            if text == file.text:
                continue
            if is_hand_edited(file.text):
                run.report.notes.append(
                    f"{_shown(run, file.path)} links to {_shown(run, old)},"
                    f" which moved to {_shown(run, new)}"
                )
                continue
            if not run.dry_run:
                atomic_write_text(run.docs_dir / file.path, text)
            run.files.replace(file, replace(file, text=text))
            run.report.notes.append(
                f"{_shown(run, file.path)}: link to {_shown(run, old)}"
                f" now goes to {_shown(run, new)}"
            )


# --- removals ------------------------------------------------------------------------------


def _remove(run: _Run, key: Key, reason: str) -> Outcome | None:
    existing = run.files.files(key)
    if not existing:
        return None
    if not run.force and _edited(existing):
        return _edited_outcome(key, existing[0], f"its thread is gone upstream ({reason})")
    for file in existing:
        run.redirects = store.without_target(run.redirects, file.path)
    _save_redirects(run)  # Before the files go: no redirect may outlive its target.
    _delete(run, existing)
    run.files.remove(key)
    for file in existing:
        _relink(run, file.path, file.url)
    return Outcome(Action.REMOVED, key, existing[0].path, reason)


def _remove_unpublished(
    run: _Run, source: ThreadSource, limit: int | None, progress: Progress | None
) -> None:
    """With ``full``: remove every article whose id the source no longer publishes."""
    published = source.known_ids()
    if published is None:
        return
    if limit is not None:
        run.report.notes.append("with --limit, articles no longer published are not removed")
        return
    for key in run.files.keys_of(source.kind.value):
        if key not in run.seen and key[1] not in published:
            _record(run, _remove(run, key, "no longer published upstream"), progress)


# --- images nobody shows -------------------------------------------------------------------

_OUR_IMAGE = re.compile(r"^[0-9a-f]{20}\.(?:png|jpg|gif|webp)$")
_IMAGE_REFERENCE = re.compile(rf"{IMAGE_FOLDER}/([0-9a-f]{{20}}\.(?:png|jpg|gif|webp))")


def _collect_images(run: _Run) -> None:
    """Delete downloaded images no article of their folder shows any more."""
    for folder in sorted(run.folders):
        images = run.docs_dir / folder / IMAGE_FOLDER
        if not images.is_dir():
            continue
        shown: set[str] = set()
        for article in (run.docs_dir / folder).glob("*.md"):
            shown.update(_IMAGE_REFERENCE.findall(article.read_text(encoding="utf-8")))
        for image in images.iterdir():
            if _OUR_IMAGE.match(image.name) and image.name not in shown:
                image.unlink()
