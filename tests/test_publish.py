"""Publishing a built site to a branch of a bare remote (real git) or into a folder, and
waiting until a web server serves it."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from carebase.deploy import DeployError
from carebase.deploy.live import wait_until_live
from carebase.deploy.places import PlaceError
from carebase.deploy.publish import publish_to_branch, publish_to_directory
from carebase.manifest import MANIFEST_FILE
from tests.gitrepos import git, state_of, user_checkout

SITE: dict[str, bytes] = {
    "index.html": b"<!doctype html><title>Help</title>\r\n",
    "kb/billing/refunds/index.html": "<p>Refunds – in 5 days</p>\n".encode(),
    "assets/logo.png": bytes(range(256)),
    ".gitignore": b"*.html\n",
    MANIFEST_FILE: b'{"build_id": "aaaa"}\n',
}


def write_site(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(folder).parts
    }


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A user's clone with a remote ``origin``, a staged and an unstaged edit, and a built
    site in ``site/`` (ignored, as MkDocs projects do)."""
    work = user_checkout(tmp_path, {"mkdocs.yml": "site_name: Help\n", ".gitignore": "site/\n"})
    write_site(work / "site", SITE)
    return work


def published(tmp_path: Path, name: str = "clone") -> dict[str, bytes]:
    clone = tmp_path / name
    git(tmp_path, "clone", "-q", "-b", "gh-pages", str(tmp_path / "remote.git"), str(clone))
    return files_in(clone)


def history(tmp_path: Path) -> list[str]:
    return git(tmp_path / "remote.git", "log", "--format=%s", "gh-pages").splitlines()


def test_the_branch_holds_exactly_the_site(checkout: Path, tmp_path: Path) -> None:
    commit = publish_to_branch(checkout, checkout / "site", "origin", "gh-pages", "Deploy aaaa")
    assert git(tmp_path / "remote.git", "rev-parse", "gh-pages").strip() == commit
    assert published(tmp_path) == {**SITE, ".nojekyll": b""}
    assert history(tmp_path) == ["Deploy aaaa"]


def test_the_same_site_again_makes_no_commit(checkout: Path, tmp_path: Path) -> None:
    first = publish_to_branch(checkout, checkout / "site", "origin", message="Deploy aaaa")
    again = publish_to_branch(checkout, checkout / "site", "origin", message="Deploy aaaa")
    assert again == first
    assert history(tmp_path) == ["Deploy aaaa"]


def test_a_changed_site_makes_one_commit_on_top(checkout: Path, tmp_path: Path) -> None:
    first = publish_to_branch(checkout, checkout / "site", "origin", message="Deploy aaaa")
    (checkout / "site" / "assets" / "logo.png").unlink()
    write_site(checkout / "site", {"kb/new/index.html": b"<p>New</p>\n"})
    second = publish_to_branch(checkout, checkout / "site", "origin", message="Deploy bbbb")
    assert git(tmp_path / "remote.git", "rev-parse", f"{second}^").strip() == first
    assert history(tmp_path) == ["Deploy bbbb", "Deploy aaaa"]
    assert published(tmp_path) == files_in(checkout / "site") | {".nojekyll": b""}


def test_another_deploy_in_between_is_built_upon(checkout: Path, tmp_path: Path) -> None:
    publish_to_branch(checkout, checkout / "site", "origin", message="Deploy aaaa")
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(tmp_path / "remote.git"), str(other))
    other_site = write_site(tmp_path / "other-site", {"index.html": b"other\n"})
    publish_to_branch(other, other_site, "origin", message="Deploy from elsewhere")
    write_site(checkout / "site", {"index.html": b"mine\n"})
    publish_to_branch(checkout, checkout / "site", "origin", message="Deploy bbbb")
    assert history(tmp_path) == ["Deploy bbbb", "Deploy from elsewhere", "Deploy aaaa"]
    assert published(tmp_path)["index.html"] == b"mine\n"


