"""Search records from built pages: sections, DocSearch fields, chunks under 8 KB, stable ids."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebase.manifest import EntryType, Manifest, ManifestEntry, write_manifest
from carebase.search.records import (
    RECORD_LIMIT,
    SearchRecordsError,
    absolute_url,
    object_id,
    page_of,
    page_records,
    page_sections,
    site_records,
    split_text,
)

SITE_URL = "https://help.example.com/"
ARTICLE = """\
<html><body>
<nav>Menu: Billing, Broadband</nav>
<article>
<a class="md-content__button" href="edit">Edit this page</a>
<div class="cb-page" data-pagefind-body>
  <h1>Get a refund</h1>
  <ul data-pagefind-ignore><li>Last reviewed: 1 May</li></ul>
  <p>Refunds take <strong>5</strong>, sometimes <em>7</em>, days.</p>
  <h2 id="when-you-can">When you can<a class="headerlink" href="#when-you-can">¶</a></h2>
  <table><tr><td>Bills</td><td>Charges</td></tr></table>
  <h3 id="by-card">By card<a class="headerlink" href="#by-card">¶</a></h3>
  <p>Card refunds go back to the card.</p>
  <h2 id="how">How<a class="headerlink" href="#how">¶</a></h2>
  <p>Ask in chat.</p><p>Or call us.</p>
