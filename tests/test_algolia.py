"""``carebase search push``: the real Algolia client against a fake Algolia on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from carebase.cli.main import cli
from carebase.manifest import read_manifest
from carebase.search.algolia import (
    AlgoliaError,
    AlgoliaIndex,
    Network,
    PushReport,
    index_settings,
    push,
)
from carebase.search.records import RECORD_LIMIT, SearchRecord, page_of, site_records
from carebase.search.settings import AlgoliaSettings
from carebase.search.synonyms import algolia_synonyms, load_synonyms
from tests.fakes.algolia import FakeAlgolia, use_algolia
from tests.site.conftest import BUILD_TIME, build_site, copy_sample
from tests.site.servers import free_port

pytestmark = pytest.mark.slow

APP_ID = "TESTAPP"
ADMIN_KEY = "admin-7c1f9e2b4d6a8c0e"
INDEX = "brightwave_help"
SETTINGS = AlgoliaSettings(app_id=APP_ID, index_name=INDEX, search_key="search-only-key")
EDITED_PAGE = "kb/account/add-an-authorised-person@en"
EDITED_FILE = "content/kb/account/add-an-authorised-person.md"
FAST = Network(attempts=2, backoff=0.05, read_timeout=2, write_timeout=2)
"""Our retries, spaced for a test: the client's own 429 waits still honour Retry-After."""


@dataclass(frozen=True)
class Sites:
    project: Path
    first: Path
    edited: Path
    """The same project rebuilt after one sentence of one article changed."""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Sites:
    root = tmp_path_factory.mktemp("algolia")
    project = copy_sample(root / "project")
    with pytest.MonkeyPatch.context() as monkeypatch:
        first = build_site(project, root / "first", monkeypatch, BUILD_TIME)
        article = project / EDITED_FILE
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("up to **3** authorised", "up to **4** authorised"))
        edited = build_site(project, root / "edited", monkeypatch, BUILD_TIME)
    use_algolia(project / "mkdocs.yml", APP_ID, INDEX, "search-only-key")
    return Sites(project, first, edited)


@pytest.fixture
def fake() -> Iterator[FakeAlgolia]:
    service = FakeAlgolia(app_id=APP_ID, admin_key=ADMIN_KEY)
    with service.running():
        yield service


def records_of(site: Path) -> list[SearchRecord]:
    return site_records(read_manifest(site), site)


def push_to(
    fake: FakeAlgolia, records: list[SearchRecord], network: Network = FAST, **options: bool
) -> PushReport:
    with AlgoliaIndex(SETTINGS, ADMIN_KEY, replace(network, hosts=(fake.url,))) as index:
        return push(records, index, **options)


def stored_ids(fake: FakeAlgolia) -> set[str]:
    return set(fake.indexes[INDEX].records)


def test_the_first_push_saves_every_record_and_the_index_settings(
    sites: Sites, fake: FakeAlgolia
) -> None:
    records = records_of(sites.first)

    report = push_to(fake, records)

    assert (report.saved, report.deleted, report.unchanged) == (len(records), 0, 0)
    # Algolia answers 404 for the settings of an index that does not exist: nothing to read.
    assert report.created
    assert [(r.verb, r.status) for r in fake.requests[:2]] == [("settings", 404), ("settings", 200)]
    stored = fake.indexes[INDEX]
    assert stored.records == {record.object_id: record.to_dict() for record in records}
    assert index_settings().items() <= stored.settings.items()
    assert fake.writes(INDEX) == len(records) + 1  # The records, and the settings once.


