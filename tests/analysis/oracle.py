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


def pareto_mask(utilities: np.ndarray, strict: int | None = None, tol: float = 0.0) -> np.ndarray:
    """Rows no other row dominates (≥ everywhere, > somewhere in the first ``strict`` columns)."""
    n, d = utilities.shape
    strict = d if strict is None else strict
    keep = np.ones(n, dtype=bool)
    for start in range(0, n, 512):
        block = utilities[start:start + 512]
        geq = (utilities[None, :, :] >= block[:, None, :] - tol).all(axis=2)
        gt = (utilities[None, :, :strict] > block[:, None, :strict] + tol).any(axis=2)
        keep[start:start + 512] = ~(geq & gt).any(axis=1)
    return keep


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
