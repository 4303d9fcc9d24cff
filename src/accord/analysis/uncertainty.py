"""How likely is a deal: Monte Carlo over uncertain preference estimates.

Every uncertain number in a scenario (a weight, an option value or a
reservation value given as a distribution, or a red line with a probability;
see :mod:`accord.model.uncertain`) is an **estimate**.  One sample draws every
estimate once — a complete preference profile — and every text is evaluated
under it, in batch over samples with numpy (Robert & Casella, *Monte Carlo
Statistical Methods*, 2004, ch. 3).

Reproducibility however the work is split: the samples are cut into chunks of
a fixed size (:data:`CHUNK_SIZE`), and chunk ``j`` draws from its own stream
``SeedSequence(seed).spawn(n_chunks)[j]`` (O'Neill, PCG, 2014; numpy's
``SeedSequence``).  A chunk's draws therefore do not depend on which worker —
a thread, a process, a Dask worker — runs it, and the per-chunk tallies
(integer counts, histograms, sums reduced in chunk order) merge to the same
result every time.  At most :data:`WINDOW` chunks are in flight at once, so
memory is bounded by the chunk size, not by the number of samples.

Each estimate takes one uniform draw ``u`` per sample, turned into a value by
the inverse CDF of its distribution (a red line with probability ``p`` is
present when ``u < p``).  Fixing one estimate's ``u`` while the others vary
with the same random numbers is what the one-at-a-time sensitivity analysis
(:mod:`accord.analysis.sensitivity`) does.

Intervals for probabilities are Wilson score intervals (Wilson, 1927; Brown,
Cai & DasGupta, *Statistical Science* 16, 2001, recommend them over the Wald
interval).  "Some acceptable package exists" is settled per sample by cheap
bounds first (a Lagrangian relaxation that is separable by issue, and
candidate packages), and by an exact search (a pruned issue-by-issue merge of
partial utility vectors) for the samples the bounds leave open.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import special

from accord.analysis.limits import check_profile
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, BoolArray, FloatArray, IntArray, Space

if TYPE_CHECKING:
    from accord.model import Scenario

__all__ = [
    "CHUNK_SIZE",
    "WINDOW",
    "ChanceResult",
    "Estimate",
    "PartyChance",
    "Tally",
    "TextChance",
    "UncertainModel",
    "build_model",
    "deal_chances",
    "package_exists",
    "run_chunk",
    "sample_draws",
    "wilson_interval",
]

#: Samples per chunk: part of the definition of the random stream (see the module docstring).
CHUNK_SIZE = 4096
#: Margins (utility − reservation) are tallied in bins of this width over [−1, 1].
MARGIN_BIN = 0.005
_MARGIN_EDGES = np.linspace(-1.0, 1.0, round(2 / MARGIN_BIN) + 1)


# ---------------------------------------------------------------------------
# the model: point arrays plus the list of estimates


@dataclass(frozen=True)
class Estimate:
    """One uncertain number.  ``kind`` is ``weight``, ``value``, ``reservation`` or ``red_line``.

    ``issue`` and ``option`` are -1 where they do not apply.  For a distribution,
    ``shape`` is ``("uniform", low, high)``, ``("triangular", low, mode, high)``
    or ``("normal", mean, sd, low, high)``; for a red line, ``("red_line", p)``.
    """

    kind: str
    party: int
    issue: int
    option: int
    shape: tuple[Any, ...]

    def quantile(self, u: FloatArray) -> FloatArray:
        """The inverse CDF at uniform draws ``u`` (a red line: 1.0 present, 0.0 absent)."""
        name = self.shape[0]
        if name == "uniform":
            low, high = self.shape[1:]
            return low + (high - low) * u
        if name == "triangular":
            low, mode, high = self.shape[1:]
            if high == low:
                return np.full_like(u, low)
            cut = (mode - low) / (high - low)
            left = low + np.sqrt(u * (high - low) * (mode - low))
            right = high - np.sqrt((1 - u) * (high - low) * (high - mode))
            return np.where(u < cut, left, right)
        if name == "normal":
            mean, sd, low, high = self.shape[1:]
            a, b = special.ndtr((low - mean) / sd), special.ndtr((high - mean) / sd)
            return np.clip(mean + sd * special.ndtri(a + u * (b - a)), low, high)
        if name == "red_line":
            return (u < self.shape[1]).astype(np.float64)
        raise ValueError(f"unknown distribution {name!r}")


@dataclass(frozen=True, eq=False)
class UncertainModel:
    """A Space plus what varies: raw (unnormalised) point weights and the estimates.

    ``weights`` are the raw weights (normalised per sample, after drawing);
    ``values``, ``reservation`` and ``red_lines`` hold the point numbers, with
    the certain red lines only.  Picklable, so that it can be shipped to workers.
    """

    space: Space
    weights: FloatArray
    values: FloatArray
    reservation: FloatArray
    red_lines: BoolArray
    estimates: tuple[Estimate, ...]

    @property
    def n_estimates(self) -> int:
        return len(self.estimates)


def build_model(scenario: Scenario, space: Space) -> UncertainModel:
    """Collect every uncertain estimate of ``scenario`` (compiled as ``space``)."""
    from accord.model.uncertain import (
        Triangular,
        TruncatedNormal,
        Uniform,
        point_estimate,
        red_line_chance,
    )

    def shape_of(value: Any) -> tuple[Any, ...] | None:
        if isinstance(value, Uniform):
            return ("uniform", value.low, value.high)
        if isinstance(value, Triangular):
            return ("triangular", value.low, value.mode, value.high)
        if isinstance(value, TruncatedNormal):
            return ("normal", value.mean, value.sd, value.low, value.high)
        return None

    n_parties, n_issues = space.weights.shape
    weights = np.zeros((n_parties, n_issues))
    values = np.array(space.values)
    reservation = np.array(space.reservation)
    red_lines = np.zeros_like(space.red_lines)
    estimates: list[Estimate] = []
    for p, party_id in enumerate(space.party_ids):
        prefs = scenario.preferences[party_id]
        shape = shape_of(prefs.reservation)
        if shape is not None:
            estimates.append(Estimate("reservation", p, -1, -1, shape))
        for issue_id, weight in prefs.weights.items():
            i = space.issue_index(issue_id)
            weights[p, i] = point_estimate(weight)
            shape = shape_of(weight)
            if shape is not None:
                estimates.append(Estimate("weight", p, i, -1, shape))
        for issue_id, table in prefs.values.items():
            i = space.issue_index(issue_id)
            for option_id, value in table.items():
                shape = shape_of(value)
                if shape is not None:
                    estimates.append(Estimate("value", p, i, space.option_index(i, option_id), shape))
        for issue_id, entries in prefs.red_lines.items():
            i = space.issue_index(issue_id)
            for entry in entries:
                option_id, chance = red_line_chance(entry)
                o = space.option_index(i, option_id)
                if chance >= 1.0:
                    red_lines[p, i, o] = True
                elif chance > 0.0:
                    estimates.append(Estimate("red_line", p, i, o, ("red_line", chance)))
    # Raw weights are summed per sample; divide each party's by a power of two near its
    # largest first (exact), so that weights such as 1e308 do not overflow the sum.
    from accord.space import weight_scale

    for p in range(n_parties):
        own = [e for e in estimates if e.kind == "weight" and e.party == p]
        scale = weight_scale([*weights[p], *(abs(x) for e in own for x in e.shape[1:])])
        if scale != 1.0:
            weights[p] /= scale
            estimates = [Estimate(e.kind, e.party, e.issue, e.option,
                                  (e.shape[0], *(x / scale for x in e.shape[1:])))
                         if e.kind == "weight" and e.party == p else e for e in estimates]
    return UncertainModel(space, weights, values, reservation, red_lines, tuple(estimates))


def estimate_label(model: UncertainModel, estimate: Estimate) -> str:
    """``ua reservation``, ``ua weight donetsk``, ``ru value donetsk=hold-line``, …"""
    space = model.space
    party = space.party_ids[estimate.party]
    if estimate.kind == "reservation":
        return f"{party} reservation"
    issue = space.issue_ids[estimate.issue]
    if estimate.kind == "weight":
        return f"{party} weight {issue}"
    option = space.option_ids[estimate.issue][estimate.option]
    if estimate.kind == "value":
        return f"{party} value {issue}={option}"
    return f"{party} red line {issue}={option}"


# ---------------------------------------------------------------------------
# drawing profiles


def sample_draws(model: UncertainModel, rng: np.random.Generator, n: int,
                 fixed: dict[int, float] | None = None) -> FloatArray:
    """``(n, E)`` uniform draws, one per estimate; ``fixed`` pins estimate columns to a ``u``."""
    draws = rng.random((n, model.n_estimates))
    for column, u in (fixed or {}).items():
        draws[:, column] = u
    return draws


@dataclass(frozen=True)
class Profiles:
    """``n`` sampled preference profiles: contribution ``(n,P,I,K)``, red lines, reservation."""

    contribution: FloatArray
    red_lines: BoolArray
    reservation: FloatArray


def profiles(model: UncertainModel, draws: FloatArray) -> Profiles:
    """Turn uniform draws into preference profiles (weights normalised per sample)."""
    check_profile(model.values.shape[0], model.values.shape[1], model.values.shape[2], "sampling")
    n = draws.shape[0]
    weights = np.broadcast_to(model.weights, (n, *model.weights.shape)).copy()
    values = np.broadcast_to(model.values, (n, *model.values.shape)).copy()
    reservation = np.broadcast_to(model.reservation, (n, *model.reservation.shape)).copy()
    red_lines = np.broadcast_to(model.red_lines, (n, *model.red_lines.shape)).copy()
    sampled_all = sampled_estimates(model, draws)
    for column, estimate in enumerate(model.estimates):
        sampled = sampled_all[:, column]
        p, i, o = estimate.party, estimate.issue, estimate.option
        if estimate.kind == "weight":
            weights[:, p, i] = sampled
        elif estimate.kind == "value":
            values[:, p, i, o] = sampled
        elif estimate.kind == "reservation":
            reservation[:, p] = sampled
        else:
            red_lines[:, p, i, o] = sampled > 0.5
    total = weights.sum(axis=2, keepdims=True)
    weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    return Profiles(weights[..., None] * values, red_lines, reservation)


def sampled_estimates(model: UncertainModel, draws: FloatArray, *,
                      in_place: bool = False) -> FloatArray:
    """``(n, E)`` sampled values of every estimate (red lines: 1.0 present, 0.0 absent).

    The same inverse CDFs as :meth:`Estimate.quantile`, applied to whole families
    at once: the uniforms (usually most estimates) as one affine map of every
    column — no column gathers — then the few other columns overwritten.  With
    ``in_place`` the draws are overwritten (no fresh chunk-sized arrays: those
    cost page faults on every chunk).
    """
    low = np.zeros(model.n_estimates)
    scale = np.zeros(model.n_estimates)
    others: dict[str, list[int]] = {}
    for column, estimate in enumerate(model.estimates):
        if estimate.shape[0] == "uniform":
            low[column] = estimate.shape[1]
            scale[column] = estimate.shape[2] - estimate.shape[1]
        else:
            others.setdefault(estimate.shape[0], []).append(column)
    kept = {name: draws[:, columns] for name, columns in others.items()}
    out = draws if in_place else draws.copy()
    out *= scale
    out += low
    for name, columns in others.items():
        u = kept[name]
        params = np.array([model.estimates[c].shape[1:] for c in columns], dtype=float).T
        if name == "triangular":
            lo, mode, high = params
            span = high - lo
            safe = np.where(span > 0, span, 1.0)
            left = lo + np.sqrt(u * span * (mode - lo))
            right = high - np.sqrt((1 - u) * span * (high - mode))
            out[:, columns] = np.where(span > 0, np.where(u < (mode - lo) / safe, left, right), lo)
        elif name == "normal":
            mean, sd, lo, high = params
            a, b = special.ndtr((lo - mean) / sd), special.ndtr((high - mean) / sd)
            out[:, columns] = np.clip(mean + sd * special.ndtri(a + u * (b - a)), lo, high)
        elif name == "red_line":
            out[:, columns] = (u < params[0]).astype(np.float64)
        else:
            raise ValueError(f"unknown distribution {name!r}")
    return out


@dataclass(frozen=True, eq=False)
class _TextPlan:
    """Complete texts' utilities as affine maps of the sampled estimates (no sample axis).

    For party ``p`` and text ``t`` (flattened to column ``p·T + t``):
    ``raw = raw_const + sampled @ raw_matrix`` (Σ_i w_pi v_pi(t_i) with the point values;
    uncertain weights enter linearly), ``total = total_const + sampled @ total_matrix``
    (Σ_i w_pi), ``reservation = res_const + sampled @ res_matrix``, red lines with a
    probability ``sampled @ red_matrix > 0.5``.  Value estimates are the one
    non-linear term (weight × value): ``value_weight`` (a column, or -1 for a
    certain weight ``value_weight_const``) times ``sampled − value_point``,
    spread by ``value_hits``.
    """

    raw_const: FloatArray        # (P·T,)
    raw_matrix: FloatArray       # (E, P·T)
    total_const: FloatArray      # (P,)
    total_matrix: FloatArray     # (E, P)
    res_const: FloatArray        # (P,)
    res_matrix: FloatArray       # (E, P)
    red_const: BoolArray         # (P·T,)
    red_matrix: FloatArray       # (E, P·T)
    value_cols: IntArray         # (E_v,)
    value_weight: IntArray       # (E_v,) column of the weight estimate, or -1
    value_weight_const: FloatArray
    value_point: FloatArray
    value_hits: FloatArray       # (E_v, P·T)


def _text_plan(model: UncertainModel, texts: IntArray) -> _TextPlan:
    space = model.space
    n_parties, n_texts, n_estimates = space.n_parties, len(texts), model.n_estimates
    issue = np.arange(space.n_issues)
    point_values = model.values[:, issue[None, :], texts]                 # (P, T, I)
    weights = model.weights.copy()
    weight_column = -np.ones(weights.shape, dtype=np.int64)
    for column, e in enumerate(model.estimates):
        if e.kind == "weight":
            weights[e.party, e.issue] = 0.0     # enters through the matrix instead
            weight_column[e.party, e.issue] = column
    raw_matrix = np.zeros((n_estimates, n_parties, n_texts))
    total_matrix = np.zeros((n_estimates, n_parties))
    res_const = np.array(model.reservation, dtype=float)
    res_matrix = np.zeros((n_estimates, n_parties))
    red_matrix = np.zeros((n_estimates, n_parties, n_texts))
    value_cols, value_hits = [], []
    for column, e in enumerate(model.estimates):
        if e.kind == "weight":
            raw_matrix[column, e.party] = point_values[e.party, :, e.issue]
            total_matrix[column, e.party] = 1.0
        elif e.kind == "reservation":
            res_const[e.party] = 0.0
            res_matrix[column, e.party] = 1.0
        elif e.kind == "red_line":
            red_matrix[column, e.party] = texts[:, e.issue] == e.option
        else:
            hits = np.zeros((n_parties, n_texts))
            hits[e.party] = texts[:, e.issue] == e.option
            if hits.any():       # only the value estimates some text uses
                value_cols.append(column)
                value_hits.append(hits.ravel())
    vc = np.array(value_cols, dtype=np.int64)
    vp = np.array([model.estimates[c].party for c in vc], dtype=np.int64)
    vi = np.array([model.estimates[c].issue for c in vc], dtype=np.int64)
    vo = np.array([model.estimates[c].option for c in vc], dtype=np.int64)
    return _TextPlan(
        raw_const=np.einsum("pi,pti->pt", weights, point_values).ravel(),
        raw_matrix=raw_matrix.reshape(n_estimates, n_parties * n_texts),
        total_const=weights.sum(axis=1), total_matrix=total_matrix,
        res_const=res_const, res_matrix=res_matrix,
        red_const=model.red_lines[:, issue[None, :], texts].any(axis=2).ravel(),
        red_matrix=red_matrix.reshape(n_estimates, n_parties * n_texts),
        value_cols=vc, value_weight=weight_column[vp, vi], value_weight_const=model.weights[vp, vi],
        value_point=model.values[vp, vi, vo],
        value_hits=np.array(value_hits).reshape(len(vc), n_parties * n_texts))


def complete_text_outcomes(model: UncertainModel, draws: FloatArray, texts: IntArray,
                           plan: _TextPlan | None = None
                           ) -> tuple[BoolArray, BoolArray, FloatArray]:
    """:func:`text_outcomes` for complete texts, without building the ``(n,P,I,K)`` profiles.

    Utility is linear in the values and, before normalisation, in the weights:
    ``u_p(t) = Σ_i w_pi v_pi(t_i) / Σ_i w_pi``, so a chunk is a few matrix
    products of the ``(n, E)`` sampled estimates with matrices built once
    (:class:`_TextPlan`) plus a correction for just the value estimates the texts
    use.  Same numbers as the general path up to floating-point rounding (a test
    checks both paths agree).
    """
    plan = plan or _text_plan(model, texts)
    n = draws.shape[0]  # the draws are overwritten by the sampled values
    n_parties, n_texts = model.space.n_parties, texts.shape[0]
    sampled = sampled_estimates(model, draws, in_place=True)
    raw = sampled @ plan.raw_matrix
    raw += plan.raw_const
    if len(plan.value_cols):
        certain = plan.value_weight < 0
        weight = sampled[:, np.where(certain, 0, plan.value_weight)]
        if certain.any():
            weight[:, certain] = plan.value_weight_const[certain]
        raw += (weight * (sampled[:, plan.value_cols] - plan.value_point)) @ plan.value_hits
    total = sampled @ plan.total_matrix
    total += plan.total_const                                              # (n, P)
    raw = raw.reshape(n, n_parties, n_texts)
    utility = np.divide(raw, total[:, :, None], out=np.zeros_like(raw),
                        where=total[:, :, None] > 0)
    reservation = sampled @ plan.res_matrix
    reservation += plan.res_const
    margin = utility - reservation[:, :, None]
    ok = margin >= -UTILITY_TOLERANCE
    ok &= ~plan.red_const.reshape(n_parties, n_texts)
    if plan.red_matrix.any():
        ok &= (sampled @ plan.red_matrix).reshape(n, n_parties, n_texts) < 0.5
    return ok.transpose(0, 2, 1), ok.transpose(0, 2, 1), margin.transpose(0, 2, 1)


# ---------------------------------------------------------------------------
# evaluating texts per sample


def text_outcomes(space: Space, prof: Profiles,
                  texts: IntArray) -> tuple[BoolArray, BoolArray, FloatArray]:
    """For texts ``(T, I)`` (UNRESOLVED allowed): ``surely``, ``possibly`` ``(n,T,P)`` and margin.

    *surely*: acceptable however the open points close (no red line can be hit
    and the worst completion reaches the reservation value); *possibly*: some
    completion is acceptable to the party.  The margin is the worst
    completion's utility minus the reservation value (exact for a complete text).
    """
    contribution, red_lines = prof.contribution, prof.red_lines
    n, n_parties, n_issues, width = contribution.shape
    n_texts = texts.shape[0]
    resolved = texts != UNRESOLVED                      # (T, I)
    # Gather each text's options from the flattened (issue, option) axis: (n, P, T, I).
    flat = (np.arange(n_issues)[None, :] * width + np.where(resolved, texts, 0)).ravel()
    at_text = np.take(contribution.reshape(n, n_parties, -1), flat, axis=2).reshape(
        n, n_parties, n_texts, n_issues)
    red_at_text = np.take(red_lines.reshape(n, n_parties, -1), flat, axis=2).reshape(
        n, n_parties, n_texts, n_issues)
    if resolved.all():
        utility = at_text.sum(axis=3)                   # (n, P, T)
        hit = red_at_text.any(axis=3)
        low = high = utility
        open_red = np.zeros_like(hit)
    else:
        mask = space.option_mask
        base = np.where(resolved, at_text, 0.0).sum(axis=3)
        hit = (red_at_text & resolved).any(axis=3)
        # open points: worst and best red-line-free options per issue: (n, P, I)
        worst = np.where(mask, contribution, np.inf).min(axis=3)
        best_free = np.where(mask & ~red_lines, contribution, -np.inf).max(axis=3)
        any_red = (red_lines & mask).any(axis=3)
        open_t = (~resolved).astype(float)              # (T, I)
        low = base + np.einsum("npi,ti->npt", worst, open_t)
        high = base + np.einsum("npi,ti->npt",
                                np.where(np.isfinite(best_free), best_free, -10.0), open_t)
        open_red = np.einsum("npi,ti->npt", any_red.astype(float), open_t) > 0
    reservation = prof.reservation[:, :, None]
    surely = ~hit & ~open_red & (low >= reservation - UTILITY_TOLERANCE)
    possibly = ~hit & (high >= reservation - UTILITY_TOLERANCE)
    margin = low - reservation
    return surely.transpose(0, 2, 1), possibly.transpose(0, 2, 1), margin.transpose(0, 2, 1)


# ---------------------------------------------------------------------------
# does some acceptable package exist, per sample


#: Packages that settled recent samples, tried on the next open sample before an exact search.
_RECENT = 32
#: ``engine="auto"``: a chunk with more open samples than this is settled by the compiled
#: kernels.  The flagship leaves about 5% of a 4,096-sample chunk open (~200); the
#: batched numpy search settles those in tens of milliseconds, without the kernels'
#: one-time compilation.  Chosen by measurement (``benchmarks/bench_startup.py``).
EXISTS_COMPILED_ABOVE = 1_000
#: The numpy search compares a partial sum with at most this many others of its sample.
_PRUNE_AGAINST = 48
#: A run of at least this many samples settles existence on the compiled kernels
#: (their one-time compilation is then a small part of a long run).
EXISTS_COMPILED_SAMPLES = 50_000


def _directions(n_parties: int) -> FloatArray:
    """Weightings λ of the parties' margins for the Lagrangian bound (fixed, so deterministic)."""
    if n_parties == 1:
        return np.ones((1, 1))
    if n_parties == 2:
        t = np.linspace(0.0, 1.0, 21)
        return np.stack([t, 1 - t], axis=1)
    rng = np.random.default_rng(20251120)
    corners = np.eye(n_parties)
    return np.vstack([corners, np.full((1, n_parties), 1 / n_parties),
                      rng.dirichlet(np.ones(n_parties), size=32)])


