"""The ``carebase`` command group: global options, and user mistakes as one-line errors.

An error is its line and its ``hint:`` lines joined into one (``Error: …; hint: …``), redacted
like every line Carebase prints; only a content error with several problems is cut to its
first, with a pointer to ``carebase check``, which lists them all.
"""

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
from carebase.cli.report import report
from carebase.cli.search import search
from carebase.errors import DEBUG_ENV, CarebaseError, ContentError
from carebase.redaction import redact


class CarebaseGroup(click.Group):
    """A group that turns Carebase's own errors into ``Error: …`` and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report domain and file-system errors without a traceback."""
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            # A subgroup's or a command's own; redacted in place to keep its kind (a usage
            # error shows the usage) and exit code. Click types the attribute Final.
            exc.message = redact(exc.message)  # type: ignore[misc]
            raise
        except CarebaseError as exc:
            raise click.ClickException(redact(error_text(exc))) from exc
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(redact(f"{where}{exc.strerror or exc}")) from exc
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            raise click.ClickException(redact(unexpected(exc))) from exc


def unexpected(error: BaseException) -> str:
    """An error nobody foresaw, on one line: what it was, and how to see more."""
    said = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
    said = said if len(said) <= 300 else said[:299] + "…"
    return (
        f"unexpected {type(error).__name__}"
        + (f": {said}" if said else "")
        + f"; hint: run again with {DEBUG_ENV}=1 for the traceback, and report it"
    )


def error_text(exc: CarebaseError) -> str:
    """The error and its hint lines on one line; a content error with several problems, its
    first (``carebase check`` lists them all)."""
    if isinstance(exc, ContentError) and len(exc.problems) > 1:
        more = len(exc.problems) - 1
        first = _joined(exc.problems[0].format())
        return f"{first} (and {more} more problems; run 'carebase check')"
    return _joined(str(exc))


def _joined(text: str) -> str:
    """``text``'s non-blank lines joined by ``; `` (``Error: …; hint: …``)."""
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


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
cli.add_command(report)
