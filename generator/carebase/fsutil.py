"""Writing files and folders so that a reader never sees half of one."""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` through a temporary file and ``os.replace``.

    The temporary file sits in the target's folder so the rename never crosses file systems.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        # mkstemp makes private files; content is meant to be read by everyone.
        Path(temp).chmod(_mode_of(path))
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _mode_of(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o644


def replace_tree(fresh: Path, target: Path) -> None:
    """Put the folder ``fresh`` at ``target`` so that ``target`` is never missing nor partly
    written: a reader sees the old tree or the new one. The old tree is removed after.

    On Linux, ``renameat2(RENAME_EXCHANGE)`` swaps the two names in one step. Where the call
    is missing (another system, a C library before glibc 2.28) or the file system refuses it
    (``EINVAL``), the old tree is renamed aside and ``fresh`` into place: two renames, between
    which ``target`` is missing for a moment.
    """
    if not target.exists() and not target.is_symlink():
        fresh.rename(target)
        return
    if exchange(fresh, target):
        _remove_tree(fresh)
        return
    aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
    # Renaming a folder onto an empty one replaces it (POSIX), so the name is ours alone.
    target.rename(aside)
    try:
        fresh.rename(target)
    except OSError:
        aside.rename(target)
        raise
    _remove_tree(aside)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP)


def exchange(first: Path, second: Path) -> bool:
    """Swap the names ``first`` and ``second`` atomically (both must exist); False, having
    done nothing, where the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    done = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))


@functools.cache
def _renameat2() -> Any:
    """libc's ``renameat2``, or None where there is none (not Linux, an old C library)."""
    try:
        function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except (OSError, TypeError):  # Windows has no "the program's own libraries" (None).
        return None
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        function.argtypes += [ctypes.c_uint]
        function.restype = ctypes.c_int
    return function


def _remove_tree(path: Path) -> None:
    if path.is_symlink():  # A target that was a link: the link goes, never what it points to.
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)
