"""YAML parsing that remembers the line of each top-level key, with the C parser if present."""

from __future__ import annotations

from typing import Any

import yaml

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """The safe loader; an impossible date (``2026-13-01``) stays the text it was, so the
    schema reports it at its field with a hint, instead of the parser failing the file."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load_with_lines(text: str, first_line: int = 0) -> tuple[Any, dict[str, int]]:
    """Parse YAML once; return the data and ``{top-level key: 1-based line}``, with
    ``{key.N: line}`` for the items of a top-level list.

    ``first_line`` is how many lines precede ``text`` in its file. Raises
    :class:`yaml.MarkedYAMLError` for invalid YAML.
    """
    try:
        return _load_with_lines(text, first_line)
    except yaml.reader.ReaderError as exc:
        raise _with_mark(exc, text) from exc


def _with_mark(exc: yaml.reader.ReaderError, text: str) -> yaml.MarkedYAMLError:
    # The reader rejects control characters before parsing and its error has no line; give
    # it one so callers can report every invalid YAML the same way.
    position = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, position)
    mark = yaml.Mark(exc.name, position, line, 0, None, 0)
    return yaml.MarkedYAMLError(problem=exc.reason, problem_mark=mark)


def _load_with_lines(text: str, first_line: int) -> tuple[Any, dict[str, int]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[str(key.value)] = first_line + key.start_mark.line + 1
            if isinstance(value, yaml.SequenceNode):
                # Items of a list have their own line (``questions.2``), for errors about one.
                for number, item in enumerate(value.value):
                    lines[f"{key.value}.{number}"] = first_line + item.start_mark.line + 1
    return data, lines
