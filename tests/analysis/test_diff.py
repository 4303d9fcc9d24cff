from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.analysis.diff import ChangeKind, diff_packages, diff_texts, lineage, lineage_diffs
from accord.io.scenario_file import load
from accord.space import compile_scenario
from accord.views.labels import Labels
from accord.views.texts import diff_to_dict


def test_job_offer_lineage(job_offer_path: Path) -> None:
    scenario = load(job_offer_path)
    space = compile_scenario(scenario)
    assert lineage(space, space.text_index("revised")) == [0, 1, 2]
    first, second = lineage_diffs(space, space.text_index("revised"))
    assert [c.kind for c in first.changes] == [ChangeKind.CHANGED] * 5
    assert first.gain == pytest.approx([0.66, -0.65])
    kinds = {space.issue_ids[c.issue]: c.kind for c in second.changes}
    assert kinds == {"salary": ChangeKind.CHANGED, "remote": ChangeKind.CHANGED,
                     "vacation": ChangeKind.CHANGED, "bonus": ChangeKind.OPENED}
    # midpoints: Dana 1.0 → 0.71, Northwind 0.16 → 0.53
    assert second.gain == pytest.approx([-0.29, 0.37])
    summary = diff_to_dict(second, Labels(scenario, space))["summary"]
    assert summary == "3 changed, 1 opened; gains: northwind +0.37; losses: dana -0.29"


def test_closing_and_identity(job_offer_path: Path) -> None:
    space = compile_scenario(load(job_offer_path))
    revised = space.texts[2]
    closed = revised.copy()
    closed[space.issue_index("bonus")] = 0
    step = diff_packages(space, revised, closed)
    assert [(c.kind, c.before, c.after) for c in step.changes] == [(ChangeKind.CLOSED, -1, 0)]
    same = diff_texts(space, 1, 1)
    assert same.changes == () and np.allclose(same.gain, 0)
