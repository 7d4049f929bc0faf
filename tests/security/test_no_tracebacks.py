"""No traceback reaches the user: hostile config, content, paths, ports, files and tokens each
end in one line naming what to fix (with a hint) and a non-zero exit — through the real CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MKDOCS_YML, ProjectFactory

pytestmark = pytest.mark.slow

Run = Callable[..., tuple[int, str]]
ARTICLE = "---\ntitle: Refunds\n{extra}---\n# Refunds\n\n{body}\n"
THEME = Path(__file__).resolve().parents[2] / "theme"
CONFIG = MKDOCS_YML.replace("  name: material\n", f"  name: material\n  custom_dir: {THEME}\n")


@pytest.fixture
def make_site(make_project: ProjectFactory) -> ProjectFactory:
    """A project whose every page builds (the theme's templates included)."""

    def make(files: dict[str, str] | None = None) -> Path:
        return make_project(files, config=CONFIG)

    return make


@pytest.fixture
def carebase() -> Run:
    """Run ``python -m carebase ARGS`` in ``cwd``; its exit status and its whole output."""

    def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
        done = subprocess.run(
            [sys.executable, "-m", "carebase", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        )
        return done.returncode, done.stdout + done.stderr

    return run


def error_line(output: str) -> str:
    """The last ``Error: …`` line of the output (there must be one, and no traceback)."""
    assert "Traceback" not in output, output[-3000:]
    errors = [line for line in output.splitlines() if line.startswith("Error: ")]
    assert errors, output[-3000:]
    return errors[-1]


# --- mkdocs.yml ----------------------------------------------------------------------------


def test_a_recursive_inherit_is_one_line(make_site: ProjectFactory, carebase: Run) -> None:
    project = make_site()
    config = project / "mkdocs.yml"
    config.write_text("INHERIT: base.yml\n" + config.read_text(encoding="utf-8"), "utf-8")
    (project / "base.yml").write_text("INHERIT: mkdocs.yml\n", encoding="utf-8")
    for command in (["build"], ["check"], ["import", "discourse"]):
        code, output = carebase(project, *command)
        assert code != 0
        line = error_line(output)
        assert "base.yml: INHERIT: 'mkdocs.yml' inherits back" in line
        assert "hint:" in line


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (b"site_name: \xff\xfe broken\n", "cannot be read"),
        (b"", "must be a mapping of settings"),
        (b"- just\n- a list\n", "must be a mapping of settings"),
        (b"site_name: [unclosed\n", "is not valid YAML"),
    ],
)
def test_an_unreadable_config_is_one_line(
    make_site: ProjectFactory, carebase: Run, config: bytes, expected: str
) -> None:
    project = make_site()
    (project / "mkdocs.yml").write_bytes(config)
    code, output = carebase(project, "build")
    assert code != 0
    assert expected in error_line(output)


# --- the engine ----------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_a_misspelt_template_names_the_file_line_and_field(
    make_site: ProjectFactory, carebase: Run, engine: str
) -> None:
    article = ARTICLE.format(extra="template: articel.html\n", body="Text.")
    project = make_site({"kb/billing/refunds.md": article})
    code, output = carebase(project, "build", "--engine", engine)
    assert code != 0
    line = error_line(output)
    assert line.startswith(
        "Error: kb/billing/refunds.md:3: template: TemplateNotFound: no template 'articel.html'"
    ), line
    assert "hint: check 'template:'" in line


def test_the_traceback_is_there_when_asked_for(make_site: ProjectFactory, carebase: Run) -> None:
    article = ARTICLE.format(extra="template: articel.html\n", body="Text.")
    project = make_site({"kb/billing/refunds.md": article})
    code, output = carebase(project, "build", env={"CAREBASE_DEBUG": "1"})
    assert code != 0
    assert "Traceback" in output and "TemplateNotFound" in output


DEEP_EMPHASIS = "*a " * 1000 + "x" + " b*" * 1000
"""Python-Markdown parses nested emphasis recursively: a RecursionError in the build. (A
300-level nested list does not recurse: Python-Markdown stops nesting lists at ~220 levels.)"""


@pytest.mark.parametrize("workers", [1, 2])
def test_absurd_nesting_names_the_article(
    make_site: ProjectFactory, carebase: Run, workers: int
) -> None:
    # With two workers, the forked second process renders every other article (b-deep.md),
    # and its failure travels back to the parent as text: one line, too.
    project = make_site(
        {
            "kb/billing/a-fine.md": ARTICLE.format(extra="", body="Fine."),
            "kb/billing/b-deep.md": ARTICLE.format(extra="", body=DEEP_EMPHASIS),
        }
    )
    mkdocs_yml = project / "mkdocs.yml"
    text = mkdocs_yml.read_text(encoding="utf-8").replace(
        "      categories_file: kb/.categories.yml\n",
        f"      categories_file: kb/.categories.yml\n      workers: {workers}\n"
        "      parallel_min_pages: 1\n",
    )
    mkdocs_yml.write_text(text, encoding="utf-8")
    code, output = carebase(project, "build")
    assert code != 0
    assert "Traceback" not in output, output[-3000:]
    told = [line for line in output.splitlines() if "RecursionError" in line]
    assert any(
        "kb/billing/b-deep.md: RecursionError" in line and "hint: the page nests too deeply" in line
        for line in told
    ), output[-3000:]
    assert ("the second build process failed" in output) == (workers == 2)


@pytest.mark.parametrize("site_dir", ["/proc/forbidden/site", "a-file/site"])
def test_an_unwritable_site_dir_is_one_line(
    make_site: ProjectFactory, carebase: Run, site_dir: str
) -> None:
    project = make_site()
    (project / "a-file").write_text("not a folder\n", encoding="utf-8")
    code, output = carebase(project, "build", "--site-dir", site_dir)
    assert code != 0
    line = error_line(output)
    assert "cannot be written" in line and "hint: choose a folder you can write to" in line


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_serve_on_a_busy_port_says_the_port_is_in_use(
    make_site: ProjectFactory, carebase: Run, engine: str
) -> None:
    project = make_site()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, output = carebase(
            project, "serve", "--dev-addr", f"127.0.0.1:{port}", "--engine", engine
        )
    assert code != 0
    line = error_line(output)
    assert f"127.0.0.1:{port}: port in use" in line and "hint: stop the other server" in line


# --- JSON lines ----------------------------------------------------------------------------


THREAD = {
    "id": "1",
    "url": "https://forum.example.com/t/1",
    "title": "Router drops",
    "question": {"body": "It drops.", "created_at": "2026-10-01T09:00:00Z"},
}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("[" * 100_000, "threads.jsonl:2: line: is nested too deeply"),
        (json.dumps(THREAD).replace('"id": "1"', '"id": ' + "9" * 5000), "threads.jsonl:2: line:"),
        ('{"id": "2", "title": "' + "x" * 10_000_000, "threads.jsonl:2: line: is not valid JSON"),
    ],
    ids=["deep", "long-number", "10MB"],
)
def test_hostile_jsonl_lines_are_reported_at_their_line(
    make_site: ProjectFactory, carebase: Run, line: str, expected: str
) -> None:
    project = make_site()
    (project / "threads.jsonl").write_text(json.dumps(THREAD) + "\n" + line + "\n", "utf-8")
    code, output = carebase(project, "import", "jsonl", "threads.jsonl", "--dry-run")
    assert code != 0
    assert "Traceback" not in output
    assert expected in output, output[-2000:]
    assert "Error: 1 problem(s) in threads.jsonl; nothing was imported" in output
    assert len(output) < 5000  # the line itself is not echoed back
