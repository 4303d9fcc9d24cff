"""The report's statements-and-meetings section and its footer (sources and bases)."""

from __future__ import annotations

from accord.model import Scenario
from accord.report.data import ReportData
from accord.report.figures import chart_for
from accord.report.fragments import escape, source_words, sources_words
from accord.report.page import Page

__all__ = ["accord_version", "events_section", "footer", "statement_timeline"]


def events_section(data: ReportData, page: Page) -> str:
    """Statements and meetings: the timeline, the table, and the statements by party and point."""
    scenario, space = data.scenario, data.space
    if not scenario.statements and not scenario.meetings:
        return ('<section id="events"><h2>Statements and meetings</h2><p>The scenario records '
                'none.</p></section>')
    names = {p.id: p.name for p in scenario.parties}
    figure = page.chart("events", chart_for("events", scenario, space, data=data),
                        "Hover a mark for the quote or the meeting and its source.")
    rows = []
    for meeting in scenario.meetings:
        when = meeting.date.isoformat() + (f" – {meeting.end_date.isoformat()}" if meeting.end_date else "")
        rows.append((meeting.date, f"<tr><td>{when}</td><td>meeting</td><td>{escape(meeting.place)}: "
                     f"{escape(', '.join(names.get(p, p) for p in meeting.participants))}"
                     f"<div class=small>{escape(meeting.summary or '')}</div></td>"
                     f"<td class=small>{escape(sources_words(scenario, meeting.sources) or 'none given')}"
                     "</td></tr>"))
    for statement in scenario.statements:
        who = names.get(statement.speaker, statement.speaker)
        where = ", ".join(x for x in (statement.channel, statement.place) if x)
        rows.append((statement.date, f"<tr><td>{statement.date.isoformat()}</td><td>statement</td>"
                     f"<td><b>{escape(statement.person or who)}</b> ({escape(who)}"
                     f"{', ' + escape(where) if where else ''}): "
                     f"“{escape(statement.quote)}”</td><td class=small>"
                     f"{escape(sources_words(scenario, [statement.source]) or 'none given')}"
                     f"</td></tr>"))
    rows.sort(key=lambda r: r[0])
    return f"""<section id="events"><h2>Statements and meetings</h2>{figure}
<table><thead><tr><th>date</th><th>what</th><th>who and what</th><th>source</th></tr></thead>
<tbody>{''.join(r for _, r in rows)}</tbody></table>{statement_timeline(scenario)}</section>"""


def statement_timeline(scenario: Scenario) -> str:
    """Statements per party and point, in date order, with their stance (accord.evidence.timeline)."""
    if not scenario.statements:
        return ""
    from accord.evidence.timeline import statement_timeline

    names = {p.id: p.name for p in scenario.parties}
    titles = {i.id: i.title for i in scenario.issues}
    body = []
    for row in statement_timeline(scenario):
        entries = "".join(
            f"<li>{e.date.isoformat()} <b>{escape(e.person or names.get(row.party, row.party))}</b>: "
            f"“{escape(e.quote)}”"
            + (f" <span class=small>({escape(e.stance.value)}"
               + (f": {escape(', '.join(e.options))}" if e.options else "") + ")</span>" if e.stance else "")
            + "</li>" for e in row.entries)
        point = (f"{escape(titles[row.issue])} <code>{escape(row.issue)}</code>" if row.issue
                 else "<i>in general</i>")
        body.append(f"<tr><td>{escape(names.get(row.party, row.party))}</td><td>{point}</td>"
                    f"<td><ol class=options>{entries}</ol></td></tr>")
    return ("<h3>Statements by party and point</h3><p class=small>Each party's statements on each "
            "point, oldest first, with the stance read from the quote (or given in the file); "
            "<code>accord evidence FILE</code> lists where they contradict the estimates.</p>"
            "<table><thead><tr><th>party</th><th>point</th><th>statements</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def footer(data: ReportData) -> str:
    """Where the numbers come from: the model in words, the estimates' bases, the sources."""
    scenario, space, labels = data.scenario, data.space, data.labels
    estimated = [(p, prefs) for p, prefs in scenario.preferences.items() if prefs.estimate]
    bases = "".join(
        f"<li><b>{escape(labels.party_name(space.party_index(p)))}</b>: "
        f"{escape(prefs.basis or 'no basis given')}</li>" for p, prefs in estimated)
    sources = "".join(
        f"<li><code>{escape(s.id)}</code> {escape(source_words(s))}"
        + (f" — <span class=url>{escape(s.url)}</span>" if s.url else "") + "</li>"
        for s in scenario.sources)
    if estimated:
        who = ", ".join(labels.party_name(space.party_index(p)) for p, _ in estimated)
        estimates = (f"<p><b>Estimated:</b> the preferences (weights, option values, reservation "
                     f"values, red lines) of {escape(who)} are estimates, not measurements. Their "
                     f"stated bases:</p><ul class=small>{bases}</ul>")
    else:
        estimates = "<p>No preferences are marked as estimates.</p>"
    return f"""<footer id="about"><h2>Where the numbers come from</h2>
<p>Facts (who, which version said what, when) come from the scenario's sources below.
Every utility in this report is computed from the scenario's preference tables:
<i>u</i> = Σ weight × option value, weights normalised to sum to 1; a party accepts a text when it
contains none of its red lines and its utility reaches its reservation value. Intervals span the
ways the open points could close.</p>
{estimates}
{f'<h3>Sources</h3><ul class=small>{sources}</ul>' if sources else ''}
<p class=small>Generated by accord {escape(accord_version())}. Charts drawn offline by Vega and vega-embed,
embedded in this file.</p></footer>"""


def accord_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("accord")
    except PackageNotFoundError:
        return "(development)"


