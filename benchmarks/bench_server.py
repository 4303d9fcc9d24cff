"""The live service on loopback: state reads per second and their p99; publish → analytics ready.

Runs a real ``accord serve`` (one process, SQLite in a temporary folder; or
``--database URL``), sets up the flagship negotiation through the API (the
mediator, Ukraine's and Russia's delegates with their own preferences), then:

1. **Reads** of the negotiation's state (``GET /api/v1/negotiations/ID`` with
   an API token), with ``wrk`` (Debian's package; ``--wrk PATH``) for
   ``--seconds`` per run, ``--connections`` (8) connections over 2 threads, three
   runs; else with a bounded Python load generator (``--python-load``).
   Baseline, measured side by side in the same runs: ``GET /api/v1/health``
   (the framework and one database query: the floor of any request here).
   Targets: ≥ 1,000 requests/s and p99 < 50 ms.
2. **Publish → analytics ready**: the mediator publishes a new version of the
   flagship text and asks for the analysis with ``?wait=``; the time from
   sending the publication to holding the ready analysis (evaluation of every
   text for four parties, frontier and bargaining solutions, feasibility,
   smallest amendment, 20,000-sample deal chances).  Median of ``--publishes``.
   Baseline, side by side: the same analyses called in-process on the library
   (no HTTP, no database).  Target: ≤ 1 s.  The answers are asserted equal.

The machine is shared: the load average is printed before and after, and each
figure is a median with its spread.  Run: ``.venv/bin/python benchmarks/bench_server.py``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "examples" / "peace-plan-2025" / "scenario.toml"
PASSWORD = "benchmark password 1"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, database: str, env: dict[str, str]) -> None:
        self.database = database
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        accord = [sys.executable, "-m", "accord"]
        init = subprocess.run(
            [*accord, "serve", "--init", "--database", self.database, "--email", "mediator@example.org"],
            env=self.env,
            capture_output=True,
            text=True,
        )
        if init.returncode != 0:
            raise SystemExit(f"accord serve --init failed: {init.stderr}")
        self.process = subprocess.Popen(
            [*accord, "serve", "--database", self.database, "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import httpx

        for _ in range(600):
            try:
                if httpx.get(f"{self.base}/api/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise SystemExit("the server did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)


def check(response: Any, status: int) -> Any:
    if response.status_code != status:
        raise SystemExit(
            f"{response.request.method} {response.request.url}: {response.status_code} {response.text}"
        )
    return response.json() if response.content else None


def setup(base: str) -> dict[str, Any]:
    """The flagship negotiation with two delegates' submitted preferences; an API token for reads."""
    import httpx

    import accord

    mediator = httpx.Client(base_url=base, timeout=60)
    login = check(
        mediator.post("/api/v1/session", json={"email": "mediator@example.org", "password": PASSWORD}), 200
    )
    mediator.headers["X-CSRF-Token"] = login["csrf_token"]
    token = check(mediator.post("/api/v1/tokens", json={"name": "bench"}), 201)["token"]
    api = httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"})
    nid = check(
        api.post(
            "/api/v1/negotiations",
            content=FLAGSHIP.read_bytes(),
            headers={"Content-Type": "application/toml"},
        ),
        201,
    )["id"]
    scenario = accord.load(FLAGSHIP)
    for party, visibility in (("ua", "analysis-only"), ("ru", "full")):
        email = f"{party}@example.org"
        invitation = check(
            api.post(
                f"/api/v1/negotiations/{nid}/invitations",
                json={"role": "delegate", "party": party, "email": email},
            ),
            201,
        )
        check(
            httpx.post(
                f"{base}/api/v1/invitations/accept",
                json={"token": invitation["token"], "email": email, "name": party, "password": PASSWORD},
            ),
            202,
        )
        delegate = httpx.Client(base_url=base, timeout=60)
        csrf = check(delegate.post("/api/v1/session", json={"email": email, "password": PASSWORD}), 200)[
            "csrf_token"
        ]
        prefs = scenario.preferences[party].model_dump(mode="json", exclude_none=True)
        check(
            delegate.put(
                f"/api/v1/negotiations/{nid}/preferences/{party}",
                headers={"X-CSRF-Token": csrf},
                json={"visibility": visibility, "preferences": prefs},
            ),
            201,
        )
    check(api.get(f"/api/v1/negotiations/{nid}/analysis", params={"wait": 10}), 200)
    return {"nid": nid, "token": token, "api": api}


