"""New articles, FAQs and posts: file names from titles and starter text that passes checks.

Everything here is a pure function of its arguments except :func:`write_new`, which refuses
to overwrite a file somebody already wrote.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from carebase.content import RESERVED_SLUGS
from carebase.errors import CarebaseError
from carebase.fsutil import atomic_write_text
from carebase.languages import localised_filename
from carebase.models import ArticleType
from carebase.settings import ContentSettings

REVIEW_EVERY = "180d"
MAX_SLUG_LENGTH = 80
# Letters NFKD leaves alone because they are not an accent on a base letter.
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
    }
)
_APOSTROPHES = re.compile(r"['’`]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Starter:
    """The starter text of new files in one language: placeholders a writer replaces.

    ``carebase check`` refuses every sentence of it (:func:`scaffold_text`), so a file
    published as scaffolded is impossible, and nothing here needs listing twice.
    """

    description: str
    """An article's or FAQ's ``description``."""
    question: str
    """An FAQ's first ``questions`` entry: another way a customer asks it."""
    post_description: str
    article_body: str
    faq_body: str
    post_body: str


MORE = "<!-- more -->"
"""Material's marker: what comes before it is the post's summary on the blog index."""

STARTERS: dict[str, Starter] = {
    "en": Starter(
        description="One sentence saying what this answers; search results show it.",
        question="How would a customer ask this, in their own words?",
        post_description="One sentence saying what this post is about; feeds and cards show it.",
        article_body="""\
Start with the answer in one or two sentences: what the reader can do, and how long it takes.

## Before you start

- What the reader needs to hand, like their account number.

## Steps

1. The first thing to do.
2. The next thing to do.

## If it still doesn't work

Say what to try next, and how to get in touch with us.
""",
        faq_body="""\
Answer the question in the first sentence, then add the details a reader needs to act on it.
""",
        post_body=f"""\
Write the summary shown on the blog index here, in one or two sentences.

{MORE}

Write the rest of the post here.
""",
    ),
    "es": Starter(
        description="Una frase que diga qué responde este artículo; los resultados de búsqueda"
        " la muestran.",
        question="¿Cómo lo preguntaría un cliente, con sus propias palabras?",
        post_description="Una frase que diga de qué trata esta entrada; los feeds y las tarjetas"
        " la muestran.",
        article_body="""\
Empiece por la respuesta en una o dos frases: qué puede hacer el lector y cuánto tarda.

## Antes de empezar

- Lo que el lector necesita tener a mano, como su número de cliente.

## Pasos

1. Lo primero que hay que hacer.
2. Lo siguiente que hay que hacer.

## Si sigue sin funcionar

Diga qué probar a continuación y cómo ponerse en contacto con nosotros.
""",
        faq_body="""\
Responda a la pregunta en la primera frase y añada después los detalles que el lector necesita.
""",
        post_body=f"""\
Escriba aquí, en una o dos frases, el resumen que muestra el índice del blog.

{MORE}

Escriba aquí el resto de la entrada.
""",
    ),
    "de": Starter(
        description="Ein Satz, der sagt, was dieser Artikel beantwortet; Suchergebnisse zeigen"
        " ihn.",
        question="Wie würde eine Kundin oder ein Kunde das in eigenen Worten fragen?",
        post_description="Ein Satz, der sagt, worum es in diesem Beitrag geht; Feeds und Karten"
        " zeigen ihn.",
        article_body="""\
Beginnen Sie mit der Antwort in ein oder zwei Sätzen: was man tun kann und wie lange es dauert.

## Bevor Sie beginnen

- Was man bereithalten sollte, zum Beispiel die Kundennummer.

## Schritte

1. Der erste Schritt, den man tun muss.
2. Der nächste Schritt, den man tun muss.

## Wenn es immer noch nicht funktioniert

Sagen Sie, was man als Nächstes versuchen kann und wie man uns erreicht.
""",
        faq_body="""\
Beantworten Sie die Frage im ersten Satz und ergänzen Sie dann, was man wissen muss.
""",
        post_body=f"""\
Schreiben Sie hier in ein oder zwei Sätzen die Zusammenfassung für die Blog-Übersicht.

{MORE}

Schreiben Sie hier den Rest des Beitrags.
""",
    ),
}
"""Starter text by language; a language without its own starts in English."""


def starter(lang: str) -> Starter:
    """The starter text of ``lang``, or English's when it has none yet."""
    return STARTERS.get(lang, STARTERS["en"])


class ScaffoldError(CarebaseError):
    """A new file cannot be made: the title, category or author is unusable, or it exists."""


@dataclass(frozen=True)
class NewFile:
    """A file to create: its path relative to the docs folder and its text."""

    path: str
    text: str


def slugify(text: str) -> str:
    """A file name from a title: lowercase ASCII words joined by hyphens, accents stripped."""
    text = _APOSTROPHES.sub("", text.translate(_LETTERS))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH].rsplit("-", 1)[0]
    return slug


def choose_slug(title: str, slug: str | None = None) -> str:
    """The slug for a new file: ``slug`` if given, else made from the title; checked."""
    chosen = slug if slug is not None else slugify(title)
    if not chosen:
        raise _error(f"cannot make a file name from {title!r}", "pass one with --slug")
    if chosen != slugify(chosen):
        raise _error(
            f"slug {chosen!r} must be lowercase words joined by hyphens",
            f"like --slug {slugify(chosen) or 'set-up-voicemail'}",
        )
    if RESERVED_SLUGS.match(chosen):
        raise _error(f"slug {chosen!r} is reserved for generated pages", "pass another --slug")
    return chosen


