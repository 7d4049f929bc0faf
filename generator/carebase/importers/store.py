"""What an import leaves in the repository besides articles: who is where, moves, cursors.

- The index of imported articles is read from the articles themselves (their front matter's
  ``source.kind`` and ``source.id``), never from a file name: staff may rename or move them.
- ``.carebase/redirects.yml`` in the docs folder: every page an import moved, old → new,
  which the ``carebase/import`` MkDocs plugin turns into redirect pages.
- ``.carebase/cursors/<source>.json``: where the last complete sync of a source ended.

Both data files are written atomically, and only when their content changes.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from carebase.documents import parse_document
from carebase.errors import Problem, ProjectError
from carebase.fsutil import atomic_write_text
from carebase.importers.model import Cursor
from carebase.languages import split_language
from carebase.paths import unsafe_reason

DATA_DIR = ".carebase"
REDIRECTS_FILE = f"{DATA_DIR}/redirects.yml"
CURSORS_DIR = f"{DATA_DIR}/cursors"
_REDIRECTS_HEADER = (
    "# Written by `carebase import`: pages it moved (old → new, inside the docs folder).\n"
    "# The carebase/import plugin writes a redirect page at every old address.\n"
)
_TOPIC = re.compile(r"^/t/(?:[^/]+/)?(?P<id>\d+)(?:/\d+)?$")

Key = tuple[str, str]
"""``(source kind, source id)``: what identifies an imported article."""


@dataclass(frozen=True)
class ImportedFile:
    """An article some import wrote (or a person moved), as it is on disk now."""

    path: str
    """Relative to the docs folder, POSIX."""
    key: Key
    url: str
    text: str
    imported_at: str | None


@dataclass
class ImportedFiles:
    """Every imported article of a docs folder by source, and every slug in use."""

    by_key: dict[Key, list[ImportedFile]] = field(default_factory=lambda: defaultdict(list))
    slugs: set[str] = field(default_factory=set)
    _by_url: dict[str, str] = field(default_factory=dict)

    def files(self, key: Key) -> list[ImportedFile]:
        """The files of one source thread: one, or several after a run died mid-rename."""
        return list(self.by_key.get(key, []))

    def add(self, file: ImportedFile) -> None:
        self.by_key[file.key].append(file)
        self.slugs.add(_slug(file.path))
        for url_key in url_keys(file.url):
            self._by_url[url_key] = file.path

    def replace(self, old: ImportedFile, new: ImportedFile) -> None:
        """Swap one file of a key for its new state (same path, new text)."""
        files = self.by_key[old.key]
        files[files.index(old)] = new

    def remove(self, key: Key) -> None:
        for file in self.by_key.pop(key, []):
            self.slugs.discard(_slug(file.path))
            for url_key in url_keys(file.url):
                if self._by_url.get(url_key) == file.path:
                    del self._by_url[url_key]

    def article_for(self, url: str) -> str | None:
        """The path of the article imported from the thread at ``url``, if there is one."""
        return next((self._by_url[k] for k in url_keys(url) if k in self._by_url), None)

    def keys_of(self, kind: str) -> list[Key]:
        """Keys of every article imported from one kind of source."""
        return [key for key in self.by_key if key[0] == kind]


def _slug(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")


def url_keys(url: str) -> list[str]:
    """Ways of writing one thread's address: no query, fragment or trailing slash; for a
    Discourse topic also without its slug or post number (``/t/<slug>/<id>/<post>``)."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    path = parts.path.rstrip("/")
    keys = [f"{host}{path}"]
    topic = _TOPIC.match(path)
    if topic:
        keys.append(f"{host}/t/{topic['id']}")
    return keys


def scan(docs_dir: Path, kb_dir: str, languages: tuple[str, ...]) -> ImportedFiles:
    """Read every article under ``kb_dir``: slugs of all, sources of the imported ones."""
    found = ImportedFiles()
    root = docs_dir / kb_dir
    for path in sorted(root.rglob("*.md")) if root.is_dir() else []:
        rel = path.relative_to(docs_dir).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        found.slugs.add(split_language(path.name, languages).stem)
        imported = _imported(path, rel)
        if imported is not None:
            found.add(imported)
    return found


def _imported(path: Path, rel: str) -> ImportedFile | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # `carebase check` reports it; an import leaves it alone.
    head = text[: text.find("\n---", 3) + 1] if text.startswith("---") else ""
    if "source:" not in head:
        return None
    document, _problems = parse_document(text, rel)
    source = document.meta.get("source") if document is not None else None
    if not isinstance(source, dict) or "kind" not in source or "id" not in source:
        return None
    imported_at = source.get("imported_at")
    return ImportedFile(
        path=rel,
        key=(str(source["kind"]), str(source["id"])),
        url=str(source.get("url", "")),
        text=text,
        imported_at=str(imported_at) if imported_at is not None else None,
    )


# --- redirects -----------------------------------------------------------------------------


