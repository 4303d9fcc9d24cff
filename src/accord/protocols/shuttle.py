"""Shuttle mediation of a single negotiating text (Raiffa 1982, ch. 14; Kissinger's 1974–75 shuttles).

The mediator holds a text (for the flagship example, the 28-point plan) and
meets the parties one at a time in a given order — the parties that must
accept and, if the order names them, backers too (their requests are judged
by the same rule).  Meeting ``t`` of ``T``:

1. **The party asks** for the changes it values most, highest first: per
   point, the option it gains most from, points ranked by that gain, at most
   ``ceil(max_asks · (1 − t/T))`` of them (at least one) — the linear tactic
   of Faratin, Sierra and Jennings (1998) applied to the number of demands, so
   demands narrow as the deadline nears.
2. **The mediator grants** a requested change when it keeps every *other*
   party that must accept within reach — the best that party can still get
   from the text, its open points closed its way, stays at or above its
   reservation value with no red line crossed, or does not fall — or when it
   raises the Nash product of those best-case gains over the reservation values
   with every such party gaining.
   A change once granted is secured: no later request reopens it.
3. **Or brackets the point** (``bracket=True``): a refused change on a point
   the party cannot live with — without it the party's own best case is below
   its reservation value — is neither granted nor refused but left open for
   the leaders, as the Geneva revision did with territory and NATO.  An open
   point is valued by each party at its best option (the point is "within
   reach" of everyone), and a party never asks about an open point.

Talks stop when a complete text is acceptable to every party that must
accept, after a full round of meetings with nothing granted or bracketed, or at
the deadline.  Then, if points are open and ``close=True``, the mediator
closes them at a summit: among every completion of the open points (when
there are at most :data:`CLOSING_LIMIT`) it picks the one acceptable to all
that must accept with the largest Nash product over the reservation values;
if there is none, talks break down with the points still open.

The output is the sequence of versions (one per meeting, open points as
``UNRESOLVED``), comparable point by point with the real texts of the scenario
(:func:`compare_versions`).  The protocol is deterministic: the seed is only
recorded.
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

__all__ = ["CLOSING_LIMIT", "ShuttleResult", "TextMatch", "compare_versions", "shuttle"]

#: Most completions of the open points the closing summit enumerates.
CLOSING_LIMIT = 200_000


@dataclass(frozen=True)
class ShuttleResult:
    """A shuttle run.

    Attributes:
        versions: ``(V, I)`` the text after each meeting (row 0 = the start;
            ``UNRESOLVED`` = bracketed), and after the closing summit if any.
        visited: ``(V,)`` the party index met to produce each version (-1 for
            the start and the summit).
        granted: per version, the issue indices changed at that meeting.
        bracketed: per version, the issue indices left open at that meeting.
        utilities: ``(V, P)`` every party's best-case utility of each version
            (open points closed its way; for complete versions, its utility).
        agreement: whether the final version is complete and acceptable to all who must accept.
        closed: whether the final version came from the closing summit.
        trace: the record of requests and decisions.
    """

    versions: IntArray
    visited: tuple[int, ...]
    granted: tuple[tuple[int, ...], ...]
    bracketed: tuple[tuple[int, ...], ...]
    utilities: FloatArray
    agreement: bool
    closed: bool
    trace: Trace

    @property
    def final(self) -> IntArray:
        return self.versions[-1]


def _nash_score(utilities: FloatArray, reservation: FloatArray) -> FloatArray:
    gains = np.maximum(utilities - reservation, 0.0)
    return np.log(gains + 1e-9).sum(axis=-1)


def best_case(domain: Domain, text: IntArray, party: int) -> tuple[float, IntArray]:
    """The party's utility with the open points of ``text`` closed its way, and that completion.

    Open points are closed one at a time, each to the party's best option given
    the others (exact for additive utilities; one pass of coordinate ascent
    otherwise).  ``text`` holds a fallback option on open points, marked by
    the caller; here open points are the ``UNRESOLVED`` entries.
    """
    utility = domain.utilities[party]
    completion = np.where(text == UNRESOLVED, 0, text).astype(np.int64)
    for i in np.flatnonzero(text == UNRESOLVED):
        rows = np.repeat(completion[None, :], int(domain.n_options[i]), axis=0)
        rows[:, i] = np.arange(int(domain.n_options[i]))
        completion[i] = int(np.argmax(utility(rows)))
    return float(utility(completion[None, :])[0]), completion


def _reach(domain: Domain, text: IntArray) -> FloatArray:
    return np.array([best_case(domain, text, p)[0] for p in range(domain.n_parties)])


def shuttle(
    domain: Domain,
    start: IntArray,
    order: Sequence[int],
    *,
    rounds: int = 6,
    max_asks: int = 3,
    bracket: bool = True,
    close: bool = True,
    seed: int | None = None,
) -> ShuttleResult:
    """Run shuttle mediation from ``start``, meeting the parties in ``order`` each round.

    Args:
        domain: the negotiation (a Space domain prices red lines in).
        start: the mediator's opening text (complete).
        order: the party indices met in each round, in order (backers allowed).
        rounds: the deadline, in rounds of meetings.
        max_asks: the most changes a party asks for at its first meeting.
        bracket: leave a refused point open when the party cannot live with it.
        close: close open points at a summit after the meetings.
        seed: recorded in the trace; the protocol itself is deterministic.
    """
    text = np.asarray(start, dtype=np.int64).copy()
    if (text < 0).any():
        raise ValueError("the starting text must be complete (no unresolved points)")
    if not order:
        raise ValueError("meet at least one party")
    if rounds < 1 or max_asks < 1:
        raise ValueError("rounds and max_asks must be ≥ 1")
    reservation = np.where(np.isfinite(domain.reservation), domain.reservation, -1e9)
    must = domain.must_accept
    total_meetings = rounds * len(order)
    trace = Trace(protocol="shuttle", seed=seed, party_ids=domain.party_ids)
    versions = [text.copy()]
    visited = [-1]
    granted: list[tuple[int, ...]] = [()]
    bracketed: list[tuple[int, ...]] = [()]
    trace.add(Event(0, "mediator", "start", as_tuple(text),
                    utilities=tuple(_reach(domain, text).tolist())))

    def settled_agreement(candidate: IntArray) -> bool:
        return bool((candidate >= 0).all()) and domain.agreement(candidate)

    # A change a party has secured is not reopened: later requests never undo it.
    secured: set[int] = set()
    meeting = 0
    idle_meetings = 0
    while (meeting < total_meetings and idle_meetings < len(order)
           and not settled_agreement(text)):
        party = order[meeting % len(order)]
        asks = max(1, math.ceil(max_asks * (1 - meeting / total_meetings)))
        others = [q for q in range(domain.n_parties) if q != party and must[q]]
        changed: list[int] = []
        opened: list[int] = []
        requests = [r for r in _requests(domain, text, party) if r[0] not in secured]
        for issue, option in requests[:asks]:
            proposal = text.copy()
            proposal[issue] = option
            before, after = _reach(domain, text), _reach(domain, proposal)
            # Utilities without red lines lie in [0, 1] and each red line costs
            # RED_LINE_PENALTY, so "at or above the reservation value" also
            # means "no red line crossed".
            within_reach = all(after[q] >= reservation[q] - 1e-12
                               or after[q] >= before[q] - 1e-12 for q in others)
            # The Nash rule only speaks when everyone who must accept gains.
            everyone_gains = bool((after[must] > reservation[must]).all())
            raises_nash = everyone_gains and bool(_nash_score(after[must], reservation[must])
                                                  > _nash_score(before[must], reservation[must]))
            accepted = within_reach or raises_nash
            # The party cannot live with the point as it stands: its best case is
            # below its reservation value, and this change is what it values most.
            stuck = before[party] < reservation[party] - 1e-12
            if accepted:
                text = proposal
                changed.append(issue)
                secured.add(issue)
                outcome = "granted"
            elif bracket and stuck:
                text[issue] = UNRESOLVED
                opened.append(issue)
                outcome = "bracketed"
            else:
                outcome = "refused"
            trace.add(Event(meeting + 1, domain.party_ids[party], "request", as_tuple(text),
                            proposal=as_tuple(proposal), accepted=accepted,
                            note=f"issue {issue} -> option {option}: {outcome}"))
        idle_meetings = 0 if changed or opened else idle_meetings + 1
        meeting += 1
        versions.append(text.copy())
        visited.append(party)
        granted.append(tuple(changed))
        bracketed.append(tuple(opened))
        trace.add(Event(meeting, domain.party_ids[party], "version", as_tuple(text),
                        utilities=tuple(_reach(domain, text).tolist()),
                        note=f"granted issues {changed}; bracketed issues {opened}"))
    closed = False
    if close and (text == UNRESOLVED).any():
        summit = _close(domain, text, reservation)
        note = "no completion of the open points is acceptable to all"
        if summit is not None:
            text, closed = summit, True
            note = "open points closed at the summit"
            versions.append(text.copy())
            visited.append(-1)
            granted.append(tuple(int(i) for i in np.flatnonzero(versions[-2] == UNRESOLVED)))
            bracketed.append(())
        trace.add(Event(meeting + 1, "mediator", "summit", as_tuple(text), note=note))
    stack = np.array(versions)
    agreement = settled_agreement(text)
    trace.add(Event(meeting + 1, "mediator", "agreement" if agreement else "breakdown",
                    as_tuple(text), utilities=tuple(_reach(domain, text).tolist())))
    return ShuttleResult(versions=stack, visited=tuple(visited), granted=tuple(granted),
                         bracketed=tuple(bracketed),
                         utilities=np.array([_reach(domain, v) for v in stack]),
                         agreement=agreement, closed=closed, trace=trace)


def _requests(domain: Domain, text: IntArray, party: int) -> list[tuple[int, int]]:
    """The party's requests, most valued first: per settled point, its best change (gain > 0)."""
    rows, moves = [], []
    for i in np.flatnonzero(text != UNRESOLVED):
        for o in range(int(domain.n_options[i])):
            if o != text[i]:
                row = text.copy()
                row[i] = o
                rows.append(row)
                moves.append((int(i), o))
    if not rows:
        return []
    base, _ = best_case(domain, text, party)
    gains = np.array([best_case(domain, row, party)[0] for row in rows]) - base
    best: dict[int, tuple[float, int]] = {}
    for (issue, option), gain in zip(moves, gains.tolist(), strict=True):
        if gain > 1e-12 and (issue not in best or gain > best[issue][0]):
            best[issue] = (gain, option)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
    return [(issue, option) for issue, (_, option) in ranked]


