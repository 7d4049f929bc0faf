"""A ``redact`` pattern cannot hang an import: each runs with a time limit, and one that runs out
fails its thread by name — the text is never published unscrubbed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from carebase.importers.safety import RedactTimeout, scrub
from carebase.importers.settings import ImportSettings, Redaction
from tests.conftest import MKDOCS_YML, ProjectFactory
from tests.importers.conftest import IMPORT_OPTIONS

FORUM_TEXT = "a" * 35 + "!"
"""35 characters on which Python's ``re`` backtracks for hours with a nested repetition."""
QUICKLY = 5.0


def settings(pattern: str) -> ImportSettings:
    return ImportSettings(redact=[Redaction(pattern=pattern, label="[removed]")])


def test_a_nested_repetition_returns_at_once() -> None:
    # `re` takes hours here; the `regex` engine the patterns run on sees through it.
    started = time.monotonic()
    assert scrub(FORUM_TEXT, settings(r"(a+)+$")) == FORUM_TEXT
    assert time.monotonic() - started < QUICKLY


@pytest.mark.parametrize("pattern", [r"(a|aa)+$", r"(a|a)+$"])
def test_a_pattern_out_of_time_is_an_error_naming_it(pattern: str) -> None:
    started = time.monotonic()
    with pytest.raises(RedactTimeout, match=r"the redact pattern '\(a\|a+\)\+\$' took over"):
        scrub(FORUM_TEXT, settings(pattern))
    assert time.monotonic() - started < QUICKLY


def test_the_import_fails_that_thread_and_writes_nothing_of_it(
    make_project: ProjectFactory,
) -> None:
    slow = "        - {pattern: '(a|aa)+$', label: '[removed]'}\n"
    project = make_project(config=MKDOCS_YML + IMPORT_OPTIONS + slow)
    thread = {
        "id": "4711",
        "url": "https://forum.example.com/t/4711",
        "title": "Router drops",
        "category": "wifi",
        "question": {"body": FORUM_TEXT, "created_at": "2026-10-01T09:00:00Z"},
        "answer": {"body": "Restart it.", "created_at": "2026-10-01T10:00:00Z"},
    }
    (project / "threads.jsonl").write_text(json.dumps(thread) + "\n", encoding="utf-8")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "carebase", "import", "jsonl", "threads.jsonl"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    output = done.stdout + done.stderr
    assert time.monotonic() - started < 60
    assert done.returncode == 1
    assert "Traceback" not in output
    assert "failed         jsonl 4711: the redact pattern '(a|aa)+$' took over" in output
    assert "hint: simplify it" in output
    assert not list((project / "content").glob("kb/*/community/*.md"))
