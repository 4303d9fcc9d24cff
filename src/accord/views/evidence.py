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
from accord.views.numbers import plural

__all__ = ["STATUS_TEXT", "render", "render_proposals", "to_dict"]


def to_dict(result: Proposals | EvidenceCheck, labels: Scenario | None = None) -> dict[str, Any]:
    """The JSON-able form of an ingest proposal or an evidence check."""
    if isinstance(result, Proposals):
        return _proposals_dict(result)
    return _check_dict(result)


def render(result: Proposals | EvidenceCheck, labels: Scenario | None = None, *,
           evidence: bool = False, written: bool = False) -> RenderableType:
    """Tables for people: proposals (with ``evidence``, the passage each rests on; ``written``
    after ``--write``), or contradictions and readings."""
    if isinstance(result, Proposals):
        return render_proposals(result, labels, evidence=evidence, written=written)
    return _check_view(result, labels)


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# -- ingest --------------------------------------------------------------------------------

#: What each status word means, for people (the JSON form keeps the word).
STATUS_TEXT = {"new": "to add", "present": "already there", "refused": "refused", "planned": "planned",
               "read": "read"}
_STATUS_STYLE = {"new": "green", "present": "dim", "refused": "red", "planned": "yellow", "read": ""}


def _statement_dict(p: ProposedStatement) -> dict[str, Any]:
    return {
        "quote": p.quote, "speaker": p.speaker, "party": p.party, "person": p.person,
        "date": _day(p.date), "channel": p.channel, "place": p.place,
        "issues": [{"issue": m.issue, "score": m.score} for m in p.issues],
        "stance": p.stance.value if p.stance else None, "options": list(p.options),
        "evidence": p.evidence, "quotations": list(p.quotations),
        "status": p.status, "reason": p.refused,
    }


def _meeting_dict(m: ProposedMeeting) -> dict[str, Any]:
    return {"date": _day(m.date), "place": m.place, "participants": list(m.participants),
            "people": list(m.people), "who": list(m.groups), "evidence": m.sentence, "status": m.status,
            "reason": m.refused}


def _proposals_dict(result: Proposals) -> dict[str, Any]:
    extraction = result.extraction
    return {
        "article": extraction.name,
        "title": extraction.title,
        "date": _day(extraction.date),
        "date_from": extraction.date_from,
        "scenario": result.scenario_given,
        "source": result.source.model_dump(mode="json", exclude_none=True)
        if result.source and result.scenario_given else None,
        "new_source": result.new_source,
        "quotations": [
            {"text": q.text, "kind": q.kind, "speaker": q.speaker, "speaker_kind": q.speaker_kind,
             "how": q.how, "channel": q.channel, "place": q.place, "date": _day(q.date),
             "date_words": q.date_words, "paragraph": q.paragraph + 1, "sentence": q.sentence}
            for q in extraction.quotations],
        "statements": [_statement_dict(p) for p in result.statements],
        "meetings": [_meeting_dict(m) for m in result.meetings],
    }


