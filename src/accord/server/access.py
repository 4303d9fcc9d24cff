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
# What a mediator sees of the library's JSON form of each result (accord.report.*_to_dict) is an
# ALLOW-list: the specs below name every field that may be shown and how.  A field the library
# adds later is in no spec, so it is shown to no one until someone decides here what it reveals.
#
#   KEEP       shown as it is (ids, positions, counts, flags, labels: nothing of a party's numbers)
#   PER_PARTY  {party: value}: the value of a party whose numbers are hidden becomes None
#   COMBINED   a number computed from several parties' numbers (a Nash product, a max–min margin):
#              None when a party whose numbers are hidden is among them
#   [spec]     a list, each item by spec;   {key: spec}  a table, only these keys;
#   a function (value, hidden, involved) -> shown value, for the few irregular shapes.

KEEP = "keep"
PER_PARTY = "per-party"
COMBINED = "combined"

_NUMBER_FREE = {
    "red_line": "a point is one of the party's red lines",
    "open_red_line": "an open point could close on one of the party's red lines",
    "no_acceptable_option": "every option of an open point is one of the party's red lines",
    "below_reservation": "utility is below its reservation value",
    "may_fall_below_reservation": "utility may fall below its reservation value, depending on how "
    "open points close",
}


def project(value: Any, spec: Any, hidden: set[str], involved: bool) -> Any:
    """``value`` as ``spec`` allows it to be shown (see the table above)."""
    if value is None:
        return None
    if spec == KEEP:
        return value
    if spec == PER_PARTY:
        if not isinstance(value, Mapping):
            return None
        return {str(k): (None if k in hidden else v) for k, v in value.items()}
    if spec == COMBINED:
        return None if involved else value
    if callable(spec):
        return spec(value, hidden, involved)
    if isinstance(spec, list):
        if not isinstance(value, list):
            return None
        return [project(item, spec[0], hidden, involved) for item in value]
    if isinstance(spec, dict):
        if not isinstance(value, Mapping):
            return None
        return {key: project(value[key], sub, hidden, involved) for key, sub in spec.items() if key in value}
    raise TypeError(f"not a projection spec: {spec!r}")


_CHANGE = {"issue": KEEP, "from": KEEP, "to": KEEP}
_CLOSED = {"issue": KEEP, "to": KEEP}
_MOVE = {"issue": KEEP, "from": KEEP, "to": KEEP, "required": KEEP}
_REASON = {"kind": KEEP, "message": KEEP, "issue": KEEP, "option": KEEP, "utility": KEEP, "shortfall": KEEP}
_VERDICT = {
    "utility": KEEP,
    "acceptable": KEEP,
    "reasons": [_REASON],
    "reservation": KEEP,
    "must_accept": KEEP,
    "blockers": {
        "ranking": [{**_MOVE, "gain": KEEP}],
        "smallest_fix": [{**_MOVE, "gain": KEEP}],
        "achievable": KEEP,
        "best_utility": KEEP,
    },
}


def redact_verdict(verdict: Mapping[str, Any]) -> dict[str, Any]:
    """A hidden party's verdict: acceptable or not, why (in words without numbers), which points block.

    Of the blockers, only the points that must move and the smallest fix are shown: the full
    ranking names the party's best option on every point, an ordering of its preferences.
    """
    reasons = []
    for reason in verdict.get("reasons", []) or []:
        kind = reason.get("kind")
        entry = {"kind": kind, "message": _NUMBER_FREE.get(str(kind), "not acceptable to the party")}
        for key in ("issue", "option"):
            if key in reason:
                entry[key] = reason[key]
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
    if isinstance(blockers, Mapping):
        moves = [project(m, _MOVE, set(), False) for m in blockers.get("ranking", []) or []]
        fix = [project(m, _MOVE, set(), False) for m in blockers.get("smallest_fix", []) or []]
        out["blockers"] = {
            # Re-sorted by point: the library's order is by gain.
            "ranking": sorted((m for m in moves if m.get("required")), key=lambda m: str(m.get("issue"))),
            "smallest_fix": sorted(fix, key=lambda m: str(m.get("issue"))),
            "achievable": blockers.get("achievable"),
            "best_utility": None,
        }
    return out


