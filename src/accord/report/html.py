"""A self-contained HTML report of a negotiation: one file, no network, readable and printable.

:func:`build_report` turns a scenario and its compiled Space into one HTML
document: styles inline, the Vega runtime inline (from ``vl-convert``), every
chart as an inline Vega specification with its data.  The page makes no
request of any kind, so it can be mailed around and opened offline.

The numbers behind each chart come from functions here that are pure over the
Space (:func:`stance_cells`, :func:`convergence_rows`,
:func:`frontier_view`, :func:`timeline_events`), so every picture is
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
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.diff import ChangeKind, TextDiff, diff_texts
from accord.analysis.evaluate import TextEvaluation, evaluate_texts, utility_bounds
from accord.model import Scenario
from accord.report import charts
from accord.report.forecast import forecast_section
from accord.space import UNRESOLVED, Space
from accord.views.labels import Labels
from accord.views.numbers import percent, shown
from accord.views.texts import diff_summary, reason_message

if TYPE_CHECKING:
    from accord.analysis.bargaining import BargainingSolutions
    from accord.analysis.pareto import ParetoFrontier

__all__ = [
    "ReportOptions",
    "build_report",
    "chance_result_rows",
    "chart_for",
    "convergence_rows",
    "default_text",
    "frontier_description",
    "frontier_figure",
    "frontier_pairs",
    "frontier_parties",
    "frontier_view",
    "solution_points",
    "stance_cells",
    "text_order",
    "text_parents",
    "timeline_events",
]

#: The charts :func:`chart_for` can draw (also the ``accord chart`` kinds).
CHART_KINDS = ("stance", "convergence", "frontier", "versions", "events", "chances", "sensitivity")

#: Monte Carlo samples and seed of the report's deal chances (fixed: the report is reproducible).
CHANCE_SAMPLES = 10_000
CHANCE_SEED = 0

#: Samples per pinned run of the report's tornado (two runs per estimate, common random
#: numbers): the flagship's nine estimates take about half a second at this size.
TORNADO_SAMPLES = 256
#: Base samples of the report's Sobol indices (``N·(E + 2)`` runs; needs SALib).
SOBOL_BASE_SAMPLES = 256
#: Samples of the report's most robust package (see :mod:`accord.analysis.robust`).
ROBUST_SAMPLES = 1024

#: When the exact frontier is too large to compute, the report draws an ε-frontier with this ε.
FRONTIER_EPSILON = 0.01


@dataclass(frozen=True)
class ReportOptions:
    """What the report focuses on.

    Attributes:
        text: index of the text shown in the stance map (default: :func:`default_text`).
        parties: the parties whose pairwise frontiers are drawn (default: those that
            must accept, or every party with preferences when fewer than two must).
        sobol: also compute variance-based (Sobol) indices in the deal-chances section
            (needs SALib; off by default because importing SALib alone takes about half a
            second, which would put the flagship report over its 3 s budget).
    """

    text: int | None = None
    parties: tuple[int, ...] | None = None
    sobol: bool = False


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


@dataclass(frozen=True)
class FrontierView:
    """What the frontier section and ``accord chart frontier`` draw, computed by :mod:`accord.analysis`.

    Attributes:
        parties: the parties the frontier is over (indices into the Space).
        frontier: the exact Pareto frontier over ``parties`` of the packages every
            must-accept party accepts (:func:`accord.analysis.pareto.pareto_frontier`
            with ``acceptable_only``; an ε-frontier only when the exact one is too
            large, which ``frontier.exact`` and ``frontier.epsilon`` state).
        context: for two parties, their frontier over *all* packages (red lines and
            reservation values ignored), drawn faintly to show what the constraints
            cost; None for more than two parties.
        solutions: the four bargaining solutions on ``frontier``, with the
            parties' reservation values as the disagreement point.
    """

    parties: tuple[int, ...]
    frontier: ParetoFrontier
    context: ParetoFrontier | None
    solutions: BargainingSolutions | None

    def pairs(self) -> list[tuple[int, int]]:
        """The (x, y) party pairs of the panels: every pair, in the order given."""
        return list(itertools.combinations(self.parties, 2))


#: The bargaining solutions' names as the report writes them.
SOLUTION_NAMES = {"nash": "Nash", "kalai_smorodinsky": "Kalai–Smorodinsky",
                  "egalitarian": "egalitarian", "utilitarian": "utilitarian"}


def frontier_view(space: Space, parties: Sequence[int]) -> FrontierView:
    """The Pareto frontier over ``parties`` and its bargaining solutions (see :class:`FrontierView`)."""
    from accord.analysis.bargaining import bargaining_solutions
    from accord.analysis.pareto import FrontierTooLarge, pareto_frontier

    chosen = tuple(int(p) for p in parties)
    try:
        acceptable = pareto_frontier(space, chosen, acceptable_only=True, one_per_vector=True)
    except FrontierTooLarge:
        acceptable = pareto_frontier(space, chosen, acceptable_only=True, one_per_vector=True,
                                     epsilon=FRONTIER_EPSILON)
    context = None
    if len(chosen) == 2:
        try:
            context = pareto_frontier(space, chosen, one_per_vector=True)
        except FrontierTooLarge:
            context = None
    return FrontierView(chosen, acceptable, context, bargaining_solutions(space, acceptable))


def solution_points(view: FrontierView, a: int, b: int) -> list[dict[str, Any]]:
    """The solutions' utilities for parties ``a`` (x) and ``b`` (y); solutions at one point share a mark."""
    ka, kb = view.parties.index(a), view.parties.index(b)
    by_row: dict[int, list[str]] = {}
    for solution in (() if view.solutions is None else view.solutions.all()):
        if solution.row is not None:
            by_row.setdefault(solution.row, []).append(SOLUTION_NAMES[solution.name])
    utilities = view.frontier.utilities
    return [{"name": ", ".join(names), "x": float(utilities[row, ka]),
             "y": float(utilities[row, kb])} for row, names in by_row.items()]


