"""Per-run metrics with the GENIUS definitions (Lin et al. 2014, "GENIUS: an integrated
environment for supporting the design of generic automated negotiators").

* social welfare — the sum of the parties' utilities of the outcome;
* distance to the Pareto frontier — the Euclidean distance, in utility space,
  from the outcome's utility vector to the nearest Pareto-optimal outcome;
* distance to the Nash point — the Euclidean distance to the utility vector of
  the outcome maximising the Nash product ``Π (u_p − d_p)`` over outcomes where
  every party gains over the disagreement point ``d``.

The frontier here is computed by brute force over every outcome, the honest
oracle for the small domains it is used on (``Domain.all_outcomes`` refuses
domains above its limit).  :func:`frontier_of`, the one protocols use, takes
the exact frontier of additive utilities from the analysis engine
(:mod:`accord.analysis.pareto`) at any size, and otherwise falls back to brute
force or, for two parties of larger domains (up to :data:`SWEEP_LIMIT`
outcomes), to a chunked enumeration keeping each chunk's two-dimensional
Pareto sweep.  The brute-force and sweep paths are the tests' oracles.  Distances are
measured on undiscounted utilities (the frontier is a property of the domain);
the discounted utilities ``u · δ**t`` and their sum are reported beside them.

:func:`run_metrics` is accord's reading (no agreement = the reservation values,
which is where a party really ends up; the Nash point only among outcomes
where everyone gains).  :func:`genius_metrics` follows GENIUS exactly as its
``MultilateralAnalysis`` / ``BidSpace`` define them (the project's notes on
the format, §8): the agreement point is the agreement's utilities or
``(0, …, 0)`` without agreement; social welfare is the sum of the
(discounted) agreement utilities, or 0 without agreement; distances are
Euclidean in utility space from that point; the Nash point is the frontier
point maximising ``Π (u_i − rv_i)`` over *all* frontier points, the running
best starting at −1, ties keeping the earliest point in order of ascending
first utility (so a product of two negative gains counts as positive, and a
point below a reservation value can win).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.protocols.engine import Domain, FloatArray
from accord.space import UTILITY_TOLERANCE

__all__ = ["SWEEP_LIMIT", "Frontier", "GeniusMetrics", "RunMetrics", "brute_force_frontier",
           "frontier_of", "genius_metrics", "genius_nash_point", "pareto_mask", "run_metrics"]

#: Largest domain whose two-party frontier :func:`frontier_of` enumerates in chunks.
SWEEP_LIMIT = 20_000_000


@dataclass(frozen=True, eq=False)
class Frontier:
    """Utility vectors of the Pareto-optimal outcomes, and the Nash point.

    Attributes:
        utilities: ``(F, P)`` utility vectors of the frontier (duplicates removed).
        nash: ``(P,)`` utilities of the Nash bargaining outcome, or None when
            no outcome gives every party more than the disagreement point.
    """

    utilities: FloatArray
    nash: FloatArray | None


def pareto_mask(utilities: FloatArray) -> np.ndarray:
    """True for the rows of ``(N, P)`` not weakly dominated by another row."""
    order = np.lexsort(utilities.T[::-1])[::-1]  # descending by first column, ties by next
    keep = np.zeros(len(utilities), dtype=bool)
    frontier: list[np.ndarray] = []
    for row in order:
        u = utilities[row]
        if frontier:
            stacked = np.array(frontier)
            if ((stacked >= u).all(axis=1) & (stacked > u).any(axis=1)).any():
                continue
            if (stacked == u).all(axis=1).any():
                continue
        frontier.append(u)
        keep[row] = True
    return keep


def brute_force_frontier(domain: Domain, *, limit: int = 200_000,
                         disagreement: FloatArray | None = None,
                         parties: Sequence[int] | None = None) -> Frontier:
    """The frontier and Nash point of ``domain`` by enumerating every outcome.

    ``parties`` restricts the utility space to those parties (default: all).
    """
    columns = list(range(domain.n_parties)) if parties is None else list(parties)
    outcomes = domain.all_outcomes(limit)
    utilities = domain.evaluate(outcomes)[:, columns]
    frontier = utilities[pareto_mask(utilities)]
    d = (domain.reservation if disagreement is None else disagreement)[columns]
    return _with_nash(frontier, d)


def _sweep_2d(utilities: FloatArray) -> FloatArray:
    """The two-dimensional Pareto frontier: sort by u0 then u1 descending, keep record u1."""
    order = np.lexsort((-utilities[:, 1], -utilities[:, 0]))
    ordered = utilities[order]
    running = np.maximum.accumulate(ordered[:, 1])
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:, 1] > running[:-1]
    return np.unique(ordered[keep], axis=0)


def _chunked_frontier_2d(domain: Domain, columns: list[int], chunk: int = 500_000) -> FloatArray:
    n_options = [int(n) for n in domain.n_options]
    radices = np.cumprod([1, *n_options[::-1][:-1]])[::-1]  # mixed-radix place values
    kept = []
    for first in range(0, domain.n_outcomes, chunk):
        index = np.arange(first, min(first + chunk, domain.n_outcomes), dtype=np.int64)
        texts = (index[:, None] // radices[None, :]) % np.array(n_options)[None, :]
        utilities = np.stack([domain.utilities[p](texts) for p in columns], axis=1)
        kept.append(_sweep_2d(utilities))
    return _sweep_2d(np.concatenate(kept))


def frontier_of(domain: Domain, parties: Sequence[int] | None = None) -> Frontier | None:
    """The frontier in the utility space of ``parties``, or None when the domain is too large.

    Additive utilities (Space domains: each utility carries its ``additive_table``,
    red-line penalty included) use the exact merge of
    :func:`accord.analysis.pareto.frontier_of_sums`, whatever the domain's size.
    Otherwise (or when that frontier is too large): brute force up to 200,000
    outcomes; for two parties, a chunked sweep up to :data:`SWEEP_LIMIT` outcomes.
    """
    columns = list(range(domain.n_parties)) if parties is None else list(parties)
    exact = _additive_frontier(domain, columns)
    if exact is not None:
        return exact
    if domain.n_outcomes <= 200_000:
        return brute_force_frontier(domain, parties=columns)
    if len(columns) == 2 and domain.n_outcomes <= SWEEP_LIMIT:
        return _with_nash(_chunked_frontier_2d(domain, columns), domain.reservation[columns])
    return None


def _additive_frontier(domain: Domain, columns: list[int]) -> Frontier | None:
    tables = [getattr(domain.utilities[p], "additive_table", None) for p in columns]
    if any(t is None for t in tables):
        return None
    try:
        from accord.analysis.pareto import FrontierTooLarge, frontier_of_sums, snap
    except ImportError:  # the analysis engine is optional here
        return None
    points = []
    for i, n in enumerate(int(k) for k in domain.n_options):
        vectors = np.stack([np.asarray(t)[i, :n] for t in tables], axis=1)
        points.append((np.arange(n), snap(vectors)))
    try:
        result = frontier_of_sums(points, strict=len(columns))
    except FrontierTooLarge:
        return None
    return _with_nash(np.asarray(result.vectors, dtype=float), domain.reservation[columns])


def _with_nash(frontier: FloatArray, d: FloatArray) -> Frontier:
    gains = frontier - d
    # A gain within rounding noise of zero is no gain: summing the same contributions
    # in another order must not decide whether a Nash point exists.
    positive: np.ndarray = np.asarray((gains > UTILITY_TOLERANCE).all(axis=1))
    nash = None
    if positive.any():
        logs = np.where(positive, np.log(np.where(positive[:, None], gains, 1.0)).sum(axis=1),
                        -np.inf)
        nash = frontier[int(np.argmax(logs))]
    return Frontier(utilities=frontier, nash=nash)


@dataclass(frozen=True)
class RunMetrics:
    """What GENIUS reports for one run."""

    agreement: bool
    rounds: int
    utilities: tuple[float, ...]
    social_welfare: float
    distance_to_frontier: float | None
    distance_to_nash: float | None
    discounted_utilities: tuple[float, ...] | None = None

    @property
    def discounted_social_welfare(self) -> float | None:
        return None if self.discounted_utilities is None else float(sum(self.discounted_utilities))

    def as_dict(self) -> dict[str, object]:
        return {
            "discounted_utilities": (None if self.discounted_utilities is None
                                     else list(self.discounted_utilities)),
            "discounted_social_welfare": self.discounted_social_welfare,
            "agreement": self.agreement,
            "rounds": self.rounds,
            "utilities": list(self.utilities),
            "social_welfare": self.social_welfare,
            "distance_to_frontier": self.distance_to_frontier,
            "distance_to_nash": self.distance_to_nash,
        }


def run_metrics(utilities: FloatArray, *, agreement: bool, rounds: int,
                frontier: Frontier | None = None,
                discounted: FloatArray | None = None) -> RunMetrics:
    """Metrics of an outcome with utility vector ``utilities`` (distances need a frontier).

    ``utilities`` must be in the frontier's utility space (same parties, same
    order); ``discounted`` are the GENIUS discounted utilities, if any.
    """
    u = np.asarray(utilities, dtype=float)
    to_frontier = to_nash = None
    if frontier is not None:
        to_frontier = float(np.sqrt(((frontier.utilities - u) ** 2).sum(axis=1)).min())
        if frontier.nash is not None:
            to_nash = float(np.sqrt(((frontier.nash - u) ** 2).sum()))
    return RunMetrics(agreement=agreement, rounds=rounds, utilities=tuple(u.tolist()),
                      social_welfare=float(u.sum()), distance_to_frontier=to_frontier,
                      distance_to_nash=to_nash,
                      discounted_utilities=(None if discounted is None
                                            else tuple(np.asarray(discounted, float).tolist())))


def genius_nash_point(frontier: FloatArray, reservation: FloatArray) -> FloatArray:
    """GENIUS's Nash point: the frontier point maximising ``Π (u_i − rv_i)``.

    As ``BidSpace.getNash``: frontier points in order of ascending first
    utility (stable), the running best starting at −1, a later point winning
    only with a strictly larger product; no frontier gives ``(0, …, 0)``.
    ``reservation`` is the undiscounted reservation values (0 where absent).
    """
    points = np.asarray(frontier, dtype=float)
    rv = np.where(np.isfinite(reservation), reservation, 0.0)
    if len(points) == 0:
        return np.zeros(len(rv))
    ordered = points[np.argsort(points[:, 0], kind="stable")]
    best, best_value = np.zeros(len(rv)), -1.0
    for point in ordered:
        value = float(np.prod(point - rv))
        if value > best_value:
            best, best_value = point, value
    return best


@dataclass(frozen=True)
class GeniusMetrics:
    """One run's metrics exactly as GENIUS defines them (see the module docstring)."""

    agreement_point: tuple[float, ...]
    social_welfare: float
    distance_to_frontier: float | None
    distance_to_nash: float | None
    nash: tuple[float, ...] | None

    def as_dict(self) -> dict[str, object]:
        return {"agreement_point": list(self.agreement_point),
                "social_welfare": self.social_welfare,
                "distance_to_frontier": self.distance_to_frontier,
                "distance_to_nash": self.distance_to_nash,
                "nash": None if self.nash is None else list(self.nash)}


