"""accord's exact frontier and GENIUS's analysis points equal a brute-force enumeration.

For every linear MANIFEST domain with at most 10^6 outcomes that accord's
additive analysis accepts, the oracle of :mod:`tests.io.test_genius_oracle`
enumerates every bid under GENIUS semantics; accord's frontier
(:func:`accord.analysis.pareto.pareto_frontier`) must list exactly the same bids
(duplicates included) with the same utilities, and
:func:`accord.analysis.bargaining.genius_solutions` must pick the same Nash,
Kalai–Smorodinsky and social-welfare points.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.analysis.nonlinear import capped_frontier
from accord.io import genius
from accord.space import compile_scenario
from tests.io.test_genius_data import _CAPPED, NOT_ADDITIVE, _load, _loadable
from tests.io.test_genius_oracle import (
    genius_frontier,
    genius_kalai,
    genius_nash,
    genius_utilities,
    genius_welfare,
    raw_reservations,
)

pytestmark = pytest.mark.shared_data

pareto = pytest.importorskip("accord.analysis.pareto")
bargaining = pytest.importorskip("accord.analysis.bargaining")

FOLDERS = [f for f in _loadable(limit=10**6, linear=True) if f not in NOT_ADDITIVE]


def _bid_numbers(packages: np.ndarray, sizes: list[int]) -> np.ndarray:
    """Enumeration index of each package (first issue fastest)."""
    strides = np.cumprod([1, *sizes[:-1]])
    return (packages * strides).sum(axis=1)


#: Utilities closer than this are ties: GENIUS compares doubles with ``==``, accord sums
#: contributions snapped to 2^-40, and exact arithmetic may disagree with both (see below).
TIE = 1e-9


def _tie_sensitive(bid: int, utilities: np.ndarray, vectors: np.ndarray) -> bool:
    """Whether ``bid``'s place on the frontier hinges on a tie within :data:`TIE`.

    True when some frontier vector is at least as good for every party (within
    TIE) and within TIE of the bid in some coordinate: a rounding error in the
    last bits then decides whether it dominates.  Example: in anac/y2011/Car,
    bids 4839 and 7339 are exact duplicates (49/50, 3821/5000), but GENIUS's
    doubles differ in the last bit and GENIUS drops 7339, while exact arithmetic
    (and a frontier that treats 1e-12 as a tie) keeps both.
    """
    u = utilities[bid]
    close = np.abs(vectors - u) <= TIE
    better = (vectors >= u - TIE).all(axis=1)
    exact = (vectors == u).all(axis=1)
    return bool((better & close.any(axis=1) & ~exact).any() or
                (close.all(axis=1) & ~exact).any())


def _covers(front: np.ndarray, points: np.ndarray) -> bool:
    """Every point has a frontier vector at least as good for everyone, within TIE."""
    return all(bool((front >= point - TIE).all(axis=1).any()) for point in points)


@pytest.mark.parametrize("folder", FOLDERS)
def test_frontier_and_genius_points_equal_brute_force(genius_data: Path, folder: str) -> None:
    scenario, raw = _load(folder)
    utilities = genius_utilities(raw)
    expected = genius_frontier(utilities)
    space = compile_scenario(scenario)
    frontier = pareto.pareto_frontier(space)
    sizes = [issue.size for issue in raw.domain.issues]
    got = _bid_numbers(frontier.packages, sizes)
    # every listed package carries its GENIUS utilities
    assert np.abs(frontier.utilities - utilities[got]).max() <= TIE
    # the two frontiers cover each other: nothing is missing, nothing better is invented
    genius_vectors = np.unique(utilities[expected], axis=0)
    accord_vectors = np.unique(utilities[got], axis=0)
    assert _covers(accord_vectors, genius_vectors) and _covers(genius_vectors, accord_vectors)
    # bid for bid, they agree except where a tie within 1e-9 decides
    vectors = np.vstack([genius_vectors, accord_vectors])
    differing = set(got.tolist()) ^ set(expected.tolist())
    assert not [b for b in differing if not _tie_sensitive(b, utilities, vectors)]
    # GENIUS's Nash, Kalai–Smorodinsky and social-welfare points
    rv = np.asarray(raw_reservations(raw))
    nash, kalai, welfare = bargaining.genius_solutions(frontier, rv)

    def spread(u: np.ndarray) -> float:
        return float(sum(abs(u[i] - u[j]) for i in range(len(u)) for j in range(i + 1, len(u))))

    for solution, oracle, score in (
            (nash, genius_nash(utilities, expected, rv), lambda u: float(np.prod(u - rv))),
            (kalai, genius_kalai(utilities, expected), lambda u: -spread(u)),
            (welfare, genius_welfare(utilities, expected), lambda u: float(u.sum()))):
        if oracle is None:
            assert solution.row is None
            continue
        assert solution.row is not None
        mine, theirs = frontier.utilities[solution.row], utilities[expected[oracle]]
        if np.abs(mine - theirs).max() > TIE:  # a different point can only be a tie
            assert score(mine) == pytest.approx(score(theirs), abs=TIE)


def test_the_car_example_of_a_tie(genius_data: Path) -> None:
    """The example in _tie_sensitive's docstring, in exact arithmetic."""
    _, raw = _load("anac/y2011/Car")
    utilities = genius_utilities(raw)
    assert utilities[3932, 1] == utilities[3936, 1]
    assert utilities[3936, 0] - utilities[3932, 0] == pytest.approx(0.0104)
    assert utilities[7339, 0] == utilities[4839, 0]
    assert 0 < abs(utilities[7339, 1] - utilities[4839, 1]) < 1e-15
    assert genius_frontier(utilities).tolist().count(7339) == 0


