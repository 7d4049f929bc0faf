"""Language suffixes of content files: ``refunds.md`` is English, ``refunds.es.md`` Spanish."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_LANGUAGE = "en"
_SUFFIX = re.compile(r"^(?P<stem>.+?)\.(?P<lang>[a-z]{2})$")


@dataclass(frozen=True)
class LocalisedName:
    """A file name split into its language-neutral stem and its language."""

    stem: str
    lang: str
    is_default: bool


def split_language(filename: str, languages: tuple[str, ...]) -> LocalisedName:
    """Split ``name.es.md`` into (``name``, ``es``); unknown or absent suffixes are default."""
    stem = filename.removesuffix(".md")
    match = _SUFFIX.match(stem)
    if match and match["lang"] in languages and match["lang"] != languages[0]:
        return LocalisedName(match["stem"], match["lang"], is_default=False)
    return LocalisedName(stem, languages[0], is_default=True)


def localised_filename(stem: str, lang: str, default: str) -> str:
    """The file name of ``stem`` in ``lang``: no suffix for the default language."""
    return f"{stem}.md" if lang == default else f"{stem}.{lang}.md"


def language_in_text(lang: str, fallback: str) -> str:
    """The name of ``lang`` as its own readers write it inside a sentence.

    Spanish writes language names in lower case ("disponible en español"), German and English
    capitalise them ("auf Deutsch", "in English"); CLDR (through Babel) knows each language's
    rule. ``fallback`` (the switcher's name) is used for a code Babel does not know.
    """
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(lang).get_language_name(lang)
    except (UnknownLocaleError, ValueError):
        return fallback
    return name or fallback
