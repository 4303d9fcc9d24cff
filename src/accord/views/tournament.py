"""Tournaments (:mod:`accord.protocols.tournament`) and Adjusted Winner divisions, for people and machines.

A tournament spans several scenarios and a division reads a points table, so
neither has one scenario's :class:`~accord.views.labels.Labels`: their names
are the ones the configuration or the table gives.  Machine output keeps full
precision (a half-width that cannot be computed is ``null``); a person reads
three decimals and "n/a".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.views.numbers import MISSING, exact, plural, shown

if TYPE_CHECKING:
    from rich.console import RenderableType

    from accord.protocols.adjusted_winner import Division
    from accord.protocols.tournament import TournamentResult

__all__ = ["division_to_dict", "render", "render_division", "to_dict"]


def to_dict(result: TournamentResult) -> dict[str, Any]:
    """How many runs, and per scenario × protocol × strategy the means with 95% half-widths."""
    return {"runs": len(result.runs), "summary": [
        {"scenario": s.scenario, "protocol": s.protocol, "strategy": s.strategy, "n": s.n,
         "mean_utility": exact(s.mean_utility), "utility_ci": exact(s.utility_ci),
         "agreement_rate": exact(s.agreement_rate), "agreement_ci": exact(s.agreement_ci),
         "mean_distance_to_frontier": exact(s.mean_distance_to_frontier),
         "frontier_ci": exact(s.frontier_ci),
         "mean_distance_to_nash": exact(s.mean_distance_to_nash), "nash_ci": exact(s.nash_ci)}
        for s in result.summary]}


def _mean(mean: float | None, half: float | None) -> str:
    if exact(mean) is None:
        return "n/a"
    if exact(half) is None:
        return shown(mean)
    return f"{shown(mean)} ± {shown(half)}"


def render(result: TournamentResult) -> RenderableType:
    """One row per scenario × protocol × strategy: means ± 95% half-widths."""
    from rich.table import Table

    grid = Table(title=f"{plural(len(result.runs), 'run')} (95% intervals)")
    for column in ("scenario", "protocol", "strategy", "n", "mean utility", "agreement rate",
                   "dist. to frontier", "dist. to Nash"):
        grid.add_column(column, overflow="fold")
    for s in result.summary:
        grid.add_row(s.scenario, s.protocol, s.strategy, str(s.n),
                     _mean(s.mean_utility, s.utility_ci),
                     _mean(s.agreement_rate, s.agreement_ci),
                     _mean(s.mean_distance_to_frontier, s.frontier_ci),
                     _mean(s.mean_distance_to_nash, s.nash_ci))
    return grid


def division_to_dict(division: Division) -> dict[str, Any]:
    """Each item's shares and each party's score, in exact fractions (``"5/6"``)."""
    data = division.as_dict()
    return {"allocation": data["allocation"], "scores": data["scores"],
            "split_item": data["split_item"]}


def render_division(division: Division) -> RenderableType:
    """Who gets which item (a split item with both shares) and the scores."""
    from rich.text import Text

    parties = division.parties
    lines = [f"Adjusted Winner: {parties[0]} and {parties[1]}"]
    for item in division.items:
        shares = division.shares[item]
        held = [f"{p} {shares[p]}" if shares[p] not in (0, 1) else p
                for p in parties if shares[p] > 0]
        lines.append(f"  {item}: {' / '.join(held) or MISSING}"
                     + ("  (split)" if item == division.split_item else ""))
    lines.append("scores: " + ", ".join(f"{p} {division.scores[p]}" for p in parties))
    return Text("\n".join(lines))
