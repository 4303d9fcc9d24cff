"""Alternating offers: Rubinstein's bilateral protocol and the stacked alternating offers protocol.

Protocol (Rubinstein 1982, "Perfect equilibrium in a bargaining model",
*Econometrica* 50(1); for n parties the *stacked alternating offers protocol*
of Aydoğan, Festen, Hindriks and Jonker 2017, "Alternating offers protocols
for multilateral negotiation", in *Modern Approaches to Agent-based Complex
Automated Negotiation*): the negotiators take turns in a fixed order.  The
first makes an opening offer; each next one either **accepts** the offer on
the table, makes a **counter-offer** (which replaces it) or **walks away**
(breakdown).  An offer is agreed when every other negotiator has accepted it
in turn.  With two negotiators this is Rubinstein's protocol.  The deadline
is a number of rounds; one round is one turn of every negotiator, so a run has
at most ``rounds × n`` turns and the progress after turn ``j`` is
``t = j / (rounds × n)``.  An agreement at progress ``t`` is worth
``u_p · δ_p**t`` to party ``p`` (the GENIUS discount factor; no agreement
gives the reservation value, discounted at t = 1 as in GENIUS).

Tactics (Faratin, Sierra and Jennings 1998, "Negotiation decision functions
for autonomous agents", *Robotics and Autonomous Systems* 24(3–4)):

* **time-dependent**: at progress t the party aims at utility
  ``u_max − α(t)·(u_max − u_floor)`` with ``α(t) = k + (1 − k)·t**(1/β)``
  (FSJ's polynomial family; GENIUS calls β "e").  Convention used here, FSJ's:
  **β < 1 is Boulware** (holds out, concedes near the deadline; β = 0.2),
  **β = 1 linear**, **β > 1 Conceder** (concedes early; β = 2).  ``k = 0``.
  ``u_floor`` is the larger of the party's reservation value and its worst
  utility.
* **tit-for-tat** (FSJ's *relative* tit-for-tat, window δ = 1): the party
  concedes, in proportion, as much as the others conceded to it: its gain over
  the floor is multiplied by ``g_old / g_new`` averaged over the other parties,
  ``g`` being the gain, to this party, of another party's previous and latest
  offers.  It opens with its best outcome.
* **random** baseline: offers a uniformly random outcome it finds acceptable
  (utility at least its floor).

Every tactic accepts with GENIUS's AC_next rule: accept the offer on the table
when it is worth at least the offer the party would make now, and never below
its reservation value.  A party walks away only when no outcome reaches its
reservation value.

Offers are drawn from the party's own outcome space (no opponent model).  When
the domain has at most :data:`TABLE_LIMIT` outcomes, each party keeps a table
of all outcomes sorted by its own utility; the offer at target utility τ is
drawn uniformly among the outcomes whose utility lies within
:data:`NEAR_EQUAL` (of the party's utility range) above the lowest utility
that reaches τ — near-equal outcomes are interchangeable to the party, and
picking among them at random keeps the offers from repeating.  Larger domains
use a **local search**: from the party's previous offer (first: its best text
found by hill-climbing from random starts), repeatedly move to the single-point
change closest to τ (ties at random), preferring utilities at or above τ,
until no change brings the utility closer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np

from accord.protocols.engine import (
    BatchUtility,
    Domain,
    Event,
    FloatArray,
    IntArray,
    Trace,
    as_tuple,
    outcome_utilities,
    random_text,
)
from accord.protocols.metrics import Frontier, RunMetrics, run_metrics

__all__ = [
    "STRATEGIES",
    "TABLE_LIMIT",
    "Action",
    "AlternatingResult",
    "Negotiator",
    "OfferSpace",
    "RandomNegotiator",
    "TimeDependent",
    "TitForTat",
    "alternate",
    "alternating_metrics",
    "make_negotiator",
    "replay_alternating",
]

#: Largest outcome count for which each party keeps a sorted table of all outcomes.
TABLE_LIMIT = 250_000
#: Outcomes within this share of a party's utility range count as equal to it.
NEAR_EQUAL = 0.005
#: The strategy names :func:`make_negotiator` knows, with their β (None: not time-dependent).
STRATEGIES: dict[str, float | None] = {
    "boulware": 0.2,
    "linear": 1.0,
    "conceder": 2.0,
    "tit-for-tat": None,
    "random": None,
}

ActionKind = Literal["accept", "offer", "walk"]


@dataclass(frozen=True)
class Action:
    """A turn: accept the offer on the table, make an offer, or walk away."""

    kind: ActionKind
    text: IntArray | None = None


@dataclass
class PublicRecord:
    """What every negotiator sees: the offers made so far (party index, text) and the time."""

    progress: float = 0.0
    current: IntArray | None = None
    offers: list[tuple[int, IntArray]] = field(default_factory=list)


class Negotiator(Protocol):
    """A party in alternating offers.  Built with its own utility; sees only the public record."""

    name: str

    def act(self, record: PublicRecord) -> Action: ...


class OfferSpace:
    """A party's own outcomes, searchable by utility (see the module docstring)."""

    def __init__(self, utility: BatchUtility, n_options: IntArray, reservation: float,
                 rng: np.random.Generator, outcome_utilities: FloatArray | None = None) -> None:
        """``outcome_utilities``: the utility of every outcome in enumeration order
        (:func:`accord.protocols.engine.outcome_utilities`) for the table; None for
        local search."""
        self.utility = utility
        self.n_options = np.asarray(n_options, dtype=np.int64)
        self.rng = rng
        self.table = outcome_utilities is not None
        if outcome_utilities is not None:
            # Outcomes are kept as flat indices into the enumeration and decoded on demand.
            self.sorted_index = np.argsort(outcome_utilities, kind="stable")
            self.sorted_utilities = outcome_utilities[self.sorted_index]
            self.best = self._decode(int(self.sorted_index[-1]))
            self.best_utility = float(self.sorted_utilities[-1])
            worst = float(self.sorted_utilities[0])
        else:
            self.best, self.best_utility, worst = self._search_extremes()
        self.floor = max(float(reservation), worst)
        self.tolerance = NEAR_EQUAL * max(self.best_utility - worst, 1e-12)
        self.last: IntArray = self.best.copy()

    def _decode(self, flat: int) -> IntArray:
        return np.array(np.unravel_index(flat, tuple(self.n_options.tolist())), dtype=np.int64)

    def value(self, text: IntArray) -> float:
        return float(self.utility(np.asarray(text, dtype=np.int64)[None, :])[0])

    def _neighbours(self, text: IntArray) -> IntArray:
        rows = []
        for i in np.flatnonzero(self.n_options > 1):
            for o in range(int(self.n_options[i])):
                if o != text[i]:
                    row = text.copy()
                    row[i] = o
                    rows.append(row)
        return np.array(rows, dtype=np.int64).reshape(-1, len(text))

    def _climb(self, text: IntArray, sign: float) -> tuple[IntArray, float]:
        value = self.value(text)
        while True:
            neighbours = self._neighbours(text)
            if not len(neighbours):
                return text, value
            values = self.utility(neighbours) * sign
            best = int(np.argmax(values))
            if values[best] <= value * sign + 1e-12:
                return text, value
            text, value = neighbours[best], float(values[best] * sign)

    def _search_extremes(self, restarts: int = 8) -> tuple[IntArray, float, float]:
        best, best_value, worst_value = None, -math.inf, math.inf
        for _ in range(restarts):
            text, value = self._climb(random_text(self.n_options, self.rng), 1.0)
            if value > best_value:
                best, best_value = text, value
            _, low = self._climb(random_text(self.n_options, self.rng), -1.0)
            worst_value = min(worst_value, low)
        assert best is not None
        return best, best_value, worst_value

    def at(self, target: float) -> IntArray:
        """An outcome worth about ``target`` to the party (at least it when one exists)."""
        target = min(target, self.best_utility)
        if self.table:
            values = self.sorted_utilities
            start = int(np.searchsorted(values, target - 1e-12, side="left"))
            start = min(start, len(values) - 1)
            stop = int(np.searchsorted(values, values[start] + self.tolerance, side="right"))
            pick = start + int(self.rng.integers(max(stop - start, 1)))
            text = self._decode(int(self.sorted_index[pick]))
        else:
            text = self._search_to(target)
        self.last = text
        return text

    def _search_to(self, target: float) -> IntArray:
        text = self.last.copy()

        def miss(values: FloatArray) -> FloatArray:
            # Falling short of the target costs more than overshooting it.
            return np.where(values >= target, values - target, 2.0 * (target - values))

        score = float(miss(np.array([self.value(text)]))[0])
        while score > self.tolerance:
            neighbours = self._neighbours(text)
            if not len(neighbours):
                break
            scores = miss(self.utility(neighbours))
            scores = scores + self.rng.random(len(scores)) * 1e-12  # random ties
            best = int(np.argmin(scores))
            if scores[best] >= score - 1e-12:
                break
            text, score = neighbours[best], float(scores[best])
        return text

    def random_acceptable(self) -> IntArray:
        """A uniformly random outcome worth at least the floor (the best one if none is found)."""
        if self.table:
            start = int(np.searchsorted(self.sorted_utilities, self.floor - 1e-12, side="left"))
            start = min(start, len(self.sorted_utilities) - 1)
            pick = start + int(self.rng.integers(len(self.sorted_utilities) - start))
            return self._decode(int(self.sorted_index[pick]))
        for _ in range(100):
            text = random_text(self.n_options, self.rng)
            if self.value(text) >= self.floor - 1e-12:
                return text
        return self.best.copy()


