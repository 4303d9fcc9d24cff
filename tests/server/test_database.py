"""The storage layer on both databases: migrations up and down, several workers, analytics on Dask."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.server.conftest import new_postgres_database, require_postgres
from tests.server.helpers import FLAGSHIP, Service, create_negotiation
from tests.server.live import LiveServer


def _fresh(kind: str, tmp_path: Path, postgres_server: str | None) -> tuple[str, Any]:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'migrate.db'}", lambda: None
    return new_postgres_database(require_postgres(postgres_server))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_migrations_up_and_down(kind: str, tmp_path: Path, postgres_server: str | None) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import inspect

    from accord.server.db import Database
    from accord.server.db.migrate import current_revision, downgrade, head_revision, upgrade
    from accord.server.db.models import Base

    url, drop = _fresh(kind, tmp_path, postgres_server)
    db = Database(url)
    try:
        upgrade(db.engine)
        assert current_revision(db.engine) == head_revision()
        # The migrations build exactly the schema the models describe.
        with db.engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
            )
        assert differences == []
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        downgrade(db.engine)
        assert current_revision(db.engine) is None
        assert set(inspect(db.engine).get_table_names()) - {"alembic_version"} == set()
        upgrade(db.engine)  # and up again, on the emptied database
        assert current_revision(db.engine) == head_revision()
    finally:
        db.dispose()
        drop()


def _events(client: Any, path: str, seen: list[dict[str, Any]], stop: threading.Event) -> None:
    import httpx

    try:
        with client.stream("GET", path, timeout=30) as response:
            for line in response.iter_lines():
                if line.startswith("data: "):
                    seen.append(json.loads(line[6:]))
                if stop.is_set():
                    return
    except httpx.HTTPError:
        return  # the test closed the client: the stream is over


@pytest.mark.slow
def test_several_workers_hear_every_change(postgres_server: str | None) -> None:
    """Two worker processes: a change made through one reaches a viewer connected to the other (NOTIFY)."""
    import httpx

    url, drop = new_postgres_database(require_postgres(postgres_server))
    try:
        with Service.start(url) as service:
            mediator = service.actor("Mediator")
            nid = create_negotiation(mediator, FLAGSHIP)
        headers = {"Authorization": f"Bearer {mediator.token}"}
        with LiveServer(url, workers=2) as server:
            # Connections are spread over the workers by the kernel: open streams until two workers serve them.
            streams: dict[int, tuple[httpx.Client, list[dict[str, Any]]]] = {}
            stop = threading.Event()
            threads = []
            deadline = time.monotonic() + 60
            while len(streams) < 2 and time.monotonic() < deadline:
                client = httpx.Client(base_url=server.base, headers=headers, timeout=30)
                worker = client.get("/api/v1/health").json()["worker"]  # this connection's process
                if worker in streams:
                    client.close()
                    continue
                seen: list[dict[str, Any]] = []
                streams[worker] = (client, seen)
                thread = threading.Thread(
                    target=_events,
                    args=(client, f"/api/v1/negotiations/{nid}/events", seen, stop),
                    daemon=True,
                )
                thread.start()
                threads.append(thread)
            assert len(streams) == 2, "the two workers did not both take a connection"
            time.sleep(1.0)  # the streams are open
            writer = httpx.Client(base_url=server.base, headers=headers, timeout=30)
            written_by = writer.get("/api/v1/health").json()["worker"]
            response = writer.post(
                f"/api/v1/negotiations/{nid}/statements",
                json={"statement": {"speaker": "ua", "date": "2025-12-01", "quote": "heard by every worker"}},
            )
            assert response.status_code == 201, response.text
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and not all(
                any(
                    e.get("details", {}).get("statement", {}).get("quote") == "heard by every worker"
                    for e in seen
                )
                for _, seen in streams.values()
            ):
                time.sleep(0.1)
            for worker, (_, seen) in streams.items():
                assert any(
                    e.get("details", {}).get("statement", {}).get("quote") == "heard by every worker"
                    for e in seen
                ), f"worker {worker} (the write went through {written_by}) missed it"
            assert written_by in streams or len(streams) == 2
            stop.set()
            writer.post(
                f"/api/v1/negotiations/{nid}/statements",
                json={  # wakes the streams so they end
                    "statement": {"speaker": "ua", "date": "2025-12-01", "quote": "bye"}
                },
            )
            for client, _ in streams.values():
                client.close()
    finally:
        drop()


@pytest.mark.slow
def test_analytics_on_a_dask_cluster(tmp_path: Path) -> None:
    """--scheduler: the mediators' analysis runs on a Dask cluster and gives what the web process gives."""
    distributed = pytest.importorskip("distributed")
    from accord.server.jobs import JobRunner, mediator_bundle

    with Service.start(f"sqlite:///{tmp_path / 'accord.db'}") as service:
        mediator = service.actor("Mediator")
        nid = create_negotiation(mediator, FLAGSHIP)
        from accord.server import analytics
        from accord.server.db.models import Negotiation

        with service.services.db.read() as session:
            spec = analytics.mediator_input(session, service.services, session.get(Negotiation, nid))
    local = mediator_bundle(spec.document, spec.params)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        runner = JobRunner(scheduler=cluster.scheduler_address)
        try:
            remote = runner.submit(nid, spec.key, spec.document, spec.params).result(timeout=120)
        finally:
            runner.shutdown()
    local.pop("seconds"), remote.pop("seconds")
    assert remote == local and remote["status"] == "ready" and remote["chances"] is not None
