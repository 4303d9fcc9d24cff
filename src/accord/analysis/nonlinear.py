"""Exact evaluation of preferences outside the additive contract, and their frontier.

The classes live in :mod:`accord.model.nonlinear` (what a scenario *is*); the
arithmetic on them lives here, in the analysis layer, because it needs the
compiled :class:`~accord.space.Space` and the frontier.  Keeping it out of the
model removes the one import cycle accord had
(``space → model.nonlinear → analysis.pareto → space``).

* :func:`party_utilities`, :func:`scenario_utilities` — exact utilities of
  complete packages, in the party's own (e.g. GENIUS) units;
* :func:`capped_frontier` — the exact Pareto frontier when some utilities are
  :class:`~accord.model.nonlinear.CappedUtility`;
* :func:`discounted` — GENIUS's ``U · d^t``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.analysis.dominance import nondominated
from accord.analysis.pareto import ParetoFrontier, pareto_frontier
from accord.errors import AnalysisError
from accord.model.nonlinear import (
    JAVA_INT_MAX,
    CappedUtility,
    HyperRectangle,
    HyperRectangleUtility,
    UtilityNode,
    refusal,
)
from accord.model.scenario import Preferences, Scenario
from accord.model.uncertain import point_estimate
from accord.space import compile_scenario, weight_scale

__all__ = [
    "additive_utilities",
    "capped_frontier",
    "discounted",
    "party_utilities",
    "scenario_utilities",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


# ---------------------------------------------------------------------------
# exact evaluation


def additive_utilities(scenario: Scenario, prefs: Preferences, packages: IntArray) -> FloatArray:
    """``u(x) = Σ w_i v_i(x_i)`` with the weights normalised to sum 1 (the additive contract).

    A distribution (:mod:`accord.model.uncertain`) stands for its mean, as in every point analysis.
    """
    issue_position = {issue.id: i for i, issue in enumerate(scenario.issues)}
    weights = {issue_id: point_estimate(w) for issue_id, w in prefs.weights.items()}
    scale = weight_scale(list(weights.values()))  # 1e308 + 1e308 would overflow
    weights = {issue_id: w / scale for issue_id, w in weights.items()}
    total = sum(weights.values())
    result = np.zeros(packages.shape[0])
    if total <= 0:
        return result
    for issue_id, weight in weights.items():
        i = issue_position[issue_id]
        issue = scenario.issues[i]
        table = prefs.values.get(issue_id, {})
        column = np.array([point_estimate(table.get(option.id, 0.0)) for option in issue.options])
        result += (weight / total) * column[packages[:, i]]
    return result


def party_utilities(scenario: Scenario, party_id: str,
                    packages: Sequence[Sequence[int]] | IntArray) -> FloatArray:
    """Exact utilities of complete packages ``(N, I)`` (option indices) for one party → ``(N,)``.

    Additive preferences give ``Σ w·v``; a :class:`CappedUtility` applies its
    affine map and cap; a :class:`HyperRectangleUtility` is evaluated rectangle
    by rectangle.  The results are in the party's own (e.g. GENIUS) units.
    """
    batch = np.atleast_2d(np.asarray(packages, dtype=np.int64))
    if batch.shape[-1] != len(scenario.issues):
        raise ValueError(f"a package needs {len(scenario.issues)} option indices, "
                         f"got {batch.shape[-1]}")
    sizes = np.array([len(issue.options) for issue in scenario.issues])
    if batch.size and ((batch < 0).any() or (batch >= sizes).any()):
        raise ValueError("packages must be complete and within each issue's options")
    prefs = scenario.preferences[party_id]
    nonlinear = prefs.nonlinear
    if isinstance(nonlinear, HyperRectangleUtility):
        positions = {issue.id: i for i, issue in enumerate(scenario.issues)}
        value = _node_values(nonlinear.root, batch, positions)
        return np.minimum(1.0, value / nonlinear.max_utility)
    utility = additive_utilities(scenario, prefs, batch)
    if isinstance(nonlinear, CappedUtility):
        utility = nonlinear.offset + nonlinear.scale * utility
        if nonlinear.cap is not None:
            utility = np.minimum(nonlinear.cap, utility)
    return utility


def scenario_utilities(scenario: Scenario,
                       packages: Sequence[Sequence[int]] | IntArray) -> FloatArray:
    """Exact utilities ``(N, P)`` for every party with preferences, in scenario order."""
    party_ids = [p.id for p in scenario.parties if p.id in scenario.preferences]
    batch = np.atleast_2d(np.asarray(packages, dtype=np.int64))
    if not party_ids:
        return np.zeros((batch.shape[0], 0))
    return np.stack([party_utilities(scenario, p, batch) for p in party_ids], axis=1)


def discounted(utility: FloatArray | float, discount: float, time: float) -> FloatArray | float:
    """GENIUS's discounted utility ``U · d^t`` with ``t`` clipped to [0, 1]."""
    t = min(1.0, max(0.0, time))
    return utility * discount ** t