def _accepts(space: OfferSpace, record: PublicRecord, my_offer_value: float,
             reservation: float) -> bool:
    if record.current is None:
        return False
    value = space.value(record.current)
    return value >= my_offer_value - 1e-12 and value >= reservation - 1e-12


@dataclass
class TimeDependent:
    """Faratin, Sierra and Jennings's polynomial time-dependent tactic (β < 1 Boulware)."""

    space: OfferSpace
    reservation: float
    beta: float
    k: float = 0.0
    name: str = "time-dependent"

    def target(self, progress: float) -> float:
        alpha = self.k + (1.0 - self.k) * min(max(progress, 0.0), 1.0) ** (1.0 / self.beta)
        return self.space.best_utility - alpha * (self.space.best_utility - self.space.floor)

    def act(self, record: PublicRecord) -> Action:
        if self.space.best_utility < self.reservation - 1e-12:
            return Action("walk")
        offer = self.space.at(self.target(record.progress))
        if _accepts(self.space, record, self.space.value(offer), self.reservation):
            return Action("accept")
        return Action("offer", offer)


@dataclass
class TitForTat:
    """Faratin, Sierra and Jennings's relative tit-for-tat (window 1), in utility terms."""

    space: OfferSpace
    me: int
    reservation: float
    name: str = "tit-for-tat"
    gain: float | None = None

    def act(self, record: PublicRecord) -> Action:
        if self.space.best_utility < self.reservation - 1e-12:
            return Action("walk")
        floor, top = self.space.floor, self.space.best_utility
        if self.gain is None:
            self.gain = top - floor
        ratios = []
        for party in {p for p, _ in record.offers if p != self.me}:
            theirs = [text for p, text in record.offers if p == party][-2:]
            if len(theirs) == 2:
                old, new = (self.space.value(t) - floor for t in theirs)
                if new > 1e-12 and old > 1e-12:
                    ratios.append(old / new)
                elif new > 1e-12:  # from nothing to something: concede fully in kind
                    ratios.append(0.0)
        if ratios:
            self.gain = min(max(self.gain * float(np.mean(ratios)), 0.0), top - floor)
        offer = self.space.at(floor + self.gain)
        if _accepts(self.space, record, self.space.value(offer), self.reservation):
            return Action("accept")
        return Action("offer", offer)


