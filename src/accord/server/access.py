"""Who may see what: the one module that decides every read of the service.

Every response, event, error and export passes through a function here.  The
rules (``docs/explanation/confidentiality.md`` tells why):

* A **non-member** learns nothing, not even that a negotiation exists: 404.
* An **observer** sees the public record: structure, published texts,
  published statements and meetings, declared agreements.
* A **delegate** of party P sees the public record, its own party's
  preferences, votes, amendments, comments and acceptances, comments addressed
  to every participant, and analyses computed from P's preferences alone (its
  own utilities, verdicts and blockers).  Never another party's anything.
* A **mediator** sees the public record, every party's votes, amendments and
  comments to mediators, the mediators' own estimates, and each party's
  submitted preferences as that party chose: ``full`` (the numbers, and
  analyses with the numbers), ``analysis-only`` (analyses computed from them —
  feasible or not, which points block, suggested packages — with every number
  derived from that party's preferences removed), or ``none`` (not used at
  all: the analysis uses the mediators' estimate for that party, labelled as
  such, if there is one).  Never a party's acceptances.
* **Acceptances** are seen by their own party alone, until every party that
  must accept has marked the same package; then the agreement is public.

State changes are recorded in *streams*, each seen whole by one audience
(:func:`visible_streams`): ``public``; ``participants`` (mediators and
delegates); ``mediators``; ``party:P`` (P's delegates and the mediators);
``private:P`` (P's delegates only).  A viewer therefore never sees a gap in a
sequence number that would betray something hidden from it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accord.errors import Problem
from accord.server.errors import ApiError

__all__ = [
    "DELEGATE",
    "MEDIATOR",
    "OBSERVER",
    "PUBLIC",
    "VISIBILITIES",
    "ProfileEntry",
    "Viewer",
    "delegate_profile",
    "mediator_profile",
    "visible_streams",
]

MEDIATOR = "mediator"
DELEGATE = "delegate"
OBSERVER = "observer"
ROLES = (MEDIATOR, DELEGATE, OBSERVER)

FULL = "full"
ANALYSIS_ONLY = "analysis-only"
NONE = "none"
VISIBILITIES = (FULL, ANALYSIS_ONLY, NONE)

PUBLIC = "public"
PARTICIPANTS = "participants"
MEDIATORS = "mediators"

SUBMITTED = "submitted"
ESTIMATE = "estimate"


def party_stream(party: str) -> str:
    """What a party and the mediators share (votes, amendments, comments to mediators)."""
    return f"party:{party}"


def private_stream(party: str) -> str:
    """What a party's delegates alone see (acceptances)."""
    return f"private:{party}"


@dataclass(frozen=True)
class Viewer:
    """An account as one negotiation sees it (``role`` None: not a member)."""

    account_id: int | None
    role: str | None
    party: str | None = None
    is_admin: bool = False

    @property
    def is_member(self) -> bool:
        return self.role in ROLES

    @property
    def is_mediator(self) -> bool:
        return self.role == MEDIATOR

    @property
    def is_delegate(self) -> bool:
        return self.role == DELEGATE

    def is_delegate_of(self, party: str | None) -> bool:
        return self.role == DELEGATE and party is not None and self.party == party

    @property
    def cache_key(self) -> tuple[str | None, str | None]:
        """Viewers with equal keys are shown exactly the same thing."""
        return (self.role, self.party if self.role == DELEGATE else None)


# -- membership and roles --------------------------------------------------------------

NOT_FOUND = "no negotiation with this id (or you are not a member of it)"


def require_member(viewer: Viewer) -> None:
    """A non-member gets the same 404 as for a negotiation that does not exist."""
    if not viewer.is_member:
        raise ApiError(404, NOT_FOUND)


def require_mediator(viewer: Viewer, action: str) -> None:
    require_member(viewer)
    if not viewer.is_mediator:
        raise ApiError(403, f"only the negotiation's mediators may {action}")


def require_delegate(viewer: Viewer, action: str, party: str | None = None) -> str:
    """The viewer's party, when it is a delegate (of ``party``, if given)."""
    require_member(viewer)
    if not viewer.is_delegate or viewer.party is None:
        raise ApiError(403, f"only a party's delegates may {action}")
    if party is not None and party != viewer.party:
        raise ApiError(
            403, f"you are a delegate of {viewer.party!r}; only {party!r}'s delegates may {action}"
        )
    return viewer.party


