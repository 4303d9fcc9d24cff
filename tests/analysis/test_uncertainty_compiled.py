"""The deal-chance engine's fast paths against independent oracles.

* the two-party exact search (a staircase per step) against enumerating every package;
* the screen, which stops at the first acceptable maximiser, against its numpy twin
  that bounds every direction first (same answers, same counts);
* the compiled open-text outcomes against the numpy ones;
* ``--any-package`` runs: every text's tallies equal a run without the existence check;
* ``deal_chances(texts=…)`` by id and by index.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.analysis import kernels
from accord.analysis.uncertainty import build_model, deal_chances
from accord.analysis.uncertainty.existence import _directions, _screen_numpy
from accord.analysis.uncertainty.sampling import Profiles, text_outcomes
from accord.errors import UnknownIdError
from accord.io.scenario_file import load
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, compile_scenario
from tests.analysis.test_uncertainty import brute_force_exists, random_profiles, small_space


@pytest.mark.parametrize("issues, width, seed", [(5, 3, 1), (6, 3, 2), (4, 5, 3), (7, 2, 4)])
def test_the_two_party_exact_search_equals_enumeration(issues: int, width: int, seed: int) -> None:
    # Every sample through find_acceptable (the bounds skipped), two must-accept parties.
    space = small_space(2, issues, width, 2)
    prof, _ = random_profiles(np.random.default_rng(seed), 300, 2, issues, width)
    expected = brute_force_exists(space, prof)
    assert 0 < expected.mean() < 1
    allowed = space.option_mask[None] & ~prof.red_lines.any(axis=1)
    for s in range(len(expected)):
        package = kernels.find_acceptable(prof.contribution[s], prof.reservation[s], allowed[s],
                                          1e-9)
        assert bool(package.shape[0]) == expected[s], s
        if package.shape[0]:   # the package returned is itself acceptable
            utility = prof.contribution[s][:, np.arange(issues), package].sum(axis=1)
            assert (utility >= prof.reservation[s] - 1e-9).all()
            assert allowed[s][np.arange(issues), package].all()


def test_the_two_party_search_on_near_ties_equals_enumeration() -> None:
    # Values on a coarse grid make many partial sums equal or tied in one coordinate:
    # the staircase must keep one of equal sums and drop only dominated ones.
    rng = np.random.default_rng(9)
    issues, width = 6, 3
    space = small_space(2, issues, width, 2)
    contribution = rng.integers(0, 4, (400, 2, issues, width)) / (4.0 * issues)
    red_lines = np.zeros(contribution.shape, dtype=bool)
    reservation = rng.choice([0.3, 0.4, 0.5, 0.55], (400, 2))
    prof = Profiles(contribution, red_lines, reservation)
    expected = brute_force_exists(space, prof)
    assert 0 < expected.mean() < 1
    allowed = np.ones((issues, width), dtype=bool)
    found = [bool(kernels.find_acceptable(contribution[s], reservation[s], allowed, 1e-9).shape[0])
             for s in range(400)]
    np.testing.assert_array_equal(found, expected)


def test_the_two_party_search_on_reservations_at_the_frontier_equals_enumeration() -> None:
    # Reservation values at (or just above) an efficient package's utilities: the answer
    # hinges on the exact frontier, so a search that drops one undominated partial sum
    # too many answers "no" where a package exists.
    import itertools

    rng = np.random.default_rng(21)
    issues, width, n = 8, 3, 120
    packages = np.array(list(itertools.product(range(width), repeat=issues)))
    allowed = np.ones((issues, width), dtype=bool)
    answers = []
    for s in range(n):
        contribution = rng.random((2, issues, width)) / issues
        utility = contribution[:, np.arange(issues), packages].sum(axis=2).T      # (N, 2)
        lam = rng.random()
        efficient = utility[np.argmax(lam * utility[:, 0] + (1 - lam) * utility[:, 1])]
        nudge = rng.choice([0.0, 1e-6, 1e-3]) * rng.integers(0, 2, 2)
        reservation = efficient + nudge
        expected = bool((utility >= reservation - 1e-9).all(axis=1).any())
        found = kernels.find_acceptable(contribution, reservation, allowed, 1e-9)
        assert bool(found.shape[0]) == expected, s
        answers.append(expected)
    assert 0.2 < np.mean(answers) < 0.95


@pytest.mark.parametrize("parties", [2, 3])
def test_the_screen_stopping_early_settles_what_bounding_every_direction_first_does(
        parties: int) -> None:
    issues, width, n = 5, 3, 600
    space = small_space(parties, issues, width, parties)
    prof, _ = random_profiles(np.random.default_rng(parties), n, parties, issues, width)
    truth = brute_force_exists(space, prof)
    allowed = np.ascontiguousarray(~prof.red_lines.any(axis=1))
    directions = _directions(parties)
    pool = np.zeros((0, issues), dtype=np.int64)
    decided, exists, by_bound, by_candidate = kernels.screen_existence(
        np.ascontiguousarray(prof.contribution), np.ascontiguousarray(prof.reservation), allowed,
        directions, pool, 1e-9)
    # The oracle, in numpy: every bound first, then every direction's maximiser.
    c, r, tol = prof.contribution, prof.reservation, 1e-9
    masked = np.where(allowed[:, None], c, -np.inf)
    infeasible = ~allowed.any(axis=2).any(axis=1) | (masked.max(axis=3).sum(axis=2) < r - tol).any(axis=1)
    scores = np.where(allowed[..., None], np.einsum("nmik,lm->nikl", c, directions), -np.inf)
    infeasible |= (scores.max(axis=2).sum(axis=1) - r @ directions.T < -tol).any(axis=1)
    maximisers = scores.argmax(axis=2)                                   # (n, I, L)
    rows = np.arange(n)[:, None, None]
    issue = np.arange(issues)[None, :, None]
    utility = c[rows[..., None], np.arange(parties)[None, None, None, :], issue[..., None],
                maximisers[..., None]].sum(axis=1)                       # (n, L, M)
    ok = (utility >= r[:, None, :] - tol).all(axis=2) & allowed[rows, issue, maximisers].all(axis=1)
    by_maximiser = ~infeasible & ok.any(axis=1)
    np.testing.assert_array_equal(decided & ~exists, infeasible)
    np.testing.assert_array_equal(decided & exists, by_maximiser)
    assert (by_bound, by_candidate) == (int(infeasible.sum()), int(by_maximiser.sum()))
    assert not truth[infeasible].any() and truth[by_maximiser].all()
    assert by_maximiser.sum() > 0 and infeasible.sum() > 0 and (~decided).any()
    twin = _screen_numpy(prof.contribution, prof.reservation, allowed, directions, pool, tol)
    assert twin[2] == by_bound


def test_the_compiled_open_text_outcomes_equal_the_numpy_ones() -> None:
    from accord.analysis.uncertainty.compiled import open_text_outcomes

    rng = np.random.default_rng(5)
    issues, width = 6, 4
    space = small_space(3, issues, width, 2)
    prof, _ = random_profiles(rng, 500, 3, issues, width)
    texts = rng.integers(0, width, (5, issues))
    texts[rng.random(texts.shape) < 0.4] = UNRESOLVED
    texts[0] = UNRESOLVED                     # every point open
    texts[1, :] = rng.integers(0, width, issues)   # none open
    expected = text_outcomes(space, prof, texts)
    found = open_text_outcomes(prof.contribution, prof.red_lines, space.option_mask, texts,
                               prof.reservation, UTILITY_TOLERANCE)
    np.testing.assert_allclose(found[2], expected[2], atol=1e-12)
    margin = expected[2]
    clear = np.abs(margin) > 1e-9      # away from the threshold, the verdicts agree exactly
    np.testing.assert_array_equal(found[0][clear], expected[0][clear])
    np.testing.assert_array_equal(found[1], expected[1])
    assert 0 < expected[0].mean() < 1 and 0 < expected[1].mean() < 1


@pytest.fixture(scope="module")
def flagship_model(peace_plan_path: Path):  # type: ignore[no-untyped-def]
    scenario = load(peace_plan_path)
    return build_model(scenario, compile_scenario(scenario))


@pytest.fixture(scope="module")
def peace_plan_path() -> Path:
    return Path(__file__).resolve().parents[2] / "examples" / "peace-plan-2025" / "scenario.toml"


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
def test_an_any_package_run_tallies_the_texts_as_a_run_without_it(
        flagship_model, engine: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    # Texts with open points and complete texts, with and without the existence check:
    # the same draws, so the same per-text tallies (up to the tolerance at the threshold).
    monkeypatch.setenv("ACCORD_ENGINE", engine)
    with_check = deal_chances(flagship_model, samples=6000, seed=3, any_package=True)
    without = deal_chances(flagship_model, samples=6000, seed=3)
    assert with_check.p_any_package is not None and 0 < with_check.p_any_package < 1
    for a, b in zip(with_check.texts, without.texts, strict=True):
        assert a.text == b.text
        assert abs(a.p_all - b.p_all) <= 1 / 6000
        for pa, pb in zip(a.parties, b.parties, strict=True):
            assert abs(pa.p_accept - pb.p_accept) <= 1 / 6000
            assert abs(pa.margin_mean - pb.margin_mean) < 1e-12


def test_deal_chances_takes_text_ids_or_indices(flagship_model) -> None:  # type: ignore[no-untyped-def]
    space = flagship_model.space
    by_ids = deal_chances(flagship_model, texts=[space.text_ids[2], space.text_ids[0]],
                          samples=3000, seed=1)
    by_indices = deal_chances(flagship_model, texts=[2, 0], samples=3000, seed=1)
    by_old = deal_chances(flagship_model, [2, 0], samples=3000, seed=1)
    assert by_ids == by_indices == by_old
    assert [t.text for t in by_ids.texts] == [2, 0]
    alone = deal_chances(flagship_model, texts=space.text_ids[1], samples=3000, seed=1)
    assert [t.text for t in alone.texts] == [1]
    misspelt = space.text_ids[0][:-1] + "x"
    with pytest.raises(UnknownIdError, match="did you mean"):
        deal_chances(flagship_model, texts=[misspelt], samples=100)
    with pytest.raises(ValueError, match="not both"):
        deal_chances(flagship_model, [0], texts=[0], samples=100)


def test_a_chunk_on_the_compiled_engine_tallies_its_open_texts_like_numpy() -> None:
    """The compiled engine's outcomes for texts with open points reach the tally."""
    from accord.analysis.uncertainty import build_model, chunk_plan
    from accord.analysis.uncertainty.runs import run_chunk
    from accord.io.scenario_file import load
    from accord.space import compile_scenario

    scenario = load(Path(__file__).parents[2] / "examples" / "job-offer.toml")
    space = compile_scenario(scenario)
    model = build_model(scenario, space)
    assert (space.texts == UNRESOLVED).any(axis=1).any()   # "revised" leaves the bonus open
    [(seed, n)] = chunk_plan(300, 0)
    numpy_tally = run_chunk(model, seed, n, space.texts, False, engine="numpy")
    compiled_tally = run_chunk(model, seed, n, space.texts, False, engine="compiled")
    np.testing.assert_array_equal(compiled_tally.surely, numpy_tally.surely)
    np.testing.assert_array_equal(compiled_tally.possibly, numpy_tally.possibly)
    np.testing.assert_allclose(compiled_tally.margin_sum, numpy_tally.margin_sum, atol=1e-9)
    assert numpy_tally.surely.sum() > 0
