"""The ``carebase`` command group: global options, and user mistakes as one-line errors."""

from __future__ import annotations

import os
from typing import Any

import click

from carebase import __version__
from carebase.cli import CliState
from carebase.cli.announce import announce
from carebase.cli.build import build, serve
from carebase.cli.check import check
from carebase.cli.deploy import deploy
from carebase.cli.importing import import_group
from carebase.cli.new import new
from carebase.cli.search import search
from carebase.errors import DEBUG_ENV, CarebaseError


class CarebaseGroup(click.Group):
    """A group that turns Carebase's own errors into ``Error: …`` and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report domain and file-system errors without a traceback."""
        try:
            return super().invoke(ctx)
        except CarebaseError as exc:
            raise click.ClickException(_one_line(str(exc))) from exc
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from exc
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            raise click.ClickException(unexpected(exc)) from exc


def unexpected(error: BaseException) -> str:
    """An error nobody foresaw, on one line: what it was, and how to see more."""
    said = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
    said = said if len(said) <= 300 else said[:299] + "…"
    return (
        f"unexpected {type(error).__name__}"
        + (f": {said}" if said else "")
        + f"; hint: run again with {DEBUG_ENV}=1 for the traceback, and report it"
    )


def _one_line(text: str) -> str:
    """The first line of ``text`` with its hint; a count of any further lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    head = lines[:1]
    while len(head) < len(lines) and lines[len(head)].startswith("hint:"):
        head.append(lines[len(head)])
    first = "; ".join(head)
    if len(head) == len(lines):
        return first
    return f"{first} (and {len(lines) - len(head)} more lines; run 'carebase check')"


@click.group(cls=CarebaseGroup)
@click.version_option(__version__, "--version", prog_name="carebase")
@click.option(
    "-f",
    "--config-file",
    default="mkdocs.yml",
    show_default=True,
    metavar="FILE",
    help="The project's MkDocs config.",
)
@click.pass_context
def cli(ctx: click.Context, config_file: str) -> None:
    """Carebase: check, scaffold and build a customer-care help centre."""
    ctx.obj = CliState(config_file)


cli.add_command(new)
cli.add_command(check)
cli.add_command(build)
cli.add_command(serve)
cli.add_command(search)
cli.add_command(import_group)
cli.add_command(announce)
cli.add_command(deploy)
