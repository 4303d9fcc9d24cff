"""Issue 11: the uncertainty, sensitivity and bargaining results print short (``accord._repr``).

``repr(deal_chances(…))`` on the flagship was about 4 kB, a tornado's about 1.8 kB."""

from __future__ import annotations

from pathlib import Path

import pytest

import accord
from accord.analysis.bargaining import bargaining_solutions
from accord.analysis.sensitivity import tornado
from accord.analysis.uncertainty import build_model, deal_chances

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def flagship() -> tuple[accord.Scenario, accord.Space]:
    scenario = accord.load(ROOT / "examples" / "peace-plan-2025" / "scenario.toml")
    return scenario, accord.compile_scenario(scenario)


def test_chance_and_tornado_results_print_short(flagship: tuple[accord.Scenario, accord.Space]
                                                ) -> None:
    model = build_model(*flagship)
    chances = deal_chances(model, samples=200, seed=0)
    text = repr(chances)
    assert len(text) < 300, text
    assert text.startswith("ChanceResult(samples=200, seed=0,")
    assert f"estimates={model.n_estimates}" in text and "texts=(0, 1, 2, 3)" in text
    assert len(repr(chances.texts[0])) < 120 and "parties=4" in repr(chances.texts[0])
    assert len(repr(chances.texts[0].parties[0])) < 120
    assert len(repr(model)) < 120
    swings = tornado(model, samples=16, seed=0)
    assert len(repr(swings)) < 300, repr(swings)
    assert f"effects=({model.n_estimates} items)" in repr(swings)
    assert f"largest={swings.effects[0].label!r}" in repr(swings)
    assert len(repr(swings.effects[0])) < 160


def test_bargaining_solutions_print_short(flagship: tuple[accord.Scenario, accord.Space]) -> None:
    _, space = flagship
    found = bargaining_solutions(space)
    text = repr(found)
    assert len(text) < 300, text
    # The rows named are the rows the solutions hold (not a copy that could drift).
    assert f"nash={found.nash.row}" in text and f"utilitarian={found.utilitarian.row}" in text
    assert f"frontier={len(found.frontier)}" in text
    assert repr(found.nash).startswith("BargainingSolution(name='nash', value=")
    assert len(repr(found.nash)) < 120
