"""Workarounds for third-party plugins that break when static-i18n builds once per language.

Keep Material's blog whole under mkdocs-static-i18n.

static-i18n (priority -100) rebuilds the file list after Material's blog (priority -50) has
resolved its posts and generated its archive, category and author views: it copies each post
into a new ``File`` that has lost the blog's ``Post`` page and carries the blog's temporary
exclusion, and it drops the generated views outright ("Unhandled file case"), so a
multilingual site is built without posts, archive or author pages. Run after static-i18n,
this puts the blog's own files back; static-i18n's ``on_nav`` then moves them under
``/<lang>/`` as it does for the rest of the blog.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files


def restore_blog_files(files: Files, config: MkDocsConfig) -> None:
    """Swap static-i18n's copies of blog files for the blog's originals; re-add its views."""
    plugin = config.plugins.get("material/blog") or config.plugins.get("blog")
    if (
        config.plugins.get("i18n") is None
        or plugin is None
        or getattr(plugin, "blog", None) is None
    ):
        return
    present = {file.src_uri: file for file in files}
    for original in _blog_files(plugin.blog):
        copy = present.get(original.src_uri)
        if copy is not None and copy is not original:
            files.remove(copy)
            files.append(original)
        elif copy is None and not _in_docs_dir(original, config):
            files.append(original)


def _in_docs_dir(file: File, config: MkDocsConfig) -> bool:
    """Whether a file was written by an author; the blog writes its views to a temp folder."""
    source = file.abs_src_path
    return source is not None and os.path.commonpath([source, config.docs_dir]) == config.docs_dir


def _blog_files(view: Any) -> Iterator[File]:
    """The entrypoint, every post, and every generated view and page of the blog."""
    yield view.file
    for post in getattr(view, "posts", []):
        yield post.file
    for page in getattr(view, "pages", []):
        if page is not view:
            yield page.file
    for child in getattr(view, "views", []):
        yield from _blog_files(child)


class _RestoredBlogFiles(logging.Filter):
    """Drops static-i18n's warning about blog views that :func:`restore_blog_files` re-adds."""

    def __init__(self, blog_dir: str) -> None:
        super().__init__()
        self.prefix = f"Unhandled file case - {blog_dir}/"

    def filter(self, record: logging.LogRecord) -> bool:
        return self.prefix not in record.getMessage()


def quiet_restored_blog_warnings(blog_dir: str) -> None:
    """Silence static-i18n's "Unhandled file case" for the blog, once per process."""
    # ProperDocs names the loggers of the same plugins after itself.
    for engine_name in ("mkdocs", "properdocs"):
        logger = logging.getLogger(f"{engine_name}.plugins.mkdocs_static_i18n.reconfigure")
        if not any(isinstance(f, _RestoredBlogFiles) for f in logger.filters):
            logger.addFilter(_RestoredBlogFiles(blog_dir))


def reset_rss_default_time(config: MkDocsConfig) -> None:
    """Undo mkdocs-rss-plugin's in-place parse of ``default_time`` before it parses again.

    The RSS plugin turns the option's string into a datetime in ``on_config``; static-i18n
    calls ``on_config`` once per language, and the second parse warns, failing ``--strict``.
    """
    plugin = config.plugins.get("rss")
    options = getattr(getattr(plugin, "config", None), "date_from_meta", None)
    value = getattr(options, "default_time", None)
    if isinstance(value, datetime):
        options.default_time = value.strftime("%H:%M")  # type: ignore[union-attr]


def feed_default_language_only(config: MkDocsConfig, lang: str, default: str) -> None:
    """Let mkdocs-rss-plugin see only the default language's pass of the build.

    It keeps the pages of every pass and rewrites the feed after each, so under static-i18n
    the feed listed every post three times (once per language, with /es/ and /de/ links).
    """
    plugin = config.plugins.get("rss")
    if plugin is None:
        return
    if not hasattr(plugin, "_carebase_enabled"):
        plugin._carebase_enabled = bool(plugin.config.enabled)
    plugin.config.enabled = plugin._carebase_enabled and lang == default


class _DeliberatelyExcluded(logging.Filter):
    """Drops MkDocs' note on links to excluded pages when Carebase excluded them on purpose.

    Untranslated articles in another language's pass, and the other process's share of a
    two-process build, are excluded from rendering but are real pages: links to them are fine,
    and at 20,000 articles the note would be printed tens of thousands of times.
    """

    _TARGET = re.compile(r"contains a link to '(?P<target>[^']+)' which is excluded")

    def __init__(self) -> None:
        super().__init__()
        self.targets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        match = self._TARGET.search(record.getMessage())
        return not (match and match["target"] in self.targets)


DELIBERATELY_EXCLUDED = _DeliberatelyExcluded()


def quiet_deliberate_exclusions(src_uris: set[str]) -> None:
    """Note that links to these excluded files need no mention."""
    DELIBERATELY_EXCLUDED.targets.update(src_uris)
    for engine_name in ("mkdocs", "properdocs"):
        logger = logging.getLogger(f"{engine_name}.structure.pages")
        if DELIBERATELY_EXCLUDED not in logger.filters:
            logger.addFilter(DELIBERATELY_EXCLUDED)
