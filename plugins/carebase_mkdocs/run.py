"""``python -m carebase_mkdocs.run ENGINE VERB …``: the engine's command line, never a traceback.

``carebase build`` and ``carebase serve`` run the engine (MkDocs or ProperDocs) through this
module: its own command line, in this process, so its output streams as it always does; only
an exception it lets escape is caught and told in one line (:mod:`carebase_mkdocs.failure`).
"""

from __future__ import annotations

import importlib
import os
import sys

from carebase.errors import DEBUG_ENV
from carebase_mkdocs.failure import describe

ENGINES = ("mkdocs", "properdocs")


def main(argv: list[str]) -> int:
    """Run ``ENGINE ARGS…``; the exit status (1, with one line on stderr, when it crashed)."""
    if not argv or argv[0] not in ENGINES:
        print(
            f"usage: python -m carebase_mkdocs.run {{{','.join(ENGINES)}}} ARGS…", file=sys.stderr
        )
        return 2
    engine, *args = argv
    cli = importlib.import_module(f"{engine}.__main__").cli
    try:
        # Standalone: the engine's own errors (Abort, usage) print and exit as they always do.
        cli.main(args=args, prog_name=engine)
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        print(f"Error: {describe(exc)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
