"""``carebase import``: plain output off a terminal, one-line errors, nothing printed twice."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from carebase.cli.main import cli
from carebase.project import Project
from tests.importers.conftest import community_files

THREAD = {
    "id": "7",
    "url": "https://forum.example.com/t/7",
    "title": "Router drops at night",
    "category": "wifi",
    "updated_at": "2026-10-02T08:00:00Z",
    "question": {"author": "Alex", "body": "It drops.", "created_at": "2026-10-01T09:00:00Z"},
    "answer": {"author": "Sam", "body": "Fix it.", "created_at": "2026-10-01T10:00:00Z"},
}


def invoke(project: Project, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-f", str(project.config_path), "import", *args])
    return result.exit_code, result.output


def write_jsonl(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "threads.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_jsonl_import_prints_each_change_and_a_summary(project: Project, tmp_path: Path) -> None:
    file = write_jsonl(tmp_path, json.dumps(THREAD))
    code, output = invoke(project, "jsonl", file, "--dry-run")
    assert (code, community_files(project)) == (0, {})
    assert output.splitlines() == [
        "would be added content/kb/broadband/community/router-drops-at-night.md",
        "Dry run, nothing written: jsonl would give 1 added, 0 updated, 0 unchanged, "
        "0 removed, 0 skipped-edited, 0 failed",
    ]
    code, output = invoke(project, "jsonl", file)
    assert code == 0
    assert (
        output.splitlines()[0]
        == "added          content/kb/broadband/community/router-drops-at-night.md"
    )
    code, output = invoke(project, "jsonl", file, "--full")
    assert output.splitlines() == [
        "Imported from jsonl: 0 added, 0 updated, 1 unchanged, 0 removed, 0 skipped-edited, "
        "0 failed"
    ]


def test_an_invalid_jsonl_file_lists_its_problems_and_imports_nothing(
    project: Project, tmp_path: Path
) -> None:
    file = write_jsonl(tmp_path, json.dumps(THREAD), '{"id": "8"}')
    code, output = invoke(project, "jsonl", file)
    assert code == 1
    assert f"{file}:2: url: is required" in output
    assert output.splitlines()[-1] == (
        f"Error: 3 problem(s) in {file}; nothing was imported;"
        " hint: fix the lines named above and run it again"
    )
    assert community_files(project) == {}


def test_a_failed_thread_exits_non_zero(project: Project, tmp_path: Path) -> None:
    file = write_jsonl(tmp_path, json.dumps({**THREAD, "category": "tv"}))
    code, output = invoke(project, "jsonl", file)
    assert code == 1
    assert output.splitlines()[-1] == (
        "Error: some threads could not be imported (see 'failed' above)"
    )


def test_github_sources_need_their_options(project: Project) -> None:
    code, output = invoke(project, "discussions")
    assert code == 1
    assert output == (
        "Error: mkdocs.yml: plugins.carebase/import.discussions is not set; "
        "hint: add 'discussions: {repository: owner/name}' to the plugin's options\n"
    )


def test_a_missing_importer_is_a_clear_error(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "carebase.importers.discourse", None)
    code, output = invoke(project, "discourse")
    assert code == 1
    assert output.startswith("Error: the Discourse importer cannot be loaded (")
    assert "Traceback" not in output
