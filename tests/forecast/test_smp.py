"""The vectorised SMP against the literal loop-by-loop oracle, and its stopping rule."""

from __future__ import annotations

import numpy as np
import pytest

from accord.forecast import SmpParameters, SpatialProblem, run_smp
from accord.forecast.pce import PCEModel, VotingRule, VPModel
from accord.forecast.smp import BigRAdjust, BigRRange, ThirdPartyCommit
from tests.forecast import smp_oracle

# Parameter sets the oracle covers: KTAB's defaults, and each option changed once.
CASES = [
    {},
    {"voting_rule": VotingRule.PROP_CBC},
    {"voting_rule": VotingRule.CUBIC, "pce_model": PCEModel.MARKOV_INCENTIVE},
    {"voting_rule": VotingRule.ASYM_PROSP},
    {"voting_rule": VotingRule.PROP_BIN, "pce_model": PCEModel.MARKOV_UNIFORM},
    {"victory_prob_model": VPModel.SQUARE, "third_party_commit": ThirdPartyCommit.FULL_COMMIT},
    {"third_party_commit": ThirdPartyCommit.NO_COMMIT, "big_r_range": BigRRange.MAX},
    {"big_r_adjust": BigRAdjust.FULL, "big_r_range": BigRRange.MIN},
    {"big_r_adjust": BigRAdjust.NONE, "victory_prob_model": VPModel.QUARTIC},
]


def _oracle_parameters(p: SmpParameters) -> dict[str, str]:
    return {"vr": p.voting_rule.value, "vpm": p.victory_prob_model.value, "pcem": p.pce_model.value,
            "rr": p.big_r_range.value, "ra": p.big_r_adjust.value, "tpc": p.third_party_commit.value}


def _random_problem(rng: np.random.Generator, n: int, d: int) -> SpatialProblem:
    positions = np.round(rng.uniform(0, 100, (n, d)), 2)
    saliences = rng.uniform(5, 95, (n, d))
    saliences = np.round(saliences / saliences.sum(axis=1, keepdims=True) * rng.uniform(40, 99, (n, 1)), 2)
    capabilities = np.round(rng.uniform(10, 200, n), 1)
    return SpatialProblem(tuple(f"a{k}" for k in range(n)), tuple(f"d{k}" for k in range(d)),
                          positions, saliences, capabilities)


@pytest.mark.parametrize("case", range(len(CASES)))
def test_engine_matches_the_loop_oracle(case: int) -> None:
    rng = np.random.default_rng(100 + case)
    for n, d in ((3, 1), (5, 2), (6, 3)):
        problem = _random_problem(rng, n, d)
        params = SmpParameters(**CASES[case], max_iter=8)
        ours = run_smp(problem, params)
        oracle = smp_oracle.run(problem.positions.tolist(), problem.saliences.tolist(),
                                problem.capabilities.tolist(), _oracle_parameters(params),
                                max_iter=8)
        assert ours.positions.shape == oracle.shape
        np.testing.assert_allclose(ours.positions, oracle, atol=1e-9)


def test_engine_matches_the_oracle_with_ideal_adjustment() -> None:
    rng = np.random.default_rng(7)
    problem = _random_problem(rng, 5, 2)
    accommodation = np.eye(5) * 0.6
    accommodation[1, 0] = 0.3
    accommodation[4, 4] = 1.0
    params = SmpParameters(max_iter=8)
    ours = run_smp(problem, params, accommodation=accommodation)
    oracle = smp_oracle.run(problem.positions.tolist(), problem.saliences.tolist(),
                            problem.capabilities.tolist(), _oracle_parameters(params),
                            accommodation=accommodation, max_iter=8)
    np.testing.assert_allclose(ours.positions, oracle, atol=1e-9)
    # Ideals lag the positions where the diagonal is below 1 (and equal them where it is 1).
    assert np.allclose(ours.ideals[:, 4], ours.positions[:, 4])
    assert not np.allclose(ours.ideals[1:, 0], ours.positions[1:, 0])


def test_stopping_rule_is_ktabs() -> None:
    rng = np.random.default_rng(3)
    run = run_smp(_random_problem(rng, 8, 2))
    moved = np.linalg.norm(np.diff(run.positions / 100, axis=0), axis=2).sum(axis=1)
    ratios = moved / (moved[0] + 1e-4)
    np.testing.assert_allclose(run.change_ratios, ratios, atol=1e-12)
    if run.converged:
        assert ratios[-1] < 0.02 and (ratios[1:-1] >= 0.02).all() and run.n_states >= 3
    capped = run_smp(_random_problem(rng, 8, 2), SmpParameters(max_iter=1))
    assert capped.n_states == 2 and not capped.converged


def test_positions_stay_between_the_initial_extremes() -> None:
    # Every bargain interpolates between two positions, dimension by dimension (S2P2).
    rng = np.random.default_rng(11)
    for _ in range(5):
        problem = _random_problem(rng, 7, 2)
        run = run_smp(problem)
        low, high = problem.positions.min(axis=0), problem.positions.max(axis=0)
        assert (run.positions >= low - 1e-9).all() and (run.positions <= high + 1e-9).all()
        assert (run.forecast >= low - 1e-9).all() and (run.forecast <= high + 1e-9).all()
        np.testing.assert_allclose(run.positions[0], problem.positions)


def test_refusals() -> None:
    two = SpatialProblem(("a", "b"), ("x",), [[0.0], [1.0]], [[1.0], [1.0]], [1.0, 1.0])
    with pytest.raises(ValueError, match="between 3 and 250"):
        run_smp(two)
    heavy = SpatialProblem(("a", "b", "c"), ("x", "y"), [[0, 1]] * 3, [[60, 50], [1, 1], [1, 1]],
                           [1, 1, 1])
    with pytest.raises(ValueError, match="at most 100"):
        run_smp(heavy)
    silent = SpatialProblem(("a", "b", "c"), ("x",), [[0], [1], [2]], [[0], [1], [1]], [1, 1, 1])
    with pytest.raises(ValueError, match="positive salience"):
        run_smp(silent)
