"""Pages for people: server-rendered HTML over the same service (issue 13).

Every page reads through the JSON API's own route functions (:mod:`.data`), so
that a page shows exactly what the API would answer the same viewer — the
access rules, the redaction of hidden numbers and the views are the API's, not
a second copy.  Every change a page makes goes through the JSON API from the
page's own script (``static/forms.js``), with the session's CSRF token.

Nothing is loaded from another address: scripts, styles and charts (SVG drawn
on the server from the report's chart specifications) are served here, under a
strict Content-Security-Policy with no inline script or style.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "mount"]

HERE = Path(__file__).resolve().parent.parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"

#: No inline script or style, nothing from another origin, no framing, forms post only here.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: A chart is an SVG document of its own: it may style itself, and nothing else.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


class SecurityHeaders:
    """Adds the Content-Security-Policy (and friends) to every answer that carries none yet."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        # The API's interactive docs (FastAPI's Swagger page) load their own script from a CDN and
        # inline a script: the strict policy would break them, and they show no one's data.
        docs = scope.get("path", "").startswith("/api/v1/docs")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start" and not docs:
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                for name, value in (
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ):
                    if name not in names:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def mount(app: FastAPI) -> None:
    """Add the pages, their static files and the security headers to the service's app."""
    from starlette.staticfiles import StaticFiles

    from accord.server.pages.routes import router

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders)
