"""Deal chances on a scenario without ranged estimates are certain (issue 11, defects 1 and 10)."""

from __future__ import annotations

from pathlib import Path

from accord.analysis.uncertainty import build_model, deal_chances, wilson_interval
from accord.io.scenario_file import load
from accord.space import compile_scenario

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "job-offer.toml"


def test_wilson_interval_ends_are_exact() -> None:
    # 0 of n and n of n: the bound at that end is 0 or 1 exactly, not float noise.
    assert wilson_interval(0, 20_000)[0] == 0.0
    assert wilson_interval(20_000, 20_000)[1] == 1.0


def test_no_ranged_estimates_gives_exact_probabilities_and_margins() -> None:
    scenario = load(EXAMPLE)
    space = compile_scenario(scenario)
    model = build_model(scenario, space)
    assert not model.estimates
    result = deal_chances(model, samples=2_000)
    for text in result.texts:
        assert text.p_all in (0.0, 1.0)
        assert text.interval == (text.p_all, text.p_all)
        for party in text.parties:
            assert party.interval == (party.p_accept, party.p_accept)
            assert party.margin_quantiles == (party.margin_mean,) * 3
    assert any("the answer is certain" in note for note in result.notes)
