"""Search quality of the sample help centre: do customers' own words find the right article?

    python bench/search_quality.py [--site DIR] [--queries FILE ...] [--verbose]
    python bench/search_quality.py --first-query-bytes [--no-quality] [--site DIR]
    python bench/search_quality.py --bundle-pages 5   # the sample searched in several bundles
    python bench/search_quality.py --site DIR --timing-only [--first-query-bytes]

Builds the sample site (unless ``--site`` names a built one), serves it on 127.0.0.1 and, in
Debian's chromium, runs every query of ``bench/search_queries.yml`` through the page's own
search API (``window.carebaseSearch``) from the home page of the query's language: once with
the fallback to fewer words and once without. By default it runs the three sets of
``bench/search_questions/``: ``tune.yml`` (ranking options are chosen on it), ``heldout.yml``
(never used to choose anything) and ``unseen.yml`` (written later by someone who had seen
neither the search nor the other sets: its figures are the ones to quote); each figure's name
starts with its set's file name (``unseen_pagefind_mrr_at_10``). Prints one ``name=value`` per line:
MRR@10, found first, recall@10, the zero-result rate and query times of each variant, overall,
per language and per query length. ``--first-query-bytes`` also measures what a cold browser
downloads: the home page, what the page fetches by itself once loaded, then what its first
query adds (see bench/README.md).
``--bundle-pages N`` builds the sample with ``carebase/search: bundle_pages: N``, so its index
comes in several Pagefind bundles merged in the browser (issue 16). ``--timing-only`` runs
the questions for their times alone (median and p95, overall and per language), as on a
synthetic site whose text answers none of them.
It asserts nothing; it stops only when it cannot measure (no build, no browser, no search API).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml
from measure import build_env, emit, emit_environment, mkdocs, project_folder
from playwright.sync_api import Browser, Page, Response
from playwright.sync_api import Error as PlaywrightError
from synth import REPO

from carebase.errors import CarebaseError
from carebase.manifest import Manifest, read_manifest

sys.path.insert(0, str(REPO))  # For the browser and server helpers the tests use.
from tests.site.browsers import CHROMIUM_HINT, debian_chromium, launched
from tests.site.servers import served

QUESTIONS = Path(__file__).resolve().parent / "search_questions"
QUERY_SETS = (QUESTIONS / "tune.yml", QUESTIONS / "heldout.yml", QUESTIONS / "unseen.yml")
"""Tuning questions, held-out ones, then unseen ones (issue 17); ``--queries`` names others."""
# Noon on 2026-11-23, the tests' BUILD_TIME: the day the sample site is read as of.
SAMPLE_EPOCH = 1795435200
DEFAULT_LANG = "en"
"""Its pages are at the site root; every other language's under ``/<lang>/``."""
TOP = 10
API_TIMEOUT_S = 20
FIRST_QUERY = "router keeps restarting"
VARIANTS = (("", True), ("_no_fallback", False))
STRATEGIES = ("all-words", "fewer-words", "any-word")
LENGTHS = ("short", "medium", "long")
# There is no internet here: fail every other host at once instead of waiting on it. Unlike
# routing every request through Playwright, this leaves the HTTP cache on, so the bytes
# counted are those a visitor's browser would fetch.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
SETTLE_S = 0.5
"""The network counts as quiet once no response has arrived for this long."""


# --- the query set -------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What a customer typed, in which language, and the articles that answer it."""

    text: str
    lang: str
    expect: str
    also: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.expect, *self.also)

    @property
    def length(self) -> str:
        """``short`` (1-3 words), ``medium`` (4-7) or ``long`` (8 or more)."""
        words = len(self.text.split())
        return "short" if words <= 3 else "medium" if words <= 7 else "long"


