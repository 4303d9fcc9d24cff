"""Versions of the single negotiating text, with lineage and diffs; comments on them; votes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.errors import Problem, ScenarioError
from accord.model.suggest import did_you_mean
from accord.server import access, analytics
from accord.server.access import Viewer
from accord.server.auth import Principal
from accord.server.db.models import Account, Comment, Negotiation, TextVersion, Vote, utcnow
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
from accord.server.routes.negotiations import publish_text, record_published, text_summary
from accord.server.schemas import (
    CommentBody,
    CommentList,
    CommentOut,
    TextList,
    TextOut,
    VoteBody,
    VoteList,
    VoteOut,
)
from accord.server.store import (
    Loaded,
    build_document,
    check_document,
    dummy_preferences,
    effective_must_accept,
    entry_prefix,
    load,
    loads,
    model_json,
    parse_json,
    parse_model,
    rebase,
    require_object,
)

router = APIRouter(tags=["texts"])


def _text_or_404(loaded: Loaded, text_id: str) -> TextVersion:
    row = loaded.text(text_id)
    if row is None:
        known = [t.text_id for t in loaded.texts]
        raise ApiError(404, f"unknown text {text_id!r}{did_you_mean(text_id, known)}")
    return row


def check_new_text(loaded: Loaded, data: Any) -> dict[str, Any]:
    """The library's validation of a new version among the published ones; its stored form."""
    data = require_object(data)
    structure = loaded.structure
    stand_ins = effective_must_accept(structure)
    existing = loaded.text_documents
    document = build_document(
        structure, texts=[*existing, data], preferences={p: dummy_preferences(structure) for p in stand_ins}
    )
    prefix = entry_prefix("texts", data, len(existing) + 1)
    try:
        scenario = check_document(document, stand_ins=stand_ins)
    except ScenarioError as error:
        raise ApiError(422, "the text is not valid", rebase(error.problems, prefix)) from None
    if data.get("status") == "agreed":
        raise ApiError(
            422,
            "the text is not valid",
            [
                Problem(
                    "request body",
                    "status",
                    "a version becomes agreed when every party that must accept marks it "
                    "acceptable; publish it as a proposal or draft",
                )
            ],
        )
    return model_json(scenario.texts[-1])


def next_seq(loaded: Loaded) -> int:
    return (loaded.texts[-1].seq if loaded.texts else 0) + 1


def text_list(loaded: Loaded) -> dict[str, Any]:
    issue_ids = loaded.issue_ids
    texts = []
    for row in loaded.texts:
        summary = text_summary(row, loaded.data(row))
        positions = loads(row.data).get("positions", {})
        summary["open_points"] = [i for i in issue_ids if i not in positions]
        texts.append(summary)
    return {"texts": texts, "current_text": texts[-1]["id"] if texts else None}


