"""The ``accord`` command line: a thin typer layer over the library.

Commands live in topic modules that register themselves on :data:`app`; heavy
imports (numpy, pydantic, rich tables) happen inside the commands so that
``accord --help`` answers at once.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="accord",
    help="Mediated multi-party negotiations over a single negotiating text: "
    "check a scenario, evaluate its texts, compare versions, find where a deal can be.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Topic modules, each adding its commands to `app` when imported.
_COMMAND_MODULES = (
    "accord.cli.scenario_cmds",
    "accord.cli.analysis_cmds",
    "accord.cli.genius_cmds",
    "accord.cli.protocol_cmds",
    "accord.cli.chance_cmds",
    "accord.cli.evidence_cmds",
    "accord.cli.forecast_cmds",
    "accord.cli.server_cmds",
    # Last: its demo section (the report) closes `accord demo`.
    "accord.cli.report_cmds",
)

for _module in _COMMAND_MODULES:
    try:
        importlib.import_module(_module)
    except ModuleNotFoundError as _error:  # a topic not written yet
        if _error.name != _module:
            raise


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
