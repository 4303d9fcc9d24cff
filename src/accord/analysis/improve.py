"""Pareto improvements of a text: packages that leave no party worse off and some better off.

After a text is on the table, the parties may still be leaving value behind: a
*post-settlement settlement* (H. Raiffa, "Post-settlement settlements",
*Negotiation Journal* 1(1), 1985) is a change that every party weakly prefers and
someone strictly prefers.  accord lists them fewest changed points first.

Conventions:

* **Every party with preferences** must be no worse off (the mediator and the
  backers too: an improvement that costs anyone something is a trade, not an
  improvement).  No package may contain a must-accept party's red line.
* **"Worse off" for a text with open points** compares with what the text
  *guarantees* each party: its utility if every open point closed on that
  party's worst option (the lower end of :func:`accord.analysis.evaluate.utility_bounds`).
* **Changes** count agreed points moved to another option; closing an open point
  is not a change (as in :mod:`accord.analysis.amend`).
* Only **efficient** improvements are listed: none of them is beaten by another
  improvement with no more changes that is at least as good for everyone and
  better for someone.  They are ranked by changes, then those every must-accept
  party accepts first, then by total gain, then by the smallest gain.

How: the same frontier search as :mod:`accord.analysis.amend`, over every
party's utility plus minus the change count, with the text's utilities as lower
bounds; the text itself (and anything equal to it for everyone) is then removed.

With interaction terms or conditional red lines (``not space.is_additive``) the
merge of per-issue sums is not exact, so the same set is found by enumerating
every package (:data:`accord.analysis.terms.MAX_ENUMERATED` at most, else
:class:`~accord.errors.TermsTooLarge`); a must-accept party's forbidden pair
counts as its red line, and the guaranteed utility of an open text is the exact
minimum over its completions (:func:`accord.analysis.terms.term_bounds`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from accord._repr import short_repr
from accord.analysis.amend import change_penalty
from accord.analysis.feasibility import changed_points
from accord.analysis.pareto import (
    DEFAULT_MAX_PACKAGES,
    TIE_TOLERANCE,
    allowed_options,
    frontier_of_sums,
    package_utilities,
)
from accord.space import UNRESOLVED, FloatArray, IntArray, Space

__all__ = ["Improvement", "ImprovementResult", "guaranteed_utilities", "improve"]


@short_repr(fields=("changes", "closed", "acceptable"))
@dataclass(frozen=True)
class Improvement:
    """One Pareto improvement: its package, the points it changes and everyone's gain."""

    package: IntArray
    changes: tuple[int, ...]
    closed: tuple[int, ...]
    utilities: FloatArray
    gains: FloatArray
    acceptable: bool
    """Whether every must-accept party accepts it (it may not, if the text was not acceptable)."""


@short_repr(fields=("text", "efficient_count"),
            extra=lambda r: {"improvements": len(r.improvements), "partial": r.partial})
@dataclass(frozen=True)
class ImprovementResult:
    """The efficient Pareto improvements of a text.

    Attributes:
        text: the text's index (None for a package given directly).
        base: ``(I,)`` the text's options, ``UNRESOLVED`` for open points.
        baseline: ``(P,)`` each party's utility from the text (guaranteed
            utility when points are open).
        improvements: the ``k`` best, fewest changes first; empty when the
            text is already Pareto-efficient.
        efficient_count: how many efficient improvements exist.
    """

    text: int | None
    base: IntArray
    baseline: FloatArray
    improvements: tuple[Improvement, ...]
    efficient_count: int

    @property
    def partial(self) -> bool:
        return bool((self.base == UNRESOLVED).any())


#: A text (id or index) or a package ({issue: option}, ids or indices, or an index array).
TextOrPackage = str | int | Mapping[str | int, str | int] | Sequence[int] | IntArray


