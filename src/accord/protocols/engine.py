"""The common engine: domains as batch-evaluable utilities, seeded randomness and traces.

Every protocol in :mod:`accord.protocols` runs on a :class:`Domain`: per issue
an option count, per party a *batch* utility (a callable from an ``(N, I)``
array of option indices to ``(N,)`` utilities), the disagreement point and the
parties whose acceptance a deal needs.  A party object only ever receives its
own utility function and the public record (the texts proposed and the
votes), so the same strategies run on additive accord scenarios
(:meth:`Domain.from_space`), GENIUS domains compiled to a Space, and
non-additive test domains such as Klein et al.'s interdependent contracts
(:func:`accord.protocols.mediation.klein_domain`).

Every run records a :class:`Trace` of :class:`Event` s; runs draw all their
randomness from one ``numpy.random.Generator`` seeded by the caller, so the
same seed replays the same trace.  ``Trace.write_jsonl`` writes one JSON
object per line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from accord.space import Space

__all__ = [
    "RED_LINE_PENALTY",
    "BatchUtility",
    "Domain",
    "Event",
    "Trace",
    "Voter",
    "outcome_utilities",
    "random_text",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: A batch utility: ``(N, I)`` option indices → ``(N,)`` utilities.
BatchUtility = Callable[[IntArray], FloatArray]

#: What a red line costs a party in the utility its strategy consults: more
#: than the whole [0, 1] utility range, so a text with a red line is worse to
#: that party than any text without one (Space utilities lie in [0, 1]).
RED_LINE_PENALTY = 2.0


@dataclass(frozen=True, eq=False)
class Domain:
    """What a protocol needs to know about a negotiation.

    Attributes:
        party_ids: the parties (length P).
        n_options: ``(I,)`` options per issue.
        utilities: per party, the batch utility its strategy consults (for a
            Space, red lines are priced in with :data:`RED_LINE_PENALTY`).
        reservation: ``(P,)`` the disagreement point (walk-away utilities).
        must_accept: ``(P,)`` the parties whose acceptance a deal needs.
        discount: the GENIUS discount factor δ ∈ (0, 1], one for all parties or
            one per party: an agreement reached at progress t ∈ [0, 1] of the
            deadline is worth ``u · δ**t`` to the party (1 = none).
        space: the Space the domain was compiled from, if any.
    """

    party_ids: tuple[str, ...]
    n_options: IntArray
    utilities: tuple[BatchUtility, ...]
    reservation: FloatArray
    must_accept: NDArray[np.bool_]
    discount: float | tuple[float, ...] = 1.0
    space: Space | None = None

    @property
    def discounts(self) -> FloatArray:
        """``(P,)`` each party's discount factor δ."""
        return np.broadcast_to(np.asarray(self.discount, dtype=float), (self.n_parties,)).copy()

    def discounted(self, utilities: FloatArray, progress: float) -> FloatArray:
        """GENIUS's discounted utilities ``u_p · δ_p**t``, t = ``progress`` clipped to [0, 1]."""
        t = min(max(float(progress), 0.0), 1.0)
        return np.asarray(utilities, dtype=float) * self.discounts ** t

    @property
    def n_parties(self) -> int:
        return len(self.party_ids)

    @property
    def n_issues(self) -> int:
        return len(self.n_options)

    @property
    def n_outcomes(self) -> int:
        from accord.space import outcome_count

        return outcome_count(self.n_options)

    def evaluate(self, texts: IntArray) -> FloatArray:
        """``(N, I)`` → ``(N, P)``: every party's utility (as its strategy sees it)."""
        batch = np.atleast_2d(np.asarray(texts, dtype=np.int64))
        return np.stack([utility(batch) for utility in self.utilities], axis=1)

    def acceptable(self, texts: IntArray) -> NDArray[np.bool_]:
        """``(N, I)`` → ``(N, P)``: utility at least the reservation value (red lines included)."""
        batch = np.atleast_2d(np.asarray(texts, dtype=np.int64))
        if self.space is not None:
            return self.space.acceptable(batch)
        return self.evaluate(batch) >= self.reservation - 1e-9

    def agreement(self, text: IntArray) -> bool:
        """Whether every party that must accept finds ``text`` acceptable."""
        return bool(self.acceptable(text)[0][self.must_accept].all())

    def all_outcomes(self, limit: int = 200_000) -> IntArray:
        """Every complete text, ``(n_outcomes, I)``; :class:`ValueError` above ``limit``."""
        if self.n_outcomes > limit:
            raise ValueError(f"{self.n_outcomes} outcomes is more than the limit {limit} "
                             "for enumeration")
        grids = np.meshgrid(*[np.arange(int(n)) for n in self.n_options], indexing="ij")
        return np.stack([g.ravel() for g in grids], axis=1).astype(np.int64)

    @classmethod
    def from_space(cls, space: Space, *,
                   discount: float | tuple[float, ...] = 1.0) -> Domain:
        """A Space's parties, with red lines priced in at :data:`RED_LINE_PENALTY`."""
        return cls(
            party_ids=space.party_ids,
            n_options=np.asarray(space.n_options, dtype=np.int64),
            utilities=tuple(_space_utility(space, p) for p in range(space.n_parties)),
            reservation=np.asarray(space.reservation, dtype=float),
            must_accept=np.asarray(space.must_accept, dtype=bool),
            discount=discount,
            space=space,
        )


