"""A brute-force GENIUS oracle, checked against GENIUS's own published results.

The oracle enumerates every bid of a domain in GENIUS's order (§8: an
odometer, first issue fastest), evaluates it with the raw GENIUS reader
(:mod:`accord.io.genius_xml`, whose numbers the spec's test vectors pin down)
and computes GENIUS's analysis points by GENIUS's definitions: the frontier
keeps every bid whose utility vector no other bid dominates — duplicates
included — stably sorted by the first party's utility; Nash maximises
Π(u − rv) with the raw reservation values from −1 up; Kalai–Smorodinsky
minimises Σ|u_i − u_j|; social welfare maximises Σu.  Ties keep the earliest
point.  Other test modules import these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from accord.io import genius
from accord.io import genius_xml as gx

FloatArray = np.ndarray

# ---------------------------------------------------------------------------
# enumeration


def bid_indices(sizes: Sequence[int]) -> np.ndarray:
    """``(I, N)`` option indices of every bid in GENIUS's order (first issue fastest)."""
    if not sizes:
        return np.zeros((0, 1), dtype=np.int64)
    grids = np.indices(tuple(reversed(sizes)), dtype=np.int64).reshape(len(sizes), -1)
    return grids[::-1]


def genius_utilities(folder: genius.GeniusFolder, limit: int = 2_000_000) -> FloatArray:
    """``(N, P)`` GENIUS utilities of every bid, in enumeration order (linear profiles)."""
    domain = folder.domain
    sizes = [issue.size for issue in domain.issues]
    n = int(np.prod(sizes, dtype=object))
    if n > limit:
        raise ValueError(f"{n} bids is too many to enumerate")
    index = bid_indices(sizes)
    result = np.empty((n, len(folder.profiles)))
    for p, (_, profile) in enumerate(folder.profiles):
        if isinstance(profile, gx.NonlinearProfile):
            raise ValueError("use NonlinearProfile.utility bid by bid")
        total = np.zeros(n)
        for i, terms in enumerate(profile.terms(domain)):
            total = total + terms[index[i]]
        result[:, p] = np.minimum(1.0, total)
    return result


# ---------------------------------------------------------------------------
# dominance


_ONE = np.uint64(1)


