"""Schemas of front matter and data files: one pydantic model each.

Models describe *one file*; checks across files (unknown authors, duplicate slugs, links) are
in :mod:`carebase.checks`.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    field_validator,
)
from pydantic_core import PydanticCustomError

from carebase.durations import DurationError, parse_duration
from carebase.paths import unsafe_reason


def _as_list(value: Any) -> Any:
    """Accept a single string where a list of strings is expected (``tags: billing``)."""
    return [value] if isinstance(value, str) else value


def _strip_html_title(value: str) -> str:
    if "<" in value and ">" in value:
        raise PydanticCustomError("plain_text", "must be plain text, without HTML tags")
    if not value.strip():
        raise PydanticCustomError("empty_text", "must not be empty")
    return value.strip()


def _plain_slug(value: str) -> str:
    # Material's blog builds the page's path from it: '../x' or 'a/b' would leave the blog.
    plain = unsafe_reason(value) is None and "/" not in value and not value.startswith(".")
    if not plain or any(char.isspace() for char in value):
        raise PydanticCustomError("slug", "must be one part of an address, like 'new-fibre-plans'")
    return value


QUESTION_LENGTH = 150
"""Longest question, in characters: what a customer types in a search box, not a paragraph."""
MAX_QUESTIONS = 10


def _question(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise PydanticCustomError("question_empty", "is empty")
    if "<" in text and ">" in text:
        raise PydanticCustomError("question_html", "must be plain text, without HTML tags")
    if len(text) > QUESTION_LENGTH:
        raise PydanticCustomError(
            "question_too_long",
            "is {length} characters long; at most {limit}",
            {"length": len(text), "limit": QUESTION_LENGTH},
        )
    return text


def question_key(text: str) -> str:
    """What makes two questions the same: case, spacing and end punctuation aside."""
    return " ".join(text.casefold().split()).rstrip("?!. ")


def _distinct_questions(values: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    for number, value in enumerate(values, start=1):
        key = question_key(value)
        if key in seen:
            raise PydanticCustomError(
                "question_duplicate",
                "question {number} repeats question {first}: '{text}'",
                {"number": number, "first": seen[key], "text": value},
            )
        seen[key] = number
    if len(values) > MAX_QUESTIONS:
        raise PydanticCustomError(
            "question_count",
            "has {count} questions; at most {limit}",
            {"count": len(values), "limit": MAX_QUESTIONS},
        )
    return values


PlainText = Annotated[str, AfterValidator(_strip_html_title)]
Question = Annotated[str, AfterValidator(_question)]
Questions = Annotated[list[Question], AfterValidator(_distinct_questions)]
"""Other ways people ask what an article answers: plain text, each once, a few at most."""
Slug = Annotated[str, AfterValidator(_plain_slug)]
StrList = Annotated[list[str], BeforeValidator(_as_list)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Open(BaseModel):
    # Front matter is shared with MkDocs and Material (`hide`, `template`, `icon`, …): unknown
    # fields are kept and reported as warnings by the loader, not rejected here.
    model_config = ConfigDict(extra="allow", frozen=True)


class ArticleType(StrEnum):
    """What an article is: a how-to article or a short question and answer."""

    ARTICLE = "article"
    FAQ = "faq"


class SourceKind(StrEnum):
    """Where an imported article came from."""

    DISCOURSE = "discourse"
    GITHUB_DISCUSSION = "github-discussion"
    GITHUB_PULL = "github-pull"
    JSONL = "jsonl"


class Source(_Strict):
    """Provenance of an imported article; written by importers, never by hand."""

    kind: SourceKind
    url: HttpUrl
    id: str
    accepted_post: int | str | None = None
    imported_at: datetime
    source_updated_at: datetime | None = None
    content_hash: str


class ArticleMeta(_Open):
    """Front matter of a knowledge-base article or FAQ under ``kb/<category>/``."""

    title: PlainText | None = None
    description: Annotated[str, Field(max_length=300)] | None = None
    tags: StrList = []
    type: ArticleType = ArticleType.ARTICLE
    owner: str | None = None
    reviewed: date | None = None
    review_every: str | None = None
    promoted: bool = False
    related: StrList = []
    products: StrList = []
    questions: Questions = []
    """Other ways customers ask what this answers; shown as "Also asked as", searched first."""
    source: Source | None = None
    silent: bool = False

    @field_validator("review_every")
    @classmethod
    def _check_interval(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_duration(value)
            except DurationError as exc:
                # Its own type, so the problem gets its hint; the reason without the value,
                # which the problem quotes once.
                raise PydanticCustomError("duration", exc.reason) from None
        return value

    @field_validator("reviewed", mode="before")
    @classmethod
    def _reject_datetime(cls, value: Any) -> Any:
        return value.date() if isinstance(value, datetime) else value

    @property
    def review_interval(self) -> timedelta | None:
        """The review interval as a duration, if one is set."""
        return parse_duration(self.review_every) if self.review_every else None


class Severity(StrEnum):
    """How a service notice is shown: colour and urgency of the banner."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


