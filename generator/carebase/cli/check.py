"""``carebase check``: every problem in the content, one line each, and a summary."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import click

from carebase.checks import check_content, translation_report
from carebase.cli import CliState, pass_state
from carebase.clock import build_time
from carebase.content import ContentIndex, load_content
from carebase.errors import Problem, Severity
from carebase.project import Project
from carebase.settings import ContentSettings


@dataclass(frozen=True)
class CheckReport:
    """The content of a project and every problem in it, sorted by file and line."""

    index: ContentIndex
    problems: list[Problem]
    files: list[str]

    def count(self, severity: Severity) -> int:
        """How many problems have ``severity``."""
        return sum(problem.severity is severity for problem in self.problems)

    def failed(self, strict: bool) -> bool:
        """Errors fail a check; with ``strict``, warnings do too."""
        return self.count(Severity.ERROR) > 0 or (strict and self.count(Severity.WARNING) > 0)

    def only(self, prefixes: list[str]) -> CheckReport:
        """The part of the report about files at or below ``prefixes`` (all when empty)."""
        if not prefixes:
            return self
        problems = [p for p in self.problems if _under(p.path, prefixes)]
        files = [rel for rel in self.files if _under(rel, prefixes)]
        return CheckReport(self.index, problems, files)


def run_checks(project: Project, today: date | None = None) -> CheckReport:
    """Load the content of ``project`` and run the single-file and cross-file checks.

    ``today`` defaults to the build's date, which ``SOURCE_DATE_EPOCH`` can pin.
    """
    index = load_content(project.settings)
    problems = index.problems + check_content(index, today=today or build_time().date())
    problems.sort(key=lambda p: (p.path, p.line, p.field, p.message))
    return CheckReport(index, problems, [rel for rel in index.files if rel.endswith(".md")])


def _under(path: str, prefixes: list[str]) -> bool:
    return any(not prefix or path == prefix or path.startswith(f"{prefix}/") for prefix in prefixes)


def docs_relative(project: Project, raw: str) -> str:
    """A path given on the command line, relative to the cwd, the project or the docs folder."""
    docs = project.docs_dir
    # As typed from here, as printed (relative to the project), or relative to the docs.
    for candidate in (Path(raw).resolve(), (project.root / raw).resolve(), (docs / raw).resolve()):
        if candidate.exists() and candidate.is_relative_to(docs):
            rel = candidate.relative_to(docs).as_posix()
            return "" if rel == "." else rel
    shown = project.settings.shown("")
    raise click.ClickException(
        f"{raw} is not a file or folder in the docs folder {shown}/;"
        f" hint: name one below it, like {shown}/{project.settings.kb_dir}"
    )


def summary(report: CheckReport) -> str:
    """``checked 57 files: 2 errors, 1 warning``."""
    files = _plural(len(report.files), "file")
    errors = _plural(report.count(Severity.ERROR), "error")
    warnings = _plural(report.count(Severity.WARNING), "warning")
    return f"checked {files}: {errors}, {warnings}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def translation_lines(index: ContentIndex, details: bool) -> list[str]:
    """One line per language with how much is translated; with ``details``, the file each
    missing translation would be."""
    total = len({article.key for article in index.articles_in(index.settings.default_language)})
    lines = []
    for lang, missing in translation_report(index).items():
        lines.append(f"{lang}: {total - len(missing)} of {_plural(total, 'article')} translated")
        if details:
            # The file to write, so a translator can start there.
            lines.extend(f"  {index.settings.shown(f'{key}.{lang}.md')}" for key in missing)
    return lines


def echo_problems(problems: list[Problem], settings: ContentSettings, err: bool = False) -> None:
    """Print each problem as ``path:line: field: message`` with its hint below; the path
    relative to the project folder, as every message prints paths."""
    for problem in problems:
        click.echo(printable(shown(problem, settings)).format(), err=err)


def shown(problem: Problem, settings: ContentSettings) -> Problem:
    """The problem with its path (relative to the docs folder) as messages print it."""
    return replace(problem, path=settings.shown(problem.path))


def printable(problem: Problem) -> Problem:
    """The problem with line breaks and control characters escaped, so it prints on one line.

    Field names and messages quote what people wrote, and YAML keys may hold anything.
    """
    return replace(
        problem,
        path=_escape(problem.path),
        field=_escape(problem.field),
        message=_escape(problem.message),
        hint=_escape(problem.hint),
    )


def _escape(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--strict", is_flag=True, help="Fail on warnings as well as errors.")
@click.option("--translations", is_flag=True, help="List the articles each language lacks.")
@pass_state
def check(state: CliState, paths: tuple[str, ...], strict: bool, translations: bool) -> None:
    """Check the content, or only PATHS (files or folders), and report every problem."""
    project = state.project
    prefixes = [docs_relative(project, raw) for raw in paths]
    report = run_checks(project).only(prefixes)
    echo_problems(report.problems, project.settings)
    click.echo(summary(report))
    for line in translation_lines(report.index, translations):
        click.echo(line)
    if report.failed(strict):
        raise click.exceptions.Exit(1)
