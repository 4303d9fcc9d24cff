"""Preferences outside accord's additive contract, modelled exactly so that they can be evaluated.

accord's analysis assumes additive utilities in [0, 1] (``u = Σ w·v`` with the
weights summing to 1).  Some imported preferences are not of that form, and
rather than approximate them accord keeps them exactly in
:attr:`Preferences.nonlinear <accord.model.scenario.Preferences>`:

* :class:`HyperRectangleUtility` — GENIUS's non-linear profiles (ANAC 2014):
  sums (or minima/maxima) of hyper-rectangle scores, divided by a maximum and
  capped at 1;
* :class:`CappedUtility` — a GENIUS linear profile whose utility leaves [0, 1]
  (weights summing to more than 1, which GENIUS caps at 1, or negative
  evaluations): ``U = min(cap, offset + scale · u)`` where ``u`` is the
  party's ordinary additive utility.

Both evaluate exactly (:func:`party_utilities`, :func:`scenario_utilities`),
but the additive analysis (frontier, bargaining solutions, …) refuses them
through :func:`refusal`, because answering with the additive part alone would
give a different answer from GENIUS.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, model_validator

from accord.errors import Problem
from accord.model.types import Finite, Identifier, Prose, Whole
from accord.model.types import Strict as _Strict

if TYPE_CHECKING:
    from accord.analysis.pareto import ParetoFrontier
    from accord.model.scenario import Preferences, Scenario

__all__ = [
    "Bound",
    "CappedUtility",
    "HyperRectangle",
    "HyperRectangleUtility",
    "NonlinearUtility",
    "UtilityNode",
    "capped_frontier",
    "check_references",
    "discounted",
    "party_utilities",
    "refusal",
    "scenario_utilities",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: The start value of GENIUS's ``min`` aggregation (Java's Integer.MAX_VALUE).
JAVA_INT_MAX = 2147483647.0


class Bound(_Strict):
    """``low ≤ position ≤ high`` on one issue.

    Positions count the issue's options from 0 in file order; for an imported
    GENIUS integer issue with lower bound ``lb`` the position of value ``x`` is
    ``x − lb`` (so with ``lb = 0``, as in every ANAC 2014 domain, position =
    value).  Bounds outside the issue's options are allowed and simply never
    (or always) hold.
    """

    issue: Identifier
    low: Whole
    high: Whole


class HyperRectangle(_Strict):
    """Scores ``utility · weight`` when every ``includes`` bound holds.

    With ``excludes`` instead, it scores when *any* ``excludes`` bound fails;
    with neither, it scores for every package.
    """

    utility: Finite
    weight: Finite = 1.0
    includes: list[Bound] = Field(default_factory=list)
    excludes: list[Bound] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_kind(self) -> HyperRectangle:
        if self.includes and self.excludes:
            raise ValueError("a hyper-rectangle has either includes or excludes bounds, not both")
        return self


class UtilityNode(_Strict):
    """Rectangles and nested nodes, aggregated by ``sum`` (default), ``min`` or ``max``.

    A nested node's ``weight`` multiplies its value in its parent; the root's
    weight is ignored.  An empty ``min`` node is worth 2147483647 and an empty
    ``max`` node −2147483647, as in GENIUS.
    """

    aggregation: Literal["sum", "min", "max"] = "sum"
    weight: Finite = 1.0
    rectangles: list[HyperRectangle] = Field(default_factory=list)
    children: list[UtilityNode] = Field(default_factory=list)


class HyperRectangleUtility(_Strict):
    """GENIUS non-linear utility: ``U(x) = min(1, F(root)(x) / max_utility)``."""

    kind: Literal["hyperrectangles"]  # no default: the file must say which kind it is
    max_utility: Annotated[float, Field(strict=True, gt=0.0, allow_inf_nan=False)]
    root: UtilityNode

    def describe(self) -> str:
        count = _count_rectangles(self.root)
        return (f"a non-linear (hyper-rectangle) utility with {count} rectangles, "
                "U = min(1, Σ rectangle scores / max_utility)")


class CappedUtility(_Strict):
    """``U(x) = min(cap, offset + scale · u(x))`` with ``u`` the party's additive utility.

    ``reservation`` is the reservation value in the units of ``U`` (the raw
    GENIUS value); the party's ordinary ``reservation`` holds the same
    threshold in the units of ``u``, clipped to [0, 1].
    """

    kind: Literal["capped"]
    offset: Finite = 0.0
    scale: Annotated[float, Field(strict=True, gt=0.0, allow_inf_nan=False)] = 1.0
    cap: Finite | None = 1.0
    reservation: Finite | None = None
    reason: Prose | None = Field(
        default=None, description="Why the utility is not additive in [0, 1], in words.")

    def describe(self) -> str:
        affine = f"{self.offset:.6g} + {self.scale:.6g}·u"
        formula = f"min({self.cap:.6g}, {affine})" if self.cap is not None else affine
        why = f": {self.reason}" if self.reason else ""
        return (f"a GENIUS utility U = {formula} over an additive u, which is not additive "
                f"in [0, 1]{why}")


NonlinearUtility = Annotated[HyperRectangleUtility | CappedUtility, Field(discriminator="kind")]


def refusal(party_id: str, nonlinear: HyperRectangleUtility | CappedUtility) -> str:
    """The message with which additive analyses refuse a party's non-additive utility."""
    return (f"party {party_id!r} has {nonlinear.describe()}; accord's additive analysis "
            "(frontier, bargaining solutions, acceptability) would answer differently from the "
            "exact utility, so it refuses. Evaluate packages exactly with "
            "accord.model.nonlinear.scenario_utilities; an exact frontier for such utilities is "
            "planned.")


