"""Draws the picture of each blog author whose ``avatar`` is a local SVG not yet there."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from carebase.avatars import drawn, generated_avatars
from carebase.paths import unsafe_reason
from carebase_mkdocs import engine


@dataclass(frozen=True)
class Missing:
    """An author's picture to draw: where the authors file says it is, and their name."""

    path: str
    name: str


def _blog_authors(config: MkDocsConfig) -> dict[str, Any]:
    plugin = config.plugins.get("material/blog") or config.plugins.get("blog")
    if plugin is None or not plugin.config.get("authors"):
        return {}
    return dict(getattr(plugin, "authors", None) or {})


def missing(config: MkDocsConfig) -> dict[str, Missing]:
    """The authors whose ``avatar`` names a local ``.svg`` the docs folder does not have.

    Read after the blog plugin's ``on_config``, which loads the authors file on every pass.
    """
    found: dict[str, Missing] = {}
    for author_id, author in _blog_authors(config).items():
        avatar = str(author.get("avatar") or "").lstrip("/")
        if not drawn(avatar):
            continue
        reason = unsafe_reason(avatar)
        if reason is not None:
            raise PluginError(
                f"{engine.blog_dir(config)}/.authors.yml: authors.{author_id}.avatar: "
                f"'{avatar}' {reason}; hint: name a file below the docs folder, such as "
                f"assets/authors/{author_id}.svg"
            )
        if not (Path(config.docs_dir) / avatar).is_file():
            found[author_id] = Missing(avatar, str(author.get("name") or author_id))
    return found


def avatar_files(config: MkDocsConfig, wanted: dict[str, Missing]) -> list[File]:
    """The drawn pictures, as files MkDocs writes into the site."""
    svgs = generated_avatars({author_id: item.name for author_id, item in wanted.items()})
    return [
        File.generated(config, wanted[author_id].path, content=svg)
        for author_id, svg in svgs.items()
    ]
