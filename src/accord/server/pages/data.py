"""What a page shows, read through the JSON API's own route functions.

A page never queries the database for a negotiation's content itself: it calls
the function that answers the same GET in the API, with the same viewer, and
reads its JSON.  What a delegate's page may contain is therefore exactly what
the API would give that delegate.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from accord.server.auth import Principal
from accord.server.errors import ApiError

__all__ = [
    "Draft",
    "Labels",
    "call",
    "from_choices",
    "from_ratings",
    "frontier_inputs",
    "frontier_svg",
    "pair_diff",
    "preview",
    "question",
]


def call(function: Callable[..., Response], *args: Any, **kwargs: Any) -> Any:
    """The JSON body a route function answers (its ApiError propagates)."""
    response = function(*args, **kwargs)
    if response.status_code == 304 or not response.body:
        return None
    return json.loads(bytes(response.body))


def state(request: Request, nid: str) -> dict[str, Any]:
    from accord.server.routes.negotiations import _state

    return call(_state, request, nid)


class Labels:
    """Names of parties, points and options from the negotiation's (public) structure."""

    def __init__(self, structure: Mapping[str, Any]) -> None:
        self.parties = {p["id"]: p.get("name") or p["id"] for p in structure.get("parties", [])}
        self.issues = {i["id"]: i.get("title") or i["id"] for i in structure.get("issues", [])}
        self.options = {
            (i["id"], o["id"]): o.get("label") or o["id"]
            for i in structure.get("issues", [])
            for o in i.get("options", [])
        }
        self.points = {i["id"]: ", ".join(str(p) for p in i.get("points", [])) for i in structure["issues"]}

    def party(self, pid: str | None) -> str:
        return self.parties.get(pid or "", pid or "")

    def issue(self, iid: str | None) -> str:
        return self.issues.get(iid or "", iid or "")

    def option(self, iid: str, oid: str | None) -> str:
        if oid is None:
            return "open (not yet agreed)"
        return self.options.get((iid, oid), oid)


def pair_diff(request: Request, who: Principal, nid: str, before: str, after: str) -> list[dict[str, Any]]:
    """The points that differ between two versions the viewer may see (no utilities: public)."""
    from accord.analysis.diff import diff_texts
    from accord.server.routes.common import services, viewer_of
    from accord.server.store import build_document, check_document, load
    from accord.space import compile_scenario
    from accord.views.labels import Labels as ViewLabels
    from accord.views.texts import diff_to_dict

    with services(request).db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        shown = load(session, negotiation, preferences=False).visible(viewer.is_mediator)
        ids = {t.text_id for t in shown.texts}
        for name, text in (("from", before), ("to", after)):
            if text not in ids:
                raise ApiError(
                    404, f"no version {text!r} here", [{"path": name, "message": "unknown version"}]
                )
        document = build_document(shown.structure, texts=shown.text_documents, must_accept=[])
        scenario = check_document(document)
        space = compile_scenario(scenario)
        diff = diff_to_dict(
            diff_texts(space, space.text_index(before), space.text_index(after)), ViewLabels(scenario, space)
        )
    return list(diff["changes"])


class Draft:
    """One delegate's scenario for entering preferences: the public structure, the published versions,
    and stand-ins for every other party (no other party's numbers are ever loaded into it)."""

    def __init__(self, request: Request, who: Principal, nid: str) -> None:
        from accord.server import access
        from accord.server.routes.common import services, viewer_of
        from accord.server.store import load

        with services(request).db.read() as session:
            negotiation, viewer = viewer_of(session, who, nid)
            self.party = access.require_delegate(viewer, "enter preferences for their party")
            loaded = load(session, negotiation, preferences=False)
        self.structure = loaded.structure
        self.texts = loaded.visible(False).text_documents

    def compile(self, preferences: Mapping[str, Any] | None = None) -> tuple[Any, Any, Any]:
        """(scenario, space, labels) with ``preferences`` (or a neutral stand-in) for the party."""
        from accord.errors import ScenarioError
        from accord.server.store import (
            build_document,
            check_document,
            dummy_preferences,
            effective_must_accept,
            rebase,
        )
        from accord.space import compile_scenario
        from accord.views.labels import Labels as ViewLabels

        stand_ins = [p for p in effective_must_accept(self.structure) if p != self.party]
        chosen: dict[str, Any] = {p: dummy_preferences(self.structure) for p in stand_ins}
        own = dict(preferences) if preferences is not None else dummy_preferences(self.structure)
        chosen[self.party] = own
        chosen[self.party].setdefault("estimate", False)
        document = build_document(self.structure, texts=self.texts, preferences=chosen)
        try:
            scenario = check_document(document, stand_ins=stand_ins)
        except ScenarioError as error:
            raise ApiError(
                422,
                "the preferences are not valid",
                rebase(error.problems, f"preferences.{self.party}", "preferences"),
            ) from None
        space = compile_scenario(scenario)
        return scenario, space, ViewLabels(scenario, space)