def load_queries(path: Path) -> list[Query]:
    """The queries of ``path``; every problem in the file reported at once."""
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SystemExit(f"cannot read the queries in {path}: {exc}") from None
    if not isinstance(items, list) or not items:
        raise SystemExit(f"{path}: expected a list of queries (- q: … lang: … expect: …)")
    queries, problems = [], []
    for number, item in enumerate(items, 1):
        query, problem = _query(item)
        if problem:
            problems.append(f"  query {number}: {problem}")
        elif query is not None:
            queries.append(query)
    if problems:
        raise SystemExit(f"{path}: {len(problems)} problem(s)\n" + "\n".join(problems))
    return queries


def _query(item: Any) -> tuple[Query | None, str]:
    if not isinstance(item, dict):
        return None, "not a mapping with q, lang and expect"
    unknown = sorted(set(item) - {"q", "lang", "expect", "also"})
    if unknown:
        return None, f"unknown field(s) {', '.join(map(str, unknown))}"
    text, lang, expect = (item.get(name) for name in ("q", "lang", "expect"))
    if not (_filled(text) and _filled(lang) and _filled(expect)):
        return None, "q, lang and expect must each be a non-empty string"
    also = item.get("also", [])
    if not isinstance(also, list) or not all(_filled(key) for key in also):
        return None, f"{text!r}: 'also' must be a list of article keys"
    return Query(text.strip(), lang.strip(), expect.strip(), tuple(also)), ""


def _filled(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())


# --- what counts as the right page ---------------------------------------------------------


def normalise(url: str) -> str:
    """A page's path as served, without origin, query or ``#anchor``, with a trailing slash."""
    path = unquote(urlsplit(url).path).removesuffix("index.html")
    path = path if path.startswith("/") else f"/{path}"
    return path if path.endswith("/") else f"{path}/"


def wanted_urls(queries: Sequence[Query], manifest: Manifest) -> list[frozenset[str]]:
    """Per query, the URLs that answer it: each key's page in the query's language, else in
    the default language (an untranslated article is what that language's readers get)."""
    pages = {(entry.key, entry.lang): normalise(entry.url) for entry in manifest.published()}
    wanted, missing = [], []
    for query in queries:
        urls = set()
        for key in query.keys:
            url = pages.get((key, query.lang)) or pages.get((key, DEFAULT_LANG))
            if url is None:
                missing.append(f"  {query.text!r}: no page for {key} in the site")
            else:
                urls.add(url)
        wanted.append(frozenset(urls))
    if missing:
        missing.append("  hint: is this the sample site? For a synthetic one, use --no-quality")
        raise SystemExit("the queries name articles the site lacks:\n" + "\n".join(missing))
    return wanted


# --- the site and its server ---------------------------------------------------------------


@contextlib.contextmanager
def site_folder(site: Path | None, keep: bool, bundle_pages: int | None = None) -> Iterator[Path]:
    """``site`` if given (already built), else the sample site built in a temporary folder."""
    if site is not None:
        if not site.is_dir():
            raise SystemExit(f"--site {site}: not a folder")
        yield site.resolve()
        return
    with project_folder(None, "carebase-search-", keep) as folder:
        project = REPO if bundle_pages is None else bundled_project(folder, bundle_pages)
        yield build_sample(folder / "site", folder / "build.log", project)


def bundled_project(folder: Path, bundle_pages: int) -> Path:
    """A copy of the sample project (a git repository, for the feed's dates) whose search
    index is split into bundles of at most ``bundle_pages`` pages."""
    project = folder / "project"
    project.mkdir()
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, project / name)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    option = f"  - carebase/search:\n      bundle_pages: {bundle_pages}\n"
    if "  - carebase/search\n" not in text:
        raise SystemExit("--bundle-pages: mkdocs.yml lists no bare '- carebase/search' to extend")
    (project / "mkdocs.yml").write_text(
        text.replace("  - carebase/search\n", option, 1), encoding="utf-8"
    )
    when = {"GIT_AUTHOR_DATE": f"@{SAMPLE_EPOCH}", "GIT_COMMITTER_DATE": f"@{SAMPLE_EPOCH}"}
    git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com"]
    for step in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "sample"]):
        subprocess.run([*git, *step], cwd=project, check=True, env={**os.environ, **when})
    return project


