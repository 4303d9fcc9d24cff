"""Negotiations: create (from a scenario file or from scratch), the state, the structure, members,
invitations, the public record's export, and the audit log."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from accord.errors import ScenarioError
from accord.model.suggest import did_you_mean
from accord.server import access, analytics
from accord.server.access import Viewer
from accord.server.audit import canonical, commitment, sha256
from accord.server.auth import INVITATION_PREFIX, Principal, hash_token, new_token, normalise_email
from accord.server.db.models import (
    Account,
    AuditEntry,
    Invitation,
    Meeting,
    Membership,
    Negotiation,
    PreferenceRecord,
    Statement,
    TextVersion,
    utcnow,
)
from accord.server.errors import ApiError
from accord.server.routes.common import (
    Authenticated,
    Body,
    Reply,
    Write,
    errors,
    etag,
    idempotency_doc,
    if_match_doc,
    json_body,
    require_version,
    respond,
    services,
    viewer_of,
    write,
)
from accord.server.schemas import (
    AuditOut,
    InvitationCreateBody,
    InvitationList,
    InvitationOut,
    MemberList,
    NegotiationList,
    NegotiationState,
    StructureOut,
)
from accord.server.store import (
    STRUCTURE_KEYS,
    Loaded,
    agreements,
    check_document,
    dummy_preferences,
    dumps,
    effective_must_accept,
    load,
    loads,
    model_json,
    parse_json,
    parse_model,
    public_parents,
    published_records,
    require_object,
    structure_from_scenario,
    validate_structure,
)

router = APIRouter(tags=["negotiations"])

Nid = str


# -- listing and creating ---------------------------------------------------------------------------


@router.get(
    "/negotiations",
    response_model=NegotiationList,
    responses=errors(401),
    summary="The negotiations you are a member of",
)
def list_negotiations(request: Request, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        rows = session.execute(
            select(Negotiation, Membership)
            .join(Membership, Membership.negotiation_id == Negotiation.id)
            .where(Membership.account_id == who.account_id)
            .order_by(Negotiation.created_at)
        ).all()
        return respond(
            {
                "negotiations": [
                    {
                        "id": n.id,
                        "title": n.title,
                        "role": m.role,
                        "party": m.party_id,
                        "state_version": visible_version(
                            session,
                            n,
                            Viewer(who.account_id, m.role if m.confirmed else None, m.party_id, who.is_admin),
                        ),
                        "confirmed": m.confirmed,
                    }
                    for n, m in rows
                ]
            }
        )


def visible_version(session: Any, negotiation: Negotiation, viewer: Viewer) -> int:
    """How many changes the viewer may see there have been: it grows only with those.

    Not the negotiation's own counter, which every change moves (another party's acceptance,
    a vote, an unpublished version), so that watching it would tell when others act.
    """
    party_ids = [p["id"] for p in loads(negotiation.structure).get("parties", [])]
    streams = access.visible_streams(viewer, party_ids)
    if not streams:
        return 0
    rows = session.execute(
        select(AuditEntry.stream, func.max(AuditEntry.seq))
        .where(AuditEntry.negotiation_id == negotiation.id, AuditEntry.stream.in_(streams))
        .group_by(AuditEntry.stream)
    ).all()
    return sum(int(seq) for _, seq in rows)


@router.post(
    "/negotiations",
    status_code=201,
    response_model=NegotiationState,
    responses=errors(400, 401, 403, 415, 422),
    openapi_extra={
        **json_body(
            "Scenario",
            toml=True,
            description=(
                "A scenario, exactly as a scenario file (JSON, or TOML with Content-Type: application/toml). "
                "Preferences in it become the mediators' estimates (keep_estimates); parties that must "
                "accept need none, since their delegates submit their own."
            ),
        ),
        "parameters": [idempotency_doc()],
    },
    summary="Create a negotiation from a scenario file or from scratch; you become its mediator",
)
def create_negotiation(
    request: Request,
    keep_estimates: bool = Query(
        True,
        description="Keep the file's preferences as the mediators' "
        "estimates (labelled as such, apart from what parties "
        "submit).",
    ),
    texts: Literal["publish", "drop"] = Query(
        "publish", description="Publish the file's texts as the first versions, or drop them."
    ),
    who: Principal = Authenticated,
    body: bytes = Body,
) -> Response:
    document = require_object(parse_json(body, request.headers.get("content-type"), allow_toml=True))
    scenario = _validate_new(document)
    structure = structure_from_scenario(scenario)

    def create(w: Write) -> Reply:
        negotiation = Negotiation(
            id=secrets.token_hex(8),
            title=scenario.title,
            structure=dumps(structure),
            created_by=who.account_id,
        )
        w.session.add(negotiation)
        w.session.flush()
        nid = negotiation.id
        w.session.add(Membership(negotiation_id=nid, account_id=who.account_id, role=access.MEDIATOR))
        w.record(
            nid,
            access.PUBLIC,
            "negotiation.created",
            {"title": scenario.title, "structure": sha256(negotiation.structure)},
        )
        w.record(
            nid,
            access.MEDIATORS,
            "member.joined",
            {"account": who.account_id, "role": access.MEDIATOR, "party": None, "invitation": None},
        )
        if keep_estimates:
            for party, prefs in scenario.preferences.items():
                data = model_json(prefs)
                data["estimate"] = True
                save_estimate(w, nid, party, data, who.account_id)
        if texts == "publish":
            for seq, text in enumerate(scenario.texts, start=1):
                publish_text(w, nid, model_json(text), seq, "imported", None, who.account_id)
        for statement in scenario.statements:
            add_record(w, nid, Statement, "statement", model_json(statement), True, who.account_id)
        for meeting in scenario.meetings:
            data = model_json(meeting)
            if texts == "drop":
                data.pop("texts", None)  # the texts it names are not kept
            add_record(w, nid, Meeting, "meeting", data, True, who.account_id)
        w.after_commit(lambda: analytics.refresh(w.services, nid))
        w.session.flush()
        viewer = Viewer(who.account_id, access.MEDIATOR, None, who.is_admin)
        state = state_view(w.session, w.session.get(Negotiation, nid) or negotiation, viewer)
        return Reply(state, 201, {"Location": f"/api/v1/negotiations/{nid}"})

    return write(request, who, body, create)


def _validate_new(document: dict[str, Any]) -> Any:
    """The library's validation, with stand-ins for must-accept parties that have no preferences yet."""
    prefs = document.get("preferences")
    given = dict(prefs) if isinstance(prefs, dict) else {}
    structure = {k: document[k] for k in STRUCTURE_KEYS if k in document}
    stand_ins = [p for p in effective_must_accept(structure) if isinstance(p, str) and p not in given]
    trial = dict(document)
    if stand_ins and (prefs is None or isinstance(prefs, dict)):
        trial["preferences"] = {**given, **{p: dummy_preferences(structure) for p in stand_ins}}
    try:
        scenario = check_document(trial, stand_ins=stand_ins)
    except ScenarioError as error:
        raise ApiError.from_scenario_error(error, message="the scenario is not valid") from None
    for party in stand_ins:
        scenario.preferences.pop(party, None)
    return scenario


