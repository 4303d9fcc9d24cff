"""Commands about one scenario: check, show, schema, evaluate, diff, demo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli import app
from accord.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_NO,
    BadInput,
    ForceFlag,
    JsonFlag,
    ScenarioPath,
    console,
    handles_errors,
    many_option,
    one_option,
    one_value,
    open_scenario,
    open_space,
    print_document,
    print_json,
    text_indices,
    unknown_check,
)

if TYPE_CHECKING:

    pass

MEANS_NOTE = ("Estimates given as ranges are evaluated at their means here; "
              "`accord chance` shows what the ranges imply.")



@app.command()
@handles_errors
def check(file: Path = ScenarioPath, json: bool = JsonFlag) -> None:
    """Validate a scenario file: every problem is listed with its place in the file.

    Exit status 0 when the file is valid, 2 when it is not.
    """
    from accord.errors import ScenarioError

    try:
        scenario = open_scenario(file)
    except ScenarioError as error:
        if json:
            print_json({"file": str(file), "valid": False,
                        "problems": [p.as_dict() for p in error.problems]})
            raise typer.Exit(EXIT_BAD_INPUT) from None
        raise
    estimated = [p for p, prefs in scenario.preferences.items() if prefs.estimate]
    summary: dict[str, Any] = {
        "file": str(file),
        "valid": True,
        "title": scenario.title,
        "parties": len(scenario.parties),
        "issues": len(scenario.issues),
        "options": sum(len(i.options) for i in scenario.issues),
        "texts": len(scenario.texts),
        "statements": len(scenario.statements),
        "meetings": len(scenario.meetings),
        "must_accept": scenario.must_accept,
        "estimated_preferences": estimated,
        "problems": [],
    }
    if json:
        print_json(summary)
        return
    out = console()
    from rich.text import Text

    out.print(Text.assemble(("ok", "green"), f": {file}: {scenario.title}"))
    from accord.views.numbers import plural

    out.print(f"  {plural(summary['parties'], 'party', 'parties')}, "
              f"{plural(summary['issues'], 'issue')} ({plural(summary['options'], 'option')}), "
              f"{plural(summary['texts'], 'text')}, {plural(summary['statements'], 'statement')}, "
              f"{plural(summary['meetings'], 'meeting')}")
    out.print(f"  must accept: {', '.join(scenario.must_accept)}")
    if estimated:
        out.print(f"  preferences marked as estimates: {', '.join(estimated)}")


@app.command()
@handles_errors
def show(file: Path = ScenarioPath, json: bool = JsonFlag) -> None:
    """Show a scenario: parties, issues with their options, settled points and texts."""
    scenario = open_scenario(file)
    if json:
        from accord.io.scenario_file import dumps_json

        print_document(dumps_json(scenario), end="")
        return
    from accord.views.scenario import scenario_view

    console().print(scenario_view(scenario))


@app.command()
@handles_errors
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors and validators)."""
    from accord.io.scenario_file import json_schema

    print_json(json_schema())


@app.command()
@handles_errors
def evaluate(
    file: Path = ScenarioPath,
    text: list[str] = many_option("--text", "-t", help="Evaluate only these texts (their ids)."),
    json: bool = JsonFlag,
    check: bool = typer.Option(
        False, "--check",
        help="Exit with status 1 unless every evaluated text is surely acceptable to every "
             "party that must accept."),
    plot: Path = typer.Option(None, "--plot", show_default=False,
                              help="Also draw each party's utility per text to this file "
                                   "(.png or .svg), without a browser."),
    force: bool = ForceFlag,
) -> None:
    """Who can accept each text, who cannot, and because of which points.

    Utilities are intervals over the ways open points could close; a text is
    acceptable to a party when it has none of the party's red lines and its
    utility reaches the party's reservation value.
    """
    from accord.analysis.evaluate import evaluate_texts
    from accord.cli.common import check_plot_path
    from accord.views.labels import Labels
    from accord.views.texts import evaluation_to_dict

    check_plot_path(plot, force=force)
    scenario, space = open_space(file)
    if not space.text_ids:
        if file.is_dir():
            raise BadInput(f"{file}: a GENIUS domain holds the parties' preferences but no texts "
                           "(proposed packages) to evaluate; ask where a deal can be with "
                           f"accord solve {file} or accord frontier {file}", file=file)
        raise BadInput(f"{file}: the scenario has no [[texts]] to evaluate; add a text "
                       "(a [[texts]] table with its positions), or ask where a deal can be "
                       f"with accord solve {file}", file=file)
    evaluations = evaluate_texts(space, text_indices(scenario, text, file=file))
    labels = Labels(scenario, space)
    if plot is not None:
        from accord.cli.common import save_plot
        from accord.report.plots import evaluation_plot

        save_plot(evaluation_plot(scenario, space, evaluations), plot, force=force)
    if json:
        print_json({"file": str(file), "uses_means": space.uses_means,
                    "texts": [evaluation_to_dict(e, labels) for e in evaluations]})
    else:
        from accord.views.texts import evaluation_view

        out = console()
        out.print(evaluation_view(evaluations, labels))
        if space.uses_means:
            out.print(MEANS_NOTE, style="italic")
    if check and not all(e.deal is True for e in evaluations):
        raise typer.Exit(EXIT_NO)


@app.command()
@handles_errors
def diff(
    file: Path = ScenarioPath,
    before: str = typer.Argument(None, help="The earlier text id.", show_default=False),
    after: str = typer.Argument(None, help="The later text id.", show_default=False),
    lineage: list[str] = one_option(
        "--lineage", "-l", help="Show every step from this text's oldest ancestor down to it."),
    json: bool = JsonFlag,
) -> None:
    """What changed between two texts (points changed, opened, closed) and who gained."""
    from accord.analysis.diff import diff_texts, lineage_diffs
    from accord.views.labels import Labels
    from accord.views.texts import diff_to_dict

    scenario, space = open_space(file)
    known = [t.id for t in scenario.texts]
    chosen = one_value(lineage, "--lineage", known)
    if chosen is not None:
        if before is not None:
            raise BadInput("give either two text ids or --lineage ID, not both")
        (index,) = text_indices(scenario, [chosen], option="--lineage", file=file) or [0]
        diffs = lineage_diffs(space, index)
        if not diffs:
            raise BadInput(f"text {chosen!r} has no parent, so there is no lineage to show")
    else:
        if before is None or after is None:
            raise BadInput("give two text ids (accord diff FILE A B) or --lineage ID")
        unknown_check([before, after], known, kind="text", place="TEXT argument", file=file)
        a, b = known.index(before), known.index(after)
        diffs = [diff_texts(space, a, b)]
    labels = Labels(scenario, space)
    if json:
        print_json({"file": str(file), "diffs": [diff_to_dict(d, labels) for d in diffs]})
        return
    from accord.views.texts import diff_view

    console().print(diff_view(diffs, labels))
