"""``accord import genius`` and ``accord export genius``: GENIUS domain folders in and out.

Every analysis command also accepts a GENIUS folder where it accepts a
scenario file (:func:`accord.cli.common.open_scenario` reads it with
:func:`accord.io.genius.load_folder`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli import app
from accord.cli.common import (
    BadInput,
    JsonFlag,
    console,
    handles_errors,
    many,
    print_document,
    print_json,
)
from accord.views.numbers import plural

if TYPE_CHECKING:
    from accord.model import Scenario

import_app = typer.Typer(
    name="import",
    help="Read a foreign negotiation format into an accord scenario.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
export_app = typer.Typer(
    name="export",
    help="Write an accord scenario in a foreign negotiation format.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")


@import_app.command("genius")
@handles_errors
def import_genius(
    source: Path = typer.Argument(
        ..., help="A GENIUS domain folder (domain XML + profile XMLs, or GeniusWeb JSON), or a "
                  "domain file given with --profile files.", show_default=False),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the scenario here (.toml or .json); "
                                     "without it the TOML goes to standard output."),
    profiles: list[Path] | None = typer.Option(
        None, "--profile", "-p", metavar="FILE[,FILE…]",
        help="The profile files, when SOURCE is a domain file (one per party). Repeat the "
             "option or separate files with commas."),
    force: bool = typer.Option(False, "--force", help="Replace OUTPUT if it exists."),
    json: bool = JsonFlag,
) -> None:
    """Import a GENIUS negotiation domain with GENIUS's own utility semantics.

    Each profile becomes a principal party named after its file.  Profiles that
    GENIUS evaluates outside accord's additive contract (weights summing to more
    than 1, hyper-rectangle profiles) are imported exactly; the additive
    analyses refuse them and say why.
    """
    from accord.io import genius
    from accord.io.files import check_destination
    from accord.io.scenario_file import dumps_json, dumps_toml, save

    if output is not None:
        check_destination(output, force=force, what="the scenario file")  # before reading
    if source.is_dir():
        if profiles:
            raise BadInput("--profile is for a domain file; a folder's profiles are found in it")
        scenario = genius.load_folder(source)
    else:
        if not profiles:
            raise BadInput(f"{source} is a file: give its profiles with --profile, or pass the "
                           "folder that holds the domain and its profiles")
        # A file whose own name holds a comma is kept whole (many() keeps a known value).
        given = [str(p) for p in profiles]
        files = [Path(p) for p in many(given, [p for p in given if Path(p).exists()]) or []]
        scenario = genius.load(source, files)
    summary = _summary(scenario, source)
    if output is None:
        if json:
            print_document(dumps_json(scenario), end="")
        else:
            print_document(dumps_toml(scenario), end="")
        return
    save(scenario, output, overwrite=force)
    summary["output"] = str(output)
    if json:
        print_json(summary)
        return
    from rich.text import Text

    out = console()
    out.print(Text.assemble(("imported", "green"), f" {source} → {output}: "
                            f"{plural(summary['parties'], 'party', 'parties')}, "
                            f"{plural(summary['issues'], 'issue')}, "
                            f"{plural(summary['outcomes'], 'outcome')}"), soft_wrap=True)
    for party, reason in summary["not_additive"].items():
        out.print(f"  note: {party}: {reason}", soft_wrap=True, markup=False)


def _summary(scenario: Scenario, source: Path) -> dict[str, Any]:
    outcomes = 1
    for issue in scenario.issues:
        outcomes *= len(issue.options)
    not_additive = {party_id: prefs.nonlinear.describe()
                    for party_id, prefs in scenario.preferences.items()
                    if prefs.nonlinear is not None}
    return {
        "source": str(source),
        "title": scenario.title,
        "parties": len(scenario.parties),
        "issues": len(scenario.issues),
        "outcomes": outcomes,
        "not_additive": not_additive,
    }


@export_app.command("genius")
@handles_errors
def export_genius(
    file: Path = typer.Argument(..., help="Scenario file (.toml or .json) or a GENIUS folder.",
                                show_default=False),
    output: Path = typer.Option(..., "--output", "-o", metavar="FOLDER", help="The folder to write.",
                                show_default=False),
    force: bool = typer.Option(False, "--force", help="Replace files that already exist."),
    drop_red_lines: bool = typer.Option(
        False, "--drop-red-lines", help="Export even though GENIUS cannot express red lines."),
    json: bool = JsonFlag,
) -> None:
    """Export a scenario as a GENIUS domain folder: one domain XML and one profile per party.

    GENIUS reads the files back to the same utilities.  Red lines have no GENIUS
    form: the export refuses them unless --drop-red-lines is given.
    """
    from accord.cli.common import open_scenario
    from accord.io import genius

    scenario = open_scenario(file)
    with_red_lines = [p for p, prefs in scenario.preferences.items() if prefs.red_lines]
    if with_red_lines and not drop_red_lines:
        # Said here in the command's words; the library's message names its argument.
        raise BadInput(f"{file}: GENIUS has no red lines, but {', '.join(with_red_lines)} "
                       f"{'has' if len(with_red_lines) == 1 else 'have'} some; give "
                       "--drop-red-lines to export without them")
    written = genius.save_folder(scenario, output, overwrite=force, drop_red_lines=drop_red_lines)
    if json:
        print_json({"source": str(file), "output": str(output),
                    "files": [str(p) for p in written]})
        return
    from rich.text import Text

    out = console()
    out.print(Text.assemble(("exported", "green"), f" {file} → {output}/ ({plural(len(written), 'file')})"),
              soft_wrap=True)
    for path in written:
        out.print(f"  {path.name}", soft_wrap=True, markup=False)
