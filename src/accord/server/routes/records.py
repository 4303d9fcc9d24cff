"""The record: statements and meetings, logged with their sources (the model's Statement and Meeting)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from accord.errors import ScenarioError
from accord.server import access
from accord.server.auth import Principal
from accord.server.db.models import Meeting, Statement
from accord.server.errors import ApiError
from accord.server.routes.common import (
    Authenticated,
    Body,
    Reply,
    Write,
    errors,
    idempotency_doc,
    json_body,
    respond,
    services,
    viewer_of,
    write,
)
from accord.server.routes.negotiations import add_record
from accord.server.schemas import MeetingBody, RecordList, RecordOut, StatementBody
from accord.server.store import (
    build_document,
    check_document,
    dummy_preferences,
    effective_must_accept,
    load,
    loads,
    model_json,
    parse_json,
    parse_model,
    published_records,
    rebase,
    require_object,
)

router = APIRouter(tags=["record"])

KINDS: dict[str, tuple[type[Statement] | type[Meeting], str, type[StatementBody] | type[MeetingBody]]] = {
    "statements": (Statement, "statement", StatementBody),
    "meetings": (Meeting, "meeting", MeetingBody),
}


def record_dict(row: Statement | Meeting, kind: str) -> dict[str, Any]:
    return {
        "id": row.id,
        "published": row.published,
        "created_at": row.created_at.isoformat(),
        kind: loads(row.data),
    }


def _check(session: Any, negotiation: Any, kind: str, data: Any, published: bool = False) -> dict[str, Any]:
    """The library's validation of a statement or meeting among the stored record.

    A published one may refer to published versions only (it must not name an unpublished one).
    """
    model, singular, _ = KINDS[kind]
    loaded = load(session, negotiation, preferences=False).visible(not published)
    existing = [
        loads(r.data)
        for r in published_records(session, negotiation.id, model, include_unpublished=not published)
    ]
    stand_ins = effective_must_accept(loaded.structure)
    parts: dict[str, Any] = {"statements": [], "meetings": []}
    parts[kind] = [*existing, require_object(data, singular)]
    document = build_document(
        loaded.structure,
        texts=loaded.text_documents,
        preferences={p: dummy_preferences(loaded.structure) for p in stand_ins},
        **parts,
    )
    try:
        scenario = check_document(document, stand_ins=stand_ins)
    except ScenarioError as error:
        raise ApiError(
            422,
            f"the {singular} is not valid",
            rebase(error.problems, f"{kind}[{len(existing) + 1}]", singular),
        ) from None
    return model_json(getattr(scenario, kind)[-1])


def _list(request: Request, nid: str, kind: str, who: Principal) -> Response:
    model, singular, _ = KINDS[kind]
    with services(request).db.read() as session:
        _, viewer = viewer_of(session, who, nid)
        rows = published_records(session, nid, model, include_unpublished=viewer.is_mediator)
        return respond(
            {"items": [record_dict(r, singular) for r in rows if access.record_visible(viewer, r.published)]}
        )


def _create(request: Request, nid: str, kind: str, who: Principal, body: bytes) -> Response:
    model, singular, body_model = KINDS[kind]
    data = parse_model(body_model, parse_json(body, request.headers.get("content-type")))
    payload = getattr(data, singular)

    def create(w: Write) -> Reply:
        negotiation, viewer = viewer_of(w.session, who, nid)
        access.require_mediator(viewer, f"log {kind}")
        stored = _check(w.session, negotiation, kind, payload, data.published)
        row = add_record(w, nid, model, singular, stored, data.published, who.account_id)
        return Reply(record_dict(row, singular), 201)

    return write(request, who, body, create, negotiation_id=nid)


@router.get(
    "/negotiations/{nid}/statements",
    response_model=RecordList,
    responses=errors(401, 404),
    summary="Statements: published ones for everyone, unpublished notes for mediators",
)
def list_statements(request: Request, nid: str, who: Principal = Authenticated) -> Response:
    return _list(request, nid, "statements", who)


@router.post(
    "/negotiations/{nid}/statements",
    status_code=201,
    response_model=RecordOut,
    responses=errors(400, 401, 403, 404, 415, 422),
    openapi_extra={**json_body("StatementBody"), "parameters": [idempotency_doc()]},
    summary="Log a statement with its source (mediators)",
)
def add_statement(request: Request, nid: str, who: Principal = Authenticated, body: bytes = Body) -> Response:
    return _create(request, nid, "statements", who, body)


@router.get(
    "/negotiations/{nid}/meetings",
    response_model=RecordList,
    responses=errors(401, 404),
    summary="Meetings: published ones for everyone, unpublished notes for mediators",
)
def list_meetings(request: Request, nid: str, who: Principal = Authenticated) -> Response:
    return _list(request, nid, "meetings", who)


@router.post(
    "/negotiations/{nid}/meetings",
    status_code=201,
    response_model=RecordOut,
    responses=errors(400, 401, 403, 404, 415, 422),
    openapi_extra={**json_body("MeetingBody"), "parameters": [idempotency_doc()]},
    summary="Log a meeting with its sources (mediators)",
)
def add_meeting(request: Request, nid: str, who: Principal = Authenticated, body: bytes = Body) -> Response:
    return _create(request, nid, "meetings", who, body)
