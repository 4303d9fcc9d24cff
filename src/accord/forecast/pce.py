"""Votes, coalitions and the probabilistic Condorcet election, as KTAB defines them.

These are the building blocks of KTAB's Spatial Model of Politics (Wise,
Lester et al., KAPSARC's KTAB toolkit; B. Wise, "Probabilistic Condorcet
Elections", KAPSARC discussion paper, and "Markov Voting with Incentives in
KTAB"), written from the method as KTAB's ``kmodel`` library describes it:

* **vote** ``v_k(i:j) = w_k · r(u_k(i) − u_k(j))``, with the *voting rule* ``r``
  one of Binary, PropBin, Prop(ortional), PropCbc, Cubic, ASymProsp;
* **coalitions** ``C(i:j) = 1e-8 + Σ_k max(v_k(i:j), 0)``, the strength of
  everyone who prefers option ``i`` to ``j``;
* **victory probability** ``P[i > j] = f(C(i:j)) / (f(C(i:j)) + f(C(j:i)))``,
  with the *victory-probability model* ``f`` linear, square, quartic, octic,
  or a 10 %-threshold "binary" law;
* **probabilistic Condorcet election** (PCE): the chance that each option ends
  up the winner, either *Conditional* (the probability that ``i`` beats every
  other option, renormalised) or a Markov chain of challenges
  (*MarkovIncentive*: challengers chosen in proportion to their incentive
  ``C(i:j) · P[i > j]``; *MarkovUniform*: uniformly).

All functions are pure numpy over small dense arrays; options are columns.
"""

from __future__ import annotations

import numpy as np

from accord.model.smp_settings import PCEModel, VotingRule, VPModel
from accord.space import FloatArray

__all__ = [
    "PCEModel",
    "VPModel",
    "VotingRule",
    "coalitions",
    "pce",
    "scalar_pce",
    "victory_probabilities",
    "vote",
]


# KTAB's constants: a binary vote saturates over 1e-8 of utility; the hybrids mix
# 20 % binary into proportional (PropBin) and 50 % cubic into proportional (PropCbc).
_BINARY_SCALE = 1e-8
_PROP_BIN_MIX = 0.2
_PROP_CBC_MIX = 0.5
_MIN_COALITION = 1e-8
_BINARY_THRESHOLD = 1.10
_BINARY_FLOOR = 1e-6


def vote(rule: VotingRule, weight: FloatArray | float, u_i: FloatArray | float,
         u_j: FloatArray | float) -> FloatArray:
    """The vote ``v(i:j)`` of actors of ``weight`` whose utilities for ``i`` and ``j`` are given.

    Broadcasts over arrays.  Positive votes support ``i``, negative ones ``j``.
    """
    du = np.asarray(u_i, dtype=np.float64) - np.asarray(u_j, dtype=np.float64)
    w = np.asarray(weight, dtype=np.float64)
    if rule is VotingRule.PROP:
        return w * du
    if rule is VotingRule.PROP_CBC:
        return w * ((1 - _PROP_CBC_MIX) * du + _PROP_CBC_MIX * du ** 3)
    if rule is VotingRule.CUBIC:
        return w * du ** 3
    binary = np.clip(du / _BINARY_SCALE, -1.0, 1.0)
    if rule is VotingRule.BINARY:
        return w * binary
    if rule is VotingRule.PROP_BIN:
        return w * ((1 - _PROP_BIN_MIX) * du + _PROP_BIN_MIX * binary)
    if rule is VotingRule.ASYM_PROSP:
        # Prospect theory: a gain moves an actor only 2/3 as much as an equal loss.
        return np.where(du > 0, 2.0 * w * du / 3.0, np.where(du < 0, w * du, 0.0))
    raise ValueError(f"unknown voting rule {rule!r}")


