"""Amendments and Pareto improvements of a text, for people and machines.

Both follow one rule (:data:`accord.views.packages.CHANGE_RULE`): a change is
an agreed point that moves; closing an open point is not a change and is shown
apart ("closes N open points"), so a row never reads "0 changes" without
saying how the open points were closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.space import UNRESOLVED
from accord.views.numbers import exact, plural, shown
from accord.views.packages import (
    CHANGE_RULE,
    by_party,
    change_summary,
    changes,
    closed,
    moves_table,
    names_of,
    positions,
)
from accord.views.solutions import feasibility_to_dict, render_feasibility

if TYPE_CHECKING:
    from rich.console import RenderableType

    from accord.analysis.amend import Amendment, AmendmentResult
    from accord.analysis.improve import Improvement, ImprovementResult
    from accord.space import IntArray
    from accord.views.labels import Labels

__all__ = ["improvement_to_dict", "render", "render_improvement", "to_dict"]


def _amendment_dict(amendment: Amendment, labels: Labels, base: IntArray,
                    parties: Sequence[int]) -> dict[str, Any]:
    return {
        "change_count": len(amendment.changes),
        "changes": changes(labels, base, amendment.package),
        "closed": closed(labels, base, amendment.package),
        "utilities": by_party(labels, range(labels.space.n_parties), amendment.utilities),
        "margins": by_party(labels, parties, amendment.margins),
        "nash_product": exact(amendment.nash_product),
        "positions": positions(labels, amendment.package),
    }


def to_dict(result: AmendmentResult, labels: Labels) -> dict[str, Any]:
    """The smallest amendment, its alternatives, or the closest miss."""
    return {
        "text": labels.text(result.text),
        "must_accept": [labels.party(p) for p in result.parties],
        "open_points": [labels.issue(int(i)) for i in np.flatnonzero(result.base == UNRESOLVED)],
        "convention": CHANGE_RULE,
        "min_changes": result.min_changes,
        "smallest": (None if result.best is None
                     else _amendment_dict(result.best, labels, result.base, result.parties)),
        "alternatives": [_amendment_dict(a, labels, result.base, result.parties)
                         for a in result.amendments[1:]],
        "efficient_count": result.efficient_count,
        "closest_miss": (None if result.closest_miss is None
                         else feasibility_to_dict(result.closest_miss, labels)),
        "best_with_fewer_changes": (None if result.best_with_fewer is None
                                    else feasibility_to_dict(result.best_with_fewer, labels)),
    }


def _title(labels: Labels, text: int) -> str:
    return labels.text_named(text)


def render(result: AmendmentResult, labels: Labels) -> RenderableType:
    """The smallest amendment: what changes, what closes, each party's margin, why not fewer."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from accord.analysis.evaluate import utility_bounds

    space = labels.space
    base = result.base
    names = names_of([labels.party_named(p) for p in result.parties])
    open_count = int((base == UNRESOLVED).sum())
    title = _title(labels, result.text)
    parts: list[RenderableType] = []
    if result.best is None:
        miss = result.closest_miss
        parts.append(Text.assemble(("No amendment of ", "bold red"), (title, "bold"),
                                   (f" is acceptable to {names}: ", "bold red"),
                                   "no package at all is, under these estimates."))
        if miss is not None:
            parts.append(render_feasibility(miss, labels))
            if miss.package is not None:
                parts.append(moves_table(labels, base, miss.package,
                                         f"The closest miss ({plural(len(miss.changes), 'change')})"))
        return Group(*parts)
    best = result.best
    n = len(best.changes)
    closes = (f"; it closes {plural(open_count, 'open point')} too "
              "(closing an open point is not a change)") if open_count else ""
    parts.append(Text.assemble(
        ("Smallest amendment of ", "bold"), (title, "bold"),
        f": {plural(n, 'change')} to agreed points{closes}.",
        "" if n else "\nNothing agreed has to change."))
    if n or open_count:
        parts.append(moves_table(labels, base, best.package, "What changes"))
    low, high = utility_bounds(space, base)
    utilities = Table(title="Utilities", title_justify="left", expand=False)
    for column in ("party", "must accept", "reservation", "text", "amended", "margin"):
        utilities.add_column(column, justify="left" if column == "party" else "right")
    for p in range(space.n_parties):
        must = bool(space.must_accept[p])
        margin = best.utilities[p] - space.reservation[p]
        in_text = shown(low[p]) if shown(low[p]) == shown(high[p]) else \
            f"{shown(low[p])}–{shown(high[p])}"
        utilities.add_row(
            labels.party_named(p), "yes" if must else "",
            shown(space.reservation[p], 2), in_text, shown(best.utilities[p]),
            Text(shown(margin, sign=True),
                 style=("green" if margin >= 0 else "red") if must else "grey50"))
    parts.append(utilities)
    if len(result.amendments) > 1:
        others = Table(title=f"Alternatives (efficient amendments, {result.efficient_count:,} "
                             "in all)", title_justify="left", expand=False)
        others.add_column("#", justify="right")
        others.add_column("changes", justify="right")
        others.add_column("Nash product", justify="right")
        for p in result.parties:
            others.add_column(labels.party(p), justify="right")
        others.add_column("points changed (and open points closed)", overflow="fold",
                          max_width=60)
        for rank, item in enumerate(result.amendments, 1):
            others.add_row(str(rank), str(len(item.changes)), f"{item.nash_product:.2e}",
                           *[shown(item.utilities[p]) for p in result.parties],
                           change_summary(labels, base, item.package))
        parts.append(others)
    fewer = result.best_with_fewer
    if fewer is not None:
        limit = (f"at most {plural(n - 1, 'agreed point')}" if n > 1
                 else "no agreed point")
    if fewer is not None and fewer.package is None:
        deals = "" if space.is_additive else ", or a package deal one of them refuses"
        parts.append(Text(f"Why not fewer: every package changing {limit} keeps a red line of "
                          f"{names}{deals}.", style="italic"))
    elif fewer is not None and fewer.margins is not None:
        worst = int(fewer.parties[int(fewer.margins.argmin())])
        parts.append(Text(
            f"Why not fewer: the best package changing {limit} still leaves "
            f"{labels.party_name(worst)} {shown(-fewer.margin)} below its reservation value"
            + (f" (it changes {', '.join(labels.issue_named(i) for i in fewer.changes)})."
               if fewer.changes else "."), style="italic"))
    # With interaction terms the amendment comes from an integer program, which takes the
    # largest worst margin among the fewest changes (a product is not linear).
    rule = "the largest smallest margin" if result.by_margin else "the Nash product of the margins"
    parts.append(Text(f"Ties between equally small amendments are broken by {rule} "
                      f"of {names} over their reservation values.", style="italic"))
    return Group(*parts)