def frontier_description(view: FrontierView, labels: Labels) -> str:
    """One paragraph saying exactly what the panels draw."""
    frontier = view.frontier
    names = ", ".join(labels.party_name(p) for p in view.parties)
    quality = ("exact" if frontier.exact else
               f"an ε-frontier (every acceptable package is within {frontier.epsilon:.3g} of a "
               "drawn one for every party), because the exact one is too large to draw")
    what = (f"The Pareto frontier over {names} of the packages that every party that must accept "
            f"accepts (none of its red lines, its reservation value reached): "
            f"{frontier.n_vectors:,} distinct utility vectors, {quality}.")
    if len(view.parties) > 2:
        what += (" With more than two parties the frontier lives in "
                 f"{len(view.parties)} dimensions; each panel projects all of its points onto "
                 "two parties' utilities, so a point that looks dominated in one panel is kept "
                 "because it is better for a party not shown there.")
    elif view.context is not None:
        what += (" The faint grey line is the two parties' frontier over all packages, red lines "
                 "and reservation values ignored: the gap to the blue line is what the constraints "
                 "cost.")
    if len(frontier) == 0:
        what += f" No package qualifies ({frontier.empty_reason or 'no acceptable package'})."
    return what


#: The report draws frontier panels for every pair of at most this many parties.
MAX_FRONTIER_PANEL_PARTIES = 6


def frontier_parties(space: Space, parties: Sequence[int] | None = None) -> list[int]:
    """The parties the frontier section is over: those given, else those that must accept
    (every party with preferences when fewer than two must)."""
    if parties is not None:
        return [int(p) for p in parties]
    chosen = [int(p) for p in np.flatnonzero(space.must_accept)]
    return chosen if len(chosen) >= 2 else list(range(space.n_parties))


