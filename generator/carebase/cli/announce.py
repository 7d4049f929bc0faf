"""``carebase announce``: post new and changed FAQs, posts and notices on the social accounts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from carebase.announce.settings import ANNOUNCE_PLUGIN, AnnounceSettings
from carebase.cli import CliState, pass_state, say
from carebase.errors import ProjectError
from carebase.manifest import read_manifest
from carebase.project import Project

if TYPE_CHECKING:
    from carebase.announce.ledger import Entry
    from carebase.announce.runner import Report

PREVIEW_TITLE = "### What merging this pull request will announce"
TEXT_SHOWN = 80
"""Characters of an unconfirmed post's text that ``--unconfirmed`` shows."""


def announce_options(function: click.decorators.FC) -> click.decorators.FC:
    """``--backfill``, shared with ``carebase deploy``."""
    return click.option(
        "--backfill",
        is_flag=True,
        help="On a network's first run, announce what is already published instead of "
        "recording it as the baseline.",
    )(function)


@click.command()
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The built site.  [default: site, next to mkdocs.yml]",
)
@click.option("--dry-run", is_flag=True, help="Print each post as it would go out; post nothing.")
@click.option(
    "--pr-comment",
    type=click.IntRange(min=1),
    metavar="NUMBER",
    help="With --dry-run: put the preview in one comment on this pull request (GITHUB_TOKEN).",
)
@click.option(
    "--repository",
    metavar="OWNER/NAME",
    help="The pull request's repository.  [default: $GITHUB_REPOSITORY]",
)
@click.option(
    "--unconfirmed",
    "list_unconfirmed",
    is_flag=True,
    help="List the posts that may or may not have gone out (webhooks), with an ID for --resolve.",
)
@click.option(
    "--resolve",
    nargs=2,
    type=(str, click.Choice(["posted", "resend"])),
    metavar="ID posted|resend",
    help="Settle one unconfirmed post: it went out (posted), or the next run sends it (resend).",
)
@announce_options
@pass_state
def announce(
    state: CliState,
    site_dir: Path | None,
    dry_run: bool,
    pr_comment: int | None,
    repository: str | None,
    list_unconfirmed: bool,
    resolve: tuple[str, str] | None,
    backfill: bool,
) -> None:
    """Announce what the built site published and the ledger has not announced yet."""
    if pr_comment is not None and not dry_run:
        raise click.UsageError("--pr-comment previews a pull request: add --dry-run")
    if list_unconfirmed or resolve:
        settle_command(state.project, list_unconfirmed, resolve)
        return
    project = state.project
    site = site_dir if site_dir is not None else project.root / "site"
    report = run_announcer(project, site, dry_run=dry_run, backfill=backfill)
    if pr_comment is not None:
        comment_preview(report, pr_comment, repository)
    if report.failed:
        raise click.exceptions.Exit(1)


def run_announcer(project: Project, site: Path, *, dry_run: bool, backfill: bool) -> Report:
    """Announce (or preview) from the site built in ``site``; print what happened."""
    from carebase.announce.service import announce_site

    settings = settings_of(project)
    report, note = announce_site(
        read_manifest(site), settings, project.root, dry_run=dry_run, backfill=backfill
    )
    if note:
        say(f"note: {note}", err=True)
    for line in report_lines(report):
        say(line)
    return report


def settle_command(project: Project, listing: bool, resolve: tuple[str, str] | None) -> None:
    """``--unconfirmed`` and ``--resolve ID posted|resend``."""
    from carebase.announce import service

    if listing and resolve:
        raise click.UsageError("--unconfirmed lists, --resolve settles: use one of them")
    settings = settings_of(project)
    if resolve is not None:
        short_id, decision = resolve
        entry = service.resolve(
            settings, project.root, short_id, "posted" if decision == "posted" else "resend"
        )
        done = "recorded as posted" if decision == "posted" else "the next run sends it again"
        say(f"{entry.short_id} {entry.network} {entry.item_id}@{entry.revision}: {done}")
        return
    entries = service.unconfirmed(settings, project.root)
    for entry in entries:
        say(unconfirmed_line(entry))
    say(
        f"{len(entries)} unconfirmed"
        + ("; settle each with: carebase announce --resolve ID posted|resend" if entries else "")
    )


def unconfirmed_line(entry: Entry) -> str:
    """ID, network, item, revision, when, and the start of the text."""
    text = " ".join(entry.text.split())
    text = text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1] + "…"
    when = entry.attempted_at or entry.updated_at or "?"
    return f"  {entry.short_id}  {entry.network}  {entry.item_id}  {entry.revision}  {when}  {text}"


def settings_of(project: Project) -> AnnounceSettings:
    """The project's announcer options; a clear error without them."""
    if project.announce is None:
        raise ProjectError(
            f"{project.config_path.name}: nothing to announce on: no '{ANNOUNCE_PLUGIN}' plugin"
            f"\n  hint: add '- {ANNOUNCE_PLUGIN}: {{networks: [...]}}' to plugins (see the "
            "README's 'Announcing on social networks')"
        )
    return project.announce


def report_lines(report: Report) -> list[str]:
    """Every post (a preview, or its outcome), then the summary line."""
    from carebase.announce.compose import preview

    lines = [preview(message) for message in report.previews] if report.dry_run else []
    for outcome in report.outcomes:
        where = f" ({outcome.remote_id})" if outcome.remote_id else ""
        why = f": {outcome.error}" if outcome.error else ""
        found = " [found: posted by an earlier run]" if outcome.reconciled else ""
        lines.append(
            f"  {outcome.state.value:<11} {outcome.network} {outcome.item_id}{where}{found}{why}"
        )
    for network, reason in sorted(report.unusable.items()):
        lines.append(f"  {'unusable':<11} {network}: {reason}")
    for network, count in sorted(report.deferred.items()):
        lines.append(f"  {'deferred':<11} {network}: {count} over the cap, next run")
    if report.unconfirmed and not report.dry_run:
        lines.append(
            f"WARNING: {len(report.unconfirmed)} posts may or may not have gone out and wait "
            "for a person: check each channel, then 'carebase announce --resolve ID "
            "posted|resend'"
        )
        lines += [unconfirmed_line(entry) for entry in report.unconfirmed]
    lines.append(report.summary())
    return lines


def comment_preview(report: Report, number: int, repository: str | None) -> None:
    """Put the preview in the pull request's one Carebase comment."""
    from carebase.announce.pr_comment import LOGIN_ENV, upsert_comment
    from carebase.announce.secrets import secret
    from carebase.importers.github_api import api_url_from
    from carebase.importers.settings import ENV

    repo = repository or os.environ.get("GITHUB_REPOSITORY", "")
    if not repo:
        raise click.UsageError("--pr-comment needs --repository OWNER/NAME or GITHUB_REPOSITORY")
    token = secret(ENV["github_token"], "the pull request comment")
    api_url = api_url_from(os.environ)
    body = "\n".join([PREVIEW_TITLE, "", "```text", *report_lines(report), "```"])
    login = os.environ.get(LOGIN_ENV, "").strip() or None
    result = upsert_comment(repo, number, body, token, api_url, login)
    say(f"Pull request #{number}: preview comment {result}")
