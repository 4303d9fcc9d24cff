"""The report's sections on where a deal can be: the frontier and its bargaining solutions,
feasibility and the smallest amendment."""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.report.data import (
    MAX_FRONTIER_PANEL_PARTIES,
    SOLUTION_NAMES,
    FrontierView,
    ReportData,
    default_text,
    frontier_description,
    frontier_parties,
    frontier_view,
    solution_points,
)
from accord.report.figures import frontier_chart
from accord.report.fragments import bar, escape, package_words
from accord.report.page import Page
from accord.views.labels import Labels
from accord.views.numbers import shown
from accord.views.solutions import coinciding

__all__ = ["amendment_section", "frontier_section"]


def frontier_section(data: ReportData, page: Page) -> str:
    """The Pareto frontier panels and the bargaining solutions on it."""
    space, labels, options = data.space, data.labels, data.options
    chosen = frontier_parties(space, options.parties)
    if len(chosen) < 2:
        return ('<section id="frontier"><h2>Frontier</h2><p>The frontier needs two parties '
                'with preferences.</p></section>')
    view = frontier_view(space, chosen)
    figures = []
    pairs = view.pairs()
    shown_note = ""
    if len(chosen) > MAX_FRONTIER_PANEL_PARTIES:
        # Every pair of 300 parties is 44,850 panels: draw the first few parties' pairs.
        first = set(chosen[:MAX_FRONTIER_PANEL_PARTIES])
        pairs = [(a, b) for a, b in pairs if a in first and b in first]
        shown_note = (f"<p>The frontier is over {len(chosen)} parties; the panels show the pairs "
                      f"of the first {MAX_FRONTIER_PANEL_PARTIES} ({len(pairs)} panels). Choose "
                      f"others with <code>--party</code>.</p>")
    for a, b in pairs:
        points = "; ".join(f"{pt['name']}: {shown(pt['x'])}, {shown(pt['y'])}"
                           for pt in solution_points(view, a, b))
        chart = frontier_chart(space, labels, view, a, b)
        caption = (f"{escape(labels.party_name(a))} (x) and {escape(labels.party_name(b))} (y)."
                   + (f" Solutions: {escape(points)}." if points else ""))
        figures.append(page.chart(f"frontier-{labels.party(a)}-{labels.party(b)}", chart, caption))
    means = " (estimates given as ranges at their means)" if space.uses_means else ""
    return f"""<section id="frontier"><h2>Frontier</h2>
<p>{escape(frontier_description(view, labels))}</p>{shown_note}
<p>Blue: the frontier. Green: the region where both parties of a panel reach their reservation
values. Diamonds and boxes: the versions of the text (a box spans the utilities its open points
allow). Crosses: the bargaining solutions on the frontier, with the reservation values as the
disagreement point (solutions on the same package share a cross).</p>
{_over_words(view, labels)}
{_solutions_table(view, labels)}
<div class=grid>{''.join(figures)}</div>
<p class=small>The frontier and its solutions are computed from the preference tables{means},
not sampled; <code>accord solve</code> and <code>accord frontier --acceptable</code> print the
same packages.</p></section>"""


def _over_words(view: FrontierView, labels: Labels) -> str:
    """Over which parties, and from which disagreement point, the solutions were computed."""
    if view.solutions is None:
        return ""
    parties = [int(p) for p in view.solutions.frontier.parties]
    point = ", ".join(f"{labels.party_named(p)} {shown(float(d))}"
                      for p, d in zip(parties, view.solutions.disagreement.tolist(), strict=True))
    names = " and ".join(labels.party_named(p) for p in parties)
    return (f"<p>The bargaining solutions are over {escape(names)}, "
            f"from the disagreement point of their reservation values: {escape(point)}. "
            "<code>accord solve</code> uses the same parties and point by default.</p>")


def _solutions_table(view: FrontierView, labels: Labels) -> str:
    solutions = view.solutions
    assert solutions is not None
    drawn = [s for s in solutions.all() if s.row is not None]
    if not drawn:
        return ("<p class=note>No package gives every party at least its reservation value, so "
                "no bargaining solution is drawn.</p>")
    space = labels.space
    latest = default_text(labels.scenario)
    reference = None if latest is None else space.texts[latest]
    head = "".join(f"<th>{escape(labels.party_name(p))}</th>" for p in view.parties)
    rows = []
    # Solutions that pick the same package share one row, named together (as in `accord solve`).
    for group in coinciding(solutions, drawn):
        solution = group[0]
        utilities = view.frontier.utilities[solution.row]
        package = view.frontier.packages[solution.row]
        cells = "".join(
            f"<td class=num>{shown(u)} {bar(float(u), float(u), float(space.reservation[p]))}</td>"
            for p, u in zip(view.parties, utilities.tolist(), strict=True))
        names = " = ".join(SOLUTION_NAMES[s.name] for s in group)
        ties = "".join(f" ({SOLUTION_NAMES[s.name]}: {len(s.rows)} tied)" if len(group) > 1
                       else f" ({len(s.rows)} tied)" for s in group if len(s.rows) > 1)
        same = "<div class=small>the same package</div>" if len(group) > 1 else ""
        definitions = "".join(f"<div class=small>{escape(s.definition)}</div>" for s in group)
        options = package_words(labels, reference, package)
        rows.append(f"<tr><td><b>{escape(names)}</b>{ties}{same}"
                    f"{definitions}</td>{cells}"
                    f"<td class=small>{escape(options)}</td></tr>")
    return (f"<table><thead><tr><th>solution</th>{head}<th>package</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            + ("" if latest is None else
               f"<p class=small>Package column: where each solution differs from the latest text, "
               f"<code>{escape(labels.text(latest))}</code> (open points of the text are closed).</p>"))