def read_redirects(docs_dir: Path) -> dict[str, str]:
    """The pages imports moved: ``{old path: new path}``, relative to the docs folder.

    :class:`ProjectError` when the file is unusable or names a path outside the docs folder.
    """
    redirects, problems = load_redirects(docs_dir)
    if problems:
        raise ProjectError("\n".join(problem.format() for problem in problems))
    return redirects


def load_redirects(docs_dir: Path) -> tuple[dict[str, str], list[Problem]]:
    """The valid redirects, and a problem at its line for each entry that is not."""
    path = docs_dir / REDIRECTS_FILE
    if not path.is_file():
        return {}, []
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except RecursionError:
        return {}, [_redirects_problem(1, "file", "is nested too deeply to read")]
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return {}, [_redirects_problem(1, "file", f"cannot be read ({exc})")]
    entries = _redirect_nodes(node)
    if entries is None:
        return {}, [_redirects_problem(1, "redirects", "must map old pages to new ones")]
    redirects: dict[str, str] = {}
    problems = []
    for old, new in entries:
        problem = _redirect_problem(old, new)
        if problem is None:
            redirects[old.value] = new.value
        else:
            problems.append(problem)
    return redirects, problems


def _redirect_nodes(node: yaml.Node | None) -> list[tuple[yaml.Node, yaml.Node]] | None:
    """The ``old: new`` pairs under ``redirects:``; None when the file is not shaped so."""
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        return None
    value = next((v for k, v in node.value if k.value == "redirects"), None)
    if value is None or (isinstance(value, yaml.ScalarNode) and value.value in ("", "null", "~")):
        return []
    return value.value if isinstance(value, yaml.MappingNode) else None


def _redirect_problem(old: yaml.Node, new: yaml.Node) -> Problem | None:
    """Both sides must be Markdown pages named by a plain path inside the docs folder."""
    line = old.start_mark.line + 1
    for side, node in (("old page", old), ("new page", new)):
        if not isinstance(node, yaml.ScalarNode):
            return _redirects_problem(line, "redirects", f"the {side} must be a path")
        reason = unsafe_reason(node.value) or (
            None if node.value.endswith(".md") else "is not a Markdown page"
        )
        if reason is not None:
            field = old.value if isinstance(old, yaml.ScalarNode) else "redirects"
            return _redirects_problem(line, field, f"the {side} '{node.value}' {reason}")
    return None


def _redirects_problem(line: int, field: str, message: str) -> Problem:
    hint = (
        "each line maps an old page to a new one, both relative to the docs folder, like "
        "'kb/billing/old.md: kb/billing/new.md'; restore the file from git"
    )
    return Problem(REDIRECTS_FILE, line, field, message, hint=hint)


def write_redirects(docs_dir: Path, redirects: dict[str, str]) -> bool:
    """Write the redirects file if it changed; whether it was written."""
    if not redirects and not (docs_dir / REDIRECTS_FILE).exists():
        return False
    text = _REDIRECTS_HEADER + yaml.safe_dump(
        {"redirects": dict(sorted(redirects.items()))}, allow_unicode=True, width=10_000
    )
    return _write_if_changed(docs_dir / REDIRECTS_FILE, text)


def moved(redirects: dict[str, str], old: str, new: str) -> dict[str, str]:
    """Redirects after a page moved from ``old`` to ``new``: chains shortened, none to itself."""
    updated = {source: (new if target == old else target) for source, target in redirects.items()}
    updated[old] = new
    updated.pop(new, None)  # A page lives at `new` again: no redirect away from it.
    return updated


def without_target(redirects: dict[str, str], path: str) -> dict[str, str]:
    """Redirects after the page at ``path`` was removed: none points to it any more."""
    return {source: target for source, target in redirects.items() if target != path}


# --- cursors -------------------------------------------------------------------------------


def cursor_path(docs_dir: Path, name: str) -> Path:
    """Where the cursor of the source ``name`` is kept."""
    return docs_dir / CURSORS_DIR / f"{name}.json"


def read_cursor(docs_dir: Path, name: str) -> Cursor:
    """The cursor of the last complete sync of ``name``; the start when there is none."""
    path = cursor_path(docs_dir, name)
    if not path.is_file():
        return Cursor()
    display = path.relative_to(docs_dir).as_posix()
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProjectError(
            f"{display}: cannot be read ({exc})\n  hint: delete it and run the import with --full"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("cursor"), str):
        raise ProjectError(
            f'{display}: must be {{"cursor": "…"}}\n'
            "  hint: delete it and run the import with --full"
        )
    return Cursor(data["cursor"])


def write_cursor(docs_dir: Path, name: str, cursor: Cursor) -> bool:
    """Save a cursor if it moved; whether it was written."""
    text = json.dumps({"cursor": cursor.value}, ensure_ascii=False) + "\n"
    return _write_if_changed(cursor_path(docs_dir, name), text)


def _write_if_changed(path: Path, text: str) -> bool:
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        pass
    atomic_write_text(path, text)
    return True
