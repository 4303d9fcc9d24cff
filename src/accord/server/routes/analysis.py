"""Analytics inside: what each viewer may see of the library's analyses of the negotiation."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from accord.server import analytics
from accord.server.auth import Principal
from accord.server.errors import ApiError
from accord.server.routes.common import Authenticated, errors, respond, services, viewer_of
from accord.server.schemas import AnalysisOut

router = APIRouter(tags=["analysis"])


@router.get(
    "/negotiations/{nid}/analysis",
    response_model=AnalysisOut,
    responses={**errors(401, 404, 422, 503), 202: {"model": AnalysisOut, "description": "Being computed"}},
    summary="Your analysis: for mediators every text against each party's preferences (as each chose), "
    "feasibility, frontier, bargaining packages, smallest amendment, deal chances, improvement; "
    "for a delegate its own utilities, verdicts and blockers",
)
def get_analysis(
    request: Request,
    nid: str,
    wait: float = Query(
        0.0, ge=0.0, description="Seconds to wait for a result being computed (at most the service's limit)."
    ),
    who: Principal = Authenticated,
) -> Response:
    svc = services(request)
    limit = svc.settings.analysis_wait_max_seconds
    if wait > limit:
        raise ApiError(
            422, "wait is too long", [{"path": "query.wait", "message": f"must be at most {limit:g} seconds"}]
        )
    with svc.db.read() as session:
        negotiation, viewer = viewer_of(session, who, nid)
        status, body = analytics.viewer_analysis(svc, session, negotiation, viewer, wait=wait)
    headers = {"Retry-After": "1"} if status == 202 else None
    return respond(body, status, headers=headers)
