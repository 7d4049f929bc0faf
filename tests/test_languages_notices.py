"""Text readers see in their own language: notice translations, language names, descriptions."""

from __future__ import annotations

from datetime import timedelta

from click.testing import Result

from carebase.content import load_posts
from carebase.languages import language_in_text
from carebase.notices import active_notices
from carebase.openings import repeats_opening
from carebase.project import load_project
from tests.conftest import REPO
from tests.site.conftest import BUILD_TIME
from tests.test_check import problem_lines, run_check

NOTICE = """\
---
title: Outage in Leeds
date: 2026-03-01
authors: [priya]
categories: [Service status]
notice:
  severity: critical
  starts: 2026-03-01T08:00:00Z
  summary: Mobile data is down in Leeds.
  translations:
{translations}
---
Text.
"""


def _checked(make_project, translations: str) -> Result:
    project = make_project({"blog/posts/leeds.md": NOTICE.format(translations=translations)})
    result = run_check(project)
    assert result.exit_code == 1
    return result


def test_a_notice_translated_into_a_language_the_site_lacks_is_an_error_with_a_hint(
    make_project,
):
    translations = "    es: {summary: Sin datos en Leeds.}\n    fr: {summary: Pas de données.}"
    result = _checked(make_project, translations)
    assert problem_lines(result) == [
        "content/blog/posts/leeds.md:6: notice.translations.fr: 'fr' is not one of the site's other"
        " languages"
    ]
    assert "    hint: use one of: es, de" in result.output


def test_a_notice_translation_without_a_summary_is_reported_at_the_notice_with_all_its_faults(
    make_project,
):
    result = _checked(make_project, "    es: {title: Sin datos}")
    assert problem_lines(result) == [
        "content/blog/posts/leeds.md:6: notice.translations.es.summary: is required",
        "content/blog/posts/leeds.md:6: notice.translations.es.title: is not a known field",
    ]


def test_a_notice_reads_in_the_readers_language_or_says_which_it_is_in(make_project):
    translations = "    es: {summary: Sin datos móviles en Leeds.}"
    project = make_project({"blog/posts/leeds.md": NOTICE.format(translations=translations)})
    posts, problems = load_posts(load_project(project / "mkdocs.yml").settings)
    assert problems == []
    [notice] = active_notices(posts, BUILD_TIME)
    assert notice.summary_in("es") == ("Sin datos móviles en Leeds.", "es")
    assert notice.summary_in("de") == ("Mobile data is down in Leeds.", "en")


def test_the_sample_outage_shows_on_the_pinned_day_and_ends_that_evening() -> None:
    posts, _ = load_posts(load_project(REPO / "mkdocs.yml").settings)
    [outage] = active_notices(posts, BUILD_TIME)
    assert "Cumbria" in outage.summary and outage.notice.ends is not None
    assert active_notices(posts, outage.notice.ends) == []
    assert active_notices(posts, outage.notice.ends - timedelta(seconds=1)) == [outage]
    assert {"es", "de"} <= set(outage.notice.translations)


def test_language_names_are_written_as_each_language_writes_them_in_a_sentence() -> None:
    assert language_in_text("es", "Español") == "español"
    assert language_in_text("de", "Deutsch") == "Deutsch"
    assert language_in_text("en", "English") == "English"
    assert language_in_text("xx", "Klingon") == "Klingon"


def test_a_description_that_repeats_the_opening_paragraph_is_recognised() -> None:
    body = "<p>Every night at 2am my <strong>Wi-Fi</strong> drops &amp; comes back.</p><p>More</p>"
    assert repeats_opening("Every night at 2am my Wi-Fi drops & comes back.", body)
    assert repeats_opening("Every night at 2am my Wi-Fi…", body)
    assert not repeats_opening("Every night at 3am my Wi-Fi…", body)
    assert not repeats_opening("Why the Wi-Fi drops at night, and how to stop it.", body)
    assert not repeats_opening("More", body)
    assert not repeats_opening("", body)
    assert not repeats_opening("Anything", "<h2>No paragraph</h2>")