def require_participant(viewer: Viewer, action: str) -> None:
    require_member(viewer)
    if viewer.role not in (MEDIATOR, DELEGATE):
        raise ApiError(403, f"observers see the public record only; they may not {action}")


def visible_streams(viewer: Viewer, party_ids: Iterable[str]) -> list[str]:
    """Every stream the viewer sees whole, in a fixed order."""
    if not viewer.is_member:
        return []
    streams = [PUBLIC]
    if viewer.is_mediator:
        streams += [PARTICIPANTS, MEDIATORS] + [party_stream(p) for p in sorted(party_ids)]
    elif viewer.is_delegate and viewer.party is not None:
        streams += [PARTICIPANTS, party_stream(viewer.party), private_stream(viewer.party)]
    return streams


def stream_visible(viewer: Viewer, stream: str, party_ids: Iterable[str]) -> bool:
    return stream in visible_streams(viewer, party_ids)


def addresses_visible(viewer: Viewer) -> bool:
    """Network addresses in the audit log are shown to mediators only."""
    return viewer.is_mediator


# -- preferences -------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileEntry:
    """Where one party's preferences in an analysis come from, and whether its numbers may be shown."""

    party: str
    source: str  # "submitted" or "estimate"
    visibility: str | None  # the party's choice, for submitted preferences
    numbers_visible: bool

    def as_dict(self) -> dict[str, Any]:
        label = (
            "the party's own submitted preferences"
            if self.source == SUBMITTED
            else "the mediators' estimate (not the party's own numbers)"
        )
        return {
            "source": self.source,
            "visibility": self.visibility,
            "numbers_visible": self.numbers_visible,
            "label": label,
        }


@dataclass(frozen=True)
class PreferenceInput:
    """A stored preference record, as the rules need it."""

    party: str
    kind: str  # submitted or estimate
    visibility: str
    data: Mapping[str, Any]


def may_read_preferences(viewer: Viewer, record: PreferenceInput) -> bool:
    """The numbers themselves: the party's own delegates; mediators for ``full`` or their own estimates."""
    if record.kind == ESTIMATE:
        return viewer.is_mediator
    return viewer.is_delegate_of(record.party) or (viewer.is_mediator and record.visibility == FULL)


def may_know_submission(viewer: Viewer, party: str) -> bool:
    """Whether (and when, with which visibility) a party submitted: the party and the mediators."""
    return viewer.is_mediator or viewer.is_delegate_of(party)


def mediator_profile(
    records: Iterable[PreferenceInput],
) -> tuple[dict[str, Mapping[str, Any]], dict[str, ProfileEntry]]:
    """The preferences a mediators' analysis may use, and where each comes from.

    A party's submitted preferences are used unless the party chose ``none``;
    otherwise the mediators' estimate for it is used, if there is one.
    """
    records = list(records)
    submitted = {r.party: r for r in records if r.kind == SUBMITTED}
    estimates = {r.party: r for r in records if r.kind == ESTIMATE}
    chosen: dict[str, Mapping[str, Any]] = {}
    profile: dict[str, ProfileEntry] = {}
    for party in sorted(set(submitted) | set(estimates)):
        own = submitted.get(party)
        if own is not None and own.visibility != NONE:
            chosen[party] = own.data
            profile[party] = ProfileEntry(party, SUBMITTED, own.visibility, own.visibility == FULL)
        elif party in estimates:
            chosen[party] = estimates[party].data
            profile[party] = ProfileEntry(party, ESTIMATE, None if own is None else own.visibility, True)
    return chosen, profile


def delegate_profile(records: Iterable[PreferenceInput], party: str) -> dict[str, Mapping[str, Any]]:
    """A delegate's analysis uses its own party's submitted preferences and nothing else."""
    return {r.party: r.data for r in records if r.kind == SUBMITTED and r.party == party}


# -- objects -----------------------------------------------------------------------------


def comment_stream(audience: str, party: str | None) -> str:
    if audience == PARTICIPANTS:
        return PARTICIPANTS
    return MEDIATORS if party is None else party_stream(party)


def comment_visible(viewer: Viewer, audience: str, party: str | None) -> bool:
    if viewer.is_mediator:
        return True
    if not viewer.is_delegate:
        return False
    return audience == PARTICIPANTS or viewer.is_delegate_of(party)


def party_object_visible(viewer: Viewer, party: str) -> bool:
    """Votes and amendments: the party's delegates and the mediators."""
    return viewer.is_mediator or viewer.is_delegate_of(party)


