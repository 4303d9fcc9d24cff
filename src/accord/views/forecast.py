"""Forecast results as JSON and as terminal tables: one ``to_dict`` and one ``render``.

Covers a negotiation's forecast (:class:`~accord.forecast.negotiation.ScenarioForecast`),
every model on a KTAB scenario (:class:`~accord.forecast.spatial.ProblemForecast`,
with the SMP's states) and the DEU III backtest
(:class:`~accord.forecast.backtest.BacktestResult`).  ``to_dict`` keeps full
precision (non-finite numbers become ``None``); ``render`` rounds.  Every
user-supplied string is shown as text, never as markup.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.forecast.backtest import BacktestResult
from accord.forecast.negotiation import ScenarioForecast
from accord.forecast.smp import SmpRun
from accord.forecast.spatial import ProblemForecast
from accord.views.numbers import plural

if TYPE_CHECKING:
    from accord.views.labels import Labels

__all__ = ["GOAL_MAE", "render", "smp_run_to_dict", "to_dict"]

#: The backtest's target (issue 16): an out-of-sample MAE below this.
GOAL_MAE = 22.0
#: Rows of actor tables shown in the terminal (the JSON has all).
MAX_ROWS = 40
#: States shown per trajectory in the terminal (first and last halves beyond this).
MAX_STATES = 10

_Result = ScenarioForecast | ProblemForecast | BacktestResult | SmpRun


def _n(value: float | None, digits: int = 6) -> float | None:
    if value is None:
        return None
    value = float(value)
    return round(value, digits) if math.isfinite(value) else None


def _f(value: float | None, digits: int = 1) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def to_dict(result: _Result, labels: Labels | None = None) -> dict[str, Any]:
    """The JSON-able form of a forecast result (full precision)."""
    if isinstance(result, ScenarioForecast):
        return _scenario_dict(result, labels)
    if isinstance(result, ProblemForecast):
        return _problem_dict(result)
    if isinstance(result, BacktestResult):
        return _backtest_dict(result)
    return smp_run_to_dict(result)


def render(result: _Result, labels: Labels | None = None, *,
           trajectories: bool = False) -> RenderableType:
    """Terminal tables for a forecast result (``trajectories``: every SMP state per actor)."""
    if isinstance(result, ScenarioForecast):
        return _scenario_view(result, labels, trajectories)
    if isinstance(result, ProblemForecast):
        return _problem_view(result, trajectories)
    if isinstance(result, BacktestResult):
        return _backtest_view(result)
    return Group(*_smp_parts(result, trajectories))


# ---------------------------------------------------------------------------
# SMP runs


def smp_run_to_dict(run: SmpRun) -> dict[str, Any]:
    """Every state of an SMP run: positions ``[state][actor][dimension]`` on 0–100 and more."""
    p = run.parameters
    return {
        "actors": list(run.problem.actors),
        "dimensions": list(run.problem.dimensions),
        "parameters": {
            "VictoryProbModel": p.victory_prob_model.value, "PCEModel": p.pce_model.value,
            "StateTransitions": p.state_transitions.value, "VotingRule": p.voting_rule.value,
            "BigRAdjust": p.big_r_adjust.value, "BigRRange": p.big_r_range.value,
            "ThirdPartyCommit": p.third_party_commit.value, "InterVecBrgn": p.inter_vec_brgn.value,
            "BargnModel": p.bargn_model.value, "seed": p.seed,
        },
        "states": run.n_states,
        "converged": run.converged,
        "change_ratios": [_n(x) for x in run.change_ratios],
        "positions": [[[_n(v) for v in actor] for actor in state] for state in run.positions],
        "ideals": [[[_n(v) for v in actor] for actor in state] for state in run.ideals],
        "win_probabilities": [[_n(v) for v in state] for state in run.win_probabilities],
        "risk_attitudes": [[_n(v) for v in state] for state in run.risk_attitudes],
        "outcomes": [[_n(v) for v in state] for state in run.outcomes],
        "forecast": [_n(v) for v in run.forecast],
    }


def _state_columns(n: int) -> list[int | None]:
    if n <= MAX_STATES + 1:
        return list(range(n))
    half = MAX_STATES // 2
    return [*range(half), None, *range(n - half, n)]


def _smp_parts(run: SmpRun, trajectories: bool, names: dict[str, str] | None = None
               ) -> list[RenderableType]:
    p = run.parameters
    parts: list[RenderableType] = [Text(
        f"SMP: {plural(run.n_states, 'state')} ({plural(run.n_states - 1, 'step')}), "
        + ("converged" if run.converged else f"stopped at the {p.max_iter}-step limit")
        + f"; last step moved {run.change_ratios[-1]:.4f} of the first (stop below "
          f"{p.min_delta_ratio:g}). Parameters: {p.victory_prob_model.value}, {p.pce_model.value}, "
          f"{p.state_transitions.value}, {p.voting_rule.value}, BigR {p.big_r_range.value}/"
          f"{p.big_r_adjust.value}, {p.third_party_commit.value}, {p.inter_vec_brgn.value}, "
          f"{p.bargn_model.value}; seed {p.seed}."
        + (" Stochastic transitions: KTAB's own run also depends on the order its threads "
           "ran in, so it can follow another path from the same seed (see "
           "docs/explanation/forecast.md)." if p.state_transitions.value == "Stochastic" else ""),
        style="italic")]
    problem = run.problem
    shown = list(range(min(problem.n_actors, MAX_ROWS)))
    table = Table(title="SMP: where each actor starts and ends", title_justify="left")
    table.add_column("actor")
    for name in problem.dimensions:
        table.add_column(Text(f"{name}: start → end"), justify="right")
    # KTAB's "winning probability" is that of the actor's position: actors who share a
    # position show the same chance, so the column need not sum to 1.
    table.add_column("P(its position wins), last", justify="right")
    for a in shown:
        actor = problem.actors[a]
        label = Text(actor if names is None else names.get(actor, actor))
        cells: list[RenderableType] = [label]
        for d in range(problem.n_dimensions):
            cells.append(f"{run.positions[0, a, d]:.1f} → {run.positions[-1, a, d]:.1f}")
        cells.append(f"{run.win_probabilities[-1, a]:.3f}")
        table.add_row(*cells)
    parts.append(table)
    if problem.n_actors > len(shown):
        parts.append(Text(f"… and {problem.n_actors - len(shown)} more actors (--json has all).",
                          style="italic"))
    if trajectories:
        columns = _state_columns(run.n_states)
        for d, dimension in enumerate(problem.dimensions):
            traj = Table(title=Text(f"SMP trajectory: {dimension}"), title_justify="left")
            traj.add_column("actor", no_wrap=True, max_width=14)
            for c in columns:
                traj.add_column("…" if c is None else str(c), justify="right")
            for a in shown:
                actor = problem.actors[a]
                traj.add_row(Text(actor if names is None else names.get(actor, actor)),
                             *["…" if c is None else f"{run.positions[c, a, d]:.0f}"
                               for c in columns])
            parts.append(traj)
    return parts


# ---------------------------------------------------------------------------
# a negotiation


def _scenario_dict(result: ScenarioForecast, labels: Labels | None) -> dict[str, Any]:
    return {
        "title": result.title,
        "parties": list(result.parties),
        "capabilities": {p: _n(c) for p, c in result.capabilities.items()},
        "capability_basis": dict(result.capability_basis),
        "equal_capabilities": result.equal_capabilities,
        "samples": result.samples,
        "seed": result.seed,
        "option_positions": {i: {o: _n(v) for o, v in table.items()}
                             for i, table in result.option_positions.items()},
        "models": [{
            "model": m.model,
            "label": m.label,
            "closest_text": m.closest_text,
            "text_mean_distance": {t: _n(d) for t, d in m.text_mean_distance.items()},
            "issues": [{
                "issue": f.issue,
                "position": _n(f.position),
                "nearest_option": f.nearest_option,
                "spread": None if f.spread is None else [_n(f.spread[0]), _n(f.spread[1])],
                "party_positions": {p: _n(v) for p, v in f.party_positions.items()},
                "closest_text": f.closest_text,
                "texts": [{"text": t.text, "option": t.option, "distance": _n(t.distance)}
                          for t in f.texts],
            } for f in m.issues],
            "smp": None if m.run is None else smp_run_to_dict(m.run),
        } for m in result.models],
    }


def _scenario_view(result: ScenarioForecast, labels: Labels | None,
                   trajectories: bool) -> RenderableType:
    scenario = labels.scenario if labels is not None else None
    titles = {i.id: i.title for i in scenario.issues} if scenario is not None else {}
    option_labels = ({(i.id, o.id): o.label for i in scenario.issues for o in i.options}
                     if scenario is not None else {})
    names = {p.id: p.name for p in scenario.parties} if scenario is not None else {}
    parts: list[RenderableType] = [Text(f"Forecast: {result.title}", style="bold underline")]
    caps = Table(title="Capabilities (estimates: only ratios matter)", title_justify="left")
    caps.add_column("party")
    caps.add_column("capability", justify="right")
    caps.add_column("share", justify="right")
    total = sum(result.capabilities.values()) or 1.0
    for party, value in result.capabilities.items():
        caps.add_row(Text(names.get(party, party)), f"{value:.1f}", f"{100 * value / total:.0f}%")
    parts.append(caps)
    for party, basis in result.capability_basis.items():
        parts.append(Text.assemble((f"{names.get(party, party)}: ", "bold"), basis))
    if result.equal_capabilities:
        parts.append(Text("No party has a capability in the file: every party weighs the same.",
                          style="yellow"))
    spread_note = (f"spread: 5th–95th percentile over {result.samples} draws of the estimates"
                   if result.samples else "no ranges in the estimates: no spread")
    parts.append(Text(f"Forecasts are positions on each point's 0–100 line (options in order, "
                      f"first 0, last 100, unless they have a position); {spread_note}.",
                      style="italic"))
    for m in result.models:
        table = Table(title=Text(m.label), title_justify="left")
        table.add_column("point")
        table.add_column("forecast", justify="right")
        table.add_column("spread", justify="right")
        table.add_column("nearest option")
        table.add_column("closest text")
        for f in m.issues:
            spread = "—" if f.spread is None else f"{f.spread[0]:.0f}–{f.spread[1]:.0f}"
            option = option_labels.get((f.issue, f.nearest_option or ""), f.nearest_option or "—")
            table.add_row(Text(titles.get(f.issue, f.issue)), _f(f.position), spread,
                          Text(option), Text(f.closest_text or "—"))
        parts.append(table)
        if m.run is not None:
            parts.extend(_smp_parts(m.run, trajectories, names))
    parts.append(Text("Which text the forecast sits closest to: the mean distance on the 0–100 "
                      "lines between the text's option and the forecast, over the points the text "
                      "settles.", style="italic"))
    texts = Table(title="Distance of each text from the forecast", title_justify="left")
    texts.add_column("text")
    for m in result.models:
        texts.add_column(m.model, justify="right")
    text_ids = list(result.models[0].text_mean_distance) if result.models else []
    for text_id in text_ids:
        texts.add_row(Text(text_id), *[_f(m.text_mean_distance[text_id]) for m in result.models])
    if text_ids:
        texts.add_row(Text("closest", style="bold"),
                      *[Text(m.closest_text or "—", style="bold") for m in result.models])
        parts.append(texts)
    return Group(*parts)


# ---------------------------------------------------------------------------
# a KTAB scenario (or any spatial problem)


def _problem_dict(result: ProblemForecast) -> dict[str, Any]:
    problem = result.problem
    return {
        "title": result.title,
        "description": result.description,
        "actors": list(problem.actors),
        "dimensions": list(problem.dimensions),
        "capabilities": [_n(c) for c in problem.capabilities],
        "positions": [[_n(v) for v in row] for row in problem.positions],
        "saliences": [[_n(v) for v in row] for row in problem.saliences],
        "forecasts": {m: [_n(v) for v in values] for m, values in result.forecasts.items()},
        "parameters_from_file": result.parameters_from_file,
        "smp": None if result.run is None else smp_run_to_dict(result.run),
    }


def _problem_view(result: ProblemForecast, trajectories: bool) -> RenderableType:
    problem = result.problem
    parts: list[RenderableType] = [Text(f"Forecast: {result.title}", style="bold underline")]
    if result.description:
        parts.append(Text(result.description))
    parts.append(Text(f"{plural(problem.n_actors, 'actor')}, {plural(problem.n_dimensions, 'dimension')}; "
                      "positions on 0–100.", style="italic"))
    table = Table(title="Forecast of each dimension", title_justify="left")
    table.add_column("dimension")
    for model in result.forecasts:
        table.add_column(model, justify="right")
    for d, dimension in enumerate(problem.dimensions):
        table.add_row(Text(dimension), *[_f(v[d]) for v in result.forecasts.values()])
    parts.append(table)
    if result.run is not None:
        if not result.parameters_from_file:
            parts.append(Text("The file sets no model parameters: KTAB's defaults.", style="italic"))
        parts.extend(_smp_parts(result.run, trajectories))
    return Group(*parts)


# ---------------------------------------------------------------------------
# the backtest


def _backtest_dict(result: BacktestResult) -> dict[str, Any]:
    best = result.best
    return {
        "issues": result.n_issues,
        "proposals": result.n_proposals,
        "skipped_without_outcome": list(result.skipped),
        "folds": result.folds,
        "seed": result.seed,
        "bootstrap": result.bootstrap,
        "baseline": "compromise",
        "goal_mae": GOAL_MAE,
        "goal_met": bool(result.headline.mae < GOAL_MAE and result.headline.difference < 0),
        "goal_judged_on": result.headline.model,
        "best": best.model,
        "smp_fallbacks": result.smp_fallbacks,
        "models": [{
            "model": s.model, "label": s.label, "mae": _n(s.mae), "median_error": _n(s.median_error),
            "difference": _n(s.difference), "interval": [_n(s.interval[0]), _n(s.interval[1])],
            "fitted_per_fold": list(s.fitted),
        } for s in result.scores],
        "groups": [{"kind": g.kind, "value": g.value, "issues": g.n,
                    "mae": {m: _n(v) for m, v in g.mae.items()}} for g in result.groups],
        "forecasts": [{"issue": issue, "outcome": _n(result.outcomes[row]),
                       **{s.model: _n(result.forecasts[row, k]) for k, s in enumerate(result.scores)}}
                      for row, issue in enumerate(result.issues)],
    }


def _fitted_summary(fitted: tuple[str, ...]) -> str:
    if not fitted:
        return "—"
    counts = Counter(fitted)
    if len(counts) <= 3:
        return "; ".join(f"{value} ({n}×)" if n > 1 else value for value, n in counts.most_common())
    return f"{len(counts)} different fits over {plural(len(fitted), 'fold')}"


def _backtest_view(result: BacktestResult) -> RenderableType:
    parts: list[RenderableType] = [Text(
        f"DEU III backtest: {plural(result.n_issues, 'issue')} from "
        f"{plural(result.n_proposals, 'proposal')} "
        f"({plural(len(result.skipped), 'issue')} without an outcome skipped); {result.folds}-fold "
        f"cross-validation grouped by proposal (seed {result.seed}); mean absolute error on "
        "0–100, out of sample.", style="bold")]
    table = Table(title="Out-of-sample error by model", title_justify="left")
    table.add_column("model")
    table.add_column("MAE", justify="right")
    table.add_column("median", justify="right")
    table.add_column("vs compromise", justify="right")
    table.add_column(f"95% interval ({result.bootstrap} cluster bootstraps)", justify="right")
    table.add_column("fitted in the folds")
    for s in result.scores:
        interval = "—" if s.model == "compromise" else f"{s.interval[0]:+.2f} to {s.interval[1]:+.2f}"
        table.add_row(Text(s.model), f"{s.mae:.2f}", f"{s.median_error:.2f}",
                      "—" if s.model == "compromise" else f"{s.difference:+.2f}", interval,
                      Text(_fitted_summary(s.fitted)))
    parts.append(table)
    parts.append(Text("Models: " + "; ".join(f"{s.model} = {s.label}" for s in result.scores) + ".",
                      style="italic"))
    best = result.best
    # Many models make the breakdowns unreadable: then only the baseline, the best and the
    # nested-CV selection (--json has them all).
    shown = list(result.scores)
    if len(shown) > 6:
        keep = {"compromise", best.model, "selected"}
        shown = [s for s in shown if s.model in keep]
    for kind in ("procedure", "voting rule", "council"):
        groups = [g for g in result.groups if g.kind == kind]
        title = f"MAE by {kind}" + ("" if len(shown) == len(result.scores)
                                    else " (the baseline, the best and the selection; --json: all)")
        breakdown = Table(title=title, title_justify="left")
        breakdown.add_column(kind)
        breakdown.add_column("issues", justify="right")
        for s in shown:
            breakdown.add_column(s.model, justify="right")
        for g in groups:
            breakdown.add_row(Text(g.value), str(g.n), *[f"{g.mae[s.model]:.1f}" for s in shown])
        parts.append(breakdown)
    head = result.headline
    met = head.mae < GOAL_MAE and head.difference < 0
    verdict = (f"Goal (MAE < {GOAL_MAE:g}, beating the compromise model): "
               + ("met" if met else "not met") + " — ")
    if result.selection is not None:
        verdict += (f"choosing the model by nested CV: {head.mae:.2f} ({head.difference:+.2f} vs "
                    f"compromise, 95% interval {head.interval[0]:+.2f} to {head.interval[1]:+.2f}); "
                    f"the lowest of the {len(result.scores) - 1} models, {best.model} at "
                    f"{best.mae:.2f}, is picked on the test folds themselves, so optimistic.")
    else:
        verdict += (f"best out of sample: {best.model} at {best.mae:.2f} "
                    f"({best.difference:+.2f} vs compromise, 95% interval {best.interval[0]:+.2f} "
                    f"to {best.interval[1]:+.2f}).")
    parts.append(Text(verdict, style="bold green" if met else "bold yellow"))
    if result.smp_fallbacks:
        parts.append(Text(f"SMP: {result.smp_fallbacks} issue(s) with fewer than 3 actors with a "
                          "salience get the compromise forecast.", style="italic"))
    return Group(*parts)
