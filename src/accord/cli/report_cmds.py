"""Commands that draw: ``accord report`` (the HTML report) and ``accord chart`` (one static chart).

Other command modules add ``--plot out.png|out.svg`` with :data:`PlotOption`
and :func:`save_plot`, which turns a bad path into exit status 2.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli import app
from accord.cli.common import (
    BadInput,
    ForceFlag,
    JsonFlag,
    ScenarioPath,
    check_plot_path,
    console,
    handles_errors,
    many_option,
    one_option,
    one_value,
    open_space,
    party_ids,
    print_json,
    refuse_existing,
    save_plot,
    text_indices,
)

if TYPE_CHECKING:

    from accord.model import Scenario
    from accord.space import Space

#: ``--plot`` for any command that can draw its result (see :func:`save_plot`).
PlotOption = typer.Option(
    None, "--plot",
    help="Also draw the result to this file (.png or .svg), rendered without a browser.",
    show_default=False,
)

CHART_KIND_HELP = ("stance (party × point map of a text), convergence (utilities across versions), "
                   "frontier (two parties' Pareto frontier with the bargaining solutions), "
                   "versions (timeline of the texts), events (versions, meetings and statements), "
                   "chances (deal probabilities), sensitivity (tornado of the estimates)")


def _party_indices(scenario: Scenario, space: Space, given: list[str] | None,
                   file: Path) -> tuple[int, ...] | None:
    ids = party_ids(space, given, file=file, scenario=scenario)
    if not ids:
        return None
    if len(ids) < 2:
        raise BadInput("--parties needs at least two different parties for a frontier")
    return tuple(space.party_index(p) for p in ids)


def _options(scenario: Scenario, space: Space, text: list[str] | None,
             parties: list[str] | None, file: Path, sobol: bool = False) -> Any:
    from accord.report.html import ReportOptions

    if sobol:
        from accord.analysis.sensitivity import salib_available

        if not salib_available():
            raise BadInput("--sobol needs SALib: from the accord checkout, "
                           "pip install -e '.[sensitivity]'")
    one = one_value(text, "--text", [t.id for t in scenario.texts])
    chosen = text_indices(scenario, [one] if one else None, file=file)
    return ReportOptions(text=chosen[0] if chosen else None,
                         parties=_party_indices(scenario, space, parties, file), sobol=sobol)


@app.command()
@handles_errors
def report(
    file: Path = ScenarioPath,
    output: Path = typer.Option(Path("report.html"), "--output", "-o",
                                help="Where to write the HTML report."),
    text: list[str] = one_option("--text", "-t",
                                 help="The text shown in the stance map (default: the latest)."),
    party: list[str] = many_option("--parties", "--party", "-p",
                                   help="Draw the frontiers of these parties, pairwise "
                                        "(default: those that must accept)."),
    sobol: bool = typer.Option(False, "--sobol",
                               help="Add variance-based (Sobol) sensitivity indices to the deal "
                                    "chances (needs SALib; about a second more)."),
    force: bool = ForceFlag,
    json: bool = JsonFlag,
) -> None:
    """Write a self-contained HTML report: versions, stance map, convergence, frontier and
    bargaining solutions, smallest amendment and feasibility, deal chances and sensitivity, events.

    The file works offline: styles, data and the chart runtime are inside it.
    """
    started = time.perf_counter()
    from accord.report.charts import prefetch_runtime

    # A first run bundles the chart runtime (about a second): start it now, in the
    # background, so that it overlaps loading the scenario and the analyses.
    prefetch_runtime()
    scenario, space = open_space(file)
    if output.is_dir():
        raise BadInput(f"{output}: is a folder; give a file name ending in .html")
    if output.exists() and not force:
        refuse_existing(output, "-o/--output")
    if output.suffix.lower() not in (".html", ".htm"):
        raise BadInput(f"{output}: the report is HTML; give a file name ending in .html")
    if not output.parent.is_dir():
        raise BadInput(f"{output}: the folder {output.parent} does not exist")
    from accord.io.files import check_destination

    check_destination(output, force=force, what="the report")  # before the analyses
    path = write_report(scenario, space, output, _options(scenario, space, text, party, file, sobol),
                         force)
    seconds = time.perf_counter() - started
    if json:
        print_json({"file": str(file), "output": str(path), "bytes": path.stat().st_size,
                    "seconds": round(seconds, 3)})
        return
    console().print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB) in {seconds:.1f} s")


def write_report(scenario: Scenario, space: Space, output: Path, options: Any,
                  force: bool) -> Path:
    from accord.io.files import write_atomic
    from accord.report.html import build_report

    write_atomic(output, build_report(scenario, space, options), force=force, what="the report")
    return output


@app.command()
@handles_errors
def chart(
    file: Path = ScenarioPath,
    kind: str = typer.Argument(..., help=CHART_KIND_HELP, show_default=False),
    output: Path | None = typer.Option(None, "--output", "-o", "--plot",
                                       help="Image file to write (.png or .svg); required.",
                                       show_default=False),
    text: list[str] = one_option("--text", "-t", help="The text of the stance map."),
    party: list[str] = many_option("--parties", "--party", "-p",
                                   help="The two parties of the frontier."),
    force: bool = ForceFlag,
) -> None:
    """Draw one of the report's charts as a PNG or SVG file, without a browser."""
    from accord.report.html import CHART_KINDS, chart_for

    if kind not in CHART_KINDS:
        from accord.model.suggest import did_you_mean

        raise BadInput(f"unknown chart {kind!r}{did_you_mean(kind, list(CHART_KINDS))}; "
                       f"expected one of {', '.join(CHART_KINDS)}")
    if output is None:
        raise BadInput(f"chart {kind}: say where to draw it with -o/--output FILE (.png or "
                       f".svg), for example: accord chart {file} {kind} -o {kind}.png")
    check_plot_path(output, force=force, option="-o/--output")  # before any work
    scenario, space = open_space(file)
    options = _options(scenario, space, text, party, file)
    pair = options.parties[:2] if options.parties else None
    if options.parties and len(options.parties) > 2:
        raise BadInput("a frontier chart shows two parties; give --party twice (or -p A,B)")
    try:
        drawing = chart_for(kind, scenario, space, options=options, pair=pair)
    except ValueError as error:
        raise BadInput(f"{file}: {error}") from None
    path = save_plot(drawing, output, force=force)
    console().print(f"wrote {path}")