def build_sample(site: Path, log: Path, project: Path = REPO) -> Path:
    """``mkdocs build`` of the sample site in ``project`` into ``site``, as of ``SAMPLE_EPOCH``."""
    env = build_env()
    env["SOURCE_DATE_EPOCH"] = str(SAMPLE_EPOCH)
    command = mkdocs("build", project / "mkdocs.yml", "-q", "-d", str(site))
    started = time.perf_counter()
    with log.open("wb") as out:
        done = subprocess.run(command, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
        sys.stderr.write("\n".join(tail) + "\n")
        raise SystemExit(f"building the sample site failed (exit code {done.returncode})")
    emit("build_s", time.perf_counter() - started)
    return site


def site_manifest(site: Path) -> Manifest:
    try:
        return read_manifest(site)
    except CarebaseError as exc:
        raise SystemExit(str(exc)) from None


# --- the browser ---------------------------------------------------------------------------


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium, headless, driven by Playwright (never a browser it downloads)."""
    path = debian_chromium()
    if path is None:
        raise SystemExit(CHROMIUM_HINT)
    with launched(path, [OFFLINE]) as browser:
        yield browser


@contextlib.contextmanager
def fresh_page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A tab in a new context (empty cache and storage) and the errors its scripts throw."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page, errors
    finally:
        context.close()


JS_READY = """async (timeoutMs) => {
  const late = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs));
  await Promise.race([window.carebaseSearch.ready, late]);
}"""


def wait_for_search(page: Page, errors: list[str], *, ready: bool = True) -> None:
    """Wait until the page defines ``window.carebaseSearch`` and, if ``ready``, until its
    backend has loaded; stop the benchmark with what went wrong after ``API_TIMEOUT_S``."""
    deadline = time.monotonic() + API_TIMEOUT_S
    try:
        page.wait_for_function(
            "() => window.carebaseSearch !== undefined", timeout=API_TIMEOUT_S * 1000
        )
        if ready:
            page.evaluate(JS_READY, max(int((deadline - time.monotonic()) * 1000), 1))
    except PlaywrightError as exc:
        thrown = "; ".join(errors[:3]) or "none"
        raise SystemExit(
            f"{page.url} does not expose a ready window.carebaseSearch within "
            f"{API_TIMEOUT_S} s ({str(exc).splitlines()[0]}); errors in the page: {thrown}\n"
            "  hint: does the theme define it yet? grep -r carebaseSearch theme/"
        ) from None


# --- quality -------------------------------------------------------------------------------


JS_SEARCH = """async ([query, options]) => {
  const started = performance.now();
  const found = await window.carebaseSearch.search(query, options);
  const results = (found && found.results) || [];
  return {
    ms: performance.now() - started,
    strategy: String((found && found.strategy) || ""),
    urls: results.slice(0, options.limit).map((result) => String(result.url)),
  };
}"""


@dataclass(frozen=True)
class Outcome:
    """One query run: what came back, and where the first right page was."""

    query: Query
    wanted: frozenset[str]
    urls: tuple[str, ...]
    strategy: str
    ms: float
    rank: int | None
    """1-based rank of the first right page in the top ``TOP``; None when it is not there."""
    error: str = ""
    """What the search threw, if it did."""


def run_query(page: Page, query: Query, wanted: frozenset[str], fallback: bool) -> Outcome:
    options = {"fallback": fallback, "limit": TOP}
    try:
        found = page.evaluate(JS_SEARCH, [query.text, options])
    except PlaywrightError as exc:
        return Outcome(query, wanted, (), "error", 0.0, None, str(exc).splitlines()[0])
    urls = tuple(normalise(url) for url in found["urls"][:TOP])
    rank = next((i for i, url in enumerate(urls, 1) if url in wanted), None)
    return Outcome(query, wanted, urls, found["strategy"], float(found["ms"]), rank)


def run_all(
    browser: Browser,
    base: str,
    queries: Sequence[Query],
    wanted: Sequence[frozenset[str]],
    fallbacks: Sequence[bool] = (True, False),
) -> dict[bool, list[Outcome]]:
    """Every query from its language's home page, with and without the fallback."""
    outcomes: dict[bool, list[Outcome]] = {fallback: [] for fallback in fallbacks}
    for lang in dict.fromkeys(query.lang for query in queries):
        home = base if lang == DEFAULT_LANG else f"{base}{lang}/"
        with fresh_page(browser) as (page, errors):
            page.goto(home)
            wait_for_search(page, errors)
            for query, urls in zip(queries, wanted, strict=True):
                if query.lang == lang:
                    for fallback in fallbacks:
                        outcomes[fallback].append(run_query(page, query, urls, fallback))
    return outcomes


