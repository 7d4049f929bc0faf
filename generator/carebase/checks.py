"""Checks across files: authors, categories, slugs, titles, links, translations, reviews.

Each check is a small function of a :class:`CheckContext` returning problems; single-file
problems (front matter, encoding) are found while loading, in :mod:`carebase.content`.
"""

from __future__ import annotations

import difflib
import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from carebase.content import Article, ContentIndex, Post
from carebase.documents import Document
from carebase.errors import Problem, Severity
from carebase.freshness import review_status
from carebase.languages import split_language
from carebase.links import Link, find_links, resolve
from carebase.pages import faq_uri, landing_uri
from carebase.scaffold import find_scaffold_text
from carebase.settings import ContentSettings


@dataclass(frozen=True)
class CheckContext:
    """What the checks look at: the content, the files on disk, generated pages and today."""

    index: ContentIndex
    pages: frozenset[str]
    today: date

    @property
    def settings(self) -> ContentSettings:
        """The layout of the content tree."""
        return self.index.settings

    @cached_property
    def files(self) -> frozenset[str]:
        """Every published file, as listed once while loading the content."""
        return frozenset(self.index.files)

    @cached_property
    def folders(self) -> frozenset[str]:
        """Every folder holding a file or a generated page, computed once for all links."""
        found = set()
        for rel in self.files | self.pages:
            parent = posixpath.dirname(rel)
            while parent and parent not in found:
                found.add(parent)
                parent = posixpath.dirname(parent)
        return frozenset(found)

    @cached_property
    def near_misses(self) -> dict[str, str | None]:
        """Typo suggestions already worked out, by missing link target."""
        return {}

    @cached_property
    def names(self) -> dict[str, list[str]]:
        """The names of the files and generated pages in each folder."""
        found: dict[str, list[str]] = defaultdict(list)
        for rel in sorted(self.files | self.pages):
            folder, name = posixpath.split(rel)
            found[folder].append(name)
        return found


Check = Callable[[CheckContext], list[Problem]]
MAX_SUGGESTIONS = 200


def check_content(
    index: ContentIndex,
    generated: AbstractSet[str] = frozenset(),
    today: date | None = None,
    checks: tuple[Check, ...] | None = None,
) -> list[Problem]:
    """Run the cross-file checks (all by default); ``generated`` adds build-time pages."""
    context = CheckContext(
        index=index,
        pages=frozenset(generated) | generated_pages(index),
        today=today or date.today(),
    )
    return [problem for check in checks or CHECKS for problem in check(context)]


def generated_pages(index: ContentIndex) -> frozenset[str]:
    """Pages written at build time: KB and category pages, category FAQs, the blog index.

    A category's FAQ page exists only when the category has FAQs (see :mod:`carebase.pages`).
    """
    kb_dir = index.settings.kb_dir
    with_faqs = {article.category for article in index.articles if article.is_faq}
    pages = {f"{index.settings.blog_dir}/index.md", f"{kb_dir}/index.md"}
    for category in index.categories:
        pages.add(landing_uri(kb_dir, category, 1))
        if category in with_faqs:
            pages.add(faq_uri(kb_dir, category, 1))
    return frozenset(pages)


def translation_report(index: ContentIndex) -> dict[str, list[str]]:
    """Article keys written in the default language but missing in each other language."""
    languages = index.settings.languages
    originals = sorted({article.key for article in index.articles_in(languages[0])})
    report = {}
    for lang in languages[1:]:
        translated = {article.key for article in index.articles_in(lang)}
        report[lang] = [key for key in originals if key not in translated]
    return report


def _close(word: str, choices: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(choices), n=1)
    return matches[0] if matches else None


def _did_you_mean(word: str, choices: Iterable[str], otherwise: str) -> str:
    close = _close(word, choices)
    return f"did you mean '{close}'?" if close else otherwise


# --- authors -------------------------------------------------------------------------------


def check_owners(context: CheckContext) -> list[Problem]:
    """An article's ``owner`` must be an author of the authors file (also in an article whose
    other fields are invalid: every problem of a file is reported at once)."""
    problems = []
    for document in context.index.article_documents:
        owner = document.meta.get("owner")
        if isinstance(owner, str) and owner not in context.index.authors:
            line = document.line_of("owner")
            problems.append(_unknown_author(context, document.path, "owner", owner, line))
    return problems


def check_post_authors(context: CheckContext) -> list[Problem]:
    """Every author of a post must be in the authors file."""
    return [
        _unknown_author(context, document.path, "authors", author, document.line_of("authors"))
        for document in context.index.post_documents
        for author in _strings(document.meta.get("authors"))
        if author not in context.index.authors
    ]


