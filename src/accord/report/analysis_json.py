"""JSON-able forms of the frontier, bargaining, feasibility, amendment and improvement results.

Each ``*_to_dict`` maps the index-based result through :class:`Labels` to ids,
in the contract that ``accord frontier|solve|amend|improve --json`` prints.
Utilities are rounded to 6 decimals (the estimates are nowhere near that precise).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from accord.analysis.amend import Amendment, AmendmentResult
from accord.analysis.bargaining import BargainingSolution, BargainingSolutions
from accord.analysis.feasibility import Feasibility
from accord.analysis.improve import Improvement, ImprovementResult
from accord.analysis.pareto import ParetoFrontier
from accord.space import UNRESOLVED, IntArray
from accord.views.labels import Labels

__all__ = [
    "AMENDMENT_CONVENTION",
    "amendment_to_dict",
    "feasibility_to_dict",
    "frontier_to_dict",
    "improvement_to_dict",
    "solutions_to_dict",
]

AMENDMENT_CONVENTION = ("changes count agreed points of the text that move to another option; "
                        "closing an open point is not a change")


def _number(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 6)


def positions(labels: Labels, package: IntArray) -> dict[str, str | None]:
    """``{issue id: option id}`` for every issue (None for an open point)."""
    return {labels.issue(i): labels.option(i, int(o)) for i, o in enumerate(package)}


def _by_party(labels: Labels, parties: Sequence[int], values: Any) -> dict[str, float | None]:
    return {labels.party(p): _number(float(v)) for p, v in zip(parties, values, strict=True)}


def frontier_to_dict(frontier: ParetoFrontier, labels: Labels) -> dict[str, Any]:
    """The frontier contract: parties, exactness, ε and one entry per package."""
    return {
        "parties": [labels.party(p) for p in frontier.parties],
        "exact": frontier.exact,
        "epsilon": _number(frontier.epsilon),
        "acceptable_only": frontier.acceptable_only,
        "fixed": {labels.issue(i): labels.option(i, int(o))
                  for i, o in enumerate(frontier.fixed) if o != UNRESOLVED},
        "distinct_vectors": frontier.n_vectors,
        "points": [
            {"utilities": [_number(u) for u in row], "positions": positions(labels, package)}
            for row, package in zip(frontier.utilities.tolist(), frontier.packages, strict=True)
        ],
    }


def _changes(labels: Labels, base: IntArray | None, package: IntArray) -> list[dict[str, Any]]:
    if base is None:
        return []
    return [
        {"issue": labels.issue(i), "from": labels.option(i, int(base[i])),
         "to": labels.option(i, int(package[i]))}
        for i in range(len(package)) if base[i] != UNRESOLVED and base[i] != package[i]
    ]


def _closed(labels: Labels, base: IntArray | None, package: IntArray) -> list[dict[str, Any]]:
    if base is None:
        return []
    return [{"issue": labels.issue(i), "to": labels.option(i, int(package[i]))}
            for i in range(len(package)) if base[i] == UNRESOLVED]


def _solution_dict(solutions: BargainingSolutions, solution: BargainingSolution, labels: Labels,
                   base: IntArray | None) -> dict[str, Any]:
    frontier = solutions.frontier
    entry: dict[str, Any] = {"definition": solution.definition, "value": _number(solution.value),
                             "ties": len(solution.rows)}
    if solution.row is None:
        entry.update({"utilities": None, "positions": None, "changes": None})
        return entry
    package = frontier.packages[solution.row]
    entry["utilities"] = _by_party(labels, frontier.parties, frontier.utilities[solution.row])
    entry["positions"] = positions(labels, package)
    entry["changes"] = _changes(labels, base, package)
    entry["closed"] = _closed(labels, base, package)
    return entry


def solutions_to_dict(solutions: BargainingSolutions, labels: Labels, *, text: int | None = None,
                      feasible: Feasibility | None = None,
                      genius: Sequence[BargainingSolution] = ()) -> dict[str, Any]:
    """The four solutions (and GENIUS's, if given), each with the points that differ from ``text``."""
    frontier = solutions.frontier
    base = None if text is None else labels.space.texts[text]
    data: dict[str, Any] = {
        "parties": [labels.party(p) for p in frontier.parties],
        "acceptable_only": frontier.acceptable_only,
        "exact": frontier.exact,
        "epsilon": _number(frontier.epsilon),
        "frontier_size": len(frontier),
        "disagreement": _by_party(labels, frontier.parties, solutions.disagreement),
        "ideal": (None if solutions.ideal is None
                  else _by_party(labels, frontier.parties, solutions.ideal)),
        "individually_rational": solutions.rational,
        "text": labels.text(text),
        "text_utilities": (None if base is None or (base == UNRESOLVED).any() else _by_party(
            labels, frontier.parties, labels.space.utilities(base)[list(frontier.parties)])),
        "solutions": {s.name: _solution_dict(solutions, s, labels, base) for s in solutions.all()},
    }
    if genius:
        data["genius"] = {s.name: _solution_dict(solutions, s, labels, base) for s in genius}
    if feasible is not None:
        data["feasibility"] = feasibility_to_dict(feasible, labels)
    return data


def feasibility_to_dict(result: Feasibility, labels: Labels) -> dict[str, Any]:
    """The max–min margin answer: does an acceptable package exist, and by how much it misses."""
    data: dict[str, Any] = {
        "must_accept": [labels.party(p) for p in result.parties],
        "feasible": result.feasible,
        "margin": _number(result.margin),
        "blocked_issues": [labels.issue(i) for i in result.blocked_issues],
        "positions": None if result.package is None else positions(labels, result.package),
        "margins": (None if result.margins is None
                    else _by_party(labels, result.parties, result.margins)),
        "lower_reservation_by": (None if result.shortfall is None
                                 else _by_party(labels, result.parties, result.shortfall)),
        "optimal_packages": int(result.ties.shape[0]),
    }
    if result.reference is not None and result.package is not None:
        data["changes"] = _changes(labels, result.reference, result.package)
    return data


def _amendment_dict(amendment: Amendment, labels: Labels, base: IntArray,
                    parties: Sequence[int]) -> dict[str, Any]:
    space = labels.space
    return {
        "change_count": len(amendment.changes),
        "changes": _changes(labels, base, amendment.package),
        "closed": _closed(labels, base, amendment.package),
        "utilities": _by_party(labels, range(space.n_parties), amendment.utilities),
        "margins": _by_party(labels, parties, amendment.margins),
        "nash_product": _number(amendment.nash_product),
        "positions": positions(labels, amendment.package),
    }


def amendment_to_dict(result: AmendmentResult, labels: Labels) -> dict[str, Any]:
    """The smallest amendment, its alternatives, or the closest miss."""
    return {
        "text": labels.text(result.text),
        "must_accept": [labels.party(p) for p in result.parties],
        "open_points": [labels.issue(int(i)) for i in np.flatnonzero(result.base == UNRESOLVED)],
        "convention": AMENDMENT_CONVENTION,
        "min_changes": result.min_changes,
        "smallest": (None if result.best is None
                     else _amendment_dict(result.best, labels, result.base, result.parties)),
        "alternatives": [_amendment_dict(a, labels, result.base, result.parties)
                         for a in result.amendments[1:]],
        "efficient_count": result.efficient_count,
        "closest_miss": (None if result.closest_miss is None
                         else feasibility_to_dict(result.closest_miss, labels)),
        "best_with_fewer_changes": (None if result.best_with_fewer is None
                                    else feasibility_to_dict(result.best_with_fewer, labels)),
    }


def _improvement_dict(item: Improvement, labels: Labels, base: IntArray) -> dict[str, Any]:
    parties = range(labels.space.n_parties)
    return {
        "change_count": len(item.changes),
        "changes": _changes(labels, base, item.package),
        "closed": _closed(labels, base, item.package),
        "utilities": _by_party(labels, parties, item.utilities),
        "gains": _by_party(labels, parties, item.gains),
        "acceptable": item.acceptable,
        "positions": positions(labels, item.package),
    }


def improvement_to_dict(result: ImprovementResult, labels: Labels) -> dict[str, Any]:
    parties = range(labels.space.n_parties)
    return {
        "text": labels.text(result.text),
        "partial": result.partial,
        "baseline": _by_party(labels, parties, result.baseline),
        "convention": ("no party below its utility from the text (for open points: what the "
                       "text guarantees it); " + AMENDMENT_CONVENTION),
        "efficient_count": result.efficient_count,
        "improvements": [_improvement_dict(item, labels, result.base) for item in result.improvements],
    }
