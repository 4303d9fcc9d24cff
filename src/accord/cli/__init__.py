"""The ``accord`` command line: a thin typer layer over the library.

Commands live in topic modules that register themselves on :data:`app`; heavy
imports (numpy, pydantic, rich tables) happen inside the commands so that
``accord --help`` answers at once.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

# typer carries its own copy of click; find its exception classes through typer's own names.
_UsageError: type[Exception] = next(c for c in typer.BadParameter.__mro__
                                    if c.__name__ == "UsageError")
_ClickException: type[Exception] = next(c for c in typer.BadParameter.__mro__
                                        if c.__name__ == "ClickException")


class _AccordGroup(TyperGroup):
    """The ``accord`` group: a usage error (an unknown option, ``--limit 0``, ``-n abc``) is one
    line on stderr and exit status 2, as accord's own errors are — and, with ``--json``
    anywhere on the line, also ``{"error": {…}}`` on stdout, so that a script reading
    stdout always gets JSON.
    """

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args,
                                **extra)
        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(argv, prog_name, complete_var, False, windows_expand_args,
                                **extra)
        except _ClickException as error:
            _usage_error(error, as_json="--json" in argv)
        except typer.Abort:
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)


#: typer converts option values with pydantic, whose messages read like a validator's;
#: these say the same in the words of the rest of accord's messages.
_PLAIN = {
    "Input should be a valid integer, unable to parse string as an integer": "expected a whole number",
    "Input should be a valid number, unable to parse string as a number": "expected a number",
}


def _plain(message: str) -> str:
    """``message`` with pydantic's wording of a value that is not a number made plain."""
    for validator, plain in _PLAIN.items():
        message = message.replace(validator, plain)
    return message


def _usage_error(error: Exception, *, as_json: bool) -> NoReturn:
    from accord.cli.common import EXIT_BAD_INPUT, _stderr, print_json_error

    if type(error).__name__ == "NoArgsIsHelpError":  # `accord frontier` alone: its help
        error.show()  # type: ignore[attr-defined]
        sys.exit(EXIT_BAD_INPUT)
    message = _plain(error.format_message())  # type: ignore[attr-defined]
    context = getattr(error, "ctx", None)
    if type(error).__name__ == "NoSuchOption":
        message = error.message + _option_hint(  # type: ignore[attr-defined]
            error.option_name, context)  # type: ignore[attr-defined]
    command = f"{context.command_path} -h" if context is not None else "accord -h"
    hint = f" ({command} for help)" if isinstance(error, _UsageError) else ""
    _stderr(f"error: {message}{hint}")
    if as_json:
        print_json_error(message, place=_option_of(error))
    sys.exit(EXIT_BAD_INPUT)


#: How alike (difflib ratio of the names without their dashes) an option must be to be
#: suggested: click's own 0.6 offered --force for --frob.
_OPTION_CUTOFF = 0.75


def _option_hint(given: str, context: Any) -> str:
    """`` Did you mean '-k'?`` for an unknown option, or nothing when no option is close.

    ``--k`` is the short ``-k`` written long; otherwise only the options whose names
    are close to the one given are offered (a typo, not any option sharing letters).
    """
    import difflib

    command = getattr(context, "command", None)
    names = [name for parameter in getattr(command, "params", ())
             for name in (*getattr(parameter, "opts", ()), *getattr(parameter, "secondary_opts", ()))
             if name.startswith("-")]
    bare = given.lstrip("-")
    if given.startswith("--") and len(bare) == 1 and f"-{bare}" in names:
        found = [f"-{bare}"]
    else:
        long = {name.lstrip("-"): name for name in names if name.startswith("--")}
        found = [long[name] for name in difflib.get_close_matches(bare, list(long), n=3,
                                                                  cutoff=_OPTION_CUTOFF)]
    if not found:
        return ""
    if len(found) == 1:
        return f". Did you mean '{found[0]}'?"
    return f". Did you mean one of {', '.join(repr(name) for name in found)}?"


def _option_of(error: Exception) -> str | None:
    """The option (or argument) a usage error is about: ``--limit``, ``FILE``; None if none."""
    parameter = getattr(error, "param", None)
    if parameter is not None:
        names = [name for name in getattr(parameter, "opts", ()) if name.startswith("--")]
        return names[0] if names else (parameter.metavar or parameter.name)
    return getattr(error, "option_name", None)


app = typer.Typer(
    name="accord",
    cls=_AccordGroup,
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


def _name_the_values(group: typer.Typer) -> None:
    """Give every option and argument without a metavar one that says what it takes.

    typer would print its type (``<int>``, ``<path>``, ``{file}``); a reader wants
    ``N``, ``FILE``, ``HOST``.  Options that take ids or kinds name their metavar
    where they are declared (``ID[,ID…]``, ``KIND``); this fills in the rest, by type.
    """
    import inspect

    from typer.models import ArgumentInfo, OptionInfo

    for command in group.registered_commands:
        if command.callback is None:
            continue
        for parameter in inspect.signature(command.callback).parameters.values():
            info = parameter.default
            if not isinstance(info, ArgumentInfo | OptionInfo) or info.metavar is not None:
                continue
            kind = str(parameter.annotation)
            if kind == "bool":
                continue
            if isinstance(info, ArgumentInfo):
                info.metavar = parameter.name.upper()
            elif "Path" in kind:
                info.metavar = "FILE"
            elif kind.startswith("int"):
                info.metavar = "N"
            elif kind.startswith("float"):
                info.metavar = "NUMBER"
            else:
                info.metavar = parameter.name.upper()
    for subgroup in group.registered_groups:
        if subgroup.typer_instance is not None:
            _name_the_values(subgroup.typer_instance)


_name_the_values(app)


def main() -> None:
    """Console-script entry point (usage errors are handled by the group: see ``_AccordGroup``)."""
    app()


__all__ = ["app", "main"]