def frontier_pairs(space: Space, parties: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """The party pairs the frontier section draws (every pair among :func:`frontier_parties`)."""
    return list(itertools.combinations(frontier_parties(space, parties), 2))


def text_parents(scenario: Scenario, shown: Sequence[str]) -> dict[str, str | None]:
    """For each shown text id: the nearest ancestor among the shown texts (None for a root).

    Walking up past texts that are not shown keeps a branch joined to what it
    derives from when only some versions are drawn.
    """
    by_id = {t.id: t for t in scenario.texts}
    wanted = set(shown)
    parents: dict[str, str | None] = {}
    for text_id in shown:
        parent = by_id[text_id].parent if text_id in by_id else None
        visited = {text_id}
        while parent is not None and parent not in wanted and parent not in visited:
            visited.add(parent)
            parent = by_id[parent].parent if parent in by_id else None
        parents[text_id] = parent if parent in wanted else None
    return parents


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
            "label": f"{text.id}: {text.title}", "mark": text.id,
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
        shown = [space.text_ids[t] for t in order]
        return charts.convergence_chart(
            rows, {labels.party(p): float(space.reservation[p]) for p in range(space.n_parties)},
            parties=parties, texts=shown, parents=text_parents(scenario, shown),
            title="Each party's utility across the versions (dashed: reservation values)")
    if kind == "frontier":
        chosen = list(pair) if pair else frontier_parties(space, options.parties)
        if len(chosen) < 2:
            raise ValueError("a frontier needs two parties with preferences")
        return frontier_figure(space, labels, frontier_view(space, chosen))
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
    if kind == "sensitivity":
        found = sensitivity_rows(scenario, space)
        if found is None:
            raise ValueError("the scenario has no uncertain estimates (ranges), so no sensitivity")
        target, base, rows = found
        return charts.tornado_chart(
            rows, base=base, target=target,
            title=f"What moves P({target}) ({TORNADO_SAMPLES} samples per bar end, "
                  f"seed {CHANCE_SEED})")
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
    return chance_result_rows(space, result)


def chance_result_rows(space: Space, result: Any) -> list[dict[str, Any]]:
    """Chart rows of a :class:`accord.analysis.uncertainty.ChanceResult`."""
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


def sensitivity_rows(scenario: Scenario, space: Space, *, top: int = 12
                     ) -> tuple[str, float, list[dict[str, Any]]] | None:
    """The tornado of :func:`accord.analysis.sensitivity.tornado` for the most uncertain target.

    The targets are "every must-accept party accepts text t" for each text and "some
    acceptable package exists"; the one drawn is the one whose probability swings most
    (a target that is 0 or 1 whatever the estimates has nothing to show).  Returns the
    target's name, its probability with every estimate varying, and one row per
    estimate (largest swing first, at most ``top``); None without uncertain estimates.
    """
    if not space.must_accept.any():
        return None
    from accord.analysis.sensitivity import tornado
    from accord.analysis.uncertainty import build_model

    model = build_model(scenario, space)
    if model.n_estimates == 0:
        return None
    result = tornado(model, text_order(scenario), samples=TORNADO_SAMPLES, seed=CHANCE_SEED)
    names = [f"deal on {space.text_ids[t]}" for t in result.texts] + ["some acceptable package"]
    swings = [max((e.swings[k] for e in result.effects), default=0.0)
              for k in range(result.targets)]
    k = int(np.argmax(swings))
    effects = sorted(result.effects, key=lambda e: (-e.swings[k], e.estimate))[:top]
    rows = [{"estimate": e.label, "low": e.p_low[k], "high": e.p_high[k],
             "low_setting": e.low_setting, "high_setting": e.high_setting} for e in effects]
    return names[k], float(result.base[k]), rows


def frontier_figure(space: Space, labels: Labels, view: FrontierView) -> Any:
    """One chart of ``view``: a single panel for two parties, else a grid of pairwise projections."""
    pairs = view.pairs()
    if len(pairs) == 1:
        return _frontier_chart(space, labels, view, *pairs[0])
    names = ", ".join(labels.party(p) for p in view.parties)
    return charts.frontier_matrix(
        [_frontier_chart(space, labels, view, a, b, finished=False) for a, b in pairs],
        columns=min(3, len(pairs)),
        title=f"Pareto frontier over {names}, projected onto each pair of parties")


def _frontier_chart(space: Space, labels: Labels, view: FrontierView, a: int, b: int, *,
                    finished: bool = True) -> Any:
    reservation = (float(space.reservation[a]), float(space.reservation[b]))
    texts = []
    for t in range(len(space.text_ids)):
        low, high = utility_bounds(space, space.texts[t])
        texts.append({"text": labels.text(t), "x_low": float(low[a]), "x_high": float(high[a]),
                      "y_low": float(low[b]), "y_high": float(high[b])})
    ka, kb = view.parties.index(a), view.parties.index(b)
    frontier = [(float(x), float(y)) for x, y in view.frontier.utilities[:, [ka, kb]].tolist()]
    context = ([] if view.context is None else
               [(float(x), float(y)) for x, y in view.context.utilities.tolist()])
    projected = len(view.parties) > 2
    arguments: dict[str, Any] = dict(
        party_a=labels.party(a), party_b=labels.party(b), reservation=reservation, texts=texts,
        solutions=solution_points(view, a, b), context=context, projected=projected)
    title = (f"{labels.party_name(a)} and {labels.party_name(b)}" if projected else
             f"Pareto frontier: {labels.party_name(a)} and {labels.party_name(b)}")
    if finished:
        return charts.frontier_chart(frontier, title=title, **arguments)
    return charts.frontier_panel(frontier, title=title, width=300, height=280, **arguments)


# -- the document -------------------------------------------------------------------------


def build_report(scenario: Scenario, space: Space, options: ReportOptions | None = None) -> str:
    """The whole report as one HTML string."""
    # On a first run the chart runtime is bundled while the analyses below run.
    charts.prefetch_runtime()
    options = options or ReportOptions()
    labels = Labels(scenario, space)
    evaluations = evaluate_texts(space) if space.text_ids else []
    page = _Page()
    page.add(_overview(scenario, space, labels))
    page.add(_versions(scenario, space, labels, evaluations, page))
    page.add(_stance(scenario, space, labels, options, page))
    page.add(_convergence(scenario, space, page))
    page.add(_frontier(scenario, space, labels, options, page))
    page.add(_amendment(scenario, space, labels))
    page.add(_uncertainty(scenario, space, labels, options, page))
    page.add(forecast_section(scenario, space, labels, page))
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
    ("forecast", "Forecast"),
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
    labels = Labels(scenario, space)
    rows = convergence_rows(space, labels, evaluate_texts(space), text_order(scenario))
    body = "".join(f"<tr><td>{_e(r['text'])}</td><td>{_e(r['party'])}</td>"
                   f"<td class=num>{shown(r['low'])}</td><td class=num>{shown(r['high'])}</td>"
                   f"<td>{_e(r['verdict'])}</td></tr>" for r in rows)
    table = ("<table><thead><tr><th>text</th><th>party</th><th>utility low</th>"
             f"<th>utility high</th><th>verdict</th></tr></thead><tbody>{body}</tbody></table>")
    return f"""<section id="convergence"><h2>Convergence across versions</h2>{figure}{table}</section>"""


def _frontier(scenario: Scenario, space: Space, labels: Labels, options: ReportOptions,
              page: _Page) -> str:
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
        chart = _frontier_chart(space, labels, view, a, b)
        figures.append(page.chart(f"frontier-{labels.party(a)}-{labels.party(b)}", chart,
                                  f"{_e(labels.party_name(a))} (x) and {_e(labels.party_name(b))} (y)."
                                  + (f" Solutions: {_e(points)}." if points else "")))
    return f"""<section id="frontier"><h2>Frontier</h2>
<p>{_e(frontier_description(view, labels))}</p>{shown_note}
<p>Blue: the frontier. Green: the region where both parties of a panel reach their reservation
values. Diamonds and boxes: the versions of the text (a box spans the utilities its open points
allow). Crosses: the bargaining solutions on the frontier, with the reservation values as the
disagreement point (solutions on the same package share a cross).</p>
{_over_words(view, labels)}
{_solutions_table(view, labels)}
<div class=grid>{''.join(figures)}</div>
<p class=small>Computed by <code>accord.analysis.pareto.pareto_frontier</code> and
<code>accord.analysis.bargaining.bargaining_solutions</code>; <code>accord solve</code> and
<code>accord frontier --acceptable</code> print the same packages.</p></section>"""


def _over_words(view: FrontierView, labels: Labels) -> str:
    """Over which parties, and from which disagreement point, the solutions were computed."""
    if view.solutions is None:
        return ""
    parties = [int(p) for p in view.solutions.frontier.parties]
    point = ", ".join(f"{labels.party_name(p)} ({labels.party(p)}) {shown(float(d))}"
                      for p, d in zip(parties, view.solutions.disagreement.tolist(), strict=True))
    names = " and ".join(f"{labels.party_name(p)} ({labels.party(p)})" for p in parties)
    return (f"<p>The bargaining solutions are over {_e(names)}, "
            f"from the disagreement point of their reservation values: {_e(point)}. "
            "<code>accord solve</code> uses the same parties and point by default.</p>")


def _solutions_table(view: FrontierView, labels: Labels) -> str:
    solutions = view.solutions
    assert solutions is not None
    shown = [s for s in solutions.all() if s.row is not None]
    if not shown:
        return ("<p class=note>No package gives every party at least its reservation value, so "
                "no bargaining solution is drawn.</p>")
    space = labels.space
    latest = default_text(labels.scenario)
    reference = None if latest is None else space.texts[latest]
    head = "".join(f"<th>{_e(labels.party_name(p))}</th>" for p in view.parties)
    rows = []
    for solution in shown:
        utilities = view.frontier.utilities[solution.row]
        package = view.frontier.packages[solution.row]
        cells = "".join(
            f"<td class=num>{u:.3f} {_bar(float(u), float(u), float(space.reservation[p]))}</td>"
            for p, u in zip(view.parties, utilities.tolist(), strict=True))
        ties = f" ({len(solution.rows)} tied)" if len(solution.rows) > 1 else ""
        options = _package_words(labels, reference, package)
        rows.append(f"<tr><td><b>{_e(SOLUTION_NAMES[solution.name])}</b>{ties}"
                    f"<div class=small>{_e(solution.definition)}</div></td>{cells}"
                    f"<td class=small>{_e(options)}</td></tr>")
    return (f"<table><thead><tr><th>solution</th>{head}<th>package</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            + ("" if latest is None else
               f"<p class=small>Package column: where each solution differs from the latest text, "
               f"<code>{_e(labels.text(latest))}</code> (open points of the text are closed).</p>"))