@dataclass
class RandomNegotiator:
    """Baseline: offers a random outcome it finds acceptable; accepts by AC_next."""

    space: OfferSpace
    reservation: float
    name: str = "random"

    def act(self, record: PublicRecord) -> Action:
        if self.space.best_utility < self.reservation - 1e-12:
            return Action("walk")
        offer = self.space.random_acceptable()
        if _accepts(self.space, record, self.space.value(offer), self.reservation):
            return Action("accept")
        return Action("offer", offer)


def make_negotiator(kind: str, space: OfferSpace, party: int, reservation: float) -> Negotiator:
    """A negotiator of a named strategy (:data:`STRATEGIES`)."""
    if kind not in STRATEGIES:
        raise ValueError(f"unknown strategy {kind!r}; expected one of {', '.join(STRATEGIES)}")
    beta = STRATEGIES[kind]
    if beta is not None:
        return TimeDependent(space, reservation, beta, name=kind)
    if kind == "tit-for-tat":
        return TitForTat(space, party, reservation)
    return RandomNegotiator(space, reservation)


@dataclass(frozen=True)
class AlternatingResult:
    """The outcome of an alternating-offers run.

    Attributes:
        negotiators: the party indices that took turns, in order.
        strategies: each negotiator's strategy name.
        agreement: whether an offer was accepted by all other negotiators.
        text: the agreed text (None without agreement).
        turns: turns taken; ``rounds`` = turns / negotiators, rounded up.
        progress: t ∈ [0, 1] when the run ended (1 at the deadline).
        utilities: ``(P,)`` every party's utility of the agreement (reservation
            values without one), undiscounted.
        discounted_utilities: ``(P,)`` ``u_p · δ_p**t`` (GENIUS).
        walked_away: the party index that walked away, if any.
        trace: the record of every turn.
    """

    negotiators: tuple[int, ...]
    strategies: tuple[str, ...]
    agreement: bool
    text: IntArray | None
    turns: int
    rounds: int
    progress: float
    utilities: FloatArray
    discounted_utilities: FloatArray
    walked_away: int | None
    trace: Trace


