"""An accord negotiation as a forecasting problem, and its forecast point by point.

Each disputed point becomes a dimension of a :class:`SpatialProblem`:

* **positions**: the point's options lie on a 0–100 line — evenly spaced in
  option order (first 0, last 100), or where the file's per-option
  ``position`` puts them; a party's position is that of its best option (the
  mean position of its best options when several tie);
* **salience**: a party's weight on the point, its weights normalised to sum
  to 100 (so they add up as KTAB requires);
* **capability**: the party's ``capability`` (its mean when it is a range).
  When no party has one, every party weighs the same (and the result says
  so); when only some have one, the forecast is refused, naming the others.

Only parties with preferences take part; a party that does not weigh a point
has no say on it.  Where estimates are ranges (weights, option values,
capabilities) the forecast is repeated on ``samples`` draws — the same
inverse-CDF sampling as ``accord chance`` (:mod:`accord.analysis.uncertainty`)
— and the 5th–95th percentile range of the sampled forecasts is its spread.
Every forecast is compared with every text: on each point, how far the text's
option lies from the forecast, and which text lies closest overall.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.errors import AnalysisError
from accord.forecast.compromise import compromise_positions
from accord.forecast.median import weighted_median_positions
from accord.forecast.nash import DEFAULT_DISAGREEMENT, nash_positions
from accord.forecast.problem import SpatialProblem
from accord.forecast.smp import MAX_ACTORS, MIN_ACTORS, SmpParameters, SmpRun, run_smp
from accord.model import Scenario
from accord.space import UNRESOLVED, FloatArray, Space

__all__ = [
    "FORECAST_MODELS",
    "MAX_FORECAST_SAMPLES",
    "IssueForecast",
    "ModelForecast",
    "NegotiationProblem",
    "ScenarioForecast",
    "TextDistance",
    "forecast_scenario",
    "negotiation_problem",
]

#: The models ``accord forecast`` runs, in report order.
FORECAST_MODELS = ("compromise", "median", "nash", "smp")
MODEL_NAMES = {
    "compromise": "Compromise model (capability × salience weighted mean)",
    "median": "Weighted median",
    "nash": "Nash bargaining solution (Achen)",
    "smp": "KTAB Spatial Model of Politics",
}
#: The most draws a forecast's spread may ask for.
MAX_FORECAST_SAMPLES = 100_000
#: The SMP reruns the whole model per draw; it gets at most this many.
MAX_SMP_SAMPLES = 100


@dataclass(frozen=True, eq=False)
class NegotiationProblem:
    """A scenario's forecasting problem: parties × points, with the options' positions.

    ``problem.actors`` are the parties with preferences; ``option_positions[i]``
    the 0–100 positions of point ``i``'s options, in option order.
    """

    problem: SpatialProblem
    option_ids: tuple[tuple[str, ...], ...]
    option_positions: tuple[FloatArray, ...]
    capability_basis: dict[str, str]
    equal_capabilities: bool


@dataclass(frozen=True)
class TextDistance:
    """How far a text's option on one point lies from the forecast (None: the point is open)."""

    text: str
    option: str | None
    distance: float | None


@dataclass(frozen=True)
class IssueForecast:
    """The forecast of one point by one model."""

    issue: str
    position: float | None
    nearest_option: str | None
    spread: tuple[float, float] | None
    party_positions: dict[str, float]
    texts: tuple[TextDistance, ...]

    @property
    def closest_text(self) -> str | None:
        known = [t for t in self.texts if t.distance is not None]
        return min(known, key=lambda t: t.distance).text if known else None  # type: ignore[arg-type,return-value]


@dataclass(frozen=True, eq=False)
class ModelForecast:
    """One model's forecast of every point, and (SMP) its run."""

    model: str
    label: str
    issues: tuple[IssueForecast, ...]
    text_mean_distance: dict[str, float | None]
    run: SmpRun | None = None

    @property
    def closest_text(self) -> str | None:
        known = {t: d for t, d in self.text_mean_distance.items() if d is not None}
        return min(known, key=lambda t: known[t]) if known else None


