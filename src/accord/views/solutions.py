"""Feasibility and the bargaining solutions, for people and machines.

Every solution says over which parties it was computed and from which
disagreement point, so that a "Nash" package printed by ``accord solve`` and
one in the report can be told apart (or seen to agree).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.space import UNRESOLVED
from accord.views.numbers import exact, shown
from accord.views.packages import (
    by_party,
    change_summary,
    changes,
    closed,
    names_of,
    plural,
    positions,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

    from accord.analysis.bargaining import BargainingSolution, BargainingSolutions
    from accord.analysis.feasibility import Feasibility
    from accord.views.labels import Labels

__all__ = ["NAMES", "coinciding", "feasibility_to_dict", "render", "render_feasibility", "to_dict"]

#: The solutions' names as a person reads them.
NAMES = {"nash": "Nash", "kalai_smorodinsky": "Kalai–Smorodinsky",
         "egalitarian": "egalitarian", "utilitarian": "utilitarian"}


def _party_names(labels: Labels, parties: Sequence[int]) -> str:
    return names_of([labels.party_named(p) for p in parties])


def feasibility_to_dict(result: Feasibility, labels: Labels) -> dict[str, Any]:
    """The max–min margin answer: does an acceptable package exist, and by how much it misses."""
    data: dict[str, Any] = {
        "must_accept": [labels.party(p) for p in result.parties],
        "feasible": result.feasible,
        "margin": exact(result.margin),
        "blocked_issues": [labels.issue(i) for i in result.blocked_issues],
        "positions": None if result.package is None else positions(labels, result.package),
        "margins": (None if result.margins is None
                    else by_party(labels, result.parties, result.margins)),
        "lower_reservation_by": (None if result.shortfall is None
                                 else by_party(labels, result.parties, result.shortfall)),
        "optimal_packages": int(result.ties.shape[0]),
    }
    if result.reference is not None and result.package is not None:
        data["changes"] = changes(labels, result.reference, result.package)
    return data


def render_feasibility(result: Feasibility, labels: Labels) -> RenderableType:
    """Yes (with the worst-off party's margin), or no (with what would make it yes)."""
    from rich.text import Text

    names = _party_names(labels, result.parties)
    if result.blocked_issues:
        issues = ", ".join(labels.issue_named(i) for i in result.blocked_issues)
        return Text(f"No package is acceptable to {names}: every option of {issues} is one "
                    "of their red lines.\n", style="bold red")
    assert result.margins is not None
    worst = int(result.parties[int(result.margins.argmin())])
    if result.feasible:
        return Text.assemble(
            ("Yes: ", "bold green"),
            f"some package is acceptable to {names}. The best one for the worse-off of them "
            f"leaves {labels.party_name(worst)} {shown(result.margin, sign=True)} above its "
            "reservation value.\n")
    assert result.shortfall is not None
    lowering = ", ".join(f"{labels.party_name(p)} by {shown(s)}"
                         for p, s in zip(result.parties, result.shortfall, strict=True) if s > 0)
    return Text.assemble(
        ("No: ", "bold red"),
        f"no package is acceptable to {names} under these estimates. The closest one misses by "
        f"{shown(-result.margin)} (the worst-off party's shortfall); it becomes acceptable if "
        f"they lower their reservation values: {lowering}.\n")


def coinciding(solutions: BargainingSolutions,
               chosen: Sequence[BargainingSolution]) -> list[list[BargainingSolution]]:
    """``chosen`` grouped by package, in order: solutions that pick the same package share a group.

    Several definitions often agree on one package; a person should read that
    they agree rather than the same package printed twice.
    """
    groups: list[list[BargainingSolution]] = []
    packages = solutions.frontier.packages
    for solution in chosen:
        for group in groups:
            if np.array_equal(packages[group[0].row], packages[solution.row]):
                group.append(solution)
                break
        else:
            groups.append([solution])
    return groups


def _same_as(solutions: BargainingSolutions, solution: BargainingSolution) -> str | None:
    """The name of the first solution before ``solution`` with the same package, if any."""
    chosen = [s for s in solutions.all() if s.row is not None]
    for group in coinciding(solutions, chosen):
        if solution in group[1:]:
            return group[0].name
    return None


def _solution_dict(solutions: BargainingSolutions, solution: BargainingSolution, labels: Labels,
                   base: Any) -> dict[str, Any]:
    frontier = solutions.frontier
    entry: dict[str, Any] = {"definition": solution.definition, "value": exact(solution.value),
                             "ties": len(solution.rows),
                             "same_package_as": (None if solution.row is None
                                                 else _same_as(solutions, solution))}
    if solution.row is None:
        entry.update({"utilities": None, "positions": None, "changes": None})
        return entry
    package = frontier.packages[solution.row]
    entry["utilities"] = by_party(labels, frontier.parties, frontier.utilities[solution.row])
    entry["positions"] = positions(labels, package)
    entry["changes"] = changes(labels, base, package)
    entry["closed"] = closed(labels, base, package)
    return entry


def _disagreement_rule(solutions: BargainingSolutions, labels: Labels) -> str:
    reservation = labels.space.reservation[list(solutions.frontier.parties)]
    if np.allclose(reservation, solutions.disagreement):
        return "reservation values"
    return "given"


def to_dict(solutions: BargainingSolutions, labels: Labels, *, text: int | None = None,
            feasible: Feasibility | None = None,
            genius: Sequence[BargainingSolution] = ()) -> dict[str, Any]:
    """The four solutions (and GENIUS's, if given), each with the points that differ from ``text``.

    ``parties`` and ``disagreement`` say over whom and from where they were computed.
    """
    frontier = solutions.frontier
    base = None if text is None else labels.space.texts[text]
    data: dict[str, Any] = {
        "parties": [labels.party(p) for p in frontier.parties],
        "acceptable_only": frontier.acceptable_only,
        "exact": frontier.exact,
        "epsilon": exact(frontier.epsilon),
        "frontier_size": len(frontier),
        "disagreement": by_party(labels, frontier.parties, solutions.disagreement),
        "disagreement_rule": _disagreement_rule(solutions, labels),
        "ideal": (None if solutions.ideal is None
                  else by_party(labels, frontier.parties, solutions.ideal)),
        "individually_rational": solutions.rational,
        "text": labels.text(text),
        "text_utilities": (None if base is None or (base == UNRESOLVED).any() else by_party(
            labels, frontier.parties, labels.space.utilities(base)[list(frontier.parties)])),
        "solutions": {s.name: _solution_dict(solutions, s, labels, base) for s in solutions.all()},
    }
    if genius:
        data["genius"] = {s.name: _solution_dict(solutions, s, labels, base) for s in genius}
    if feasible is not None:
        data["feasibility"] = feasibility_to_dict(feasible, labels)
    return data


def basis(solutions: BargainingSolutions, labels: Labels) -> str:
    """``over A (a) and B (b), from their reservation values (0.40, 0.35)``."""
    frontier = solutions.frontier
    point = ", ".join(f"{labels.party(p)} {shown(d)}"
                      for p, d in zip(frontier.parties, solutions.disagreement, strict=True))
    source = ("their reservation values" if _disagreement_rule(solutions, labels)
              == "reservation values" else "the given disagreement point")
    return (f"over {_party_names(labels, frontier.parties)}, from {source} ({point})")


def render(solutions: BargainingSolutions, labels: Labels, text: int | None = None) -> RenderableType:
    """Each party's utility under each solution, the packages, and their changes to ``text``."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from accord.analysis.evaluate import utility_bounds
    from accord.views.cells import utility_cell

    space = labels.space
    frontier = solutions.frontier
    scope = ("packages every must-accept party accepts" if frontier.acceptable_only
             else "all packages")
    header = Text.assemble(
        ("Bargaining solutions", "bold"), f" {basis(solutions, labels)}\n",
        f"on the Pareto frontier of {scope}: {plural(len(frontier), 'package')}, "
        f"{solutions.rational:,} of which give every one of these parties at least its "
        "disagreement value")
    parts: list[RenderableType] = [header]
    chosen = [s for s in solutions.all() if s.row is not None]
    if not chosen:
        parts.append(Text("No package gives every party at least its disagreement value, so "
                          "there is nothing to choose between.", style="bold red"))
        return Group(*parts)
    base = None if text is None else space.texts[text]
    groups = coinciding(solutions, chosen)
    # One column per distinct package, headed by every solution that picks it.
    heads = [" = ".join(NAMES[s.name] for s in group) for group in groups]
    firsts = [group[0] for group in groups]

    table = Table(title="Each party's utility", title_justify="left", expand=False)
    table.add_column("party")
    table.add_column("disagreement", justify="right")
    if base is not None:
        table.add_column(f"text {labels.text(text)}", justify="right")
        low, high = utility_bounds(space, base)
    for head in heads:
        table.add_column(head, justify="right", overflow="fold")
    for k, p in enumerate(frontier.parties):
        d = float(solutions.disagreement[k])
        cells: list[Any] = [labels.party_named(p), shown(d, 2)]
        if base is not None:
            cells.append(utility_cell(float(low[p]), float(high[p]), d))
        cells += [utility_cell(float(frontier.utilities[s.row, k]),
                               float(frontier.utilities[s.row, k]), d) for s in firsts]
        table.add_row(*cells)
    parts.append(table)
    parts.append(Text("bars: utility from 0 to 1, │ = disagreement value; green: reaches it, "
                      "red: falls short, yellow: depends on the text's open points",
                      style="italic"))

    packages = Table(title="The packages" + ("" if base is None else
                                             f" (· = as in text {labels.text(text)})"),
                     title_justify="left", expand=False, show_lines=True)
    packages.add_column("point", overflow="fold", max_width=30)
    if base is not None:
        packages.add_column(f"text {labels.text(text)}", overflow="fold", max_width=30)
    for head in heads:
        packages.add_column(head, overflow="fold", max_width=30)
    for i in range(space.n_issues):
        cells = [labels.issue_named(i)]
        if base is not None:
            cells.append(labels.option_named(i, int(base[i])))
        for solution in firsts:
            option = int(frontier.packages[solution.row, i])
            if base is not None and option == base[i]:
                cells.append(Text("·", style="grey50"))
            else:
                style = "green" if base is not None and base[i] == UNRESOLVED else (
                    "cyan" if base is not None else "")
                cells.append(Text(labels.option_named(i, option), style=style))
        packages.add_row(*cells)
    parts.append(packages)
    same = [names_of([NAMES[s.name] for s in group]) for group in groups if len(group) > 1]
    if same:
        parts.append(Text("same package: " + "; ".join(same), style="italic"))
    if base is not None:
        lines = []
        for head, solution in zip(heads, firsts, strict=True):
            package = frontier.packages[solution.row]
            moved = int(((base != UNRESOLVED) & (package != base)).sum())
            lines.append(f"  {head}: {plural(moved, 'change')} to agreed points"
                         f" — {change_summary(labels, base, package)}")
        parts.append(Text("\n".join(lines)))
    ties = [f"{NAMES[s.name]} ({len(s.rows)})" for s in chosen if len(s.rows) > 1]
    if ties:
        parts.append(Text("tied packages (the one shown has the largest total utility): "
                          + ", ".join(ties), style="italic"))
    return Group(*parts)


def render_genius(solutions: BargainingSolutions, genius: Sequence[BargainingSolution],
                  labels: Labels) -> RenderableType:
    """GENIUS's definitions, on the frontier of all packages, each party's utility."""
    from rich.text import Text

    lines = [Text(f"GENIUS's definitions, on the frontier of all packages "
                  f"{basis(solutions, labels)}:", style="bold")]
    for solution in genius:
        if solution.row is None:
            lines.append(Text(f"  {solution.name}: no point ({solution.definition})"))
            continue
        utilities = ", ".join(f"{labels.party(p)} {shown(u)}"
                              for p, u in zip(solutions.frontier.parties,
                                              solutions.frontier.utilities[solution.row],
                                              strict=True))
        lines.append(Text(f"  {solution.name}: {utilities}  ({solution.definition})"))
    return Text("\n").join(lines)
