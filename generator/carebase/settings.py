"""Where content lives and which languages it is written in."""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True)
class ContentSettings:
    """The layout of a content tree; paths inside ``docs_dir`` are POSIX and relative."""

    docs_dir: Path
    languages: tuple[str, ...] = ("en", "es", "de")
    kb_dir: str = "kb"
    blog_dir: str = "blog"
    blog_categories: tuple[str, ...] = ()
    categories_file: str = "kb/.categories.yml"
    authors_file: str = "blog/.authors.yml"
    root: Path | None = None
    """The project folder: no symlink may lead out of it (``docs_dir``'s parent when None)."""
    theme_dir: Path | None = None
    """The theme's ``custom_dir``, whose files are published too."""
    template_dirs: tuple[Path, ...] = ()
    """Where the engine looks for a page's ``template``; none: templates are not checked."""

    @property
    def default_language(self) -> str:
        """The language of files without a language suffix."""
        return self.languages[0]

    @property
    def project_root(self) -> Path:
        """The folder no published file may come from outside of."""
        return self.root or self.docs_dir.parent

    @property
    def posts_dir(self) -> str:
        """Where Material's blog plugin looks for posts."""
        return f"{self.blog_dir}/posts"

    def shown(self, rel: str) -> str:
        """``rel``, relative to the docs folder, as every message prints it: relative to the
        project folder (where ``mkdocs.yml`` is), the form a writer can paste into a shell
        or an editor at the repository's root. A path leaving the docs folder (``../theme/x``)
        comes out as ``theme/x``."""
        return posixpath.normpath(posixpath.join(self._docs_prefix, rel))

    @cached_property
    def _docs_prefix(self) -> str:
        docs, root = os.path.realpath(self.docs_dir), os.path.realpath(self.project_root)
        return Path(os.path.relpath(docs, root)).as_posix()
