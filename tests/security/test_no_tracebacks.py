"""No traceback reaches the user: hostile config, content, paths, ports, files and tokens each
end in one line naming what to fix (with a hint) and a non-zero exit — through the real CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from carebase.announce.ledger import State
from carebase.announce.model import Item, Message, NetworkKind
from carebase.announce.planner import Account
from carebase.announce.runner import Announcer
from carebase.announce.store import DirectoryStore
from tests.conftest import MKDOCS_YML, ProjectFactory

pytestmark = pytest.mark.slow

Run = Callable[..., tuple[int, str]]
ARTICLE = "---\ntitle: Refunds\n{extra}---\n# Refunds\n\n{body}\n"
CONFIG = MKDOCS_YML.replace("  name: material\n", "  name: material\n  custom_dir: theme\n")


@pytest.fixture
def make_site(make_project: ProjectFactory) -> ProjectFactory:
    """A project whose every page builds (the theme's templates included)."""

    def make(files: dict[str, str] | None = None) -> Path:
        return make_project(files, config=CONFIG, theme=True)

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


def engine_run(
    project: Path, engine: str, *args: str, env: dict[str, str] | None = None
) -> tuple[int, str]:
    """The engine through Carebase's runner, as ``carebase build`` starts it, but without the
    content check before it: what a plain engine build meets."""
    done = subprocess.run(
        [sys.executable, "-m", "carebase_mkdocs.run", engine, "build", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )
    return done.returncode, done.stdout + done.stderr


def test_check_names_a_misspelt_template(make_site: ProjectFactory, carebase: Run) -> None:
    article = ARTICLE.format(extra="template: articel.html\n", body="Text.")
    project = make_site({"kb/billing/refunds.md": article})
    code, output = carebase(project, "build")
    assert code != 0 and "Traceback" not in output
    assert "kb/billing/refunds.md:3: template:" in output, output


BROKEN_TEMPLATE = '{% extends "main.html" %}{% block content %}{{ 1 // 0 }}{% endblock %}\n'
"""A template the theme has, which fails while rendering: the check cannot see it coming."""


def broken_template_site(make_site: ProjectFactory) -> Path:
    article = ARTICLE.format(extra="template: broken.html\n", body="Text.")
    project = make_site({"kb/billing/refunds.md": article})
    (project / "theme" / "broken.html").write_text(BROKEN_TEMPLATE, encoding="utf-8")
    return project


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_a_page_failing_in_the_engine_is_named(
    make_site: ProjectFactory, carebase: Run, engine: str
) -> None:
    code, output = carebase(broken_template_site(make_site), "build", "--engine", engine)
    assert code != 0
    line = error_line(output)
    assert line.startswith("Error: kb/billing/refunds.md"), line
    assert "ZeroDivisionError" in line and "hint:" in line


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_a_misspelt_template_names_the_file_line_and_field(
    make_site: ProjectFactory, engine: str
) -> None:
    article = ARTICLE.format(extra="template: articel.html\n", body="Text.")
    project = make_site({"kb/billing/refunds.md": article})
    code, output = engine_run(project, engine)
    assert code != 0 and "Traceback" not in output
    assert "kb/billing/refunds.md:3: template: 'articel.html' is not a template" in output


def test_the_traceback_is_there_when_asked_for(make_site: ProjectFactory, carebase: Run) -> None:
    project = broken_template_site(make_site)
    code, output = carebase(project, "build", env={"CAREBASE_DEBUG": "1"})
    assert code != 0
    assert "Traceback" in output and "ZeroDivisionError" in output


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


# --- tokens --------------------------------------------------------------------------------

BAD_TOKEN = "tök-SECRET-ünïcode-4714"
"""A token pasted with non-ASCII letters: it cannot travel in an HTTP header."""


def manifest_with_one_faq(site: Path) -> None:
    from carebase.manifest import EntryType, Manifest, ManifestEntry, write_manifest

    entry = ManifestEntry(
        id="kb/billing/refunds@en",
        key="kb/billing/refunds",
        lang="en",
        type=EntryType.FAQ,
        title="How do I get a refund?",
        description="When you can get money back.",
        url="kb/billing/refunds/",
        html="kb/billing/refunds/index.html",
        source="kb/billing/refunds.md",
        category="billing",
        revision="r1",
    )
    site.mkdir(parents=True)
    write_manifest(site, Manifest("https://help.example.com/", "2026-11-23T12:00:00Z", [entry]))


def _network(kind: str, fake: Any) -> str:
    if kind == "linkedin":
        return f'{{kind: linkedin, organization: "{fake.organization}", url: "{fake.url}"}}'
    return f'{{kind: facebook, page_id: "{fake.page_id}", url: "{fake.url}"}}'


@pytest.mark.parametrize("kind", ["linkedin", "facebook"])
def test_a_bad_token_fails_its_network_alone(
    make_site: ProjectFactory, carebase: Run, kind: str
) -> None:
    from tests.fakes.social import FakeFacebook, FakeLinkedIn, FakeSlack

    variable = {"linkedin": "CAREBASE_LINKEDIN_TOKEN", "facebook": "CAREBASE_FACEBOOK_PAGE_TOKEN"}
    project = make_site()
    manifest_with_one_faq(project / "site")
    fake = FakeLinkedIn() if kind == "linkedin" else FakeFacebook()
    with fake.running(), FakeSlack().running() as slack:
        config = project / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8")
            + "  - carebase/announce:\n      ledger: {path: ledger}\n"
            + f"      networks: [{_network(kind, fake)}, {{kind: slack}}]\n",
            encoding="utf-8",
        )
        env = {variable[kind]: BAD_TOKEN, "CAREBASE_SLACK_WEBHOOK_URL": slack.webhook_url}
        code, output = carebase(project, "announce", "--backfill", env=env)
    assert code == 1
    assert "Traceback" not in output and BAD_TOKEN not in output
    assert "posted      slack kb/billing/refunds@en" in output
    failed = [line for line in output.splitlines() if line.strip().startswith("failed")]
    assert len(failed) == 1 and kind in failed[0]
    assert f"{variable[kind]} holds a character a token cannot have" in failed[0]
    assert len(slack.posts) == 1 and fake.posts == []


@pytest.mark.parametrize(
    ("command", "variable"),
    [
        (["import", "discourse"], "CAREBASE_DISCOURSE_API_KEY"),
        (["import", "discourse"], "CAREBASE_DISCOURSE_API_USERNAME"),
        (["import", "discussions"], "GITHUB_TOKEN"),
    ],
)
def test_a_bad_importer_token_is_one_line_naming_the_variable(
    make_site: ProjectFactory, carebase: Run, command: list[str], variable: str
) -> None:
    project = make_site()
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "  - carebase/import:\n      discourse: {url: 'http://127.0.0.1:9'}\n"
        "      discussions: {repository: brightwave/help}\n",
        encoding="utf-8",
    )
    env = {
        "CAREBASE_DISCOURSE_API_KEY": "key-4711",
        "CAREBASE_DISCOURSE_API_USERNAME": "system",
        variable: "tok-4712\nSECRET-4713" if variable == "GITHUB_TOKEN" else BAD_TOKEN,
    }
    code, output = carebase(project, *command, env=env)
    assert code != 0
    line = error_line(output)
    assert f"{variable} holds a character a token cannot have" in line and "hint:" in line
    assert BAD_TOKEN not in output and "SECRET-4713" not in output