@dataclass(frozen=True)
class ExistsResult:
    """Per sample: does an acceptable package exist, and how that was settled."""

    exists: BoolArray
    by_bound: int       # shown infeasible by a bound (red lines, best option, Lagrangian)
    by_candidate: int   # shown feasible by a candidate package
    exact: int          # needed the exact integer program


def package_exists(space: Space, prof: Profiles,
                   candidates: IntArray | None = None, *, engine: str = "auto") -> ExistsResult:
    """Whether a complete package acceptable to every must-accept party exists, per sample.

    Bounds: a package must avoid every must-accept party's red lines; for any
    λ ≥ 0, ``Σ_p λ_p (u_p(x) − r_p) ≥ 0`` at an acceptable ``x``, and the maximum
    of the left side separates by issue, so ``max < 0`` proves infeasibility
    (Lagrangian relaxation; Fisher, *Management Science* 27, 1981).  The
    maximisers themselves, and ``candidates``, are tried as packages.  Samples
    left open are settled exactly.

    ``engine``: ``"numpy"`` screens with array operations and settles all open
    samples of the chunk together (:func:`_settle_numpy`); ``"compiled"`` uses
    the kernels of :mod:`accord.analysis.kernels` (:func:`~accord.analysis.kernels.screen_existence`,
    then per open sample the packages that settled recent samples and
    :func:`~accord.analysis.kernels.find_acceptable`).  ``"auto"`` (default)
    takes the compiled kernels when they are compiled and cached already
    (``make warm``; :func:`accord.analysis.dominance.kernels_warm`) or when a
    chunk leaves more than :data:`EXISTS_COMPILED_ABOVE` samples open.  The answers are the same; the
    split of the open samples between "by a candidate" and "exact" is the
    engine's (numpy counts every open sample as exact).
    """
    must = np.flatnonzero(space.must_accept)
    contribution = prof.contribution[:, must]                        # (n, M, I, K)
    reservation = prof.reservation[:, must]                          # (n, M)
    allowed = space.option_mask[None] & ~prof.red_lines[:, must].any(axis=1)  # (n, I, K)
    tol = UTILITY_TOLERANCE
    from accord.analysis.dominance import kernels_warm, resolve_engine

    engine = resolve_engine(engine)
    if engine == "auto" and kernels_warm():   # compiled and cached: fast to load, faster to run
        engine = "compiled"
    pool = np.asarray(candidates, dtype=np.int64) if candidates is not None else \
        np.zeros((0, space.n_issues), dtype=np.int64)
    if engine != "compiled":
        decided, exists, by_bound, by_candidate = _screen_numpy(
            contribution, reservation, allowed, _directions(len(must)), pool, tol)
        open_samples = np.flatnonzero(~decided)
        if engine == "numpy" or open_samples.size <= EXISTS_COMPILED_ABOVE:
            exists[open_samples] = _settle_numpy(contribution[open_samples],
                                                 reservation[open_samples],
                                                 allowed[open_samples], tol)
            return ExistsResult(exists, by_bound, by_candidate, int(open_samples.size))
    from accord.analysis.kernels import screen_existence, settle_existence

    contribution = np.ascontiguousarray(contribution)
    reservation = np.ascontiguousarray(reservation)
    allowed = np.ascontiguousarray(allowed)
    decided, exists, by_bound, by_candidate = screen_existence(
        contribution, reservation, allowed, _directions(len(must)), np.ascontiguousarray(pool), tol)
    # The open samples: recent packages first, then the exact search
    # (accord.analysis.kernels.find_acceptable).
    open_samples = np.flatnonzero(~decided)
    exact = 0
    if open_samples.size:
        settled, recent_hits, exact = settle_existence(
            contribution[open_samples], reservation[open_samples], allowed[open_samples], tol,
            _RECENT)
        exists[open_samples] = settled
        by_candidate += int(recent_hits)
    return ExistsResult(exists, by_bound, by_candidate, exact)


