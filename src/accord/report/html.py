"""A self-contained HTML report of a negotiation: one file, no network, readable and printable.

:func:`build_report` turns a scenario and its compiled Space into one HTML
document: styles inline, the Vega runtime inline (from ``vl-convert``), every
chart as an inline Vega specification with its data.  The page makes no
request of any kind, so it can be mailed around and opened offline.

The report is made of small modules by topic: :mod:`accord.report.data` (the
numbers behind the charts, pure over the Space), :mod:`accord.report.figures`
(the charts by kind), one module per group of sections
(:mod:`~accord.report.versions`, :mod:`~accord.report.bargaining`,
:mod:`~accord.report.chances`, :mod:`~accord.report.forecast`,
:mod:`~accord.report.events`), :mod:`accord.report.page` (the document) and
:mod:`accord.report.style` (its CSS and script).  This module assembles them and
keeps the names callers import from it.
"""

from __future__ import annotations

from accord.model import Scenario
from accord.report import charts
from accord.report.bargaining import amendment_section, frontier_section
from accord.report.chances import chances_section
from accord.report.data import (
    CHANCE_SAMPLES,
    CHANCE_SEED,
    MAX_FRONTIER_PANEL_PARTIES,
    ROBUST_SAMPLES,
    SOBOL_BASE_SAMPLES,
    TORNADO_SAMPLES,
    FrontierView,
    ReportData,
    ReportOptions,
    chance_result_rows,
    chance_rows,
    convergence_rows,
    default_text,
    frontier_description,
    frontier_pairs,
    frontier_parties,
    frontier_view,
    sensitivity_rows,
    solution_points,
    stance_cells,
    text_order,
    text_parents,
    timeline_events,
)
from accord.report.events import events_section, footer
from accord.report.events import (  # noqa: F401  (its former name; tests/evidence use it)
    statement_timeline as _statement_timeline,
)
from accord.report.figures import CHART_KINDS, chart_for, frontier_figure
from accord.report.forecast import forecast_section
from accord.report.page import Page
from accord.report.versions import (
    convergence_section,
    overview_section,
    stance_section,
    versions_section,
)
from accord.space import Space

__all__ = [
    "CHANCE_SAMPLES",
    "CHANCE_SEED",
    "CHART_KINDS",
    "MAX_FRONTIER_PANEL_PARTIES",
    "ROBUST_SAMPLES",
    "SOBOL_BASE_SAMPLES",
    "TORNADO_SAMPLES",
    "FrontierView",
    "ReportData",
    "ReportOptions",
    "build_report",
    "chance_result_rows",
    "chance_rows",
    "chart_for",
    "convergence_rows",
    "default_text",
    "frontier_description",
    "frontier_figure",
    "frontier_pairs",
    "frontier_parties",
    "frontier_view",
    "sensitivity_rows",
    "solution_points",
    "stance_cells",
    "text_order",
    "text_parents",
    "timeline_events",
]


def build_report(scenario: Scenario, space: Space, options: ReportOptions | None = None, *,
                 data: ReportData | None = None) -> str:
    """The whole report as one HTML string.

    ``data``, when given, is a :class:`~accord.report.data.ReportData` of the same
    scenario and Space, whose results (and options) the report reuses instead of
    computing them again; ``options`` is then not read.
    """
    # On a first run the chart runtime is bundled while the analyses below run.
    charts.prefetch_runtime()
    data = data or ReportData(scenario, space, options)
    page = Page()
    page.add(overview_section(data))
    page.add(versions_section(data, page))
    page.add(stance_section(data, page))
    page.add(convergence_section(data, page))
    page.add(frontier_section(data, page))
    page.add(amendment_section(data))
    page.add(chances_section(data, page))
    page.add(forecast_section(scenario, space, data.labels, page))
    page.add(events_section(data, page))
    return page.render(scenario, footer(data))