# -- helpers shared by the routes that change a negotiation --------------------------------------------


def publish_text(
    w: Write,
    nid: str,
    data: dict[str, Any],
    seq: int,
    origin: str,
    origin_ref: str | None,
    account_id: int,
    *,
    published: bool = True,
) -> TextVersion:
    """Store a new version: published (every member sees it) or not (the mediators alone, until published)."""
    stored = dumps(data)
    row = TextVersion(
        negotiation_id=nid,
        text_id=data["id"],
        seq=seq,
        data=stored,
        origin=origin,
        origin_ref=origin_ref,
        published_by=account_id,
        published=published,
    )
    w.session.add(row)
    w.session.flush()
    if published:
        record_published(w, nid, row)
    else:
        w.record(
            nid,
            access.MEDIATORS,
            "text.drafted",
            {
                "text": data["id"],
                "title": data.get("title"),
                "parent": data.get("parent"),
                "seq": seq,
                "origin": origin,
                "sha256": sha256(stored),
            },
        )
    return row


def record_published(w: Write, nid: str, row: TextVersion) -> None:
    """The public entry of a version made public: its parent as the public record shows it."""
    data = loads(row.data)
    texts = w.session.scalars(select(TextVersion).where(TextVersion.negotiation_id == nid)).all()
    parent = public_parents(texts).get(row.text_id) if data.get("parent") is not None else None
    w.record(
        nid,
        access.PUBLIC,
        "text.published",
        {
            "text": data["id"],
            "title": data.get("title"),
            "parent": parent,
            "seq": row.seq,
            "origin": row.origin,
            "sha256": sha256(row.data),
        },
    )


