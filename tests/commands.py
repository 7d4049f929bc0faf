"""The real ``carebase`` command, run as a user runs it: a subprocess of this Python."""

from __future__ import annotations

import os
import re
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


def filled_in(text: str) -> str:
    """What ``carebase new`` wrote, as a writer leaves it: the description, an FAQ's question
    and every line of the text that is not a heading, blank or the ``more`` marker replaced by
    their words."""
    front, body = text.split("\n---\n", 1)
    front = re.sub(r"(?m)^description: .*$", "description: What a writer wrote.", front)
    front = re.sub(r"(?m)^questions: .*$", "questions: [How a reader asked it?]", front)
    lines = []
    for line in body.splitlines():
        keep = not line.strip() or line.startswith("#") or line == "<!-- more -->"
        marker = re.match(r"\s*(?:[-*+]|\d+\.)\s+", line)
        lines.append(line if keep else (marker[0] if marker else "") + "Words of the writer.")
    return front + "\n---\n" + "\n".join(lines) + "\n"
