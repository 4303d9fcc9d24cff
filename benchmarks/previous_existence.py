"""The previous, pure-numpy deal-existence check (accord before the compiled kernels), kept as a baseline.

Not a peer: ``bench_chance.py`` runs it on the same samples as the current
engine to show the speed-up and to assert that both give the same answer.  The
functions are accord's own former ``package_exists`` / ``_exact_package`` /
``_undominated`` from ``accord.analysis.uncertainty``, unchanged.
"""

# ruff: noqa
# mypy: ignore-errors

from __future__ import annotations

import numpy as np

from accord.analysis.uncertainty import ExistsResult, _directions
from accord.space import UTILITY_TOLERANCE


def package_exists(space: Space, prof: Profiles,
                   candidates: IntArray | None = None) -> ExistsResult:
    """Whether a complete package acceptable to every must-accept party exists, per sample.

    Bounds: a package must avoid every must-accept party's red lines; for any
    λ ≥ 0, ``Σ_p λ_p (u_p(x) − r_p) ≥ 0`` at an acceptable ``x``, and the maximum
    of the left side separates by issue, so ``max < 0`` proves infeasibility
    (Lagrangian relaxation; Fisher, *Management Science* 27, 1981).  The
    maximisers themselves, and ``candidates``, are tried as packages.  Samples
    left open are settled exactly by :func:`_exact_package`.
    """
    must = np.flatnonzero(space.must_accept)
    contribution = prof.contribution[:, must]                        # (n, M, I, K)
    reservation = prof.reservation[:, must]                          # (n, M)
    allowed = space.option_mask[None] & ~prof.red_lines[:, must].any(axis=1)  # (n, I, K)
    n = contribution.shape[0]
    tol = UTILITY_TOLERANCE
    decided = np.zeros(n, dtype=bool)
    exists = np.zeros(n, dtype=bool)

    empty_issue = np.asarray(~allowed.any(axis=2)).any(axis=1)  # every option of an issue is a red line
    decided |= empty_issue
    masked = np.where(allowed[:, None], contribution, -np.inf)
    best = masked.max(axis=3).sum(axis=2)                            # (n, M)
    decided |= (best < reservation - tol).any(axis=1)

    lam = _directions(len(must))                                     # (L, M)
    scores = np.einsum("lm,nmik->nlik", lam, contribution)
    scores = np.where(allowed[:, None], scores, -np.inf)
    bound = scores.max(axis=3).sum(axis=2) - reservation @ lam.T      # (n, L)
    decided |= (bound < -tol).any(axis=1)
    by_bound = int(decided.sum())

    issue_index = np.arange(space.n_issues)

    def accepted(packages: IntArray) -> BoolArray:
        """``packages`` ``(n, C, I)`` → ``(n, C)`` acceptable to every must-accept party."""
        gathered = np.take_along_axis(
            contribution[:, :, None], packages[:, None, :, :, None], axis=4)[..., 0]  # (n,M,C,I)
        utility = gathered.sum(axis=3)
        ok_utility = (utility >= reservation[:, :, None] - tol).all(axis=1)
        ok_red = np.take_along_axis(allowed[:, None], packages[..., None], axis=3)[..., 0].all(axis=2)
        return ok_utility & ok_red

    maximisers = scores.argmax(axis=3)                                # (n, L, I)
    found = accepted(maximisers).any(axis=1) & ~decided
    pool = np.asarray(candidates, dtype=np.int64) if candidates is not None else \
        np.zeros((0, space.n_issues), dtype=np.int64)
    if len(pool):
        found |= accepted(np.broadcast_to(pool, (n, *pool.shape))).any(axis=1) & ~decided
    exists |= found
    decided |= found
    by_candidate = int(found.sum())

    exact = 0
    solved: list[IntArray] = []
    for s in np.flatnonzero(~decided):
        if solved:  # a package that settled an earlier sample often settles this one too
            recent = np.array(solved[-32:])[None]
            if accepted_one(contribution[s], reservation[s], allowed[s], recent[0]):
                exists[s] = True
                by_candidate += 1
                continue
        exact += 1
        package = _exact_package(contribution[s], reservation[s], allowed[s], issue_index)
        if package is not None:
            exists[s] = True
            solved.append(package)
    return ExistsResult(exists, by_bound, by_candidate, exact)


