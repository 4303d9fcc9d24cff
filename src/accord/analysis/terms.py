"""Exact answers for utilities with interaction terms and conditional red lines.

A Space with terms or forbidden pairs (``Space.is_additive`` False; see
``docs/explanation/utility.md``) loses the property every additive algorithm
rests on: that extremes are reached point by point.  This module answers the
same questions exactly by integer programming — one binary per option, one
linearised variable per term (:class:`accord.model.terms.Program`, solved by
scipy's ``milp``/HiGHS at a zero optimality gap) — or by enumeration when the
packages in question are few:

* :func:`term_bounds` — each party's lowest and highest utility over the
  completions of a partial package;
* :func:`best_acceptable` — a party's best completion that avoids its red
  lines and forbidden pairs;
* :func:`max_min_margin` — the best worst margin over the must-accept parties
  (feasibility), optionally with a cap on the changes to a reference text and
  the fewest changes among the optimal packages;
* :func:`fewest_changes` — the smallest amendment;
* :func:`smallest_fix` — one party's fewest point moves to acceptance;
* :func:`terms_frontier` (and :func:`frontier`, the same as a
  :class:`~accord.analysis.pareto.ParetoFrontier`) — the exact Pareto frontier
  by enumeration, for spaces of at most :data:`MAX_ENUMERATED` packages (beyond
  that :class:`~accord.errors.TermsTooLarge`).  An ε-constraint sweep of
  integer programs for larger spaces is not built yet.

:mod:`accord.analysis.evaluate`, :mod:`~accord.analysis.feasibility` and
:mod:`~accord.analysis.amend` dispatch here when the Space is not additive, so
their results keep the same types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from accord.analysis.dominance import nondominated
from accord.analysis.frontier_result import ParetoFrontier, fixed_vector, resolve_parties
from accord.errors import TermsTooLarge
from accord.model.terms import Program, TermSpec
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, BoolArray, FloatArray, IntArray, Space

__all__ = [
    "MAX_ENUMERATED",
    "best_acceptable",
    "efficient_amendments",
    "fewest_changes",
    "frontier",
    "max_min_margin",
    "party_spec",
    "smallest_fix",
    "term_bounds",
    "terms_frontier",
]

#: Up to this many packages, questions are answered by enumerating them (exact, and
#: faster than building an integer program); the frontier refuses beyond it.
MAX_ENUMERATED = 200_000
#: Below this many completions, intervals and best completions are enumerated.
_ENUMERATE_BELOW = 4096
#: Up to this many packages, feasibility and amendments are found by enumeration.
_SEARCH_ENUMERATE = MAX_ENUMERATED


def party_spec(space: Space, party: int) -> TermSpec:
    """Party ``party``'s utility as additive tables plus its terms (plain arrays)."""
    contribution = space.additive_contribution[party]
    tables = tuple(np.asarray(contribution[i, : int(n)], dtype=np.float64)
                   for i, n in enumerate(space.n_options))
    terms = tuple((space.term_conditions[t], float(space.term_value[t]))
                  for t in np.flatnonzero(space.term_party == party))
    return TermSpec(tables, terms)


def _allowed(space: Space, vector: IntArray, avoid: BoolArray | None = None) -> list[BoolArray]:
    """Per issue, the options a completion of ``vector`` may take (avoiding ``avoid``'s red lines)."""
    allowed = []
    for i, n in enumerate(space.n_options):
        row = np.zeros(int(n), dtype=bool)
        if vector[i] == UNRESOLVED:
            row[:] = True
        else:
            row[int(vector[i])] = True
        if avoid is not None:
            row &= ~space.tables.red_lines[avoid][:, i, : int(n)].any(axis=0)
        allowed.append(row)
    return allowed


def _count(allowed: Sequence[BoolArray]) -> int:
    total = 1
    for row in allowed:
        total *= int(row.sum())
        if total > MAX_ENUMERATED:
            return total
    return total


def _enumerate(allowed: Sequence[BoolArray]) -> IntArray:
    """Every package choosing an allowed option per issue, ``(N, I)``."""
    choices = [np.flatnonzero(row) for row in allowed]
    if any(c.size == 0 for c in choices):
        return np.zeros((0, len(allowed)), dtype=np.int64)
    grids = np.meshgrid(*choices, indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1).astype(np.int64)


def _program(space: Space, allowed: Sequence[BoolArray], bans_of: Sequence[int] = ()) -> Program:
    """A program over packages with the given options, refusing the pairs of ``bans_of``."""
    program = Program([int(n) for n in space.n_options], list(allowed))
    wanted = set(bans_of)
    for p, i, a, j, b in space.pair_bans.tolist():
        if p in wanted and allowed[i][a] and allowed[j][b]:
            program.ban_together((i, a), (j, b))
    return program


