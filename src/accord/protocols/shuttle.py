"""Shuttle mediation of a single negotiating text (Raiffa 1982, ch. 14; Kissinger's 1974–75 shuttles).

The mediator holds a text (for the flagship example, the 28-point plan) and
meets the parties one at a time in a given order.  At each meeting the party
asks for the changes it values most — single-point amendments ranked by its
own utility gain — within a concession schedule: at meeting ``t`` of ``T`` it
asks for at most ``ceil(max_asks · (1 − t/T))`` changes (at least one), so
demands narrow as the deadline nears (the linear tactic of Faratin, Sierra and
Jennings 1998 applied to the number of demands).  The mediator grants a
requested change when it keeps every other party that must accept within
reach — its utility stays at or above its reservation value and no red line
is crossed, or it was already below and does not lose — or when it raises the
Nash product of gains over the reservation values.  Talks stop after a full
round of meetings with no change granted, or at the deadline.

The output is the sequence of versions (one per meeting), each comparable
point by point with the real texts of the scenario.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.protocols.engine import (
    Domain,
    Event,
    FloatArray,
    IntArray,
    Trace,
    as_tuple,
)
from accord.space import UNRESOLVED

__all__ = ["ShuttleResult", "TextMatch", "compare_versions", "shuttle"]


@dataclass(frozen=True)
class ShuttleResult:
    """A shuttle run.

    Attributes:
        versions: ``(V, I)`` the text after each meeting (row 0 = the start).
        visited: ``(V,)`` the party index met to produce each version (-1 for the start).
        granted: per version, the issue indices changed at that meeting.
        utilities: ``(V, P)`` every party's utility of each version.
        agreement: whether the final version is acceptable to all who must accept.
        trace: the record of requests and decisions.
    """

    versions: IntArray
    visited: tuple[int, ...]
    granted: tuple[tuple[int, ...], ...]
    utilities: FloatArray
    agreement: bool
    trace: Trace

    @property
    def final(self) -> IntArray:
        return self.versions[-1]


def _nash_score(utilities: FloatArray, reservation: FloatArray) -> FloatArray:
    gains = np.maximum(utilities - reservation, 0.0)
    return np.log(gains + 1e-9).sum(axis=-1)


def shuttle(
    domain: Domain,
    start: IntArray,
    order: Sequence[int],
    *,
    rounds: int = 6,
    max_asks: int = 3,
    seed: int | None = None,
) -> ShuttleResult:
    """Run shuttle mediation from ``start``, meeting the parties in ``order`` each round.

    Args:
        domain: the negotiation (a Space domain prices red lines in).
        start: the mediator's opening text (complete).
        order: the party indices met in each round, in order.
        rounds: the deadline, in rounds of meetings.
        max_asks: the most changes a party asks for at its first meeting.
        seed: recorded in the trace; the protocol itself is deterministic.
    """
    text = np.asarray(start, dtype=np.int64).copy()
    if (text < 0).any():
        raise ValueError("the starting text must be complete (no unresolved points)")
    if not order:
        raise ValueError("meet at least one party")
    reservation = np.where(np.isfinite(domain.reservation), domain.reservation, 0.0)
    must = domain.must_accept
    total_meetings = rounds * len(order)
    trace = Trace(protocol="shuttle", seed=seed, party_ids=domain.party_ids)
    versions = [text.copy()]
    visited = [-1]
    granted: list[tuple[int, ...]] = [()]
    trace.add(Event(0, "mediator", "start", as_tuple(text),
                    utilities=tuple(domain.evaluate(text)[0].tolist())))
    meeting = 0
    idle_meetings = 0
    while meeting < total_meetings and idle_meetings < len(order):
        party = order[meeting % len(order)]
        asks = max(1, math.ceil(max_asks * (1 - meeting / total_meetings)))
        changed: list[int] = []
        for _ in range(asks):
            request = _best_request(domain, text, party, exclude=changed)
            if request is None:
                break
            issue, option = request
            proposal = text.copy()
            proposal[issue] = option
            before, after = domain.evaluate(np.stack([text, proposal]))
            others = [q for q in range(domain.n_parties) if q != party and must[q]]
            # Utilities without red lines lie in [0, 1] and each red line costs
            # RED_LINE_PENALTY, so "at or above the reservation value" also
            # means "no red line crossed".
            within_reach = all(after[q] >= reservation[q] - 1e-12
                               or after[q] >= before[q] - 1e-12 for q in others)
            # The Nash rule only speaks when everyone who must accept gains.
            everyone_gains = bool((after[must] > reservation[must]).all())
            raises_nash = everyone_gains and (_nash_score(after, reservation)
                                              > _nash_score(before, reservation))
            accepted = within_reach or bool(raises_nash)
            trace.add(Event(meeting + 1, domain.party_ids[party], "request", as_tuple(text),
                            proposal=as_tuple(proposal), accepted=accepted,
                            note=f"issue {issue} -> option {option}"))
            if accepted:
                text = proposal
                changed.append(issue)
            else:
                # A refused request is not asked again at this meeting.
                changed.append(issue)
        granted_now = tuple(i for i in changed if versions[-1][i] != text[i])
        idle_meetings = 0 if granted_now else idle_meetings + 1
        meeting += 1
        versions.append(text.copy())
        visited.append(party)
        granted.append(granted_now)
        trace.add(Event(meeting, domain.party_ids[party], "version", as_tuple(text),
                        utilities=tuple(domain.evaluate(text)[0].tolist()),
                        note=f"granted issues {list(granted_now)}"))
    stack = np.array(versions)
    agreement = domain.agreement(text)
    trace.add(Event(meeting + 1, "mediator", "agreement" if agreement else "breakdown",
                    as_tuple(text), utilities=tuple(domain.evaluate(text)[0].tolist())))
    return ShuttleResult(versions=stack, visited=tuple(visited), granted=tuple(granted),
                         utilities=domain.evaluate(stack), agreement=agreement, trace=trace)


def _best_request(domain: Domain, text: IntArray, party: int,
                  exclude: Sequence[int]) -> tuple[int, int] | None:
    """The single-point change the party gains most from (None when none gains)."""
    rows, moves = [], []
    for i in range(domain.n_issues):
        if i in exclude:
            continue
        for o in range(int(domain.n_options[i])):
            if o != text[i]:
                row = text.copy()
                row[i] = o
                rows.append(row)
                moves.append((i, o))
    if not rows:
        return None
    utility = domain.utilities[party]
    gains = utility(np.array(rows)) - utility(text[None, :])[0]
    best = int(np.argmax(gains))
    return moves[best] if gains[best] > 1e-12 else None


@dataclass(frozen=True)
class TextMatch:
    """How a simulated version compares, point by point, with a real text.

    Attributes:
        text: index of the real text.
        resolved: the issues the real text settles.
        matches: ``(V,)`` per version, how many of those issues it settles the same way.
        best_version: the version matching most points (earliest on ties).
    """

    text: int
    resolved: tuple[int, ...]
    matches: tuple[int, ...]
    best_version: int


def compare_versions(versions: IntArray, texts: IntArray, which: Sequence[int]) -> list[TextMatch]:
    """Point-by-point agreement of each version with each real text in ``which``."""
    result = []
    for t in which:
        real = texts[t]
        resolved = np.flatnonzero(real != UNRESOLVED)
        matches = (versions[:, resolved] == real[resolved]).sum(axis=1)
        result.append(TextMatch(text=int(t), resolved=tuple(int(i) for i in resolved),
                                matches=tuple(int(m) for m in matches),
                                best_version=int(np.argmax(matches))))
    return result
