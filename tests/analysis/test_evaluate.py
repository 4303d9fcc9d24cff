"""Evaluation: hand-computed numbers on the tutorial example, and brute force on random scenarios."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from accord.analysis.evaluate import ReasonKind, blockers, evaluate_package, evaluate_texts
from accord.io.scenario_file import load
from accord.model import Scenario
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, Space, compile_scenario
from tests.scenario_strategies import scenarios


@pytest.fixture(scope="module")
def job(job_offer_path: Path) -> Space:
    return compile_scenario(load(job_offer_path))


def test_hand_computed_utilities(job: Space) -> None:
    offer, counter, revised = evaluate_texts(job)
    dana, northwind = 0, 1
    # offer: Dana .4·.5 + .2·0 + .2·.6 + .1·.2 + .1·0 = 0.34; Northwind .35+.1+.06+.2+.1 = 0.81
    assert offer.parties[dana].utility == pytest.approx((0.34, 0.34))
    assert offer.parties[northwind].utility == pytest.approx((0.81, 0.81))
    # counter: Dana gets her best everywhere; Northwind .1·.2 + .2·.7 = 0.16
    assert counter.parties[dana].utility == pytest.approx((1.0, 1.0))
    assert counter.parties[northwind].utility == pytest.approx((0.16, 0.16))
    # revised, bonus open: Dana .32+.12+.12+.1 + [0, .1]; Northwind .2+.08+.06+.14 + [0, .1]
    assert revised.parties[dana].utility == pytest.approx((0.66, 0.76))
    assert revised.parties[northwind].utility == pytest.approx((0.48, 0.58))


def test_hand_computed_verdicts(job: Space) -> None:
    offer, counter, revised = evaluate_texts(job)
    dana_offer = offer.parties[0]
    assert dana_offer.acceptable is False
    kinds = [r.kind for r in dana_offer.reasons]
    assert kinds == [ReasonKind.RED_LINE, ReasonKind.BELOW_RESERVATION]
    assert dana_offer.reasons[1].shortfall == pytest.approx(0.21)
    assert offer.parties[1].acceptable is True and offer.deal is False
    assert counter.parties[1].acceptable is False and counter.deal is False
    # Northwind's utility 0.48–0.58 straddles its reservation 0.5: it depends on the bonus.
    assert revised.parties[0].acceptable is True
    assert revised.parties[1].acceptable is None
    assert revised.parties[1].reasons[0].kind is ReasonKind.MAY_FALL_BELOW_RESERVATION
    assert revised.parties[1].reasons[0].shortfall == pytest.approx(0.02)
    assert revised.deal is None


def test_hand_computed_blockers(job: Space) -> None:
    offer = evaluate_texts(job)[0]
    found = offer.parties[0].blockers
    assert found is not None
    # The office red line must go (to fully remote: +0.2), leaving 0.54 < 0.55; one more
    # move is needed, and the least demanding one gains 0.08 (vacation or start date).
    assert found.ranking[0].required and job.issue_ids[found.ranking[0].issue] == "remote"
    assert len(found.smallest_fix) == 2
    assert found.smallest_fix[1].gain == pytest.approx(0.08)
    assert found.achievable and found.best_utility == pytest.approx(1.0)
    # Largest single gain for Dana is salary 100k → 120k (+0.2), listed first among optional moves.
    optional = [g for g in found.ranking if not g.required]
    assert job.issue_ids[optional[0].issue] == "salary" and optional[0].gain == pytest.approx(0.2)


# -- brute force over completions ------------------------------------------------------------


def _completions(space: Space, package: np.ndarray) -> np.ndarray:
    choices = [range(space.n_options[i]) if package[i] == UNRESOLVED else [package[i]]
               for i in range(space.n_issues)]
    return np.array(list(itertools.product(*choices)), dtype=np.int64)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_intervals_and_verdicts_match_enumeration(scenario: Scenario) -> None:
    space = compile_scenario(scenario)
    for t, evaluation in enumerate(evaluate_texts(space)):
        completions = _completions(space, space.texts[t])
        utilities = space.utilities(completions)
        acceptable = space.acceptable(completions)
        for p, verdict in enumerate(evaluation.parties):
            assert verdict.utility[0] == pytest.approx(utilities[:, p].min(), abs=1e-12)
            assert verdict.utility[1] == pytest.approx(utilities[:, p].max(), abs=1e-12)
            expected = True if acceptable[:, p].all() else False if not acceptable[:, p].any() else None
            assert verdict.acceptable is expected
        must = space.must_accept
        all_accept = acceptable[:, must].all(axis=1)
        expected_deal = True if all_accept.all() else None
        if not expected_deal:
            some_party_never = any(not acceptable[:, p].any() for p in np.flatnonzero(must))
            expected_deal = False if some_party_never else None
        assert evaluation.deal is expected_deal


@settings(max_examples=100, deadline=None)
@given(scenarios(max_issues=4, max_options=3))
def test_smallest_fix_is_smallest(scenario: Scenario) -> None:
    """No smaller set of moves makes the text surely acceptable; the found set does."""
    space = compile_scenario(scenario)
    for t in range(len(space.text_ids)):
        package = space.texts[t]
        for p in range(space.n_parties):
            found = blockers(space, package, p)
            if not found.achievable:
                allowed = space.option_mask & ~space.red_lines[p]
                best = np.where(allowed, space.contribution[p], -np.inf).max(axis=1).sum()
                assert best < space.reservation[p] - UTILITY_TOLERANCE
                continue
            fixed = package.copy()
            for move in found.smallest_fix:
                fixed[move.issue] = move.option
            assert evaluate_package(space, fixed).parties[p].acceptable is True
            size = len(found.smallest_fix)
            for smaller in range(size):
                for subset in itertools.combinations(range(space.n_issues), smaller):
                    assert not _some_assignment_works(space, package, p, subset)


def _some_assignment_works(space: Space, package: np.ndarray, party: int,
                           subset: tuple[int, ...]) -> bool:
    for options in itertools.product(*(range(space.n_options[i]) for i in subset)):
        trial = package.copy()
        for i, o in zip(subset, options, strict=True):
            trial[i] = o
        if evaluate_package(space, trial).parties[party].acceptable is True:
            return True
    return False


def test_package_shape_is_checked(job: Space) -> None:
    with pytest.raises(ValueError, match="option indices"):
        evaluate_package(job, [0, 0])
    with pytest.raises(ValueError, match="out of range"):
        evaluate_package(job, [9, 0, 0, 0, 0])
