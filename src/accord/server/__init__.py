"""The live mediation service behind ``accord serve``.

A FastAPI application over the library: it stores the library's own model
objects (parties, issues, texts, preferences, statements, meetings) as
validated JSON, rebuilds a :class:`~accord.model.Scenario` from what a viewer
may see, and calls the library's analysis on it.  Needs the ``server`` extra
(``pip install 'accord[server]'``).

Layout (one topic per module):

* :mod:`~accord.server.settings` — configuration, from options and ``ACCORD_*`` variables;
* :mod:`~accord.server.app` — the application factory :func:`create_app`;
* :mod:`~accord.server.db` — SQLAlchemy models, engines, Alembic migrations;
* :mod:`~accord.server.auth` — accounts, sessions, CSRF, API tokens, invitations, rate limits;
* :mod:`~accord.server.access` — the one place that decides who may see what;
* :mod:`~accord.server.store` — negotiation state to and from model objects, validation;
* :mod:`~accord.server.audit` — the append-only, hash-chained audit log;
* :mod:`~accord.server.events` — per-viewer server-sent events, PostgreSQL LISTEN/NOTIFY;
* :mod:`~accord.server.jobs` — analytics off the request path, cached per input;
* :mod:`~accord.server.routes` — the HTTP API under ``/api/v1``, one module per resource.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from accord.server.app import create_app

        return create_app
    if name == "Settings":
        from accord.server.settings import Settings

        return Settings
    raise AttributeError(f"module 'accord.server' has no attribute {name!r}")


if TYPE_CHECKING:  # pragma: no cover
    from accord.server.app import create_app
    from accord.server.settings import Settings
