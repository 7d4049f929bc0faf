"""Pictures for blog authors who have none: their initials on a colour of their own, as SVG.

A page view then fetches nothing from a third party (no Gravatar placeholder), works offline,
and tells authors apart at a glance.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from html import escape

# Material's palette, darkened where white text would fall under 4.5:1.
PALETTE = (
    "#3949ab",  # indigo
    "#00695c",  # teal
    "#ad1457",  # pink
    "#5d4037",  # brown
    "#6a1b9a",  # purple
    "#2e7d32",  # green
    "#c62828",  # red
    "#1565c0",  # blue
    "#4e342e",  # dark brown
    "#37474f",  # blue grey
)


def initials(name: str) -> str:
    """``Priya Sharma`` → ``PS``; one word gives one letter; no letters give ``?``."""
    words = [word for word in name.split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def colours(author_ids: list[str]) -> dict[str, str]:
    """A colour per author, different for each as long as the palette lasts.

    Each author starts at the colour their id hashes to, so adding an author rarely changes
    anyone else's; a taken colour passes to the next free one.
    """
    taken: set[int] = set()
    chosen: dict[str, str] = {}
    for author_id in sorted(author_ids):
        start = int(hashlib.sha256(author_id.encode()).hexdigest(), 16) % len(PALETTE)
        slot = start
        for step in range(len(PALETTE)):
            slot = (start + step) % len(PALETTE)
            if slot not in taken or len(taken) == len(PALETTE):
                break
        taken.add(slot)
        chosen[author_id] = PALETTE[slot]
    return chosen


def initials_svg(name: str, colour: str) -> str:
    """A square avatar: the author's initials in white on ``colour``."""
    text = escape(initials(name))
    label = escape(name, quote=True)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" '
        f'aria-label="{label}"><rect width="64" height="64" fill="{colour}"/>'
        '<text x="32" y="32" dy=".35em" text-anchor="middle" fill="#fff" '
        'font-family="system-ui,-apple-system,Segoe UI,Roboto,sans-serif" font-size="26" '
        f'font-weight="600">{text}</text></svg>\n'
    )


def drawn(avatar: str) -> bool:
    """Whether an ``avatar`` that is not in the docs folder is one to draw: a local ``.svg``."""
    remote = "://" in avatar or avatar.startswith("//")
    return not remote and avatar.lower().endswith(".svg")


def generated_avatars(names: Mapping[str, str]) -> dict[str, str]:
    """The SVG of each author in ``names`` (id → display name), by author id."""
    palette = colours(list(names))
    return {author_id: initials_svg(name, palette[author_id]) for author_id, name in names.items()}
