"""``carebase new article|faq|post "Title"``: start a file that already passes the checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from carebase.cli import CliState, pass_state
from carebase.datafiles import load_authors, load_categories
from carebase.errors import Problem, Severity
from carebase.models import ArticleType
from carebase.project import Project
from carebase.scaffold import (
    NewFile,
    ScaffoldError,
    article_path,
    article_text,
    choose_slug,
    clean_title,
    post_path,
    post_text,
    require,
    write_new,
)

KINDS = ("article", "faq", "post")


def plan(
    project: Project,
    kind: str,
    title: str,
    *,
    category: str | None,
    author: str,
    lang: str | None,
    slug: str | None = None,
    today: date | None = None,
) -> NewFile:
    """The path and text of a new file, after checking category, author and language."""
    settings = project.settings
    title = clean_title(title)
    lang = require(lang or settings.default_language, settings.languages, "language", "mkdocs.yml")
    require(author, _authors(project), "author", settings.authors_file)
    chosen = choose_slug(title, slug)
    today = today or date.today()
    if kind == "post":
        if category is not None and settings.blog_categories:
            require(category, settings.blog_categories, "blog category", "mkdocs.yml")
        return NewFile(post_path(settings, chosen, lang), post_text(title, author, today, category))
    if category is None:
        raise ScaffoldError(f"an {kind} needs --category, one of {settings.categories_file}")
    require(category, _categories(project), "category", settings.categories_file)
    text = article_text(title, author, today, ArticleType(kind))
    return NewFile(article_path(settings, category, chosen, lang), text)


def _authors(project: Project) -> list[str]:
    settings = project.settings
    authors, problems = load_authors(
        project.docs_dir / settings.authors_file, settings.authors_file
    )
    _refuse_broken(problems)
    return list(authors)


def _categories(project: Project) -> list[str]:
    settings = project.settings
    path = project.docs_dir / settings.categories_file
    categories, problems = load_categories(path, settings.categories_file)
    _refuse_broken(problems)
    return list(categories)


def _refuse_broken(problems: list[Problem]) -> None:
    errors = [problem for problem in problems if problem.severity is Severity.ERROR]
    if errors:
        first = errors[0].format().splitlines()[0]
        raise ScaffoldError(f"{first} (run 'carebase check' for every problem)")


def _display(path: Path) -> str:
    """``path`` relative to the cwd when it is below it, so it can be opened as printed."""
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


@click.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("title")
@click.option("--category", "-c", help="KB category folder (article, faq) or blog category.")
@click.option("--author", "-a", required=True, help="Author id from the authors file.")
@click.option("--lang", "-l", help="Language of the file; the default language if omitted.")
@click.option("--slug", help="File name without .md; give a translation its original's slug.")
@pass_state
def new(
    state: CliState,
    kind: str,
    title: str,
    category: str | None,
    author: str,
    lang: str | None,
    slug: str | None,
) -> None:
    """Create a new KIND titled TITLE and print its path."""
    project = state.project
    new_file = plan(project, kind, title, category=category, author=author, lang=lang, slug=slug)
    click.echo(_display(write_new(project.docs_dir, new_file)))
