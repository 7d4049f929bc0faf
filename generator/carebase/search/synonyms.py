"""The site's synonyms, one list for both search backends: ``.carebase/synonyms.yml``.

Per language, a list of groups of words that mean the same (searching any finds the others)
and one-way rules (what a reader types also searches for other words, not the reverse)::

    en:
      - [refund, money back, reimbursement]
      - {typed: bb, also: [broadband]}

The search box (Pagefind) expands queries with them in the browser, from a small JSON file per
language the build writes (:func:`browser_table`); ``carebase search push`` sends them to
Algolia as its synonyms (:func:`algolia_synonyms`). Read once, checked by ``carebase check``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from carebase.errors import Problem, Severity

SYNONYMS_FILE = ".carebase/synonyms.yml"
"""Where the synonyms live, relative to the docs folder."""
MAX_PHRASE = 60
"""Characters in one word or phrase: a synonym is a few words, never a sentence."""
FORMAT_HINT = (
    "write a group as [refund, money back] or a one-way rule as {typed: bb, also: [broadband]}"
)
_WORD = re.compile(r"[^\W_]", re.UNICODE)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class OneWay:
    """Typing ``typed`` also searches for each of ``also`` (not the other way round)."""

    typed: str
    also: tuple[str, ...]


@dataclass(frozen=True)
class LanguageSynonyms:
    """One language's groups (words that mean the same) and one-way rules."""

    groups: tuple[tuple[str, ...], ...] = ()
    one_way: tuple[OneWay, ...] = ()


Synonyms = dict[str, LanguageSynonyms]


@dataclass
class _Reader:
    display: str
    languages: tuple[str, ...]
    problems: list[Problem] = field(default_factory=list)

    def problem(self, node: yaml.Node, where: str, message: str, hint: str = FORMAT_HINT) -> None:
        line = node.start_mark.line + 1
        self.problems.append(Problem(self.display, line, where, message, hint=hint))