def test_deploys_pushing_at_the_same_moment_all_land(checkout: Path, tmp_path: Path) -> None:
    publish_to_branch(checkout, checkout / "site", "origin", message="Deploy aaaa")
    racers = 3  # One push lands per round: three rounds (ATTEMPTS) are enough for three.
    start = threading.Barrier(racers, timeout=60)
    failed: list[BaseException] = []

    def deploy(number: int) -> None:
        clone = tmp_path / f"runner-{number}"
        git(tmp_path, "clone", "-q", str(tmp_path / "remote.git"), str(clone))
        site = write_site(tmp_path / f"site-{number}", {"index.html": f"{number}\n".encode()})
        start.wait()
        try:
            publish_to_branch(clone, site, "origin", message=f"Deploy {number}")
        except BaseException as exc:
            failed.append(exc)

    threads = [threading.Thread(target=deploy, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == []
    assert sorted(history(tmp_path)[:racers]) == [f"Deploy {n}" for n in range(racers)]


def test_publishing_leaves_the_users_checkout_alone(checkout: Path) -> None:
    before = state_of(checkout)
    publish_to_branch(checkout, checkout / "site", "origin", message="Deploy aaaa")
    write_site(checkout / "site", {"kb/new/index.html": b"<p>New</p>\n"})
    after_site_change = state_of(checkout)
    publish_to_branch(checkout, checkout / "site", "origin", message="Deploy bbbb")
    assert state_of(checkout) == after_site_change
    assert before[:3] == after_site_change[:3]


def test_a_missing_site_or_remote_is_a_clear_error(checkout: Path) -> None:
    with pytest.raises(DeployError, match="no built site"):
        publish_to_branch(checkout, checkout / "nowhere", "origin")
    with pytest.raises(DeployError, match="branch gh-pages of nowhere: cannot publish"):
        publish_to_branch(checkout, checkout / "site", "nowhere")


def test_a_token_in_the_remote_never_shows(checkout: Path) -> None:
    url = "https://x-access-token:SECRET123456@127.0.0.1:1/repo.git"
    with pytest.raises(DeployError) as caught:
        publish_to_branch(checkout, checkout / "site", url)
    assert "SECRET123456" not in str(caught.value)


def test_a_folder_is_swapped_whole(checkout: Path, tmp_path: Path) -> None:
    target = tmp_path / "srv" / "help"
    assert publish_to_directory(checkout / "site", target) == target
    assert files_in(target) == SITE
    write_site(checkout / "site", {"index.html": b"new\n"})
    (checkout / "site" / "assets" / "logo.png").unlink()
    publish_to_directory(checkout / "site", target)
    publish_to_directory(checkout / "site", target)
    assert files_in(target) == files_in(checkout / "site")
    assert sorted(path.name for path in target.parent.iterdir()) == ["help"]
    assert target.stat().st_mode & 0o755 == 0o755


def test_a_folder_cannot_overlap_the_site(checkout: Path) -> None:
    with pytest.raises(PlaceError, match="overlaps"):
        publish_to_directory(checkout / "site", checkout / "site" / "kb")
    with pytest.raises(PlaceError, match="overlaps"):
        publish_to_directory(checkout / "site", checkout)


class _Quiet(SimpleHTTPRequestHandler):
    requests: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:
        self.requests.append((self.path, self.headers.get("Cache-Control")))
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A web server on 127.0.0.1 serving a folder: its address, and the folder."""
    root = tmp_path / "www"
    root.mkdir()
    _Quiet.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def manifest(root: Path, build_id: str) -> None:
    (root / MANIFEST_FILE).write_text(json.dumps({"build_id": build_id}), encoding="utf-8")


def test_waits_until_the_new_build_is_served(served: tuple[str, Path]) -> None:
    url, root = served
    manifest(root, "old")
    timer = threading.Timer(0.3, manifest, (root, "new"))
    timer.start()
    try:
        wait_until_live(url, "new", timeout=10, interval=0.05)
    finally:
        timer.cancel()


def test_returns_at_once_when_already_live(served: tuple[str, Path]) -> None:
    url, root = served
    manifest(root, "new")
    wait_until_live(url.rstrip("/"), "new", timeout=0, interval=0.05)


def test_says_which_build_it_saw_when_time_runs_out(served: tuple[str, Path]) -> None:
    url, root = served
    manifest(root, "old")
    with pytest.raises(
        DeployError, match=r"did not serve build new within 0.2s \(last saw build old"
    ):
        wait_until_live(url, "new", timeout=0.2, interval=0.05)


def test_says_what_status_it_saw_when_nothing_is_served(served: tuple[str, Path]) -> None:
    url, _ = served
    with pytest.raises(DeployError, match=r"last saw status 404\)\n  hint:"):
        wait_until_live(url, "new", timeout=0.1, interval=0.05)


def test_asks_caches_not_to_answer(served: tuple[str, Path]) -> None:
    url, root = served
    manifest(root, "old")
    with pytest.raises(DeployError):
        # Long enough for several looks even when a loaded machine answers slowly.
        wait_until_live(url, "new", timeout=1.0, interval=0.05)
    paths = [path for path, _ in _Quiet.requests]
    assert len(paths) >= 2
    assert len(set(paths)) == len(paths)  # a query of its own each time
    assert all(path.startswith(f"/{MANIFEST_FILE}?") for path in paths)
    assert {control for _, control in _Quiet.requests} == {"no-cache"}


def test_git_says_what_is_wrong_not_its_closing_advice(checkout: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>Help</p>", encoding="utf-8")
    with pytest.raises(DeployError) as caught:
        publish_to_branch(checkout, site, "nowhere", "gh-pages", "Deploy")
    assert "'nowhere' does not appear to be a git repository" in str(caught.value)
    assert "Please make sure" not in str(caught.value)
