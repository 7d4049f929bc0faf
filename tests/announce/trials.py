"""Randomised SIGKILL trials: the real ``carebase`` processes, every network's fake, faults.

A *scenario* (seeded) is a copy of the sample project announcing on all seven networks (and
Mastodon in es and de) against their fakes, the ledger on a branch of a bare remote (the
default store, as a deploy uses it), deployed once as the baseline, then merged 3–4 times. Each
merge is one *trial*: it is deployed, the announcing process (``carebase announce``, or for
some trials the whole ``carebase deploy``) is SIGKILLed at a random moment — 0–4 s after the
first request reached any fake, or before any request — and ``carebase announce`` is run again,
hours apart (``CAREBASE_TEST_NOW``), until a run has nothing left to do. Faults from a seeded
plan fire on every network throughout.

At the end of a scenario, per (network, page, revision) that should have gone out: posted
exactly once on the fake, or ``unconfirmed`` in the ledger and reported in the output. Posts are
recognised by their page's link and their revision: ``utm_content=<revision>`` when the link
carries it, else the marker (``zz<merge>``) every revision of the scenario has in its title.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from carebase.announce.model import Item
from carebase.announce.planner import items_of
from carebase.announce.settings import ANNOUNCED_TYPES
from carebase.manifest import read_manifest
from tests.announce.rigs import TOKENS, Rig, rigs
from tests.fakes.server import Fault, Faults
from tests.gitrepos import git
from tests.site.conftest import BUILD_TIME, copy_sample

TIMEOUT = 2.0
"""The clients' timeout; a ``commit_then_timeout`` hangs longer."""
HANG = 3.0
MAX_RUNS = 20
"""Runs of one trial before it counts as never settling (12 fell short once, with the whole
suite in two workers beside it: requests that overran the clients' timeout kept sends open)."""
LANGUAGES = {"mastodon": ["en", "es", "de"]}
"""Mastodon also has an account per translation (as the sample's mkdocs.yml has)."""
POST_PATHS = {
    "mastodon": "/api/v1/statuses",
    "bluesky": "createRecord",
    "facebook": "/feed",
    "linkedin": "/rest/posts",
    "slack": "/services/",
    "discord": "/api/webhooks/",
    "x": "/2/tweets",
}
LOOKUP_PATHS = {
    "mastodon": "/statuses",
    "bluesky": "getAuthorFeed",
    "facebook": "/feed",
    "linkedin": "/rest/posts",
    "x": "/tweets",
}
LOGIN_PATHS = {"mastodon": "verify_credentials", "bluesky": "createSession", "x": "/users/me"}
MARKER = re.compile(r"\bzz(\d+)\b")
UTM_CONTENT = re.compile(r"utm_content=([\w.-]+)")
FAQ = """\
---
title: {title}
description: {description}
type: faq
owner: tomasz
---

{body}
"""
POST = """\
---
title: {title}
date: 2026-11-22
slug: {slug}
authors: [tomasz]
categories: [Service status]
description: {description}
{notice}---

{body}
"""
WORDS = {
    "en": ("Can I pause my plan while abroad", "Yes, for up to three months."),
    "es": ("¿Puedo pausar mi plan en el extranjero", "Sí, hasta tres meses."),
    "de": ("Kann ich meinen Tarif im Ausland pausieren", "Ja, bis zu drei Monate."),
}


# The scenario


@dataclass
class Merge:
    """One pull request: files written (relative to the project), one commit."""

    number: int
    files: dict[str, str] = field(default_factory=dict)
    kill_deploy: bool = False
    """SIGKILL the whole ``carebase deploy`` (not only ``carebase announce``)."""


@dataclass
class Scenario:
    """A seeded series of merges; ``project`` is filled in as it is written."""

    seed: int
    merges: list[Merge]


def scenario(project: Path, seed: int, merges: int = 4, deploy_kills: int = 0) -> Scenario:
    """New FAQs with es/de translations and a new post, then changed FAQs and a new notice,
    then the notice updated and the new FAQs changed, then a random mix."""
    rng = random.Random(seed)
    translated, english = _faqs(project)

    def some_faqs(count: int) -> list[str]:
        """One FAQ with its translations, and ``count`` - 1 in English only."""
        return [*rng.choice(translated), *rng.sample(english, count - 1)]

    plans: list[Callable[[int], dict[str, str]]] = [
        lambda m: {**_new_faqs(m, rng.randint(1, 2)), **_new_post(m, notice=False)},
        lambda m: {**_changed(project, some_faqs(2), m), **_new_post(m, notice=True)},
        lambda m: _changed_written(written, m, ("trial-n", "trial-notice")),
        lambda m: {
            **_changed(project, some_faqs(1), m),
            **_changed_written(written, m, ("trial-notice",)),
        },
    ]
    written: dict[str, str] = {}
    result: list[Merge] = []
    for number, make in enumerate(plans[:merges], 1):
        files = make(number)
        written.update(files)
        result.append(Merge(number, files))
    for merge in rng.sample(result, min(deploy_kills, len(result))):
        merge.kill_deploy = True
    return Scenario(seed, result)


