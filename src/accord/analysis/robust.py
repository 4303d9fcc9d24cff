"""The most robust package, and the smallest amendment of a text that reaches it.

*Robust* here means: the highest probability, over the uncertain estimates
(:mod:`accord.analysis.uncertainty`), of being accepted by every must-accept
party — no red line hit and utility at least the reservation value.  The
probability is estimated on **common random numbers** (Glasserman & Yao,
*Management Science* 38, 1992): the same sampled preference profiles (the
chunk plan of :func:`~accord.analysis.uncertainty.chunk_plan`, so the same
seed and N give the same profiles as ``accord chance``) judge every candidate,
so that comparisons between packages are not blurred by independent sampling
noise, and the result is the exact argmax of the *sampled* estimate over the
packages searched.

How candidates are chosen (reported in :attr:`RobustResult.method`):

* **exhaustive** — when the space has at most ``exhaustive_limit`` packages,
  every package is evaluated: the answer is the exact argmax of the sampled
  probability;
* **frontier + local search** — otherwise the candidates are the Pareto
  frontier of the *mean* scenario over the must-accept parties' utilities,
  restricted to packages free of (mean) red lines and, when any exists, to
  packages acceptable at the means (the merge of
  :func:`_mean_frontier`, which uses :mod:`accord.analysis.pareto`; an
  ε-frontier when it exceeds ``frontier_limit``), plus
  the complete texts.  The best ``starts`` of them seed a steepest-ascent
  local search over every one- and two-point change (Papadimitriou &
  Steiglitz, *Combinatorial Optimization*, 1982, ch. 19), again on the same
  samples.  This is a heuristic: it may miss the global argmax.

The **smallest amendment** (:func:`smallest_amendment`) of a text: the fewest
changes to agreed points reaching the best probability found (every open point
is closed too; as in ``amend`` and ``improve``, closing an open point is not a
change, and :attr:`Amendment.closed` lists the closures apart), then the highest
probability at that size.  Each size is searched exhaustively when it has at
most ``exhaustive_limit`` amendments (on the flagship: up to 3–5 changes);
larger sizes by a beam search (Lowerre, 1976) that extends the best ``beam`` amendments of
the previous size by one more change.  The robust package itself is always
tried at its own distance, so the search ends there at the latest.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from accord.analysis.limits import check_profile, check_search
from accord.analysis.uncertainty import (
    Mapper,
    UncertainModel,
    chunk_plan,
    profiles,
    sample_draws,
    wilson_interval,
)
from accord.analysis.uncertainty.terms import term_constants
from accord.errors import AnalysisError, TermsTooLarge
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, BoolArray, FloatArray, IntArray, Space

__all__ = [
    "Amendment",
    "AmendmentStep",
    "CommonSamples",
    "RobustResult",
    "common_samples",
    "robust_package",
    "smallest_amendment",
]

#: Spaces with at most this many packages are searched exhaustively.
EXHAUSTIVE_LIMIT = 20_000
#: Amendments of one size are all evaluated when there are at most this many (else: beam).
AMENDMENT_EXHAUSTIVE_LIMIT = 4_000
#: Largest mean-scenario frontier used as candidates before ε-thinning.
FRONTIER_LIMIT = 2_000


# ---------------------------------------------------------------------------
# common random numbers


@dataclass(frozen=True, eq=False)
class CommonSamples:
    """The must-accept parties' sampled profiles, laid out for batch evaluation of packages.

    ``utility_rows`` ``(n·M, I·K)``: contribution of each (issue, option) per sample and
    must-accept party; ``forbidden`` ``(n, I·K)``: 1.0 where some must-accept party has the
    option as a red line in that sample; ``reservation`` ``(n, M)``.
    """

    space: Space
    n: int
    seed: int
    utility_rows: FloatArray
    forbidden: FloatArray
    reservation: FloatArray

    def accepted(self, packages: IntArray) -> BoolArray:
        """``(C, I)`` complete packages → ``(n, C)``: accepted by every must-accept party."""
        packages = np.asarray(packages, dtype=np.int64).reshape(-1, self.space.n_issues)
        n_must = self.reservation.shape[1]
        result = np.zeros((self.n, len(packages)), dtype=bool)
        # Columns per block so that the (n·M, block) utility matrix stays near 32 MB.
        block = max(1, 4_000_000 // max(1, self.n * n_must))
        linked = not self.space.is_additive
        must = np.flatnonzero(self.space.must_accept)
        for start in range(0, len(packages), block):
            onehot = self._onehot(packages[start:start + block])
            utility = (self.utility_rows @ onehot).reshape(self.n, n_must, -1)
            if linked:  # terms and forbidden pairs are certain: constants per package
                offset, refused = term_constants(self.space, packages[start:start + block])
                utility += offset[:, must].T[None]
            ok = (utility >= self.reservation[:, :, None] - UTILITY_TOLERANCE).all(axis=1)
            ok &= (self.forbidden @ onehot.astype(np.float32)) < 0.5   # exact: small integers
            if linked:
                ok &= ~np.asarray(refused[:, must].any(axis=1))[None]
            result[:, start:start + len(onehot.T)] = ok
        return result

    def counts(self, packages: IntArray) -> IntArray:
        """How many samples accept each package (``(C,)``)."""
        return self.accepted(packages).sum(axis=0)

    def _onehot(self, packages: IntArray) -> FloatArray:
        width = self.space.option_mask.shape[1]
        flat = np.arange(self.space.n_issues)[None, :] * width + packages      # (C, I)
        onehot = np.zeros((self.space.n_issues * width, len(packages)))
        onehot[flat, np.arange(len(packages))[:, None]] = 1.0
        return onehot


def common_samples(model: UncertainModel, samples: int, seed: int) -> CommonSamples:
    """Draw the profiles of ``accord chance`` (same chunk plan) once, for every candidate."""
    space = model.space
    if not space.must_accept.any():
        raise AnalysisError("no party with preferences must accept a deal (scenario.must_accept), "
                            "so no package is more likely to be accepted than another")
    check_search(space.n_options, "robust")  # up front: the samples are kept for the search
    check_profile(model.values.shape[0], model.values.shape[1], model.values.shape[2], "robust")
    must = np.flatnonzero(space.must_accept)
    rows, forbidden, reservation = [], [], []
    for chunk_seed, size in chunk_plan(samples, seed):
        rng = np.random.Generator(np.random.PCG64(chunk_seed))
        prof = profiles(model, sample_draws(model, rng, size))
        contribution = prof.contribution[:, must]                              # (n, M, I, K)
        rows.append(contribution.reshape(size * len(must), -1))
        forbidden.append(prof.red_lines[:, must].any(axis=1).reshape(size, -1).astype(np.float32))
        reservation.append(prof.reservation[:, must])
    return CommonSamples(space, samples, seed, np.concatenate(rows), np.concatenate(forbidden),
                         np.concatenate(reservation))


# ---------------------------------------------------------------------------
# candidates


def _mean_frontier(space: Space, limit: int) -> tuple[IntArray, str]:
    """Candidates: the mean scenario's Pareto frontier over the must-accept parties.

    :func:`accord.analysis.pareto.pareto_frontier` (exact, one package per utility
    vector), acceptable packages only when any exists, else all packages; when
    it holds more than ``limit`` packages, its ε-frontier, ε doubling from 0.005
    until it fits.
    """
    from accord.analysis.pareto import FrontierTooLarge, pareto_frontier

    must = [int(p) for p in np.flatnonzero(space.must_accept)]
    if not space.is_additive:
        return _mean_frontier_with_terms(space, must, limit)
    for acceptable_only in (True, False):
        epsilon: float | None = None
        while True:
            try:
                frontier = pareto_frontier(space, must, acceptable_only=acceptable_only,
                                           epsilon=epsilon, max_packages=limit,
                                           one_per_vector=True)
            except FrontierTooLarge:
                frontier = None
            if frontier is not None and len(frontier) <= limit:
                break
            epsilon = 0.005 if epsilon is None else 2 * epsilon
        if len(frontier):
            how = ("Pareto frontier of the mean scenario over the must-accept parties, "
                   + ("acceptable packages only" if acceptable_only else
                      "all packages (none is acceptable at the means)")
                   + ("" if frontier.exact else f", ε-frontier (ε = {frontier.epsilon:g})"))
            return frontier.packages.astype(np.int64), how
    return np.zeros((0, space.n_issues), dtype=np.int64), "no frontier"  # pragma: no cover


def _mean_frontier_with_terms(space: Space, must: list[int], limit: int) -> tuple[IntArray, str]:
    """Candidates when utilities have terms: the exact mean frontier, or the best-margin package.

    The frontier with terms is exact by enumeration (:func:`accord.analysis.terms.frontier`,
    which has no ε mode): one package per utility vector, and when more than
    ``limit`` remain, the ``limit`` with the largest smallest margin at the
    means.  Beyond its enumeration limit the candidate is the package with the
    largest smallest must-accept margin at the means (an integer program,
    :func:`accord.analysis.feasibility.feasibility`).
    """
    from accord.analysis.pareto import pareto_frontier

    try:
        for acceptable_only in (True, False):
            frontier = pareto_frontier(space, must, acceptable_only=acceptable_only)
            if not len(frontier):
                continue
            _, first = np.unique(frontier.utilities, axis=0, return_index=True)
            packages = frontier.packages[np.sort(first)].astype(np.int64)
            how = ("Pareto frontier of the mean scenario over the must-accept parties (exact, "
                   "by enumeration: the utilities have interaction terms), "
                   + ("acceptable packages only" if acceptable_only else
                      "all packages (none is acceptable at the means)"))
            if len(packages) > limit:
                keep = np.argsort(-_mean_margin(space, packages), kind="stable")[:limit]
                packages = packages[np.sort(keep)]
                how += f", the {limit:,} with the largest smallest margin at the means"
            return packages, how
    except TermsTooLarge:
        from accord.analysis.feasibility import feasibility

        found = feasibility(space)
        if found.package is not None:
            return (np.asarray(found.package, dtype=np.int64)[None],
                    "the package with the largest smallest must-accept margin at the means (an "
                    "integer program: with interaction terms the frontier of a space this large "
                    "is not enumerated)")
    return np.zeros((0, space.n_issues), dtype=np.int64), "no frontier"


# ---------------------------------------------------------------------------
# neighbourhoods


def _neighbours(space: Space, package: IntArray, frozen: BoolArray | None = None,
                two: bool = True) -> IntArray:
    """Every package differing from ``package`` in one (and, with ``two``, two) free issues."""
    free = [i for i in range(space.n_issues) if frozen is None or not frozen[i]]
    singles = [(i, o) for i in free for o in range(int(space.n_options[i])) if o != package[i]]
    rows = []
    for i, o in singles:
        row = package.copy()
        row[i] = o
        rows.append(row)
    if two:
        for (i, o), (j, q) in itertools.combinations(singles, 2):
            if i != j:
                row = package.copy()
                row[i], row[j] = o, q
                rows.append(row)
    return np.array(rows, dtype=np.int64).reshape(-1, space.n_issues)


def _all_packages(space: Space) -> IntArray:
    grids = np.meshgrid(*(np.arange(k) for k in space.n_options), indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1).astype(np.int64)


def _mean_margin(space: Space, packages: IntArray) -> FloatArray:
    """Tie-break: the smallest must-accept margin at the means (higher is better)."""
    must = space.must_accept
    return (space.utilities(packages)[:, must] - space.reservation[must]).min(axis=1)


def _best(space: Space, packages: IntArray, counts: IntArray) -> int:
    """Index of the most-accepted package; ties by mean-scenario margin, then lexicographic."""
    top = np.flatnonzero(counts == counts.max())
    if len(top) == 1:
        return int(top[0])
    margins = _mean_margin(space, packages[top])
    best = top[margins >= margins.max() - 1e-12]
    return int(best[np.lexsort(packages[best].T[::-1])[0]])


# ---------------------------------------------------------------------------
# the robust package


@dataclass(frozen=True)
class RobustResult:
    """The most robust package found, how, and on how many samples."""

    package: IntArray
    p_all: float
    interval: tuple[float, float]
    successes: int
    samples: int
    seed: int
    method: str                 # "exhaustive" or "frontier + local search"
    candidates: str             # how the candidates were chosen
    evaluated: int              # distinct packages evaluated on the common samples
    frontier_size: int          # candidates from the mean frontier (0 when exhaustive)
    p_texts: tuple[float, ...]  # P(all accept) of every complete text, same samples (nan: open)
    estimates: int = 0          # uncertain estimates sampled


def robust_package(model: UncertainModel, *, samples: int = 4096, seed: int = 0,
                   exhaustive_limit: int = EXHAUSTIVE_LIMIT, frontier_limit: int = FRONTIER_LIMIT,
                   starts: int = 8, crn: CommonSamples | None = None,
                   mapper: Mapper | None = None) -> RobustResult:
    """The package most likely to be accepted by every must-accept party (see the module doc)."""
    del mapper  # the common samples live in this process; kept for a uniform signature
    space = model.space
    crn = crn or common_samples(model, samples, seed)
    complete = space.texts[(space.texts != UNRESOLVED).all(axis=1)]
    seen: dict[bytes, int] = {}

    def evaluate(packages: IntArray) -> IntArray:
        fresh = [p for p in packages if p.tobytes() not in seen]
        if fresh:
            fresh_arr = np.unique(np.array(fresh), axis=0)
            for package, count in zip(fresh_arr, crn.counts(fresh_arr), strict=True):
                seen[package.tobytes()] = int(count)
        return np.array([seen[p.tobytes()] for p in packages], dtype=np.int64)

    if space.n_outcomes <= exhaustive_limit:
        everything = _all_packages(space)
        counts = evaluate(everything)
        best = everything[_best(space, everything, counts)]
        method, how, frontier_size = "exhaustive", f"all {len(everything):,} packages", 0
    else:
        frontier, how = _mean_frontier(space, frontier_limit)
        frontier_size = len(frontier)
        pool = np.unique(np.vstack([frontier, complete]), axis=0)
        counts = evaluate(pool)
        order = np.argsort(-counts, kind="stable")[:starts]
        best, best_count = pool[order[0]], int(counts[order[0]])
        for start in pool[order]:
            current, current_count = start.copy(), int(evaluate(start[None])[0])
            while True:   # steepest ascent over one- and two-point changes
                around = _neighbours(space, current)
                around_counts = evaluate(around)
                k = _best(space, around, around_counts)
                if around_counts[k] <= current_count:
                    break
                current, current_count = around[k], int(around_counts[k])
            if current_count > best_count or (current_count == best_count and
                                              _mean_margin(space, current[None])[0] >
                                              _mean_margin(space, best[None])[0]):
                best, best_count = current, current_count
        method = "frontier + local search"
        texts = {0: "no complete text", 1: "the complete text"}.get(
            len(complete), f"the {len(complete)} complete texts")
        how = (f"{how} ({frontier_size:,} packages) and {texts}; "
               f"local search (one- and two-point changes) from the best {min(starts, len(pool))}")
    successes = seen[best.tobytes()]
    text_p = tuple(seen[t.tobytes()] / crn.n if t.tobytes() in seen else
                   float(evaluate(t[None])[0]) / crn.n if (t != UNRESOLVED).all() else math.nan
                   for t in space.texts)
    return RobustResult(best.copy(), successes / crn.n, wilson_interval(successes, crn.n),
                        successes, crn.n, crn.seed, method, how, len(seen), frontier_size, text_p,
                        model.n_estimates)


# ---------------------------------------------------------------------------
# the smallest amendment


@dataclass(frozen=True)
class AmendmentStep:
    """The best amendment found with exactly ``changes`` changed agreed points (open ones closed)."""

    changes: int
    package: IntArray
    p_all: float
    interval: tuple[float, float]
    exhaustive: bool             # every amendment of this size was evaluated


@dataclass(frozen=True)
class Amendment:
    """The smallest amendment of ``text`` reaching ``target`` (the best probability found)."""

    text: int
    package: IntArray            # the amended text (complete)
    changed: tuple[int, ...]     # every issue that differs from the text, closed open points too
    p_all: float
    interval: tuple[float, float]
    p_text: float                # the text as it stands (nan when it has open points)
    target: float                # best probability found (robust package or an amendment)
    steps: tuple[AmendmentStep, ...]
    beam: int
    open_points: tuple[int, ...] = ()   # the text's open points, all closed by ``package``

    @property
    def changes(self) -> tuple[int, ...]:
        """The agreed points that move: what counts as a change (closing an open point does not)."""
        return tuple(i for i in self.changed if i not in self.open_points)

    @property
    def closed(self) -> tuple[int, ...]:
        """The open points of the text that the amendment closes (not counted as changes)."""
        return self.open_points


def _at_distance(space: Space, text: IntArray, k: int, limit: int) -> IntArray | None:
    """Every complete package with exactly ``k`` changes from ``text``, or None when > limit."""
    open_points = [i for i in range(space.n_issues) if text[i] == UNRESOLVED]
    fixed = [i for i in range(space.n_issues) if text[i] != UNRESOLVED]
    extra = k - len(open_points)
    if extra < 0 or extra > len(fixed):
        return np.zeros((0, space.n_issues), dtype=np.int64)
    total = 0
    for chosen in itertools.combinations(fixed, extra):
        count = math.prod(int(space.n_options[i]) - 1 for i in chosen)
        total += count * math.prod(int(space.n_options[i]) for i in open_points)
        if total > limit:
            return None
    rows: list[tuple[int, ...]] = []
    for chosen in itertools.combinations(fixed, extra):
        axes = [list(range(int(space.n_options[i]))) if i in open_points else
                [o for o in range(int(space.n_options[i])) if o != text[i]] if i in chosen else
                [int(text[i])] for i in range(space.n_issues)]
        rows.extend(itertools.product(*axes))
    return np.array(rows, dtype=np.int64).reshape(-1, space.n_issues)


def smallest_amendment(model: UncertainModel, text: int, *, samples: int = 4096, seed: int = 0,
                       robust: RobustResult | None = None, beam: int = 64,
                       exhaustive_limit: int = AMENDMENT_EXHAUSTIVE_LIMIT,
                       crn: CommonSamples | None = None) -> Amendment:
    """The fewest changes to text ``text`` reaching the best probability found (see module doc)."""
    space = model.space
    crn = crn or common_samples(model, samples, seed)
    robust = robust or robust_package(model, crn=crn)
    if robust.samples != crn.n or robust.seed != crn.seed:
        raise ValueError("the robust package was found on other samples")
    original = space.texts[text]
    open_mask = original == UNRESOLVED
    target = robust.successes
    distance_to_robust = int((robust.package != original).sum())

    def distance(packages: IntArray) -> IntArray:
        return (packages != original[None]).sum(axis=1)

    steps: list[AmendmentStep] = []
    previous: IntArray = np.zeros((0, space.n_issues), dtype=np.int64)
    best_package, best_count = robust.package, target
    start = int(open_mask.sum())
    for k in range(start, space.n_issues + 1):
        level = _at_distance(space, original, k, exhaustive_limit)
        exhaustive = level is not None
        if level is None:   # beam: extend the best amendments of size k−1 by one change
            grown = [_neighbours(space, p, frozen=(p != original) | open_mask, two=False)
                     for p in previous]
            level = (np.unique(np.vstack(grown), axis=0) if grown else
                     np.zeros((0, space.n_issues), dtype=np.int64))
            # open points: also let each beam member re-choose one open point (same size)
            if open_mask.any():
                moved = [_neighbours(space, p, frozen=~open_mask, two=False) for p in level[:beam]]
                level = np.unique(np.vstack([level, *moved]), axis=0)
            level = level[distance(level) == k]
        if k == distance_to_robust:
            level = np.unique(np.vstack([level, robust.package[None]]), axis=0)
        if not len(level):
            continue
        counts = crn.counts(level)
        b = _best(space, level, counts)
        steps.append(AmendmentStep(k - start, level[b].copy(), counts[b] / crn.n,
                                   wilson_interval(int(counts[b]), crn.n), exhaustive))
        if counts[b] >= target:   # reaches (or beats: the search is heuristic) the robust package
            best_package, best_count = level[b], int(counts[b])
            break
        order = np.argsort(-counts, kind="stable")[:beam]
        previous = level[order]
    p_text = math.nan if open_mask.any() else float(crn.counts(original[None])[0]) / crn.n
    changed = tuple(int(i) for i in np.flatnonzero(best_package != original))
    return Amendment(text, best_package.copy(), changed, best_count / crn.n,
                     wilson_interval(best_count, crn.n), p_text, max(target, best_count) / crn.n,
                     tuple(steps), beam,
                     tuple(int(i) for i in np.flatnonzero(open_mask)))