def test_pushing_an_unchanged_site_writes_nothing(sites: Sites, fake: FakeAlgolia) -> None:
    records = records_of(sites.first)
    push_to(fake, records)
    fake.reset_log()
    fake.browse_page_size = 100  # Several pages, so the cursor is followed.

    report = push_to(fake, records)

    assert (report.saved, report.deleted, report.unchanged) == (0, 0, len(records))
    assert report.settings_changed == ()
    assert fake.writes() == 0
    assert len([r for r in fake.requests if r.verb == "browse"]) == -(-len(records) // 100)


def test_a_rebuild_keeps_record_ids_and_an_edit_saves_only_that_pages_records(
    sites: Sites, fake: FakeAlgolia
) -> None:
    before, after = records_of(sites.first), records_of(sites.edited)
    assert [r.object_id for r in before] == [r.object_id for r in after]
    push_to(fake, before)
    fake.reset_log()

    report = push_to(fake, after)

    saved = [object_id for action, object_id in fake.batch_actions(INDEX)]
    assert saved == ["kb/account/add-an-authorised-person@en#add-an-authorised-person:0"]
    assert {page_of(object_id) for object_id in saved} == {EDITED_PAGE}
    assert (report.saved, report.deleted) == (1, 0)
    assert "up to 4 authorised" in fake.indexes[INDEX].records[saved[0]]["content"]


def test_a_removed_page_has_its_records_deleted(sites: Sites, fake: FakeAlgolia) -> None:
    manifest = read_manifest(sites.first)
    push_to(fake, site_records(manifest, sites.first))
    fake.reset_log()
    manifest.entries = [e for e in manifest.entries if e.id != EDITED_PAGE]

    report = push_to(fake, site_records(manifest, sites.first))

    deleted = fake.batch_actions(INDEX)
    assert deleted and {action for action, _ in deleted} == {"deleteObject"}
    assert {page_of(object_id) for _, object_id in deleted} == {EDITED_PAGE}
    assert report.deleted == len(deleted) and report.saved == 0
    assert not any(page_of(object_id) == EDITED_PAGE for object_id in stored_ids(fake))


def test_a_full_push_fills_a_temporary_index_and_moves_it_over_the_live_one(
    sites: Sites, fake: FakeAlgolia
) -> None:
    records = records_of(sites.first)
    push_to(fake, records)
    fake.reset_log()

    report = push_to(fake, records_of(sites.edited), full=True)

    assert report.full and report.saved == len(records)
    [(temporary, live)] = fake.moves
    assert live == INDEX and temporary.startswith(f"{INDEX}_tmp_")
    # Readers of the live index never saw it emptied or half-filled: no write touched it
    # but the move, and it held every record after each change.
    assert fake.batch_actions(INDEX) == []
    assert len(fake.batch_actions(temporary)) == len(records)
    assert fake.sizes[INDEX] == [len(records)]
    assert set(fake.indexes) == {INDEX}
    assert index_settings().items() <= fake.indexes[INDEX].settings.items()


def test_settings_are_sent_once_and_then_only_what_differs(sites: Sites, fake: FakeAlgolia) -> None:
    records = records_of(sites.first)
    push_to(fake, records)
    fake.indexes[INDEX].settings["customRanking"] = ["desc(popularity)"]
    fake.reset_log()

    report = push_to(fake, records)
    again = push_to(fake, records)

    [change] = [r for r in fake.requests if r.method == "PUT"]
    assert change.body == {"customRanking": index_settings()["customRanking"]}
    assert report.settings_changed == ("customRanking",)
    assert again.settings_changed == ()


def test_a_dry_run_reads_but_writes_nothing(sites: Sites, fake: FakeAlgolia) -> None:
    push_to(fake, records_of(sites.first))
    fake.reset_log()

    report = push_to(fake, records_of(sites.edited), dry_run=True, full=False)

    assert report.dry_run and (report.saved, report.deleted) == (1, 0)
    assert fake.writes() == 0
    assert {r.verb for r in fake.requests} == {"settings", "browse"}


def test_a_429_is_retried_after_retry_after(sites: Sites, fake: FakeAlgolia) -> None:
    fake.fail(429, retry_after="1", path="/batch")
    started = time.monotonic()

    report = push_to(fake, records_of(sites.first))

    assert time.monotonic() - started >= 1
    assert [r.status for r in fake.requests if r.verb == "batch"] == [429, 200]
    assert report.saved == len(stored_ids(fake))


def test_a_server_error_is_retried_on_a_fresh_host(sites: Sites, fake: FakeAlgolia) -> None:
    fake.fail(503, path="/batch")

    report = push_to(fake, records_of(sites.first))

    assert [r.status for r in fake.requests if r.verb == "batch"] == [503, 200]
    assert report.saved == len(stored_ids(fake))


def test_persistent_server_errors_end_in_one_clear_line(sites: Sites, fake: FakeAlgolia) -> None:
    fake.fail(500, times=100)

    with pytest.raises(AlgoliaError) as failure:
        push_to(fake, records_of(sites.first))

    message = str(failure.value)
    assert message.startswith("Algolia's servers failed (HTTP 5xx) while reading the index")
    assert "hint: " in message and "\n" not in message
    assert len(fake.requests) == FAST.attempts


def test_an_index_that_vanishes_mid_push_is_a_clear_error(sites: Sites, fake: FakeAlgolia) -> None:
    fake.fail(404, path="/batch")

    with pytest.raises(AlgoliaError) as failure:
        push_to(fake, records_of(sites.first))

    assert str(failure.value).startswith(
        f"Algolia has no index '{INDEX}' in application {APP_ID} (injected 404, HTTP 404) "
        "while saving records; hint: check algolia.app_id and algolia.index_name"
    )


def test_a_slow_answer_times_out_with_a_clear_error(sites: Sites, fake: FakeAlgolia) -> None:
    fake.delay(1.5, times=10)
    network = replace(FAST, read_timeout=0.3)

    with pytest.raises(AlgoliaError, match=r"did not answer in time .*0\.3 s read timeout"):
        push_to(fake, records_of(sites.first), network)


def test_an_unreachable_service_is_a_clear_error(sites: Sites) -> None:
    nowhere = Network(attempts=2, backoff=0.05, hosts=(f"http://127.0.0.1:{free_port()}",))

    with (
        pytest.raises(AlgoliaError, match=r"cannot connect to Algolia application TESTAPP"),
        AlgoliaIndex(SETTINGS, ADMIN_KEY, nowhere) as index,
    ):
        push(records_of(sites.first), index)


def test_records_of_the_sample_site_are_small_unique_and_cover_every_page(sites: Sites) -> None:
    manifest = read_manifest(sites.first)
    records = records_of(sites.first)

    assert all(record.size() < RECORD_LIMIT for record in records)
    assert len({record.object_id for record in records}) == len(records)
    assert {page_of(record.object_id) for record in records} == {
        entry.id for entry in manifest.published()
    }


# The command line.


def run_push(
    sites: Sites, fake: FakeAlgolia, key: str | None, *args: str, site: Path | None = None
) -> Result:
    env = {"ALGOLIA_ADMIN_KEY": key, "CAREBASE_ALGOLIA_HOSTS": fake.url}
    config = str(sites.project / "mkdocs.yml")
    site_dir = str(site or sites.first)
    command = ["-f", config, "search", "push", "--site-dir", site_dir, *args]
    result = CliRunner().invoke(cli, command, env=env)
    assert "Traceback" not in result.output
    assert ADMIN_KEY not in result.output
    return result


def test_the_command_pushes_then_finds_nothing_to_do(sites: Sites, fake: FakeAlgolia) -> None:
    first = run_push(sites, fake, ADMIN_KEY)
    second = run_push(sites, fake, ADMIN_KEY, "--dry-run")

    count = len(stored_ids(fake))
    assert first.exit_code == 0, first.output
    assert f"Algolia index '{INDEX}' (application {APP_ID}, new) updated: {count} saved" in (
        first.output
    )
    assert second.exit_code == 0, second.output
    assert second.output.startswith("Dry run, nothing written:")
    assert f"0 saved, 0 deleted, {count} unchanged" in second.output
    # The sample's synonyms file, sent once: the index then holds exactly its synonyms.
    synonyms = fake.indexes[INDEX].synonyms
    assert f"synonyms replaced ({len(synonyms)})" in first.output
    assert {"refund", "money back"} <= set(synonyms[_group_id(synonyms, "refund")]["synonyms"])
    assert "synonyms unchanged" in second.output


def test_a_dry_run_lists_the_pages_it_would_change(sites: Sites, fake: FakeAlgolia) -> None:
    assert run_push(sites, fake, ADMIN_KEY, site=sites.edited).exit_code == 0
    fake.reset_log()

    result = run_push(sites, fake, ADMIN_KEY, "--dry-run")

    assert result.exit_code == 0, result.output
    assert f"  save   {EDITED_PAGE} (1 record)" in result.output.splitlines()
    assert fake.writes() == 0


def test_a_wrong_admin_key_is_one_line_without_the_key(sites: Sites, fake: FakeAlgolia) -> None:
    wrong = "wrong-admin-key-0042"

    result = run_push(sites, fake, wrong)

    assert result.exit_code == 1
    [line] = result.output.splitlines()
    assert line.startswith(
        "Error: Algolia refused the key in ALGOLIA_ADMIN_KEY for application TESTAPP"
    )
    assert "Invalid Application-ID or API key (HTTP 403)" in line
    assert wrong not in line
    assert fake.indexes == {}


def test_a_missing_admin_key_names_the_variable(sites: Sites, fake: FakeAlgolia) -> None:
    result = run_push(sites, fake, None)

    assert result.exit_code == 1
    assert result.output.startswith("Error: ALGOLIA_ADMIN_KEY is not set")
    assert fake.requests == []


def test_a_site_searched_by_another_backend_has_nothing_to_push(
    tmp_path: Path, fake: FakeAlgolia
) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Help\ndocs_dir: content\nplugins:\n  - carebase/search\n", encoding="utf-8"
    )

    result = CliRunner().invoke(
        cli, ["-f", str(tmp_path / "mkdocs.yml"), "search", "push"], env={"ALGOLIA_ADMIN_KEY": "k"}
    )

    assert result.exit_code == 1
    assert result.output.startswith("Error: mkdocs.yml: the search backend is 'pagefind'")
    assert "hint: set 'backend: algolia'" in result.output
    assert fake.requests == []