def _faqs(project: Path) -> tuple[list[list[str]], list[str]]:
    """The sample's FAQs (paths relative to the project): those translated (each with its
    translations), and those in English only."""
    found = [
        path.relative_to(project).as_posix()
        for path in sorted((project / "content" / "kb").rglob("*.md"))
        if "\ntype: faq\n" in path.read_text(encoding="utf-8")
    ]
    english = [path for path in found if path.count(".") == 1]
    translated = [
        [path, *(o for o in found if o != path and o.startswith(path[:-3] + "."))]
        for path in english
    ]
    translated = [group for group in translated if len(group) == 3]
    return translated, [path for path in english if not any(path in g for g in translated)]


def _new_faqs(merge: int, count: int) -> dict[str, str]:
    files = {}
    for n in range(count):
        for lang, (question, answer) in WORDS.items():
            suffix = "" if lang == "en" else f".{lang}"
            title = f'"{question} {n}? zz{merge}"'
            text = FAQ.format(title=title, description=answer, body=answer)
            files[f"content/kb/mobile/trial-n{merge}-{n}{suffix}.md"] = text
    return files


def _new_post(merge: int, *, notice: bool) -> dict[str, str]:
    kind = "notice" if notice else "post"
    meta = 'notice: {severity: warning, starts: 2026-11-22T08:00:00Z, summary: "Repairs."}\n'
    text = POST.format(
        title=f'"Engineers at work in Carlisle, {kind} zz{merge}"',
        slug=f"trial-{kind}-{merge}",
        description="What is affected and when it is fixed.",
        notice=meta if notice else "",
        body=f"Update {merge}: engineers are on site.",
    )
    return {f"content/blog/posts/trial-{kind}-{merge}.md": text}


def _changed(project: Path, paths: list[str], merge: int) -> dict[str, str]:
    return {path: _retitled((project / path).read_text(encoding="utf-8"), merge) for path in paths}


def _changed_written(
    written: dict[str, str], merge: int, prefixes: tuple[str, ...]
) -> dict[str, str]:
    """Change again what an earlier merge of the scenario wrote (file names with a prefix)."""
    return {
        path: _retitled(text, merge)
        for path, text in written.items()
        if path.rsplit("/", 1)[-1].startswith(prefixes)
    }


def _retitled(text: str, merge: int) -> str:
    """The page with ``zz<merge>`` in its title (a new revision) and a line more."""

    def title(match: re.Match[str]) -> str:
        value = MARKER.sub("", match[1].strip().strip('"')).strip()
        return f'title: "{value} zz{merge}"'

    changed = re.sub(r"^title: (.*)$", title, text, count=1, flags=re.MULTILINE)
    return changed.rstrip("\n") + f"\n\nChanged in merge {merge}.\n"


# The faults


FAULT_KINDS = (
    "commit_then_500",
    "commit_then_timeout",
    "commit_then_drop",
    "drop",
    "rate_limit",
    "lookup_500",
    "lookup_drop",
    "login_500",
)


def fault_plan(rng: random.Random, network: str) -> list[Fault]:
    """0–3 faults for one network's fake over one trial: N times, or with a probability."""
    kinds = [kind for kind in FAULT_KINDS if _where(kind, network) is not None]
    return [_fault(rng, kind, network) for kind in rng.sample(kinds, rng.randint(0, 3))]


def _where(kind: str, network: str) -> tuple[str, str] | None:
    """The (path part, method) a fault kind hits on ``network``, or None when it has none."""
    if kind.startswith("lookup"):
        path = LOOKUP_PATHS.get(network)
        return None if path is None else (path, "GET")
    if kind.startswith("login"):
        path = LOGIN_PATHS.get(network)
        return None if path is None else (path, "")
    return POST_PATHS[network], "POST"


def _fault(rng: random.Random, kind: str, network: str) -> Fault:
    where = _where(kind, network)
    assert where is not None
    mode = {"lookup_500": "answer", "login_500": "answer", "lookup_drop": "drop"}.get(kind, kind)
    often = rng.random() < 0.5
    return Fault(
        500 if mode == "answer" else None,
        body={"error": "injected 500"},
        path=where[0],
        method=where[1],
        mode=mode,
        times=rng.randint(1, 2) if not often else 4,
        probability=1.0 if not often else 0.3,
        delay=HANG,
        label=kind,
    )


