"""The ``carebase/import`` plugin in small builds: its options, its redirects, its source box."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from mkdocs.exceptions import Abort

from tests.conftest import ProjectFactory
from tests.site.conftest import build_site, parse

pytestmark = pytest.mark.slow

WHEN = datetime(2026, 11, 1, tzinfo=UTC)
CONFIG = """\
site_name: Imports
site_url: https://help.example.com/
docs_dir: content
theme:
  name: material
  custom_dir: theme
plugins:
  - carebase/kb:
      workers: 1
  - carebase/import:
      attribution: Shared under [CC BY-SA](https://creativecommons.org/licenses/by-sa/4.0/).
{extra}"""
IMPORTED = """\
---
title: Router drops at night
source:
  kind: discourse
  url: https://forum.example.com/t/7
  id: '7'
  imported_at: '2026-10-01T00:00:00Z'
  content_hash: sha256:0
---

Edited <img src=x onerror="alert(1)"> by hand{: onclick="alert(2)" }.
"""


def _config(extra: str = "") -> str:
    return CONFIG.format(extra=extra)


def test_imported_pages_are_sanitised_and_credited(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "kb/broadband/community/router.md": IMPORTED,
        ".carebase/redirects.yml": (
            "redirects:\n  kb/broadband/community/old-router.md: kb/broadband/community/router.md\n"
        ),
    }
    project = make_project(files, config=_config(), theme=True)
    site = build_site(project, project / "site", monkeypatch, WHEN)
    page = parse(site, "kb/broadband/community/router/")
    text = page.select_one(".cb-page")
    assert text is not None
    assert not [tag for tag in text.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
    box = page.select_one(".cb-community")
    assert box is not None
    assert box.select_one(".cb-community__link")["href"] == "https://forum.example.com/t/7"  # type: ignore[index]
    assert box.select_one(".cb-community__attribution a")["href"] == (  # type: ignore[index]
        "https://creativecommons.org/licenses/by-sa/4.0/"
    )
    redirect = parse(site, "kb/broadband/community/old-router/")
    refresh = redirect.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh is not None and refresh["content"] == "0; url=../router/"  # type: ignore[index]


def test_articles_people_wrote_are_not_touched(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "kb/broadband/hub.md": "# Hub\n\n<kbd>Reset</kbd> for <span style='color:red'>5s</span>\n"
    }
    project = make_project(files, config=_config(), theme=True)
    site = build_site(project, project / "site", monkeypatch, WHEN)
    page = parse(site, "kb/broadband/hub/")
    assert page.select_one(".cb-page span[style]") is not None
    assert page.select_one(".cb-community") is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("      replies: 99\n", "plugins.carebase/import.replies: Input should be less than"),
        (
            "      redact: [{pattern: '(', label: x}]\n",
            "redact.0.pattern: is not a valid regular expression",
        ),
    ],
)
def test_invalid_options_fail_the_build_in_one_line(
    make_project: ProjectFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    extra: str,
    message: str,
) -> None:
    project = make_project(config=_config(extra), theme=True)
    with pytest.raises(Abort):
        build_site(project, project / "site", monkeypatch, WHEN)
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any(message in error for error in errors), errors


def test_a_redirect_to_a_missing_page_fails_a_strict_build(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    files = {
        ".carebase/redirects.yml": "redirects:\n  kb/billing/community/a.md: kb/billing/b.md\n"
    }
    project = make_project(files, config=_config(), theme=True)
    with pytest.raises(Abort):
        build_site(project, project / "site", monkeypatch, WHEN)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(
        ".carebase/redirects.yml: 'kb/billing/community/a.md' redirects to 'kb/billing/b.md'" in w
        for w in warnings
    ), warnings
