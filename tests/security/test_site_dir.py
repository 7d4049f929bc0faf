"""A build never empties a folder that is not a site: MkDocs deletes a site folder's contents
before it writes, so ``--site-dir ~`` or ``site_dir: ..`` would delete what a person keeps."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.commands import carebase
from tests.conftest import MKDOCS_YML

pytestmark = pytest.mark.slow


def build(
    project: Path, *options: str, home: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return carebase(project, "build", *options, env={"HOME": str(home)} if home else None)


def refused(done: subprocess.CompletedProcess[str], words: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode != 0, output[-2000:]
    assert words in output, output[-2000:]
    assert "Traceback" not in output


@pytest.fixture
def project(make_project) -> Path:
    return make_project(
        theme=True,
        config=MKDOCS_YML.replace("  name: material", "  name: material\n  custom_dir: theme"),
    )


def test_a_folder_of_other_files_is_not_emptied(project: Path, tmp_path: Path) -> None:
    keep = tmp_path / "papers"
    keep.mkdir()
    (keep / "important.txt").write_text("keep me", encoding="utf-8")
    refused(build(project, "--site-dir", str(keep)), "holds no earlier build")
    assert (keep / "important.txt").read_text(encoding="utf-8") == "keep me"


def test_the_home_folder_and_a_neighbour_are_never_the_site(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("key", encoding="utf-8")
    (home / "404.html").write_text("looks like a site", encoding="utf-8")
    refused(build(project, "--site-dir", str(home), home=home), "your home folder")
    assert (home / ".ssh" / "id_ed25519").exists()
    # mkdocs.yml names the folder: a neighbour of the project, holding another's files.
    (project.parent / "neighbour").mkdir()
    (project.parent / "neighbour" / "README.md").write_text("theirs", encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "site_dir: ../neighbour\n", encoding="utf-8")
    refused(build(project), "holds no earlier build")
    assert (project.parent / "neighbour" / "README.md").exists()


def test_an_earlier_build_or_an_empty_folder_is_rebuilt(project: Path, tmp_path: Path) -> None:
    site = tmp_path / "out"
    assert build(project, "--site-dir", str(site)).returncode == 0
    (site / "stale.html").write_text("old", encoding="utf-8")
    done = build(project, "--site-dir", str(site))
    assert done.returncode == 0, done.stderr[-2000:]
    assert not (site / "stale.html").exists()
    assert (site / "index.html").exists()