def scores(outcomes: Sequence[Outcome]) -> dict[str, float | int]:
    """MRR@10, found first, recall@10 (a right page in the top 10) and the share with no
    result at all."""
    count = len(outcomes)
    return {
        "queries": count,
        "mrr_at_10": sum(1 / o.rank for o in outcomes if o.rank) / count,
        "found_first": sum(1 for o in outcomes if o.rank == 1) / count,
        "recall_at_10": sum(1 for o in outcomes if o.rank) / count,
        "zero_result_rate": sum(1 for o in outcomes if not o.urls) / count,
    }


def report_variant(name: str, outcomes: Sequence[Outcome]) -> None:
    """The figures of one variant: overall, then per strategy, language and query length."""
    emit_scores(name, outcomes)
    strategies = Counter(o.strategy for o in outcomes)
    for strategy in [*STRATEGIES, *sorted(set(strategies) - set(STRATEGIES))]:
        emit(f"{name}_strategy_{strategy.replace('-', '_') or 'none'}", strategies[strategy])
    emit_times(name, outcomes)
    for lang in dict.fromkeys(o.query.lang for o in outcomes):
        emit_scores(f"{name}_{lang}", [o for o in outcomes if o.query.lang == lang])
        emit_times(f"{name}_{lang}", [o for o in outcomes if o.query.lang == lang])
    for length in LENGTHS:
        emit_scores(f"{name}_{length}", [o for o in outcomes if o.query.length == length])


def emit_times(prefix: str, outcomes: Sequence[Outcome]) -> None:
    """Median and p95 of the query times (queries that threw are left out, and counted)."""
    times = sorted(o.ms for o in outcomes if not o.error)
    if times:
        emit(f"{prefix}_query_ms_median", statistics.median(times))
        emit(f"{prefix}_query_ms_p95", times[max(math.ceil(0.95 * len(times)) - 1, 0)])
    emit(f"{prefix}_query_errors", sum(1 for o in outcomes if o.error))


def emit_scores(prefix: str, outcomes: Sequence[Outcome]) -> None:
    if outcomes:
        for figure, value in scores(outcomes).items():
            emit(f"{prefix}_{figure}", value)


def report_misses(name: str, outcomes: Sequence[Outcome]) -> None:
    """One comment line per query whose right page is not in the top 10."""
    for o in outcomes:
        if o.rank is None:
            got = " | ".join(o.urls[:3]) or "(nothing)"
            print(
                f"# miss {name} [{o.query.lang}] {o.query.text!r}: "
                f"expected {' or '.join(sorted(o.wanted))}; got {got} ({o.error or o.strategy})"
            )


def report_quality(
    browser: Browser, base: str, queries: Sequence[Query], manifest: Manifest, label: str
) -> dict[str, list[Outcome]]:
    wanted = wanted_urls(queries, manifest)
    outcomes = run_all(browser, base, queries, wanted)
    named = {f"{label}{suffix}": outcomes[fallback] for suffix, fallback in VARIANTS}
    for name, results in named.items():
        report_variant(name, results)
    return named


