"""Single negotiating text mediation (Raiffa 1982; Klein, Faratin, Sayama and Bar-Yam 2003).

A mediator holds one text.  Each round it proposes a mutation of the current
text, every party votes, and the proposal replaces the current text only when
the mediator's rule says so (for the plain mediators: when every party voted
yes).  After the last proposal the current text is the outcome.

Voters (Klein et al. 2003, "Negotiating complex contracts", *Group Decision
and Negotiation* 12:111–125):

* **hill-climber** — votes yes only when the proposal is no worse for it;
* **annealer** — also votes yes to a worse proposal, with probability
  ``exp(Δu / T)``, the temperature T falling linearly from ``T0`` to 0 over
  the run (so it explores early and hill-climbs late).

Mediators:

* **random** — changes ``k`` randomly chosen points to other random options;
  accepts when all vote yes.
* **annealing** (Klein, Faratin and Bar-Yam 2002): voters vote truthfully
  (yes = the proposal is no worse for me) and the *mediator* anneals over the
  votes: a proposal with ``n`` no-votes is still accepted with probability
  ``exp(-n / T)``, T falling linearly over the run.  Exploration is shared
  equally by construction, so no party can be exploited by another's
  willingness to accept losses.
* **annealing-graded** — the "mediator with more information" variant (a
  separately named reading, not the papers' yes/no rule): each voter reports
  its graded vote, the change Δu_p in its own utility, truthfully; the mediator
  sums the reports and accepts a proposal with ΣΔ ≥ 0, or with probability
  ``exp(ΣΔ / T)`` otherwise, T falling linearly from ``T0`` (default
  :data:`GRADED_MEDIATOR_TEMPERATURE`, the annealers' own T0) to 0.
* **informed** — accord's own: the mediator knows every party's confidential
  utility and proposes, among all single-point amendments (and, on small
  domains, all complete texts), the one that is no worse for anyone and
  raises the Nash product of gains over the starting text the most; the
  parties still vote.  When no such amendment exists it falls back to a
  random mutation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from accord.protocols.engine import (
    BatchUtility,
    Domain,
    Event,
    FloatArray,
    IntArray,
    Trace,
    Voter,
    as_tuple,
    random_text,
)

__all__ = [
    "GRADED_SETTING",
    "KLEIN_SETTINGS",
    "MEDIATOR_KINDS",
    "Annealer",
    "HillClimber",
    "MediationResult",
    "klein_domain",
    "mediate",
    "replay",
    "reproduce_klein",
]

VoterKind = Literal["hill-climber", "annealer"]
MediatorKind = Literal["random", "annealing", "annealing-graded", "informed"]
MEDIATOR_KINDS = ("random", "annealing", "annealing-graded", "informed")

#: Voter temperature at the start of a run in Klein et al.'s setting (their
#: utilities, like ours in :func:`klein_domain`, change by about ±10 per flip).
DEFAULT_TEMPERATURE = 10.0
#: Mediator temperature (in units of no-votes) at the start of a run.
DEFAULT_MEDIATOR_TEMPERATURE = 1.0
#: The graded-vote annealing mediator's starting temperature, in utility units: the
#: same T0 as the annealing voters' (fixed before any run, not tuned).
GRADED_MEDIATOR_TEMPERATURE = DEFAULT_TEMPERATURE
#: Largest domain the informed mediator enumerates completely.
INFORMED_ENUMERATION_LIMIT = 50_000


@dataclass
class HillClimber:
    """Votes yes only to proposals no worse for it than the current text."""

    utility: BatchUtility
    name: str = "hill-climber"

    def vote(self, current: IntArray, proposal: IntArray, progress: float) -> bool:
        before, after = self.utility(np.stack([current, proposal]))
        return bool(after >= before)


@dataclass
class Annealer:
    """Votes yes to a worse proposal with probability ``exp(Δu / T)``, T = T0·(1 − progress)."""

    utility: BatchUtility
    rng: np.random.Generator
    temperature: float = DEFAULT_TEMPERATURE
    name: str = "annealer"

    def vote(self, current: IntArray, proposal: IntArray, progress: float) -> bool:
        before, after = self.utility(np.stack([current, proposal]))
        delta = float(after - before)
        # Draw every time so the random stream does not depend on the outcome.
        draw = self.rng.random()
        if delta >= 0:
            return True
        temperature = self.temperature * (1.0 - progress)
        if temperature <= 0:
            return False
        return bool(draw < math.exp(delta / temperature))


@dataclass(frozen=True)
class MediationResult:
    """The outcome of a single-text mediation.

    Attributes:
        text: the final text (option index per issue).
        utilities: each party's utility of it.
        agreement: whether every party that must accept finds it acceptable.
        proposals: the number of proposals made.
        accepted: how many of them became the current text.
        trace: the full record (replayable with :func:`replay`).
        discounted_utilities: GENIUS's ``u_p · δ_p**t`` with t = 1: the text
            becomes the agreement only when the last proposal has been voted on.
    """

    text: IntArray
    utilities: FloatArray
    agreement: bool
    proposals: int
    accepted: int
    trace: Trace
    discounted_utilities: FloatArray | None = None

    @property
    def social_welfare(self) -> float:
        return float(self.utilities.sum())


def klein_domain(n_issues: int = 100, n_parties: int = 2, *, seed: int = 0,
                 scale: float = 1.0) -> Domain:
    """Klein et al.'s interdependent contracts: binary issues, ``u_p(x) = Σ_ij J_ij x_i x_j``.

    Each party's ``J`` is symmetric with entries ``(A + Aᵀ)/2``, ``A_ij ~ N(0, scale²)``
    independently per party, so the utility of one issue depends on the others
    and a text good for one party is unrelated to a text good for another.
    The disagreement point is ``-inf`` (any contract beats no contract).
    """
    rng = np.random.default_rng(seed)
    utilities: list[BatchUtility] = []
    for _ in range(n_parties):
        a = rng.normal(0.0, scale, size=(n_issues, n_issues))
        coupling = (a + a.T) / 2.0
        utilities.append(_quadratic_utility(coupling))
    return Domain(
        party_ids=tuple(f"agent{p + 1}" for p in range(n_parties)),
        n_options=np.full(n_issues, 2, dtype=np.int64),
        utilities=tuple(utilities),
        reservation=np.full(n_parties, -np.inf),
        must_accept=np.ones(n_parties, dtype=bool),
    )


def _quadratic_utility(coupling: FloatArray) -> BatchUtility:
    coupling = np.ascontiguousarray(coupling)

    def utility(texts: IntArray) -> FloatArray:
        x = np.asarray(texts, dtype=float)
        return np.einsum("ni,ij,nj->n", x, coupling, x, optimize=False)

    utility.coupling = coupling  # type: ignore[attr-defined]  # for the pure-Python baseline
    return utility


def _mutate(text: IntArray, n_options: IntArray, k: int, rng: np.random.Generator) -> IntArray:
    """Change ``k`` distinct points of ``text`` to another option each (issues with >1 option)."""
    changeable = np.flatnonzero(n_options > 1)
    proposal = text.copy()
    if changeable.size == 0:
        return proposal
    points = rng.choice(changeable, size=min(k, changeable.size), replace=False)
    for i in points:
        # An offset in 1..n-1 guarantees a different option.
        offset = 1 + int(rng.integers(int(n_options[i]) - 1))
        proposal[i] = (proposal[i] + offset) % n_options[i]
    return proposal


class _InformedProposer:
    """Proposes the amendment that is no worse for anyone and raises the Nash product most."""

    def __init__(self, domain: Domain, start: IntArray) -> None:
        self.domain = domain
        self.baseline = domain.evaluate(start)[0]
        self.complete: IntArray | None = None
        self.complete_utilities: FloatArray | None = None
        if domain.n_outcomes <= INFORMED_ENUMERATION_LIMIT:
            self.complete = domain.all_outcomes(INFORMED_ENUMERATION_LIMIT)
            self.complete_utilities = domain.evaluate(self.complete)

    def _score(self, utilities: FloatArray) -> FloatArray:
        # Log Nash product of gains over the start, smoothed so that zero gains
        # still rank (Nash 1950 with the starting text as disagreement point).
        gains = np.maximum(utilities - self.baseline, 0.0)
        return np.log(gains + 1e-9).sum(axis=-1)

    def propose(self, current: IntArray) -> IntArray | None:
        n_options = self.domain.n_options
        rows = []
        for i in np.flatnonzero(n_options > 1):
            for o in range(int(n_options[i])):
                if o != current[i]:
                    row = current.copy()
                    row[i] = o
                    rows.append(row)
        candidates = np.array(rows, dtype=np.int64).reshape(-1, len(current))
        utilities = self.domain.evaluate(candidates) if len(candidates) else np.empty((0, 0))
        if self.complete is not None and self.complete_utilities is not None:
            candidates = np.concatenate([candidates, self.complete])
            utilities = (np.concatenate([utilities, self.complete_utilities])
                         if len(utilities) else self.complete_utilities)
        now = self.domain.evaluate(current)[0]
        no_worse = (utilities >= now - 1e-12).all(axis=1)
        if not no_worse.any():
            return None
        score = self._score(utilities)
        # Tie-break by social welfare so that equal Nash products still move up.
        merit = score + 1e-9 * utilities.sum(axis=1)
        merit[~no_worse] = -np.inf
        best = int(np.argmax(merit))
        current_merit = float(self._score(now) + 1e-9 * now.sum())
        if merit[best] <= current_merit + 1e-15:
            return None
        return candidates[best]


def mediate(
    domain: Domain,
    *,
    voters: tuple[VoterKind, ...] | None = None,
    mediator: MediatorKind = "random",
    proposals: int = 1000,
    seed: int = 0,
    start: IntArray | None = None,
    points_per_proposal: int = 1,
    voter_temperature: float = DEFAULT_TEMPERATURE,
    mediator_temperature: float | None = None,
    record: bool = True,
) -> MediationResult:
    """Run single-text mediation.

    Args:
        domain: the negotiation.
        voters: one kind per party (default: all hill-climbers).  With the
            annealing mediator every voter votes truthfully whatever its kind
            (Klein et al.'s setting), so ``voters`` must be hill-climbers.
        mediator: "random", "annealing", "annealing-graded" or "informed".
        proposals: how many proposals the mediator makes (the deadline).
        seed: seeds every random choice; the same seed gives the same trace.
        start: the starting text (default: a random text drawn from the seed).
        points_per_proposal: k, the number of points a random mutation changes.
        voter_temperature: annealers' starting temperature T0.
        mediator_temperature: the annealing mediator's starting temperature
            (default :data:`DEFAULT_MEDIATOR_TEMPERATURE` no-votes for
            "annealing", :data:`GRADED_MEDIATOR_TEMPERATURE` utility units for
            "annealing-graded").
        record: keep one event per proposal in the trace (off for tournaments).
    """
    if proposals < 0:
        raise ValueError("proposals must be ≥ 0")
    kinds = voters if voters is not None else ("hill-climber",) * domain.n_parties
    if len(kinds) != domain.n_parties:
        raise ValueError(f"{domain.n_parties} parties need {domain.n_parties} voter kinds, "
                         f"got {len(kinds)}")
    if mediator not in MEDIATOR_KINDS:
        raise ValueError(f"unknown mediator {mediator!r}; expected {', '.join(MEDIATOR_KINDS)}")
    if mediator.startswith("annealing") and any(k != "hill-climber" for k in kinds):
        raise ValueError("the annealing mediator works with truthful (hill-climber) voters")
    if mediator_temperature is None:
        mediator_temperature = (GRADED_MEDIATOR_TEMPERATURE if mediator == "annealing-graded"
                                else DEFAULT_MEDIATOR_TEMPERATURE)
    rng = np.random.default_rng(seed)
    # Independent streams: the mediator's, then one per party (spawned, so a
    # change in one party's draws never shifts another's).
    mediator_rng, *party_rngs = rng.spawn(domain.n_parties + 1)
    text = (np.asarray(start, dtype=np.int64).copy() if start is not None
            else random_text(domain.n_options, mediator_rng))
    party_voters: list[Voter] = []
    for kind, utility, party_rng in zip(kinds, domain.utilities, party_rngs, strict=True):
        if kind == "hill-climber":
            party_voters.append(HillClimber(utility))
        elif kind == "annealer":
            party_voters.append(Annealer(utility, party_rng, voter_temperature))
        else:
            raise ValueError(f"unknown voter kind {kind!r}; expected hill-climber or annealer")
    informed = _InformedProposer(domain, text) if mediator == "informed" else None

    trace = Trace(protocol=f"mediate/{mediator}", seed=seed, party_ids=domain.party_ids)
    trace.add(Event(0, "mediator", "start", as_tuple(text),
                    utilities=tuple(domain.evaluate(text)[0].tolist()),
                    note=f"voters: {', '.join(kinds)}"))
    n_accepted = 0
    for step in range(proposals):
        progress = step / proposals
        proposal = informed.propose(text) if informed is not None else None
        if proposal is None:
            proposal = _mutate(text, domain.n_options, points_per_proposal, mediator_rng)
        votes = tuple(v.vote(text, proposal, progress) for v in party_voters)
        if mediator == "annealing":
            no_votes = votes.count(False)
            draw = mediator_rng.random()
            temperature = mediator_temperature * (1.0 - progress)
            accepted = no_votes == 0 or (
                temperature > 0 and draw < math.exp(-no_votes / temperature))
        elif mediator == "annealing-graded":
            # Graded votes: every voter's truthful utility change, summed by the mediator.
            before, after = domain.evaluate(np.stack([text, proposal]))
            total = float((after - before).sum())
            draw = mediator_rng.random()
            temperature = mediator_temperature * (1.0 - progress)
            accepted = total >= 0 or (temperature > 0 and draw < math.exp(total / temperature))
        else:
            accepted = all(votes)
        if accepted:
            text = proposal
            n_accepted += 1
        if record:
            trace.add(Event(step + 1, "mediator", "proposal", as_tuple(text),
                            proposal=as_tuple(proposal), votes=votes, accepted=accepted))
    utilities = domain.evaluate(text)[0]
    agreement = domain.agreement(text)
    trace.add(Event(proposals + 1, "mediator", "agreement" if agreement else "breakdown",
                    as_tuple(text), utilities=tuple(utilities.tolist())))
    return MediationResult(text=text, utilities=utilities, agreement=agreement,
                           proposals=proposals, accepted=n_accepted, trace=trace,
                           discounted_utilities=domain.discounted(utilities, 1.0))


def replay(trace: Trace) -> tuple[int, ...]:
    """The final text a recorded mediation reaches, rebuilt from its events alone.

    Starts from the "start" event's text and applies each accepted proposal;
    raises :class:`ValueError` when an event's recorded text disagrees.
    """
    text: tuple[int, ...] | None = None
    for event in trace.events:
        if event.kind == "start":
            text = event.text
        elif event.kind == "proposal":
            if text is None:
                raise ValueError("trace has a proposal before its start")
            if event.accepted:
                text = event.proposal
            if event.text != text:
                raise ValueError(f"round {event.round}: recorded text differs from the replay")
    if text is None:
        raise ValueError("trace has no start event")
    return text


#: The four settings compared by Klein et al. (2003): (voters, mediator).
KLEIN_SETTINGS: dict[str, tuple[tuple[VoterKind, VoterKind], MediatorKind]] = {
    "hill-climber + hill-climber": (("hill-climber", "hill-climber"), "random"),
    "annealer + annealer": (("annealer", "annealer"), "random"),
    "annealer + hill-climber": (("annealer", "hill-climber"), "random"),
    "annealing mediator, truthful voters": (("hill-climber", "hill-climber"), "annealing"),
}

#: The graded-vote reading of the annealing mediator, reported beside (not instead of)
#: the faithful yes/no one.
GRADED_SETTING: dict[str, tuple[tuple[VoterKind, VoterKind], MediatorKind]] = {
    "annealing mediator, graded votes": (("hill-climber", "hill-climber"), "annealing-graded"),
}


def reproduce_klein(
    seeds: range | list[int] = range(30),
    *,
    n_issues: int = 100,
    proposals: int = 1000,
    voter_temperature: float = DEFAULT_TEMPERATURE,
    mediator_temperature: float = DEFAULT_MEDIATOR_TEMPERATURE,
    graded_temperature: float = GRADED_MEDIATOR_TEMPERATURE,
    graded: bool = False,
) -> dict[str, FloatArray]:
    """Final utilities ``(len(seeds), 2)`` per setting of :data:`KLEIN_SETTINGS`
    (and of :data:`GRADED_SETTING` with ``graded=True``).

    Seed ``s`` draws both the domain (:func:`klein_domain`) and the run, and
    every setting sees the same domain and starting text for a given seed, so
    differences between settings can be compared seed by seed (paired).
    """
    settings = {**KLEIN_SETTINGS, **(GRADED_SETTING if graded else {})}
    results: dict[str, list[FloatArray]] = {name: [] for name in settings}
    for seed in seeds:
        domain = klein_domain(n_issues, 2, seed=seed)
        start = random_text(domain.n_options, np.random.default_rng([seed, 1]))
        for name, (kinds, mediator) in settings.items():
            run = mediate(domain, voters=kinds, mediator=mediator, proposals=proposals,
                          seed=seed, start=start, voter_temperature=voter_temperature,
                          mediator_temperature=(graded_temperature
                                                if mediator == "annealing-graded"
                                                else mediator_temperature), record=False)
            results[name].append(run.utilities)
    return {name: np.array(values) for name, values in results.items()}
