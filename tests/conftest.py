"""Shared fixtures: small help-centre projects built in ``tmp_path`` from inline file trees."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

MKDOCS_YML = """\
site_name: Test Help Centre
site_url: https://help.example.com/
docs_dir: content
theme:
  name: material
plugins:
  - search
  - blog:
      blog_dir: blog
      categories_allowed:
        - News
        - Tips
        - Service status
  - carebase/kb:
      categories_file: kb/.categories.yml
  - i18n:
      docs_structure: suffix
      languages:
        - locale: en
          name: English
          default: true
        - locale: es
          name: Español
        - locale: de
          name: Deutsch
"""

# Every project starts with these data files; a test replaces one by passing the same path
# (or removes it by passing None).
BASE_FILES: dict[str, str] = {
    "index.md": "# Help Centre\n",
    "kb/.categories.yml": (
        "billing:\n  title: Billing\n  description: Bills and payments.\n"
        "broadband:\n  title: Broadband\n"
    ),
    "blog/.authors.yml": (
        "authors:\n"
        "  priya:\n    name: Priya Sharma\n    description: Head of Customer Care\n"
        "    avatar: https://example.com/priya.png\n"
        "  tomasz:\n    name: Tomasz Nowak\n    description: Network Operations\n    avatar: https://example.com/tomasz.png\n"
    ),
}

ProjectFactory = Callable[..., Path]
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def make_project(tmp_path: Path) -> ProjectFactory:
    """Write ``mkdocs.yml`` and ``content/`` from ``{path: text}``; return the project folder.

    Values may be ``bytes`` (written as they are) or None (leave out a base file). With
    ``theme``, the repository's theme is copied to ``theme/`` (``custom_dir: theme``): a
    ``custom_dir`` outside the project is refused.
    """

    def make(
        files: Mapping[str, str | bytes | None] | None = None,
        *,
        config: str = MKDOCS_YML,
        name: str = "site",
        theme: bool = False,
    ) -> Path:
        root = tmp_path / name
        root.mkdir()
        if theme:
            shutil.copytree(REPO / "theme", root / "theme")
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
        tree: dict[str, str | bytes | None] = {**BASE_FILES, **(files or {})}
        for rel, text in tree.items():
            if text is None:
                continue
            path = root / "content" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return root

    return make