def _space_utility(space: Space, party: int) -> BatchUtility:
    if not space.is_additive:
        return _linked_utility(space, party)
    contribution = space.contribution[party]
    red_lines = space.red_lines[party].astype(float) * RED_LINE_PENALTY
    issues = np.arange(space.n_issues)

    # One (I, K) table: a text's utility is the sum of its options' entries.
    table = contribution - red_lines

    def utility(texts: IntArray) -> FloatArray:
        return table[issues, texts].sum(axis=1)

    utility.additive_table = table  # type: ignore[attr-defined]  # for fast enumeration
    return utility


def _linked_utility(space: Space, party: int) -> BatchUtility:
    """The party's utility with terms, each red line and each forbidden pair hit priced in.

    Not a sum over issues, so it carries no ``additive_table``: the protocols'
    frontiers and offer tables then enumerate (within their own size limits).
    """
    tables = space.tables
    penalty = tables.red_lines[party].astype(float) * RED_LINE_PENALTY
    issues = np.arange(space.n_issues)
    own_bans = np.flatnonzero(space.pair_bans[:, 0] == party)

    def utility(texts: IntArray) -> FloatArray:
        batch = np.atleast_2d(np.asarray(texts, dtype=np.int64))
        value = np.asarray(space.utilities(batch))[:, party] - penalty[issues, batch].sum(axis=1)
        if own_bans.size:
            hits = space.pair_ban_hits(batch)[:, own_bans].sum(axis=1)
            value = value - RED_LINE_PENALTY * hits
        result: FloatArray = value
        return result

    return utility


def outcome_utilities(utility: BatchUtility, n_options: IntArray) -> FloatArray:
    """``utility`` of every complete text, in the order of :meth:`Domain.all_outcomes`.

    An additive utility (one carrying an ``additive_table``, as Space utilities
    do) is summed by broadcasting, issue by issue, without building the texts;
    any other is evaluated on the enumerated texts.
    """
    table = getattr(utility, "additive_table", None)
    counts = [int(n) for n in n_options]
    if table is None:
        grids = np.meshgrid(*[np.arange(n) for n in counts], indexing="ij")
        return utility(np.stack([g.ravel() for g in grids], axis=1).astype(np.int64))
    total = np.zeros(())
    for i, n in enumerate(counts):
        total = total[..., None] + table[i, :n]
    return np.ascontiguousarray(total).ravel()


def random_text(n_options: IntArray, rng: np.random.Generator) -> IntArray:
    """A uniformly random complete text."""
    return (rng.random(len(n_options)) * n_options).astype(np.int64)


class Voter(Protocol):
    """A party in a single-text protocol: says yes or no to replacing ``current`` by ``proposal``.

    ``progress`` is the share of the deadline elapsed, in [0, 1].  A voter is
    built with its own utility and random generator and sees nothing else.
    """

    name: str

    def vote(self, current: IntArray, proposal: IntArray, progress: float) -> bool: ...


@dataclass(frozen=True)
class Event:
    """One step of a run, as recorded in the trace.

    Attributes:
        round: the step number (0 = the starting text).
        actor: who acted: "mediator" or a party id.
        kind: "start", "proposal", "offer", "request", "agreement", "breakdown", "end".
        text: the text on the table after the step (option index per issue).
        proposal: the text proposed in the step, if any.
        votes: each party's vote on the proposal (True = yes), if there was a vote.
        accepted: whether the proposal became the current text.
        utilities: each party's utility of ``text``.
        note: free words (which points changed, why).
    """

    round: int
    actor: str
    kind: str
    text: tuple[int, ...]
    proposal: tuple[int, ...] | None = None
    votes: tuple[bool, ...] | None = None
    accepted: bool | None = None
    utilities: tuple[float, ...] = ()
    note: str = ""


@dataclass
class Trace:
    """The record of a run: its events in order, and the seed it ran from."""

    protocol: str
    seed: int | None
    party_ids: tuple[str, ...]
    events: list[Event] = field(default_factory=list)

    def add(self, event: Event) -> None:
        self.events.append(event)

    def to_records(self) -> list[dict[str, Any]]:
        header = {"protocol": self.protocol, "seed": self.seed, "parties": list(self.party_ids)}
        records: list[dict[str, Any]] = [header]
        for event in self.events:
            record = asdict(event)
            for key in ("text", "proposal", "votes", "utilities"):
                if record[key] is not None:
                    record[key] = list(record[key])
            records.append(record)
        return records

    def to_jsonl(self) -> str:
        return "".join(json.dumps(record) + "\n" for record in self.to_records())

    def write_jsonl(self, path: Path, *, overwrite: bool = False) -> None:
        """Write the trace as JSON Lines (a header line, then one event per line), atomically."""
        from accord.io.scenario_file import write_text_atomic

        write_text_atomic(Path(path), self.to_jsonl(), overwrite=overwrite)


def as_tuple(text: Sequence[int] | IntArray) -> tuple[int, ...]:
    return tuple(int(o) for o in text)
