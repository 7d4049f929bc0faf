"""``carebase deploy --dir`` replaces only a folder that is new, empty or an earlier deploy's,
never one that holds something a person would miss; and the swap leaves no moment where the
folder is missing or half written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from carebase.cli.main import cli
from carebase.deploy.places import PlaceError, check_target
from carebase.deploy.publish import publish_to_directory
from carebase.manifest import MANIFEST_FILE
from tests.conftest import ProjectFactory


def site_of(folder: Path, build_id: str, pages: int = 3) -> Path:
    """A built site: a manifest with ``build_id`` and pages that each name it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST_FILE).write_text(json.dumps({"build_id": build_id}), encoding="utf-8")
    for number in range(pages):
        (folder / f"page{number}.html").write_text(build_id, encoding="utf-8")
    return folder


def files_of(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# --- what may be replaced ------------------------------------------------------------------


def test_a_folder_of_other_files_is_refused_and_kept(tmp_path: Path) -> None:
    site = site_of(tmp_path / "site", "b1")
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "important.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(PlaceError) as caught:
        publish_to_directory(site, folder)
    first, hint = str(caught.value).splitlines()
    assert first.startswith(f"{folder}: is not empty and holds no Carebase site")
    assert hint.startswith("  hint: ")
    assert files_of(folder) == {"important.txt": "keep me"}


def test_the_cli_refuses_before_building(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = make_project()
    folder = tmp_path / "home-ish"
    folder.mkdir()
    (folder / "important.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["-f", str(project / "mkdocs.yml"), "deploy", "--dir", str(folder)]
    )
    assert result.exit_code == 1
    assert "holds no Carebase site" in result.output and "hint: " in result.output
    assert "Traceback" not in result.output and "building" not in result.output
    assert files_of(folder) == {"important.txt": "keep me"}
    assert not (project / "site").exists()


@pytest.mark.parametrize("state", ["missing", "empty", "an earlier site"])
def test_a_new_empty_or_earlier_deployed_folder_is_replaced(tmp_path: Path, state: str) -> None:
    target = tmp_path / "srv" / "help"
    if state != "missing":
        target.mkdir(parents=True)
    if state == "an earlier site":
        site_of(target, "old", pages=5)
    publish_to_directory(site_of(tmp_path / "site", "new"), target)
    assert files_of(target) == files_of(tmp_path / "site")
    assert sorted(path.name for path in target.parent.iterdir()) == ["help"]


def test_dangerous_targets_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each target looks like an earlier deploy (a manifest at its root) where it can, so only
    the rule about what it is stops it."""
    home = site_of(tmp_path / "home" / "ana", "x")
    monkeypatch.setenv("HOME", str(home))
    project = site_of(tmp_path / "home" / "ana" / "work" / "help", "x")
    content = site_of(project / "content", "x")
    site = project / "site"
    refused = {
        Path("/"): "is the file system's root",
        home: "is your home folder",
        home.parent: "is a folder holding your home folder",
        project: "is the project's folder",
        project.parent: "is a folder holding the project's folder",
        content: "is the content folder",
        content / "public": "is inside the content folder",
        site / "kb": "overlaps the built site",
        project / "site": "overlaps the built site",
    }
    for target, reason in refused.items():
        with pytest.raises(PlaceError) as caught:
            check_target(site, target, project=project, content=content)
        message = str(caught.value)
        assert message.startswith(f"{target}: {reason}"), message
        assert len(message.splitlines()) == 2 and "  hint: " in message
    check_target(site, project / "public", project=project, content=content)  # Allowed.


def test_a_link_to_a_dangerous_folder_is_refused(tmp_path: Path) -> None:
    project = site_of(tmp_path / "project", "x")
    (tmp_path / "link").symlink_to(project)
    with pytest.raises(PlaceError, match="is the project's folder"):
        check_target(project / "site", tmp_path / "link", project=project)


# --- the swap ------------------------------------------------------------------------------

READER = r"""
import json, os, sys
target, stop = sys.argv[1], sys.argv[2]
manifest = os.path.join(target, "carebase-manifest.json")
looks = missing = torn = 0
seen = set()

def build_id():
    with open(manifest, encoding="utf-8") as handle:
        return json.load(handle)["build_id"]

print("ready", flush=True)
while not os.path.exists(stop):
    looks += 1
    try:
        before = build_id()
        names = sorted(os.listdir(target))
        texts = [open(os.path.join(target, n), encoding="utf-8").read() for n in names]
        after = build_id()
    except (FileNotFoundError, NotADirectoryError):
        missing += 1
        continue
    except ValueError:  # A manifest being written: half a file.
        torn += 1
        continue
    if before != after:
        continue  # A swap happened while looking: neither tree alone was seen.
    seen.add(before)
    pages = [text for name, text in zip(names, texts) if name.endswith(".html")]
    if len(pages) != 20 or any(text != before for text in pages):
        torn += 1
print(json.dumps({"looks": looks, "missing": missing, "torn": torn, "seen": len(seen)}))
"""


def test_a_reader_never_sees_the_folder_missing_nor_half_written(tmp_path: Path) -> None:
    target = tmp_path / "srv" / "help"
    publish_to_directory(site_of(tmp_path / "sites" / "b0", "b0", pages=20), target)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(target), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline() == "ready\n"
        for number in range(1, 150):
            publish_to_directory(
                site_of(tmp_path / "sites" / f"b{number}", f"b{number}", 20), target
            )
    finally:
        stop.touch()
        output, _ = reader.communicate(timeout=60)
    seen = json.loads(output)
    assert seen["seen"] > 1, seen  # The reader watched swaps happen.
    assert (seen["missing"], seen["torn"]) == (0, 0), seen
    assert json.loads((target / MANIFEST_FILE).read_text())["build_id"] == "b149"
    assert sorted(path.name for path in target.parent.iterdir()) == ["help"]


def test_without_the_atomic_exchange_the_fallback_still_replaces_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where ``renameat2`` is missing, two renames do it (with a moment without the folder)."""
    import carebase.fsutil

    monkeypatch.setattr(carebase.fsutil, "exchange", lambda first, second: False)
    target = tmp_path / "help"
    for build_id in ("b1", "b2"):
        publish_to_directory(site_of(tmp_path / build_id, build_id), target)
    assert files_of(target) == files_of(tmp_path / "b2")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["b1", "b2", "help"]
