"""The shared pieces of the package views: plurals and the one change rule."""

from __future__ import annotations

import numpy as np

from accord.analysis.robust import common_samples, smallest_amendment
from accord.analysis.uncertainty import build_model
from accord.io.scenario_file import load
from accord.space import UNRESOLVED, compile_scenario
from accord.views.numbers import plural
from accord.views.packages import names_of


def test_plural_and_names() -> None:
    assert [plural(1, "meeting"), plural(0, "open point"), plural(1234, "package")] == [
        "1 meeting", "0 open points", "1,234 packages"]
    assert plural(2, "party", "parties") == "2 parties"
    assert [names_of(["a"]), names_of(["a", "b"]), names_of(["a", "b", "c"])] == [
        "a", "a and b", "a, b and c"]


def test_robust_amendment_does_not_count_closing_an_open_point(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    # Issue 11, defect 7: amend, improve and robust share one rule.
    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    model = build_model(scenario, space)
    text = space.text_ids.index("plan-20")
    open_points = tuple(int(i) for i in np.flatnonzero(space.texts[text] == UNRESOLVED))
    assert open_points
    amendment = smallest_amendment(model, text, crn=common_samples(model, 256, 0))
    assert amendment.closed == open_points
    assert set(amendment.changes).isdisjoint(open_points)
    assert sorted(amendment.changes + amendment.closed) == sorted(amendment.changed)
    assert amendment.steps[0].changes == 0
    assert amendment.steps[-1].changes == len(amendment.changes)
