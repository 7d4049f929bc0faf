"""``carebase deploy``: build, publish, wait until live, push search, then announce.

The build stops on content errors and on any warning of the engine (a broken link, a missing
page); content warnings such as an overdue review are printed and do not hold back a deploy,
since a service notice must go out while an old article waits for its reviewer.

Each step runs only when the one before it succeeded, so nothing is announced for a site that
did not go live. Re-running a deploy is safe: an unchanged site makes no commit, an unchanged
index no writes, and the ledger posts nothing twice.
"""

from __future__ import annotations

from pathlib import Path

import click

from carebase.cli import CliState, pass_state, say
from carebase.cli.announce import announce_options, run_announcer
from carebase.cli.build import build_site
from carebase.cli.search import push_command
from carebase.manifest import read_manifest
from carebase.search.settings import Backend


@click.command()
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to build.  [default: site, next to mkdocs.yml]",
)
@click.option("--remote", default="origin", show_default=True, help="Git remote (name or URL).")
@click.option("--branch", default="gh-pages", show_default=True, help="Branch served as the site.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Publish into this folder instead of a git branch.",
)
@click.option("--wait-url", metavar="URL", help="Wait until this address serves the new build.")
@click.option(
    "--wait-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=600.0,
    show_default=True,
    help="Seconds to wait for it.",
)
@click.option("--no-search", is_flag=True, help="Do not push the search index (Algolia).")
@click.option("--no-announce", is_flag=True, help="Do not announce.")
@click.option("--engine", type=click.Choice(["mkdocs", "properdocs"]), default="mkdocs")
@announce_options
@pass_state
@click.pass_context
def deploy(
    ctx: click.Context,
    state: CliState,
    site_dir: Path | None,
    remote: str,
    branch: str,
    directory: Path | None,
    wait_url: str | None,
    wait_timeout: float,
    no_search: bool,
    no_announce: bool,
    engine: str,
    backfill: bool,
) -> None:
    """Build, publish the site, then push search and announce what is new."""
    from carebase.deploy.live import wait_until_live
    from carebase.deploy.places import check_target
    from carebase.deploy.publish import publish_to_branch, publish_to_directory

    project = state.project
    site = (site_dir or project.root / "site").resolve()
    places = {"project": project.root, "content": project.docs_dir}
    if directory is not None:
        check_target(site, directory.resolve(), **places)
    say("deploy: building (content errors and engine warnings stop it)")
    if build_site(state, engine, site, content_strict=False, engine_strict=True) != 0:
        raise click.ClickException("not deploying: the build failed (see above)")
    build_id = read_manifest(site).build_id
    if directory is not None:
        where = publish_to_directory(site, directory.resolve(), **places)
        say(f"deploy: published build {build_id} into {where}")
    else:
        commit = publish_to_branch(project.root, site, remote, branch, f"Deploy {build_id}")
        say(f"deploy: published build {build_id} to {branch} of {remote} ({commit[:12]})")
    if wait_url:
        say(f"deploy: waiting until {wait_url} serves build {build_id}")
        wait_until_live(wait_url, build_id, wait_timeout)
    if project.search.backend is Backend.ALGOLIA and not no_search:
        say("deploy: pushing the search index")
        ctx.invoke(push_command, site_dir=site, full=False, dry_run=False)
    announcer = project.announce
    if no_announce or announcer is None or not announcer.enabled:
        say("deploy: done (nothing announced)")
        return
    say("deploy: announcing")
    if run_announcer(project, site, dry_run=False, backfill=backfill).failed:
        raise click.exceptions.Exit(1)
