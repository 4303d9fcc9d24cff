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
    "accord.cli.report_cmds",
    # `accord demo` runs sections of the modules above, in the order it names them.
    "accord.cli.demo",
)



def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("accord")
        except PackageNotFoundError:  # a source tree on PYTHONPATH, not installed
            found = "unknown (not installed)"
        print(f"accord {found}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                 help="Print accord's version and exit."),
) -> None:
    """Mediated multi-party negotiations over a single negotiating text."""


for _module in _COMMAND_MODULES:
    importlib.import_module(_module)


def main() -> None:
    """Console-script entry point.

    With ``--json`` anywhere on the line, a usage error (an unknown option, a
    value out of range) is also printed as ``{"error": {…}}`` on stdout, as the
    commands' own errors are, so that a script reading stdout always gets JSON.
    """
    import sys

    if "--json" not in sys.argv[1:]:
        app()
        return
    from accord.cli.common import EXIT_BAD_INPUT, print_json_error

    # typer carries its own copy of click; find its exception classes through typer's own names.
    usage_error = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
    click_error = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    try:
        code = app(standalone_mode=False)
    except click_error as error:
        error.show()
        print_json_error(error.format_message())
        sys.exit(EXIT_BAD_INPUT if isinstance(error, usage_error) else error.exit_code)
    except typer.Abort:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["app", "main"]
