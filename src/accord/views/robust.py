"""The most robust package and the smallest amendments (:mod:`accord.analysis.robust`).

One rule with ``amend`` and ``improve`` (:data:`accord.views.packages.CHANGE_RULE`):
a change is an agreed point of the text that moves to another option; closing
an open point is not a change and is listed apart, in the JSON (``changes``
and ``change_count`` against ``closed``) as in the text.  Probabilities are at
full precision in :func:`to_dict`; :func:`render` rounds them and names every
party, text, point and option by label and id.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from accord.views.chance import NO_TEXTS, must_names
from accord.views.numbers import exact, percent, plural
from accord.views.packages import CHANGE_RULE, changes, closed, positions

if TYPE_CHECKING:
    from rich.console import RenderableType

    from accord.analysis.robust import Amendment, RobustResult
    from accord.views.labels import Labels

__all__ = ["render", "to_dict"]


def _p(value: float) -> float | None:
    return None if math.isnan(value) else exact(value)


def _amendment_dict(amendment: Amendment, labels: Labels) -> dict[str, Any]:
    base = labels.space.texts[amendment.text]
    return {
        "text": labels.text(amendment.text),
        "change_count": len(amendment.changes),
        "changes": changes(labels, base, amendment.package),
        "closed": closed(labels, base, amendment.package),
        "positions": positions(labels, amendment.package),
        "p_all": exact(amendment.p_all),
        "interval": [exact(x) for x in amendment.interval],
        "p_text": _p(amendment.p_text),
        "steps": [{"changes": step.changes, "p_all": exact(step.p_all),
                   "exhaustive": step.exhaustive} for step in amendment.steps],
        "beam": amendment.beam,
    }


def to_dict(result: RobustResult, labels: Labels,
            amendments: Sequence[Amendment] = ()) -> dict[str, Any]:
    """The JSON of ``accord robust``: the package, its probability, the texts, the amendments."""
    space = labels.space
    return {
        "samples": result.samples,
        "seed": result.seed,
        "method": result.method,
        "candidates": result.candidates,
        "evaluated": result.evaluated,
        "package": positions(labels, result.package),
        "p_all": exact(result.p_all),
        "interval": [exact(x) for x in result.interval],
        "texts": {space.text_ids[t]: _p(p) for t, p in enumerate(result.p_texts)},
        "convention": CHANGE_RULE,
        "amendments": [_amendment_dict(a, labels) for a in amendments],
        "estimates": result.estimates,
    }


def _interval(low: float, high: float) -> str:
    return percent(low) if percent(low) == percent(high) else f"{percent(low)}–{percent(high)}"


def render(result: RobustResult, labels: Labels,
           amendments: Sequence[Amendment] = ()) -> RenderableType:
    """The robust package as a table (label and id), the texts on the same samples, amendments."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    space = labels.space
    parts: list[RenderableType] = [Text(
        f"Most robust package: P(all of {must_names(labels)} accept) = {percent(result.p_all)} "
        f"(95% {_interval(*result.interval)}), {plural(result.samples, 'sample')} shared by "
        f"every candidate, seed {result.seed}, "
        f"{plural(result.estimates, 'uncertain estimate')}."),
        Text(f"  Search: {result.method}; candidates: {result.candidates}; "
             f"{plural(result.evaluated, 'package')} evaluated.")]
    table = Table()
    table.add_column("point", overflow="fold")
    table.add_column("option", overflow="fold")
    for i, o in enumerate(result.package):
        table.add_row(labels.issue_named(i), labels.option_named(i, int(o)))
    parts.append(table)
    if space.text_ids:
        texts = "; ".join(f"{labels.text_named(t)} "
                          f"{'(open points)' if math.isnan(p) else percent(p)}"
                          for t, p in enumerate(result.p_texts))
        parts.append(Text(f"  The texts on the same samples: {texts}."))
    else:
        parts.append(Text(f"  {NO_TEXTS}: no text to compare it with."))
    for amendment in amendments:
        before = space.texts[amendment.text]
        n, shut = len(amendment.changes), len(amendment.closed)
        as_it_stands = ("it has open points" if math.isnan(amendment.p_text)
                        else percent(amendment.p_text))
        parts.append(Text(
            f"Smallest amendment of {labels.text_named(amendment.text)}: "
            f"{plural(n, 'agreed point')} changed"
            + (f", closes {plural(shut, 'open point')}" if shut else "")
            + f" → {percent(amendment.p_all)} (95% {_interval(*amendment.interval)}); "
            f"as it stands {as_it_stands}."))
        lines = [f"    {labels.issue_named(i)}: {labels.option_named(i, int(before[i]))} → "
                 f"{labels.option_named(i, int(amendment.package[i]))}"
                 for i in amendment.changes]
        if shut:
            lines.append(f"  closes {plural(shut, 'open point')}:")
            lines += [f"    {labels.issue_named(i)} → "
                      f"{labels.option_named(i, int(amendment.package[i]))}"
                      for i in amendment.closed]
        lines.append(f"  (Rule: {CHANGE_RULE}.)")
        lines.append("  best with k changes: " + ", ".join(
            f"{step.changes}: {percent(step.p_all)}" + ("" if step.exhaustive else " (beam)")
            for step in amendment.steps))
        parts.append(Text("\n".join(lines)))
    return Group(*parts)