def amendment_section(data: ReportData) -> str:
    """Whether an acceptable package exists, and the smallest amendment to the latest text."""
    scenario, space, labels = data.scenario, data.space, data.labels
    from accord.analysis.amend import amend
    from accord.analysis.feasibility import feasibility

    head = '<section id="amendment"><h2>Smallest amendment and feasibility</h2>'
    if not space.must_accept.any():
        return (head + "<p>The scenario names no party that must accept, so every package is "
                "acceptable and there is nothing to amend.</p></section>")
    names = " and ".join(labels.party_name(int(p)) for p in np.flatnonzero(space.must_accept))
    parts = [head, "<h3>Does an acceptable package exist?</h3>",
             _feasibility_block(feasibility(space), labels, names)]
    t = default_text(scenario)
    if t is not None:
        result = amend(space, t, k=3)
        parts.append(f"<h3>Smallest amendment to <code>{escape(labels.text(t))}</code> "
                     f"({escape(labels.text_title(t))})</h3>")
        parts.append(_amendment_block(result, labels, names))
    parts.append("<p class=small>Feasibility: the package that maximises the margin of the "
                 "worst-off must-accept party over its reservation value. Amendment: the "
                 "acceptable packages with the fewest changed agreed points of the text (closing "
                 "an open point is not counted as a change). <code>accord solve</code> and "
                 "<code>accord amend</code> print the same. Estimates given as ranges are used "
                 "at their means here.</p></section>")
    return "".join(parts)


def _feasibility_block(result: Any, labels: Labels, names: str) -> str:
    if result.blocked_issues:
        issues = ", ".join(labels.issue_title(i) for i in result.blocked_issues)
        return (f'<p class="deal no">No: every option of {escape(issues)} is a red line of '
                f"{escape(names)}.</p>")
    space = labels.space
    rows = "".join(
        f"<tr><td>{escape(labels.party_name(p))}</td><td class=num>{shown(u)}</td>"
        f"<td>{bar(u, u, float(space.reservation[p]))}</td>"
        f"<td class=num>{shown(float(space.reservation[p]), 2)}</td>"
        f'<td class="num {"yes" if m >= -1e-9 else "no"}">{shown(m, sign=True)}</td></tr>'
        for p, u, m in zip(result.parties, result.utilities[list(result.parties)].tolist(),
                           result.margins.tolist(), strict=True))
    table = ("<table><thead><tr><th>party</th><th>utility</th><th>vs reservation</th>"
             "<th>reservation</th><th>margin</th></tr></thead>"
             f"<tbody>{rows}</tbody></table>")
    if result.feasible:
        verdict = (f'<p><span class="deal yes">Yes.</span> Some package is acceptable to {escape(names)}. '
                   f"The one best for the worse-off of them leaves every one at least "
                   f"{shown(result.margin, sign=True)} above its reservation value (the worst margin):</p>")
    else:
        shortfall = ", ".join(f"{labels.party_name(p)} {shown(s)}"
                              for p, s in zip(result.parties, result.shortfall.tolist(), strict=True)
                              if s > 0)
        verdict = (f'<p><span class="deal no">No.</span> No package is acceptable to {escape(names)} '
                   f"under these estimates. The closest misses by {shown(-result.margin)} (the worst "
                   f"margin); each party's shortfall: {escape(shortfall)}.</p>")
    return verdict + table


def _amendment_block(result: Any, labels: Labels, names: str) -> str:
    space = labels.space
    if not result.amendments:
        miss = result.closest_miss
        words = (f" The closest package misses by {shown(-miss.margin)}." if miss is not None
                 and np.isfinite(miss.margin) else "")
        return (f'<p class="deal no">No amendment makes the text acceptable to {escape(names)}.'
                f"{escape(words)}</p>")
    best = result.amendments[0]
    n = len(best.changes)
    lead = (f"<p>Changing <b>{n}</b> agreed point{'' if n == 1 else 's'}"
            + (f" and closing {len(best.closed)} open one{'' if len(best.closed) == 1 else 's'}"
               if best.closed else "")
            + f" is enough for {escape(names)} to accept; {result.efficient_count:,} efficient "
            "amendments exist in all.")
    fewer = result.best_with_fewer
    if fewer is not None and np.isfinite(fewer.margin):
        lead += (f" With {n - 1} change{'' if n - 1 == 1 else 's'} or fewer the best package still "
                 f"misses by {shown(-fewer.margin)}, so {n} is the minimum.")
    lead += "</p>"
    head = "".join(f"<th>{escape(labels.party(p))}</th>" for p in range(space.n_parties))
    rows = []
    for k, amendment in enumerate(result.amendments):
        moves = [f"{escape(labels.issue_title(i))}: {escape(labels.option_label(i, int(result.base[i])))} → "
                 f"<b>{escape(labels.option_label(i, int(amendment.package[i])))}</b>"
                 for i in amendment.changes]
        closes = [f"{labels.issue_title(i)}: open → {labels.option_label(i, int(amendment.package[i]))}"
                  for i in amendment.closed]
        cells = "".join(
            f'<td class="num {"yes" if space.must_accept[p] else ""}">{shown(u)}</td>'
            for p, u in enumerate(amendment.utilities.tolist()))
        rows.append(
            f"<tr><td>{'smallest' if k == 0 else f'alternative {k}'}</td>"
            f"<td>{'<br>'.join(moves) or 'no change'}"
            + (f"<div class=small>{escape('; '.join(closes))}</div>" if closes else "")
            + f"</td>{cells}<td class=num>{shown(float(amendment.margins.min()), sign=True)}</td></tr>")
    return (lead + f"<table><thead><tr><th></th><th>changes</th>{head}<th>worst margin</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


