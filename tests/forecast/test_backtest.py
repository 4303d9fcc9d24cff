"""The DEU III backtest: folds never split a proposal, fits happen out of fold, numbers add up."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from accord.forecast.backtest import BACKTEST_MODELS, BacktestData, _folds, run_backtest
from accord.forecast.compromise import compromise_positions


def _synthetic(alpha: float, n: int = 120, seed: int = 0) -> BacktestData:
    rng = np.random.default_rng(seed)
    actors = tuple(f"a{k}" for k in range(6))
    positions = rng.choice([0.0, 25.0, 50.0, 75.0, 100.0], size=(n, 6))
    positions[rng.random((n, 6)) < 0.15] = np.nan
    positions[:, 0] = rng.uniform(0, 100, n)  # at least one actor per issue
    saliences = rng.choice([20.0, 50.0, 80.0], size=(n, 6))
    base = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 32.0])
    outcomes = compromise_positions(positions, saliences * base ** alpha)
    proposals = tuple(f"p{k // 3}" for k in range(n))
    return BacktestData(tuple(f"i{k}" for k in range(n)), proposals, ("c",) * n,
                        tuple("COD" if k % 2 else "CNS" for k in range(n)), ("QMV",) * n,
                        actors, positions, saliences, outcomes, base)


def test_folds_keep_each_proposal_together_and_are_balanced() -> None:
    proposals = [f"p{k % 37}" for k in range(300)]
    fold = _folds(proposals, 10, seed=4)
    for p in set(proposals):
        assert len({int(f) for f, q in zip(fold, proposals, strict=True) if q == p}) == 1
    sizes = np.bincount(fold, minlength=10)
    assert sizes.max() - sizes.min() <= 10
    assert not np.array_equal(fold, _folds(proposals, 10, seed=5))


def test_the_true_capability_exponent_is_recovered_out_of_sample() -> None:
    data = _synthetic(alpha=0.5)
    result = run_backtest(data, folds=5, bootstrap=200,
                          models=["compromise-cap", "median", "nash", "combination"])
    cap = result.score("compromise-cap")
    assert cap.fitted == ("α=0.5",) * 5
    assert cap.mae < 1e-9 < result.score("compromise").mae
    lo, hi = cap.interval
    assert lo <= cap.difference <= hi < 0
    assert result.best.model in ("compromise-cap", "combination")
    # The baseline's own difference is zero and it has no fitted parameters.
    assert result.score("compromise").difference == 0.0 and result.score("compromise").fitted == ()


def test_breakdowns_cover_every_issue_once_per_kind() -> None:
    result = run_backtest(_synthetic(alpha=0.25), folds=4, bootstrap=0, models=["median"])
    for kind in ("council", "procedure", "voting rule"):
        groups = [g for g in result.groups if g.kind == kind]
        assert sum(g.n for g in groups) == result.n_issues
        weighted = sum(g.n * g.mae["median"] for g in groups) / result.n_issues
        assert weighted == pytest.approx(result.score("median").mae)


def test_refusals() -> None:
    data = _synthetic(alpha=0.0, n=12)
    with pytest.raises(ValueError, match="folds must be between 2 and 4"):
        run_backtest(data, folds=5)
    with pytest.raises(ValueError, match="unknown model"):
        run_backtest(data, folds=2, models=["oracle"])
    with pytest.raises(ValueError, match="bootstrap"):
        run_backtest(data, folds=2, bootstrap=-1)


@pytest.mark.shared_data
def test_deu3_backtest(deu3_path: Path) -> None:
    from accord.io.deu3 import read_deu3

    table = read_deu3(deu3_path)
    data = table.backtest_data()
    models = [m for m in BACKTEST_MODELS if m != "smp"]
    result = run_backtest(data, folds=10, seed=0, bootstrap=500, skipped=table.skipped,
                          models=models)
    assert [s.model for s in result.scores] == models
    assert set(result.score("selected").fitted) <= set(models)
    assert result.headline.model == "selected" and result.best.model != "selected"
    assert result.n_issues == 353 and result.n_proposals == 136 and len(result.skipped) == 11
    assert round(result.score("compromise").mae, 4) == 23.6808  # the README's baseline
    assert {g.value for g in result.groups if g.kind == "procedure"} == {"COD", "CNS"}
    for score in result.scores[1:]:
        assert len(score.fitted) == 10
        assert score.interval[0] <= score.difference <= score.interval[1]
    # The median is a clearly worse forecast than the mean on these data.
    assert result.score("median").interval[0] > 0


@pytest.mark.shared_data
def test_smp_in_the_backtest_on_a_slice(deu3_path: Path) -> None:
    from accord.io.deu3 import read_deu3

    data = read_deu3(deu3_path).backtest_data()
    rows = slice(0, 24)
    small = dataclasses.replace(
        data, issues=data.issues[rows], proposals=data.proposals[rows], councils=data.councils[rows],
        procedures=data.procedures[rows], voting_rules=data.voting_rules[rows],
        positions=data.positions[rows], saliences=data.saliences[rows], outcomes=data.outcomes[rows])
    result = run_backtest(small, folds=3, bootstrap=100, models=["smp"])
    smp = result.forecasts[:, 1]
    assert np.isfinite(smp).all() and (smp >= 0).all() and (smp <= 100).all()
    assert result.score("smp").fitted == ()
