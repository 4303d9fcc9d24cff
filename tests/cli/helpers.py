"""Run the command line in-process and capture its streams and exit status."""

from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from accord.cli import app


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    exception: BaseException | None


def run_cli(*args: str) -> Run:
    runner = CliRunner()
    # A wide terminal keeps rich from wrapping the words the tests look for.
    result = runner.invoke(app, [str(a) for a in args], catch_exceptions=True,
                           env={"COLUMNS": "200", "NO_COLOR": "1"})
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return Run(result.exit_code, result.stdout, result.stderr, exception)
