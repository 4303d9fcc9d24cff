"""The statements of a scenario as a timeline per party and point (for the report).

Each row is one party and one issue (or "in general", for statements tied to no
issue), with that party's statements on it in date order and the stance of
each (the file's own, or read from the quote as :mod:`accord.evidence.check` does).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.evidence.check import check_evidence
from accord.model import Scenario, Stance

__all__ = ["TimelineEntry", "TimelineRow", "statement_timeline"]


@dataclass(frozen=True)
class TimelineEntry:
    index: int
    date: dt.date
    person: str | None
    quote: str
    stance: Stance | None
    options: tuple[str, ...]


@dataclass(frozen=True)
class TimelineRow:
    party: str
    issue: str | None
    entries: tuple[TimelineEntry, ...]


def statement_timeline(scenario: Scenario) -> tuple[TimelineRow, ...]:
    """One row per party and issue the party spoke on, statements oldest first."""
    readings = check_evidence(scenario).readings
    rows: dict[tuple[str, str | None], list[TimelineEntry]] = {}
    for reading in readings:
        for issue in reading.issues or (None,):
            options = tuple(o for o in reading.options
                            if issue is not None and o in {x.id for x in scenario.issue(issue).options})
            rows.setdefault((reading.party, issue), []).append(TimelineEntry(
                reading.index, reading.date, reading.person, reading.quote, reading.stance, options))
    party_order = {p.id: n for n, p in enumerate(scenario.parties)}
    issue_order = {i.id: n for n, i in enumerate(scenario.issues)}
    keys = sorted(rows, key=lambda k: (party_order.get(k[0], 0),
                                       len(issue_order) if k[1] is None else issue_order[k[1]]))
    return tuple(TimelineRow(party, issue, tuple(sorted(rows[(party, issue)],
                                                        key=lambda e: (e.date, e.index))))
                 for party, issue in keys)
