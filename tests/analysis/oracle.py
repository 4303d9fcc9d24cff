"""Brute force: enumerate every package and answer each question the slow, obvious way.

Independent of :mod:`accord.analysis`: utilities come from ``Space.utilities``
(plain floating-point sums), dominance from a pairwise comparison, and optima
from scanning every package.  Only usable on small spaces (≤ ~10^5 packages).
"""

from __future__ import annotations

import itertools

import numpy as np

from accord.space import UNRESOLVED, UTILITY_TOLERANCE, Space

TOL = 1e-9
#: Utilities closer than this are equal (the rounding noise of a sum; as accord).
TIE = 1e-12


def all_packages(space: Space, fixed: np.ndarray | None = None) -> np.ndarray:
    ranges = []
    for i in range(space.n_issues):
        if fixed is not None and fixed[i] != UNRESOLVED:
            ranges.append([int(fixed[i])])
        else:
            ranges.append(range(int(space.n_options[i])))
    return np.array(list(itertools.product(*ranges)), dtype=np.int64).reshape(-1, space.n_issues)


def acceptable_mask(space: Space, packages: np.ndarray) -> np.ndarray:
    """Acceptable to every must-accept party."""
    ok = space.acceptable(packages)
    return ok[:, space.must_accept].all(axis=1)


def _dominates(b: np.ndarray, a: np.ndarray, strict: int) -> np.ndarray:
    """``result[x, y]``: row ``b[x]`` dominates row ``a[y]`` (differences below TIE are ties)."""
    geq = (b[:, None, :] >= a[None, :, :] - TIE).all(axis=2)
    gt = (b[:, None, :strict] > a[None, :, :strict] + TIE).any(axis=2)
    return geq & gt


def pareto_mask(utilities: np.ndarray, strict: int | None = None) -> np.ndarray:
    """Rows no other row dominates (≥ everywhere, > somewhere in the first ``strict`` columns).

    Sort-filter-skyline: scan the rows by decreasing sum, keep a row unless a kept
    row dominates it; then check the kept rows against each other, which removes
    any row whose dominator came later in the scan (dominance is transitive, so
    a maximal dominator of every dominated row is kept).
    """
    n, d = utilities.shape
    strict = d if strict is None else strict
    order = np.argsort(-utilities.sum(axis=1), kind="stable")
    kept: list[int] = []
    kept_rows = np.zeros((0, d))
    for start in range(0, n, 1024):
        block = order[start:start + 1024]
        rows = utilities[block]
        alive = np.ones(block.size, dtype=bool)
        for k0 in range(0, kept_rows.shape[0], 2048):
            alive &= ~_dominates(kept_rows[k0:k0 + 2048], rows, strict).any(axis=0)
        inner = _dominates(rows[alive], rows[alive], strict).any(axis=0)
        new = block[alive][~inner]
        kept.extend(int(x) for x in new)
        kept_rows = np.vstack([kept_rows, utilities[new]])
    kept_index = np.array(kept, dtype=np.int64)
    survivors = np.ones(kept_index.size, dtype=bool)
    for k0 in range(0, kept_index.size, 2048):
        survivors[k0:k0 + 2048] = ~_dominates(kept_rows, kept_rows[k0:k0 + 2048], strict).any(axis=0)
    mask = np.zeros(n, dtype=bool)
    mask[kept_index[survivors]] = True
    return mask


def frontier(space: Space, parties: list[int] | None = None, *, acceptable_only: bool = False,
             fixed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(packages, utilities)`` of the brute-force frontier."""
    parties = list(range(space.n_parties)) if parties is None else parties
    packages = all_packages(space, fixed)
    if acceptable_only:
        packages = packages[acceptable_mask(space, packages)]
    utilities = space.utilities(packages)[:, parties] if packages.size else np.zeros((0, len(parties)))
    keep = pareto_mask(utilities)
    return packages[keep], utilities[keep]


def as_set(packages: np.ndarray, utilities: np.ndarray) -> dict[tuple[int, ...], np.ndarray]:
    return {tuple(int(x) for x in p): u for p, u in zip(packages, utilities, strict=True)}


def individually_rational(utilities: np.ndarray, disagreement: np.ndarray) -> np.ndarray:
    return (utilities >= disagreement - UTILITY_TOLERANCE).all(axis=1)
