"""The compiled Space: normalisation, padding, index mapping and batch evaluation."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from accord.io.scenario_file import load
from accord.model import Scenario
from accord.space import UNRESOLVED, compile_scenario
from tests.scenario_strategies import scenarios


def test_job_offer_compiles(job_offer_path: Path) -> None:
    space = compile_scenario(load(job_offer_path))
    assert space.party_ids == ("dana", "northwind")  # the agency has no preferences
    assert space.issue_ids == ("salary", "remote", "vacation", "start", "bonus")
    assert space.n_options.tolist() == [4, 3, 3, 3, 3]
    assert space.n_outcomes == 4 * 3**4
    assert space.option_mask.shape == (5, 4) and not space.option_mask[1, 3]
    assert np.allclose(space.weights.sum(axis=1), 1.0)
    assert space.reservation.tolist() == [0.55, 0.5]
    assert space.must_accept.tolist() == [True, True]
    assert space.red_lines[0, 1, 0] and space.red_lines.sum() == 1
    assert space.texts[2, 4] == UNRESOLVED
    assert space.text_parents.tolist() == [-1, 0, 1]
    assert space.positions(space.texts[2]) == {
        "salary": "110k", "remote": "hybrid", "vacation": "25d", "start": "july"}
    assert (space.package({"salary": "110k", "remote": "hybrid", "vacation": "25d",
                           "start": "july"}) == space.texts[2]).all()


def test_weights_are_normalised_whatever_their_units() -> None:
    document = {
        "scenario": {"title": "t"},
        "parties": [{"id": "a", "name": "A", "role": "principal"}],
        "issues": [{"id": i, "title": i, "options": [{"id": "lo", "label": "lo"},
                                                     {"id": "hi", "label": "hi"}]} for i in "xy"],
        "preferences": {"a": {"weights": {"x": 30, "y": 70},
                              "values": {"x": {"lo": 0, "hi": 1}, "y": {"lo": 0, "hi": 1}}}},
    }
    space = compile_scenario(Scenario.model_validate(document))
    assert space.weights.tolist() == [[0.3, 0.7]]
    assert space.utilities(np.array([1, 0])) == pytest.approx([0.3])


def test_arrays_are_read_only(job_offer_path: Path) -> None:
    space = compile_scenario(load(job_offer_path))
    with pytest.raises(ValueError):
        space.contribution[0, 0, 0] = 1.0


@settings(max_examples=80, deadline=None)
@given(scenarios(max_issues=4, max_options=3))
def test_batch_evaluation_matches_the_definition(scenario: Scenario) -> None:
    space = compile_scenario(scenario)
    packages = np.array(list(itertools.product(*(range(n) for n in space.n_options))))
    utilities = space.utilities(packages)
    hits = space.red_line_hits(packages)
    for n, package in enumerate(packages):
        for p, party_id in enumerate(space.party_ids):
            prefs = scenario.preferences[party_id]
            total_weight = sum(prefs.weights.values())
            expected = 0.0
            hit = False
            for i, issue in enumerate(scenario.issues):
                option_id = issue.options[package[i]].id
                if issue.id in prefs.weights:
                    expected += prefs.weights[issue.id] / total_weight * prefs.values[issue.id][option_id]
                hit |= option_id in prefs.red_lines.get(issue.id, [])
            assert utilities[n, p] == pytest.approx(expected, abs=1e-12)
            assert hits[n, p] == hit


def test_incomplete_packages_are_refused(job_offer_path: Path) -> None:
    space = compile_scenario(load(job_offer_path))
    with pytest.raises(ValueError, match="complete"):
        space.utilities(space.texts[2])
    with pytest.raises(ValueError, match="option indices"):
        space.utilities(np.zeros(3, dtype=int))