def test_every_additive_domain_up_to_a_million_outcomes_is_covered() -> None:
    if not FOLDERS:
        pytest.skip("../shared is absent")
    assert "anac/y2015/group9-killer_robot" in FOLDERS and "anac/y2011/Energy" in FOLDERS
    assert "anac/y2010/Travel" in FOLDERS and len(FOLDERS) > 120
    assert genius.REPRESENTATION_TOLERANCE < TIE


CAPPED = [f for f in _loadable(limit=10**6, linear=True) if NOT_ADDITIVE.get(f) == _CAPPED
          and f != "other/journal_learning/six_issues"]  # 70 parties: the oracle is too slow


@pytest.mark.parametrize("folder", CAPPED)
def test_capped_frontier_equals_brute_force(genius_data: Path, folder: str) -> None:
    """Weights summing to more than 1: GENIUS's cap, handled exactly from the additive frontier."""
    scenario, raw = _load(folder)
    utilities = genius_utilities(raw)
    expected = genius_frontier(utilities)
    frontier = capped_frontier(scenario)
    vectors, packages = frontier.utilities, frontier.packages
    sizes = [issue.size for issue in raw.domain.issues]
    got = _bid_numbers(packages, sizes)
    assert np.abs(vectors - utilities[got]).max() <= 1e-12
    genius_vectors = np.unique(utilities[expected], axis=0)
    assert _covers(vectors, genius_vectors) and _covers(genius_vectors, vectors)
    assert set(got.tolist()) <= set(expected.tolist()) | {
        b for b in got.tolist() if _tie_sensitive(b, utilities, genius_vectors)}
    rv = np.asarray(raw_reservations(raw))
    nash, kalai, welfare = bargaining.genius_solutions(frontier, rv)
    for solution, oracle in ((nash, genius_nash(utilities, expected, rv)),
                             (kalai, genius_kalai(utilities, expected)),
                             (welfare, genius_welfare(utilities, expected))):
        if oracle is None:
            assert solution.row is None
            continue
        assert vectors[solution.row] == pytest.approx(utilities[expected[oracle]].tolist(),
                                                      abs=TIE)