@dataclass(frozen=True, eq=False)
class ScenarioForecast:
    """Every chosen model's forecast of a scenario."""

    title: str
    parties: tuple[str, ...]
    capabilities: dict[str, float]
    capability_basis: dict[str, str]
    equal_capabilities: bool
    samples: int
    seed: int
    models: tuple[ModelForecast, ...]
    option_positions: dict[str, dict[str, float]]

    def model(self, name: str) -> ModelForecast:
        for m in self.models:
            if m.model == name:
                return m
        raise KeyError(name)

    def __repr__(self) -> str:
        return (f"ScenarioForecast({self.title!r}: {len(self.models)} model(s), "
                f"{len(self.option_positions)} points)")


def _option_positions(scenario: Scenario) -> tuple[FloatArray, ...]:
    out = []
    for issue in scenario.issues:
        given = [o.position for o in issue.options]
        if any(p is not None for p in given):
            missing = [o.id for o in issue.options if o.position is None]
            if missing:
                raise AnalysisError(
                    f"issue {issue.id!r}: option(s) {', '.join(missing)} have no position while "
                    "others do; give every option of the issue a position, or none (then they "
                    "are spaced evenly in option order)")
            out.append(np.array(given, dtype=np.float64))
        else:
            m = len(issue.options)
            out.append(np.linspace(0.0, 100.0, m) if m > 1 else np.array([50.0]))
    return tuple(out)


def _capabilities(scenario: Scenario, party_ids: Sequence[str]) -> tuple[FloatArray, bool]:
    from accord.model.uncertain import point_estimate

    caps = {p.id: p.capability for p in scenario.parties if p.id in party_ids}
    given = [pid for pid in party_ids if caps[pid] is not None]
    if not given:
        return np.ones(len(party_ids)), True
    missing = [pid for pid in party_ids if caps[pid] is None]
    if missing:
        raise AnalysisError(
            f"a forecast needs a capability for every party with preferences; "
            f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} none "
            f"({', '.join(given)} {'has' if len(given) == 1 else 'have'} one) — add "
            "`capability = { value = …, basis = \"…\" }` to the party")
    return np.array([point_estimate(caps[pid].value) for pid in party_ids]), False  # type: ignore[union-attr]


def _ideals(values: FloatArray, space: Space, option_positions: Sequence[FloatArray]) -> FloatArray:
    """``(…, P, I)`` each party's position: the (mean) position of its best option(s)."""
    out = np.zeros(values.shape[:-1])
    for i, positions in enumerate(option_positions):
        k = len(positions)
        v = values[..., i, :k]
        best = v >= v.max(axis=-1, keepdims=True) - 1e-12
        out[..., i] = (best * positions).sum(axis=-1) / best.sum(axis=-1)
    return out


def _saliences(weights: FloatArray) -> FloatArray:
    total = weights.sum(axis=-1, keepdims=True)
    return np.divide(100.0 * weights, total, out=np.zeros_like(weights), where=total > 0)


def negotiation_problem(scenario: Scenario, space: Space) -> NegotiationProblem:
    """The forecasting problem of ``scenario`` (compiled as ``space``), at the point estimates."""
    option_positions = _option_positions(scenario)
    capabilities, equal = _capabilities(scenario, space.party_ids)
    positions = _ideals(space.values, space, option_positions)
    saliences = _saliences(space.weights)
    names = tuple(scenario.party(pid).name for pid in space.party_ids)
    basis = {p.id: p.capability.basis for p in scenario.parties
             if p.capability is not None and p.capability.basis and p.id in space.party_ids}
    problem = SpatialProblem(space.party_ids, space.issue_ids, positions, saliences, capabilities,
                             names)
    return NegotiationProblem(problem, space.option_ids, option_positions, basis, equal)


