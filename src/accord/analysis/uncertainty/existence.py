"""Does some package acceptable to every must-accept party exist, per sample?

Cheap bounds first (a Lagrangian relaxation that is separable by issue, and
candidate packages), then an exact search (a pruned issue-by-issue merge of
partial utility vectors) for the samples the bounds leave open.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from accord._repr import short_repr
from accord.analysis.uncertainty.sampling import Profiles
from accord.space import UTILITY_TOLERANCE, BoolArray, FloatArray, IntArray, Space

__all__ = ["EXISTS_COMPILED_ABOVE", "EXISTS_COMPILED_SAMPLES", "ExistsResult", "package_exists"]


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


@short_repr(extra=lambda r: {"feasible": int(r.exists.sum())})
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

    With interaction terms or conditional red lines the bounds above do not
    hold (they separate by issue); every package is evaluated instead
    (:func:`accord.analysis.uncertainty.terms.term_exists`); every sample then
    counts as settled exactly.
    """
    if not space.is_additive:
        from accord.analysis.uncertainty.terms import term_exists

        exists = term_exists(space, prof.contribution, prof.red_lines, prof.reservation)
        return ExistsResult(exists, 0, 0, int(exists.size))
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
