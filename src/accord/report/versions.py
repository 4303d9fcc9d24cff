"""The report's sections on the texts: overview, versions, stance map, convergence."""

from __future__ import annotations

from typing import Any

from accord.analysis.diff import ChangeKind, TextDiff, diff_texts
from accord.model import Scenario
from accord.report.data import ReportData, convergence_rows, default_text
from accord.report.figures import chart_for
from accord.report.fragments import bar, escape, interval_words, sources_words, verdict_cell
from accord.report.page import Page
from accord.views.labels import Labels
from accord.views.numbers import shown
from accord.views.texts import diff_summary, reason_message

__all__ = ["convergence_section", "overview_section", "stance_section", "versions_section"]


def _preference_kind(scenario: Scenario, party_id: str, preferences: set[str]) -> str:
    if party_id not in preferences:
        return "none"
    return "estimated" if scenario.preferences[party_id].estimate else "given"


def overview_section(data: ReportData) -> str:
    """The overview: parties, disputed points and their options, settled points."""
    scenario, space, labels = data.scenario, data.space, data.labels
    must = set(scenario.must_accept)
    deal_needs = ", ".join(labels.party_name(p) for p in range(space.n_parties)
                           if space.must_accept[p]) or "nobody"
    preferences = set(space.party_ids)
    party_rows = "".join(
        f"<tr><td><b>{escape(p.name)}</b> <code>{escape(p.id)}</code></td><td>{escape(p.role.value)}</td>"
        f"<td>{'yes' if p.id in must else ''}</td>"
        f"<td>{_preference_kind(scenario, p.id, preferences)}</td>"
        f"<td>{escape(p.description or '')}"
        + (f"<div class=small>{escape('; '.join(_delegate(d) for d in p.delegates))}</div>"
           if p.delegates else "") + "</td></tr>"
        for p in scenario.parties)
    issue_rows = []
    for issue in scenario.issues:
        options = "".join(f"<li>{escape(o.label)} <code>{escape(o.id)}</code></li>" for o in issue.options)
        points = ", ".join(str(p) for p in issue.points)
        issue_rows.append(
            f"<tr><td><b>{escape(issue.title)}</b> <code>{escape(issue.id)}</code>"
            f"{f'<div class=small>plan points {escape(points)}</div>' if points else ''}</td>"
            f"<td><ol class=options>{options}</ol></td></tr>")
    settled = "".join(
        f"<li><span class=small>points {escape(', '.join(str(p) for p in s.points))}:</span> "
        f"{escape(s.summary)}</li>" for s in scenario.settled)
    return f"""<section id="overview"><h2>Overview</h2>
<p>{len(scenario.parties)} parties, {len(scenario.issues)} disputed points with
{sum(len(i.options) for i in scenario.issues)} options, {len(scenario.texts)} versions of the text.
A deal needs the acceptance of: <b>{escape(deal_needs)}</b>.</p>
<h3>Parties</h3><table><thead><tr><th>party</th><th>role</th><th>must accept</th>
<th>preferences</th><th>notes</th></tr></thead><tbody>{party_rows}</tbody></table>
<h3>Disputed points and their options</h3>
<table><thead><tr><th>point</th><th>options</th></tr></thead><tbody>{"".join(issue_rows)}</tbody></table>
{f'<h3>Settled points</h3><ul>{settled}</ul>' if settled else ''}
</section>"""


def _delegate(d: Any) -> str:
    words = d.name + (f", {d.title}" if d.title else "")
    if d.since or d.until:
        words += f" ({d.since or '…'} – {d.until or '…'})"
    return words


def versions_section(data: ReportData, page: Page) -> str:
    """Every version of the text: who accepts it and why not, and what changed from its parent."""
    scenario, space, labels, evaluations = data.scenario, data.space, data.labels, data.evaluations
    if not space.text_ids:
        return '<section id="versions"><h2>Versions</h2><p>The scenario has no texts.</p></section>'
    names = {p.id: p.name for p in scenario.parties}
    order = data.order
    by_text = {e.text: e for e in evaluations}
    chart = ""
    if any(scenario.texts[t].date for t in order):
        chart = page.chart("versions", chart_for("versions", scenario, space, data=data),
                           "Each version of the text on the calendar; hover for its author and sources.")
    blocks = []
    for t in order:
        text = scenario.texts[t]
        evaluation = by_text[t]
        deal = {True: ('a deal: every party that must accept does', 'yes'),
                False: ('no deal: a party that must accept rejects it', 'no'),
                None: ('undecided: depends on the open points', 'open')}[evaluation.deal]
        rows = []
        for verdict in evaluation.parties:
            p = verdict.party
            low, high = verdict.utility
            reasons = "; ".join(reason_message(r, labels, p, partial=bool(evaluation.open_points))
                                for r in verdict.reasons)
            rows.append(
                f"<tr><td>{escape(labels.party_name(p))}</td><td>{'yes' if space.must_accept[p] else ''}</td>"
                f"<td class=num>{interval_words(low, high)}</td>"
                f"<td>{bar(low, high, float(space.reservation[p]))}</td>"
                f"<td>{verdict_cell(verdict.acceptable)}</td><td class=small>{escape(reasons)}</td></tr>")
        step = ""
        if text.parent is not None:
            step = _diff_block(diff_texts(space, space.text_index(text.parent), t), labels)
        meta = [f"by {escape(names.get(text.author or '', text.author or 'unknown author'))}"]
        if text.date:
            meta.append(text.date.isoformat())
        meta.append(escape(text.status.value))
        if text.parent:
            meta.append(f"revises <code>{escape(text.parent)}</code>")
        open_points = [labels.issue_title(i) for i in evaluation.open_points]
        blocks.append(f"""<article class=version id="text-{escape(text.id)}">
<h3>{escape(text.title)} <code>{escape(text.id)}</code></h3>
<p class=meta>{' · '.join(meta)}</p>
{f'<p class=small>{escape(text.notes)}</p>' if text.notes else ''}
{f'<p class=small>Sources: {escape(sources_words(scenario, text.sources))}</p>' if text.sources else ''}
{step}
{f'<p>Open points: {escape(", ".join(open_points))}</p>' if open_points else ''}
<table><thead><tr><th>party</th><th>must accept</th><th>utility</th><th>vs reservation</th>
<th>verdict</th><th>why</th></tr></thead><tbody>{''.join(rows)}</tbody></table>
<p class="deal {deal[1]}">{deal[0]}</p></article>""")
    return f"""<section id="versions"><h2>Versions of the text</h2>
{chart}{''.join(blocks)}</section>"""


