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
domains above its limit).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.protocols.engine import Domain, FloatArray

__all__ = ["Frontier", "RunMetrics", "brute_force_frontier", "pareto_mask", "run_metrics"]


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
                         disagreement: FloatArray | None = None) -> Frontier:
    """The frontier and Nash point of ``domain`` by enumerating every outcome."""
    outcomes = domain.all_outcomes(limit)
    utilities = domain.evaluate(outcomes)
    frontier = utilities[pareto_mask(utilities)]
    d = domain.reservation if disagreement is None else disagreement
    gains = frontier - d
    positive = (gains > 0).all(axis=1)
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

    def as_dict(self) -> dict[str, object]:
        return {
            "agreement": self.agreement,
            "rounds": self.rounds,
            "utilities": list(self.utilities),
            "social_welfare": self.social_welfare,
            "distance_to_frontier": self.distance_to_frontier,
            "distance_to_nash": self.distance_to_nash,
        }


def run_metrics(utilities: FloatArray, *, agreement: bool, rounds: int,
                frontier: Frontier | None = None) -> RunMetrics:
    """Metrics of an outcome with utility vector ``utilities`` (distances need a frontier)."""
    u = np.asarray(utilities, dtype=float)
    to_frontier = to_nash = None
    if frontier is not None:
        to_frontier = float(np.sqrt(((frontier.utilities - u) ** 2).sum(axis=1)).min())
        if frontier.nash is not None:
            to_nash = float(np.sqrt(((frontier.nash - u) ** 2).sum()))
    return RunMetrics(agreement=agreement, rounds=rounds, utilities=tuple(u.tolist()),
                      social_welfare=float(u.sum()), distance_to_frontier=to_frontier,
                      distance_to_nash=to_nash)
