"""The Pareto frontier for people and machines: one row per package.

A frontier is a list of packages, so a person reads it as rows: each package's
utilities, then only the points where it differs from a reference text (or,
without one, from the row above).  Rows are cut at a limit with a count of the
rest, so that the table reads at 80 columns whatever the frontier's size.
Machines get every package at full precision, either with ids in every entry
(:func:`to_dict`) or as option indices with the id tables once
(:func:`to_compact_dict`, a fraction of the size on a large frontier).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.space import UNRESOLVED
from accord.views.numbers import exact, plural, shown

if TYPE_CHECKING:
    from rich.console import RenderableType

    from accord.analysis.pareto import ParetoFrontier
    from accord.space import IntArray
    from accord.views.labels import Labels

__all__ = ["render", "to_compact_dict", "to_dict"]


def _header(result: ParetoFrontier, labels: Labels, shown_rows: int | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "parties": [labels.party(p) for p in result.parties],
        "exact": result.exact,
        "epsilon": exact(result.epsilon),
        "acceptable_only": result.acceptable_only,
        "fixed": {labels.issue(i): labels.option(i, int(o))
                  for i, o in enumerate(result.fixed) if o != UNRESOLVED},
        "distinct_vectors": result.n_vectors,
        "total": len(result),
    }
    if shown_rows is not None and shown_rows < len(result):
        data["limit"] = shown_rows
    return data


def to_dict(result: ParetoFrontier, labels: Labels, limit: int | None = None) -> dict[str, Any]:
    """Every package (or the first ``limit``) with its utilities at full precision and positions by id."""
    rows = len(result) if limit is None else min(limit, len(result))
    data = _header(result, labels, limit)
    data["points"] = [
        {"utilities": [exact(u) for u in result.utilities[row].tolist()],
         "positions": {labels.issue(i): labels.option(i, int(o))
                       for i, o in enumerate(result.packages[row])}}
        for row in range(rows)
    ]
    return data


def to_compact_dict(result: ParetoFrontier, labels: Labels,
                    limit: int | None = None) -> dict[str, Any]:
    """The frontier as option indices per package, with the issue and option id tables once.

    ``packages[n][i]`` indexes ``issues[i]["options"]``; ``utilities[n][k]`` is
    the utility of ``parties[k]`` at full precision.
    """
    rows = len(result) if limit is None else min(limit, len(result))
    data = _header(result, labels, limit)
    data["issues"] = [{"id": labels.issue(i), "options": list(labels.space.option_ids[i])}
                      for i in range(labels.space.n_issues)]
    data["utilities"] = [[exact(u) for u in row] for row in result.utilities[:rows].tolist()]
    data["packages"] = result.packages[:rows].tolist()
    return data


def _point(labels: Labels, i: int, option: int) -> str:
    return f"{labels.issue_named(i)} → {labels.option_named(i, option)}"


def _differences(labels: Labels, base: IntArray, package: IntArray) -> tuple[list[str], list[str]]:
    """The agreed points of ``base`` that ``package`` changes, and the open ones it closes."""
    changed = [_point(labels, i, int(package[i])) for i in range(len(package))
               if base[i] != UNRESOLVED and base[i] != package[i]]
    closed = [_point(labels, i, int(package[i])) for i in range(len(package))
              if base[i] == UNRESOLVED and package[i] != UNRESOLVED]
    return changed, closed


def render(result: ParetoFrontier, labels: Labels, *, text: int | None = None,
           limit: int = 30) -> RenderableType:
    """The frontier as rows: ``#``, each party's utility, and how the package differs.

    With ``text`` each row lists the points where the package differs from that
    text (closing an open point is listed apart, as it changes nothing agreed);
    without it, from the row above.  Only the first ``limit`` rows are shown.
    """
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    names = ", ".join(labels.party_named(p) for p in result.parties)
    scope = "; only packages every must-accept party accepts" if result.acceptable_only else ""
    quality = ("exact" if result.exact
               else f"an ε-frontier: every package is within {shown(result.epsilon, 4)} of a "
                    "listed one for every party")
    header = Text.assemble(("Pareto frontier", "bold"), f" over {names}{scope}\n",
                           f"{plural(len(result), 'package')}, "
                           f"{plural(result.n_vectors, 'distinct utility vector')}; {quality}")
    if len(result) == 0:
        reason = result.empty_reason or "no package qualifies"
        return Group(header, Text(f"No package: {reason}.", style="bold red"))
    rows = min(limit, len(result))
    base = None if text is None else labels.space.texts[text]
    against = (f"differs from {labels.text_named(text)}" if base is not None
               else "differs from the row above")
    table = Table(expand=False, show_lines=True)
    table.add_column("#", justify="right", no_wrap=True)
    for p in result.parties:
        table.add_column(labels.party(p), justify="right", no_wrap=True, min_width=5)
    table.add_column(against, overflow="fold", ratio=1)
    for row in range(rows):
        package = result.packages[row]
        if base is not None:
            changed, closed = _differences(labels, base, package)
            cell = "\n".join(changed) if changed else "no agreed point changes"
            if closed:
                cell += f"\ncloses {plural(len(closed), 'open point')}: " + "; ".join(closed)
        elif row == 0:
            cell = "\n".join(_point(labels, i, int(o)) for i, o in enumerate(package))
        else:
            previous = result.packages[row - 1]
            cell = "\n".join(_point(labels, i, int(package[i])) for i in range(len(package))
                             if package[i] != previous[i]) or "the same points (a tie)"
        table.add_row(str(row + 1), *[shown(u) for u in result.utilities[row]], cell)
    parts: list[RenderableType] = [header, table]
    if rows < len(result):
        parts.append(Text(f"… and {len(result) - rows:,} more; --limit N or --json",
                          style="italic"))
    return Group(*parts)
