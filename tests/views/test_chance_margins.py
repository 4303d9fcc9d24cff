"""A margin that does not vary across the samples reads as itself, not as a histogram bin's centre."""

from __future__ import annotations

import pytest

from accord.analysis.uncertainty import build_model, deal_chances
from accord.io.scenario_file import load
from accord.space import UNRESOLVED, compile_scenario
from accord.views import chance as view
from accord.views.labels import Labels


def test_constant_margins_are_exact_and_quantiles_ordered(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    model = build_model(scenario, space)
    varying = {e.party for e in model.estimates}
    steady = [p for p in range(space.n_parties) if p not in varying]
    complete = [t for t in range(len(space.text_ids)) if (space.texts[t] != UNRESOLVED).all()]
    assert steady and complete   # the flagship's US and E3 numbers are point estimates
    data = view.to_dict(deal_chances(model, samples=400, seed=1), Labels(scenario, space))
    for entry in data["texts"]:
        t = space.text_ids.index(entry["id"])
        for p in range(space.n_parties):
            margin = entry["parties"][space.party_ids[p]]["margin"]
            assert margin["p05"] <= margin["median"] <= margin["p95"]
            if p in steady and t in complete:
                # By hand: the party's utility of the text less its reservation value.
                expected = float(space.utilities(space.texts[t])[p] - space.reservation[p])
                for key in ("mean", "p05", "median", "p95"):
                    assert margin[key] == pytest.approx(expected, abs=1e-12), (entry["id"], p, key)
