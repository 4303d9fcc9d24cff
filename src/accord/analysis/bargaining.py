"""Bargaining solutions on the exact Pareto frontier: Nash, Kalai–Smorodinsky, egalitarian, utilitarian.

Each solution picks frontier packages by one rule.  All four are stated relative
to a *disagreement point* ``d`` (what each party gets if talks fail); accord's
default is each party's reservation value, and only *individually rational*
packages count: those where every frontier party gets at least ``d`` (within
``UTILITY_TOLERANCE``).  When none is, a solution is ``None``.

* **Nash** (J. Nash, "The bargaining problem", *Econometrica* 18(2), 1950): the
  package maximising the product of gains ``Π_i (u_i − d_i)``.
* **Kalai–Smorodinsky** (E. Kalai and M. Smorodinsky, "Other solutions to Nash's
  bargaining problem", *Econometrica* 43(3), 1975): the point where every party
  gets the same share of its *ideal gain*, ``a_i − d_i``, ``a_i`` being the most
  party ``i`` gets in any individually rational package.  On a finite set of
  packages that exact point rarely exists, so accord takes the discrete form
  used throughout the literature: maximise ``min_i (u_i − d_i)/(a_i − d_i)``
  (parties whose ideal gain is zero are left out of the minimum).
* **Egalitarian** (E. Kalai, "Proportional solutions to bargaining situations",
  *Econometrica* 45(7), 1977): maximise the smallest gain ``min_i (u_i − d_i)``.
* **Utilitarian** (J. Harsanyi, "Cardinal welfare, individualistic ethics, and
  interpersonal comparisons of utility", *J. Political Economy* 63(4), 1955):
  maximise the sum of utilities ``Σ_i u_i`` over the individually rational packages.

Every optimum is attained on the Pareto frontier (each objective is monotone),
so scanning the exact frontier gives the exact optimum over all packages.  Ties
(values within ``1e-12``) are all reported; the one shown first has the largest
sum of utilities, then comes first in frontier order.

GENIUS (``genius.bargaining.BidSpace``; see ``docs/explanation/analysis.md``)
defines three of these differently, and :func:`genius_solutions` reproduces its
definitions on an accord frontier:

* Nash: maximise ``Π_i (u_i − rv_i)`` over *every* frontier point, with no
  individual-rationality filter (two negative factors make a positive product),
  the running best starting at −1; ties keep the earliest point after a stable
  sort by the first party's utility (enumeration order, first issue fastest,
  breaks ties before that sort).
* Kalai–Smorodinsky: minimise ``Σ_{i<j} |u_i − u_j|`` on *raw* utilities (no
  disagreement point, no ideal-point scaling), keeping only values below 2.
* Social welfare: maximise ``Σ_i u_i`` over the whole frontier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord._repr import short_repr
from accord.analysis.pareto import ParetoFrontier, pareto_frontier
from accord.space import UTILITY_TOLERANCE, FloatArray, IntArray, Space

__all__ = [
    "BargainingSolution",
    "BargainingSolutions",
    "bargaining_solutions",
    "default_parties",
    "egalitarian_solution",
    "genius_solutions",
    "kalai_smorodinsky_solution",
    "nash_solution",
    "utilitarian_solution",
]

#: Objective values closer than this are ties.
TIE = 1e-12


@short_repr(fields=("name", "value"), extra=lambda s: {"row": s.row, "ties": len(s.rows)})
@dataclass(frozen=True)
class BargainingSolution:
    """One solution rule's answer on a frontier.

    Attributes:
        name: ``nash``, ``kalai_smorodinsky``, ``egalitarian``, ``utilitarian``
            (or ``genius_nash``, ``genius_kalai_smorodinsky``, ``genius_welfare``).
        definition: the rule in one line.
        rows: the frontier rows attaining the optimum (ties), the shown one first;
            empty when no package qualifies.
        value: the optimal objective value, or None.
    """

    name: str
    definition: str
    rows: tuple[int, ...]
    value: float | None

    @property
    def row(self) -> int | None:
        return self.rows[0] if self.rows else None


@short_repr(fields=("disagreement", "rational"), extra=lambda b: {
    "parties": tuple(b.frontier.parties), "frontier": len(b.frontier),
    **{s.name: s.row for s in b.all()}})
@dataclass(frozen=True)
class BargainingSolutions:
    """The four solutions on one frontier, with the disagreement point they used.

    ``ideal`` is the Kalai–Smorodinsky ideal point (None without individually
    rational packages); ``rational`` counts the frontier rows that are
    individually rational.
    """

    frontier: ParetoFrontier
    disagreement: FloatArray
    ideal: FloatArray | None
    rational: int
    nash: BargainingSolution
    kalai_smorodinsky: BargainingSolution
    egalitarian: BargainingSolution
    utilitarian: BargainingSolution

    def all(self) -> tuple[BargainingSolution, ...]:
        return (self.nash, self.kalai_smorodinsky, self.egalitarian, self.utilitarian)

    def package(self, solution: BargainingSolution) -> IntArray | None:
        return None if solution.row is None else self.frontier.packages[solution.row]

    def utilities(self, solution: BargainingSolution) -> FloatArray | None:
        return None if solution.row is None else self.frontier.utilities[solution.row]


def _rational(frontier: ParetoFrontier, disagreement: FloatArray) -> IntArray:
    return np.flatnonzero((frontier.utilities >= disagreement - UTILITY_TOLERANCE).all(axis=1))


def _best(name: str, definition: str, frontier: ParetoFrontier, rows: IntArray,
          scores: FloatArray) -> BargainingSolution:
    """The rows whose score ties the maximum, the one with the largest utility sum first."""
    if rows.size == 0:
        return BargainingSolution(name, definition, (), None)
    best = float(scores.max())
    tied = rows[scores >= best - TIE]
    sums = frontier.utilities[tied].sum(axis=1)
    order = np.lexsort((tied, -sums))
    return BargainingSolution(name, definition, tuple(int(r) for r in tied[order]), best)


def _disagreement(frontier: ParetoFrontier, disagreement: Sequence[float] | FloatArray) -> FloatArray:
    point = np.asarray(disagreement, dtype=np.float64)
    if point.shape != (len(frontier.parties),):
        raise ValueError(f"the disagreement point needs {len(frontier.parties)} values, "
                         f"got shape {point.shape}")
    return point


def nash_solution(frontier: ParetoFrontier, disagreement: Sequence[float] | FloatArray) -> BargainingSolution:
    """Maximise ``Π_i (u_i − d_i)`` over the individually rational frontier packages (Nash 1950)."""
    d = _disagreement(frontier, disagreement)
    rows = _rational(frontier, d)
    gains = np.clip(frontier.utilities[rows] - d, 0.0, None)
    return _best("nash", "maximise the product of gains over the disagreement point",
                 frontier, rows, gains.prod(axis=1))


def kalai_smorodinsky_solution(frontier: ParetoFrontier,
                               disagreement: Sequence[float] | FloatArray) -> BargainingSolution:
    """Maximise the smallest share of the ideal gain, ``min_i (u_i − d_i)/(a_i − d_i)``.

    Kalai and Smorodinsky (1975), in its discrete form; ``a`` is the ideal point.
    """
    d = _disagreement(frontier, disagreement)
    rows = _rational(frontier, d)
    definition = "equal shares of each party's ideal gain (maximise the smallest share)"
    if rows.size == 0:
        return BargainingSolution("kalai_smorodinsky", definition, (), None)
    ideal = frontier.utilities[rows].max(axis=0)
    span = ideal - d
    counted = span > UTILITY_TOLERANCE
    gains = np.clip(frontier.utilities[rows] - d, 0.0, None)
    # A party whose ideal gain is zero gets d in every package: it cannot be shared.
    shares = (gains[:, counted] / span[counted]).min(axis=1) if counted.any() else np.zeros(rows.size)
    return _best("kalai_smorodinsky", definition, frontier, rows, shares)


def egalitarian_solution(frontier: ParetoFrontier,
                         disagreement: Sequence[float] | FloatArray) -> BargainingSolution:
    """Maximise the smallest gain ``min_i (u_i − d_i)`` (Kalai 1977)."""
    d = _disagreement(frontier, disagreement)
    rows = _rational(frontier, d)
    return _best("egalitarian", "maximise the smallest gain over the disagreement point",
                 frontier, rows, (frontier.utilities[rows] - d).min(axis=1))


def utilitarian_solution(frontier: ParetoFrontier,
                         disagreement: Sequence[float] | FloatArray) -> BargainingSolution:
    """Maximise ``Σ_i u_i`` over the individually rational frontier packages (Harsanyi 1955)."""
    d = _disagreement(frontier, disagreement)
    rows = _rational(frontier, d)
    return _best("utilitarian", "maximise the sum of utilities", frontier, rows,
                 frontier.utilities[rows].sum(axis=1))


def default_parties(space: Space) -> tuple[int, ...]:
    """The parties a solution is over by default: the must-accept ones, or all when none must.

    """
    must = tuple(int(p) for p in np.flatnonzero(space.must_accept))
    return must or tuple(range(space.n_parties))


def bargaining_solutions(
    space: Space,
    frontier: ParetoFrontier | None = None,
    *,
    parties: Sequence[int | str] | None = None,
    acceptable_only: bool = True,
    disagreement: Sequence[float] | FloatArray | None = None,
) -> BargainingSolutions:
    """All four solutions.

    By default they are computed over the must-accept parties (every party with
    preferences when none must accept) from their reservation values: a deal
    needs those parties, so the fairest deal is fair among them.  The report and
    ``accord solve`` both use this default, so a "Nash" package means the same
    package in both.

    Args:
        space: the compiled scenario.
        frontier: a frontier to use; by default the exact frontier over ``parties``
            (default: :func:`default_parties`), restricted to packages every
            must-accept party accepts unless ``acceptable_only`` is False.
        disagreement: the disagreement point, one value per frontier party
            (default: their reservation values).
    """
    if frontier is None:
        chosen = default_parties(space) if parties is None else parties
        frontier = pareto_frontier(space, chosen, acceptable_only=acceptable_only)
    d = (space.reservation[list(frontier.parties)].astype(np.float64) if disagreement is None
         else _disagreement(frontier, disagreement))
    rows = _rational(frontier, d)
    ideal = frontier.utilities[rows].max(axis=0) if rows.size else None
    return BargainingSolutions(
        frontier=frontier,
        disagreement=d,
        ideal=ideal,
        rational=int(rows.size),
        nash=nash_solution(frontier, d),
        kalai_smorodinsky=kalai_smorodinsky_solution(frontier, d),
        egalitarian=egalitarian_solution(frontier, d),
        utilitarian=utilitarian_solution(frontier, d),
    )


# -- GENIUS's definitions --------------------------------------------------------


def genius_order(frontier: ParetoFrontier) -> IntArray:
    """Frontier rows in GENIUS order: by the first party's utility, ties in enumeration order.

    GENIUS enumerates bids like an odometer with the *first* issue changing
    fastest, builds the frontier in that order and then sorts it stably by the
    first party's utility.
    """
    keys: tuple[np.ndarray, ...] = (*frontier.packages.T, frontier.utilities[:, 0])
    order: IntArray = np.lexsort(keys)
    return order


def _first_strictly_better(order: IntArray, scores: FloatArray, start: float,
                           maximise: bool) -> tuple[int, ...]:
    """GENIUS's scan: a running best from ``start``, replaced only by a strictly better score.

    The survivor is the earliest row (in ``order``) holding the extreme score,
    provided that score beats ``start``.
    """
    if order.size == 0:
        return ()
    ordered = scores[order]
    extreme = ordered.max() if maximise else ordered.min()
    if not (extreme > start if maximise else extreme < start):
        return ()
    return (int(order[int(np.flatnonzero(ordered == extreme)[0])]),)


def genius_solutions(
    frontier: ParetoFrontier, reservation: Sequence[float] | FloatArray | None = None,
) -> tuple[BargainingSolution, ...]:
    """GENIUS's Nash, Kalai–Smorodinsky and social-welfare points on ``frontier``.

    ``reservation`` is GENIUS's ``rv`` (default 0 for every party, as in a
    GENIUS profile without a reservation value).  Each result has one row (or
    none): GENIUS keeps the earliest of tied points.
    """
    rv = (np.zeros(len(frontier.parties)) if reservation is None
          else _disagreement(frontier, reservation))
    order = genius_order(frontier)
    u = frontier.utilities
    products = (u - rv).prod(axis=1)
    nash_rows = _first_strictly_better(order, products, -1.0, maximise=True)
    gaps = np.zeros(u.shape[0])
    for i in range(u.shape[1]):
        for j in range(i + 1, u.shape[1]):
            gaps += np.abs(u[:, i] - u[:, j])
    ks_rows = _first_strictly_better(order, gaps, 2.0, maximise=False)
    welfare = u.sum(axis=1)
    welfare_rows = _first_strictly_better(order, welfare, -np.inf, maximise=True)

    def value(rows: tuple[int, ...], scores: FloatArray) -> float | None:
        return float(scores[rows[0]]) if rows else None

    return (
        BargainingSolution("genius_nash", "GENIUS: maximise Π(u_i − rv_i) over the whole frontier",
                           nash_rows, value(nash_rows, products)),
        BargainingSolution("genius_kalai_smorodinsky",
                           "GENIUS: minimise Σ_{i<j} |u_i − u_j| on raw utilities",
                           ks_rows, value(ks_rows, gaps)),
        BargainingSolution("genius_welfare", "GENIUS: maximise Σ u_i over the whole frontier",
                           welfare_rows, value(welfare_rows, welfare)),
    )
