"""Options of the ``carebase/kb`` plugin."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError


class _AtLeast(c.Type[int]):
    """A whole number no smaller than ``least`` (a page size of 0 would divide by zero)."""

    def __init__(self, least: int, default: int) -> None:
        super().__init__(int, default=default)
        self.least = least

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if number < self.least:
            raise ValidationError(f"must be at least {self.least}, got {number}")
        return number


class KbConfig(Config):
    """``plugins: - carebase/kb: {...}`` in mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    """Turn the knowledge base off without removing its configuration."""
    kb_dir = c.Type(str, default="kb")
    """Folder of the knowledge base inside docs_dir; articles are ``<kb_dir>/<category>/*.md``."""
    categories_file = c.Type(str, default="kb/.categories.yml")
    """Data file describing the categories (title, description, icon, order, translations)."""
    per_page = _AtLeast(1, default=20)
    """Articles per category landing page; further pages are ``page/2/``, ``page/3/``…"""
    faq_per_page = _AtLeast(1, default=50)
    """Questions per FAQ page."""
    sort_by = c.Choice(("title", "reviewed"), default="title")
    """Order of a landing page after the promoted articles: by title or newest review first."""
    related_limit = _AtLeast(0, default=5)
    """How many related articles an article page shows."""
    generate_nav = c.Type(bool, default=True)
    """Build the nav (home, knowledge base and its categories, blog) when mkdocs.yml has none."""
    support = c.Type(list, default=[])
    """Channels of the "Still need help?" box: kind, label, url, response, hours."""
    workers = _AtLeast(1, default=2)
    """Processes rendering articles in `mkdocs build` (1 turns the second core off)."""
    parallel_min_pages = c.Type(int, default=300)
    """Fewest articles in a build pass worth a second process."""
    social_image = c.Optional(c.Type(str))
    """Image (path in docs_dir) of the link card when a page is shared."""
    fast_lane = c.Type(bool, default=True)
    """Render articles with Carebase's own page writer instead of MkDocs' page loop (the
    pages are the same; articles using Markdown outside its dialect take MkDocs' loop)."""
    compact_html = c.Type(bool, default=True)
    """Drop the templates' indentation from every page (rendering is unchanged)."""