@router.get(
    "/negotiations/{nid}/texts",
    response_model=TextList,
    responses=errors(401, 404),
    summary="Every version you may see, oldest first (unpublished ones: mediators only)",
)
def list_texts(request: Request, nid: str, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        return respond(text_list(load(session, negotiation, preferences=False).visible(viewer.is_mediator)))


@router.post(
    "/negotiations/{nid}/texts",
    status_code=201,
    response_model=TextOut,
    responses=errors(400, 401, 403, 404, 409, 415, 422),
    openapi_extra={
        **json_body(
            "Text",
            description="A version, as in a scenario file's [[texts]]: id, title, "
            "parent, positions (issue → option; leave a point out "
            "to bracket it), notes, sources, date.",
        ),
        "parameters": [idempotency_doc()],
    },
    summary="Add a new version of the text (mediators): published, or kept for the mediators until "
    "they publish it",
)
def publish(
    request: Request,
    nid: str,
    publish: bool = Query(
        True,
        description="false: an unpublished version, seen by the mediators alone (with its analysis) "
        "until POST …/texts/{text_id}/publish.",
    ),
    who: Principal = Authenticated,
    body: bytes = Body,
) -> Response:
    data = parse_json(body, request.headers.get("content-type"))

    def create(w: Write) -> Reply:
        negotiation, viewer = viewer_of(w.session, who, nid)
        access.require_mediator(viewer, "publish versions")
        loaded = load(w.session, negotiation, preferences=False)
        stored = check_new_text(loaded, data)
        row = publish_text(
            w, nid, stored, next_seq(loaded), "mediator", None, who.account_id, published=publish
        )
        w.after_commit(lambda: analytics.refresh(w.services, nid))
        out = text_out(w.session, negotiation, load(w.session, negotiation, preferences=False), row)
        return Reply(out, 201, {"Location": f"/api/v1/negotiations/{nid}/texts/{row.text_id}"})

    return write(request, who, body, create, negotiation_id=nid)


@router.post(
    "/negotiations/{nid}/texts/{text_id}/publish",
    response_model=TextOut,
    responses=errors(400, 401, 403, 404, 409),
    openapi_extra={"parameters": [idempotency_doc()]},
    summary="Publish an unpublished version (mediators): every member sees it from now on",
)
def publish_draft(
    request: Request, nid: str, text_id: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    def release(w: Write) -> Reply:
        negotiation, viewer = viewer_of(w.session, who, nid)
        access.require_mediator(viewer, "publish versions")
        loaded = load(w.session, negotiation, preferences=False)
        row = _text_or_404(loaded, text_id)
        if row.published:
            raise ApiError(409, f"text {text_id!r} is published already")
        row.published, row.published_at = True, utcnow()
        w.session.flush()
        record_published(w, nid, row)
        w.after_commit(lambda: analytics.refresh(w.services, nid))
        return Reply(text_out(w.session, negotiation, load(w.session, negotiation, preferences=False), row))

    return write(request, who, body, release, negotiation_id=nid)


def public_diff(session: Session, negotiation: Negotiation, loaded: Loaded, row: TextVersion) -> list[Any]:
    """The points that changed from the parent (no utilities: those depend on whose preferences)."""
    from accord.analysis.diff import diff_texts
    from accord.space import compile_scenario
    from accord.views.labels import Labels
    from accord.views.texts import diff_to_dict

    data = loaded.data(row)
    if data.get("parent") is None:
        return []
    document = build_document(loaded.structure, texts=loaded.text_documents, must_accept=[])
    scenario = check_document(document)
    space = compile_scenario(scenario)
    diff = diff_to_dict(
        diff_texts(space, space.text_index(data["parent"]), space.text_index(row.text_id)),
        Labels(scenario, space),
    )
    return list(diff["changes"])


def text_out(session: Session, negotiation: Negotiation, loaded: Loaded, row: TextVersion) -> dict[str, Any]:
    """A version with its lineage and changes, as ``loaded`` (the viewer's view) shows them."""
    data = loaded.data(row)
    lineage = [row.text_id]
    by_id = {t.text_id: loaded.data(t) for t in loaded.texts}
    while by_id.get(lineage[-1], {}).get("parent") and len(lineage) <= len(by_id):
        lineage.append(by_id[lineage[-1]]["parent"])
    return {
        "text": data,
        "seq": row.seq,
        "origin": row.origin,
        "origin_ref": row.origin_ref,
        "published_at": row.published_at.isoformat(),
        "published": bool(row.published),
        "lineage": lineage[::-1],
        "changes": public_diff(session, negotiation, loaded, row),
    }


@router.get(
    "/negotiations/{nid}/texts/{text_id}",
    response_model=TextOut,
    responses=errors(401, 404),
    summary="One version, its lineage, and what changed from its parent",
)
def get_text(request: Request, nid: str, text_id: str, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        loaded = load(session, negotiation, preferences=False).visible(viewer.is_mediator)
        row = _text_or_404(loaded, text_id)
        return respond(text_out(session, negotiation, loaded, row))


# -- comments --------------------------------------------------------------------------------------


def comment_dict(row: Comment, author: str) -> dict[str, Any]:
    return CommentOut(
        id=row.id,
        text=row.text_id,
        point=row.issue_id,
        party=row.party_id,
        author=author,
        audience=row.audience,
        body=row.body,
        created_at=row.created_at,
    ).model_dump(mode="json")


def _check_point(loaded: Loaded, point: str | None, where: str = "point") -> None:
    if point is not None and point not in loaded.issue_ids:
        raise ApiError(
            422,
            "unknown point",
            [{"path": where, "message": (f"unknown issue {point!r}{did_you_mean(point, loaded.issue_ids)}")}],
        )


@router.get(
    "/negotiations/{nid}/texts/{text_id}/comments",
    response_model=CommentList,
    responses=errors(401, 403, 404),
    summary="Comments you may see: your party's and those addressed to every participant",
)
def list_comments(request: Request, nid: str, text_id: str, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        access.require_participant(viewer, "see comments")
        _text_or_404(load(session, negotiation, preferences=False).visible(viewer.is_mediator), text_id)
        rows = session.execute(
            select(Comment, Account.name)
            .join(Account, Account.id == Comment.author_id)
            .where(Comment.negotiation_id == nid, Comment.text_id == text_id)
            .order_by(Comment.created_at)
        ).all()
        return respond(
            {
                "comments": [
                    comment_dict(c, name)
                    for c, name in rows
                    if access.comment_visible(viewer, c.audience, c.party_id)
                ]
            }
        )


@router.post(
    "/negotiations/{nid}/texts/{text_id}/comments",
    status_code=201,
    response_model=CommentOut,
    responses=errors(400, 401, 403, 404, 415, 422),
    openapi_extra={**json_body("CommentBody"), "parameters": [idempotency_doc()]},
    summary="Comment on a version or one of its points",
)
def add_comment(
    request: Request, nid: str, text_id: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    data = parse_model(CommentBody, parse_json(body, request.headers.get("content-type")))

    def create(w: Write) -> Reply:
        negotiation, viewer = viewer_of(w.session, who, nid)
        access.require_participant(viewer, "comment")
        loaded = load(w.session, negotiation, preferences=False).visible(viewer.is_mediator)
        if not _text_or_404(loaded, text_id).published and data.audience != "mediators":
            raise ApiError(
                409,
                f"text {text_id!r} is not published: comments on it are for the mediators alone "
                "(audience 'mediators') until it is",
            )
        _check_point(loaded, data.point)
        party = viewer.party if viewer.is_delegate else None
        row = Comment(
            negotiation_id=nid,
            text_id=text_id,
            issue_id=data.point,
            author_id=who.account_id,
            party_id=party,
            audience=data.audience,
            body=data.body,
        )
        w.session.add(row)
        w.session.flush()
        out = comment_dict(row, who.name)
        w.record(nid, access.comment_stream(data.audience, party), "comment.added", out)
        return Reply(out, 201)

    return write(request, who, body, create, negotiation_id=nid)


# -- votes --------------------------------------------------------------------------------------------


def vote_dict(row: Vote) -> dict[str, Any]:
    return VoteOut(
        id=row.id,
        text=row.text_id,
        party=row.party_id,
        verdict=row.verdict,
        points=loads(row.points),
        note=row.note,
        version=row.version,
        cast_at=row.cast_at,
    ).model_dump(mode="json")


@router.get(
    "/negotiations/{nid}/texts/{text_id}/votes",
    response_model=VoteList,
    responses=errors(401, 403, 404),
    summary="Votes on a version: every party's for mediators, your own party's for a delegate",
)
def list_votes(request: Request, nid: str, text_id: str, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        access.require_participant(viewer, "see votes")
        _text_or_404(load(session, negotiation, preferences=False).visible(viewer.is_mediator), text_id)
        rows = session.scalars(
            select(Vote).where(Vote.negotiation_id == nid, Vote.text_id == text_id).order_by(Vote.party_id)
        ).all()
        return respond(
            {"votes": [vote_dict(v) for v in rows if access.party_object_visible(viewer, v.party_id)]}
        )


def _vote_viewer(viewer: Viewer) -> str:
    return access.require_delegate(viewer, "vote on a version")


@router.put(
    "/negotiations/{nid}/texts/{text_id}/vote",
    response_model=VoteOut,
    responses=errors(400, 401, 403, 404, 409, 415, 422, 428),
    openapi_extra={**json_body("VoteBody"), "parameters": [if_match_doc(), idempotency_doc()]},
    summary="Your party's vote on a version: accept, reject, or accept with reservations on named points "
    "(seen by your party and the mediators)",
)
def cast_vote(
    request: Request, nid: str, text_id: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    data = parse_model(VoteBody, parse_json(body, request.headers.get("content-type")))

    def cast(w: Write) -> Reply:
        negotiation, viewer = viewer_of(w.session, who, nid)
        party = _vote_viewer(viewer)
        loaded = load(w.session, negotiation, preferences=False).visible(False)
        _text_or_404(loaded, text_id)
        if data.verdict == "accept_with_reservations" and not data.points:
            raise ApiError(
                422,
                "the vote is not valid",
                [{"path": "points", "message": ("name the points the reservations are about (issue ids)")}],
            )
        if data.verdict != "accept_with_reservations" and data.points:
            raise ApiError(
                422,
                "the vote is not valid",
                [
                    {
                        "path": "points",
                        "message": ("points are named only with the verdict accept_with_reservations"),
                    }
                ],
            )
        for n, point in enumerate(data.points):
            _check_point(loaded, point, f"points[{n + 1}]")
        row = w.session.scalar(
            select(Vote).where(Vote.negotiation_id == nid, Vote.text_id == text_id, Vote.party_id == party)
        )
        status = 200
        if row is None:
            if request.headers.get("if-match") is not None:
                raise ApiError(
                    409,
                    "your party has not voted on this version yet; send the vote without If-Match",
                    current=None,
                )
            row = Vote(
                negotiation_id=nid,
                text_id=text_id,
                party_id=party,
                verdict=data.verdict,
                points=_points(data.points),
                note=data.note,
                cast_by=who.account_id,
            )
            w.session.add(row)
            status = 201
        else:
            require_version(request, row.version, vote_dict(row))
            row.verdict, row.points, row.note = data.verdict, _points(data.points), data.note
            row.version += 1
            row.cast_at, row.cast_by = utcnow(), who.account_id
        w.session.flush()
        out = vote_dict(row)
        w.record(nid, access.party_stream(party), "vote.cast", out)
        return Reply(out, status, {"ETag": etag(row.version)})

    return write(request, who, body, cast, negotiation_id=nid)


def _points(points: list[str]) -> str:
    import json

    return json.dumps(list(points))