def _screen_numpy(contribution: FloatArray, reservation: FloatArray, allowed: BoolArray,
                  directions: FloatArray, pool: IntArray,
                  tol: float) -> tuple[BoolArray, BoolArray, int, int]:
    """:func:`accord.analysis.kernels.screen_existence` with array operations (same answers and counts)."""
    n = contribution.shape[0]
    n_issues = contribution.shape[2]
    decided = np.asarray(~allowed.any(axis=2)).any(axis=1)    # every option of an issue a red line
    masked = np.where(allowed[:, None], contribution, -np.inf)
    with np.errstate(invalid="ignore"):
        best = masked.max(axis=3).sum(axis=2)                  # (n, M)
        decided |= (best < reservation - tol).any(axis=1)
        # (n, I, K, M) @ (M, L): one matrix product instead of an einsum.
        scores = np.ascontiguousarray(contribution.transpose(0, 2, 3, 1)) @ directions.T
        scores = np.where(allowed[..., None], scores, -np.inf)                 # (n, I, K, L)
        bound = scores.max(axis=2).sum(axis=1) - reservation @ directions.T   # (n, L)
        decided |= (bound < -tol).any(axis=1)
    by_bound = int(decided.sum())
    exists = np.zeros(n, dtype=bool)
    issue = np.arange(n_issues)

    def accepted(packages: IntArray) -> BoolArray:
        """``packages`` ``(n, C, I)`` → ``(n, C)``: acceptable to every must-accept party."""
        gathered = np.take_along_axis(
            contribution[:, :, None], packages[:, None, :, :, None], axis=4)[..., 0]  # (n,M,C,I)
        ok_utility = (gathered.sum(axis=3) >= reservation[:, :, None] - tol).all(axis=1)
        ok_red = allowed[np.arange(n)[:, None, None], issue[None, None, :], packages].all(axis=2)
        return np.asarray(ok_utility & ok_red)

    maximisers = scores.argmax(axis=2).transpose(0, 2, 1)                     # (n, L, I)
    hits = accepted(maximisers) & ~decided[:, None]
    found = hits.any(axis=1)
    if len(pool):
        found |= accepted(np.broadcast_to(pool, (n, *pool.shape))).any(axis=1) & ~decided
    exists |= found
    decided |= found
    by_candidate = int(found.sum())
    # The packages that settled other samples of this chunk often settle an open one
    # too (the compiled engine tries the recent ones one sample at a time).
    open_rows = np.flatnonzero(~decided)
    if open_rows.size and hits.any():
        winners, count = np.unique(maximisers[hits], axis=0, return_counts=True)
        shared = winners[np.argsort(-count, kind="stable")[:_RECENT]]
        sub = _screen_accepts(contribution[open_rows], reservation[open_rows],
                              allowed[open_rows], shared, tol)
        exists[open_rows[sub]] = True
        decided[open_rows[sub]] = True
        by_candidate += int(sub.sum())
    return decided, exists, by_bound, by_candidate


