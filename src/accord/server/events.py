"""Live updates: server-sent events per negotiation, filtered per viewer on the server.

The events are the audit log's entries (every state change is one), read
from the streams the viewer may see (:func:`accord.server.access.visible_streams`),
so an event carries only what that viewer may see, and a reconnecting client
resumes exactly where it left off (``Last-Event-ID``).  The event id is the
viewer's position in each of its streams (``public=12;party:ua=3``): a number
per stream the viewer sees whole, never a global counter whose gaps would
betray hidden events.

Waking up: a write commits, then the process that serves a stream must learn
of it.  With one process (SQLite) the write wakes the streams directly; with
PostgreSQL every write sends ``NOTIFY accord_events`` in its transaction
(delivered on commit) and each worker process LISTENs on its own connection,
so a viewer connected to any worker hears of a change made through any other.
Streams also re-read every ``event_keepalive_seconds`` in case a notification
was lost (a listener reconnecting).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CHANNEL", "Broker", "PostgresListener", "format_cursor", "format_event", "parse_cursor"]

log = logging.getLogger("accord.server.events")

CHANNEL = "accord_events"
STREAM = "stream"
ANALYSIS = "analysis"


@dataclass(eq=False)
class Subscription:
    negotiation_id: str
    loop: asyncio.AbstractEventLoop
    event: asyncio.Event = field(default_factory=asyncio.Event)
    kinds: set[str] = field(default_factory=set)

    def wake(self, kind: str) -> None:
        self.kinds.add(kind)
        self.event.set()

    def take(self) -> set[str]:
        kinds, self.kinds = self.kinds, set()
        self.event.clear()
        return kinds


class Broker:
    """Wakes the event streams of a negotiation; safe to call from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: dict[str, set[Subscription]] = {}
        self.published = 0

    def subscribe(self, negotiation_id: str) -> Subscription:
        subscription = Subscription(negotiation_id, asyncio.get_running_loop())
        with self._lock:
            self._subscriptions.setdefault(negotiation_id, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            subscribers = self._subscriptions.get(subscription.negotiation_id)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscriptions[subscription.negotiation_id]

    def publish(self, negotiation_id: str, kind: str = STREAM) -> None:
        with self._lock:
            subscribers = list(self._subscriptions.get(negotiation_id, ()))
            self.published += 1
        for subscription in subscribers:
            try:
                subscription.loop.call_soon_threadsafe(subscription.wake, kind)
            except RuntimeError:  # the stream's loop has closed
                self.unsubscribe(subscription)

    def subscribers(self, negotiation_id: str) -> int:
        with self._lock:
            return len(self._subscriptions.get(negotiation_id, ()))


class PostgresListener:
    """LISTEN on one dedicated connection in a thread, and hand notifications to the broker."""

    def __init__(self, conninfo: str, broker: Broker) -> None:
        self._conninfo = conninfo
        self._broker = broker
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="accord-listen", daemon=True)
        self.received = 0

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        self._ready.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        delay = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._ready.set()
                    delay = 0.5
                    while not self._stop.is_set():
                        for notice in connection.notifies(timeout=1.0):
                            self.received += 1
                            negotiation_id, _, kind = notice.payload.partition(" ")
                            self._broker.publish(negotiation_id, kind or STREAM)
                            if self._stop.is_set():
                                break
            except Exception:
                if self._stop.is_set():
                    break
                log.warning("lost the PostgreSQL LISTEN connection; reconnecting")
                self._ready.set()  # do not hold up start-up: the streams' periodic re-read covers it
                self._stop.wait(delay)
                delay = min(delay * 2, 10.0)


# -- the wire format -----------------------------------------------------------------------------

_CURSOR_PART = re.compile(r"^([a-z]+(?::[A-Za-z0-9][A-Za-z0-9_.-]{0,63})?)=(\d{1,9})$")


def parse_cursor(text: str | None) -> dict[str, int] | None:
    """``public=12;party:ua=3`` → ``{"public": 12, "party:ua": 3}``; None if it is not one."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return {}
    cursor: dict[str, int] = {}
    for part in text.split(";"):
        match = _CURSOR_PART.match(part.strip())
        if match is None:
            return None
        cursor[match.group(1)] = int(match.group(2))
    return cursor


def format_cursor(cursor: Mapping[str, int]) -> str:
    return ";".join(f"{stream}={seq}" for stream, seq in sorted(cursor.items()))


def format_event(kind: str, data: Mapping[str, Any], event_id: str | None = None) -> str:
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append(f"event: {kind}")
    # JSON has no raw newlines, so the data is one line.
    lines.append("data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return "\n".join(lines) + "\n\n"
