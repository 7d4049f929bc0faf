"""The build manifest: every page the site publishes, for the steps that come after a build.

The build writes ``carebase-manifest.json`` at the root of the site. Search indexers read it to
know which built pages are articles, FAQs, community solutions or blog posts, in which language
and category; the announcer compares its revisions with what was already announced. It is read
from the built site, never from a git diff, so whatever engine built the site, these steps see
what was actually published.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from carebase.content import Article, Post
from carebase.errors import ProjectError
from carebase.fsutil import atomic_write_text

MANIFEST_FILE = "carebase-manifest.json"
VERSION = 1
REBUILD_HINT = "rebuild the site with `carebase build`"
_SPACE = re.compile(r"\s+")


class EntryType(StrEnum):
    """What a published page is, for filters, ranking and announcements."""

    ARTICLE = "article"
    FAQ = "faq"
    COMMUNITY = "community"
    """An article imported from a solved forum thread or a merged pull request."""
    POST = "post"
    NOTICE = "notice"
    """A blog post that is also a service notice."""


@dataclass(frozen=True)
class ManifestEntry:
    """One page in one language."""

    id: str
    """Stable across builds and edits: ``<key>@<lang>``."""
    key: str
    """Language-neutral: ``kb/billing/how-to-get-a-refund`` for every translation."""
    lang: str
    type: EntryType
    title: str
    description: str
    url: str
    """Relative to the site root (``kb/billing/how-to-get-a-refund/``); empty when unpublished."""
    html: str
    """The built file, relative to the site root; empty when unpublished."""
    source: str
    """The Markdown file, relative to the docs folder."""
    category: str
    revision: str
    """Hash of what readers read (title and text); an edit of whitespace keeps it."""
    promoted: bool = False
    silent: bool = False
    """Staff marked the latest edit as not worth announcing."""
    published: str | None = None
    """ISO date a post was published; None for articles."""
    draft: bool = False
    future: bool = False
    tags: tuple[str, ...] = ()


@dataclass
class Manifest:
    """What one build published."""

    site_url: str
    built_at: str
    entries: list[ManifestEntry] = field(default_factory=list)

    @property
    def build_id(self) -> str:
        """Identifies this build's content: the same pages and revisions, the same id."""
        digest = hashlib.sha256()
        for entry in sorted(self.entries, key=lambda item: item.id):
            digest.update(f"{entry.id}\t{entry.url}\t{entry.revision}\n".encode())
        return digest.hexdigest()[:16]

    def published(self) -> list[ManifestEntry]:
        """Entries readers can reach: not drafts, not scheduled for later, with a page."""
        return [e for e in self.entries if e.url and not e.draft and not e.future]

    def to_json(self) -> str:
        data = {
            "version": VERSION,
            "build_id": self.build_id,
            "site_url": self.site_url,
            "built_at": self.built_at,
            "entries": [asdict(entry) for entry in sorted(self.entries, key=lambda e: e.id)],
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def revision_of(title: str, body: str) -> str:
    """A short hash of a page's title and text, blind to whitespace-only edits."""
    text = _SPACE.sub(" ", f"{title}\n{body}").strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def article_type(article: Article) -> EntryType:
    """Article, FAQ, or community solution (imported, whatever its shape)."""
    if article.meta.source is not None:
        return EntryType.COMMUNITY
    return EntryType.FAQ if article.is_faq else EntryType.ARTICLE


def post_type(post: Post) -> EntryType:
    """Blog post, or service notice."""
    return EntryType.NOTICE if post.meta.notice is not None else EntryType.POST


def article_entry(article: Article, url: str, html: str) -> ManifestEntry:
    """The manifest entry of an article, FAQ or imported solution."""
    meta = article.meta
    return ManifestEntry(
        id=f"{article.key}@{article.lang}",
        key=article.key,
        lang=article.lang,
        type=article_type(article),
        title=article.title,
        description=meta.description or "",
        url=url,
        html=html,
        source=article.path,
        category=article.category,
        revision=revision_of(article.title, article.document.body),
        promoted=meta.promoted,
        silent=meta.silent,
        tags=tuple(meta.tags),
    )


def post_entry(post: Post, url: str, html: str, now: datetime) -> ManifestEntry:
    """The manifest entry of a blog post; ``url`` is empty when the build did not publish it."""
    meta = post.meta
    key = post.path.removesuffix(".md").removesuffix(f".{post.lang}")
    return ManifestEntry(
        id=f"{key}@{post.lang}",
        key=key,
        lang=post.lang,
        type=post_type(post),
        title=post.title,
        description=meta.description or "",
        url=url,
        html=html,
        source=post.path,
        category=meta.categories[0] if meta.categories else "",
        revision=revision_of(post.title, post.document.body),
        silent=meta.silent,
        published=meta.created.isoformat(),
        draft=meta.draft,
        future=meta.created > now.date(),
        tags=tuple(meta.tags),
    )


def write_manifest(site_dir: Path, manifest: Manifest) -> Path:
    """Write the manifest at the root of the built site, atomically."""
    path = site_dir / MANIFEST_FILE
    atomic_write_text(path, manifest.to_json())
    return path


def read_manifest(site_dir: Path) -> Manifest:
    """The manifest of the site built in ``site_dir``; a clear error when it is missing."""
    path = site_dir / MANIFEST_FILE
    rebuild = REBUILD_HINT
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _broken(path, "not found: no site built by Carebase is here", rebuild) from None
    except (OSError, ValueError) as exc:
        raise _broken(path, f"cannot be read ({exc})", rebuild) from None
    except RecursionError:
        raise _broken(path, "cannot be read (nested too deeply)", rebuild) from None
    version = data.get("version") if isinstance(data, dict) else None
    if version != VERSION:
        raise _broken(path, f"is version {version}, not {VERSION}", rebuild)
    entries = data.get("entries")
    if not isinstance(entries, list):
        raise _broken(path, "has no list of entries", rebuild)
    return Manifest(
        site_url=str(data.get("site_url", "")),
        built_at=str(data.get("built_at", "")),
        entries=[_entry(raw, path, number) for number, raw in enumerate(entries, 1)],
    )


def _broken(path: Path, what: str, hint: str) -> ProjectError:
    return ProjectError(f"{path}: {what}\n  hint: {hint}")


_FIELDS = {f.name for f in fields(ManifestEntry)}


def _entry(raw: Any, path: Path, number: int) -> ManifestEntry:
    if not isinstance(raw, dict) or not {"id", "url", "type"} <= raw.keys():
        raise _broken(path, f"entry {number} is not a page", REBUILD_HINT)
    values = {key: value for key, value in raw.items() if key in _FIELDS}
    values["type"] = EntryType(values["type"])
    values["tags"] = tuple(values.get("tags", ()))
    return ManifestEntry(**values)
