"""Bounded work (review-12): a flood of changes cannot queue unbounded analyses."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.server.helpers import Service, create_negotiation, expect, flagship_preferences, join

SLOW = 1.0  # seconds per (fake) analysis


def test_a_party_revising_in_a_loop_costs_at_most_one_waiting_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import accord.server.jobs as jobs

    calls: list[str] = []
    real = jobs.mediator_bundle

    def slow(document: Any, params: Any) -> Any:
        calls.append(jobs.input_key(document, params))
        time.sleep(SLOW)
        return real(document, params)

    monkeypatch.setattr(jobs, "mediator_bundle", slow)
    with Service.start(f"sqlite:///{tmp_path / 'accord.db'}", analysis_threads=1) as service:
        mediator, ua = service.actor("Mediator"), service.actor("Ukraine")
        nid = create_negotiation(mediator, keep_estimates="false")
        join(mediator, nid, ua, "delegate", "ua")
        time.sleep(0.5)  # the creation's analysis starts
        started = len(calls)
        prefs = flagship_preferences("ua")
        etag = None
        revisions = 25
        began = time.monotonic()
        for k in range(revisions):
            prefs["reservation"] = round(0.2 + 0.01 * k, 3)
            response = ua.put(
                f"/negotiations/{nid}/preferences/ua",
                json={"visibility": "full", "preferences": prefs},
                headers={"If-Match": etag} if etag else {},
            )
            etag = expect(response, {200, 201}) and response.headers["etag"]
        elapsed = time.monotonic() - began
        body = expect(mediator.get(f"/negotiations/{nid}/analysis", params={"wait": 30}), 200)
        assert body["status"] == "ready"
        runner = service.services.jobs
        # One analysis runs at a time and one waits; the ones superseded while waiting never run,
        # so the count follows the time taken, not the number of revisions.
        bound = int(elapsed / SLOW) + 2
        assert bound < revisions / 2, f"the revisions took {elapsed:.1f} s: too slow to tell"
        ran = len(calls) - started
        assert ran <= bound, f"{ran} analyses for {revisions} revisions in {elapsed:.1f} s"
        assert runner.superseded >= revisions - bound
        assert body["evaluation"][0]["parties"]["ua"]["reservation"] == prefs["reservation"]


def test_past_the_limit_submitting_is_refused() -> None:
    from accord.server.jobs import JobRunner, QueueFull

    gate = threading.Event()
    runner = JobRunner(threads=1, max_queued=3)
    runner._run = lambda *args: (gate.wait(10), {"status": "ready"})[1]  # type: ignore[method-assign]
    try:
        first = runner.submit("n0", "k0", {}, {})
        time.sleep(0.2)  # n0 is running, none waiting
        for n in range(1, 4):
            runner.submit(f"n{n}", f"k{n}", {}, {})
        assert runner.waiting() == 3
        with pytest.raises(QueueFull):
            runner.submit("n9", "k9", {}, {})
        # A negotiation that already waits replaces its own entry: allowed, still 3 waiting.
        replaced = runner.running("k1")
        assert replaced is not None
        runner.submit("n1", "k1b", {}, {})
        assert runner.waiting() == 3 and replaced.cancelled()
        gate.set()
        assert first.result(10) == {"status": "ready"}
    finally:
        gate.set()
        runner.shutdown()


def test_a_burst_of_logins_cannot_outrun_the_limit(tmp_path: Path) -> None:
    """Simultaneous wrong guesses all count: no more than the limit get to try a password."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.server.helpers import make_client

    # A password hash of ~20 ms, so that the attempts overlap as they would against a real server.
    with Service.start(
        f"sqlite:///{tmp_path / 'accord.db'}", argon2_memory_kib=8192, argon2_time_cost=2
    ) as service:
        email, _ = service.account("Victim")
        limit = service.settings.login_failures_per_account

        def guess(n: int) -> int:
            client = make_client(service.app)
            return int(
                client.post(
                    "/api/v1/session", json={"email": email, "password": f"wrong guess {n:04}"}
                ).status_code
            )

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(guess, range(40)))
        assert set(statuses) <= {401, 429, 503}, statuses
        assert statuses.count(401) <= limit, f"{statuses.count(401)} guesses tried, limit {limit}"
        assert statuses.count(429) >= 40 - limit - statuses.count(503)


def test_guesses_from_many_addresses_are_limited_per_email(tmp_path: Path) -> None:
    from tests.server.helpers import make_client

    with Service.start(f"sqlite:///{tmp_path / 'accord.db'}", login_failures_per_email=6) as service:
        email, _ = service.account("Victim")
        statuses = []
        for n in range(10):
            # Each guess from another address (TestClient's peer address is settable per client).
            client = make_client(service.app, client=(f"10.0.0.{n + 1}", 5000))
            statuses.append(
                client.post("/api/v1/session", json={"email": email, "password": "wrong guess!"}).status_code
            )
        assert statuses[:6] == [401] * 6 and statuses[6:] == [429] * 4, statuses


def test_bad_fields_get_their_own_words(tmp_path: Path) -> None:
    """A too-long note is not told the identifier rule; a huge integer's error has no Python advice."""
    with Service.start(f"sqlite:///{tmp_path / 'accord.db'}") as service:
        mediator = service.actor("Mediator")
        nid = create_negotiation(mediator)
        long_note = mediator.post(
            f"/negotiations/{nid}/invitations", json={"role": "observer", "note": "x" * 600}
        )
        assert long_note.status_code == 422
        assert long_note.json()["problems"] == [
            {"path": "note", "message": "too long: expected at most 500 characters"}
        ]
        huge = mediator.post(
            f"/negotiations/{nid}/invitations",
            content=b'{"role": "observer", "expires_in_hours": ' + b"9" * 5000 + b"}",
            headers={"Content-Type": "application/json"},
        )
        assert huge.status_code == 400 and "sys." not in huge.text and "4300" in huge.text
