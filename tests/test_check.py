"""`carebase check`: one test per kind of bad file, asserting the exact line a person sees."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from carebase import checks
from carebase.checks import check_content, generated_pages, translation_report
from carebase.cli.main import cli
from carebase.content import load_content
from carebase.errors import Severity
from carebase.project import load_project

GOOD = "---\ntitle: {title}\nowner: priya\n---\n\nText.\n"


def run_check(project: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["-f", str(project / "mkdocs.yml"), "check", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def problem_lines(result: Result) -> list[str]:
    """The `path:line: field: message` lines, without hints and summary."""
    return [line for line in result.output.splitlines() if ".md:" in line or ".yml:" in line]


def test_a_clean_project_reports_the_summary_and_translation_counts(make_project):
    project = make_project(
        {
            "kb/billing/refunds.md": GOOD.format(title="Refunds"),
            "kb/billing/refunds.es.md": GOOD.format(title="Reembolsos"),
            "kb/broadband/speed.md": GOOD.format(title="Speed"),
        }
    )
    result = run_check(project)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "checked 4 files: 0 errors, 0 warnings",
        "es: 1 of 2 articles translated",
        "de: 0 of 2 articles translated",
    ]


def test_bad_yaml_is_reported_at_the_broken_line(make_project):
    project = make_project(
        {"kb/billing/bad.md": "---\ntitle: Bad\ntags: [a, b\nowner: priya\n---\n"}
    )
    result = run_check(project)
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "content/kb/billing/bad.md:4: front matter: is not valid YAML:"
        " did not find expected ',' or ']'"
    ]


def test_an_impossible_date_is_reported_at_its_field(make_project):
    text = "---\ntitle: Dates\nowner: priya\nreviewed: 31/02/2025\nreview_every: 180d\n---\nx\n"
    project = make_project({"kb/billing/dates.md": text})
    result = run_check(project)
    assert result.exit_code == 1
    [line] = problem_lines(result)
    assert line.startswith("content/kb/billing/dates.md:4: reviewed: ")
    assert line.endswith("got '31/02/2025'")
    assert "hint: write dates as YYYY-MM-DD, like 2026-01-31" in result.output


def test_an_unknown_owner_gets_the_closest_author_as_hint(make_project):
    project = make_project({"kb/billing/a.md": "---\ntitle: A\nowner: pryia\n---\nx\n"})
    result = run_check(project)
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "content/kb/billing/a.md:3: owner: 'pryia' is not an author in content/blog/.authors.yml",
        "    hint: did you mean 'priya'?",
    ]


def test_an_unknown_post_author_and_category_are_errors(make_project):
    post = "---\ntitle: Hi\ndate: 2026-01-02\nauthors: [zed]\ncategories: [Newz]\n---\nx\n"
    project = make_project({"blog/posts/hi.md": post})
    result = run_check(project)
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "content/blog/posts/hi.md:4: authors: 'zed' is not an author in content/blog/.authors.yml",
        "content/blog/posts/hi.md:5: categories: 'Newz' is not an allowed blog category",
    ]
    assert "    hint: add 'zed' to content/blog/.authors.yml" in result.output
    assert "    hint: did you mean 'News'?" in result.output


def test_a_duplicate_slug_is_reported_on_the_second_file_naming_the_first(make_project):
    project = make_project(
        {
            "kb/billing/refunds.md": GOOD.format(title="Refunds"),
            "kb/broadband/refunds.md": GOOD.format(title="Broadband refunds"),
        }
    )
    result = run_check(project)
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "content/kb/broadband/refunds.md:1: file: the slug 'refunds' is also used by"
        " content/kb/billing/refunds.md"
    ]


def test_the_same_slug_in_two_languages_is_not_a_duplicate(make_project):
    project = make_project(
        {
            "kb/billing/refunds.md": GOOD.format(title="Refunds"),
            "kb/billing/refunds.de.md": GOOD.format(title="Erstattungen"),
        }
    )
    assert run_check(project).exit_code == 0


def test_a_broken_link_is_reported_at_the_line_of_the_link(make_project):
    text = "---\ntitle: Links\nowner: priya\n---\n\nIntro.\n\nSee [the refund](refund.md#how).\n"
    project = make_project(
        {"kb/billing/links.md": text, "kb/billing/refunds.md": GOOD.format(title="Refunds")}
    )
    result = run_check(project)
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "content/kb/billing/links.md:8: link: 'refund.md#how' does not exist",
        "    hint: did you mean 'refunds.md'?",
    ]


def test_links_to_translations_generated_pages_and_files_are_fine(make_project):
    body = (
        "[es](refunds.md) [cat](../broadband/index.md) [faq](../broadband/faq.md)\n"
        "[blog](../../blog/index.md) ![img](../../img/a.png) [home](/index.md)\n"
        "```\n[in code](nowhere.md)\n```\n`[inline](nowhere.md)` [web](https://x.example/)\n"
    )
    project = make_project(
        {
            "kb/billing/refunds.md": GOOD.format(title="Refunds"),
            "kb/billing/refunds.es.md": GOOD.format(title="Reembolsos"),
            "kb/billing/links.es.md": "---\ntitle: Enlaces\n---\n" + body,
            "kb/billing/links.md": "---\ntitle: Links\n---\n" + body,
            "kb/broadband/data.md": "---\ntitle: Is there a limit?\ntype: faq\n---\nNo.\n",
            "img/a.png": b"\x89PNG",
        }
    )
    result = run_check(project)
    assert result.exit_code == 0, result.output


def test_a_faq_page_exists_only_for_categories_with_faqs(make_project):
    text = "---\ntitle: Links\n---\n[faq](faq.md)\n"
    project = make_project({"kb/billing/links.md": text})
    result = run_check(project)
    assert result.exit_code == 1
    assert problem_lines(result) == ["content/kb/billing/links.md:4: link: 'faq.md' does not exist"]


def test_a_link_to_a_folder_is_a_warning_with_the_file_to_link(make_project):
    text = "---\ntitle: Links\n---\nSee [broadband](../broadband/).\n"
    project = make_project({"kb/billing/links.md": text})
    result = run_check(project)
    assert result.exit_code == 0
    assert result.output.splitlines()[:2] == [
        "content/kb/billing/links.md:4: link: '../broadband/' links to a folder [warning]",
        "    hint: link the Markdown file instead, like '../broadband/index.md'",
    ]


def test_a_missing_image_and_a_link_outside_the_docs_are_errors(make_project):
    text = "---\ntitle: Links\n---\n![logo](logo.png)\n\n[up](../../../secret.md)\n"
    project = make_project({"kb/billing/links.md": text})
    result = run_check(project)
    assert problem_lines(result) == [
        "content/kb/billing/links.md:4: image: 'logo.png' does not exist",
        "content/kb/billing/links.md:6: link: '../../../secret.md' points outside the docs folder",
    ]


def test_a_file_that_is_not_utf8_is_reported(make_project):
    project = make_project({"kb/billing/cafe.md": "---\ntitle: Café\n---\n".encode("latin-1")})
    result = run_check(project)
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "content/kb/billing/cafe.md:2: file: is not valid UTF-8 (byte 0xe9 at offset 14)",
        "    hint: save the file with UTF-8 encoding",
    ]


def test_an_empty_file_is_reported(make_project):
    project = make_project({"kb/billing/empty.md": ""})
    result = run_check(project)
    assert result.exit_code == 1
    assert problem_lines(result) == ["content/kb/billing/empty.md:1: file: is empty"]


def test_an_article_in_an_unknown_category_folder_is_an_error(make_project):
    project = make_project({"kb/shipping/parcels.md": GOOD.format(title="Parcels")})
    result = run_check(project)
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "content/kb/shipping/parcels.md:1: category: 'shipping' is not a category in"
        " content/kb/.categories.yml",
        "    hint: add it to content/kb/.categories.yml",
    ]


def test_an_unknown_field_is_a_warning_that_fails_only_strict_checks(make_project):
    project = make_project({"kb/billing/a.md": "---\ntitle: A\nowners: priya\n---\nx\n"})
    result = run_check(project)
    assert result.exit_code == 0
    assert result.output.splitlines()[:3] == [
        "content/kb/billing/a.md:3: owners: is not a known field [warning]",
        "    hint: did you mean 'owner'?",
        "checked 2 files: 0 errors, 1 warning",
    ]
    assert run_check(project, "--strict").exit_code == 1


def test_a_stale_article_is_a_warning_with_its_due_date(make_project):
    text = "---\ntitle: Old\nowner: priya\nreviewed: 2025-01-10\nreview_every: 180d\n---\nx\n"
    project = make_project({"kb/billing/old.md": text})
    result = run_check(project)
    assert result.exit_code == 0
    assert result.output.splitlines()[:2] == [
        "content/kb/billing/old.md:4: reviewed: last reviewed 2025-01-10, due 2025-07-09"
        " (every 180d)"
        " [warning]",
        "    hint: check the article is still right, then set 'reviewed' to today's date",
    ]
    assert run_check(project, "--strict").exit_code == 1


def test_a_related_path_that_is_no_article_is_an_error(make_project):
    text = "---\ntitle: A\nrelated: [b.md, ../broadband/nope.md]\n---\nx\n"
    project = make_project({"kb/billing/a.md": text, "kb/billing/b.md": GOOD.format(title="B")})
    result = run_check(project)
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "content/kb/billing/a.md:3: related: '../broadband/nope.md' is not an article"
    ]


def test_a_translation_without_original_is_a_warning(make_project):
    project = make_project({"kb/billing/solo.es.md": GOOD.format(title="Solo")})
    result = run_check(project)
    assert result.exit_code == 0
    assert problem_lines(result) == [
        "content/kb/billing/solo.es.md:1: file: is a translation of content/kb/billing/solo.md,"
        " which does not exist [warning]"
    ]


def test_duplicate_titles_in_one_language_are_a_warning(make_project):
    project = make_project(
        {
            "kb/billing/pay.md": GOOD.format(title="How to pay"),
            "kb/broadband/paying.md": GOOD.format(title="How to  Pay"),
        }
    )
    result = run_check(project)
    assert problem_lines(result) == [
        "content/kb/broadband/paying.md:2: title: 'How to  Pay' is also the title of"
        " content/kb/billing/pay.md"
        " [warning]"
    ]


def test_paths_limit_the_report_to_files_and_folders(make_project, monkeypatch):
    project = make_project(
        {
            "kb/billing/a.md": "---\ntitle: A\nowner: zed\n---\nx\n",
            "kb/broadband/b.md": "---\ntitle: B\nowner: zed\n---\nx\n",
        }
    )
    by_docs_path = run_check(project, "kb/broadband")
    assert problem_lines(by_docs_path) == [
        "content/kb/broadband/b.md:3: owner: 'zed' is not an author in content/blog/.authors.yml"
    ]
    assert "checked 1 file: 1 error, 0 warnings" in by_docs_path.output
    monkeypatch.chdir(project)
    by_cwd_path = run_check(project, "content/kb/billing/a.md")
    assert problem_lines(by_cwd_path) == [
        "content/kb/billing/a.md:3: owner: 'zed' is not an author in content/blog/.authors.yml"
    ]


def test_a_path_outside_the_docs_is_a_one_line_error(make_project):
    project = make_project()
    result = run_check(project, "no/such/place")
    assert result.exit_code == 1
    assert result.output == (
        "Error: no/such/place is not a file or folder in the docs folder content/;"
        " hint: name one below it, like content/kb\n"
    )


def test_translations_lists_the_missing_articles_per_language(make_project):
    project = make_project(
        {
            "kb/billing/a.md": GOOD.format(title="A"),
            "kb/billing/b.md": GOOD.format(title="B"),
            "kb/billing/a.de.md": GOOD.format(title="A auf Deutsch"),
        }
    )
    result = run_check(project, "--translations")
    assert result.output.splitlines()[1:] == [
        "es: 0 of 2 articles translated",
        "  content/kb/billing/a.es.md",
        "  content/kb/billing/b.es.md",
        "de: 1 of 2 articles translated",
        "  content/kb/billing/b.de.md",
    ]


def test_a_missing_config_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'mkdocs.yml'} does not exist;"
        " run carebase in the project folder or pass -f mkdocs.yml\n"
    )


def test_source_date_epoch_pins_the_day_stale_articles_are_judged_on(make_project, monkeypatch):
    text = "---\ntitle: Old\nreviewed: 2025-01-10\nreview_every: 180d\n---\nx\n"
    project = make_project({"kb/billing/old.md": text})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1751328000")  # 2025-07-01
    assert run_check(project, "--strict").exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1752192000")  # 2025-07-11
    assert run_check(project, "--strict").exit_code == 1


@pytest.mark.parametrize(
    ("today", "stale"),
    [(date(2025, 7, 9), False), (date(2025, 7, 10), True)],
)
def test_an_article_is_stale_the_day_after_it_is_due(make_project, today, stale):
    text = "---\ntitle: Old\nreviewed: 2025-01-10\nreview_every: 180d\n---\nx\n"
    index = load_content(
        load_project(make_project({"kb/billing/old.md": text}) / "mkdocs.yml").settings
    )
    problems = check_content(index, today=today)
    assert [p.field for p in problems if p.severity is Severity.WARNING] == (
        ["reviewed"] if stale else []
    )


def test_generated_pages_extend_the_known_link_targets(make_project):
    text = "---\ntitle: A\ntype: faq\nquestions: [b?]\n---\n[tags](../../tags.md)\n"
    index = load_content(
        load_project(make_project({"kb/billing/a.md": text}) / "mkdocs.yml").settings
    )
    assert [p.message for p in check_content(index)] == ["'../../tags.md' does not exist"]
    assert check_content(index, {"tags.md"}) == []
    assert generated_pages(index) == {
        "blog/index.md",
        "kb/index.md",
        "kb/billing/index.md",
        "kb/billing/faq.md",
        "kb/broadband/index.md",
    }


def test_translation_report_names_untranslated_articles(make_project):
    project = make_project(
        {"kb/billing/a.md": GOOD.format(title="A"), "kb/billing/a.es.md": GOOD.format(title="A")}
    )
    index = load_content(load_project(project / "mkdocs.yml").settings)
    assert translation_report(index) == {"es": [], "de": ["kb/billing/a"]}


def test_a_typo_in_a_folder_name_suggests_the_folder(make_project):
    text = "---\ntitle: A\n---\n[b](../broadbnd/speed.md)\n"
    project = make_project(
        {"kb/billing/a.md": text, "kb/broadband/speed.md": GOOD.format(title="Speed")}
    )
    result = run_check(project)
    assert result.output.splitlines()[:2] == [
        "content/kb/billing/a.md:4: link: '../broadbnd/speed.md' does not exist",
        "    hint: did you mean '../broadband/speed.md'?",
    ]


def test_suggestions_stop_after_the_budget_so_mass_breakage_stays_fast(make_project, monkeypatch):
    monkeypatch.setattr(checks, "MAX_SUGGESTIONS", 1)
    text = "---\ntitle: A\n---\n[one](refund.md) [two](refnds.md) [again](refund.md)\n"
    project = make_project(
        {"kb/billing/a.md": text, "kb/billing/refunds.md": GOOD.format(title="Refunds")}
    )
    index = load_content(load_project(project / "mkdocs.yml").settings)
    hints = [problem.hint for problem in check_content(index)]
    assert hints == [
        "did you mean 'refunds.md'?",
        "links are relative to this file's folder (content/kb/billing/)",
        "did you mean 'refunds.md'?",
    ]


QUESTIONS_FAQ = "---\ntitle: When is my bill due?\ntype: faq\n{extra}---\nOn the 1st.\n"


@pytest.mark.parametrize(
    ("extra", "field", "line", "message", "hint"),
    [
        ("questions: When do I pay?\n", "questions", 4, "valid list", "write a list"),
        ('questions:\n  - ok?\n  - ""\n', "questions.1", 6, "is empty", "delete the empty"),
        ("questions:\n  - <b>due</b>?\n", "questions.0", 5, "without HTML", "plain text"),
        ("questions:\n  - " + "x" * 151 + "\n", "questions.0", 5, "151 characters", "shorten"),
        ("questions: [Pay day?, pay  DAY]\n", "questions", 4, "repeats question 1", "delete"),
    ],
)
def test_bad_questions_are_reported_at_their_line_with_a_hint(
    make_project, extra: str, field: str, line: int, message: str, hint: str
) -> None:
    text = QUESTIONS_FAQ.format(extra=extra)
    root = make_project({"kb/billing/due.md": text})

    result = run_check(root)

    assert result.exit_code == 1
    lines = result.output.splitlines()
    problem = next(p for p in lines if p.startswith("content/kb/billing/due.md"))
    assert problem.startswith(f"content/kb/billing/due.md:{line}: {field}: ")
    assert message in problem
    assert hint in result.output.split(problem, 1)[1].splitlines()[1]  # The line below.


def test_an_faq_without_questions_warns_and_fails_only_when_strict(make_project) -> None:
    root = make_project({"kb/billing/due.md": QUESTIONS_FAQ.format(extra="")})
    lenient, strict = run_check(root), run_check(root, "--strict")
    (root / "content/kb/billing/due.md").write_text(QUESTIONS_FAQ.format(extra="questions: [a?]\n"))

    assert lenient.exit_code == 0 and strict.exit_code == 1
    assert "content/kb/billing/due.md:3: questions: this FAQ has no other ways people ask it" in (
        strict.output
    )
    assert run_check(root, "--strict").exit_code == 0


# --- placeholders, categories, every problem at once ---------------------------------------


def test_starter_text_left_anywhere_is_an_error_at_its_line_and_field(make_project):
    article = (
        "---\n"
        "title: Reset your router\n"
        "description: One sentence saying what this answers; search results show it.\n"
        "owner: priya\n"
        "---\n"
        "Unplug it.\n\n"
        "1. The first thing to do.\n"
        "   Wait   30 seconds. Say what to try next,\n"
        "and how to get in touch with us.\n"
        "## Steps\n"
        "The first thing to do is unplug it.\n"
    )
    post = (
        "---\ntitle: Hola\ndate: 2026-01-02\nauthors: [priya]\ncategories: [News]\n---\n"
        "Escriba aquí el resto de la entrada.\n"
    )
    project = make_project({"kb/billing/router.md": article, "blog/posts/hola.es.md": post})
    result = run_check(project)
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "content/blog/posts/hola.es.md:1: file: is a translation of content/blog/posts/hola.md,"
        " which does not exist [warning]",
        "content/blog/posts/hola.es.md:7: body: still holds the placeholder"
        " 'Escriba aquí el resto de la entrada.'",
        "content/kb/billing/router.md:3: description: is the placeholder"
        " 'One sentence saying what this answers; search…'",
        "content/kb/billing/router.md:8: body: still holds the placeholder"
        " 'The first thing to do.'",
        "content/kb/billing/router.md:9: body: still holds the placeholder"
        " 'Say what to try next, and how to get in touch…'",
    ]
    assert "    hint: write your own description; 'carebase new' wrote this one as a prompt" in (
        result.output
    )


def test_every_placeholder_of_every_language_is_found():
    # The phrases are read from the starter texts: a sentence added there is refused too.
    from carebase.scaffold import STARTERS, find_scaffold_text, scaffold_phrases

    phrases = scaffold_phrases()
    assert len(phrases) == len(STARTERS) * 11
    for phrase in phrases:
        wrapped = f"Intro.\n\n- {phrase.replace(' ', chr(10), 1)}\n"
        assert [found.line for found in find_scaffold_text(wrapped)] == [2], phrase
    kept = "## Steps\n## Pasos\n<!-- more -->\nThe first thing to do is\nXThe next thing to do."
    assert find_scaffold_text(kept) == []


def test_the_sample_has_no_placeholders_or_errors():
    from tests.commands import carebase
    from tests.conftest import REPO

    result = carebase(REPO, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "checked 77 files: 0 errors, 2 warnings" in result.stdout
    # Two articles are stale on purpose (the sample shows the "may be out of date" note).
    problems = [line for line in result.stdout.splitlines() if line.startswith("content/")]
    assert {line.split(": ")[1] for line in problems} == {"reviewed"}


@pytest.mark.parametrize(
    ("config_categories", "hint"),
    [
        (
            True,
            "add 'categories: [News]'; the blog's categories: News, Tips, Service status"
            " (categories_allowed of the blog plugin in mkdocs.yml)",
        ),
        (False, "add 'categories: [Offers]'; the blog's categories: Offers"),
    ],
)
def test_a_post_without_a_category_is_an_error(make_project, config_categories, hint):
    from tests.conftest import MKDOCS_YML

    config = (
        MKDOCS_YML
        if config_categories
        else MKDOCS_YML.replace(
            "      categories_allowed:\n        - News\n        - Tips\n        - Service status\n",
            "",
        )
    )
    bare = "---\ntitle: Hi\ndate: 2026-01-02\nauthors: [priya]\n---\nx\n"
    other = "---\ntitle: Deal\ndate: 2026-01-03\nauthors: [priya]\ncategories: [Offers]\n---\nx\n"
    files = {"blog/posts/hi.md": bare}
    if not config_categories:
        files["blog/posts/deal.md"] = other
    result = run_check(make_project(files, config=config))
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "content/blog/posts/hi.md:1: categories: a post needs a category",
        f"    hint: {hint}",
    ]


def test_every_problem_of_a_file_is_reported_at_once(make_project):
    article = (
        "---\ntitle: A\nowner: nobody\nreviewed: 31/02/2025\nreview_every: 6 months\n"
        "description: One sentence saying what this answers; search results show it.\n---\nx\n"
    )
    post = "---\ntitle: P\ndate: 2026-13-01\nauthors: [zed]\n---\nx\n"
    project = make_project(
        {
            "kb/billing/a.md": article,
            "blog/posts/p.md": post,
            "kb/biling/b.md": "---\ntitle: B\npromoted: maybe\n---\n",
        }
    )
    lines = problem_lines(run_check(project))
    assert [line.split(": ")[1] for line in lines] == [
        "categories", "date", "authors",
        "category", "promoted",
        "owner", "reviewed", "review_every", "description",
    ]  # fmt: skip
    assert lines[3].endswith("'biling' is not a category in content/kb/.categories.yml")
    assert lines[7] == (
        "content/kb/billing/a.md:5: review_every: must be a number followed by d, w, m or y"
        " (like '180d'), got '6 months'"
    )


def test_every_problem_has_a_hint(make_project):
    project = make_project(
        {
            "kb/billing/a.md": "---\ntitle: <b>A</b>\nowner: 3\nreview_every: 1000y\n"
            "tags: {a: b}\npromoted: maybe\ndescription: " + "x" * 301 + "\n---\n"
            "[x](../../../../out.md) [y](../broadband/) ![z](nope.png)\n",
            "kb/billing/b.md": "---\ntitle: [unclosed\n---\n",
            "kb/billing/c.md": "",
            "kb/nowhere/d.md": "# D\n",
            "kb/.categories.yml": "billing: just a string\n",
            "blog/posts/p.md": "---\ntitle: P\ndate: soon\nslug: a/b\ndraft: perhaps\n---\nx\n",
        }
    )
    output = run_check(project).output.splitlines()
    problems = [n for n, line in enumerate(output) if line.startswith("content/")]
    assert len(problems) >= 16
    assert [output[n + 1].startswith("    hint: ") for n in problems] == [True] * len(problems)


def test_the_synonyms_file_is_checked_at_its_lines(make_project):
    project = make_project(
        {
            "kb/billing/refunds.md": GOOD.format(title="Refunds"),
            ".carebase/synonyms.yml": "en:\n  - [refund, money back]\n  - [remove]\n"
            "  - {typed: bb, also: [broadband]}\n  - [money back, reimbursement]\n",
        }
    )
    result = run_check(project, "--strict")
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "content/.carebase/synonyms.yml:3: en[2]: needs at least two different words or phrases",
        "content/.carebase/synonyms.yml:5: en[4]: 'money back' is also in the group at line 2"
        " [warning]",
    ]
    assert "    hint: merge the two groups into one" in result.output.splitlines()
