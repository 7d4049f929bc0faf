"""Build a synthetic help centre of N articles with Carebase, and optionally with stock Material.

    python bench/build_scale.py --articles 2000 [--compare-stock] [--repeat N] [--profile]
                                [--out DIR] [--keep]

Prints one ``name=value`` per line (see bench/README.md for what each figure means). With
``--compare-stock`` the same content is also built by stock mkdocs-material (its search and
blog plugins, no nav so MkDocs lists every page, no Carebase, no i18n) in the same run.
With ``--repeat N`` the Carebase build runs N times in a row (figures of the first, then
``wall_s_runs`` and ``wall_s_median``): ``speedup`` is then stock's wall time over that median,
so one slow or fast moment of a shared machine does not decide the ratio.
With ``--profile`` the Carebase build runs once more in-process under cProfile, and the top
functions by cumulative and by own time follow the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml
from measure import (
    Run,
    build_env,
    emit,
    emit_environment,
    fail_with_log,
    mkdocs,
    project_folder,
    run_measured,
    site_stats,
)
from synth import write_site

from carebase.project import plugin_configs, read_config

STOCK_KEYS = (
    "site_name",
    "site_description",
    "site_url",
    "repo_url",
    "repo_name",
    "edit_uri",
    "copyright",
    "markdown_extensions",
)
PROFILE_TOP = 25


# --- stock Material ------------------------------------------------------------------------


def stock_config(carebase_config: Path, same_features: bool) -> dict[str, Any]:
    """Stock Material for the same content: its search and blog plugins, and no ``nav``.

    Without ``nav`` (and without ``not_in_nav``) MkDocs lists every page, so every page
    carries the whole navigation: what a Material site of this size does out of the box.
    """
    ours = read_config(carebase_config)
    config = {key: ours[key] for key in STOCK_KEYS if key in ours}
    theme = ours.get("theme", {})
    config["docs_dir"] = "content"
    config["theme"] = {
        "name": "material",
        **{key: theme[key] for key in ("language", "font", "palette") if key in theme},
    }
    if same_features and "features" in theme:
        config["theme"]["features"] = theme["features"]
    blog = plugin_configs(ours.get("plugins")).get("blog", {})
    config["plugins"] = ["search", {"blog": blog}]
    return config


def strip_template(text: str) -> str:
    """Drop ``template:`` from front matter: stock Material lacks Carebase's templates.

    Every other key stays; MkDocs and Material ignore the ones they do not know.
    """
    if not text.startswith("---\n"):
        return text
    end = text.find("\n---\n", 4)
    if end < 0:
        return text
    head = [line for line in text[4:end].split("\n") if not line.startswith("template:")]
    return "---\n" + "\n".join(head) + text[end:]


def _copy_content(source: str, target: str) -> None:
    if source.endswith(".md"):
        text = Path(source).read_text(encoding="utf-8")
        if "\ntemplate:" in text:
            Path(target).write_text(strip_template(text), encoding="utf-8")
            return
    shutil.copy2(source, target)


def write_stock_project(project: Path, same_features: bool) -> Path:
    """``project/stock/``: a copy of the content and a stock config; returns the config."""
    stock = project / "stock"
    if stock.exists():
        shutil.rmtree(stock)
    shutil.copytree(project / "content", stock / "content", copy_function=_copy_content)
    config = stock / "mkdocs.yml"
    config.write_text(
        yaml.safe_dump(stock_config(project / "mkdocs.yml", same_features), sort_keys=False),
        encoding="utf-8",
    )
    return config


# --- building and reporting ----------------------------------------------------------------


def timed_build(config: Path, site: Path, log: Path, verbose: bool) -> Run:
    """One clean ``mkdocs build`` into ``site`` in a subprocess, measured."""
    if site.exists():
        shutil.rmtree(site)
    options = ["-d", str(site)] + ([] if verbose else ["-q"])
    run = run_measured(mkdocs("build", config, *options), log, build_env())
    if run.returncode != 0:
        fail_with_log(f"building {config}", run, log)
    return run


def report(prefix: str, run: Run, site: Path, log: Path, verbose: bool) -> float:
    """Print the figures of one build under ``prefix``; returns its wall time."""
    stats = site_stats(site)
    emit(f"{prefix}wall_s", run.wall_s)
    emit(f"{prefix}cpu_s", run.cpu_s)
    emit(f"{prefix}pages", stats.pages)
    emit(f"{prefix}ms_per_page", 1000 * run.wall_s / max(stats.pages, 1))
    emit(f"{prefix}peak_rss_mb", run.peak_rss_mb)
    emit(f"{prefix}peak_tree_rss_mb", run.peak_tree_rss_mb)
    emit(f"{prefix}peak_tree_pss_mb", run.peak_tree_pss_mb)
    emit(f"{prefix}peak_single_rss_mb", run.peak_single_rss_mb)
    emit(f"{prefix}site_mb", stats.site_mb)
    emit(f"{prefix}site_files", stats.files)
    emit(f"{prefix}html_median_kb", stats.html_median_kb)
    emit(f"{prefix}html_p95_kb", stats.html_p95_kb)
    emit(f"{prefix}rendered_pages", stats.rendered_pages)
    emit(f"{prefix}ms_per_rendered_page", 1000 * run.wall_s / max(stats.rendered_pages, 1))
    emit(f"{prefix}rendered_median_kb", stats.rendered_median_kb)
    emit(f"{prefix}rendered_p95_kb", stats.rendered_p95_kb)
    emit(f"{prefix}search_index_kb", stats.search_index_kb)
    if verbose:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        emit(f"{prefix}warnings", sum(line.startswith("WARNING") for line in lines))
        emit(f"{prefix}errors", sum(line.startswith("ERROR") for line in lines))
    return run.wall_s


def profile_build(config: Path, site: Path, dump: Path) -> None:
    """Build in-process under cProfile; print the top functions two ways."""
    os.environ.update(build_env())
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    profiler = cProfile.Profile()
    profiler.enable()
    cfg = load_config(config_file=str(config), site_dir=str(site))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    profiler.disable()
    profiler.dump_stats(dump)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(PROFILE_TOP)
        print(f"\n# profile: top {PROFILE_TOP} by {order} (saved to {dump})")
        print(out.getvalue().split("\n", 3)[-1].strip("\n"), flush=True)


def repeated_builds(project: Path, first: float, repeat: int, verbose: bool) -> float:
    """Build ``repeat - 1`` more times; print every wall time and return their median."""
    log = project / "logs" / "carebase-build.log"
    walls = [first]
    for _ in range(repeat - 1):
        walls.append(timed_build(project / "mkdocs.yml", project / "site", log, verbose).wall_s)
    emit("wall_s_runs", " ".join(f"{wall:.1f}" for wall in walls))
    median = statistics.median(walls)
    emit("wall_s_median", median)
    return median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="how many articles (N)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic site")
    parser.add_argument("--out", type=Path, help="project folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--compare-stock", action="store_true", help="also build with stock")
    parser.add_argument(
        "--stock-features",
        action="store_true",
        help="give stock Material Carebase's theme features (navigation.prune, tabs…)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="build with Carebase N times (speedup: median)"
    )
    parser.add_argument("--profile", action="store_true", help="profile a Carebase build")
    parser.add_argument(
        "--log", action="store_true", help="build without -q and count warnings and errors"
    )
    args = parser.parse_args(argv)

    prefix = f"carebase-bench-{args.articles}-"
    with project_folder(args.out, prefix, args.keep) as project:
        files = write_site(args.articles, project, args.seed)
        emit_environment()
        emit("articles", args.articles)
        emit("content_files", sum(1 for rel in files if rel.endswith(".md")))
        log = project / "logs" / "carebase-build.log"
        run = timed_build(project / "mkdocs.yml", project / "site", log, args.log)
        ours = report("", run, project / "site", log, args.log)
        if args.repeat > 1:
            ours = repeated_builds(project, ours, args.repeat, args.log)
        if args.compare_stock:
            config = write_stock_project(project, args.stock_features)
            log = project / "logs" / "stock-build.log"
            run = timed_build(config, project / "stock" / "site", log, args.log)
            stock = report("stock_", run, project / "stock" / "site", log, args.log)
            emit("speedup", stock / ours)
        if args.profile:
            profile_build(
                project / "mkdocs.yml", project / "site-profile", project / "carebase.prof"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
