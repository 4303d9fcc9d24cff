"""Engines and transactions: SQLite (WAL, synchronous=FULL) or PostgreSQL, behind one small class.

Durability: a write is acknowledged only after its transaction commits.  On
SQLite the journal is a write-ahead log with ``synchronous=FULL``, so every
commit is fsynced before it returns: a killed process or a power cut loses no
acknowledged write (``NORMAL`` would survive a killed process but could lose
the last commits on power loss, which is why it is not used).  PostgreSQL
commits are durable with its default ``synchronous_commit=on``.

Serialisation: a write transaction on SQLite starts with ``BEGIN IMMEDIATE``
(one writer at a time, the others wait up to ``busy_timeout``); on PostgreSQL
each write to a negotiation first locks that negotiation's row
(:meth:`lock_negotiation`), so the audit chain, agreement detection and
version checks of one negotiation never interleave.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.orm import Session

from accord.server.errors import ApiError

__all__ = ["Database", "after_commit"]

log = logging.getLogger("accord.server")

#: How long a SQLite writer waits for the lock before the request is refused (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 30_000


class Database:
    """One engine; :meth:`read` and :meth:`write` give sessions with the right transaction kind."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.dialect = "sqlite" if url.startswith("sqlite") else "postgresql"
        self.engine = _engine(url, echo=echo)
        self._writer = self.engine.execution_options(accord_write=True)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; rolled back at the end (nothing it does is kept)."""
        session = Session(self.engine, expire_on_commit=False, autoflush=False)
        try:
            yield session
        finally:
            # close() ends the transaction without expiring what was loaded (rollback() would).
            session.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is committed at the end of the block, or rolled back on any error.

        Functions registered with :func:`after_commit` run once the commit has
        returned (notifications, jobs): never for work that was rolled back.
        """
        session = Session(self._writer, expire_on_commit=False, autoflush=True)
        session.info["after_commit"] = []
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            session.close()
            raise
        callbacks: list[Callable[[], None]] = session.info.pop("after_commit", [])
        session.close()
        for callback in callbacks:
            try:
                callback()
            except Exception:  # a notification failing must not undo an acknowledged write
                log.exception("after-commit callback failed")

    def quick_row(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """One row of a read-only query on a raw pooled connection (``?`` placeholders on both databases).

        For the hottest read only: it skips the ORM and SQLAlchemy's per-statement
        machinery (about 30 µs instead of over 500 µs here); one statement reads
        one consistent snapshot on either database.
        """
        if self.dialect == "postgresql":
            sql = sql.replace("?", "%s")
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(sql, params)
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            connection.close()  # back to the pool, which rolls back whatever the driver began
        return None if row is None else tuple(row)

    def timestamp(self, moment: Any) -> Any:
        """A UTC datetime as the database stores it (SQLite: text that sorts as time does)."""
        naive = moment.astimezone(dt.UTC).replace(tzinfo=None)
        return naive.strftime("%Y-%m-%d %H:%M:%S.%f") if self.dialect == "sqlite" else naive

    def lock_negotiation(self, session: Session, negotiation_id: str) -> None:
        """Serialise writes to one negotiation (PostgreSQL: row lock; SQLite: the write lock)."""
        from accord.server.db.models import Negotiation

        if self.dialect == "postgresql":
            session.execute(select(Negotiation.id).where(Negotiation.id == negotiation_id).with_for_update())

    def notify(self, session: Session, channel: str, payload: str) -> None:
        """PostgreSQL NOTIFY, delivered to listeners when (and only if) this transaction commits."""
        if self.dialect == "postgresql":
            session.execute(
                text("SELECT pg_notify(:channel, :payload)"), {"channel": channel, "payload": payload}
            )


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` after ``session``'s transaction commits (see :meth:`Database.write`)."""
    session.info.setdefault("after_commit", []).append(callback)


def _engine(url: str, *, echo: bool) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_engine(url, echo=echo, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the sqlite3 module, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock at once, so two writers never both read
        # a version and then both try to write (the second would fail mid-way).
        write = connection.get_execution_options().get("accord_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def busy_error() -> ApiError:
    return ApiError(503, "the database is busy; retry in a moment", headers={"Retry-After": "1"})
