"""``carebase import``: solved community threads and merged pull requests become articles.

Options come from ``plugins: - carebase/import`` in mkdocs.yml; addresses and tokens may come
from the environment (``CAREBASE_DISCOURSE_URL``, ``CAREBASE_DISCOURSE_API_KEY``,
``GITHUB_TOKEN``) and are never printed. The engine and the sources are imported only by the
command that uses them (their converters and HTTP clients take a while to load).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from carebase.cli import CliState, pass_state, say
from carebase.errors import CarebaseError, ContentError, ProjectError
from carebase.importers.model import ThreadSource
from carebase.importers.settings import IMPORT_PLUGIN, ImportSettings, import_settings
from carebase.project import plugin_configs, read_config
from carebase.redaction import redact

if TYPE_CHECKING:
    from carebase.importers.sync import Outcome, Progress, SyncReport

MakeSource = Callable[[ImportSettings], ThreadSource]
F = TypeVar("F", bound=Callable[..., Any])


class ImportGroup(click.Group):
    """Reports Carebase's errors as one line, the hint included (not "run carebase check")."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a domain error becomes ``Error: what; hint: how`` and exit 1."""
        try:
            return super().invoke(ctx)
        except CarebaseError as exc:
            raise click.ClickException(one_line(str(exc))) from exc


def one_line(message: str) -> str:
    """A message and its ``hint:`` lines joined into one line."""
    return "; ".join(line.strip() for line in message.splitlines() if line.strip())


@click.group("import", cls=ImportGroup)
def import_group() -> None:
    """Import solved community threads and merged pull requests as articles."""


