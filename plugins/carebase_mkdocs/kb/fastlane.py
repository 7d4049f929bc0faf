"""MkDocs side of the fast lane: article pages rendered by Carebase, outside MkDocs' page loop.

MkDocs, static-i18n and Material spend ≈ 7 ms of CPU on each article page. Here:

- ``take`` removes the articles the fast lane renders from MkDocs' files before static-i18n
  sees them (its per-file work is linear in every language pass); ``give_back`` puts them back
  after it, excluded from rendering, with this language's address, so every link, listing and
  related-article box of the pass resolves them as before.
- ``prepare`` has the theme render one sentinel page per kind of article page, through the
  real template and every plugin's page context, and cuts it into a skeleton
  (:mod:`carebase.render.skeleton`); the parts that differ per page (the text with its header
  and footer, the table of contents) are rendered by the theme's own partials.
- ``start`` renders the pass's articles in a forked process while MkDocs renders the other
  pages; ``finish`` waits for it and logs what it found (broken links, as MkDocs words them).

Articles the fast lane cannot render exactly as MkDocs would (see :func:`slow_lane_reason`)
stay in MkDocs' loop, with every language version of them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import logging
import multiprocessing
import os
import pickle
import re
import signal
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urljoin

from jinja2 import DictLoader, Environment, pass_context
from jinja2.loaders import ChoiceLoader
from jinja2.runtime import Context
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils.templates import TemplateContext

from carebase.content import ENGINE_FIELDS, Article, ContentIndex, read_article
from carebase.errors import DEBUG_ENV
from carebase.render import markdown as dialect
from carebase.render.page import (
    FIELD_CONTENT,
    FIELD_DESCRIPTION,
    FIELD_PATH,
    FIELD_SKIP,
    FIELD_TITLE,
    FIELD_TOC,
    ArticleView,
    PageKind,
    TocView,
    page_kind,
)
from carebase.render.skeleton import MARKER_PREFIX, Skeleton, SkeletonError, changed_characters
from carebase.render.writer import PageWriter, assemble
from carebase.settings import ContentSettings
from carebase_mkdocs import compat, engine
from carebase_mkdocs.failure import describe
from carebase_mkdocs.parallel import Collect, all_handlers

log = get_plugin_logger("carebase-kb")

_UNSAFE_TEXT = re.compile(r"[<>&]|\s\s|[\t\n\r]")
"""Title or description characters some theme placements change (tags, entities, spaces)."""
_COPIED = ("'", '"')
"""Characters the theme must copy unchanged wherever it shows a title or description."""
_MARKERS = {
    FIELD_TITLE: f"{MARKER_PREFIX}title",
    FIELD_DESCRIPTION: f"{MARKER_PREFIX}description",
    FIELD_SKIP: f"{MARKER_PREFIX}skip",
    FIELD_TOC: f"{MARKER_PREFIX}tocpartial",
    FIELD_CONTENT: f"{MARKER_PREFIX}contentpartial",
}
_PARTIALS = {FIELD_TOC: "partials/toc.html", FIELD_CONTENT: "partials/content.html"}
_KNOWN_PAGE_PLUGINS = (
    "carebase_mkdocs.",
    "mkdocs_static_i18n.",
    "material.plugins.blog.",
    "mkdocs_rss_plugin.",
)
"""Plugins whose page events leave an article page as the fast lane renders it."""
_PAGE_EVENTS = ("page_read_source", "page_markdown", "page_content", "post_page")
_CHUNK = 32
"""Articles a child process takes at a time."""


def slow_lane_reason(article: Article) -> str | None:
    """Why MkDocs must render this article itself, or None when the fast lane renders it."""
    engine_fields = ENGINE_FIELDS & article.document.meta.keys()
    if engine_fields:
        return f"front matter {', '.join(sorted(engine_fields))}"
    for name, text in (("title", article.title), ("description", article.meta.description)):
        if text and _UNSAFE_TEXT.search(text):
            return f"{name} with <, >, & or runs of spaces"
    return dialect.slow_lane_reason(engine_markdown(article))


def engine_markdown(article: Article) -> str:
    """The article's Markdown as MkDocs reads it: the body without its leading blank lines."""
    return article.document.body.lstrip("\n")


