"""`carebase report gaps` against a fake Plausible, and from export files, on the built sample.

In-process through Click's runner (the API client is the real httpx one, talking to the fake
over 127.0.0.1); the key's secrecy is checked in a real ``carebase`` process.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from carebase.cli.main import cli
from tests.commands import carebase
from tests.fakes.plausible import FakePlausible
from tests.fakes.server import Fault

KEY = "plausible-stats-Qx81-never-printed"
SITE = "help.brightwave.example"
GOALS = ("Search: no results", "Search: no click", "Feedback")
CONFIG = "gaps.yml"


@pytest.fixture
def plausible() -> Iterator[FakePlausible]:
    fake = FakePlausible(api_key=KEY, sites=(SITE,), goals=GOALS)
    with fake.running():
        yield fake


@pytest.fixture
def project(sample_site: Path, plausible: FakePlausible, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The built sample's project, with a config whose analytics point at the fake."""
    folder = sample_site.parent / "project"
    text = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    analytics = (
        "  - carebase/search:\n      analytics:\n        provider: plausible\n"
        f"        domain: {SITE}\n        endpoint: {plausible.url}\n"
    )
    (folder / CONFIG).write_text(text.replace("  - carebase/search\n", analytics), "utf-8")
    monkeypatch.chdir(folder)
    return folder


def asked(fake: FakePlausible, name: str, query: str, lang: str = "en", times: int = 1) -> None:
    """As the search box reports a question (what assets/carebase-analytics.js sends)."""
    body = {"name": name, "url": f"https://{SITE}/", "domain": SITE}
    for _ in range(times):
        fake.record({**body, "props": {"query": query, "lang": lang}}, "text/plain", "reader")


def report(project: Path, *arguments: str, key: str = KEY) -> tuple[int, str]:
    """``carebase -f gaps.yml report gaps ARGUMENTS`` in ``project``, with ``key`` set."""
    site = str(project.parent / "site")
    command = ["-f", CONFIG, "report", "gaps", "--site-dir", site, *arguments]
    done = CliRunner().invoke(cli, command, env={"PLAUSIBLE_API_KEY": key})
    return done.exit_code, done.output


def test_the_most_asked_questions_come_first_with_the_nearest_article_and_a_command(
    project: Path, plausible: FakePlausible
) -> None:
    asked(plausible, "Search: no results", "how long does money back take", times=3)
    asked(plausible, "Search: no click", "How long does money back take?", times=2)
    asked(plausible, "Search: no click", "cancel my contract early")
    asked(plausible, "Search: no results", "¿cómo pido un reembolso?", lang="es")
    code, output = report(project, "--top", "3")
    assert code == 0, output
    assert KEY not in output
    lines = output.splitlines()
    # Typed two ways, asked five times: one question, as most often typed.
    assert "“how long does money back take” (en): 5 times (3 no results, 2 no click)" in lines[1]
    assert "nearest article: How to get a refund (kb/billing/how-to-get-a-refund/)" in lines[2]
    assert lines[3].strip() == (
        "carebase -f gaps.yml new faq 'How long does money back take' --category billing "
        "--author priya --lang en"
    )
    spanish = next(line for line in lines if "reembolso" in line)
    assert "(es): 1 time" in spanish
    command = lines[lines.index(spanish) + 2]
    assert "--lang es" in command and "--category billing" in command
    # Each kind was asked with its goal, its query and language as dimensions.
    queries = [body for _, path, body in plausible.requests if path == "/api/v2/query"]
    assert [q["filters"] for q in queries] == [
        [["is", "event:goal", ["Search: no results"]]],
        [["is", "event:goal", ["Search: no click"]]],
    ]
    assert all(q["dimensions"] == ["event:props:query", "event:props:lang"] for q in queries)
    assert all(q["site_id"] == SITE and q["date_range"] == "30d" for q in queries)


def test_the_printed_command_creates_the_faq(project: Path, plausible: FakePlausible) -> None:
    asked(plausible, "Search: no results", "can I pause my broadband while abroad")
    code, output = report(project)
    assert code == 0, output
    command = next(line.strip() for line in output.splitlines() if "new faq" in line)
    words = command.split(" ", 3)  # carebase -f gaps.yml <rest>, quoted for a shell
    created = CliRunner().invoke(cli, ["-f", CONFIG, *_shell_words(words[3])])
    assert created.exit_code == 0, created.output
    path = project / created.output.strip()
    try:
        assert path.read_text(encoding="utf-8").count("Can I pause my broadband while abroad") == 1
        category = command.split("--category ")[1].split()[0]
        assert path.parent.name == category
    finally:
        path.unlink()


def _shell_words(text: str) -> list[str]:
    import shlex

    return shlex.split(text)


def test_feedback_lists_each_pages_answers(project: Path, plausible: FakePlausible) -> None:
    body = {"name": "Feedback", "url": f"https://{SITE}/", "domain": SITE}
    for rating in ("0", "0", "1"):
        props = {"page": "/kb/billing/how-to-get-a-refund/", "rating": rating, "lang": "en"}
        plausible.record({**body, "props": props}, "text/plain", "reader")
    code, output = report(project, "--feedback")
    assert code == 0, output
    assert "No unanswered questions" in output
    assert "/kb/billing/how-to-get-a-refund/  0: 2, 1: 1" in output