def sync_options(command: F) -> F:
    """The options every ``carebase import`` command takes."""
    options = [
        click.option(
            "--since",
            type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
            help="Import what changed since this date (UTC), not since the last import.",
        ),
        click.option("--limit", type=click.IntRange(min=1), help="Import at most N threads."),
        click.option("--dry-run", is_flag=True, help="Show what would change; write nothing."),
        click.option(
            "--full",
            is_flag=True,
            help="Read every thread, and remove articles of threads no longer published.",
        ),
        click.option("--force", is_flag=True, help="Replace articles edited by hand too."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@import_group.command("discourse")
@sync_options
@pass_state
def discourse_command(state: CliState, /, **options: Any) -> None:
    """Solved topics of a Discourse forum."""
    run_import(state, discourse_source, **options)


@import_group.command("discussions")
@sync_options
@pass_state
def discussions_command(state: CliState, /, **options: Any) -> None:
    """Answered GitHub Discussions of a repository."""
    run_import(state, discussions_source, **options)


@import_group.command("pulls")
@sync_options
@pass_state
def pulls_command(state: CliState, /, **options: Any) -> None:
    """Merged pull requests, as "What's new / fixed" articles."""
    run_import(state, pulls_source, **options)


@import_group.command("jsonl")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@sync_options
@pass_state
def jsonl_command(state: CliState, /, file: Path, **options: Any) -> None:
    """Threads from any platform, one JSON object per line of FILE (see the README)."""
    from carebase.importers.jsonl import JsonlSource

    try:
        source = JsonlSource.from_file(file, _shown_file(state, file))
    except ContentError as exc:
        for problem in exc.problems:
            say(problem.format(), err=True)
        raise click.ClickException(
            f"{len(exc.problems)} problem(s) in {_shown_file(state, file)}; nothing was"
            " imported; hint: fix the lines named above and run it again"
        ) from None
    run_import(state, lambda _settings: source, **options)


def _shown_file(state: CliState, file: Path) -> str:
    """``file`` relative to the project folder, like every path Carebase prints; as given
    when it is outside the project."""
    resolved, root = file.resolve(), state.project.root.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(file)


# --- sources -------------------------------------------------------------------------------


def discourse_source(settings: ImportSettings) -> ThreadSource:
    """The Discourse forum of the settings (its URL may come from the environment)."""
    from carebase.importers.settings import DiscourseOptions

    module = _importer("carebase.importers.discourse", "Discourse")
    options = settings.discourse or DiscourseOptions()
    source: ThreadSource = module.DiscourseSource.from_settings(options, env=os.environ)
    return source


def discussions_source(settings: ImportSettings) -> ThreadSource:
    """The GitHub Discussions of the settings' repository."""
    options = _required(settings.discussions, "discussions", "{repository: owner/name}")
    module = _importer("carebase.importers.github", "GitHub Discussions")
    source: ThreadSource = module.DiscussionsSource.from_settings(options, env=os.environ)
    return source


def pulls_source(settings: ImportSettings) -> ThreadSource:
    """The merged pull requests of the settings' repositories."""
    options = _required(settings.pulls, "pulls", "{repositories: [owner/name]}")
    module = _importer("carebase.importers.github", "GitHub pull request")
    source: ThreadSource = module.PullsSource.from_settings(options, env=os.environ)
    return source


T = TypeVar("T")


def _required(options: T | None, name: str, example: str) -> T:
    if options is None:
        raise ProjectError(
            f"mkdocs.yml: plugins.{IMPORT_PLUGIN}.{name} is not set\n"
            f"  hint: add '{name}: {example}' to the plugin's options"
        )
    return options


def _importer(module_name: str, what: str) -> Any:
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        raise ProjectError(
            f"the {what} importer cannot be loaded ({exc})\n"
            "  hint: reinstall Carebase with `pip install -e .`"
        ) from None


# --- running -------------------------------------------------------------------------------


def run_import(
    state: CliState,
    make_source: MakeSource,
    *,
    since: datetime | None,
    limit: int | None,
    dry_run: bool,
    full: bool,
    force: bool,
) -> None:
    """Sync one source into the project, then print what happened; exit 1 on failures."""
    # Here, not at the top: the engine's converters take a while to load, and every other
    # `carebase` command would wait for them.
    from carebase.importers.sync import sync

    project = state.project
    plugins = plugin_configs(read_config(project.config_path).get("plugins"))
    settings = import_settings(plugins, project.config_path.name)
    with contextlib.ExitStack() as stack:
        source = make_source(settings)
        if hasattr(source, "__exit__"):
            stack.enter_context(source)  # type: ignore[arg-type]
        with _progress(source.kind.value, dry_run, project.settings.shown) as progress:
            report = sync(
                source, project, settings,
                dry_run=dry_run, full=full, force=force, since=since, limit=limit,
                progress=progress,
            )  # fmt: skip
    _print(report)


def _print(report: SyncReport) -> None:
    if not _is_terminal():
        # Each line was printed as it happened; only the notes and the summary are left.
        for note in report.notes:
            say(f"note: {note}")
    else:
        for line in report.details():
            say(line)
    say(report.summary())
    if report.error:
        raise click.ClickException(
            f"{one_line(report.error)} (the import stopped; run it again to go on)"
        )
    if report.failed:
        raise click.ClickException("some threads could not be imported (see 'failed' above)")


def _is_terminal() -> bool:
    return sys.stdout.isatty()


@contextlib.contextmanager
def _progress(name: str, dry_run: bool, shown: Callable[[str], str]) -> Iterator[Progress]:
    """A rich progress display on a terminal; one plain line per change otherwise."""
    if not _is_terminal():
        from carebase.importers.sync import Action

        def plain_line(outcome: Outcome) -> None:
            if outcome.action is not Action.UNCHANGED:
                say(outcome.line(dry_run, shown))

        yield plain_line
        return
    from rich.progress import Progress as Bar
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Bar(*columns, transient=True) as bar:
        task = bar.add_task(f"{name}: starting", total=None)

        def advance(outcome: Outcome) -> None:
            bar.update(
                task, advance=1, description=redact(f"{name}: {outcome.line(dry_run, shown)}")[:100]
            )

        yield advance