def _clean(space: Space, packages: IntArray, parties: Sequence[int]) -> BoolArray:
    """``(N,)`` True where no party of ``parties`` has a red line or a forbidden pair in the package."""
    if not len(parties) or packages.shape[0] == 0:
        return np.ones(packages.shape[0], dtype=bool)
    return np.asarray(~space.red_line_hits(packages)[:, list(parties)].any(axis=1))


def term_bounds(space: Space, vector: IntArray) -> tuple[FloatArray, FloatArray]:
    """Each party's exact lowest and highest utility over every completion of ``vector``.

    Completions ignore red lines, as the additive interval does.
    """
    allowed = _allowed(space, vector)
    if _count(allowed) <= _ENUMERATE_BELOW:
        utilities = space.utilities(_enumerate(allowed))
        return utilities.min(axis=0), utilities.max(axis=0)
    low, high = np.zeros(space.n_parties), np.zeros(space.n_parties)
    for p in range(space.n_parties):
        spec = party_spec(space, p)
        program = _program(space, allowed)
        objective = program.expression(spec)
        for sense, out in ((False, low), (True, high)):
            found = program.solve(objective, maximize=sense)
            assert found is not None  # every completion is allowed
            out[p] = float(space.utilities(found[0])[p])
    return low, high


def best_acceptable(space: Space, vector: IntArray, party: int) -> tuple[float, IntArray | None]:
    """The party's best completion of ``vector`` avoiding its red lines and forbidden pairs.

    Open points avoid the party's red-line options and every forbidden pair of
    the party that is not already set by two resolved points (as the additive
    verdict counts the best completion that avoids red lines on the open points).
    ``(-inf, None)`` when no completion can.
    """
    allowed = _allowed(space, vector)
    open_points = vector == UNRESOLVED
    red = space.tables.red_lines[party]
    for i in np.flatnonzero(open_points):
        allowed[i] = allowed[i] & ~red[i, : int(space.n_options[i])]
    bans = [(i, a, j, b) for q, i, a, j, b in space.pair_bans.tolist()
            if q == party and (open_points[i] or open_points[j])]
    if _count(allowed) <= _ENUMERATE_BELOW:
        packages = _enumerate(allowed)
        for i, a, j, b in bans:
            packages = packages[~((packages[:, i] == a) & (packages[:, j] == b))]
        if packages.shape[0] == 0:
            return -np.inf, None
        utilities = space.utilities(packages)[:, party]
        best = int(np.argmax(utilities))
        return float(utilities[best]), packages[best]
    program = _program(space, allowed)
    for i, a, j, b in bans:
        if allowed[i][a] and allowed[j][b]:
            program.ban_together((i, a), (j, b))
    found = program.solve(program.expression(party_spec(space, party)), maximize=True)
    if found is None:
        return -np.inf, None
    return float(space.utilities(found[0])[party]), found[0]


def _changes_expression(program: Program, reference: IntArray) -> dict[int, float]:
    """Σ over agreed points of ``reference`` of (1 − x[i, reference_i]), without the constant."""
    return {program.x(i, int(o)): -1.0 for i, o in enumerate(reference) if o != UNRESOLVED}


def _agreed(reference: IntArray) -> int:
    return int((reference != UNRESOLVED).sum())


def max_min_margin(space: Space, parties: Sequence[int], held: IntArray,
                   reference: IntArray | None = None, max_changes: int | None = None,
                   ) -> tuple[float, IntArray | None]:
    """The largest worst margin ``min_q u_q − r_q`` over packages the parties' red lines allow.

    ``held`` fixes points (``UNRESOLVED`` elsewhere); with ``reference``, among the
    optimal packages the one with the fewest changed agreed points is returned,
    and ``max_changes`` caps those changes.  ``(-inf, None)`` when no package is
    allowed.
    """
    avoid = np.array(parties, dtype=np.int64)
    allowed = _allowed(space, held, avoid=avoid)
    reservation = space.reservation[list(parties)]
    if _count(allowed) <= _SEARCH_ENUMERATE:
        packages = _enumerate(allowed)
        packages = packages[_clean(space, packages, parties)]
        if reference is not None and packages.shape[0]:
            changes = _change_counts(reference, packages)
            if max_changes is not None:
                packages = packages[changes <= max_changes]
        if packages.shape[0] == 0:
            return -np.inf, None
        margins = (space.utilities(packages)[:, list(parties)] - reservation).min(axis=1)
        best = float(margins.max())
        tied = np.flatnonzero(margins >= best - 1e-12)
        if reference is not None:
            tied = tied[np.argsort(_change_counts(reference, packages[tied]), kind="stable")]
        return best, packages[tied[0]]
    program = _program(space, allowed, parties)
    t = program.new_variable()
    for q, r in zip(parties, reservation, strict=True):
        spec = party_spec(space, q)
        expr = program.expression(spec)
        expr[t] = expr.get(t, 0.0) - 1.0
        program.constrain(expr, low=float(r) - Program.constant(spec))
    if reference is not None and max_changes is not None:
        program.constrain(_changes_expression(program, reference),
                          high=max_changes - _agreed(reference))
    found = program.solve({t: 1.0}, maximize=True)
    if found is None:
        return -np.inf, None
    package = found[0]
    best = float((space.utilities(package)[list(parties)] - reservation).min())
    if reference is None:
        return best, package
    # Second stage: the fewest changes among packages within a hair of the optimum.
    program.constrain({t: 1.0}, low=best - 1e-9)
    fewer = program.solve(_changes_expression(program, reference), maximize=False)
    if fewer is not None:
        margin = float((space.utilities(fewer[0])[list(parties)] - reservation).min())
        if margin >= best - 1e-9:
            return margin, fewer[0]
    return best, package