def genius_metrics(utilities: FloatArray, *, agreement: bool, reservation: FloatArray,
                   frontier: Frontier | None = None,
                   discounted: FloatArray | None = None) -> GeniusMetrics:
    """GENIUS's per-run metrics.

    Args:
        utilities: the agreement's undiscounted utilities (ignored without agreement).
        agreement: whether the run ended in agreement.
        reservation: the undiscounted reservation values (for the Nash point).
        frontier: the frontier in the same utility space (distances need it).
        discounted: the discounted agreement utilities, when the domain discounts
            (social welfare sums them, as GENIUS does).
    """
    u = np.asarray(utilities, dtype=float)
    point = u if agreement else np.zeros_like(u)
    welfare = 0.0
    if agreement:
        welfare = float(np.sum(u if discounted is None else np.asarray(discounted, float)))
    to_frontier = to_nash = nash = None
    if frontier is not None:
        to_frontier = float(np.sqrt(((frontier.utilities - point) ** 2).sum(axis=1)).min())
        nash = genius_nash_point(frontier.utilities, np.asarray(reservation, dtype=float))
        to_nash = float(np.sqrt(((nash - point) ** 2).sum()))
    return GeniusMetrics(agreement_point=tuple(point.tolist()), social_welfare=welfare,
                         distance_to_frontier=to_frontier, distance_to_nash=to_nash,
                         nash=None if nash is None else tuple(np.asarray(nash).tolist()))
