"""The smallest change to a text that every must-accept party would accept.

Given a text ``x⁰`` (possibly with open, bracketed points), an *amendment* is a
complete package ``x`` that every must-accept party accepts (none of its red
lines, utility at least its reservation value).  Its size is the number of
**agreed points of the text that it changes**.  Convention: closing an open
point is not a change, whatever option it closes on (the text left that point
to be decided); every open point is closed, so an amendment is a whole package
a mediator can put on the table.

The *smallest* amendment has the fewest changes; among those, the one with the
largest Nash product ``Π_q (u_q − r_q)`` over the must-accept parties (Nash
1950, with the reservation values as the disagreement point): of the equally
small amendments, the one that shares the surplus best.

The alternatives are the ``k`` best *efficient* amendments in the same order
(fewest changes, then Nash product, then total utility of the must-accept
parties).  An amendment is efficient when no other amendment makes at most as
many changes and gives every must-accept party at least as much, one of them
more, or one fewer change: an inefficient one is never worth proposing.

How.  The change count is one more additive coordinate: each agreed point
contributes ``−1`` when it moves off the text's option and ``0`` otherwise.  The
efficient amendments are then exactly the Pareto frontier of (each must-accept
party's utility, minus the number of changes) over the acceptable packages, which
:func:`accord.analysis.pareto.frontier_of_sums` computes exactly with the
reservation values as lower bounds.  The smallest amendment is on that frontier
(a package that dominates it is acceptable too, with no more changes and at
least its Nash product), and so is every one of the ``k`` alternatives by
definition.

When no package is acceptable at all, :class:`AmendmentResult` carries the
*closest miss* instead: the package with the best worst margin
(:func:`accord.analysis.feasibility.feasibility`), with the fewest changes among
those.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from accord._repr import short_repr
from accord.analysis.feasibility import Feasibility, changed_points, feasibility, must_accept_parties
from accord.analysis.pareto import (
    DEFAULT_MAX_PACKAGES,
    FrontierTooLarge,
    allowed_options,
    frontier_of_sums,
    package_utilities,
)
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, FloatArray, IntArray, Space

__all__ = ["Amendment", "AmendmentResult", "amend", "nash_product"]


@short_repr(fields=("changes", "closed", "nash_product"))
@dataclass(frozen=True)
class Amendment:
    """One acceptable package, described against the text it amends.

    Attributes:
        package: ``(I,)`` the complete package.
        changes: agreed points of the text whose option changes.
        closed: open points of the text, each closed by ``package``.
        utilities: ``(P,)`` every party's utility.
        margins: ``(Q,)`` each must-accept party's utility minus its reservation value.
        nash_product: ``Π_q margins_q``.
    """

    package: IntArray
    changes: tuple[int, ...]
    closed: tuple[int, ...]
    utilities: FloatArray
    margins: FloatArray
    nash_product: float


@short_repr(fields=("text", "parties", "efficient_count"),
            extra=lambda r: {"min_changes": r.min_changes, "amendments": len(r.amendments),
                             "feasible": r.closest_miss is None})
@dataclass(frozen=True)
class AmendmentResult:
    """The smallest amendment to a text and its best alternatives.

    Attributes:
        text: the text's index in the Space (None for a package given directly).
        base: ``(I,)`` the text's options, ``UNRESOLVED`` for open points.
        parties: the must-accept parties (indices).
        amendments: the ``k`` best efficient amendments, the smallest first;
            empty when no package is acceptable.
        efficient_count: how many efficient amendments exist in all.
        closest_miss: when no package is acceptable, the best worst-margin package.
        best_with_fewer: when the smallest amendment changes ``m ≥ 1`` points,
            the best worst-margin package among those changing at most ``m − 1``
            (its margin is negative: the evidence that ``m`` is the minimum).
    """

    text: int | None
    base: IntArray
    parties: tuple[int, ...]
    amendments: tuple[Amendment, ...]
    efficient_count: int
    closest_miss: Feasibility | None
    best_with_fewer: Feasibility | None = None
    #: True when equally small amendments were ranked by the largest worst margin
    #: instead of the Nash product (the integer-program path with interaction terms).
    by_margin: bool = False

    @property
    def best(self) -> Amendment | None:
        return self.amendments[0] if self.amendments else None

    @property
    def min_changes(self) -> int | None:
        return None if self.best is None else len(self.best.changes)


def nash_product(margins: FloatArray) -> FloatArray:
    """``Π_q max(margin_q, 0)`` per row (margins within tolerance of 0 count as 0)."""
    result: FloatArray = np.clip(np.atleast_2d(margins), 0.0, None).prod(axis=1)
    return result


def change_penalty(base: IntArray, issue: int, options: IntArray) -> FloatArray:
    """The change coordinate of each option: −1 if it moves an agreed point, 0 otherwise."""
    if base[issue] == UNRESOLVED:
        return np.zeros(options.size)
    result: FloatArray = -(options != base[issue]).astype(np.float64)
    return result


def describe(space: Space, base: IntArray, package: IntArray, parties: Sequence[int]) -> Amendment:
    utilities = package_utilities(space, package)[0]
    margins = utilities[list(parties)] - space.reservation[list(parties)]
    return Amendment(
        package=package,
        changes=changed_points(base, package),
        closed=tuple(int(i) for i in np.flatnonzero(base == UNRESOLVED)),
        utilities=utilities,
        margins=margins,
        nash_product=float(nash_product(margins)[0]),
    )


def amend(
    space: Space,
    text: str | int | Mapping[str | int, str | int] | Sequence[int] | IntArray,
    *,
    k: int = 5,
    max_packages: int = DEFAULT_MAX_PACKAGES,
) -> AmendmentResult:
    """The smallest acceptable amendment to a text, and the ``k`` best efficient alternatives.

    Parameters
    ----------
    space
        The compiled scenario.
    text
        A text (id or index), or a possibly partial package: ``{issue: option}``
        (ids or indices; issues left out are open) or one option index per
        issue (``UNRESOLVED``, -1, for an open point).
    k
        How many amendments to list (the smallest first).
    max_packages
        Limit on efficient packages listed before ranking.

    Returns
    -------
    AmendmentResult
        The amendments, smallest first, or the closest miss when no package is
        acceptable to every must-accept party.

    Raises
    ------
    UnknownIdError
        When a text, issue or option id names nothing (with "did you mean").
    ValueError
        When ``k`` is below 1, or an index array is the wrong length or out of range.
    AnalysisError
        When the scenario names no must-accept party.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> found = amend(space, "revised")
    >>> found.min_changes, found.text
    (0, 2)
    >>> amend(space, {"salary": "110k", "remote": "hybrid"}, k=1).min_changes
    0
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    parties = must_accept_parties(space)
    index, base = space.text_or_package(text)
    if not space.is_additive:
        return _term_amend(space, index, base, parties, k)
    options = allowed_options(space, exclude_red_lines_of=space.must_accept)
    if any(o.size == 0 for o in options):
        miss = feasibility(space, reference=base)
        return AmendmentResult(index, base, parties, (), 0, miss)
    reservation = space.reservation[list(parties)].astype(np.float64)
    contribution = space.contribution[list(parties)]
    points = [
        (options[i], np.column_stack([contribution[:, i, options[i]].T, change_penalty(base, i, options[i])]))
        for i in range(space.n_issues)
    ]
    lower = np.append(reservation - UTILITY_TOLERANCE, -np.inf)
    result = frontier_of_sums(points, strict=len(parties) + 1, lower=lower)
    if result.vectors.shape[0] == 0:
        miss = feasibility(space, reference=base)
        return AmendmentResult(index, base, parties, (), 0, miss)
    _, packages = result.packages(max_packages=max_packages)
    utilities = package_utilities(space, packages, parties)
    margins = utilities - reservation
    counts = ((base != UNRESOLVED)[None, :] & (packages != base[None, :])).sum(axis=1)
    products = nash_product(margins)
    totals = utilities.sum(axis=1)
    # Fewest changes, then largest Nash product (ties within 1e-12 fall through),
    # then largest total, then the package itself for a stable order.
    rounded_products = np.round(products / 1e-12)
    order = np.lexsort((*packages[:, ::-1].T, -totals, -rounded_products, counts))
    chosen = order[:k]
    amendments = tuple(describe(space, base, packages[r], parties) for r in chosen)
    fewest = int(counts[chosen[0]])
    fewer = None if fewest == 0 else best_within(space, base, points, parties, fewest - 1)
    return AmendmentResult(index, base, parties, amendments, int(packages.shape[0]), None, fewer)


