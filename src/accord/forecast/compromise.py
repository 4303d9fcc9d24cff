"""The compromise model: the capability- and salience-weighted mean of the positions.

Van den Bos (*Dutch EC Policy Making*, 1991) and Achen ("Evaluating political
decision-making models", in Thomson, Stokman, Achen & König (eds), *The
European Union Decides*, Cambridge University Press, 2006, ch. 10) forecast
the outcome of an issue as

    x̂ = Σ_a c_a·s_a·x_a / Σ_a c_a·s_a,

with ``x_a`` actor ``a``'s position, ``s_a`` its salience and ``c_a`` its
capability.  Achen derives it as an approximation of the Nash bargaining
solution (:mod:`accord.forecast.nash`); on the DEU data it is the baseline that
more elaborate models struggle to beat.  Closed form: no iteration, no
stopping rule.
"""

from __future__ import annotations

import numpy as np

from accord.forecast.problem import SpatialProblem
from accord.space import FloatArray

__all__ = ["compromise", "compromise_positions"]


def compromise_positions(positions: FloatArray, weights: FloatArray) -> FloatArray:
    """The weighted mean along the last axis; NaN positions are absent actors.

    Where no actor has positive weight the forecast is NaN (undefined).

    Examples
    --------
    >>> import numpy as np
    >>> float(compromise_positions(np.array([0.0, 100.0]), np.array([3.0, 1.0])))
    25.0
    """
    x = np.asarray(positions, dtype=np.float64)
    w = np.where(np.isnan(x), 0.0, np.asarray(weights, dtype=np.float64))
    total = w.sum(axis=-1)
    weighted = (np.where(np.isnan(x), 0.0, x) * w).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, weighted / np.where(total > 0, total, 1.0), np.nan)


def compromise(problem: SpatialProblem) -> FloatArray:
    """``(D,)`` the compromise forecast of each dimension (weights: capability × salience)."""
    weights = problem.capabilities[:, None] * problem.saliences
    return compromise_positions(problem.positions.T, weights.T)