def _weakly_dominated(queries: FloatArray, points: FloatArray, same: bool = False) -> np.ndarray:
    """For each query q: is there a point d ≥ q in every coordinate (d ≠ q itself if ``same``)?

    Bit-parallel: per coordinate, the points at least as large as q form a
    prefix of that coordinate's descending order, kept as a bitset; the
    intersection over coordinates is non-empty iff q is weakly dominated.
    """
    n, parties = queries.shape
    out = np.zeros(n, dtype=bool)
    block = 8192
    for b0 in range(0, len(points), block):
        part = points[b0:b0 + block]
        m = len(part)
        words = (m + 63) // 64
        tables, ranks = [], []
        for k in range(parties):
            order = np.argsort(-part[:, k], kind="stable")
            table = np.zeros((m + 1, words), dtype=np.uint64)
            table[np.arange(1, m + 1), order // 64] = np.left_shift(
                _ONE, (order % 64).astype(np.uint64))
            np.bitwise_or.accumulate(table, axis=0, out=table)
            tables.append(table)
            ranks.append(np.searchsorted(-part[order, k], -queries[:, k], side="right"))
        for q0 in range(0, n, block):
            rows = slice(q0, min(n, q0 + block))
            acc = tables[0][ranks[0][rows]]
            for k in range(1, parties):
                acc &= tables[k][ranks[k][rows]]
            if same:
                local = np.arange(rows.start, rows.stop) - b0
                inside = (local >= 0) & (local < m)
                where, own = np.flatnonzero(inside), local[inside]
                acc[where, own // 64] &= ~np.left_shift(_ONE, (own % 64).astype(np.uint64))
            out[rows] |= acc.any(axis=1)
    return out


def nondominated(utilities: FloatArray) -> np.ndarray:
    """Mask of the bids whose utility vector no other bid dominates (exact ``==``, no epsilon)."""
    n, parties = utilities.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if parties == 1:
        return utilities[:, 0] == utilities[:, 0].max()
    vectors, inverse = np.unique(utilities, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    if parties == 2:
        keep = _sweep_2d(vectors)
    else:
        rng = np.random.default_rng(0)
        directions = rng.dirichlet(np.ones(parties), size=256)
        seeds = np.unique((directions @ vectors.T).argmax(axis=1))
        alive = ~_weakly_dominated(vectors, vectors[seeds])
        alive[seeds] = True  # a maximiser of a positive weighting is never dominated
        candidates = np.flatnonzero(alive)
        beaten = _weakly_dominated(vectors[candidates], vectors[candidates], same=True)
        keep = np.zeros(len(vectors), dtype=bool)
        keep[candidates[~beaten]] = True
    return keep[inverse]


def _sweep_2d(vectors: FloatArray) -> np.ndarray:
    u0, u1 = vectors[:, 0], vectors[:, 1]
    order = np.lexsort((-u1, -u0))  # u0 descending, then u1 descending
    s0, s1 = u0[order], u1[order]
    first = np.r_[True, s0[1:] != s0[:-1]]
    group = np.cumsum(first) - 1
    group_best = s1[first]
    before = np.r_[-np.inf, np.maximum.accumulate(group_best)[:-1]]
    keep_sorted = (s1 == group_best[group]) & (s1 > before[group])
    keep = np.zeros(len(vectors), dtype=bool)
    keep[order[keep_sorted]] = True
    return keep


def genius_frontier(utilities: FloatArray) -> np.ndarray:
    """GENIUS's frontier as bid indices: non-dominated bids in enumeration order, stably sorted by u_A."""
    members = np.flatnonzero(nondominated(utilities))
    return members[np.argsort(utilities[members, 0], kind="stable")]


def genius_frontier_incremental(utilities: FloatArray) -> list[int]:
    """GENIUS's ``ParetoFrontier`` algorithm literally (small inputs only): the cross-check."""
    frontier: list[int] = []
    for b, point in enumerate(utilities):
        dominated = False
        survivors = []
        for f in frontier:
            other = utilities[f]
            if (other >= point).all() and (other > point).any():
                dominated = True
                break
            if not ((point >= other).all() and (point > other).any()):
                survivors.append(f)
        if dominated:
            continue
        frontier = [*survivors, b]
    return sorted(frontier, key=lambda f: utilities[f, 0])  # sorted() is stable


def genius_nash(utilities: FloatArray, frontier: np.ndarray,
                reservation: Sequence[float]) -> int | None:
    """Index (into ``frontier``) of GENIUS's Nash point: max Π(u − rv), best starting at −1."""
    best, chosen = -1.0, None
    for k, b in enumerate(frontier):
        product = float(np.prod(utilities[b] - np.asarray(reservation)))
        if product > best:
            best, chosen = product, k
    return chosen


def genius_kalai(utilities: FloatArray, frontier: np.ndarray) -> int | None:
    """Index of GENIUS's Kalai–Smorodinsky point: min Σ_{i<j} |u_i − u_j| (threshold from 2)."""
    best, chosen = 2.0, None
    for k, b in enumerate(frontier):
        u = utilities[b]
        spread = float(sum(abs(u[i] - u[j]) for i in range(len(u)) for j in range(i + 1, len(u))))
        if spread < best:
            best, chosen = spread, k
    return chosen


def genius_welfare(utilities: FloatArray, frontier: np.ndarray) -> int | None:
    """Index of GENIUS's social-welfare point: max Σu, first on ties."""
    if len(frontier) == 0:
        return None
    return int(np.argmax(utilities[frontier].sum(axis=1)))


def raw_reservations(folder: genius.GeniusFolder) -> list[float]:
    return [p.reservation if p.reservation is not None else 0.0 for _, p in folder.profiles]


# ---------------------------------------------------------------------------
# the oracle against GENIUS's published results


def _folder(genius_data: Path, name: str) -> genius.GeniusFolder:
    return genius.read_folder(genius_data / name)


@pytest.mark.shared_data
def test_enumeration_order_is_an_odometer_with_the_first_issue_fastest(genius_data: Path) -> None:
    folder = _folder(genius_data, "other/IntegerDomain")
    listed = list(gx.iter_bids(folder.domain))
    sizes = [issue.size for issue in folder.domain.issues]
    index = bid_indices(sizes)
    rebuilt = [tuple(issue.values[index[i, n]] for i, issue in enumerate(folder.domain.issues))
               for n in range(index.shape[1])]
    assert listed == rebuilt
    assert listed[0] == (-5, -5) and listed[1] == (-4, -5)


@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["anac/y2012/FitnessA", "anac/y2013/Coffee", "other/Jobs",
                                  "anac/y2016/SYAgent", "anac/y2015/group2-dinner",
                                  "other/Domain4"])
def test_vectorised_frontier_equals_genius_incremental_algorithm(genius_data: Path,
                                                                 name: str) -> None:
    utilities = genius_utilities(_folder(genius_data, name))
    assert genius_frontier(utilities).tolist() == genius_frontier_incremental(utilities)


@pytest.mark.shared_data
def test_enumerated_utilities_equal_genius_get_utility_bid_by_bid(genius_data: Path) -> None:
    folder = _folder(genius_data, "anac/y2011/Car")
    utilities = genius_utilities(folder)
    for n, bid in enumerate(gx.iter_bids(folder.domain, limit=3000)):
        for p, (_, profile) in enumerate(folder.profiles):
            assert utilities[n, p] == pytest.approx(profile.utility(folder.domain, bid), abs=1e-12)


@pytest.mark.shared_data
def test_fitness_a_reproduces_genius_bidspace(genius_data: Path) -> None:
    """§8: checked against the real GENIUS BidSpace."""
    folder = _folder(genius_data, "anac/y2012/FitnessA")
    utilities = genius_utilities(folder)
    assert len(utilities) == 3520
    frontier = genius_frontier(utilities)
    assert len(frontier) == 20
    nash = frontier[genius_nash(utilities, frontier, [0.5, 0.5])]
    assert utilities[nash] == pytest.approx([0.795779, 0.815445], abs=5e-7)
    bid = list(gx.iter_bids(folder.domain))[nash]
    assert bid == ("tennis", "1hour", "~1km", "as training", "10")
    nash_zero = frontier[genius_nash(utilities, frontier, [0.0, 0.0])]
    assert utilities[nash_zero] == pytest.approx([0.773249, 0.839963], abs=5e-7)
    welfare = frontier[genius_welfare(utilities, frontier)]
    assert utilities[welfare] == pytest.approx([0.773249, 0.839963], abs=5e-7)
    kalai = frontier[genius_kalai(utilities, frontier)]
    assert utilities[kalai] == pytest.approx([0.795779, 0.815445], abs=5e-7)


@pytest.mark.shared_data
def test_sy_agent_nash_with_every_product_negative(genius_data: Path) -> None:
    """§8: RV 0.9 for both of util1/util2; Nash is (0.89, 0.94) at product −0.0004."""
    folder = _folder(genius_data, "anac/y2016/SYAgent")
    two = genius.GeniusFolder(folder.domain, folder.profiles[:2], folder.source)
    utilities = genius_utilities(two)
    frontier = genius_frontier(utilities)
    assert len(frontier) == 5
    assert len({tuple(utilities[b]) for b in frontier}) == 3  # duplicates are kept
    nash = frontier[genius_nash(utilities, frontier, raw_reservations(two))]
    assert utilities[nash] == pytest.approx([0.89, 0.94], abs=1e-12)
    products = [np.prod(utilities[b] - 0.9) for b in frontier]
    assert max(products) == pytest.approx(-0.0004, abs=1e-12)