def _offer_spaces(domain: Domain, negotiators: Sequence[int],
                  rngs: Sequence[np.random.Generator]) -> list[OfferSpace]:
    table = domain.n_outcomes <= TABLE_LIMIT
    return [OfferSpace(domain.utilities[p], domain.n_options, float(domain.reservation[p]), rng,
                       outcome_utilities(domain.utilities[p], domain.n_options) if table else None)
            for p, rng in zip(negotiators, rngs, strict=True)]


def alternate(
    domain: Domain,
    strategies: Sequence[str],
    *,
    negotiators: Sequence[int] | None = None,
    rounds: int = 100,
    seed: int = 0,
    record: bool = True,
) -> AlternatingResult:
    """Run alternating offers (stacked alternating offers for more than two negotiators).

    Args:
        domain: the negotiation.
        strategies: one strategy name per negotiator (:data:`STRATEGIES`).
        negotiators: the party indices that take turns, in turn order
            (default: every party of the domain, in order).
        rounds: the deadline; each round is one turn of every negotiator.
        seed: seeds every random choice; the same seed gives the same trace.
        record: keep one event per turn in the trace (off for tournaments).
    """
    order = tuple(range(domain.n_parties)) if negotiators is None else tuple(negotiators)
    if len(order) < 2:
        raise ValueError("alternating offers needs at least two negotiators")
    if len(set(order)) != len(order) or not all(0 <= p < domain.n_parties for p in order):
        raise ValueError(f"negotiators must be distinct party indices below {domain.n_parties}")
    if len(strategies) != len(order):
        raise ValueError(f"{len(order)} negotiators need {len(order)} strategies, "
                         f"got {len(strategies)}")
    if rounds < 1:
        raise ValueError("rounds must be ≥ 1")
    rng = np.random.default_rng(seed)
    # One independent stream per negotiator, so one party's draws never shift another's.
    rngs = rng.spawn(len(order))
    spaces = _offer_spaces(domain, order, rngs)
    parties = [make_negotiator(kind, space, p, float(domain.reservation[p]))
               for kind, space, p in zip(strategies, spaces, order, strict=True)]
    n = len(order)
    total = rounds * n
    name = "alternate/rubinstein" if n == 2 else "alternate/stacked"
    trace = Trace(protocol=name, seed=seed, party_ids=domain.party_ids)
    trace.add(Event(0, "protocol", "start", (), note="order: " + ", ".join(
        f"{domain.party_ids[p]}={s}" for p, s in zip(order, strategies, strict=True))))
    public = PublicRecord()
    accepts = 0
    agreed: IntArray | None = None
    walked: int | None = None
    turn = 0
    while turn < total:
        public.progress = turn / total
        position = turn % n
        party = order[position]
        action = parties[position].act(public)
        turn += 1
        actor = domain.party_ids[party]
        if action.kind == "walk":
            walked = party
            if record:
                trace.add(Event(turn, actor, "walk", as_tuple(public.current)
                                if public.current is not None else ()))
            break
        if action.kind == "accept" and public.current is not None:
            accepts += 1
            if record:
                trace.add(Event(turn, actor, "accept", as_tuple(public.current)))
            if accepts == n - 1:
                agreed = public.current
                break
            continue
        text = action.text if action.text is not None else spaces[position].best
        public.current = np.asarray(text, dtype=np.int64)
        public.offers.append((party, public.current))
        accepts = 0
        if record:
            trace.add(Event(turn, actor, "offer", as_tuple(public.current),
                            proposal=as_tuple(public.current),
                            utilities=tuple(domain.evaluate(public.current)[0].tolist())))
    progress = turn / total if agreed is not None else 1.0
    if agreed is not None:
        utilities = domain.evaluate(agreed)[0]
    else:
        utilities = np.asarray(domain.reservation, dtype=float).copy()
    discounted = domain.discounted(utilities, progress)
    end_kind = "agreement" if agreed is not None else "breakdown"
    trace.add(Event(turn, "protocol", end_kind, as_tuple(agreed) if agreed is not None else (),
                    utilities=tuple(utilities.tolist()),
                    note=f"t = {progress:.4f}" + (f"; {domain.party_ids[walked]} walked away"
                                                  if walked is not None else "")))
    return AlternatingResult(
        negotiators=order, strategies=tuple(strategies), agreement=agreed is not None,
        text=agreed, turns=turn, rounds=math.ceil(turn / n), progress=progress,
        utilities=utilities, discounted_utilities=discounted, walked_away=walked, trace=trace)


