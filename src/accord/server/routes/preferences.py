"""Confidential preferences: submitted by a party's delegates, and the mediators' own estimates."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from accord.errors import ScenarioError
from accord.model.suggest import did_you_mean
from accord.server import access, analytics
from accord.server.audit import commitment
from accord.server.auth import Principal
from accord.server.db.models import PreferenceRecord, utcnow
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
from accord.server.routes.negotiations import save_estimate
from accord.server.schemas import PreferencesBody, PreferencesList, PreferencesOut
from accord.server.store import (
    Loaded,
    build_document,
    check_document,
    dummy_preferences,
    dumps,
    effective_must_accept,
    load,
    loads,
    model_json,
    parse_json,
    parse_model,
    rebase,
    require_object,
)

router = APIRouter(tags=["preferences"])


def record_dict(record: PreferenceRecord, *, numbers: bool) -> dict[str, Any]:
    return {
        "party": record.party_id,
        "kind": record.kind,
        "version": record.version,
        "updated_at": record.updated_at.isoformat(),
        "visibility": record.visibility if record.kind == access.SUBMITTED else None,
        "preferences": loads(record.data) if numbers else None,
    }


def _input(record: PreferenceRecord) -> access.PreferenceInput:
    return access.PreferenceInput(record.party_id, record.kind, record.visibility, loads(record.data))


def _known_party(loaded: Loaded, party: str) -> None:
    parties = loaded.party_ids
    if party not in parties:
        raise ApiError(404, f"unknown party {party!r}{did_you_mean(party, parties)}")


def _find(session: Any, nid: str, party: str, kind: str) -> PreferenceRecord | None:
    return session.scalar(
        select(PreferenceRecord).where(
            PreferenceRecord.negotiation_id == nid,
            PreferenceRecord.party_id == party,
            PreferenceRecord.kind == kind,
        )
    )


@router.get(
    "/negotiations/{nid}/preferences",
    response_model=PreferencesList,
    responses=errors(401, 403, 404),
    summary="Preferences you may see: your party's (delegates), or each party's as it chose (mediators)",
)
def list_preferences(request: Request, nid: str, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        access.require_participant(viewer, "see preferences")
        loaded = load(session, negotiation)
        parties: dict[str, Any] = {}
        for party in loaded.party_ids:
            if not access.may_know_submission(viewer, party):
                continue
            entry: dict[str, Any] = {"submitted": None}
            if viewer.is_mediator:
                entry["estimate"] = None
            for record in loaded.preferences:
                if record.party_id != party:
                    continue
                if record.kind == access.SUBMITTED:
                    entry["submitted"] = record_dict(
                        record, numbers=access.may_read_preferences(viewer, _input(record))
                    )
                elif viewer.is_mediator:
                    entry["estimate"] = record_dict(record, numbers=True)
            parties[party] = entry
        return respond({"parties": parties})


@router.get(
    "/negotiations/{nid}/preferences/{party}",
    response_model=PreferencesOut,
    responses=errors(401, 403, 404),
    summary="A party's submitted preferences: the numbers for its delegates, and for mediators if "
    "the party chose 'full'",
)
def get_preferences(request: Request, nid: str, party: str, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        if not access.may_know_submission(viewer, party):
            # Said before looking, so that the answer tells nothing about what was submitted.
            raise ApiError(403, "a party's preferences are seen by its own delegates and the mediators only")
        _known_party(load(session, negotiation, preferences=False), party)
        record = _find(session, nid, party, access.SUBMITTED)
        if record is None:
            raise ApiError(404, f"party {party!r} has not submitted preferences")
        numbers = access.may_read_preferences(viewer, _input(record))
        return respond(record_dict(record, numbers=numbers), etag=etag(record.version))


def _check_preferences(loaded: Loaded, party: str, prefs: Any, *, body_prefix: str) -> dict[str, Any]:
    """The library's validation of one party's preferences in this negotiation; the stored form."""
    prefs = require_object(prefs, "preferences")
    structure = loaded.structure
    stand_ins = [p for p in effective_must_accept(structure) if p != party]
    chosen = {p: dummy_preferences(structure) for p in stand_ins}
    chosen[party] = prefs
    document = build_document(structure, texts=loaded.text_documents, preferences=chosen)
    try:
        scenario = check_document(document, stand_ins=stand_ins)
    except ScenarioError as error:
        raise ApiError(
            422, "the preferences are not valid", rebase(error.problems, f"preferences.{party}", body_prefix)
        ) from None
    return model_json(scenario.preferences[party])


@router.put(
    "/negotiations/{nid}/preferences/{party}",
    response_model=PreferencesOut,
    responses=errors(400, 401, 403, 404, 409, 415, 422, 428),
    openapi_extra={**json_body("PreferencesBody"), "parameters": [if_match_doc(), idempotency_doc()]},
    summary="Submit or revise your party's preferences, and choose what the mediators may see",
)
def put_preferences(
    request: Request, nid: str, party: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    data = parse_model(PreferencesBody, parse_json(body, request.headers.get("content-type")))

    def submit(w: Write) -> Reply:
        negotiation, viewer = viewer_of(w.session, who, nid)
        access.require_delegate(viewer, "submit preferences for their party", party)
        loaded = load(w.session, negotiation)
        _known_party(loaded, party)
        given = dict(data.preferences)
        given.setdefault("estimate", False)  # a party's own numbers, unless it says otherwise
        stored_form = _check_preferences(loaded, party, given, body_prefix="preferences")
        stored = dumps(stored_form)
        record = _find(w.session, nid, party, access.SUBMITTED)
        salt = secrets.token_hex(16)
        if record is None:
            if request.headers.get("if-match") is not None:
                raise ApiError(
                    409,
                    f"party {party!r} has no preferences to revise yet; send them without If-Match",
                    current=None,
                )
            record = PreferenceRecord(
                negotiation_id=nid,
                party_id=party,
                kind=access.SUBMITTED,
                visibility=data.visibility,
                data=stored,
                salt=salt,
                updated_by=who.account_id,
            )
            w.session.add(record)
            status = 201
        else:
            require_version(request, record.version, record_dict(record, numbers=True))
            record.data, record.salt, record.visibility = stored, salt, data.visibility
            record.version += 1
            record.updated_at, record.updated_by = utcnow(), who.account_id
            status = 200
        w.session.flush()
        w.record(
            nid,
            access.party_stream(party),
            "preferences.submitted",
            {
                "party": party,
                "version": record.version,
                "visibility": data.visibility,
                "commitment": commitment(salt, stored),
            },
        )
        w.after_commit(lambda: analytics.refresh(w.services, nid))
        return Reply(record_dict(record, numbers=True), status, {"ETag": etag(record.version)})

    return write(request, who, body, submit, negotiation_id=nid)


# -- the mediators' estimates ------------------------------------------------------------------------


@router.get(
    "/negotiations/{nid}/estimates/{party}",
    response_model=PreferencesOut,
    responses=errors(401, 403, 404),
    summary="The mediators' estimate of a party's preferences",
)
def get_estimate(request: Request, nid: str, party: str, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        access.require_mediator(viewer, "see the mediators' estimates")
        _known_party(load(session, negotiation, preferences=False), party)
        record = _find(session, nid, party, access.ESTIMATE)
        if record is None:
            raise ApiError(404, f"there is no estimate for party {party!r}")
        return respond(record_dict(record, numbers=True), etag=etag(record.version))


@router.put(
    "/negotiations/{nid}/estimates/{party}",
    response_model=PreferencesOut,
    responses=errors(400, 401, 403, 404, 409, 415, 422, 428),
    openapi_extra={
        **json_body("Preferences", description="As in a scenario file's [preferences.PARTY]."),
        "parameters": [if_match_doc(), idempotency_doc()],
    },
    summary="Save the mediators' estimate of a party's preferences (kept apart from what it submits)",
)
def put_estimate(
    request: Request, nid: str, party: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    prefs = require_object(parse_json(body, request.headers.get("content-type")))

    def save(w: Write) -> Reply:
        negotiation, viewer = viewer_of(w.session, who, nid)
        access.require_mediator(viewer, "estimate preferences")
        loaded = load(w.session, negotiation)
        _known_party(loaded, party)
        given = {**prefs, "estimate": True}  # an estimate is labelled as one, always
        stored_form = _check_preferences(loaded, party, given, body_prefix="")
        record = _find(w.session, nid, party, access.ESTIMATE)
        if record is not None:
            require_version(request, record.version, record_dict(record, numbers=True))
        elif request.headers.get("if-match") is not None:
            raise ApiError(409, f"there is no estimate for {party!r} to revise yet; send it without If-Match")
        created = record is None
        record = save_estimate(w, nid, party, stored_form, who.account_id)
        w.after_commit(lambda: analytics.refresh(w.services, nid))
        return Reply(
            record_dict(record, numbers=True), 201 if created else 200, {"ETag": etag(record.version)}
        )

    return write(request, who, body, save, negotiation_id=nid)


@router.delete(
    "/negotiations/{nid}/estimates/{party}",
    status_code=204,
    responses=errors(400, 401, 403, 404, 409, 428),
    openapi_extra={"parameters": [if_match_doc(True)]},
    summary="Delete the mediators' estimate of a party",
)
def delete_estimate(
    request: Request, nid: str, party: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    def delete(w: Write) -> Reply:
        _, viewer = viewer_of(w.session, who, nid)
        access.require_mediator(viewer, "delete estimates")
        record = _find(w.session, nid, party, access.ESTIMATE)
        if record is None:
            raise ApiError(404, f"there is no estimate for party {party!r}")
        require_version(request, record.version, record_dict(record, numbers=True))
        w.session.delete(record)
        w.record(nid, access.MEDIATORS, "estimate.deleted", {"party": party})
        w.after_commit(lambda: analytics.refresh(w.services, nid))
        return Reply(None, 204)

    write(request, who, body, delete, negotiation_id=nid)
    return Response(status_code=204)