def acceptance_visible(viewer: Viewer, party: str) -> bool:
    """A blind acceptance: its own party's delegates alone (not even the mediators)."""
    return viewer.is_delegate_of(party)


def record_visible(viewer: Viewer, published: bool) -> bool:
    """Statements and meetings: published ones are public, the rest are the mediators' notes."""
    return viewer.is_member and (published or viewer.is_mediator)


# -- problems (validation errors) ---------------------------------------------------------


def redact_problems(
    problems: Sequence[Problem], viewer: Viewer, readable: Mapping[str, bool]
) -> list[Problem]:
    """Problems located in preferences the viewer may not read become one number-free problem each.

    ``readable`` maps each party with stored preferences to whether the viewer
    may read them; a message such as ``preferences.ua.red_lines.donetsk:
    unknown option …`` would otherwise tell a mediator one of Ukraine's red lines.
    """
    kept: list[Problem] = []
    hidden: list[str] = []
    for problem in problems:
        party = _preferences_party(problem.path)
        if party is not None and not readable.get(party, False):
            if party not in hidden:
                hidden.append(party)
            continue
        kept.append(problem)
    for party in hidden:
        kept.append(
            Problem(
                problems[0].file if problems else "",
                f"preferences.{party}",
                f"the change would make party {party!r}'s submitted preferences invalid "
                "(they refer to something it removes or changes); its delegates must "
                "revise them first",
            )
        )
    return kept


def _preferences_party(path: str) -> str | None:
    if not path.startswith("preferences."):
        return None
    rest = path[len("preferences.") :]
    return rest.split(".", 1)[0].split("[", 1)[0] or None


# -- analysis results, for a mediator ---------------------------------------------------------
# Each function takes the library's JSON form of a result (accord.report.*_to_dict) and the set
# of parties whose numbers must not be shown, and returns a copy without them.


_NUMBER_FREE = {
    "below_reservation": "utility is below its reservation value",
    "may_fall_below_reservation": "utility may fall below its reservation value, depending on how "
    "open points close",
}


def _null(values: Any, hidden: set[str]) -> Any:
    if not isinstance(values, Mapping):
        return values
    return {k: (None if k in hidden else v) for k, v in values.items()}