def accepted_one(contribution: FloatArray, reservation: FloatArray, allowed: BoolArray,
                 packages: IntArray) -> bool:
    """One sample: is any of ``packages`` ``(C, I)`` acceptable to all (``contribution`` (M,I,K))?"""
    issue_index = np.arange(contribution.shape[1])
    utility = contribution[:, issue_index[None, :], packages].sum(axis=2)  # (M, C)
    ok = (utility >= reservation[:, None] - UTILITY_TOLERANCE).all(axis=0)
    ok &= allowed[issue_index[None, :], packages].all(axis=1)
    return bool(ok.any())


def _exact_package(contribution: FloatArray, reservation: FloatArray, allowed: BoolArray,
                   issue_index: IntArray) -> IntArray | None:
    """An acceptable package for one sample, or None when none exists (exact).

    Merges issue by issue the must-accept parties' partial utility vectors (the
    outcome set is the Minkowski sum of the per-issue option sets), keeping only
    partial sums that are Pareto-undominated and can still reach every
    reservation value with the best remaining options (Kung, Luccio & Preparata,
    *JACM* 22, 1975, for the maxima; the merge is the one in
    ``docs/explanation`` for the frontier).  Stops as soon as a partial sum is
    acceptable whatever the remaining (red-line-free) options are.
    """
    tol = UTILITY_TOLERANCE
    n_issues = len(issue_index)
    best = np.where(allowed[None], contribution, -np.inf).max(axis=2)     # (M, I)
    worst = np.where(allowed[None], contribution, np.inf).min(axis=2)
    order = np.argsort(-(best - worst).max(axis=0))                       # widest issues first
    best_rest = np.concatenate([np.cumsum(best[:, order[::-1]], axis=1)[:, ::-1],
                                np.zeros((len(reservation), 1))], axis=1)  # (M, I+1)
    worst_rest = np.concatenate([np.cumsum(worst[:, order[::-1]], axis=1)[:, ::-1],
                                 np.zeros((len(reservation), 1))], axis=1)
    sums = np.zeros((1, len(reservation)))
    choices = np.zeros((1, n_issues), dtype=np.int64)
    for step, i in enumerate(order):
        options = np.flatnonzero(allowed[i])
        sums = (sums[:, None, :] + contribution[:, i, options].T[None]).reshape(-1, len(reservation))
        choices = np.repeat(choices, len(options), axis=0)
        choices[:, i] = np.tile(options, len(choices) // len(options))
        reachable = (sums + best_rest[:, step + 1] >= reservation - tol).all(axis=1)
        sums, choices = sums[reachable], choices[reachable]
        if not len(sums):
            return None
        sure = (sums + worst_rest[:, step + 1] >= reservation - tol).all(axis=1)
        if sure.any():
            package = choices[np.argmax(sure)].copy()
            for rest in order[step + 1:]:   # any red-line-free option will do
                package[rest] = int(np.argmax(allowed[rest]))
            return package
        keep = _undominated(sums)
        sums, choices = sums[keep], choices[keep]
    return None  # pragma: no cover - the last step's "sure" test settles every survivor


def _undominated(points: FloatArray) -> BoolArray:
    """Mask of the points not weakly dominated by another (duplicates keep one)."""
    _, first = np.unique(points, axis=0, return_index=True)
    keep = np.zeros(len(points), dtype=bool)
    keep[first] = True
    candidates = np.flatnonzero(keep)
    pts = points[candidates]
    geq = np.asarray((pts[:, None, :] >= pts[None, :, :]).all(axis=2))   # geq[a, b]: a ≥ b everywhere
    np.fill_diagonal(geq, False)
    dominated = geq.any(axis=0)
    keep[candidates[dominated]] = False
    return keep