def render_proposals(result: Proposals, scenario: Scenario | None, *, evidence: bool = False,
                     written: bool = False) -> RenderableType:
    """The proposals as people read them, fitted to the terminal (80 columns is enough): one row
    per statement with a short quote; the reasons for refusals, and with ``evidence`` the passage
    each statement rests on, as numbered notes below the table."""
    extraction = result.extraction
    head = Text()
    head.append(f"{extraction.name}", style="bold")
    head.append(f": {plural(len(extraction.quotations), 'quotation')}, "
                f"{plural(len(result.statements), 'statement')}, {plural(len(result.meetings), 'meeting')}; "
                f"dated {_day(extraction.date) or 'unknown (give --date)'}"
                + (f" ({extraction.date_from})" if extraction.date_from else ""))
    table = Table(box=None, pad_edge=False, padding=(0, 1), show_edge=False, header_style="bold")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("who", max_width=18, overflow="fold")
    table.add_column("when, how", max_width=14, overflow="fold")
    table.add_column("quote", min_width=16, overflow="fold")
    table.add_column("points, stance", max_width=18, overflow="fold")
    if result.scenario_given:
        table.add_column("status", no_wrap=True)
    notes: list[Text] = []
    refusals: dict[str, list[int]] = {}
    for n, p in enumerate(result.statements, 1):
        who = Text(p.person or p.speaker or "(nobody named)")
        if p.party:
            who.append(f"\n{p.party}", style="dim")
        when = Text(_day(p.date) or "date unknown")
        for extra in (p.channel, p.place):
            if extra:
                when.append(f"\n{extra}", style="dim")
        points = Text(", ".join(m.issue for m in p.issues) or ("—" if result.scenario_given else ""))
        if p.stance:
            first_line = p.issues or result.scenario_given
            points.append(("\n" if first_line else "") + p.stance.value, style="italic")
            if p.options:
                points.append(f" {', '.join(p.options)}", style="italic")
        row: list[RenderableType] = [str(n), who, when, Text(f"“{_short(p.quote, 70)}”"), points]
        if result.scenario_given:
            label = "added" if written and p.status == "new" else STATUS_TEXT[p.status]
            row.append(Text(label, style=_STATUS_STYLE[p.status]))
        table.add_row(*row)
        if p.refused:
            refusals.setdefault(p.refused, []).append(n)
        if evidence:
            notes.append(Text(f"#{n} “{p.evidence}”", style="dim"))
    parts: list[RenderableType] = [head]
    if result.statements:
        parts.append(table)
    # One line per reason, not per statement: "refused #1-#8: the article's date is not known".
    parts.extend(Text(f"refused {_numbers(numbers)}: {reason}") for reason, numbers in refusals.items())
    parts.extend(notes)
    if result.meetings:
        meetings = Table(title="Meetings", title_justify="left", box=None, pad_edge=False, padding=(0, 1),
                         header_style="bold")
        for column, width in (("date", 10), ("place", 16), ("who met", 30), ("status", 14)):
            meetings.add_column(column, max_width=width, overflow="fold")
        meeting_notes = []
        for n, m in enumerate(result.meetings, 1):
            present = ", ".join(m.participants) if result.scenario_given else \
                (", ".join(m.people) or "; ".join(m.groups))
            label = "added" if written and m.status == "new" else STATUS_TEXT[m.status]
            meetings.add_row(_day(m.date) or "?", Text(m.place), Text(present or "?"),
                             Text(label, style=_STATUS_STYLE[m.status]))
            if m.refused and not m.planned:
                meeting_notes.append(Text(f"meeting {n} refused: {m.refused}"))
        parts.extend([meetings, *meeting_notes])
    if result.scenario_given and result.source is not None and result.new_source:
        parts.append(Text(f"New source: {result.source.id} — {result.source.title}"
                          + (f" ({result.source.url})" if result.source.url else ""), style="dim"))
    if not result.scenario_given:
        parts.append(Text("No scenario given: speakers are the article's own names. --scenario FILE ties "
                          "them to its parties and proposes statements.", style="dim"))
    return Group(*parts)


def _numbers(numbers: list[int]) -> str:
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"#{numbers[0]}-#{numbers[-1]}"
    return ", ".join(f"#{n}" for n in numbers)


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
    if not result.readings:
        return Text("The scenario has no statements: nothing to compare with the estimates "
                    "(`accord ingest ARTICLE --scenario FILE --write` adds them).")
    parts: list[RenderableType] = []
    compact = {"box": None, "pad_edge": False, "padding": (0, 1), "header_style": "bold",
               "title_justify": "left"}
    if result.findings:
        findings = Table(title="Statements that contradict the estimates", **compact)  # type: ignore[arg-type]
        findings.add_column("#", justify="right", no_wrap=True)
        findings.add_column("party", no_wrap=True)
        findings.add_column("point", max_width=24, overflow="fold")
        findings.add_column("finding", min_width=30, overflow="fold")
        for f in result.findings:
            findings.add_row(str(f.statement + 1), f.party, f.issue + (f".{f.option}" if f.option else ""),
                             Text(f"{f.kind}: {f.message}"))
        parts.append(findings)
    else:
        parts.append(Text(f"No statement contradicts the estimates "
                          f"({plural(len(result.readings), 'statement')} read)."))
    readings = Table(title="Statements and their stance", **compact)  # type: ignore[arg-type]
    readings.add_column("#", justify="right", no_wrap=True)
    readings.add_column("date", no_wrap=True)
    readings.add_column("who", max_width=16, overflow="fold")
    readings.add_column("quote", min_width=16, overflow="fold")
    readings.add_column("points, stance", max_width=22, overflow="fold")
    for r in result.readings:
        who = Text(r.person or r.party)
        if r.person:
            who.append(f"\n{r.party}", style="dim")
        points = Text(", ".join(r.issues) or "—")
        if r.stance:
            points.append(f"\n{r.stance.value}" + (f" {', '.join(r.options)}" if r.options else "")
                          + (" (read)" if r.stance_from == "read" else ""), style="italic")
        readings.add_row(str(r.index + 1), r.date.isoformat(), who, Text(f"“{_short(r.quote, 70)}”"), points)
    parts.append(readings)
    if result.unbacked_red_lines:
        lines = Text("Red lines in the file that no statement backs (estimates without public evidence):")
        for party, issue, option, chance in result.unbacked_red_lines:
            lines.append(f"\n  {party}: {issue}.{option}"
                         + (f" (probability {chance:.2f})" if chance < 1 else ""))
        parts.append(lines)
    return Group(*parts)
