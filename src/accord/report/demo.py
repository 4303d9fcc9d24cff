"""The demo's deal-chances section, read from the report's :class:`~accord.report.data.ReportData`.

``accord demo`` prints the deal chances, what they hinge on and the most robust
package, then writes the report that shows the same.  Both read one
:class:`ReportData`, so the samples are drawn once and the terminal and the
report print the same numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.views.numbers import percent, plural, sampled

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from accord.model import Scenario
    from accord.report.data import ReportData
    from accord.space import Space

__all__ = ["chances_section"]


def chances_section(path: Path, scenario: Scenario, space: Space, out: Console, *,
                    data: ReportData) -> None:
    """`accord demo`: deal probabilities, the three estimates they hinge on, the most robust package.

    ``path``, ``scenario`` and ``space`` are those of the demo's other sections;
    every number comes from ``data`` (computed there once, and reused by the report).
    """
    from accord.views.chance import render as render_chances
    from accord.views.sensitivity import hinges

    chances = data.chances
    if chances is None or not chances.estimates:
        return
    labels = data.labels
    out.rule("How likely is a deal (uncertain estimates sampled)")
    out.print(render_chances(chances, labels))
    ranked = data.tornado
    if ranked is not None:
        out.print(f"  With each estimate pinned low and high ({plural(ranked.samples, 'sample')} "
                  "per run), the deal probabilities hinge most on:")
        for line in hinges(ranked, labels):
            out.print(f"    {line}")
    best = data.robust
    if best is not None:
        lo, hi = best.interval
        out.print(f"  The most robust package found is accepted by every must-accept party with "
                  f"P = {sampled(best.p_all, best.samples)} (95% {percent(lo)}–{percent(hi)}; "
                  f"{best.method}); `accord robust --text ID` finds the smallest amendment "
                  "reaching it.")
    out.print("  (point analyses above use each range's mean; `accord sensitivity` ranks them all)")
