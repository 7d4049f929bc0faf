"""The content model: every article, FAQ and post of a help centre, read and validated.

:func:`load_content` walks a docs folder once and returns a :class:`ContentIndex`; problems
in single files are collected, never raised, so a check reports all of them at once.
"""

from __future__ import annotations

import os
import pickle
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from carebase.datafiles import load_authors, load_categories
from carebase.documents import Document, load_document
from carebase.errors import Problem, Severity
from carebase.importers.store import load_redirects
from carebase.languages import split_language
from carebase.models import ArticleMeta, ArticleType, Author, Category, PostMeta
from carebase.paths import Tree, walk
from carebase.search.synonyms import load_synonyms
from carebase.settings import ContentSettings
from carebase.templates import template_problems
from carebase.validation import unknown_fields, validate

# Front-matter fields MkDocs and Material read themselves; valid on any page.
ENGINE_FIELDS = frozenset(
    {"template", "hide", "icon", "status", "search", "comments", "subtitle", "social"}
)
POST_ENGINE_FIELDS = ENGINE_FIELDS | {"readtime", "pin", "links"}
PARALLEL_READ_MIN = 2000
"""Fewest Markdown files worth a second process to read."""
RESERVED_SLUGS = re.compile(r"^(index|faq|faq-\d+|page)$")
_ARTICLE_FIELDS = frozenset(ArticleMeta.model_fields) | ENGINE_FIELDS
_POST_FIELDS = frozenset(PostMeta.model_fields) | POST_ENGINE_FIELDS


@dataclass
class Article:
    """A knowledge-base article or FAQ in one language."""

    path: str
    lang: str
    category: str
    slug: str
    title: str
    meta: ArticleMeta
    document: Document

    key: str = field(init=False)
    """Language-neutral identity: ``kb/billing/refunds`` for every translation."""

    def __post_init__(self) -> None:
        # Read for every link, listing and related article: computed once.
        self.key = f"{self.path.rsplit('/', 1)[0]}/{self.slug}"

    @property
    def is_faq(self) -> bool:
        """Whether this is a short question and answer."""
        return self.meta.type is ArticleType.FAQ


@dataclass
class Post:
    """A staff blog post in one language."""

    path: str
    lang: str
    title: str
    meta: PostMeta
    document: Document


@dataclass
class ContentIndex:
    """Everything read from a content tree, with the problems found in single files."""

    settings: ContentSettings
    categories: dict[str, Category] = field(default_factory=dict)
    authors: dict[str, Author] = field(default_factory=dict)
    articles: list[Article] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    """Every file the site publishes from the docs folder (none hidden), sorted, POSIX."""
    rejected: list[Document] = field(default_factory=list)
    """Articles and posts not published because their front matter is invalid: checks
    across files read them too, so a writer sees every problem of a file at once."""
    _by_category: dict[tuple[str, int], dict[str, list[Article]]] = field(
        default_factory=dict, repr=False
    )

    @property
    def article_documents(self) -> list[Document]:
        """The file of every article, with those whose front matter is invalid."""
        posts = f"{self.settings.posts_dir}/"
        rejected = [doc for doc in self.rejected if not doc.path.startswith(posts)]
        return [article.document for article in self.articles] + rejected

    @property
    def post_documents(self) -> list[Document]:
        """The file of every post, with those whose front matter is invalid."""
        posts = f"{self.settings.posts_dir}/"
        rejected = [doc for doc in self.rejected if doc.path.startswith(posts)]
        return [post.document for post in self.posts] + rejected

    def articles_in(self, lang: str) -> list[Article]:
        """Articles written in ``lang`` (not counting fallbacks)."""
        return [article for article in self.articles if article.lang == lang]

    def by_category(self, lang: str) -> dict[str, list[Article]]:
        """Articles readable in ``lang`` per category: translations, else the default."""
        # Every listing page asks; the answer changes only when articles are added.
        memo_key = (lang, len(self.articles))
        if memo_key not in self._by_category:
            grouped: dict[str, list[Article]] = defaultdict(list)
            for article in self.readable_in(lang):
                grouped[article.category].append(article)
            self._by_category[memo_key] = grouped
        return self._by_category[memo_key]

    def readable_in(self, lang: str) -> list[Article]:
        """One article per key: its ``lang`` translation if any, else the default language."""
        chosen: dict[str, Article] = {}
        default = self.settings.default_language
        for article in self.articles:
            if article.lang == lang or (article.lang == default and article.key not in chosen):
                chosen[article.key] = article
        return list(chosen.values())

    @property
    def errors(self) -> list[Problem]:
        """Problems that must fail a check or a build."""
        return [p for p in self.problems if p.severity is Severity.ERROR]