def _package_words(labels: Labels, reference: np.ndarray | None, package: np.ndarray) -> str:
    """The package's options, only where they differ from ``reference`` (all when there is none)."""
    issues: list[int] = list(range(labels.space.n_issues))
    if reference is not None:
        issues = [i for i in issues if int(reference[i]) != int(package[i])]
        if not issues:
            return "the latest text itself"
    return "; ".join(f"{labels.issue_title(i)}: {labels.option_label(i, int(package[i]))}"
                     for i in issues)


def _amendment(scenario: Scenario, space: Space, labels: Labels) -> str:
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
        parts.append(f"<h3>Smallest amendment to <code>{_e(labels.text(t))}</code> "
                     f"({_e(labels.text_title(t))})</h3>")
        parts.append(_amendment_block(result, labels, names))
    parts.append("<p class=small>Computed by <code>accord.analysis.feasibility</code> (the package "
                 "that maximises the worst-off must-accept party's margin over its reservation "
                 "value) and <code>accord.analysis.amend</code> (acceptable packages with the fewest "
                 "changed agreed points of the text; closing an open point is not counted as a "
                 "change); <code>accord solve</code> and <code>accord amend</code> print the same. "
                 "Estimates given as ranges are used at their means here.</p></section>")
    return "".join(parts)


