"""Problems found in content, and the exceptions that carry them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DEBUG_ENV = "CAREBASE_DEBUG"
"""Set (to 1) to see the traceback of an unexpected error instead of its one-line report."""


class Severity(StrEnum):
    """How bad a problem is: errors fail `carebase check`, warnings fail `--strict` builds."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at one line, in one field."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = Severity.ERROR
    hint: str = ""

    def format(self) -> str:
        """Render as ``path:line: field: message (hint)``, the form editors can jump to."""
        text = f"{self.path}:{self.line}: {self.field}: {self.message}"
        if self.severity is not Severity.ERROR:
            text = f"{text} [{self.severity.value}]"
        if self.hint:
            text = f"{text}\n    hint: {self.hint}"
        return text


class CarebaseError(Exception):
    """Base class of every error Carebase reports to a user."""


class ContentError(CarebaseError):
    """A content file or data file is invalid; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(problem.format() for problem in problems))


class ProjectError(CarebaseError):
    """The project itself (mkdocs.yml, folders) cannot be read."""
