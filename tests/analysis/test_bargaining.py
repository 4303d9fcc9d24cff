"""Bargaining solutions against brute force, and GENIUS's definitions against GENIUS's own procedure."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analysis.bargaining import (
    bargaining_solutions,
    genius_order,
    genius_solutions,
    nash_solution,
)
from accord.analysis.pareto import pareto_frontier
from tests.analysis import oracle
from tests.analysis.strategies import SpaceSpec, build_space, spaces

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def brute_force_optima(utilities: np.ndarray, d: np.ndarray) -> dict[str, float] | None:
    """The four optima over all the given packages, straight from the definitions."""
    rational = oracle.individually_rational(utilities, d)
    if not rational.any():
        return None
    u = utilities[rational]
    gains = np.clip(u - d, 0.0, None)
    ideal = u.max(axis=0)
    span = ideal - d
    counted = span > 1e-9
    shares = (gains[:, counted] / span[counted]).min(axis=1) if counted.any() else np.zeros(len(u))
    return {
        "nash": float(gains.prod(axis=1).max()),
        "kalai_smorodinsky": float(shares.max()),
        "egalitarian": float((u - d).min(axis=1).max()),
        "utilitarian": float(u.sum(axis=1).max()),
    }


@SETTINGS
@given(spaces(), st.booleans(), st.data())
def test_solutions_equal_brute_force_optima(space, acceptable, data) -> None:  # type: ignore[no-untyped-def]
    shift = data.draw(st.sampled_from([None, -0.2, 0.05]))
    d = None if shift is None else np.clip(space.reservation + shift, 0, 1)
    solutions = bargaining_solutions(space, parties=range(space.n_parties),
                                     acceptable_only=acceptable, disagreement=d)
    packages = oracle.all_packages(space)
    if acceptable:
        packages = packages[oracle.acceptable_mask(space, packages)]
    utilities = space.utilities(packages) if packages.size else np.zeros((0, space.n_parties))
    point = space.reservation if d is None else d
    expected = brute_force_optima(utilities, point)
    for solution in solutions.all():
        if expected is None:
            assert solution.value is None and solution.row is None
            continue
        assert solution.value == pytest.approx(expected[solution.name], abs=1e-9), solution.name
        # The package shown really has that value, and is on the frontier.
        row = solution.row
        assert row is not None
        package = solutions.frontier.packages[row]
        np.testing.assert_allclose(space.utilities(package), solutions.frontier.utilities[row],
                                   atol=1e-9)


def test_nash_ignores_packages_below_the_disagreement_point() -> None:
    space = build_space(SpaceSpec(3, 2, (4, 4, 4), False, 0.0, 0.0, 2, 0, 0.0))
    frontier = pareto_frontier(space)
    high = frontier.utilities.max(axis=0) + 0.01  # nobody can reach it
    assert nash_solution(frontier, high).row is None
    with pytest.raises(ValueError, match="disagreement point"):
        nash_solution(frontier, [0.1])


def test_ties_are_reported() -> None:
    # Two parties with mirrored preferences over a symmetric issue: (a, b) and (b, a)
    # tie for the Nash product and the egalitarian value.
    spec = SpaceSpec(0, 2, (2, 2), True, 0.0, -1.0, 2, 0, 0.0)
    space = build_space(spec)
    from dataclasses import replace

    contribution = np.zeros_like(space.contribution)
    contribution[0, 0] = [0.5, 0.0]
    contribution[1, 0] = [0.0, 0.5]
    contribution[0, 1] = [0.0, 0.5]
    contribution[1, 1] = [0.5, 0.0]
    space = replace(space, contribution=contribution, reservation=np.zeros(2))
    solutions = bargaining_solutions(space, acceptable_only=False)
    assert len(solutions.nash.rows) == 2  # (0,0)-> (0.5,0.5) and (1,1) -> (0.5,0.5)
    assert solutions.nash.value == pytest.approx(0.25)


# -- GENIUS ---------------------------------------------------------------------


def genius_procedure(space, rv):  # type: ignore[no-untyped-def]
    """GENIUS's BidSpace, step by step: enumerate bids (first issue fastest), build the
    frontier incrementally, sort stably by the first party's utility, then scan."""
    import itertools

    bids = [tuple(reversed(b)) for b in itertools.product(
        *[range(int(n)) for n in reversed(space.n_options.tolist())])]
    points: list[tuple[np.ndarray, tuple[int, ...]]] = []
    for bid in bids:
        u = space.utilities(np.array(bid))
        if any((q >= u - oracle.TIE).all() and (q > u + oracle.TIE).any() for q, _ in points):
            continue
        points = [(q, b) for q, b in points
                  if not ((u >= q - oracle.TIE).all() and (u > q + oracle.TIE).any())]
        points.append((u, bid))
    points.sort(key=lambda item: item[0][0])  # Python's sort is stable
    nash, best = None, -1.0
    for u, bid in points:
        product = float(np.prod(u - rv))
        if product > best:
            best, nash = product, bid
    ks, threshold = None, 2.0
    for u, bid in points:
        gap = sum(abs(u[i] - u[j]) for i in range(len(u)) for j in range(i + 1, len(u)))
        if gap < threshold:
            threshold, ks = gap, bid
    welfare, top = None, -np.inf
    for u, bid in points:
        if u.sum() > top:
            top, welfare = u.sum(), bid
    return nash, ks, welfare