def save_estimate(w: Write, nid: str, party: str, data: dict[str, Any], account_id: int) -> PreferenceRecord:
    stored = dumps(data)
    record = w.session.scalar(
        select(PreferenceRecord).where(
            PreferenceRecord.negotiation_id == nid,
            PreferenceRecord.party_id == party,
            PreferenceRecord.kind == access.ESTIMATE,
        )
    )
    salt = secrets.token_hex(16)
    if record is None:
        record = PreferenceRecord(
            negotiation_id=nid,
            party_id=party,
            kind=access.ESTIMATE,
            visibility="full",
            data=stored,
            salt=salt,
            updated_by=account_id,
        )
        w.session.add(record)
    else:
        record.data, record.salt, record.version = stored, salt, record.version + 1
        record.updated_at, record.updated_by = utcnow(), account_id
    w.session.flush()
    w.record(
        nid,
        access.MEDIATORS,
        "estimate.saved",
        {"party": party, "version": record.version, "commitment": commitment(salt, stored)},
    )
    return record


def add_record(
    w: Write,
    nid: str,
    model: type[Statement] | type[Meeting],
    kind: str,
    data: dict[str, Any],
    published: bool,
    account_id: int,
) -> Statement | Meeting:
    row = model(negotiation_id=nid, data=dumps(data), published=published, created_by=account_id)
    w.session.add(row)
    w.session.flush()
    stream = access.PUBLIC if published else access.MEDIATORS
    details: dict[str, Any] = {"id": row.id, "published": published, "sha256": sha256(row.data)}
    if published:
        details[kind] = data
    w.record(nid, stream, f"{kind}.logged", details)
    return row


def text_summary(row: TextVersion, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """A version at a glance; ``data`` is its stored form as the viewer's view shows it (its parent)."""
    data = loads(row.data) if data is None else data
    return {
        "id": row.text_id,
        "title": data.get("title"),
        "seq": row.seq,
        "parent": data.get("parent"),
        "status": data.get("status", "proposal"),
        "date": data.get("date"),
        "open_points": [],
        "origin": row.origin,
        "published_at": row.published_at.isoformat(),
        "published": bool(row.published),
    }


def _with_open_points(summary: dict[str, Any], data: dict[str, Any], issue_ids: list[str]) -> dict[str, Any]:
    positions = data.get("positions", {})
    summary["open_points"] = [i for i in issue_ids if i not in positions]
    return summary


def agreement_dict(row: Any) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "kind": row.kind,
        "text": row.text_id,
        "positions": loads(row.positions),
        "parties": loads(row.parties),
        "declared_at": row.declared_at.isoformat(),
    }


# -- the state ------------------------------------------------------------------------------------------


def state_view(session: Any, negotiation: Negotiation, viewer: Viewer) -> dict[str, Any]:
    """What the viewer sees of a negotiation at a glance (the read the benchmark measures)."""
    loaded = load(session, negotiation)
    issue_ids = loaded.issue_ids
    shown = loaded.visible(viewer.is_mediator)
    summaries = [
        _with_open_points(text_summary(t, shown.data(t)), shown.data(t), issue_ids) for t in shown.texts
    ]
    agreed = agreements(session, negotiation.id)
    preferences: dict[str, Any] = {}
    for party in loaded.party_ids:
        if not access.may_know_submission(viewer, party):
            continue
        entry: dict[str, Any] = {"submitted": False}
        for record in loaded.preferences:
            if record.party_id != party:
                continue
            if record.kind == access.SUBMITTED:
                entry.update(
                    submitted=True,
                    visibility=record.visibility,
                    version=record.version,
                    updated_at=record.updated_at.isoformat(),
                )
            elif viewer.is_mediator:
                entry["estimate"] = {"version": record.version, "updated_at": record.updated_at.isoformat()}
        preferences[party] = entry
    return {
        "id": negotiation.id,
        "title": negotiation.title,
        "role": viewer.role,
        "party": viewer.party,
        "version": negotiation.version,
        "state_version": visible_version(session, negotiation, viewer),
        "structure": loaded.structure,
        "must_accept": effective_must_accept(loaded.structure),
        "texts": summaries,
        "current_text": summaries[-1]["id"] if summaries else None,
        "agreement": agreement_dict(agreed[-1]) if agreed else None,
        "preferences": preferences,
    }


