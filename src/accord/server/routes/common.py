"""What the route modules share: authentication, the viewer, bodies, writes with audit and idempotency.

A route reads as its rule: find the viewer (:func:`viewer_of`), ask
:mod:`accord.server.access` whether it may, call the library, answer with
:func:`respond`.  Every state change goes through :func:`write`, which opens
the transaction (serialised per negotiation), replays the answer to a retried
request with the same ``Idempotency-Key``, and stores that answer with the
change itself; :func:`record` adds the audit entry (and so the event) in the
same transaction.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from accord.server import access
from accord.server.access import Viewer
from accord.server.audit import Actor, append
from accord.server.auth import (
    CSRF_HEADER,
    SESSION_COOKIE,
    TOKEN_PREFIX,
    Principal,
    check_csrf,
    principal_from_session,
    principal_from_token,
    session_needs_touch,
)
from accord.server.context import Services
from accord.server.db import after_commit
from accord.server.db.models import IdempotencyRecord, Membership, Negotiation, WebSession, utcnow
from accord.server.db.session import busy_error
from accord.server.errors import ApiError
from accord.server.events import CHANNEL, STREAM

__all__ = ["Reply", "Write", "principal", "respond", "services", "viewer_of", "write"]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 200


def services(request: Request) -> Services:
    return request.app.state.services


def address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def finite(value: Any) -> Any:
    """JSON allows no NaN or infinity: they become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def json_bytes(body: Any) -> bytes:
    return json.dumps(finite(body), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def respond(
    body: Any, status: int = 200, *, etag: str | None = None, headers: Mapping[str, str] | None = None
) -> Response:
    response = Response(json_bytes(body), status_code=status, media_type="application/json")
    if etag is not None:
        response.headers["ETag"] = etag
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def etag(version: int | str) -> str:
    return f'"{version}"'


# -- who is asking -------------------------------------------------------------------------


def _check_origin(request: Request) -> None:
    """A browser's cross-site state change is refused even before the CSRF token is looked at."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    host = request.headers.get("host", "")
    if origin.split("://", 1)[-1] != host:
        raise ApiError(403, "cross-site request refused (its Origin is not this service)")


def authenticate(request: Request) -> Principal | None:
    """The account behind the request's bearer token or session cookie, if any (no CSRF check)."""
    svc = services(request)
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX):
            raise ApiError(401, "the Authorization header must be 'Bearer acc_…' (an API token)")
        with svc.db.read() as session:
            found = principal_from_token(session, token)
        if found is None:
            raise ApiError(401, "the API token is not valid (unknown, expired or revoked)")
        return found
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    with svc.db.read() as session:
        found = principal_from_session(session, cookie, svc.settings)
        stale = found is not None and session_needs_touch(session, found)
    if found is not None and stale:
        # Idle sessions expire; an active one is kept alive (one write every few minutes at most).
        with svc.db.write() as session:
            web = session.get(WebSession, found.session_id)
            if web is not None:
                web.last_seen_at = utcnow()
    return found  # an expired session is the same as none


def optional_principal(request: Request) -> Principal | None:
    found = authenticate(request)
    if found is not None and request.method not in SAFE_METHODS and found.via == "session":
        _check_origin(request)
        check_csrf(found, request.headers.get(CSRF_HEADER))
    return found


def principal(request: Request) -> Principal:
    """The authenticated account (401 if none); cookie-authenticated state changes need the CSRF token."""
    found = optional_principal(request)
    if found is None:
        raise ApiError(
            401, "log in first (POST /api/v1/session), or send an API token (Authorization: Bearer acc_…)"
        )
    return found


Authenticated = Depends(principal)
MaybeAuthenticated = Depends(optional_principal)


