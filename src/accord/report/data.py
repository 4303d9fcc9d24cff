"""The numbers behind the report's charts and tables, pure over the scenario and its Space.

Every picture of the report is available from Python and testable on its own
(:func:`stance_cells`, :func:`convergence_rows`, :func:`frontier_view`,
:func:`timeline_events`, :func:`chance_rows`, :func:`sensitivity_rows`).
:class:`ReportData` holds what several sections read — the evaluations, the
deal chances, the tornado — so that one report computes each of them once.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.evaluate import TextEvaluation, evaluate_texts
from accord.model import Scenario
from accord.report.fragments import source_words
from accord.space import UNRESOLVED, Space
from accord.views.labels import Labels
from accord.views.numbers import shown

if TYPE_CHECKING:
    from accord.analysis.bargaining import BargainingSolutions
    from accord.analysis.pareto import ParetoFrontier
    from accord.analysis.robust import RobustResult
    from accord.analysis.sensitivity import Tornado
    from accord.analysis.uncertainty import ChanceResult, UncertainModel

__all__ = [
    "CHANCE_SAMPLES",
    "CHANCE_SEED",
    "FrontierView",
    "ReportData",
    "ReportOptions",
    "chance_result_rows",
    "chance_rows",
    "convergence_rows",
    "default_text",
    "frontier_description",
    "frontier_pairs",
    "frontier_parties",
    "frontier_view",
    "sensitivity_rows",
    "solution_points",
    "stance_cells",
    "text_order",
    "text_parents",
    "timeline_events",
]

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
                note = (note + "; " if note else "") + f"weight {shown(weight, 2)}"
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
               f"an ε-frontier (every acceptable package is within {shown(frontier.epsilon)} of a "
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
    sources = {s.id: source_words(s) for s in scenario.sources}
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


def chance_rows(scenario: Scenario, space: Space, *, data: ReportData | None = None
                ) -> list[dict[str, Any]] | None:
    """P(accepts) per text and party, and P(deal), from :mod:`accord.analysis.uncertainty`.

    None when that module is absent or the scenario has no uncertain estimates.
    ``data``, when given, is the report's :class:`ReportData` (its chances are reused).
    """
    result = (data or ReportData(scenario, space)).chances
    return None if result is None else chance_result_rows(space, result)


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


def sensitivity_rows(scenario: Scenario, space: Space, *, top: int = 12,
                     data: ReportData | None = None
                     ) -> tuple[str, float, list[dict[str, Any]]] | None:
    """The tornado of :func:`accord.analysis.sensitivity.tornado` for the most uncertain target.

    The targets are "every must-accept party accepts text t" for each text and "some
    acceptable package exists"; the one drawn is the one whose probability swings most
    (a target that is 0 or 1 whatever the estimates has nothing to show).  Returns the
    target's name, its probability with every estimate varying, and one row per
    estimate (largest swing first, at most ``top``); None without uncertain estimates.
    ``data``, when given, is the report's :class:`ReportData` (its tornado is reused).
    """
    result = (data or ReportData(scenario, space)).tornado
    if result is None:
        return None
    names = [f"deal on {space.text_ids[t]}" for t in result.texts] + ["some acceptable package"]
    swings = [max((e.swings[k] for e in result.effects), default=0.0)
              for k in range(result.targets)]
    k = int(np.argmax(swings))
    effects = sorted(result.effects, key=lambda e: (-e.swings[k], e.estimate))[:top]
    from accord.views.sensitivity import settings

    labels = data.labels if data is not None else Labels(scenario, space)
    # The pinned values as the file writes them (weights in the scenario's own scale).
    rows = [{"estimate": e.label, "low": e.p_low[k], "high": e.p_high[k],
             "low_setting": low, "high_setting": high}
            for e, (low, high) in zip(effects, settings(labels, effects), strict=True)]
    return names[k], float(result.base[k]), rows


class ReportData:
    """What several sections and charts of one report read, each computed on first use, once.

    The deal chances are computed with ``any_package=True``: the per-text numbers
    are those of the same samples either way, and the headline P(some acceptable
    package) comes with them.
    """

    def __init__(self, scenario: Scenario, space: Space,
                 options: ReportOptions | None = None) -> None:
        self.scenario = scenario
        self.space = space
        self.options = options or ReportOptions()

    @cached_property
    def labels(self) -> Labels:
        return Labels(self.scenario, self.space)

    @cached_property
    def order(self) -> list[int]:
        """Text indices oldest first (:func:`text_order`)."""
        return text_order(self.scenario)

    @cached_property
    def evaluations(self) -> list[TextEvaluation]:
        return list(evaluate_texts(self.space)) if self.space.text_ids else []

    @cached_property
    def model(self) -> UncertainModel | None:
        """The scenario's uncertain model (None when :mod:`accord.analysis.uncertainty` is absent)."""
        if importlib.util.find_spec("accord.analysis.uncertainty") is None:
            return None
        from accord.analysis.uncertainty import build_model

        return build_model(self.scenario, self.space)

    @cached_property
    def chances(self) -> ChanceResult | None:
        """The deal chances of every text, oldest first; None without texts or ranged estimates."""
        model = self.model
        if model is None or model.n_estimates == 0 or not self.space.text_ids:
            return None
        from accord.analysis.uncertainty import deal_chances

        return deal_chances(model, self.order, samples=CHANCE_SAMPLES, seed=CHANCE_SEED,
                            any_package=True)

    @cached_property
    def robust(self) -> RobustResult | None:
        """The most robust package (:func:`~accord.analysis.robust.robust_package`); None as tornado."""
        model = self.model
        if not self.space.must_accept.any() or model is None or model.n_estimates == 0:
            return None
        from accord.analysis.robust import robust_package

        return robust_package(model, samples=ROBUST_SAMPLES, seed=CHANCE_SEED)

    @cached_property
    def tornado(self) -> Tornado | None:
        """The one-at-a-time tornado; None without must-accept parties or ranged estimates."""
        model = self.model
        if not self.space.must_accept.any() or model is None or model.n_estimates == 0:
            return None
        from accord.analysis.sensitivity import tornado

        return tornado(model, self.order, samples=TORNADO_SAMPLES, seed=CHANCE_SEED)