def load_content(settings: ContentSettings, workers: int = 1) -> ContentIndex:
    """Read every content file below ``settings.docs_dir`` into a :class:`ContentIndex`
    (``workers``: processes reading files, see :func:`read_files`)."""
    index = ContentIndex(settings)
    docs = settings.docs_dir
    index.categories, problems = load_categories(
        docs / settings.categories_file, settings.categories_file
    )
    index.problems.extend(problems)
    index.authors, problems = load_authors(docs / settings.authors_file, settings.authors_file)
    index.problems.extend(problems)
    index.problems.extend(load_redirects(docs)[1])
    index.problems.extend(load_synonyms(docs, settings.languages)[1])
    tree = published_tree(settings, index.problems)
    index.files = [rel for rel in tree.files if not _is_hidden(rel)]
    markdown = [rel for rel in index.files if rel.endswith(".md")]
    for loaded in read_files(settings, markdown, workers):
        _add_file(index, loaded)
    return index


@dataclass
class _Loaded:
    """What reading one Markdown file gave: an article, a post, or a page; its problems."""

    rel: str
    article: Article | None = None
    post: Post | None = None
    problems: list[Problem] = field(default_factory=list)
    rejected: Document | None = None
    """An article or post whose front matter is invalid (its problems say why)."""


def read_files(settings: ContentSettings, files: list[str], workers: int) -> list[_Loaded]:
    """Read ``files`` (in that order); with ``workers`` > 1, a forked process reads every
    other file of a large site and hands them back pickled (parsing front matter is most of
    a build's start)."""
    if workers < 2 or len(files) < PARALLEL_READ_MIN or not hasattr(os, "fork"):
        return [_read_file(settings, rel) for rel in files]
    theirs = files[1::2]
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is the parent's result
        os.close(read_fd)
        _read_in_child(settings, theirs, write_fd)
    os.close(write_fd)
    ours = [_read_file(settings, rel) for rel in files[0::2]]
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        # The child could not say: read its share here (slower, same result).
        other = [_read_file(settings, rel) for rel in theirs]
    else:
        other = pickle.loads(data)
    merged: list[_Loaded] = []
    for number in range(len(files)):
        merged.append(ours[number // 2] if number % 2 == 0 else other[number // 2])
    return merged


def _read_in_child(settings: ContentSettings, files: list[str], fd: int) -> None:
    code = 0
    try:
        data = pickle.dumps([_read_file(settings, rel) for rel in files])
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)
    except BaseException:
        code = 1
    os._exit(code)


def _read_file(settings: ContentSettings, rel: str) -> _Loaded:
    path = settings.docs_dir / rel
    parts = rel.split("/")
    is_article = parts[0] == settings.kb_dir and len(parts) >= 3
    is_post = rel.startswith(settings.posts_dir + "/")
    loaded = _Loaded(rel)
    document, loaded.problems = load_document(path, rel)
    if document is None:
        return loaded
    if is_article:
        loaded.article, problems = article_from(document, settings)
    elif is_post:
        loaded.post, problems = post_from(document, settings)
    else:
        problems = []
    loaded.problems.extend(problems)
    if (is_article or is_post) and loaded.article is None and loaded.post is None:
        loaded.rejected = document
    loaded.problems.extend(template_problems(document, settings.template_dirs))
    return loaded


def _add_file(index: ContentIndex, loaded: _Loaded) -> None:
    if loaded.article is not None:
        index.articles.append(loaded.article)
    if loaded.post is not None:
        index.posts.append(loaded.post)
    if loaded.rejected is not None:
        index.rejected.append(loaded.rejected)
    index.problems.extend(loaded.problems)


def published_tree(settings: ContentSettings, problems: list[Problem]) -> Tree:
    """The files of the docs folder; symlinks leaving the project (there or in the theme,
    whose files are published too) are not followed but added to ``problems``."""
    root = settings.project_root
    tree = walk(settings.docs_dir, root)
    problems.extend(tree.problems())
    theme = settings.theme_dir
    if theme is not None and theme.is_dir():
        # Problems name files relative to the docs folder, the theme's too (``../theme/x``).
        prefix = f"{Path(os.path.relpath(theme, settings.docs_dir)).as_posix()}/"
        problems.extend(walk(theme, root).problems(prefix))
    return tree


def load_posts(settings: ContentSettings) -> tuple[list[Post], list[Problem]]:
    """Read only the blog posts: what notices and feeds need, without the knowledge base."""
    posts: list[Post] = []
    problems: list[Problem] = []
    folder = settings.docs_dir / settings.posts_dir
    tree = walk(folder, settings.project_root)  # Symlinks leaving the project: not read.
    for rel in (f"{settings.posts_dir}/{name}" for name in tree.files):
        if _is_hidden(rel) or not rel.endswith(".md"):
            continue
        post, found = read_post(settings.docs_dir / rel, rel, settings)
        problems.extend(found)
        if post is not None:
            posts.append(post)
    return posts, problems


def _is_hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def read_article(
    path: Path, rel: str, settings: ContentSettings
) -> tuple[Article | None, list[Problem]]:
    """Read one article; None with the reasons when it cannot be used."""
    document, problems = load_document(path, rel)
    if document is None:
        return None, problems
    article, found = article_from(document, settings)
    return article, problems + found


def article_from(
    document: Document, settings: ContentSettings
) -> tuple[Article | None, list[Problem]]:
    """The article a parsed file holds; None with the reasons when it cannot be used."""
    rel = document.path
    meta, problems = validate(ArticleMeta, document.meta, rel, document.line_of)
    problems += unknown_fields(document.meta, _ARTICLE_FIELDS, rel, document.line_of)
    problems += _name_problems(document, settings)
    title = _title(document, meta.title if meta else None, problems)
    if meta is None or title is None:
        return None, problems
    parts = rel.split("/")
    name = split_language(parts[-1], settings.languages)
    return Article(rel, name.lang, parts[1], name.stem, title, meta, document), problems


def read_post(path: Path, rel: str, settings: ContentSettings) -> tuple[Post | None, list[Problem]]:
    """Read one blog post; None with the reasons when it cannot be used."""
    document, problems = load_document(path, rel)
    if document is None:
        return None, problems
    post, found = post_from(document, settings)
    return post, problems + found


def post_from(document: Document, settings: ContentSettings) -> tuple[Post | None, list[Problem]]:
    """The post a parsed file holds; None with the reasons when it cannot be used."""
    rel = document.path
    meta, problems = validate(PostMeta, document.meta, rel, document.line_of)
    problems += unknown_fields(document.meta, _POST_FIELDS, rel, document.line_of)
    title = _title(document, meta.title if meta else None, problems)
    if meta is None or title is None:
        return None, problems
    name = split_language(rel.rsplit("/", 1)[-1], settings.languages)
    return Post(rel, name.lang, title, meta, document), problems


def _title(document: Document, declared: str | None, problems: list[Problem]) -> str | None:
    """The declared title or the first H1; reports a missing one unless already reported."""
    title = declared or document.h1
    if title is None and "title" not in document.meta:
        problems.append(
            Problem(
                document.path,
                1,
                "title",
                "is missing",
                hint="add 'title: …' to the front matter or start the text with '# Title'",
            )
        )
    return title


def _name_problems(document: Document, settings: ContentSettings) -> list[Problem]:
    name = split_language(document.path.rsplit("/", 1)[-1], settings.languages)
    if RESERVED_SLUGS.match(name.stem):
        return [
            Problem(
                document.path,
                1,
                "file",
                f"'{name.stem}' is reserved for the generated category pages",
                hint="rename the file",
            )
        ]
    if name.stem != name.stem.lower() or " " in name.stem:
        return [
            Problem(
                document.path,
                1,
                "file",
                "the file name becomes the URL and must be lowercase with hyphens",
                Severity.WARNING,
                hint=f"rename it to '{name.stem.lower().replace(' ', '-')}.md'",
            )
        ]
    return []
