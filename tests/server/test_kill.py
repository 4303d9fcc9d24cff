"""kill -9 of the server at random moments during a stream of writes, 50 times; nothing acknowledged is lost.

Method: a warm parent process (``tests/server/zygote.py``) forks a fresh
server process over the same database for each round.  A writer sends a
stream of writes of three kinds — statements logged by the mediator, comments
by a delegate, and revisions of the delegate's preferences (each naming the
version it revises) — each with its own Idempotency-Key.  After a random
delay (0.03–0.4 s) the server gets SIGKILL, wherever it is: mid-request,
mid-commit, mid-analysis.  The write in flight at that moment has no answer;
after the restart it is sent again with the same key and the same body, and it
must then be applied exactly once (replayed if it had committed, applied if it
had not).  At the end:

* every acknowledged write is there, with exactly the content acknowledged;
* nothing is half-written: SQLite's integrity check passes, every statement
  and comment has its audit entry and vice versa, the preferences' version
  equals the number of revisions that were applied;
* every audit chain of the negotiation verifies.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.server.helpers import JOB_OFFER, ROOT, Service, create_negotiation, expect, join
from tests.server.live import LiveServer, free_port

ROUNDS = int(os.environ.get("KILL_ROUNDS", "50"))


@dataclass
class Ledger:
    """What the server acknowledged, and the one write whose answer was lost to the kill."""

    statements: dict[str, str] = field(default_factory=dict)  # idempotency key -> quote
    comments: dict[str, str] = field(default_factory=dict)
    revisions: list[str] = field(default_factory=list)  # the basis text of each applied revision
    version: int = 1
    in_flight: tuple[str, str, dict[str, Any], dict[str, str]] | None = None  # kind, path, body, headers


def _preferences(basis: str) -> dict[str, Any]:
    import accord

    prefs = accord.load(JOB_OFFER).preferences["dana"].model_dump(mode="json", exclude_none=True)
    prefs["basis"] = basis
    prefs["estimate"] = False
    return prefs


class Writer(threading.Thread):
    """Sends writes until the connection dies, recording every acknowledged one."""

    def __init__(
        self, base: str, tokens: dict[str, str], nid: str, ledger: Ledger, rng: random.Random
    ) -> None:
        super().__init__(daemon=True)
        import httpx

        self.clients = {
            role: httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"})
            for role, token in tokens.items()
        }
        self.nid, self.ledger, self.rng = nid, ledger, rng
        self.sent = 0

    def run(self) -> None:
        import httpx

        while True:
            kind, path, body, headers = self._next()
            self.ledger.in_flight = (kind, path, body, headers)
            try:
                response = self._send(kind, path, body, headers)
            except httpx.HTTPError:
                return  # the server is gone; in_flight keeps the unanswered write
            self.ledger.in_flight = None
            self.sent += 1
            _record(self.ledger, kind, body, headers, response)

    def _next(self) -> tuple[str, str, dict[str, Any], dict[str, str]]:
        key = uuid.uuid4().hex
        headers = {"Idempotency-Key": key}
        choice = self.rng.random()
        if choice < 0.45:
            return (
                "statement",
                f"/api/v1/negotiations/{self.nid}/statements",
                {"statement": {"speaker": "dana", "date": "2025-01-02", "quote": f"quote {key}"}},
                headers,
            )
        if choice < 0.9:
            return (
                "comment",
                f"/api/v1/negotiations/{self.nid}/texts/offer/comments",
                {"body": f"comment {key}"},
                headers,
            )
        headers["If-Match"] = f'"{self.ledger.version}"'
        return (
            "revision",
            f"/api/v1/negotiations/{self.nid}/preferences/dana",
            {"visibility": "full", "preferences": _preferences(f"revision {key}")},
            headers,
        )

    def _send(self, kind: str, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
        client = self.clients["mediator" if kind == "statement" else "dana"]
        method = "PUT" if kind == "revision" else "POST"
        return client.request(method, path, json=body, headers=headers)


def _record(ledger: Ledger, kind: str, body: dict[str, Any], headers: dict[str, str], response: Any) -> None:
    assert response.status_code in (200, 201), f"{kind}: {response.status_code} {response.text[:500]}"
    key = headers["Idempotency-Key"]
    if kind == "statement":
        ledger.statements[key] = body["statement"]["quote"]
    elif kind == "comment":
        ledger.comments[key] = body["body"]
    else:
        if (
            response.headers.get("Idempotent-Replayed") != "true"
            or response.json()["version"] > ledger.version
        ):
            ledger.revisions.append(body["preferences"]["basis"])
        ledger.version = response.json()["version"]


class Zygote:
    def __init__(self, database_url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.server.zygote", database_url],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=LiveServer.environment(),
        )
        assert self.process.stdout is not None and self.process.stdout.readline().strip() == "ready"

    def start(self, port: int) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"start {port}\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _wait_healthy(base: str, pid: int, timeout: float = 30.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    raise AssertionError("the restarted server did not answer")


def _dead(pid: int) -> None:
    """Wait until the killed process is gone (its port is free again)."""
    for _ in range(500):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        if Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
            return  # a zombie: killed, only not reaped yet
        time.sleep(0.01)


def run_rounds(database_url: str, rounds: int, seed: int) -> None:
    rng = random.Random(seed)
    with Service.start(database_url) as service:
        mediator = service.actor("Recruiter")
        dana = service.actor("Dana")
        nid = create_negotiation(mediator, JOB_OFFER, keep_estimates="false")
        join(mediator, nid, dana, "delegate", "dana")
        expect(
            dana.put(
                f"/negotiations/{nid}/preferences/dana",
                json={"visibility": "full", "preferences": _preferences("first")},
            ),
            201,
        )
        tokens = {"mediator": mediator.token, "dana": dana.token}
    ledger = Ledger()
    zygote = Zygote(database_url)
    pid = 0
    try:
        for _ in range(rounds):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            pid = zygote.start(port)
            _wait_healthy(base, pid)
            _retry_in_flight(base, tokens, ledger)
            writer = Writer(base, tokens, nid, ledger, rng)
            writer.start()
            # Kill at a random moment *after* the round has written something: a fixed
            # sleep alone leaves a loaded machine (CI, two cores) with rounds that
            # never reached the database, and the test would prove nothing.
            _wait_for_writes(ledger, _writes(ledger) + 2, writer)
            time.sleep(rng.uniform(0.0, 0.3))
            os.kill(pid, signal.SIGKILL)
            writer.join(timeout=30)
            assert not writer.is_alive()
            _dead(pid)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        pid = zygote.start(port)
        _wait_healthy(base, pid)
        _retry_in_flight(base, tokens, ledger)
        _check(base, tokens, nid, ledger, database_url, rounds)
    finally:
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        zygote.close()


def _writes(ledger: Ledger) -> int:
    return len(ledger.statements) + len(ledger.comments) + len(ledger.revisions)


def _wait_for_writes(ledger: Ledger, count: int, writer: Writer, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while _writes(ledger) < count:
        assert writer.is_alive(), "the writer stopped before the kill: the server refused a connection"
        assert time.monotonic() < deadline, f"only {_writes(ledger)} writes acknowledged in {timeout:.0f} s"
        time.sleep(0.005)


def _retry_in_flight(base: str, tokens: dict[str, str], ledger: Ledger) -> None:
    """Send the unanswered write again, same key, same body: it must be applied exactly once."""
    if ledger.in_flight is None:
        return
    import httpx

    kind, path, body, headers = ledger.in_flight
    token = tokens["mediator" if kind == "statement" else "dana"]
    with httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
        response = client.request("PUT" if kind == "revision" else "POST", path, json=body, headers=headers)
    if kind == "revision" and response.status_code == 409:
        # The revision named a version another write had moved past: it was never applied, and the
        # 409 says so (with the current state) — a stale write is refused, never lost silently.
        ledger.version = response.json()["current"]["version"]
        ledger.in_flight = None
        return
    _record(ledger, kind, body, headers, response)
    ledger.in_flight = None


def _check(
    base: str, tokens: dict[str, str], nid: str, ledger: Ledger, database_url: str, rounds: int
) -> None:
    import httpx
    from sqlalchemy import func, select, text

    with httpx.Client(
        base_url=base, timeout=30, headers={"Authorization": f"Bearer {tokens['mediator']}"}
    ) as m:
        statements = m.get(f"/api/v1/negotiations/{nid}/statements").json()["items"]
        comments = m.get(f"/api/v1/negotiations/{nid}/texts/offer/comments").json()["comments"]
        prefs = m.get(f"/api/v1/negotiations/{nid}/preferences/dana").json()
    quotes = [s["statement"]["quote"] for s in statements]
    bodies = [c["body"] for c in comments]
    writes = _writes(ledger)
    assert writes >= 2 * rounds, f"only {writes} writes in {rounds} rounds: too few to mean much"
    for quote in ledger.statements.values():
        assert quotes.count(quote) == 1, f"acknowledged statement {quote!r} found {quotes.count(quote)} times"
    for body in ledger.comments.values():
        assert bodies.count(body) == 1, f"acknowledged comment {body!r} found {bodies.count(body)} times"
    assert len(quotes) == len(set(quotes)) and len(bodies) == len(set(bodies)), "a write was applied twice"
    # Anything stored that was never acknowledged can only be an in-flight write that committed
    # before the kill and whose retry was then replayed; the ledger has those too.
    assert {q for q in quotes if q.startswith("quote ")} == set(ledger.statements.values())
    assert set(bodies) == set(ledger.comments.values())
    assert prefs["version"] == ledger.version == 1 + len(ledger.revisions)
    assert prefs["preferences"]["basis"] == (ledger.revisions[-1] if ledger.revisions else "first")

    from accord.server.audit import verify
    from accord.server.db import Database
    from accord.server.db.models import AuditEntry, Comment, Statement

    db = Database(database_url)
    try:
        with db.read() as session:
            if db.dialect == "sqlite":
                assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            logged = session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.negotiation_id == nid, AuditEntry.action == "statement.logged")
            )
            assert logged == session.scalar(
                select(func.count()).select_from(Statement).where(Statement.negotiation_id == nid)
            )
            added = session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.negotiation_id == nid, AuditEntry.action == "comment.added")
            )
            assert added == session.scalar(
                select(func.count()).select_from(Comment).where(Comment.negotiation_id == nid)
            )
            report = verify(session, nid)
            assert report.ok, report.problems
    finally:
        db.dispose()


@pytest.mark.slow
def test_kill_9_sqlite(tmp_path: Path) -> None:
    run_rounds(f"sqlite:///{tmp_path / 'accord.db'}", ROUNDS, seed=9)


@pytest.mark.slow
def test_kill_9_postgresql(postgres_server: str | None) -> None:
    from tests.server.conftest import new_postgres_database, require_postgres

    url, drop = new_postgres_database(require_postgres(postgres_server))
    try:
        run_rounds(url, 8, seed=10)
    finally:
        drop()  # type: ignore[operator]
