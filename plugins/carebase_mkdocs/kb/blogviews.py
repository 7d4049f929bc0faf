"""Material's blog listings (index, archive, category and author pages) in a help centre."""

from __future__ import annotations

from material.plugins.blog.structure import View
from mkdocs.structure.pages import Page


def drop_neighbours(page: Page) -> None:
    """No "Previous"/"Next" footer on a blog listing.

    With ``navigation.footer`` Material links each page to its neighbours in the navigation;
    around the blog's listings those are unrelated pages ("Next: Tomasz Nowak" on the blog's
    index). Posts keep theirs: they lead to the next and previous post.
    """
    if isinstance(page, View):
        page.previous_page = None
        page.next_page = None
