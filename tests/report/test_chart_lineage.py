"""The convergence chart draws the texts' lineage as a tree through its markers; the versions
timeline keeps same-day versions apart, has one legend and names every mark (issue 11, defect 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.io.scenario_file import load
from accord.report.charts import chart_to_vega
from accord.report.html import chart_for
from accord.space import compile_scenario


@pytest.fixture(scope="module")
def flagship(peace_plan_path: Path):  # type: ignore[no-untyped-def]
    scenario = load(peace_plan_path)
    return scenario, compile_scenario(scenario)


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["layer"]


def _values(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    """A layer's data rows, whether inline or shared at the top of the specification."""
    data = layer.get("data") or spec.get("data")
    if "values" in data:
        return data["values"]
    return spec["datasets"][data["name"]]


def _mark(layer: dict[str, Any]) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def test_convergence_lines_pass_through_the_markers(flagship) -> None:  # type: ignore[no-untyped-def]
    spec = chart_for("convergence", *flagship).to_dict(validate=False)
    lines = [la for la in _layers(spec) if _mark(la) == "line"]
    markers = [la for la in _layers(spec) if _mark(la) == "point"]
    assert len(lines) == 1 and len(markers) == 1
    # Both layers are drawn on the same encoding of position: x and y fields.
    for layer in (*lines, *markers):
        assert layer["encoding"]["x"]["field"] == "x"
        assert layer["encoding"]["y"]["field"] == "mid"
    marker_points = {(m["party"], round(m["x"], 9), round(m["mid"], 9))
                     for m in _values(spec, markers[0])}
    line_points = _values(spec, lines[0])
    assert line_points
    for point in line_points:
        assert (point["party"], round(point["x"], 9), round(point["mid"], 9)) in marker_points


def test_convergence_edges_are_the_parent_links(flagship) -> None:  # type: ignore[no-untyped-def]
    scenario, space = flagship
    spec = chart_for("convergence", scenario, space).to_dict(validate=False)
    line = next(la for la in _layers(spec) if _mark(la) == "line")
    positions = {(m["text"], m["party"]): m["x"]
                 for la in _layers(spec) if _mark(la) == "point" for m in _values(spec, la)}
    by_edge: dict[str, list[dict[str, Any]]] = {}
    for point in _values(spec, line):
        by_edge.setdefault(point["edge"], []).append(point)
    edges = set()
    for points in by_edge.values():
        assert len(points) == 2  # a segment, not a polyline through every version
        ends = sorted(points, key=lambda p: p["end"])
        texts = [t for (t, party), x in positions.items()
                 for p in ends if party == p["party"] and x == p["x"]]
        edges.add((texts[0], texts[1]))
    expected = {(t.parent, t.id) for t in scenario.texts if t.parent is not None}
    assert edges == expected
    # The flagship's counter-proposal branches off the first draft, not off the one before it.
    assert ("plan-28", "e3-counter") in expected


def test_versions_timeline_separates_same_day_versions_and_has_one_legend(flagship) -> None:  # type: ignore[no-untyped-def]
    scenario, space = flagship
    chart = chart_for("versions", scenario, space)
    spec = chart.to_dict(validate=False)
    dots = next(la for la in _layers(spec) if _mark(la) == "point")
    values = _values(spec, dots)
    seen = {(v["date"], v["stack"]) for v in values}
    assert len(seen) == len(values)  # no two marks share a date and a place in the lane
    vega = chart_to_vega(chart)
    assert len(vega.get("legends", [])) == 1


def test_versions_timeline_labels_each_mark_with_its_text_id(flagship) -> None:  # type: ignore[no-untyped-def]
    scenario, space = flagship
    spec = chart_for("versions", scenario, space).to_dict(validate=False)
    labels = [la for la in _layers(spec) if _mark(la) == "text"]
    assert len(labels) == 1
    shown = sorted(v["mark"] for v in _values(spec, labels[0]) if v["mark"])
    dated = sorted(t.id for t in scenario.texts if t.date is not None)
    assert shown == dated


def test_versions_close_together_take_separate_rows(flagship) -> None:  # type: ignore[no-untyped-def]
    # plan-28 (20 Nov) and geneva-framework (23 Nov) are three days apart on a five-week
    # axis: on one row their names overprinted ("plan-2geneva-framework").
    scenario, space = flagship
    spec = chart_for("versions", scenario, space).to_dict(validate=False)
    dots = next(la for la in _layers(spec) if _mark(la) == "point")
    row = {v["mark"]: v["stack"] for v in _values(spec, dots)}
    dates = {t.id: t.date for t in scenario.texts}
    assert (dates["geneva-framework"] - dates["plan-28"]).days == 3
    assert row["plan-28"] != row["geneva-framework"] != row["e3-counter"] != row["plan-28"]
    assert row["plan-20"] == 0   # five weeks later: room on the first row


def test_every_chance_bar_says_its_number_even_zero(flagship) -> None:  # type: ignore[no-untyped-def]
    from accord.report.data import chance_rows
    from accord.views.numbers import percent

    scenario, space = flagship
    spec = chart_for("chances", scenario, space).to_dict(validate=False)
    texts = [la for la in _layers(spec) if _mark(la) == "text"]
    labelled = [v for la in texts for v in _values(spec, la)]
    rows = chance_rows(scenario, space)
    assert rows is not None and any(r["p"] == 0.0 for r in rows)
    # Each (text, who) bar is in the label data with its own percentage.
    by_bar = {(v["text"], v["who"]): v["label"] for v in labelled}
    assert by_bar == {(r["text"], r["who"]): percent(r["p"], 0) for r in rows}
    filters = sorted(la["transform"][0]["filter"] for la in texts)
    assert filters == ["datum.p < 0.9", "datum.p >= 0.9"]   # every bar in exactly one layer


def test_reservation_rules_are_named_and_shared_values_say_so(flagship) -> None:  # type: ignore[no-untyped-def]
    scenario, space = flagship
    spec = chart_for("convergence", scenario, space).to_dict(validate=False)
    (names,) = [la for la in _layers(spec) if _mark(la) == "text"]
    shown = {round(v["reservation"], 9): v["name"] for v in _values(spec, names)}
    by_value: dict[float, list[str]] = {}
    for p, r in zip(space.party_ids, space.reservation.tolist(), strict=True):
        by_value.setdefault(round(float(r), 9), []).append(p)
    assert set(shown) == set(by_value)
    for value, parties in by_value.items():
        assert shown[value].startswith(", ".join(parties) + " reservation")
    # The flagship's US and E3 both walk away below 0.50: one rule, both names.
    assert any(len(parties) > 1 for parties in by_value.values())


def test_the_stance_map_explains_its_marks(flagship) -> None:  # type: ignore[no-untyped-def]
    scenario, space = flagship
    spec = chart_for("stance", scenario, space).to_dict(validate=False)
    subtitle = spec["title"]["subtitle"]
    marks = {v["mark"] for la in _layers(spec) if _mark(la) == "text" for v in _values(spec, la)}
    for mark in marks - {""}:
        assert mark in subtitle
    assert "grey" in subtitle