def viewer_of(session: Session, who: Principal | None, negotiation_id: str) -> tuple[Negotiation, Viewer]:
    """The negotiation and the caller's role in it; 404 for a non-member, as for no negotiation."""
    negotiation = session.get(Negotiation, negotiation_id) if len(negotiation_id) <= 32 else None
    if negotiation is None or who is None:
        raise ApiError(404, access.NOT_FOUND)
    member = session.scalar(
        select(Membership).where(
            Membership.negotiation_id == negotiation_id, Membership.account_id == who.account_id
        )
    )
    if member is not None and not member.confirmed:
        member = None  # a delegate waiting for a mediator's confirmation sees nothing yet
    viewer = Viewer(
        who.account_id, member.role if member else None, member.party_id if member else None, who.is_admin
    )
    access.require_member(viewer)
    return negotiation, viewer


async def raw_body(request: Request) -> bytes:
    return await request.body()


Body = Depends(raw_body)


# -- writes -------------------------------------------------------------------------------------


@dataclass
class Reply:
    """What a write answers: status, body, and headers (ETag, Location)."""

    body: Any
    status: int = 200
    headers: dict[str, str] | None = None


@dataclass
class Write:
    """The context a write function gets: the transaction, who, from where."""

    session: Session
    services: Services
    who: Principal | None
    request: Request

    @property
    def actor(self) -> Actor:
        return Actor(
            self.who.account_id if self.who else None,
            self.who.email if self.who else None,
            address(self.request),
        )

    def record(
        self, negotiation_id: str | None, stream: str, action: str, details: Mapping[str, Any]
    ) -> None:
        """Append the audit entry of this change (and so its event), in this transaction."""
        db = self.services.db
        append(
            self.session,
            negotiation_id=negotiation_id,
            stream=stream,
            action=action,
            details=details,
            actor=self.actor,
            dialect=db.dialect,
        )
        if negotiation_id is None:
            return
        flag = f"notified:{negotiation_id}"
        if self.session.info.get(flag):
            return
        self.session.info[flag] = True
        if db.dialect == "postgresql":
            db.notify(self.session, CHANNEL, f"{negotiation_id} {STREAM}")
        else:
            broker = self.services.broker
            after_commit(self.session, lambda: broker.publish(negotiation_id, STREAM))

    def after_commit(self, callback: Callable[[], None]) -> None:
        after_commit(self.session, callback)


