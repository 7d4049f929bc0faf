"""The ``carebase`` command line: one module per verb, wired together in :mod:`.main`."""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from carebase.project import Project, load_project
from carebase.redaction import redact


@dataclass
class CliState:
    """Options of the ``carebase`` group, shared with every command."""

    config_file: str = "mkdocs.yml"
    _project: Project | None = field(default=None, repr=False)

    @property
    def project(self) -> Project:
        """The project of ``--config-file``, read on first use."""
        if self._project is None:
            self._project = load_project(self.config_file)
        return self._project


pass_state = click.make_pass_decorator(CliState, ensure=True)


def say(text: str, *, err: bool = False) -> None:
    """Print one line of a command's progress or report, redacted (:mod:`carebase.redaction`):
    every line deploy, announce, search and import print goes through here."""
    click.echo(redact(text), err=err)