def coalitions(weights: FloatArray, utilities: FloatArray, rule: VotingRule) -> FloatArray:
    """``C[i, j]``: the strength of the coalition for option ``i`` against ``j``.

    ``utilities[..., k, i]`` is actor ``k``'s utility for option ``i`` (leading axes
    are independent elections) and ``weights[k]`` its voting weight.  As KTAB,
    only the contests ``(i:j)`` with ``j < i`` are voted on: ``C[i, j] = 1e-8 +
    Σ_k max(v_k(i:j), 0)`` and ``C[j, i] = 1e-8 + Σ_k max(−v_k(i:j), 0)``; the
    diagonal is 1e-8.  Every rule but ASymProsp is odd (``v(j:i) = −v(i:j)``),
    so both halves are the positive parts of one sum.
    """
    u = np.asarray(utilities, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    *batch, n_actors, n = u.shape
    if rule is VotingRule.PROP and not batch and n_actors * n * n > 50_000:
        return _proportional_coalitions(w, u)
    asymmetric = rule is VotingRule.ASYM_PROSP
    support = np.zeros((*batch, n, n))
    # Actors in blocks, so that the (…, block, n, n) votes stay in cache.
    cells = max(1, n * n * int(np.prod(batch, dtype=np.int64)))
    block = max(1, 2 ** 18 // cells)
    for start in range(0, n_actors, block):
        part = slice(start, start + block)
        du = u[..., part, :, None] - u[..., part, None, :]
        if asymmetric or rule is VotingRule.PROP:
            du *= w[part, None, None]
            votes = du
        else:
            votes = vote(rule, w[part, None, None], du, 0.0)
        np.maximum(votes, 0.0, out=votes)
        support += votes.sum(axis=-3)
    if asymmetric:
        # A gain moves an actor 2/3 as much as a loss: the lower half (i's support in the
        # contest (i:j), j < i, from actors who gain) gets 2/3 of the weight.
        lower = np.tril(np.ones((n, n), dtype=bool), k=-1)
        support = np.where(lower, 2.0 * support / 3.0, support)
    c = _MIN_COALITION + support
    diagonal = np.arange(n)
    c[..., diagonal, diagonal] = _MIN_COALITION
    return c


def _proportional_coalitions(w: FloatArray, u: FloatArray) -> FloatArray:
    """Proportional votes on many options at once: ``max(x, 0) = (x + |x|) / 2``, so
    ``Σ_k w_k·max(u_ki − u_kj, 0) = (W_i − W_j + Σ_k w_k·|u_ki − u_kj|) / 2`` with
    ``W = wᵀu``; the sum of absolute differences is a weighted L1 distance between
    columns, which scipy computes without the (actors, n, n) array."""
    from scipy.spatial.distance import cdist

    columns = np.ascontiguousarray(u.T)
    spread = cdist(columns, columns, "minkowski", p=1, w=w)
    total = w @ u
    c = _MIN_COALITION + np.maximum((total[:, None] - total[None, :] + spread) / 2.0, 0.0)
    np.fill_diagonal(c, _MIN_COALITION)
    return c


def _law(model: VPModel, strength: FloatArray) -> FloatArray:
    if model is VPModel.LINEAR:
        return strength
    if model is VPModel.SQUARE:
        return strength ** 2
    if model is VPModel.QUARTIC:
        return strength ** 4
    if model is VPModel.OCTIC:
        return strength ** 8
    raise ValueError(f"no power law for {model!r}")


def victory_probabilities(model: VPModel, c: FloatArray) -> FloatArray:
    """``P[i, j]``, the chance that option ``i`` defeats ``j``, from coalition strengths ``c``.

    ``P[i, j] + P[j, i] = 1`` and the diagonal is 1/2.
    """
    c = np.asarray(c, dtype=np.float64)
    c_ij, c_ji = c, np.swapaxes(c, -1, -2)
    if model is VPModel.BINARY:
        # A 10 % advantage either way is decisive; in between the chance is interpolated
        # linearly in the share c_ij / (c_ij + c_ji), so that it is continuous.
        share = c_ij / (c_ij + c_ji)
        middle = (share * (_BINARY_THRESHOLD + 1.0) - 1.0) / (_BINARY_THRESHOLD - 1.0)
        x1 = np.where(c_ij >= _BINARY_THRESHOLD * c_ji, 1.0,
                      np.where(c_ji >= _BINARY_THRESHOLD * c_ij, _BINARY_FLOOR, middle))
        x2 = np.where(c_ij >= _BINARY_THRESHOLD * c_ji, _BINARY_FLOOR,
                      np.where(c_ji >= _BINARY_THRESHOLD * c_ij, 1.0, 1.0 - middle))
        p = x1 / (x1 + x2)
    else:
        x1, x2 = _law(model, c_ij), _law(model, c_ji)
        p = x1 / (x1 + x2)
    p = np.array(p)
    diagonal = np.arange(p.shape[-1])
    p[..., diagonal, diagonal] = 0.5
    return p


def _conditional(p: FloatArray) -> FloatArray:
    # The chance that i beats every option (itself included, at 1/2), renormalised.
    wins = np.prod(p, axis=-1)
    return wins / wins.sum(axis=-1, keepdims=True)


def _iterate(step: object, x: FloatArray, tolerance: float, limit: int, what: str) -> FloatArray:
    """``x ← (x + q)/2`` until ``max |q − x| ≤ tolerance``, each election frozen once it settles."""
    active = np.ones(x.shape[:-1], dtype=bool)
    for _ in range(limit):
        q = step(x)  # type: ignore[operator]
        change = np.abs(q - x).max(axis=-1)
        x = np.where(active[..., None], (x + q) / 2.0, x)
        active &= change > tolerance
        if not active.any():
            return x
    raise ArithmeticError(f"the {what} Condorcet election did not settle in {limit} steps")


def _markov_uniform(p: FloatArray, tolerance: float = 1e-6, limit: int = 1000) -> FloatArray:
    n = p.shape[-1]
    x = np.full(p.shape[:-1], 1.0 / n)
    return _iterate(lambda x: (p * (x[..., :, None] + x[..., None, :])).sum(axis=-1) / n, x,
                    tolerance, limit, "Markov-uniform")


def _markov_incentive(c: FloatArray, p: FloatArray, tolerance: float = 1e-8,
                      limit: int = 1000) -> FloatArray:
    n = c.shape[-1]
    # Incentive for i to challenge a reigning j: its support times its chance of winning.
    incentive = c * p + np.eye(n) * 1e-10
    challenge = incentive / incentive.sum(axis=-2, keepdims=True)  # [i, j] = P[i -> j]
    challenge_t = np.swapaxes(challenge, -1, -2)

    def step(x: FloatArray) -> FloatArray:
        # flow[i, j]: reigning i is challenged by j; the contest (i, j) happens with
        # flow[i, j] + flow[j, i], and i comes out of it with probability p[i, j].
        flow = x[..., :, None] * challenge_t
        return (p * (flow + np.swapaxes(flow, -1, -2))).sum(axis=-1)

    return _iterate(step, np.full(c.shape[:-1], 1.0 / n), tolerance, limit, "Markov-incentive")


def pce(model: PCEModel, vp_model: VPModel, c: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Outcome chances ``(…, n)`` and victory probabilities ``(…, n, n)`` from coalitions ``c``.

    Stopping rule of the Markov forms (as KTAB): iterate ``x ← (x + q)/2`` from the
    uniform distribution until the largest change ``|q − x|`` is at most 1e-8
    (MarkovIncentive) or 1e-6 (MarkovUniform); more than 1000 steps is an error.
    """
    p = victory_probabilities(vp_model, c)
    if model is PCEModel.CONDITIONAL:
        return _conditional(p), p
    if model is PCEModel.MARKOV_INCENTIVE:
        return _markov_incentive(c, p), p
    if model is PCEModel.MARKOV_UNIFORM:
        return _markov_uniform(p), p
    raise ValueError(f"unknown PCE model {model!r}")


def scalar_pce(weights: FloatArray, utilities: FloatArray, rule: VotingRule, vp_model: VPModel,
               model: PCEModel) -> FloatArray:
    """Outcome chances of the options (columns of ``utilities[..., actor, option]``).

    Every actor votes over every pair of options with its scalar ``weights[actor]``;
    leading axes of ``utilities`` are independent elections.
    """
    return pce(model, vp_model, coalitions(weights, utilities, rule))[0]
