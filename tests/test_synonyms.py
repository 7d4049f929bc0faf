"""The synonyms file (``content/.carebase/synonyms.yml``): read, checked at its lines, and
turned into what each search backend gets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carebase.errors import Severity
from carebase.search.synonyms import (
    SYNONYMS_FILE,
    LanguageSynonyms,
    OneWay,
    algolia_synonyms,
    browser_table,
    load_synonyms,
)

LANGUAGES = ("en", "es", "de")
SAMPLE_CONTENT = Path(__file__).resolve().parents[1] / "content"


def load(tmp_path: Path, text: str) -> tuple[dict[str, LanguageSynonyms], list[str]]:
    path = tmp_path / SYNONYMS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    synonyms, problems = load_synonyms(tmp_path, LANGUAGES)
    return synonyms, [problem.format() for problem in problems]


def test_groups_and_one_way_rules_are_read_per_language(tmp_path: Path) -> None:
    synonyms, problems = load(
        tmp_path,
        "en:\n  - [Refund, money  back]\n  - {typed: bb, also: broadband}\n"
        "de:\n  - [erstattung, geld zurück]\n",
    )

    assert problems == []
    assert synonyms["en"] == LanguageSynonyms(
        groups=(("refund", "money back"),), one_way=(OneWay("bb", ("broadband",)),)
    )
    assert synonyms["de"].groups == (("erstattung", "geld zurück"),)


def test_no_file_means_no_synonyms(tmp_path: Path) -> None:
    assert load_synonyms(tmp_path, LANGUAGES) == ({}, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("en: [refund\n", f"{SYNONYMS_FILE}:2: file: is not valid YAML"),
        ("- refund\n", f"{SYNONYMS_FILE}:1: file: must map languages to lists"),
        ("fr:\n  - [a, b]\n", f"{SYNONYMS_FILE}:1: fr: is not a language of the site (en, es, de)"),
        ("en: refund\n", f"{SYNONYMS_FILE}:1: en: must be a list of groups and one-way rules"),
        ("en:\n  - [refund]\n", f"{SYNONYMS_FILE}:2: en[1]: needs at least two different words"),
        ("en:\n  - [a, a]\n", f"{SYNONYMS_FILE}:2: en[1]: needs at least two different words"),
        ("en:\n  - refund\n", f"{SYNONYMS_FILE}:2: en[1]: is neither a group nor a one-way rule"),
        ("en:\n  - [a, [b]]\n", f"{SYNONYMS_FILE}:2: en[1]: must be a word or a phrase, not a"),
        ("en:\n  - [x, '--']\n", f"{SYNONYMS_FILE}:2: en[1]: '--' has no letter or digit"),
        ("en:\n  - {typed: bb}\n", f"{SYNONYMS_FILE}:2: en[1]: needs typed and also"),
        (
            "en:\n  - {typed: bb, also: [b], to: [c]}\n",
            f"{SYNONYMS_FILE}:2: en[1]: has unknown field(s) to",
        ),
        ("en:\n  - {typed: bb, also: []}\n", f"{SYNONYMS_FILE}:2: en[1].also: must be a non-empty"),
        ("en:\n  - {typed: bb, also: [BB]}\n", f"{SYNONYMS_FILE}:2: en[1].also: repeats 'typed'"),
        (f"en:\n  - [a, {'x' * 61}]\n", f"{SYNONYMS_FILE}:2: en[1]: 'xxxxxxxxxxxxxxxxxxxx…' is"),
    ],
)
def test_each_mistake_is_reported_at_its_line_with_a_hint(
    tmp_path: Path, text: str, expected: str
) -> None:
    _, problems = load(tmp_path, text)

    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems
    assert "\n    hint: " in problems[0]


def test_every_problem_of_the_file_is_reported_at_once_and_good_entries_are_kept(
    tmp_path: Path,
) -> None:
    synonyms, problems = load(
        tmp_path, "en:\n  - [refund]\n  - [delete, remove]\n  - 42\nes:\n  - [borrar]\n"
    )

    assert [problem.split(":")[1] for problem in problems] == ["2", "4", "6"]
    assert synonyms["en"].groups == (("delete", "remove"),)


def test_a_word_in_two_groups_is_a_warning_to_merge_them(tmp_path: Path) -> None:
    _, _ = load(tmp_path, "en:\n  - [wifi, wi-fi]\n  - [wireless, wifi]\n")
    problems = load_synonyms(tmp_path, LANGUAGES)[1]

    [problem] = problems
    assert problem.severity is Severity.WARNING
    assert problem.line == 3
    assert "'wifi' is also in the group at line 2" in problem.message


TWO_KINDS = "en:\n  - [refund, money back]\n  - {typed: bb, also: [broadband]}\n"


def test_the_browser_and_algolia_get_the_same_list(tmp_path: Path) -> None:
    synonyms, _ = load(tmp_path, TWO_KINDS)

    table = json.loads(browser_table(synonyms["en"]))
    hits = algolia_synonyms(synonyms)

    assert table == {
        "groups": [["refund", "money back"]],
        "oneWay": [{"typed": "bb", "also": ["broadband"]}],
    }
    assert [{k: v for k, v in hit.items() if k != "objectID"} for hit in hits] == [
        {"type": "synonym", "synonyms": ["refund", "money back"]},
        {"type": "onewaysynonym", "input": "bb", "synonyms": ["broadband"]},
    ]
    # The same file gives the same IDs, so an unchanged file pushes nothing.
    again = algolia_synonyms(load(tmp_path, TWO_KINDS)[0])
    assert [hit["objectID"] for hit in hits] == [hit["objectID"] for hit in again]
    assert len({hit["objectID"] for hit in hits}) == 2


def test_the_sample_synonyms_are_valid_and_small() -> None:
    synonyms, problems = load_synonyms(SAMPLE_CONTENT, LANGUAGES)

    assert problems == []
    assert set(synonyms) == set(LANGUAGES)
    # Each language's file is fetched by the search box: it must stay small.
    assert all(len(browser_table(entry).encode()) < 2048 for entry in synonyms.values())
