"""Related articles, review dates and notice windows: pure functions of content."""

from __future__ import annotations

from datetime import UTC, date, datetime

from carebase.content import Article, Post
from carebase.documents import Document
from carebase.freshness import review_status
from carebase.models import ArticleMeta, PostMeta
from carebase.notices import active_notices
from carebase.related import RelatedIndex


def article(path: str, title: str, **meta: object) -> Article:
    category, slug = path.split("/")
    document = Document(f"kb/{path}.md", {}, "", 1)
    parsed = ArticleMeta.model_validate({"title": title, **meta})
    return Article(document.path, "en", category, slug, title, parsed, document)


def test_explicit_related_articles_come_first_then_shared_tags() -> None:
    refund = article(
        "billing/refund", "Refund", tags=["refunds", "payments"], related=["../faults/outage.md"]
    )
    outage = article("faults/outage", "Outage", tags=["outages"])
    pay = article("billing/pay", "Pay", tags=["payments"])
    both = article("account/both", "Both", tags=["refunds", "payments"])
    unrelated = article("mobile/sim", "SIM", tags=["sim"])
    index = RelatedIndex([refund, outage, pay, both, unrelated])
    titles = [a.title for a in index.related(refund, limit=3)]
    assert titles == ["Outage", "Both", "Pay"]
    assert refund not in index.related(refund)


def test_review_status_is_stale_once_the_interval_has_passed() -> None:
    meta = ArticleMeta(title="x", reviewed=date(2025, 1, 10), review_every="180d")
    status = review_status(meta, date(2025, 7, 9))
    assert (status.due, status.stale) == (date(2025, 7, 9), False)
    assert review_status(meta, date(2025, 7, 10)).stale
    assert not review_status(
        ArticleMeta(title="x", reviewed=date(2000, 1, 1)), date(2026, 1, 1)
    ).stale


def post(
    title: str, severity: str, starts: str, ends: str | None = None, draft: bool = False
) -> Post:
    notice = {"severity": severity, "starts": starts, "ends": ends}
    meta = PostMeta.model_validate(
        {"title": title, "date": "2026-01-01", "draft": draft, "notice": notice}
    )
    return Post(f"blog/posts/{title}.md", "en", title, meta, Document("", {}, "", 1))


def test_active_notices_are_ordered_by_severity_and_skip_drafts_and_ended_ones() -> None:
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    posts = [
        post("info", "info", "2026-03-01T00:00:00Z"),
        post("critical", "critical", "2026-03-01T10:00:00Z"),
        post("ended", "critical", "2026-02-01T00:00:00Z", "2026-02-02T00:00:00Z"),
        post("draft", "critical", "2026-03-01T00:00:00Z", draft=True),
        post("later", "warning", "2026-03-02T00:00:00Z"),
        post("naive", "warning", "2026-03-01 11:00:00"),
    ]
    assert [n.post.title for n in active_notices(posts, now)] == ["critical", "naive", "info"]