def _strings(value: object) -> list[str]:
    """The strings of a front-matter list as written (one string counts as a list of one);
    values of another type are left to the schema to report."""
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _unknown_author(context: CheckContext, path: str, field: str, who: str, line: int) -> Problem:
    authors_file = context.settings.shown(context.settings.authors_file)
    known = context.index.authors
    hint = _did_you_mean(who, known, f"add '{who}' to {authors_file}")
    return Problem(path, line, field, f"'{who}' is not an author in {authors_file}", hint=hint)


# --- starter text --------------------------------------------------------------------------


def check_scaffold_text(context: CheckContext) -> list[Problem]:
    """No placeholder ``carebase new`` wrote may be published: in a front-matter field or
    the text, in any language (:data:`carebase.scaffold.STARTERS` says what they are)."""
    index = context.index
    problems = []
    for document in index.article_documents + index.post_documents:
        problems += _scaffold_in_fields(document)
        problems += [
            Problem(
                document.path,
                document.body_line + found.line,
                "body",
                f"still holds the placeholder '{_shortened(found.phrase)}'",
                hint="replace it with your own words; 'carebase new' wrote it as a prompt",
            )
            for found in find_scaffold_text(document.body)
        ]
    return problems


def _scaffold_in_fields(document: Document) -> list[Problem]:
    return [
        Problem(
            document.path,
            document.line_of(key),
            key,
            f"is the placeholder '{_shortened(found.phrase)}'",
            hint=f"write your own {key}; 'carebase new' wrote this one as a prompt",
        )
        for key, value in document.meta.items()
        for text in _texts(value)
        for found in find_scaffold_text(text)
    ]


def _texts(value: object) -> Iterator[str]:
    """Every string in a front-matter value, however deeply nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)


def _shortened(phrase: str, limit: int = 48) -> str:
    return phrase if len(phrase) <= limit else phrase[:limit].rsplit(" ", 1)[0] + "…"


# --- categories ----------------------------------------------------------------------------


def check_post_categories(context: CheckContext) -> list[Problem]:
    """Every post has a category, among the blog plugin's ``categories_allowed`` when set:
    readers browse the blog by category, and a post without one is listed in none."""
    allowed = context.settings.blog_categories
    problems = []
    for document in context.index.post_documents:
        categories = _strings(document.meta.get("categories"))
        line = document.line_of("categories")
        if not categories and not _invalid(document.meta.get("categories")):
            problems.append(_no_category(context, document.path, line))
        problems += [
            Problem(
                document.path,
                line,
                "categories",
                f"'{category}' is not an allowed blog category",
                hint=_did_you_mean(category, allowed, f"use one of: {', '.join(allowed)}"),
            )
            for category in categories
            if allowed and category not in allowed
        ]
    return problems


def _invalid(value: object) -> bool:
    """A value of the wrong type, which the schema reports."""
    return value is not None and not isinstance(value, str | list)


def blog_categories(settings: ContentSettings, posts: Iterable[Post]) -> list[str]:
    """The categories a post may use: ``categories_allowed``, else those posts already use."""
    if settings.blog_categories:
        return list(settings.blog_categories)
    return sorted({category for post in posts for category in post.meta.categories})


def _no_category(context: CheckContext, path: str, line: int) -> Problem:
    known = blog_categories(context.settings, context.index.posts)
    example = known[0] if known else "News"
    hint = f"add 'categories: [{example}]'"
    if known:
        hint += f"; the blog's categories: {', '.join(known)}"
        if context.settings.blog_categories:
            hint += " (categories_allowed of the blog plugin in mkdocs.yml)"
    return Problem(path, line, "categories", "a post needs a category", hint=hint)


def check_category_folders(context: CheckContext) -> list[Problem]:
    """Every article's folder under ``kb/`` must be described in the categories file."""
    categories_file = context.settings.categories_file
    if _broken(context.index, categories_file):
        return []  # The file itself is reported; every article would repeat the same news.
    shown = context.settings.shown(categories_file)
    known = context.index.categories
    problems = []
    for document in context.index.article_documents:
        category = document.path.split("/")[1]  # kb/<category>/<file>
        if category not in known:
            problems.append(
                Problem(
                    document.path,
                    1,
                    "category",
                    f"'{category}' is not a category in {shown}",
                    hint=f"add it to {shown}" + _or_rename(category, known),
                )
            )
    return problems


def _broken(index: ContentIndex, path: str) -> bool:
    return any(problem.path == path for problem in index.errors)


def _or_rename(category: str, known: Iterable[str]) -> str:
    close = _close(category, known)
    return f", or move the file to the '{close}' folder" if close else ""


# --- duplicates ----------------------------------------------------------------------------


def check_duplicate_slugs(context: CheckContext) -> list[Problem]:
    """A slug names one article per language; the second file using it is reported."""
    return [
        Problem(
            article.path,
            1,
            "file",
            f"the slug '{article.slug}' is also used by {context.settings.shown(first.path)}",
            hint="file names must be unique across categories; rename one of the files",
        )
        for first, article in _repeats(context.index.articles, lambda a: (a.lang, a.slug))
    ]


