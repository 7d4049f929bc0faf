"""Publishing a built site: a commit on a branch (like ``mkdocs gh-deploy``), or a folder.

The branch is written with plumbing and a private index, so the user's checkout is never
touched, and pushed without force: when another deploy moved the branch meanwhile, this one
fetches again and commits on top. A folder is replaced by swapping a complete copy into place,
so a web server serving it never sees half a site, nor no site.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from carebase.deploy import DeployError
from carebase.deploy.places import check_target
from carebase.fsutil import replace_tree
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
_NO_SITE = "there is no built site here\n  hint: run 'carebase build' first"
_HINT = "check the remote's name or URL and that this machine may push to it"
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


def publish_to_directory(
    site_dir: Path, target: Path, *, project: Path | None = None, content: Path | None = None
) -> Path:
    """Replace ``target`` with a copy of ``site_dir``: copied beside it, then swapped into
    place in one step (:func:`~carebase.fsutil.replace_tree`), so ``target`` is always a whole
    site, the old one or the new one. ``target``. Only a folder that is new, empty or an earlier
    deploy's is replaced, never ``project`` nor ``content`` (:mod:`carebase.deploy.places`)."""
    site, target = site_dir.resolve(), target.absolute()
    if not site.is_dir():
        raise DeployError(f"{site}: {_NO_SITE}")
    check_target(site, target, project=project, content=content)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
        try:
            shutil.copytree(site, fresh, symlinks=True, dirs_exist_ok=True)
            fresh.chmod(0o755)  # mkdtemp's folders are private; a web server must read this one.
            replace_tree(fresh, target)
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
    except OSError as exc:
        raise DeployError(
            f"{target}: cannot publish the site here: {exc.strerror or exc}\n"
            "  hint: check that the folder's parent exists and is writable"
        ) from None
    return target
