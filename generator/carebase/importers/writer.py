"""A thread as a knowledge-base article: safe Markdown with Carebase front matter.

Pure functions of their arguments: the same thread, settings and ``imported_at`` always give
the same bytes, so a sync of an unchanged thread writes nothing. The article reads as an
article: the question, the accepted answer, then the most helpful replies; a pull request
reads as a "What's new / fixed" note. The "Solved in our community" box and the attribution
line are the theme's (they follow the configuration, not the day a thread was imported).

``source.content_hash`` is the hash of the file as written, with the hash itself left out
(:func:`content_hash`): a file whose text no longer matches was edited by a person.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import markdown
import yaml

from carebase.importers.model import Post, Thread
from carebase.importers.safety import (
    checked_url,
    display_name,
    escape_text,
    markdown_from_html,
    plain_text,
    safe_markdown,
    scrub,
    scrubber,
    split_code,
)
from carebase.importers.settings import ImportSettings
from carebase.models import QUESTION_LENGTH, SourceKind, question_key
from carebase.scaffold import slugify

COMMUNITY_FOLDER = "community"
IMAGE_FOLDER = "img"
DESCRIPTION_LENGTH = 160
MAX_TAGS = 10
MAX_QUESTIONS = 5
_PENDING = "sha256:pending"
_HASH_LINE = re.compile(r"^(  content_hash: )(\S+)[ \t]*$", re.MULTILINE)
_URL_IN_MARKDOWN = re.compile(
    r"(?P<image>!?)\[(?P<text>(?:\\.|[^\[\]\\])*)\]\((?P<url>https?://[^)\s]+)\)"
)


def community_folder(kb_dir: str, category: str) -> str:
    """Where a category's imported articles live, relative to the docs folder."""
    return f"{kb_dir}/{category}/{COMMUNITY_FOLDER}"


def article_path(kb_dir: str, category: str, slug: str) -> str:
    """``kb/<category>/community/<slug>.md``."""
    return f"{community_folder(kb_dir, category)}/{slug}.md"


def base_slug(thread: Thread, settings: ImportSettings) -> str:
    """The file name a thread's title asks for (``thread-<id>`` when it has no usable words)."""
    slug = slugify(title_of(thread, settings))
    return slug or f"thread-{id_slug(thread.id)}"


def id_slug(source_id: str) -> str:
    """A source id as a file-name suffix: ``owner/repo#12`` → ``owner-repo-12``."""
    return slugify(source_id) or hashlib.sha256(source_id.encode()).hexdigest()[:8]


def title_of(thread: Thread, settings: ImportSettings) -> str:
    """The article's title: plain text, scrubbed; the thread id when nothing is left."""
    title = scrub(plain_text(thread.title), settings)
    return title or f"Community thread {plain_text(thread.id)}"


# --- the body ------------------------------------------------------------------------------


def body_of(thread: Thread, settings: ImportSettings) -> str:
    """The article's Markdown, safe and scrubbed, with absolute URLs (see :func:`replace_urls`)."""
    if thread.kind is SourceKind.GITHUB_PULL:
        return _pull_body(thread, settings)
    parts = [_post_text(thread.question, thread, settings)]
    parts.append(_byline("Asked by", thread.question, settings))
    if thread.answer is not None:
        parts += ["## Accepted answer", _byline("Answered by", thread.answer, settings)]
        parts.append(_post_text(thread.answer, thread, settings))
    replies = helpful_replies(thread, settings.replies)
    if replies:
        parts.append("## Other helpful replies")
    # A byline, not a heading, for each reply: repliers' names are no table of contents.
    for reply in replies:
        parts.append(_byline("Reply from", reply, settings))
        parts.append(_post_text(reply, thread, settings))
    return _joined(parts)


def helpful_replies(thread: Thread, limit: int) -> list[Post]:
    """Up to ``limit`` replies, the most liked first (the earliest first among equals)."""
    skip = {thread.question.id, thread.answer.id if thread.answer else None}
    replies = [reply for reply in thread.replies if reply.id not in skip]
    replies.sort(key=lambda post: (-post.score, post.created_at, post.id))
    return replies[:limit]


def _pull_body(thread: Thread, settings: ImportSettings) -> str:
    parts = [_post_text(thread.question, thread, settings)]
    merged = thread.created_at or thread.question.created_at
    parts.append(f"*Merged on {_date(merged)}.*")
    issues = [f"[{escape_text(_issue_label(url))}]({url})" for url in _checked(thread.links)]
    if issues:
        parts.append(f"**Linked issues:** {', '.join(issues)}")
    return _joined(parts)


def _checked(urls: Iterable[str]) -> list[str]:
    return [checked for url in urls if (checked := checked_url(url))]


def _issue_label(url: str) -> str:
    """``https://github.com/o/r/issues/12`` → ``o/r#12``; other URLs as they are."""
    parts = urlsplit(url).path.strip("/").split("/")
    if len(parts) == 4 and parts[2] in ("issues", "pull", "discussions"):
        return f"{parts[0]}/{parts[1]}#{parts[3]}"
    return url


def _post_text(post: Post, thread: Thread, settings: ImportSettings) -> str:
    clean = scrubber(settings)
    if post.format == "markdown":
        text = safe_markdown(post.body, thread.url, clean)
    else:
        text = markdown_from_html(post.body, thread.url, clean)
    # Once more over the whole text: a number split across two tags is whole again here.
    return scrub(text.strip(), settings)


def _byline(what: str, post: Post, settings: ImportSettings) -> str:
    name = escape_text(display_name(post.author, settings))
    return f"*{what} {name} on {_date(post.created_at)}.*"


def _date(when: datetime) -> str:
    return f"{when.day} {when:%B %Y}"