def _verdicts(value: Any, hidden: set[str], involved: bool) -> Any:
    if not isinstance(value, Mapping):
        return None
    return {
        str(pid): (
            redact_verdict(v)
            if pid in hidden
            else {**project(v, _VERDICT, hidden, False), "numbers_hidden": False}
        )
        for pid, v in value.items()
        if isinstance(v, Mapping)
    }


_EVALUATION = {"id": KEEP, "title": KEEP, "open_points": KEEP, "deal": KEEP, "parties": _verdicts}

_FEASIBILITY = {
    "must_accept": KEEP,
    "feasible": KEEP,
    "margin": COMBINED,  # the worst party's margin: possibly a hidden party's own
    "blocked_issues": KEEP,
    "positions": KEEP,
    "margins": PER_PARTY,
    "lower_reservation_by": PER_PARTY,
    "optimal_packages": KEEP,
    "changes": [_CHANGE],
}

_SOLUTION = {
    "definition": KEEP,
    "value": COMBINED,
    "ties": KEEP,
    "utilities": PER_PARTY,
    "positions": KEEP,
    "changes": [_CHANGE],
    "closed": [_CLOSED],
}

_SOLUTIONS = {
    "parties": KEEP,
    "acceptable_only": KEEP,
    "exact": KEEP,
    "epsilon": KEEP,
    "frontier_size": KEEP,
    "disagreement": PER_PARTY,
    "ideal": PER_PARTY,
    "individually_rational": KEEP,
    "text": KEEP,
    "text_utilities": PER_PARTY,
    "solutions": lambda v, h, i: (
        {str(name): project(s, _SOLUTION, h, i) for name, s in v.items()} if isinstance(v, Mapping) else None
    ),
}


def _frontier_points(points: Any, hidden: set[str], involved: bool, parties: list[Any]) -> Any:
    masked = {k for k, p in enumerate(parties) if p in hidden}
    out = []
    for point in points if isinstance(points, list) else []:
        utilities = point.get("utilities") if isinstance(point, Mapping) else None
        shown = (
            [None if k in masked else u for k, u in enumerate(utilities)]
            if isinstance(utilities, list)
            else None
        )
        out.append({"utilities": shown, "positions": point.get("positions")})
    if masked:
        # The library sorts by the first party's utility: re-sorted by what may be shown.
        out.sort(
            key=lambda p: (
                [u for u in (p["utilities"] or []) if u is not None],
                json.dumps(p.get("positions"), sort_keys=True),
            )
        )
    return out


_FRONTIER_KEYS = {
    "parties": KEEP,
    "exact": KEEP,
    "epsilon": KEEP,
    "acceptable_only": KEEP,
    "fixed": KEEP,
    "distinct_vectors": KEEP,
}

_AMENDMENT_ITEM = {
    "change_count": KEEP,
    "changes": [_CHANGE],
    "closed": [_CLOSED],
    "utilities": PER_PARTY,
    "margins": PER_PARTY,
    "nash_product": COMBINED,
    "positions": KEEP,
}

_AMENDMENT = {
    "text": KEEP,
    "must_accept": KEEP,
    "open_points": KEEP,
    "convention": KEEP,
    "min_changes": KEEP,
    "smallest": _AMENDMENT_ITEM,
    "alternatives": [_AMENDMENT_ITEM],
    "efficient_count": KEEP,
    "closest_miss": _FEASIBILITY,
    "best_with_fewer_changes": _FEASIBILITY,
}

_IMPROVEMENT = {
    "text": KEEP,
    "partial": KEEP,
    "baseline": PER_PARTY,
    "convention": KEEP,
    "efficient_count": KEEP,
    "improvements": [
        {
            "change_count": KEEP,
            "changes": [_CHANGE],
            "closed": [_CLOSED],
            "utilities": PER_PARTY,
            "gains": PER_PARTY,
            "acceptable": KEEP,
            "positions": KEEP,
        }
    ],
}


def _chance_parties(value: Any, hidden: set[str], involved: bool) -> Any:
    if not isinstance(value, Mapping):
        return None
    # The probability that a party accepts is a result, like "acceptable or not" (docs/explanation/
    # confidentiality.md); its margin distribution is the party's numbers.
    shown = {"p_accept": KEEP, "interval": KEEP, "p_possible": KEEP, "must_accept": KEEP}
    return {
        str(pid): {
            **project(v, shown, hidden, involved),
            "margin": None
            if pid in hidden
            else project(
                v.get("margin"), {k: KEEP for k in ("mean", "p05", "median", "p95")}, hidden, involved
            ),
        }
        for pid, v in value.items()
        if isinstance(v, Mapping)
    }


