"""One compiled copy of each theme template for the whole build.

MkDocs makes a new Jinja environment for every build, static-i18n runs one build per
language, and the fast lane renders its sentinel pages through overlays whose template cache
starts empty. Without a shared bytecode cache Material's templates were compiled again each
time: 549 compilations in a 2,000-article build, seconds of CPU on the main process's path.
Jinja checks each template's source checksum before reusing its code, so an edited template
(`carebase serve`) is compiled again.
"""

from __future__ import annotations

from types import CodeType

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

_SETTINGS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
)


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory, by template and source checksum."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        stored = self._code.get(bucket.key)
        if stored is not None and stored[0] == bucket.checksum:
            bucket.code = stored[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)


_CACHES: dict[tuple[object, ...], MemoryBytecodeCache] = {}


def share_compiled_templates(env: Environment) -> None:
    """Give ``env`` the cache of every environment that compiles templates the same way.

    Compiled code depends on the environment's syntax settings, its extensions and which
    filters and tests exist (the compiler checks their names), so those make the key.
    """
    env.bytecode_cache = _CACHES.setdefault(_signature(env), MemoryBytecodeCache())


def _signature(env: Environment) -> tuple[object, ...]:
    return (
        tuple(getattr(env, name) for name in _SETTINGS),
        repr(env.autoescape),
        tuple(sorted(env.extensions)),
        tuple(sorted(env.filters)),
        tuple(sorted(env.tests)),
    )