class _Crashing:
    """A client that fails in a way no network module maps (a library's own bug)."""

    name, kind, reconciles = "linkedin", NetworkKind.LINKEDIN, True

    def send(self, message: Message) -> str:
        raise UnicodeEncodeError("ascii", "tök", 1, 2, "ordinal not in range(128)")

    def find(self, message: Message) -> str | None:
        return None

    def close(self) -> None:
        """Nothing to close."""


class _Working(_Crashing):
    name, kind, reconciles = "slack", NetworkKind.SLACK, False

    def send(self, message: Message) -> str:
        return "posted-1"


def test_a_client_crashing_while_posting_fails_its_network_alone(tmp_path: Path) -> None:
    item = Item("kb/a@en", "r1", "faq", "en", "A?", "a", "https://help.example.com/kb/a/")

    def compose(item: Item, name: str) -> Message:
        return Message(item.id, item.revision, name, NetworkKind.SLACK, "A?", item.url, "A?", "",
                       "en", 2, 500)  # fmt: skip

    networks = {"linkedin": _Crashing(), "slack": _Working()}
    announcer = Announcer(DirectoryStore(tmp_path), networks, compose, lease=timedelta(hours=1))
    accounts = [Account("linkedin", (), 5), Account("slack", (), 5)]
    report = announcer.run([item], accounts, backfill=True)
    states = {outcome.network: outcome for outcome in report.outcomes}
    assert states["slack"].state is State.POSTED
    assert states["linkedin"].state is State.FAILED
    assert "linkedin: UnicodeEncodeError:" in (states["linkedin"].error or "")


# --- more hostile input, found by hand -----------------------------------------------------

DEEP_YAML = "[" * 10_000 + "]" * 10_000
REVIEWED = "---\ntitle: Refunds\nreviewed: {reviewed}\nreview_every: {every}\n---\n# Refunds\n"


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as file:
            file.write(text)

    return change


def _write_bytes(rel: str, data: bytes) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_bytes(data)

    return change


def _kb_option(option: str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8").replace(
            "      categories_file: kb/.categories.yml\n",
            f"      categories_file: kb/.categories.yml\n      {option}\n",
        )
        config.write_text(text, encoding="utf-8")

    return change


def _both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        for each in changes:
            each(project)

    return change


