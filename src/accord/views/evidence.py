"""Views of evidence: what ``accord ingest`` proposes and what ``accord evidence`` finds.

``to_dict(result, labels)`` is the JSON form (``--json``); ``render(result, labels)``
the tables people read.  ``labels`` is the scenario the result is about (for party
names), or None.  Every piece of user text — quotes, names, evidence spans — is
printed as text, never as markup.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.evidence.check import EvidenceCheck
from accord.evidence.propose import Proposals, ProposedMeeting, ProposedStatement
from accord.model import Scenario

__all__ = ["render", "to_dict"]


def to_dict(result: Proposals | EvidenceCheck, labels: Scenario | None = None) -> dict[str, Any]:
    """The JSON-able form of an ingest proposal or an evidence check."""
    if isinstance(result, Proposals):
        return _proposals_dict(result)
    return _check_dict(result)


def render(result: Proposals | EvidenceCheck, labels: Scenario | None = None) -> RenderableType:
    """Tables for people: proposals with their evidence, or contradictions and readings."""
    if isinstance(result, Proposals):
        return _proposals_view(result, labels)
    return _check_view(result, labels)


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# -- ingest --------------------------------------------------------------------------------

def _statement_dict(p: ProposedStatement) -> dict[str, Any]:
    return {
        "quote": p.quote, "speaker": p.speaker, "party": p.party, "person": p.person,
        "date": _day(p.date), "channel": p.channel, "place": p.place,
        "issues": [{"issue": m.issue, "score": m.score, "option": m.option,
                    "option_score": m.option_score} for m in p.issues],
        "stance": p.stance.value if p.stance else None, "options": list(p.options),
        "evidence": p.evidence, "quotations": list(p.quotations),
        "status": _status(p.refused, p.duplicate, p.statement is not None),
        "refused": p.refused,
    }


def _status(refused: str | None, duplicate: bool, ready: bool) -> str:
    if refused:
        return "refused"
    if duplicate:
        return "already in the scenario"
    return "to add" if ready else "found"


def _meeting_dict(m: ProposedMeeting) -> dict[str, Any]:
    return {"date": _day(m.date), "place": m.place, "participants": list(m.participants),
            "people": list(m.people), "evidence": m.sentence,
            "status": _status(m.refused, m.duplicate, m.meeting is not None), "refused": m.refused}


def _proposals_dict(result: Proposals) -> dict[str, Any]:
    extraction = result.extraction
    return {
        "article": extraction.name,
        "title": extraction.title,
        "date": _day(extraction.date),
        "date_from": extraction.date_from,
        "source": result.source.model_dump(mode="json", exclude_none=True) if result.source else None,
        "new_source": result.new_source,
        "quotations": [
            {"text": q.text, "kind": q.kind, "speaker": q.speaker, "speaker_kind": q.speaker_kind,
             "how": q.how, "channel": q.channel, "place": q.place, "date": _day(q.date),
             "date_words": q.date_words, "paragraph": q.paragraph + 1, "sentence": q.sentence}
            for q in extraction.quotations],
        "statements": [_statement_dict(p) for p in result.statements],
        "meetings": [_meeting_dict(m) for m in result.meetings],
    }


def _proposals_view(result: Proposals, scenario: Scenario | None) -> RenderableType:
    extraction = result.extraction
    head = Text()
    head.append(f"{extraction.name}", style="bold")
    head.append(f": {len(extraction.quotations)} quotations, {len(result.statements)} proposed "
                f"statements, {len(result.meetings)} meetings; article date "
                f"{_day(extraction.date) or 'unknown (give --date)'}"
                + (f" ({extraction.date_from})" if extraction.date_from else ""))
    names = {p.id: p.name for p in scenario.parties} if scenario else {}
    table = Table(show_lines=True, expand=False)
    for column in ("#", "who", "when, where", "quote", "points, stance", "status"):
        table.add_column(column, overflow="fold")
    for n, p in enumerate(result.statements, 1):
        who = Text(p.person or p.speaker or "(nobody named)")
        if p.party:
            who.append(f"\n{names.get(p.party, p.party)} ({p.party})", style="dim")
        when = Text(_day(p.date) or "?")
        for extra in (p.channel, p.place):
            if extra:
                when.append(f"\n{extra}")
        quote = Text(f"“{p.quote}”")
        quote.append(f"\n{_short(p.evidence)}", style="dim")
        points = Text("\n".join(f"{m.issue} {m.score:.1f}" + (f" → {m.option}" if m.option else "")
                                 for m in p.issues) or ("—" if result.scenario_given else ""))
        if p.stance:
            points.append(("\n" if p.issues else "") + p.stance.value, style="italic")
        status = Text(_status(p.refused, p.duplicate, p.statement is not None),
                      style="red" if p.refused else ("dim" if p.duplicate else "green"))
        if p.refused:
            status.append(f": {p.refused}")
        table.add_row(str(n), who, when, quote, points, status)
    parts: list[RenderableType] = [head, table]
    if result.meetings:
        meetings = Table(title="Meetings", title_justify="left")
        for column in ("date", "place", "who", "status"):
            meetings.add_column(column, overflow="fold")
        for m in result.meetings:
            present = ", ".join(m.participants) or ", ".join(m.people) or "?"
            status = Text(_status(m.refused, m.duplicate, m.meeting is not None),
                          style="red" if m.refused else "green")
            if m.refused:
                status.append(f": {m.refused}")
            meetings.add_row(_day(m.date) or "?", Text(m.place), Text(present), status)
        parts.append(meetings)
    if result.source is not None and result.new_source:
        parts.append(Text(f"New source: {result.source.id} — {result.source.title}"
                          + (f" ({result.source.url})" if result.source.url else ""), style="dim"))
    return Group(*parts)


def _short(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- evidence ------------------------------------------------------------------------------

def _check_dict(result: EvidenceCheck) -> dict[str, Any]:
    return {
        "findings": [{"kind": f.kind, "statement": f.statement, "party": f.party, "issue": f.issue,
                      "option": f.option, "stance": f.stance.value, "value": f.value,
                      "message": f.message} for f in result.findings],
        "statements": [{"index": r.index, "party": r.party, "person": r.person, "date": _day(r.date),
                        "quote": r.quote, "issues": list(r.issues),
                        "stance": r.stance.value if r.stance else None, "options": list(r.options),
                        "stance_from": r.stance_from or None} for r in result.readings],
        "unbacked_red_lines": [{"party": p, "issue": i, "option": o, "probability": c}
                               for p, i, o, c in result.unbacked_red_lines],
    }


def _check_view(result: EvidenceCheck, scenario: Scenario | None) -> RenderableType:
    parts: list[RenderableType] = []
    if result.findings:
        findings = Table(title="Statements that contradict the estimates", title_justify="left")
        for column in ("statement", "party", "point", "finding"):
            findings.add_column(column, overflow="fold")
        for f in result.findings:
            reading = result.readings[f.statement]
            said = f"#{f.statement + 1} {reading.date.isoformat()} “{_short(reading.quote, 80)}”"
            findings.add_row(Text(said),
                             f.party, f.issue + (f".{f.option}" if f.option else ""),
                             Text(f"{f.kind}: {f.message}"))
        parts.append(findings)
    else:
        parts.append(Text(f"No statement contradicts the estimates "
                          f"({len(result.readings)} statements read)."))
    readings = Table(title="Statements and their stance", title_justify="left")
    for column in ("#", "date", "party", "who", "quote", "points", "stance"):
        readings.add_column(column, overflow="fold")
    for r in result.readings:
        stance = (r.stance.value + (" (read)" if r.stance_from == "read" else "")) if r.stance else "—"
        points = ", ".join(r.issues) + (f" → {', '.join(r.options)}" if r.options else "")
        readings.add_row(str(r.index + 1), r.date.isoformat(), r.party, Text(r.person or ""),
                         Text(f"“{_short(r.quote, 100)}”"), points or "—", stance)
    parts.append(readings)
    if result.unbacked_red_lines:
        lines = Text("Red lines in the file that no statement backs (estimates without public evidence):")
        for party, issue, option, chance in result.unbacked_red_lines:
            lines.append(f"\n  {party}: {issue}.{option}"
                         + (f" (probability {chance:.2f})" if chance < 1 else ""))
        parts.append(lines)
    return Group(*parts)
