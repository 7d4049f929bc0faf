"""Generated pages: category landing pages paginate, FAQ pages carry every answer."""

from __future__ import annotations

from datetime import date

from carebase.content import Article
from carebase.documents import Document
from carebase.models import ArticleMeta, Category
from carebase.pages import demote_headings, faq_pages, landing_pages, sort_articles


def article(slug: str, title: str, **meta: object) -> Article:
    body = str(meta.pop("body", "Answer text."))
    document = Document(f"kb/billing/{slug}.md", {}, body, 1)
    parsed = ArticleMeta.model_validate({"title": title, **meta})
    return Article(document.path, "en", "billing", slug, title, parsed, document)


CATEGORY = Category(
    title="Billing", description="Bills.", translations={"es": {"title": "Facturación"}}
)


def test_promoted_articles_come_first_then_titles_in_order() -> None:
    articles = [article("b", "beta"), article("a", "Alpha"), article("z", "Zulu", promoted=True)]
    assert [a.title for a in sort_articles(articles)] == ["Zulu", "Alpha", "beta"]


def test_sort_by_review_date_puts_the_newest_review_first() -> None:
    articles = [
        article("old", "Old", reviewed=date(2025, 1, 1)),
        article("new", "New", reviewed=date(2026, 1, 1)),
        article("none", "Never"),
    ]
    assert [a.title for a in sort_articles(articles, "reviewed")] == ["New", "Old", "Never"]


def test_landing_pages_paginate_and_leave_faqs_to_the_faq_page() -> None:
    articles = [article(f"a{i:03}", f"Article {i:03}") for i in range(45)]
    articles.append(article("q", "A question?", type="faq"))
    pages = landing_pages("kb", "billing", CATEGORY, articles, "en", per_page=20)
    assert [p.src_uri for p in pages] == [
        "kb/billing/index.md",
        "kb/billing/page/2.md",
        "kb/billing/page/3.md",
    ]
    assert [len(p.keys) for p in pages] == [20, 20, 5]
    assert all(p.pages == 3 for p in pages)
    assert "kb/billing/q" not in {key for p in pages for key in p.keys}


def test_an_empty_category_still_gets_its_landing_page_in_its_language() -> None:
    (page,) = landing_pages("kb", "billing", CATEGORY, [], "es", per_page=20)
    assert page.keys == ()
    assert "title: Facturación" in page.markdown


def test_faq_pages_include_each_answer_under_an_anchored_question() -> None:
    faqs = [article("when-due", "When is my bill due?", type="faq", body="## Details\nOn the 1st.")]
    (page,) = faq_pages("kb", "billing", CATEGORY, faqs, "en", 50, "{category} FAQs", "Open")
    assert page.src_uri == "kb/billing/faq.md"
    assert "## When is my bill due? { #when-due }" in page.markdown
    assert "#### Details" in page.markdown
    assert "[Open](when-due.md)" in page.markdown
    assert faq_pages("kb", "billing", CATEGORY, [], "en", 50, "{category}", "Open") == []


def test_demoting_headings_leaves_code_blocks_alone_and_drops_a_repeated_title() -> None:
    text = "# Title\n## Step\n```\n# not a heading\n```\n###### deep"
    assert demote_headings(text) == "#### Step\n```\n# not a heading\n```\n###### deep"
