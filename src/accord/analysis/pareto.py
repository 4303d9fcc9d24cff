"""The exact Pareto frontier of additive utilities, for any number of parties.

A package ``x`` (one option per issue) *Pareto-dominates* ``y`` when every party
gets at least as much from ``x`` and some party gets more; the *Pareto frontier*
is the set of packages that nothing dominates (Pareto, *Manuale di economia
politica*, 1906; the definition used by GENIUS and NegMAS alike).  Packages with
the same utility vector are all on the frontier or all off it, and all of them
are reported: to a mediator, two packages that every party values equally are
two different proposals.

How it is computed (see ``docs/explanation/analysis.md``).  Utility is additive,
so the utility vectors of all packages are the Minkowski sum of one small point
set per issue (one point per option: the parties' contributions).  A frontier
point of a sum is a sum of points whose partial sums are themselves
non-dominated: if the partial sum over the first ``k`` issues were dominated by
another, completing both the same way would dominate the whole.  So the issues
are merged one at a time, and after each merge only the non-dominated partial
sums are kept (:mod:`accord.analysis.dominance`), with back-pointers from every
kept partial sum to the (partial sum, option) pairs that produce it; equal
partial sums are merged into one node, so ties cost nothing until the packages
are listed at the end.  The work follows the size of the frontier, never the
number of packages (``3^28 ≈ 2.3·10^13`` for a 28-point plan).

Ties need care: two packages that every party values equally can get sums that
differ in the last bits when the contributions are added in a different order
(``0.1 + 0.2 != 0.3``).  Utilities closer than ``TIE_TOLERANCE`` (``10^-12``) are
therefore treated as equal throughout: by the dominance kernel, which ranks
each coordinate with that tolerance, and when equal partial sums are merged.
Differences that small are rounding noise (the scenario's numbers have a few
decimals); genuine differences are many orders of magnitude larger.

Options:

* ``parties``: the frontier over some parties only (default: every party with
  preferences).
* ``acceptable_only``: only packages every must-accept party accepts (no red
  line of theirs, utility at least their reservation value).  Red-line options
  are removed before merging, and a partial sum is dropped as soon as some
  must-accept party cannot reach its reservation value even with its best
  remaining options (the optimistic completion).  A must-accept party outside
  ``parties`` is carried along as an extra coordinate that must not get worse
  but whose gain alone does not make a package better.
* ``fixed``: points already agreed keep their option.
* ``epsilon``: an ε-frontier when the exact one is too large to compute or list;
  see :func:`pareto_frontier`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from accord._repr import short_repr
from accord.analysis import dominance
from accord.analysis.dominance import Engine, dense_ranks, nondominated, resolve_engine
from accord.analysis.frontier_result import ParetoFrontier, fixed_vector, resolve_parties
from accord.analysis.limits import MIN_CELL_WIDTH, check_merge
from accord.errors import FrontierTooLarge
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, BoolArray, FloatArray, IntArray, Space

__all__ = [
    "DEFAULT_MAX_PACKAGES",
    "DEFAULT_MAX_VECTORS",
    "TIE_TOLERANCE",
    "FrontierTooLarge",
    "ParetoFrontier",
    "SumFrontier",
    "frontier_of_sums",
    "package_utilities",
    "pareto_frontier",
    "snap",
]

#: Utilities closer than this are equal: the rounding noise of adding the same
#: numbers in another order is ~10^-16, real differences are far larger.
TIE_TOLERANCE = 1e-12

#: The exact merge stops with :class:`FrontierTooLarge` when a partial frontier
#: would hold more distinct utility vectors than this (memory stays well under 1 GiB).
DEFAULT_MAX_VECTORS = 1_000_000
#: Listing stops with :class:`FrontierTooLarge` beyond this many packages (ties included).
DEFAULT_MAX_PACKAGES = 2_000_000
#: In ε mode, each merge step's share of ε is this many times the previous step's.
EPSILON_GROWTH = 1.5
#: One merge step never builds more candidate sums than this.
_MAX_CANDIDATES = 3_000_000
#: ``engine="auto"``: merge steps run on numpy while they build at most this many
#: candidate sums; the first larger step hands the merge over to the compiled
#: kernel (:func:`accord.analysis.kernels.merge_frontier`), which finishes it.
#: Chosen by measurement (``benchmarks/bench_startup.py``): the flagship's full
#: frontier builds at most about 25,000 in one step (its acceptable frontier
#: about 500), a numpy step of this size takes well under a second, and the
#: kernel's one-time compilation costs tens of seconds.
COMPILED_ABOVE = 100_000
#: Status codes of a merge (the compiled kernel's own, so both engines report alike).
_MERGE_OK, _MERGE_EMPTY, _MERGE_TOO_MANY_CANDIDATES, _MERGE_TOO_MANY_VECTORS = 0, 1, 2, 3


def snap(values: FloatArray | float, grid: float = 2.0**-40) -> FloatArray:
    """Round to multiples of ``grid`` (default ``2^-40`` ≈ 9·10^-13).

    Sums of such numbers are exact in double precision.  The merge does not need
    it (it compares with ``TIE_TOLERANCE``); callers that build their own point
    sets may use it to make equal sums bit-for-bit equal.
    """
    rounded: FloatArray = np.round(np.asarray(values, dtype=np.float64) / grid) * grid + 0.0
    return rounded


def package_utilities(space: Space, packages: IntArray,
                      parties: Sequence[int | str] | None = None) -> FloatArray:
    """Utilities of complete packages ``(N, I)`` (or one ``(I,)``) → ``(N, P')``.

    ``parties`` (ids or indices; default every party) picks and orders the columns.
    """
    batch = np.atleast_2d(np.asarray(packages, dtype=np.int64))
    chosen = list(range(space.n_parties)) if parties is None else list(resolve_parties(space, parties))
    result: FloatArray = np.atleast_2d(space.utilities(batch))[:, chosen]
    return result


# -- the generic engine: frontier of a sum of per-issue point sets --------------


@dataclass(frozen=True)
class _Layer:
    """One merge step: edges from the previous layer's nodes to this layer's, sorted by child."""

    issue: int
    parent: IntArray
    option: IntArray
    child: IntArray


@short_repr(fields=("exact", "epsilon"), extra=lambda f: {"vectors": len(f.vectors)})
@dataclass(frozen=True)
class SumFrontier:
    """The non-dominated sums of one option per issue, with the back-pointers to list them.

    ``vectors`` holds the distinct non-dominated sums; each
    may come from several packages.  ``epsilon`` is None for an exact frontier,
    otherwise the proven bound: every package's sum ``s`` has a listed vector
    ``v`` with ``v ≥ s − epsilon`` in every coordinate (for packages that meet the
    lower bounds with ``epsilon`` to spare, when lower bounds were given).
    """

    n_issues: int
    vectors: FloatArray
    layers: tuple[_Layer, ...]
    constant_options: Mapping[int, int]
    epsilon: float | None
    empty_reason: str | None = None
    _counts: FloatArray | None = field(default=None, repr=False, compare=False)
    #: Candidate sums built at each merge step (the work done; for benchmarks and diagnostics).
    candidates: tuple[int, ...] = ()
    #: Which engine lists the packages (``"auto"``: numpy for small frontiers).
    engine: Engine = field(default="auto", repr=False, compare=False)

    @property
    def exact(self) -> bool:
        return self.epsilon is None

    def package_counts(self) -> FloatArray:
        """How many packages share each vector (float: the count can exceed 2^63)."""
        counts: FloatArray = np.ones(1)
        for layer in self.layers:
            counts = np.bincount(layer.child, weights=counts[layer.parent],
                                 minlength=int(layer.child.max(initial=-1)) + 1).astype(np.float64)
        if not self.layers:
            counts = np.ones(self.vectors.shape[0])
        return counts

    def packages(self, vectors: IntArray | None = None, *, max_packages: int = DEFAULT_MAX_PACKAGES,
                 one_per_vector: bool = False) -> tuple[IntArray, IntArray]:
        """``(owner, packages)``: every package whose sum is one of ``vectors`` (default: all).

        ``owner[k]`` is the index (into ``self.vectors``) of package ``k``'s sum.
        With ``one_per_vector`` only the first package of each tie group is listed.
        """
        chosen = (np.arange(self.vectors.shape[0]) if vectors is None
                  else np.asarray(vectors, dtype=np.int64))
        if not one_per_vector:
            total = float(self.package_counts()[chosen].sum()) if chosen.size else 0.0
            if total > max_packages:
                raise FrontierTooLarge(
                    f"the frontier has {chosen.size:,} distinct utility vectors shared by "
                    f"{total:,.0f} packages (ties), more than the limit of {max_packages:,}")
        # Listing is a few array operations per layer on numpy at any size; the
        # compiled walk is kept for engine="compiled" (and tested against it).
        if self.layers and self.engine == "compiled":
            from accord.analysis import kernels

            owner, out = kernels.list_packages(
                np.concatenate([layer.parent for layer in self.layers]),
                np.concatenate([layer.option for layer in self.layers]),
                np.concatenate([layer.child for layer in self.layers]),
                np.cumsum([0] + [layer.child.size for layer in self.layers]),
                np.array([layer.issue for layer in self.layers], dtype=np.int64),
                self.n_issues, chosen, one_per_vector, UNRESOLVED)
        else:
            owner = chosen.copy()
            node = chosen.copy()
            out = np.full((chosen.size, self.n_issues), UNRESOLVED, dtype=np.int64)
            for layer in reversed(self.layers):
                start = np.searchsorted(layer.child, node, side="left")
                if one_per_vector:
                    edge = start
                else:
                    stop = np.searchsorted(layer.child, node, side="right")
                    count = stop - start
                    rows = np.repeat(np.arange(node.size), count)
                    offsets = np.arange(rows.size) - np.repeat(np.cumsum(count) - count, count)
                    edge = np.repeat(start, count) + offsets
                    out, owner = out[rows], owner[rows]
                out[:, layer.issue] = layer.option[edge]
                node = layer.parent[edge]
        for issue, option in self.constant_options.items():
            out[:, issue] = option
        return owner, out


def _group_rows(rows: np.ndarray) -> tuple[IntArray, IntArray]:
    """``(first, inverse)`` of the distinct rows of an integer array (``rows[first][inverse] == rows``)."""
    return dominance.group_rows(rows)


def group_equal(vectors: FloatArray, tolerance: float = TIE_TOLERANCE) -> tuple[IntArray, IntArray]:
    """``(first, inverse)``: rows equal within ``tolerance`` in every coordinate form one group."""
    if vectors.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return dominance.group_rows(dense_ranks(vectors, tolerance))


def epsilon_widths(epsilon: float, n_steps: int) -> FloatArray:
    """Per merge step, the ε-thinning cell width: shares of ``epsilon`` that add up to it.

    Every step is thinned, so every step shrinks the work; the shares grow
    geometrically (each step gets :data:`EPSILON_GROWTH` times the previous one's)
    because the partial frontiers — and the point density, which is what a cell
    of a given width can thin — grow from step to step: a share spent on the
    first steps, whose few points lie far apart, would merge nothing.
    """
    if n_steps == 0:
        return np.zeros(0)
    # Counted down from the last step (share 1), so that thousands of steps cannot overflow;
    # the first steps' shares then underflow to 0, which makes them exact.
    shares = EPSILON_GROWTH ** (np.arange(n_steps, dtype=np.float64) - (n_steps - 1))
    widths: FloatArray = epsilon * shares / shares.sum()
    # A cell narrower than the tie tolerance would thin nothing that the exact merge does
    # not already merge, and could not be numbered in 64 bits: such steps are exact.
    widths[widths < MIN_CELL_WIDTH] = 0.0
    return widths


def frontier_of_sums(
    points: Sequence[tuple[IntArray, FloatArray]],
    *,
    strict: int,
    lower: FloatArray | None = None,
    epsilon: float | None = None,
    max_vectors: int = DEFAULT_MAX_VECTORS,
    tolerance: float = TIE_TOLERANCE,
    engine: Engine = "auto",
) -> SumFrontier:
    """Non-dominated sums of one point per issue, exactly (or within ``epsilon``).

    Args:
        points: per issue, ``(options, vectors)``: the allowed option indices
            ``(K,)`` and each option's vector ``(K, D)``.
        strict: the first ``strict`` coordinates are the objectives; the others
            must not get worse but do not count as an improvement on their own.
        lower: ``(D,)`` lower bounds the final sum must meet (``-inf`` for none);
            partial sums that cannot reach them even with the best remaining
            options are dropped.
        epsilon: allow an ε-frontier (see :func:`pareto_frontier`).
        max_vectors: stop with :class:`FrontierTooLarge` beyond this many
            distinct partial sums.
        tolerance: coordinates closer than this count as equal.
        engine: ``"auto"`` (default) merges on numpy while a step builds at most
            :data:`COMPILED_ABOVE` candidate sums and hands the rest of the merge
            to the compiled kernel (:func:`accord.analysis.kernels.merge_frontier`);
            ``"numpy"`` and ``"compiled"`` use one engine throughout (same answers).
    """
    engine = resolve_engine(engine)
    n_issues = len(points)
    if n_issues == 0:
        raise ValueError("at least one issue is needed")
    dims = points[0][1].shape[1]
    bound = np.full(dims, -np.inf) if lower is None else np.asarray(lower, dtype=np.float64)
    bounded = np.flatnonzero(np.isfinite(bound)).astype(np.int64)

    # Within one issue an option that another option dominates can never be part
    # of a frontier package (swapping it for the better one dominates), and it
    # cannot help meet a lower bound either; drop it before merging.
    offset = np.zeros(dims)
    constant: dict[int, int] = {}
    branching: list[tuple[int, IntArray, FloatArray]] = []
    sizes_in = np.array([np.asarray(options).size for options, _ in points], dtype=np.int64)
    if (sizes_in == 0).any():
        issue = int(np.argmax(sizes_in == 0))
        return SumFrontier(n_issues, np.zeros((0, dims)), (), {}, None,
                           empty_reason=f"issue {issue} has no allowed option")
    padded = np.zeros((n_issues, int(sizes_in.max()), dims))
    for issue, (_, vectors) in enumerate(points):
        padded[issue, : sizes_in[issue]] = np.asarray(vectors, dtype=np.float64).reshape(-1, dims)
    if engine == "compiled":
        from accord.analysis import kernels

        keep_options = kernels.within_issue_maxima(padded, sizes_in, int(strict), float(tolerance))
    else:
        keep_options = np.zeros(padded.shape[:2], dtype=bool)
        for issue in range(n_issues):
            keep_options[issue, : sizes_in[issue]] = nondominated(
                padded[issue, : sizes_in[issue]], int(strict), tolerance, engine=engine)
    for issue, (options, _) in enumerate(points):
        keep = keep_options[issue, : sizes_in[issue]]
        options = np.asarray(options, dtype=np.int64)[keep]
        vectors = padded[issue, : sizes_in[issue]][keep]
        if options.size == 1:
            offset += vectors[0]
            constant[issue] = int(options[0])
        else:
            branching.append((issue, options, vectors))
    # Issues that move the sums most go first: the partial frontiers then settle
    # early, and the long tail of small issues adds little to their size.
    branching.sort(key=lambda item: -float((item[2].max(axis=0) - item[2].min(axis=0)).sum()))

    n_steps = len(branching)
    check_merge(n_steps, "the exact merge behind frontier, amend and improve")
    width = max((item[1].size for item in branching), default=1)
    stacked = np.zeros((n_steps, width, dims))
    sizes = np.zeros(n_steps, dtype=np.int64)
    best_rest = np.zeros((n_steps + 1, dims))
    for k, (_, options, vectors) in enumerate(branching):
        stacked[k, : options.size] = vectors
        sizes[k] = options.size
    for k in range(n_steps - 1, -1, -1):
        best_rest[k] = best_rest[k + 1] + branching[k][2].max(axis=0)

    if bounded.size and not (offset[bounded] + best_rest[0, bounded] >= bound[bounded]).all():
        return SumFrontier(n_issues, np.zeros((0, dims)), (), constant, None,
                           empty_reason="no package meets the lower bounds")
    widths = epsilon_widths(float(epsilon), n_steps) if epsilon is not None else np.zeros(n_steps)
    # numpy first (every step while candidates are few), then the compiled kernel.
    handover = {"compiled": -1, "numpy": np.iinfo(np.int64).max}.get(engine, COMPILED_ABOVE)
    status, step, current, parents, choices, children, thinned, built = _merge_numpy(
        offset[None, :], branching, int(strict), bounded, bound, best_rest, widths,
        float(tolerance), int(max_vectors), int(handover))
    if status == _MERGE_OK and step < n_steps:
        from accord.analysis import kernels

        status, later, current, more_parents, more_choices, more_children, later_thinned, \
            later_built = kernels.merge_frontier(
                np.ascontiguousarray(current), np.ascontiguousarray(stacked[step:]),
                np.ascontiguousarray(sizes[step:]), int(strict), bounded, bound,
                np.ascontiguousarray(best_rest[step:]), np.ascontiguousarray(widths[step:]),
                float(tolerance), int(max_vectors), _MAX_CANDIDATES)
        parents = parents + list(more_parents)
        choices = choices + list(more_choices)
        children = children + list(more_children)
        thinned = np.concatenate([thinned[:step], later_thinned])
        built = np.concatenate([built[:step], later_built])
        step += int(later)
    if status == _MERGE_EMPTY:
        return SumFrontier(n_issues, np.zeros((0, dims)), (), constant, None,
                           empty_reason="no package meets the lower bounds")
    if status == _MERGE_TOO_MANY_CANDIDATES:
        raise FrontierTooLarge(
            f"the partial frontier reached {current.shape[0]:,} distinct utility vectors "
            f"after {step} of {n_steps} issues; an ε-frontier keeps it bounded")
    if status == _MERGE_TOO_MANY_VECTORS:
        raise FrontierTooLarge(
            f"the exact frontier grew past {max_vectors:,} distinct utility vectors after "
            f"{step + 1} of {n_steps} issues; an ε-frontier keeps it bounded")
    layers = tuple(
        _Layer(issue=issue, parent=parent, option=options[choice], child=child)
        for (issue, options, _), parent, choice, child
        in zip(branching, parents, choices, children, strict=True))
    used = float(widths[thinned].sum())
    return SumFrontier(n_issues, current, layers, constant, None if used == 0.0 else used,
                       candidates=tuple(int(x) for x in built), engine=engine)


def _merge_numpy(current: FloatArray, branching: Sequence[tuple[int, IntArray, FloatArray]],
                 strict: int, bounded: IntArray, bound: FloatArray, best_rest: FloatArray,
                 widths: FloatArray, tolerance: float, max_vectors: int, handover: int,
                 ) -> tuple[int, int, FloatArray, list[IntArray], list[IntArray], list[IntArray],
                            BoolArray, IntArray]:
    """The merge of :func:`accord.analysis.kernels.merge_frontier`, step by step on numpy.

    Stops before the first step that would build more than ``handover``
    candidate sums and returns ``(status, step, …)`` with ``step`` the number of
    steps done (``status`` OK): the caller hands the rest to the compiled kernel.
    Same results as the kernel (the same sums, edges and thinning; tie groups
    may be numbered in another order).
    """
    n_steps = len(branching)
    parents: list[IntArray] = []
    choices: list[IntArray] = []
    children: list[IntArray] = []
    thinned = np.zeros(n_steps, dtype=bool)
    built = np.zeros(n_steps, dtype=np.int64)
    for step, (_, _, vectors) in enumerate(branching):
        n_here = vectors.shape[0]
        total = current.shape[0] * n_here
        if total > handover:
            return _MERGE_OK, step, current, parents, choices, children, thinned, built
        if total > _MAX_CANDIDATES:
            return (_MERGE_TOO_MANY_CANDIDATES, step, current, parents, choices, children,
                    thinned, built)
        built[step] = total
        parent = np.repeat(np.arange(current.shape[0]), n_here)
        choice = np.tile(np.arange(n_here), current.shape[0])
        candidates = current[parent] + vectors[choice]
        if bounded.size:
            alive = (candidates[:, bounded] + best_rest[step + 1, bounded]
                     >= bound[bounded]).all(axis=1)
            parent, choice, candidates = parent[alive], choice[alive], candidates[alive]
            if candidates.shape[0] == 0:
                return _MERGE_EMPTY, step, current, parents, choices, children, thinned, built
        # Equal partial sums (within the tolerance) become one node with several
        # back-pointers: ties are kept without multiplying the work.
        ranks = dense_ranks(candidates, tolerance)
        first, group = dominance.group_rows(ranks, engine="numpy")
        distinct = candidates[first]
        distinct_ranks = ranks[first]
        selected = np.arange(distinct.shape[0])
        if widths[step] > 0:
            selected = _thin(distinct, float(widths[step]), strict)
            thinned[step] = selected.size < distinct.shape[0]
        kept = selected[dominance.maxima(distinct_ranks[selected], strict, engine="numpy")]
        if kept.size > max_vectors:
            return (_MERGE_TOO_MANY_VECTORS, step, current, parents, choices, children,
                    thinned, built)
        new_id = np.full(distinct.shape[0], -1, dtype=np.int64)
        new_id[kept] = np.arange(kept.size)
        child = new_id[group]
        live = child >= 0
        order = np.argsort(child[live], kind="stable")
        parents.append(parent[live][order])
        choices.append(choice[live][order])
        children.append(child[live][order])
        current = distinct[kept]
    return _MERGE_OK, n_steps, current, parents, choices, children, thinned, built


def _thin(vectors: FloatArray, width: float, strict: int) -> IntArray:
    """One representative per cell of side ``width``: the largest objective sum, then the
    lexicographically largest vector, then the first (the engines' candidates come in
    different orders; this rule picks the same representative from either); and only
    in the cells that no other occupied cell dominates.

    This is the ε-box archive of Laumanns, Thiele, Deb and Zitzler ("Combining
    convergence and diversity in evolutionary multiobjective optimization",
    *Evolutionary Computation* 10(3), 2002), with an additive ε.  A vector ``x``
    dropped in either way has a kept ``y ≥ x − width`` in every coordinate: in its
    own cell, or in a cell whose lower corner is ``≥`` the lower corner of ``x``'s
    (and ``x`` is less than ``width`` above its corner).  Completing both the
    same way keeps that gap, which is why the bound adds up over the steps.
    (The compiled kernel's ``_thin_cells``, on numpy.)
    """
    cells = np.floor(vectors / width).astype(np.int64)
    _, cell = dominance.group_rows(cells, engine="numpy")
    score = vectors[:, :strict].sum(axis=1)
    columns = [-vectors[:, j] for j in range(vectors.shape[1] - 1, -1, -1)]
    order = np.lexsort((np.arange(vectors.shape[0]), *columns, -score, cell))
    first = np.ones(order.size, dtype=bool)
    first[1:] = cell[order][1:] != cell[order][:-1]
    chosen = order[first]
    # Box dominance: a cell that another occupied cell dominates is dropped whole.
    box = dominance.maxima(dense_ranks(cells[chosen].astype(np.float64), 0.5), strict,
                           engine="numpy")
    selected: IntArray = np.sort(chosen[box])
    return selected


# -- the Pareto frontier of a Space ---------------------------------------------


def allowed_options(space: Space, *, exclude_red_lines_of: BoolArray | None = None,
                    fixed: IntArray | None = None) -> list[IntArray]:
    """Per issue, the option indices a package may use."""
    allowed = space.option_mask.copy()
    if exclude_red_lines_of is not None and exclude_red_lines_of.any():
        allowed &= ~space.red_lines[exclude_red_lines_of].any(axis=0)
    result = []
    for i in range(space.n_issues):
        options = np.flatnonzero(allowed[i])
        if fixed is not None and fixed[i] != UNRESOLVED:
            options = options[options == fixed[i]]
        result.append(options.astype(np.int64))
    return result


def pareto_frontier(
    space: Space,
    parties: Sequence[int | str] | None = None,
    *,
    acceptable_only: bool = False,
    fixed: Mapping[str | int, str | int] | Sequence[int] | IntArray | None = None,
    epsilon: float | None = None,
    max_vectors: int = DEFAULT_MAX_VECTORS,
    max_packages: int = DEFAULT_MAX_PACKAGES,
    one_per_vector: bool = False,
    engine: Engine = "auto",
) -> ParetoFrontier:
    """The Pareto frontier over ``parties``: every package no other package dominates.

    Args:
        space: the compiled scenario.
        parties: party indices or ids (default: every party with preferences).
        acceptable_only: only packages that every must-accept party accepts.
        fixed: points held at an option, as ``{issue: option}`` (ids or
            indices) or a package with ``UNRESOLVED`` for free points (a text's
            vector fixes its agreed points).
        epsilon: ``None`` (default) for the exact frontier, which raises
            :class:`FrontierTooLarge` rather than approximate.  A positive number
            allows an ε-frontier: at every merge step it keeps one representative
            per cell of a grid whose cells are that step's share of ``epsilon``
            wide (:func:`epsilon_widths`); the shares add up to ``epsilon`` and
            the result states the bound it proved — every exact frontier vector
            is within it of a listed one in every coordinate (``exact`` stays
            True when nothing had to be dropped).
        max_vectors: limit on distinct partial sums in the exact merge.
        max_packages: limit on listed packages (ties included).
        one_per_vector: list one package per distinct utility vector.
        engine: numpy or the compiled kernels (see :func:`frontier_of_sums`).

    A Space with interaction terms or package deals (``not space.is_additive``)
    is answered exactly by enumeration (:func:`accord.analysis.terms.frontier`),
    which ignores ``epsilon``, ``max_vectors``, ``max_packages``,
    ``one_per_vector`` and ``engine`` and raises
    :class:`~accord.errors.TermsTooLarge` beyond its package limit.

    Returns:
        ParetoFrontier: the packages, their utilities over ``parties`` and
            whether the list is exact (else the ε it proves).

    Raises:
        UnknownIdError: when one of ``parties`` names no party, or an issue or
            option in ``fixed`` names nothing (with "did you mean").
        FrontierTooLarge: when the exact frontier (or its list of packages) is
            larger than ``max_vectors``/``max_packages`` and ``epsilon`` is None.
        ValueError: for a party listed twice, an empty ``parties``, a bad
            ``fixed`` or a non-positive ``epsilon``.

    Examples:
        >>> from accord.io.scenario_file import load
        >>> from accord.space import compile_scenario
        >>> space = compile_scenario(load("examples/job-offer.toml"))
        >>> pareto_frontier(space, ["dana", "northwind"], acceptable_only=True)
        ParetoFrontier(parties=(0, 1), exact=True, acceptable_only=True, epsilon=None, \
packages=20, vectors=10)
    """
    if epsilon is not None and not (np.isfinite(epsilon) and epsilon > 0):
        raise ValueError(f"epsilon must be a positive number, got {epsilon}")
    if not space.is_additive:
        # Interaction terms or package deals: the merge of per-issue sums below is
        # exact only for additive utilities, so such a Space is enumerated instead.
        from accord.analysis import terms

        return terms.frontier(space, parties, acceptable_only=acceptable_only, fixed=fixed)
    chosen = resolve_parties(space, parties)
    held = fixed_vector(space, fixed)
    must = space.must_accept.copy()
    extra = [p for p in np.flatnonzero(must) if acceptable_only and int(p) not in chosen]
    dims = list(chosen) + [int(p) for p in extra]
    options = allowed_options(space, exclude_red_lines_of=must if acceptable_only else None,
                              fixed=held)
    contribution = space.contribution[dims]  # (D, I, K)
    points = [(options[i], contribution[:, i, options[i]].T) for i in range(space.n_issues)]
    lower = None
    if acceptable_only:
        lower = np.array([space.reservation[p] - UTILITY_TOLERANCE if must[p] else -np.inf
                          for p in dims])
    result = frontier_of_sums(points, strict=len(chosen), lower=lower, epsilon=epsilon,
                              max_vectors=max_vectors, engine=engine)
    vectors = result.vectors
    selection = np.arange(vectors.shape[0])
    if extra and vectors.shape[0]:
        # The extra coordinates were only carried to keep the bounds exact; the
        # frontier itself is over the chosen parties, among the packages that remain.
        projected = vectors[:, : len(chosen)]
        first, group = group_equal(projected)
        keep_groups = np.flatnonzero(nondominated(projected[first], tolerance=TIE_TOLERANCE))
        selection = np.flatnonzero(np.isin(group, keep_groups))
    owner, packages = result.packages(selection, max_packages=max_packages,
                                      one_per_vector=one_per_vector)
    utilities = vectors[owner, : len(chosen)] if owner.size else np.zeros((0, len(chosen)))
    if utilities.shape[0]:
        order = np.lexsort(tuple(packages[:, ::-1].T) + tuple(utilities[:, ::-1].T))
        utilities, packages = utilities[order], packages[order]
    # Each engine vector is one tie group, so the count of distinct vectors is known.
    n_vectors = int(selection.size) if not extra else int(group_equal(utilities)[0].size)
    return ParetoFrontier(
        parties=chosen,
        utilities=utilities,
        packages=packages,
        exact=result.exact,
        epsilon=result.epsilon,
        acceptable_only=acceptable_only,
        fixed=held,
        n_vectors=n_vectors,
        empty_reason=result.empty_reason,
    )
