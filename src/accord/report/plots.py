"""The charts behind ``--plot`` on ``evaluate``, ``frontier``, ``solve`` and ``chance``.

Each takes the result the command already computed, so the picture shows
exactly the numbers the command printed; the drawing is the report's (see
:mod:`accord.report.html` and :mod:`accord.report.charts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from accord.report import charts
from accord.report.html import (
    FrontierView,
    chance_result_rows,
    convergence_rows,
    frontier_figure,
    text_order,
    text_parents,
)
from accord.views.labels import Labels

if TYPE_CHECKING:
    from accord.analysis.bargaining import BargainingSolutions
    from accord.analysis.evaluate import TextEvaluation
    from accord.analysis.pareto import ParetoFrontier
    from accord.analysis.uncertainty import ChanceResult
    from accord.model import Scenario
    from accord.space import Space

__all__ = ["chance_plot", "evaluation_plot", "frontier_plot"]


def evaluation_plot(scenario: Scenario, space: Space,
                    evaluations: Sequence[TextEvaluation]) -> Any:
    """Each party's utility interval for the evaluated texts (oldest first), reservations dashed."""
    labels = Labels(scenario, space)
    chosen = {e.text for e in evaluations}
    order = [t for t in text_order(scenario) if t in chosen]
    rows = convergence_rows(space, labels, evaluations, order)
    shown = [space.text_ids[t] for t in order]
    return charts.convergence_chart(
        rows, {labels.party(p): float(space.reservation[p]) for p in range(space.n_parties)},
        parties=list(space.party_ids), texts=shown, parents=text_parents(scenario, shown),
        title="Each party's utility per version (bars: open points; dashed: reservation values)")


def frontier_plot(scenario: Scenario, space: Space, frontier: ParetoFrontier,
                  solutions: BargainingSolutions | None = None) -> Any:
    """The frontier (pairwise projections for more than two parties), the texts, and ``solutions``."""
    if len(frontier.parties) < 2:
        raise ValueError("a frontier plot needs at least two parties")
    context = None
    if len(frontier.parties) == 2 and (frontier.acceptable_only or not frontier.exact):
        # As in the report: the two parties' frontier over every package, for comparison.
        from accord.analysis.pareto import FrontierTooLarge, pareto_frontier

        try:
            context = pareto_frontier(space, frontier.parties, one_per_vector=True)
        except FrontierTooLarge:
            context = None
    view = FrontierView(tuple(frontier.parties), frontier, context, solutions)
    from altair.utils.schemapi import debug_mode

    # Altair validates every object against its schema as it is built, each of the thousands
    # of frontier points included: half the time of a 13,345-package plot.  The builders'
    # fixed shapes are validated by tests/report/test_charts.py instead (as in charts._spec).
    with debug_mode(False):
        return frontier_figure(space, Labels(scenario, space), view)


def chance_plot(scenario: Scenario, space: Space, result: ChanceResult) -> Any:
    """P(accepts) per text and party and P(deal), with 95% intervals."""
    chosen = {c.text for c in result.texts}
    texts = [space.text_ids[t] for t in text_order(scenario) if t in chosen]
    return charts.chances_chart(
        chance_result_rows(space, result), parties=list(space.party_ids), texts=texts,
        title=f"Chance of acceptance under the estimate ranges ({result.samples:,} samples, "
              f"seed {result.seed}; bars: 95% Wilson intervals)")