def _joined(parts: Iterable[str]) -> str:
    return "\n\n".join(part.strip() for part in parts if part.strip()) + "\n"


# --- URLs in the body ----------------------------------------------------------------------


def image_urls(body: str) -> list[str]:
    """Absolute URLs of the images in a body, in order, each once."""
    return _urls(body, image=True)


def link_urls(body: str) -> list[str]:
    """Absolute URLs of the links in a body, in order, each once."""
    return _urls(body, image=False)


def _urls(body: str, *, image: bool) -> list[str]:
    found: dict[str, None] = {}
    for part, is_code in split_code(body):
        if is_code:
            continue
        for match in _URL_IN_MARKDOWN.finditer(part):
            if bool(match["image"]) == image:
                found.setdefault(match["url"], None)
    return list(found)


def replace_urls(body: str, images: Mapping[str, str | None], links: Mapping[str, str]) -> str:
    """Images moved into the repository (None: left out, alt text kept), links to articles."""

    def replace(match: re.Match[str]) -> str:
        url = match["url"]
        if match["image"]:
            if url not in images:
                return match[0]
            local = images[url]
            return f"![{match['text']}]({local})" if local else match["text"]
        return f"[{match['text']}]({links[url]})" if url in links else match[0]

    return "".join(
        part if is_code else _URL_IN_MARKDOWN.sub(replace, part)
        for part, is_code in split_code(body)
    )


def relative_link(from_path: str, to_path: str) -> str:
    """The relative link from one docs file to another (MkDocs resolves ``.md`` links)."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path))


def relinked(text: str, path: str, old: str, new: str) -> str:
    """A file's links to the article at ``old`` pointed at ``new`` (a path or a URL).

    The content hash is brought up to date: the importer made the change, not a person.
    """
    target = relative_link(path, old)
    replacement = new if "://" in new else relative_link(path, new)
    changed = text.replace(f"]({target})", f"]({replacement})")
    if changed == text:
        return text
    return _HASH_LINE.sub(lambda m: f"{m[1]}{content_hash(changed)}", changed, count=1)


# --- the document --------------------------------------------------------------------------


def render(thread: Thread, settings: ImportSettings, body: str, imported_at: datetime) -> str:
    """The whole file: front matter (with its content hash) and ``body``."""
    meta = front_matter(thread, settings, imported_at)
    text = f"---\n{_dump(meta)}---\n\n{body}"
    return text.replace(f"  content_hash: {_PENDING}\n", f"  content_hash: {content_hash(text)}\n")


def front_matter(thread: Thread, settings: ImportSettings, imported_at: datetime) -> dict[str, Any]:
    """Title, description, tags and ``source`` (its hash pending) of a thread's article."""
    meta: dict[str, Any] = {"title": title_of(thread, settings)}
    description = description_of(thread, settings)
    if description:
        meta["description"] = description
    tags = tags_of(thread, settings)
    if tags:
        meta["tags"] = tags
    questions = questions_of(thread, settings)
    if questions:
        meta["questions"] = questions
    meta["source"] = _source(thread, imported_at)
    return meta


def _source(thread: Thread, imported_at: datetime) -> dict[str, Any]:
    source: dict[str, Any] = {"kind": thread.kind.value, "url": thread.url, "id": thread.id}
    if thread.answer is not None:
        source["accepted_post"] = thread.answer.id
    source["imported_at"] = _timestamp(imported_at)
    if thread.updated_at is not None:
        source["source_updated_at"] = _timestamp(thread.updated_at)
    source["content_hash"] = _PENDING
    return source


def _timestamp(when: datetime) -> str:
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def description_of(thread: Thread, settings: ImportSettings) -> str:
    """The first words of the question, as plain text, for search results and link cards."""
    text = plain_text(markdown.markdown(_post_text(thread.question, thread, settings)))
    return _shortened(text, DESCRIPTION_LENGTH)


def tags_of(thread: Thread, settings: ImportSettings) -> list[str]:
    """The thread's tags as plain text, scrubbed, each once."""
    tags = (scrub(plain_text(tag), settings) for tag in thread.tags)
    return list(dict.fromkeys(tag for tag in tags if tag))[:MAX_TAGS]


def questions_of(thread: Thread, settings: ImportSettings) -> list[str]:
    """Other titles of the question (plain text, scrubbed, shortened), each once and none the
    same as the article's title: what the article's ``questions`` accept."""
    if not thread.questions:
        return []
    seen = {question_key(title_of(thread, settings))}
    found = []
    for raw in thread.questions:
        # One character is left for the ellipsis of a shortened question.
        text = _shortened(scrub(plain_text(raw), settings), QUESTION_LENGTH - 1)
        key = question_key(text)
        if key and key not in seen:
            seen.add(key)
            found.append(text)
    return found[:MAX_QUESTIONS]


def _shortened(text: str, limit: int) -> str:
    """``text``, or its first words within ``limit`` characters and an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _dump(meta: dict[str, Any]) -> str:
    return yaml.safe_dump(
        meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000
    )


def content_hash(text: str) -> str:
    """``sha256:<hex>`` of a file's text with its own content hash left out."""
    pending = _HASH_LINE.sub(lambda m: f"{m[1]}{_PENDING}", text, count=1)
    return "sha256:" + hashlib.sha256(pending.encode("utf-8")).hexdigest()


def stored_hash(text: str) -> str | None:
    """The content hash a file says it has, or None."""
    match = _HASH_LINE.search(text)
    return match[2] if match else None


def is_hand_edited(text: str) -> bool:
    """Whether a file differs from what the importer wrote (its hash no longer matches)."""
    return stored_hash(text) != content_hash(text)