def _change_counts(reference: IntArray, packages: IntArray) -> IntArray:
    agreed = reference != UNRESOLVED
    return np.asarray((agreed[None, :] & (packages != reference[None, :])).sum(axis=1))


def fewest_changes(space: Space, parties: Sequence[int], reference: IntArray,
                   ) -> tuple[int, IntArray] | None:
    """The smallest amendment: fewest changed agreed points of ``reference`` for an acceptable package.

    Acceptable: every party of ``parties`` at or above its reservation value,
    none of their red lines or forbidden pairs.  Among the fewest changes, the
    package with the largest worst margin.  None when no package is acceptable.
    """
    free = np.full(space.n_issues, UNRESOLVED, dtype=np.int64)
    avoid = np.array(parties, dtype=np.int64)
    allowed = _allowed(space, free, avoid=avoid)
    reservation = space.reservation[list(parties)]
    if _count(allowed) <= _SEARCH_ENUMERATE:
        packages = _enumerate(allowed)
        packages = packages[_clean(space, packages, parties)]
        if packages.shape[0] == 0:
            return None
        margins = (space.utilities(packages)[:, list(parties)] - reservation).min(axis=1)
        ok = margins >= -UTILITY_TOLERANCE
        if not ok.any():
            return None
        packages, margins = packages[ok], margins[ok]
        changes = _change_counts(reference, packages)
        fewest = int(changes.min())
        among = np.flatnonzero(changes == fewest)
        return fewest, packages[among[int(np.argmax(margins[among]))]]
    program = _program(space, allowed, parties)
    t = program.new_variable()
    for q, r in zip(parties, reservation, strict=True):
        spec = party_spec(space, q)
        expr = program.expression(spec)
        program.constrain(expr, low=float(r) - UTILITY_TOLERANCE - Program.constant(spec))
        with_t = dict(expr)
        with_t[t] = with_t.get(t, 0.0) - 1.0
        program.constrain(with_t, low=float(r) - Program.constant(spec))
    changes = _changes_expression(program, reference)
    found = program.solve(changes, maximize=False)
    if found is None:
        return None
    fewest = int(_change_counts(reference, found[0][None, :])[0])
    program.constrain(changes, high=fewest - _agreed(reference))
    best = program.solve({t: 1.0}, maximize=True)
    package = found[0] if best is None else best[0]
    return fewest, package


def efficient_amendments(space: Space, parties: Sequence[int], reference: IntArray,
                         ) -> IntArray | None:
    """Every efficient amendment of ``reference``, ranked as the additive amendment ranks them.

    By enumeration (None when the space has more than the enumeration limit):
    the acceptable packages not dominated in (each party's utility, minus the
    changes), sorted by fewest changes, then largest Nash product of the
    margins, then largest total, then the package itself — the order of
    :func:`accord.analysis.amend.amend` on an additive Space.
    """
    free = np.full(space.n_issues, UNRESOLVED, dtype=np.int64)
    allowed = _allowed(space, free, avoid=np.array(parties, dtype=np.int64))
    if _count(allowed) > _SEARCH_ENUMERATE:
        return None
    packages = _enumerate(allowed)
    packages = packages[_clean(space, packages, parties)]
    reservation = space.reservation[list(parties)]
    utilities = space.utilities(packages)[:, list(parties)] if packages.shape[0] else \
        np.zeros((0, len(parties)))
    ok = (utilities >= reservation - UTILITY_TOLERANCE).all(axis=1)
    packages, utilities = packages[ok], utilities[ok]
    if packages.shape[0] == 0:
        return packages
    counts = _change_counts(reference, packages)
    keep = nondominated(np.column_stack([utilities, -counts]), tolerance=1e-12)
    packages, utilities, counts = packages[keep], utilities[keep], counts[keep]
    products = np.clip(utilities - reservation, 0.0, None).prod(axis=1)
    order = np.lexsort((*packages[:, ::-1].T, -utilities.sum(axis=1),
                        -np.round(products / 1e-12), counts))
    ranked: IntArray = packages[order]
    return ranked


