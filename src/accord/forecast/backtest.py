"""Backtest of the forecasting models on the DEU III decisions, out of sample.

Every model forecasts every usable DEU III issue (Arregui & Perarnaud 2021;
see :mod:`accord.io.deu3`) from the actors' positions and saliences; the
score is the mean absolute error (MAE) against the recorded outcome on the
0–100 scale.  Parameters are fitted **only** by cross-validation: the
proposals are split into ``folds`` groups (seeded; linked issues of one
proposal always fall in the same fold), each fold is forecast with the
parameters that minimise the MAE on the other folds, and the reported errors
are those out-of-fold forecasts.

The models (each a pure function in :mod:`accord.forecast`):

``compromise``
    The baseline: salience-weighted mean, every actor the same capability
    (Achen 2006; the README's rule, MAE 23.68).  Nothing fitted.
``compromise-cap``
    The compromise model with capabilities ``c_a = g_a^α``, ``g`` the GDP row
    of this copy of the data (a labelled proxy, not part of DEU III; the
    Commission and the Parliament carry Germany's figure there).  ``α`` fitted
    from {0, ¼, ½, ¾, 1} (``α = 0`` is the baseline).
``median``
    The weighted median (Black 1948) with the same capabilities; ``α`` fitted.
``nash``
    Achen's Nash bargaining solution with capabilities ``g^α`` and
    disagreement distance ``D``; both fitted (``D`` from 100 to 500).
``smp``
    KTAB's Spatial Model of Politics with KTAB's default parameters and equal
    capabilities, run to convergence per issue; the forecast is the last
    state's expected outcome.  Nothing fitted.  Issues with fewer than three
    actors with a positive salience (KTAB's minimum) get the compromise.
``combination``
    A least-absolute-deviations combination (the conditional median, R.
    Koenker and G. Bassett, "Regression quantiles", *Econometrica* 46(1),
    1978) of ``compromise-cap``, the actor position nearest to it (outcomes are
    mostly one of the positions on the table) and ``median``; the weights are
    fitted on the training folds.

Variants from the literature on EU decision-making (:mod:`accord.forecast.eu`
has each one's source), each with GDP^α capabilities and its own parameters
fitted in the folds:

``salience``
    salience raised to ``β`` ∈ {0, ½, 1, 1½, 2, 3};
``institutions``
    the Commission's weight, and the Parliament's under codecision and under
    consultation, each a multiple (0–4) of its GDP-row figure;
``reference``
    shrunk toward the reference point by ``λ`` ∈ [0, ½], one ``λ`` under
    qualified majority and one under unanimity (issues without a reference
    point keep the compromise);
``commission``
    shrunk toward the Commission's position by ``λ`` ∈ [0, ½];
``median-mix``
    ``(1 − λ)·compromise + λ·median``, ``λ`` ∈ [0, 1];
``nearest-mix``
    ``(1 − λ)·compromise + λ·(the position taken nearest to it)``, ``λ`` ∈ [0, 1];
``nash-reference``
    Achen's Nash bargaining with the reference point as the disagreement
    point (:func:`accord.forecast.nash.nash_reference_positions`), slack fitted;
    the compromise where no reference point is recorded;
``pce``
    KTAB's probabilistic Condorcet election of the positions on the table,
    once; victory-probability model (Linear, Square, Quartic) and election
    (Conditional, MarkovIncentive) fitted.

``selected``
    Choosing among all the models above is itself a fit: picking the lowest
    MAE among them on the same test folds would be optimistic.  ``selected``
    does it by **nested** cross-validation: in each outer fold, every model is
    refitted on the training folds minus one and scored on that one, in turn
    (the inner folds are the other outer folds); the model with the lowest
    inner error forecasts the outer fold with its parameters fitted on all the
    training folds.  Its MAE is the honest estimate of "pick the best model".

The difference of each model's MAE from the baseline's on the same folds gets
a 95 % interval from a cluster bootstrap over proposals (B. Efron and R.
Tibshirani, *An Introduction to the Bootstrap*, 1993; resampling whole
proposals, as the issues of a proposal are not independent).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from accord.forecast.compromise import compromise_positions
from accord.forecast.eu import (
    condorcet_expected_outcomes,
    institution_weights,
    nearest_position,
    salience_exponent,
    shrink,
)
from accord.forecast.median import weighted_median_positions
from accord.forecast.nash import nash_positions, nash_reference_positions
from accord.forecast.pce import PCEModel, VPModel
from accord.forecast.problem import SpatialProblem
from accord.forecast.smp import MIN_ACTORS, run_smp
from accord.model.spatial import BacktestData
from accord.space import BoolArray, FloatArray, IntArray

__all__ = [
    "BACKTEST_MODELS",
    "MAX_BOOTSTRAP",
    "MAX_FOLDS",
    "BacktestData",
    "BacktestResult",
    "GroupScore",
    "ModelScore",
    "run_backtest",
]

#: Model names, in the order they are reported.
BACKTEST_MODELS = ("compromise", "compromise-cap", "median", "nash", "smp", "combination",
                   "salience", "institutions", "reference", "commission", "median-mix",
                   "nearest-mix", "nash-reference", "pce", "selected")
MODEL_LABELS = {
    "compromise": "compromise (equal capabilities; baseline)",
    "compromise-cap": "compromise, capability = GDP^α",
    "median": "weighted median, capability = GDP^α",
    "nash": "Nash bargaining (Achen), GDP^α, disagreement D",
    "smp": "KTAB SMP, default parameters",
    "combination": "LAD combination: compromise, nearest position, median",
    "salience": "compromise, GDP^α, salience^β",
    "institutions": "compromise, GDP^α, Commission and Parliament (by procedure) weights",
    "reference": "compromise, GDP^α, shrunk toward the reference point (QMV / unanimity)",
    "commission": "compromise, GDP^α, shrunk toward the Commission",
    "median-mix": "compromise and weighted median, convex mix",
    "nearest-mix": "compromise and the nearest position taken, convex mix",
    "nash-reference": "Nash bargaining, reference point as disagreement (Achen)",
    "pce": "KTAB's probabilistic Condorcet election of the positions, once",
    "selected": "the model chosen in each fold, among the others run, by nested CV",
}
MAX_FOLDS = 100
MAX_BOOTSTRAP = 100_000
_ALPHAS = (0.0, 0.25, 0.5, 0.75, 1.0)
_DISAGREEMENTS = (100.0, 125.0, 150.0, 200.0, 300.0, 500.0)
_BETAS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
_INSTITUTION_WEIGHTS = (0.25, 0.5, 1.0, 2.0, 4.0)
_PARLIAMENT_CNS = (0.0, 0.5, 1.0, 2.0)
_SHRINK = tuple(k / 20 for k in range(11))        # 0, 0.05, …, 0.5
_MIX = tuple(k / 10 for k in range(11))           # 0, 0.1, …, 1
_SLACKS = (5.0, 10.0, 20.0, 35.0, 50.0, 75.0, 100.0, 150.0, 200.0, 300.0, 500.0, 1000.0)


@dataclass(frozen=True)
class ModelScore:
    """One model's out-of-sample score.

    ``difference`` is its MAE minus the baseline's (negative = better) and
    ``interval`` the bootstrap 95 % interval of that difference; ``fitted`` lists
    the parameters chosen in each fold.
    """

    model: str
    label: str
    mae: float
    median_error: float
    difference: float
    interval: tuple[float, float]
    fitted: tuple[str, ...]


@dataclass(frozen=True)
class GroupScore:
    """The MAE of every model on the issues of one council, procedure or voting rule."""

    kind: str
    value: str
    n: int
    mae: dict[str, float]


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """Out-of-sample forecasts and scores of every model on the usable issues."""

    n_issues: int
    n_proposals: int
    skipped: tuple[str, ...]
    folds: int
    seed: int
    bootstrap: int
    scores: tuple[ModelScore, ...]
    groups: tuple[GroupScore, ...]
    issues: tuple[str, ...]
    outcomes: FloatArray
    forecasts: FloatArray          # (N, M), models as in ``scores``
    smp_fallbacks: int

    def score(self, model: str) -> ModelScore:
        for s in self.scores:
            if s.model == model:
                return s
        raise KeyError(model)

    @property
    def best(self) -> ModelScore:
        """The single model with the lowest MAE.  Picked by looking at the test folds, so its MAE
        is an optimistic estimate of the choice; :attr:`selection` is the honest one."""
        return min((s for s in self.scores if s.model != "selected"), key=lambda s: s.mae)

    @property
    def selection(self) -> ModelScore | None:
        """The nested-CV selection among the models (None when it was not run)."""
        return next((s for s in self.scores if s.model == "selected"), None)

    @property
    def headline(self) -> ModelScore:
        """The score the goal is judged on: the nested selection when run, else the best model."""
        return self.selection or self.best

    def __repr__(self) -> str:
        return (f"BacktestResult({self.n_issues} issues, {self.folds}-fold CV; baseline MAE "
                f"{self.scores[0].mae:.2f}, best {self.best.model} {self.best.mae:.2f}"
                + ("" if self.selection is None else f", nested selection {self.selection.mae:.2f}")
                + ")")


# ---------------------------------------------------------------------------
# folds and fitting


def _folds(proposals: Sequence[str], folds: int, seed: int) -> IntArray:
    """Fold of each issue: proposals shuffled (seeded), each put in the fold with fewest issues."""
    names, inverse, sizes = np.unique(np.array(proposals), return_inverse=True, return_counts=True)
    order = np.random.default_rng(seed).permutation(len(names))
    load = np.zeros(folds, dtype=np.int64)
    fold_of = np.zeros(len(names), dtype=np.int64)
    for g in order:
        k = int(np.argmin(load))
        fold_of[g] = k
        load[k] += sizes[g]
    return fold_of[inverse]


def _lad(features: FloatArray, target: FloatArray) -> FloatArray:
    """Least-absolute-deviations weights (no intercept), by linear programming."""
    from scipy import sparse
    from scipy.optimize import linprog

    n, k = features.shape
    cost = np.concatenate([np.zeros(k), np.ones(2 * n)])
    identity = sparse.identity(n, format="csr")
    equality = sparse.hstack([sparse.csr_matrix(features), identity, -identity], format="csr")
    bounds = [(None, None)] * k + [(0, None)] * (2 * n)
    solution = linprog(cost, A_eq=equality, b_eq=target, bounds=bounds, method="highs")
    if not solution.success:
        raise ArithmeticError(f"the LAD fit failed: {solution.message}")
    return np.asarray(solution.x[:k])


def _nearest_position(forecast: FloatArray, positions: FloatArray) -> FloatArray:
    gap = np.abs(positions - forecast[:, None])
    gap = np.where(np.isnan(gap), np.inf, gap)
    rows = np.arange(len(forecast))
    return positions[rows, np.argmin(gap, axis=1)]


def _smp_forecasts(data: BacktestData,
                   progress: Callable[[int, int], None] | None) -> tuple[FloatArray, int]:
    n = len(data.issues)
    out = np.full(n, np.nan)
    fallbacks = 0
    baseline = compromise_positions(data.positions, data.saliences)
    for row in range(n):
        keep = ~np.isnan(data.positions[row]) & (data.saliences[row] > 0)
        if keep.sum() < MIN_ACTORS:
            out[row] = baseline[row]
            fallbacks += 1
        else:
            actors = tuple(np.array(data.actors)[keep])
            problem = SpatialProblem(actors, ("issue",), data.positions[row, keep][:, None],
                                     data.saliences[row, keep][:, None], np.ones(int(keep.sum())))
            out[row] = run_smp(problem).forecast[0]
        if progress is not None:
            progress(row + 1, n)
    return out, fallbacks


# A model as the backtest sees it: given the training issues (a mask), its
# forecast of every issue and a short description of what it fitted.  Only
# the training issues' outcomes may be read.
_Fit = Callable[[BoolArray], tuple[FloatArray, str]]


def _grid(candidates: dict[str, FloatArray], y: FloatArray) -> _Fit:
    """A model fitted by picking, among named candidate forecasts, the best on the training issues
    (the first one in order on a tie)."""
    names = list(candidates)
    stack = np.stack([candidates[k] for k in names])
    errors = np.abs(stack - y[None, :])

    def fit(train: BoolArray) -> tuple[FloatArray, str]:
        k = int(np.argmin(errors[:, train].mean(axis=1)))
        return stack[k], names[k]

    return fit


def _fixed(forecast: FloatArray) -> _Fit:
    return lambda train: (forecast, "")


def _label(**values: float) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in values.items())


def _model_fits(data: BacktestData, chosen: Sequence[str], smp: FloatArray | None) -> dict[str, _Fit]:
    """Each chosen model as a fitting function; every candidate forecast is computed once."""
    x, s, y = data.positions, data.saliences, data.outcomes
    base = data.capability_base
    weights = {a: s * base[None, :] ** a for a in _ALPHAS}
    comp = {a: compromise_positions(x, weights[a]) for a in _ALPHAS}
    median = {a: weighted_median_positions(x, weights[a]) for a in _ALPHAS}
    reference = (np.full(len(y), np.nan) if data.reference_points is None
                 else np.asarray(data.reference_points, dtype=np.float64))
    unanimity = np.array([rule.lower().startswith("unan") for rule in data.voting_rules])
    codecision = np.array([p.upper() == "COD" for p in data.procedures])
    fits: dict[str, _Fit] = {"compromise": _fixed(comp[0.0])}
    if "compromise-cap" in chosen:
        fits["compromise-cap"] = _grid({_label(α=a): comp[a] for a in _ALPHAS}, y)
    if "median" in chosen:
        fits["median"] = _grid({_label(α=a): median[a] for a in _ALPHAS}, y)
    if "nash" in chosen:
        fits["nash"] = _grid({_label(α=a, D=d): nash_positions(x, weights[a], disagreement=d)
                              for a in _ALPHAS for d in _DISAGREEMENTS}, y)
    if "smp" in chosen and smp is not None:
        fits["smp"] = _fixed(smp)
    if "combination" in chosen:
        pick_alpha = _grid({str(a): comp[a] for a in _ALPHAS}, y)

        def combination(train: BoolArray) -> tuple[FloatArray, str]:
            alpha = float(pick_alpha(train)[1])
            features = np.stack([comp[alpha], _nearest_position(comp[alpha], x), median[alpha]],
                                axis=1)
            beta = _lad(features[train], y[train])
            return features @ beta, f"α={alpha:g}, w=({', '.join(f'{b:.2f}' for b in beta)})"

        fits["combination"] = combination
    if "salience" in chosen:
        fits["salience"] = _grid({_label(α=a, β=b): salience_exponent(x, s, base ** a, beta=b)
                                  for a in _ALPHAS for b in _BETAS}, y)
    if "institutions" in chosen:
        fits["institutions"] = _grid({
            _label(α=a, com=c, ep_cod=e, ep_cns=n): compromise_positions(
                x, s * institution_weights(base ** a, codecision, commission=c, parliament_cod=e,
                                           parliament_cns=n))
            for a in _ALPHAS[1:4] for c in _INSTITUTION_WEIGHTS for e in (0.0, *_INSTITUTION_WEIGHTS)
            for n in _PARLIAMENT_CNS}, y)
    if "reference" in chosen:
        fits["reference"] = _grid({
            _label(α=a, λ_qmv=q, λ_unan=u): shrink(comp[a], reference, np.where(unanimity, u, q))
            for a in _ALPHAS for q in _SHRINK for u in _SHRINK}, y)
    if "commission" in chosen:
        fits["commission"] = _grid({_label(α=a, λ=lam): shrink(comp[a], x[:, 0], lam)
                                    for a in _ALPHAS for lam in _SHRINK}, y)
    if "median-mix" in chosen:
        fits["median-mix"] = _grid({_label(α=a, λ=lam): shrink(comp[a], median[a], lam)
                                    for a in _ALPHAS for lam in _MIX}, y)
    if "nearest-mix" in chosen:
        fits["nearest-mix"] = _grid({_label(α=a, λ=lam): shrink(comp[a], nearest_position(comp[a], x, s),
                                                                 lam)
                                     for a in _ALPHAS for lam in _MIX}, y)
    if "nash-reference" in chosen:
        fits["nash-reference"] = _grid({
            _label(α=a, slack=d): np.where(np.isnan(reference), comp[a],
                                           nash_reference_positions(x, weights[a], reference, slack=d))
            for a in _ALPHAS for d in _SLACKS}, y)
    if "pce" in chosen:
        pairs = [(vp, model) for vp in (VPModel.LINEAR, VPModel.SQUARE, VPModel.QUARTIC)
                 for model in (PCEModel.CONDITIONAL, PCEModel.MARKOV_INCENTIVE)]
        candidates = {}
        for a in _ALPHAS:
            outcomes = condorcet_expected_outcomes(x, weights[a], pairs)
            for (vp, model), forecast in zip(pairs, outcomes, strict=True):
                candidates[f"{_label(α=a)}, {vp.value}, {model.value}"] = forecast
        fits["pce"] = _grid(candidates, y)
    return fits


def run_backtest(data: BacktestData, *, folds: int = 10, seed: int = 0, bootstrap: int = 2000,
                 models: Sequence[str] = BACKTEST_MODELS, skipped: Sequence[str] = (),
                 progress: Callable[[int, int], None] | None = None) -> BacktestResult:
    """Cross-validated forecasts of every model; see the module docstring.

    Parameters
    ----------
    data
        The issues (:func:`accord.forecast.backtest_data` builds them from DEU III).
    folds
        Number of cross-validation folds (2 to 100), grouped by proposal.
    seed
        Seeds the fold assignment and the bootstrap.
    bootstrap
        Bootstrap resamples for the intervals (0 for none; at most 100 000).
    models
        The models to run; the baseline ``compromise`` is always included.
        ``selected`` chooses, in each outer fold, among the other models run
        here, by an inner cross-validation on the training folds only (it needs
        3 folds or more and is left out with 2).
    skipped
        Issue ids left out of the data (reported as such).
    progress
        Called as ``progress(done, total)`` while the SMP runs (the slow part).
    """
    unknown = [m for m in models if m not in BACKTEST_MODELS]
    if unknown:
        raise ValueError(f"unknown model(s) {', '.join(unknown)}; expected {', '.join(BACKTEST_MODELS)}")
    chosen = [m for m in BACKTEST_MODELS if m in models or m == "compromise"]
    n_groups = len(set(data.proposals))
    if not 2 <= folds <= min(MAX_FOLDS, n_groups):
        raise ValueError(f"folds must be between 2 and {min(MAX_FOLDS, n_groups)} (the number of "
                         f"proposals), got {folds}")
    if not 0 <= bootstrap <= MAX_BOOTSTRAP:
        raise ValueError(f"bootstrap must be between 0 and {MAX_BOOTSTRAP}, got {bootstrap}")
    if folds < 3 and "selected" in chosen:
        chosen.remove("selected")  # an inner CV needs two folds besides the test fold
    y = data.outcomes
    fold = _folds(data.proposals, folds, seed)
    smp_fallbacks = 0
    smp = None
    if "smp" in chosen:
        smp, smp_fallbacks = _smp_forecasts(data, progress)
    fits = _model_fits(data, chosen, smp)
    cache: dict[tuple[str, bytes], tuple[FloatArray, str]] = {}

    def fitted_on(m: str, train: BoolArray) -> tuple[FloatArray, str]:
        # The inner fits for (k, j) and (j, k) train on the same issues: fit once.
        key = (m, np.packbits(train).tobytes())
        if key not in cache:
            cache[key] = fits[m](train)
        return cache[key]

    forecasts = {m: np.full(len(y), np.nan) for m in chosen}
    fitted: dict[str, list[str]] = {m: [] for m in chosen}
    for k in range(folds):
        train, test = fold != k, fold == k
        for m in fits:
            forecast, label = fitted_on(m, train)
            forecasts[m][test] = forecast[test]
            if m != "compromise" and label:
                fitted[m].append(label)
        if "selected" in chosen:
            # Nested CV: the inner folds are the other outer folds; each candidate model is
            # refitted without the inner test fold and scored on it, never seeing fold k.
            inner_error = dict.fromkeys(fits, 0.0)
            for j in range(folds):
                if j == k:
                    continue
                inner_train, inner_test = train & (fold != j), fold == j
                for m in fits:
                    inner_error[m] += float(np.abs(fitted_on(m, inner_train)[0][inner_test]
                                                   - y[inner_test]).sum())
            best = min(fits, key=lambda m: inner_error[m])
            forecasts["selected"][test] = forecasts[best][test]
            fitted["selected"].append(best)

    errors = {m: np.abs(forecasts[m] - y) for m in chosen}
    proposals = np.array(data.proposals)
    _, cluster = np.unique(proposals, return_inverse=True)
    rng = np.random.default_rng(seed + 1)
    draws = rng.integers(0, n_groups, size=(bootstrap, n_groups)) if bootstrap else None
    scores = []
    for m in chosen:
        diff = errors[m] - errors["compromise"]
        interval = _cluster_interval(diff, cluster, n_groups, draws)
        scores.append(ModelScore(m, MODEL_LABELS[m], float(errors[m].mean()),
                                 float(np.median(errors[m])), float(diff.mean()), interval,
                                 tuple(fitted[m])))
    groups = []
    for kind, labels in (("council", data.councils), ("procedure", data.procedures),
                         ("voting rule", data.voting_rules)):
        values = np.array(labels)
        for value in sorted(set(labels), key=lambda v: (-int((values == v).sum()), v)):
            rows = values == value
            groups.append(GroupScore(kind, value, int(rows.sum()),
                                     {m: float(errors[m][rows].mean()) for m in chosen}))
    return BacktestResult(
        n_issues=len(y), n_proposals=n_groups, skipped=tuple(skipped), folds=folds, seed=seed,
        bootstrap=bootstrap, scores=tuple(scores), groups=tuple(groups), issues=data.issues,
        outcomes=y, forecasts=np.stack([forecasts[m] for m in chosen], axis=1),
        smp_fallbacks=smp_fallbacks)


def _cluster_interval(diff: FloatArray, cluster: IntArray, n_groups: int,
                      draws: IntArray | None) -> tuple[float, float]:
    if draws is None or not np.any(diff):
        return (float(diff.mean()), float(diff.mean()))
    sums = np.bincount(cluster, weights=diff, minlength=n_groups)
    counts = np.bincount(cluster, minlength=n_groups).astype(np.float64)
    means = sums[draws].sum(axis=1) / counts[draws].sum(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return (float(low), float(high))
