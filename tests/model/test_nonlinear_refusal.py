"""The refusal of a non-additive profile points at functions that exist (defect 11)."""

from __future__ import annotations

import importlib

from accord.model.nonlinear import CappedUtility, refusal


def test_the_refusal_names_the_exact_functions_and_no_plan() -> None:
    message = refusal("ua", CappedUtility(kind="capped", offset=0.0, scale=2.0, cap=1.0))
    # it used to say "an exact frontier for such utilities is planned" and name a model function
    assert "planned" not in message
    assert "accord.analysis.nonlinear.scenario_utilities" in message
    assert "accord.analysis.nonlinear.capped_frontier" in message
    module = importlib.import_module("accord.analysis.nonlinear")
    assert callable(module.scenario_utilities) and callable(module.capped_frontier)


def test_the_model_module_holds_the_classes_only() -> None:
    import accord.model.nonlinear as model

    for moved in ("party_utilities", "scenario_utilities", "capped_frontier", "additive_utilities"):
        assert not hasattr(model, moved), moved
