"""A page cut from one real render of the theme: the literal text around each per-page field.

The theme renders a *sentinel* page once per kind of page (language, folder depth, with or
without a table of contents): every per-page field holds a unique marker. Cutting that output
at the markers leaves the literal text between them; filling the fields joins strings, which
is hundreds of times cheaper than rendering the template again, and byte for byte the same
wherever the template copies a field's value unchanged. :meth:`Skeleton.changes` tells which
characters some placement of a field does *not* copy unchanged (escaping, tag stripping), so
pages whose values hold them are left to the theme.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

MARKER_PREFIX = "zqcb"
"""Every marker starts with this; none may survive in a skeleton's literal text."""

PROBE_CHARACTERS = ("'", '"', "&", "<", ">", "  ", "\n")
"""Characters checked for each field: a placement that changes one of them is not a copy."""


class SkeletonError(Exception):
    """The theme's render cannot be cut: a marker is missing, or left where it was not put."""


@dataclass(frozen=True)
class Skeleton:
    """The literal parts of a page and the field between each two of them."""

    parts: tuple[str, ...]
    fields: tuple[str, ...]

    @classmethod
    def cut(cls, rendered: str, markers: Mapping[str, str], required: set[str]) -> Skeleton:
        """Cut ``rendered`` at each marker (``field -> marker``); every ``required`` field must
        appear and no other text starting with :data:`MARKER_PREFIX` may remain."""
        by_marker = {marker: field for field, marker in markers.items()}
        ordered = sorted(by_marker, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(marker) for marker in ordered))
        parts: list[str] = []
        fields: list[str] = []
        position = 0
        for found in pattern.finditer(rendered):
            parts.append(rendered[position : found.start()])
            fields.append(by_marker[found.group(0)])
            position = found.end()
        parts.append(rendered[position:])
        missing = required - set(fields)
        if missing:
            raise SkeletonError(f"the theme's page does not show {', '.join(sorted(missing))}")
        for part in parts:
            if MARKER_PREFIX in part:
                at = part.index(MARKER_PREFIX)
                raise SkeletonError(
                    f"the theme changed a page field where it shows it: …{part[at - 40 : at + 40]}…"
                )
        return cls(tuple(parts), tuple(fields))

    def fill(self, values: Mapping[str, str]) -> str:
        """The page with each field replaced by its value."""
        out = [self.parts[0]]
        for field, part in zip(self.fields, self.parts[1:], strict=True):
            out.append(values[field])
            out.append(part)
        return "".join(out)


def changed_characters(
    render: Callable[[Mapping[str, str]], str],
    markers: Mapping[str, str],
    field: str,
    probes: Iterable[str] = PROBE_CHARACTERS,
) -> set[str]:
    """Which of ``probes`` some placement of ``field`` does not copy as is.

    ``render`` renders the sentinel page with the given markers; the field's marker is given a
    probe character in its middle and the render compared with the plain one.
    """
    plain = render(markers)
    changed = set()
    marker = markers[field]
    for probe in probes:
        probed_marker = f"{marker}{probe}{marker}"
        probed = render({**markers, field: probed_marker})
        if probed.replace(probed_marker, marker) != plain:
            changed.add(probe)
    return changed