def _node_values(node: UtilityNode, batch: IntArray, positions: dict[str, int]) -> FloatArray:
    scores = [_rectangle_scores(r, batch, positions) for r in node.rectangles]
    scores += [child.weight * _node_values(child, batch, positions) for child in node.children]
    n = batch.shape[0]
    if not scores:
        if node.aggregation == "min":
            return np.full(n, JAVA_INT_MAX)
        if node.aggregation == "max":
            return np.full(n, -JAVA_INT_MAX)
        return np.zeros(n)
    stacked = np.stack(scores)
    if node.aggregation == "min":
        return np.asarray(stacked.min(axis=0))
    if node.aggregation == "max":
        return np.asarray(stacked.max(axis=0))
    total = np.zeros(n)
    for row in scores:  # left to right, as GENIUS adds them
        total = total + row
    return total


def _rectangle_scores(rectangle: HyperRectangle, batch: IntArray,
                      positions: dict[str, int]) -> FloatArray:
    score = rectangle.utility * rectangle.weight
    if rectangle.excludes:
        violated = np.zeros(batch.shape[0], dtype=bool)
        for bound in rectangle.excludes:
            column = batch[:, positions[bound.issue]]
            violated |= (column < bound.low) | (column > bound.high)
        return np.where(violated, score, 0.0)
    inside = np.ones(batch.shape[0], dtype=bool)
    for bound in rectangle.includes:
        column = batch[:, positions[bound.issue]]
        inside &= (column >= bound.low) & (column <= bound.high)
    return np.where(inside, score, 0.0)


# ---------------------------------------------------------------------------
# the exact frontier when some parties' utilities are capped


def capped_frontier(scenario: Scenario) -> ParetoFrontier:
    """The exact Pareto frontier when parties have :class:`CappedUtility` (in GENIUS units).

    ``U = min(cap, offset + scale·u)`` is a non-decreasing function of the
    additive ``u``, so (i) every frontier package under ``U`` has the same
    ``U``-vector as some package on the *additive* frontier (follow a chain of
    additive dominance from it: ``U`` never decreases along it, and the last
    package cannot beat it under ``U`` without dominating it), and (ii) a
    capped additive-frontier vector that no other capped one dominates is not
    dominated by any package (a dominating package would, by (i), bring one).
    So the frontier is the additive frontier, mapped through each party's
    ``U`` and filtered for dominance once more — exact, at the cost of one
    additive frontier.  The result is a
    :class:`~accord.analysis.pareto.ParetoFrontier` over every party with
    preferences (scenario order) whose ``utilities`` are the exact utilities;
    every frontier vector is listed with the packages of the additive frontier
    that reach it (packages that tie with them *only* because of the cap are
    not enumerated).  Hyper-rectangle utilities are refused with
    :class:`~accord.errors.AnalysisError`.
    """
    stripped = {}
    for party_id, prefs in scenario.preferences.items():
        if isinstance(prefs.nonlinear, HyperRectangleUtility):
            raise AnalysisError(refusal(party_id, prefs.nonlinear))
        stripped[party_id] = prefs.model_copy(update={"nonlinear": None})
    additive = scenario.model_copy(update={"preferences": stripped})
    space = compile_scenario(additive)
    frontier = pareto_frontier(space)
    utilities = np.array(frontier.utilities, dtype=np.float64, copy=True)
    for p, party_id in enumerate(space.party_ids):
        if isinstance(scenario.preferences[party_id].nonlinear, CappedUtility):
            # the party's own exact values in its own units
            utilities[:, p] = party_utilities(scenario, party_id, frontier.packages)
    keep = nondominated(utilities, tolerance=1e-12) if len(utilities) else np.zeros(0, bool)
    kept = utilities[keep]
    n_vectors = len(np.unique(kept, axis=0)) if len(kept) else 0
    return ParetoFrontier(parties=frontier.parties, utilities=kept,
                          packages=frontier.packages[keep], exact=frontier.exact,
                          epsilon=frontier.epsilon, acceptable_only=False, fixed=frontier.fixed,
                          n_vectors=n_vectors, empty_reason=frontier.empty_reason)
