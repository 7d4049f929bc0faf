"""``carebase report gaps``: the questions readers searched for and found no answer to."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import click

from carebase.cli import CliState, pass_state, say
from carebase.datafiles import load_authors, load_categories
from carebase.errors import ProjectError
from carebase.gaps.model import Sighting, merge
from carebase.gaps.plausible import PERIODS, PlausibleStats, Rating
from carebase.gaps.report import Answers, format_line, lines
from carebase.manifest import read_manifest
from carebase.project import Project
from carebase.search.settings import SEARCH_PLUGIN, AnalyticsProvider, AnalyticsSettings

METHOD = (
    "nearest article: TF-IDF cosine similarity of the question's words to each page's title, "
    "description and tags"
)


@click.group()
def report() -> None:
    """Reports on how readers use the help centre."""


@report.command("gaps")
@click.option(
    "--csv",
    "export",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read an export file (Plausible's custom_props.csv or a GA4 CSV) instead of the API.",
)
@click.option(
    "--period",
    type=click.Choice(PERIODS),
    default="30d",
    show_default=True,
    help="Plausible: how far back to look.",
)
@click.option(
    "--top", type=click.IntRange(1, 1000), default=20, show_default=True, help="Questions to list."
)
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The built site, for its manifest.  [default: site, next to mkdocs.yml]",
)
@click.option("--author", help="Author of the suggested FAQs.  [default: the authors file's first]")
@click.option(
    "--feedback",
    is_flag=True,
    help='Plausible: also list the pages\' "Was this page helpful?" answers.',
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=20.0,
    show_default=True,
    help="Seconds to wait for each answer from Plausible.",
)
@pass_state
def gaps_command(
    state: CliState,
    export: Path | None,
    period: str,
    top: int,
    site_dir: Path | None,
    author: str | None,
    feedback: bool,
    timeout: float,
) -> None:
    """Print the top unanswered questions, the nearest article and a `carebase new faq` for each."""
    # Read before asking Plausible: a missing manifest should not cost an API request.
    project = state.project
    settings = project.settings
    answers = Answers(read_manifest(site_dir or project.root / "site"), settings.default_language)
    author = author or _first_author(project)
    ratings: list[Rating] = []
    if export is not None:
        from carebase.gaps.csvfile import read_export

        sightings: list[Sighting] = read_export(export)
        source = f"{export.name}"
    else:
        analytics = _plausible_settings(project)
        stats = _stats(analytics, timeout)
        try:
            sightings = list(stats.unanswered(period, top * 4))
            ratings = stats.ratings(period) if feedback else []
        finally:
            stats.close()
        source = f"Plausible ({analytics.domain}, {period})"
    gaps = merge(sightings, settings.default_language)[:top]
    if not gaps:
        say(f"No unanswered questions in {source}.")
    else:
        say(f"Top {len(gaps)} unanswered questions in {source} ({METHOD}):")
    config = [] if state.config_file == "mkdocs.yml" else ["-f", state.config_file]
    for number, line in enumerate(
        lines(
            gaps,
            answers,
            author=author,
            fallback_category=_first_category(project),
            languages=settings.languages,
            config_option=config,
        ),
        start=1,
    ):
        for text in format_line(number, line):
            say(text)
    if feedback:
        _say_ratings(ratings)


def _plausible_settings(project: Project) -> AnalyticsSettings:
    analytics = project.search.analytics
    where = f"{project.config_path.name}: plugins.{SEARCH_PLUGIN}.analytics"
    if analytics is None:
        raise ProjectError(
            f"{where} is not set, so no events were sent\n  hint: configure analytics (see the "
            "README's Search section), or read an export with --csv FILE"
        )
    if analytics.provider is not AnalyticsProvider.PLAUSIBLE:
        raise ProjectError(
            f"{where}.provider is '{analytics.provider}': GA4's reporting API needs Google "
            "OAuth, which Carebase does not use\n  hint: download the report as CSV from GA4 "
            "and run `carebase report gaps --csv FILE`"
        )
    return analytics


def _stats(analytics: AnalyticsSettings, timeout: float) -> PlausibleStats:
    key = os.environ.get(analytics.api_key_env, "").strip()
    if not key:
        raise ProjectError(
            f"{analytics.api_key_env} is not set: it holds the Plausible Stats API key\n  hint: "
            f"create one in Plausible's account settings (API keys, Stats API) and export "
            f"{analytics.api_key_env}; or read an export with --csv FILE"
        )
    assert analytics.domain is not None  # Validated with the provider.
    return PlausibleStats(
        analytics.endpoint, analytics.domain, key, key_env=analytics.api_key_env, timeout=timeout
    )


def _first_author(project: Project) -> str:
    settings = project.settings
    authors, _ = load_authors(project.docs_dir / settings.authors_file, settings.authors_file)
    if not authors:
        raise ProjectError(
            f"{settings.authors_file} lists no author for the suggested FAQs\n"
            "  hint: pass --author ID"
        )
    return next(iter(authors))


def _first_category(project: Project) -> str:
    settings = project.settings
    path = project.docs_dir / settings.categories_file
    categories, _ = load_categories(path, settings.categories_file)
    if not categories:
        raise ProjectError(f"{settings.categories_file} lists no category for new FAQs")
    return next(iter(categories))


def _say_ratings(ratings: list[Rating]) -> None:
    pages: dict[str, dict[str, int]] = defaultdict(dict)
    for rating in ratings:
        pages[rating.page][rating.rating] = pages[rating.page].get(rating.rating, 0) + rating.count
    if not pages:
        say('No "Was this page helpful?" answers.')
        return
    say('"Was this page helpful?" answers per page (rating: count):')
    for page, counts in sorted(pages.items(), key=lambda item: (-sum(item[1].values()), item[0])):
        said = ", ".join(f"{value}: {count}" for value, count in sorted(counts.items()))
        say(f"  {page}  {said}")