def _aware(value: datetime) -> datetime:
    # Staff write local wall-clock times rarely with an offset; naive times are UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]


class NoticeText(_Strict):
    """A notice's banner text in one language (``notice.translations.es``)."""

    summary: PlainText


class Notice(_Strict):
    """A service notice: shown as a site-wide banner from ``starts`` until ``ends``."""

    severity: Severity = Severity.WARNING
    starts: AwareDatetime
    ends: AwareDatetime | None = None
    summary: PlainText | None = None
    translations: dict[str, NoticeText] = {}
    """The banner text in other languages, as categories have (``kb/.categories.yml``)."""

    def active_at(self, now: datetime) -> bool:
        """Whether the banner shows at ``now``: started and not yet ended."""
        return self.starts <= now and (self.ends is None or now < self.ends)


class PostDate(_Strict):
    """Material's long form of a post date."""

    created: date | datetime
    updated: date | datetime | None = None


class PostMeta(_Open):
    """Front matter of a staff blog post under ``blog/posts/`` (Material's blog plugin)."""

    title: PlainText | None = None
    date: dt.date | dt.datetime | PostDate
    description: Annotated[str, Field(max_length=300)] | None = None
    authors: StrList = []
    categories: StrList = []
    tags: StrList = []
    draft: bool = False
    slug: Slug | None = None
    notice: Notice | None = None
    silent: bool = False

    @property
    def created(self) -> dt.date:
        """The publication date, whatever form it was written in."""
        value = self.date.created if isinstance(self.date, PostDate) else self.date
        return value.date() if isinstance(value, datetime) else value


class LocalisedText(_Strict):
    """A category's title and description in one language."""

    title: PlainText
    description: str = ""


class Category(_Strict):
    """A knowledge-base category, described in ``kb/.categories.yml``."""

    title: PlainText
    description: str = ""
    icon: str = "material/folder-outline"
    order: int = 100
    translations: dict[str, LocalisedText] = {}

    def title_in(self, lang: str) -> str:
        """The category title in ``lang``, falling back to the default language."""
        return self.translations[lang].title if lang in self.translations else self.title

    def description_in(self, lang: str) -> str:
        """The category description in ``lang``, falling back to the default language."""
        if lang in self.translations and self.translations[lang].description:
            return self.translations[lang].description
        return self.description


class Author(_Strict):
    """A staff member, from Material's ``blog/.authors.yml``; also owns KB articles."""

    # Material's blog requires both; asking here reports it with the line, before a build.
    name: PlainText
    description: str
    # A picture in docs_dir or a URL; a missing local .svg is drawn from the initials.
    avatar: str
    slug: Slug | None = None
    url: str | None = None


class AuthorsFile(_Strict):
    """The whole authors file: ``authors: {id: {...}}``."""

    authors: dict[str, Author]


Channel = Literal["phone", "chat", "email", "social", "community", "form"]


class SupportChannel(_Strict):
    """A way to reach a person, with the response time the company promises."""

    kind: Channel
    label: str | dict[str, str]
    url: str
    response: str | dict[str, str] = ""
    hours: str | dict[str, str] = ""

    def text(self, field: str, lang: str, default: str) -> str:
        """A field of the channel in ``lang``; plain strings serve every language."""
        value: str | dict[str, str] = getattr(self, field)
        if isinstance(value, str):
            return value
        return value.get(lang) or value.get(default) or next(iter(value.values()), "")