def unsupported_plugins(config: MkDocsConfig) -> list[str]:
    """Plugins and Markdown settings acting on pages in ways the fast lane does not reproduce."""
    found = []
    for event in _PAGE_EVENTS:
        for method in config.plugins.events[event]:
            module = getattr(method, "__module__", "") or ""
            if not module.startswith(_KNOWN_PAGE_PLUGINS):
                found.append(f"{module} ({event})")
    setup = dialect.unsupported_setup(config.markdown_extensions, config.mdx_configs)
    if setup:
        found.append(setup)
    i18n = config.plugins.get("i18n")
    language = getattr(i18n, "current_language_config", None)
    if language is not None and getattr(language, "admonition_translations", None):
        found.append("mkdocs_static_i18n (admonition_translations)")
    return sorted(set(found))


@dataclass
class _Job:
    """One article page of a pass: where it goes and what its templates read."""

    article: Article
    file: File


@dataclass
class _Payload:
    records: list[tuple[str, int, str]] = field(default_factory=list)
    error: str = ""


@dataclass
class FastLane:
    """The articles Carebase renders itself in one build, and the pass in progress."""

    articles: dict[str, Article] = field(default_factory=dict)
    """Those articles by source path, every language."""
    taken: dict[str, File] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    settings: ContentSettings | None = None
    jobs: list[_Job] = field(default_factory=list)
    redirects: list[tuple[str, File]] = field(default_factory=list)
    """``(dest_uri, file)``: a redirect to write at ``dest_uri``, to the page of ``file``."""
    sitemap: list[str] = field(default_factory=list)
    """``<url>`` entries of the pages rendered so far, for the sitemap."""
    _children: list[tuple[int, int]] = field(default_factory=list)
    _renderer: ArticleRenderer | None = None
    _next: Any = None
    _started: float = 0.0
    _work: list[_Job | tuple[str, File]] = field(default_factory=list)
    """How many of ``jobs`` the child processes have taken (shared between them)."""

    # -- choosing --------------------------------------------------------------------------

    def choose(self, index: ContentIndex, config: MkDocsConfig, enabled: bool) -> None:
        """Decide, once per build, which articles the fast lane renders."""
        self.articles, self.sitemap = {}, []
        self.settings = index.settings
        if not enabled:
            return
        unsupported = unsupported_plugins(config)
        if unsupported:
            log.info(
                "every article is rendered by MkDocs: Carebase's page writer does not know "
                f"what {unsupported[0]} does to a page"
            )
            return
        reasons = self.slow_reasons(index)
        if reasons:
            path, reason = next(iter(sorted(reasons.items())))
            log.info(
                f"{len(reasons)} articles are rendered by MkDocs, outside Carebase's Markdown "
                f"dialect (e.g. {path}: {reason}); see the README's 'Large help centres'"
            )
        by_path = {article.path: article for article in index.articles}
        slow = {by_path[path].key for path in reasons}
        for article in index.articles:
            if article.key not in slow:
                self.articles[article.path] = article

    def slow_reasons(self, index: ContentIndex) -> dict[str, str]:
        """Each article MkDocs renders, with the reason (for ``carebase check`` and the README)."""
        found = {}
        for article in index.articles:
            reason = slow_lane_reason(article)
            if reason:
                found[article.path] = reason
        return found

    # -- files -----------------------------------------------------------------------------

    def take(self, files: Files) -> Files:
        """``files`` without the fast lane's articles (kept for :meth:`give_back`)."""
        self.taken = {}
        if not self.articles:
            return files
        kept = []
        for file in files:
            if file.src_uri in self.articles:
                self.taken[file.src_uri] = file
            else:
                kept.append(file)
        return Files(kept)

    def give_back(
        self, files: Files, languages: tuple[str, ...], lang: str, use_directory_urls: bool
    ) -> None:
        """Put this pass's version of each article back, excluded from MkDocs' rendering.

        Notes the pages to write (:attr:`jobs`) and the redirects (:attr:`redirects`): one
        at this language's address of each article not translated into it, to its one page
        in the default language.
        """
        self.jobs, self.redirects = [], []
        self.languages = languages
        default = languages[0]
        if not self.taken:
            return
        chosen: dict[str, File] = {}
        for src_uri, file in self.taken.items():
            article = self.articles[src_uri]
            if article.lang == lang or (article.lang == default and article.key not in chosen):
                chosen[article.key] = file
        for key, file in chosen.items():
            article = self.articles[file.src_uri]
            _localise(file, key, article.lang, default, use_directory_urls, self.languages)
            file.inclusion = InclusionLevel.EXCLUDED
            files.append(file)
            if article.lang == lang:
                self.jobs.append(_Job(article, file))
            else:
                stub = _localised_dest(key, lang, default, use_directory_urls)
                self.redirects.append((stub, file))
        compat.quiet_deliberate_exclusions(set(self.taken))

    @property
    def rendered(self) -> set[str]:
        """Source paths of the articles this pass renders."""
        return {job.file.src_uri for job in self.jobs}

    # -- rendering ---------------------------------------------------------------------------

    def renderer(
        self, env: Environment, config: MkDocsConfig, files: Files, nav: Navigation, site: Any
    ) -> ArticleRenderer:
        """What renders this pass's article pages (skeletons are cut when first needed)."""
        return ArticleRenderer(env, config, files, nav, site)

    def start(self, renderer: ArticleRenderer, forked: bool) -> None:
        """Render the pass's articles in child processes: one beside MkDocs' own pages when
        ``forked``, joined by a second for what is left once MkDocs is done (:meth:`finish`);
        else all of them after MkDocs' pages, one process at a time.

        Articles are never rendered in this process: page events change shared state
        (static-i18n leaves its language links as the last page had them, which the next
        pass's 404 page shows), and MkDocs' own loop must leave what it alone leaves.
        """
        if not self.jobs and not self.redirects:
            return
        self._record_sitemap(renderer)
        self._renderer = renderer
        renderer.prepare(self.jobs)
        self._started = time.monotonic()
        self._work = [*self.jobs, *self.redirects]
        self._next = multiprocessing.Value("q", 0)
        if forked and hasattr(os, "fork"):
            self._fork(renderer)
            log.info(
                f"Carebase's page writer: {len(self.jobs)} article pages ({renderer.lang}), "
                "beside MkDocs"
            )

    def _fork(self, renderer: ArticleRenderer) -> None:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            self._child(renderer, write_fd)
        os.close(write_fd)
        self._children.append((pid, read_fd))

    def _claim(self) -> list[_Job | tuple[str, File]]:
        """The next few pages or redirects no process has taken yet (none when all are)."""
        with self._next.get_lock():
            begin = self._next.value
            self._next.value = begin + _CHUNK
        return self._work[begin : begin + _CHUNK]

    def _do(self, renderer: ArticleRenderer, work: list[_Job | tuple[str, File]]) -> None:
        made: set[str] = set()
        for item in work:
            if isinstance(item, _Job):
                renderer.write(item)
            else:
                renderer.site.write_redirect(item[0], item[1], made)

    def _child(self, renderer: ArticleRenderer, fd: int) -> None:
        collector = Collect()
        for handler in all_handlers():
            handler.addFilter(collector)
        payload = _Payload()
        code = 0
        try:
            while work := self._claim():
                self._do(renderer, work)
        except BaseException as error:
            told = traceback.format_exc() if os.environ.get(DEBUG_ENV) else describe(error)
            payload.error, code = told, 1
        payload.records = list(collector.kept.values())
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(pickle.dumps(payload))
        os._exit(code)

    def rerender(self, renderer: ArticleRenderer, src_uri: str) -> str | None:
        """Read one article of this pass again and write its page (``serve``'s fast rebuild).

        Returns the page's output path, or None when this pass does not render it.
        """
        job = next((job for job in self.jobs if job.file.src_uri == src_uri), None)
        if job is None or self.settings is None:
            return None
        article, problems = read_article(self.settings.docs_dir / src_uri, src_uri, self.settings)
        if article is None or problems:
            raise PluginError(f"{src_uri}: cannot be read again")
        job.article = article
        renderer.write(job)
        return job.file.dest_uri

    def finish(self) -> None:
        """Render what is left of the pass's articles in one more child process and wait for
        every child; log what they found; fail the build if one failed."""
        renderer, self._renderer = self._renderer, None
        if renderer is None:
            return
        if not hasattr(os, "fork"):
            while work := self._claim():
                self._do(renderer, work)
            return
        if not self._children:
            log.info(f"Carebase's page writer: {len(self.jobs)} article pages ({renderer.lang})")
        waited = time.monotonic()
        self._fork(renderer)
        children, self._children = self._children, []
        payloads = [_wait(pid, fd) for pid, fd in children]
        for payload in payloads:
            for name, level, message in payload.records:
                logging.getLogger(name).log(level, message)
        failed = next((payload.error for payload in payloads if payload.error), "")
        if failed:
            raise PluginError(f"rendering articles failed: {failed}")
        log.debug(
            f"page writer ({renderer.lang}): {len(self.jobs)} pages and {len(self.redirects)} "
            f"redirects in {time.monotonic() - self._started:.1f} s, "
            f"{time.monotonic() - waited:.1f} s of it after MkDocs' own pages"
        )

    def stop(self) -> None:
        """The build failed: stop the child processes."""
        self._renderer = None
        children, self._children = self._children, []
        for pid, fd in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(fd)

    def _record_sitemap(self, renderer: ArticleRenderer) -> None:
        for job in self.jobs:
            self.sitemap.append(renderer.sitemap_entry(job))

    def write_sitemap(self, site_dir: str) -> None:
        """Add the fast lane's pages to the sitemap every language wrote (and its gzip copy)."""
        if not self.sitemap:
            return
        path = os.path.join(site_dir, "sitemap.xml")  # noqa: PTH118
        if not os.path.exists(path):  # noqa: PTH110
            return
        with open(path, encoding="utf-8") as source:  # noqa: PTH123
            text = source.read()
        end = text.rfind("</urlset>")
        if end < 0:
            return
        text = text[:end] + "".join(self.sitemap) + "\n" + text[end:]
        with open(path, "w", encoding="utf-8") as target:  # noqa: PTH123
            target.write(text)
        with (
            open(path + ".gz", "wb") as packed,  # noqa: PTH123
            gzip.GzipFile(fileobj=packed, filename=path, mode="wb", mtime=0) as stream,
        ):
            stream.write(text.encode("utf-8"))


