"""Does any package exist that every must-accept party accepts?  By how much does it miss?

The question is answered by the *max–min margin*: over every package that avoids
the must-accept parties' red lines, maximise the smallest margin
``u_q(x) − r_q`` over the must-accept parties ``q``.  A package is acceptable to
all of them exactly when its smallest margin is ``≥ 0`` (within
``UTILITY_TOLERANCE``), so

* an optimum ``t* ≥ 0`` means an acceptable package exists, and ``t*`` is the
  largest cushion the worst-off party can have;
* ``t* < 0`` means none exists under these estimates.  Every party lowering its
  reservation value by ``|t*|`` is the smallest *uniform* concession that makes
  a package acceptable; the result also gives, for the optimal package, each
  party's own shortfall (lowering each reservation value by that makes this
  package acceptable).

This is a bottleneck (max–min) integer program, the kind often solved with an
auxiliary variable and a MILP.  accord solves it exactly with its own frontier
search instead: the smallest margin can only grow when every utility grows, so
the optimum lies on the Pareto frontier of the must-accept parties.  A quick
coordinate ascent finds a good package first; its margin ``t₀`` is a lower bound
on ``t*``, so the frontier search may drop every partial package whose best
completion leaves some party below ``r_q + t₀`` (the same optimistic-completion
pruning as :func:`accord.analysis.pareto.pareto_frontier` with reservation
values raised by ``t₀``).  What remains is small and is scanned exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from accord._repr import short_repr
from accord.analysis.limits import check_merge
from accord.analysis.pareto import (
    allowed_options,
    frontier_of_sums,
    package_utilities,
)
from accord.errors import AnalysisError
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, FloatArray, IntArray, Space

__all__ = ["Feasibility", "feasibility"]

#: Margins closer than this are ties.
TIE = 1e-12
#: At most this many tied optimal packages are listed.
MAX_TIES = 1000


@short_repr(fields=("parties", "margin", "changes", "blocked_issues"),
            extra=lambda f: {"feasible": f.feasible, "ties": len(f.ties)})
@dataclass(frozen=True)
class Feasibility:
    """The best worst-margin package.

    Attributes:
        parties: the must-accept parties (indices into the Space).
        margin: ``t*``, the largest smallest margin; ``-inf`` when some issue
            has no option outside the must-accept parties' red lines.
        package: an optimal package (``None`` when ``margin`` is ``-inf``); with
            a ``reference`` text, the one with the fewest changed points.
        ties: every optimal package (with a reference, every optimal package
            with that fewest number of changes), up to ``MAX_TIES``.
        margins: ``(Q,)`` each must-accept party's margin at ``package``.
        utilities: ``(P,)`` every party's utility at ``package``.
        blocked_issues: issues on which every option is some must-accept
            party's red line.
        reference: the text the changes are counted against, if any.
        changes: points of ``reference`` that ``package`` changes (agreed
            points only: closing an open point is not a change).
    """

    parties: tuple[int, ...]
    margin: float
    package: IntArray | None
    ties: IntArray
    margins: FloatArray | None
    utilities: FloatArray | None
    blocked_issues: tuple[int, ...]
    reference: IntArray | None = None
    changes: tuple[int, ...] = ()

    @property
    def feasible(self) -> bool:
        return bool(self.margin >= -UTILITY_TOLERANCE)

    @property
    def shortfall(self) -> FloatArray | None:
        """``(Q,)`` how far each must-accept party is below its reservation value at ``package``."""
        return None if self.margins is None else np.clip(-self.margins, 0.0, None)


def must_accept_parties(space: Space) -> tuple[int, ...]:
    parties = tuple(int(p) for p in np.flatnonzero(space.must_accept))
    if not parties:
        raise AnalysisError("the scenario names no must-accept party, so every package is "
                            "acceptable; set must_accept to ask who must agree")
    return parties


def changed_points(reference: IntArray, package: IntArray) -> tuple[int, ...]:
    """Agreed points of ``reference`` that ``package`` sets differently (open points never count)."""
    return tuple(int(i) for i in np.flatnonzero((reference != UNRESOLVED) & (reference != package)))


def ascent_incumbent(space: Space, parties: Sequence[int], options: Sequence[IntArray],
                     shift: FloatArray | None = None) -> IntArray:
    """A good (not necessarily optimal) max–min package by coordinate ascent from several starts.

    Starts from each party's favourite allowed package and from the package best
    for the parties' total; then, point by point, moves to the option that
    raises the smallest margin (ties: the larger total margin) until no move helps.
    ``shift`` is subtracted from each party's utility first (its reservation value).
    """
    contribution = space.contribution[list(parties)]  # (Q, I, K)
    base = np.zeros(len(parties)) if shift is None else np.asarray(shift, dtype=np.float64)
    starts = []
    for q in range(len(parties)):
        starts.append(np.array([o[np.argmax(contribution[q, i, o])] for i, o in enumerate(options)]))
    starts.append(np.array([o[np.argmax(contribution[:, i, o].sum(axis=0))] for i, o in enumerate(options)]))
    best_package, best_score = starts[0], -np.inf
    for start in starts:
        package = start.copy()
        totals = contribution[:, np.arange(space.n_issues), package].sum(axis=1) - base
        for _ in range(50):
            moved = False
            for i, opts in enumerate(options):
                if opts.size < 2:
                    continue
                without = totals - contribution[:, i, package[i]]
                trial = without[:, None] + contribution[:, i, opts]  # (Q, K)
                worst = trial.min(axis=0)
                total = trial.sum(axis=0)
                # The smallest margin first; among (near) ties, the larger total.
                near = worst >= worst.max() - TIE
                pick = int(np.argmax(np.where(near, total, -np.inf)))
                current = int(np.flatnonzero(opts == package[i])[0])
                if (worst[pick] > worst[current] + TIE
                        or (worst[pick] >= worst[current] - TIE and total[pick] > total[current] + TIE)):
                    package[i] = opts[pick]
                    totals = trial[:, pick]
                    moved = True
            if not moved:
                break
        value = float(totals.min())
        if value > best_score:
            best_package, best_score = package, value
    return best_package


def term_feasibility(space: Space, parties: Sequence[int], held: IntArray, ref: IntArray | None,
                     max_changes: int | None = None) -> Feasibility:
    """:func:`feasibility` with terms or conditional red lines: one integer program.

    (:func:`accord.analysis.terms.max_min_margin`; enumeration on small spaces.)
    Only the optimal package found is listed in ``ties``.
    """
    from accord.analysis.terms import max_min_margin

    red = space.tables.red_lines[list(parties)].any(axis=0) & space.option_mask
    blocked = tuple(i for i in range(space.n_issues)
                    if (red[i, : int(space.n_options[i])].all() if held[i] == UNRESOLVED
                        else red[i, held[i]]))
    margin, package = (-np.inf, None) if blocked else max_min_margin(space, parties, held, ref,
                                                                      max_changes)
    if package is None:
        return Feasibility(tuple(parties), -np.inf, None, np.zeros((0, space.n_issues), np.int64),
                           None, None, blocked, ref)
    utilities = space.utilities(package)
    return Feasibility(
        parties=tuple(parties),
        margin=margin,
        package=package,
        ties=package[None, :],
        margins=utilities[list(parties)] - space.reservation[list(parties)],
        utilities=utilities,
        blocked_issues=(),
        reference=ref,
        changes=() if ref is None else changed_points(ref, package),
    )


def feasibility(
    space: Space,
    *,
    fixed: Mapping[str | int, str | int] | Sequence[int] | IntArray | None = None,
    reference: str | int | Mapping[str | int, str | int] | Sequence[int] | IntArray | None = None,
) -> Feasibility:
    """Maximise the worst must-accept party's margin over its reservation value.

    Parameters
    ----------
    space
        The compiled scenario.
    fixed
        Points held at an option: ``{issue: option}`` (ids or indices), or a
        package with ``UNRESOLVED`` (-1) for the free points.
    reference
        A text (id or index) or a possibly partial package in the same forms;
        among optimal packages, prefer the fewest changed agreed points of it.

    Returns
    -------
    Feasibility
        The best worst margin, an optimal package and its ties.

    Raises
    ------
    UnknownIdError
        When a text, issue or option id names nothing (with "did you mean").
    ValueError
        When an index array is the wrong length or out of range.
    AnalysisError
        When the scenario names no must-accept party.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> found = feasibility(space, reference="offer", fixed={"remote": "hybrid"})
    >>> found.feasible, space.positions(found.package)["remote"]
    (True, 'hybrid')
    """
    parties = must_accept_parties(space)
    held = space.package({} if fixed is None else fixed)
    ref = None if reference is None else space.text_or_package(reference)[1]
    if not space.is_additive:
        return term_feasibility(space, parties, held, ref)
    must = space.must_accept
    options = allowed_options(space, exclude_red_lines_of=must, fixed=held)
    blocked = tuple(i for i, o in enumerate(options) if o.size == 0)
    empty_ties = np.zeros((0, space.n_issues), dtype=np.int64)
    if blocked:
        return Feasibility(parties, -np.inf, None, empty_ties, None, None, blocked, ref)

    # Up front, before the ascent: the merge below refuses the same scenario anyway.
    check_merge(sum(1 for o in options if o.size > 1), "solve")
    reservation = space.reservation[list(parties)].astype(np.float64)
    incumbent = ascent_incumbent(space, parties, options, shift=reservation)
    start_margin = float((package_utilities(space, incumbent, parties)[0] - reservation).min())

    contribution = space.contribution[list(parties)]
    n_dims = len(parties) + (0 if ref is None else 1)
    points = []
    for i in range(space.n_issues):
        vectors = contribution[:, i, options[i]].T
        if ref is not None:
            # One more coordinate, minus the number of changed agreed points, so
            # that "fewer changes" is one more thing the frontier keeps track of.
            penalty = -((ref[i] != UNRESOLVED) & (options[i] != ref[i])).astype(np.float64)
            vectors = np.column_stack([vectors, penalty])
        points.append((options[i], vectors))
    lower = np.full(n_dims, -np.inf)
    # A hair below the incumbent's level, so that it (and every tie) survives rounding.
    lower[: len(parties)] = reservation + start_margin - 1e-12
    result = frontier_of_sums(points, strict=n_dims, lower=lower)
    vectors = result.vectors
    margins = (vectors[:, : len(parties)] - reservation).min(axis=1)
    best = float(margins.max())
    tied = np.flatnonzero(margins >= best - TIE)
    if ref is not None:
        fewest = vectors[tied, -1].max()  # the change coordinate is minus the count
        tied = tied[vectors[tied, -1] == fewest]
    _, packages = result.packages(tied, one_per_vector=bool(result.package_counts()[tied].sum()
                                                             > MAX_TIES))
    packages = packages[:MAX_TIES]
    utilities = package_utilities(space, packages)
    totals = (utilities[:, list(parties)] - reservation).sum(axis=1)
    order = np.lexsort((*packages[:, ::-1].T, -totals))
    packages, utilities = packages[order], utilities[order]
    package = packages[0]
    return Feasibility(
        parties=parties,
        margin=best,
        package=package,
        ties=packages,
        margins=utilities[0, list(parties)] - reservation,
        utilities=utilities[0],
        blocked_issues=(),
        reference=ref,
        changes=() if ref is None else changed_points(ref, package),
    )
