"""Publishing a built site: a commit on a branch (like ``mkdocs gh-deploy``), or a folder.

The branch is written with plumbing and a private index, so the user's checkout is never
touched, and pushed without force: when another deploy moved the branch meanwhile, this one
fetches again and commits on top. A folder is replaced by renaming a complete copy into place,
so a web server serving it never sees half a site.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from carebase.deploy import DeployError
from carebase.gitutil import (
    GitError,
    failure,
    fetch_branch,
    git,
    lost_push_race,
    push_refusal,
    run_git,
    scrub,
)

ATTEMPTS = 3
"""Pushes tried when other deploys keep moving the branch."""
_HINT = "check the remote's name or URL and that this machine may push to it"
_NO_SITE = "there is no built site here\n  hint: run 'carebase build' first"
_EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
_BYTE_EXACT = ("-c", "core.autocrlf=false", "-c", "core.safecrlf=false", "-c", "core.filemode=true")


def publish_to_branch(
    repo: Path, site_dir: Path, remote: str, branch: str = "gh-pages", message: str = "Deploy"
) -> str:
    """Commit exactly ``site_dir`` (and an empty ``.nojekyll``) on ``branch`` of ``remote`` and
    push it; the commit's sha. An unchanged site makes no commit (the head's sha comes back)."""
    if not site_dir.is_dir():
        raise DeployError(f"{site_dir}: {_NO_SITE}")
    where = f"branch {branch} of {scrub(remote)}"
    try:
        tree = _site_tree(repo, site_dir)
        for _ in range(ATTEMPTS):
            head = fetch_branch(repo, remote, branch, f"refs/carebase/deploy/{branch}")
            if head is not None and _tree_of(repo, head) == tree:
                return head
            parents = ["-p", head] if head else []
            commit = git(repo, "commit-tree", tree, *parents, "-m", message).strip()
            if _push(repo, remote, branch, commit, where):
                return commit
    except GitError as exc:
        raise DeployError(f"{where}: cannot publish: {exc}\n  hint: {_HINT}") from None
    raise DeployError(
        f"{where}: other deploys moved the branch {ATTEMPTS} times while this one pushed\n"
        "  hint: run deploys in one concurrency group, then deploy again"
    )


def _site_tree(repo: Path, site_dir: Path) -> str:
    """The tree of every file in ``site_dir``, written through an index of our own."""
    git_dir = git(repo, "rev-parse", "--absolute-git-dir").strip()
    with tempfile.TemporaryDirectory(prefix="carebase-deploy-") as temp:
        env = {"GIT_INDEX_FILE": str(Path(temp) / "index")}
        place = ("--git-dir", git_dir, "--work-tree", str(site_dir.resolve()))
        # --force: the site is published whole, whatever .gitignore or info/exclude say.
        git(site_dir, *_BYTE_EXACT, *place, "add", "--all", "--force", ".", env=env)
        if not (site_dir / ".nojekyll").exists():
            cacheinfo = f"100644,{_EMPTY_BLOB},.nojekyll"
            git(repo, "hash-object", "-w", "--stdin", stdin=b"")
            git(repo, "update-index", "--add", "--cacheinfo", cacheinfo, env=env)
        return git(repo, "write-tree", env=env).strip()


def _tree_of(repo: Path, commit: str) -> str:
    return git(repo, "rev-parse", f"{commit}^{{tree}}").strip()


def _push(repo: Path, remote: str, branch: str, commit: str, where: str) -> bool:
    """Push ``commit`` as ``branch``: True when it landed, False when the branch had moved."""
    done = run_git(repo, "push", "--porcelain", remote, f"{commit}:refs/heads/{branch}")
    if done.returncode == 0:
        return True
    reason = push_refusal(done.stdout)
    if reason is not None and lost_push_race(reason):
        return False
    why = reason or str(failure("push", done))
    raise DeployError(f"{where}: cannot publish: {why}\n  hint: {_HINT}")


def publish_to_directory(site_dir: Path, target: Path) -> Path:
    """Replace ``target`` with a copy of ``site_dir``: copied beside it, then renamed into
    place, so ``target`` is always a whole site (the old one or the new one). ``target``."""
    site, target = site_dir.resolve(), target.absolute()
    _check_places(site, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
        try:
            shutil.copytree(site, fresh, symlinks=True, dirs_exist_ok=True)
            fresh.chmod(0o755)  # mkdtemp's folders are private; a web server must read this one.
            _swap(fresh, target)
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
    except OSError as exc:
        raise DeployError(
            f"{target}: cannot publish the site here: {exc.strerror or exc}\n"
            "  hint: check that the folder's parent exists and is writable"
        ) from None
    return target


def _check_places(site: Path, target: Path) -> None:
    if not site.is_dir():
        raise DeployError(f"{site}: {_NO_SITE}")
    if target.exists() and not target.is_dir():
        raise DeployError(f"{target}: is not a folder\n  hint: name a folder to publish into")
    real = target.resolve()
    if real == site or site in real.parents or real in site.parents:
        raise DeployError(
            f"{target}: overlaps the built site {site}\n"
            "  hint: publish into a folder outside the build's"
        )


def _swap(fresh: Path, target: Path) -> None:
    """Rename ``fresh`` to ``target``, moving an old ``target`` aside first and removing it."""
    if not target.exists():
        fresh.rename(target)
        return
    aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
    # Renaming a folder onto an empty one replaces it (POSIX), so the name is ours alone.
    target.rename(aside)
    try:
        fresh.rename(target)
    except OSError:
        aside.rename(target)
        raise
    shutil.rmtree(aside, ignore_errors=True)
