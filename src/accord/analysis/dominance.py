"""Which points of a set are not dominated: the dominance questions every frontier in accord asks.

Row ``b`` *dominates* row ``a`` when ``b ≥ a`` in every column and ``b > a`` in at
least one of the first ``strict`` columns (by default every column counts).  Equal
rows therefore never dominate each other, so ties survive together; and the
``strict`` columns let a caller carry extra columns (a must-accept party that is
not on the frontier, say) that must not be worse but whose improvement alone does
not count.

Columns are replaced by their dense ranks first: dominance depends only on the
order within each column, and integer ranks make every comparison exact.  Two
sums of the same utilities added in different orders can differ in their last
bits, so callers pass a ``tolerance`` (accord uses ``1e-12``) within which values
share a rank and count as equal.

The work is done by the compiled kernels of :mod:`accord.analysis.kernels`
(Kung, Luccio & Preparata's divide and conquer, *J. ACM* 22(4), 1975); this
module checks arguments and maps between float points and ranks.  The plain
definition — compare every pair — is the oracle they are tested against
(``tests/analysis/oracle.py``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from accord.analysis import kernels

__all__ = ["dense_ranks", "dominated_by", "maxima", "nondominated"]

BoolArray = NDArray[np.bool_]
RankArray = NDArray[np.int32]


def dense_ranks(points: NDArray[np.floating] | NDArray[np.integer],
                tolerance: float = 0.0) -> RankArray:
    """``(n, d)`` values → ``(n, d)`` dense ranks per column (``int32``).

    Values closer than ``tolerance`` to their neighbour in sorted order share a
    rank, so that two sums that differ only by floating-point rounding count as
    equal (with ``tolerance = 0``, only identical values do).
    """
    values = np.ascontiguousarray(points, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"points must be a 2-D array, got shape {values.shape}")
    ranks: RankArray = kernels.dense_ranks(values, float(tolerance))
    return ranks


def maxima(ranks: RankArray, strict: int | None = None) -> BoolArray:
    """Mask of the rows of integer ``ranks`` ``(n, d)`` that no other row dominates."""
    table = np.ascontiguousarray(ranks, dtype=np.int32)
    strict = table.shape[1] if strict is None else strict
    if not 0 <= strict <= table.shape[1]:
        raise ValueError(f"strict must be between 0 and {table.shape[1]}, got {strict}")
    mask: BoolArray = kernels.maxima(table, int(strict))
    return mask


def nondominated(points: NDArray[np.floating] | NDArray[np.integer],
                 strict: int | None = None, tolerance: float = 0.0) -> BoolArray:
    """Mask of the rows of ``points`` ``(n, d)`` that no other row dominates.

    ``strict`` is the number of leading columns in which a dominating row must be
    better somewhere (default: all columns).  Values within ``tolerance`` of each
    other count as equal.  Rows may repeat; equal rows are kept or dropped together.
    """
    values = np.asarray(points)
    if values.ndim != 2:
        raise ValueError(f"points must be a 2-D array, got shape {values.shape}")
    n, d = values.shape
    strict = d if strict is None else strict
    if not 0 <= strict <= d:
        raise ValueError(f"strict must be between 0 and {d}, got {strict}")
    if n == 0:
        return np.zeros(0, dtype=bool)
    if strict == 0:
        return np.ones(n, dtype=bool)
    return maxima(dense_ranks(values, tolerance), strict)


def dominated_by(candidates: NDArray[np.floating] | NDArray[np.integer],
                 reference: NDArray[np.floating] | NDArray[np.integer],
                 tolerance: float = 0.0) -> BoolArray:
    """Mask of the rows of ``candidates`` for which some row of ``reference`` is ``≥`` in every column.

    Weak dominance: an equal row counts.  Used to test points against a known set
    (for instance, "is this package weakly improved on by a frontier point?").
    """
    a = np.asarray(reference)
    b = np.asarray(candidates)
    if a.shape[0] == 0 or b.shape[0] == 0:
        return np.zeros(b.shape[0], dtype=bool)
    both = dense_ranks(np.vstack([a, b]), tolerance)
    mask: BoolArray = kernels.covered(both[: a.shape[0]], both[a.shape[0]:])
    return mask
