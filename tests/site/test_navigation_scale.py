"""Navigation stays the same size however many articles a category holds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.site.conftest import build_site, parse

pytestmark = pytest.mark.slow

CONFIG = """\
site_name: Scale test
site_url: https://help.example.com/
docs_dir: content
theme:
  name: material
  custom_dir: theme
  features: [navigation.tabs, navigation.prune]
plugins:
  - carebase/kb:
      per_page: 20
"""
WHEN = datetime(2026, 3, 1, tzinfo=UTC)


def _site(make_project, monkeypatch: pytest.MonkeyPatch, count: int) -> Path:
    files: dict[str, str | None] = {"blog/.authors.yml": None}
    for number in range(count):
        files[f"kb/billing/article-{number:03}.md"] = f"# Billing article {number:03}\n\nText.\n"
    project = make_project(files, config=CONFIG, name=f"site{count}", theme=True)
    return build_site(project, project / "site", monkeypatch, WHEN)


def _nav_links(site: Path, url_path: str) -> int:
    return len(parse(site, url_path).select("nav.md-nav--primary a"))


def test_landing_pages_paginate_with_previous_and_next(make_project, monkeypatch) -> None:
    site = _site(make_project, monkeypatch, 45)
    first = parse(site, "kb/billing/")
    assert len(first.select(".cb-article-list__item")) == 20
    assert first.select_one(".cb-pagination a[rel=next]")["href"] == "page/2/"
    second = parse(site, "kb/billing/page/2/")
    titles = [a.get_text(strip=True) for a in second.select(".cb-article-list a")]
    assert titles[:2] == ["Billing article 020", "Billing article 021"]
    assert second.select_one(".cb-pagination a[rel=prev]")["href"] == "../../"
    assert "Page 2 of 3" in second.select_one(".cb-pagination").get_text()
    third = parse(site, "kb/billing/page/3/")
    assert len(third.select(".cb-article-list__item")) == 5
    assert third.select_one(".cb-pagination a[rel=next]") is None


def test_nav_size_does_not_grow_with_articles(make_project, monkeypatch) -> None:
    small = _site(make_project, monkeypatch, 3)
    large = _site(make_project, monkeypatch, 60)
    page = "kb/billing/article-001/"
    assert _nav_links(small, page) == _nav_links(large, page)
    assert _nav_links(large, page) < 12