def _screen_accepts(contribution: FloatArray, reservation: FloatArray, allowed: BoolArray,
                    packages: IntArray, tol: float) -> BoolArray:
    """Per sample: is one of ``packages`` ``(C, I)`` acceptable to every must-accept party?"""
    issue = np.arange(packages.shape[1])
    utility = contribution[:, :, issue[None, :], packages].sum(axis=3)         # (n, M, C)
    ok = (utility >= reservation[:, :, None] - tol).all(axis=1)
    ok &= allowed[:, issue[None, :], packages].all(axis=2)
    result: BoolArray = ok.any(axis=1)
    return result


def _settle_numpy(contribution: FloatArray, reservation: FloatArray, allowed: BoolArray,
                  tol: float) -> BoolArray:
    """Per sample: is some package acceptable?  Exact; all samples searched together.

    The same pruned issue-by-issue merge as :func:`accord.analysis.kernels.find_acceptable`
    (keep the partial sums that can still reach every reservation value with the
    best remaining options and that no other partial sum *of the same sample*
    weakly dominates; a sample is settled as soon as a partial sum is acceptable
    however the remaining issues close), but one merge step runs for every open
    sample at once, so the number of numpy calls does not grow with the samples.
    """
    n, m, n_issues, _ = contribution.shape
    exists = np.zeros(n, dtype=bool)
    if n == 0:
        return exists
    some: BoolArray = np.asarray(np.asarray(allowed.any(axis=2)).all(axis=1))   # else: no package
    ok = allowed[:, None]
    best = np.where(ok, contribution, -np.inf).max(axis=3)     # (n, M, I)
    worst = np.where(ok, contribution, np.inf).min(axis=3)
    spread = np.where(some[:, None, None], best - worst, 0.0)
    order = np.argsort(-spread.max(axis=1).mean(axis=0), kind="stable")   # widest first (on average)
    best_rest = np.zeros((n, n_issues + 1, m))
    worst_rest = np.zeros((n, n_issues + 1, m))
    for step in range(n_issues - 1, -1, -1):
        best_rest[:, step] = best_rest[:, step + 1] + best[:, :, order[step]]
        worst_rest[:, step] = worst_rest[:, step + 1] + worst[:, :, order[step]]
    sample = np.flatnonzero(some)
    sums = np.zeros((sample.size, m))
    need = reservation - tol
    for step, i in enumerate(order):
        row, option = np.nonzero(allowed[sample, i])
        sample = sample[row]
        sums = sums[row] + contribution[sample, :, i, option]
        reach = (sums + best_rest[sample, step + 1] >= need[sample]).all(axis=1)
        sample, sums = sample[reach], sums[reach]
        sure = (sums + worst_rest[sample, step + 1] >= need[sample]).all(axis=1)
        exists[sample[sure]] = True
        live = ~exists[sample]
        sample, sums = sample[live], sums[live]
        if sample.size == 0:
            break
        sample, sums = _undominated_per_sample(sample, sums)
    return exists