def _static(model: str, positions: FloatArray, saliences: FloatArray, capabilities: FloatArray,
            disagreement: float) -> FloatArray:
    """``(…, I)`` forecasts from ``(…, P, I)`` positions/saliences and ``(…, P)`` capabilities."""
    x = np.swapaxes(positions, -1, -2)
    w = np.swapaxes(saliences * capabilities[..., :, None], -1, -2)
    if model == "compromise":
        return compromise_positions(x, w)
    if model == "median":
        return weighted_median_positions(x, w)
    return nash_positions(x, w, disagreement=disagreement)


def _draws(scenario: Scenario, space: Space, samples: int, seed: int
           ) -> tuple[FloatArray, FloatArray, FloatArray] | None:
    """``samples`` draws of (values, weights, capabilities); None when nothing is uncertain."""
    from accord.analysis.uncertainty import Estimate, build_model, sampled_estimates
    from accord.model.uncertain import Triangular, TruncatedNormal, Uniform

    model = build_model(scenario, space)
    capability_estimates: list[tuple[int, Estimate]] = []
    for p, pid in enumerate(space.party_ids):
        cap = scenario.party(pid).capability
        value = cap.value if cap is not None else None
        if isinstance(value, Uniform):
            capability_estimates.append((p, Estimate("capability", p, -1, -1,
                                                     ("uniform", value.low, value.high))))
        elif isinstance(value, Triangular):
            capability_estimates.append((p, Estimate("capability", p, -1, -1,
                                                     ("triangular", value.low, value.mode,
                                                      value.high))))
        elif isinstance(value, TruncatedNormal):
            capability_estimates.append((p, Estimate("capability", p, -1, -1,
                                                     ("normal", value.mean, value.sd, value.low,
                                                      value.high))))
    used = [e for e in model.estimates if e.kind in ("weight", "value")]
    if not used and not capability_estimates:
        return None
    # Separate streams for preferences and capabilities, both from the one seed.
    pref_stream, cap_stream = np.random.SeedSequence(seed).spawn(2)
    draws = np.random.default_rng(pref_stream).random((samples, model.n_estimates))
    sampled = sampled_estimates(model, draws)
    values = np.broadcast_to(space.values, (samples, *space.values.shape)).copy()
    weights = np.broadcast_to(model.weights, (samples, *model.weights.shape)).copy()
    for column, estimate in enumerate(model.estimates):
        if estimate.kind == "weight":
            weights[:, estimate.party, estimate.issue] = sampled[:, column]
        elif estimate.kind == "value":
            values[:, estimate.party, estimate.issue, estimate.option] = sampled[:, column]
    base, _ = _capabilities(scenario, space.party_ids)
    caps = np.broadcast_to(base, (samples, len(base))).copy()
    cap_rng = np.random.default_rng(cap_stream)
    for p, estimate in capability_estimates:
        caps[:, p] = estimate.quantile(cap_rng.random(samples))
    return values, weights, caps


