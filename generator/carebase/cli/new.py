"""``carebase new article|faq|post "Title"``: start a file a writer fills in.

A new file in the default language needs ``--author`` (its owner: nobody else can be
guessed). A file in another language is the translation of an existing one, found by its
``--slug``: it goes beside its original and takes the original's category, owner or
authors and date unless told otherwise. Its placeholders are in its own language, and
``carebase check`` refuses them until they are replaced.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import TypeVar

import click

from carebase.checks import blog_categories
from carebase.cli import CliState, pass_state
from carebase.content import Article, Post, load_posts, read_article, read_post
from carebase.datafiles import load_authors, load_categories
from carebase.errors import Problem, Severity
from carebase.languages import localised_filename, split_language
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
T = TypeVar("T", Article, Post)


def plan(
    project: Project,
    kind: str,
    title: str,
    *,
    category: str | None,
    author: str | None,
    lang: str | None,
    slug: str | None = None,
    today: date | None = None,
) -> NewFile:
    """The path and text of a new file, after checking category, author and language."""
    settings = project.settings
    title = clean_title(title)
    lang = require(lang or settings.default_language, settings.languages, "language", "mkdocs.yml")
    if author is not None:
        require(author, _authors(project), "author", settings.shown(settings.authors_file))
    today = today or date.today()
    if lang != settings.default_language:
        if slug is None:
            raise _no_original_slug(project, kind, title, lang)
        if kind == "post":
            return _post_translation(project, title, category, author, lang, slug)
        return _article_translation(project, kind, title, category, author, lang, slug, today)
    author = _required_author(project, kind, author)
    chosen = choose_slug(title, slug)
    if kind == "post":
        categories = [_post_category(project, category)]
        return NewFile(
            post_path(settings, chosen, lang), post_text(title, [author], today, categories)
        )
    category = _kb_category(project, kind, category)
    text = article_text(title, author, today, ArticleType(kind))
    return NewFile(article_path(settings, category, chosen, lang), text)


def _required_author(project: Project, kind: str, author: str | None) -> str:
    if author is not None:
        return author
    known = ", ".join(sorted(_authors(project)))
    raise ScaffoldError(
        f"a new {kind} needs --author: who owns it and keeps it right\n"
        f"  hint: one of {known} ({project.settings.shown(project.settings.authors_file)})"
    )


def _kb_category(project: Project, kind: str, category: str | None) -> str:
    settings = project.settings
    categories = _categories(project)
    where = settings.shown(settings.categories_file)
    if category is None:
        raise ScaffoldError(
            f"an {kind} needs --category, the folder it goes in\n"
            f"  hint: one of {', '.join(sorted(categories))} ({where})"
        )
    return require(category, categories, "category", where)


def _post_category(project: Project, category: str | None) -> str:
    settings = project.settings
    known = blog_categories(settings, load_posts(settings)[0])
    if category is None:
        listed = f"one of {', '.join(known)}" if known else "any name, like News"
        raise ScaffoldError(
            "a post needs --category, the part of the blog it is listed in\n"
            f'  hint: {listed}, in quotes when it has spaces: --category "Service status"'
        )
    if settings.blog_categories:
        require(category, settings.blog_categories, "blog category", "mkdocs.yml")
    return category


# --- translations --------------------------------------------------------------------------


def _no_original_slug(project: Project, kind: str, title: str, lang: str) -> ScaffoldError:
    default = project.settings.default_language
    return ScaffoldError(
        f"a translation (--lang {lang}) needs --slug: the file name of the '{default}' {kind}"
        f" it translates\n  hint: carebase new {kind} {_quoted(title)} --lang {lang} --slug"
        " how-to-get-a-refund (for how-to-get-a-refund.md)"
    )


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def _article_translation(
    project: Project,
    kind: str,
    title: str,
    category: str | None,
    author: str | None,
    lang: str,
    slug: str,
    today: date,
) -> NewFile:
    settings = project.settings
    original = _original_article(project, kind, choose_slug(title, slug))
    shown = settings.shown(original.path)
    if original.meta.type.value != kind:
        raise ScaffoldError(
            f"{shown} is an {original.meta.type.value}, not an {kind}\n"
            f"  hint: carebase new {original.meta.type.value} … --lang {lang} --slug {slug}"
        )
    if category is not None and category != original.category:
        raise ScaffoldError(
            f"{shown} is in the category '{original.category}', not '{category}'\n"
            "  hint: leave out --category: a translation goes beside its original"
        )
    owner = author or original.meta.owner
    text = article_text(title, owner, today, original.meta.type, lang)
    return NewFile(article_path(settings, original.category, original.slug, lang), text)


def _original_article(project: Project, kind: str, slug: str) -> Article:
    settings = project.settings
    kb = settings.docs_dir / settings.kb_dir
    found = sorted(kb.glob(f"*/{slug}.md"))
    if not found:
        originals = [path.stem for path in kb.glob("*/*.md") if _is_original(path.name, project)]
        raise _no_original(project, kind, slug, originals)
    rel = found[0].relative_to(settings.docs_dir).as_posix()
    article, problems = read_article(found[0], rel, settings)
    return _usable(project, article, problems)


def _post_translation(
    project: Project,
    title: str,
    category: str | None,
    author: str | None,
    lang: str,
    slug: str,
) -> NewFile:
    settings = project.settings
    original = _original_post(project, choose_slug(title, slug))
    authors = [author] if author else original.meta.authors
    if not authors:
        authors = [_required_author(project, "post", author)]
    categories = [_post_category(project, category)] if category else original.meta.categories
    folder = original.path.rsplit("/", 1)[0]
    path = f"{folder}/{localised_filename(slug, lang, settings.default_language)}"
    # The translation is the same news: it keeps the original's date, so both sort alike.
    return NewFile(path, post_text(title, authors, original.meta.created, categories, lang))


def _original_post(project: Project, slug: str) -> Post:
    settings = project.settings
    posts = settings.docs_dir / settings.posts_dir
    found = sorted(posts.rglob(f"{slug}.md"))
    if not found:
        originals = [path.stem for path in posts.rglob("*.md") if _is_original(path.name, project)]
        raise _no_original(project, "post", slug, originals)
    rel = found[0].relative_to(settings.docs_dir).as_posix()
    post, problems = read_post(found[0], rel, settings)
    return _usable(project, post, problems)


def _is_original(name: str, project: Project) -> bool:
    return split_language(name, project.settings.languages).is_default


def _no_original(project: Project, kind: str, slug: str, originals: list[str]) -> ScaffoldError:
    settings = project.settings
    where = settings.shown(settings.posts_dir if kind == "post" else settings.kb_dir)
    close = difflib.get_close_matches(slug, originals, n=1)
    hint = (
        f"did you mean --slug {close[0]}?"
        if close
        else f"write the '{settings.default_language}' {kind} first"
    )
    return ScaffoldError(
        f"no {kind} '{slug}.md' in {where} to translate (a translation starts from its"
        f" '{settings.default_language}' original)\n  hint: {hint}"
    )


def _usable(project: Project, item: T | None, problems: list[Problem]) -> T:
    """The original, or an error when it is broken: its translation would copy the damage."""
    errors = [problem for problem in problems if problem.severity is Severity.ERROR]
    if item is None or errors:
        first = errors[0] if errors else problems[0]
        raise ScaffoldError(
            f"{project.settings.shown(first.path)}:{first.line}: {first.field}: {first.message}"
            "\n  hint: fix the original first (run 'carebase check' for every problem)"
        )
    return item


# --- data files ----------------------------------------------------------------------------


def _authors(project: Project) -> list[str]:
    settings = project.settings
    authors, problems = load_authors(
        project.docs_dir / settings.authors_file, settings.authors_file
    )
    _refuse_broken(project, problems)
    return list(authors)


def _categories(project: Project) -> list[str]:
    settings = project.settings
    path = project.docs_dir / settings.categories_file
    categories, problems = load_categories(path, settings.categories_file)
    _refuse_broken(project, problems)
    return list(categories)


def _refuse_broken(project: Project, problems: list[Problem]) -> None:
    errors = [problem for problem in problems if problem.severity is Severity.ERROR]
    if errors:
        first = errors[0]
        where = f"{project.settings.shown(first.path)}:{first.line}: {first.field}"
        raise ScaffoldError(
            f"{where}: {first.message}\n  hint: run 'carebase check' for every problem"
        )


@click.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("title")
@click.option(
    "--category",
    "-c",
    help="KB category folder (article, faq) or blog category (post). Required, except for a"
    " translation (it goes beside its original).",
)
@click.option(
    "--author",
    "-a",
    help="Author id from the authors file: the owner of an article or FAQ, the author of a"
    " post. Required, except for a translation (it keeps its original's).",
)
@click.option("--lang", "-l", help="Language of the file; the default language if omitted.")
@click.option(
    "--slug",
    help="File name without .md. With --lang, the slug of the original the file translates.",
)
@pass_state
def new(
    state: CliState,
    kind: str,
    title: str,
    category: str | None,
    author: str | None,
    lang: str | None,
    slug: str | None,
) -> None:
    """Create a new KIND titled TITLE and print its path, relative to the project folder.

    Replace its placeholders: 'carebase check' refuses them.
    """
    project = state.project
    new_file = plan(project, kind, title, category=category, author=author, lang=lang, slug=slug)
    write_new(project.settings, new_file)
    click.echo(project.settings.shown(new_file.path))
