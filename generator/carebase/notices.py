"""Service notices: blog posts in the status category that show a site-wide banner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from carebase.content import Post
from carebase.models import Notice, Severity

_SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class ActiveNotice:
    """A notice to show, with the post that explains it."""

    post: Post
    notice: Notice

    @property
    def summary(self) -> str:
        """The banner text: the notice's summary, else the post's title."""
        return self.notice.summary or self.post.title

    def summary_in(self, lang: str) -> tuple[str, str]:
        """The banner text for readers of ``lang``, and the language it is written in."""
        translated = self.notice.translations.get(lang)
        if translated is not None:
            return translated.summary, lang
        return self.summary, self.post.lang


def active_notices(posts: list[Post], now: datetime) -> list[ActiveNotice]:
    """Notices showing at ``now``, most severe and then most recent first; drafts never show."""
    active = [
        ActiveNotice(post, post.meta.notice)
        for post in posts
        if post.meta.notice is not None and not post.meta.draft and post.meta.notice.active_at(now)
    ]
    return sorted(
        active,
        key=lambda item: (_SEVERITY_ORDER[item.notice.severity], -item.notice.starts.timestamp()),
    )