# -- reads -------------------------------------------------------------------------------------


def wrk_run(wrk: str, url: str, token: str, seconds: int, connections: int) -> tuple[float, float, int]:
    """(requests/s, p99 ms, non-2xx count) from wrk --latency."""
    out = subprocess.run(
        [
            wrk,
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "5s",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99 is not None, out
    value = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, value, int(errors.group(1)) if errors else 0


def python_run(url: str, token: str, seconds: int, connections: int) -> tuple[float, float, int]:
    """A bounded load generator: ``connections`` threads, keep-alive, for ``seconds``."""
    import httpx

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def work() -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=5) as client:
            mine = []
            while time.monotonic() < stop and len(mine) < 200_000:
                started = time.perf_counter()
                status = client.get(url).status_code
                mine.append(time.perf_counter() - started)
                if status != 200:
                    errors[0] += 1
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return len(latencies) / elapsed, latencies[int(0.99 * (len(latencies) - 1))] * 1000, errors[0]


# -- publish → analytics ready --------------------------------------------------------------------


def publish_cycle(api: Any, nid: str, n: int) -> tuple[float, dict[str, Any]]:
    plan = check(api.get(f"/api/v1/negotiations/{nid}/texts/plan-20"), 200)["text"]
    positions = dict(plan["positions"])
    options = ["hold-line", "mutual-pullback", "free-economic-zone"]
    positions["donetsk"] = options[n % 3]
    positions["elections"] = ["100-days", "asap-referendum", "security-first"][(n // 3) % 3]
    text = {
        "id": f"bench-{n}",
        "title": f"Benchmark version {n}",
        "parent": "plan-20",
        "positions": positions,
    }
    started = time.perf_counter()
    check(api.post(f"/api/v1/negotiations/{nid}/texts", json=text), 201)
    while True:
        response = api.get(f"/api/v1/negotiations/{nid}/analysis", params={"wait": 10})
        body = response.json()
        if response.status_code == 200 and body["status"] == "ready" and body["text"] == text["id"]:
            return time.perf_counter() - started, body


def in_process(api: Any, nid: str, base_db: str) -> tuple[float, dict[str, Any]]:
    """The same mediators' analysis, called on the library directly (the document from the database)."""
    from accord.server import analytics
    from accord.server.context import Services
    from accord.server.db.models import Negotiation
    from accord.server.jobs import mediator_bundle
    from accord.server.settings import Settings

    services = Services.create(Settings.from_env().replace(database_url=base_db))
    try:
        with services.db.read() as session:
            spec = analytics.mediator_input(session, services, session.get(Negotiation, nid))
    finally:
        services.stop()
    times, bundle = [], {}
    for _ in range(3):  # the first call also imports the analysis modules: the median is warm
        started = time.perf_counter()
        bundle = mediator_bundle(spec.document, spec.params)
        times.append(time.perf_counter() - started)
    return statistics.median(times), bundle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="database URL (default: a SQLite file in a temporary folder)")
    parser.add_argument("--wrk", default=shutil.which("wrk"), help="wrk executable (default: on PATH)")
    parser.add_argument("--python-load", action="store_true", help="use the Python load generator, not wrk")
    parser.add_argument("--seconds", type=int, default=8, help="seconds per read run (1–60)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (1–256)")
    parser.add_argument("--runs", type=int, default=3, help="read runs (1–10)")
    parser.add_argument("--publishes", type=int, default=5, help="publish cycles (1–20)")
    args = parser.parse_args()
    if not (
        1 <= args.seconds <= 60
        and 1 <= args.connections <= 256
        and 1 <= args.runs <= 10
        and 1 <= args.publishes <= 20
    ):
        parser.error("--seconds 1–60, --connections 1–256, --runs 1–10, --publishes 1–20")
    use_wrk = args.wrk is not None and not args.python_load
    folder = tempfile.mkdtemp(prefix="accord-bench-")
    database = args.database or f"sqlite:///{folder}/accord.db"
    env = {**os.environ, "ACCORD_INIT_PASSWORD": PASSWORD}
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores, shared with other work)")
    with Server(database, env) as server:
        world = setup(server.base)
        nid, token, api = world["nid"], world["token"], world["api"]
        state_url = f"{server.base}/api/v1/negotiations/{nid}"
        health_url = f"{server.base}/api/v1/health"
        state = check(api.get(state_url), 200)
        assert state["id"] == nid and len(state["texts"]) == 4 and state["role"] == "mediator"
        tool = "wrk" if use_wrk else "python load generator"
        kind = "SQLite" if database.startswith("sqlite") else "PostgreSQL"
        print(
            f"\nReads on loopback, {tool}, {args.connections} connections, {args.seconds} s per run, "
            f"{args.runs} runs (one server process, {kind})"
        )
        results: dict[str, list[tuple[float, float, int]]] = {"state": [], "health": []}
        for _ in range(args.runs):
            for name, url in (("state", state_url), ("health", health_url)):
                run = (
                    wrk_run(args.wrk, url, token, args.seconds, args.connections)
                    if use_wrk
                    else python_run(url, token, args.seconds, args.connections)
                )
                results[name].append(run)
        for name, label in (("state", "GET negotiation state"), ("health", "baseline: GET /health")):
            rates = [r[0] for r in results[name]]
            p99s = [r[1] for r in results[name]]
            errors = sum(r[2] for r in results[name])
            print(
                f"  {label:<24} {statistics.median(rates):8.0f} req/s "
                f"(runs {min(rates):.0f}–{max(rates):.0f})"
                f"   p99 {statistics.median(p99s):6.1f} ms (runs {min(p99s):.1f}–{max(p99s):.1f})   "
                f"errors {errors}"
            )
        assert sum(r[2] for r in results["state"]) == 0, "some reads failed"
        rate = statistics.median(r[0] for r in results["state"])
        p99 = statistics.median(r[1] for r in results["state"])

        print(f"\nPublish a flagship version → its analytics ready (median of {args.publishes})")
        times, bundles = [], []
        for n in range(args.publishes):
            seconds, bundle = publish_cycle(api, nid, n)
            times.append(seconds)
            bundles.append(bundle)
        library_seconds, library_bundle = in_process(api, nid, database)
        served = dict(bundles[-1])
        for key in ("seconds", "role", "key", "profile", "missing"):
            served.pop(key, None)
            library_bundle.pop(key, None)
        from accord.server.access import redact_bundle

        assert served == redact_bundle(library_bundle, {"ua"}), (
            "the served analysis differs from the library's"
        )
        print(
            f"  served (HTTP publish, job, cache, HTTP read)  {statistics.median(times):.3f} s "
            f"(runs {min(times):.3f}–{max(times):.3f})"
        )
        print(f"  baseline: the library in-process              {library_seconds:.3f} s (median of 3)")
        publish = statistics.median(times)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    verdicts = [
        (f"reads ≥ 1,000 req/s: {rate:.0f}", rate >= 1000),
        (f"p99 < 50 ms: {p99:.1f} ms", p99 < 50),
        (f"publish → analytics ≤ 1 s: {publish:.3f} s", publish <= 1.0),
    ]
    for text, ok in verdicts:
        print(f"  {'met' if ok else 'NOT met'}: {text}")
    shutil.rmtree(folder, ignore_errors=True)
    if not all(ok for _, ok in verdicts):
        sys.exit(1)


if __name__ == "__main__":
    main()
