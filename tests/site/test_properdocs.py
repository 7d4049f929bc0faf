"""The same site builds under ProperDocs, the maintained fork of MkDocs 1.x."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.site.conftest import BUILD_TIME, copy_sample, parse

pytestmark = pytest.mark.slow


def test_properdocs_builds_the_same_pages_as_mkdocs(sample_site: Path, tmp_path: Path) -> None:
    project = copy_sample(tmp_path / "project")
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        env={"SOURCE_DATE_EPOCH": str(int(BUILD_TIME.timestamp())), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    site = tmp_path / "site"

    def pages(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*.html")}

    assert pages(site) == pages(sample_site)
    soup = parse(site, "kb/billing/why-has-my-bill-gone-up/")
    assert soup.select_one("[data-cb-fallback] [data-cb-lang=es]") is not None
    assert len(parse(site, "kb/billing/").select(".cb-article-list__item")) >= 5
    assert "ProperDocs" in (site / "index.html").read_text(encoding="utf-8")
