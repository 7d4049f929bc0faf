"""The reference: MkDocs 1.6.1 rendering a page with the site's Markdown extensions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor

REPO = Path(__file__).resolve().parents[2]


def site_markdown_extensions() -> list[Any]:
    """The ``markdown_extensions`` of the repository's mkdocs.yml (MkDocs adds its builtins)."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    extensions: list[Any] = config["markdown_extensions"]
    return extensions


@dataclass(frozen=True)
class Reference:
    """What MkDocs makes of one page."""

    html: str
    toc: tuple[tuple[str, str, int, tuple[Any, ...]], ...]
    title: str | None
    urls: tuple[str, ...]


def make_config(docs_dir: Path) -> MkDocsConfig:
    """A config with the site's markdown_extensions, as mkdocs.yml declares them."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    config = MkDocsConfig()
    config.load_dict(
        {
            "site_name": "Reference",
            "docs_dir": str(docs_dir),
            "site_dir": str(docs_dir.parent / "site"),
            "markdown_extensions": site_markdown_extensions(),
            "site_url": "https://help.example/",
        }
    )
    errors, _warnings = config.validate()
    assert not errors, errors
    return config


def toc_tuple(items: Any) -> tuple[tuple[str, str, int, tuple[Any, ...]], ...]:
    """An AnchorLink tree as nested tuples (title, id, level, children)."""
    return tuple((i.title, i.id, i.level, toc_tuple(i.children)) for i in items)


class Site:
    """A docs folder of Markdown files, rendered one by one the way `mkdocs build` does."""

    def __init__(self, docs_dir: Path, paths: list[str]) -> None:
        self.config = make_config(docs_dir)
        self.files = Files(
            [File(p, str(docs_dir), str(docs_dir.parent / "site"), True) for p in paths]
        )

    def file(self, path: str) -> File:
        found = self.files.get_file_from_path(path)
        assert found is not None, path
        return found

    def rewriter(self, path: str) -> _RelativePathTreeprocessor:
        """MkDocs' own link rewriting for the page at `path`."""
        return _RelativePathTreeprocessor(self.file(path), self.files, self.config)

    def render(self, path: str, body: str) -> Reference:
        """Render `body` as the page at `path`; record the URLs MkDocs rewrote."""
        page = Page(None, self.file(path), self.config)
        page.markdown, page.meta = body, {}
        seen: list[str] = []
        original = _RelativePathTreeprocessor.path_to_url

        def spy(self: _RelativePathTreeprocessor, url: str) -> str:
            seen.append(url)
            return original(self, url)

        _RelativePathTreeprocessor.path_to_url = spy  # type: ignore[method-assign]
        try:
            page.render(self.config, self.files)
        finally:
            _RelativePathTreeprocessor.path_to_url = original  # type: ignore[method-assign]
        assert page.content is not None
        return Reference(page.content, toc_tuple(page.toc), page._title_from_render, tuple(seen))