def _diff_block(diff: TextDiff, labels: Labels) -> str:
    assert diff.before is not None
    changes = "".join(
        f"<tr><td>{escape(labels.issue_title(c.issue))}</td><td>{escape(c.kind.value)}</td>"
        f"<td>{escape(labels.option_label(c.issue, c.before))}</td>"
        f"<td>{escape(labels.option_label(c.issue, c.after))}</td></tr>" for c in diff.changes)
    kinds = {k: sum(1 for c in diff.changes if c.kind is k) for k in ChangeKind}
    gains = " ".join(
        f'<span class="gain {"yes" if g > 0.005 else ("no" if g < -0.005 else "")}">'
        f"{escape(labels.party(p))} {shown(g, 2, sign=True)}</span>"
        for p, g in enumerate(diff.gain.tolist()))
    return (f"<details open><summary>Changes from <code>{escape(labels.text(diff.before) or '')}</code>: "
            f"{kinds[ChangeKind.CHANGED]} changed, {kinds[ChangeKind.OPENED]} opened, "
            f"{kinds[ChangeKind.CLOSED]} closed</summary>"
            + (f"<table><thead><tr><th>point</th><th>change</th><th>before</th><th>after</th>"
               f"</tr></thead><tbody>{changes}</tbody></table>" if changes else "")
            + f"<p>Who gained (change of the utility interval's midpoint): {gains}</p>"
            + f"<p class=small>{escape(diff_summary(diff, labels))}</p></details>")


def stance_section(data: ReportData, page: Page) -> str:
    """The stance map of the text the options name (default: the latest)."""
    scenario, space, labels, options = data.scenario, data.space, data.labels, data.options
    t = options.text if options.text is not None else default_text(scenario)
    if t is None:
        return '<section id="stance"><h2>Stance map</h2><p>The scenario has no texts.</p></section>'
    figure = page.chart("stance", chart_for("stance", scenario, space, options=options, data=data),
                        "Each cell: the party's value of its best option on the point minus its "
                        "value of the text's option (0 = the text gives the party its best). "
                        "✕ = the text's option is one of the party's red lines; grey = open "
                        "point; ? = an open point that could close on a red line.")
    return f"""<section id="stance"><h2>Stance map: {escape(labels.text_title(t))}</h2>
<p>Where each party stands on each point of <code>{escape(labels.text(t))}</code>.</p>{figure}</section>"""


def convergence_section(data: ReportData, page: Page) -> str:
    """Each party's utility across the versions: chart and table."""
    scenario, space = data.scenario, data.space
    if not space.text_ids:
        return '<section id="convergence"><h2>Convergence</h2><p>No texts.</p></section>'
    figure = page.chart("convergence", chart_for("convergence", scenario, space, data=data),
                        "Bars: the range of each party's utility over the ways the open points "
                        "could close; tick: the middle (a tick alone = every point settled); "
                        "dashed lines: reservation values. A process converges when the bars of "
                        "the parties that must accept all rise above their dashed lines.")
    rows = convergence_rows(space, data.labels, data.evaluations, data.order)
    body = "".join(f"<tr><td>{escape(r['text'])}</td><td>{escape(r['party'])}</td>"
                   f"<td class=num>{shown(r['low'])}</td><td class=num>{shown(r['high'])}</td>"
                   f"<td>{escape(r['verdict'])}</td></tr>" for r in rows)
    table = ("<table><thead><tr><th>text</th><th>party</th><th>utility low</th>"
             f"<th>utility high</th><th>verdict</th></tr></thead><tbody>{body}</tbody></table>")
    return f"""<section id="convergence"><h2>Convergence across versions</h2>{figure}{table}</section>"""