def _fingerprint(request: Request, body: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(b" ")
    digest.update(request.url.path.encode())
    digest.update(b"?")
    digest.update(str(request.url.query).encode())
    digest.update(b"\n")
    digest.update(body)
    return digest.hexdigest()


def write(
    request: Request,
    who: Principal | None,
    body: bytes,
    function: Callable[[Write], Reply],
    *,
    negotiation_id: str | None = None,
) -> Response:
    """Run ``function`` in one write transaction; replay a retried request with the same Idempotency-Key."""
    svc = services(request)
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and (not key.strip() or len(key) > MAX_IDEMPOTENCY_KEY):
        raise ApiError(400, f"{IDEMPOTENCY_HEADER} must be 1 to {MAX_IDEMPOTENCY_KEY} characters")
    if key is not None and who is None:
        key = None  # anonymous requests (login, accepting an invitation) are not replayed
    fingerprint = _fingerprint(request, body)
    for attempt in range(2):
        try:
            with svc.db.write() as session:
                if negotiation_id is not None:
                    svc.db.lock_negotiation(session, negotiation_id)
                if key is not None and who is not None:
                    stored = session.scalar(
                        select(IdempotencyRecord).where(
                            IdempotencyRecord.account_id == who.account_id, IdempotencyRecord.key == key
                        )
                    )
                    if stored is not None:
                        if stored.fingerprint != fingerprint:
                            raise ApiError(
                                422,
                                f"this {IDEMPOTENCY_HEADER} was already used for a "
                                "different request; use a new key for a new request",
                            )
                        return Response(
                            stored.body.encode("utf-8"),
                            status_code=stored.status,
                            media_type="application/json",
                            headers={"Idempotent-Replayed": "true"},
                        )
                reply = function(Write(session, svc, who, request))
                encoded = json_bytes(reply.body)
                if key is not None and who is not None:
                    session.add(
                        IdempotencyRecord(
                            account_id=who.account_id,
                            key=key,
                            fingerprint=fingerprint,
                            status=reply.status,
                            body=encoded.decode("utf-8"),
                        )
                    )
            response = Response(encoded, status_code=reply.status, media_type="application/json")
            for name, value in (reply.headers or {}).items():
                response.headers[name] = value
            return response
        except IntegrityError:
            # A concurrent twin of this request committed first (same idempotency key, or
            # the same unique id): the second pass replays or reports the conflict.
            if attempt == 1:
                raise ApiError(
                    409,
                    "the request conflicts with a change made at the same moment; "
                    "read the current state and retry",
                ) from None
        except OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise busy_error() from None
            raise
    raise AssertionError("unreachable")


# -- OpenAPI documentation of raw bodies and error answers ------------------------------------

_ERROR_TEXT = {
    400: "The body is not valid JSON (or TOML), or a header is malformed.",
    401: "Not logged in, or the token is not valid.",
    403: "Logged in, but this role may not do that (or a CSRF token is missing).",
    404: "No such thing, or not one the caller may know of.",
    409: "A stale write (the body's `current` is the current state) or a conflicting change.",
    413: "The body is larger than the service accepts.",
    415: "The body is not of a type this operation reads.",
    422: "The body is well-formed but not valid: `problems` names each field and what is expected.",
    428: "The write needs an If-Match header with the version it was based on.",
    429: "Too many failed logins: wait `Retry-After` seconds.",
    503: "The service is busy (the database, or too many analyses waiting): retry after `Retry-After` s.",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route: each error status with the common error body."""
    from accord.server.schemas import ErrorOut

    return {status: {"model": ErrorOut, "description": _ERROR_TEXT[status]} for status in statuses}


def json_body(schema: str, *, toml: bool = False, description: str | None = None) -> dict[str, Any]:
    """``openapi_extra=`` for a route that reads its body itself (validated by the library)."""
    content: dict[str, Any] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    if toml:
        content["application/toml"] = {"schema": {"type": "string", "description": "A scenario file in TOML"}}
    body: dict[str, Any] = {"required": True, "content": content}
    if description:
        body["description"] = description
    return {"requestBody": body}


def idempotency_doc() -> dict[str, Any]:
    return {
        "name": IDEMPOTENCY_HEADER,
        "in": "header",
        "required": False,
        "schema": {"type": "string", "maxLength": MAX_IDEMPOTENCY_KEY},
        "description": "A key of your choosing: a retried request with the same key and body is "
        "applied once, and gets the first answer again.",
    }


def if_match_doc(required: bool = False) -> dict[str, Any]:
    return {
        "name": "If-Match",
        "in": "header",
        "required": required,
        "schema": {"type": "string"},
        "description": "The ETag (version) the change is based on; a stale one gets 409 with the "
        "current state.",
    }


def parse_if_match(request: Request) -> int | None:
    """The version named by If-Match (``"3"``, ``W/"3"`` or ``3``), or None when absent."""
    header = request.headers.get("if-match")
    if header is None:
        return None
    value = header.strip()
    if value == "*":
        return -1  # "whatever is current" (RFC 9110): the client chose to overwrite
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value.isdigit() or len(value) > 12:
        raise ApiError(400, f'If-Match must name a version such as "3", got {header!r}')
    return int(value)


def require_version(request: Request, current: int, current_body: Any) -> None:
    """Optimistic concurrency: the write must name the version it read; a stale one gets 409."""
    given = parse_if_match(request)
    if given is None:
        raise ApiError(
            428,
            f'send If-Match: "{current}" (the version you are changing) so that a '
            "concurrent change is not overwritten",
        )
    if given not in (current, -1):
        raise ApiError(
            409,
            f"the version you changed ({given}) is no longer the current one ({current}); "
            "here is the current state — apply your change to it and send it again",
            current=current_body,
        )
