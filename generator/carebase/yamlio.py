"""YAML parsing that remembers the line of each top-level key, with the C parser if present."""

from __future__ import annotations

from typing import Any

import yaml

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_with_lines(text: str, first_line: int = 0) -> tuple[Any, dict[str, int]]:
    """Parse YAML once; return the data and ``{top-level key: 1-based line}``.

    ``first_line`` is how many lines precede ``text`` in its file. Raises
    :class:`yaml.MarkedYAMLError` for invalid YAML.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        lines = {str(key.value): first_line + key.start_mark.line + 1 for key, _value in node.value}
    return data, lines