class ArticleRenderer:
    """Renders one language pass's article pages: skeleton, partials, Markdown."""

    def __init__(
        self, env: Environment, config: MkDocsConfig, files: Files, nav: Navigation, site: Any
    ) -> None:
        self.env = env
        self.config = config
        self.files = files
        self.nav = nav
        self.site = site
        self.lang = engine.current_language(config)
        self.languages = engine.languages(config)
        self.default = self.languages[0]
        self.kb_dir = site.config.kb_dir
        self._skeletons: dict[PageKind, Skeleton] = {}
        self._captured: dict[PageKind, dict[str, dict[str, Any]]] = {}
        self._toc = env.get_template(_PARTIALS[FIELD_TOC])
        self._content = env.get_template(_PARTIALS[FIELD_CONTENT])
        self._compact = bool(site.config.compact_html)
        self._writer = PageWriter()

    # -- one page ----------------------------------------------------------------------------

    def render(self, job: _Job) -> str:
        """The HTML page of one article, as MkDocs would write it.

        The page goes through every plugin's page events as in MkDocs' loop (Markdown, HTML,
        context); only reading the file, converting the Markdown and the template differ.
        """
        config, files = self.config, self.files
        # Rendered after all (in a child process): MkDocs words its link warnings as for any
        # rendered page, instead of quietening them as it does for excluded ones.
        job.file.inclusion = InclusionLevel.INCLUDED
        page = Page(None, job.file, config)
        page.meta = dict(job.article.document.meta)
        page.markdown = engine_markdown(job.article)
        page.markdown = config.plugins.on_page_markdown(
            page.markdown, page=page, config=config, files=files
        )
        html, toc, page._title_from_render = self._markdown(page, job)
        page.content = config.plugins.on_page_content(html, page=page, config=config, files=files)
        title = str(page.title)
        view = ArticleView(
            title=title,
            content=page.content or "",
            toc=toc,
            meta=page.meta,
            url=job.file.url,
            canonical_url=page.canonical_url or "",
            edit_url=page.edit_url,
            abs_url=page.abs_url,
        )
        extra = config.plugins.on_page_context(
            cast(TemplateContext, {}), page=page, config=config, nav=self.nav
        )
        description = page.meta.get("description")
        skeleton, captured = self._skeleton(page_kind(job.file.url, toc, description))
        values = {
            FIELD_TITLE: title,
            FIELD_DESCRIPTION: str(description or ""),
            FIELD_PATH: _path_of(job.file.url, self.lang, self.default),
            FIELD_SKIP: toc[0].url.removeprefix("#") if toc else "",
            FIELD_TOC: self._toc.render({**captured[FIELD_TOC], "page": view}),
            FIELD_CONTENT: self._content.render({**captured[FIELD_CONTENT], **extra, "page": view}),
        }
        return assemble(skeleton, values, self._compact)

    def _markdown(self, page: Page, job: _Job) -> tuple[str, tuple[TocView, ...], str | None]:
        """The article's HTML, table of contents and first heading, by Carebase's dialect."""
        rewriter = _RelativePathTreeprocessor(job.file, self.files, self.config)
        rendered = dialect.render(page.markdown or "", rewriter.path_to_url)
        return rendered.html, tuple(_toc_view(h) for h in rendered.toc), rendered.title

    def write(self, job: _Job) -> None:
        """Render one article and write its page where MkDocs would."""
        self._writer.write(job.file.abs_dest_path, self.render(job))

    def sitemap_entry(self, job: _Job) -> str:
        """The page's ``<url>`` in the sitemap, with its address in every language."""
        site_url = self.config.site_url or ""
        key = job.article.key
        use_dirs = self.config.use_directory_urls
        own = urljoin(site_url, job.file.url)
        others = [self.lang, *sorted(lang for lang in self.languages if lang != self.lang)]
        links = "".join(
            f'\n        <xhtml:link rel="alternate" hreflang="{lang}" '
            f'href="{urljoin(site_url, engine.localised_url(key, lang, self.default, use_dirs))}"/>'
            for lang in others
        )
        return (
            f"\n    <url>\n        <loc>{own}</loc>\n        <lastmod>{_build_date()}</lastmod>"
            f"\n        <changefreq>daily</changefreq>{links}\n    </url>"
        )

    # -- skeletons ---------------------------------------------------------------------------

    def prepare(self, jobs: list[_Job]) -> None:
        """Cut, once in this process, the skeletons ``jobs`` may need (children inherit them).

        Whether a page has a table of contents is known only once its Markdown is converted:
        both kinds are cut for each depth and description present. The sentinel renders run
        every plugin's page context event; what those leave in the settings is put back, so
        the rest of the pass sees what MkDocs' own loop leaves.
        """
        wanted = set()
        for job in jobs:
            described = job.article.document.meta.get("description")
            kind = page_kind(job.file.url, (), described)
            wanted |= {kind, dataclasses.replace(kind, has_toc=True)}
        extra = self.config.extra
        # static-i18n sets `config.extra.alternate` as an attribute, not an item.
        items, attributes = dict(extra), dict(vars(extra))
        try:
            for kind in sorted(wanted, key=repr):
                self._skeleton(kind)
        finally:
            vars(extra).clear()
            vars(extra).update(attributes)
            extra.data.clear()
            extra.data.update(items)

    def _skeleton(self, kind: PageKind) -> tuple[Skeleton, dict[str, dict[str, Any]]]:
        if kind not in self._skeletons:
            self._skeletons[kind], self._captured[kind] = self._cut(kind)
        return self._skeletons[kind], self._captured[kind]

    def _cut(self, kind: PageKind) -> tuple[Skeleton, dict[str, dict[str, Any]]]:
        prefix = "" if self.lang == self.default else f"{self.lang}/"
        folders = kind.depth - prefix.count("/") - len(self.kb_dir.split("/"))
        segments = [f"{MARKER_PREFIX}path{i}" for i in range(folders)]
        key = "/".join([self.kb_dir, *segments])
        use_dirs = self.config.use_directory_urls
        captured: dict[str, dict[str, Any]] = {}
        overlay = self._overlay(captured)
        path = engine.localised_url(key, self.default, self.default, use_dirs)
        markers = {**_MARKERS, FIELD_PATH: path}
        src_uri = f"{key}.md"

        def render(values: Mapping[str, str]) -> str:
            return self._sentinel_render(overlay, kind, src_uri, values)

        plain = render(markers)
        partials = dict(captured)  # The partials' variables as the plain page saw them.
        try:
            skeleton = Skeleton.cut(plain, markers, required={FIELD_TITLE, FIELD_CONTENT})
            if not kind.has_description and FIELD_DESCRIPTION in skeleton.fields:
                raise SkeletonError("a page without a description shows one")
        except SkeletonError as exc:
            raise PluginError(f"carebase/kb: fast lane: {exc}") from None
        for name in (FIELD_TITLE, FIELD_DESCRIPTION) if kind.has_description else (FIELD_TITLE,):
            changed = changed_characters(render, markers, name, probes=_COPIED)
            if changed:
                raise PluginError(
                    f"carebase/kb: fast lane: the theme changes {sorted(changed)} in the page "
                    f"{name}\n  hint: set plugins: carebase/kb: fast_lane: false"
                )
        return skeleton, partials

    def _overlay(self, captured: dict[str, dict[str, Any]]) -> Environment:
        sentinels = {
            template: f"{{{{ {MARKER_PREFIX}_capture('{name}') }}}}"
            for name, template in _PARTIALS.items()
        }
        loader = ChoiceLoader([DictLoader(sentinels), self.env.loader])  # type: ignore[list-item]
        overlay = self.env.overlay(loader=loader)

        @pass_context
        def capture(context: Context, name: str) -> str:
            captured[name] = context.get_all()
            return _MARKERS[name]

        self._capture = capture
        return overlay

    def _sentinel_render(
        self, overlay: Environment, kind: PageKind, src_uri: str, values: Mapping[str, str]
    ) -> str:
        file = File.generated(self.config, src_uri, content="")
        alternates = {}
        for lang in self.languages:
            other = File.generated(self.config, src_uri, content="")
            engine.localise_file(other, lang, self.default, {})
            alternates[lang] = other
        engine.localise_file(file, self.lang, self.default, alternates)
        alternates[self.lang] = file
        page = Page(values[FIELD_TITLE], file, self.config)
        page.markdown = ""
        page.meta = {"description": values[FIELD_DESCRIPTION]} if kind.has_description else {}
        page.content = _MARKERS[FIELD_CONTENT]
        if kind.has_toc:
            page.toc = TableOfContents([AnchorLink("heading", values[FIELD_SKIP], 1)])
        context = get_context(self.nav, self.files, self.config, page)
        context = self.config.plugins.on_page_context(
            context, page=page, config=self.config, nav=self.nav
        )
        # An article page: what the page chrome shows differently around articles (the
        # search box's help channels) asks only whether there is one.
        variables = cast(dict[str, Any], context)
        variables["carebase"] = {**variables.get("carebase", {}), "article": {"sentinel": True}}
        context[f"{MARKER_PREFIX}_capture"] = self._capture  # type: ignore[literal-required]
        return overlay.get_template("main.html").render(context)