def forecast_scenario(scenario: Scenario, space: Space, *, models: Sequence[str] = FORECAST_MODELS,
                      samples: int = 1000, seed: int = 0,
                      disagreement: float = DEFAULT_DISAGREEMENT,
                      smp_parameters: SmpParameters | None = None) -> ScenarioForecast:
    """Forecast every point of ``scenario`` with each model; see the module docstring.

    Parameters
    ----------
    scenario, space
        The negotiation and its compiled Space.
    models
        Any of ``compromise``, ``median``, ``nash``, ``smp``.
    samples
        Draws for the spread where estimates are ranges (0 for none; the SMP uses at
        most 100 of them, as each draw reruns it).
    seed
        Seeds the draws.
    disagreement
        The Nash model's disagreement distance (see :mod:`accord.forecast.nash`).
    smp_parameters
        The SMP's parameters (KTAB's defaults when omitted).
    """
    unknown = [m for m in models if m not in FORECAST_MODELS]
    if unknown:
        raise AnalysisError(f"unknown forecast model(s) {', '.join(unknown)}; expected "
                            f"{', '.join(FORECAST_MODELS)}")
    if not 0 <= samples <= MAX_FORECAST_SAMPLES:
        raise AnalysisError(f"samples must be between 0 and {MAX_FORECAST_SAMPLES}, got {samples}")
    if space.n_parties == 0:
        raise AnalysisError("no party has preferences: there is nothing to forecast from")
    nego = negotiation_problem(scenario, space)
    problem = nego.problem
    draws = _draws(scenario, space, samples, seed) if samples else None
    outcome: list[ModelForecast] = []
    for name in [m for m in FORECAST_MODELS if m in models]:
        run: SmpRun | None = None
        if name == "smp":
            if not MIN_ACTORS <= problem.n_actors <= MAX_ACTORS:
                raise AnalysisError(f"KTAB's Spatial Model of Politics takes {MIN_ACTORS} to "
                                    f"{MAX_ACTORS} parties with preferences; this scenario has "
                                    f"{problem.n_actors} (the other models take any number)")
            run = run_smp(problem, smp_parameters)
            point = run.forecast
        else:
            point = _static(name, problem.positions, problem.saliences, problem.capabilities,
                            disagreement)
        spread = None
        if draws is not None:
            values, weights, caps = draws
            positions = _ideals(values, space, nego.option_positions)
            saliences = _saliences(weights)
            if name == "smp":
                k = min(samples, MAX_SMP_SAMPLES)
                sampled = np.stack([
                    run_smp(SpatialProblem(problem.actors, problem.dimensions, positions[s],
                                           saliences[s], caps[s]), smp_parameters).forecast
                    for s in range(k)])
            else:
                sampled = _static(name, positions, saliences, caps, disagreement)
            spread = (np.nanpercentile(sampled, 5, axis=0), np.nanpercentile(sampled, 95, axis=0))
        outcome.append(_model_forecast(name, scenario, space, nego, point, spread, run))
    option_positions = {issue: dict(zip(nego.option_ids[i], map(float, nego.option_positions[i]),
                                        strict=True))
                        for i, issue in enumerate(space.issue_ids)}
    return ScenarioForecast(
        title=scenario.title, parties=space.party_ids,
        capabilities=dict(zip(space.party_ids, map(float, problem.capabilities), strict=True)),
        capability_basis=nego.capability_basis, equal_capabilities=nego.equal_capabilities,
        samples=samples if draws is not None else 0, seed=seed, models=tuple(outcome),
        option_positions=option_positions)


def _model_forecast(name: str, scenario: Scenario, space: Space, nego: NegotiationProblem,
                    point: FloatArray, spread: tuple[FloatArray, FloatArray] | None,
                    run: SmpRun | None) -> ModelForecast:
    problem = nego.problem
    issues = []
    totals: dict[str, list[float]] = {t: [] for t in space.text_ids}
    for i, issue_id in enumerate(space.issue_ids):
        value = float(point[i])
        known = np.isfinite(value)
        option_positions = nego.option_positions[i]
        nearest = nego.option_ids[i][int(np.argmin(np.abs(option_positions - value)))] if known \
            else None
        texts = []
        for t, text_id in enumerate(space.text_ids):
            o = int(space.texts[t, i])
            if o == UNRESOLVED:
                texts.append(TextDistance(text_id, None, None))
                continue
            distance = abs(float(option_positions[o]) - value) if known else None
            texts.append(TextDistance(text_id, nego.option_ids[i][o], distance))
            if distance is not None:
                totals[text_id].append(distance)
        band = None
        if spread is not None and np.isfinite(spread[0][i]):
            band = (float(spread[0][i]), float(spread[1][i]))
        cares = problem.saliences[:, i] > 0
        issues.append(IssueForecast(
            issue_id, value if known else None, nearest, band,
            {problem.actors[a]: float(problem.positions[a, i]) for a in range(problem.n_actors)
             if cares[a]},
            tuple(texts)))
    mean_distance = {t: (float(np.mean(v)) if v else None) for t, v in totals.items()}
    return ModelForecast(name, MODEL_NAMES[name], tuple(issues), mean_distance, run)
