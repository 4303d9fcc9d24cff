"""Small variants of the compromise model from the literature on EU decision-making.

Each is a closed form over issue arrays (issues in rows, actors in columns, NaN
where an actor has no position) with one or two parameters that the DEU III
backtest (:mod:`accord.forecast.backtest`) fits inside its cross-validation
folds.  They test, one at a time, the effects that the literature proposes on
top of the salience-weighted mean:

* :func:`institution_weights` — the Commission and the Parliament carry
  their own weight, the Parliament's depending on the procedure (it
  co-legislates under codecision, COD, and is only consulted under CNS):
  the procedural models compared by Thomson, Stokman, Achen & König (eds),
  *The European Union Decides* (Cambridge UP, 2006), and by G. Schneider,
  D. Finke & S. Bailer, "Bargaining power in the European Union: an
  evaluation of competing game-theoretic models", *Political Studies* 58(1),
  2010;
* :func:`salience_exponent` — salience raised to a power ``β`` (``β = 0``
  ignores salience, ``β = 1`` is the compromise model; Achen 2006, ch. 10,
  compares weighted and unweighted means);
* :func:`shrink` — a convex combination of the forecast with one other
  point: the **reference point** (the status quo that holds without an act;
  outcomes drawn toward it, as veto-player theory expects, more so under
  unanimity: G. Tsebelis, *Veto Players*, Princeton UP, 2002), the
  **Commission's position** (the agenda setter: G. Tsebelis & G. Garrett,
  "The institutional foundations of intergovernmentalism and supranationalism
  in the European Union", *Int. Organization* 55(2), 2001), the **weighted
  median** (a mix of bargaining and voting), or the **position on the table
  nearest to the forecast** (in DEU III 63 % of outcomes equal a position
  some actor took, so a forecast between positions is often wrong either way);

and one model of a different kind, :func:`condorcet_expected_outcome`: the
positions on the table put to KTAB's probabilistic Condorcet election once
(the first step of the Spatial Model of Politics, without bargaining; B.
Wise, "Probabilistic Condorcet Elections", KAPSARC; the expected-utility
tradition of B. Bueno de Mesquita, *The Predictioneer's Game*, 2009), the
forecast being the expected outcome.

Nothing here is iterative: no stopping rule is needed.
"""

from __future__ import annotations

import numpy as np

from accord.forecast.compromise import compromise_positions
from accord.forecast.pce import PCEModel, VotingRule, VPModel, coalitions, pce
from accord.space import FloatArray

__all__ = ["condorcet_expected_outcome", "condorcet_expected_outcomes", "institution_weights",
           "nearest_position", "salience_exponent", "shrink"]


def institution_weights(base: FloatArray, codecision: np.ndarray, *, commission: float,
                        parliament_cod: float, parliament_cns: float) -> FloatArray:
    """``(N, A)`` capabilities: ``base`` per actor, the first two actors (the Commission, the
    Parliament) multiplied by their weights; the Parliament's depends on the procedure.

    Examples
    --------
    >>> import numpy as np
    >>> institution_weights(np.array([2.0, 2.0, 1.0]), np.array([True, False]), commission=0.5,
    ...                     parliament_cod=3.0, parliament_cns=0.0).tolist()
    [[1.0, 6.0, 1.0], [1.0, 0.0, 1.0]]
    """
    capability = np.tile(np.asarray(base, dtype=np.float64), (len(codecision), 1))
    capability[:, 0] *= commission
    capability[:, 1] *= np.where(np.asarray(codecision, dtype=bool), parliament_cod, parliament_cns)
    return capability


def salience_exponent(positions: FloatArray, saliences: FloatArray, capabilities: FloatArray, *,
                      beta: float) -> FloatArray:
    """The compromise model with weights ``c_a · s_a^β`` (``s = 0`` stays 0).

    Examples
    --------
    >>> import numpy as np
    >>> x, s = np.array([0.0, 100.0]), np.array([20.0, 80.0])
    >>> float(salience_exponent(x, s, np.ones(2), beta=0.0))
    50.0
    >>> float(salience_exponent(x, s, np.ones(2), beta=1.0))
    80.0
    """
    s = np.asarray(saliences, dtype=np.float64)
    weights = np.where(s > 0, np.power(np.where(s > 0, s, 1.0), beta), 0.0)
    return compromise_positions(positions, weights * capabilities)


