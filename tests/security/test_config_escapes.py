"""mkdocs.yml cannot pull a file from outside the project: ``INHERIT: /proc/self/environ``
would put the deploy's environment into an error line, and a config outside the repository
is not reviewed with it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.commands import carebase
from tests.conftest import MKDOCS_YML

CANARY = "canary-inherit-5e2b77"


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return carebase(project, *args, env={"CAREBASE_CANARY_TOKEN": CANARY})


@pytest.mark.parametrize("inherit", ["/proc/self/environ", "../outside.yml"])
def test_inherit_outside_the_project_is_refused(make_project, inherit: str) -> None:
    project = make_project(config=f"INHERIT: {inherit}\n" + MKDOCS_YML)
    (project.parent / "outside.yml").write_text(f"site_name: {CANARY}\n", encoding="utf-8")
    for command in (["check"], ["build"]):
        done = run(project, *command)
        output = done.stdout + done.stderr
        assert done.returncode == 1, output
        assert "mkdocs.yml: INHERIT:" in output and "outside the project folder" in output
        assert CANARY not in output
        assert "Traceback" not in output
        assert not (project / "site").exists()


def test_inherit_inside_the_project_still_works(make_project) -> None:
    project = make_project(config="INHERIT: base.yml\nsite_name: Child\n")
    (project / "base.yml").write_text(MKDOCS_YML, encoding="utf-8")
    done = run(project, "check")
    assert done.returncode == 0, done.stdout + done.stderr