# The tally


@dataclass
class Tally:
    """What the trials did and found."""

    trials: int = 0
    runs: int = 0
    kills: int = 0
    deploy_kills: int = 0
    early_kills: int = 0
    """Killed before any request reached a fake."""
    faults: Counter[str] = field(default_factory=Counter)
    expected: int = 0
    once: int = 0
    duplicates: Counter[str] = field(default_factory=Counter)
    losses: Counter[str] = field(default_factory=Counter)
    unconfirmed: Counter[str] = field(default_factory=Counter)
    crashes: int = 0
    """Runs that ended in a traceback (no report)."""
    unsettled: int = 0
    """Trials still with something to do after :data:`MAX_RUNS` runs."""
    problems: list[str] = field(default_factory=list)
    wall: float = 0.0

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            mine = getattr(self, name)
            setattr(self, name, mine + value)

    def table(self) -> str:
        """The figures, one per line."""
        faults = ", ".join(f"{kind} {count}" for kind, count in sorted(self.faults.items()))
        networks = sorted(set(self.duplicates) | set(self.losses) | set(self.unconfirmed))
        lines = [
            f"trials              {self.trials}",
            f"runs                {self.runs}",
            f"kills               {self.kills} (deploy {self.deploy_kills}, "
            f"before any request {self.early_kills})",
            f"faults fired        {sum(self.faults.values())} ({faults})",
            f"expected posts      {self.expected}",
            f"posted exactly once {self.once}",
            f"duplicates          {sum(self.duplicates.values())}",
            f"losses              {sum(self.losses.values())}",
            f"unconfirmed         {sum(self.unconfirmed.values())}",
            f"crashed runs        {self.crashes}",
            f"unsettled trials    {self.unsettled}",
            f"wall time           {self.wall:.0f} s",
            "per network         duplicates / losses / unconfirmed",
        ]
        for name in networks:
            counts = (self.duplicates[name], self.losses[name], self.unconfirmed[name])
            lines.append(f"  {name:<17} {counts[0]} / {counts[1]} / {counts[2]}")
        return "\n".join(lines)


# Running the real processes


@dataclass
class Project:
    """The project of a scenario, its fakes, and the clock its runs are at."""

    root: Path
    remote: Path
    rigs: list[Rig]
    rng: random.Random
    hours: int = 0
    outputs: list[str] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        now = BUILD_TIME + timedelta(hours=self.hours)
        return {
            "SOURCE_DATE_EPOCH": str(int(BUILD_TIME.timestamp())),
            "NO_MKDOCS_2_WARNING": "1",
            "CAREBASE_TEST_NOW": now.isoformat(),
        }

    def requests(self) -> int:
        return sum(len(rig.fake.requests) for rig in self.rigs)

    def start(self, *arguments: str) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "carebase", *arguments]
        return subprocess.Popen(
            command,
            cwd=self.root,
            env={**os.environ, **self.env()},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # Its own process group: the kill takes git with it.
        )

    def finish(self, process: subprocess.Popen[str], tally: Tally) -> str:
        out, err = process.communicate(timeout=300)
        tally.runs += 1
        if "Traceback" in err:
            tally.crashes += 1
            tally.problems.append(f"crash: {err.strip().splitlines()[-1]}")
        self.outputs.append(out + err)
        return out + err

    def run(self, tally: Tally, *arguments: str) -> str:
        return self.finish(self.start(*arguments), tally)

    def killed(self, tally: Tally, *arguments: str) -> str:
        """Run, SIGKILLed at a random moment; the output (of a run that finished first too)."""
        process = self.start(*arguments)
        early = self.rng.random() < 0.15
        delay = self.rng.uniform(0, 1.5 if early else 1.0 if arguments[0] == "deploy" else 4.0)
        before = self.requests()
        started = None if not early else time.monotonic()
        while process.poll() is None:
            if started is None and self.requests() > before:
                started = time.monotonic()
            if started is not None and time.monotonic() - started >= delay:
                os.killpg(process.pid, signal.SIGKILL)
                break
            time.sleep(0.01)
        output = self.finish(process, tally)
        if process.returncode == -signal.SIGKILL:
            tally.kills += 1
            tally.early_kills += self.requests() == before
            tally.deploy_kills += arguments[0] == "deploy"
        return output


