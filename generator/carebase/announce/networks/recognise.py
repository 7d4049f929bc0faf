"""Whether a post a network lists is the post of one message: of this revision, not only of
this page.

A changed FAQ links to the same page as its first announcement, so a post found by its page
alone may be an earlier revision's, and taking it for this one loses the update. A tracked link
carries the revision as ``utm_content`` (:func:`carebase.announce.compose.tracked`): a post is
this message's when one of its links is the page with this revision. An untracked link
(``utm: false``) says nothing of the revision; the post is then recognised by its exact text,
whitespace aside (networks re-flow it: Mastodon into HTML paragraphs).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlsplit

from carebase.announce.compose import revision_tag
from carebase.announce.model import Message


def recognised(message: Message, links: Iterable[str], text: str | None) -> bool:
    """Whether a post linking to ``links`` and reading ``text`` (None: unknown) is the post of
    ``message``."""
    if carries_revision(message):
        return any(same_revision(link, message) for link in links)
    return text is not None and same_text(text, message.text)


def carries_revision(message: Message) -> bool:
    """Whether the message's link names its revision."""
    return _content(message.link) == revision_tag(message.revision)


def same_revision(link: str, message: Message) -> bool:
    """Whether ``link`` is the message's page with the message's revision (the order and
    spelling of the other parameters aside)."""
    ours, theirs = urlsplit(message.link), urlsplit(link)
    same_page = (theirs.netloc.lower(), theirs.path) == (ours.netloc.lower(), ours.path)
    return same_page and _content(link) == revision_tag(message.revision)


def same_text(posted: str, sent: str) -> bool:
    """Whether a post's text is the text sent, whitespace aside."""
    return posted.split() == sent.split()


def _content(link: str) -> str | None:
    return dict(parse_qsl(urlsplit(link).query)).get("utm_content")