# --- synonyms: content/.carebase/synonyms.yml, the same list the Pagefind box expands -------


def site_synonyms(sites: Sites) -> list[dict[str, Any]]:
    synonyms, problems = load_synonyms(sites.project / "content", ("en", "es", "de"))
    assert problems == []
    return algolia_synonyms(synonyms)


def _group_id(stored: dict[str, dict[str, Any]], word: str) -> str:
    [found] = [key for key, hit in stored.items() if word in hit["synonyms"]]
    return found


def synonym_writes(fake: FakeAlgolia) -> list[int]:
    return [r.status for r in fake.requests if r.verb == "synonyms" and r.path.endswith("/batch")]


def test_synonyms_replace_the_index_synonyms_once_then_nothing_is_written(
    sites: Sites, fake: FakeAlgolia
) -> None:
    wanted = site_synonyms(sites)
    push_to(fake, records_of(sites.first))
    fake.indexes[INDEX].synonyms["dashboard-1"] = {
        "objectID": "dashboard-1",
        "type": "synonym",
        "synonyms": ["tv", "telly"],
    }

    first = push_to(fake, records_of(sites.first), synonyms=wanted)
    fake.reset_log()
    again = push_to(fake, records_of(sites.first), synonyms=wanted)

    stored = fake.indexes[INDEX].synonyms
    assert stored == {hit["objectID"]: hit for hit in wanted}, "one list: the file's, only"
    one_way = [hit for hit in wanted if hit["type"] == "onewaysynonym"]
    assert {"input": "bb", "synonyms": ["broadband"]}.items() <= stored[
        one_way[0]["objectID"]
    ].items()
    assert (first.synonyms_sent, again.synonyms_sent) == (len(wanted), 0)
    assert synonym_writes(fake) == [] and fake.writes() == 0


