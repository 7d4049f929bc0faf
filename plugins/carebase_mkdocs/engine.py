"""What the adapters need to know about the build they run in (languages, files, errors)."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from carebase.deploy import places
from carebase.errors import Problem, Severity
from carebase.paths import PathEscapeError, check_folder, inside, inside_absolute
from carebase.settings import ContentSettings


def languages(config: MkDocsConfig) -> tuple[str, ...]:
    """The site's languages from mkdocs-static-i18n, default first; the theme's alone without."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return (str(config.theme.get("language") or "en"),)
    entries = [lang for lang in i18n.config.languages if lang.build]
    entries.sort(key=lambda lang: not lang.default)
    return tuple(str(lang.locale) for lang in entries)


def current_language(config: MkDocsConfig) -> str:
    """The language this pass of the build renders (static-i18n builds one after another)."""
    i18n = config.plugins.get("i18n")
    current = getattr(i18n, "current_language", None) if i18n is not None else None
    return str(current) if current else languages(config)[0]


def language_folder(config: MkDocsConfig) -> str:
    """Where this pass's pages go under the site root: ``es/``; nothing for the first language."""
    return folder_of(current_language(config), languages(config)[0])


def folder_of(lang: str, default: str) -> str:
    """Where ``lang``'s pages go under the site root: ``es/``; nothing for ``default``."""
    return "" if lang == default else f"{lang}/"


def localised_url(key: str, lang: str, default: str, use_directory_urls: bool) -> str:
    """The URL, from the site root, of page ``key`` (``kb/billing/refunds``) in ``lang``."""
    prefix = folder_of(lang, default)
    return f"{prefix}{key}/" if use_directory_urls else f"{prefix}{key}.html"


def site_complete(config: MkDocsConfig) -> bool:
    """In ``on_post_build`` after static-i18n's (-100): whether every language is now built.

    static-i18n builds the other languages inside the default language's ``on_post_build``,
    flagged ``building`` while it does; it is the outermost pass that ends last.
    """
    i18n = config.plugins.get("i18n")
    return i18n is None or not getattr(i18n, "building", False)


def language_name(config: MkDocsConfig, lang: str) -> str:
    """The display name of a language, as configured for the language switcher."""
    i18n = config.plugins.get("i18n")
    for entry in i18n.config.languages if i18n is not None else []:
        if entry.locale == lang:
            return str(entry.name)
    return lang


def blog_dir(config: MkDocsConfig) -> str:
    """Where Material's blog plugin keeps the blog (``blog`` unless configured)."""
    for name in ("material/blog", "blog"):
        plugin = config.plugins.get(name)
        if plugin is not None:
            return str(plugin.config.blog_dir)
    return "blog"


def has_blog(config: MkDocsConfig) -> bool:
    """Whether Material's blog plugin is enabled."""
    return config.plugins.get("material/blog") is not None or config.plugins.get("blog") is not None


def content_settings(
    config: MkDocsConfig, kb_dir: str = "kb", categories_file: str = "kb/.categories.yml"
) -> ContentSettings:
    """The core's view of this site's content layout."""
    blog = blog_dir(config)
    blog_plugin = config.plugins.get("material/blog") or config.plugins.get("blog")
    allowed = tuple(blog_plugin.config.categories_allowed) if blog_plugin is not None else ()
    return ContentSettings(
        docs_dir=Path(config.docs_dir),
        languages=languages(config),
        kb_dir=kb_dir,
        blog_dir=blog,
        blog_categories=allowed,
        categories_file=categories_file,
        authors_file=f"{blog}/.authors.yml",
        root=project_root(config),
        theme_dir=Path(config.theme.custom_dir) if config.theme.custom_dir else None,
        template_dirs=tuple(Path(folder) for folder in config.theme.dirs),
    )


def project_root(config: MkDocsConfig) -> Path:
    """The folder of ``mkdocs.yml``: nothing outside it may be published."""
    if config.config_file_path:
        return Path(config.config_file_path).resolve().parent
    return Path(config.docs_dir).resolve().parent


def check_folders(config: MkDocsConfig) -> None:
    """Refuse ``docs_dir`` or the theme's ``custom_dir`` outside the project folder."""
    root = project_root(config)
    try:
        check_folder(root, Path(config.docs_dir), "mkdocs.yml: docs_dir")
        if config.theme.custom_dir:
            check_folder(root, Path(config.theme.custom_dir), "mkdocs.yml: theme.custom_dir")
    except PathEscapeError as exc:
        raise PluginError(str(exc)) from exc


def check_site_dir(config: MkDocsConfig) -> None:
    """Refuse a ``site_dir`` the build must not empty (a home folder, the project, a folder
    of other files): MkDocs deletes what it holds before it writes the site."""
    try:
        places.check_site_dir(
            Path(config.site_dir), project=project_root(config), content=Path(config.docs_dir)
        )
    except places.PlaceError as exc:
        raise PluginError(str(exc)) from exc


def guarded(root: str, relative: str, where: str) -> str:
    """``root/relative``; a PluginError starting with ``where`` if it would leave ``root``."""
    try:
        return str(inside(root, relative))
    except PathEscapeError as exc:
        raise PluginError(f"{where}: {exc}") from exc


def check_destinations(files: Files, site_dir: str) -> None:
    """Refuse a build that would write any file outside ``site_dir``, before anything is.

    Destinations come from file names, a post's ``slug``, the blog's URL formats and other
    plugins: checked once they are all known, whoever computed them.
    """
    for file in files:
        try:
            inside_absolute(site_dir, file.abs_dest_path)
        except PathEscapeError as exc:
            raise PluginError(f"{file.src_uri}: would be written outside the site: {exc}") from exc


def report(
    problems: list[Problem],
    log: logging.Logger | logging.LoggerAdapter[Any],
    settings: ContentSettings,
) -> None:
    """Log warnings (``--strict`` fails on them) and raise one PluginError for all errors;
    paths relative to the project folder, as ``carebase check`` prints them."""
    shown = [replace(problem, path=settings.shown(problem.path)) for problem in problems]
    errors = [p for p in shown if p.severity is Severity.ERROR]
    for problem in shown:
        if problem.severity is Severity.WARNING:
            log.warning(problem.format())
    if errors:
        listing = "\n".join(p.format() for p in sorted(errors))
        raise PluginError(f"{len(errors)} content error(s); run 'carebase check':\n{listing}")


def localise_file(file: File, lang: str, default: str, alternates: dict[str, Any]) -> None:
    """Give a generated file the language attributes static-i18n gives the files it selects.

    Generated files are added after static-i18n chose this language's files, so they are
    written under ``/<lang>/`` here and carry their alternates for the language switcher.
    """
    if lang != default:
        file.dest_uri = f"{lang}/{file.dest_uri}"
    file.locale = lang  # type: ignore[attr-defined]
    file.localization = None if lang == default else lang  # type: ignore[attr-defined]
    file.locale_alternate_of = lang  # type: ignore[attr-defined]
    file.norm_src_uri = file.src_uri  # type: ignore[attr-defined]
    file.alternates = alternates  # type: ignore[attr-defined]


def site_path(config: MkDocsConfig) -> str:
    """The site's path on its host (``/`` or ``/help/``): pages served at any address (the
    "page not found" page) link from there."""
    path = urlsplit(config.site_url or "/").path or "/"
    return path if path.endswith("/") else f"{path}/"
