"""A self-contained HTML report of a negotiation: one file, no network, readable and printable.

:func:`build_report` turns a scenario and its compiled Space into one HTML
document: styles inline, the Vega runtime inline (from ``vl-convert``), every
chart as an inline Vega specification with its data.  The page makes no
request of any kind, so it can be mailed around and opened offline.

The numbers behind each chart come from functions here that are pure over the
Space (:func:`stance_cells`, :func:`convergence_rows`,
:func:`two_party_frontier`, :func:`timeline_events`), so every picture is
available from Python and testable on its own.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.diff import ChangeKind, TextDiff, diff_texts
from accord.analysis.evaluate import TextEvaluation, evaluate_texts, utility_bounds
from accord.model import Scenario
from accord.report import charts
from accord.report.serialize import Labels, diff_summary, reason_message
from accord.space import UNRESOLVED, FloatArray, Space

__all__ = [
    "ReportOptions",
    "build_report",
    "chart_for",
    "convergence_rows",
    "default_text",
    "frontier_pairs",
    "nash_point",
    "stance_cells",
    "text_order",
    "timeline_events",
    "two_party_frontier",
]

#: The charts :func:`chart_for` can draw (also the ``accord chart`` kinds).
CHART_KINDS = ("stance", "convergence", "frontier", "versions", "events", "chances")

#: Monte Carlo samples and seed of the report's deal chances (fixed: the report is reproducible).
CHANCE_SAMPLES = 10_000
CHANCE_SEED = 0

#: Above this many packages (after removing the two parties' red lines) the report's own
#: two-party frontier is not computed; the frontier section then says so.
FRONTIER_LIMIT = 50_000_000


@dataclass(frozen=True)
class ReportOptions:
    """What the report focuses on.

    Attributes:
        text: index of the text shown in the stance map (default: :func:`default_text`).
        parties: the parties whose pairwise frontiers are drawn (default: those that
            must accept, or every party with preferences when fewer than two must).
    """

    text: int | None = None
    parties: tuple[int, ...] | None = None


# -- numbers behind the charts ------------------------------------------------------


def text_order(scenario: Scenario) -> list[int]:
    """Text indices oldest first (by date; undated texts keep file order, after dated ones)."""
    def key(t: int) -> tuple[dt.date, int]:
        return (scenario.texts[t].date or dt.date.max, t)

    return sorted(range(len(scenario.texts)), key=key)


def default_text(scenario: Scenario) -> int | None:
    """The text a reader most likely cares about: the latest one (by date, then file order)."""
    order = text_order(scenario)
    return order[-1] if order else None


def stance_cells(space: Space, labels: Labels, package: Sequence[int] | np.ndarray
                 ) -> list[dict[str, Any]]:
    """One cell per (party, point): how far ``package``'s option is from the party's best.

    ``distance`` is the party's value of its best option on that point minus its
    value of the text's option (0 = the party's best, 1 = from its best to an
    option it values at 0); it is None for an open point.  ``mark`` is "✕"
    where the text's option is one of the party's red lines and "?" where an
    open point could still close on one.
    """
    vector = np.asarray(package, dtype=np.int64)
    cells = []
    for p in range(space.n_parties):
        for i in range(space.n_issues):
            n = int(space.n_options[i])
            values = space.values[p, i, :n]
            best = float(values.max())
            o = int(vector[i])
            weight = float(space.weights[p, i])
            if o == UNRESOLVED:
                risky = bool(space.red_lines[p, i, :n].any())
                distance = None
                mark = "?" if risky else ""
                note = ("open; could close on a red line" if risky else "open")
            else:
                distance = round(best - float(values[o]), 6)
                mark = "✕" if space.red_lines[p, i, o] else ""
                note = "red line" if mark else ("party's best option" if distance == 0 else "")
            if weight == 0:
                note = (note + "; " if note else "") + "the party gives this point no weight"
            else:
                note = (note + "; " if note else "") + f"weight {weight:.2f}"
            cells.append({
                "party": labels.party(p),
                "issue": labels.issue(i),
                "option": labels.option_label(i, o),
                "distance": distance,
                "mark": mark,
                "note": note,
            })
    return cells


def convergence_rows(space: Space, labels: Labels, evaluations: Sequence[TextEvaluation],
                     order: Sequence[int]) -> list[dict[str, Any]]:
    """Per text (in ``order``) and party: the utility interval and the verdict."""
    by_text = {e.text: e for e in evaluations}
    words = {True: "accepts", False: "rejects", None: "open"}
    rows = []
    for t in order:
        for verdict in by_text[t].parties:
            rows.append({
                "text": labels.text(t),
                "party": labels.party(verdict.party),
                "low": round(float(verdict.utility[0]), 6),
                "high": round(float(verdict.utility[1]), 6),
                "verdict": words[verdict.acceptable],
            })
    return rows


def two_party_frontier(space: Space, a: int, b: int, *, limit: int = FRONTIER_LIMIT
                       ) -> FloatArray | None:
    """The Pareto frontier of parties ``a`` and ``b`` over packages avoiding both parties' red lines.

    Returns the frontier's utility pairs ``(n, 2)`` sorted by ``a``'s utility
    (one row per distinct non-dominated pair), or None when more than ``limit``
    packages remain.  Exact: utilities are additive, so the set of attainable
    pairs is the Minkowski sum of the per-point pairs, and a frontier pair of a
    sum is a sum of frontier pairs of the parts (the merge described in
    ``docs/explanation`` and in Bentley et al., "On the average number of
    maxima in a set of vectors", 1978, for the two-dimensional maxima step);
    dominated partial sums are dropped after each point, so the cost follows
    the frontier's size.  This is the report's own two-party version; the
    n-party frontier belongs to :mod:`accord.analysis`.
    """
    allowed = space.option_mask & ~space.red_lines[a] & ~space.red_lines[b]
    counts = allowed.sum(axis=1)
    if (counts == 0).any():
        return np.empty((0, 2))
    total = 1
    for c in counts.tolist():
        total *= int(c)
    if total > limit:
        return None
    sums = np.zeros((1, 2))
    for i in range(space.n_issues):
        options = np.flatnonzero(allowed[i])
        part = np.stack([space.contribution[a, i, options], space.contribution[b, i, options]],
                        axis=1)
        sums = _maxima((sums[:, None, :] + part[None, :, :]).reshape(-1, 2))
    return sums


def _maxima(points: FloatArray) -> FloatArray:
    """The non-dominated rows of ``(n, 2)`` points (maximising both), sorted by x ascending."""
    rounded = np.round(points, 12)
    # Sort by x descending, then y descending; keep a row when its y beats every y before it.
    order = np.lexsort((-rounded[:, 1], -rounded[:, 0]))
    ordered = rounded[order]
    best_before = np.maximum.accumulate(np.concatenate([[-np.inf], ordered[:-1, 1]]))
    keep = ordered[:, 1] > best_before
    return ordered[keep][::-1]


def nash_point(frontier: FloatArray, disagreement: tuple[float, float]) -> tuple[float, float] | None:
    """The frontier pair maximising ``(x − d_a)(y − d_b)`` with both gains ≥ 0 (Nash, 1950).

    The Nash bargaining solution over the attainable pairs is a frontier pair,
    so scanning the exact frontier finds it; None when no pair reaches both
    disagreement utilities.
    """
    if frontier.size == 0:
        return None
    gains = frontier - np.asarray(disagreement)[None, :]
    feasible = (gains >= -1e-9).all(axis=1)
    if not feasible.any():
        return None
    product = np.where(feasible, np.clip(gains, 0, None).prod(axis=1), -np.inf)
    x, y = frontier[int(np.argmax(product))]
    return float(x), float(y)


def frontier_pairs(space: Space, parties: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """The party pairs the frontier section draws (every pair among the chosen parties)."""
    if parties is None:
        chosen = [int(p) for p in np.flatnonzero(space.must_accept)]
        if len(chosen) < 2:
            chosen = list(range(space.n_parties))
    else:
        chosen = list(parties)
    return list(itertools.combinations(chosen, 2))


def timeline_events(scenario: Scenario) -> list[dict[str, Any]]:
    """Versions, statements and meetings as dated events (undated versions are left out)."""
    names = {p.id: p.name for p in scenario.parties}
    sources = {s.id: _source_words(s) for s in scenario.sources}
    events: list[dict[str, Any]] = []
    for text in scenario.texts:
        if text.date is None:
            continue
        events.append({
            "date": text.date.isoformat(), "lane": "versions of the text", "kind": "version",
            "label": f"{text.id}: {text.title}",
            "detail": f"by {names.get(text.author or '', text.author or 'unknown')}; sources: "
                      + (", ".join(sources.get(s, s) for s in text.sources) or "none given"),
        })
    for meeting in scenario.meetings:
        events.append({
            "date": meeting.date.isoformat(),
            "end": meeting.end_date.isoformat() if meeting.end_date else None,
            "lane": "meetings", "kind": "meeting",
            "label": f"{meeting.place}: {', '.join(names.get(p, p) for p in meeting.participants)}",
            "detail": (meeting.summary or "") + " — sources: "
                      + (", ".join(sources.get(s, s) for s in meeting.sources) or "none given"),
        })
    for statement in scenario.statements:
        who = names.get(statement.speaker, statement.speaker)
        events.append({
            "date": statement.date.isoformat(), "lane": f"statements: {who}", "kind": "statement",
            "label": f"{statement.person or who}: “{statement.quote}”",
            "detail": "source: " + (sources.get(statement.source, statement.source)
                                    if statement.source else "none given"),
        })
    return events


def _source_words(source: Any) -> str:
    parts = [source.title]
    if source.publisher:
        parts.append(source.publisher)
    if source.date:
        parts.append(source.date.isoformat())
    return ", ".join(parts)


# -- charts -------------------------------------------------------------------------------


def chart_for(kind: str, scenario: Scenario, space: Space, *, options: ReportOptions | None = None,
              pair: tuple[int, int] | None = None) -> Any:
    """One of the report's charts (an Altair chart), by kind: see :data:`CHART_KINDS`.

    Raises:
        ValueError: an unknown kind, a chart the scenario has no data for, or a
            frontier too large for the report's two-party computation.
    """
    options = options or ReportOptions()
    labels = Labels(scenario, space)
    parties = list(space.party_ids)
    if kind == "stance":
        t = options.text if options.text is not None else default_text(scenario)
        if t is None:
            raise ValueError("the scenario has no texts, so there is no stance map to draw")
        return charts.stance_chart(
            stance_cells(space, labels, space.texts[t]), parties=parties,
            issues=list(space.issue_ids),
            title=f"How far “{labels.text_title(t)}” is from each party's best option")
    if kind == "convergence":
        if not space.text_ids:
            raise ValueError("the scenario has no texts, so there is no convergence to draw")
        order = text_order(scenario)
        rows = convergence_rows(space, labels, evaluate_texts(space), order)
        return charts.convergence_chart(
            rows, {labels.party(p): float(space.reservation[p]) for p in range(space.n_parties)},
            parties=parties, texts=[space.text_ids[t] for t in order],
            title="Each party's utility across the versions (dashed: reservation values)")
    if kind == "frontier":
        a, b = pair or frontier_pairs(space, options.parties)[0]
        return _frontier_chart(scenario, space, labels, a, b)
    if kind in ("versions", "events"):
        events = timeline_events(scenario)
        if kind == "versions":
            events = [e for e in events if e["kind"] == "version"]
        if not events:
            raise ValueError(f"the scenario has no dated {'texts' if kind == 'versions' else 'events'}")
        lanes = list(dict.fromkeys(e["lane"] for e in events))
        return charts.timeline_chart(
            events, lanes=lanes,
            title="Versions of the text" if kind == "versions"
            else "Versions, meetings and public statements")
    if kind == "chances":
        chances = chance_rows(scenario, space)
        if chances is None:
            raise ValueError("the scenario has no uncertain estimates (ranges), so no deal chances")
        return charts.chances_chart(
            chances, parties=parties, texts=[space.text_ids[t] for t in text_order(scenario)],
            title=f"Chance of acceptance under the estimate ranges ({CHANCE_SAMPLES:,} samples, "
                  f"seed {CHANCE_SEED}; bars: 95% Wilson intervals)")
    raise ValueError(f"unknown chart {kind!r}; expected one of {', '.join(CHART_KINDS)}")


def chance_rows(scenario: Scenario, space: Space) -> list[dict[str, Any]] | None:
    """P(accepts) per text and party, and P(deal), from :mod:`accord.analysis.uncertainty`.

    None when that module is absent or the scenario has no uncertain estimates.
    """
    if importlib.util.find_spec("accord.analysis.uncertainty") is None or not space.text_ids:
        return None
    from accord.analysis.uncertainty import build_model, deal_chances

    model = build_model(scenario, space)
    if model.n_estimates == 0:
        return None
    result = deal_chances(model, text_order(scenario), samples=CHANCE_SAMPLES, seed=CHANCE_SEED)
    rows = []
    for chance in result.texts:
        text = space.text_ids[chance.text]
        for party in chance.parties:
            rows.append({"text": text, "who": space.party_ids[party.party],
                         "p": float(party.p_accept), "low": float(party.interval[0]),
                         "high": float(party.interval[1])})
        rows.append({"text": text, "who": "deal", "p": float(chance.p_all),
                     "low": float(chance.interval[0]), "high": float(chance.interval[1])})
    return rows


def _frontier_chart(scenario: Scenario, space: Space, labels: Labels, a: int, b: int) -> Any:
    frontier = two_party_frontier(space, a, b)
    if frontier is None:
        raise ValueError(f"the {labels.party(a)}–{labels.party(b)} frontier is too large for the "
                         "report's two-party computation")
    reservation = (float(space.reservation[a]), float(space.reservation[b]))
    texts = []
    for t in range(len(space.text_ids)):
        low, high = utility_bounds(space, space.texts[t])
        texts.append({"text": labels.text(t), "x_low": float(low[a]), "x_high": float(high[a]),
                      "y_low": float(low[b]), "y_high": float(high[b])})
    solutions = []
    nash = nash_point(frontier, reservation)
    if nash is not None:
        solutions.append({"name": "Nash", "x": nash[0], "y": nash[1]})
    return charts.frontier_chart(
        [tuple(row) for row in frontier.tolist()], party_a=labels.party(a), party_b=labels.party(b),
        reservation=reservation, texts=texts, solutions=solutions,
        title=f"Pareto frontier: {labels.party_name(a)} and {labels.party_name(b)}")


# -- the document -------------------------------------------------------------------------


def build_report(scenario: Scenario, space: Space, options: ReportOptions | None = None) -> str:
    """The whole report as one HTML string."""
    options = options or ReportOptions()
    labels = Labels(scenario, space)
    evaluations = evaluate_texts(space) if space.text_ids else []
    page = _Page()
    page.add(_overview(scenario, space, labels))
    page.add(_versions(scenario, space, labels, evaluations, page))
    page.add(_stance(scenario, space, labels, options, page))
    page.add(_convergence(scenario, space, page))
    page.add(_frontier(scenario, space, labels, options, page))
    page.add(_amendment())
    page.add(_uncertainty(scenario, space, page))
    page.add(_events(scenario, space, page))
    return page.render(scenario, _footer(scenario, space, labels))


class _Page:
    """Collects sections and chart specifications, then writes the document."""

    def __init__(self) -> None:
        self.sections: list[str] = []
        self.specs: dict[str, dict[str, Any]] = {}

    def add(self, section: str) -> None:
        self.sections.append(section)

    def chart(self, name: str, chart: Any, caption: str) -> str:
        spec = charts.chart_to_vega(chart)
        # "$schema" is only an identifier (embed's mode is given), and the page names no address.
        spec.pop("$schema", None)
        self.specs[name] = spec
        return (f'<figure class="chart-figure"><div class="chart" data-chart="{_e(name)}" '
                f'id="chart-{_e(name)}"></div><figcaption>{caption}</figcaption></figure>')

    def render(self, scenario: Scenario, footer: str) -> str:
        specs = "\n".join(
            f'<script type="application/json" id="spec-{_e(name)}">{_json_for_script(spec)}</script>'
            for name, spec in self.specs.items())
        runtime = charts.vega_runtime_js().replace("</script", "<\\/script")
        title = _e(scenario.title)
        as_of = f" — as of {scenario.scenario.as_of.isoformat()}" if scenario.scenario.as_of else ""
        description = f"<p class=lead>{_e(scenario.scenario.description)}</p>" if \
            scenario.scenario.description else ""
        nav = "".join(f'<a href="#{sid}">{_e(name)}</a>' for sid, name in _SECTIONS)
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="generator" content="accord">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<title>{title}</title>
<style>{_CSS}</style></head>
<body>
<header><h1>{title}</h1><p class=meta>accord report{_e(as_of)}</p>{description}
<nav>{nav}</nav></header>
<main>
{"".join(self.sections)}
</main>
{footer}
{specs}
<script>{runtime}</script>
<script>{_DRAW_JS}</script>
</body></html>
"""


_SECTIONS = (
    ("overview", "Overview"),
    ("versions", "Versions"),
    ("stance", "Stance map"),
    ("convergence", "Convergence"),
    ("frontier", "Frontier"),
    ("amendment", "Amendment & feasibility"),
    ("uncertainty", "Deal chances"),
    ("events", "Statements & meetings"),
)


def _preference_kind(scenario: Scenario, party_id: str, preferences: set[str]) -> str:
    if party_id not in preferences:
        return "none"
    return "estimated" if scenario.preferences[party_id].estimate else "given"


def _overview(scenario: Scenario, space: Space, labels: Labels) -> str:
    must = set(scenario.must_accept)
    deal_needs = ", ".join(labels.party_name(p) for p in range(space.n_parties)
                           if space.must_accept[p]) or "nobody"
    preferences = set(space.party_ids)
    party_rows = "".join(
        f"<tr><td><b>{_e(p.name)}</b> <code>{_e(p.id)}</code></td><td>{_e(p.role.value)}</td>"
        f"<td>{'yes' if p.id in must else ''}</td>"
        f"<td>{_preference_kind(scenario, p.id, preferences)}</td>"
        f"<td>{_e(p.description or '')}"
        + (f"<div class=small>{_e('; '.join(_delegate(d) for d in p.delegates))}</div>"
           if p.delegates else "") + "</td></tr>"
        for p in scenario.parties)
    issue_rows = []
    for issue in scenario.issues:
        options = "".join(f"<li>{_e(o.label)} <code>{_e(o.id)}</code></li>" for o in issue.options)
        points = ", ".join(str(p) for p in issue.points)
        issue_rows.append(
            f"<tr><td><b>{_e(issue.title)}</b> <code>{_e(issue.id)}</code>"
            f"{f'<div class=small>plan points {_e(points)}</div>' if points else ''}</td>"
            f"<td><ol class=options>{options}</ol></td></tr>")
    settled = "".join(
        f"<li><span class=small>points {_e(', '.join(str(p) for p in s.points))}:</span> "
        f"{_e(s.summary)}</li>" for s in scenario.settled)
    return f"""<section id="overview"><h2>Overview</h2>
<p>{len(scenario.parties)} parties, {len(scenario.issues)} disputed points with
{sum(len(i.options) for i in scenario.issues)} options, {len(scenario.texts)} versions of the text.
A deal needs the acceptance of: <b>{_e(deal_needs)}</b>.</p>
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


def _verdict_cell(acceptable: bool | None) -> str:
    word, css = {True: ("accepts", "yes"), False: ("rejects", "no"), None: ("open", "open")}[acceptable]
    return f'<span class="verdict {css}">{word}</span>'


def _bar(low: float, high: float, reservation: float) -> str:
    """A small inline utility bar: solid to the low end, shaded to the high end, a tick at the reservation."""
    return (f'<span class=bar><span class=lo style="width:{100 * low:.1f}%"></span>'
            f'<span class=hi style="left:{100 * low:.1f}%;width:{100 * max(0.0, high - low):.1f}%"></span>'
            f'<span class=res style="left:{100 * reservation:.1f}%"></span></span>')


def _versions(scenario: Scenario, space: Space, labels: Labels,
              evaluations: Sequence[TextEvaluation], page: _Page) -> str:
    if not space.text_ids:
        return '<section id="versions"><h2>Versions</h2><p>The scenario has no texts.</p></section>'
    names = {p.id: p.name for p in scenario.parties}
    order = text_order(scenario)
    by_text = {e.text: e for e in evaluations}
    chart = ""
    if any(scenario.texts[t].date for t in order):
        chart = page.chart("versions", chart_for("versions", scenario, space),
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
                f"<tr><td>{_e(labels.party_name(p))}</td><td>{'yes' if space.must_accept[p] else ''}</td>"
                f"<td class=num>{_interval(low, high)}</td>"
                f"<td>{_bar(low, high, float(space.reservation[p]))}</td>"
                f"<td>{_verdict_cell(verdict.acceptable)}</td><td class=small>{_e(reasons)}</td></tr>")
        step = ""
        if text.parent is not None:
            step = _diff_block(diff_texts(space, space.text_index(text.parent), t), labels)
        meta = [f"by {_e(names.get(text.author or '', text.author or 'unknown author'))}"]
        if text.date:
            meta.append(text.date.isoformat())
        meta.append(_e(text.status.value))
        if text.parent:
            meta.append(f"revises <code>{_e(text.parent)}</code>")
        open_points = [labels.issue_title(i) for i in evaluation.open_points]
        blocks.append(f"""<article class=version id="text-{_e(text.id)}">
<h3>{_e(text.title)} <code>{_e(text.id)}</code></h3>
<p class=meta>{' · '.join(meta)}</p>
{f'<p class=small>{_e(text.notes)}</p>' if text.notes else ''}
{f'<p class=small>Sources: {_e(_sources_words(scenario, text.sources))}</p>' if text.sources else ''}
{step}
{f'<p>Open points: {_e(", ".join(open_points))}</p>' if open_points else ''}
<table><thead><tr><th>party</th><th>must accept</th><th>utility</th><th>vs reservation</th>
<th>verdict</th><th>why</th></tr></thead><tbody>{''.join(rows)}</tbody></table>
<p class="deal {deal[1]}">{deal[0]}</p></article>""")
    return f"""<section id="versions"><h2>Versions of the text</h2>
{chart}{''.join(blocks)}</section>"""


def _diff_block(diff: TextDiff, labels: Labels) -> str:
    assert diff.before is not None
    changes = "".join(
        f"<tr><td>{_e(labels.issue_title(c.issue))}</td><td>{_e(c.kind.value)}</td>"
        f"<td>{_e(labels.option_label(c.issue, c.before))}</td>"
        f"<td>{_e(labels.option_label(c.issue, c.after))}</td></tr>" for c in diff.changes)
    kinds = {k: sum(1 for c in diff.changes if c.kind is k) for k in ChangeKind}
    gains = " ".join(
        f'<span class="gain {"yes" if g > 0.005 else ("no" if g < -0.005 else "")}">'
        f"{_e(labels.party(p))} {g:+.2f}</span>" for p, g in enumerate(diff.gain.tolist()))
    return (f"<details open><summary>Changes from <code>{_e(labels.text(diff.before) or '')}</code>: "
            f"{kinds[ChangeKind.CHANGED]} changed, {kinds[ChangeKind.OPENED]} opened, "
            f"{kinds[ChangeKind.CLOSED]} closed</summary>"
            + (f"<table><thead><tr><th>point</th><th>change</th><th>before</th><th>after</th>"
               f"</tr></thead><tbody>{changes}</tbody></table>" if changes else "")
            + f"<p>Who gained (change of the utility interval's midpoint): {gains}</p>"
            + f"<p class=small>{_e(diff_summary(diff, labels))}</p></details>")


def _stance(scenario: Scenario, space: Space, labels: Labels, options: ReportOptions,
            page: _Page) -> str:
    t = options.text if options.text is not None else default_text(scenario)
    if t is None:
        return '<section id="stance"><h2>Stance map</h2><p>The scenario has no texts.</p></section>'
    figure = page.chart("stance", chart_for("stance", scenario, space, options=options),
                        "Each cell: the party's value of its best option on the point minus its "
                        "value of the text's option (0 = the text gives the party its best). "
                        "✕ = the text's option is one of the party's red lines; grey = open "
                        "point; ? = an open point that could close on a red line.")
    return f"""<section id="stance"><h2>Stance map: {_e(labels.text_title(t))}</h2>
<p>Where each party stands on each point of <code>{_e(labels.text(t))}</code>.</p>{figure}</section>"""


def _convergence(scenario: Scenario, space: Space, page: _Page) -> str:
    if not space.text_ids:
        return '<section id="convergence"><h2>Convergence</h2><p>No texts.</p></section>'
    figure = page.chart("convergence", chart_for("convergence", scenario, space),
                        "Bars: the range of each party's utility over the ways the open points "
                        "could close; tick: the middle (a tick alone = every point settled); "
                        "dashed lines: reservation values. A process converges when the bars of "
                        "the parties that must accept all rise above their dashed lines.")
    return f"""<section id="convergence"><h2>Convergence across versions</h2>{figure}</section>"""


def _frontier(scenario: Scenario, space: Space, labels: Labels, options: ReportOptions,
              page: _Page) -> str:
    pairs = frontier_pairs(space, options.parties)
    if not pairs:
        return ('<section id="frontier"><h2>Frontier</h2><p>The frontier needs two parties '
                'with preferences.</p></section>')
    figures, skipped = [], []
    for a, b in pairs:
        try:
            chart = _frontier_chart(scenario, space, labels, a, b)
        except ValueError as error:
            skipped.append(str(error))
            continue
        figures.append(page.chart(f"frontier-{labels.party(a)}-{labels.party(b)}", chart,
                                  f"{_e(labels.party_name(a))} (x) and {_e(labels.party_name(b))} (y)."))
    notes = "".join(f"<p class=note>{_e(s)}.</p>" for s in skipped)
    return f"""<section id="frontier"><h2>Frontier</h2>
<p>Every package of options that avoids both parties' red lines gives the two parties a pair of
utilities; the line joins the pairs that no other package beats for both (the Pareto frontier).
Diamonds and boxes: the versions of the text (a box spans the utilities its open points allow).
Green: the region both parties accept (at or above their reservation values). Cross: the Nash
bargaining solution on this frontier, with the reservation values as disagreement point.</p>
<p class=note>Computed by the report's own exact two-party frontier
(<code>accord.report.html.two_party_frontier</code>); the frontier of all parties together
and the other bargaining solutions are not drawn in this version.</p>
<div class=grid>{''.join(figures)}</div>{notes}</section>"""


def _amendment() -> str:
    available = [name for name in ("accord.analysis.amend", "accord.analysis.feasibility")
                 if importlib.util.find_spec(name) is not None]
    found = (f" (found {', '.join(available)}, not yet wired into the report)" if available else "")
    return f"""<section id="amendment"><h2>Smallest amendment and feasibility</h2>
<p class=note>Not available in this version of the report{_e(found)}. The per-party smallest
fixes shown under each version above are single-party answers, not a joint amendment.</p></section>"""


def _uncertainty(scenario: Scenario, space: Space, page: _Page) -> str:
    try:
        chart = chart_for("chances", scenario, space)
    except ValueError as error:
        return f"""<section id="uncertainty"><h2>Deal chances</h2>
<p class=note>Not drawn: {_e(error)}.</p></section>"""
    figure = page.chart("chances", chart,
                        "Each estimate given as a range in the scenario is drawn at random; a bar "
                        "is the share of draws in which the party surely accepts the version "
                        "(however its open points close); “deal”: every party that must accept "
                        "does. Computed by accord.analysis.uncertainty.")
    return f"""<section id="uncertainty"><h2>Deal chances</h2>{figure}
<p class=note>Sensitivity (which estimate moves these chances most) is not drawn in this version
of the report.</p></section>"""


def _events(scenario: Scenario, space: Space, page: _Page) -> str:
    if not scenario.statements and not scenario.meetings:
        return ('<section id="events"><h2>Statements and meetings</h2><p>The scenario records '
                'none.</p></section>')
    names = {p.id: p.name for p in scenario.parties}
    figure = page.chart("events", chart_for("events", scenario, space),
                        "Hover a mark for the quote or the meeting and its source.")
    rows = []
    for meeting in scenario.meetings:
        when = meeting.date.isoformat() + (f" – {meeting.end_date.isoformat()}" if meeting.end_date else "")
        rows.append((meeting.date, f"<tr><td>{when}</td><td>meeting</td><td>{_e(meeting.place)}: "
                     f"{_e(', '.join(names.get(p, p) for p in meeting.participants))}"
                     f"<div class=small>{_e(meeting.summary or '')}</div></td>"
                     f"<td class=small>{_e(_sources_words(scenario, meeting.sources) or 'none given')}"
                     "</td></tr>"))
    for statement in scenario.statements:
        who = names.get(statement.speaker, statement.speaker)
        where = ", ".join(x for x in (statement.channel, statement.place) if x)
        rows.append((statement.date, f"<tr><td>{statement.date.isoformat()}</td><td>statement</td>"
                     f"<td><b>{_e(statement.person or who)}</b> ({_e(who)}"
                     f"{', ' + _e(where) if where else ''}): "
                     f"“{_e(statement.quote)}”</td><td class=small>"
                     f"{_e(_sources_words(scenario, [statement.source]) or 'none given')}"
                     f"</td></tr>"))
    rows.sort(key=lambda r: r[0])
    return f"""<section id="events"><h2>Statements and meetings</h2>{figure}
<table><thead><tr><th>date</th><th>what</th><th>who and what</th><th>source</th></tr></thead>
<tbody>{''.join(r for _, r in rows)}</tbody></table></section>"""


def _footer(scenario: Scenario, space: Space, labels: Labels) -> str:
    estimated = [(p, prefs) for p, prefs in scenario.preferences.items() if prefs.estimate]
    bases = "".join(
        f"<li><b>{_e(labels.party_name(space.party_index(p)))}</b>: "
        f"{_e(prefs.basis or 'no basis given')}</li>" for p, prefs in estimated)
    sources = "".join(
        f"<li><code>{_e(s.id)}</code> {_e(_source_words(s))}"
        + (f" — <span class=url>{_e(s.url)}</span>" if s.url else "") + "</li>"
        for s in scenario.sources)
    if estimated:
        who = ", ".join(labels.party_name(space.party_index(p)) for p, _ in estimated)
        estimates = (f"<p><b>Estimated:</b> the preferences (weights, option values, reservation "
                     f"values, red lines) of {_e(who)} are estimates, not measurements. Their "
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
<p class=small>Generated by accord {_e(_version())}. Charts drawn offline by Vega and vega-embed,
embedded in this file.</p></footer>"""


def _sources_words(scenario: Scenario, ids: Sequence[str | None]) -> str:
    known = {s.id: s for s in scenario.sources}
    return "; ".join(_source_words(known[i]) if i in known else str(i) for i in ids if i)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("accord")
    except PackageNotFoundError:
        return "(development)"


def _interval(low: float, high: float) -> str:
    return f"{low:.2f}" if abs(high - low) < 5e-4 else f"{low:.2f}–{high:.2f}"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _json_for_script(data: Any) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>`` or ``<!--`` can end it early)."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# Draw every chart with the inlined Vega runtime; record success on the element so that a