def _count_rectangles(node: UtilityNode) -> int:
    return len(node.rectangles) + sum(_count_rectangles(child) for child in node.children)


# ---------------------------------------------------------------------------
# cross-reference checks (the model alone cannot see the scenario's issues)


def check_references(document: Mapping[str, Any], file: str) -> list[Problem]:
    """Problems with ``preferences.*.nonlinear`` that need the scenario's issues."""
    problems: list[Problem] = []
    issues = document.get("issues")
    options: dict[str, int] = {}
    if isinstance(issues, list):
        for issue in issues:
            if isinstance(issue, Mapping) and isinstance(issue.get("id"), str):
                raw = issue.get("options")
                options[issue["id"]] = len(raw) if isinstance(raw, list) else 0
    preferences = document.get("preferences")
    if not isinstance(preferences, Mapping):
        return problems
    for party_id, prefs in preferences.items():
        if not isinstance(prefs, Mapping):
            continue
        nonlinear = prefs.get("nonlinear")
        if not isinstance(nonlinear, Mapping) or nonlinear.get("kind") != "hyperrectangles":
            continue
        base = f"preferences.{party_id}.nonlinear.root"
        for path, bound in _bounds(nonlinear.get("root"), base):
            issue = bound.get("issue") if isinstance(bound, Mapping) else None
            if isinstance(issue, str) and issue not in options:
                problems.append(Problem(file, path, f"unknown issue {issue!r}"))
    return problems


def _bounds(node: Any, path: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if not isinstance(node, Mapping):
        return found
    rectangles = node.get("rectangles")
    for n, rectangle in enumerate(rectangles if isinstance(rectangles, list) else [], start=1):
        if not isinstance(rectangle, Mapping):
            continue
        for key in ("includes", "excludes"):
            bounds = rectangle.get(key)
            for m, bound in enumerate(bounds if isinstance(bounds, list) else [], start=1):
                found.append((f"{path}.rectangles[{n}].{key}[{m}]", bound))
    children = node.get("children")
    for n, child in enumerate(children if isinstance(children, list) else [], start=1):
        found.extend(_bounds(child, f"{path}.children[{n}]"))
    return found


# ---------------------------------------------------------------------------
# exact evaluation


def additive_utilities(scenario: Scenario, prefs: Preferences, packages: IntArray) -> FloatArray:
    """``u(x) = Σ w_i v_i(x_i)`` with the weights normalised to sum 1 (the additive contract).

    A distribution (:mod:`accord.model.uncertain`) stands for its mean, as in every point analysis.
    """
    from accord.model.uncertain import point_estimate

    issue_position = {issue.id: i for i, issue in enumerate(scenario.issues)}
    from accord.space import weight_scale

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
    from accord.analysis.dominance import nondominated
    from accord.analysis.pareto import ParetoFrontier, pareto_frontier
    from accord.errors import AnalysisError
    from accord.space import compile_scenario

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
