"""A build stops on content errors with the file, line and field, not a traceback."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from mkdocs.exceptions import Abort

from tests.site.conftest import build_site

pytestmark = pytest.mark.slow

CONFIG = """\
site_name: Errors
docs_dir: content
theme:
  name: material
  custom_dir: theme
plugins:
  - carebase/kb
"""
WHEN = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"kb/billing/refunds.md": "---\ntitle: Refunds\nowner: nobody\n---\nText\n"},
            "content/kb/billing/refunds.md:3: owner: 'nobody' is not an author in"
            " content/blog/.authors.yml",
        ),
        (
            {"kb/billing/refunds.md": "---\ntitle: Refunds\nreviewed: 31/02/2025\n---\nText\n"},
            "content/kb/billing/refunds.md:3: reviewed: ",
        ),
        (
            {"kb/unknown/refunds.md": "# Refunds\n"},
            "content/kb/unknown/refunds.md:1: category: ",
        ),
    ],
)
def test_content_errors_fail_the_build_with_their_location(
    make_project,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    files: dict[str, str],
    message: str,
) -> None:
    project = make_project(files, config=CONFIG, theme=True)
    with pytest.raises(Abort):
        build_site(project, project / "site", monkeypatch, WHEN)
    # MkDocs logs the plugin's error as it aborts; that log line is what the user reads.
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any(message in error for error in errors), errors
    assert not any("Traceback" in error for error in errors)