def _undominated_per_sample(sample: IntArray, sums: FloatArray) -> tuple[IntArray, FloatArray]:
    """Drop the rows another row of the same sample weakly dominates (of equal rows, one stays).

    Rows sorted by sample, then by decreasing total: a row is dropped when one of
    the first :data:`_PRUNE_AGAINST` rows of its sample, earlier than it, is
    ``≥`` in every coordinate.  The earliest row of such a chain is never
    dropped, so every dropped row has a dominator that stays.
    """
    order = np.lexsort((-sums.sum(axis=1), sample))
    sample, sums = sample[order], sums[order]
    r = sample.size
    new = np.ones(r, dtype=bool)
    new[1:] = sample[1:] != sample[:-1]
    start = np.maximum.accumulate(np.where(new, np.arange(r), 0))
    # Compared with the first rows of its sample only (the largest totals: the likely
    # dominators).  Pruning less never changes the answer, and it bounds the pairs.
    earlier = np.minimum(np.arange(r) - start, _PRUNE_AGAINST)
    dropped = np.zeros(r, dtype=bool)
    # Pairs (earlier row, row) in chunks of rows, so the pair arrays stay small.
    limit = 1 << 20
    cumulative = np.cumsum(earlier)
    cuts = np.searchsorted(cumulative, np.arange(limit, int(cumulative[-1]), limit), side="right")
    bounds = np.unique(np.concatenate([[0], cuts, [r]]))
    for lo, hi in itertools.pairwise(bounds):
        counts = earlier[lo:hi]
        total = int(counts.sum())
        if total:
            rows = np.repeat(np.arange(lo, hi), counts)
            offsets = np.arange(rows.size) - np.repeat(np.cumsum(counts) - counts, counts)
            others = start[rows] + offsets
            covered = (sums[others] >= sums[rows]).all(axis=1)
            dropped[rows[covered]] = True
    keep = ~dropped
    return sample[keep], sums[keep]