def _term_amend(space: Space, index: int | None, base: IntArray,
                parties: tuple[int, ...], k: int) -> AmendmentResult:
    """:func:`amend` with terms or conditional red lines.

    Up to the enumeration limit of :mod:`accord.analysis.terms`, exactly as on
    an additive Space: every efficient amendment, ranked by fewest changes, then
    Nash product (:func:`accord.analysis.terms.efficient_amendments`).  Beyond
    it, by integer programs: the fewest changes
    (:func:`accord.analysis.terms.fewest_changes`) and among those the largest
    worst margin rather than the largest Nash product (a product is not
    linear); only that amendment is listed (``efficient_count`` is 1).
    """
    from accord.analysis.feasibility import term_feasibility
    from accord.analysis.terms import efficient_amendments, fewest_changes

    free = np.full(space.n_issues, UNRESOLVED, dtype=np.int64)
    ranked = efficient_amendments(space, parties, base)
    if ranked is not None:
        if ranked.shape[0] == 0:
            return AmendmentResult(index, base, parties, (), 0, feasibility(space, reference=base))
        amendments = tuple(describe(space, base, row, parties) for row in ranked[:k])
        fewest = len(amendments[0].changes)
        fewer = None if fewest == 0 else term_feasibility(space, parties, free, base, fewest - 1)
        return AmendmentResult(index, base, parties, amendments, int(ranked.shape[0]), None, fewer)
    found = fewest_changes(space, parties, base)
    if found is None:
        return AmendmentResult(index, base, parties, (), 0, feasibility(space, reference=base))
    fewest, package = found
    fewer = None if fewest == 0 else term_feasibility(space, parties, free, base, fewest - 1)
    return AmendmentResult(index, base, parties, (describe(space, base, package, parties),), 1,
                           None, fewer, by_margin=True)


