"""The application factory: :func:`create_app` builds the FastAPI app over one database.

Pages for people (issue 13) mount on the same app: they share its
:class:`~accord.server.context.Services` (``app.state.services``), its
sessions and CSRF tokens (:mod:`accord.server.auth`), its access rules
(:mod:`accord.server.access`) and its event stream.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
from collections.abc import AsyncIterator
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import accord
from accord.server.context import Services
from accord.server.errors import ApiError, problems_body
from accord.server.settings import Settings

__all__ = ["API_PREFIX", "create_app", "create_app_from_env"]

log = logging.getLogger("accord.server")

API_PREFIX = "/api/v1"


class BodyLimit:
    """Refuse a request body over ``limit`` bytes with 413, before it is read whole.

    A declared Content-Length is checked first; a body without one (chunked) is
    counted as it arrives.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _reply(send, 400, "the Content-Length header is not a number")
                    return
                if declared > self.limit:
                    await _reply(
                        send, 413, f"the request body is {declared} bytes; at most {self.limit} are accepted"
                    )
                    return
        received = 0
        too_large = False

        async def counting() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    too_large = True
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counting, send)
        except _TooLarge:
            await _reply(send, 413, f"the request body is over {self.limit} bytes, the most accepted")


class _TooLarge(Exception):
    pass


async def _reply(send: Send, status: int, message: str) -> None:
    import json

    body = json.dumps(problems_body(message)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _validation_problems(error: RequestValidationError) -> list[dict[str, str]]:
    from accord.model.validate import _message

    problems = []
    for item in error.errors():
        loc = [str(part) for part in item.get("loc", ())]
        path = ".".join(loc) or "(request)"
        kind = item.get("type", "")
        if kind == "missing":
            problems.append({"path": path, "message": "missing"})
        elif kind in {"literal_error", "enum"}:
            expected = (item.get("ctx") or {}).get("expected", "")
            problems.append(
                {"path": path, "message": f"unknown value {item.get('input')!r}; expected one of: {expected}"}
            )
        else:
            problems.append(
                {
                    "path": path,
                    "message": _message(kind, item.get("input"), item.get("ctx") or {}, item.get("loc", ())),
                }
            )
    return problems


def create_app(
    settings: Settings | None = None, *, services: Services | None = None, migrate: bool = True
) -> FastAPI:
    """The service over ``settings.database_url``.

    The database is migrated to the newest schema first unless ``migrate`` is False.
    """
    settings = settings or Settings()
    services = services or Services.create(settings)
    if migrate:
        from accord.server.db.migrate import upgrade

        upgrade(services.db.engine)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services.start()
        try:
            yield
        finally:
            services.stop()

    options: dict[str, Any] = {}
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters:
        # Newer FastAPI traces every request by default; the service does not export traces.
        options["telemetry"] = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}
    app = FastAPI(
        title="accord mediation service",
        version=accord.__version__,
        lifespan=lifespan,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        description=(
            "Mediated multi-party negotiations over a single negotiating text: confidential preferences, "
            "versioned texts, votes and blind acceptances, analytics inside, an audit trail. "
            "Authenticate with a session cookie (POST /session; state changes then need the X-CSRF-Token "
            "header) or an API token (Authorization: Bearer acc_…). Every error answer is "
            "{error, problems: [{path, message}]}."
        ),
        **options,
    )
    app.state.services = services

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, error: ApiError) -> Response:
        return JSONResponse(error.body(), status_code=error.status, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, error: RequestValidationError) -> Response:
        return JSONResponse(
            problems_body("the request is not valid", _validation_problems(error)), status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = {
            404: "no such path in this API (see /api/v1/docs)",
            405: "this path does not take that method",
        }.get(error.status_code, str(error.detail))
        return JSONResponse(
            problems_body(message), status_code=error.status_code, headers=getattr(error, "headers", None)
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        # Never shows internals; the test suite treats any 500 as a failure.
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(
            problems_body("internal error (a bug in accord; the server log has the details)"), status_code=500
        )

    from accord.server.routes import ROUTERS

    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)

    @app.get(
        f"{API_PREFIX}/health",
        tags=["service"],
        summary="Is the service up (no login needed)",
        response_model=None,
    )
    def health() -> Response:
        from sqlalchemy import text

        with services.db.read() as session:
            session.execute(text("SELECT 1"))
        # The worker's process id lets a client (and the tests) tell the workers of --workers N apart.
        return JSONResponse(
            {
                "status": "ok",
                "version": accord.__version__,
                "database": services.db.dialect,
                "worker": os.getpid(),
            }
        )

    from accord.server.pages import mount

    mount(app)  # the pages for people: same services, sessions, access rules and event stream
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for worker processes (``accord serve --workers N``): settings from ``ACCORD_*``."""
    return create_app(Settings.from_env(), migrate=False)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, plus the library's models and the service's request bodies as components."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi
    from pydantic import BaseModel
    from pydantic.json_schema import models_json_schema

    from accord.model import Meeting, Preferences, Scenario, Statement, Text
    from accord.server import schemas

    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    requests = [
        schemas.LoginBody,
        schemas.AccountCreateBody,
        schemas.AccountUpdateBody,
        schemas.TokenCreateBody,
        schemas.InvitationCreateBody,
        schemas.InvitationAcceptBody,
        schemas.PreferencesBody,
        schemas.VoteBody,
        schemas.CommentBody,
        schemas.AmendmentBody,
        schemas.AmendmentDecisionBody,
        schemas.WithdrawBody,
        schemas.AcceptanceBody,
        schemas.ImprovementOfferBody,
        schemas.StatementBody,
        schemas.MeetingBody,
    ]
    _, definitions = models_json_schema(
        [
            (cast(type[BaseModel], model), "validation")
            for model in (Scenario, Text, Preferences, Statement, Meeting, *requests)
        ],
        ref_template="#/components/schemas/{model}",
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in definitions.get("$defs", {}).items():
        components.setdefault(name, definition)
    components["StructurePatch"] = {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            key: Scenario.model_json_schema(ref_template="#/components/schemas/{model}")["properties"][key]
            for key in ("scenario", "sources", "parties", "issues", "settled")
        },
    }
    schema["components"]["securitySchemes"] = {
        "token": {"type": "http", "scheme": "bearer", "description": "An API token (POST /api/v1/tokens)."},
        "session": {
            "type": "apiKey",
            "in": "cookie",
            "name": "accord_session",
            "description": "A session cookie (POST /api/v1/session); state changes also need the "
            "X-CSRF-Token header.",
        },
    }
    schema["security"] = [{"token": []}, {"session": []}]
    app.openapi_schema = schema
    return schema
