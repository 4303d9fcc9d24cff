"""GENIUS hyper-rectangle utilities mapped onto interaction terms, checked against their evaluation.

The oracle is :func:`accord.analysis.nonlinear.scenario_utilities`, which
evaluates the rectangles directly (GENIUS's own semantics), independent of the
terms the Space holds.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.nonlinear import scenario_utilities
from accord.errors import AnalysisError
from accord.model import Scenario
from accord.space import compile_scenario


def rectangle_scenario(seed: int, *, aggregation: str = "sum") -> Scenario:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 4, size=3)
    issues = [{"id": f"i{k}", "title": f"issue {k}",
               "options": [{"id": f"o{o}", "label": f"{o}"} for o in range(int(n))]}
              for k, n in enumerate(sizes)]
    rectangles: list[dict[str, Any]] = []
    for _ in range(int(rng.integers(1, 6))):
        bounds = []
        for k in sorted(rng.choice(3, size=int(rng.integers(1, 3)), replace=False).tolist()):
            low = int(rng.integers(-1, sizes[k]))
            bounds.append({"issue": f"i{k}", "low": low, "high": low + int(rng.integers(0, 3))})
        kind = "excludes" if rng.random() < 0.3 else "includes"
        rectangles.append({"utility": float(rng.integers(1, 20)), kind: bounds})
    child = {"weight": 0.5, "rectangles": rectangles[:1]}
    root = {"aggregation": aggregation, "rectangles": rectangles[1:], "children": [child]}
    # max_utility: the largest possible total, so that the cap never binds.
    total = sum(r["utility"] for r in rectangles[1:]) + 0.5 * rectangles[0]["utility"]
    document = {
        "scenario": {"title": "rectangles"},
        "parties": [{"id": "a", "name": "A", "role": "principal"},
                    {"id": "b", "name": "B", "role": "principal"}],
        "issues": issues,
        "preferences": {
            "a": {"nonlinear": {"kind": "hyperrectangles", "max_utility": total, "root": root}},
            "b": {"weights": {"i0": 1.0},
                  "values": {"i0": {f"o{o}": o / (sizes[0] - 1) for o in range(int(sizes[0]))}}},
        },
    }
    return Scenario.model_validate(document)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_sum_of_rectangles_maps_exactly(seed: int) -> None:
    scenario = rectangle_scenario(seed)
    space = compile_scenario(scenario, rectangles_as_terms=True)
    packages = np.array(list(itertools.product(*(range(int(n)) for n in space.n_options))))
    assert np.allclose(space.utilities(packages), scenario_utilities(scenario, packages),
                       atol=1e-12, rtol=0)


def test_by_default_a_rectangle_utility_is_still_refused() -> None:
    with pytest.raises(AnalysisError, match="non-linear"):
        compile_scenario(rectangle_scenario(1))


def test_min_nodes_and_a_binding_cap_are_refused_with_the_reason() -> None:
    with pytest.raises(AnalysisError, match="a 'min' node is not a sum of terms"):
        compile_scenario(rectangle_scenario(2, aggregation="min"), rectangles_as_terms=True)
    scenario = rectangle_scenario(3)
    prefs = scenario.preferences["a"]
    assert prefs.nonlinear is not None
    capped = prefs.nonlinear.model_copy(update={"max_utility": 0.5})
    tight = scenario.model_copy(update={"preferences": {
        **scenario.preferences, "a": prefs.model_copy(update={"nonlinear": capped})}})
    with pytest.raises(AnalysisError, match="its cap binds"):
        compile_scenario(tight, rectangles_as_terms=True)


def test_anac_2014_ten_issues_maps_exactly(genius_data: Path) -> None:
    from accord.io.genius import load_folder

    scenario = load_folder(genius_data / "anac" / "y2014" / "10issues")
    space = compile_scenario(scenario, rectangles_as_terms=True)
    packages = np.random.default_rng(0).integers(0, space.n_options, size=(5000, space.n_issues))
    assert np.allclose(space.utilities(packages), scenario_utilities(scenario, packages),
                       atol=1e-12, rtol=0)
