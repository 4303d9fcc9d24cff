"""Which estimates the deal probability hinges on: a one-at-a-time tornado.

For each uncertain estimate, the deal probabilities are recomputed twice with
that estimate pinned — at its 5th and at its 95th percentile (a red line with
a probability: absent, then present) — while every other estimate varies as
before.  The difference between the two is the estimate's *swing*; ranked by
swing, the estimates form a tornado diagram (Howard, "Decision analysis:
practice and promise", *Management Science* 34, 1988; Eschenbach, *Interfaces*
22, 1992).

All runs share the same random numbers (common random numbers: the pinned
column is overwritten, every other draw is identical), so a swing measures the
estimate's effect and not sampling noise between two independent runs.  A
one-at-a-time analysis misses interactions between estimates.

Variance-based indices (:func:`sobol_indices`, which needs SALib: from the accord
checkout, ``pip install -e '.[sensitivity]'``) see them: for the event "every
must-accept party accepts text t" (or "some acceptable package exists"), with
indicator ``Y``, the first-order index of estimate ``i`` is ``S_i = Var(E[Y | X_i]) /
Var(Y)`` — the share of the uncertainty about the deal
that learning ``X_i`` alone would remove — and the total index ``ST_i =
E[Var(Y | X_~i)] / Var(Y)`` includes its interactions (Sobol', *Mathematics and
Computers in Simulation* 55, 2001; estimators of Saltelli et al., *Computer
Physics Communications* 181, 2010, and Jansen, 1999, as implemented by SALib;
Herman & Usher, *JOSS* 2, 2017).  The inputs are the estimates' uniform draws,
turned into values by their inverse CDFs, so the indices are those of the
estimates themselves.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord._repr import short_repr
from accord.analysis.uncertainty import (
    CHUNK_SIZE,
    EXISTS_COMPILED_SAMPLES,
    Estimate,
    Mapper,
    Profiles,
    UncertainModel,
    _text_plan,
    chunk_plan,
    complete_text_outcomes,
    estimate_label,
    package_exists,
    profiles,
    run_tally,
    sample_draws,
    sampled_estimates,
    text_outcomes,
)
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, BoolArray, FloatArray, IntArray

__all__ = ["HIGH_QUANTILE", "LOW_QUANTILE", "EstimateEffect", "SobolEffect", "SobolResult",
           "Tornado", "deal_outcomes", "salib_available", "sobol_indices", "tornado"]

LOW_QUANTILE = 0.05
HIGH_QUANTILE = 0.95


@short_repr(fields=("estimate", "label", "p_low", "p_high"))
@dataclass(frozen=True)
class EstimateEffect:
    """Deal probabilities with one estimate pinned low and high (one entry per target)."""

    estimate: int
    label: str
    low_setting: float        # the estimate's value when pinned low (red line: 0 = absent)
    high_setting: float
    p_low: tuple[float, ...]
    p_high: tuple[float, ...]

    @property
    def swings(self) -> tuple[float, ...]:
        return tuple(abs(h - lo) for lo, h in zip(self.p_low, self.p_high, strict=True))

    @property
    def swing(self) -> float:
        """The largest swing over the targets (what the ranking uses)."""
        return max(self.swings, default=0.0)


@short_repr(fields=("samples", "seed", "texts", "any_package", "base", "effects"),
            extra=lambda t: {"largest": t.effects[0].label if t.effects else None})
@dataclass(frozen=True)
class Tornado:
    """Targets are texts (P(every must-accept party accepts)) and, last, P(some package exists)."""

    samples: int
    seed: int
    texts: tuple[int, ...]
    any_package: bool
    base: tuple[float, ...]
    effects: tuple[EstimateEffect, ...]   # ranked, largest swing first

    @property
    def targets(self) -> int:
        return len(self.base)


#: ``progress(done, total)``: sample-runs done so far, of ``total`` (see :func:`tornado`).
Progress = Callable[[int, int], None]

#: How each kind of estimate moves a party's acceptance (see :func:`_shared_chunk`): +1 a
#: larger value can only help (an option's value), -1 it can only hurt (a reservation value;
#: a red line, 1 = present).  A weight's way depends on the sample (:func:`_weight_directions`).
_DIRECTION = {"value": 1.0, "reservation": -1.0, "red_line": -1.0}


def tornado(model: UncertainModel, texts: str | int | Sequence[str | int] | None = None, *,
            samples: int = 4096, seed: int = 0, any_package: bool = True,
            mapper: Mapper | None = None, progress: Progress | None = None,
            method: str = "shared") -> Tornado:
    """Rank the estimates by how far pinning each one low vs high moves the deal probabilities.

    ``method="shared"`` (default) draws every chunk of samples once and derives each
    pinned run from it, re-deciding only what the pinned estimate can change
    (:func:`_shared_chunk`); ``method="rerun"`` reruns
    :func:`~accord.analysis.uncertainty.run_tally` once per setting — the original
    algorithm, kept as the reference that the tests and
    ``benchmarks/bench_sensitivity.py`` compare with.  Both read the same draws
    (chunk ``j`` from stream ``j`` of ``seed``, the pinned column overwritten) and
    decide every sample exactly, so they return the same probabilities.

    ``texts`` are the texts whose deal probability is a target, by id or index (a
    single one, or several; default: every text, in file order).

    ``progress(done, total)``, when given, is called as the work advances; the unit
    is a sample-run (each of the ``2·E + 1`` settings costs ``samples`` of them), so
    ``total = samples · (2·E + 1)`` and a bar moves even when there is one chunk.

    Raises
    ------
    UnknownIdError
        When one of ``texts`` names no text.
    ValueError
        When ``method`` is unknown or ``samples`` is below 1.
    """
    if method not in ("shared", "rerun"):
        raise ValueError(f"method must be 'shared' or 'rerun', got {method!r}")
    if samples < 1:
        raise ValueError("samples must be at least 1")
    space = model.space
    chosen = _chosen_texts(model, texts)
    packages = space.texts[chosen] if chosen else np.zeros((0, space.n_issues), dtype=np.int64)
    settings: list[tuple[int, float]] = []
    values = []
    for column, estimate in enumerate(model.estimates):
        if estimate.kind == "red_line":
            low_u, high_u = 1.0, 0.0      # absent, present
        else:
            low_u, high_u = LOW_QUANTILE, HIGH_QUANTILE
        settings += [(column, low_u), (column, high_u)]
        values.append(estimate.quantile(np.array([low_u, high_u])))
    run = _rerun_counts if method == "rerun" else _shared_counts
    counts = run(model, packages, samples, seed, any_package, mapper, settings, progress)
    p = [tuple(float(x) for x in row / samples) for row in counts]
    effects = [EstimateEffect(column, estimate_label(model, estimate), float(values[column][0]),
                              float(values[column][1]), p[1 + 2 * column], p[2 + 2 * column])
               for column, estimate in enumerate(model.estimates)]
    effects.sort(key=lambda effect: (-effect.swing, effect.estimate))
    return Tornado(samples, seed, tuple(chosen), any_package, p[0], tuple(effects))


def _chosen_texts(model: UncertainModel, texts: str | int | Sequence[str | int] | None
                  ) -> list[int]:
    """Indices of ``texts`` (ids or indices, through the Space's resolver); every text for None."""
    chosen = model.space.text_indices(texts)
    return list(range(len(model.space.text_ids))) if chosen is None else chosen


def _rerun_counts(model: UncertainModel, texts: IntArray, samples: int, seed: int,
                  any_package: bool, mapper: Mapper | None, settings: list[tuple[int, float]],
                  progress: Progress | None) -> IntArray:
    """``(1 + S, targets)`` counts: one full :func:`run_tally` per setting (the reference)."""
    rows = []
    total = samples * (len(settings) + 1)
    for k, fixed in enumerate([None, *({column: u} for column, u in settings)]):
        tally = run_tally(model, texts, samples, seed, any_package=any_package, mapper=mapper,
                          fixed=fixed)
        rows.append([*tally.all_accept, *([tally.exists] if any_package else [])])
        if progress is not None:
            progress(samples * (k + 1), total)
    return np.array(rows, dtype=np.int64).reshape(len(settings) + 1, -1)


def _shared_counts(model: UncertainModel, texts: IntArray, samples: int, seed: int,
                   any_package: bool, mapper: Mapper | None, settings: list[tuple[int, float]],
                   progress: Progress | None) -> IntArray:
    """``(1 + S, targets)`` counts, every setting of a chunk derived from its one draw."""
    from accord.analysis.dominance import kernels_warm, resolve_engine

    plan = chunk_plan(samples, seed)
    engine: str = resolve_engine("auto")
    if engine == "auto":
        # run_tally's rule, with one difference: the rows searched again are the hard
        # ones, so "auto" would often see more than EXISTS_COMPILED_ABOVE open samples
        # in them and compile the kernels (seconds) in the middle of a short run.
        # Same answers on every engine; only the time differs.
        long_run = any_package and samples >= EXISTS_COMPILED_SAMPLES
        engine = "compiled" if long_run or kernels_warm() else "numpy"
    total = samples * (len(settings) + 1)
    done = 0
    counts = np.zeros((len(settings) + 1, len(texts) + int(any_package)), dtype=np.int64)
    if mapper is None:       # in this process: report every setting of every chunk
        for chunk_seed, size in plan:
            def step(n: int) -> None:
                nonlocal done
                done += n
                if progress is not None:
                    progress(done, total)
            counts += _shared_chunk(model, texts, any_package, settings, engine, chunk_seed, size,
                                    step)
        return counts
    function = functools.partial(_shared_chunk, model, texts, any_package, settings, engine)
    # A Mapper yields whatever the chunk function returns (here: count arrays, in plan order).
    chunks: Iterable[Any] = mapper(function, plan)   # type: ignore[arg-type]
    for (_, size), chunk in zip(plan, chunks, strict=True):
        counts += chunk
        done += size * (len(settings) + 1)
        if progress is not None:
            progress(done, total)
    return counts


def _shared_chunk(model: UncertainModel, texts: IntArray, any_package: bool,
                  settings: list[tuple[int, float]], engine: str, seed: np.random.SeedSequence,
                  n: int, step: Callable[[int], None] | None = None) -> IntArray:
    """One chunk's counts for the base run (row 0) and every pinned setting (a pure function).

    The chunk's draws are those of :func:`~accord.analysis.uncertainty.run_chunk`
    for the same stream; a pinned run overwrites one column.  What it re-decides:

    * an estimate of a party that need not accept changes no target: the base row;
    * a party's acceptance (of each text, and of "some package exists") can only
      grow as an option's value rises, and only shrink as a reservation value rises
      or a red line appears; a weight moves it one way in a sample where every
      option in play lies on the same side of the reservation value
      (:func:`_weight_directions`).  So an answer that was yes stays yes when the
      pinned value helps, and a no stays no when it hurts (:func:`_unsettled`);
    * only the other samples are evaluated again — the profiles of just those rows,
      the texts for just the pinned party (the same arithmetic on one party's slice),
      and existence by
      :func:`~accord.analysis.uncertainty.package_exists`.
    """
    space = model.space
    must = space.must_accept
    rng = np.random.Generator(np.random.PCG64(seed))
    draws = sample_draws(model, rng, n)
    complete = texts[(texts != UNRESOLVED).all(axis=1)]
    fast = not any_package and bool((texts != UNRESOLVED).all())   # run_chunk's fast path
    if fast:
        plan = _text_plan(model, texts)
        base_surely = complete_text_outcomes(model, draws.copy(), texts, plan)[0]
    else:
        base_prof = profiles(model, draws)
        base_surely = text_outcomes(space, base_prof, texts)[0]
        if any_package:
            base_exists = package_exists(space, base_prof, complete, engine=engine).exists
    rows = np.zeros((len(settings) + 1, len(texts) + int(any_package)), dtype=np.int64)

    def row(surely: BoolArray, exists: BoolArray | None) -> list[int]:
        found = [int(exists.sum())] if exists is not None else []
        return [*surely[:, :, must].all(axis=2).sum(axis=0), *found]

    rows[0] = row(base_surely, base_exists if any_package else None)
    if step is not None:
        step(n)
    base_values = sampled_estimates(model, draws)
    base_red = base_prof.red_lines if not fast else model.red_lines[None]
    for k, (column, u) in enumerate(settings, start=1):
        estimate = model.estimates[column]
        p = estimate.party
        if not must[p]:
            rows[k] = rows[0]
        else:
            pinned = draws.copy()
            pinned[:, column] = u
            if fast:
                surely = complete_text_outcomes(model, pinned, texts, plan)[0]
                rows[k] = row(surely, None)
            else:
                value = sampled_estimates(model, pinned[:1])[0, column]
                shift = np.sign(value - base_values[:, column])
                # the rows whose answers the pinned value may change: only they are redone
                text_way: FloatArray | float
                exists_way: FloatArray | float
                if estimate.kind == "weight" and space.is_additive:
                    text_way, exists_way = _weight_directions(model, estimate, base_values,
                                                              base_red, texts)
                elif estimate.kind == "weight":
                    # With terms a weight's way differs between packages (the term part
                    # moves each one's side of the reservation value): every sample again.
                    text_way = exists_way = 0.0
                else:
                    text_way = exists_way = _DIRECTION[estimate.kind]
                texts_again = _unsettled(shift, text_way, base_surely[:, :, p])
                exists_again = (_unsettled(shift, exists_way, base_exists[:, None])
                                if any_package else np.zeros(n, dtype=bool))
                redo = np.flatnonzero(texts_again | exists_again)
                if redo.size == 0:
                    rows[k] = rows[0]
                    if step is not None:
                        step(n)
                    continue
                prof = profiles(model, pinned[redo])
                surely = base_surely.copy()
                if space.is_additive:
                    own = Profiles(prof.contribution[:, p:p + 1], prof.red_lines[:, p:p + 1],
                                   prof.reservation[:, p:p + 1])
                    surely[redo, :, p] = text_outcomes(space, own, texts)[0][:, :, 0]
                else:  # the term path judges every party of the Space at once
                    surely[redo, :, p] = text_outcomes(space, prof, texts)[0][:, :, p]
                exists = base_exists.copy() if any_package else None
                search = np.flatnonzero(exists_again[redo])
                if exists is not None and search.size:
                    subset = Profiles(prof.contribution[search], prof.red_lines[search],
                                      prof.reservation[search])
                    exists[redo[search]] = package_exists(space, subset, complete,
                                                          engine=engine).exists
                rows[k] = row(surely, exists)
        if step is not None:
            step(n)
    return rows


def _unsettled(shift: FloatArray, direction: FloatArray | float, before: BoolArray) -> BoolArray:
    """Per sample: may a pinned value change any of its answers ``before`` ``(n, k)``?

    ``shift`` ``(n,)`` is the sign of pinned minus drawn value; ``direction`` (a
    number, or ``(n, k)``) is +1 where a larger value can only help the answer, -1
    where it can only hurt and 0 where it may do either.  A yes stays yes when the
    move helps, a no stays no when it hurts, and an unmoved value changes nothing.
    """
    change = shift[:, None] * direction
    known = np.asarray(direction) != 0
    settled = (shift[:, None] == 0) | known & ((change > 0) & before | (change < 0) & ~before)
    return np.asarray(~settled.all(axis=1))


#: A weight's effect on an option's side of the acceptance test is settled only when
#: the option's value is this far from the reservation value (floating-point margin).
_WEIGHT_MARGIN = 1e-9


def _weight_directions(model: UncertainModel, estimate: Estimate, sampled: FloatArray,
                       red_lines: BoolArray, texts: IntArray) -> tuple[FloatArray, FloatArray]:
    """Which way party p's weight on issue i moves its answers, per sample.

    With raw weights ``w``, p accepts a package ``x`` when
    ``Σ_j w_j (v_j(x_j) − r + tol) ≥ 0`` (its utility, times the positive total
    weight).  So raising ``w_i`` helps every package whose option ``o`` on issue ``i``
    has ``D_o = v_i(o) − r + tol > 0`` and hurts those with ``D_o < 0``.  Returns
    ``(texts, exists)``: ``(n, T)`` the sign of ``D`` at each complete text's option
    (0 for a text open on ``i``), and ``(n, 1)`` the common sign of ``D`` over the
    options of ``i`` that no must-accept party's red line excludes (0 when they
    differ, or any is within :data:`_WEIGHT_MARGIN` of 0).
    """
    space = model.space
    p, i = estimate.party, estimate.issue
    n = sampled.shape[0]
    values = np.broadcast_to(model.values[p, i], (n, model.values.shape[2])).copy()
    reservation = np.full(n, model.reservation[p], dtype=float)
    for column, other in enumerate(model.estimates):
        if other.party == p and other.kind == "value" and other.issue == i:
            values[:, other.option] = sampled[:, column]
        elif other.party == p and other.kind == "reservation":
            reservation = sampled[:, column]
    gap = values - (reservation - UTILITY_TOLERANCE)[:, None]                      # (n, K)
    sign = np.where(gap > _WEIGHT_MARGIN, 1.0, np.where(gap < -_WEIGHT_MARGIN, -1.0, 0.0))
    resolved = texts[:, i] != UNRESOLVED
    at_text = np.where(resolved[None, :], sign[:, np.where(resolved, texts[:, i], 0)], 0.0)
    allowed = space.option_mask[i][None, :] & ~red_lines[:, space.must_accept, i, :].any(axis=1)
    up = np.where(allowed, sign > 0, True).all(axis=1)
    down = np.where(allowed, sign < 0, True).all(axis=1)
    common = np.where(up & ~down, 1.0, np.where(down & ~up, -1.0, 0.0))
    return at_text, common[:, None]


# ---------------------------------------------------------------------------
# variance-based (Sobol) indices


def salib_available() -> bool:
    try:
        import SALib  # noqa: F401
    except ImportError:
        return False
    return True


def deal_outcomes(model: UncertainModel, draws: FloatArray, texts: IntArray, *,
                  any_package: bool, progress: Progress | None = None) -> BoolArray:
    """``(n, targets)``: per row of uniform ``draws``, does each text get every must-accept
    party's acceptance (however open points close), and (last) does some package exist.

    ``progress(done, total)``, when given, is called after each block of rows.
    """
    space = model.space
    columns = []
    for start in range(0, len(draws), CHUNK_SIZE):   # memory bounded by the chunk size
        block = draws[start:start + CHUNK_SIZE]
        if not any_package and (texts != UNRESOLVED).all():
            surely, _, _ = complete_text_outcomes(model, block.copy(), texts)
            rows = [surely[:, :, space.must_accept].all(axis=2)]
        else:
            prof = profiles(model, block)
            surely, _, _ = text_outcomes(space, prof, texts)
            rows = [surely[:, :, space.must_accept].all(axis=2)]
            if any_package:
                complete = texts[(texts != UNRESOLVED).all(axis=1)]
                rows.append(package_exists(space, prof, complete).exists[:, None])
        columns.append(np.concatenate(rows, axis=1))
        if progress is not None:
            progress(start + len(block), len(draws))
    return np.concatenate(columns)


@short_repr(fields=("estimate", "label", "first", "total"))
@dataclass(frozen=True)
class SobolEffect:
    """First-order and total indices of one estimate, per target (with 95 % bootstrap half-widths)."""

    estimate: int
    label: str
    first: tuple[float, ...]
    first_conf: tuple[float, ...]
    total: tuple[float, ...]
    total_conf: tuple[float, ...]

    @property
    def importance(self) -> float:
        """The largest total index over the targets (what the ranking uses)."""
        return max(self.total, default=0.0)


@short_repr(fields=("base_samples", "runs", "seed", "texts", "any_package", "p", "effects"),
            extra=lambda r: {"largest": r.effects[0].label if r.effects else None})
@dataclass(frozen=True)
class SobolResult:
    base_samples: int          # N of the Saltelli scheme; N·(E + 2) model runs
    runs: int
    seed: int
    texts: tuple[int, ...]
    any_package: bool
    p: tuple[float, ...]       # P(target) over all runs
    effects: tuple[SobolEffect, ...]   # ranked, largest total index first
    notes: tuple[str, ...]


def sobol_indices(model: UncertainModel, texts: str | int | Sequence[str | int] | None = None, *,
                  base_samples: int = 1024, seed: int = 0, any_package: bool = True,
                  resamples: int = 100, progress: Progress | None = None) -> SobolResult:
    """Sobol first-order and total indices of every estimate for P(deal) (needs SALib).

    ``base_samples`` is rounded up to a power of two (Sobol' sequences need it);
    the cost is ``base_samples · (E + 2)`` evaluations of every target.
    ``progress(done, total)``, when given, counts those evaluations (rows of the
    Saltelli design) as they are done.  ``texts`` are as for :func:`tornado` (ids or
    indices; default every text).

    Raises
    ------
    UnknownIdError
        When one of ``texts`` names no text.
    ValueError
        When no estimate is uncertain.
    """
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    space = model.space
    chosen = _chosen_texts(model, texts)
    packages = space.texts[chosen] if chosen else np.zeros((0, space.n_issues), dtype=np.int64)
    n_estimates = model.n_estimates
    if n_estimates == 0:
        raise ValueError("no estimate is uncertain")
    base = 1 << max(0, (int(base_samples) - 1).bit_length())
    problem = {"num_vars": n_estimates, "names": [f"e{c}" for c in range(n_estimates)],
               "bounds": [[0.0, 1.0]] * n_estimates}
    draws = sample.sample(problem, base, calc_second_order=False, seed=seed)
    outcomes = deal_outcomes(model, np.clip(draws, 0.0, np.nextafter(1.0, 0.0)), packages,
                             any_package=any_package, progress=progress).astype(float)
    notes = []
    first = np.zeros((outcomes.shape[1], n_estimates))
    first_conf, total, total_conf = first.copy(), first.copy(), first.copy()
    labels = [space.text_ids[t] for t in chosen] + (["any package"] if any_package else [])
    for k in range(outcomes.shape[1]):
        y = outcomes[:, k]
        if y.min() == y.max():   # a certain outcome has no variance to apportion
            notes.append(f"P({labels[k]}) is {y[0]:.0%} in every run: its indices are 0")
            continue
        result = analyze.analyze(problem, y, calc_second_order=False, num_resamples=resamples,
                                 conf_level=0.95, seed=seed)
        first[k], first_conf[k] = result["S1"], result["S1_conf"]
        total[k], total_conf[k] = result["ST"], result["ST_conf"]
    effects = [SobolEffect(c, estimate_label(model, e), tuple(map(float, first[:, c])),
                           tuple(map(float, first_conf[:, c])), tuple(map(float, total[:, c])),
                           tuple(map(float, total_conf[:, c])))
               for c, e in enumerate(model.estimates)]
    effects.sort(key=lambda effect: (-effect.importance, effect.estimate))
    return SobolResult(base, len(draws), seed, tuple(chosen), any_package,
                       tuple(float(p) for p in outcomes.mean(axis=0)), tuple(effects), tuple(notes))
