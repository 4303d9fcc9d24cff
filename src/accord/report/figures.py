"""The report's charts by kind: the numbers of :mod:`accord.report.data`, drawn by
:mod:`accord.report.charts`."""

from __future__ import annotations

from typing import Any

from accord.analysis.evaluate import utility_bounds
from accord.model import Scenario
from accord.report import charts
from accord.report.data import (
    CHANCE_SAMPLES,
    CHANCE_SEED,
    TORNADO_SAMPLES,
    FrontierView,
    ReportData,
    ReportOptions,
    chance_rows,
    convergence_rows,
    default_text,
    frontier_parties,
    frontier_view,
    sensitivity_rows,
    solution_points,
    stance_cells,
    text_parents,
    timeline_events,
)
from accord.space import Space
from accord.views.labels import Labels

__all__ = ["CHART_KINDS", "chart_for", "frontier_chart", "frontier_figure"]

#: The charts :func:`chart_for` can draw (also the ``accord chart`` kinds).
CHART_KINDS = ("stance", "convergence", "frontier", "versions", "events", "chances", "sensitivity")


def chart_for(kind: str, scenario: Scenario, space: Space, *, options: ReportOptions | None = None,
              pair: tuple[int, int] | None = None, data: ReportData | None = None) -> Any:
    """One of the report's charts (an Altair chart), by kind: see :data:`CHART_KINDS`.

    ``data``, when given, is the report's :class:`~accord.report.data.ReportData`,
    whose results the chart reuses instead of computing them again.

    Raises:
        ValueError: an unknown kind, a chart the scenario has no data for, or a
            frontier too large for the report's two-party computation.
    """
    options = options or ReportOptions()
    data = data or ReportData(scenario, space, options)
    labels = data.labels
    parties = list(space.party_ids)
    if kind == "stance":
        t = options.text if options.text is not None else default_text(scenario)
        if t is None:
            raise ValueError("the scenario has no texts, so there is no stance map to draw")
        return charts.stance_chart(
            stance_cells(space, labels, space.texts[t]), parties=parties,
            issues=list(space.issue_ids),
            title=f"How far “{labels.text_title(t)}” is from each party's best option")
    if kind == "convergence":
        if not space.text_ids:
            raise ValueError("the scenario has no texts, so there is no convergence to draw")
        order = data.order
        rows = convergence_rows(space, labels, data.evaluations, order)
        shown = [space.text_ids[t] for t in order]
        return charts.convergence_chart(
            rows, {labels.party(p): float(space.reservation[p]) for p in range(space.n_parties)},
            parties=parties, texts=shown, parents=text_parents(scenario, shown),
            title="Each party's utility across the versions (dashed: reservation values)")
    if kind == "frontier":
        chosen = list(pair) if pair else frontier_parties(space, options.parties)
        if len(chosen) < 2:
            raise ValueError("a frontier needs two parties with preferences")
        return frontier_figure(space, labels, frontier_view(space, chosen))
    if kind in ("versions", "events"):
        events = timeline_events(scenario)
        if kind == "versions":
            events = [e for e in events if e["kind"] == "version"]
        if not events:
            raise ValueError(f"the scenario has no dated {'texts' if kind == 'versions' else 'events'}")
        lanes = list(dict.fromkeys(e["lane"] for e in events))
        return charts.timeline_chart(
            events, lanes=lanes,
            title="Versions of the text" if kind == "versions"
            else "Versions, meetings and public statements")
    if kind == "chances":
        chances = chance_rows(scenario, space, data=data)
        if chances is None:
            raise ValueError("the scenario has no uncertain estimates (ranges), so no deal chances")
        return charts.chances_chart(
            chances, parties=parties, texts=[space.text_ids[t] for t in data.order],
            title=f"Chance of acceptance under the estimate ranges ({CHANCE_SAMPLES:,} samples, "
                  f"seed {CHANCE_SEED}; bars: 95% Wilson intervals)")
    if kind == "sensitivity":
        found = sensitivity_rows(scenario, space, data=data)
        if found is None:
            raise ValueError("the scenario has no uncertain estimates (ranges), so no sensitivity")
        target, base, rows = found
        return charts.tornado_chart(
            rows, base=base, target=target,
            title=f"What moves P({target}) ({TORNADO_SAMPLES} samples per bar end, "
                  f"seed {CHANCE_SEED})")
    raise ValueError(f"unknown chart {kind!r}; expected one of {', '.join(CHART_KINDS)}")


def frontier_figure(space: Space, labels: Labels, view: FrontierView) -> Any:
    """One chart of ``view``: a single panel for two parties, else a grid of pairwise projections."""
    pairs = view.pairs()
    if len(pairs) == 1:
        return frontier_chart(space, labels, view, *pairs[0])
    names = ", ".join(labels.party(p) for p in view.parties)
    return charts.frontier_matrix(
        [frontier_chart(space, labels, view, a, b, finished=False) for a, b in pairs],
        columns=min(3, len(pairs)),
        title=f"Pareto frontier over {names}, projected onto each pair of parties")


def frontier_chart(space: Space, labels: Labels, view: FrontierView, a: int, b: int, *,
                    finished: bool = True) -> Any:
    reservation = (float(space.reservation[a]), float(space.reservation[b]))
    texts = []
    for t in range(len(space.text_ids)):
        low, high = utility_bounds(space, space.texts[t])
        texts.append({"text": labels.text(t), "x_low": float(low[a]), "x_high": float(high[a]),
                      "y_low": float(low[b]), "y_high": float(high[b])})
    ka, kb = view.parties.index(a), view.parties.index(b)
    frontier = [(float(x), float(y)) for x, y in view.frontier.utilities[:, [ka, kb]].tolist()]
    context = ([] if view.context is None else
               [(float(x), float(y)) for x, y in view.context.utilities.tolist()])
    projected = len(view.parties) > 2
    arguments: dict[str, Any] = dict(
        party_a=labels.party(a), party_b=labels.party(b), reservation=reservation, texts=texts,
        solutions=solution_points(view, a, b), context=context, projected=projected)
    title = (f"{labels.party_name(a)} and {labels.party_name(b)}" if projected else
             f"Pareto frontier: {labels.party_name(a)} and {labels.party_name(b)}")
    if finished:
        return charts.frontier_chart(frontier, title=title, **arguments)
    return charts.frontier_panel(frontier, title=title, width=300, height=280, **arguments)

