"""Measuring a build: wall time and peak memory of a subprocess, and the size of what it wrote.

Shared by ``build_scale.py`` and ``rebuild.py``. Pure standard library: the child's peak RSS
comes from ``os.wait4`` (the kernel's own accounting of that child), and a sampler thread adds
the peak of the whole process tree, which differs only if the build starts workers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from synth import BUILD_EPOCH, REPO

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MIB = 1 << 20
KIB = 1 << 10


def build_env() -> dict[str, str]:
    """The environment of every timed build: pinned build time, no MkDocs 2 banner."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(BUILD_EPOCH)
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def mkdocs(verb: str, config: Path, *options: str) -> list[str]:
    """``python -m mkdocs VERB -f CONFIG …`` with this interpreter (the project's venv)."""
    return [sys.executable, "-m", "mkdocs", verb, "-f", str(config), *options]


@dataclass(frozen=True)
class Run:
    """How a finished subprocess went."""

    returncode: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    peak_tree_rss_mb: float
    peak_tree_pss_mb: float = 0.0
    """All processes' proportional set size: shared pages counted once in total."""
    peak_single_rss_mb: float = 0.0
    """The largest single process."""


class TreeSampler(threading.Thread):
    """Samples the memory of a process and all its descendants until told to stop.

    Three peaks: the summed RSS (counts pages forked processes share once per process), the
    summed PSS (each shared page split between its sharers: the memory really in use) and
    the largest single process's RSS.
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_bytes = 0
        self.peak_pss_bytes = 0
        self.peak_single_bytes = 0
        self._finished = threading.Event()

    def run(self) -> None:
        while not self._finished.wait(self.interval):
            rss, pss, single = tree_memory(self.pid)
            self.peak_bytes = max(self.peak_bytes, rss)
            self.peak_pss_bytes = max(self.peak_pss_bytes, pss)
            self.peak_single_bytes = max(self.peak_single_bytes, single)

    def stop(self) -> None:
        self._finished.set()
        self.join()


def tree_pids(root: int) -> set[int]:
    """``root`` and its descendants, read from /proc (empty off Linux)."""
    parents: dict[int, int] = {}
    try:
        entries = [entry.name for entry in Path("/proc").iterdir() if entry.name.isdigit()]
    except OSError:
        return set()
    for entry in entries:
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses; fields follow the last ')'.
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return tree


def tree_memory(root: int) -> tuple[int, int, int]:
    """Summed RSS, summed PSS and largest RSS (bytes) of ``root`` and its descendants."""
    rss_total = pss_total = largest = 0
    for pid in tree_pids(root):
        try:
            rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except (OSError, IndexError, ValueError):
            continue
        pss = next(
            (
                int(line.split()[1]) * 1024
                for line in rollup.splitlines()
                if line.startswith("Pss:")
            ),
            rss,
        )
        rss_total += rss
        pss_total += pss
        largest = max(largest, rss)
    return rss_total, pss_total, largest


def run_measured(command: Sequence[str], log: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to completion, output to ``log``; time it and take its peak RSS."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        sampler.stop()
    # wait4 reaped the child; tell Popen, so it does not wait for it again.
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        returncode=process.returncode,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss * KIB / MIB,  # ru_maxrss is in KiB on Linux
        peak_tree_rss_mb=max(sampler.peak_bytes, usage.ru_maxrss * KIB) / MIB,
        peak_tree_pss_mb=sampler.peak_pss_bytes / MIB,
        peak_single_rss_mb=max(sampler.peak_single_bytes, usage.ru_maxrss * KIB) / MIB,
    )


def fail_with_log(what: str, run: Run, log: Path, lines: int = 40) -> None:
    """Stop the benchmark: the build failed; show the end of its output."""
    tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    sys.stderr.write("\n".join(tail) + "\n")
    raise SystemExit(f"{what} failed with exit code {run.returncode}; full output in {log}")


REDIRECT_MAX_BYTES = 4096
REDIRECT_MARK = b'http-equiv="refresh"'


@dataclass(frozen=True)
class SiteStats:
    """What a build wrote: page count, bytes, page size distribution, search index size.

    ``rendered`` pages leave out redirect stubs (small pages with a meta refresh, such as a
    language version that sends readers to the default language's page).
    """

    pages: int
    rendered_pages: int
    files: int
    site_mb: float
    html_median_kb: float
    html_p95_kb: float
    rendered_median_kb: float
    rendered_p95_kb: float
    search_index_kb: float


def is_redirect(path: Path, size: int) -> bool:
    """A small HTML page that only sends the reader elsewhere."""
    if size > REDIRECT_MAX_BYTES:
        return False
    with path.open("rb") as page:
        return REDIRECT_MARK in page.read(REDIRECT_MAX_BYTES)


def site_stats(site: Path) -> SiteStats:
    """Sizes of everything under ``site``; ``pages`` are the HTML files."""
    html: list[int] = []
    rendered: list[int] = []
    total = files = 0
    for path in site.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            files += 1
            if path.suffix == ".html":
                html.append(size)
                if not is_redirect(path, size):
                    rendered.append(size)
    html.sort()
    rendered.sort()
    return SiteStats(
        pages=len(html),
        rendered_pages=len(rendered),
        files=files,
        site_mb=total / MIB,
        html_median_kb=_median(html) / KIB,
        html_p95_kb=nearest_rank(html, 0.95) / KIB if html else 0.0,
        rendered_median_kb=_median(rendered) / KIB,
        rendered_p95_kb=nearest_rank(rendered, 0.95) / KIB if rendered else 0.0,
        search_index_kb=search_index_bytes(site) / KIB,
    )


def _median(sizes: Sequence[int]) -> float:
    return statistics.median(sizes) if sizes else 0.0


def nearest_rank(ordered: Sequence[int], fraction: float) -> int:
    """The nearest-rank percentile of an already sorted, non-empty sequence."""
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def search_index_bytes(site: Path) -> int:
    """What the site ships for search in its default language: its Pagefind bundles
    (``pagefind/``, ``pagefind-2/``…) if there are any, else lunr's JSON."""
    bundles = [path for path in site.glob("pagefind*") if path.is_dir()]
    if bundles:
        return sum(p.stat().st_size for b in bundles for p in b.rglob("*") if p.is_file())
    return sum(p.stat().st_size for p in site.glob("**/search/search_index.json"))


@contextlib.contextmanager
def project_folder(out: Path | None, prefix: str, keep: bool) -> Iterator[Path]:
    """``out``, or a temporary folder removed afterwards unless ``keep``."""
    if out is not None:
        yield out.resolve()
        return
    project = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield project
    finally:
        if keep:
            print(f"# kept {project}", file=sys.stderr)
        else:
            shutil.rmtree(project, ignore_errors=True)


def emit(name: str, value: object) -> None:
    """One ``name=value`` line on stdout, flushed so a long run shows progress."""
    if isinstance(value, float):
        value = f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    print(f"{name}={value}", flush=True)


def emit_environment() -> None:
    """Where the figures come from: commit, versions, cores, date (for RESULTS.md)."""
    emit("commit", _git("rev-parse", "--short", "HEAD") or "unknown")
    emit("worktree", "modified" if _git("status", "--porcelain") else "clean")
    emit("date", dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    emit("python", platform.python_version())
    for package in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n"):
        try:
            emit(package.replace("-", "_"), metadata.version(package))
        except metadata.PackageNotFoundError:
            emit(package.replace("-", "_"), "absent")
    emit("cpus", os.cpu_count() or 0)
    emit("load_avg_1m", os.getloadavg()[0])


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
