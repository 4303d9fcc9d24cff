"""The page routes: sign-in, invitations, one's negotiations, the mediator's desk, a delegation's room,
the preference form and the public record.

Each handler finds the viewer, reads through :mod:`accord.server.pages.data`
(the API's own route functions) and renders a template.  A page a viewer may
not see answers as the API does (404 for a non-member, 403 for a member in the
wrong role), in HTML.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from accord.server import access
from accord.server.auth import Principal
from accord.server.errors import ApiError
from accord.server.pages import SVG_CSP, TEMPLATES
from accord.server.pages.data import (
    Draft,
    Labels,
    call,
    from_choices,
    from_ratings,
    frontier_inputs,
    frontier_svg,
    pair_diff,
    preview,
    question,
    state,
)
from accord.server.routes.common import Body

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(TEMPLATES))

#: Every action the event stream may send (audit actions, plus the mediators' "analysis").
LIVE_EVENTS = (
    "acceptance.marked acceptance.withdrawn agreement.declared amendment.decided amendment.proposed "
    "amendment.withdrawn comment.added estimate.deleted estimate.saved improvement.offered "
    "invitation.created invitation.revoked member.confirmed member.joined member.removed "
    "preferences.submitted structure.changed text.drafted text.published vote.cast statement.logged "
    "meeting.logged analysis closed"
)


def _fmt_utility(value: Any) -> str:
    """A utility (a number, or [low, high] while points are open) as text with two decimals."""
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        low, high = value[0], value[-1]
        return f"{low:.2f}" if abs(high - low) < 5e-4 else f"{low:.2f}–{high:.2f}"
    return f"{float(value):.2f}"


def _score100(value: Any) -> str:
    """A utility on the preference form's 0–100 scale (a delegate typed 55, so it reads 55, not 0.55)."""
    if value is None:
        return "—"

    def one(x: Any) -> str:
        return f"{100 * float(x):.1f}".removesuffix(".0")

    if isinstance(value, list | tuple):
        low, high = value[0], value[-1]
        return one(low) if abs(high - low) < 5e-4 else f"{one(low)}–{one(high)}"
    return one(value)


def _pct(value: Any) -> str:
    return "—" if value is None else f"{100 * float(value):.1f}%"


def _signed(value: Any) -> str:
    return "—" if value is None else f"{float(value):+.3f}"


templates.env.filters["utility"] = _fmt_utility
templates.env.filters["pct"] = _pct
templates.env.filters["score100"] = _score100
templates.env.filters["signed"] = _signed


def _who(request: Request) -> Principal | None:
    from accord.server.routes.common import authenticate

    try:
        return authenticate(request)
    except ApiError:
        return None


def _render(request: Request, name: str, code: int = 200, **context: Any) -> HTMLResponse:
    who = context.pop("who", None)
    context.setdefault("account", _account(request, who) if who is not None else None)
    context.setdefault("live_events", LIVE_EVENTS)
    return templates.TemplateResponse(request, name, context, status_code=code)


def _account(request: Request, who: Principal) -> dict[str, Any] | None:
    from accord.server.routes.auth import my_account

    try:
        return call(my_account, request, who)
    except ApiError:
        return None


def page(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Answer a refusal as a page: to sign-in when not logged in, else the API's status and message."""

    @functools.wraps(handler)
    def wrapped(request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return handler(request, *args, **kwargs)
        except ApiError as error:
            if error.status == 401:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)
            return _render(
                request, "error.html", error.status, who=_who(request), status=error.status,
                message=error.message, problems=error.problems,
            )

    return wrapped


def _required(request: Request) -> Principal:
    who = _who(request)
    if who is None:
        raise ApiError(401, "log in first")
    return who


# -- sign-in, invitations, one's negotiations -------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
@page
def home(request: Request) -> Response:
    from accord.server.routes.negotiations import list_negotiations

    who = _required(request)
    listed = call(list_negotiations, request, who)["negotiations"]
    for item in listed:
        try:
            item["party_name"] = Labels(state(request, item["id"])["structure"]).party(item["party"])
        except ApiError:  # waiting for a mediator's confirmation
            item["party_name"] = item["party"]
    return _render(request, "home.html", who=who, negotiations=listed)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, next: str = "/") -> Response:
    # Only a path on this service: never an open redirect.
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    return _render(request, "sign_in.html", who=_who(request), next=target)


