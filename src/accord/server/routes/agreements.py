"""Amendments proposed by delegates, blind acceptances, declared agreements and post-agreement improvement.

Blind acceptances follow Smartsettle's rule: each party privately marks the
packages it would accept; no one (not even a mediator) learns another party's
marks; when some package is marked by every party that must accept, the
agreement is declared and everyone is told at once.  After an agreement, the
mediators may offer one of the library's efficient Pareto improvements of it
(:func:`accord.analysis.improve.improve`: at least as good for every party in
their analysis, better for some); only that offer can then be accepted, and
when every party that must accept marks it, it becomes the agreement.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from accord.errors import Problem
from accord.model.suggest import did_you_mean
from accord.server import access, analytics
from accord.server.auth import Principal
from accord.server.db.models import Acceptance, Agreement, Amendment, Negotiation, TextVersion, utcnow
from accord.server.errors import ApiError
from accord.server.routes.common import (
    Authenticated,
    Body,
    Reply,
    Write,
    errors,
    idempotency_doc,
    if_match_doc,
    json_body,
    require_version,
    respond,
    services,
    viewer_of,
    write,
)
from accord.server.routes.negotiations import agreement_dict, publish_text
from accord.server.routes.texts import check_new_text, next_seq, text_out
from accord.server.schemas import (
    AcceptanceBody,
    AcceptanceList,
    AcceptanceResult,
    AgreementOut,
    AmendmentBody,
    AmendmentDecisionBody,
    AmendmentList,
    AmendmentOut,
    ImprovementOfferBody,
    TextOut,
    WithdrawBody,
)
from accord.server.store import (
    BODY,
    Loaded,
    agreements,
    complete_package,
    dumps,
    effective_must_accept,
    load,
    loads,
    package_key,
    parse_json,
    parse_model,
)

router = APIRouter(tags=["agreement"])

IMPROVEMENT = "improvement"


# -- amendments ------------------------------------------------------------------------------------


def amendment_dict(row: Amendment) -> dict[str, Any]:
    return AmendmentOut(
        id=row.id,
        party=row.party_id,
        base=row.base_text,
        changes=loads(row.changes),
        note=row.note,
        status=row.status,
        version=row.version,
        result_text=row.result_text,
        created_at=row.created_at,
    ).model_dump(mode="json")


def _amendment_or_404(w_session: Any, nid: str, aid: str, viewer: access.Viewer) -> Amendment:
    row = w_session.get(Amendment, aid) if len(aid) <= 32 else None
    # Another party's amendment is not even said to exist.
    if row is None or row.negotiation_id != nid or not access.party_object_visible(viewer, row.party_id):
        raise ApiError(404, "no such amendment")
    return row


def _applied(loaded: Loaded, base: str, changes: dict[str, str | None]) -> dict[str, str]:
    row = loaded.text(base)
    if row is None:
        known = [t.text_id for t in loaded.texts]
        raise ApiError(
            422,
            "unknown base text",
            [Problem(BODY, "base", (f"unknown text {base!r}{did_you_mean(base, known)}"))],
        )
    problems = []
    issues = {i["id"]: [o["id"] for o in i.get("options", [])] for i in loaded.structure.get("issues", [])}
    for issue, option in changes.items():
        if issue not in issues:
            problems.append(
                Problem(BODY, f"changes.{issue}", f"unknown issue {issue!r}{did_you_mean(issue, issues)}")
            )
        elif option is not None and option not in issues[issue]:
            problems.append(
                Problem(
                    BODY,
                    f"changes.{issue}",
                    f"unknown option {option!r} for issue {issue!r}{did_you_mean(option, issues[issue])}",
                )
            )
    if problems:
        raise ApiError(422, "the amendment is not valid", problems)
    positions = dict(loads(row.data).get("positions", {}))
    for issue, option in changes.items():
        if option is None:
            positions.pop(issue, None)
        else:
            positions[issue] = option
    if positions == loads(row.data).get("positions", {}):
        raise ApiError(
            422,
            "the amendment is not valid",
            [Problem(BODY, "changes", ("changes nothing: every point already reads so in the base text"))],
        )
    return positions


@router.get(
    "/negotiations/{nid}/amendments",
    response_model=AmendmentList,
    responses=errors(401, 403, 404),
    summary="Amendments: every party's for mediators, your party's own for a delegate",
)
def list_amendments(request: Request, nid: str, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        _, viewer = viewer_of(session, who, nid)
        access.require_participant(viewer, "see amendments")
        rows = session.scalars(
            select(Amendment).where(Amendment.negotiation_id == nid).order_by(Amendment.created_at)
        ).all()
        return respond(
            {
                "amendments": [
                    amendment_dict(r) for r in rows if access.party_object_visible(viewer, r.party_id)
                ]
            }
        )


@router.post(
    "/negotiations/{nid}/amendments",
    status_code=201,
    response_model=AmendmentOut,
    responses=errors(400, 401, 403, 404, 415, 422),
    openapi_extra={**json_body("AmendmentBody"), "parameters": [idempotency_doc()]},
    summary="Propose a change of positions (seen by your party and the mediators)",
)
def propose_amendment(
    request: Request, nid: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    data = parse_model(AmendmentBody, parse_json(body, request.headers.get("content-type")))

    def create(w: Write) -> Reply:
        negotiation, viewer = viewer_of(w.session, who, nid)
        party = access.require_delegate(viewer, "propose amendments")
        loaded = load(w.session, negotiation, preferences=False).visible(False)
        _applied(loaded, data.base, dict(data.changes))
        row = Amendment(
            negotiation_id=nid,
            party_id=party,
            base_text=data.base,
            changes=dumps(dict(data.changes)),
            note=data.note,
            created_by=who.account_id,
        )
        w.session.add(row)
        w.session.flush()
        out = amendment_dict(row)
        w.record(nid, access.party_stream(party), "amendment.proposed", out)
        return Reply(out, 201)

    return write(request, who, body, create, negotiation_id=nid)


@router.get(
    "/negotiations/{nid}/amendments/{aid}",
    response_model=AmendmentOut,
    responses=errors(401, 404),
    summary="One amendment (if it is yours to see)",
)
def get_amendment(request: Request, nid: str, aid: str, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        _, viewer = viewer_of(session, who, nid)
        row = _amendment_or_404(session, nid, aid, viewer)
        return respond(amendment_dict(row), etag=f'"{row.version}"')


@router.post(
    "/negotiations/{nid}/amendments/{aid}/decision",
    response_model=AmendmentOut,
    responses=errors(400, 401, 403, 404, 409, 415, 422, 428),
    openapi_extra={**json_body("AmendmentDecisionBody"), "parameters": [if_match_doc(True)]},
    summary="Publish an amendment as a new version, or decline it (mediators)",
)
def decide_amendment(
    request: Request, nid: str, aid: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    data = parse_model(AmendmentDecisionBody, parse_json(body, request.headers.get("content-type")))

    def decide(w: Write) -> Reply:
        negotiation, viewer = viewer_of(w.session, who, nid)
        access.require_mediator(viewer, "decide on amendments")
        row = _amendment_or_404(w.session, nid, aid, viewer)
        require_version(request, row.version, amendment_dict(row))
        if row.status != "pending":
            raise ApiError(409, f"the amendment is {row.status} already", current=amendment_dict(row))
        if data.decision == "publish":
            if data.text_id is None or data.title is None:
                missing = [k for k in ("text_id", "title") if getattr(data, k) is None]
                raise ApiError(
                    422,
                    "publishing needs the new version's id and title",
                    [Problem(BODY, k, "missing required key") for k in missing],
                )
            loaded = load(w.session, negotiation, preferences=False)
            positions = _applied(loaded, row.base_text, loads(row.changes))
            text = {"id": data.text_id, "title": data.title, "parent": row.base_text, "positions": positions}
            if data.notes:
                text["notes"] = data.notes
            stored = check_new_text(loaded, text)
            # Published as the mediators' version: other parties are not told whose proposal it was.
            publish_text(w, nid, stored, next_seq(loaded), "mediator", None, who.account_id)
            row.status, row.result_text = "published", data.text_id
            w.after_commit(lambda: analytics.refresh(w.services, nid))
        else:
            row.status = "declined"
        row.version += 1
        row.decided_at = utcnow()
        out = amendment_dict(row)
        w.record(nid, access.party_stream(row.party_id), "amendment.decided", out)
        return Reply(out, 200, {"ETag": f'"{row.version}"'})

    return write(request, who, body, decide, negotiation_id=nid)


@router.post(
    "/negotiations/{nid}/amendments/{aid}/withdraw",
    response_model=AmendmentOut,
    responses=errors(400, 401, 403, 404, 409, 415, 422, 428),
    openapi_extra={**json_body("WithdrawBody"), "parameters": [if_match_doc(True)]},
    summary="Withdraw your party's pending amendment",
)
def withdraw_amendment(
    request: Request, nid: str, aid: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    parse_model(WithdrawBody, parse_json(body, request.headers.get("content-type")))

    def withdraw(w: Write) -> Reply:
        _, viewer = viewer_of(w.session, who, nid)
        row = _amendment_or_404(w.session, nid, aid, viewer)
        access.require_delegate(viewer, "withdraw their party's amendments", row.party_id)
        require_version(request, row.version, amendment_dict(row))
        if row.status != "pending":
            raise ApiError(409, f"the amendment is {row.status} already", current=amendment_dict(row))
        row.status, row.version, row.decided_at = "withdrawn", row.version + 1, utcnow()
        out = amendment_dict(row)
        w.record(nid, access.party_stream(row.party_id), "amendment.withdrawn", out)
        return Reply(out, 200, {"ETag": f'"{row.version}"'})

    return write(request, who, body, withdraw, negotiation_id=nid)


# -- blind acceptances ------------------------------------------------------------------------------------


def acceptance_dict(row: Acceptance) -> dict[str, Any]:
    return {
        "id": row.id,
        "party": row.party_id,
        "text": row.text_id,
        "positions": loads(row.positions),
        "created_at": row.created_at.isoformat(),
        "active": row.withdrawn_at is None,
    }


def _current_offer(session: Any, nid: str, agreement: Agreement) -> TextVersion | None:
    """The improvement offered on the current agreement, if any (the latest one)."""
    return session.scalar(
        select(TextVersion)
        .where(
            TextVersion.negotiation_id == nid,
            TextVersion.origin == IMPROVEMENT,
            TextVersion.origin_ref == str(agreement.seq),
        )
        .order_by(TextVersion.seq.desc())
        .limit(1)
    )


@router.get(
    "/negotiations/{nid}/acceptances",
    response_model=AcceptanceList,
    responses=errors(401, 403, 404),
    summary="Your party's blind acceptances (no one else sees them, not even the mediators)",
)
def list_acceptances(request: Request, nid: str, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        _, viewer = viewer_of(session, who, nid)
        party = access.require_delegate(viewer, "see acceptances (they are blind: each party sees its own)")
        rows = session.scalars(
            select(Acceptance)
            .where(Acceptance.negotiation_id == nid, Acceptance.party_id == party)
            .order_by(Acceptance.created_at)
        ).all()
        return respond({"acceptances": [acceptance_dict(r) for r in rows]})


@router.post(
    "/negotiations/{nid}/acceptances",
    status_code=201,
    response_model=AcceptanceResult,
    responses=errors(400, 401, 403, 404, 409, 415, 422),
    openapi_extra={**json_body("AcceptanceBody"), "parameters": [idempotency_doc()]},
    summary="Mark a package as acceptable to your party, in confidence; an agreement is declared when "
    "every party that must accept has marked the same one",
)
def mark_acceptable(
    request: Request, nid: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    data = parse_model(AcceptanceBody, parse_json(body, request.headers.get("content-type")))
    if (data.text is None) == (data.positions is None):
        raise ApiError(
            422,
            "the acceptance is not valid",
            [
                Problem(
                    BODY,
                    "(top level)",
                    ("give either text (a published version) or positions (a package), not both"),
                )
            ],
        )

    def mark(w: Write) -> Reply:
        negotiation, viewer = viewer_of(w.session, who, nid)
        party = access.require_delegate(viewer, "mark packages acceptable")
        # Published versions only: an unpublished one is not said to exist (nor named by an agreement).
        loaded = load(w.session, negotiation, preferences=False).visible(False)
        if data.text is not None:
            chosen = loaded.text(data.text)
            if chosen is None:
                known = [t.text_id for t in loaded.texts]
                raise ApiError(
                    422,
                    "unknown text",
                    [Problem(BODY, "text", (f"unknown text {data.text!r}{did_you_mean(data.text, known)}"))],
                )
            positions = loads(chosen.data).get("positions", {})
            open_points = [i for i in loaded.issue_ids if i not in positions]
            if open_points:
                raise ApiError(
                    422,
                    "a version with open points is no package",
                    [
                        Problem(
                            BODY,
                            "text",
                            (
                                f"text {data.text!r} leaves points open ({', '.join(open_points)}); "
                                "a package to accept settles every point"
                            ),
                        )
                    ],
                )
            package = complete_package(loaded, positions, where="text")
        else:
            package = complete_package(loaded, data.positions)
        key = package_key(package)
        declared = agreements(w.session, nid)
        if declared:
            offer = _current_offer(w.session, nid, declared[-1])
            if offer is None or package_key(loads(offer.data).get("positions", {})) != key:
                raise ApiError(
                    409,
                    "an agreement has been declared; only the improvement the mediators "
                    "offer on it can be accepted now",
                    current={"agreement": agreement_dict(declared[-1])},
                )
        row = w.session.scalar(
            select(Acceptance).where(
                Acceptance.negotiation_id == nid, Acceptance.party_id == party, Acceptance.package_key == key
            )
        )
        if row is None:
            row = Acceptance(
                negotiation_id=nid,
                party_id=party,
                package_key=key,
                positions=dumps(package),
                text_id=data.text,
                created_by=who.account_id,
            )
            w.session.add(row)
        else:
            row.withdrawn_at = None
            row.text_id = data.text or row.text_id
        w.session.flush()
        out = acceptance_dict(row)
        w.record(nid, access.private_stream(party), "acceptance.marked", out)
        agreement = _declare_if_all(w, negotiation, loaded, key, package, declared)
        return Reply({"acceptance": out, "agreement": agreement}, 201)

    return write(request, who, body, mark, negotiation_id=nid)


def _declare_if_all(
    w: Write,
    negotiation: Negotiation,
    loaded: Loaded,
    key: str,
    package: dict[str, str],
    declared: list[Agreement],
) -> dict[str, Any] | None:
    must = effective_must_accept(loaded.structure)
    if not must:
        return None
    marked = set(
        w.session.scalars(
            select(Acceptance.party_id).where(
                Acceptance.negotiation_id == negotiation.id,
                Acceptance.package_key == key,
                Acceptance.withdrawn_at.is_(None),
            )
        ).all()
    )
    if not set(must) <= marked:
        return None
    if declared and declared[-1].package_key == key:
        return None  # this package is the agreement already
    text = next(
        (t.text_id for t in loaded.texts if package_key(loads(t.data).get("positions", {})) == key), None
    )
    kind = IMPROVEMENT if declared else "agreement"
    row = Agreement(
        negotiation_id=negotiation.id,
        seq=len(declared) + 1,
        package_key=key,
        positions=dumps(package),
        text_id=text,
        kind=kind,
        parties=dumps(sorted(must)),
    )
    w.session.add(row)
    w.session.flush()
    out = agreement_dict(row)
    # Everyone learns at the same moment, and learns nothing but the agreement itself.
    w.record(negotiation.id, access.PUBLIC, "agreement.declared", out)
    w.after_commit(lambda: analytics.refresh(w.services, negotiation.id))
    return out


@router.delete(
    "/negotiations/{nid}/acceptances/{acceptance_id}",
    status_code=204,
    responses=errors(401, 403, 404, 409),
    summary="Withdraw one of your party's acceptances (not once it made an agreement)",
)
def withdraw_acceptance(
    request: Request, nid: str, acceptance_id: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    def withdraw(w: Write) -> Reply:
        _, viewer = viewer_of(w.session, who, nid)
        party = access.require_delegate(viewer, "withdraw acceptances")
        row = w.session.get(Acceptance, acceptance_id) if len(acceptance_id) <= 32 else None
        if row is None or row.negotiation_id != nid or row.party_id != party:
            raise ApiError(404, "no such acceptance among your party's")
        declared = agreements(w.session, nid)
        if any(a.package_key == row.package_key for a in declared):
            raise ApiError(409, "this package is (or was) the agreement: its acceptance is final")
        if row.withdrawn_at is None:
            row.withdrawn_at = utcnow()
            w.record(nid, access.private_stream(party), "acceptance.withdrawn", {"id": row.id})
        return Reply(None, 204)

    write(request, who, body, withdraw, negotiation_id=nid)
    return Response(status_code=204)


# -- the agreement ----------------------------------------------------------------------------------------


@router.get(
    "/negotiations/{nid}/agreement",
    response_model=AgreementOut,
    responses=errors(401, 404),
    summary="The declared agreement (public once declared), and earlier ones it improved on",
)
def get_agreement(request: Request, nid: str, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        viewer_of(session, who, nid)
        declared = agreements(session, nid)
        history = [agreement_dict(a) for a in declared]
        return respond({"agreement": history[-1] if history else None, "history": history})


@router.post(
    "/negotiations/{nid}/agreement/improvement",
    status_code=201,
    response_model=TextOut,
    responses=errors(400, 401, 403, 404, 409, 415, 422),
    openapi_extra={**json_body("ImprovementOfferBody"), "parameters": [idempotency_doc()]},
    summary="Offer an efficient Pareto improvement of the agreement to every party (mediators)",
)
def offer_improvement(
    request: Request, nid: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    data = parse_model(ImprovementOfferBody, parse_json(body, request.headers.get("content-type")))
    svc = services(request)
    with svc.db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        access.require_mediator(viewer, "offer improvements")
        if not agreements(session, nid):
            raise ApiError(409, "there is no agreement to improve yet")
        status, analysis, key = analytics.mediator_analysis(
            svc, session, negotiation, svc.settings.analysis_wait_max_seconds
        )
    if status != 200 or analysis.get("improvement") is None:
        raise ApiError(
            409,
            "the improvement analysis is not ready or not available; retry in a moment",
            current={"status": analysis.get("status")},
        )
    improvements = analysis["improvement"]["improvements"]
    if not improvements:
        raise ApiError(
            409,
            "the agreement is already Pareto-efficient in the mediators' analysis: "
            "there is no improvement to offer",
        )
    if data.pick > len(improvements):
        raise ApiError(
            422,
            "no such improvement",
            [Problem(BODY, "pick", (f"must be between 1 and {len(improvements)} (the improvements listed)"))],
        )
    chosen = improvements[data.pick - 1]

    def offer(w: Write) -> Reply:
        negotiation, _viewer = viewer_of(w.session, who, nid)
        declared = agreements(w.session, nid)
        current = analytics.mediator_input(w.session, w.services, negotiation)
        if current.key != key:
            raise ApiError(409, "the negotiation changed while the improvement was computed; retry")
        loaded = load(w.session, negotiation, preferences=False)
        agreement = declared[-1]
        text = {
            "id": data.text_id,
            "title": data.title,
            "positions": chosen["positions"],
            "notes": (
                f"Offered by the mediators after agreement {agreement.seq}: an efficient Pareto "
                "improvement of it in their analysis (no party worse off, some better off)."
            ),
        }
        if agreement.text_id is not None:
            text["parent"] = agreement.text_id
        stored = check_new_text(loaded, text)
        row = publish_text(w, nid, stored, next_seq(loaded), IMPROVEMENT, str(agreement.seq), who.account_id)
        w.record(nid, access.PUBLIC, "improvement.offered", {"agreement": agreement.seq, "text": row.text_id})
        w.after_commit(lambda: analytics.refresh(w.services, nid))
        return Reply(
            text_out(w.session, negotiation, load(w.session, negotiation, preferences=False), row), 201
        )

    return write(request, who, body, offer, negotiation_id=nid)