def _close(domain: Domain, text: IntArray, reservation: FloatArray) -> IntArray | None:
    """The completion of the open points acceptable to all who must accept, with the best Nash product."""
    open_points = np.flatnonzero(text == UNRESOLVED)
    counts = [int(domain.n_options[i]) for i in open_points]
    if math.prod(counts) > CLOSING_LIMIT:
        return None
    grids = np.meshgrid(*[np.arange(n) for n in counts], indexing="ij")
    completions = np.repeat(text[None, :], math.prod(counts), axis=0)
    completions[:, open_points] = np.stack([g.ravel() for g in grids], axis=1)
    ok = domain.acceptable(completions)[:, domain.must_accept].all(axis=1)
    if not ok.any():
        return None
    must = domain.must_accept
    scores = _nash_score(domain.evaluate(completions)[:, must], reservation[must])
    scores[~ok] = -np.inf
    return completions[int(np.argmax(scores))]


@dataclass(frozen=True)
class TextMatch:
    """How a simulated version compares, point by point, with a real text.

    Attributes:
        text: index of the real text.
        resolved: the issues the real text settles.
        matches: ``(V,)`` per version, how many of those issues it settles the same way.
        matches_all: ``(V,)`` per version, how many of *all* points agree —
            the same option, or both left open.
        best_version: the version matching most points over all points (earliest on ties).
    """

    text: int
    resolved: tuple[int, ...]
    matches: tuple[int, ...]
    matches_all: tuple[int, ...]
    best_version: int


def compare_versions(versions: IntArray, texts: IntArray, which: Sequence[int]) -> list[TextMatch]:
    """Point-by-point agreement of each version with each real text in ``which``."""
    result = []
    for t in which:
        real = texts[t]
        resolved = np.flatnonzero(real != UNRESOLVED)
        matches = (versions[:, resolved] == real[resolved]).sum(axis=1)
        matches_all = (versions == real[None, :]).sum(axis=1)
        result.append(TextMatch(text=int(t), resolved=tuple(int(i) for i in resolved),
                                matches=tuple(int(m) for m in matches),
                                matches_all=tuple(int(m) for m in matches_all),
                                best_version=int(np.argmax(matches_all))))
    return result
