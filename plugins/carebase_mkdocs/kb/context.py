"""What one language's pass of a build knows: its generated pages, its files by article, and
the context each template gets under ``carebase``."""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from babel.dates import format_date
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from carebase.content import Article, ContentIndex, Post
from carebase.freshness import review_status
from carebase.languages import language_in_text
from carebase.manifest import ManifestEntry, article_entry, article_type, post_entry, post_type
from carebase.models import SupportChannel
from carebase.openings import repeats_opening
from carebase.pages import (
    GeneratedPage,
    SortKey,
    faq_pages,
    faq_uri,
    kb_index_page,
    landing_pages,
    landing_uri,
)
from carebase.redirects import redirect_page
from carebase.related import RelatedIndex
from carebase.strings import strings_for
from carebase_mkdocs import compat, engine
from carebase_mkdocs.kb.config import KbConfig


@dataclass
class SiteContext:
    """One language's view of the knowledge base during one build pass."""

    index: ContentIndex
    config: KbConfig
    mkdocs_config: MkDocsConfig
    support: list[SupportChannel]
    now: datetime
    lang: str = ""
    generated: dict[str, GeneratedPage] = field(default_factory=dict)
    files_by_key: dict[str, File] = field(default_factory=dict)
    articles_by_path: dict[str, Article] = field(default_factory=dict)
    readable: dict[str, Article] = field(default_factory=dict)
    post_files: dict[str, File] = field(default_factory=dict)
    posts_by_path: dict[str, Post] = field(default_factory=dict)
    redirects: list[tuple[str, File]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lang = engine.current_language(self.mkdocs_config)
        self._languages = engine.languages(self.mkdocs_config)
        self.default = self._languages[0]
        # As each language writes its own name inside a sentence ("en español").
        self._language_names = {
            lang: language_in_text(lang, engine.language_name(self.mkdocs_config, lang))
            for lang in self._languages
        }
        self.strings = strings_for(self.lang)
        self.articles_by_path = {article.path: article for article in self.index.articles}
        self.posts_by_path = {post.path: post for post in self.index.posts}
        readable = self.index.readable_in(self.lang)
        self.readable = {article.key: article for article in readable}
        self.related = RelatedIndex(readable)
        # Every listing page and the home page show these: counted once per pass.
        self.faq_counts: dict[str, int] = {
            category: sum(1 for article in articles if article.is_faq)
            for category, articles in self.index.by_category(self.lang).items()
        }
        # The same on every page of the pass: made once (thousands of article pages read it).
        self._support_list = self._support()
        self.translated: dict[str, set[str]] = {}
        for article in self.index.articles:
            self.translated.setdefault(article.lang, set()).add(article.key)
        self._by_key_lang = {(a.key, a.lang): a for a in self.index.articles}
        self._support_in: dict[str, list[dict[str, str]]] = {}

    # -- files ---------------------------------------------------------------------------

    def exclude_fallbacks(self, files: Files) -> None:
        """Keep untranslated articles out of another language's pass: render each one once.

        static-i18n copies every untranslated article into each language. Here the copy keeps
        the default language's URL, so every link and listing of this pass points to the one
        rendered page, and is excluded from rendering; :meth:`write_redirects` puts a redirect
        at the language's URL instead.
        """
        if self.lang == self.default:
            return
        prefix = f"{self.lang}/"
        site_dir = self.mkdocs_config.site_dir
        for file in files.documentation_pages():
            if getattr(file, "locale", self.lang) == self.lang:
                continue
            if file.src_uri not in self.articles_by_path:
                continue
            self.redirects.append((file.dest_uri, file))
            compat.quiet_deliberate_exclusions({file.src_uri})
            file.inclusion = InclusionLevel.EXCLUDED
            file.dest_uri = file.dest_uri.removeprefix(prefix)
            file.url = file.url.removeprefix(prefix)
            file.abs_dest_path = str(Path(site_dir) / file.dest_uri)

    def write_redirects(self) -> None:
        """Write a redirect at this language's URL of each article rendered in another."""
        made: set[str] = set()
        for dest_uri, file in self.redirects:
            self.write_redirect(dest_uri, file, made)

    def write_redirect(self, dest_uri: str, file: File, made: set[str]) -> None:
        """Write the redirect at ``dest_uri`` to the page of ``file`` (``made``: folders made)."""
        site_dir = self.mkdocs_config.site_dir
        site_url = self.mkdocs_config.site_url or ""
        stub_url = dest_uri.removesuffix("index.html")
        target = get_relative_url(file.url, stub_url)
        title = self.articles_by_path[file.src_uri].title
        # Thousands of small files: plain os calls, and each folder made once.
        path = engine.guarded(site_dir, dest_uri, f"{file.src_uri}: would write outside the site")
        folder = os.path.dirname(path)  # noqa: PTH120
        if folder not in made:
            os.makedirs(folder, exist_ok=True)  # noqa: PTH103
            made.add(folder)
        with open(path, "w", encoding="utf-8") as stub:  # noqa: PTH123
            stub.write(redirect_page(target, site_url + file.url, title, self.lang))

    def generate_files(self, files: Files) -> list[File]:
        """The category landing pages and FAQ pages of this language, as MkDocs files."""
        pages = self._generated_pages()
        self.generated = {page.src_uri: page for page in pages}
        existing = {getattr(file, "norm_src_uri", file.src_uri) for file in files}
        return [self._file(page) for page in pages if page.src_uri not in existing]

    def _generated_pages(self) -> list[GeneratedPage]:
        by_category = self.index.by_category(self.lang)
        kb_dir = self.config.kb_dir
        pages = [kb_index_page(kb_dir, self.lang, self.strings["knowledge_base"])]
        for category_id, category in self.index.categories.items():
            articles = by_category.get(category_id, [])
            pages += landing_pages(
                kb_dir, category_id, category, articles, self.lang,
                self.config.per_page, cast(SortKey, self.config.sort_by),
            )  # fmt: skip
            pages += faq_pages(
                kb_dir, category_id, category, articles, self.lang,
                self.config.faq_per_page, self.strings["faq_title"], self.strings["read_as_page"],
            )  # fmt: skip
        return pages

    def _file(self, page: GeneratedPage) -> File:
        # Only first landing pages are in the navigation; the rest are reached from them.
        in_nav = page.kind != "faq" and page.page == 1
        inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
        file = File.generated(
            self.mkdocs_config, page.src_uri, content=page.markdown, inclusion=inclusion
        )
        alternates = {lang: self._alternate(page.src_uri, lang) for lang in self._languages}
        alternates[self.lang] = file
        engine.localise_file(file, self.lang, self.default, alternates)
        return file

    def _alternate(self, src_uri: str, lang: str) -> File:
        file = File.generated(self.mkdocs_config, src_uri, content="")
        engine.localise_file(file, lang, self.default, {})
        return file

    def index_files(self, files: Files) -> None:
        """Map each article key to the file this language's pass links to for it."""
        # Excluded too: an untranslated article links to its one page in the default language.
        for file in files.documentation_pages(inclusion=InclusionLevel.all):
            src = getattr(file, "norm_src_uri", file.src_uri)
            self.files_by_key[src.removesuffix(".md")] = file
        self.post_files = {
            file.src_uri: file
            for file in files.documentation_pages()
            if file.src_uri.startswith(self.index.settings.posts_dir + "/")
        }

    def manifest_entries(self, rendered_elsewhere: set[str]) -> list[ManifestEntry]:
        """What this language's pass published (or, for drafts, did not), for the manifest.

        ``rendered_elsewhere``: pages excluded here because another process renders them.
        """
        entries = []
        for article in self.index.articles_in(self.lang):
            file = self.files_by_key.get(article.key)
            url, html = _published(file, rendered_elsewhere)
            entries.append(article_entry(article, url, html))
        for post in self.index.posts:
            if post.lang == self.lang:
                url, html = _published(self.post_files.get(post.path), rendered_elsewhere)
                entries.append(post_entry(post, url, html, self.now))
        return entries

    # -- templates -----------------------------------------------------------------------

    def page_context(self, page: Page) -> dict[str, Any]:
        """Everything Carebase's templates read, under ``carebase`` in the page context."""
        data: dict[str, Any] = {
            "lang": self.lang,
            "strings": self.strings,
            "support": self._support_list,
            "social_image": self._social_image(),
            "fallback": self._fallback(page),
            "fallback_lang": self._fallback_lang(page),
        }
        article = self.articles_by_path.get(page.file.src_uri)
        if article is not None:
            data["article"] = self._article(article, page.content or "")
            data["fallback_notes"] = self._fallback_notes(article)
            data["article"]["endings"] = self._endings(data["article"], data["fallback_notes"])
            data["search"] = self._search_facets(article_type(article), article.category)
        post = self.posts_by_path.get(page.file.src_uri)
        # A post copied untranslated into another language is searched in its own.
        if post is not None and post.lang == self.lang:
            category = post.meta.categories[0] if post.meta.categories else ""
            data["search"] = self._search_facets(post_type(post), category)
        generated = self.generated.get(page.file.src_uri)
        if generated is not None and generated.kind != "kb-index":
            data["listing"] = self._listing(generated)
        template = page.meta.get("template", "")
        if template in ("carebase/home.html", "carebase/kb-index.html"):
            data["categories"] = self._categories()
            data["promoted"] = self._promoted()
            data["posts"] = self._latest_posts()
        return data

    def error_context(self, home: str) -> dict[str, Any]:
        """What the "page not found" page reads: popular articles and help, in this language.

        ``home``: the absolute path of this language's home page (an error page is served at
        any address, so it links by absolute paths).
        """
        return {
            "lang": self.lang,
            "strings": self.strings,
            "support": self._support_list,
            "social_image": self._social_image(),
            "fallback": "",
            "fallback_lang": "",
            "promoted": self._promoted(),
            "home": home,
        }

    def _search_facets(self, kind: str, category_id: str) -> dict[str, str]:
        """What search indexes a page under: its type and category, in this language."""
        category = self.index.categories.get(category_id)
        return {
            "type": kind,
            "type_label": self.strings[f"type_{kind}"],
            "category": category.title_in(self.lang) if category else category_id,
        }

    def _date(self, value: date | None) -> str:
        """A date written the way this language writes it (``21 November 2026``)."""
        return format_date(value, format="long", locale=self.lang) if value else ""

    def _fallback_notes(self, article: Article) -> dict[str, dict[str, str]]:
        """For a default-language article: the note each untranslated language shows, and
        the article's type and category in that language (for that language's search)."""
        if article.lang != self.default:
            return {}
        notes = {}
        category = self.index.categories.get(article.category)
        for lang in self._languages[1:]:
            if article.key in self.translated.get(lang, set()):
                continue
            strings = strings_for(lang)
            name = self._language_names[lang]
            notes[lang] = {
                "title": strings["fallback_title"],
                "text": strings["fallback"].format(language=name),
                "type_label": strings[f"type_{article_type(article)}"],
                "category": category.title_in(lang) if category else article.category,
            }
        return notes

    def _endings(
        self, article: dict[str, Any], notes: dict[str, dict[str, str]]
    ) -> list[dict[str, Any]]:
        """What the end of an article shows readers of each language it is not written in.

        An untranslated article is rendered once; a reader who came from the Spanish site
        (assets/carebase.js knows) gets "Related articles" and "Still need help?" in Spanish,
        linking the Spanish page of each related article that has one.
        """
        if not notes:
            return []
        endings = [{"lang": "", "strings": self.strings, "related": article["related"],
                    "support": self._support_list}]  # fmt: skip
        for lang in notes:
            related = [self._in_language(link, lang) for link in article["related"]]
            endings.append(
                {"lang": lang, "strings": strings_for(lang), "related": related,
                 "support": self._support_for(lang)}
            )  # fmt: skip
        return endings

    def _in_language(self, link: dict[str, Any], lang: str) -> dict[str, Any]:
        """A related article's link for readers of ``lang``: its translation when it has one."""
        translated = self._by_key_lang.get((link["key"], lang))
        if translated is None:
            return link
        use_dirs = self.mkdocs_config.use_directory_urls
        path = engine.localised_url(translated.key, lang, self.default, use_dirs)
        return link | {
            "title": translated.title,
            "lang": lang,
            "url": path,
            "description": translated.meta.description or "",
        }

    def _support_for(self, lang: str) -> list[dict[str, str]]:
        if lang not in self._support_in:
            self._support_in[lang] = self._support(lang)
        return self._support_in[lang]

    def _fallback_lang(self, page: Page) -> str:
        """The language a page is really written in, when it is not this pass's language."""
        locale = str(getattr(page.file, "locale", self.lang))
        return "" if locale == self.lang else locale

    def _fallback(self, page: Page) -> str:
        if not self._fallback_lang(page):
            return ""
        name = self._language_names[self.lang]
        return self.strings["fallback"].format(language=name)

    def _support(self, lang: str = "") -> list[dict[str, str]]:
        lang = lang or self.lang
        return [
            {
                "kind": channel.kind,
                "label": channel.text("label", lang, self.default),
                "url": channel.url,
                "response": channel.text("response", lang, self.default),
                "hours": channel.text("hours", lang, self.default),
            }
            for channel in self.support
        ]

    def _social_image(self) -> str:
        image = self.config.social_image
        site_url = self.mkdocs_config.site_url or ""
        return posixpath.join(site_url, image) if image else ""

    def _article(self, article: Article, page_html: str) -> dict[str, Any]:
        status = review_status(article.meta, self.now.date())
        description = article.meta.description or ""
        owner = self.index.authors.get(article.meta.owner or "")
        category = self.index.categories.get(article.category)
        return {
            "type": article.meta.type.value,
            # Not shown above the text when the text starts with it (community questions).
            "description": "" if repeats_opening(description, page_html) else description,
            "tags": article.meta.tags,
            "reviewed": status.reviewed,
            "reviewed_text": self._date(status.reviewed),
            "due": status.due,
            "due_text": self._date(status.due),
            "stale": status.stale,
            "owner": owner.model_dump() if owner else None,
            "category": self._link(landing_uri(self.config.kb_dir, article.category, 1))
            | {"title": category.title_in(self.lang) if category else article.category},
            "related": [self._article_link(other) for other in self.related.related(
                article, self.config.related_limit
            )],
            "source": article.meta.source.model_dump(mode="json") if article.meta.source else None,
            "questions": article.meta.questions,
        }  # fmt: skip

    def _article_link(self, article: Article) -> dict[str, Any]:
        file = self.files_by_key.get(article.key)
        return {
            "key": article.key,
            "title": article.title,
            "lang": article.lang,
            "url": file.url if file else "",
            "description": article.meta.description or "",
            "promoted": article.meta.promoted,
            "faq": article.is_faq,
            "stale": review_status(article.meta, self.now.date()).stale,
        }

    def _link(self, src_uri: str) -> dict[str, Any]:
        file = self.files_by_key.get(src_uri.removesuffix(".md"))
        return {"url": file.url if file else ""}

    def _listing(self, page: GeneratedPage) -> dict[str, Any]:
        kb_dir = self.config.kb_dir
        uri = landing_uri if page.kind == "category" else faq_uri
        articles = [self.readable[key] for key in page.keys if key in self.readable]
        faqs = self.faq_counts.get(page.category, 0)
        return {
            "kind": page.kind,
            "category": page.category,
            "page": page.page,
            "pages": page.pages,
            "entries": [self._article_link(article) for article in articles],
            "previous": self._link(uri(kb_dir, page.category, page.page - 1))["url"]
            if page.page > 1
            else "",
            "next": self._link(uri(kb_dir, page.category, page.page + 1))["url"]
            if page.page < page.pages
            else "",
            "landing": self._link(landing_uri(kb_dir, page.category, 1))["url"],
            "faq": self._link(faq_uri(kb_dir, page.category, 1))["url"] if faqs else "",
            "faq_count": faqs,
        }

    def _categories(self) -> list[dict[str, Any]]:
        by_category = self.index.by_category(self.lang)
        ordered = sorted(self.index.categories.items(), key=lambda i: (i[1].order, i[1].title))
        result = []
        for category_id, category in ordered:
            articles = by_category.get(category_id, [])
            faqs = self.faq_counts.get(category_id, 0)
            result.append(
                {
                    "id": category_id,
                    "title": category.title_in(self.lang),
                    "description": category.description_in(self.lang),
                    "icon": category.icon,
                    "count": len(articles) - faqs,
                    "faq_count": faqs,
                    "url": self._link(landing_uri(self.config.kb_dir, category_id, 1))["url"],
                    "faq_url": self._link(faq_uri(self.config.kb_dir, category_id, 1))["url"]
                    if faqs
                    else "",
                }
            )
        return result

    def _promoted(self) -> list[dict[str, Any]]:
        promoted = [a for a in self.readable.values() if a.meta.promoted]
        promoted.sort(key=lambda a: a.title.casefold())
        return [self._article_link(article) for article in promoted]

    def _latest_posts(self, limit: int = 3) -> list[dict[str, Any]]:
        posts = [p for p in self.index.posts if not p.meta.draft and p.path in self.post_files]
        posts.sort(key=lambda p: (p.meta.created, p.title), reverse=True)
        return [
            {
                "title": post.title,
                "url": self.post_files[post.path].url,
                "date": post.meta.created,
                "date_text": self._date(post.meta.created),
                "lang": post.lang,
                "description": post.meta.description or "",
                "categories": post.meta.categories,
            }
            for post in posts[:limit]
        ]


def _published(file: File | None, rendered_elsewhere: set[str]) -> tuple[str, str]:
    """A file's URL and output path, or empty strings when the build does not write it."""
    if file is None:
        return "", ""
    if file.inclusion.is_excluded() and file.src_uri not in rendered_elsewhere:
        return "", ""
    return file.url.removeprefix("./"), file.dest_uri
