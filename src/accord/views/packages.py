"""Shared pieces of the package views: positions by id, per-party numbers, changes and closures.

One rule for every command that compares a package with a text (``amend``,
``improve``, ``robust``, ``solve``, ``frontier``): a *change* is an agreed point
of the text that moves to another option; closing an open point is not a
change, and is shown apart as a closure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from accord.space import UNRESOLVED
from accord.views.numbers import exact, plural

if TYPE_CHECKING:
    from rich.table import Table

    from accord.space import IntArray
    from accord.views.labels import Labels

__all__ = ["CHANGE_RULE", "by_party", "changes", "closed", "moves_table", "positions"]

#: The rule, as machine output and the commands' help state it.
CHANGE_RULE = ("changes count agreed points of the text that move to another option; "
               "closing an open point is not a change (closures are listed apart)")


def names_of(names: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: names as a sentence lists them."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def positions(labels: Labels, package: IntArray) -> dict[str, str | None]:
    """``{issue id: option id}`` for every issue (None for an open point)."""
    return {labels.issue(i): labels.option(i, int(o)) for i, o in enumerate(package)}


def by_party(labels: Labels, parties: Sequence[int], values: Any) -> dict[str, float | None]:
    """``{party id: value}`` at full precision."""
    return {labels.party(p): exact(float(v)) for p, v in zip(parties, values, strict=True)}


def changes(labels: Labels, base: IntArray | None, package: IntArray) -> list[dict[str, Any]]:
    """The agreed points of ``base`` that ``package`` moves, by id."""
    if base is None:
        return []
    return [
        {"issue": labels.issue(i), "from": labels.option(i, int(base[i])),
         "to": labels.option(i, int(package[i]))}
        for i in range(len(package)) if base[i] != UNRESOLVED and base[i] != package[i]
    ]


def closed(labels: Labels, base: IntArray | None, package: IntArray) -> list[dict[str, Any]]:
    """The open points of ``base`` that ``package`` closes, by id."""
    if base is None:
        return []
    return [{"issue": labels.issue(i), "to": labels.option(i, int(package[i]))}
            for i in range(len(package)) if base[i] == UNRESOLVED]


def change_summary(labels: Labels, base: IntArray, package: IntArray) -> str:
    """``2 changes: a (a), b (b); closes 1 open point: c (c) → x`` for a person."""
    from accord.views.numbers import MISSING

    moved = [labels.issue_named(i) for i in range(len(package))
             if base[i] != UNRESOLVED and base[i] != package[i]]
    shut = [f"{labels.issue_named(i)} → {labels.option_named(i, int(package[i]))}"
            for i in range(len(package)) if base[i] == UNRESOLVED]
    parts = [", ".join(moved)] if moved else []
    if shut:
        parts.append(f"closes {plural(len(shut), 'open point')}: " + "; ".join(shut))
    return "; ".join(parts) or MISSING


def moves_table(labels: Labels, base: IntArray, package: IntArray, title: str) -> Table:
    """The points that move (bold) and the open points that close (green), label and id."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", expand=False, show_lines=True)
    table.add_column("point", overflow="fold", max_width=34)
    table.add_column("in the text", overflow="fold", max_width=44)
    table.add_column("becomes", overflow="fold", max_width=44)
    for i in range(len(package)):
        if base[i] == UNRESOLVED:
            table.add_row(labels.issue_named(i), Text("(open)", style="yellow"),
                          Text(labels.option_named(i, int(package[i])), style="green"))
        elif base[i] != package[i]:
            table.add_row(Text(labels.issue_named(i), style="bold"),
                          labels.option_named(i, int(base[i])),
                          Text(labels.option_named(i, int(package[i])), style="bold cyan"))
    return table
