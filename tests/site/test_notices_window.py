"""A service notice shows on every page from ``starts`` until ``ends``, and never as a draft."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.site.conftest import build_site, parse

pytestmark = pytest.mark.slow

CONFIG = """\
site_name: Notice test
site_url: https://help.example.com/
docs_dir: content
theme:
  name: material
  custom_dir: theme
plugins:
  - blog:
      categories_allowed: [News, Service status]
  - carebase/kb
  - carebase/notices
"""

OUTAGE = """\
---
title: Mobile data outage in Leeds
date: 2026-03-01
authors: [priya]
categories: [Service status]
notice:
  severity: warning
  starts: 2026-03-01T08:00:00Z
  ends: 2026-03-01T18:00:00Z
  summary: Mobile data is down in Leeds; engineers are on site.
---
Mobile data is down in parts of Leeds.
"""

DRAFT = OUTAGE.replace("Leeds", "York").replace("date: 2026-03-01", "date: 2026-03-01\ndraft: true")


def _build(make_project, monkeypatch: pytest.MonkeyPatch, when: datetime, name: str) -> Path:
    project = make_project(
        {"blog/index.md": "# Blog\n", "blog/posts/outage.md": OUTAGE, "blog/posts/draft.md": DRAFT},
        config=CONFIG,
        name=name,
        theme=True,
    )
    return build_site(project, project / "site", monkeypatch, when)


@pytest.mark.parametrize(
    ("when", "shown"),
    [
        (datetime(2026, 3, 1, 7, 59, tzinfo=UTC), False),
        (datetime(2026, 3, 1, 8, 0, tzinfo=UTC), True),
        (datetime(2026, 3, 1, 17, 59, tzinfo=UTC), True),
        (datetime(2026, 3, 1, 18, 0, tzinfo=UTC), False),
    ],
)
def test_banner_shows_only_inside_the_notice_window(
    make_project, monkeypatch: pytest.MonkeyPatch, when: datetime, shown: bool
) -> None:
    site = _build(make_project, monkeypatch, when, f"site-{when:%H%M}")
    for page in ("", "blog/"):
        notices = parse(site, page).select("a.cb-notice")
        assert bool(notices) is shown, page
        if shown:
            assert [n.select_one(".cb-notice__summary").get_text() for n in notices] == [
                "Mobile data is down in Leeds; engineers are on site."
            ]
            assert notices[0]["data-cb-ends"] == "2026-03-01T18:00:00+00:00"
            assert "cb-notice--warning" in notices[0]["class"]