def _improvement_dict(item: Improvement, labels: Labels, base: IntArray) -> dict[str, Any]:
    parties = range(labels.space.n_parties)
    return {
        "change_count": len(item.changes),
        "changes": changes(labels, base, item.package),
        "closed": closed(labels, base, item.package),
        "utilities": by_party(labels, parties, item.utilities),
        "gains": by_party(labels, parties, item.gains),
        "acceptable": item.acceptable,
        "positions": positions(labels, item.package),
    }


def improvement_to_dict(result: ImprovementResult, labels: Labels) -> dict[str, Any]:
    """The Pareto improvements of a text, fewest changes first."""
    parties = range(labels.space.n_parties)
    return {
        "text": labels.text(result.text),
        "partial": result.partial,
        "baseline": by_party(labels, parties, result.baseline),
        "convention": ("no party below its utility from the text (for open points: what the "
                       "text guarantees it); " + CHANGE_RULE),
        "efficient_count": result.efficient_count,
        "improvements": [_improvement_dict(item, labels, result.base)
                         for item in result.improvements],
    }


def render_improvement(result: ImprovementResult, labels: Labels) -> RenderableType:
    """One row per improvement: changes, each party's gain, and every point moved or closed."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    space = labels.space
    title = _title(labels, result.text)
    if not result.improvements:
        return Text.assemble(("No Pareto improvement of ", "bold"), (title, "bold"),
                             ": every other package leaves some party worse off "
                             "(the text is Pareto-efficient).")
    baseline = "what the text guarantees it (its open points closing at its worst)" \
        if result.partial else "its utility from the text"
    parts: list[RenderableType] = [Text.assemble(
        ("Pareto improvements of ", "bold"), (title, "bold"),
        f": {plural(result.efficient_count, 'efficient one')}; no party gets less than "
        f"{baseline}.")]
    table = Table(expand=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("changes", justify="right", no_wrap=True)
    for p in range(space.n_parties):
        table.add_column(f"{labels.party(p)} gain", justify="right", no_wrap=True)
    table.add_column("acceptable", justify="center", no_wrap=True)
    details: list[str] = []
    for rank, item in enumerate(result.improvements, 1):
        moves = [f"{labels.issue_named(i)} → {labels.option_named(i, int(item.package[i]))}"
                 for i in item.changes]
        shut = [f"{labels.issue_named(i)} → {labels.option_named(i, int(item.package[i]))}"
                for i in np.flatnonzero(result.base == UNRESOLVED)]
        lines = [f"#{rank}: {plural(len(moves), 'change')}" + (":" if moves else "")]
        lines += [f"   {move}" for move in moves]
        if shut:
            lines.append(f"   closes {plural(len(shut), 'open point')}:")
            lines += [f"   {point}" for point in shut]
        details.append("\n".join(lines))
        table.add_row(str(rank), str(len(item.changes)),
                      *[Text(shown(g, sign=True), style="green" if g > 5e-4 else "grey50")
                        for g in item.gains],
                      "yes" if item.acceptable else Text("no", style="red"))
    parts.append(table)
    parts.append(Text("\n".join(details)))
    parts.append(Text(f"Rule: {CHANGE_RULE}.", style="italic"))
    return Group(*parts)
