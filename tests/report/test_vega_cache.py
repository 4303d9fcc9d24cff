"""Compiled chart specifications come from the cache when the chart is unchanged, and are the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.io.scenario_file import load
from accord.report import charts
from accord.report.html import chart_for
from accord.space import compile_scenario


def test_an_unchanged_chart_is_read_back_not_compiled_again(
        tmp_path: Path, job_offer_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import vl_convert

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    scenario = load(job_offer_path)
    chart = chart_for("stance", scenario, compile_scenario(scenario))
    compiled = charts.chart_to_vega(chart)
    assert compiled == vl_convert.vegalite_to_vega(charts._spec(chart))   # the compiler's answer
    entries = list((tmp_path / "accord" / "vega").glob("*.json"))
    assert len(entries) == 1

    def refuse(spec: object) -> object:
        raise AssertionError("compiled again")

    monkeypatch.setattr(vl_convert, "vegalite_to_vega", refuse)
    assert charts.chart_to_vega(chart) == compiled
    # A damaged entry is compiled again, never read as a chart.
    entries[0].write_text("{not json")
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert charts.chart_to_vega(chart) == compiled


def test_the_cache_keeps_a_bounded_number_of_entries(
        tmp_path: Path, job_offer_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(charts, "_VEGA_CACHE_ENTRIES", 2)
    scenario = load(job_offer_path)
    space = compile_scenario(scenario)
    for kind in ("stance", "convergence", "versions"):
        charts.chart_to_vega(chart_for(kind, scenario, space))
    assert len(list((tmp_path / "accord" / "vega").glob("*.json"))) == 2
