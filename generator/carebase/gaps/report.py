"""The gaps report: each unanswered question, the nearest article, and a command to answer it."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from carebase.gaps.model import Gap, Kind
from carebase.gaps.nearest import Match, NearestArticles
from carebase.manifest import Manifest


@dataclass(frozen=True)
class Line:
    """One question of the report."""

    gap: Gap
    match: Match | None
    command: str


class Answers:
    """The site's answers per language, for :func:`nearest`."""

    def __init__(self, manifest: Manifest, default_lang: str) -> None:
        self.default_lang = default_lang
        published = manifest.published()
        langs = {entry.lang for entry in published}
        self._by_lang = {
            lang: NearestArticles(entry for entry in published if entry.lang == lang)
            for lang in langs
        }

    def nearest(self, question: str, lang: str) -> Match | None:
        """The nearest page in ``lang``, else in the default language (its fallback)."""
        for choice in dict.fromkeys([lang, self.default_lang]):
            articles = self._by_lang.get(choice)
            match = articles.nearest(question) if articles else None
            if match is not None:
                return match
        return None


def lines(
    gaps: Sequence[Gap],
    answers: Answers,
    *,
    author: str,
    fallback_category: str,
    languages: Sequence[str],
    config_option: Sequence[str] = (),
) -> list[Line]:
    """The report's lines, in the order of ``gaps``."""
    result = []
    for gap in gaps:
        lang = gap.lang if gap.lang in languages else answers.default_lang
        match = answers.nearest(gap.query, lang)
        category = match.entry.category if match and match.entry.category else fallback_category
        command = new_faq_command(gap.query, category, author, lang, config_option)
        result.append(Line(gap, match, command))
    return result


def new_faq_command(
    question: str, category: str, author: str, lang: str, config_option: Sequence[str] = ()
) -> str:
    """``carebase new faq 'Question?' --category … --author … --lang …``, quoted for a shell."""
    title = faq_title(question)
    words = ["carebase", *config_option, "new", "faq", title]
    words += ["--category", category, "--author", author, "--lang", lang]
    return shlex.join(words)


def faq_title(question: str) -> str:
    """The question as an FAQ's title: capitalised, no angle brackets (``carebase new`` refuses
    tags in titles)."""
    text = question.replace("<", " ").replace(">", " ")
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def format_line(number: int, line: Line) -> list[str]:
    """The printed lines of one question."""
    gap = line.gap
    kinds = ", ".join(f"{gap.counts[kind]} {kind.value}" for kind in Kind if kind in gap.counts)
    times = "time" if gap.total == 1 else "times"
    head = f"{number:>3}. “{gap.query}” ({gap.lang}): {gap.total} {times}"
    if list(gap.counts) != [Kind.EXPORTED]:
        head += f" ({kinds})"
    if line.match is None:
        nearest = "      nearest article: none shares a word with it"
    else:
        entry = line.match.entry
        nearest = (
            f"      nearest article: {entry.title} ({entry.url}), similarity {line.match.score:.2f}"
        )
    return [head, nearest, f"      {line.command}"]