# ---------------------------------------------------------------------------
# chunks, tallies, and the run


@dataclass(frozen=True)
class Tally:
    """What one chunk contributes: integer counts, margin histograms and sums."""

    n: int
    surely: IntArray          # (T, P)
    possibly: IntArray        # (T, P)
    all_accept: IntArray      # (T,)
    margin_sum: FloatArray    # (T, P)
    margin_hist: IntArray     # (T, P, B)
    exists: int = -1          # samples with an acceptable package; -1 when not asked
    by_bound: int = 0
    by_candidate: int = 0
    exact: int = 0
    # The smallest and largest margin seen, (T, P): a quantile read off the histogram is a
    # bin's centre, and clamping it to these makes a margin with no spread read exactly.
    margin_low: FloatArray | None = None
    margin_high: FloatArray | None = None

    def merge(self, other: Tally) -> Tally:
        def bound(mine: FloatArray | None, theirs: FloatArray | None,
                  pick: Callable[[FloatArray, FloatArray], FloatArray]) -> FloatArray | None:
            return None if mine is None or theirs is None else pick(mine, theirs)

        return Tally(
            self.n + other.n, self.surely + other.surely, self.possibly + other.possibly,
            self.all_accept + other.all_accept, self.margin_sum + other.margin_sum,
            self.margin_hist + other.margin_hist,
            -1 if self.exists < 0 else self.exists + other.exists,
            self.by_bound + other.by_bound, self.by_candidate + other.by_candidate,
            self.exact + other.exact,
            bound(self.margin_low, other.margin_low, np.minimum),
            bound(self.margin_high, other.margin_high, np.maximum))