def smallest_fix(space: Space, vector: IntArray, party: int) -> IntArray | None:
    """A complete package acceptable to ``party`` that changes the fewest resolved points of ``vector``.

    Open points close freely (not counted); among the fewest changes, the
    party's best utility.  None when no package is acceptable to the party.
    """
    found = fewest_changes(space, [party], vector)
    return None if found is None else found[1]


def terms_frontier(space: Space, parties: Sequence[int] | None = None, *,
                   acceptable_only: bool = False, held: IntArray | None = None,
                   ) -> tuple[IntArray, FloatArray]:
    """The exact Pareto frontier ``(packages, utilities)`` by enumeration (utilities of ``parties``).

    With ``acceptable_only``, only packages every must-accept party accepts
    (red lines, forbidden pairs, reservation values).  Raises
    :class:`~accord.errors.TermsTooLarge` when the space has more than
    :data:`MAX_ENUMERATED` packages.
    """
    chosen = list(range(space.n_parties)) if parties is None else list(parties)
    free = np.full(space.n_issues, UNRESOLVED, dtype=np.int64) if held is None else held
    must = [int(q) for q in np.flatnonzero(space.must_accept)]
    allowed = _allowed(space, free, avoid=np.array(must, dtype=np.int64) if acceptable_only
                       and must else None)
    count = _count(allowed)
    if count > MAX_ENUMERATED:
        raise TermsTooLarge(
            f"the exact frontier with interaction terms or conditional red lines is computed by "
            f"enumeration, up to {MAX_ENUMERATED:,} packages; this space has more than that "
            f"({space.n_outcomes:,} in all). An ε-constraint sweep of integer programs for "
            "larger spaces is not built yet; fix some points to narrow it")
    packages = _enumerate(allowed)
    utilities = space.utilities(packages) if packages.shape[0] else np.zeros((0, space.n_parties))
    if acceptable_only and packages.shape[0]:
        ok = _clean(space, packages, must) & (
            utilities[:, must] >= space.reservation[must] - UTILITY_TOLERANCE).all(axis=1)
        packages, utilities = packages[ok], utilities[ok]
    utilities = utilities[:, chosen]
    if packages.shape[0] == 0:
        return packages, utilities
    keep = nondominated(utilities, tolerance=1e-12)
    return packages[keep], utilities[keep]


def frontier(space: Space, parties: str | int | Sequence[int | str] | None = None, *,
             acceptable_only: bool = False,
             fixed: Mapping[str | int, str | int] | Sequence[int] | IntArray | None = None) -> ParetoFrontier:
    """The exact Pareto frontier of a Space with terms, as a :class:`ParetoFrontier`.

    By enumeration (:func:`terms_frontier`), so exact, for spaces of at most
    :data:`MAX_ENUMERATED` packages once ``fixed`` points are held; beyond that
    :class:`~accord.errors.TermsTooLarge`.  Works on an additive Space too (as
    an independent check of :func:`accord.analysis.pareto.pareto_frontier`).

    Parameters
    ----------
    space
        The compiled scenario.
    parties
        The parties the frontier is over (ids or indices; default every party).
    acceptable_only
        Only packages every must-accept party accepts (red lines, forbidden
        pairs and reservation values).
    fixed
        Points held at an option (``{issue: option}`` with ids or indices, or
        a package with ``UNRESOLVED`` for the free points).

    Returns
    -------
    ParetoFrontier
        Every frontier package (ties included), rows sorted by the first
        party's utility, then the next; ``exact`` is True.

    Raises
    ------
    TermsTooLarge
        When more than :data:`MAX_ENUMERATED` packages would be enumerated.
    """
    chosen = resolve_parties(space, parties)
    held = fixed_vector(space, fixed)
    packages, utilities = terms_frontier(space, chosen, acceptable_only=acceptable_only, held=held)
    order = np.lexsort((*packages[:, ::-1].T, *utilities[:, ::-1].T)) if packages.shape[0] \
        else np.zeros(0, dtype=np.int64)
    packages, utilities = packages[order], utilities[order]
    n_vectors = int(np.unique(utilities, axis=0).shape[0]) if packages.shape[0] else 0
    empty = None
    if not packages.shape[0]:
        empty = ("no package is acceptable to every must-accept party" if acceptable_only
                 else "no package")
    return ParetoFrontier(parties=chosen, utilities=utilities, packages=packages, exact=True,
                          epsilon=None, acceptable_only=acceptable_only, fixed=held,
                          n_vectors=n_vectors, empty_reason=empty)
