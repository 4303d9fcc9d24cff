"""The forecast in the report: where each point may land, next to the texts; the backtest chart.

Self-contained so that :mod:`accord.report.html` only calls
:func:`forecast_section`.  The charts use the report's chart machinery
(:mod:`accord.report.charts`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from accord.report import charts
from accord.report.fragments import escape as _e
from accord.views.numbers import percent, shown

if TYPE_CHECKING:
    from accord.forecast.backtest import BacktestResult
    from accord.forecast.negotiation import ScenarioForecast
    from accord.model import Scenario
    from accord.space import Space
    from accord.views.labels import Labels

__all__ = ["backtest_chart", "forecast_chart", "forecast_section"]

#: Draws behind the report's spread (the SMP reruns on at most 100 of them).
REPORT_SAMPLES = 1000
_MODEL_COLOURS = {"compromise": "#4e79a7", "median": "#f28e2b", "nash": "#59a14f", "smp": "#e15759"}


def forecast_chart(result: ScenarioForecast, labels: Labels) -> Any:
    """Each point's 0–100 line: its options (grey ticks), the texts' options and each model's forecast."""
    alt = charts._alt()
    titles = {i.id: i.title for i in labels.scenario.issues}
    order = [titles[i] for i in result.option_positions]
    option_rows = [{"point": titles[i], "position": p, "option": o}
                   for i, table in result.option_positions.items() for o, p in table.items()]
    rows, spread_rows = [], []
    for m in result.models:
        for f in m.issues:
            if f.position is None:
                continue
            rows.append({"point": titles[f.issue], "model": m.model, "position": f.position,
                         "option": f.nearest_option})
            if f.spread is not None:
                spread_rows.append({"point": titles[f.issue], "model": m.model,
                                    "low": f.spread[0], "high": f.spread[1]})
    models = [m.model for m in result.models]
    colour = alt.Color("model:N", scale=alt.Scale(domain=models,
                                                   range=[_MODEL_COLOURS[m] for m in models]),
                       title="model")
    y = alt.Y("point:N", sort=order, title=None)
    x_scale = alt.Scale(domain=[0, 100])
    ticks = alt.Chart(alt.Data(values=option_rows)).mark_tick(color="#9aa3ad", thickness=2).encode(
        x=alt.X("position:Q", scale=x_scale,
                title="position on the point's line (0 = first option, 100 = last)"),
        y=y, tooltip=["option:N", alt.Tooltip("position:Q", format=".0f")])
    offset = alt.YOffset("model:N", sort=models)
    spread = alt.Chart(alt.Data(values=spread_rows)).mark_rule(strokeWidth=2, opacity=0.6).encode(
        x=alt.X("low:Q", scale=x_scale), x2="high:Q", y=y, yOffset=offset, color=colour,
        tooltip=["model:N", alt.Tooltip("low:Q", format=".1f", title="5%"),
                 alt.Tooltip("high:Q", format=".1f", title="95%")])
    points = alt.Chart(alt.Data(values=rows)).mark_point(filled=True, size=60).encode(
        x=alt.X("position:Q", scale=x_scale), y=y, yOffset=offset, color=colour,
        tooltip=["model:N", alt.Tooltip("position:Q", format=".1f"), "option:N"])
    height = 34 * len(order) + 40
    return charts._finish(alt.layer(ticks, spread, points), 760, height,
                          "Forecast per point (dots; lines: 5th–95th percentile over the estimate "
                          "ranges; grey ticks: the options)")


def backtest_chart(result: BacktestResult) -> Any:
    """Out-of-sample MAE by model (dots, one row each), the baseline's MAE plus the bootstrap
    interval of the model's difference from it (lines), the baseline and the goal."""
    from accord.views.forecast import GOAL_MAE

    alt = charts._alt()
    base = result.score("compromise").mae
    rows = [{"model": s.model, "label": s.label, "mae": s.mae,
             "low": base + s.interval[0], "high": base + s.interval[1]} for s in result.scores]
    order = [s.model for s in result.scores]
    low = min([GOAL_MAE, *(base + s.interval[0] for s in result.scores)]) - 1.0
    high = max(base + s.interval[1] for s in result.scores) + 1.0
    y = alt.Y("model:N", sort=order, title=None)
    scale = alt.Scale(domain=[float(np.floor(low)), float(np.ceil(high))], zero=False)
    x = alt.X("mae:Q", title="mean absolute error, out of sample (0–100 scale)", scale=scale)
    tooltip = ["label:N", alt.Tooltip("mae:Q", format=".2f"),
               alt.Tooltip("low:Q", format=".2f", title="95% low"),
               alt.Tooltip("high:Q", format=".2f", title="95% high")]
    data = alt.Data(values=rows)
    intervals = alt.Chart(data).mark_rule(color="#4e79a7", strokeWidth=2).encode(
        y=y, x=alt.X("low:Q", scale=scale), x2="high:Q", tooltip=tooltip)
    points = alt.Chart(data).mark_point(filled=True, size=90, color="#4e79a7").encode(
        y=y, x=x, tooltip=tooltip)
    lines = alt.Chart(alt.Data(values=[{"x": base, "what": f"compromise model {shown(base, 2)}"},
                                       {"x": GOAL_MAE, "what": f"goal {GOAL_MAE:g}"}])).mark_rule(
        strokeDash=[4, 3]).encode(x=alt.X("x:Q", scale=scale), color=alt.Color(
            "what:N", title=None, scale=alt.Scale(range=["#333333", "#b3261e"])))
    return charts._finish(alt.layer(lines, intervals, points), 640, 26 * len(order) + 40,
                          f"DEU III: out-of-sample error by model ({result.n_issues} issues, "
                          f"{result.folds}-fold CV)")


