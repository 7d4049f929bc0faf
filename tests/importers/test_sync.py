"""The sync engine's rules, with an in-memory source and a small project on disk."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import ClassVar

import pytest
import yaml

from carebase.importers.images import ImageError
from carebase.importers.model import Cursor, Removal, Thread
from carebase.importers.store import CURSORS_DIR, REDIRECTS_FILE, scan
from carebase.importers.sync import Action, SyncReport, sync
from carebase.importers.writer import body_of, render
from carebase.models import SourceKind
from carebase.project import Project
from tests.importers.conftest import (
    LATER,
    NOW,
    SETTINGS,
    FakeSource,
    Killed,
    community_files,
    mtimes,
    thread,
)

ARTICLE = "kb/broadband/community/router-drops-wi-fi-at-night.md"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


def run(project: Project, source: FakeSource, **options: object) -> SyncReport:
    options.setdefault("now", NOW)
    options.setdefault("fetch", no_network)
    return sync(source, project, SETTINGS, **options)  # type: ignore[arg-type]


def no_network(url: str, max_bytes: int) -> bytes:
    raise ImageError("no network in tests")


def counts(report: SyncReport) -> dict[str, int]:
    return {action.value: report.count(action) for action in Action if report.count(action)}


def redirects(project: Project) -> dict[str, str]:
    path = project.docs_dir / REDIRECTS_FILE
    if not path.exists():
        return {}
    data: dict[str, dict[str, str]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["redirects"]


def test_a_solved_thread_becomes_an_article_of_its_mapped_category(project: Project) -> None:
    report = run(project, FakeSource([thread()]))
    assert counts(report) == {"added": 1}
    assert list(community_files(project)) == [ARTICLE]
    assert report.summary() == (
        "Imported from discourse: 1 added, 0 updated, 0 unchanged, 0 removed, "
        "0 skipped-edited, 0 failed"
    )
    cursor = project.docs_dir / CURSORS_DIR / "discourse.json"
    assert json.loads(cursor.read_text(encoding="utf-8")) == {"cursor": "cursor-1"}


def test_a_second_run_with_nothing_changed_writes_nothing(project: Project) -> None:
    run(project, FakeSource([thread(), thread("102", "Bill too high", category="bills")]))
    before = mtimes(project.docs_dir)
    report = run(
        project, FakeSource([thread(), thread("102", "Bill too high", category="bills")]), now=LATER
    )
    assert counts(report) == {"unchanged": 2}
    assert mtimes(project.docs_dir) == before


def test_the_cursor_is_handed_back_to_the_source(project: Project) -> None:
    run(project, FakeSource([thread()], next_cursor="2026-11-01T00:00:00Z"))
    source = FakeSource([])
    run(project, source)
    assert source.asked_since == [Cursor("2026-11-01T00:00:00Z")]
    run(project, source, full=True)
    assert source.asked_since[-1] == Cursor()


def test_an_upstream_edit_updates_the_file_and_its_import_time(project: Project) -> None:
    run(project, FakeSource([thread()]))
    report = run(project, FakeSource([thread(answer="Set channel 44.")]), now=LATER)
    assert counts(report) == {"updated": 1}
    text = community_files(project)[ARTICLE]
    assert "Set channel 44." in text
    assert "imported_at: '2026-11-02T09:30:00Z'" in text


def test_a_new_title_moves_the_file_and_keeps_a_redirect(project: Project) -> None:
    run(project, FakeSource([thread()]))
    report = run(project, FakeSource([thread(title="Hub drops Wi-Fi at 2am")]), now=LATER)
    moved = "kb/broadband/community/hub-drops-wi-fi-at-2am.md"
    assert report.outcomes[0].action is Action.UPDATED
    assert report.outcomes[0].moved_from == (ARTICLE,)
    assert [path for path in community_files(project) if path.endswith(".md")] == [moved]
    assert redirects(project) == {ARTICLE: moved}
    run(project, FakeSource([thread(title="Hub drops at 2am")]), now=LATER)
    final = "kb/broadband/community/hub-drops-at-2am.md"
    assert redirects(project) == {ARTICLE: final, moved: final}


def test_a_title_taken_by_another_article_gets_the_id(project: Project) -> None:
    taken = project.docs_dir / "kb/billing/router-drops-wi-fi-at-night.md"
    taken.parent.mkdir(parents=True)
    taken.write_text("# Router drops Wi-Fi at night\n", encoding="utf-8")
    run(project, FakeSource([thread()]))
    assert list(community_files(project)) == [
        "kb/broadband/community/router-drops-wi-fi-at-night-101.md"
    ]


def test_a_hand_edited_file_is_never_overwritten_without_force(project: Project) -> None:
    run(project, FakeSource([thread()]))
    path = project.docs_dir / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\nA note from staff.\n", "utf-8")
    report = run(project, FakeSource([thread(answer="Changed upstream")]), now=LATER)
    assert counts(report) == {"skipped-edited": 1}
    assert report.details() == [
        f"skipped-edited content/{ARTICLE}: edited by hand since it was imported, and its thread "
        "changed upstream; run with --force to replace it"
    ]
    assert "A note from staff." in path.read_text(encoding="utf-8")
    gone = run(project, FakeSource([Removal(SourceKind.DISCOURSE, "101", "deleted")]))
    assert counts(gone) == {"skipped-edited": 1} and path.exists()
    forced = run(project, FakeSource([thread(answer="Changed upstream")]), force=True)
    assert counts(forced) == {"updated": 1}
    assert "A note from staff." not in path.read_text(encoding="utf-8")


def test_removed_and_unaccepted_threads_lose_their_article(project: Project) -> None:
    run(project, FakeSource([thread(), thread("102", "Bill too high", category="bills")]))
    report = run(
        project,
        FakeSource([Removal(SourceKind.DISCOURSE, "101", "deleted"), thread("102", answer=None)]),
    )
    assert [(o.action, o.detail) for o in report.outcomes] == [
        (Action.REMOVED, "deleted"),
        (Action.REMOVED, "it no longer has an accepted answer"),
    ]
    assert community_files(project) == {}


def test_full_removes_what_the_source_no_longer_publishes(project: Project) -> None:
    run(project, FakeSource([thread(), thread("102", "Bill too high", category="bills")]))
    jsonl = FakeSource([thread("5", "From another source")], kind=SourceKind.JSONL)
    run(project, replace(jsonl, items=[replace(thread("5", "Other"), kind=SourceKind.JSONL)]))
    report = run(project, FakeSource([thread()], published={"101"}), full=True)
    assert counts(report) == {"unchanged": 1, "removed": 1}
    assert report.outcomes[-1].detail == "no longer published upstream"
    assert sorted(community_files(project)) == [
        "kb/broadband/community/other.md",
        ARTICLE,
    ]


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(project: Project) -> None:
    run(project, FakeSource([thread()]))
    before = mtimes(project.docs_dir)
    report = run(
        project,
        FakeSource([thread(title="Renamed"), thread("102", "New", category="bills")]),
        dry_run=True,
    )
    assert mtimes(project.docs_dir) == before
    assert report.details() == [
        f"would be updated content/kb/broadband/community/renamed.md: moved from content/{ARTICLE}",
        "would be added content/kb/billing/community/new.md",
    ]
    assert report.summary().startswith("Dry run, nothing written: discourse would give 1 added")


def test_an_unmapped_category_fails_and_holds_the_cursor_back(project: Project) -> None:
    report = run(project, FakeSource([thread(category="tv"), thread("102", "Fine")]))
    assert counts(report) == {"failed": 1, "added": 1}
    assert "its category 'tv' is not mapped" in report.details()[0]
    assert not report.cursor_saved
    assert not (project.docs_dir / CURSORS_DIR / "discourse.json").exists()


class TestKilledAndResumed:
    THREADS: ClassVar[list[Thread]] = [thread(str(n), f"Question number {n}") for n in range(1, 6)]

    def test_a_run_killed_midway_leaves_whole_files_and_no_cursor(self, project: Project) -> None:
        with pytest.raises(Killed):
            run(project, FakeSource(self.THREADS, die_after=3))
        files = community_files(project)
        assert len(files) == 3
        assert all(
            text.endswith("\n") and "content_hash: sha256:" in text for text in files.values()
        )
        assert not (project.docs_dir / CURSORS_DIR).exists()
        report = run(project, FakeSource(self.THREADS), now=LATER)
        assert counts(report) == {"unchanged": 3, "added": 2}
        assert len(community_files(project)) == 5
        assert report.cursor_saved

    def test_a_run_killed_between_writing_and_deleting_a_move(self, project: Project) -> None:
        run(project, FakeSource([thread()]))
        # The new file was written, the old one not yet deleted, the cursor not moved.
        renamed = thread(title="Hub drops Wi-Fi")
        moved = project.docs_dir / "kb/broadband/community/hub-drops-wi-fi.md"
        moved.write_text(render(renamed, SETTINGS, body_of(renamed, SETTINGS), LATER), "utf-8")
        report = run(project, FakeSource([renamed]), now=LATER)
        assert counts(report) == {"updated": 1}
        files = scan(project.docs_dir, "kb", ("en",)).files(("discourse", "101"))
        assert [file.path for file in files] == ["kb/broadband/community/hub-drops-wi-fi.md"]
        assert redirects(project) == {ARTICLE: "kb/broadband/community/hub-drops-wi-fi.md"}


class TestImages:
    def test_images_are_copied_in_and_linked_locally(self, project: Project) -> None:
        subject = thread(question="Look: ![hub lights](https://forum.example.com/uploads/a.png)")
        run(project, FakeSource([subject]), fetch=lambda url, limit: PNG)
        files = community_files(project)
        [image] = [path for path in files if "/img/" in path]
        assert image.endswith(".png")
        assert f"![hub lights]({image.split('community/')[1]})" in files[ARTICLE]

    @pytest.mark.parametrize(
        ("data", "why"),
        [
            (SVG, "is not a PNG, JPEG, GIF or WebP image"),
            (PNG * 100_000, "is larger than image_max_bytes (2000000 bytes)"),
        ],
    )
    def test_svg_and_large_images_are_left_out(
        self, project: Project, data: bytes, why: str
    ) -> None:
        subject = thread(question="![lights](https://forum.example.com/uploads/a.svg) here")
        report = run(project, FakeSource([subject]), fetch=lambda url, limit: data)
        assert report.notes == [f"image https://forum.example.com/uploads/a.svg left out: {why}"]
        text = community_files(project)[ARTICLE]
        assert "lights here" in text and "uploads" not in text

    def test_images_on_other_hosts_are_fetched_only_when_listed(self, project: Project) -> None:
        fetched: list[str] = []

        def fetch(url: str, limit: int) -> bytes:
            fetched.append(url)
            return PNG

        body = "![a](https://cdn.example.net/a.png) ![b](https://tracker.example.org/b.png)"
        subject = thread(question=body, images=["https://cdn.example.net/a.png"])
        run(project, FakeSource([subject]), fetch=fetch)
        assert fetched == ["https://cdn.example.net/a.png"]

    def test_images_no_article_shows_are_deleted(self, project: Project) -> None:
        subject = thread(question="![a](https://forum.example.com/a.png)")
        run(project, FakeSource([subject]), fetch=lambda url, limit: PNG)
        run(project, FakeSource([Removal(SourceKind.DISCOURSE, "101", "deleted")]))
        assert community_files(project) == {}


def test_links_to_imported_threads_point_to_their_articles(project: Project) -> None:
    other = thread("102", "Channel settings explained")
    linking = thread(
        question="See [this thread](https://forum.example.com/t/channel-settings/102/3)."
    )
    run(project, FakeSource([other, linking]))
    assert "[this thread](channel-settings-explained.md)" in community_files(project)[ARTICLE]


def test_links_follow_a_moved_article_and_fall_back_to_a_removed_ones_thread(
    project: Project,
) -> None:
    target = thread("102", "Channel settings explained")
    linking = thread(question="See [this thread](https://forum.example.com/t/102).")
    run(project, FakeSource([target, linking]))
    renamed = run(project, FakeSource([thread("102", "Wi-Fi channels explained")]))
    text = community_files(project)[ARTICLE]
    assert "[this thread](wi-fi-channels-explained.md)" in text
    assert renamed.notes == [
        f"content/{ARTICLE}: link to content/kb/broadband/community/channel-settings-explained.md"
        " now goes to content/kb/broadband/community/wi-fi-channels-explained.md"
    ]
    run(project, FakeSource([Removal(SourceKind.DISCOURSE, "102", "deleted")]))
    text = community_files(project)[ARTICLE]
    assert "[this thread](https://forum.example.com/t/102)" in text
    assert counts(run(project, FakeSource([linking]), now=LATER)) == {"unchanged": 1}
