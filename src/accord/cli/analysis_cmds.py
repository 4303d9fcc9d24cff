"""Commands that search the whole space of packages: frontier, solve, amend, improve.

They answer the mediator's three questions: is there any package every
must-accept party could accept (``solve``), which is the fairest (``solve``),
and what is the smallest change to today's text that would get everyone over
the line (``amend``); ``frontier`` lists the efficient packages and ``improve``
the changes that cost no one anything.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli import app
from accord.cli.common import (
    BadInput,
    JsonFlag,
    ScenarioPath,
    bounded,
    bounded_float,
    console,
    handles_errors,
    open_space,
    print_json,
    text_indices,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from accord.analysis.amend import Amendment
    from accord.analysis.bargaining import BargainingSolution
    from accord.analysis.feasibility import Feasibility
    from accord.model import Scenario
    from accord.space import IntArray, Space
    from accord.views.labels import Labels

MEANS_NOTE = ("Estimates given as ranges are used at their means here; "
              "`accord chance` shows what the ranges imply.")

#: The most table rows --limit shows, and the most amendments or improvements --k lists.
MAX_ROWS = 100_000
MAX_K = 1_000

PartiesOption = typer.Option(
    None, "--parties", "-p",
    help="Comma-separated party ids (default: every party with preferences).")


def _parties(scenario: Scenario, space: Space, given: str | None) -> list[int] | None:
    """Party indices from ``a,b``; unknown ids get a "did you mean"."""
    if given is None:
        return None
    from accord.model.suggest import did_you_mean

    ids = [part.strip() for part in given.split(",") if part.strip()]
    if not ids:
        raise BadInput("--parties needs at least one party id")
    known = [p.id for p in scenario.parties]
    indices: list[int] = []
    for party_id in ids:
        if party_id not in known:
            hint = did_you_mean(party_id, known)
            listing = "" if hint else f"; the parties are: {', '.join(known)}"
            raise BadInput(f"unknown party {party_id!r}{hint}{listing}")
        if party_id not in space.party_ids:
            raise BadInput(f"party {party_id!r} has no preferences in this scenario, so it has no "
                           f"utilities; parties with preferences: {', '.join(space.party_ids)}")
        index = space.party_index(party_id)
        if index in indices:
            raise BadInput(f"party {party_id!r} is listed twice in --parties")
        indices.append(index)
    return indices


def _one_text(scenario: Scenario, text: str | None, *, required: bool) -> int | None:
    if text is None:
        if required:
            raise BadInput("--text is required: the id of the text to start from")
        return None
    found = text_indices(scenario, [text])
    assert found is not None
    return found[0]


def _note_means(space: Space, json: bool) -> None:
    if space.uses_means and not json:
        from accord.cli.common import error_console

        error_console().print(f"note: {MEANS_NOTE}", style="italic")


def _number(value: float) -> str:
    return "—" if not math.isfinite(value) else f"{value:.3f}"


@app.command()
@handles_errors
def frontier(
    file: Path = ScenarioPath,
    parties: str = PartiesOption,
    acceptable: bool = typer.Option(
        False, "--acceptable",
        help="Only packages every must-accept party accepts (no red lines, reservation values met)."),
    epsilon: float = bounded_float(
        None, "--epsilon", above=0.0, high=1.0,
        help="Allow an ε-frontier when the exact one is too large: every package is then within "
             "this much, for every party, of a listed one (the bound is stated)."),
    limit: int = bounded(30, "--limit", low=1, high=MAX_ROWS,
                         help="Rows shown in the table (JSON lists all)."),
    plot: Path = typer.Option(None, "--plot", show_default=False,
                              help="Also draw the frontier to this file (.png or .svg; pairwise "
                                   "projections for more than two parties), without a browser."),
    json: bool = JsonFlag,
) -> None:
    """The exact Pareto frontier: every package that no other package beats for every party.

    Packages that every party values equally are all listed (ties matter to a
    mediator).  Exact by default; --epsilon allows a stated approximation.
    """
    from accord.cli.common import check_plot_path

    check_plot_path(plot)
    from accord.analysis.pareto import FrontierTooLarge, pareto_frontier
    from accord.views.labels import Labels

    scenario, space = open_space(file)
    chosen = _parties(scenario, space, parties)
    try:
        result = pareto_frontier(space, chosen, acceptable_only=acceptable, epsilon=epsilon)
    except FrontierTooLarge as error:
        hint = "" if epsilon is not None else "; rerun with --epsilon 0.01 for an ε-frontier"
        raise BadInput(f"{error}{hint}") from None
    labels = Labels(scenario, space)
    if plot is not None:
        _plot_frontier(scenario, space, result, None, plot)
    if json:
        from accord.report.analysis_json import frontier_to_dict

        print_json(frontier_to_dict(result, labels))
        return
    _note_means(space, json)
    console().print(_frontier_view(result, labels, limit))


def _plot_frontier(scenario: Scenario, space: Space, result: Any, solutions: Any,
                   plot: Path) -> None:
    from accord.cli.common import save_plot
    from accord.report.plots import frontier_plot

    if len(result.parties) < 2:
        raise BadInput("--plot draws a frontier of at least two parties; give --parties a,b")
    save_plot(frontier_plot(scenario, space, result, solutions), plot)


def _frontier_view(result: Any, labels: Labels, limit: int) -> RenderableType:
    import numpy as np
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    names = ", ".join(labels.party_name(p) for p in result.parties)
    scope = " (packages every must-accept party accepts)" if result.acceptable_only else ""
    quality = ("exact" if result.exact
               else f"ε-frontier: every package is within {result.epsilon:.4g} of a listed one "
                    "for every party")
    header = Text.assemble(("Pareto frontier", "bold"), f" over {names}{scope}\n",
                           f"{len(result):,} packages, {result.n_vectors:,} distinct utility "
                           f"vectors; {quality}")
    if len(result) == 0:
        reason = result.empty_reason or "no package qualifies"
        return Group(header, Text(f"No package: {reason}.", style="bold red"))
    rows = np.arange(len(result))
    if rows.size > limit:
        rows = np.unique(np.linspace(0, rows.size - 1, limit).round().astype(int))
    packages = result.packages[rows]
    varying = [i for i in range(packages.shape[1]) if np.unique(packages[:, i]).size > 1]
    if len(varying) <= 6:
        table = Table(expand=False)
        table.add_column("#", justify="right")
        for p in result.parties:
            table.add_column(labels.party(p), justify="right")
        for i in varying:
            table.add_column(labels.issue(i), overflow="fold")
        for row, package in zip(rows, packages, strict=True):
            cells = [str(row + 1)] + [f"{u:.3f}" for u in result.utilities[row]]
            cells += [labels.option(i, int(package[i])) or "" for i in varying]
            table.add_row(*cells)
    else:
        # Many points vary: one column per package reads better than one per point.
        table = Table(expand=False)
        table.add_column("", overflow="fold", max_width=30)
        for row in rows:
            table.add_column(f"#{row + 1}", justify="left", overflow="fold", max_width=16)
        for k, p in enumerate(result.parties):
            table.add_row(Text(labels.party_name(p), style="bold"),
                          *[f"{u:.3f}" for u in result.utilities[rows, k]],
                          end_section=k == len(result.parties) - 1)
        for i in varying:
            table.add_row(labels.issue_title(i),
                          *[labels.option(i, int(o)) or "" for o in packages[:, i]])
    parts: list[RenderableType] = [header, table]
    if rows.size < len(result):
        parts.append(Text(f"showing {rows.size} of {len(result):,} packages, evenly spaced in "
                          f"the order of {labels.party_name(result.parties[0])}'s utility; "
                          "--json lists them all", style="italic"))
    constant = [i for i in range(packages.shape[1]) if i not in varying]
    if constant:
        same = "; ".join(f"{labels.issue_title(i)}: {labels.option_label(i, int(packages[0, i]))}"
                         for i in constant)
        parts.append(Text(f"the same in every package shown — {same}", style="grey50"))
    return Group(*parts)


@app.command()
@handles_errors
def solve(
    file: Path = ScenarioPath,
    text: str = typer.Option(None, "--text", "-t",
                             help="Compare each solution with this text (its id)."),
    parties: str = PartiesOption,
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
    json: bool = JsonFlag,
) -> None:
    """Is there a package every must-accept party can accept, and which is the fairest?

    Shows whether an acceptable package exists (and by how much the best one
    clears, or misses, the reservation values), then the Nash, Kalai–Smorodinsky,
    egalitarian and utilitarian packages with each party's utility and the
    points where each differs from --text.
    """
    from accord.analysis.bargaining import bargaining_solutions, genius_solutions
    from accord.analysis.feasibility import feasibility
    from accord.analysis.pareto import pareto_frontier
    from accord.cli.common import check_plot_path
    from accord.views.labels import Labels

    check_plot_path(plot)
    scenario, space = open_space(file)
    chosen = _parties(scenario, space, parties)
    index = _one_text(scenario, text, required=False)
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
        _plot_frontier(scenario, space, frontier_result, solutions, plot)
    if json:
        from accord.report.analysis_json import solutions_to_dict

        data = solutions_to_dict(solutions, labels, text=index, feasible=feasible)
        if genius:
            data["genius"] = solutions_to_dict(genius_solved, labels, text=index,
                                               genius=extra)["genius"]
        print_json(data)
        return
    _note_means(space, json)
    out = console()
    if feasible is not None:
        out.print(_feasibility_view(feasible, labels))
    out.print(_solutions_view(solutions, labels, index))
    if genius:
        from rich.text import Text

        out.print(Text("GENIUS's definitions, on the frontier of all packages:", style="bold"))
        for solution in extra:
            row = solution.row
            if row is None:
                out.print(f"  {solution.name}: no point ({solution.definition})")
                continue
            utilities = ", ".join(f"{labels.party(p)} {u:.3f}"
                                  for p, u in zip(genius_solved.frontier.parties,
                                                  genius_solved.frontier.utilities[row], strict=True))
            out.print(f"  {solution.name}: {utilities}  ({solution.definition})")


def _feasibility_view(result: Feasibility, labels: Labels) -> RenderableType:
    from rich.text import Text

    names = " and ".join(labels.party_name(p) for p in result.parties)
    if result.blocked_issues:
        issues = ", ".join(labels.issue_title(i) for i in result.blocked_issues)
        return Text(f"No package is acceptable to {names}: every option of {issues} is one "
                    "of their red lines.\n", style="bold red")
    assert result.margins is not None
    worst = int(result.parties[int(result.margins.argmin())])
    if result.feasible:
        return Text.assemble(
            ("Yes: ", "bold green"),
            f"some package is acceptable to {names}. The best one for the worse-off of them "
            f"leaves {labels.party_name(worst)} {result.margin:+.3f} above its reservation value.\n")
    assert result.shortfall is not None
    lowering = ", ".join(f"{labels.party_name(p)} by {s:.3f}"
                         for p, s in zip(result.parties, result.shortfall, strict=True) if s > 0)
    return Text.assemble(
        ("No: ", "bold red"),
        f"no package is acceptable to {names} under these estimates. The closest one misses by "
        f"{-result.margin:.3f} (the worst-off party's shortfall); it becomes acceptable if they "
        f"lower their reservation values: {lowering}.\n")


def _solutions_view(solutions: Any, labels: Labels, text: int | None) -> RenderableType:
    import numpy as np
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from accord.space import UNRESOLVED

    space = labels.space
    frontier = solutions.frontier
    scope = ("packages every must-accept party accepts" if frontier.acceptable_only
             else "all packages")
    names = {"nash": "Nash", "kalai_smorodinsky": "Kalai–Smorodinsky",
             "egalitarian": "egalitarian", "utilitarian": "utilitarian"}
    header = Text.assemble(
        ("Bargaining solutions", "bold"),
        f" on the Pareto frontier of {scope}: {len(frontier):,} packages, "
        f"{solutions.rational:,} give every party at least its reservation value")
    parts: list[RenderableType] = [header]
    chosen = [s for s in solutions.all() if s.row is not None]
    if not chosen:
        parts.append(Text("No package gives every party at least its reservation value, so "
                          "there is nothing to choose between.", style="bold red"))
        return Group(*parts)
    base = None if text is None else space.texts[text]

    table = Table(title="Each party's utility", title_justify="left", expand=False)
    table.add_column("party")
    table.add_column("reservation", justify="right")
    if base is not None:
        table.add_column(f"text {labels.text(text)}", justify="right")
    for solution in chosen:
        table.add_column(names[solution.name], justify="right")
    if base is not None:
        from accord.analysis.evaluate import utility_bounds

        low, high = utility_bounds(space, base)
    from accord.report.terminal import utility_cell

    for k, p in enumerate(frontier.parties):
        reservation = float(space.reservation[p])
        cells: list[Text | str] = [labels.party_name(p), f"{reservation:.2f}"]
        if base is not None:
            cells.append(utility_cell(float(low[p]), float(high[p]), reservation))
        cells += [utility_cell(float(frontier.utilities[s.row, k]),
                               float(frontier.utilities[s.row, k]), reservation) for s in chosen]
        table.add_row(*cells)
    parts.append(table)
    parts.append(Text("bars: utility from 0 to 1, │ = reservation value; green: reaches it, "
                      "red: falls short, yellow: depends on the text's open points",
                      style="italic"))

    packages = Table(title="The packages" + ("" if base is None else
                                             f" (· = as in text {labels.text(text)})"),
                     title_justify="left", expand=False, show_lines=True)
    packages.add_column("point", overflow="fold", max_width=30)
    if base is not None:
        packages.add_column(f"text {labels.text(text)}", overflow="fold", max_width=30)
    for solution in chosen:
        packages.add_column(names[solution.name], overflow="fold", max_width=30)
    for i in range(space.n_issues):
        cells = [labels.issue_title(i)]
        if base is not None:
            cells.append(labels.option_label(i, int(base[i])))
        for solution in chosen:
            option = int(frontier.packages[solution.row, i])
            if base is not None and option == base[i]:
                cells.append(Text("·", style="grey50"))
            else:
                style = "green" if base is not None and base[i] == UNRESOLVED else (
                    "cyan" if base is not None else "")
                cells.append(Text(labels.option_label(i, option), style=style))
        packages.add_row(*cells)
    parts.append(packages)
    if base is not None:
        lines = []
        for solution in chosen:
            package = frontier.packages[solution.row]
            changed = np.flatnonzero((base != UNRESOLVED) & (package != base))
            closed = np.flatnonzero(base == UNRESOLVED)
            lines.append(f"  {names[solution.name]}: changes {len(changed)} agreed point"
                         f"{'' if len(changed) == 1 else 's'}"
                         + (f" ({', '.join(labels.issue(int(i)) for i in changed)})" if changed.size
                            else "")
                         + (f" and closes {len(closed)} open" if closed.size else ""))
        parts.append(Text("\n".join(lines)))
    ties = [f"{names[s.name]} ({len(s.rows)})" for s in chosen if len(s.rows) > 1]
    if ties:
        parts.append(Text("tied packages (the one shown has the largest total utility): "
                          + ", ".join(ties), style="italic"))
    return Group(*parts)


@app.command()
@handles_errors
def amend(
    file: Path = ScenarioPath,
    text: str = typer.Option(None, "--text", "-t", help="The text to amend (its id)."),
    k: int = bounded(5, "--k", "-k", low=1, high=MAX_K,
                     help="How many amendments to list, smallest first."),
    json: bool = JsonFlag,
) -> None:
    """The fewest changes to a text that every must-accept party would accept.

    Open (bracketed) points are closed too; closing one does not count as a
    change.  Ties are broken by the Nash product of the must-accept parties'
    margins over their reservation values.  When no package is acceptable at
    all, shows the closest miss instead.
    """
    from accord.analysis.amend import amend as find_amendments
    from accord.views.labels import Labels

    scenario, space = open_space(file)
    index = _one_text(scenario, text, required=True)
    assert index is not None
    result = find_amendments(space, index, k=k)
    labels = Labels(scenario, space)
    if json:
        from accord.report.analysis_json import amendment_to_dict

        print_json(amendment_to_dict(result, labels))
        return
    _note_means(space, json)
    console().print(_amend_view(result, labels))


def _moves_table(labels: Labels, base: IntArray, package: IntArray, title: str) -> Any:
    from rich.table import Table
    from rich.text import Text

    from accord.space import UNRESOLVED

    table = Table(title=title, title_justify="left", expand=False, show_lines=True)
    table.add_column("point", overflow="fold", max_width=34)
    table.add_column("in the text", overflow="fold", max_width=44)
    table.add_column("becomes", overflow="fold", max_width=44)
    for i in range(len(package)):
        if base[i] == UNRESOLVED:
            table.add_row(labels.issue_title(i), Text("(open)", style="yellow"),
                          Text(labels.option_label(i, int(package[i])), style="green"))
        elif base[i] != package[i]:
            table.add_row(Text(labels.issue_title(i), style="bold"),
                          labels.option_label(i, int(base[i])),
                          Text(labels.option_label(i, int(package[i])), style="bold cyan"))
    return table


def _amend_view(result: Any, labels: Labels) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from accord.analysis.evaluate import utility_bounds
    from accord.space import UNRESOLVED

    space = labels.space
    base = result.base
    names = " and ".join(labels.party_name(p) for p in result.parties)
    open_count = int((base == UNRESOLVED).sum())
    title = f"{labels.text_title(result.text)} [{labels.text(result.text)}]"
    parts: list[RenderableType] = []
    if result.best is None:
        miss = result.closest_miss
        parts.append(Text.assemble(("No amendment of ", "bold red"), (title, "bold"),
                                   (f" is acceptable to {names}: ", "bold red"),
                                   "no package at all is, under these estimates."))
        if miss is not None:
            parts.append(_feasibility_view(miss, labels))
            if miss.package is not None:
                parts.append(_moves_table(labels, base, miss.package,
                                          f"The closest miss ({len(miss.changes)} changes)"))
        return Group(*parts)
    best: Amendment = result.best
    n = len(best.changes)
    opened = f"; the {open_count} open points are closed too, which does not count" \
        if open_count else ""
    parts.append(Text.assemble(
        ("Smallest amendment of ", "bold"), (title, "bold"),
        f": {n} change{'' if n == 1 else 's'} to agreed points{opened}.",
        "" if n else "\nNothing agreed has to change."))
    if n or open_count:
        parts.append(_moves_table(labels, base, best.package, "What changes"))
    low, high = utility_bounds(space, base)
    utilities = Table(title="Utilities", title_justify="left", expand=False)
    for column in ("party", "must accept", "reservation", "text", "amended", "margin"):
        utilities.add_column(column, justify="left" if column == "party" else "right")
    for p in range(space.n_parties):
        must = bool(space.must_accept[p])
        margin = best.utilities[p] - space.reservation[p]
        utilities.add_row(
            labels.party_name(p), "yes" if must else "", f"{space.reservation[p]:.2f}",
            f"{low[p]:.3f}" if abs(high[p] - low[p]) < 5e-4 else f"{low[p]:.3f}–{high[p]:.3f}",
            f"{best.utilities[p]:.3f}",
            Text(f"{margin:+.3f}", style=("green" if margin >= 0 else "red") if must else "grey50"))
    parts.append(utilities)
    if len(result.amendments) > 1:
        others = Table(title=f"Alternatives (efficient amendments, {result.efficient_count} "
                             "in all)", title_justify="left", expand=False)
        others.add_column("#", justify="right")
        others.add_column("changes", justify="right")
        others.add_column("Nash product", justify="right")
        for p in result.parties:
            others.add_column(labels.party(p), justify="right")
        others.add_column("points changed", overflow="fold", max_width=60)
        for rank, item in enumerate(result.amendments, 1):
            others.add_row(str(rank), str(len(item.changes)), f"{item.nash_product:.2e}",
                           *[f"{item.utilities[p]:.3f}" for p in result.parties],
                           ", ".join(labels.issue(i) for i in item.changes) or "—")
        parts.append(others)
    fewer = result.best_with_fewer
    if fewer is not None and fewer.package is None:
        parts.append(Text(f"Why not fewer: every package changing at most {n - 1} agreed point"
                          f"{'' if n - 1 == 1 else 's'} keeps a red line of {names}.",
                          style="italic"))
    elif fewer is not None and fewer.margins is not None:
        worst = int(fewer.parties[int(fewer.margins.argmin())])
        parts.append(Text(
            f"Why not fewer: the best package changing at most {n - 1} agreed point"
            f"{'' if n - 1 == 1 else 's'} still leaves {labels.party_name(worst)} "
            f"{-fewer.margin:.3f} below its reservation value"
            + (f" (it changes {', '.join(labels.issue(i) for i in fewer.changes)})."
               if fewer.changes else "."), style="italic"))
    parts.append(Text(f"Ties between equally small amendments are broken by the Nash product "
                      f"of {names}'s margins over their reservation values.", style="italic"))
    return Group(*parts)


@app.command()
@handles_errors
def improve(
    file: Path = ScenarioPath,
    text: str = typer.Option(None, "--text", "-t", help="The text to improve on (its id)."),
    k: int = bounded(5, "--k", "-k", low=1, high=MAX_K, help="How many improvements to list."),
    json: bool = JsonFlag,
) -> None:
    """Pareto improvements of a text: changes that leave no party worse off and some better off.

    Fewest changed points first.  For a text with open points, "worse off"
    compares with what the text guarantees each party (its worst completion).
    """
    from accord.analysis.improve import improve as find_improvements
    from accord.views.labels import Labels

    scenario, space = open_space(file)
    index = _one_text(scenario, text, required=True)
    assert index is not None
    result = find_improvements(space, index, k=k)
    labels = Labels(scenario, space)
    if json:
        from accord.report.analysis_json import improvement_to_dict

        print_json(improvement_to_dict(result, labels))
        return
    _note_means(space, json)
    console().print(_improve_view(result, labels))


def _improve_view(result: Any, labels: Labels) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    space = labels.space
    title = f"{labels.text_title(result.text)} [{labels.text(result.text)}]"
    if not result.improvements:
        return Text.assemble(("No Pareto improvement of ", "bold"), (title, "bold"),
                             ": every other package leaves some party worse off "
                             "(the text is Pareto-efficient).")
    baseline = "what the text guarantees it (its open points closing at its worst)" \
        if result.partial else "its utility from the text"
    parts: list[RenderableType] = [Text.assemble(
        ("Pareto improvements of ", "bold"), (title, "bold"),
        f": {result.efficient_count:,} efficient ones; no party gets less than {baseline}.")]
    table = Table(expand=False, show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("changes", justify="right")
    for p in range(space.n_parties):
        table.add_column(f"{labels.party(p)} gain", justify="right")
    table.add_column("acceptable", justify="center")
    table.add_column("points changed", overflow="fold", max_width=70)
    for rank, item in enumerate(result.improvements, 1):
        moves = "; ".join(f"{labels.issue_title(i)} → {labels.option_label(i, int(item.package[i]))}"
                          for i in item.changes) or "—"
        table.add_row(str(rank), str(len(item.changes)),
                      *[Text(f"{g:+.3f}", style="green" if g > 5e-4 else "grey50")
                        for g in item.gains],
                      "yes" if item.acceptable else Text("no", style="red"), moves)
    parts.append(table)
    if result.partial:
        parts.append(Text("Open points are closed by each improvement (closing is not a change); "
                          "--json gives every package in full.", style="italic"))
    return Group(*parts)


def demo_section(path: Path, scenario: Scenario, space: Space, out: Console) -> None:
    """`accord demo`: the mediator's three questions on the exact frontier, for the latest text."""
    if not space.must_accept.any():
        return
    from accord.analysis.amend import amend as find_amendments
    from accord.analysis.bargaining import bargaining_solutions
    from accord.analysis.feasibility import feasibility
    from accord.analysis.pareto import pareto_frontier
    from accord.views.labels import Labels

    labels = Labels(scenario, space)
    out.rule("Where a deal can be: is any package acceptable, which is fairest, what is the "
             "smallest change?")
    out.print(_feasibility_view(feasibility(space), labels))
    solutions = bargaining_solutions(space, pareto_frontier(space, acceptable_only=True))
    dated = [t for t in range(len(space.text_ids)) if scenario.texts[t].date is not None]
    latest = max(dated, key=lambda t: (scenario.texts[t].date, t)) if dated else None
    out.print(_solutions_view(solutions, labels, latest))
    if latest is not None:
        out.print(_amend_view(find_amendments(space, latest, k=3), labels))