QUIET = re.compile(
    r"Announced: 0 posted, 0 failed, \d+ unconfirmed, 0 given up, \d+ recorded without posting, "
    r"0 over the cap, 0 waiting"
)
"""A run with nothing left to do (unconfirmed posts of earlier runs wait for a person)."""
OUTCOME = re.compile(r"^  (posted|failed|sending|gave_up|unconfirmed|deferred|unusable)\s", re.M)


def settle(project: Project, tally: Tally) -> None:
    """Run ``carebase announce`` hours apart until a run has nothing left to do."""
    for _ in range(MAX_RUNS):
        project.hours += 7  # Past the lease (15 min) and the longest backoff (6 h).
        output = project.run(tally, "announce")
        if QUIET.search(output) and not OUTCOME.search(output):
            return
    tally.unsettled += 1
    tally.problems.append(f"a trial did not settle in {MAX_RUNS} runs")


def trial(project: Project, merge: Merge, tally: Tally) -> None:
    """Merge, deploy, kill the announcing process at a random moment, run again until done."""
    for path, text in merge.files.items():
        (project.root / path).write_text(text, encoding="utf-8")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", f"merge {merge.number}")
    faults = arm(project)
    project.hours += 7
    if merge.kill_deploy:
        project.killed(tally, "deploy", "--no-search")
        project.hours += project.rng.choice([0, 7])  # Re-run at once (lease held) or later.
        project.run(tally, "deploy", "--no-search")
    else:
        built = project.run(tally, "deploy", "--no-search", "--no-announce")
        assert "deploy: done" in built, built
        project.killed(tally, "announce")
    settle(project, tally)
    for fired in faults:
        tally.faults += fired.fired
    tally.trials += 1


def arm(project: Project) -> list[Faults]:
    """A fresh seeded fault plan on every fake."""
    armed = []
    for rig in project.rigs:
        rig.fake.faults = Faults(random.Random(project.rng.random()))
        for fault in fault_plan(project.rng, rig.name):
            rig.fake.faults.add(fault)
        armed.append(rig.fake.faults)
    return armed


# Setting up a scenario's project


@contextmanager
def scenario_project(where: Path, seed: int) -> Iterator[Project]:
    """The sample, configured with every network's fake, deployed once (the baseline)."""
    root = copy_sample(where / "project")
    remote = where / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(root, "remote", "add", "origin", str(remote))
    with pytest.MonkeyPatch.context() as patch, rigs(patch, timeout=TIMEOUT) as found:
        for lang in ("es", "de"):
            token = TOKENS["CAREBASE_MASTODON_TOKEN"]
            patch.setenv(f"CAREBASE_MASTODON_{lang.upper()}_TOKEN", token)
        configure(root, found)
        git(root, "commit", "-q", "-am", "announce on the test networks")
        project = Project(root, remote, found, random.Random(seed))
        baseline = project.run(Tally(), "deploy", "--no-search")
        assert "Announced:" in baseline and all(not rig.fake.posts for rig in found), baseline
        yield project


def configure(root: Path, found: list[Rig]) -> None:
    """``carebase/announce`` with every rig (and Mastodon's es and de accounts)."""
    networks: list[dict[str, Any]] = []
    for rig in found:
        networks.append({**rig.options, "languages": ["en"]})
        for lang in LANGUAGES.get(rig.name, [])[1:]:
            token_env = f"CAREBASE_MASTODON_{lang.upper()}_TOKEN"
            more = {"name": f"{rig.name}-{lang}", "languages": [lang], "token_env": token_env}
            networks.append({**rig.options, **more})
    options = {"hashtags": ["BrightwaveHelp"], "networks": networks}
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    block = f"  - carebase/announce: {json.dumps(options)}\n"
    text, count = re.subn(r"  - carebase/announce:\n(?:      .*\n|\s*\n)+", block, text)
    assert count == 1
    config.write_text(text, encoding="utf-8")


# The verdict


Key = tuple[str, str, str]
"""(network, item id, revision)."""


@dataclass
class Truth:
    """What should have gone out: items of each build that the one before did not have."""

    items: dict[str, Item] = field(default_factory=dict)
    """Every item seen, by id (the latest revision)."""
    urls: dict[str, Item] = field(default_factory=dict)
    """Every item seen, by each address it had."""
    expected: set[Key] = field(default_factory=set)
    by_marker: dict[tuple[str, int], str] = field(default_factory=dict)
    """(item id, merge) → the revision that merge made."""
    first: dict[str, str] = field(default_factory=dict)

    def learn(self, site: Path, merge: int, accounts: dict[str, str]) -> None:
        """Compare this build (after ``merge``; 0: the baseline) with what was seen."""
        for item in items_of(read_manifest(site), ANNOUNCED_TYPES):
            seen = self.items.get(item.id)
            self.items[item.id] = item
            self.urls[item.url] = item
            self.first.setdefault(item.id, item.revision)
            if seen is not None and seen.revision == item.revision:
                continue
            self.by_marker[(item.id, merge)] = item.revision
            if merge == 0 or (seen is not None and item.type == "post"):
                continue
            for account, lang in accounts.items():
                if lang == item.lang:
                    self.expected.add((account, item.id, item.revision))