def forecast_section(scenario: Scenario, space: Space, labels: Labels, page: Any) -> str:
    """The report's forecast section (a note instead when the scenario cannot be forecast)."""
    from accord.errors import AnalysisError
    from accord.forecast.negotiation import FORECAST_MODELS, forecast_scenario

    head = '<section id="forecast"><h2>Forecast: where each point may land</h2>'
    if space.n_parties == 0:
        return head + "<p>No party has preferences to forecast from.</p></section>"
    from accord.forecast.smp import MAX_ACTORS, MIN_ACTORS

    models = [m for m in FORECAST_MODELS
              if m != "smp" or MIN_ACTORS <= space.n_parties <= MAX_ACTORS]
    try:
        result = forecast_scenario(scenario, space, models=models, samples=REPORT_SAMPLES)
    except AnalysisError as error:
        return head + f"<p class=note>Not forecast: {_e(error)}.</p></section>"
    figure = page.chart("forecast", forecast_chart(result, labels),
                        "Each point's options lie on a 0–100 line in option order (or at their "
                        "<code>position</code>); a party's position is its best option, its "
                        "salience its weight. Dots: each model's forecast; lines: its spread over "
                        "the estimate ranges.")
    parts = [head, _capabilities_table(result, labels), figure, _points_table(result, labels),
             _texts_table(result)]
    parts.append("<p class=small>Models: the compromise model (capability × salience weighted "
                 "mean), the weighted median, Achen's Nash bargaining solution and KTAB's Spatial "
                 "Model of Politics (default parameters; the forecast is its last state's expected "
                 "outcome). <code>accord forecast</code> prints the same numbers, and the SMP's "
                 "trajectories with <code>--json</code> or <code>--trajectories</code>. On 353 EU "
                 "decisions (DEU III) none of them beat the compromise model by a clear margin; "
                 "see docs/explanation/forecast.md.</p></section>")
    return "".join(parts)


def _capabilities_table(result: ScenarioForecast, labels: Labels) -> str:
    names = {p.id: p.name for p in labels.scenario.parties}
    total = sum(result.capabilities.values()) or 1.0
    rows = "".join(
        f"<tr><td>{_e(names.get(p, p))}</td><td class=num>{shown(c, 1)}</td>"
        f"<td class=num>{percent(c / total, 0)}</td>"
        f"<td>{_e(result.capability_basis.get(p, ''))}</td></tr>"
        for p, c in result.capabilities.items())
    note = ("<p class=note>No party has a capability in the file: every party weighs the "
            "same.</p>" if result.equal_capabilities else "")
    return (f"<h3>Capabilities (estimates)</h3>{note}<table><thead><tr><th>party</th>"
            "<th>capability</th><th>share</th><th>basis</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _points_table(result: ScenarioForecast, labels: Labels) -> str:
    scenario = labels.scenario
    titles = {i.id: i.title for i in scenario.issues}
    option_labels = {(i.id, o.id): o.label for i in scenario.issues for o in i.options}
    head = "".join(f"<th>{_e(m.model)}</th>" for m in result.models)
    first = result.models[0]
    body = []
    for k, f in enumerate(first.issues):
        cells = []
        for m in result.models:
            g = m.issues[k]
            value = shown(g.position, 0)
            if g.spread is not None:
                value += f" <span class=small>({shown(g.spread[0], 0)}–{shown(g.spread[1], 0)})</span>"
            cells.append(f"<td class=num>{value}</td>")
        nearest = option_labels.get((f.issue, f.nearest_option or ""), "—")
        texts = "; ".join(
            f"{_e(t.text)}: {shown(t.distance, 0)}" for t in f.texts if t.distance is not None) or "—"
        body.append(f"<tr><td>{_e(titles.get(f.issue, f.issue))}</td>{''.join(cells)}"
                    f"<td>{_e(nearest)}</td><td>{_e(f.closest_text or '—')}</td>"
                    f"<td class=small>{texts}</td></tr>")
    return ("<h3>Point by point</h3><table><thead><tr><th>point</th>" + head
            + f"<th>option nearest the {_e(first.model)} forecast</th><th>closest text</th>"
            "<th>distance of each text's option</th></tr></thead><tbody>"
            + "".join(body) + "</tbody></table>")


def _texts_table(result: ScenarioForecast) -> str:
    if not result.models or not result.models[0].text_mean_distance:
        return ""
    head = "".join(f"<th>{_e(m.model)}</th>" for m in result.models)
    rows = []
    for text_id in result.models[0].text_mean_distance:
        cells = "".join(
            "<td class=num>—</td>" if m.text_mean_distance[text_id] is None
            else f"<td class=num>{shown(m.text_mean_distance[text_id], 1)}</td>" for m in result.models)
        rows.append(f"<tr><td>{_e(text_id)}</td>{cells}</tr>")
    closest = "".join(f"<td><b>{_e(m.closest_text or '—')}</b></td>" for m in result.models)
    return ("<h3>Which version the forecast sits closest to</h3><p class=small>Mean distance on "
            "the 0–100 lines between each text's option and the forecast, over the points the text "
            "settles.</p><table><thead><tr><th>text</th>" + head + "</tr></thead><tbody>"
            + "".join(rows) + f"<tr><td><b>closest</b></td>{closest}</tr></tbody></table>")