def test_a_server_error_saving_synonyms_is_retried(sites: Sites, fake: FakeAlgolia) -> None:
    fake.fail(503, path="/synonyms/batch")

    report = push_to(fake, records_of(sites.first), synonyms=site_synonyms(sites))

    assert synonym_writes(fake) == [503, 200]
    assert len(fake.indexes[INDEX].synonyms) == report.synonyms_sent > 0


def test_synonyms_algolia_rejects_are_one_clear_line(sites: Sites, fake: FakeAlgolia) -> None:
    broken = [{"objectID": "x", "type": "onewaysynonym", "synonyms": ["broadband"]}]

    with pytest.raises(AlgoliaError) as failure:
        push_to(fake, records_of(sites.first), synonyms=broken)

    assert str(failure.value) == (
        "Algolia rejected saving the synonyms: synonym 0: a one-way synonym needs 'input' "
        "(HTTP 400)"
    )
    assert fake.indexes[INDEX].synonyms == {}


def test_a_broken_synonyms_file_stops_the_push_before_anything_is_sent(
    sites: Sites, fake: FakeAlgolia, tmp_path: Path
) -> None:
    path = sites.project / "content" / ".carebase" / "synonyms.yml"
    kept = path.read_text(encoding="utf-8")
    try:
        path.write_text("en:\n  - [refund]\n", encoding="utf-8")
        result = run_push(sites, fake, ADMIN_KEY)
    finally:
        path.write_text(kept, encoding="utf-8")

    assert result.exit_code == 1
    assert ".carebase/synonyms.yml:2: en[1]: needs at least two different words" in result.output
    assert fake.writes() == 0