def redact_verdict(verdict: Mapping[str, Any]) -> dict[str, Any]:
    """A verdict with the party's numbers removed: acceptable or not, reasons, blocking points."""
    reasons = []
    for reason in verdict.get("reasons", []):
        entry = {k: v for k, v in reason.items() if k not in {"utility", "shortfall"}}
        if reason.get("kind") in _NUMBER_FREE:
            entry["message"] = _NUMBER_FREE[reason["kind"]]
        reasons.append(entry)
    out: dict[str, Any] = {
        "utility": None,
        "acceptable": verdict.get("acceptable"),
        "reasons": reasons,
        "reservation": None,
        "must_accept": verdict.get("must_accept"),
        "numbers_hidden": True,
    }
    blockers = verdict.get("blockers")
    if blockers is not None:

        def move(m: Mapping[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in m.items() if k != "gain"}

        # The ranking is by gain; re-sorted by point so that the order reveals no gains either.
        ranking = sorted(
            (move(m) for m in blockers.get("ranking", [])),
            key=lambda m: (not m.get("required"), str(m.get("issue"))),
        )
        out["blockers"] = {
            "ranking": ranking,
            "smallest_fix": sorted(
                (move(m) for m in blockers.get("smallest_fix", [])), key=lambda m: str(m.get("issue"))
            ),
            "achievable": blockers.get("achievable"),
            "best_utility": None,
        }
    return out


def redact_evaluation(evaluation: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    parties = {
        pid: (redact_verdict(v) if pid in hidden else {**v, "numbers_hidden": False})
        for pid, v in evaluation.get("parties", {}).items()
    }
    return {**evaluation, "parties": parties}


def redact_frontier(frontier: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    parties = list(frontier.get("parties", []))
    masked = [k for k, p in enumerate(parties) if p in hidden]
    if not masked:
        return dict(frontier)
    points = []
    for point in frontier.get("points", []):
        utilities = [None if k in masked else u for k, u in enumerate(point.get("utilities", []))]
        points.append({**point, "utilities": utilities})
    # The library sorts by the first party's utility: re-sort by what may be shown.
    points.sort(
        key=lambda p: (
            [u for u in p["utilities"] if u is not None],
            json.dumps(p.get("positions"), sort_keys=True),
        )
    )
    return {**frontier, "points": points}


def redact_feasibility(result: Mapping[str, Any] | None, hidden: set[str]) -> dict[str, Any] | None:
    if result is None:
        return None
    out = dict(result)
    if hidden & set(result.get("must_accept", [])):
        out["margin"] = None  # the worst party's margin could be a hidden party's own
    out["margins"] = _null(result.get("margins"), hidden)
    out["lower_reservation_by"] = _null(result.get("lower_reservation_by"), hidden)
    return out


def redact_solutions(result: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    involved = bool(hidden & set(result.get("parties", [])))
    out = dict(result)
    for key in ("disagreement", "ideal", "text_utilities"):
        out[key] = _null(result.get(key), hidden)
    solutions = {}
    for name, solution in result.get("solutions", {}).items():
        entry = {**solution, "utilities": _null(solution.get("utilities"), hidden)}
        if involved:
            entry["value"] = None
        solutions[name] = entry
    out["solutions"] = solutions
    if "feasibility" in result:
        out["feasibility"] = redact_feasibility(result["feasibility"], hidden)
    return out


def _redact_amendment(
    amendment: Mapping[str, Any] | None, hidden: set[str], involved: bool
) -> dict[str, Any] | None:
    if amendment is None:
        return None
    out = {
        **amendment,
        "utilities": _null(amendment.get("utilities"), hidden),
        "margins": _null(amendment.get("margins"), hidden),
    }
    if involved:
        out["nash_product"] = None
    return out


def redact_amendment(result: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    involved = bool(hidden & set(result.get("must_accept", [])))
    return {
        **result,
        "smallest": _redact_amendment(result.get("smallest"), hidden, involved),
        "alternatives": [_redact_amendment(a, hidden, involved) for a in result.get("alternatives", [])],
        "closest_miss": redact_feasibility(result.get("closest_miss"), hidden),
        "best_with_fewer_changes": redact_feasibility(result.get("best_with_fewer_changes"), hidden),
    }


def redact_improvement(result: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    return {
        **result,
        "baseline": _null(result.get("baseline"), hidden),
        "improvements": [
            {
                **item,
                "utilities": _null(item.get("utilities"), hidden),
                "gains": _null(item.get("gains"), hidden),
            }
            for item in result.get("improvements", [])
        ],
    }


def redact_chances(result: Mapping[str, Any] | None, hidden: set[str]) -> dict[str, Any] | None:
    if result is None:
        return None
    texts = []
    for text in result.get("texts", []):
        parties = {
            pid: ({**v, "margin": None} if pid in hidden else v) for pid, v in text.get("parties", {}).items()
        }
        texts.append({**text, "parties": parties})
    return {**result, "texts": texts}


def redact_diff(diff: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    parties = {
        pid: ({"before": None, "after": None, "gain": None} if pid in hidden else v)
        for pid, v in diff.get("parties", {}).items()
    }
    out = {**diff, "parties": parties}
    if hidden & set(diff.get("parties", {})):
        # The library's summary names each party's gain; say only what moved.
        kinds: dict[str, int] = {}
        for change in diff.get("changes", []):
            kinds[change.get("kind", "changed")] = kinds.get(change.get("kind", "changed"), 0) + 1
        out["summary"] = ", ".join(f"{n} {k}" for k, n in kinds.items()) or "no points changed"
    return out


def redact_bundle(bundle: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    """A mediators' analysis bundle (:func:`accord.server.jobs.mediator_bundle`) without hidden numbers."""
    out = dict(bundle)
    if "evaluation" in bundle:
        out["evaluation"] = [redact_evaluation(e, hidden) for e in bundle["evaluation"]]
    if bundle.get("feasibility") is not None:
        out["feasibility"] = redact_feasibility(bundle["feasibility"], hidden)
    if bundle.get("solutions") is not None:
        out["solutions"] = redact_solutions(bundle["solutions"], hidden)
    if bundle.get("frontier") is not None:
        out["frontier"] = redact_frontier(bundle["frontier"], hidden)
    if bundle.get("amendment") is not None:
        out["amendment"] = redact_amendment(bundle["amendment"], hidden)
    if bundle.get("chances") is not None:
        out["chances"] = redact_chances(bundle["chances"], hidden)
    if bundle.get("improvement") is not None:
        out["improvement"] = redact_improvement(bundle["improvement"], hidden)
    if bundle.get("diffs") is not None:
        out["diffs"] = [redact_diff(d, hidden) for d in bundle["diffs"]]
    return out
