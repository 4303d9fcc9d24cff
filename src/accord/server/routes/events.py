"""Server-sent events of one negotiation, as the viewer may see them (see :mod:`accord.server.events`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from accord.server import access
from accord.server.access import Viewer
from accord.server.auth import Principal
from accord.server.db.models import AuditEntry, Membership
from accord.server.errors import ApiError
from accord.server.events import ANALYSIS, format_cursor, format_event, parse_cursor
from accord.server.routes.common import Authenticated, errors, services, viewer_of
from accord.server.store import load, loads

router = APIRouter(tags=["events"])

#: Entries sent per read; a client far behind catches up over several reads.
BATCH = 200


def _viewer_and_streams(request: Request, who: Principal, nid: str) -> tuple[Viewer, list[str]]:
    with services(request).db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        return viewer, access.visible_streams(viewer, load(session, negotiation, preferences=False).party_ids)


def _heads(request: Request, nid: str, streams: list[str]) -> dict[str, int]:
    with services(request).db.read() as session:
        rows = session.execute(
            select(AuditEntry.stream, func.max(AuditEntry.seq))
            .where(AuditEntry.negotiation_id == nid, AuditEntry.stream.in_(streams))
            .group_by(AuditEntry.stream)
        ).all()
    heads = {stream: 0 for stream in streams}
    heads.update({stream: int(seq) for stream, seq in rows})
    return heads


def _still_member(request: Request, nid: str, viewer: Viewer) -> bool:
    with services(request).db.read() as session:
        member = session.scalar(
            select(Membership).where(
                Membership.negotiation_id == nid, Membership.account_id == viewer.account_id
            )
        )
        return (
            member is not None
            and member.confirmed
            and member.role == viewer.role
            and member.party_id == viewer.party
        )


def _new_entries(request: Request, nid: str, cursor: dict[str, int]) -> list[AuditEntry]:
    found: list[AuditEntry] = []
    with services(request).db.read() as session:
        for stream, seq in cursor.items():
            found.extend(
                session.scalars(
                    select(AuditEntry)
                    .where(
                        AuditEntry.negotiation_id == nid, AuditEntry.stream == stream, AuditEntry.seq > seq
                    )
                    .order_by(AuditEntry.seq)
                    .limit(BATCH)
                ).all()
            )
    found.sort(key=lambda e: (e.at, e.id))
    return found


def event_data(entry: AuditEntry) -> dict[str, Any]:
    """What an event says: the change, in the form its stream's audience may read (no who, no where)."""
    return {
        "stream": entry.stream,
        "seq": entry.seq,
        "action": entry.action,
        "at": entry.at,
        "details": loads(entry.details),
    }


@router.get(
    "/negotiations/{nid}/events",
    responses={
        **errors(401, 404, 422),
        200: {
            "description": "text/event-stream: one event per change you may see; `analysis` events tell "
            "mediators that their analysis is ready",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
    },
    summary="Live updates (server-sent events), filtered for you",
)
async def stream_events(
    request: Request,
    nid: str,
    after: str | None = Query(
        None,
        max_length=2000,
        description=(
            "Resume after this event id (as Last-Event-ID); 'start' replays everything "
            "you may see. Default: only what happens from now on."
        ),
    ),
    who: Principal = Authenticated,
) -> StreamingResponse:
    svc = services(request)
    viewer, streams = await run_in_threadpool(_viewer_and_streams, request, who, nid)
    given = request.headers.get("last-event-id", after)
    if given == "start":
        cursor = {stream: 0 for stream in streams}
    elif given is None:
        cursor = await run_in_threadpool(_heads, request, nid, streams)
    else:
        parsed = parse_cursor(given)
        if parsed is None:
            raise ApiError(
                422,
                "the event id to resume from is not one this service gave",
                [{"path": "Last-Event-ID", "message": "expected an id such as public=3;participants=1"}],
            )
        cursor = {stream: parsed.get(stream, 0) for stream in streams}
    keepalive = svc.settings.event_keepalive_seconds

    async def generate() -> AsyncIterator[str]:
        subscription = svc.broker.subscribe(nid)
        try:
            yield f"retry: 3000\nid: {format_cursor(cursor)}\nevent: ready\ndata: {{}}\n\n"
            while True:
                kinds = subscription.take()
                entries = await run_in_threadpool(_new_entries, request, nid, cursor)
                if entries and not await run_in_threadpool(_still_member, request, nid, viewer):
                    yield format_event("closed", {"reason": "you are no longer a member"})
                    return
                for entry in entries:
                    cursor[entry.stream] = max(cursor[entry.stream], entry.seq)
                    yield format_event(entry.action, event_data(entry), format_cursor(cursor))
                if ANALYSIS in kinds and viewer.is_mediator:
                    yield format_event("analysis", {"status": "ready"})
                if len(entries) >= BATCH:
                    continue  # more to catch up on
                try:
                    await asyncio.wait_for(subscription.event.wait(), timeout=keepalive)
                except TimeoutError:
                    if not await run_in_threadpool(_still_member, request, nid, viewer):
                        yield format_event("closed", {"reason": "you are no longer a member"})
                        return
                    yield ": keep-alive\n\n"
        finally:
            svc.broker.unsubscribe(subscription)

    return StreamingResponse(
        generate(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
