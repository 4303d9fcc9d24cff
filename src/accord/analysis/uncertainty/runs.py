"""Running the chunks: one chunk's tally, the mappers that spread chunks, and the run.

A chunk is a pure function of the model, its seed and its size
(:func:`run_chunk`), so it can be shipped to a thread, a process or a Dask
worker; :func:`run_tally` merges the tallies in plan order, so the result does
not depend on how the work was split.  At most :data:`WINDOW` chunks are in
flight at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from accord.analysis.uncertainty.existence import EXISTS_COMPILED_SAMPLES, package_exists
from accord.analysis.uncertainty.model import UncertainModel
from accord.analysis.uncertainty.results import (
    _MARGIN_EDGES,
    MARGIN_BIN,
    ChanceResult,
    PartyChance,
    Tally,
    TextChance,
    wilson_interval,
)
from accord.analysis.uncertainty.sampling import (
    _text_plan,
    _TextPlan,
    chunk_plan,
    complete_outcomes_from_sampled,
    complete_text_outcomes,
    profiles_from_sampled,
    sample_draws,
    sampled_estimates,
    text_outcomes,
)
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, IntArray

__all__ = ["WINDOW", "Mapper", "dask_mapper", "deal_chances", "run_chunk", "run_tally",
           "serial_mapper", "thread_mapper"]


def run_chunk(model: UncertainModel, seed: np.random.SeedSequence, n: int, texts: IntArray,
              any_package: bool, fixed: dict[int, float] | None = None,
              plan: _TextPlan | None = None, engine: str = "auto") -> Tally:
    """Draw ``n`` profiles from ``seed`` and tally the texts (a pure function: ship it anywhere).

    ``plan``: the complete texts' :class:`_TextPlan` (those of ``texts`` with no open
    point, in order), built once per run rather than per chunk; ``engine``: for
    :func:`package_exists`.
    """
    space = model.space
    rng = np.random.Generator(np.random.PCG64(seed))
    draws = sample_draws(model, rng, n, fixed)
    complete_rows = np.flatnonzero((texts != UNRESOLVED).all(axis=1))
    if not any_package and complete_rows.size == texts.shape[0]:
        # The fast path: complete texts need no (n, P, I, K) profiles.
        surely, possibly, margin = complete_text_outcomes(model, draws, texts, plan)
        prof = None
    else:
        sampled = sampled_estimates(model, draws, in_place=True)
        prof = profiles_from_sampled(model, sampled)
        # Complete texts on the fast path even when the profiles are built (for the
        # existence check or the texts with open points): the same numbers up to
        # rounding, without gathering every text from the (n, P, I, K) profiles.
        surely = np.zeros((n, texts.shape[0], space.n_parties), dtype=bool)
        possibly = np.zeros_like(surely)
        margin = np.zeros(surely.shape)
        if complete_rows.size:
            outcome = complete_outcomes_from_sampled(model, sampled, texts[complete_rows], plan)
            for whole, part in zip((surely, possibly, margin), outcome, strict=True):
                whole[:, complete_rows] = part
        open_rows = np.flatnonzero((texts == UNRESOLVED).any(axis=1))
        if open_rows.size and not space.is_additive:
            outcome = text_outcomes(space, prof, texts[open_rows])  # dispatches to the term path
        elif open_rows.size and engine == "compiled":
            from accord.analysis.uncertainty.compiled import open_text_outcomes

            outcome = open_text_outcomes(prof.contribution, prof.red_lines, space.option_mask,
                                         texts[open_rows], prof.reservation, UTILITY_TOLERANCE)
        elif open_rows.size:
            outcome = text_outcomes(space, prof, texts[open_rows])
        if open_rows.size:
            # Every engine's outcome is written back (the compiled one once was not: its open
            # texts read as never acceptable).
            for whole, part in zip((surely, possibly, margin), outcome, strict=True):
                whole[:, open_rows] = part
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


def run_tally(model: UncertainModel, texts: IntArray, samples: int, seed: int, *,
              any_package: bool = False, mapper: Mapper | None = None,
              fixed: dict[int, float] | None = None,
              progress: Callable[[int], None] | None = None) -> Tally:
    """Run every chunk of the plan through ``mapper`` and merge the tallies in plan order."""
    import functools

    if samples < 1:
        raise ValueError("samples must be at least 1")
    plan = chunk_plan(samples, seed)
    complete = texts[(texts != UNRESOLVED).all(axis=1)]
    text_plan = _text_plan(model, complete) if complete.shape[0] else None
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
                 texts: str | int | Iterable[str | int] | None = None,
                 samples: int = 20_000, seed: int = 0, any_package: bool = False,
                 mapper: Mapper | None = None,
                 progress: Callable[[int], None] | None = None) -> ChanceResult:
    """P(acceptable) per text and party, P(deal) per text, margins, and P(some package exists).

    Parameters
    ----------
    model
        The scenario's estimates (:func:`~accord.analysis.uncertainty.build_model`).
    text_indices
        Text indices (kept for older callers; ``texts`` takes ids too).
    texts
        Text ids or indices, or one of them alone (default: every text, in file
        order).  Give ``texts`` or ``text_indices``, not both.
    samples, seed
        How many profiles to draw, and the seed of the chunked random stream
        (the result does not depend on how the chunks are spread over workers).
    any_package
        Also estimate P(some package acceptable to every must-accept party exists).
    mapper
        Runs the chunks (default: one after the other in this process;
        :func:`thread_mapper`, :func:`dask_mapper`).
    progress
        Called with each finished chunk's number of samples.

    Returns
    -------
    ChanceResult
        One :class:`TextChance` per text asked, in that order; probabilities
        with 95 % Wilson intervals.

    Raises
    ------
    UnknownIdError
        When one of ``texts`` names no text.
    ValueError
        When both ``texts`` and ``text_indices`` are given, or ``samples < 1``.
    """
    space = model.space
    if texts is not None and text_indices is not None:
        raise ValueError("give texts or text_indices, not both")
    asked = space.text_indices(texts) if texts is not None else text_indices
    chosen = list(range(len(space.text_ids))) if asked is None else [int(t) for t in asked]
    texts_array = space.texts[chosen] if chosen else np.zeros((0, space.n_issues), dtype=np.int64)
    tally = run_tally(model, texts_array, samples, seed, any_package=any_package, mapper=mapper,
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