def check_duplicate_titles(context: CheckContext) -> list[Problem]:
    """Two articles with one title in one language cannot be told apart in search."""
    return [
        Problem(
            article.path,
            article.document.line_of("title"),
            "title",
            f"'{article.title}' is also the title of {context.settings.shown(first.path)}",
            Severity.WARNING,
            hint="give each article a title that says what is different about it",
        )
        for first, article in _repeats(
            context.index.articles, lambda a: (a.lang, " ".join(a.title.casefold().split()))
        )
    ]


def _repeats(
    articles: list[Article], key: Callable[[Article], tuple[str, str]]
) -> Iterator[tuple[Article, Article]]:
    """Pairs of (first article, later article) sharing a key, in path order."""
    first: dict[tuple[str, str], Article] = {}
    for article in sorted(articles, key=lambda a: a.path):
        seen = first.setdefault(key(article), article)
        if seen is not article:
            yield seen, article


# --- related articles and links ------------------------------------------------------------


def check_related(context: CheckContext) -> list[Problem]:
    """Every ``related`` entry must be the path of an article, relative like a link."""
    if not any(article.meta.related for article in context.index.articles):
        return []
    keys = _article_keys(context)
    return [
        Problem(
            article.path,
            article.document.line_of("related"),
            "related",
            f"'{entry}' is not an article",
            hint="write the path of an article relative to"
            f" {context.settings.shown(posixpath.dirname(article.path))}/,"
            " like 'other-article.md'",
        )
        for article in context.index.articles
        for entry in article.meta.related
        if _related_key(article.path, entry) not in keys
    ]


def _article_keys(context: CheckContext) -> set[str]:
    """Language-neutral keys of every article file, valid or not (invalid ones are reported)."""
    settings = context.settings
    return {
        _key(rel, settings)
        for rel in context.files
        if rel.startswith(f"{settings.kb_dir}/") and rel.count("/") >= 2 and rel.endswith(".md")
    }


def _related_key(source: str, entry: str) -> str:
    # Exactly how RelatedIndex finds the article, so what passes here shows on the page.
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), entry)).removesuffix(".md")


def _key(rel: str, settings: ContentSettings) -> str:
    folder, name = posixpath.split(rel)
    stem = split_language(name, settings.languages).stem
    return posixpath.join(folder, stem)


def check_links(context: CheckContext) -> list[Problem]:
    """Internal links of articles and posts must point to files or generated pages."""
    index = context.index
    documents = index.article_documents + index.post_documents
    problems = []
    for document in documents:
        for link in find_links(document.body):
            problem = _link_problem(context, document.path, link)
            if problem is not None:
                # Link lines count from the body; problems count from the top of the file.
                problems.append(replace(problem, line=document.body_line + link.line - 1))
    return problems


def _link_problem(context: CheckContext, source: str, link: Link) -> Problem | None:
    path = link.path
    if not path:
        return None  # Only a query or an anchor: the page itself.
    target = resolve(source, path)
    if target is None:
        return Problem(
            source,
            1,
            link.kind.value,
            f"'{link.target}' points outside the docs folder",
            hint="link a page of the site, or write the full address (https://…)",
        )
    if path.endswith("/") or target == "" or _is_folder(context, target):
        return _folder_problem(context, source, link, target)
    if _exists(context, target):
        return None
    return Problem(
        source,
        1,
        link.kind.value,
        f"'{link.target}' does not exist",
        hint=_link_hint(context, source, target),
    )


def _link_hint(context: CheckContext, source: str, target: str) -> str:
    here = posixpath.dirname(source) or "."
    close = _near_miss(context, target)
    if close:
        return f"did you mean '{posixpath.relpath(close, here)}'?"
    return f"links are relative to this file's folder ({context.settings.shown(here)}/)"


def _near_miss(context: CheckContext, target: str) -> str | None:
    """A suggestion for a missing ``target``, worked out once per target.

    Hundreds of missing targets mean files moved wholesale: typo suggestions would be noise
    there, and each one compares names, so only the first ``MAX_SUGGESTIONS`` get one.
    """
    memo = context.near_misses
    if target not in memo:
        if len(memo) >= MAX_SUGGESTIONS:
            return None
        memo[target] = _closest(context, target)
    return memo[target]


def _closest(context: CheckContext, target: str) -> str | None:
    """An existing path one typo away from ``target``: in its folder, or a similar folder."""
    folder, name = posixpath.split(target)
    if folder and folder not in context.folders:
        similar = difflib.get_close_matches(folder, context.folders, n=1, cutoff=0.8)
        return posixpath.join(similar[0], name) if similar else None
    similar = difflib.get_close_matches(name, context.names.get(folder, []), n=1, cutoff=0.8)
    return posixpath.join(folder, similar[0]) if similar else None