def accounts(found: list[Rig]) -> dict[str, str]:
    """Ledger name → the one language it posts."""
    names = {f"{rig.name}-en": "en" for rig in found}
    for rig in found:
        for lang in LANGUAGES.get(rig.name, [])[1:]:
            names[f"{rig.name}-{lang}"] = lang
    return names


def posted(project: Project, truth: Truth) -> Counter[Key]:
    """Every post on every fake, as (network, item id, revision)."""
    counts: Counter[Key] = Counter()
    by_url = sorted(truth.urls.values(), key=lambda item: -len(item.url))
    for rig in project.rigs:
        for post in rig.fake.posts:
            blob = json.dumps(post, ensure_ascii=False)
            item = next((i for i in by_url if i.url in blob), None)
            if item is None:
                counts[(rig.name, "?", "?")] += 1
                continue
            counts[(f"{rig.name}-{item.lang}", item.id, _revision(truth, item, blob))] += 1
    return counts


def _revision(truth: Truth, item: Item, blob: str) -> str:
    revisions = set(truth.by_marker.values())
    for found in UTM_CONTENT.findall(blob):
        if str(found) in revisions:
            return str(found)
    marker = MARKER.search(blob)
    if marker is None:
        return truth.first[item.id]
    return truth.by_marker.get((item.id, int(marker[1])), f"?zz{marker[1]}")


def ledger_states(project: Project) -> dict[Key, str]:
    """(network, item id, revision) → its state in the ledger on the remote's branch."""
    text = git(project.remote, "show", "carebase-ledger:ledger.jsonl")
    states = {}
    for line in text.splitlines():
        entry = json.loads(line)
        if "item_id" in entry:
            states[(entry["network"], entry["item_id"], entry["revision"])] = entry["state"]
    return states


def judge(project: Project, truth: Truth, tally: Tally) -> None:
    """Per (network, page, revision): exactly once, or unconfirmed and reported."""
    counts = posted(project, truth)
    states = ledger_states(project)
    output = "\n".join(project.outputs)
    tally.expected += len(truth.expected)
    for key in sorted(truth.expected | set(counts)):
        network, item_id, _ = key
        count = counts[key]
        if count > 1 or (count and key not in truth.expected):
            extra = count - (1 if key in truth.expected else 0)
            tally.duplicates[network] += extra
            tally.problems.append(f"posted {count}x: {key}")
        elif count == 1:
            tally.once += 1
        elif states.get(key) == "unconfirmed" and _reported(output, network, item_id):
            tally.unconfirmed[network] += 1
        else:
            tally.losses[network] += 1
            tally.problems.append(f"lost ({states.get(key, 'not in the ledger')}): {key}")


def _reported(output: str, network: str, item_id: str) -> bool:
    # As this run's outcome, or in the list every later run prints (``  ID  network  item``).
    said = rf"(unconfirmed\s+|  [0-9a-f]+  ){re.escape(network)}\s+{re.escape(item_id)}\s"
    return re.search(said, output) is not None


def run_scenario(where: Path, seed: int, merges: int = 4, deploy_kills: int = 0) -> Tally:
    """One seeded scenario: a trial per merge, then the verdict."""
    started = time.monotonic()
    tally = Tally()
    with scenario_project(where, seed) as project:
        names = accounts(project.rigs)
        truth = Truth()
        truth.learn(project.root / "site", 0, names)
        for merge in scenario(project.root, seed, merges, deploy_kills).merges:
            trial(project, merge, tally)
            truth.learn(project.root / "site", merge.number, names)
        judge(project, truth, tally)
    tally.wall = time.monotonic() - started
    return tally


def run_trials(where: Path, trials: int, seed: int, deploy_kills: int = 1) -> Tally:
    """At least ``trials`` trials, in scenarios of four merges (seeds ``seed``, ``seed+1``…)."""
    total = Tally()
    number = 0
    while total.trials < trials:
        merges = min(4, max(3, trials - total.trials))
        folder = where / f"scenario-{seed + number}"
        total.add(run_scenario(folder, seed + number, merges, deploy_kills))
        number += 1
    return total