def guaranteed_utilities(space: Space, base: TextOrPackage) -> FloatArray:
    """Each party's utility from ``base`` (a text or a package), open points at its worst option."""
    _, base = space.text_or_package(base)
    if not space.is_additive:
        from accord.analysis.terms import term_bounds

        return term_bounds(space, base)[0]
    contribution = space.contribution
    total = np.zeros(space.n_parties)
    for i in range(space.n_issues):
        if base[i] == UNRESOLVED:
            total += contribution[:, i, : space.n_options[i]].min(axis=1)
        else:
            total += contribution[:, i, base[i]]
    return total


def improve(
    space: Space,
    text: TextOrPackage,
    *,
    k: int = 5,
    max_packages: int = DEFAULT_MAX_PACKAGES,
) -> ImprovementResult:
    """The ``k`` best efficient Pareto improvements of a text (fewest changes first).

    Parameters
    ----------
    space
        The compiled scenario.
    text
        A text (id or index), or a possibly partial package: ``{issue: option}``
        (ids or indices; issues left out are open) or one option index per
        issue (``UNRESOLVED``, -1, for an open point).
    k
        How many improvements to list.
    max_packages
        Limit on efficient packages listed before ranking.

    Returns
    -------
    ImprovementResult
        The improvements, fewest changes first (none when the text is efficient).

    Raises
    ------
    UnknownIdError
        When a text, issue or option id names nothing (with "did you mean").
    ValueError
        When ``k`` is below 1, or an index array is the wrong length or out of range.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> found = improve(space, "offer", k=2)
    >>> found.text, len(found.improvements), found.improvements[0].changes
    (0, 2, (0, 1))
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    index, base = space.text_or_package(text)
    baseline = guaranteed_utilities(space, base)
    if not space.is_additive:
        from accord.analysis.terms_improve import efficient_improvements

        packages = efficient_improvements(space, base, baseline)
        return _ranked(space, index, base, baseline, packages, k)
    options = allowed_options(space, exclude_red_lines_of=space.must_accept)
    if any(o.size == 0 for o in options):
        return ImprovementResult(index, base, baseline, (), 0)
    contribution = space.contribution
    points = [
        (options[i], np.column_stack([contribution[:, i, options[i]].T, change_penalty(base, i, options[i])]))
        for i in range(space.n_issues)
    ]
    lower = np.append(baseline - TIE_TOLERANCE, -np.inf)
    result = frontier_of_sums(points, strict=space.n_parties + 1, lower=lower)
    vectors = result.vectors
    better = np.flatnonzero((vectors[:, : space.n_parties] > baseline + TIE_TOLERANCE).any(axis=1))
    if better.size == 0:
        return ImprovementResult(index, base, baseline, (), 0)
    _, packages = result.packages(better, max_packages=max_packages)
    return _ranked(space, index, base, baseline, packages, k)


def _ranked(space: Space, index: int | None, base: IntArray, baseline: FloatArray,
            packages: IntArray, k: int) -> ImprovementResult:
    """The ``k`` first of the efficient improvements ``packages`` in the documented order."""
    if packages.shape[0] == 0:
        return ImprovementResult(index, base, baseline, (), 0)
    utilities = package_utilities(space, packages)
    gains = utilities - baseline
    counts = ((base != UNRESOLVED)[None, :] & (packages != base[None, :])).sum(axis=1)
    must = space.must_accept
    acceptable = np.asarray(space.acceptable(packages)[:, must].all(axis=1) if must.any()
                            else np.ones(packages.shape[0], dtype=bool), dtype=bool)
    order = np.lexsort((*packages[:, ::-1].T, -gains.min(axis=1), -gains.sum(axis=1),
                        ~acceptable, counts))
    closed = tuple(int(i) for i in np.flatnonzero(base == UNRESOLVED))
    chosen = []
    for row in order[:k]:
        package = packages[row]
        chosen.append(Improvement(package, changed_points(base, package), closed,
                                  utilities[row], gains[row], bool(acceptable[row])))
    return ImprovementResult(index, base, baseline, tuple(chosen), int(packages.shape[0]))
