"""Commands that search the whole space of packages: frontier, solve, amend, improve.

They answer the mediator's three questions: is there any package every
must-accept party could accept (``solve``), which is the fairest (``solve``),
and what is the smallest change to today's text that would get everyone over
the line (``amend``); ``frontier`` lists the efficient packages and ``improve``
the changes that cost no one anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli import app
from accord.cli.common import (
    BadInput,
    ForceFlag,
    JsonFlag,
    ScenarioPath,
    bounded,
    bounded_float,
    console,
    handles_errors,
    many_option,
    note_to_terminal,
    one_option,
    one_value,
    open_space,
    party_ids,
    print_document,
    print_json,
    text_indices,
)

if TYPE_CHECKING:
    from rich.console import Console

    from accord.analysis.bargaining import BargainingSolution
    from accord.model import Scenario
    from accord.space import Space

MEANS_NOTE = ("Estimates given as ranges are used at their means here; "
              "`accord chance` shows what the ranges imply.")

#: The most table rows --limit shows, and the most amendments or improvements --top lists.
MAX_ROWS = 100_000
MAX_K = 1_000

FRONTIER_PARTIES = many_option(
    "--parties", "-p", help="Party ids (default: every party with preferences).")
SOLVE_PARTIES = many_option(
    "--parties", "-p",
    help="Party ids (default: the must-accept parties, or every party when none must accept).")
TOP = "How many {} to list, smallest first."


def _parties(scenario: Scenario, space: Space, given: list[str] | None,
             file: Path) -> list[int] | None:
    """Party indices from ``-p a -p b`` or ``-p a,b``; unknown ids get a "did you mean"."""
    ids = party_ids(space, given, file=file, scenario=scenario)
    return None if ids is None else [space.party_index(p) for p in ids]


def _one_text(scenario: Scenario, text: list[str] | None, *, required: bool,
              file: Path) -> int | None:
    chosen = one_value(text, "--text", [t.id for t in scenario.texts])
    if chosen is None:
        if required:
            raise BadInput("--text is required: give the id of the text to start from "
                           "(accord show lists the texts)")
        return None
    found = text_indices(scenario, [chosen], file=file)
    assert found is not None
    return found[0]


def _note_means(space: Space, json: bool) -> None:
    if space.uses_means and not json:
        from accord.cli.common import error_console

        error_console().print(f"note: {MEANS_NOTE}", style="italic")


def _latest_text(scenario: Scenario) -> int | None:
    """The latest dated text (ties: the later one in the file), or None without dated texts."""
    dated = [t for t, text in enumerate(scenario.texts) if text.date is not None]
    return max(dated, key=lambda t: (scenario.texts[t].date, t)) if dated else None


#: Above this many packages a frontier drawing takes over a second (the flagship's 13,345: ~10 s).
PLOT_NOTE_PACKAGES = 2_000


def _plot_frontier(scenario: Scenario, space: Space, result: Any, solutions: Any,
                   plot: Path, force: bool) -> None:
    from accord.cli.common import save_plot
    from accord.report.plots import frontier_plot

    if len(result.parties) < 2:
        raise BadInput("--plot draws a frontier of at least two parties; give --parties a,b")
    if len(result) > PLOT_NOTE_PACKAGES:
        # A large drawing takes seconds with nothing else to show; say so to a person waiting.
        note_to_terminal(f"drawing the frontier of {len(result):,} packages to {plot}…")
    save_plot(frontier_plot(scenario, space, result, solutions), plot, force=force)


@app.command()
@handles_errors
def frontier(
    file: Path = ScenarioPath,
    parties: list[str] = FRONTIER_PARTIES,
    text: list[str] = one_option(
        "--text", "-t",
        help="Show where each package differs from this text (default: the latest dated text; "
             "without texts, each row is compared with the row above)."),
    acceptable: bool = typer.Option(
        False, "--acceptable",
        help="Only packages every must-accept party accepts (no red lines, reservation values met)."),
    epsilon: float = bounded_float(
        None, "--epsilon", above=0.0, high=1.0,
        help="Allow an ε-frontier when the exact one is too large: every package is then within "
             "this much, for every party, of a listed one (the bound is stated)."),
    limit: int = bounded(None, "--limit", low=1, high=MAX_ROWS,
                         help="Packages listed (default: 30 in the table, all with --json)."),
    compact: bool = typer.Option(
        False, "--compact",
        help="With --json: option indices per package and the id tables once (much smaller)."),
    plot: Path = typer.Option(None, "--plot", show_default=False,
                              help="Also draw the frontier to this file (.png or .svg; pairwise "
                                   "projections for more than two parties), without a browser."),
    force: bool = ForceFlag,
    json: bool = JsonFlag,
) -> None:
    """The exact Pareto frontier: every package that no other package beats for every party.

    One row per package: each party's utility and the points where it differs
    from a reference text.  Packages that every party values equally are all
    listed (ties matter to a mediator).  Exact by default; --epsilon allows a
    stated approximation.
    """
    from accord.analysis.pareto import FrontierTooLarge, pareto_frontier
    from accord.cli.common import check_plot_path
    from accord.views import frontier as view
    from accord.views.labels import Labels

    if compact and not json:
        raise BadInput("--compact is a form of the JSON output; give --json with it",
                       place="--compact")
    check_plot_path(plot, force=force)
    scenario, space = open_space(file)
    chosen = _parties(scenario, space, parties, file)
    reference = (_one_text(scenario, text, required=False, file=file) if text
                 else _latest_text(scenario))
    try:
        result = pareto_frontier(space, chosen, acceptable_only=acceptable, epsilon=epsilon)
    except FrontierTooLarge as error:
        from accord.errors import TermsTooLarge

        # The enumeration frontier of a Space with terms has no ε mode: no hint to use one.
        hint = ("" if epsilon is not None or isinstance(error, TermsTooLarge)
                else "; rerun with --epsilon 0.01 for an ε-frontier")
        raise BadInput(f"{error}{hint}") from None
    labels = Labels(scenario, space)
    if plot is not None:
        _plot_frontier(scenario, space, result, None, plot, force)
    if json and compact:
        import json as json_module

        print_document(json_module.dumps(view.to_compact_dict(result, labels, limit),
                                         ensure_ascii=False, separators=(",", ":")))
    elif json:
        print_json(view.to_dict(result, labels, limit))
    else:
        _note_means(space, json)
        console().print(view.render(result, labels, text=reference,
                                    limit=30 if limit is None else limit))


@app.command()
@handles_errors
def solve(
    file: Path = ScenarioPath,
    text: list[str] = one_option("--text", "-t",
                                 help="Compare each solution with this text (its id)."),
    parties: list[str] = SOLVE_PARTIES,
    all_packages: bool = typer.Option(
        False, "--all-packages",
        help="Use every package, not only those every must-accept party accepts."),
    genius: bool = typer.Option(
        False, "--genius",
        help="Also show GENIUS's definitions (Nash without the rationality filter, raw-utility "
             "Kalai–Smorodinsky, social welfare)."),
    plot: Path = typer.Option(None, "--plot", show_default=False,
                              help="Also draw the frontier with the solutions marked to this file "
                                   "(.png or .svg), without a browser."),
    force: bool = ForceFlag,
    json: bool = JsonFlag,
) -> None:
    """Is there a package every must-accept party can accept, and which is the fairest?

    Shows whether an acceptable package exists (and by how much the best one
    clears, or misses, the reservation values), then the Nash, Kalai–Smorodinsky,
    egalitarian and utilitarian packages with each party's utility and the
    points where each differs from --text.  The solutions are over the
    must-accept parties (all parties when none must accept; --parties chooses
    others), from their reservation values, as in the report.
    """
    from accord.analysis.bargaining import bargaining_solutions, default_parties, genius_solutions
    from accord.analysis.feasibility import feasibility
    from accord.analysis.pareto import pareto_frontier
    from accord.cli.common import check_plot_path
    from accord.views import solutions as view
    from accord.views.labels import Labels

    check_plot_path(plot, force=force)
    scenario, space = open_space(file)
    chosen = _parties(scenario, space, parties, file) or list(default_parties(space))
    index = _one_text(scenario, text, required=False, file=file)
    feasible = feasibility(space) if space.must_accept.any() else None
    frontier_result = pareto_frontier(space, chosen, acceptable_only=not all_packages)
    solutions = bargaining_solutions(space, frontier_result)
    extra: tuple[BargainingSolution, ...] = ()
    genius_solved = solutions
    if genius:
        full = frontier_result if all_packages else pareto_frontier(space, chosen)
        extra = genius_solutions(full, space.reservation[list(full.parties)])
        # The GENIUS rows index the full frontier; report them on it.
        genius_solved = bargaining_solutions(space, full)
    labels = Labels(scenario, space)
    if plot is not None:
        _plot_frontier(scenario, space, frontier_result, solutions, plot, force)
    if json:
        data = view.to_dict(solutions, labels, text=index, feasible=feasible)
        if genius:
            data["genius"] = view.to_dict(genius_solved, labels, text=index,
                                          genius=extra)["genius"]
        print_json(data)
        return
    _note_means(space, json)
    out = console()
    if feasible is not None:
        out.print(view.render_feasibility(feasible, labels))
    out.print(view.render(solutions, labels, index))
    if genius:
        out.print(view.render_genius(genius_solved, extra, labels))


@app.command()
@handles_errors
def amend(
    file: Path = ScenarioPath,
    text: list[str] = one_option("--text", "-t", help="Required: the text to amend (its id)."),
    top: int = bounded(5, "--top", "-k", low=1, high=MAX_K, help=TOP.format("amendments")),
    json: bool = JsonFlag,
) -> None:
    """The fewest changes to a text that every must-accept party would accept.

    A change is an agreed point that moves to another option; open (bracketed)
    points are closed too, and closing one is not a change (the output lists
    the closures apart).  Ties are broken by the Nash product of the
    must-accept parties' margins over their reservation values.  When no
    package is acceptable at all, shows the closest miss instead.
    """
    from accord.analysis.amend import amend as find_amendments
    from accord.views import amend as view
    from accord.views.labels import Labels

    scenario, space = open_space(file)
    index = _one_text(scenario, text, required=True, file=file)
    assert index is not None
    result = find_amendments(space, index, k=top)
    labels = Labels(scenario, space)
    if json:
        print_json(view.to_dict(result, labels))
        return
    _note_means(space, json)
    console().print(view.render(result, labels))


@app.command()
@handles_errors
def improve(
    file: Path = ScenarioPath,
    text: list[str] = one_option("--text", "-t", help="Required: the text to improve on (its id)."),
    top: int = bounded(5, "--top", "-k", low=1, high=MAX_K, help=TOP.format("improvements")),
    json: bool = JsonFlag,
) -> None:
    """Pareto improvements of a text: changes that leave no party worse off and some better off.

    Fewest changed points first; a change is an agreed point that moves, and
    each row also says how it closes the text's open points (closing is not a
    change).  For a text with open points, "worse off" compares with what the
    text guarantees each party (its worst completion).
    """
    from accord.analysis.improve import improve as find_improvements
    from accord.views import amend as view
    from accord.views.labels import Labels

    scenario, space = open_space(file)
    index = _one_text(scenario, text, required=True, file=file)
    assert index is not None
    result = find_improvements(space, index, k=top)
    labels = Labels(scenario, space)
    if json:
        print_json(view.improvement_to_dict(result, labels))
        return
    _note_means(space, json)
    console().print(view.render_improvement(result, labels))


def demo_section(path: Path, scenario: Scenario, space: Space, out: Console) -> None:
    """`accord demo`: the mediator's three questions on the exact frontier, for the latest text."""
    if not space.must_accept.any():
        return
    from accord.analysis.amend import amend as find_amendments
    from accord.analysis.bargaining import bargaining_solutions
    from accord.analysis.feasibility import feasibility
    from accord.views import amend as amend_view
    from accord.views import solutions as view
    from accord.views.labels import Labels

    labels = Labels(scenario, space)
    out.rule("Where a deal can be: is any package acceptable, which is fairest, what is the "
             "smallest change?")
    out.print(view.render_feasibility(feasibility(space), labels))
    latest = _latest_text(scenario)
    out.print(view.render(bargaining_solutions(space), labels, latest))
    if latest is not None:
        out.print(amend_view.render(find_amendments(space, latest, k=3), labels))
