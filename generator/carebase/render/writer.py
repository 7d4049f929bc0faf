"""Writing article pages: a skeleton filled with a page's fields, written where it belongs.

The engine adapter hands each page's fields (title, description, address, partials rendered
by the theme) and the skeleton cut from the theme's render; nothing here knows MkDocs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from carebase.htmlspace import strip_indentation
from carebase.render.skeleton import Skeleton


def assemble(skeleton: Skeleton, fields: Mapping[str, str], compact: bool) -> str:
    """The page: ``skeleton`` with its fields filled in, indentation dropped when ``compact``.

    Indentation is dropped from the whole page, as the engine's last page event does, so the
    result is the same wherever the skeleton's cuts fall.
    """
    page = skeleton.fill(fields)
    return strip_indentation(page) if compact else page


class PageWriter:
    """Writes pages under the site folder, making each folder once."""

    def __init__(self) -> None:
        self._made: set[str] = set()

    def write(self, path: str, html: str) -> None:
        """Write ``html`` to ``path`` as the engine writes pages (UTF-8, unencodable
        characters as references)."""
        folder = os.path.dirname(path)  # noqa: PTH120
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)  # noqa: PTH103
            self._made.add(folder)
        with open(path, "w", encoding="utf-8", errors="xmlcharrefreplace") as page:  # noqa: PTH123
            page.write(html)
