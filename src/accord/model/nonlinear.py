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

This module holds the classes only (the model layer imports no analysis).
Both evaluate exactly through :mod:`accord.analysis.nonlinear`
(``party_utilities``, ``scenario_utilities``, and ``capped_frontier`` for the
exact frontier under capped utilities), but the additive analysis (frontier,
bargaining solutions, …) refuses them through :func:`refusal`, because
answering with the additive part alone would give a different answer from
GENIUS.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from accord.errors import Problem
from accord.model.types import Finite, Identifier, Prose, Whole
from accord.model.types import Strict as _Strict

__all__ = [
    "Bound",
    "CappedUtility",
    "HyperRectangle",
    "HyperRectangleUtility",
    "NonlinearUtility",
    "UtilityNode",
    "check_references",
    "refusal",
]

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
            "accord.analysis.nonlinear.scenario_utilities; for capped (not hyper-rectangle) "
            "utilities accord.analysis.nonlinear.capped_frontier gives the exact frontier.")


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