def run_chunk(model: UncertainModel, seed: np.random.SeedSequence, n: int, texts: IntArray,
              any_package: bool, fixed: dict[int, float] | None = None,
              plan: _TextPlan | None = None, engine: str = "auto") -> Tally:
    """Draw ``n`` profiles from ``seed`` and tally the texts (a pure function: ship it anywhere).

    ``plan``: the texts' :class:`_TextPlan`, built once per run rather than per chunk;
    ``engine``: for :func:`package_exists`.
    """
    space = model.space
    rng = np.random.Generator(np.random.PCG64(seed))
    draws = sample_draws(model, rng, n, fixed)
    if not any_package and (texts != UNRESOLVED).all():
        # The fast path: complete texts need no (n, P, I, K) profiles.
        surely, possibly, margin = complete_text_outcomes(model, draws, texts, plan)
        prof = None
    else:
        prof = profiles(model, draws)
        surely, possibly, margin = text_outcomes(space, prof, texts)
    all_accept = surely[:, :, space.must_accept].all(axis=2)
    n_bins = len(_MARGIN_EDGES) - 1
    bins = np.clip(np.floor((margin + 1.0) / MARGIN_BIN).astype(np.int64), 0, n_bins - 1)
    n_texts, n_parties = texts.shape[0], space.n_parties
    cell = (np.arange(n_texts)[:, None] * n_parties + np.arange(n_parties)[None, :]) * n_bins
    hist = np.bincount((bins + cell[None]).ravel(), minlength=n_texts * n_parties * n_bins
                       ).reshape(n_texts, n_parties, n_bins)
    low, high = (margin.min(axis=0), margin.max(axis=0)) if n else (None, None)
    tally = Tally(n, surely.sum(axis=0), possibly.sum(axis=0), all_accept.sum(axis=0),
                  margin.sum(axis=0), hist, margin_low=low, margin_high=high)
    if not any_package:
        return tally
    complete = texts[(texts != UNRESOLVED).all(axis=1)]
    assert prof is not None
    found = package_exists(space, prof, complete, engine=engine)
    return Tally(tally.n, tally.surely, tally.possibly, tally.all_accept, tally.margin_sum,
                 tally.margin_hist, int(found.exists.sum()), found.by_bound, found.by_candidate,
                 found.exact, low, high)


def chunk_plan(samples: int, seed: int) -> list[tuple[np.random.SeedSequence, int]]:
    """The fixed split: ``(seed sequence, size)`` per chunk of :data:`CHUNK_SIZE` samples."""
    n_chunks = max(1, math.ceil(samples / CHUNK_SIZE))
    seeds = np.random.SeedSequence(seed).spawn(n_chunks)
    return [(s, min(CHUNK_SIZE, samples - j * CHUNK_SIZE)) for j, s in enumerate(seeds)]


#: Runs ``run_chunk`` over the plan and yields tallies in plan order.
Mapper = Callable[[Callable[..., Tally], list[tuple[np.random.SeedSequence, int]]], Iterable[Tally]]


def serial_mapper(function: Callable[..., Tally],
                  plan: list[tuple[np.random.SeedSequence, int]]) -> Iterable[Tally]:
    for seed, size in plan:
        yield function(seed, size)


#: Chunks in flight at once on a pool or cluster: finished tallies wait in memory until
#: merged in plan order, so a bounded window keeps memory bounded by the chunk size, not N.
WINDOW = 16


def _windowed(submit: Callable[[np.random.SeedSequence, int], Any],
              plan: list[tuple[np.random.SeedSequence, int]], window: int) -> Iterable[Any]:
    """Submit at most ``window`` chunks ahead; yield their futures in plan order."""
    from collections import deque

    chunks = iter(plan)
    pending: deque[Any] = deque(submit(seed, size) for seed, size in itertools.islice(chunks, window))
    while pending:
        yield pending.popleft()
        following = next(chunks, None)
        if following is not None:
            pending.append(submit(*following))


def thread_mapper(workers: int, window: int = WINDOW) -> Mapper:
    """Chunks on a local thread pool (numpy releases the GIL in the heavy array work)."""
    def mapper(function: Callable[..., Tally],
               plan: list[tuple[np.random.SeedSequence, int]]) -> Iterable[Tally]:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers) as pool:
            for future in _windowed(lambda seed, size: pool.submit(function, seed, size), plan,
                                    max(window, workers)):
                yield future.result()   # in plan order, so the reduction is deterministic
    return mapper


def dask_mapper(client: Any, window: int = WINDOW) -> Mapper:
    """Chunks on a Dask cluster (``distributed.Client``), at most ``window`` in flight, in plan order."""
    def mapper(function: Callable[..., Tally],
               plan: list[tuple[np.random.SeedSequence, int]]) -> Iterable[Tally]:
        # Ship the chunk function (model, texts, plan) once; each task then carries only a
        # reference, a seed and a size, so nothing per task grows with the model.
        [shipped] = client.scatter([function], broadcast=True, hash=False)

        def submit(seed: np.random.SeedSequence, size: int) -> Any:
            return client.submit(_call_shipped, shipped, seed, size, pure=False)

        try:
            for future in _windowed(submit, plan, window):
                yield future.result()
                future.release()
        finally:
            shipped.release()
    return mapper


def _call_shipped(function: Callable[..., Tally], seed: np.random.SeedSequence, n: int) -> Tally:
    return function(seed, n)


