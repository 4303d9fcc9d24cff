"""What a page shows, read through the JSON API's own route functions.

A page never queries the database for a negotiation's content itself: it calls
the function that answers the same GET in the API, with the same viewer, and
reads its JSON.  What a delegate's page may contain is therefore exactly what
the API would give that delegate.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from accord.server.auth import Principal
from accord.server.errors import ApiError

__all__ = [
    "Labels",
    "call",
    "frontier_svg",
    "pair_diff",
    "preview",
]


def call(function: Callable[..., Response], *args: Any, **kwargs: Any) -> Any:
    """The JSON body a route function answers (its ApiError propagates)."""
    response = function(*args, **kwargs)
    if response.status_code == 304 or not response.body:
        return None
    return json.loads(bytes(response.body))


def state(request: Request, nid: str) -> dict[str, Any]:
    from accord.server.routes.negotiations import _state

    return call(_state, request, nid)  # type: ignore[no-any-return]


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
    from accord.space import compile_scenario
    from accord.server.routes.common import services, viewer_of
    from accord.server.store import build_document, check_document, load
    from accord.views.labels import Labels as ViewLabels
    from accord.views.texts import diff_to_dict

    with services(request).db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        shown = load(session, negotiation, preferences=False).visible(viewer.is_mediator)
        ids = {t.text_id for t in shown.texts}
        for name, text in (("from", before), ("to", after)):
            if text not in ids:
                raise ApiError(404, f"no version {text!r} here", [{"path": name, "message": "unknown version"}])
        document = build_document(shown.structure, texts=shown.text_documents, must_accept=[])
        scenario = check_document(document)
        space = compile_scenario(scenario)
        diff = diff_to_dict(
            diff_texts(space, space.text_index(before), space.text_index(after)), ViewLabels(scenario, space)
        )
    return list(diff["changes"])


def preview(request: Request, who: Principal, nid: str, party: str, draft: Any) -> dict[str, Any]:
    """A delegate's verdict on every published version under draft preferences (nothing is stored).

    The same validation as submitting them (:func:`~accord.server.routes.preferences._check_preferences`)
    and the same computation as the delegate's analysis (:func:`~accord.server.jobs.delegate_bundle`).
    """
    from accord.server import access
    from accord.server.jobs import delegate_bundle
    from accord.server.routes.common import services, viewer_of
    from accord.server.routes.preferences import _check_preferences
    from accord.server.store import analysis_document, load

    with services(request).db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        access.require_delegate(viewer, "preview preferences for their party", party)
        loaded = load(session, negotiation)
        given = dict(draft) if isinstance(draft, dict) else draft
        if isinstance(given, dict):
            given.setdefault("estimate", False)
        stored = _check_preferences(loaded, party, given, body_prefix="preferences")
        document, _ = analysis_document(loaded.structure, loaded.visible(False).text_documents, {party: stored})
    document["scenario"]["must_accept"] = [party]
    return delegate_bundle(document, party)


def frontier_svg(
    analysis: Mapping[str, Any], labels: Labels, parties: Sequence[str], reservations: Mapping[str, float]
) -> bytes | None:
    """The report's frontier chart of the mediators' analysis, drawn to SVG here (no chart runtime).

    None when the chart cannot be drawn honestly: not two parties, or a party's numbers hidden.
    """
    from accord.report.charts import frontier_chart, render_chart

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
        texts.append({"text": entry["id"], "x_low": xa[0], "x_high": xa[-1], "y_low": xb[0], "y_high": xb[-1]})
    solutions = []
    for name, sol in ((analysis.get("solutions") or {}).get("solutions") or {}).items():
        utilities = sol.get("utilities") or {}
        if utilities.get(a) is not None and utilities.get(b) is not None:
            solutions.append({"name": name.replace("_", "-"), "x": utilities[a], "y": utilities[b]})
    chart = frontier_chart(
        points,
        party_a=labels.party(a),
        party_b=labels.party(b),
        reservation=(float(reservations[a]), float(reservations[b])),
        texts=texts,
        solutions=solutions,
        title=f"Packages acceptable to {labels.party(a)} and {labels.party(b)}",
        width=420,
        height=360,
    )
    return render_chart(chart, "svg")
