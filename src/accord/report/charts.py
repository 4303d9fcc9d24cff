"""Charts of a negotiation, as Vega-Lite specifications built with Vega-Altair.

One chart is one Vega-Lite specification, and it is drawn two ways without a
network: in the HTML report by the Vega runtime inlined into the page (see
:func:`vega_runtime_js`), and as a static PNG or SVG by ``vl-convert``, which
embeds the same JavaScript engine and needs no browser (:func:`save_chart`).
``docs/explanation/charts.md`` explains the choice.

The chart builders take plain data (computed by the helpers in
:mod:`accord.report.data`, or by the analysis modules), so that each chart is a
pure function of numbers and labels:

* :func:`stance_chart` — party × point heatmap of how far a text is from each
  party's best option, red lines marked;
* :func:`convergence_chart` — each party's utility interval across versions,
  with reservation values;
* :func:`frontier_chart` — a two-party Pareto frontier with the texts, the
  bargaining solutions and the acceptable region (:func:`frontier_matrix`:
  pairwise panels of a frontier over more parties);
* :func:`chances_chart`, :func:`tornado_chart` — deal probabilities and what
  moves them;
* :func:`timeline_chart` — dated events (versions, statements, meetings).

Single-view charts use ``autosize = fit`` so that the image is exactly
``width × height`` pixels (times the scale), whatever the labels.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.views.numbers import percent, shown

if TYPE_CHECKING:
    import altair as alt

__all__ = [
    "PARTY_COLOURS",
    "STATIC_FORMATS",
    "chances_chart",
    "chart_to_vega",
    "convergence_chart",
    "frontier_chart",
    "frontier_matrix",
    "frontier_panel",
    "prefetch_runtime",
    "render_chart",
    "save_chart",
    "stance_chart",
    "timeline_chart",
    "tornado_chart",
    "vega_runtime_js",
]

#: The file suffixes :func:`save_chart` can write.
STATIC_FORMATS = (".png", ".svg")

#: One colour per party, in the Space's party order (colour-blind-safe Tableau 10).
PARTY_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                 "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")

#: Marks of the (up to four) bargaining solutions of a frontier chart.
SOLUTION_SHAPES = ("cross", "square", "triangle-up", "diamond")
SOLUTION_COLOURS = ("#000000", "#7b3294", "#c2a5cf", "#e66101")

#: The tornado's two ends (a red line with a probability: absent, then present).
LOW_END = "low end (5th percentile; red line absent)"
HIGH_END = "high end (95th percentile; red line present)"

#: What the stance map's marks mean, under its title (a PNG has no caption).
STANCE_KEY = "✕ red line in the text · ? open point that could close on a red line · grey: open point"

#: Options every chart shares: a plain font (vl-convert has no web fonts offline).
_CONFIG: dict[str, Any] = {
    "font": "sans-serif",
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 12},
    "legend": {"labelFontSize": 11, "titleFontSize": 12},
}


def _alt() -> Any:
    import altair as alt

    return alt


def _finish(chart: alt.TopLevelMixin, width: int, height: int, title: str,
            subtitle: str | None = None) -> alt.TopLevelMixin:
    """Fix the outer size (axes and legends included) and apply the shared look."""
    alt = _alt()
    # Titles start at the left edge: centred over a plot narrowed by its legend, a
    # long title would run off the left of the image.
    heading = (alt.TitleParams(title, anchor="start") if subtitle is None
               else alt.TitleParams(title, anchor="start", subtitle=subtitle))
    return chart.properties(
        width=width, height=height, title=heading,
        autosize={"type": "fit", "contains": "padding"},
    ).configure(**_CONFIG)


def party_scale(parties: Sequence[str]) -> Any:
    alt = _alt()
    colours = [PARTY_COLOURS[k % len(PARTY_COLOURS)] for k in range(len(parties))]
    return alt.Scale(domain=list(parties), range=colours)


# -- chart builders ---------------------------------------------------------------


def stance_chart(cells: Sequence[Mapping[str, Any]], *, parties: Sequence[str],
                 issues: Sequence[str], title: str, width: int = 760,
                 height: int | None = None) -> alt.TopLevelMixin:
    """Heatmap: one cell per (party, point), coloured by distance from the party's best option.

    Each cell mapping has ``party``, ``issue``, ``distance`` (0 = the party's
    best option, 1 = its worst; None for an open point), ``option`` (label),
    ``mark`` ("✕" for a red line in the text, "?" for an open point that could
    close on one, "" otherwise) and ``note`` (tooltip text).
    """
    alt = _alt()
    base = alt.Chart(alt.Data(values=[dict(c) for c in cells])).encode(
        x=alt.X("issue:N", sort=list(issues), title="point",
                axis=alt.Axis(labelAngle=-40, labelLimit=120)),
        y=alt.Y("party:N", sort=list(parties), title=None),
    )
    tooltip = [alt.Tooltip("party:N"), alt.Tooltip("issue:N", title="point"),
               alt.Tooltip("option:N", title="text says"),
               alt.Tooltip("distance:Q", format=".2f", title="distance from best"),
               alt.Tooltip("note:N")]
    resolved = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("distance:Q", title="distance from party's best",
                        scale=alt.Scale(domain=[0, 1], scheme="yelloworangered")),
        tooltip=tooltip,
    ).transform_filter("datum.distance != null")
    open_cells = base.mark_rect(stroke="white", strokeWidth=1, color="#d9d9d9").encode(
        tooltip=tooltip,
    ).transform_filter("datum.distance == null")
    marks = base.mark_text(fontSize=15, fontWeight="bold", color="black").encode(
        text="mark:N", tooltip=tooltip,
    ).transform_filter("datum.mark != ''")
    rows = max(1, len(parties))
    return _finish(alt.layer(resolved, open_cells, marks), width,
                   height or 110 + 38 * rows, title, subtitle=STANCE_KEY)


def convergence_chart(rows: Sequence[Mapping[str, Any]], reservations: Mapping[str, float], *,
                      parties: Sequence[str], texts: Sequence[str], title: str,
                      parents: Mapping[str, str | None] | None = None,
                      width: int = 760, height: int = 360) -> alt.TopLevelMixin:
    """Each party's utility interval per version, joined along the texts' lineage; reservations dashed.

    ``rows``: one mapping per (text, party) with ``text``, ``party``, ``low``,
    ``high``, ``verdict`` ("accepts", "rejects" or "open").  ``parents`` maps a
    text id to the id of the shown text it derives from (None for a root).  The
    lineage is a tree, not a sequence: each line segment joins a party's marker
    on a text to the same party's marker on its parent, so a counter-proposal
    that branches off an early draft is drawn from that draft.  Positions are
    computed here (version index plus a per-party offset) so that lines and
    markers share the same coordinates.
    """
    alt = _alt()
    colour = alt.Color("party:N", scale=party_scale(parties), title="party")
    index = {t: i for i, t in enumerate(texts)}
    slot = {p: k for k, p in enumerate(parties)}
    step = 0.6 / max(1, len(parties))

    def position(text: str, party: str) -> float:
        return index[text] + (slot.get(party, 0) - (len(parties) - 1) / 2) * step

    points = [dict(r, mid=(r["low"] + r["high"]) / 2, x=position(r["text"], r["party"]))
              for r in rows if r["text"] in index]
    at = {(p["text"], p["party"]): p for p in points}
    segments: list[dict[str, Any]] = []
    for p in points:
        parent = (parents or {}).get(p["text"])
        if parent is None or (parent, p["party"]) not in at:
            continue
        q = at[(parent, p["party"])]
        edge = f"{p['party']}: {parent} → {p['text']}"
        for end, point in ((0, q), (1, p)):
            segments.append({"edge": edge, "party": p["party"], "end": end,
                             "x": point["x"], "mid": point["mid"]})
    x = alt.X("x:Q", title="version (oldest first; lines join each text to its parent)",
              scale=alt.Scale(domain=[-0.5, max(0, len(texts) - 1) + 0.5], nice=False, zero=False),
              axis=alt.Axis(values=list(range(len(texts))), grid=False, labelLimit=160,
                            labelExpr=f"{json.dumps(list(texts))}[datum.value] || ''"))
    y = alt.Y("low:Q", title="utility", scale=alt.Scale(domain=[0, 1]))
    data = alt.Data(values=points)
    tooltip = [alt.Tooltip("text:N", title="version"), alt.Tooltip("party:N"),
               alt.Tooltip("low:Q", format=".3f"), alt.Tooltip("high:Q", format=".3f"),
               alt.Tooltip("verdict:N")]
    intervals = alt.Chart(data).mark_rule(strokeWidth=8, opacity=0.45).encode(
        x=x, y=y, y2="high:Q", color=colour, tooltip=tooltip,
    )
    # A complete text has a zero-height interval: the marker keeps it visible.
    markers = alt.Chart(data).mark_point(filled=True, size=45, shape="square", opacity=1).encode(
        x=x, y="mid:Q", color=colour, tooltip=tooltip,
    )
    layers: list[Any] = []
    reservation_rules = alt.Chart(alt.Data(values=[
        {"party": p, "reservation": float(r)} for p, r in reservations.items()
    ])).mark_rule(strokeDash=[6, 4], strokeWidth=1.5).encode(
        y="reservation:Q", color=colour,
        tooltip=[alt.Tooltip("party:N"), alt.Tooltip("reservation:Q", format=".2f")],
    )
    layers.append(reservation_rules)
    # Name each dashed rule: parties with the same reservation value share one rule, and
    # only one colour would show without the name.
    sharing: dict[float, list[str]] = {}
    for p, r in reservations.items():
        sharing.setdefault(float(r), []).append(str(p))
    layers.append(alt.Chart(alt.Data(values=[
        {"reservation": r, "x": -0.5,
         "name": f"{', '.join(who)} reservation {shown(r, 2)}"} for r, who in sharing.items()
    ])).mark_text(align="left", dx=3, dy=-5, fontSize=10, color="#444444").encode(
        x=x, y="reservation:Q", text="name:N"))
    if segments:
        layers.append(alt.Chart(alt.Data(values=segments)).mark_line(
            strokeWidth=1.2, opacity=0.6).encode(
            x=x, y="mid:Q", color=colour, detail="edge:N", order="end:Q",
        ))
    layers += [intervals, markers]
    return _finish(alt.layer(*layers), width, height, title)


def frontier_chart(frontier: Sequence[tuple[float, float]], *, party_a: str, party_b: str,
                   reservation: tuple[float, float],
                   texts: Sequence[Mapping[str, Any]] = (),
                   solutions: Sequence[Mapping[str, Any]] = (),
                   context: Sequence[tuple[float, float]] = (),
                   projected: bool = False,
                   title: str, width: int = 440, height: int = 400) -> alt.TopLevelMixin:
    """Utility of ``party_a`` (x) against ``party_b`` (y): frontier, texts, solutions, acceptable region.

    A finished single chart; :func:`frontier_panel` gives the same drawing
    unfinished, for :func:`frontier_matrix`.
    """
    panel = frontier_panel(frontier, party_a=party_a, party_b=party_b, reservation=reservation,
                           texts=texts, solutions=solutions, context=context, projected=projected)
    return _finish(panel, width, height, title)


def frontier_panel(frontier: Sequence[tuple[float, float]], *, party_a: str, party_b: str,
                   reservation: tuple[float, float],
                   texts: Sequence[Mapping[str, Any]] = (),
                   solutions: Sequence[Mapping[str, Any]] = (),
                   context: Sequence[tuple[float, float]] = (),
                   projected: bool = False,
                   title: str | None = None, width: int | None = None,
                   height: int | None = None) -> alt.LayerChart:
    """The layers of one frontier panel.

    ``frontier``: utility pairs, joined by a step line unless ``projected`` (the
    projection of a frontier over more parties is a cloud, not a curve: dots
    only).  ``context``: a second frontier drawn as a faint grey line (e.g. over
    all packages).  ``texts``: mappings with ``text``, ``x_low``, ``x_high``,
    ``y_low``, ``y_high`` (an interval box for a text with open points, a dot
    otherwise).  ``solutions``: mappings with ``name``, ``x``, ``y``.  The
    region where both parties reach their reservation values is shaded green.
    """
    alt = _alt()
    axis_x = alt.X("x:Q", title=f"utility of {party_a}", scale=alt.Scale(domain=[0, 1]))
    axis_y = alt.Y("y:Q", title=f"utility of {party_b}", scale=alt.Scale(domain=[0, 1]))
    ra, rb = reservation
    region = alt.Chart(alt.Data(values=[{"x": ra, "x2": 1.0, "y": rb, "y2": 1.0}])).mark_rect(
        color="#59a14f", opacity=0.15,
    ).encode(x=axis_x, x2="x2:Q", y=axis_y, y2="y2:Q",
             tooltip=[alt.Tooltip("x:Q", format=".2f", title=f"{party_a} reservation"),
                      alt.Tooltip("y:Q", format=".2f", title=f"{party_b} reservation")])
    layers: list[Any] = [region]
    if context:
        layers.append(alt.Chart(alt.Data(values=[{"x": float(a), "y": float(b)}
                                                 for a, b in sorted(context)])).mark_line(
            color="#9a9a9a", strokeWidth=1, opacity=0.7, interpolate="step-before",
        ).encode(x=axis_x, y=axis_y))
    points = [{"x": float(a), "y": float(b)} for a, b in sorted(frontier)]
    tooltip = [alt.Tooltip("x:Q", format=".3f", title=party_a),
               alt.Tooltip("y:Q", format=".3f", title=party_b)]
    if points and not projected:
        layers.append(alt.Chart(alt.Data(values=points)).mark_line(
            point=alt.OverlayMarkDef(size=22, filled=True), color="#4e79a7",
            interpolate="step-before",
        ).encode(x=axis_x, y=axis_y, tooltip=tooltip))
    elif points:
        layers.append(alt.Chart(alt.Data(values=points)).mark_point(
            size=16, filled=True, color="#4e79a7", opacity=0.6,
        ).encode(x=axis_x, y=axis_y, tooltip=tooltip))
    if texts:
        text_data = alt.Data(values=[dict(t, x=(t["x_low"] + t["x_high"]) / 2,
                                          y=(t["y_low"] + t["y_high"]) / 2) for t in texts])
        text_tooltip = [alt.Tooltip("text:N", title="version"),
                        alt.Tooltip("x_low:Q", format=".3f", title=f"{party_a} low"),
                        alt.Tooltip("x_high:Q", format=".3f", title=f"{party_a} high"),
                        alt.Tooltip("y_low:Q", format=".3f", title=f"{party_b} low"),
                        alt.Tooltip("y_high:Q", format=".3f", title=f"{party_b} high")]
        layers.append(alt.Chart(text_data).mark_rect(
            color="#e15759", opacity=0.18, stroke="#e15759", strokeWidth=1,
        ).encode(x="x_low:Q", x2="x_high:Q", y="y_low:Q", y2="y_high:Q", tooltip=text_tooltip))
        layers.append(alt.Chart(text_data).mark_point(
            shape="diamond", size=70, filled=True, color="#e15759",
        ).encode(x=axis_x, y=axis_y, tooltip=text_tooltip))
        layers.append(alt.Chart(text_data).mark_text(
            align="left", dx=7, dy=-7, fontSize=11, color="#7a1f1f",
        ).encode(x=axis_x, y=axis_y, text="text:N"))
    if solutions:
        # A legend, not text beside the marks: solutions often sit close together.
        names = [str(s["name"]) for s in solutions]
        solution_data = alt.Data(values=[dict(s) for s in solutions])
        solution_tooltip = [alt.Tooltip("name:N", title="solution"),
                            alt.Tooltip("x:Q", format=".3f", title=party_a),
                            alt.Tooltip("y:Q", format=".3f", title=party_b)]
        layers.append(alt.Chart(solution_data).mark_point(
            size=110, filled=True, opacity=0.9, stroke="white", strokeWidth=1,
        ).encode(
            x=axis_x, y=axis_y, tooltip=solution_tooltip,
            shape=alt.Shape("name:N", title="bargaining solution",
                            scale=alt.Scale(domain=names, range=list(SOLUTION_SHAPES[:len(names)]))),
            color=alt.Color("name:N", title="bargaining solution",
                            scale=alt.Scale(domain=names, range=list(SOLUTION_COLOURS[:len(names)])),
                            legend=alt.Legend(orient="bottom", direction="vertical",
                                              labelLimit=400)),
        ))
    panel = alt.layer(*layers)
    properties: dict[str, Any] = {}
    if title is not None:
        properties["title"] = title
    if width is not None:
        properties["width"] = width
    if height is not None:
        properties["height"] = height
    return panel.properties(**properties) if properties else panel


def frontier_matrix(panels: Sequence[Any], *, title: str, columns: int = 3) -> alt.TopLevelMixin:
    """Pairwise frontier panels (from :func:`frontier_panel`, each with its width and height) in a grid."""
    alt = _alt()
    return alt.concat(*panels, columns=columns).properties(title=title).configure(**_CONFIG)


def chances_chart(rows: Sequence[Mapping[str, Any]], *, parties: Sequence[str],
                  texts: Sequence[str], title: str, width: int = 760,
                  height: int = 320) -> alt.TopLevelMixin:
    """Probabilities per version: one bar per party (P(accepts)) and one for the deal, with intervals.

    ``rows``: mappings with ``text``, ``who`` (a party id or "deal"), ``p``, ``low``, ``high``.
    """
    alt = _alt()
    who = [*parties, "deal"]
    colours = [*(PARTY_COLOURS[k % len(PARTY_COLOURS)] for k in range(len(parties))), "#333333"]
    x = alt.X("text:N", sort=list(texts), title="version", axis=alt.Axis(labelAngle=0))
    offset = alt.XOffset("who:N", sort=who)
    tooltip = [alt.Tooltip("text:N", title="version"), alt.Tooltip("who:N"),
               alt.Tooltip("p:Q", format=".3f", title="probability"),
               alt.Tooltip("low:Q", format=".3f", title="95% low"),
               alt.Tooltip("high:Q", format=".3f", title="95% high")]
    data = alt.Data(values=[dict(r) for r in rows])
    bars = alt.Chart(data).mark_bar().encode(
        x=x, xOffset=offset,
        y=alt.Y("p:Q", title="probability", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("who:N", scale=alt.Scale(domain=who, range=colours),
                        title="accepts (deal = all that must)"),
        tooltip=tooltip,
    )
    errors = alt.Chart(data).mark_rule(color="black").encode(
        x=x, xOffset=offset, y="low:Q", y2="high:Q", tooltip=tooltip,
    )
    # Each bar says its number: a 0% bar is otherwise no mark at all, indistinguishable from
    # a party left out, and a printout could not tell 72% from 78%.  Above a low bar, inside a
    # high one (a label above 100% would leave the plot).
    labelled = alt.Data(values=[dict(r, label=percent(r["p"], 0)) for r in rows])
    above = alt.Chart(labelled).mark_text(dy=-7, fontSize=9, color="#333333").encode(
        x=x, xOffset=offset, y="p:Q", text="label:N",
    ).transform_filter("datum.p < 0.9")
    inside = alt.Chart(labelled).mark_text(dy=8, fontSize=9, color="white").encode(
        x=x, xOffset=offset, y="p:Q", text="label:N",
    ).transform_filter("datum.p >= 0.9")
    return _finish(alt.layer(bars, errors, above, inside), width, height, title)


def tornado_chart(rows: Sequence[Mapping[str, Any]], *, base: float, target: str, title: str,
                  width: int = 760, height: int | None = None) -> alt.TopLevelMixin:
    """One bar per estimate from the probability with it pinned low to pinned high; a rule at ``base``.

    ``rows``: mappings with ``estimate`` (label), ``low`` (probability with the
    estimate at its 5th percentile, or a red line absent), ``high`` (95th
    percentile, or present), ``low_setting`` and ``high_setting``; drawn in the
    given order (largest swing first).
    """
    alt = _alt()
    order = [str(r["estimate"]) for r in rows]
    data = alt.Data(values=[dict(r, swing=abs(r["high"] - r["low"])) for r in rows])
    y = alt.Y("estimate:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    x_title = f"P({target})"
    tooltip = [alt.Tooltip("estimate:N"),
               alt.Tooltip("low:Q", format=".3f", title="pinned low"),
               alt.Tooltip("high:Q", format=".3f", title="pinned high"),
               alt.Tooltip("low_setting:Q", format=".3f", title="low value"),
               alt.Tooltip("high_setting:Q", format=".3f", title="high value"),
               alt.Tooltip("swing:Q", format=".3f")]
    bars = alt.Chart(data).mark_rule(strokeWidth=9, color="#a9c2dc").encode(
        x=alt.X("low:Q", title=x_title, scale=alt.Scale(domain=[0, 1])), x2="high:Q", y=y,
        tooltip=tooltip)
    ends = alt.Data(values=[
        {"estimate": str(r["estimate"]), "p": float(r[end]), "value": float(r[f"{end}_setting"]),
         "pinned": LOW_END if end == "low" else HIGH_END}
        for r in rows for end in ("low", "high")])
    marks = alt.Chart(ends).mark_point(filled=True, size=80, opacity=1).encode(
        x="p:Q", y=y,
        color=alt.Color("pinned:N", title="estimate pinned at",
                        scale=alt.Scale(domain=[LOW_END, HIGH_END], range=["#2b5c8a", "#e66101"]),
                        legend=alt.Legend(orient="bottom", labelLimit=400)),
        shape=alt.Shape("pinned:N", scale=alt.Scale(domain=[LOW_END, HIGH_END],
                                                    range=["circle", "square"])),
        tooltip=[alt.Tooltip("estimate:N"), alt.Tooltip("pinned:N"),
                 alt.Tooltip("value:Q", format=".3f", title="pinned value"),
                 alt.Tooltip("p:Q", format=".3f", title=x_title)])
    rule = alt.Chart(alt.Data(values=[{"base": base}])).mark_rule(
        strokeDash=[5, 3], color="black").encode(x="base:Q", tooltip=[
            alt.Tooltip("base:Q", format=".3f", title="every estimate varying")])
    return _finish(alt.layer(bars, rule, marks), width,
                   height or 120 + 26 * max(1, len(rows)), title)


def timeline_chart(events: Sequence[Mapping[str, Any]], *, lanes: Sequence[str], title: str,
                   width: int = 760, height: int | None = None) -> alt.TopLevelMixin:
    """Dated events on lanes: each mapping has ``date`` (ISO), ``lane``, ``kind``, ``label``, ``detail``.

    Events with an ``end`` date are drawn as bars from ``date`` to ``end``.  An
    event with a ``mark`` (a text's id) is labelled with it, so a printout says
    which mark is which.  Events on the same lane and date are spread across the
    lane (``stack``) instead of being drawn on top of each other; one legend
    names the kinds of event (shape and colour share it).
    """
    alt = _alt()
    values = [dict(e, end=e.get("end") or e["date"], mark=e.get("mark") or "",
                   stack=row) for e, row in zip(events, _label_rows(events, width), strict=True)]
    data = alt.Data(values=values)
    y = alt.Y("lane:N", sort=list(lanes), title=None, axis=alt.Axis(labelLimit=160),
              scale=alt.Scale(type="band", paddingInner=0.2))
    stacks = sorted({v["stack"] for v in values})
    offset = alt.YOffset("stack:O", scale=alt.Scale(domain=stacks))
    # Padded so that the first and last marks (and the last one's name) stay inside the plot.
    x = alt.X("date:T", title="date", scale=alt.Scale(padding=70),
              axis=alt.Axis(format="%d %b %Y", labelAngle=0, labelOverlap="greedy",
                            labelSeparation=10))
    tooltip = [alt.Tooltip("date:T", format="%d %b %Y"), alt.Tooltip("lane:N"),
               alt.Tooltip("kind:N"), alt.Tooltip("label:N"), alt.Tooltip("detail:N")]
    kinds = sorted({str(e["kind"]) for e in events})
    shapes = ["diamond", "circle", "square", "triangle-up"][: len(kinds)] or ["circle"]
    colours = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759"][: len(kinds)] or ["#4e79a7"]
    shape = alt.Shape("kind:N", title="event", scale=alt.Scale(domain=kinds, range=shapes))
    colour = alt.Color("kind:N", title="event", scale=alt.Scale(domain=kinds, range=colours))
    spans = alt.Chart(data).mark_rule(strokeWidth=4, opacity=0.4).encode(
        x=x, x2="end:T", y=y, yOffset=offset, tooltip=tooltip,
    )
    dots = alt.Chart(data).mark_point(size=90, filled=True, opacity=0.85).encode(
        x=x, y=y, yOffset=offset, shape=shape, color=colour, tooltip=tooltip,
    )
    names = alt.Chart(data).mark_text(align="left", dx=8, fontSize=11, color="#333333").encode(
        x=x, y=y, yOffset=offset, text="mark:N",
    ).transform_filter("datum.mark != ''")
    rows = max(1, len(lanes)) + max(0, len(stacks) - 1)
    return _finish(alt.layer(spans, dots, names), width, height or 90 + 34 * rows, title)


def _label_rows(events: Sequence[Mapping[str, Any]], width: int) -> list[int]:
    """A row within its lane for each event, so that marks and their names do not overprint.

    An event goes to the first row of its lane where it starts clear of the last
    event's mark and name (the name's width estimated at 6.5 px a character, on
    a plot about ``width − 250`` px wide): same-day events and close versions
    such as plan-28 and geneva-framework, three days apart, take separate rows.
    """
    import datetime as dt

    def day(value: Any) -> float:
        return float(dt.date.fromisoformat(str(value)[:10]).toordinal())

    days = [day(e["date"]) for e in events]
    ends = [day(e.get("end") or e["date"]) for e in events]
    span = max(1.0, max(ends, default=0.0) - min(days, default=0.0))
    per_pixel = span / max(200.0, width - 250.0)
    free: dict[Any, list[float]] = {}    # lane -> the first clear day of each row
    rows = []
    for e, start, end in sorted(zip(events, days, ends, strict=True), key=lambda item: item[1]):
        taken = free.setdefault(e["lane"], [])
        reach = max(end, start + (14 + 6.5 * len(str(e.get("mark") or ""))) * per_pixel)
        row = next((k for k, clear in enumerate(taken) if clear <= start), len(taken))
        if row == len(taken):
            taken.append(reach)
        else:
            taken[row] = reach
        rows.append((id(e), row))
    by_event = dict(rows)
    return [by_event[id(e)] for e in events]


# -- rendering --------------------------------------------------------------------


def chart_to_vega(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """Compile a chart to a Vega specification (so the page needs only the Vega runtime).

    The compiler's JavaScript engine takes about 0.3 s to start in each process, and
    a report draws the same charts each time its scenario is unchanged (``accord
    demo`` always does), so compiled specifications are kept in the user's cache
    folder, keyed by a digest of the Vega-Lite specification and the compiler's
    versions; a specification compiles the same way every time, so a cached one is
    the same answer.  The cache is only an accelerator: a missing, damaged or
    unwritable entry means compiling again.
    """
    return _compiled(_spec(chart))


#: Compiled specifications kept in the cache folder; the oldest beyond this are removed.
_VEGA_CACHE_ENTRIES = 256
#: A cached specification larger than this is not ours (the flagship's largest is ~0.2 MB).
_VEGA_CACHE_BYTES = 64 * 1024 * 1024


def _compiled(spec: dict[str, Any]) -> dict[str, Any]:
    import hashlib

    import vl_convert

    from accord.errors import ScenarioError
    from accord.io.files import read_text, write_atomic

    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    versions = f"{getattr(vl_convert, '__version__', '')} {_compiler_versions()}"
    digest = hashlib.sha256(f"{versions}\n{text}".encode()).hexdigest()[:40]
    folder = _cache_dir() / "vega"
    entry = folder / f"{digest}.json"
    try:
        cached = json.loads(read_text(entry, what="a cached chart", limit=_VEGA_CACHE_BYTES))
        if isinstance(cached, dict):
            return cached
    except (ScenarioError, ValueError):
        pass  # not there yet, or damaged: compile again
    compiled: dict[str, Any] = vl_convert.vegalite_to_vega(spec)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(entry, json.dumps(compiled, ensure_ascii=False), force=True,
                     what="a cached chart")
        _prune(folder)
    except (OSError, ScenarioError):
        pass  # the cache is only an accelerator
    return compiled


def _prune(folder: Path) -> None:
    """Keep the :data:`_VEGA_CACHE_ENTRIES` most recently written entries."""
    entries = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime)
    for old in entries[:-_VEGA_CACHE_ENTRIES]:
        old.unlink(missing_ok=True)


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    # Altair's JSON-Schema validation costs ~0.1 s per chart; the builders here produce
    # fixed shapes that the test suite validates once (tests/report/test_charts.py).
    # User text is escaped: vl-convert aborts the whole process on a control code in
    # an SVG text and refuses a lone surrogate.
    return _printable_strings(chart.to_dict(validate=False))


def _printable_strings(value: Any) -> Any:
    from accord.views.safe import printable

    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {_printable_strings(k): _printable_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable_strings(v) for v in value]
    return value


def render_chart(chart: alt.TopLevelMixin, fmt: str, *, scale: float = 1.0) -> bytes:
    """The chart as PNG or SVG bytes, drawn by vl-convert (no browser, no network)."""
    import vl_convert

    spec = _spec(chart)
    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, scale=scale)
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec).encode("utf-8")
    raise ValueError(f"unknown image format {fmt!r}; expected png or svg")


def save_chart(chart: alt.TopLevelMixin, path: str | os.PathLike[str], *, force: bool = False,
               scale: float = 1.0) -> Path:
    """Write ``chart`` to ``path`` (``.png`` or ``.svg``), atomically; refuse to overwrite without ``force``.

    Raises:
        ValueError: the suffix is not one of :data:`STATIC_FORMATS`.
        FileExistsError: ``path`` exists and ``force`` is False.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in STATIC_FORMATS:
        raise ValueError(f"{target}: a chart can be saved as .png or .svg, not {suffix or 'no suffix'!r}")
    from accord.io.files import check_destination, write_atomic

    check_destination(target, force=force, what="the chart")  # before the (slow) rendering
    write_atomic(target, render_chart(chart, suffix[1:], scale=scale), force=force, what="the chart")
    return target