@dataclass(frozen=True)
class PartyChance:
    party: int
    p_accept: float             # P(acceptable however open points close)
    interval: tuple[float, float]
    p_possible: float           # P(some completion acceptable to the party)
    margin_mean: float
    margin_quantiles: tuple[float, float, float]  # 5 %, 50 %, 95 % (to MARGIN_BIN)


@dataclass(frozen=True)
class TextChance:
    text: int
    p_all: float                # P(every must-accept party surely accepts)
    interval: tuple[float, float]
    parties: tuple[PartyChance, ...]


@dataclass(frozen=True)
class ChanceResult:
    samples: int
    seed: int
    texts: tuple[TextChance, ...]
    p_any_package: float | None
    any_package_interval: tuple[float, float] | None
    settled_by_bound: int = 0
    settled_by_candidate: int = 0
    exact_checks: int = 0
    estimates: int = 0
    chunks: int = 0
    chunk_size: int = CHUNK_SIZE
    notes: tuple[str, ...] = field(default=())


def wilson_interval(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (95 % by default)."""
    if n == 0:
        return (0.0, 1.0)
    phat = successes / n
    denominator = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denominator
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denominator
    # At 0 or n successes the bound at that end is exactly 0 or 1 in exact arithmetic;
    # in floating point ``centre - half`` leaves noise such as 1.08e-19 there.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return (low, high)


def run_tally(model: UncertainModel, texts: IntArray, samples: int, seed: int, *,
              any_package: bool = False, mapper: Mapper | None = None,
              fixed: dict[int, float] | None = None,
              progress: Callable[[int], None] | None = None) -> Tally:
    """Run every chunk of the plan through ``mapper`` and merge the tallies in plan order."""
    import functools

    if samples < 1:
        raise ValueError("samples must be at least 1")
    plan = chunk_plan(samples, seed)
    text_plan = _text_plan(model, texts) if (texts != UNRESOLVED).all() else None
    # Long runs amortise the compiled existence kernels' one-time compilation; short
    # ones (the demo, a tornado's runs) stay on numpy unless a chunk is hard.
    from accord.analysis.dominance import resolve_engine

    engine: str = resolve_engine("auto")
    if engine == "auto" and any_package and samples >= EXISTS_COMPILED_SAMPLES:
        engine = "compiled"
    function = functools.partial(_chunk_call, model, texts, any_package, fixed, text_plan, engine)
    total: Tally | None = None
    for tally in (mapper or serial_mapper)(function, plan):
        total = tally if total is None else total.merge(tally)
        if progress is not None:
            progress(tally.n)
    assert total is not None
    return total


def _chunk_call(model: UncertainModel, texts: IntArray, any_package: bool,
                fixed: dict[int, float] | None, text_plan: _TextPlan | None, engine: str,
                seed: np.random.SeedSequence, n: int) -> Tally:
    return run_chunk(model, seed, n, texts, any_package, fixed, text_plan, engine)


def deal_chances(model: UncertainModel, text_indices: Sequence[int] | None = None, *,
                 samples: int = 20_000, seed: int = 0, any_package: bool = False,
                 mapper: Mapper | None = None,
                 progress: Callable[[int], None] | None = None) -> ChanceResult:
    """P(acceptable) per text and party, P(deal) per text, margins, and P(some package exists)."""
    space = model.space
    chosen = list(range(len(space.text_ids))) if text_indices is None else list(text_indices)
    texts = space.texts[chosen] if chosen else np.zeros((0, space.n_issues), dtype=np.int64)
    tally = run_tally(model, texts, samples, seed, any_package=any_package, mapper=mapper,
                      progress=progress)
    # Without ranged estimates every sample is the same profile: each probability is
    # exactly 0 or 1 and a sampling interval around it would claim doubt there is none.
    certain = not model.estimates

    def interval(successes: int) -> tuple[float, float]:
        if certain:
            value = successes / tally.n
            return (value, value)
        return wilson_interval(successes, tally.n)

    centres = (_MARGIN_EDGES[:-1] + _MARGIN_EDGES[1:]) / 2
    results = []
    for k, t in enumerate(chosen):
        parties = []
        for p in range(space.n_parties):
            cumulative = np.cumsum(tally.margin_hist[k, p]) / tally.n
            mean = float(tally.margin_sum[k, p] / tally.n)
            # The histogram gives quantiles only to a bin's centre; with one profile
            # the margin is known exactly and every quantile is that one value.  A bin
            # centre is clamped to the margins seen, so that a margin that does not vary
            # reads as itself (-0.21, not the bin centre -0.2075).
            if certain:
                quantiles: tuple[float, ...] = (mean, mean, mean)
            else:
                lowest = -np.inf if tally.margin_low is None else float(tally.margin_low[k, p])
                highest = np.inf if tally.margin_high is None else float(tally.margin_high[k, p])
                quantiles = tuple(
                    float(np.clip(centres[np.searchsorted(cumulative, q)], lowest, highest))
                    for q in (0.05, 0.5, 0.95))
            parties.append(PartyChance(
                p, tally.surely[k, p] / tally.n, interval(int(tally.surely[k, p])),
                tally.possibly[k, p] / tally.n, mean, quantiles))  # type: ignore[arg-type]
        results.append(TextChance(t, tally.all_accept[k] / tally.n,
                                  interval(int(tally.all_accept[k])),
                                  tuple(parties)))
    notes = []
    if not model.estimates:
        notes.append("no ranged estimates: the answer is certain (every probability is 0 or 1)")
    return ChanceResult(
        samples=samples, seed=seed, texts=tuple(results),
        p_any_package=(tally.exists / tally.n) if any_package else None,
        any_package_interval=interval(tally.exists) if any_package else None,
        settled_by_bound=tally.by_bound, settled_by_candidate=tally.by_candidate,
        exact_checks=tally.exact, estimates=model.n_estimates,
        chunks=len(chunk_plan(samples, seed)), notes=tuple(notes))
