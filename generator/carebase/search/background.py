"""A command run beside the build (Pagefind, the typo vocabulary): start it, do other work,
then wait for what it said, or stop it when a newer build replaces it."""

from __future__ import annotations

import subprocess
import tempfile

from carebase.errors import CarebaseError


class BackgroundRun:
    """One process whose output (stdout and stderr together) is kept until it ends."""

    def __init__(self, command: list[str], what: str, env: dict[str, str] | None = None) -> None:
        """Start ``command``; :class:`CarebaseError` naming ``what`` if it cannot start."""
        # Closed by wait() or stop(): the run outlives this call.
        self._output = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._process = subprocess.Popen(
                command, stdout=self._output, stderr=subprocess.STDOUT, env=env
            )
        except OSError as exc:
            self._output.close()
            raise CarebaseError(f"{what} could not start: {exc}") from None

    def wait(self) -> tuple[int, str]:
        """Wait for the process to end: its exit code and what it said.

        :class:`ValueError` if :meth:`stop` closed its output meanwhile.
        """
        code = self._process.wait()
        self._output.seek(0)
        said = self._output.read().decode("utf-8", errors="replace")
        self._output.close()
        return code, said

    def stop(self) -> None:
        """End the process if it still runs, and drop what it said."""
        if self._process.poll() is None:
            self._process.terminate()
            self._process.wait()
        self._output.close()

    def ended(self) -> bool:
        """Whether the process has ended."""
        return self._process.poll() is not None