def _library_problems(error: Exception) -> list[dict[str, str]]:
    from accord.errors import ScenarioError

    if isinstance(error, ScenarioError):
        return [{"path": p.path, "message": p.message} for p in error.problems]
    return [{"path": "(request)", "message": str(error)}]


def from_ratings(draft: Draft, given: Mapping[str, Any]) -> dict[str, Any]:
    """Preferences from the rating form (importance, ratings, red lines, walk-away on 0–100), by the
    library's rule (:func:`accord.analysis.elicit.preferences_from_ratings`)."""
    from accord.analysis.elicit import preferences_from_ratings
    from accord.errors import AccordError

    _, space, _ = draft.compile()
    out_of_range = _outside_the_scale(given)
    if out_of_range:
        raise ApiError(422, "the ratings are not valid", out_of_range)
    try:
        prefs = preferences_from_ratings(
            space,
            given.get("importance") or {},
            given.get("ratings") or {},
            red_lines=given.get("red_lines") or {},
            walk_away=given.get("walk_away", 0.0),
            scale=100.0,
            source="form",
        )
    except (AccordError, TypeError, ValueError) as error:
        raise ApiError(422, "the ratings are not valid", _library_problems(error)) from None
    return prefs.model_dump(mode="json", exclude_none=True)


def _outside_the_scale(given: Mapping[str, Any]) -> list[dict[str, str]]:
    """Numbers the form labels 0–100 but that lie outside it (the library would take an importance of
    150 as it takes any weight, and say nothing): one problem per field, by its form path."""
    problems = []

    def check(path: str, value: Any) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool) and not 0 <= value <= 100:
            problems.append({"path": path, "message": f"expected 0 to 100, got {value:g}"})

    importance = given.get("importance")
    for issue, value in importance.items() if isinstance(importance, dict) else ():
        check(f"importance.{issue}", value)
    ratings = given.get("ratings")
    for issue, options in ratings.items() if isinstance(ratings, dict) else ():
        for option, value in options.items() if isinstance(options, dict) else ():
            check(f"ratings.{issue}.{option}", value)
    check("walk_away", given.get("walk_away"))
    return problems


def preview(draft: Draft, preferences: Mapping[str, Any]) -> dict[str, Any]:
    """The party's verdict on every published version under draft preferences (nothing is stored):
    :func:`accord.analysis.elicit.preview` and its view."""
    from accord.analysis.elicit import preview as draft_preview
    from accord.views.elicit import preview_to_dict

    scenario, space, labels = draft.compile(preferences)
    if not space.text_ids:
        return {"summary": "There is no published version to preview yet.", "texts": []}
    return preview_to_dict(draft_preview(space, draft.party, scenario.preferences[draft.party]), labels)


def _answers(given: Any) -> list[tuple[Any, Any, Any]]:
    if not isinstance(given, list):
        raise ApiError(422, "the answers are not valid", [{"path": "answers", "message": "expected a list"}])
    out = []
    for k, item in enumerate(given):
        if not isinstance(item, dict) or item.get("chosen") not in (0, 1):
            raise ApiError(
                422,
                "the answers are not valid",
                [{"path": f"answers[{k}]", "message": "expected {first, second, chosen: 0 or 1}"}],
            )
        out.append((item.get("first"), item.get("second"), item["chosen"]))
    return out


