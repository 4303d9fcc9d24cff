"""Achen's Nash bargaining model: the outcome that maximises the weighted product of utilities.

Achen ("Institutional realism and bargaining models", in Thomson, Stokman,
Achen & König (eds), *The European Union Decides*, Cambridge University Press,
2006, ch. 4) models EU legislative bargaining as an asymmetric Nash bargaining
solution (J. Nash, "The bargaining problem", *Econometrica* 18(2), 1950;
asymmetric form: Kalai, "Nonsymmetric Nash solutions and replications of
2-person bargaining", *Int. J. Game Theory* 6(3), 1977) and shows that the
compromise model approximates it.  The formulation used here, dimension by
dimension:

    x* = argmax_x  Π_a U_a(x)^(c_a·s_a),    U_a(x) = 1 − ((x − x_a) / D)²,

a quadratic-loss utility that is 1 at the actor's position and 0 at distance
``D`` (the *disagreement distance*: how far an outcome must be from an actor
before it is worth no more to it than no agreement).  The exponents are
capability × salience.  As ``D → ∞`` the maximiser tends to the compromise
model's weighted mean (Achen's approximation); a smaller ``D`` protects the
actors farthest from the outcome, pulling it toward the middle of the range.
``D`` must be at least the spread of the positions (default 100, the whole scale)
so that every actor's utility is positive somewhere between them.

The log of the product is strictly concave, and its derivative changes sign
inside ``[min x_a, max x_a]``; the maximiser is found by bisection on the
derivative.  **Stopping rule:** 64 halvings of that interval (to machine
precision on a 0–100 scale).
"""

from __future__ import annotations

import numpy as np

from accord.forecast.problem import SpatialProblem
from accord.space import FloatArray

__all__ = ["DEFAULT_DISAGREEMENT", "nash_bargaining", "nash_positions", "nash_reference_positions"]

#: Default disagreement distance: the whole 0–100 scale.
DEFAULT_DISAGREEMENT = 100.0
_HALVINGS = 64


def nash_positions(positions: FloatArray, weights: FloatArray, *,
                   disagreement: float = DEFAULT_DISAGREEMENT) -> FloatArray:
    """The weighted Nash bargaining outcome along the last axis (NaN positions are absent).

    Examples
    --------
    >>> import numpy as np
    >>> round(float(nash_positions(np.array([0.0, 100.0]), np.array([1.0, 1.0]))), 6)
    50.0
    """
    if not disagreement > 0:
        raise ValueError("the disagreement distance must be positive")
    x = np.asarray(positions, dtype=np.float64)
    present = ~np.isnan(x)
    w = np.where(present, np.asarray(weights, dtype=np.float64), 0.0)
    w = np.where(w > 0, w, 0.0)
    active = present & (w > 0)
    xz = np.where(active, x, 0.0)
    low = np.min(np.where(active, x, np.inf), axis=-1)
    high = np.max(np.where(active, x, -np.inf), axis=-1)
    if np.any(active.any(axis=-1) & (high - low > disagreement)):
        raise ValueError(f"the disagreement distance ({disagreement:g}) must be at least the spread of "
                         "the positions")
    defined = active.any(axis=-1)
    low = np.where(defined, low, 0.0)
    high = np.where(defined, high, 0.0)
    for _ in range(_HALVINGS):
        middle = (low + high) / 2.0
        d = (middle[..., None] - xz) / disagreement
        # d/dx Σ w log(1 − d²) = Σ w · (−2d/D) / (1 − d²)
        slope = np.where(active, w * (-2.0 * d) / (1.0 - d * d), 0.0).sum(axis=-1)
        rising = slope > 0
        low = np.where(rising, middle, low)
        high = np.where(rising, high, middle)
    return np.where(defined, (low + high) / 2.0, np.nan)


def nash_bargaining(problem: SpatialProblem, *,
                    disagreement: float = DEFAULT_DISAGREEMENT) -> FloatArray:
    """``(D,)`` the Nash bargaining forecast of each dimension (exponents: capability × salience)."""
    weights = problem.capabilities[:, None] * problem.saliences
    return nash_positions(problem.positions.T, weights.T, disagreement=disagreement)


def nash_reference_positions(positions: FloatArray, weights: FloatArray, reference: FloatArray, *,
                             slack: float) -> FloatArray:
    """Nash bargaining with the reference point (the status quo) as the disagreement point.

    Achen (2006, ch. 4) takes the policy that holds without an agreement as the
    point every actor's gains are measured from.  Here actor ``a``'s utility
    is ``1 − ((x − x_a) / D_a)²`` with ``D_a = |r − x_a| + slack``: zero a little
    (``slack``) beyond the reference point ``r``'s distance, so an actor close
    to the status quo is hard to move far from it.  ``slack → ∞`` gives the
    compromise model.  Along the last axis, like :func:`nash_positions`;
    ``reference`` has one value per issue (NaN: none recorded, and then the
    result is NaN).  The outcome is searched on ``[min x_a, max x_a]``
    intersected with every actor's ``(x_a − D_a, x_a + D_a)``, which holds ``r``
    or touches the range, so it is never empty.  **Stopping rule:** 64 halvings.

    Examples
    --------
    >>> import numpy as np
    >>> x, w = np.array([0.0, 100.0]), np.array([1.0, 1.0])
    >>> round(float(nash_reference_positions(x, w, np.array(0.0), slack=10.0)), 2)
    3.19
    >>> round(float(nash_reference_positions(x, w, np.array(50.0), slack=10.0)), 2)
    50.0
    """
    if not slack > 0:
        raise ValueError("the slack must be positive")
    x = np.asarray(positions, dtype=np.float64)
    r = np.asarray(reference, dtype=np.float64)[..., None]
    present = ~np.isnan(x)
    w = np.where(present, np.asarray(weights, dtype=np.float64), 0.0)
    w = np.where(w > 0, w, 0.0)
    active = present & (w > 0)
    xz = np.where(active, x, 0.0)
    reach = np.abs(np.where(np.isnan(r), 0.0, r) - xz) + slack
    low = np.max(np.where(active, xz - reach + 1e-9 * reach, -np.inf), axis=-1)
    low = np.maximum(low, np.min(np.where(active, x, np.inf), axis=-1))
    high = np.max(np.where(active, x, -np.inf), axis=-1)
    high = np.minimum(high, np.min(np.where(active, xz + reach - 1e-9 * reach, np.inf), axis=-1))
    defined = active.any(axis=-1) & ~np.isnan(r[..., 0])
    low = np.where(defined, low, 0.0)
    high = np.where(defined, np.maximum(high, low), 0.0)
    for _ in range(_HALVINGS):
        middle = (low + high) / 2.0
        d = (middle[..., None] - xz) / reach
        with np.errstate(divide="ignore", invalid="ignore"):  # only where the issue is undefined
            terms = w * (-2.0 * d) / (1.0 - d * d) / reach
        slope = np.where(active, terms, 0.0).sum(axis=-1)
        rising = slope > 0
        low = np.where(rising, middle, low)
        high = np.where(rising, high, middle)
    return np.where(defined, (low + high) / 2.0, np.nan)