def _wait(pid: int, fd: int) -> _Payload:
    """What a child process said before it exited."""
    with os.fdopen(fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        return _Payload(error=f"the article renderer exited with status {status} and said nothing")
    payload: _Payload = pickle.loads(data)
    return payload


def _toc_view(heading: dialect.Heading) -> TocView:
    return TocView(
        title=heading.title,
        url=f"#{heading.id}",
        level=heading.level,
        children=tuple(_toc_view(child) for child in heading.children),
    )


def _path_of(url: str, lang: str, default: str) -> str:
    return url.removeprefix(f"{lang}/") if lang != default else url


def _localised_dest(key: str, lang: str, default: str, use_directory_urls: bool) -> str:
    prefix = engine.folder_of(lang, default)
    return f"{prefix}{key}/index.html" if use_directory_urls else f"{prefix}{key}.html"


@dataclass(frozen=True)
class _Alternate:
    """The same article in another language, as static-i18n's language switcher reads it."""

    url: str


def _localise(
    file: File,
    key: str,
    lang: str,
    default: str,
    use_directory_urls: bool,
    languages: tuple[str, ...],
) -> None:
    """Give an article file the address and language attributes static-i18n would give it."""
    dest_uri = _localised_dest(key, lang, default, use_directory_urls)
    file.dest_uri = dest_uri
    file.url = engine.localised_url(key, lang, default, use_directory_urls)
    file.abs_dest_path = os.path.normpath(
        os.path.join(file.dest_dir, dest_uri)  # noqa: PTH118
    )
    file.locale = lang  # type: ignore[attr-defined]
    file.localization = None if lang == default else lang  # type: ignore[attr-defined]
    file.locale_alternate_of = lang  # type: ignore[attr-defined]
    file.norm_src_uri = f"{key}.md"  # type: ignore[attr-defined]
    file.alternates = {  # type: ignore[attr-defined]
        other: _Alternate(engine.localised_url(key, other, default, use_directory_urls))
        for other in languages
    }


def _build_date() -> str:
    from mkdocs.utils import get_build_date

    return get_build_date()