_CHANCES = {
    "samples": KEEP,
    "seed": KEEP,
    "texts": [{"id": KEEP, "p_all": KEEP, "interval": KEEP, "parties": _chance_parties}],
    "p_any_package": KEEP,
    "any_package": {
        "interval": KEEP,
        "settled_by_bound": KEEP,
        "settled_by_candidate": KEEP,
        "exact_checks": KEEP,
    },
    "estimates": KEEP,
    "chunks": KEEP,
    "chunk_size": KEEP,
    "notes": KEEP,
}

_DIFF_CHANGE = {"issue": KEEP, "kind": KEEP, "from": KEEP, "to": KEEP, "from_label": KEEP, "to_label": KEEP}


def redact_evaluation(evaluation: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    return dict(project(evaluation, _EVALUATION, hidden, bool(hidden)) or {})


def redact_feasibility(result: Mapping[str, Any] | None, hidden: set[str]) -> dict[str, Any] | None:
    if result is None:
        return None
    involved = bool(hidden & set(result.get("must_accept") or []))
    return dict(project(result, _FEASIBILITY, hidden, involved))


def redact_frontier(frontier: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    parties = list(frontier.get("parties") or [])
    out = dict(project(frontier, _FRONTIER_KEYS, hidden, False))
    out["points"] = _frontier_points(frontier.get("points"), hidden, False, parties)
    return out


def redact_solutions(result: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    involved = bool(hidden & set(result.get("parties") or []))
    out = dict(project(result, _SOLUTIONS, hidden, involved))
    if "feasibility" in result:
        out["feasibility"] = redact_feasibility(result["feasibility"], hidden)
    return out


def redact_amendment(result: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    involved = bool(hidden & set(result.get("must_accept") or []))
    return dict(project(result, _AMENDMENT, hidden, involved))


def redact_improvement(result: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    return dict(project(result, _IMPROVEMENT, hidden, bool(hidden)))


def redact_chances(result: Mapping[str, Any] | None, hidden: set[str]) -> dict[str, Any] | None:
    if result is None:
        return None
    return dict(project(result, _CHANCES, hidden, bool(hidden)))


def redact_diff(diff: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    given = diff.get("parties")
    parties: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    out: dict[str, Any] = {
        "from": diff.get("from"),
        "to": diff.get("to"),
        "changes": project(diff.get("changes"), [_DIFF_CHANGE], hidden, False),
        "parties": {
            str(pid): (
                {"before": None, "after": None, "gain": None}
                if pid in hidden
                else project(v, {"before": KEEP, "after": KEEP, "gain": KEEP}, hidden, False)
            )
            for pid, v in parties.items()
        },
    }
    if hidden & set(parties):
        # The library's summary names each party's gain; say only what moved.
        kinds: dict[str, int] = {}
        for change in diff.get("changes", []) or []:
            kinds[change.get("kind", "changed")] = kinds.get(change.get("kind", "changed"), 0) + 1
        out["summary"] = ", ".join(f"{n} {k}" for k, n in kinds.items()) or "no points changed"
    else:
        out["summary"] = diff.get("summary")
    return out


#: The bundle's own fields (accord.server.jobs.mediator_bundle), each with its redaction.
_BUNDLE: dict[str, Any] = {
    "status": lambda v, h, i: v,
    "notes": lambda v, h, i: v,
    "seconds": lambda v, h, i: v,
    "text": lambda v, h, i: v,
    "error": lambda v, h, i: v,
    "evaluation": lambda v, h, i: [redact_evaluation(e, h) for e in v],
    "diffs": lambda v, h, i: [redact_diff(d, h) for d in v],
    "feasibility": lambda v, h, i: redact_feasibility(v, h),
    "solutions": lambda v, h, i: redact_solutions(v, h),
    "frontier": lambda v, h, i: redact_frontier(v, h),
    "amendment": lambda v, h, i: redact_amendment(v, h),
    "chances": lambda v, h, i: redact_chances(v, h),
    "improvement": lambda v, h, i: redact_improvement(v, h),
}


def redact_bundle(bundle: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    """What a mediator may see of an analysis bundle: only the fields named above, each redacted."""
    return {
        key: (None if bundle[key] is None else shown(bundle[key], hidden, bool(hidden)))
        for key, shown in _BUNDLE.items()
        if key in bundle
    }