def report_timing(browser: Browser, base: str, path: Path, queries: Sequence[Query]) -> None:
    """Query times alone, as the box searches (with the fallback): for a synthetic site, whose
    text answers no question but is searched as much; overall and per language."""
    outcomes = run_all(browser, base, queries, [frozenset()] * len(queries), (True,))[True]
    name = f"{path.stem}_timing"
    emit(f"{name}_queries", len(outcomes))
    emit_times(name, outcomes)
    for lang in dict.fromkeys(o.query.lang for o in outcomes):
        emit_times(f"{name}_{lang}", [o for o in outcomes if o.query.lang == lang])


# --- the first query's download ------------------------------------------------------------


JS_FIRST = """async ([query, timeoutMs]) => {
  const late = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`no answer after ${timeoutMs} ms`)), timeoutMs));
  const started = performance.now();
  const search = window.carebaseSearch.ready.then(() => window.carebaseSearch.search(query));
  const found = await Promise.race([search, late]);
  return {ms: performance.now() - started, results: ((found && found.results) || []).length};
}"""
# A quiet network is not enough: at 20,000 articles the main thread spends seconds on
# Material's sitemap probes after they arrive, and a query typed then waits for it.
JS_IDLE = """(timeoutMs) =>
  new Promise((resolve) => requestIdleCallback(resolve, {timeout: timeoutMs}))"""
PAGEFIND_KINDS = (
    (".pf_fragment", "fragments"),
    (".pf_index", "index"),
    (".pf_filter", "filters"),
    (".pf_meta", "meta"),
    (".js", "code"),
    (".json", "entry"),
)
SEARCH_KINDS = ("fragments", "index", "filters", "meta", "wasm", "code", "entry")
KINDS = (*SEARCH_KINDS, "sitemap", "other")
BUNDLE_FOLDER = re.compile(r"/pagefind(?:-\d+)?/")
"""A language's Pagefind bundles: ``pagefind/``, then ``pagefind-2/``… when it has several."""


def kind_of(url: str) -> str:
    """What a response is, by its path: a part of the Pagefind bundle, a sitemap, or other."""
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    if not BUNDLE_FOLDER.search(path):
        # Material's language selector fetches sitemap.xml after every page load.
        return "sitemap" if name == "sitemap.xml" else "other"
    if name.startswith("wasm."):
        return "wasm"  # Pagefind's search engine, compiled: wasm.<lang>.pagefind
    return next((kind for suffix, kind in PAGEFIND_KINDS if name.endswith(suffix)), "other")


def body_bytes(response: Response) -> int:
    try:
        return len(response.body())
    except PlaywrightError:  # a redirect or a failed request has no body
        return 0


def settle(page: Page, responses: list[Response], limit_s: float = 10) -> None:
    """Wait until no response has arrived for ``SETTLE_S`` (at most ``limit_s``)."""
    deadline = time.monotonic() + limit_s
    seen, quiet_since = len(responses), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if len(responses) != seen:
            seen, quiet_since = len(responses), time.monotonic()
        elif time.monotonic() - quiet_since >= SETTLE_S:
            return


def emit_download(prefix: str, sized: Sequence[tuple[str, int]]) -> None:
    """Bytes and requests of one phase, then its bytes by kind."""
    emit(f"{prefix}_bytes", sum(size for _, size in sized))
    emit(f"{prefix}_requests", len(sized))
    for kind in KINDS:
        emit(f"{prefix}_bytes_{kind}", sum(size for k, size in sized if k == kind))