def _exists(context: CheckContext, target: str) -> bool:
    if not target.endswith(".md"):
        return target in context.files
    # mkdocs-static-i18n serves `x.es.md` where a Spanish page links to `x.md`.
    languages = context.settings.languages
    stem = target.removesuffix(".md")
    variants = {target, *(f"{stem}.{lang}.md" for lang in languages)}
    neutral = _key(target, context.settings) + ".md"
    return bool(variants & context.files) or bool({target, neutral} & context.pages)


def _is_folder(context: CheckContext, target: str) -> bool:
    return target in context.folders


def _folder_problem(context: CheckContext, source: str, link: Link, target: str) -> Problem:
    index = posixpath.join(target, "index.md") if target else "index.md"
    if not _exists(context, index):
        return Problem(
            source,
            1,
            link.kind.value,
            f"'{link.target}' does not exist",
            hint="the folder has no index.md; link one of its pages",
        )
    written = link.path.rstrip("/")
    suggestion = f"{written}/index.md" if written else "index.md"
    return Problem(
        source,
        1,
        link.kind.value,
        f"'{link.target}' links to a folder",
        Severity.WARNING,
        hint=f"link the Markdown file instead, like '{suggestion}'",
    )


# --- translations and reviews --------------------------------------------------------------


def check_translations(context: CheckContext) -> list[Problem]:
    """A translation needs its original in the default language, which readers fall back to."""
    settings = context.settings
    items: list[Article | Post] = [*context.index.articles, *context.index.posts]
    problems = []
    for item in items:
        if item.lang == settings.default_language:
            continue
        original = _key(item.path, settings) + ".md"
        if original not in context.files:
            problems.append(
                Problem(
                    item.path,
                    1,
                    "file",
                    f"is a translation of {settings.shown(original)}, which does not exist",
                    Severity.WARNING,
                    hint=f"add {settings.shown(original)} in '{settings.default_language}'"
                    " or rename this file to match its original",
                )
            )
    return problems


def check_reviews(context: CheckContext) -> list[Problem]:
    """Articles past their review date are stale: the advice may no longer be true."""
    problems = []
    for article in context.index.articles:
        status = review_status(article.meta, context.today)
        if status.stale and status.reviewed and status.due:
            problems.append(
                Problem(
                    article.path,
                    article.document.line_of("reviewed"),
                    "reviewed",
                    f"last reviewed {status.reviewed.isoformat()}, due {status.due.isoformat()}"
                    f" (every {article.meta.review_every})",
                    Severity.WARNING,
                    hint="check the article is still right, then set 'reviewed' to today's date",
                )
            )
    return problems


# --- questions -----------------------------------------------------------------------------


def check_faq_questions(context: CheckContext) -> list[Problem]:
    """An FAQ answers one question that customers ask in many ways: search needs a few."""
    return [
        Problem(
            article.path,
            article.document.line_of("type"),
            "questions",
            "this FAQ has no other ways people ask it",
            Severity.WARNING,
            hint="add 'questions:' with two or three ways a customer would ask it,"
            " in their words (e.g. 'Can I get my money back?' for a refund)",
        )
        for article in context.index.articles
        if article.is_faq and not article.meta.questions
    ]


def check_notice_translations(context: CheckContext) -> list[Problem]:
    """A notice's translations must be in the site's other languages (else never shown)."""
    settings = context.settings
    others = [lang for lang in settings.languages if lang != settings.default_language]
    listed = ", ".join(others) or "none: the site has one language"
    return [
        Problem(
            post.path,
            post.document.line_of("notice"),
            f"notice.translations.{lang}",
            f"'{lang}' is not one of the site's other languages",
            hint=_did_you_mean(lang, others, f"use one of: {listed}"),
        )
        for post in context.index.posts
        if post.meta.notice is not None
        for lang in post.meta.notice.translations
        if lang not in others
    ]


CHECKS: tuple[Check, ...] = (
    check_scaffold_text,
    check_owners,
    check_post_authors,
    check_post_categories,
    check_category_folders,
    check_duplicate_slugs,
    check_duplicate_titles,
    check_related,
    check_links,
    check_translations,
    check_reviews,
    check_faq_questions,
    check_notice_translations,
)

# What a build checks besides MkDocs: links are MkDocs' own to validate, and translation and
# review reminders belong to `carebase check`, not to a failed deploy.
BUILD_CHECKS: tuple[Check, ...] = (
    check_scaffold_text,
    check_owners,
    check_post_authors,
    check_post_categories,
    check_category_folders,
    check_duplicate_slugs,
    check_related,
    check_notice_translations,
)