IMPORTING = _append("mkdocs.yml", "  - carebase/import\n")
ANNOUNCING = _append("mkdocs.yml", "  - carebase/announce:\n      networks: [{kind: slack}]\n")
MANIFEST = "site/carebase-manifest.json"
REDIRECTS = "content/.carebase/redirects.yml"
DEEP_PATTERN = "  - carebase/import:\n      redact: [{pattern: '" + "(" * 1000 + ")" * 1000 + "'"
HOSTILE = {
    "deep-config": (_append("mkdocs.yml", f"extra: {DEEP_YAML}\n"), ["check"],
                    "mkdocs.yml: is nested too deeply to be a config"),
    "review-every-overflow": (
        _append("content/kb/billing/refunds.md", REVIEWED.format(reviewed="2026-01-01",
                                                                 every="99999999999y")),
        ["check"], "kb/billing/refunds.md:4: review_every: must be at most 100y"),
    "deep-redirects": (_both(IMPORTING, _append(REDIRECTS, DEEP_YAML)), ["build"],
                       ".carebase/redirects.yml:1: file: is nested too deeply"),
    "binary-redirects": (_both(IMPORTING, _write_bytes(REDIRECTS, b"\xff\xfe\0")),
                         ["build"], ".carebase/redirects.yml:1: file: cannot be read"),
    "deep-manifest": (_both(ANNOUNCING, _append(MANIFEST, DEEP_YAML)), ["announce", "--dry-run"],
                      "carebase-manifest.json: cannot be read (nested too deeply)"),
    "manifest-without-entries": (_both(ANNOUNCING, _append(MANIFEST, '{"version": 1}')),
                                 ["announce", "--dry-run"], "has no list of entries"),
    "deep-redact-pattern": (_append("mkdocs.yml", DEEP_PATTERN + ", label: x}]\n"),
                            ["import", "discourse"], "redact.0.pattern: is not a valid regular "
                            "expression: it nests too deeply"),
    "zero-per-page": (_kb_option("per_page: 0"), ["build"],
                      "option 'per_page': must be at least 1, got 0"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_and_options_are_one_line(
    make_site: ProjectFactory, carebase: Run, name: str
) -> None:
    change, command, expected = HOSTILE[name]
    project = make_site()
    change(project)
    code, output = carebase(project, *command)
    assert code != 0
    assert "Traceback" not in output, output[-3000:]
    assert expected in output, output[-3000:]


def test_a_review_date_at_the_end_of_the_calendar_is_not_a_crash(
    make_site: ProjectFactory, carebase: Run
) -> None:
    article = REVIEWED.format(reviewed="9999-12-31", every="180d")
    project = make_site({"kb/billing/refunds.md": article})
    code, output = carebase(project, "check")
    assert (code, "Traceback" in output) == (0, False), output[-3000:]


def test_a_forum_answering_absurdly_nested_json_is_one_line(
    make_site: ProjectFactory, carebase: Run
) -> None:
    from tests.fakes.discourse import FakeDiscourse
    from tests.fakes.server import Fault

    project = make_site()
    _append("mkdocs.yml", "  - carebase/import\n")(project)
    forum = FakeDiscourse()
    forum._faults.add(Fault(200, b"[" * 100_000, times=10))
    with forum.running():
        code, output = carebase(
            project, "import", "discourse", env={"CAREBASE_DISCOURSE_URL": forum.url}
        )
    assert code != 0
    assert "did not answer a JSON object" in error_line(output)


@pytest.mark.parametrize("command", ["discussions", "pulls"])
def test_github_answering_absurdly_nested_json_is_one_line(
    make_site: ProjectFactory, carebase: Run, command: str
) -> None:
    from tests.fakes.github import FakeGitHub
    from tests.fakes.server import Fault

    project = make_site()
    options = "{discussions: {repository: b/help}, pulls: {repositories: [b/help]}}"
    _append("mkdocs.yml", f"  - carebase/import: {options}\n")(project)
    github = FakeGitHub()
    github._faults.add(Fault(200, b"[" * 100_000, times=50))
    with github.running():
        env = {"CAREBASE_GITHUB_API_URL": github.api_url, "GITHUB_TOKEN": github.token}
        code, output = carebase(project, "import", command, env=env)
    assert code != 0
    assert "gave an answer that cannot be read (RecursionError) while reading b/help" in (
        error_line(output)
    )


def test_an_unforeseen_error_is_one_line_with_how_to_see_more(
    make_site: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from carebase.cli import check as check_module
    from carebase.cli.main import cli

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(check_module, "run_checks", broken)
    project = make_site()
    result = CliRunner().invoke(cli, ["-f", str(project / "mkdocs.yml"), "check"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: unexpected ZeroDivisionError: division by zero; hint: run again with "
        "CAREBASE_DEBUG=1 for the traceback, and report it\n"
    )
    monkeypatch.setenv("CAREBASE_DEBUG", "1")
    result = CliRunner().invoke(cli, ["-f", str(project / "mkdocs.yml"), "check"])
    assert isinstance(result.exception, ZeroDivisionError)