@settings(max_examples=40, deadline=None)
@given(spaces(max_outcomes=400, max_parties=3, red_lines=False), st.booleans())
def test_genius_variants_follow_genius_procedure(space, with_rv) -> None:  # type: ignore[no-untyped-def]
    rv = space.reservation if with_rv else np.zeros(space.n_parties)
    frontier = pareto_frontier(space)
    ours = genius_solutions(frontier, rv)
    theirs = genius_procedure(space, rv)
    for solution, bid in zip(ours, theirs, strict=True):
        if bid is None:
            assert solution.row is None
            continue
        assert solution.row is not None
        # Utility vectors must agree exactly; among exactly tied bids, GENIUS's
        # order (first party's utility, then enumeration order) decides.
        np.testing.assert_allclose(frontier.utilities[solution.row], space.utilities(np.array(bid)),
                                   atol=1e-9)
        assert tuple(frontier.packages[solution.row]) == bid


def test_genius_order_is_first_party_then_enumeration() -> None:
    space = build_space(SpaceSpec(5, 2, (3, 3), True, 0.0, 0.0, 2, 0, 0.0))
    frontier = pareto_frontier(space)
    order = genius_order(frontier)
    first = frontier.utilities[order, 0]
    assert (np.diff(first) >= 0).all()


@pytest.mark.shared_data
def test_genius_fitness_a_reference_values(genius_data) -> None:  # type: ignore[no-untyped-def]
    """GENIUS's BidSpace on anac/y2012/FitnessA (values recorded in the GENIUS notes §8)."""
    from accord.io.genius import load_folder
    from accord.space import compile_scenario

    space = compile_scenario(load_folder(genius_data / "anac" / "y2012" / "FitnessA"))
    frontier = pareto_frontier(space)
    assert len(frontier) == 20
    nash, ks, welfare = genius_solutions(frontier, space.reservation)
    assert frontier.utilities[nash.row] == pytest.approx([0.795779, 0.815445], abs=1e-6)
    assert frontier.utilities[ks.row] == pytest.approx([0.795779, 0.815445], abs=1e-6)
    assert space.positions(frontier.packages[nash.row])["kind-of-fitness"] == "tennis"
    nash0, _, _ = genius_solutions(frontier, np.zeros(2))
    assert frontier.utilities[nash0.row] == pytest.approx([0.773249, 0.839963], abs=1e-6)
    assert frontier.utilities[welfare.row] == pytest.approx([0.773249, 0.839963], abs=1e-6)


def test_default_parties_are_the_must_accept_ones() -> None:
    # Issue 11, defect 4: by default the solutions are over the must-accept parties (all
    # when none must accept), so the report and `accord solve` name the same packages.
    from accord.analysis.bargaining import default_parties

    space = build_space(SpaceSpec(3, 2, (4, 4, 4), False, 0.0, 0.0, 2, 0, 0.0))
    must = tuple(int(p) for p in np.flatnonzero(space.must_accept))
    assert default_parties(space) == (must or tuple(range(space.n_parties)))
    assert bargaining_solutions(space).frontier.parties == default_parties(space)
    import dataclasses

    n = space.n_parties
    one = dataclasses.replace(space, must_accept=np.arange(n) == n - 1)
    assert bargaining_solutions(one).frontier.parties == (n - 1,)
    none = dataclasses.replace(space, must_accept=np.zeros(n, dtype=bool))
    assert bargaining_solutions(none).frontier.parties == tuple(range(n))
