"""Fixtures for the service: a database (SQLite file, and PostgreSQL when configured), an app, actors.

PostgreSQL: set ``ACCORD_TEST_POSTGRES_URL`` (``.ci/run`` sets it to
``postgresql+psycopg://postgres@127.0.0.1:5432/test``).  Where it is set, every
test parametrised over the database also runs on PostgreSQL, in a database of
its own created for this test run (so concurrent runs do not collide) and
dropped at the end; where it is not set, those runs skip and say why.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the server extra is not installed (pip install 'accord[server]')")

from tests.server.helpers import Service

PG_ENV = "ACCORD_TEST_POSTGRES_URL"


def _admin_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str | None]:
    """A fresh PostgreSQL database for this test run (its URL), or None when not configured."""
    url = os.environ.get(PG_ENV)
    if not url:
        yield None
        return
    import psycopg

    name = f"accord_test_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(_admin_url(url), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = url.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(_admin_url(url), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def new_postgres_database(url: str) -> tuple[str, object]:
    """Another fresh database beside the run's one (for tests that need an empty schema)."""
    import psycopg

    name = f"accord_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = os.environ[PG_ENV]
    with psycopg.connect(_admin_url(admin), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(_admin_url(admin), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base, _, _ = url.rpartition("/")
    return f"{base}/{name}", drop


def require_postgres(url: str | None) -> str:
    if url is None:
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_server: str | None) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'accord.db'}"
    return require_postgres(postgres_server)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'accord.db'}"


@pytest.fixture
def service(database_url: str) -> Iterator[Service]:
    """The app over a fresh (or per-run) database, with a TestClient per actor."""
    with Service.start(database_url) as svc:
        yield svc


@pytest.fixture
def sqlite_service(sqlite_url: str) -> Iterator[Service]:
    with Service.start(sqlite_url) as svc:
        yield svc