def _feasibility_block(result: Any, labels: Labels, names: str) -> str:
    if result.blocked_issues:
        issues = ", ".join(labels.issue_title(i) for i in result.blocked_issues)
        return (f'<p class="deal no">No: every option of {_e(issues)} is a red line of '
                f"{_e(names)}.</p>")
    space = labels.space
    rows = "".join(
        f"<tr><td>{_e(labels.party_name(p))}</td><td class=num>{u:.3f}</td>"
        f"<td>{_bar(u, u, float(space.reservation[p]))}</td>"
        f"<td class=num>{float(space.reservation[p]):.2f}</td>"
        f'<td class="num {"yes" if m >= -1e-9 else "no"}">{m:+.3f}</td></tr>'
        for p, u, m in zip(result.parties, result.utilities[list(result.parties)].tolist(),
                           result.margins.tolist(), strict=True))
    table = ("<table><thead><tr><th>party</th><th>utility</th><th>vs reservation</th>"
             "<th>reservation</th><th>margin</th></tr></thead>"
             f"<tbody>{rows}</tbody></table>")
    if result.feasible:
        verdict = (f'<p><span class="deal yes">Yes.</span> Some package is acceptable to {_e(names)}. '
                   f"The one best for the worse-off of them leaves every one at least "
                   f"{result.margin:+.3f} above its reservation value (the worst margin):</p>")
    else:
        shortfall = ", ".join(f"{labels.party_name(p)} {s:.3f}"
                              for p, s in zip(result.parties, result.shortfall.tolist(), strict=True)
                              if s > 0)
        verdict = (f'<p><span class="deal no">No.</span> No package is acceptable to {_e(names)} '
                   f"under these estimates. The closest misses by {-result.margin:.3f} (the worst "
                   f"margin); each party's shortfall: {_e(shortfall)}.</p>")
    return verdict + table


