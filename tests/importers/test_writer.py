"""A thread as an article file: deterministic, readable, and able to tell a hand edit."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from carebase.documents import parse_document
from carebase.importers.model import Thread
from carebase.importers.writer import (
    body_of,
    content_hash,
    helpful_replies,
    image_urls,
    is_hand_edited,
    link_urls,
    render,
    replace_urls,
)
from carebase.models import ArticleMeta, SourceKind
from tests.importers.conftest import NOW, SETTINGS, post, thread


def test_the_article_reads_question_answer_then_replies() -> None:
    replies = [
        post("Worked for me", id="r1", author="Pat", score=4, day=3),
        post("Me too", id="r2", author="Kim", score=1, day=4),
        post("Try a booster", id="r3", author="Lou", score=9, day=5),
    ]
    body = body_of(thread(replies=replies), SETTINGS)
    assert body == (
        "My Wi-Fi drops every night at 2am.\n\n"
        "*Asked by Alex on 1 October 2026.*\n\n"
        "## Accepted answer\n\n"
        "*Answered by Sam on 2 October 2026.*\n\n"
        "Set a fixed channel in the Hub's settings.\n\n"
        "## Other helpful replies\n\n"
        "*Reply from Lou on 5 October 2026.*\n\nTry a booster\n\n"
        "*Reply from Pat on 3 October 2026.*\n\nWorked for me\n"
    )


def test_replies_never_repeat_the_question_or_answer() -> None:
    solved = thread(replies=[post("dup", id="101-a", score=99), post("ok", id="r", score=0)])
    assert [reply.id for reply in helpful_replies(solved, 5)] == ["r"]


def test_a_pull_request_is_a_whats_new_note() -> None:
    pull = Thread(
        kind=SourceKind.GITHUB_PULL,
        id="brightwave/app#12",
        url="https://github.com/brightwave/app/pull/12",
        title="Show data usage per day",
        source_category="customer-facing",
        question=post("The app now shows **daily** data usage.", author="dev"),
        answer=None,
        created_at=datetime(2026, 10, 20, 15, 0, tzinfo=UTC),
        links=("https://github.com/brightwave/app/issues/7",),
    )
    assert body_of(pull, SETTINGS) == (
        "The app now shows **daily** data usage.\n\n"
        "*Merged on 20 October 2026.*\n\n"
        "**Linked issues:** [brightwave/app#7](https://github.com/brightwave/app/issues/7)\n"
    )


def test_the_front_matter_is_a_valid_article_with_its_source() -> None:
    text = render(thread(), SETTINGS, "Body\n", NOW)
    document, problems = parse_document(text, "kb/broadband/community/x.md")
    assert document is not None and problems == []
    meta = ArticleMeta.model_validate(document.meta)
    assert meta.title == "Router drops Wi-Fi at night"
    assert meta.description == "My Wi-Fi drops every night at 2am."
    assert meta.source is not None
    assert (meta.source.kind, meta.source.id, meta.source.accepted_post) == (
        SourceKind.DISCOURSE,
        "101",
        "101-a",
    )
    assert meta.source.imported_at == NOW
    assert meta.source.content_hash == content_hash(text)


def test_titles_lose_their_markup_and_personal_data() -> None:
    title = '<img src=x onerror=alert(1)>Call "me" on +44 20 7946 0958'
    text = render(thread(title=title), SETTINGS, "Body\n", NOW)
    assert "title: Call ”me” on [phone number removed]\n" in text


def test_a_hand_edit_is_detected_anywhere_in_the_file() -> None:
    text = render(thread(), SETTINGS, "Body\n", NOW)
    assert not is_hand_edited(text)
    assert is_hand_edited(text.replace("Body", "Body, with a note from staff"))
    assert is_hand_edited(text.replace("title: Router", "title: The router"))
    assert is_hand_edited(text.replace("  content_hash: sha256:", "  content_hash: sha256:0"))


def test_urls_are_found_and_replaced_outside_code() -> None:
    body = (
        "See [this](https://forum.example.com/t/7) and ![shot](https://forum.example.com/a.png)"
        " and ![gone](https://elsewhere.example/b.png).\n\n"
        "`[not](https://forum.example.com/t/8)`\n"
    )
    assert link_urls(body) == ["https://forum.example.com/t/7"]
    assert image_urls(body) == [
        "https://forum.example.com/a.png",
        "https://elsewhere.example/b.png",
    ]
    replaced = replace_urls(
        body,
        {"https://forum.example.com/a.png": "img/a.png", "https://elsewhere.example/b.png": None},
        {"https://forum.example.com/t/7": "seven.md"},
    )
    assert replaced == (
        "See [this](seven.md) and ![shot](img/a.png) and gone.\n\n"
        "`[not](https://forum.example.com/t/8)`\n"
    )


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)


@given(title=texts, question=texts, answer=texts, author=texts, html=st.booleans())
def test_the_same_thread_always_gives_the_same_bytes(
    title: str, question: str, answer: str, author: str, html: bool
) -> None:
    subject = thread(
        title=title,
        question=question,
        answer=answer,
        body_format="html" if html else "markdown",
        replies=[post(question, id="r", author=author, score=1)],
    )
    first = render(subject, SETTINGS, body_of(subject, SETTINGS), NOW)
    again = render(subject, SETTINGS, body_of(subject, SETTINGS), NOW)
    assert first == again
    assert not is_hand_edited(first)
    document, problems = parse_document(first, "kb/broadband/community/x.md")
    assert document is not None and problems == []
    ArticleMeta.model_validate(document.meta)
