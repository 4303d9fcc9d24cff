"""The three protocols of ``accord simulate`` run on a scenario, with what a reader needs of each run.

Each function runs one protocol on a compiled :class:`~accord.space.Space` and
returns the run together with its settings and the numbers derived from it —
the shuttle's versions compared point by point with the scenario's real texts,
each party's plain utility (no red-line price) of each version, the
alternating run's distances to the frontier and the Nash point — so that the
views (:mod:`accord.views.simulate`), the command line and any other caller
show the same analysis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord._repr import short_repr
from accord.protocols.alternating import AlternatingResult, alternate, alternating_metrics
from accord.protocols.engine import Domain, FloatArray, IntArray
from accord.protocols.mediation import MediationResult, mediate
from accord.protocols.metrics import GeniusMetrics, RunMetrics, frontier_of, genius_metrics
from accord.protocols.shuttle import ShuttleResult, TextMatch, best_case, compare_versions, shuttle
from accord.space import UNRESOLVED, Space

__all__ = ["AlternatingRun", "MediationRun", "ShuttleRun", "run_alternating", "run_mediation",
           "run_shuttle"]


def _domain(space: Space, discounts: Sequence[float] | None) -> Domain:
    return Domain.from_space(space, discount=tuple(discounts) if discounts else 1.0)


@short_repr
@dataclass(frozen=True)
class ShuttleRun:
    """A shuttle run from text ``start`` meeting ``order``, and how its versions compare.

    Attributes:
        result: the run (versions, who was met, what was granted and bracketed).
        start: index of the starting text.
        order: the party indices met each round.
        max_asks, bracket, close, seed: the settings it ran with.
        best_case: ``(V, P)`` each party's plain Space utility (no red-line price)
            of its best completion of each version's open points — its utility
            of a complete version.
        comparison: each other text of the scenario against every version.
    """

    result: ShuttleResult
    start: int
    order: tuple[int, ...]
    max_asks: int
    bracket: bool
    close: bool
    seed: int
    best_case: FloatArray
    comparison: tuple[TextMatch, ...]

    @property
    def meetings(self) -> int:
        """Meetings held (the opening text and a closing summit are versions, not meetings)."""
        return len(self.result.visited) - 1 - int(self.result.closed)

    @property
    def agreed(self) -> IntArray | None:
        """The agreed text (the final version) when the run ended in agreement, else None."""
        if not self.result.agreement:
            return None
        return self.result.versions[-1]


def run_shuttle(space: Space, start: int, order: Sequence[int], *, rounds: int = 6,
                max_asks: int = 3, bracket: bool = True, close: bool = True, seed: int = 0,
                discounts: Sequence[float] | None = None) -> ShuttleRun:
    """Shuttle from text ``start`` (complete) meeting ``order``; compare with the other texts."""
    opening = space.texts[start]
    if (opening == UNRESOLVED).any():
        raise ValueError(f"text {space.text_ids[start]!r} leaves points unresolved; "
                         "shuttle needs a complete starting text")
    domain = _domain(space, discounts)
    result = shuttle(domain, opening, list(order), rounds=rounds, max_asks=max_asks,
                     bracket=bracket, close=close, seed=seed)
    plain = np.array([[float(space.utilities(best_case(domain, v, p)[1])[p])
                       for p in range(space.n_parties)] for v in result.versions],
                     dtype=float).reshape(len(result.versions), space.n_parties)
    others = [t for t in range(len(space.text_ids)) if t != start]
    comparison = compare_versions(result.versions, space.texts, others)
    return ShuttleRun(result, start, tuple(int(p) for p in order), max_asks, bracket, close,
                      seed, plain, tuple(comparison))


@short_repr
@dataclass(frozen=True)
class MediationRun:
    """A single-text mediation and its settings.

    Attributes:
        result: the run.
        mediator, voters, seed: the settings (one voter kind per party).
        utilities: ``(P,)`` every party's plain Space utility of the final text.
        discounted_utilities: ``(P,)`` GENIUS's ``u_p · δ_p`` (t = 1).
    """

    result: MediationResult
    mediator: str
    voters: tuple[str, ...]
    seed: int
    utilities: FloatArray
    discounted_utilities: FloatArray


def run_mediation(space: Space, *, mediator: str = "informed",
                  voters: Sequence[str] = ("hill-climber",), proposals: int = 1000,
                  seed: int = 0, start: int | None = None,
                  discounts: Sequence[float] | None = None) -> MediationRun:
    """Single-text mediation on ``space`` (one voter kind for all, or one per party)."""
    kinds = tuple(voters) * space.n_parties if len(voters) == 1 else tuple(voters)
    domain = _domain(space, discounts)
    opening = None if start is None else space.texts[start]
    run = mediate(domain, voters=kinds, mediator=mediator,  # type: ignore[arg-type]
                  proposals=proposals, seed=seed, start=opening)
    utilities = np.asarray(space.utilities(run.text), dtype=float)
    return MediationRun(run, mediator, kinds, seed, utilities, domain.discounted(utilities, 1.0))


@short_repr
@dataclass(frozen=True)
class AlternatingRun:
    """An alternating-offers run and GENIUS's metrics of it.

    Attributes:
        result: the run (negotiators, strategies, agreement, the agreed text).
        deadline: the deadline in rounds.
        seed: the seed.
        utilities: ``(P,)`` every party's plain Space utility of the agreement,
            its reservation value without one.
        metrics: the per-run metrics over the negotiators.
        genius: the same run's metrics exactly as GENIUS defines them.
    """

    result: AlternatingResult
    deadline: int
    seed: int
    utilities: FloatArray
    metrics: RunMetrics
    genius: GeniusMetrics


def run_alternating(space: Space, strategies: Sequence[str], negotiators: Sequence[int], *,
                    rounds: int = 100, seed: int = 0,
                    discounts: Sequence[float] | None = None) -> AlternatingRun:
    """Alternating offers between ``negotiators`` (turn order), one strategy each."""
    domain = _domain(space, discounts)
    order = list(negotiators)
    result = alternate(domain, list(strategies), negotiators=order, rounds=rounds, seed=seed)
    frontier = frontier_of(domain, order)
    metrics = alternating_metrics(domain, result, frontier)
    plain = (np.asarray(space.utilities(result.text), dtype=float) if result.text is not None
             else np.asarray(space.reservation, dtype=float))
    genius = genius_metrics(result.utilities[order], agreement=result.agreement,
                            reservation=domain.reservation[order], frontier=frontier,
                            discounted=result.discounted_utilities[order])
    return AlternatingRun(result, rounds, seed, plain, metrics, genius)