def _amendment_block(result: Any, labels: Labels, names: str) -> str:
    space = labels.space
    if not result.amendments:
        miss = result.closest_miss
        words = (f" The closest package misses by {-miss.margin:.3f}." if miss is not None
                 and np.isfinite(miss.margin) else "")
        return f'<p class="deal no">No amendment makes the text acceptable to {_e(names)}.{_e(words)}</p>'
    best = result.amendments[0]
    n = len(best.changes)
    lead = (f"<p>Changing <b>{n}</b> agreed point{'' if n == 1 else 's'}"
            + (f" and closing {len(best.closed)} open one{'' if len(best.closed) == 1 else 's'}"
               if best.closed else "")
            + f" is enough for {_e(names)} to accept; {result.efficient_count:,} efficient "
            "amendments exist in all.")
    fewer = result.best_with_fewer
    if fewer is not None and np.isfinite(fewer.margin):
        lead += (f" With {n - 1} change{'' if n - 1 == 1 else 's'} or fewer the best package still "
                 f"misses by {-fewer.margin:.3f}, so {n} is the minimum.")
    lead += "</p>"
    head = "".join(f"<th>{_e(labels.party(p))}</th>" for p in range(space.n_parties))
    rows = []
    for k, amendment in enumerate(result.amendments):
        moves = [f"{_e(labels.issue_title(i))}: {_e(labels.option_label(i, int(result.base[i])))} → "
                 f"<b>{_e(labels.option_label(i, int(amendment.package[i])))}</b>"
                 for i in amendment.changes]
        closes = [f"{labels.issue_title(i)}: open → {labels.option_label(i, int(amendment.package[i]))}"
                  for i in amendment.closed]
        cells = "".join(
            f'<td class="num {"yes" if space.must_accept[p] else ""}">{u:.3f}</td>'
            for p, u in enumerate(amendment.utilities.tolist()))
        rows.append(
            f"<tr><td>{'smallest' if k == 0 else f'alternative {k}'}</td>"
            f"<td>{'<br>'.join(moves) or 'no change'}"
            + (f"<div class=small>{_e('; '.join(closes))}</div>" if closes else "")
            + f"</td>{cells}<td class=num>{amendment.margins.min():+.3f}</td></tr>")
    return (lead + f"<table><thead><tr><th></th><th>changes</th>{head}<th>worst margin</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _uncertainty(scenario: Scenario, space: Space, labels: Labels, options: ReportOptions,
                 page: _Page) -> str:
    try:
        chart = chart_for("chances", scenario, space)
    except ValueError as error:
        return f"""<section id="uncertainty"><h2>Deal chances</h2>
<p class=note>Not drawn: {_e(error)}.</p></section>"""
    figure = page.chart("chances", chart,
                        "Each estimate given as a range in the scenario is drawn at random; a bar "
                        "is the share of draws in which the party surely accepts the version "
                        "(however its open points close); “deal”: every party that must accept "
                        "does.")
    parts = [f'<section id="uncertainty"><h2>Deal chances</h2>{_chance_words(scenario, space, labels)}'
             f'{figure}']
    if space.must_accept.any():
        tornado_figure = page.chart(
            "sensitivity", chart_for("sensitivity", scenario, space),
            "Each bar: the probability with one estimate pinned at the low end of its range "
            "(a red line with a probability: absent) and at the high end (present), every "
            "other estimate still drawn at random, on common random numbers. Dashed: every "
            "estimate varying. One-at-a-time: interactions between estimates are not shown.")
        parts.append(f"<h3>Which estimates matter</h3>{tornado_figure}"
                     f"{_tornado_table(scenario, space)}")
        parts.append(_sobol_block(scenario, space) if options.sobol else
                     "<p class=small>Variance-based (Sobol) indices, which also see interactions "
                     "between estimates, are left out of this report for speed: "
                     "<code>accord report FILE --sobol</code> includes them, "
                     "<code>accord sensitivity FILE --method sobol</code> prints them.</p>")
        parts.append(_robust_block(scenario, space, labels))
    parts.append("</section>")
    return "".join(parts)


