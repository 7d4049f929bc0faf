"""Time from editing one article to its rebuilt page, on a synthetic site of N articles.

    python bench/rebuild.py --articles 2000 [--serve-mode full|dirty] [--edits 3]
                            [--dirty-build] [--out DIR]

1. ``mkdocs serve`` (what ``carebase serve`` runs; ``--serve-mode dirty`` adds ``--dirty``):
   once it serves, append a marker sentence to an article, and time until the page file in
   the served folder shows it (``rebuild_page_written_s``) and until the server serves it
   (``rebuild_s``: the server holds requests until the rebuild ends). A body-only edit takes
   Carebase's fast path (``carebase_mkdocs/live.py``); ``full_builds_after_edits`` counts the
   full builds the edits caused. ``--edits`` edits are made one after another; the first is
   the figure, the others show whether rebuilds stay that fast.
2. With ``--dirty-build``, first: ``mkdocs build --dirty`` after a full build, with one
   article edited (``dirty_build_s``).

Prints one ``name=value`` per line. The server is stopped by its PID: SIGINT (so it removes its
temporary site), then SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import (
    KIB,
    build_env,
    emit,
    emit_environment,
    fail_with_log,
    mkdocs,
    project_folder,
    run_measured,
)
from synth import write_site

POLL_S = 0.05


def free_port() -> int:
    """A TCP port nothing listens on right now, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def page_url(rel: str) -> str:
    """The URL path MkDocs gives ``kb/x/slug.md`` (directory URLs): ``kb/x/slug/``."""
    return rel.removesuffix(".md") + "/"


def edit(content: Path, rel: str, label: str) -> str:
    """Append a unique marker sentence to an article; returns the marker."""
    marker = f"Rebuild marker {label} {time.time_ns()}"
    with (content / rel).open("a", encoding="utf-8") as article:
        article.write(f"\n{marker}.\n")
    return marker


