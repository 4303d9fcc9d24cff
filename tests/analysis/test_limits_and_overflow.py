"""Silently wrong numbers (issue 10, class 9) and up-front work limits (class 5).

Oracles: brute force over every package of examples/job-offer.toml (324
packages), the exact frontier of the peace-plan example, and hand-normalised
weights.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from accord.analysis import limits
from accord.analysis.feasibility import feasibility
from accord.analysis.nonlinear import party_utilities
from accord.analysis.pareto import epsilon_widths, pareto_frontier
from accord.analysis.uncertainty import build_model, deal_chances, profiles, sample_draws
from accord.errors import AnalysisError
from accord.io.scenario_file import load, loads
from accord.space import compile_scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
JOB_OFFER = EXAMPLES / "job-offer.toml"


def _brute_force_frontier(space) -> set[tuple[float, ...]]:  # type: ignore[no-untyped-def]
    packages = np.array(list(itertools.product(*(range(k) for k in space.n_options))))
    utilities = np.round(space.utilities(packages), 12)
    keep = []
    for u in utilities:
        dominated = ((utilities >= u).all(axis=1) & (utilities > u).any(axis=1)).any()
        if not dominated:
            keep.append(tuple(u))
    return set(keep)


@pytest.mark.parametrize("epsilon", [1e-300, 1e-200, 1e-13])
def test_an_epsilon_below_the_grid_gives_the_exact_frontier(epsilon: float) -> None:
    space = compile_scenario(load(JOB_OFFER))
    frontier = pareto_frontier(space, epsilon=epsilon, one_per_vector=True)
    assert frontier.exact and frontier.epsilon is None
    assert {tuple(u) for u in np.round(frontier.utilities, 12)} == _brute_force_frontier(space)


def test_peace_plan_epsilon_1e_300_is_not_one_point() -> None:
    space = compile_scenario(load(EXAMPLES / "peace-plan-2025" / "scenario.toml"))
    exact = pareto_frontier(space, one_per_vector=True)
    tiny = pareto_frontier(space, epsilon=1e-300, one_per_vector=True)
    assert exact.n_vectors == 13_345  # before the fix: 1 (an int64 overflow in the grid)
    assert tiny.n_vectors == exact.n_vectors


def test_epsilon_widths_stay_finite_for_thousands_of_steps() -> None:
    for steps in (1, 20, 1_800, 10_000):
        widths = epsilon_widths(0.01, steps)
        assert np.isfinite(widths).all() and (widths >= 0).all()
        assert widths.sum() <= 0.01 * (1 + 1e-12) and widths[-1] > 0
    # the ordinary case is unchanged: shares grow by 1.5 per step and add up to ε
    widths = epsilon_widths(0.03, 3)
    assert np.allclose(widths, 0.03 * np.array([1, 1.5, 2.25]) / 4.75)


_HUGE = {"salary = 0.4": "salary = 1.6e308", "remote = 0.2": "remote = 0.8e308",
         "vacation = 0.2": "vacation = 0.8e308", "start = 0.1": "start = 0.4e308",
         "bonus = 0.1": "bonus = 0.4e308"}


def _huge_weights(text: str) -> str:
    for old, new in _HUGE.items():  # Dana's weights come first in the file
        assert old in text
        text = text.replace(old, new, 1)
    return text


def test_weights_near_the_float_maximum_give_the_same_utilities() -> None:
    text = JOB_OFFER.read_text()
    plain, huge = loads(text), loads(_huge_weights(text))
    dana = compile_scenario(huge).weights[0]
    assert np.allclose(dana, [0.4, 0.2, 0.2, 0.1, 0.1], rtol=0, atol=1e-15)  # by hand: w / Σw
    packages = np.array(list(itertools.product(*(range(k) for k in compile_scenario(plain).n_options))))
    assert np.allclose(compile_scenario(huge).utilities(packages),
                       compile_scenario(plain).utilities(packages), rtol=0, atol=1e-12)
    assert np.allclose(party_utilities(huge, "dana", packages),
                       party_utilities(plain, "dana", packages), rtol=0, atol=1e-12)


def test_sampled_huge_weight_ranges_are_normalised_not_zeroed() -> None:
    text = JOB_OFFER.read_text().replace("salary = 0.4", "salary = { low = 1e307, high = 1.7e308 }", 1)
    text = text.replace("remote = 0.2", "remote = 1.7e308", 1)
    scenario = loads(text)
    model = build_model(scenario, compile_scenario(scenario))
    assert np.isfinite(model.weights).all()
    prof = profiles(model, sample_draws(model, np.random.default_rng(0), 64))
    best = prof.contribution.max(axis=3).sum(axis=2)  # each party's best package is worth 1
    assert np.isfinite(prof.contribution).all()
    assert np.allclose(best[:, 0], best[:, 0].clip(0.3, 1.0)) and (best[:, 0] > 0.3).all()


def test_merge_limit_is_checked_up_front(monkeypatch: pytest.MonkeyPatch) -> None:
    space = compile_scenario(load(JOB_OFFER))
    monkeypatch.setattr(limits, "MAX_MERGE_ISSUES", 5)
    assert pareto_frontier(space).n_vectors > 0
    monkeypatch.setattr(limits, "MAX_MERGE_ISSUES", 4)
    with pytest.raises(AnalysisError, match=r"5 issues with a choice .* \(at most 4\)"):
        pareto_frontier(space)
    with pytest.raises(AnalysisError, match="beyond what solve computes"):
        feasibility(space)


def test_sampling_and_search_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load(JOB_OFFER)
    space = compile_scenario(scenario)
    model = build_model(scenario, space)
    draws = sample_draws(model, np.random.default_rng(0), 4)
    monkeypatch.setattr(limits, "MAX_PROFILE_CELLS", 2 * 5 * 4)  # parties × issues × widest
    profiles(model, draws)
    monkeypatch.setattr(limits, "MAX_PROFILE_CELLS", 39)
    with pytest.raises(AnalysisError, match="2 parties × 5 issues × 4 options"):
        profiles(model, draws)
    monkeypatch.setattr(limits, "MAX_SEARCH_OPTIONS", 15)
    with pytest.raises(AnalysisError, match="16 options in all"):
        limits.check_search(space.n_options, "robust")


def test_chance_without_texts_or_estimates_answers() -> None:
    text = JOB_OFFER.read_text()
    scenario = loads(text[: text.index("[[texts]]")])
    model = build_model(scenario, compile_scenario(scenario))
    result = deal_chances(model, samples=8)
    assert result.texts == ()


def test_robust_without_must_accept_parties_is_refused_in_words() -> None:
    from accord.analysis.robust import robust_package

    scenario = load(JOB_OFFER)
    scenario.scenario.must_accept = []  # a file cannot say this; code can
    model = build_model(scenario, compile_scenario(scenario))
    with pytest.raises(AnalysisError, match="no party with preferences must accept"):
        robust_package(model, samples=16)