def clean_title(title: str) -> str:
    """The title on one line, or :class:`ScaffoldError` when it cannot be a title."""
    cleaned = " ".join(title.split())
    if not cleaned:
        raise _error("the title must not be empty", 'write it in quotes: "Set up voicemail"')
    if "<" in cleaned and ">" in cleaned:
        raise _error("the title must be plain text, without HTML tags", "remove the tags")
    return cleaned


def require(value: str, choices: Iterable[str], what: str, listed_in: str) -> str:
    """``value`` if it is one of ``choices``, else a :class:`ScaffoldError` saying what is."""
    known = sorted(choices)
    if value in known:
        return value
    close = difflib.get_close_matches(value, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known) or 'none'}"
    raise _error(f"unknown {what} '{value}' in {listed_in}", hint)


def _error(message: str, hint: str) -> ScaffoldError:
    """A :class:`ScaffoldError` with its hint on a line of its own, as every error has."""
    return ScaffoldError(f"{message}\n  hint: {hint}")


def article_path(settings: ContentSettings, category: str, slug: str, lang: str) -> str:
    """``kb/<category>/<slug>.md``, or ``<slug>.<lang>.md`` for another language."""
    name = localised_filename(slug, lang, settings.default_language)
    return f"{settings.kb_dir}/{category}/{name}"


def post_path(settings: ContentSettings, slug: str, lang: str) -> str:
    """``blog/posts/<slug>.md``, or ``<slug>.<lang>.md`` for another language."""
    return f"{settings.posts_dir}/{localised_filename(slug, lang, settings.default_language)}"


def article_text(
    title: str, owner: str | None, today: date, kind: ArticleType, lang: str = "en"
) -> str:
    """Front matter and starter text of an article or FAQ in ``lang``, reviewed today."""
    words = starter(lang)
    meta: dict[str, Any] = {"title": title, "description": words.description, "tags": []}
    meta["type"] = kind.value
    if owner is not None:
        meta["owner"] = owner
    meta |= {"reviewed": today, "review_every": REVIEW_EVERY}
    if kind is ArticleType.FAQ:
        # `carebase check` asks an FAQ for the other ways customers word it.
        meta["questions"] = [words.question]
    body = words.faq_body if kind is ArticleType.FAQ else words.article_body
    return _compose(meta, body)


def post_text(
    title: str, authors: list[str], day: date, categories: list[str], lang: str = "en"
) -> str:
    """Front matter and starter text of a blog post in ``lang``, with a ``more`` marker."""
    words = starter(lang)
    meta: dict[str, Any] = {
        "title": title,
        "description": words.post_description,
        "date": day,
        "authors": authors,
        "categories": categories,
        "tags": [],
    }
    return _compose(meta, words.post_body)


# --- finding starter text a writer left ----------------------------------------------------

_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def scaffold_phrases() -> tuple[str, ...]:
    """Every sentence of every language's starter text, which a writer must replace.

    Headings and the ``more`` marker are structure a writer may keep; everything else in
    :data:`STARTERS` is a placeholder.
    """
    phrases: list[str] = []
    for words in STARTERS.values():
        phrases += [words.description, words.question, words.post_description]
        for body in (words.article_body, words.faq_body, words.post_body):
            lines = (line.strip() for line in body.splitlines())
            phrases += [
                _LIST_MARKER.sub("", line)
                for line in lines
                if line and not line.startswith("#") and line != MORE
            ]
    return tuple(dict.fromkeys(phrases))


@cache
def _scaffold_pattern() -> re.Pattern[str]:
    # Whitespace may differ (an editor re-wrapped a line); the words may not.
    alternatives = (
        r"\s+".join(re.escape(word) for word in phrase.split())
        for phrase in sorted(scaffold_phrases(), key=len, reverse=True)
    )
    # No look-behind in front: a pattern starting with literals lets `re` skip ahead to
    # their first letters, five times faster over a large site; the boundary is checked after.
    return re.compile("|".join(alternatives))


@dataclass(frozen=True)
class Leftover:
    """Starter text found in a text: on which line of it (from 0), and the sentence."""

    line: int
    phrase: str


def find_scaffold_text(text: str) -> list[Leftover]:
    """Every placeholder sentence of :data:`STARTERS` in ``text``, in any language."""
    return [
        Leftover(text.count("\n", 0, match.start()), " ".join(match[0].split()))
        for match in _scaffold_pattern().finditer(text)
        if match.start() == 0 or not _is_word(text[match.start() - 1])
    ]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _compose(meta: dict[str, Any], body: str) -> str:
    front = yaml.safe_dump(
        meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000
    )
    return f"---\n{front}---\n\n{body}"


def write_new(settings: ContentSettings, new: NewFile) -> Path:
    """Write ``new`` below the docs folder; never overwrite, so nobody's work is lost."""
    path = settings.docs_dir / new.path
    if path.exists():
        raise _error(
            f"{settings.shown(new.path)} already exists", "edit it, or pass another --slug"
        )
    atomic_write_text(path, new.text)
    return path
