"""Import N solved topics from the fake Discourse forum, then re-sync the unchanged forum.

    python bench/import_scale.py --topics 12000 [--seed S] [--concurrency C] [--bumped K]
                                 [--source-only] [--out DIR] [--keep]

Prints one ``name=value`` per line (see bench/README.md). The fake forum
(``tests/fakes/discourse.py``) runs in a child process, so its work does not share this
process's interpreter lock with the importer it answers. First the source alone: a full read,
an unchanged re-sync, a re-sync after ``K`` topics were bumped. Then, unless
``--source-only``, the real sync engine into a copy of the sample project: a full import and
an unchanged re-sync, with every file under ``content/`` compared before and after it.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import emit, emit_environment, project_folder
from synth import REPO

sys.path.insert(0, str(REPO))  # For tests.fakes.discourse.

from carebase.importers.discourse import DiscourseSource
from carebase.importers.model import Cursor, Removal, Thread
from tests.fakes.discourse import PAGE_SIZE, FakeDiscourse

# --- the fake forum, in a child process ----------------------------------------------------


def _serve(topics: int, seed: int, conn: Connection) -> None:
    fake = FakeDiscourse(topics, seed=seed)
    with fake.running():
        conn.send(fake.url)
        while (message := conn.recv()) != "stop":
            conn.send(_answer(fake, message))


def _answer(fake: FakeDiscourse, message: tuple[str, int]) -> Any:
    verb, count = message
    if verb == "requests":
        return len(fake.requests)
    if verb == "bump":
        # The oldest solved public topics: the listing must reach the bottom of its pages.
        oldest = fake.solved_public()[-count:] if count else []
        for topic in oldest:
            fake.bump(topic.id)
        return [topic.id for topic in oldest]
    if verb == "expected":
        return len(fake.solved_public())
    raise ValueError(verb)


class Forum:
    """The child process serving the fake forum, and questions to it."""

    def __init__(self, conn: Connection, url: str) -> None:
        self.conn = conn
        self.url = url

    def ask(self, verb: str, count: int = 0) -> Any:
        self.conn.send((verb, count))
        return self.conn.recv()


@contextmanager
def forum(topics: int, seed: int) -> Iterator[Forum]:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(topics, seed, theirs), daemon=True)
    process.start()
    try:
        yield Forum(ours, ours.recv())
    finally:
        ours.send("stop")
        process.join(timeout=10)
        if process.is_alive():
            process.terminate()


# --- the source alone ----------------------------------------------------------------------


def source_phase(name: str, site: Forum, concurrency: int, since: Cursor, *, full: bool) -> Cursor:
    """One iteration of the source's changes; its figures, prefixed ``name``."""
    source = DiscourseSource(site.url, concurrency=concurrency)
    before = site.ask("requests")
    started = time.perf_counter()
    threads = removals = 0
    for change in source.changes(since, full=full, limit=None):
        threads += isinstance(change, Thread)
        removals += isinstance(change, Removal)
    seconds = time.perf_counter() - started
    emit(f"{name}_s", seconds)
    emit(f"{name}_requests", source.requests_made)
    emit(f"{name}_server_requests", site.ask("requests") - before)
    emit(f"{name}_threads", threads)
    emit(f"{name}_removals", removals)
    if threads:
        emit(f"{name}_threads_per_s", threads / seconds)
    return source.cursor()


# --- through the engine --------------------------------------------------------------------


def engine_available() -> bool:
    try:
        from carebase.importers import sync  # noqa: F401
    except ImportError:
        return False
    return True


def copy_sample(folder: Path) -> Path:
    """The sample project's mkdocs.yml and content (no import state), in ``folder``."""
    shutil.copy2(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(
        REPO / "content",
        folder / "content",
        ignore=shutil.ignore_patterns(".carebase"),
        dirs_exist_ok=True,
    )
    return folder / "mkdocs.yml"


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """``path → (size, mtime_ns)`` of every file under ``root``."""
    return {
        str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file()
    }


def engine_phase(name: str, site: Forum, config: Path, concurrency: int, *, full: bool) -> None:
    from carebase.importers.images import fetch_url
    from carebase.importers.settings import DiscourseOptions, import_settings
    from carebase.importers.sync import Action, sync
    from carebase.project import load_project, plugin_configs, read_config

    project = load_project(config)
    settings = import_settings(plugin_configs(read_config(config).get("plugins")))
    options = DiscourseOptions(url=site.url, concurrency=concurrency)
    settings = settings.model_copy(update={"discourse": options})
    source = DiscourseSource.from_settings(options, {})
    downloads = 0

    def fetch(url: str, max_bytes: int) -> bytes:
        nonlocal downloads
        downloads += 1
        return fetch_url(url, max_bytes)

    before = snapshot(project.docs_dir)
    started = time.perf_counter()
    report = sync(source, project, settings, full=full, fetch=fetch)
    seconds = time.perf_counter() - started
    after = snapshot(project.docs_dir)
    changed = sum(1 for path in before.keys() | after.keys() if before.get(path) != after.get(path))
    emit(f"{name}_s", seconds)
    emit(f"{name}_requests", source.requests_made)
    emit(f"{name}_image_downloads", downloads)
    for action in Action:
        emit(f"{name}_{action.value.replace('-', '_')}", report.count(action))
    emit(f"{name}_files_changed", changed)
    emit(f"{name}_cursor_saved", report.cursor_saved)
    if report.error:
        emit(f"{name}_error", report.error)
    community = [p for p in after if "/community/" in p and p.endswith(".md")]
    emit(f"{name}_community_articles", len(community))


# --- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=12_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--bumped", type=int, default=30, help="Topics bumped before a re-sync.")
    parser.add_argument("--source-only", action="store_true", help="Leave out the engine.")
    parser.add_argument("--out", type=Path, help="Keep the project copy here.")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)

    emit_environment()
    emit("topics", args.topics)
    emit("concurrency", args.concurrency)
    emit("resync_request_budget", math.ceil(args.topics / PAGE_SIZE))
    with forum(args.topics, args.seed) as site:
        emit("expected_threads", site.ask("expected"))
        run_source(site, args)
        if args.source_only:
            return
        if not engine_available():
            emit("engine", "absent")
            return
        run_engine(site, args)


def run_source(site: Forum, args: argparse.Namespace) -> None:
    cursor = source_phase("source_full", site, args.concurrency, Cursor(), full=True)
    source_phase("source_resync", site, args.concurrency, cursor, full=False)
    if args.bumped:
        site.ask("bump", args.bumped)
        source_phase("source_bumped", site, args.concurrency, cursor, full=False)


def run_engine(site: Forum, args: argparse.Namespace) -> None:
    emit("engine", "present")
    with project_folder(args.out, "carebase-import-", args.keep) as folder:
        folder.mkdir(parents=True, exist_ok=True)
        config = copy_sample(folder)
        engine_phase("engine_full", site, config, args.concurrency, full=True)
        engine_phase("engine_resync", site, config, args.concurrency, full=False)


if __name__ == "__main__":
    main()