def report_first_query(browser: Browser, base: str, path: str = "") -> None:
    """What a cold browser downloads: the home page until its load event; then what the page
    fetches by itself until the network is quiet (the search backend starting, Material's
    sitemap probes); then what the first query adds."""
    with fresh_page(browser) as (page, errors):
        responses: list[Response] = []
        page.on("response", lambda response: responses.append(response))
        page.goto(base + path, wait_until="load")
        loaded = len(responses)
        wait_for_search(page, errors, ready=False)
        settle(page, responses)
        page.evaluate(JS_IDLE, API_TIMEOUT_S * 1000)
        idle = len(responses)
        try:
            first = page.evaluate(JS_FIRST, [FIRST_QUERY, API_TIMEOUT_S * 1000])
        except PlaywrightError as exc:
            raise SystemExit(f"the first query failed in {page.url}: {exc}") from None
        settle(page, responses)
        sized = [(kind_of(r.url), body_bytes(r)) for r in responses]
    emit("page_load_bytes", sum(size for _, size in sized[:loaded]))
    emit("page_load_requests", loaded)
    emit_download("after_load", sized[loaded:idle])
    emit("first_query", FIRST_QUERY)
    emit("first_query_results", first["results"])
    emit("first_query_ms", float(first["ms"]))
    emit_download("first_query", sized[idle:])
    search = [size for kind, size in sized if kind in SEARCH_KINDS]
    emit("search_bytes", sum(search))
    emit("search_requests", len(search))
    bundles = {match.group(0) for r in responses if (match := BUNDLE_FOLDER.search(r.url))}
    emit("search_bundles", len(bundles))


# --- the command ---------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the sample)")
    parser.add_argument(
        "--queries",
        type=Path,
        nargs="+",
        default=list(QUERY_SETS),
        help="query sets (YAML), each reported on its own (default: tune.yml and heldout.yml)",
    )
    parser.add_argument("--verbose", action="store_true", help="list the queries that missed")
    parser.add_argument(
        "--first-query-bytes",
        action="store_true",
        help="also measure the bytes a cold browser downloads for its first query",
    )
    parser.add_argument(
        "--first-query-from",
        default="",
        metavar="PATH",
        help="the page the first query is typed on (default: the home page; es/ for Spanish)",
    )
    parser.add_argument(
        "--no-quality",
        action="store_true",
        help="skip the query set (for a synthetic site, with --first-query-bytes)",
    )
    parser.add_argument(
        "--timing-only",
        action="store_true",
        help="time the query sets' questions without judging the answers (a synthetic site)",
    )
    parser.add_argument(
        "--bundle-pages",
        type=int,
        help="build the sample with its search index in bundles of at most N pages",
    )
    parser.add_argument("--label", default="pagefind", help="prefix of the figures' names")
    parser.add_argument("--keep", action="store_true", help="keep the temporary build")
    args = parser.parse_args(argv)
    if args.no_quality and not args.first_query_bytes:
        parser.error("--no-quality leaves nothing to measure without --first-query-bytes")
    if args.no_quality and args.timing_only:
        parser.error("--timing-only runs the query sets, which --no-quality skips")
    if args.bundle_pages is not None and (args.site is not None or args.bundle_pages < 1):
        parser.error("--bundle-pages needs a positive number, and builds the sample (no --site)")
    return args


def report_set(
    browser: Browser,
    base: str,
    path: Path,
    queries: Sequence[Query],
    manifest: Manifest,
    args: argparse.Namespace,
) -> None:
    """The figures of one query set, named after its file (``heldout_pagefind_…``)."""
    emit(f"{path.stem}_query_file", path)
    named = report_quality(browser, base, queries, manifest, f"{path.stem}_{args.label}")
    for name, outcomes in named.items() if args.verbose else ():
        report_misses(name, outcomes)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sets = {} if args.no_quality else {path: load_queries(path) for path in args.queries}
    emit_environment()
    if args.bundle_pages is not None:
        emit("bundle_pages", args.bundle_pages)
    with site_folder(args.site, args.keep, args.bundle_pages) as site:
        manifest = site_manifest(site) if sets and not args.timing_only else None
        with served(site) as base, chromium() as browser:
            emit("chromium", browser.version)
            for path, queries in sets.items() if args.timing_only else ():
                report_timing(browser, base, path, queries)
            if manifest is not None:
                for path, queries in sets.items():
                    report_set(browser, base, path, queries, manifest, args)
            if args.first_query_bytes:
                emit("first_query_from", f"/{args.first_query_from}")
                report_first_query(browser, base, args.first_query_from)
    return 0


if __name__ == "__main__":
    sys.exit(main())