</div>
<nav class="cb-related"><h2 id="related">Related articles</h2></nav>
</article>
<footer>Copyright Brightwave</footer>
</body></html>
"""


def entry(
    key: str = "kb/billing/get-a-refund",
    lang: str = "en",
    kind: EntryType = EntryType.ARTICLE,
    **changes: object,
) -> ManifestEntry:
    url = f"{key.removeprefix('blog/posts/')}/"
    values: dict[str, object] = {
        "id": f"{key}@{lang}",
        "key": key,
        "lang": lang,
        "type": kind,
        "title": "Get a refund",
        "description": "",
        "url": url,
        "html": f"{url}index.html",
        "source": f"{key}.md",
        "category": "billing",
        "revision": "0123456789abcdef",
        "promoted": False,
    }
    values.update(changes)
    return ManifestEntry(**values)  # type: ignore[arg-type]


def page(body: str) -> str:
    return f"<html><body><div data-pagefind-body>{body}</div><p>Footer</p></body></html>"


def test_a_page_is_cut_into_sections_at_h2_and_h3() -> None:
    sections = page_sections(ARTICLE)

    assert [(s.level, s.lvl2, s.lvl3, s.anchor, s.text) for s in sections] == [
        (1, None, None, "", "Refunds take 5, sometimes 7, days."),
        (2, "When you can", None, "when-you-can", "Bills Charges"),
        (3, "When you can", "By card", "by-card", "Card refunds go back to the card."),
        (2, "How", None, "how", "Ask in chat. Or call us."),
    ]


def test_text_outside_the_body_ignored_parts_and_permalinks_are_left_out() -> None:
    text = " ".join(f"{s.lvl2} {s.lvl3} {s.text}" for s in page_sections(ARTICLE))

    for left_out in ("Menu", "Edit this page", "Last reviewed", "¶", "Related", "Copyright"):
        assert left_out not in text
    # The title is the record's hierarchy.lvl1, not part of its text.
    assert "Get a refund" not in text


def test_records_have_docsearch_fields_and_carebase_filters() -> None:
    records = page_records(entry(promoted=True), ARTICLE, SITE_URL, "Billing and payments")
    first, card = records[0].to_dict(), records[2].to_dict()

    assert first["objectID"] == "kb/billing/get-a-refund@en:0"
    assert first["hierarchy"] == {
        "lvl0": "Billing and payments",
        "lvl1": "Get a refund",
        "lvl2": None,
        "lvl3": None,
        "lvl4": None,
        "lvl5": None,
        "lvl6": None,
    }
    assert first["url"] == "https://help.example.com/kb/billing/get-a-refund/"
    assert first["anchor"] is None
    assert card["objectID"] == "kb/billing/get-a-refund@en#by-card:0"
    assert card["hierarchy"]["lvl2"] == "When you can"
    assert card["hierarchy"]["lvl3"] == "By card"
    assert card["url"] == "https://help.example.com/kb/billing/get-a-refund/#by-card"
    assert card["url_without_anchor"] == "https://help.example.com/kb/billing/get-a-refund/"
    assert card["anchor"] == "by-card"
    assert card["type"] == "content"
    assert card["content"] == "Card refunds go back to the card."
    assert (card["lang"], card["category"], card["page_type"]) == ("en", "billing", "article")
    assert card["promoted"] is True
    assert card["weight"] == {"level": 70, "position": 2, "page_rank": 2}
    assert len(card["hash"]) == 20


def test_an_untranslated_page_is_searched_by_the_languages_that_fall_back_to_it() -> None:
    marked = ARTICLE.replace("data-pagefind-body>", 'data-pagefind-body data-cb-index="en es de">')
    records = page_records(entry(), marked, SITE_URL, "Billing and payments")
    assert {tuple(record.to_dict()["fallback_for"]) for record in records} == {("es", "de")}
    # A page only its own language reads has no such field: its records keep their hashes.
    plain = page_records(entry(), ARTICLE, SITE_URL, "Billing and payments")
    own = ARTICLE.replace("data-pagefind-body>", 'data-pagefind-body data-cb-index="en">')
    alone = page_records(entry(), own, SITE_URL, "Billing and payments")
    assert "fallback_for" not in alone[0].to_dict()
    assert [record.hash for record in alone] == [record.hash for record in plain]
    assert [record.hash for record in records] != [record.hash for record in plain]


def test_a_heading_without_text_and_a_page_without_intro_get_heading_records() -> None:
    html = page('<h2 id="a">Alpha</h2><h3 id="b">Beta</h3><p>Text.</p>')

    records = [r.to_dict() for r in page_records(entry(), html, SITE_URL, "Billing")]

    assert [(r["type"], r["content"]) for r in records] == [
        ("lvl1", None),
        ("lvl2", None),
        ("content", "Text."),
    ]


@pytest.mark.parametrize(
    ("kind", "page_rank"),
    [
        (EntryType.ARTICLE, 2),
        (EntryType.FAQ, 2),
        (EntryType.COMMUNITY, 1),
        (EntryType.NOTICE, 1),
        (EntryType.POST, 0),
    ],
)
def test_page_type_and_rank_follow_the_manifest(kind: EntryType, page_rank: int) -> None:
    record = page_records(entry(kind=kind), page("<p>Text.</p>"), SITE_URL, "Blog")[0]

    assert record.page_type == kind.value
    assert record.weight["page_rank"] == page_rank


def test_a_long_section_is_split_at_sentences_into_records_under_8_kb() -> None:
    sentences = [f"Sentence {n} says “{'ünïcode ' * 40}”." for n in range(120)]
    html = page(f'<h2 id="long">Long</h2><p>{" ".join(sentences)}</p>')

    records = page_records(entry(), html, SITE_URL, "Billing")[1:]

    assert len(records) > 3
    for record in records:
        data = json.dumps(record.to_dict(), ensure_ascii=False).encode("utf-8")
        assert len(data) < RECORD_LIMIT
        assert record.content is not None and record.content.endswith("”.")
    assert [r.object_id for r in records] == [
        f"kb/billing/get-a-refund@en#long:{n}" for n in range(len(records))
    ]
    assert " ".join(r.content or "" for r in records) == " ".join(sentences)
    assert len({r.url for r in records}) == 1


def test_a_huge_word_or_escaped_text_is_split_too() -> None:
    escaped = '\\ " \t' * 6000  # Each grows when JSON-encoded.
    html = page(f"<p>{'x' * 30_000}</p><h2 id='q'>Quotes</h2><pre>{escaped}</pre>")

    records = page_records(entry(), html, SITE_URL, "Billing")

    assert len(records) > 4
    assert all(record.size() < RECORD_LIMIT for record in records)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=3000), st.integers(40, 900))
def test_split_text_keeps_every_character_within_the_budget(text: str, budget: int) -> None:
    normalised = " ".join(text.split())

    chunks = split_text(normalised, budget)

    assert all(len(json.dumps(c, ensure_ascii=False).encode()) - 2 <= budget for c in chunks)
    assert "".join(chunks).replace(" ", "") == normalised.replace(" ", "")


def test_editing_text_keeps_record_ids_and_changes_only_that_sections_hash() -> None:
    edited = ARTICLE.replace("Card refunds go back", "Card refunds always go back")

    before = page_records(entry(), ARTICLE, SITE_URL, "Billing")
    after = page_records(entry(), edited, SITE_URL, "Billing")

    assert [r.object_id for r in before] == [r.object_id for r in after]
    changed = [b.object_id for b, a in zip(before, after, strict=True) if b.hash != a.hash]
    assert changed == ["kb/billing/get-a-refund@en#by-card:0"]


def test_object_ids_map_back_to_their_page() -> None:
    for anchor in ("", "how-to-pay", "odd:anchor#x"):
        assert page_of(object_id("kb/a/b@es", anchor, 12)) == "kb/a/b@es"


def test_urls_are_absolute_under_the_site_url_or_root_relative_without_one() -> None:
    assert absolute_url("https://x.example/help/", "kb/a/") == "https://x.example/help/kb/a/"
    assert absolute_url("", "kb/a/") == "/kb/a/"


def test_a_page_without_an_indexed_body_is_an_error_naming_it() -> None:
    with pytest.raises(SearchRecordsError, match=r"kb/a/index.html: .*data-pagefind-body"):
        page_sections("<html><body><p>Text</p></body></html>", "kb/a/index.html")


def test_site_records_cover_published_pages_only(tmp_path: Path) -> None:
    article = entry()
    translated = entry(lang="es", url="es/kb/billing/get-a-refund/")
    translated = replace(translated, html="es/kb/billing/get-a-refund/index.html")
    post = entry("blog/posts/winter", kind=EntryType.POST, category="Tips")
    draft = entry("blog/posts/later", kind=EntryType.POST, draft=True)
    future = entry("blog/posts/soon", kind=EntryType.POST, future=True)
    for item in (article, translated, post, draft, future):
        (tmp_path / item.html).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / item.html).write_text(page("<p>Text.</p>"), encoding="utf-8")
    manifest = Manifest(SITE_URL, "2026-11-23", [article, translated, post, draft, future])
    write_manifest(tmp_path, manifest)

    def title(category: str, lang: str) -> str:
        return f"{category} in {lang}"

    records = site_records(manifest, tmp_path, title)

    assert [(r.object_id, r.hierarchy["lvl0"]) for r in records] == [
        ("kb/billing/get-a-refund@en:0", "billing in en"),
        ("kb/billing/get-a-refund@es:0", "billing in es"),
        ("blog/posts/winter@en:0", "Blog"),
    ]


def test_a_page_missing_from_the_site_folder_is_an_error_with_a_hint(tmp_path: Path) -> None:
    manifest = Manifest(SITE_URL, "2026-11-23", [entry()])

    with pytest.raises(SearchRecordsError, match=r"get-a-refund/index.html.*missing.*rebuild"):
        site_records(manifest, tmp_path)
