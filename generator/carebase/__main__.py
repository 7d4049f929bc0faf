"""``python -m carebase``: the ``carebase`` command, where the script is not on PATH."""

from carebase.cli.main import cli

cli(prog_name="carebase")
