"""Python-Markdown (MkDocs ``Page.render``) against the fast lane, per article.

    python bench/markdown_lane.py [--articles 1000] [--seed 1] [--repeat 3]

Renders the bodies of the synthetic site's articles (front matter removed) both ways, with the
repository's ``markdown_extensions``, and prints one ``name=value`` per line: the share of
articles the fast lane takes, and ms per article for each lane (the best of ``--repeat`` runs;
Pygments' work is included, the code-block cache is cleared before every run). Both lanes use
MkDocs' own link rewriting (``path_to_url``), so links cost the same on both sides;
``fast_lane_ms_identity_urls`` is the fast lane with a no-op ``rewrite_url``. Articles the fast
lane refuses are left out of both timings. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import frontmatter
import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor

from carebase.render import markdown as lane

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # a sibling module, importable however this file is run

REPO = Path(__file__).resolve().parents[1]


def make_config(docs_dir: Path) -> MkDocsConfig:
    """A config with the repository's markdown_extensions and nothing else."""
    extensions = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config = MkDocsConfig()
    config.load_dict(
        {
            "site_name": "Bench",
            "docs_dir": str(docs_dir),
            "site_dir": str(docs_dir.parent / "site"),
            "markdown_extensions": extensions["markdown_extensions"],
        }
    )
    errors, _ = config.validate()
    if errors:
        raise SystemExit(f"markdown_lane: bad config {errors}")
    return config


def best_of(repeat: int, run: Callable[[], None]) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    timings = []
    for _ in range(repeat):
        lane._highlight.cache_clear()
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)

    files = synth.generate(args.articles, args.seed)
    bodies = {
        path: str(frontmatter.loads(text).content)
        for path, text in files.items()
        if path.startswith("kb/") and path.count("/") >= 2
    }
    fast = [path for path, body in bodies.items() if lane.slow_lane_reason(body) is None]

    docs = Path(tempfile.mkdtemp()) / "docs"
    docs.mkdir()
    config = make_config(docs)
    site = Files([File(path, str(docs), str(docs.parent / "site"), True) for path in files])
    pages = {path: site.get_file_from_path(path) for path in fast}
    rewriters = {
        path: _RelativePathTreeprocessor(file, site, config).path_to_url
        for path, file in pages.items()
        if file is not None
    }

    def python_markdown() -> None:
        for path in fast:
            page = Page(None, pages[path], config)  # type: ignore[arg-type]
            page.markdown, page.meta = bodies[path], {}
            page.render(config, site)

    def fast_lane() -> None:
        for path in fast:
            if lane.slow_lane_reason(bodies[path]) is None:
                lane.render(bodies[path], rewriters[path])

    def fast_lane_identity() -> None:
        for path in fast:
            if lane.slow_lane_reason(bodies[path]) is None:
                lane.render(bodies[path], str)

    slow_s = best_of(args.repeat, python_markdown)
    fast_s = best_of(args.repeat, fast_lane)
    identity_s = best_of(args.repeat, fast_lane_identity)
    count = max(len(fast), 1)
    print(f"articles={len(bodies)}")
    print(f"fast_lane_share={len(fast) / max(len(bodies), 1):.3f}")
    print(f"python_markdown_ms={slow_s * 1000 / count:.3f}")
    print(f"fast_lane_ms={fast_s * 1000 / count:.3f}")
    print(f"fast_lane_ms_identity_urls={identity_s * 1000 / count:.3f}")
    print(f"speedup={slow_s / fast_s:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
