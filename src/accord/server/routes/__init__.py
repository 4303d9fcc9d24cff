"""The HTTP API under ``/api/v1``, one module per resource."""

from accord.server.routes import agreements, analysis, auth, events, negotiations, preferences, records, texts

#: Every router, in the order the OpenAPI document lists them.
ROUTERS = [
    auth.router,
    negotiations.router,
    preferences.router,
    texts.router,
    agreements.router,
    analysis.router,
    records.router,
    events.router,
]

__all__ = ["ROUTERS"]
