"""Forecasting an accord negotiation: positions from options, capabilities, spread, texts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.errors import AnalysisError
from accord.forecast.negotiation import forecast_scenario, negotiation_problem
from accord.io.scenario_file import loads
from accord.space import compile_scenario
from tests.cli.helpers import run_cli

SMALL = """
[scenario]
title = "Three parties, two points"

[[parties]]
id = "a"
name = "A"
role = "principal"
capability = { value = 3, basis = "invented" }

[[parties]]
id = "b"
name = "B"
role = "principal"
capability = { value = 1 }

[[parties]]
id = "c"
name = "C"
role = "backer"
capability = { value = { low = 1, high = 3 } }

[[issues]]
id = "money"
title = "Money"
options = [{ id = "low", label = "Low" }, { id = "mid", label = "Mid" }, { id = "high", label = "High" }]

[[issues]]
id = "place"
title = "Place"
options = [{ id = "here", label = "Here", position = 10 }, { id = "there", label = "There", position = 70 }]

[preferences.a.weights]
money = 3
place = 1
[preferences.a.values.money]
low = 1.0
mid = 0.5
high = 0.0
[preferences.a.values.place]
here = 1.0
there = 0.0

[preferences.b.weights]
money = 1
place = 1
[preferences.b.values.money]
low = 0.0
mid = 0.5
high = 1.0
[preferences.b.values.place]
here = 0.0
there = 1.0

[preferences.c.weights]
money = 1
[preferences.c.values.money]
low = 0.2
mid = 1.0
high = 1.0

[[texts]]
id = "t1"
title = "First"
[texts.positions]
money = "mid"
place = "here"
"""


def _load(text: str):  # type: ignore[no-untyped-def]
    scenario = loads(text, name="small.toml")
    return scenario, compile_scenario(scenario)


def test_problem_from_options_weights_and_capabilities() -> None:
    scenario, space = _load(SMALL)
    problem = negotiation_problem(scenario, space).problem
    assert problem.actors == ("a", "b", "c")
    # money: options at 0, 50, 100; c ties between mid and high -> 75.  place: given positions
    # (c values neither place, so it ties everywhere: the mean, 40, with no salience).
    np.testing.assert_allclose(problem.positions, [[0, 10], [100, 70], [75, 40]])
    np.testing.assert_allclose(problem.saliences, [[75, 25], [50, 50], [100, 0]])
    np.testing.assert_allclose(problem.capabilities, [3, 1, 2])  # c: the range's mean


def test_hand_worked_compromise_and_text_distance() -> None:
    scenario, space = _load(SMALL)
    result = forecast_scenario(scenario, space, models=["compromise", "median"], samples=400, seed=3)
    money = result.model("compromise").issues[0]
    # weights c·s: a 225, b 50, c 200 -> (0·225 + 100·50 + 75·200)/475
    assert money.position == pytest.approx(20000 / 475)
    assert money.nearest_option == "mid"
    assert money.texts[0].distance == pytest.approx(abs(50 - 20000 / 475))
    place = result.model("compromise").issues[1]
    assert place.position == pytest.approx((10 * 75 + 70 * 50) / 125)
    assert "c" not in place.party_positions  # c does not weigh the point
    # c's capability is a range, so money has a spread that contains the point forecast.
    lo, hi = money.spread
    assert lo < money.position < hi
    assert result.samples == 400
    assert result.model("compromise").closest_text == "t1"


def test_capabilities_all_or_none() -> None:
    none = SMALL.replace('capability = { value = 3, basis = "invented" }', "") \
        .replace("capability = { value = 1 }", "") \
        .replace("capability = { value = { low = 1, high = 3 } }", "")
    scenario, space = _load(none)
    result = forecast_scenario(scenario, space, models=["compromise"], samples=0)
    assert result.equal_capabilities and set(result.capabilities.values()) == {1.0}
    partial = SMALL.replace("capability = { value = 1 }", "")
    scenario, space = _load(partial)
    with pytest.raises(AnalysisError, match="b has none"):
        forecast_scenario(scenario, space, samples=0)


def test_positions_for_some_options_only_are_refused() -> None:
    text = SMALL.replace('{ id = "there", label = "There", position = 70 }',
                         '{ id = "there", label = "There" }')
    scenario, space = _load(text)
    with pytest.raises(AnalysisError, match="option\\(s\\) there have no position"):
        forecast_scenario(scenario, space, samples=0)


def test_smp_gives_trajectories_and_stays_on_the_lines() -> None:
    scenario, space = _load(SMALL)
    result = forecast_scenario(scenario, space, models=["smp", "nash"], samples=20, seed=1)
    smp = result.model("smp")
    assert smp.run is not None and smp.run.positions.shape[1:] == (3, 2)
    for f in smp.issues:
        assert f.position is not None and 0 <= f.position <= 100


def test_flagship_forecast(peace_plan_path: Path) -> None:
    run = run_cli("forecast", peace_plan_path, "--json", "--samples", "200")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert [m["model"] for m in data["models"]] == ["compromise", "median", "nash", "smp"]
    assert set(data["capability_basis"]) == {"us", "ua", "ru", "eu"}
    assert all(b.startswith("Estimate.") for b in data["capability_basis"].values())
    compromise = data["models"][0]
    assert len(compromise["issues"]) == 16
    assert compromise["closest_text"] in {"plan-28", "geneva-framework", "e3-counter", "plan-20"}
    for issue in compromise["issues"]:
        lo, hi = issue["spread"]
        assert lo <= issue["position"] <= hi
    assert data["models"][3]["smp"]["converged"]
    table = run_cli("forecast", peace_plan_path, "-m", "compromise", "--samples", "100")
    assert table.code == 0 and "Which text the forecast sits closest to" in table.stdout


def test_cli_refuses_a_bad_model_and_samples(peace_plan_path: Path) -> None:
    bad = run_cli("forecast", peace_plan_path, "--model", "nahs")
    assert bad.code == 2 and "did you mean 'nash'" in bad.stderr
    many = run_cli("forecast", peace_plan_path, "--samples", "1000001")
    assert many.code == 2 and "--samples must be between 0 and 100000" in many.stderr