@router.get(
    "/negotiations/{nid}",
    response_model=NegotiationState,
    responses=errors(401, 404),
    summary="The negotiation as you may see it: structure, texts, agreement, your role",
)
async def get_negotiation(request: Request, nid: Nid) -> Response:
    """The most frequent read: answered from the per-version cache after one query, in the event loop.

    With an API token, one query checks the token, the membership and the
    state's version together, and a cached rendering answers; anything else
    (a session cookie, a state not rendered yet) takes the general path in the
    thread pool.  The query is a primary-key look-up of well under a
    millisecond, cheaper to run here than to hand to a thread.
    """
    svc = services(request)
    header = request.headers.get("authorization")
    if header is not None:
        found = _token_view(svc, header, nid)
        cached = svc.state_cache.get((nid, found[0], found[1].cache_key))
        if cached is not None:
            body, tag = cached
            if request.headers.get("if-none-match") == tag:
                return Response(status_code=304, headers={"ETag": tag})
            return Response(body, media_type="application/json", headers={"ETag": tag})
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_state, request, nid)


def _token_view(svc: Any, header: str, nid: str) -> tuple[int, Viewer]:
    from accord.server.auth import TOKEN_PREFIX

    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX):
        raise ApiError(401, "the Authorization header must be 'Bearer acc_…' (an API token)")
    row = svc.db.quick_row(_TOKEN_STATE, (nid, hash_token(token), svc.db.timestamp(utcnow())))
    if row is None:
        raise ApiError(401, "the API token is not valid (unknown, expired or revoked)")
    account_id, is_admin, role, party, state_version = row
    viewer = Viewer(int(account_id), role, party, bool(is_admin))
    access.require_member(viewer)
    return int(state_version), viewer


#: A valid token's account, its role in the negotiation and the state's version, in one statement.
_TOKEN_STATE = (
    "SELECT a.id, a.is_admin, m.role, m.party_id, n.state_version FROM api_tokens t "
    "JOIN accounts a ON a.id = t.account_id "
    "LEFT JOIN memberships m ON m.account_id = a.id AND m.negotiation_id = ? AND m.confirmed "
    "LEFT JOIN negotiations n ON n.id = m.negotiation_id "
    "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)"
)


def _state(request: Request, nid: str) -> Response:
    from accord.server.routes.common import json_bytes, principal

    who = principal(request)
    svc = services(request)
    with svc.db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        key = (nid, negotiation.state_version, viewer.cache_key)
        cached = svc.state_cache.get(key)
        if cached is None:
            state = state_view(session, negotiation, viewer)
            # The tag changes only with what this viewer sees (see visible_version).
            tag = etag(f"s{state['state_version']}-{viewer.role}-{viewer.party or ''}")
            cached = (json_bytes(state), tag)
            svc.state_cache.put(key, cached)
    body, tag = cached
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers={"ETag": tag})
    return Response(body, media_type="application/json", headers={"ETag": tag})


# -- the structure ----------------------------------------------------------------------------------------


