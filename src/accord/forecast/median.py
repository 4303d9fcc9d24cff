"""The weighted median: the position no coalition of more than half the weight can move.

In one dimension with single-peaked preferences the median voter's position
beats every other in a pairwise vote (D. Black, "On the rationale of group
decision-making", *J. Political Economy* 56(1), 1948); with weighted votes the
weighted median does.  Here the weights are capability × salience, as in the
compromise model, so the two baselines differ only in mean versus median.

Definition: sort the positions; the weighted median is the first position at
which the cumulative weight reaches half the total.  When the cumulative weight
equals exactly half at a position (the median is then a whole interval), the
midpoint between it and the next position is taken.  Closed form: no
iteration.
"""

from __future__ import annotations

import numpy as np

from accord.forecast.problem import SpatialProblem
from accord.space import FloatArray

__all__ = ["weighted_median", "weighted_median_positions"]

_TIE = 1e-12


def weighted_median_positions(positions: FloatArray, weights: FloatArray) -> FloatArray:
    """The weighted median along the last axis; NaN positions are absent actors.

    Where no actor has positive weight the forecast is NaN.

    Examples
    --------
    >>> import numpy as np
    >>> float(weighted_median_positions(np.array([0.0, 40.0, 100.0]), np.array([1.0, 1.0, 1.0])))
    40.0
    >>> float(weighted_median_positions(np.array([0.0, 100.0]), np.array([1.0, 1.0])))
    50.0
    """
    x = np.asarray(positions, dtype=np.float64)
    w = np.where(np.isnan(x), 0.0, np.asarray(weights, dtype=np.float64))
    w = np.where(w > 0, w, 0.0)
    x = np.where(w > 0, x, np.inf)   # absent and weightless actors sort to the end
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, axis=-1)
    ws = np.take_along_axis(w, order, axis=-1)
    cumulative = np.cumsum(ws, axis=-1)
    total = cumulative[..., -1:]
    half = total / 2.0
    k = np.argmax(cumulative >= half - _TIE * np.maximum(total, 1.0), axis=-1)[..., None]
    at = np.take_along_axis(xs, k, axis=-1)[..., 0]
    reached = np.take_along_axis(cumulative, k, axis=-1)[..., 0]
    following = np.take_along_axis(xs, np.minimum(k + 1, xs.shape[-1] - 1), axis=-1)[..., 0]
    exact = (np.abs(reached - half[..., 0]) <= _TIE * np.maximum(total[..., 0], 1.0)) \
        & np.isfinite(following) & (k[..., 0] + 1 < xs.shape[-1])
    median = np.where(exact, (at + following) / 2.0, at)
    return np.where(total[..., 0] > 0, median, np.nan)


def weighted_median(problem: SpatialProblem) -> FloatArray:
    """``(D,)`` the weighted median of each dimension (weights: capability × salience)."""
    weights = problem.capabilities[:, None] * problem.saliences
    return weighted_median_positions(problem.positions.T, weights.T)