@router.get("/invite/{token}", response_class=HTMLResponse)
@page
def invitation(request: Request, token: str) -> Response:
    from accord.server.routes.auth import preview_invitation

    who = _who(request)
    try:
        found = call(preview_invitation, request, token)
    except ApiError as error:
        if error.status != 404:
            raise
        found = None
    return _render(request, "invite.html", 200 if found else 404, who=who, invitation=found, token=token)


@router.get("/new", response_class=HTMLResponse)
@page
def new_negotiation(request: Request) -> Response:
    from accord.server.routes.common import services

    # The page knows the service's body limit, so that a file too large is said before it is sent.
    limit = services(request).settings.max_body_bytes
    return _render(request, "new.html", who=_required(request), max_body=limit)


# -- one negotiation --------------------------------------------------------------------------------


@router.get("/n/{nid}", response_class=HTMLResponse)
@page
def negotiation(request: Request, nid: str) -> Response:
    who = _required(request)
    st = state(request, nid)
    if st["role"] == access.MEDIATOR:
        return _desk(request, who, st)
    if st["role"] == access.DELEGATE:
        return _room(request, who, st)
    return _record(request, who, st)


@router.get("/n/{nid}/record", response_class=HTMLResponse)
@page
def public_record(request: Request, nid: str) -> Response:
    who = _required(request)
    return _record(request, who, state(request, nid))


