"""The EU variants of the compromise model, the Nash model with a reference point, the one-shot
Condorcet election, and the backtest's guarantees: nothing from a test fold reaches its fit."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.forecast.backtest import BACKTEST_MODELS, BacktestData, _folds, run_backtest
from accord.forecast.compromise import compromise_positions
from accord.forecast.eu import (
    condorcet_expected_outcome,
    condorcet_expected_outcomes,
    institution_weights,
    nearest_position,
    salience_exponent,
    shrink,
)
from accord.forecast.nash import nash_reference_positions
from accord.forecast.pce import PCEModel, VotingRule, VPModel, scalar_pce


def test_closed_forms_hand_worked() -> None:
    x, s = np.array([[0.0, 100.0, 40.0]]), np.array([[20.0, 80.0, 0.0]])
    # β = 0: the plain mean of the actors with a salience; β = 1: the compromise model.
    assert float(salience_exponent(x, s, np.ones(3), beta=0.0)[0]) == 50.0
    assert float(salience_exponent(x, s, np.ones(3), beta=1.0)[0]) == 80.0
    assert float(salience_exponent(x, s, np.ones(3), beta=2.0)[0]) == pytest.approx(
        100 * 6400 / 6800)
    np.testing.assert_allclose(shrink(np.array([40.0, 40.0, 60.0]), np.array([0.0, np.nan, 100.0]),
                                      np.array([0.25, 0.5, 0.5])), [30.0, 40.0, 80.0])
    np.testing.assert_allclose(
        institution_weights(np.array([2.0, 3.0, 1.0]), np.array([True, False]), commission=2.0,
                            parliament_cod=0.5, parliament_cns=0.0),
        [[4.0, 1.5, 1.0], [4.0, 0.0, 1.0]])
    # The actor at 40 has no salience, so the nearest position to 60 taken is 100, not 40.
    assert nearest_position(np.array([60.0]), x, s).tolist() == [100.0]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=2, max_size=6), st.data())
def test_nash_with_a_reference_point_maximises_the_product(xs: list[float],
                                                          data: st.DataObject) -> None:
    x = np.array(xs)
    w = np.array(data.draw(st.lists(st.floats(0.1, 10), min_size=len(xs), max_size=len(xs))))
    r = data.draw(st.floats(0, 100))
    slack = data.draw(st.sampled_from([1.0, 5.0, 20.0, 100.0]))
    best = float(nash_reference_positions(x, w, np.array(r), slack=slack))
    reach = np.abs(r - x) + slack
    grid = np.linspace(x.min(), x.max(), 20001)
    d = (grid[:, None] - x[None, :]) / reach[None, :]
    feasible = (np.abs(d) < 1).all(axis=1)
    assert feasible.any() and x.min() - 1e-9 <= best <= x.max() + 1e-9
    objective = np.where(feasible, (w * np.log(np.clip(1 - d * d, 1e-300, None))).sum(axis=1),
                         -np.inf)
    d_best = (best - x) / reach
    assert (np.abs(d_best) < 1).all()
    value = float((w * np.log(1 - d_best ** 2)).sum())
    assert value >= objective.max() - 1e-6


def test_nash_with_a_reference_point_limits() -> None:
    x = np.array([[0.0, 30.0, 100.0], [10.0, 20.0, np.nan]])
    w = np.array([[1.0, 2.0, 1.0], [1.0, 1.0, 0.0]])
    # A huge slack: the compromise model; no reference point: undefined.
    far = nash_reference_positions(x, w, np.array([50.0, 0.0]), slack=1e7)
    np.testing.assert_allclose(far, compromise_positions(x, w), atol=1e-4)
    assert np.isnan(nash_reference_positions(x, w, np.array([np.nan, 0.0]), slack=5.0)[0])
    # An actor sitting on the reference point with a small slack holds the outcome near it.
    near = nash_reference_positions(np.array([0.0, 100.0]), np.array([1.0, 1.0]), np.array(0.0),
                                    slack=1.0)
    assert 0.0 < float(near) < 1.0
    with pytest.raises(ValueError, match="slack"):
        nash_reference_positions(x, w, np.array([0.0, 0.0]), slack=0.0)


def test_condorcet_election_hand_worked_and_per_issue() -> None:
    x, w = np.array([[0.0, 100.0, 40.0]]), np.array([[1.0, 1.0, 0.5]])
    # P[40>0] = .6/1.0, P[40>100] = .9/1.5, P[0>100] = 1.1/2.1; conditional: Π_j P[i, j].
    wins = np.array([0.5 * 0.4 * 1.1 / 2.1, 0.5 * 0.6 * 0.6, 0.5 * 1.0 / 2.1 * 0.4])
    expected = float((wins / wins.sum()) @ np.array([0.0, 40.0, 100.0]))
    assert float(condorcet_expected_outcome(x, w)[0]) == pytest.approx(expected, abs=1e-6)
    # Issues of different sizes in one call: each equals KTAB's scalar PCE of its own options.
    rng = np.random.default_rng(3)
    xs = rng.choice([0.0, 20.0, 50.0, 70.0, 100.0], size=(12, 7))
    xs[rng.random((12, 7)) < 0.3] = np.nan
    xs[:, 0] = 50.0
    ws = rng.uniform(0.5, 5.0, size=(12, 7))
    pairs = [(VPModel.LINEAR, PCEModel.CONDITIONAL), (VPModel.QUARTIC, PCEModel.MARKOV_INCENTIVE)]
    batched = condorcet_expected_outcomes(xs, ws, pairs)
    for row in range(12):
        present = ~np.isnan(xs[row])
        options = np.unique(xs[row, present])
        for (vp, model), forecast in zip(pairs, batched, strict=True):
            if len(options) == 1:
                assert forecast[row] == options[0]
                continue
            utility = 1.0 - np.abs(xs[row, present][:, None] - options[None, :]) / 100.0
            chances = scalar_pce(ws[row, present], utility, VotingRule.PROP, vp, model)
            assert forecast[row] == pytest.approx(float(chances @ options), abs=1e-9)


def _synthetic(n: int = 90, seed: int = 1) -> BacktestData:
    rng = np.random.default_rng(seed)
    actors = tuple(f"a{k}" for k in range(6))
    positions = rng.choice([0.0, 25.0, 50.0, 75.0, 100.0], size=(n, 6))
    positions[rng.random((n, 6)) < 0.15] = np.nan
    positions[:, 0] = rng.uniform(0, 100, n)
    saliences = rng.choice([20.0, 50.0, 80.0], size=(n, 6))
    base = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 32.0])
    noise = rng.normal(0.0, 8.0, n)
    outcomes = np.clip(compromise_positions(positions, saliences * base ** 0.5) + noise, 0, 100)
    reference = np.where(rng.random(n) < 0.3, np.nan, rng.choice([0.0, 100.0], n))
    return BacktestData(tuple(f"i{k}" for k in range(n)), tuple(f"p{k // 3}" for k in range(n)),
                        ("c",) * n, tuple("COD" if k % 2 else "CNS" for k in range(n)),
                        tuple("Unan" if k % 5 == 0 else "QMV" for k in range(n)), actors, positions,
                        saliences, outcomes, base, reference)


def test_no_test_fold_outcome_reaches_any_fit() -> None:
    """Change every outcome of one fold: that fold's forecasts stay the same for every model, the
    nested selection included; the other folds' forecasts may change."""
    models = [m for m in BACKTEST_MODELS if m != "smp"]
    data = _synthetic()
    fold = _folds(data.proposals, 5, seed=0)
    before = run_backtest(data, folds=5, seed=0, bootstrap=0, models=models)
    for k in (0, 3):
        changed = np.where(fold == k, 100.0 - data.outcomes, data.outcomes)
        after = run_backtest(dataclasses.replace(data, outcomes=changed), folds=5, seed=0,
                             bootstrap=0, models=models)
        np.testing.assert_array_equal(before.forecasts[fold == k], after.forecasts[fold == k])
        assert not np.array_equal(before.forecasts[fold != k], after.forecasts[fold != k])


def test_the_nested_selection_uses_a_model_fitted_without_the_test_fold() -> None:
    data = _synthetic()
    result = run_backtest(data, folds=5, seed=2, bootstrap=100,
                          models=["compromise-cap", "median", "selected"])
    names = [s.model for s in result.scores]
    assert names == ["compromise", "compromise-cap", "median", "selected"]
    chosen = result.score("selected").fitted
    assert len(chosen) == 5 and set(chosen) <= {"compromise", "compromise-cap", "median"}
    fold = _folds(data.proposals, 5, seed=2)
    for k, model in enumerate(chosen):
        rows = fold == k
        np.testing.assert_array_equal(result.forecasts[rows, names.index("selected")],
                                      result.forecasts[rows, names.index(model)])
    # The data are the capability-weighted compromise plus noise: the median never wins.
    assert "median" not in chosen
    assert result.headline.model == "selected"
    assert result.best.model != "selected"
    # With two folds there is no inner cross-validation: the selection is left out.
    two = run_backtest(data, folds=2, bootstrap=0, models=["compromise-cap", "selected"])
    assert [s.model for s in two.scores] == ["compromise", "compromise-cap"]
