"""The closed-form models against hand-worked cases and brute force; the PCE against KTAB's log."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.forecast import SpatialProblem
from accord.forecast.compromise import compromise, compromise_positions
from accord.forecast.median import weighted_median, weighted_median_positions
from accord.forecast.nash import nash_bargaining, nash_positions
from accord.forecast.pce import PCEModel, VotingRule, VPModel, coalitions, pce, vote

positions_st = st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=8)


def test_hand_worked_three_actors() -> None:
    problem = SpatialProblem(("a", "b", "c"), ("x", "y"), [[0, 10], [60, 50], [100, 90]],
                             [[50, 10], [30, 30], [20, 60]], [2.0, 1.0, 1.0])
    # x: weights 100, 30, 20 -> (0·100 + 60·30 + 100·20)/150
    np.testing.assert_allclose(compromise(problem), [(1800 + 2000) / 150, (200 + 1500 + 5400) / 110])
    # x: cumulative 100 of 150 at position 0 -> median 0; y: 20, 50, 110 of 110 -> 90
    np.testing.assert_allclose(weighted_median(problem), [0.0, 90.0])


def test_median_midpoint_when_the_weight_splits_exactly() -> None:
    assert float(weighted_median_positions(np.array([10.0, 30.0, 80.0]),
                                           np.array([1.0, 1.0, 2.0]))) == 55.0
    assert np.isnan(weighted_median_positions(np.array([10.0, np.nan]), np.array([0.0, 3.0])))


@given(positions_st, st.data())
def test_median_is_a_brute_force_weighted_median(xs: list[float], data: st.DataObject) -> None:
    w = data.draw(st.lists(st.floats(0.1, 10), min_size=len(xs), max_size=len(xs)))
    x, weights = np.array(xs), np.array(w)
    m = float(weighted_median_positions(x, weights))
    total = weights.sum()
    # A weighted median m has at most half the weight strictly on either side of it.
    assert weights[x < m - 1e-9].sum() <= total / 2 + 1e-9
    assert weights[x > m + 1e-9].sum() <= total / 2 + 1e-9


@given(positions_st, st.data())
def test_nash_maximises_the_weighted_product(xs: list[float], data: st.DataObject) -> None:
    w = np.array(data.draw(st.lists(st.floats(0.1, 10), min_size=len(xs), max_size=len(xs))))
    x = np.array(xs)
    d = data.draw(st.sampled_from([100.0, 150.0, 400.0]))
    best = float(nash_positions(x, w, disagreement=d))

    def objective(z: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):  # log 0 = −∞ where a grid point is d away
            return (w * np.log(1 - ((z[:, None] - x) / d) ** 2)).sum(axis=1)

    grid = np.linspace(x.min(), x.max(), 2001) if x.max() > x.min() else np.array([x.min()])
    assert objective(np.array([best]))[0] >= objective(grid).max() - 1e-9
    assert x.min() - 1e-9 <= best <= x.max() + 1e-9


def test_nash_tends_to_the_compromise_for_a_distant_disagreement() -> None:
    rng = np.random.default_rng(1)
    x, w = rng.uniform(0, 100, (20, 6)), rng.uniform(0.1, 5, (20, 6))
    far = nash_positions(x, w, disagreement=1e5)
    np.testing.assert_allclose(far, compromise_positions(x, w), atol=1e-4)
    near = nash_positions(x, w, disagreement=100.0)
    assert not np.allclose(near, far, atol=1e-2)
    with pytest.raises(ValueError, match="at least the spread"):
        nash_positions(np.array([0.0, 100.0]), np.array([1.0, 1.0]), disagreement=50.0)
    problem = SpatialProblem(("a", "b", "c"), ("x",), [[0.0], [50.0], [100.0]], [[1.0]] * 3, [1, 1, 1])
    assert float(nash_bargaining(problem)[0]) == pytest.approx(50.0)


def test_vote_rules_hand_worked() -> None:
    assert vote(VotingRule.PROP, 2.0, 0.7, 0.4) == pytest.approx(0.6)
    assert vote(VotingRule.PROP_CBC, 2.0, 0.7, 0.4) == pytest.approx(2 * (0.5 * 0.3 + 0.5 * 0.027))
    assert vote(VotingRule.BINARY, 2.0, 0.7, 0.4) == pytest.approx(2.0)
    assert vote(VotingRule.PROP_BIN, 1.0, 0.4, 0.7) == pytest.approx(-(0.8 * 0.3 + 0.2))
    assert vote(VotingRule.ASYM_PROSP, 3.0, 0.7, 0.4) == pytest.approx(0.6)
    assert vote(VotingRule.ASYM_PROSP, 3.0, 0.4, 0.7) == pytest.approx(-0.9)


def test_markov_incentive_pce_matches_ktabs_log() -> None:
    # KTAB's smpExample log, state 0, actor 0's three bargains: the coalition strengths
    # it printed (3 decimals) and the outcome chances it found (4 decimals).
    c = np.array([[1e-8, 0.170, 0.039], [1.975, 1e-8, 1.599], [0.809, 0.563, 1e-8]])
    chances, p = pce(PCEModel.MARKOV_INCENTIVE, VPModel.LINEAR, c)
    np.testing.assert_allclose(p[0], [0.5, 0.0791, 0.0465], atol=1.5e-3)
    np.testing.assert_allclose(chances, [0.0054, 0.7502, 0.2444], atol=2e-3)
    # And the conditional PCE of the same log's 2-bargain contest (actor 1): 0.4205 / 0.5795.
    two, _ = pce(PCEModel.CONDITIONAL, VPModel.LINEAR, np.array([[1e-8, 3.784], [5.215, 1e-8]]))
    np.testing.assert_allclose(two, [0.4205, 0.5795], atol=2e-4)


def test_coalitions_sum_the_supporters() -> None:
    u = np.array([[1.0, 0.0], [0.0, 1.0], [0.2, 0.9]])
    c = coalitions(np.array([1.0, 2.0, 3.0]), u, VotingRule.PROP)
    assert c[1, 0] == pytest.approx(1e-8 + 2 * 1 + 3 * 0.7)
    assert c[0, 1] == pytest.approx(1e-8 + 1 * 1)
    assert c[0, 0] == c[1, 1] == 1e-8