def shrink(forecast: FloatArray, toward: FloatArray, weight: FloatArray | float) -> FloatArray:
    """``(1 − λ)·forecast + λ·toward``; where ``toward`` is NaN the forecast is kept.

    Examples
    --------
    >>> import numpy as np
    >>> shrink(np.array([40.0, 40.0]), np.array([0.0, np.nan]), 0.25).tolist()
    [30.0, 40.0]
    """
    f = np.asarray(forecast, dtype=np.float64)
    t = np.asarray(toward, dtype=np.float64)
    return np.where(np.isnan(t), f, (1.0 - np.asarray(weight)) * f + np.asarray(weight) * t)


def nearest_position(forecast: FloatArray, positions: FloatArray, saliences: FloatArray) -> FloatArray:
    """The position of an actor with a salience that lies nearest to each forecast.

    Examples
    --------
    >>> import numpy as np
    >>> nearest_position(np.array([60.0]), np.array([[0.0, 50.0, 100.0]]),
    ...                  np.array([[10.0, 10.0, 10.0]])).tolist()
    [50.0]
    """
    x = np.where(np.asarray(saliences) > 0, np.asarray(positions, dtype=np.float64), np.nan)
    gap = np.abs(x - np.asarray(forecast)[:, None])
    gap = np.where(np.isnan(gap), np.inf, gap)
    pick = np.argmin(gap, axis=1)
    nearest = x[np.arange(len(pick)), pick]
    return np.where(np.isfinite(gap.min(axis=1)), nearest, np.asarray(forecast))


def condorcet_expected_outcome(positions: FloatArray, weights: FloatArray, *,
                               vp_model: VPModel = VPModel.LINEAR,
                               pce_model: PCEModel = PCEModel.CONDITIONAL) -> FloatArray:
    """``(N,)`` the expected outcome when each issue's distinct positions are put to a vote.

    Per issue (a row), the options are the distinct positions of the actors
    with positive weight; actor ``k`` values option ``i`` at
    ``u_k(i) = 1 − |x_k − p_i| / 100`` and votes with weight ``w_k``
    (capability × salience) by KTAB's proportional rule; KTAB's victory
    probabilities (``vp_model``) and probabilistic Condorcet election
    (``pce_model``) give each option its chance ``π_i``; the forecast is
    ``Σ π_i p_i``.  An issue with one position gets it; one with none, NaN.

    Examples
    --------
    Two equal actors at 0 and 100 and a lighter one at 40 (worked by hand:
    ``P[40 > 0] = P[40 > 100] = 0.6``, ``P[0 > 100] = 1.1/2.1``, so
    ``π = (0.276, 0.474, 0.251)``):

    >>> import numpy as np
    >>> x, w = np.array([[0.0, 100.0, 40.0]]), np.array([[1.0, 1.0, 0.5]])
    >>> round(float(condorcet_expected_outcome(x, w)[0]), 2)
    44.01
    """
    return condorcet_expected_outcomes(positions, weights, [(vp_model, pce_model)])[0]


def condorcet_expected_outcomes(positions: FloatArray, weights: FloatArray,
                                models: list[tuple[VPModel, PCEModel]]) -> list[FloatArray]:
    """:func:`condorcet_expected_outcome` for several model pairs, the votes counted once."""
    x = np.asarray(positions, dtype=np.float64)
    w = np.where(np.isnan(x), 0.0, np.asarray(weights, dtype=np.float64))
    w = np.where(w > 0, w, 0.0)
    options = [np.unique(row[weight > 0]) for row, weight in zip(x, w, strict=True)]
    sizes = np.array([len(o) for o in options])
    out = [np.full(len(x), np.nan) for _ in models]
    for size in np.unique(sizes):
        rows = np.flatnonzero(sizes == size)
        if size == 0:
            continue
        if size == 1:
            for forecast in out:
                forecast[rows] = [options[r][0] for r in rows]
            continue
        table = np.stack([options[r] for r in rows])                 # (issues, options)
        here = np.nan_to_num(x[rows])
        utility = 1.0 - np.abs(here[:, :, None] - table[:, None, :]) / 100.0
        # The proportional vote is linear in the weight, so the weights can go into the
        # utilities and the issues be voted on in one batch.
        support = coalitions(np.ones(x.shape[1]), utility * w[rows][:, :, None], VotingRule.PROP)
        for forecast, (vp_model, pce_model) in zip(out, models, strict=True):
            forecast[rows] = (pce(pce_model, vp_model, support)[0] * table).sum(axis=1)
    return out