def question(draft: Draft, given: Any) -> dict[str, Any]:
    """The next pairwise question (or the fit, when the library says to stop)."""
    from accord.analysis.elicit import fit_choices, next_question
    from accord.errors import AccordError
    from accord.views.elicit import fit_to_dict, question_to_dict

    _, space, labels = draft.compile()
    answers = _answers(given)
    try:
        # The seed is the number of answers: the same answers always get the same next question.
        found = next_question(space, draft.party, answers, rng=len(answers))
        fit = fit_choices(space, draft.party, answers) if answers else None
    except (AccordError, TypeError, ValueError) as error:
        raise ApiError(422, "the answers are not valid", _library_problems(error)) from None
    return {
        "question": question_to_dict(found, labels) if found is not None else None,
        "fit": fit_to_dict(fit, labels) if fit is not None else None,
        "answered": len(answers),
    }


def from_choices(draft: Draft, given: Any, walk_away: Any) -> dict[str, Any]:
    """Preferences fitted to the answers, with the walk-away point (0–100 of the fitted scale)."""
    from accord.analysis.elicit import fit_choices
    from accord.errors import AccordError

    _, space, _ = draft.compile()
    answers = _answers(given)
    if not answers:
        raise ApiError(422, "answer some questions first", [{"path": "answers", "message": "none yet"}])
    if not isinstance(walk_away, int | float) or isinstance(walk_away, bool) or not 0 <= walk_away <= 100:
        raise ApiError(
            422, "the walk-away point is not valid", [{"path": "walk_away", "message": "expected 0 to 100"}]
        )
    try:
        fit = fit_choices(space, draft.party, answers)
        prefs = fit.to_preferences(reservation=float(walk_away) / 100.0)
    except (AccordError, TypeError, ValueError) as error:
        raise ApiError(422, "the answers are not valid", _library_problems(error)) from None
    return prefs.model_dump(mode="json", exclude_none=True)


def frontier_svg(
    analysis: Mapping[str, Any], labels: Labels, reservations: Mapping[str, float]
) -> bytes | None:
    """The report's frontier chart of the mediators' analysis, drawn to SVG here (no chart runtime).

    None when the chart cannot be drawn honestly: not two parties, or a party's numbers hidden.
    """
    from accord.report.charts import frontier_chart, render_chart

    inputs = frontier_inputs(analysis, labels, reservations)
    if inputs is None:
        return None
    return render_chart(frontier_chart(**inputs), "svg")


def frontier_inputs(
    analysis: Mapping[str, Any], labels: Labels, reservations: Mapping[str, float]
) -> dict[str, Any] | None:
    """The arguments of :func:`accord.report.charts.frontier_chart` for this analysis, or None."""
    frontier = analysis.get("frontier") or {}
    names = list(frontier.get("parties") or [])
    if len(names) != 2:
        return None
    points = []
    for point in frontier.get("points", []):
        pair = point.get("utilities") or []
        if len(pair) != 2 or any(v is None for v in pair):
            return None  # a hidden party's utilities: no chart rather than a misleading one
        points.append((float(pair[0]), float(pair[1])))
    a, b = names
    if reservations.get(a) is None or reservations.get(b) is None:
        return None
    texts = []
    for entry in analysis.get("evaluation", []):
        ua, ub = (entry.get("parties") or {}).get(a) or {}, (entry.get("parties") or {}).get(b) or {}
        xa, xb = ua.get("utility"), ub.get("utility")
        if xa is None or xb is None:
            continue
        xa = xa if isinstance(xa, list) else [xa, xa]
        xb = xb if isinstance(xb, list) else [xb, xb]
        texts.append(
            {"text": entry["id"], "x_low": xa[0], "x_high": xa[-1], "y_low": xb[0], "y_high": xb[-1]}
        )
    solutions = []
    for name, sol in ((analysis.get("solutions") or {}).get("solutions") or {}).items():
        utilities = sol.get("utilities") or {}
        if utilities.get(a) is not None and utilities.get(b) is not None:
            solutions.append({"name": name.replace("_", "-"), "x": utilities[a], "y": utilities[b]})
    return {
        "frontier": points,
        "party_a": labels.party(a),
        "party_b": labels.party(b),
        "reservation": (float(reservations[a]), float(reservations[b])),
        "texts": texts,
        "solutions": solutions,
        "title": f"Packages acceptable to {labels.party(a)} and {labels.party(b)}",
        "width": 420,
        "height": 360,
    }