# test (or a reader's console) can tell a drawn chart from a failed one.
_DRAW_JS = """
(function () {
  var nodes = document.querySelectorAll('div.chart[data-chart]');
  var pending = [];
  nodes.forEach(function (node) {
    var name = node.getAttribute('data-chart');
    var spec = JSON.parse(document.getElementById('spec-' + name).textContent);
    var options = {mode: 'vega', renderer: 'svg', actions: false};
    pending.push(vegaEmbed(node, spec, options).then(function () {
      node.setAttribute('data-rendered', 'true');
    }, function (error) {
      node.setAttribute('data-rendered', 'error');
      console.error('chart ' + name + ' failed: ' + error);
    }));
  });
  Promise.all(pending).then(function () {
    document.body.setAttribute('data-charts-done', String(nodes.length));
  });
})();
"""

# Nothing may be fetched: scripts and styles are inline; Vega compiles expressions with Function().
_CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
        "img-src data:")

_CSS = """
:root { --ink:#1d232a; --muted:#5b6570; --line:#d8dde3; --yes:#1b7f3b; --no:#b3261e; --open:#9a6b00; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1000px; padding: 1.5rem; }
header h1 { margin: 0 0 .2rem; font-size: 1.7rem; }
.meta, .small, figcaption { color: var(--muted); font-size: .85rem; }
.lead { font-size: 1.05rem; }
nav { display: flex; flex-wrap: wrap; gap: .4rem 1rem; border-bottom: 1px solid var(--line);
      padding-bottom: .6rem; }
nav a { color: #2b5c8a; text-decoration: none; font-size: .9rem; }
section { margin-top: 2rem; }
h2 { border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .4rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-size: .85em; background: #f3f5f7; padding: 0 .2em; border-radius: 3px; }
ol.options { margin: 0; padding-left: 1.3rem; }
.verdict { font-weight: 600; }
.yes { color: var(--yes); } .no { color: var(--no); } .open { color: var(--open); }
.deal { font-weight: 600; }
.gain { margin-right: .6rem; font-variant-numeric: tabular-nums; }
.bar { position: relative; display: inline-block; width: 140px; height: 12px; background: #eceff2;
       border-radius: 2px; vertical-align: middle; }
.bar .lo { position: absolute; left: 0; top: 0; bottom: 0; background: #4e79a7; }
.bar .hi { position: absolute; top: 0; bottom: 0; background: #a9c2dc; }
.bar .res { position: absolute; top: -3px; bottom: -3px; width: 2px; background: #000; }
.version { border-left: 3px solid var(--line); padding-left: .8rem; margin: 1.2rem 0; }
.note { background: #fff8e1; border-left: 3px solid #e0b000; padding: .4rem .7rem; }
figure { margin: 1rem 0; }
.chart { overflow-x: auto; }
.grid { display: flex; flex-wrap: wrap; gap: 1rem; }
.url { word-break: break-all; }
footer { margin-top: 3rem; border-top: 2px solid var(--line); }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  figure, .version, table { break-inside: avoid; }
  details > summary { list-style: none; }
}
"""
