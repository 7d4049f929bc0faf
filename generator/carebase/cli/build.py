"""``carebase build`` and ``carebase serve``: check the content, then run the site engine.

The engine (MkDocs or its fork ProperDocs) runs as a subprocess, so the core never imports
it and its output and exit code reach the user unchanged. It runs through
:mod:`carebase_mkdocs.run`, which turns a crash of the engine (a traceback) into one line
naming the page to blame.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import click

from carebase.cli import CliState, pass_state
from carebase.cli.check import echo_problems, run_checks, summary
from carebase.engine_env import engine_environment, project_secret_names
from carebase.errors import Severity
from carebase.project import Project

ENGINES = ("mkdocs", "properdocs")
ENGINE_RUNNER = "carebase_mkdocs.run"
"""Runs the engine's command line and reports a crash in one line, not a traceback."""
_engine_option = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="mkdocs",
    show_default=True,
    help="The site engine to run.",
)


def engine_installed(engine: str) -> bool:
    """Whether ``python -m <engine>`` can run in this environment."""
    return importlib.util.find_spec(engine) is not None


def engine_command(engine: str, verb: str, config: Path, options: list[str]) -> list[str]:
    """The command line running ``engine`` with this Python, for ``config``."""
    return [sys.executable, "-m", ENGINE_RUNNER, engine, verb, "-f", str(config), *options]


def run_engine(command: list[str], project: Project) -> int:
    """Run the engine in the foreground, without credentials (:mod:`carebase.engine_env`); its
    output goes straight to the terminal."""
    env = engine_environment(os.environ, project_secret_names(project))
    try:
        return subprocess.run(command, check=False, env=env).returncode
    except KeyboardInterrupt:
        return 130  # The user stopped `serve`; the engine got the same signal.


def check_before(state: CliState, strict: bool, engine: str) -> None:
    """Refuse to run the engine when the content has errors (or warnings, when strict)."""
    if not engine_installed(engine):
        raise click.ClickException(f"{engine} is not installed; hint: pip install {engine}")
    report = run_checks(state.project)
    echo_problems(report.problems, state.project.settings, err=True)
    if report.failed(strict):
        click.echo(summary(report), err=True)
        kind = "problems" if strict else "errors"
        raise click.ClickException(
            f"not building: the content has {kind} (listed above);"
            " hint: fix them, then run 'carebase check' until it passes"
        )
    if report.count(Severity.WARNING):
        click.echo(summary(report), err=True)


def build_options(strict: bool, site_dir: Path | None, clean: bool) -> list[str]:
    options = ["--clean" if clean else "--dirty"]
    if strict:
        options.append("--strict")
    if site_dir is not None:
        # The engine resolves a relative site_dir against mkdocs.yml; users mean the cwd.
        options += ["--site-dir", str(site_dir.resolve())]
    return options


@click.command()
@click.option("--strict", is_flag=True, help="Fail on warnings, in the content and the build.")
@click.option(
    "--strict-build",
    is_flag=True,
    help="Fail on the engine's warnings (a broken link) but not on content warnings such as "
    "an overdue review: what deploy does.",
)
@_engine_option
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), help="Output.")
@click.option("--clean/--dirty", default=True, help="Empty the site folder first (default).")
@pass_state
def build(
    state: CliState,
    strict: bool,
    strict_build: bool,
    engine: str,
    site_dir: Path | None,
    clean: bool,
) -> None:
    """Check the content, then build the site with the engine."""
    raise click.exceptions.Exit(
        build_site(
            state, engine, site_dir, content_strict=strict, engine_strict=strict_build, clean=clean
        )
    )


def build_site(
    state: CliState,
    engine: str,
    site_dir: Path | None,
    *,
    content_strict: bool,
    engine_strict: bool,
    clean: bool = True,
) -> int:
    """Check the content (its warnings fail only when ``content_strict``), then build; the
    engine's exit status (it is strict on its warnings when either flag is)."""
    check_before(state, content_strict, engine)
    options = build_options(content_strict or engine_strict, site_dir, clean)
    command = engine_command(engine, "build", state.project.config_path, options)
    return run_engine(command, state.project)


@click.command()
@click.option("--dev-addr", metavar="IP:PORT", help="Where to serve (default localhost:8000).")
@_engine_option
@pass_state
def serve(state: CliState, dev_addr: str | None, engine: str) -> None:
    """Check the content, then preview the site, rebuilding on every change."""
    check_before(state, False, engine)
    options = ["--dev-addr", dev_addr] if dev_addr else []
    command = engine_command(engine, "serve", state.project.config_path, options)
    raise click.exceptions.Exit(run_engine(command, state.project))