def load_synonyms(
    docs_dir: Path, languages: tuple[str, ...] = ()
) -> tuple[Synonyms, list[Problem]]:
    """The synonyms of the site in ``docs_dir`` (none without the file), and every problem in
    it, each at its line; ``languages`` are the site's, to catch a misspelt language."""
    path = docs_dir / SYNONYMS_FILE
    if not path.is_file():
        return {}, []
    reader = _Reader(SYNONYMS_FILE, languages)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except RecursionError:
        return {}, [Problem(SYNONYMS_FILE, 1, "file", "is nested too deeply to read")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = f"is not valid YAML: {exc.problem}"
        hint = "check the brackets, commas and quotes on that line and the one before"
        return {}, [Problem(SYNONYMS_FILE, line, "file", message, hint=hint)]
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return {}, [Problem(SYNONYMS_FILE, 1, "file", f"cannot be read ({exc})")]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        reader.problem(root, "file", "must map languages to lists", "start with 'en:' then a list")
        return {}, reader.problems
    synonyms = {}
    for key, value in root.value:
        lang = _language(reader, key)
        if lang is not None:
            synonyms[lang] = _language_synonyms(reader, lang, value)
    return synonyms, reader.problems


def _language(reader: _Reader, key: yaml.Node) -> str | None:
    lang = key.value if isinstance(key, yaml.ScalarNode) else ""
    if not re.fullmatch(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?", str(lang)):
        reader.problem(key, "language", f"'{lang}' is not a language code", "use en, es, de…")
        return None
    if reader.languages and lang not in reader.languages:
        site = ", ".join(reader.languages)
        reader.problem(key, lang, f"is not a language of the site ({site})", "check its spelling")
        return None
    return str(lang)


def _language_synonyms(reader: _Reader, lang: str, node: yaml.Node) -> LanguageSynonyms:
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "null", "~"):
        return LanguageSynonyms()
    if not isinstance(node, yaml.SequenceNode):
        reader.problem(node, lang, "must be a list of groups and one-way rules")
        return LanguageSynonyms()
    groups: list[tuple[str, ...]] = []
    rules: list[OneWay] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(node.value, 1):
        where = f"{lang}[{number}]"
        if isinstance(item, yaml.SequenceNode):
            group = _phrases(reader, where, item)
            if group is not None and _distinct(reader, where, item, group, seen):
                groups.append(group)
        elif isinstance(item, yaml.MappingNode):
            rule = _one_way(reader, where, item)
            if rule is not None:
                rules.append(rule)
        else:
            reader.problem(item, where, "is neither a group nor a one-way rule")
    return LanguageSynonyms(tuple(groups), tuple(rules))


def _distinct(
    reader: _Reader, where: str, node: yaml.Node, group: tuple[str, ...], seen: dict[str, int]
) -> bool:
    if len(group) < 2:
        reader.problem(node, where, "needs at least two different words or phrases")
        return False
    line = node.start_mark.line + 1
    for phrase in group:
        if phrase in seen:
            reader.problems.append(
                Problem(
                    reader.display,
                    line,
                    where,
                    f"'{phrase}' is also in the group at line {seen[phrase]}",
                    Severity.WARNING,
                    "merge the two groups into one",
                )
            )
        seen.setdefault(phrase, line)
    return True


def _one_way(reader: _Reader, where: str, node: yaml.MappingNode) -> OneWay | None:
    fields = {str(key.value): value for key, value in node.value}
    unknown = sorted(set(fields) - {"typed", "also"})
    if unknown or "typed" not in fields or "also" not in fields:
        wrong = f"has unknown field(s) {', '.join(unknown)}" if unknown else "needs typed and also"
        reader.problem(node, where, wrong)
        return None
    typed = _phrase(reader, f"{where}.typed", fields["typed"])
    also_node = fields["also"]
    if isinstance(also_node, yaml.ScalarNode):
        also_node = yaml.SequenceNode("tag:yaml.org,2002:seq", [also_node], also_node.start_mark)
    also = _phrases(reader, f"{where}.also", also_node)
    if typed is None or not also:
        return None
    others = tuple(phrase for phrase in also if phrase != typed)
    if not others:
        reader.problem(node, f"{where}.also", "repeats 'typed': name other words")
        return None
    return OneWay(typed, others)


def _phrases(reader: _Reader, where: str, node: yaml.Node) -> tuple[str, ...] | None:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        reader.problem(node, where, "must be a non-empty list of words or phrases")
        return None
    phrases = [_phrase(reader, where, item) for item in node.value]
    if any(phrase is None for phrase in phrases):
        return None
    return tuple(dict.fromkeys(phrase for phrase in phrases if phrase is not None))


def _phrase(reader: _Reader, where: str, node: yaml.Node) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        reader.problem(node, where, "must be a word or a phrase, not a list or a mapping")
        return None
    phrase = _SPACE.sub(" ", str(node.value)).strip().lower()
    if not _WORD.search(phrase):
        reader.problem(node, where, f"'{node.value}' has no letter or digit to search for")
        return None
    if len(phrase) > MAX_PHRASE:
        reader.problem(
            node,
            where,
            f"'{phrase[:20]}…' is longer than {MAX_PHRASE} characters",
            "a synonym is a word or a short phrase",
        )
        return None
    return phrase


# --- what the backends get -----------------------------------------------------------------


def browser_table(entry: LanguageSynonyms) -> str:
    """The JSON the search box reads: ``{"groups": [[…]], "oneWay": [{"typed", "also"}]}``."""
    table = {
        "groups": [list(group) for group in entry.groups],
        "oneWay": [{"typed": rule.typed, "also": list(rule.also)} for rule in entry.one_way],
    }
    return json.dumps(table, ensure_ascii=False, separators=(",", ":"))


def algolia_synonyms(synonyms: Synonyms) -> list[dict[str, Any]]:
    """Algolia's synonym objects (``synonym`` and ``onewaysynonym``), with IDs derived from
    their words so an unchanged file gives the same objects."""
    hits: list[dict[str, Any]] = []
    for lang, entry in sorted(synonyms.items()):
        for group in entry.groups:
            hit = {"type": "synonym", "synonyms": list(group)}
            hits.append({"objectID": _object_id(lang, hit), **hit})
        for rule in entry.one_way:
            hit = {"type": "onewaysynonym", "input": rule.typed, "synonyms": list(rule.also)}
            hits.append({"objectID": _object_id(lang, hit), **hit})
    return hits


def _object_id(lang: str, hit: dict[str, Any]) -> str:
    digest = hashlib.sha1(json.dumps(hit, sort_keys=True).encode("utf-8")).hexdigest()
    return f"carebase-{lang}-{digest[:12]}"