def _texts_tree(texts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The versions as a lineage tree: each node with its children (a parent comes before its children)."""
    nodes = {t["id"]: {**t, "children": []} for t in texts}
    roots = []
    for t in texts:
        parent = t.get("parent")
        if parent in nodes:
            nodes[parent]["children"].append(nodes[t["id"]])
        else:
            roots.append(nodes[t["id"]])
    return roots


def _current(request: Request, who: Principal, st: dict[str, Any]) -> dict[str, Any] | None:
    from accord.server.routes.texts import get_text

    if st["current_text"] is None:
        return None
    return call(get_text, request, st["id"], st["current_text"], who)


def _common(request: Request, who: Principal, st: dict[str, Any]) -> dict[str, Any]:
    labels = Labels(st["structure"])
    current = _current(request, who, st)
    return {
        "who": who,
        "st": st,
        "nid": st["id"],
        "labels": labels,
        "issues": st["structure"]["issues"],
        "parties": st["structure"]["parties"],
        "current": current,
        "current_id": st["current_text"],
        "lineage": _texts_tree(st["texts"]),
        "titles": {t["id"]: t.get("title") or t["id"] for t in st["texts"]},
        "agreement": st["agreement"],
    }


def _desk(request: Request, who: Principal, st: dict[str, Any]) -> Response:
    from accord.server.routes.agreements import list_amendments
    from accord.server.routes.analysis import get_analysis
    from accord.server.routes.negotiations import audit_log, list_invitations, list_members
    from accord.server.routes.records import list_meetings, list_statements
    from accord.server.routes.texts import list_comments, list_votes

    nid = st["id"]
    ctx = _common(request, who, st)
    cur = st["current_text"]
    analysis = call(get_analysis, request, nid, 2.0, who)
    evaluation = {e["id"]: e for e in analysis.get("evaluation", [])} if analysis else {}
    chances = {c["id"]: c for c in ((analysis.get("chances") or {}).get("texts") or [])}
    ids = [t["id"] for t in st["texts"]]
    before = request.query_params.get("from") or (ctx["current"] or {}).get("text", {}).get("parent")
    after = request.query_params.get("to") or cur
    diff = None
    if before and after and before in ids and after in ids and before != after:
        diff = {"from": before, "to": after, "changes": pair_diff(request, who, nid, before, after)}
    draft = None
    smallest = ((analysis.get("amendment") or {}).get("smallest")) if analysis else None
    if request.query_params.get("draft") == "smallest" and smallest:
        draft = {
            "id": f"mediator-{len(ids) + 1}",
            "title": "Mediator's proposal",
            "parent": (analysis.get("amendment") or {}).get("text") or cur,
            "positions": smallest["positions"],
            "notes": "The smallest amendment of the current version that every party that must accept "
            "can accept (from the mediators' analysis).",
        }
    votes = call(list_votes, request, nid, cur, who)["votes"] if cur else []
    comments = call(list_comments, request, nid, cur, who)["comments"] if cur else []
    amendments = call(list_amendments, request, nid, who)["amendments"]
    audit = call(audit_log, request, nid, None, 0, 1000, who)["entries"]
    audit.sort(key=lambda e: e["at"], reverse=True)
    return _render(
        request,
        "desk.html",
        **ctx,
        analysis=analysis,
        evaluation=evaluation,
        chances=chances,
        members=call(list_members, request, nid, who)["members"],
        invitations=call(list_invitations, request, nid, who)["invitations"],
        votes=votes,
        comments=_by_point(comments, st),
        amendments=amendments,
        hot_points=_hot_points(votes, comments, amendments, cur, st),
        log=_log(
            call(list_statements, request, nid, who)["items"], call(list_meetings, request, nid, who)["items"]
        ),
        audit=audit[:80],
        diff=diff,
        draft=draft,
        smallest=smallest,
        has_chart=bool(
            analysis
            and analysis.get("status") == "ready"
            and frontier_inputs(analysis, Labels(st["structure"]), _reservations(analysis, st)) is not None
        ),
    )


Grouped = list[tuple[str | None, list[dict[str, Any]]]]


def _by_point(comments: list[dict[str, Any]], st: dict[str, Any]) -> Grouped:
    """Comments grouped by the point they are on, in the text's order; those on the whole text first."""
    order = [None] + [i["id"] for i in st["structure"]["issues"]]
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for comment in comments:
        groups.setdefault(comment.get("point"), []).append(comment)
    known = [p for p in order if p in groups]
    return [(p, groups[p]) for p in known + [p for p in groups if p not in order]]


def _hot_points(
    votes: list[dict[str, Any]],
    comments: list[dict[str, Any]],
    amendments: list[dict[str, Any]],
    current: str | None,
    st: dict[str, Any],
) -> list[dict[str, Any]]:
    """The points of the current version the parties are responding to, in the text's order: who has
    a reservation on each, how many comments it has, and the changes proposed to it (pending ones)."""
    rows: dict[str, dict[str, Any]] = {}

    def row(point: str) -> dict[str, Any]:
        return rows.setdefault(point, {"point": point, "reservations": [], "comments": 0, "proposals": []})

    for vote in votes:
        for point in vote.get("points") or []:
            row(point)["reservations"].append(vote["party"])
    for comment in comments:
        if comment.get("point"):
            row(comment["point"])["comments"] += 1
    for amendment in amendments:
        if amendment.get("status") == "pending" and amendment.get("base") == current:
            for point, option in (amendment.get("changes") or {}).items():
                row(point)["proposals"].append({"party": amendment.get("party"), "option": option})
    order = [i["id"] for i in st["structure"]["issues"]]
    return sorted(rows.values(), key=lambda r: order.index(r["point"]) if r["point"] in order else len(order))


def _reservations(analysis: dict[str, Any], st: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for entry in analysis.get("evaluation", []):
        for party, verdict in (entry.get("parties") or {}).items():
            if verdict.get("reservation") is not None:
                out.setdefault(party, verdict["reservation"])
    return out


def _chart(analysis: dict[str, Any], st: dict[str, Any]) -> bytes | None:
    return frontier_svg(analysis, Labels(st["structure"]), _reservations(analysis, st))


@router.get("/n/{nid}/frontier.svg")
@page
def frontier_chart(request: Request, nid: str) -> Response:
    from accord.server.routes.analysis import get_analysis

    who = _required(request)
    st = state(request, nid)
    viewer = access.Viewer(who.account_id, st["role"], st["party"], who.is_admin)
    access.require_mediator(viewer, "see the chart")
    analysis = call(get_analysis, request, nid, 0.0, who)
    svg = _chart(analysis, st) if analysis.get("status") == "ready" else None
    if svg is None:
        raise ApiError(
            404, "no frontier chart for this analysis (it needs two parties whose numbers you see)"
        )
    headers = {"Content-Security-Policy": SVG_CSP, "Cache-Control": "no-store"}
    return Response(svg, media_type="image/svg+xml", headers=headers)


def _room(request: Request, who: Principal, st: dict[str, Any]) -> Response:
    from accord.server.routes.agreements import list_acceptances, list_amendments
    from accord.server.routes.analysis import get_analysis
    from accord.server.routes.texts import list_comments, list_votes

    nid = st["id"]
    ctx = _common(request, who, st)
    cur = st["current_text"]
    own = call(get_analysis, request, nid, 0.0, who)
    verdicts = {t["id"]: t["verdict"] for t in own.get("texts", [])} if own.get("status") == "ready" else {}
    votes = call(list_votes, request, nid, cur, who)["votes"] if cur else []
    return _render(
        request,
        "room.html",
        **ctx,
        party=st["party"],
        own=own,
        verdicts=verdicts,
        vote=next((v for v in votes if v["party"] == st["party"]), None),
        comments=call(list_comments, request, nid, cur, who)["comments"] if cur else [],
        amendments=call(list_amendments, request, nid, who)["amendments"],
        acceptances=call(list_acceptances, request, nid, who)["acceptances"],
        mine=st["preferences"].get(st["party"], {}),
    )


def _log(statements: list[dict[str, Any]], meetings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statements and meetings in one list, newest first (by the date they were said or held)."""
    entries = [{"kind": "statement", "date": s["statement"]["date"], **s} for s in statements]
    entries += [{"kind": "meeting", "date": m["meeting"]["date"], **m} for m in meetings]
    return sorted(entries, key=lambda e: str(e["date"]), reverse=True)


def _record(request: Request, who: Principal, st: dict[str, Any]) -> Response:
    from accord.server.routes.records import list_meetings, list_statements
    from accord.server.routes.texts import get_text

    nid = st["id"]
    ctx = _common(request, who, st)
    shown = [call(get_text, request, nid, t["id"], who) for t in reversed(st["texts"])]
    return _render(
        request,
        "record.html",
        **ctx,
        versions=shown,
        log=_log(
            call(list_statements, request, nid, who)["items"], call(list_meetings, request, nid, who)["items"]
        ),
    )


# -- preferences ------------------------------------------------------------------------------------


def _middle(value: Any) -> float | None:
    """A stored number, or the middle of a stored range (the form enters single numbers)."""
    if value is None:
        return None
    if isinstance(value, dict):
        if value.get("mode") is not None:
            return float(value["mode"])
        return (float(value["low"]) + float(value["high"])) / 2
    return float(value)


def _option_of(red_line: Any) -> Any:
    """A red line's option (an uncertain red line names it with the chance that it holds)."""
    return red_line.get("option") if isinstance(red_line, dict) else red_line


@router.get("/n/{nid}/preferences", response_class=HTMLResponse)
@page
def preference_form(request: Request, nid: str) -> Response:
    from accord.server.routes.preferences import get_preferences

    who = _required(request)
    st = state(request, nid)
    viewer = access.Viewer(who.account_id, st["role"], st["party"], who.is_admin)
    party = access.require_delegate(viewer, "enter preferences for their party")
    record = None
    mine = st["preferences"].get(party, {})
    if mine.get("submitted"):
        record = call(get_preferences, request, nid, party, who)
    prefs = (record or {}).get("preferences") or {}
    issues = st["structure"]["issues"]
    form: dict[str, Any] = {
        "weights": {i["id"]: _middle((prefs.get("weights") or {}).get(i["id"])) for i in issues},
        "values": {
            i["id"]: {o["id"]: _middle(((prefs.get("values") or {}).get(i["id"]) or {}).get(o["id"]))
                      for o in i["options"]}
            for i in issues
        },
        "red_lines": {i["id"]: {_option_of(r) for r in (prefs.get("red_lines") or {}).get(i["id"], [])}
                      for i in issues},
        "reservation": _middle(prefs.get("reservation")),
    }
    total = sum(v for v in form["weights"].values() if v is not None) or 1.0
    form["weights"] = {k: (None if v is None else 100.0 * v / total) for k, v in form["weights"].items()}
    ranged = any(isinstance(v, dict) for v in (prefs.get("weights") or {}).values()) or any(
        isinstance(r, dict) for lines in (prefs.get("red_lines") or {}).values() for r in lines
    )
    return _render(
        request,
        "preferences.html",
        who=who,
        st=st,
        nid=nid,
        party=party,
        labels=Labels(st["structure"]),
        issues=issues,
        form=form,
        record=record,
        ranged=ranged,
        visibility=(record or {}).get("visibility") or "analysis-only",
    )


def _json(request: Request, body: bytes, work: Callable[[Principal, dict[str, Any]], Any]) -> Response:
    """A JSON helper for the preference pages' script: CSRF checked as for any change; nothing stored."""
    from accord.server.routes.common import json_bytes, principal

    try:
        who = principal(request)
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            raise ApiError(400, "the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise ApiError(422, "the body must be a JSON object")
        return Response(json_bytes(work(who, data)), media_type="application/json")
    except ApiError as error:
        return JSONResponse(error.body(), status_code=error.status)


@router.post("/n/{nid}/preferences/ratings")
def ratings_preview(request: Request, nid: str, body: bytes = Body) -> Response:
    """The preferences the rating form's numbers make, and what they would mean for each version."""

    def work(who: Principal, data: dict[str, Any]) -> Any:
        draft = Draft(request, who, nid)
        prefs = from_ratings(draft, data)
        return {"preferences": prefs, "preview": preview(draft, prefs)}

    return _json(request, body, work)


@router.post("/n/{nid}/preferences/choices/next")
def choices_next(request: Request, nid: str, body: bytes = Body) -> Response:
    """The next "which would you rather have?" question for the answers so far (or none: stop)."""

    def work(who: Principal, data: dict[str, Any]) -> Any:
        return question(Draft(request, who, nid), data.get("answers", []))

    return _json(request, body, work)


@router.post("/n/{nid}/preferences/choices/fit")
def choices_fit(request: Request, nid: str, body: bytes = Body) -> Response:
    """The preferences fitted to the answers, with the walk-away point, and their preview."""

    def work(who: Principal, data: dict[str, Any]) -> Any:
        draft = Draft(request, who, nid)
        prefs = from_choices(draft, data.get("answers", []), data.get("walk_away"))
        return {"preferences": prefs, "preview": preview(draft, prefs)}

    return _json(request, body, work)


@router.get("/n/{nid}/preferences/choices", response_class=HTMLResponse)
@page
def choices_page(request: Request, nid: str) -> Response:
    who = _required(request)
    st = state(request, nid)
    viewer = access.Viewer(who.account_id, st["role"], st["party"], who.is_admin)
    party = access.require_delegate(viewer, "enter preferences for their party")
    labels = Labels(st["structure"])
    points = {i["id"]: f"{labels.points[i['id']]} {i.get('title') or i['id']}".strip()
              for i in st["structure"]["issues"]}
    return _render(request, "choices.html", who=who, st=st, nid=nid, party=party, labels=labels,
                   mine=st["preferences"].get(party, {}), points_json=json.dumps(points))
