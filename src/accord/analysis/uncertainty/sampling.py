"""Drawing preference profiles, and the texts' outcomes under them.

The samples are cut into chunks of :data:`CHUNK_SIZE`; chunk ``j`` draws from
``SeedSequence(seed).spawn(n_chunks)[j]`` (:func:`chunk_plan`), so a chunk's
draws do not depend on which worker runs it.  Each estimate takes one uniform
draw per sample, turned into a value by its inverse CDF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from accord.analysis.limits import check_profile
from accord.analysis.uncertainty.model import UncertainModel
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, BoolArray, FloatArray, IntArray, Space

__all__ = ["CHUNK_SIZE", "Profiles", "chunk_plan", "complete_text_outcomes", "profiles",
           "sample_draws", "sampled_estimates", "text_outcomes"]

#: Samples per chunk: part of the definition of the random stream (see the module docstring).
CHUNK_SIZE = 4096


def chunk_plan(samples: int, seed: int) -> list[tuple[np.random.SeedSequence, int]]:
    """The fixed split: ``(seed sequence, size)`` per chunk of :data:`CHUNK_SIZE` samples."""
    n_chunks = max(1, math.ceil(samples / CHUNK_SIZE))
    seeds = np.random.SeedSequence(seed).spawn(n_chunks)
    return [(s, min(CHUNK_SIZE, samples - j * CHUNK_SIZE)) for j, s in enumerate(seeds)]


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
    return profiles_from_sampled(model, sampled_estimates(model, draws))


def profiles_from_sampled(model: UncertainModel, sampled_all: FloatArray) -> Profiles:
    """:func:`profiles` from the sampled estimates (:func:`sampled_estimates`), left unchanged."""
    check_profile(model.values.shape[0], model.values.shape[1], model.values.shape[2], "sampling")
    n = sampled_all.shape[0]
    weights = np.broadcast_to(model.weights, (n, *model.weights.shape)).copy()
    reservation = np.broadcast_to(model.reservation, (n, *model.reservation.shape)).copy()
    red_lines = np.broadcast_to(model.red_lines, (n, *model.red_lines.shape)).copy()
    value_columns = []
    for column, estimate in enumerate(model.estimates):
        sampled = sampled_all[:, column]
        p, i, o = estimate.party, estimate.issue, estimate.option
        if estimate.kind == "weight":
            weights[:, p, i] = sampled
        elif estimate.kind == "value":
            value_columns.append(column)
        elif estimate.kind == "reservation":
            reservation[:, p] = sampled
        else:
            red_lines[:, p, i, o] = sampled > 0.5
    total = weights.sum(axis=2, keepdims=True)
    weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    # The product with the point values is made once, straight into the (n, P, I, K)
    # array, and only the sampled values are overwritten: no sample-sized copy of the
    # values (each entry is still the one product w·v, so the numbers are unchanged).
    contribution = weights[..., None] * model.values
    for column in value_columns:
        e = model.estimates[column]
        contribution[:, e.party, e.issue, e.option] = weights[:, e.party, e.issue] * sampled_all[:, column]
    return Profiles(contribution, red_lines, reservation)


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
    #: With interaction terms or conditional red lines: the term part of each utility and
    #: the forbidden pairs hit, constants per (party, text) (certain: see utility.md).
    term_offset: FloatArray | None = None    # (P, T)
    pair_refused: BoolArray | None = None    # (P, T)


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
    term_offset = pair_refused = None
    if not space.is_additive:
        from accord.analysis.uncertainty.terms import term_constants

        offset, refused = term_constants(space, texts)
        term_offset, pair_refused = offset.T.copy(), refused.T.copy()
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
        value_hits=np.array(value_hits).reshape(len(vc), n_parties * n_texts),
        term_offset=term_offset, pair_refused=pair_refused)


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
    return complete_outcomes_from_sampled(model, sampled_estimates(model, draws, in_place=True),
                                          texts, plan)


def complete_outcomes_from_sampled(model: UncertainModel, sampled: FloatArray, texts: IntArray,
                                   plan: _TextPlan | None = None
                                   ) -> tuple[BoolArray, BoolArray, FloatArray]:
    """:func:`complete_text_outcomes` from the sampled estimates (left unchanged)."""
    plan = plan or _text_plan(model, texts)
    n = sampled.shape[0]
    n_parties, n_texts = model.space.n_parties, texts.shape[0]
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
    if plan.term_offset is not None:
        utility += plan.term_offset
    reservation = sampled @ plan.res_matrix
    reservation += plan.res_const
    margin = utility - reservation[:, :, None]
    ok = margin >= -UTILITY_TOLERANCE
    ok &= ~plan.red_const.reshape(n_parties, n_texts)
    if plan.red_matrix.any():
        ok &= (sampled @ plan.red_matrix).reshape(n, n_parties, n_texts) < 0.5
    if plan.pair_refused is not None:
        ok &= ~plan.pair_refused
    return ok.transpose(0, 2, 1), ok.transpose(0, 2, 1), margin.transpose(0, 2, 1)


# evaluating texts per sample


def text_outcomes(space: Space, prof: Profiles,
                  texts: IntArray) -> tuple[BoolArray, BoolArray, FloatArray]:
    """For texts ``(T, I)`` (UNRESOLVED allowed): ``surely``, ``possibly`` ``(n,T,P)`` and margin.

    *surely*: acceptable however the open points close (no red line can be hit
    and the worst completion reaches the reservation value); *possibly*: some
    completion is acceptable to the party.  The margin is the worst
    completion's utility minus the reservation value (exact for a complete text).

    With interaction terms or conditional red lines (``not space.is_additive``)
    the extremes are not found point by point, and every completion is
    evaluated instead (:func:`accord.analysis.uncertainty.terms.term_text_outcomes`).
    """
    if not space.is_additive:
        from accord.analysis.uncertainty.terms import term_text_outcomes

        return term_text_outcomes(space, prof.contribution, prof.red_lines, prof.reservation,
                                  texts)
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
        base = np.where(resolved, at_text, 0.0).sum(axis=3)
        hit = (red_at_text & resolved).any(axis=3)
        # Open points: the worst and the best red-line-free option of each issue some
        # text leaves open, (n, P, I_open).  A running minimum over the option slices:
        # numpy reduces a short last axis far slower than it combines whole slices.
        open_issues = np.flatnonzero((~resolved).any(axis=0))
        mask = space.option_mask[open_issues]                    # (I_open, K)
        part = contribution[:, :, open_issues]
        red = red_lines[:, :, open_issues]
        shape = part.shape[:3]
        worst = np.full(shape, np.inf)
        best_free = np.full(shape, -np.inf)
        any_red = np.zeros(shape, dtype=bool)
        for k in range(width):
            present = mask[:, k]
            if not present.any():
                continue
            column = part[..., k]
            np.minimum(worst, np.where(present, column, np.inf), out=worst)
            free = present & ~red[..., k]
            np.maximum(best_free, np.where(free, column, -np.inf), out=best_free)
            any_red |= present & red[..., k]
        open_t = (~resolved[:, open_issues]).astype(float)      # (T, I_open)
        low = base + np.einsum("npi,ti->npt", worst, open_t)
        high = base + np.einsum("npi,ti->npt",
                                np.where(np.isfinite(best_free), best_free, -10.0), open_t)
        open_red = np.einsum("npi,ti->npt", any_red.astype(float), open_t) > 0
    reservation = prof.reservation[:, :, None]
    surely = ~hit & ~open_red & (low >= reservation - UTILITY_TOLERANCE)
    possibly = ~hit & (high >= reservation - UTILITY_TOLERANCE)
    margin = low - reservation
    return surely.transpose(0, 2, 1), possibly.transpose(0, 2, 1), margin.transpose(0, 2, 1)