def _chance_words(scenario: Scenario, space: Space, labels: Labels) -> str:
    """The chart's numbers in words and a table, so that a printout carries them."""
    from accord.analysis.uncertainty import build_model, deal_chances

    result = deal_chances(build_model(scenario, space), text_order(scenario),
                          samples=CHANCE_SAMPLES, seed=CHANCE_SEED, any_package=True)
    lead = (f"<p>Each estimate given as a range was drawn at random in {CHANCE_SAMPLES:,} samples (seed "
            f"{CHANCE_SEED}).")
    if result.p_any_package is not None:
        low, high = result.any_package_interval or (result.p_any_package, result.p_any_package)
        lead += (f" <b>P(some acceptable package) = {percent(result.p_any_package)}</b> "
                 f"(95%: {_pct_interval(low, high)}).")
    lead += "</p>"
    rows = []
    for chance in result.texts:
        t = chance.text
        cells = "".join(
            f"<li>{_e(labels.party_name(c.party))} ({_e(labels.party(c.party))}): "
            f"{percent(c.p_accept)} "
            f"(95%: {_pct_interval(*c.interval)})</li>" for c in chance.parties)
        rows.append(f"<tr><td>{_e(labels.text_title(t))} ({_e(labels.text(t))})</td>"
                    f"<td class=num>{percent(chance.p_all)} (95%: {_pct_interval(*chance.interval)})"
                    f"</td><td class=small><ul>{cells}</ul></td></tr>")
    return (lead + "<table><thead><tr><th>text</th><th>P(all must-accept parties accept)</th>"
            f"<th>each party</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _pct_interval(low: float, high: float) -> str:
    return percent(low) if percent(low) == percent(high) else f"{percent(low)} to {percent(high)}"


def _tornado_table(scenario: Scenario, space: Space) -> str:
    found = sensitivity_rows(scenario, space)
    if found is None:
        return ""
    target, base, rows = found
    body = "".join(f"<tr><td>{_e(r['estimate'])}</td><td class=num>{percent(r['low'])}</td>"
                   f"<td class=num>{percent(r['high'])}</td></tr>" for r in rows)
    return (f"<p>P({_e(target)}) = {percent(base)} with every estimate varying.</p>"
            "<table><thead><tr><th>estimate</th><th>pinned low</th><th>pinned high</th></tr>"
            f"</thead><tbody>{body}</tbody></table>")


def _sobol_block(scenario: Scenario, space: Space) -> str:
    from accord.analysis.sensitivity import salib_available, sobol_indices
    from accord.analysis.uncertainty import build_model

    if not salib_available():
        return ("<p class=small>Variance-based (Sobol) indices need SALib: "
                "<code>pip install 'accord[sensitivity]'</code>, then "
                "<code>accord sensitivity FILE --sobol</code>.</p>")
    model = build_model(scenario, space)
    result = sobol_indices(model, text_order(scenario), base_samples=SOBOL_BASE_SAMPLES,
                           seed=CHANCE_SEED)
    names = [f"deal on {space.text_ids[t]}" for t in result.texts] + ["some acceptable package"]
    k = int(np.argmax([max((e.total[j] for e in result.effects), default=0.0)
                       for j in range(len(result.p))]))
    effects = sorted(result.effects, key=lambda e: (-e.total[k], e.estimate))[:8]
    rows = "".join(
        f"<tr><td>{_e(e.label)}</td><td class=num>{e.first[k]:.2f} ± {e.first_conf[k]:.2f}</td>"
        f"<td class=num>{e.total[k]:.2f} ± {e.total_conf[k]:.2f}</td></tr>" for e in effects)
    return (f"<p>Sobol indices for P({_e(names[k])}) = {result.p[k]:.2f} ({result.runs:,} runs, "
            f"seed {result.seed}): <i>first order</i> is the share of the uncertainty about the "
            f"outcome that knowing the estimate alone would remove; <i>total</i> adds its "
            f"interactions with the others (95% intervals by bootstrap; computed by "
            f"accord.analysis.sensitivity.sobol_indices with SALib).</p>"
            f"<table><thead><tr><th>estimate</th><th>first order</th><th>total</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _robust_block(scenario: Scenario, space: Space, labels: Labels) -> str:
    from accord.analysis.robust import robust_package
    from accord.analysis.uncertainty import build_model

    result = robust_package(build_model(scenario, space), samples=ROBUST_SAMPLES, seed=CHANCE_SEED)
    latest = default_text(scenario)
    reference = None if latest is None else space.texts[latest]
    low, high = result.interval
    return (f"<h3>The most robust package</h3><p>Of the packages searched ({_e(result.candidates)}; "
            f"{result.evaluated:,} evaluated), the one most likely to be accepted by every party that "
            f"must accept, on {result.samples:,} common samples (seed {result.seed}): "
            f"<b>P(deal) = {result.p_all:.2f}</b> (95%: {low:.2f}–{high:.2f}). "
            + (f"It differs from <code>{_e(labels.text(latest))}</code> on: " if latest is not None
               else "Its options: ")
            + f"{_e(_package_words(labels, reference, result.package))}. "
            f"Search: {_e(result.method)}; "
            f"<code>accord robust FILE</code> prints the same with more samples.</p>")


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
<tbody>{''.join(r for _, r in rows)}</tbody></table>{_statement_timeline(scenario)}</section>"""


def _statement_timeline(scenario: Scenario) -> str:
    """Statements per party and point, in date order, with their stance (accord.evidence.timeline)."""
    if not scenario.statements:
        return ""
    from accord.evidence.timeline import statement_timeline

    names = {p.id: p.name for p in scenario.parties}
    titles = {i.id: i.title for i in scenario.issues}
    body = []
    for row in statement_timeline(scenario):
        entries = "".join(
            f"<li>{e.date.isoformat()} <b>{_e(e.person or names.get(row.party, row.party))}</b>: "
            f"“{_e(e.quote)}”"
            + (f" <span class=small>({_e(e.stance.value)}"
               + (f": {_e(', '.join(e.options))}" if e.options else "") + ")</span>" if e.stance else "")
            + "</li>" for e in row.entries)
        point = (f"{_e(titles[row.issue])} <code>{_e(row.issue)}</code>" if row.issue
                 else "<i>in general</i>")
        body.append(f"<tr><td>{_e(names.get(row.party, row.party))}</td><td>{point}</td>"
                    f"<td><ol class=options>{entries}</ol></td></tr>")
    return ("<h3>Statements by party and point</h3><p class=small>Each party's statements on each "
            "point, oldest first, with the stance read from the quote (or given in the file); "
            "<code>accord evidence FILE</code> lists where they contradict the estimates.</p>"
            "<table><thead><tr><th>party</th><th>point</th><th>statements</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


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
    """User text as HTML text: markup escaped, control codes and lone surrogates shown as escapes."""
    from accord.views.safe import printable

    return html.escape(printable(str(value)), quote=True)


def _json_for_script(data: Any) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>`` or ``<!--`` can end it early)."""
    from accord.views.safe import json_safe

    return json_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":"))
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
