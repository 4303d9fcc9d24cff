"""The exact frontier against brute-force enumeration, ties, limits and the ε-frontier guarantee."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from accord.analysis.dominance import dominated_by, nondominated
from accord.analysis.pareto import FrontierTooLarge, package_utilities, pareto_frontier
from accord.space import UNRESOLVED, UTILITY_TOLERANCE
from tests.analysis import oracle
from tests.analysis.strategies import SpaceSpec, build_space, space_and_text, spaces

SETTINGS = settings(max_examples=70, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def assert_same_frontier(found, packages: np.ndarray, utilities: np.ndarray) -> None:  # type: ignore[no-untyped-def]
    ours = oracle.as_set(found.packages, found.utilities)
    theirs = oracle.as_set(packages, utilities)
    assert len(ours) == len(found), "a package is listed twice"
    missing = theirs.keys() - ours.keys()
    extra = ours.keys() - theirs.keys()
    assert not missing and not extra, f"missing {sorted(missing)[:3]}, extra {sorted(extra)[:3]}"
    for key, u in ours.items():
        np.testing.assert_allclose(u, theirs[key], atol=1e-9, rtol=0)


# -- the dominance kernel -------------------------------------------------------


@SETTINGS
@given(hnp.arrays(np.int64, st.tuples(st.integers(0, 400), st.integers(1, 6)),
                  elements=st.integers(0, 5)),
       st.data())
def test_kernel_matches_pairwise_comparison(points: np.ndarray, data: st.DataObject) -> None:
    strict = data.draw(st.integers(0, points.shape[1]))
    if points.shape[0]:
        expected = oracle.pareto_mask(points.astype(float), strict) if strict else \
            np.ones(points.shape[0], dtype=bool)
    else:
        expected = np.zeros(0, dtype=bool)
    np.testing.assert_array_equal(nondominated(points, strict), expected)


def test_kernel_on_a_large_antichain_with_duplicates() -> None:
    rng = np.random.default_rng(3)
    base = rng.integers(0, 40, size=(6000, 4)).astype(float)
    base[:, 0] = 200 - base[:, 1:].sum(axis=1) + rng.integers(0, 3, size=6000)
    points = np.vstack([base, base[:500]])  # exact duplicates must survive together
    mask = nondominated(points)
    np.testing.assert_array_equal(mask, oracle.pareto_mask(points))
    np.testing.assert_array_equal(mask[:500], mask[6000:])


def test_dominated_by_is_weak_dominance() -> None:
    reference = np.array([[1.0, 1.0], [0.0, 2.0]])
    candidates = np.array([[1.0, 1.0], [0.5, 0.5], [1.5, 0.0], [0.0, 2.5]])
    np.testing.assert_array_equal(dominated_by(candidates, reference), [True, True, False, False])


# -- the frontier of a space ----------------------------------------------------


@SETTINGS
@given(spaces())
def test_frontier_equals_brute_force(space) -> None:  # type: ignore[no-untyped-def]
    found = pareto_frontier(space)
    assert found.exact and found.epsilon is None
    assert_same_frontier(found, *oracle.frontier(space))


@SETTINGS
@given(spaces(), st.data())
def test_acceptable_frontier_of_chosen_parties_equals_brute_force(space, data) -> None:  # type: ignore[no-untyped-def]
    # Some chosen sets leave a must-accept party out: it must still accept.
    parties = data.draw(st.lists(st.integers(0, space.n_parties - 1), min_size=1,
                                 max_size=space.n_parties, unique=True))
    found = pareto_frontier(space, parties, acceptable_only=True)
    assert found.parties == tuple(parties)
    assert_same_frontier(found, *oracle.frontier(space, parties, acceptable_only=True))
    if len(found):
        assert oracle.acceptable_mask(space, found.packages).all()


@SETTINGS
@given(space_and_text(), st.booleans())
def test_fixed_points_stay_fixed(space, acceptable) -> None:  # type: ignore[no-untyped-def]
    text = space.texts[0]
    found = pareto_frontier(space, acceptable_only=acceptable, fixed=text)
    agreed = text != UNRESOLVED
    assert (found.packages[:, agreed] == text[agreed]).all()
    assert_same_frontier(found, *oracle.frontier(space, acceptable_only=acceptable, fixed=text))


def test_ties_are_all_listed() -> None:
    # One issue nobody cares about: every frontier vector is reached by each of
    # its three options, and all three packages are on the frontier.
    spec = SpaceSpec(seed=7, n_parties=3, n_options=(3, 4, 3), dyadic=True, red_line_rate=0.0,
                     reservation_level=0.0, must_accept_count=3, n_texts=0, open_rate=0.0)
    space = build_space(spec)
    contribution = space.contribution.copy()
    contribution[:, 2, :] = 0.0
    space = _replace(space, contribution=contribution)
    found = pareto_frontier(space)
    assert len(found) == 3 * found.n_vectors
    for option in range(3):
        assert (found.packages[:, 2] == option).sum() == found.n_vectors
    assert_same_frontier(found, *oracle.frontier(space))
    single = pareto_frontier(space, one_per_vector=True)
    assert len(single) == single.n_vectors == found.n_vectors


def test_utilities_are_the_packages_utilities() -> None:
    space = build_space(SpaceSpec(11, 4, (4, 3, 5, 2, 3), False, 0.1, 0.0, 2, 0, 0.0))
    found = pareto_frontier(space)
    np.testing.assert_allclose(found.utilities, space.utilities(found.packages), atol=1e-10)
    np.testing.assert_allclose(found.utilities, package_utilities(space, found.packages), atol=1e-12)


def test_unknown_party_and_bad_epsilon_are_rejected() -> None:
    space = build_space(SpaceSpec(1, 2, (2, 2), False, 0.0, 0.0, 1, 0, 0.0))
    with pytest.raises(ValueError, match="unknown party"):
        pareto_frontier(space, ["nobody"])
    with pytest.raises(ValueError, match="listed twice"):
        pareto_frontier(space, [0, 0])
    for bad in (0.0, -0.1, float("nan")):
        with pytest.raises(ValueError, match="epsilon"):
            pareto_frontier(space, epsilon=bad)


def test_too_large_is_an_error_not_an_approximation() -> None:
    space = build_space(SpaceSpec(5, 4, (5,) * 8, False, 0.0, 0.0, 4, 0, 0.0))
    with pytest.raises(FrontierTooLarge, match="ε-frontier"):
        pareto_frontier(space, max_vectors=50)


def test_acceptable_frontier_is_empty_when_a_fixed_point_is_a_red_line() -> None:
    space = build_space(SpaceSpec(2, 2, (3, 3), False, 0.0, -0.5, 2, 0, 0.0))
    red = space.red_lines.copy()
    red[0, 0, 1] = True
    space = _replace(space, red_lines=red)
    found = pareto_frontier(space, acceptable_only=True, fixed={0: 1})
    assert len(found) == 0 and found.empty_reason


@settings(max_examples=40, deadline=None)
@given(spaces(max_parties=4, max_outcomes=20_000), st.sampled_from([0.02, 0.05, 0.2]),
       st.booleans())
def test_epsilon_frontier_covers_every_package(space, epsilon, acceptable) -> None:  # type: ignore[no-untyped-def]
    found = pareto_frontier(space, acceptable_only=acceptable, epsilon=epsilon)
    packages, utilities = oracle.frontier(space, acceptable_only=acceptable)
    if found.exact:
        assert found.epsilon is None
        assert_same_frontier(found, packages, utilities)
        return
    assert 0 < found.epsilon <= epsilon + 1e-12
    # Listed packages are real, acceptable when asked, and mutually non-dominated.
    np.testing.assert_allclose(found.utilities, space.utilities(found.packages), atol=1e-9)
    assert oracle.pareto_mask(found.utilities).all()
    if acceptable:
        assert oracle.acceptable_mask(space, found.packages).all()
        # The guarantee covers packages that clear every reservation value by ε.
        margins = utilities[:, space.must_accept] - space.reservation[space.must_accept]
        utilities = utilities[(margins >= found.epsilon).all(axis=1)]
    for u in utilities:
        assert (found.utilities >= u - found.epsilon - 1e-9).all(axis=1).any()


def test_epsilon_frontier_is_smaller_and_says_so() -> None:
    space = build_space(SpaceSpec(9, 3, (5,) * 7, False, 0.0, 0.0, 3, 0, 0.0))
    exact = pareto_frontier(space)
    rough = pareto_frontier(space, epsilon=0.05)
    assert not rough.exact and rough.epsilon is not None and rough.epsilon <= 0.05
    assert len(rough) < len(exact)
    for u in exact.utilities:
        assert (rough.utilities >= u - rough.epsilon - 1e-12).all(axis=1).any()


def test_job_offer_by_hand(job_offer_path) -> None:  # type: ignore[no-untyped-def]
    from accord.io.scenario_file import load
    from accord.space import compile_scenario

    space = compile_scenario(load(job_offer_path))
    found = pareto_frontier(space, acceptable_only=True)
    assert_same_frontier(found, *oracle.frontier(space, acceptable_only=True))
    # Dana's red line (office) never appears; every package clears both reservations.
    office = space.option_index("remote", "office")
    assert (found.packages[:, space.issue_index("remote")] != office).all()
    assert (found.utilities >= space.reservation - UTILITY_TOLERANCE).all()


def _replace(space, **changes):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(space, **changes)


@pytest.mark.parametrize(("parties", "options", "dyadic"), [
    (2, (6, 6, 5, 5, 4, 4, 3), True),      # 86,400 packages, many exact ties
    (3, (5, 5, 5, 4, 4, 4, 3, 2), False),  # 96,000 packages
    (5, (8, 8, 6, 6, 5, 5), False),        # 115,200 packages, five parties
])
def test_frontier_on_spaces_of_about_a_hundred_thousand_packages(parties, options, dyadic) -> None:  # type: ignore[no-untyped-def]
    space = build_space(SpaceSpec(17, parties, options, dyadic, 0.05, 0.05, 2, 0, 0.0))
    assert_same_frontier(pareto_frontier(space), *oracle.frontier(space))
    assert_same_frontier(pareto_frontier(space, acceptable_only=True),
                         *oracle.frontier(space, acceptable_only=True))