@router.get(
    "/negotiations/{nid}/structure",
    response_model=StructureOut,
    responses=errors(401, 404),
    summary="Parties, issues, settled points and sources (ETag: the structure's version)",
)
def get_structure(request: Request, nid: Nid, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        negotiation, _ = viewer_of(session, who, nid)
        return respond(
            {"version": negotiation.version, "structure": loads(negotiation.structure)},
            etag=etag(negotiation.version),
        )


@router.patch(
    "/negotiations/{nid}/structure",
    response_model=StructureOut,
    responses=errors(400, 401, 403, 404, 409, 415, 422, 428),
    openapi_extra={
        **json_body(
            "StructurePatch",
            description=(
                "Any of scenario, sources, parties, issues, settled, each replacing the stored one whole, in "
                "the scenario file's form."
            ),
        ),
        "parameters": [if_match_doc(True)],
    },
    summary="Change the structure (mediators); everything stored must stay valid",
)
def patch_structure(
    request: Request, nid: Nid, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    patch = require_object(parse_json(body, request.headers.get("content-type")))
    unknown = [k for k in patch if k not in STRUCTURE_KEYS]
    if unknown:
        raise ApiError(
            422,
            "the body may only replace parts of the structure",
            [
                {
                    "path": "(top level)",
                    "message": f"unknown key {k!r}{did_you_mean(k, STRUCTURE_KEYS)}; "
                    f"expected one of: {', '.join(STRUCTURE_KEYS)}",
                }
                for k in unknown
            ],
        )

    def change(w: Write) -> Reply:
        negotiation, viewer = viewer_of(w.session, who, nid)
        access.require_mediator(viewer, "change the structure")
        current = loads(negotiation.structure)
        require_version(request, negotiation.version, {"version": negotiation.version, "structure": current})
        structure = {**current, **patch}
        loaded = load(w.session, negotiation)
        _check_structure(w, loaded, structure, viewer)
        removed = set(loaded.party_ids) - {
            p.get("id") for p in structure.get("parties", []) if isinstance(p, dict)
        }
        members = w.session.scalars(
            select(Membership.party_id).where(
                Membership.negotiation_id == nid, Membership.party_id.is_not(None)
            )
        ).all()
        still = sorted(removed & set(members))
        if still:
            raise ApiError(
                422,
                "the structure is not valid",
                [
                    {"path": "parties", "message": f"party {p!r} has delegates; remove them before the party"}
                    for p in still
                ],
            )
        negotiation.structure = dumps(structure)
        negotiation.title = structure.get("scenario", {}).get("title", negotiation.title)
        negotiation.version += 1
        w.record(
            nid,
            access.PUBLIC,
            "structure.changed",
            {
                "version": negotiation.version,
                "keys": sorted(patch),
                "structure": sha256(negotiation.structure),
            },
        )
        w.after_commit(lambda: analytics.refresh(w.services, nid))
        return Reply(
            {"version": negotiation.version, "structure": structure},
            headers={"ETag": etag(negotiation.version)},
        )

    return write(request, who, body, change, negotiation_id=nid)


def _check_structure(w: Write, loaded: Loaded, structure: dict[str, Any], viewer: Viewer) -> None:
    statements = [
        loads(s.data)
        for s in published_records(w.session, loaded.negotiation.id, Statement, include_unpublished=True)
    ]
    meetings = [
        loads(m.data)
        for m in published_records(w.session, loaded.negotiation.id, Meeting, include_unpublished=True)
    ]
    inputs = loaded.inputs()
    try:
        validate_structure(structure, loaded.text_documents, statements, meetings, inputs)
    except ScenarioError as error:
        readable = {r.party: access.may_read_preferences(viewer, r) for r in inputs}
        problems = access.redact_problems(error.problems, viewer, readable)
        raise ApiError(422, "the structure is not valid", problems) from None


# -- members ------------------------------------------------------------------------------------------


@router.get(
    "/negotiations/{nid}/members",
    response_model=MemberList,
    responses=errors(401, 404),
    summary="Who takes part (mediators see everyone; others see the mediators and themselves)",
)
def list_members(request: Request, nid: Nid, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        _, viewer = viewer_of(session, who, nid)
        rows = session.execute(
            select(Membership, Account)
            .join(Account, Account.id == Membership.account_id)
            .where(Membership.negotiation_id == nid)
            .order_by(Membership.id)
        ).all()
        members = []
        for member, account in rows:
            # Who speaks for which party is shared with the mediators; other parties learn only the
            # mediators' names (a party's delegation may be confidential).
            if not (
                viewer.is_mediator or member.role == access.MEDIATOR or member.account_id == who.account_id
            ):
                continue
            members.append(
                {
                    "account": account.id,
                    "name": account.name,
                    "email": account.email if viewer.is_mediator else None,
                    "role": member.role,
                    "party": member.party_id,
                    "since": member.created_at.isoformat(),
                    "confirmed": member.confirmed,
                }
            )
        return respond({"members": members})


def _member(w: Write, nid: Nid, account_id: int) -> Membership:
    member = w.session.scalar(
        select(Membership).where(Membership.negotiation_id == nid, Membership.account_id == account_id)
    )
    if member is None:
        raise ApiError(404, "no such member")
    return member


@router.post(
    "/negotiations/{nid}/members/{account_id}/confirm",
    responses=errors(400, 401, 403, 404, 409),
    openapi_extra={"parameters": [idempotency_doc()]},
    summary="Confirm a delegate who joined through an invitation not bound to their email (mediators)",
)
def confirm_member(
    request: Request,
    nid: Nid,
    account_id: int = Path(ge=1, le=2**31 - 1),
    who: Principal = Authenticated,
    body: bytes = Body,
) -> Response:
    def confirm(w: Write) -> Reply:
        _, viewer = viewer_of(w.session, who, nid)
        access.require_mediator(viewer, "confirm members")
        member = _member(w, nid, account_id)
        if member.confirmed:
            raise ApiError(409, "this member is confirmed already")
        member.confirmed = True
        w.record(
            nid,
            access.MEDIATORS,
            "member.confirmed",
            {"account": account_id, "role": member.role, "party": member.party_id},
        )
        return Reply(
            {"account": account_id, "role": member.role, "party": member.party_id, "confirmed": True}
        )

    return write(request, who, body, confirm, negotiation_id=nid)


@router.delete(
    "/negotiations/{nid}/members/{account_id}",
    status_code=204,
    responses=errors(401, 403, 404, 409),
    summary="Remove a member (mediators; a mediator may not remove the last mediator)",
)
def remove_member(
    request: Request,
    nid: Nid,
    account_id: int = Path(ge=1, le=2**31 - 1),
    who: Principal = Authenticated,
    body: bytes = Body,
) -> Response:
    def remove(w: Write) -> Reply:
        _, viewer = viewer_of(w.session, who, nid)
        access.require_mediator(viewer, "remove members")
        member = _member(w, nid, account_id)
        if member.role == access.MEDIATOR:
            mediators = w.session.scalars(
                select(Membership.id).where(
                    Membership.negotiation_id == nid, Membership.role == access.MEDIATOR
                )
            ).all()
            if len(mediators) <= 1:
                raise ApiError(409, "a negotiation needs at least one mediator")
        w.session.delete(member)
        w.record(
            nid,
            access.MEDIATORS,
            "member.removed",
            {"account": account_id, "role": member.role, "party": member.party_id},
        )
        return Reply(None, 204)

    write(request, who, body, remove, negotiation_id=nid)
    return Response(status_code=204)


# -- invitations ---------------------------------------------------------------------------------------


def invitation_dict(row: Invitation, token: str | None = None) -> dict[str, Any]:
    now = utcnow()
    status = (
        "used"
        if row.used_at
        else "revoked"
        if row.revoked_at
        else "expired"
        if row.expires_at <= now
        else "open"
    )
    return InvitationOut(
        id=row.id,
        role=row.role,
        party=row.party_id,
        created_at=row.created_at,
        expires_at=row.expires_at,
        status=status,
        note=row.note,
        email=row.email,
        token=token,
    ).model_dump(mode="json")


@router.get(
    "/negotiations/{nid}/invitations",
    response_model=InvitationList,
    responses=errors(401, 403, 404),
    summary="Invitations of this negotiation (mediators)",
)
def list_invitations(request: Request, nid: Nid, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        _, viewer = viewer_of(session, who, nid)
        access.require_mediator(viewer, "see invitations")
        rows = session.scalars(
            select(Invitation).where(Invitation.negotiation_id == nid).order_by(Invitation.created_at)
        )
        return respond({"invitations": [invitation_dict(r) for r in rows]})


@router.post(
    "/negotiations/{nid}/invitations",
    status_code=201,
    response_model=InvitationOut,
    responses=errors(400, 401, 403, 404, 415, 422),
    openapi_extra={**json_body("InvitationCreateBody"), "parameters": [idempotency_doc()]},
    summary="Invite someone as mediator, delegate of a party, or observer (the token is shown once)",
)
def create_invitation(
    request: Request, nid: Nid, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    data = parse_model(InvitationCreateBody, parse_json(body, request.headers.get("content-type")))
    settings = services(request).settings

    def create(w: Write) -> Reply:
        negotiation, viewer = viewer_of(w.session, who, nid)
        access.require_mediator(viewer, "invite people")
        parties = [p["id"] for p in loads(negotiation.structure).get("parties", [])]
        if data.role == access.DELEGATE:
            if data.party is None:
                raise ApiError(
                    422,
                    "a delegate speaks for one party",
                    [{"path": "party", "message": "missing required key 'party' for a delegate"}],
                )
            if data.party not in parties:
                raise ApiError(
                    422,
                    "unknown party",
                    [
                        {
                            "path": "party",
                            "message": (
                                f"unknown party {data.party!r}{did_you_mean(data.party, parties)}; "
                                f"the parties are: {', '.join(parties)}"
                            ),
                        }
                    ],
                )
        elif data.party is not None:
            raise ApiError(
                422,
                "only a delegate has a party",
                [{"path": "party", "message": f"a {data.role} speaks for no party; leave it out"}],
            )
        if data.expires_in_hours > settings.invitation_max_hours:
            raise ApiError(
                422,
                "the invitation would be valid too long",
                [
                    {
                        "path": "expires_in_hours",
                        "message": (f"must be at most {settings.invitation_max_hours:g} hours"),
                    }
                ],
            )
        token = new_token(INVITATION_PREFIX)
        row = Invitation(
            negotiation_id=nid,
            role=data.role,
            party_id=data.party,
            token_hash=hash_token(token),
            note=data.note,
            email=None if data.email is None else normalise_email(data.email),
            created_by=who.account_id,
            expires_at=utcnow() + dt.timedelta(hours=data.expires_in_hours),
        )
        w.session.add(row)
        w.session.flush()
        w.record(
            nid,
            access.MEDIATORS,
            "invitation.created",
            {
                "invitation": row.id,
                "role": row.role,
                "party": row.party_id,
                "expires_at": row.expires_at.isoformat(),
                "bound": row.email is not None,
            },
        )
        out = invitation_dict(row, token)
        out["link"] = f"/invite/{token}"
        return Reply(out, 201)

    return write(request, who, body, create, negotiation_id=nid)


@router.delete(
    "/negotiations/{nid}/invitations/{invitation_id}",
    status_code=204,
    responses=errors(401, 403, 404),
    summary="Revoke an invitation (mediators)",
)
def revoke_invitation(
    request: Request, nid: Nid, invitation_id: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    def revoke(w: Write) -> Reply:
        _, viewer = viewer_of(w.session, who, nid)
        access.require_mediator(viewer, "revoke invitations")
        row = w.session.get(Invitation, invitation_id) if len(invitation_id) <= 32 else None
        if row is None or row.negotiation_id != nid:
            raise ApiError(404, "no such invitation")
        if row.revoked_at is None and row.used_at is None:
            row.revoked_at = utcnow()
            w.record(nid, access.MEDIATORS, "invitation.revoked", {"invitation": row.id})
        return Reply(None, 204)

    write(request, who, body, revoke, negotiation_id=nid)
    return Response(status_code=204)


# -- export ------------------------------------------------------------------------------------------


@router.get(
    "/negotiations/{nid}/export",
    responses={
        **errors(401, 403, 404),
        200: {
            "description": "A scenario file",
            "content": {
                "application/toml": {"schema": {"type": "string"}},
                "application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}},
            },
        },
    },
    summary="The public record as a scenario file the command line reads",
)
def export(
    request: Request,
    nid: Nid,
    format: Literal["toml", "json"] = Query("toml"),
    preferences: Literal["none", "estimates", "own"] = Query(
        "none",
        description="none: the public record only; estimates: with the mediators' estimates "
        "(mediators); own: with your party's own preferences (delegates).",
    ),
    who: Principal = Authenticated,
) -> Response:
    from accord.io.scenario_file import dumps_json, dumps_toml

    with services(request).db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        loaded = load(session, negotiation)
        chosen: dict[str, Any] = {}
        if preferences == "estimates":
            access.require_mediator(viewer, "export the mediators' estimates")
            chosen = {r.party: r.data for r in loaded.inputs() if r.kind == access.ESTIMATE}
        elif preferences == "own":
            party = access.require_delegate(viewer, "export their own preferences")
            chosen = access.delegate_profile(loaded.inputs(), party)
        texts = loaded.visible(False).text_documents  # the public record: published versions only
        agreed = agreements(session, nid)
        if agreed:
            texts = _with_agreement(texts, agreed[-1])
        statements = [
            loads(s.data) for s in published_records(session, nid, Statement, include_unpublished=False)
        ]
        meetings = [
            loads(m.data) for m in published_records(session, nid, Meeting, include_unpublished=False)
        ]
    structure = loads(negotiation.structure)
    must = effective_must_accept(structure)
    from accord.server.store import build_document

    # A file needs preferences for every party that must accept; the public record has none, so the
    # parties left without them are taken out of must_accept, and the description says so.
    kept = [p for p in must if p in chosen]
    document = build_document(
        structure, texts=texts, statements=statements, meetings=meetings, preferences=chosen, must_accept=kept
    )
    if kept != must:
        left = [p for p in must if p not in chosen]
        info = document["scenario"]
        info["description"] = (
            (info.get("description") or "").rstrip()
            + (" " if info.get("description") else "")
            + f"[Exported by accord serve without the preferences of {', '.join(left)}, "
            f"so must_accept lists only {', '.join(kept) or 'no party'}; in the "
            f"negotiation, {', '.join(must)} must accept.]"
        )
    try:
        scenario = check_document(document, file="export")
    except ScenarioError as error:  # pragma: no cover - stored state is always valid
        raise ApiError(
            409, "the negotiation's record does not form a valid scenario", error.problems
        ) from None
    if format == "json":
        return Response(dumps_json(scenario), media_type="application/json")
    return Response(
        dumps_toml(scenario),
        media_type="application/toml",
        headers={"Content-Disposition": f'attachment; filename="{nid}.toml"'},
    )


def _with_agreement(texts: list[dict[str, Any]], agreement: Any) -> list[dict[str, Any]]:
    """The agreed version marked ``agreed`` (or added as a text when the package was no version)."""
    out = [dict(t) for t in texts]
    for text in out:
        if text["id"] == agreement.text_id:
            text["status"] = "agreed"
            return out
    ids = {t["id"] for t in out}
    name = f"agreement-{agreement.seq}"
    while name in ids:
        name += "x"
    out.append(
        {
            "id": name,
            "title": f"Agreement {agreement.seq} (declared {agreement.declared_at.date()})",
            "status": "agreed",
            "positions": loads(agreement.positions),
            "date": agreement.declared_at.date().isoformat(),
        }
    )
    return out


# -- audit --------------------------------------------------------------------------------------------


@router.get(
    "/negotiations/{nid}/audit",
    response_model=AuditOut,
    responses=errors(401, 404, 422),
    summary="The audit log of what you may see (mediators also see who and from where)",
)
def audit_log(
    request: Request,
    nid: Nid,
    stream: str | None = Query(None, max_length=80),
    after: int = Query(0, ge=0, le=2**31 - 1),
    limit: int = Query(200, ge=1, le=1000),
    who: Principal = Authenticated,
) -> Response:
    with services(request).db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        streams = access.visible_streams(viewer, load(session, negotiation, preferences=False).party_ids)
        if stream is not None and stream not in streams:
            raise ApiError(
                422,
                "unknown stream",
                [
                    {
                        "path": "stream",
                        "message": (
                            f"unknown stream {stream!r}{did_you_mean(stream, streams)}; "
                            f"yours are: {', '.join(streams)}"
                        ),
                    }
                ],
            )
        chosen = [stream] if stream else streams
        query = select(AuditEntry).where(AuditEntry.negotiation_id == nid, AuditEntry.stream.in_(chosen))
        if stream is not None:
            query = query.where(AuditEntry.seq > after)
        rows = session.scalars(query.order_by(AuditEntry.id).limit(limit)).all()
        show_who = access.addresses_visible(viewer)
        entries = [
            {
                "stream": r.stream,
                "seq": r.seq,
                "at": r.at,
                "action": r.action,
                "details": loads(r.details),
                "actor": r.actor if show_who else None,
                "address": r.address if show_who else None,
                "hash": r.hash,
                "prev_hash": r.prev_hash,
            }
            for r in rows
        ]
        heads = {s: 0 for s in streams}
        for s, seq in session.execute(
            select(AuditEntry.stream, func.max(AuditEntry.seq))
            .where(AuditEntry.negotiation_id == nid, AuditEntry.stream.in_(streams))
            .group_by(AuditEntry.stream)
        ).all():
            heads[s] = int(seq)
        return respond({"entries": entries, "streams": heads})


def canonical_structure(structure: dict[str, Any]) -> str:
    return canonical(structure)