def best_within(space: Space, base: IntArray, points: Sequence[tuple[IntArray, FloatArray]],
                parties: Sequence[int], max_changes: int) -> Feasibility | None:
    """The best worst-margin package changing at most ``max_changes`` agreed points of ``base``.

    The max–min margin is monotone in every utility, so its optimum lies on the
    frontier of (utilities, minus changes) restricted to at most ``max_changes``
    changes; ``margin`` is ``-inf`` when every such package keeps a must-accept
    party's red line, and the result is None if that frontier is too large to compute.
    """
    reservation = space.reservation[list(parties)].astype(np.float64)
    lower = np.append(np.full(len(parties), -np.inf), -max_changes - 0.5)
    try:
        result = frontier_of_sums(points, strict=len(parties) + 1, lower=lower)
    except FrontierTooLarge:
        return None
    if result.vectors.shape[0] == 0:
        # Every package with so few changes keeps a must-accept party's red line.
        return Feasibility(tuple(parties), -np.inf, None, np.zeros((0, space.n_issues), np.int64),
                           None, None, (), base)
    margins = (result.vectors[:, : len(parties)] - reservation).min(axis=1)
    best = int(np.argmax(margins))
    _, packages = result.packages(np.array([best]), one_per_vector=True)
    package = packages[0]
    utilities = package_utilities(space, package)[0]
    return Feasibility(
        parties=tuple(parties),
        margin=float(margins[best]),
        package=package,
        ties=packages,
        margins=utilities[list(parties)] - reservation,
        utilities=utilities,
        blocked_issues=(),
        reference=base,
        changes=changed_points(base, package),
    )