def write_bytes_atomic(target: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Deprecated: :func:`accord.io.files.write_atomic` (``overwrite`` is ``force``)."""
    from accord.io.files import write_atomic

    write_atomic(target, data, force=overwrite, what="the chart")


_RUNTIME_LOCK = threading.Lock()
#: The cached runtime is about 0.9 MB; a larger cache file is not ours and is rebuilt over.
_RUNTIME_CACHE_BYTES = 16 * 1024 * 1024
_runtime: str | None = None


def vega_runtime_js() -> str:
    """Vega, Vega-Lite and vega-embed as one script (about 0.9 MB), from vl-convert's bundler.

    The page calls ``vegaEmbed`` with Vega specifications compiled in Python
    (:func:`chart_to_vega`), with the action menu (and so its links to the
    online editor) switched off.  Bundling takes about a second, so the result
    is kept in the user's cache directory (``$XDG_CACHE_HOME/accord``), keyed by
    the library versions; the cache is only an accelerator and is skipped when
    it cannot be written.  Thread-safe: a call while :func:`prefetch_runtime`'s
    thread is bundling waits for it instead of bundling twice.
    """
    global _runtime
    with _RUNTIME_LOCK:
        if _runtime is None:
            _runtime = _load_or_build_runtime()
        return _runtime


def prefetch_runtime() -> threading.Thread | None:
    """Start bundling the runtime in a background thread when it is not cached yet.

    vl-convert bundles in native code without holding the GIL, so the bundle
    (about a second, on a first run only) is built while the report computes
    its analyses, instead of after them.  Returns the thread, or None when
    there is nothing to do.
    """
    if _runtime is not None or _runtime_cache_file().is_file():
        return None
    thread = threading.Thread(target=vega_runtime_js, name="accord-vega-bundle", daemon=True)
    thread.start()
    return thread


def _compiler_versions() -> str:
    import vl_convert

    return (f"vega-{vl_convert.get_vega_version()}-embed-{vl_convert.get_vega_embed_version()}"
            f"-vl-{vl_convert.get_vegalite_versions()[-1]}")


def _runtime_cache_file() -> Path:
    return _cache_dir() / f"{_compiler_versions()}.js"


def _load_or_build_runtime() -> str:
    import vl_convert

    from accord.errors import ScenarioError
    from accord.io.files import read_text, write_atomic

    cache = _runtime_cache_file()
    try:
        return read_text(cache, what="the cached Vega runtime", limit=_RUNTIME_CACHE_BYTES)
    except ScenarioError:
        pass  # not there yet, or damaged: build it again
    bundle: str = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # snippet is optional
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache, bundle, force=True, what="the cached Vega runtime")
    except (OSError, ScenarioError):
        pass  # the cache is only an accelerator
    return bundle


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "accord"
