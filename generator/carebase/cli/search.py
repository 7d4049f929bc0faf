"""``carebase search push``: fill the hosted search index (Algolia) from a built site."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from carebase.cli import CliState, pass_state, say
from carebase.datafiles import load_categories
from carebase.errors import ProjectError, Severity
from carebase.manifest import read_manifest
from carebase.project import Project
from carebase.search.records import CategoryTitle, page_of, site_records
from carebase.search.settings import SEARCH_PLUGIN, AlgoliaSettings, Backend
from carebase.search.synonyms import SYNONYMS_FILE, algolia_synonyms, load_synonyms

if TYPE_CHECKING:
    from carebase.search.algolia import PushReport

LISTED_PAGES = 50
"""Pages a dry run names for each of save and delete; the rest are counted."""


@click.group()
def search() -> None:
    """Work with the hosted search index."""


@search.command("push")
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The built site.  [default: site, next to mkdocs.yml]",
)
@click.option("--full", is_flag=True, help="Replace every record atomically, not only changes.")
@click.option(
    "--dry-run", is_flag=True, help="Show what would be saved and deleted; write nothing."
)
@pass_state
def push_command(state: CliState, site_dir: Path | None, full: bool, dry_run: bool) -> None:
    """Send the built site's search records to Algolia (only what changed)."""
    # The Algolia client takes over a second to import: only `search push` pays for it.
    from carebase.search.algolia import (
        HOSTS_ENV,
        AlgoliaIndex,
        Network,
        admin_key,
        parse_hosts,
        push,
    )

    project = state.project
    settings = algolia_settings(project)
    key = admin_key(settings)  # Before reading thousands of pages, in case it is missing.
    site = site_dir if site_dir is not None else project.root / "site"
    records = site_records(read_manifest(site), site, category_titles(project))
    synonyms = site_synonyms(project)
    network = Network(hosts=parse_hosts(os.environ.get(HOSTS_ENV, "")))
    with AlgoliaIndex(settings, key, network) as index:
        report = push(
            records,
            index,
            full=full,
            dry_run=dry_run,
            fallback=project.search.fallback,
            synonyms=synonyms,
        )
    say(summary(report, settings.app_id))
    if dry_run:
        for line in planned_pages(report):
            say(line)


def algolia_settings(project: Project) -> AlgoliaSettings:
    """The project's Algolia index; a clear error when its search backend is another."""
    search = project.search
    if search.backend is not Backend.ALGOLIA or search.algolia is None:
        raise ProjectError(
            f"{project.config_path.name}: the search backend is '{search.backend.value}', so "
            "there is no index to push to; hint: set 'backend: algolia' and its 'algolia: "
            f"{{app_id, index_name, search_key}}' under plugins: {SEARCH_PLUGIN}"
        )
    return search.algolia


def site_synonyms(project: Project) -> list[dict[str, Any]] | None:
    """The synonyms file as Algolia's synonyms; None without the file; its errors stop."""
    if not (project.docs_dir / SYNONYMS_FILE).is_file():
        return None
    synonyms, problems = load_synonyms(project.docs_dir, project.settings.languages)
    errors = [problem for problem in problems if problem.severity is Severity.ERROR]
    if errors:
        lines = "\n".join(problem.format() for problem in errors)
        raise ProjectError(f"{SYNONYMS_FILE}: {len(errors)} error(s), nothing pushed:\n{lines}")
    return algolia_synonyms(synonyms)


def category_titles(project: Project) -> CategoryTitle:
    """Category titles in each language, for the records' ``hierarchy.lvl0``."""
    rel = project.settings.categories_file
    # `carebase check` reports problems in the file; records fall back to category ids.
    categories, _problems = load_categories(project.docs_dir / rel, rel)

    def title(category: str, lang: str) -> str:
        found = categories.get(category)
        return found.title_in(lang) if found is not None else category

    return title


def summary(report: PushReport, app_id: str) -> str:
    """One line: what the push did (or would do) to which index."""
    new = ", new" if report.created else ""
    index = f"Algolia index '{report.index}' (application {app_id}{new})"
    counts = f"{report.saved} saved, {report.deleted} deleted, {report.unchanged} unchanged"
    settings = ", ".join(report.settings_changed) or "none"
    mode = "replaced atomically" if report.full else "updated"
    synonyms = _synonyms_summary(report)
    if report.dry_run:
        counts = f"{counts}; settings to change: {settings}{synonyms}"
        return f"Dry run, nothing written: {index} would be {mode}: {counts}"
    return f"{index} {mode}: {counts} records; settings changed: {settings}{synonyms}"


def _synonyms_summary(report: PushReport) -> str:
    if report.synonyms_sent is None:
        return ""
    if report.synonyms_sent == 0:
        return "; synonyms unchanged"
    return f"; synonyms replaced ({report.synonyms_sent})"


def planned_pages(report: PushReport) -> list[str]:
    """``save``/``delete`` lines, one per page, for a dry run.

    A full push saves every page, so only the pages it would delete are listed.
    """
    saves = [] if report.full else [record.object_id for record in report.plan.save]
    lines: list[str] = []
    for action, ids in (("save", saves), ("delete", report.plan.delete)):
        pages = Counter(page_of(object_id) for object_id in ids)
        for page, count in sorted(pages.items())[:LISTED_PAGES]:
            lines.append(f"  {action:<6} {page} ({count} record{'s' if count != 1 else ''})")
        if len(pages) > LISTED_PAGES:
            lines.append(f"  {action:<6} … and {len(pages) - LISTED_PAGES} more pages")
    return lines
