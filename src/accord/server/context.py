"""What every request handler shares: settings, the database, password hashing, events, jobs, caches."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from accord.server.auth import Passwords
from accord.server.db import Database
from accord.server.events import ANALYSIS, CHANNEL, Broker, PostgresListener
from accord.server.jobs import LRU, JobRunner
from accord.server.settings import Settings

__all__ = ["Services"]

log = logging.getLogger("accord.server")


@dataclass
class Services:
    settings: Settings
    db: Database
    passwords: Passwords
    broker: Broker
    jobs: JobRunner
    #: Rendered state reads, keyed by (negotiation, state version, viewer key).
    state_cache: LRU = field(default_factory=lambda: LRU(1024))
    #: Delegates' analyses and scenario checks, keyed by the SHA-256 of their input.
    analysis_cache: LRU = field(default_factory=lambda: LRU(256))
    listener: PostgresListener | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings) -> Services:
        db = Database(settings.database_url)
        broker = Broker()
        services: Services
        jobs = JobRunner(
            threads=settings.analysis_threads,
            max_queued=settings.analysis_queue_max,
            scheduler=settings.scheduler,
            store=lambda *args: _store_analysis(services, *args),
            announce=lambda negotiation_id: services.announce(negotiation_id, ANALYSIS),
        )
        services = cls(settings=settings, db=db, passwords=Passwords(settings), broker=broker, jobs=jobs)
        return services

    def start(self) -> None:
        if self.db.dialect == "postgresql":
            self.listener = PostgresListener(_libpq_url(self.db), self.broker)
            self.listener.start()

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
        self.jobs.shutdown()
        self.db.dispose()

    def announce(self, negotiation_id: str, kind: str) -> None:
        """Outside a write transaction: tell every process's streams (NOTIFY, or directly)."""
        if self.db.dialect == "postgresql":
            with self.db.write() as session:
                self.db.notify(session, CHANNEL, f"{negotiation_id} {kind}")
        else:
            self.broker.publish(negotiation_id, kind)


def _libpq_url(db: Database) -> str:
    url = db.engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _store_analysis(
    services: Services, negotiation_id: str, key: str, kind: str, result: dict[str, Any], seconds: float
) -> None:
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from accord.server.audit import canonical
    from accord.server.db.models import AnalysisResult, Negotiation

    try:
        with services.db.write() as session:
            if session.get(Negotiation, negotiation_id) is None:
                return  # deleted meanwhile
            exists = session.scalar(
                select(AnalysisResult.id).where(
                    AnalysisResult.negotiation_id == negotiation_id,
                    AnalysisResult.key == key,
                    AnalysisResult.kind == kind,
                )
            )
            if exists is None:
                session.add(
                    AnalysisResult(
                        negotiation_id=negotiation_id,
                        key=key,
                        kind=kind,
                        result=canonical(result),
                        seconds=seconds,
                    )
                )
    except IntegrityError:
        pass  # another worker stored the same result first
