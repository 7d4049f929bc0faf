"""The real ``carebase`` command, run as a user runs it: a subprocess of this Python."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.site.conftest import BUILD_TIME


def carebase(
    project: Path, *arguments: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m carebase ARGUMENTS`` in ``project``, as of the sample's build time, with
    ``env`` added to this environment."""
    command = [sys.executable, "-m", "carebase", *arguments]
    environment = {
        **os.environ,
        "SOURCE_DATE_EPOCH": str(int(BUILD_TIME.timestamp())),
        "NO_MKDOCS_2_WARNING": "1",
        **(env or {}),
    }
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, env=environment, timeout=300
    )
