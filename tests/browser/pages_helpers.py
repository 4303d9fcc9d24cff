"""Helpers for the pages' browser test: the service on a local port, and what may never leak.

The service runs in this process (uvicorn in a thread) on 127.0.0.1 and a free port, over a
fresh SQLite file, with the service tests' cheap settings.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tests.server.helpers import FLAGSHIP, PASSWORD, TEST_SETTINGS


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def live_service(database: Path) -> Iterator[tuple[str, Any]]:
    """(base URL, app) of the service listening on 127.0.0.1 until the block ends."""
    import uvicorn

    from accord.server.app import create_app
    from accord.server.settings import Settings

    settings = Settings(database_url=f"sqlite:///{database}", **TEST_SETTINGS)
    app = create_app(settings)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the service did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(10)


def add_account(app: Any, email: str, name: str) -> None:
    from accord.server.db.models import Account

    services = app.state.services
    with services.db.write() as session:
        session.add(Account(email=email, name=name, password_hash=services.passwords.hash(PASSWORD)))


def _middle(value: Any) -> float:
    if isinstance(value, Mapping):
        if value.get("mode") is not None:
            return float(value["mode"])
        return (float(value["low"]) + float(value["high"])) / 2
    return float(value)


def flagship_ratings(party: str) -> dict[str, Any]:
    """The flagship file's estimate of a party, in the rating form's terms (0–100, middles of ranges)."""
    import accord

    prefs = accord.load(FLAGSHIP).preferences[party].model_dump(mode="json", exclude_none=True)
    return {
        "importance": {issue: _middle(w) for issue, w in prefs["weights"].items()},
        "ratings": {
            issue: {option: round(100 * _middle(v), 1) for option, v in values.items()}
            for issue, values in prefs["values"].items()
        },
        "red_lines": {issue: list(options) for issue, options in (prefs.get("red_lines") or {}).items()},
        "walk_away": round(100 * _middle(prefs["reservation"]), 1),
    }


def flagship_utility(party: str, positions: Mapping[str, str]) -> float:
    """The oracle for the pairwise answers: the party's estimated utility of a package (middles)."""
    rated = flagship_ratings(party)
    total = sum(rated["importance"].values())
    return sum(
        rated["importance"][issue] * rated["ratings"].get(issue, {}).get(option, 0.0)
        for issue, option in positions.items()
        if issue in rated["importance"]
    ) / total


def numbers_in(value: Any) -> set[float]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, int | float):
        return {float(value)}
    if isinstance(value, Mapping):
        return set().union(*(numbers_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(numbers_in(v) for v in value)) if value else set()
    return set()


def telltales(numbers: set[float], own: set[float]) -> set[str]:
    """The spellings of another party's numbers that cannot appear on a page by coincidence.

    Numbers with three or more decimals, as JSON spells them (and, with more than four, rounded
    to four places); numbers the viewer's own party also has are left out.
    """
    out = set()
    own_spellings = {repr(v) for v in own} | {f"{v:.4f}" for v in own}
    for v in numbers:
        if abs(v * 100 - round(v * 100)) < 1e-9:
            continue  # 0.5, 0.65: too common to prove anything
        spellings = {repr(v)} if len(repr(v)) <= 6 else {repr(v), f"{v:.4f}"}
        for spelling in spellings:
            if spelling not in own_spellings:
                out.add(spelling)
    return out
