"""The sensitivity views show each pinned estimate in the scenario file's own units."""

from __future__ import annotations

import pytest
from rich.console import Console

from accord.analysis.sensitivity import HIGH_QUANTILE, LOW_QUANTILE, tornado
from accord.analysis.uncertainty import build_model
from accord.io.scenario_file import load
from accord.model.uncertain import Uniform
from accord.space import compile_scenario
from accord.views import sensitivity as view
from accord.views.labels import Labels


def test_weights_read_as_the_file_writes_them(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    labels = Labels(scenario, space)
    model = build_model(scenario, space)
    result = tornado(model, samples=64, seed=0)
    data = view.to_dict(result, labels)["estimates"]
    console = Console(width=400, record=True, color_system=None)
    console.print(view.render(result, labels, top=len(result.effects)))
    out = console.export_text()
    checked = 0
    for effect, entry in zip(result.effects, data, strict=True):
        estimate = model.estimates[effect.estimate]
        if estimate.kind != "weight":
            continue
        written = scenario.preferences[space.party_ids[estimate.party]].weights[
            space.issue_ids[estimate.issue]]
        assert isinstance(written, Uniform)
        # The 5th and 95th percentiles of the range the file gives, worked by hand.
        low = written.low + LOW_QUANTILE * (written.high - written.low)
        high = written.low + HIGH_QUANTILE * (written.high - written.low)
        assert entry["low"] == pytest.approx(low) and entry["high"] == pytest.approx(high)
        assert f"{low:.3g} → {high:.3g}" in out
        checked += 1
    # The flagship's Donetsk weights are ranges in points (15 to 29), far from the model's scale.
    assert checked >= 2
