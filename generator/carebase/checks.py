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
from carebase.errors import Problem, Severity
from carebase.freshness import review_status
from carebase.languages import split_language
from carebase.links import Link, find_links, resolve
from carebase.pages import faq_uri, landing_uri
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
    """An article's ``owner`` must be an author of the authors file."""
    problems = []
    for article in context.index.articles:
        owner = article.meta.owner
        if owner is not None and owner not in context.index.authors:
            line = article.document.line_of("owner")
            problems.append(_unknown_author(context, article.path, "owner", owner, line))
    return problems


def check_post_authors(context: CheckContext) -> list[Problem]:
    """Every author of a post must be in the authors file."""
    return [
        _unknown_author(context, post.path, "authors", author, post.document.line_of("authors"))
        for post in context.index.posts
        for author in post.meta.authors
        if author not in context.index.authors
    ]


def _unknown_author(context: CheckContext, path: str, field: str, who: str, line: int) -> Problem:
    authors_file = context.settings.authors_file
    known = context.index.authors
    hint = _did_you_mean(who, known, f"add '{who}' to {authors_file}")
    return Problem(path, line, field, f"'{who}' is not an author in {authors_file}", hint=hint)


# --- categories ----------------------------------------------------------------------------


def check_post_categories(context: CheckContext) -> list[Problem]:
    """Post categories must be among the blog plugin's ``categories_allowed``, when set."""
    allowed = context.settings.blog_categories
    if not allowed:
        return []
    listed = ", ".join(allowed)
    return [
        Problem(
            post.path,
            post.document.line_of("categories"),
            "categories",
            f"'{category}' is not an allowed blog category",
            hint=_did_you_mean(category, allowed, f"use one of: {listed}"),
        )
        for post in context.index.posts
        for category in post.meta.categories
        if category not in allowed
    ]


def check_category_folders(context: CheckContext) -> list[Problem]:
    """Every article's folder under ``kb/`` must be described in the categories file."""
    categories_file = context.settings.categories_file
    if _broken(context.index, categories_file):
        return []  # The file itself is reported; every article would repeat the same news.
    return [
        Problem(
            article.path,
            1,
            "category",
            f"'{article.category}' is not a category in {categories_file}",
            hint=f"add it to {categories_file}"
            + _or_rename(article.category, context.index.categories),
        )
        for article in context.index.articles
        if article.category not in context.index.categories
    ]


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
            f"the slug '{article.slug}' is also used by {first.path}",
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
            f"'{article.title}' is also the title of {first.path}",
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
            hint=f"write the path of an article relative to {posixpath.dirname(article.path)}/,"
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
    documents = [a.document for a in index.articles] + [p.document for p in index.posts]
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
            source, 1, link.kind.value, f"'{link.target}' points outside the docs folder"
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
    return f"links are relative to this file's folder ({here}/)"


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
        return Problem(source, 1, link.kind.value, f"'{link.target}' does not exist")
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
                    f"is a translation of {original}, which does not exist",
                    Severity.WARNING,
                    hint=f"add {original} in '{settings.default_language}'"
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
    check_notice_translations,
)

# What a build checks besides MkDocs: links are MkDocs' own to validate, and translation and
# review reminders belong to `carebase check`, not to a failed deploy.
BUILD_CHECKS: tuple[Check, ...] = (
    check_owners,
    check_post_authors,
    check_post_categories,
    check_category_folders,
    check_duplicate_slugs,
    check_related,
    check_notice_translations,
)