def test_a_429_is_waited_out_a_5xx_retried_and_a_hang_times_out(
    project: Path, plausible: FakePlausible
) -> None:
    asked(plausible, "Search: no results", "router lights orange")
    plausible.faults.add(Fault(429, mode="rate_limit", retry_after=1, path="/api/v2/query"))
    plausible.faults.add(Fault(503, path="/api/v2/query"))
    code, output = report(project)
    assert code == 0, output
    assert "router lights orange" in output
    assert plausible.faults.fired == {"rate_limit": 1, "answer": 1}

    plausible.faults.add(Fault(None, delay=3, path="/api/v2/query", times=4))
    code, output = report(project, "--timeout", "0.3")
    assert code == 1
    assert output.strip().splitlines()[-1] == (
        f"Error: Plausible at {plausible.url} did not answer within 0.3 s (4 attempts); "
        "hint: try again later"
    )


def test_a_long_rate_limit_stops_with_a_clear_error(
    project: Path, plausible: FakePlausible
) -> None:
    plausible.faults.add(Fault(429, mode="rate_limit", retry_after=3600, path="/api/v2/query"))
    code, output = report(project)
    assert code == 1
    assert "is rate limiting this key for 3600 s (more than 120 s)" in output
    assert "Traceback" not in output


def test_a_wrong_or_missing_key_is_named_never_shown(
    project: Path, plausible: FakePlausible
) -> None:
    site = str(project.parent / "site")
    env = {"PLAUSIBLE_API_KEY": "wrong-key-5c1d"}
    done = carebase(project, "-f", CONFIG, "report", "gaps", "--site-dir", site, env=env)
    assert done.returncode == 1
    assert "refused the key in PLAUSIBLE_API_KEY for site 'help.brightwave.example' (401" in (
        done.stderr
    )
    assert "wrong-key-5c1d" not in done.stdout + done.stderr
    code, output = report(project, key="")
    assert code == 1
    assert "Error: PLAUSIBLE_API_KEY is not set: it holds the Plausible Stats API key" in output


def test_goals_missing_on_plausible_are_named(project: Path, plausible: FakePlausible) -> None:
    plausible.goals = ()
    code, output = report(project)
    assert code == 1
    assert "The goal `Search: no results` is not configured for this site" in output
    assert "add the custom-event goals 'Search: no results', 'Search: no click'" in output


PLAUSIBLE_EXPORT = """\
property,value,visitors,events,conversion_rate
query,how do I get money back,7,9,1.2
query,(none),1,1,0.1
lang,en,8,10,1.3
query,wifi password,2,2,0.3
"""

GA4_EXPORT = """\
# ----------------------------------------
# Free form 1
# Account: Brightwave
# Property: Help centre
# Start date: 20261101
# End date: 20261130
# ----------------------------------------

Event name,Search term,lang,Event count
search_no_results,how do I get money back,en,4
page_view,how do I get money back,en,40
search_no_click,Was ist ein Router,de,"1,203"
Grand total,,,1247
"""


def export_report(sample_site: Path, export: Path) -> tuple[int, str]:
    """``carebase report gaps --csv EXPORT`` with the sample's own mkdocs.yml."""
    config = str(sample_site.parent / "project" / "mkdocs.yml")
    command = ["-f", config, "report", "gaps", "--site-dir", str(sample_site), "--csv", str(export)]
    done = CliRunner().invoke(cli, command)
    return done.exit_code, done.output


def test_exports_of_plausible_and_ga4_are_read(sample_site: Path, tmp_path: Path) -> None:
    (tmp_path / "custom_props.csv").write_text(PLAUSIBLE_EXPORT, encoding="utf-8")
    (tmp_path / "ga4.csv").write_text(GA4_EXPORT, encoding="utf-8")
    code, output = export_report(sample_site, tmp_path / "custom_props.csv")
    assert code == 0, output
    assert "“how do I get money back” (en): 9 times" in output
    assert "(none)" not in output and "“en”" not in output
    code, output = export_report(sample_site, tmp_path / "ga4.csv")
    assert code == 0, output
    lines = output.splitlines()
    assert "“Was ist ein Router” (de): 1203 times (1203 no click)" in lines[1]
    assert re.search(r"--lang de$", lines[3])
    assert "“how do I get money back” (en): 4 times (4 no results)" in lines[4]


def test_a_broken_export_names_its_file_and_line(sample_site: Path, tmp_path: Path) -> None:
    broken = tmp_path / "ga4.csv"
    broken.write_text(GA4_EXPORT.replace('"1,203"', "many"), encoding="utf-8")
    code, output = export_report(sample_site, broken)
    assert code == 1
    assert (
        output.strip() == f"Error: {broken}, line 12: 'Event count' is not a whole number: 'many'"
    )
    other = tmp_path / "pages.csv"
    other.write_text("name,visitors\n/,3\n", encoding="utf-8")
    code, output = export_report(sample_site, other)
    assert code == 1
    assert output.startswith(f"Error: {other}, line 1: not a known export header")
