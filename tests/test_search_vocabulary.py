"""Each language's search vocabulary, from the built pages (typo tolerance, issue 17)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from carebase.errors import CarebaseError
from carebase.search.vocabulary import (
    COMMON_ASSET,
    COMMON_PAGES,
    VocabularyRun,
    common_text,
    count_words,
    indexed_words,
    vocabulary_text,
    write_vocabularies,
)


def page(languages: str, body: str) -> str:
    return (
        "<html><body><nav><div>Navigation Menu</div></nav>"
        f'<div class="cb-page" data-pagefind-body data-cb-index="{languages}">'
        f"{body}</div><footer><div>Cookie Settings</div></footer></body></html>"
    )


def test_only_the_indexed_element_counts_nested_divs_and_all() -> None:
    html = page(
        "en es",
        "<h1>Router Lights</h1><div><p>The <b>router</b>&#x27;s lights &amp; "
        "reboots</p><div>5G mesh</div></div><p>after</p>"
        '<span hidden data-value="Hidden Facet"></span><script>var ignored;</script>',
    )
    languages, words = indexed_words(html)
    assert languages == ("en", "es")
    # Words of three letters or more, lower-cased, entities decoded; not numbers, not the
    # navigation or footer outside the element, not attribute values or scripts.
    assert words == {"router", "lights", "the", "reboots", "mesh", "after"}


def test_a_page_without_an_indexed_element_adds_nothing() -> None:
    assert indexed_words("<html><body><div><p>Listing of articles</p></div></body></html>") == (
        (),
        set(),
    )


def test_each_language_counts_the_pages_it_searches() -> None:
    counts = count_words(
        [
            page("en es", "<p>refund refund signal</p>"),
            page("en", "<p>refund roaming</p>"),
            page("es", "<p>reembolso</p>"),
        ]
    )
    assert counts["en"] == Counter({"refund": 2, "signal": 1, "roaming": 1})
    assert counts["es"] == Counter({"refund": 1, "signal": 1, "reembolso": 1})


def test_most_common_words_first_ties_alphabetically_cut_at_the_limit() -> None:
    counts = Counter({"signal": 1, "router": 3, "bill": 2, "apple": 2})
    assert vocabulary_text(counts) == "router\napple\nbill\nsignal\n"
    assert vocabulary_text(counts, limit=2) == "router\napple\n"


def test_write_vocabularies_writes_every_language_even_an_empty_one(tmp_path: Path) -> None:
    (tmp_path / "kb" / "a").mkdir(parents=True)
    (tmp_path / "kb" / "a" / "index.html").write_text(
        page("en", "<p>roaming charges</p>"), encoding="utf-8"
    )
    outputs = {"en": tmp_path / "search-vocabulary.txt", "de": tmp_path / "de" / "v.txt"}
    (tmp_path / "de").mkdir()
    written = write_vocabularies([tmp_path / "kb", tmp_path / "missing"], outputs)
    assert written == {"en": 2, "de": 0}
    assert outputs["en"].read_text(encoding="utf-8") == "charges\nroaming\n"
    assert outputs["de"].read_text(encoding="utf-8") == ""
    # Again: the same files.
    assert write_vocabularies([tmp_path / "kb"], outputs) == written


def test_a_run_in_its_own_process_writes_the_same_files(tmp_path: Path) -> None:
    (tmp_path / "kb" / "a").mkdir(parents=True)
    (tmp_path / "kb" / "a" / "index.html").write_text(
        page("en es", "<p>roaming charges roaming</p>"), encoding="utf-8"
    )
    outputs = {"en": tmp_path / "en.txt", "es": tmp_path / "es.txt"}
    assert VocabularyRun([tmp_path / "kb"], outputs).finish() == {"en": 2, "es": 2}
    assert outputs["es"].read_text(encoding="utf-8") == "charges\nroaming\n"


def test_a_run_that_cannot_write_says_where_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "kb").mkdir()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where a folder should be", encoding="utf-8")
    run = VocabularyRun([tmp_path / "kb"], {"en": blocked / "search-vocabulary.txt"})
    with pytest.raises(CarebaseError) as raised:
        run.finish()
    said = str(raised.value)
    assert "typo vocabulary was not written (exit 1)" in said
    assert "not-a-folder" in said
    assert "Traceback" not in said


def test_stopping_a_run_ends_its_process(tmp_path: Path) -> None:
    run = VocabularyRun([tmp_path], {"en": tmp_path / "v.txt"})
    run.stop()
    assert run._run.ended()


def test_common_words_are_those_on_enough_pages_most_common_first(tmp_path: Path) -> None:
    counts = Counter({"signal": 3, "router": 9, "bill": 5, "apple": 5})
    assert json.loads(common_text(counts, least=5)) == {
        "least": 5,
        "words": {"router": 9, "apple": 5, "bill": 5},
    }
    assert list(json.loads(common_text(counts, least=5, limit=2))["words"]) == ["router", "apple"]
    # Beside each vocabulary: a small site has none.
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "index.html").write_text(page("en", "<p>roaming</p>"), encoding="utf-8")
    write_vocabularies([tmp_path / "kb"], {"en": tmp_path / "search-vocabulary.txt"})
    written = json.loads((tmp_path / COMMON_ASSET).read_text(encoding="utf-8"))
    assert written == {"least": COMMON_PAGES, "words": {}}
