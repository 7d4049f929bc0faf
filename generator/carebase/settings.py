"""Where content lives and which languages it is written in."""

from __future__ import annotations

from dataclasses import dataclass
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

    @property
    def default_language(self) -> str:
        """The language of files without a language suffix."""
        return self.languages[0]

    @property
    def posts_dir(self) -> str:
        """Where Material's blog plugin looks for posts."""
        return f"{self.blog_dir}/posts"