def alternating_metrics(domain: Domain, result: AlternatingResult,
                        frontier: Frontier | None = None) -> RunMetrics:
    """GENIUS's per-run metrics in the negotiators' utility space.

    ``frontier`` must be over the negotiators (``frontier_of(domain, result.negotiators)``);
    without one the distances are None.
    """
    columns = list(result.negotiators)
    return run_metrics(result.utilities[columns], agreement=result.agreement,
                       rounds=result.rounds, frontier=frontier,
                       discounted=result.discounted_utilities[columns])


def replay_alternating(trace: Trace) -> tuple[int, ...] | None:
    """The agreed text of a recorded run rebuilt from its events alone (None: no agreement).

    Tracks the offer on the table and the accepts since it was made; raises
    :class:`ValueError` when the recorded outcome disagrees with the replay.
    """
    parties = [event.actor for event in trace.events if event.kind in ("offer", "accept", "walk")]
    n = len(set(parties)) if parties else 0
    current: tuple[int, ...] | None = None
    accepts = 0
    agreed: tuple[int, ...] | None = None
    for event in trace.events:
        if event.kind == "offer":
            current, accepts = event.text, 0
        elif event.kind == "accept":
            if current is None or event.text != current:
                raise ValueError(f"turn {event.round}: accept of an offer not on the table")
            accepts += 1
            if accepts == n - 1:
                agreed = current
        elif event.kind == "agreement":
            if agreed is None or event.text != agreed:
                raise ValueError("recorded agreement differs from the replay")
            return agreed
        elif event.kind == "breakdown":
            if agreed is not None:
                raise ValueError("recorded breakdown after an agreement in the replay")
            return None
    raise ValueError("trace has no end event")