def articles_to_edit(files: dict[str, str], count: int) -> list[str]:
    """English how-to articles, spread over the site: the pages an editor touches."""
    staff = sorted(
        rel
        for rel, text in files.items()
        if rel.startswith("kb/")
        and rel.count("/") == 2
        and rel.endswith(".md")
        and not rel.endswith((".es.md", ".de.md"))
        and "\ntype: article\n" in text
    )
    step = max(len(staff) // max(count, 1), 1)
    return staff[::step][:count]


# --- approach 1: mkdocs build --dirty ------------------------------------------------------


def dirty_build(project: Path, rel: str) -> None:
    """Full build, edit one article, ``build --dirty``: time it and check the page changed."""
    site, logs = project / "site", project / "logs"
    if site.exists():
        shutil.rmtree(site)
    config = project / "mkdocs.yml"
    run = run_measured(
        mkdocs("build", config, "-q", "-d", str(site)), logs / "full.log", build_env()
    )
    if run.returncode:
        fail_with_log("the full build", run, logs / "full.log")
    emit("full_build_s", run.wall_s)
    marker = edit(project / "content", rel, "dirty")
    log = logs / "dirty.log"
    run = run_measured(mkdocs("build", config, "--dirty", "-q", "-d", str(site)), log, build_env())
    if run.returncode:
        fail_with_log("the dirty build", run, log)
    page = site / page_url(rel) / "index.html"
    emit("dirty_build_s", run.wall_s)
    emit("dirty_build_ok", str(shows(page, marker)).lower())


# --- approach 2: mkdocs serve --------------------------------------------------------------


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return bytes(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, server: subprocess.Popen[bytes], timeout: float) -> float:
    """Poll ``url`` until it answers; returns the seconds waited."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with code {server.returncode}")
        if fetch(url) is not None:
            return time.perf_counter() - started
        time.sleep(POLL_S)
    raise SystemExit(f"timed out after {timeout:.0f} s waiting for {url}")


def stop(server: subprocess.Popen[bytes]) -> None:
    """SIGINT lets MkDocs delete its temporary site; then SIGTERM, then SIGKILL."""
    for sig, grace in ((signal.SIGINT, 20), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        if server.poll() is not None:
            return
        server.send_signal(sig)
        try:
            server.wait(grace)
        except subprocess.TimeoutExpired:
            continue


@dataclass(frozen=True)
class Rebuild:
    """One edit while serving: when the page file changed, and when it was served."""

    written_s: float
    served_s: float
    search_index_kb: float


def served_site(tmp: Path) -> Path | None:
    """The temporary folder ``mkdocs serve`` builds into (it is the only one in ``tmp``)."""
    found = sorted(tmp.glob("mkdocs_*"))
    return found[0] if len(found) == 1 else None


def shows(page: Path, marker: str) -> bool:
    """Whether the built page file exists and holds ``marker``."""
    return page.is_file() and marker in page.read_text(encoding="utf-8", errors="replace")


def timed_edit(project: Path, rel: str, label: str, base: str, timeout: float) -> Rebuild:
    """Edit ``rel``; time until its file in the served site, then its URL, show the edit.

    The server holds every page request while it rebuilds, so the served time is when the
    whole rebuild ended: what a browser with live reload sees.
    """
    site = served_site(project / "tmp")
    page = site / page_url(rel) / "index.html" if site else None
    marker = edit(project / "content", rel, label)
    started = time.perf_counter()
    written = None
    while time.perf_counter() - started < timeout:
        if written is None and page is not None and shows(page, marker):
            written = time.perf_counter() - started
        if written is not None or page is None:
            body = fetch(base + page_url(rel))
            if body is not None and marker.encode("utf-8") in body:
                served = time.perf_counter() - started
                index = fetch(base + "search/search_index.json") or b""
                return Rebuild(written or served, served, len(index) / KIB)
        time.sleep(POLL_S)
    raise SystemExit(f"timed out after {timeout:.0f} s waiting for the edit of {rel}")


def full_builds(project: Path) -> int:
    """How many full builds the server has logged so far."""
    log = project / "logs" / "serve.log"
    return log.read_text(encoding="utf-8", errors="replace").count("Documentation built in")


def serve_rebuilds(
    project: Path, targets: list[str], mode: str, startup_timeout: float, edit_timeout: float
) -> list[Rebuild]:
    """Serve the site, edit each target in turn, and time until its page shows the edit."""
    port = free_port()
    options = ["--dev-addr", f"127.0.0.1:{port}"] + (["--dirty"] if mode == "dirty" else [])
    env = build_env()
    # Serve builds into a temporary folder; keep it inside the project, to be removed with it.
    tmp = project / "tmp"
    tmp.mkdir(exist_ok=True)
    env["TMPDIR"] = str(tmp)
    (project / "logs").mkdir(exist_ok=True)
    log = (project / "logs" / "serve.log").open("wb")
    server = subprocess.Popen(
        mkdocs("serve", project / "mkdocs.yml", *options),
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        emit("serve_start_s", wait_for(base, server, startup_timeout))
        built = full_builds(project)
        rebuilds = []
        for number, rel in enumerate(targets, start=1):
            if server.poll() is not None:
                raise SystemExit(f"the server exited with code {server.returncode}")
            rebuilds.append(timed_edit(project, rel, f"serve-{number}", base, edit_timeout))
        emit("full_builds_after_edits", full_builds(project) - built)
        return rebuilds
    finally:
        stop(server)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="how many articles (N)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic site")
    parser.add_argument("--out", type=Path, help="project folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--edits", type=int, default=1, help="edits timed while serving")
    parser.add_argument(
        "--serve-mode",
        choices=["dirty", "full"],
        default="full",
        help="plain serve, as carebase serve runs it (default), or serve --dirty",
    )
    parser.add_argument(
        "--dirty-build", action="store_true", help="also time `mkdocs build --dirty` first"
    )
    parser.add_argument("--startup-timeout", type=float, default=3600, help="seconds")
    parser.add_argument("--edit-timeout", type=float, default=600, help="seconds")
    args = parser.parse_args(argv)

    prefix = f"carebase-rebuild-{args.articles}-"
    with project_folder(args.out, prefix, args.keep) as project:
        files = write_site(args.articles, project, args.seed)
        targets = articles_to_edit(files, args.edits + 1)
        emit_environment()
        emit("articles", args.articles)
        emit("edited", targets[0])
        if args.dirty_build:
            dirty_build(project, targets[0])
        emit("serve_mode", args.serve_mode)
        rebuilds = serve_rebuilds(
            project, targets[1:], args.serve_mode, args.startup_timeout, args.edit_timeout
        )
        # The first edit is the figure: later ones show whether rebuilds stay that fast.
        emit("rebuild_page_written_s", rebuilds[0].written_s)
        emit("rebuild_s", rebuilds[0].served_s)
        emit("rebuild_s_all", ",".join(f"{r.served_s:.2f}" for r in rebuilds))
        emit("serve_search_index_kb_all", ",".join(f"{r.search_index_kb:.0f}" for r in rebuilds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
