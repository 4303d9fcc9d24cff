"""Which points of a set are not dominated: the dominance questions every frontier in accord asks.

Row ``b`` *dominates* row ``a`` when ``b ≥ a`` in every column and ``b > a`` in at
least one of the first ``strict`` columns (by default every column counts).  Equal
rows therefore never dominate each other, so ties survive together; and the
``strict`` columns let a caller carry extra columns (a must-accept party that is
not on the frontier, say) that must not be worse but whose improvement alone does
not count.

Columns are replaced by their dense ranks first: dominance depends only on the
order within each column, and integer ranks make every comparison exact.  Two
sums of the same utilities added in different orders can differ in their last
bits, so callers pass a ``tolerance`` (accord uses ``1e-12``) within which values
share a rank and count as equal.

Two engines answer the same questions.  Small problems — every question the
flagship example asks — run on numpy: the multidimensional divide and conquer
of Kung, Luccio and Preparata ("On finding the maxima of a set of vectors",
*J. ACM* 22(4), 1975) in Bentley's form ("Multidimensional divide-and-conquer",
*Comm. ACM* 23(4), 1980), with small subproblems compared pairwise in one
vectorised block.  Large ones run on the compiled kernels of
:mod:`accord.analysis.kernels`, which pay a one-time compilation (tens of
seconds per machine and installation, cached on disk) and are then up to a
hundred times faster; they are imported only when a problem is that large, so
a command that never meets one never loads numba.  ``engine`` chooses
explicitly (``"numpy"``, ``"compiled"``); the default ``"auto"`` switches at
:data:`COMPILED_ABOVE` rows, unless the ``ACCORD_ENGINE`` environment variable
names an engine (:func:`resolve_engine`).  Both engines are tested against the plain
definition — compare every pair (``tests/analysis/oracle.py``) — and against
each other.
"""

from __future__ import annotations

import hashlib
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "COMPILED_ABOVE",
    "Engine",
    "dense_ranks",
    "dominated_by",
    "group_rows",
    "kernels_warm",
    "maxima",
    "nondominated",
    "resolve_engine",
    "use_compiled",
    "warm_stamp",
]

BoolArray = NDArray[np.bool_]
RankArray = NDArray[np.int32]
IndexArray = NDArray[np.int64]
Engine = Literal["auto", "numpy", "compiled"]

#: ``engine="auto"`` uses the compiled kernels above this many rows (for
#: :func:`dominated_by`: rows of both sets).  Chosen by measurement
#: (``benchmarks/bench_startup.py``): below it numpy answers in a few
#: tenths of a second at most, far less than the compiled code's first load.
COMPILED_ABOVE = 100_000

#: Below this many rows a maxima problem is solved by one pairwise block.
_MAXIMA_BLOCK = 256
#: Below this many row pairs a filter problem is solved by one pairwise block.
_FILTER_BLOCK = 1 << 16
#: Upper bound on the elements of one pairwise comparison block (memory).
_CHUNK_ELEMENTS = 1 << 21
_ENGINES = ("auto", "numpy", "compiled")


def resolve_engine(engine: str) -> Engine:
    """``engine``, with ``"auto"`` replaced by the ``ACCORD_ENGINE`` environment variable when set.

    ``ACCORD_ENGINE=numpy`` keeps every analysis on numpy (numba never loads);
    ``ACCORD_ENGINE=compiled`` uses the compiled kernels at every size.
    """
    if engine not in _ENGINES:
        raise ValueError(f"engine must be one of {', '.join(_ENGINES)}, got {engine!r}")
    if engine == "auto":
        chosen = os.environ.get("ACCORD_ENGINE", "auto").strip().lower() or "auto"
        if chosen in _ENGINES:
            return chosen  # type: ignore[return-value]
    return engine  # type: ignore[return-value]


def warm_stamp() -> Path | None:
    """The file that says "this installation's compiled kernels are in the numba cache".

    Written by ``python -m accord.analysis.warm`` (``make warm``) after it
    compiled every kernel; its name holds a digest of the kernels' source and
    the numba and Python versions, so an edit or an upgrade retires it.  It
    lives in the numba cache folder (``NUMBA_CACHE_DIR``, else the kernels'
    ``__pycache__``).  None when the source cannot be read.
    """
    source = Path(__file__).with_name("kernels.py")
    try:
        digest = hashlib.sha1(source.read_bytes())
        digest.update(metadata.version("numba").encode())
    except (OSError, metadata.PackageNotFoundError):
        return None
    digest.update(sys.version.encode())
    root = os.environ.get("NUMBA_CACHE_DIR")
    folder = Path(root) if root else source.parent / "__pycache__"
    return folder / f"accord-kernels-{digest.hexdigest()[:16]}.warm"


def kernels_warm() -> bool:
    """Whether :func:`warm_stamp` exists: loading the kernels then costs well under a second."""
    stamp = warm_stamp()
    return stamp is not None and stamp.is_file()


def use_compiled(engine: str, size: int, threshold: int | None = None) -> bool:
    """Whether ``engine`` means the compiled kernels for a problem of ``size`` rows."""
    engine = resolve_engine(engine)
    if engine == "auto":
        return size > (COMPILED_ABOVE if threshold is None else threshold)
    return engine == "compiled"


def dense_ranks(points: NDArray[np.floating] | NDArray[np.integer],
                tolerance: float = 0.0) -> RankArray:
    """``(n, d)`` values → ``(n, d)`` dense ranks per column (``int32``).

    Values closer than ``tolerance`` to their neighbour in sorted order share a
    rank, so that two sums that differ only by floating-point rounding count as
    equal (with ``tolerance = 0``, only identical values do).  One sort per
    column (numpy at every size: there is no interpreter loop to save).
    """
    values = np.asarray(points, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"points must be a 2-D array, got shape {values.shape}")
    n, d = values.shape
    ranks = np.empty((n, d), dtype=np.int32)
    step = np.zeros(n, dtype=np.int32)
    for j in range(d):
        column = values[:, j]
        order = np.argsort(column, kind="stable")
        if n:
            step[1:] = np.diff(column[order]) > tolerance
        ranks[order, j] = np.cumsum(step, dtype=np.int32)
    return ranks


def maxima(ranks: RankArray, strict: int | None = None, *, engine: Engine = "auto") -> BoolArray:
    """Mask of the rows of integer ``ranks`` ``(n, d)`` that no other row dominates."""
    table = np.ascontiguousarray(ranks, dtype=np.int32)
    if table.ndim != 2:
        raise ValueError(f"ranks must be a 2-D array, got shape {table.shape}")
    strict = table.shape[1] if strict is None else strict
    if not 0 <= strict <= table.shape[1]:
        raise ValueError(f"strict must be between 0 and {table.shape[1]}, got {strict}")
    if use_compiled(engine, table.shape[0]):
        from accord.analysis import kernels

        compiled: BoolArray = kernels.maxima(table, int(strict))
        return compiled
    return _maxima(np.ascontiguousarray(table.T), int(strict))


def nondominated(points: NDArray[np.floating] | NDArray[np.integer],
                 strict: int | None = None, tolerance: float = 0.0, *,
                 engine: Engine = "auto") -> BoolArray:
    """Mask of the rows of ``points`` ``(n, d)`` that no other row dominates.

    ``strict`` is the number of leading columns in which a dominating row must be
    better somewhere (default: all columns).  Values within ``tolerance`` of each
    other count as equal.  Rows may repeat; equal rows are kept or dropped together.
    """
    values = np.asarray(points)
    if values.ndim != 2:
        raise ValueError(f"points must be a 2-D array, got shape {values.shape}")
    n, d = values.shape
    strict = d if strict is None else strict
    if not 0 <= strict <= d:
        raise ValueError(f"strict must be between 0 and {d}, got {strict}")
    if n == 0:
        return np.zeros(0, dtype=bool)
    if strict == 0:
        return np.ones(n, dtype=bool)
    return maxima(dense_ranks(values, tolerance), strict, engine=engine)


def dominated_by(candidates: NDArray[np.floating] | NDArray[np.integer],
                 reference: NDArray[np.floating] | NDArray[np.integer],
                 tolerance: float = 0.0, *, engine: Engine = "auto") -> BoolArray:
    """Mask of the rows of ``candidates`` for which some row of ``reference`` is ``≥`` in every column.

    Weak dominance: an equal row counts.  Used to test points against a known set
    (for instance, "is this package weakly improved on by a frontier point?").
    """
    a = np.asarray(reference)
    b = np.asarray(candidates)
    if a.shape[0] == 0 or b.shape[0] == 0:
        return np.zeros(b.shape[0], dtype=bool)
    both = dense_ranks(np.vstack([a, b]), tolerance)
    if use_compiled(engine, both.shape[0]):
        from accord.analysis import kernels

        mask: BoolArray = kernels.covered(np.ascontiguousarray(both[: a.shape[0]]),
                                          np.ascontiguousarray(both[a.shape[0]:]))
        return mask
    columns = np.ascontiguousarray(both.T)
    return _filter(columns[:, : a.shape[0]], columns[:, a.shape[0]:])


def group_rows(rows: NDArray[np.integer], *, engine: Engine = "auto") -> tuple[IndexArray, IndexArray]:
    """``(first, inverse)`` of the distinct rows of an integer ``(n, d)`` array.

    ``rows[first][inverse] == rows``; ``first[g]`` is the first row of class ``g``.
    The numpy engine hashes each row to one 64-bit number and sorts those (much
    faster than ``np.unique(axis=0)``), falling back to the exact method when
    the hash merged rows that differ.
    """
    table = np.ascontiguousarray(rows, dtype=np.int64)
    n = table.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if use_compiled(engine, n):
        from accord.analysis import kernels

        first, inverse = kernels.group_rows(table)
        return first, inverse
    integers = table.reshape(n, -1)
    bits = integers.view(np.uint64)
    digest = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(bits.shape[1]):
            digest ^= bits[:, j] * np.uint64(0x9E3779B97F4A7C15 + 2 * j)
            digest ^= digest >> np.uint64(31)
            digest *= np.uint64(0xBF58476D1CE4E5B9)
    _, first, inverse = np.unique(digest, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    if not np.array_equal(integers[first][inverse], integers):
        _, first, inverse = np.unique(integers, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
    return first.astype(np.int64), inverse.astype(np.int64)


# -- the numpy engine: maxima (rows not dominated within one set) ---------------
# These work on the transposed layout ``(d, n)`` (one row per column of the points),
# so that one coordinate of every point is one contiguous array.
def _maxima(ranks: RankArray, strict: int) -> BoolArray:
    """Mask of the maxima among the columns of integer ``ranks`` ``(d, n)``.

    Column ``b`` dominates column ``a`` when it is ``≥`` in every row and ``>`` in
    one of the first ``strict`` rows.
    """
    d, n = ranks.shape
    if strict == 0 or n <= 1:
        return np.ones(n, dtype=bool)
    if d == 1:
        return ranks[0] == ranks[0].max()
    if d == 2 and strict == 2:
        return ~_dominated_2d(ranks[0], ranks[1])
    if n <= _MAXIMA_BLOCK:
        return ~_pairwise_dominated(ranks, strict)
    split = _split_value(ranks[0])
    if split is None:
        # The first strict column is constant here: it can no longer be the one
        # where a dominating row is better, so it only has to be "not worse",
        # which every row already is.
        return _maxima(ranks[1:], strict - 1)
    high = ranks[0] > split
    high_rows = np.flatnonzero(high)
    low_rows = np.flatnonzero(~high)
    high_max = _maxima(ranks[:, high_rows], strict)
    low_max = _maxima(ranks[:, low_rows], strict)
    survivors = high_max.copy()
    keep_high = ranks[1:, high_rows[high_max]]
    low_candidates = np.flatnonzero(low_max)
    # Every high row is strictly better in column 0, so the rest is a weak filter.
    beaten = _filter(keep_high, ranks[1:, low_rows[low_candidates]])
    mask = np.zeros(n, dtype=bool)
    mask[high_rows[survivors]] = True
    mask[low_rows[low_candidates[~beaten]]] = True
    return mask


def _pairwise_dominated(ranks: RankArray, strict: int) -> BoolArray:
    """One block: ``dominated[a]`` when some ``b`` is ``≥`` everywhere and ``>`` in a strict column."""
    d, _ = ranks.shape
    # Where b ≥ a in every column, "b > a in some strict column" is the same as
    # "b's strict columns add up to more": one comparison instead of `strict`.
    strict_sum = ranks[:strict].sum(axis=0, dtype=np.int64)
    dominates = strict_sum[:, None] > strict_sum[None, :]  # dominates[b, a]
    scratch = np.empty_like(dominates)
    for j in range(d):
        np.greater_equal(ranks[j][:, None], ranks[j][None, :], out=scratch)
        dominates &= scratch
    result: BoolArray = dominates.any(axis=0)
    return result


def _dominated_2d(first: NDArray[np.generic], second: NDArray[np.generic]) -> BoolArray:
    """Two columns, both strict: dominated when another, unequal row is ``≥`` in both.

    Sort by the first column then the second, both descending; a row is dominated
    exactly when some earlier row *that is not equal to it* has a second value at
    least as large.  Equal rows are adjacent, so "earlier and unequal" means
    "before the first copy of this row".
    """
    n = first.shape[0]
    order = np.lexsort((-np.asarray(second, dtype=np.float64), -np.asarray(first, dtype=np.float64)))
    f = first[order]
    s = second[order]
    new_block = np.ones(n, dtype=bool)
    new_block[1:] = (f[1:] != f[:-1]) | (s[1:] != s[:-1])
    block_start = np.maximum.accumulate(np.where(new_block, np.arange(n), 0))
    running = np.maximum.accumulate(s.astype(np.float64))
    best_before = np.full(n, -np.inf)
    best_before[1:] = running[:-1]
    dominated_sorted = best_before[block_start] >= s
    dominated = np.empty(n, dtype=bool)
    dominated[order] = dominated_sorted
    return dominated


# -- filter: rows of one set weakly dominated by a row of another --------------


def _filter(above: RankArray, below: RankArray) -> BoolArray:
    """``result[k]``: some column of ``above`` is ``≥`` column ``k`` of ``below`` in every row."""
    d, n_above = above.shape
    n_below = below.shape[1]
    if n_above == 0 or n_below == 0:
        return np.zeros(n_below, dtype=bool)
    if d == 0:
        return np.ones(n_below, dtype=bool)
    if d == 1:
        result1: BoolArray = below[0] <= above[0].max()
        return result1
    if d == 2:
        return _filter_2d(above, below)
    if n_above * n_below <= _FILTER_BLOCK:
        return _pairwise_filter(above, below)
    # A row of `below` above the column-wise maximum of `above` cannot be covered.
    reachable = (below <= above.max(axis=1)[:, None]).all(axis=0)
    if not reachable.all():
        result = np.zeros(n_below, dtype=bool)
        rows = np.flatnonzero(reachable)
        if rows.size:
            result[rows] = _filter(above, below[:, rows])
        return result
    split = _split_value(np.concatenate([above[0], below[0]]))
    if split is None:
        return _filter(above[1:], below[1:])
    above_high = above[0] > split
    below_high = below[0] > split
    result = np.zeros(n_below, dtype=bool)
    low = np.flatnonzero(~below_high)
    if low.size:
        below_low = below[:, low]
        # Low rows against low rows: the same problem, half the size.
        covered = _filter(above[:, ~above_high], below_low)
        # Low rows against high rows: column 0 is settled, one dimension fewer.
        open_rows = np.flatnonzero(~covered)
        if open_rows.size and above_high.any():
            covered[open_rows[_filter(above[1:, above_high], below_low[1:, open_rows])]] = True
        result[low] = covered
    high = np.flatnonzero(below_high)
    if high.size:
        # High rows of `below` can only be covered by high rows of `above`.
        result[high] = _filter(above[:, above_high], below[:, high])
    return result


def _filter_2d(above: RankArray, below: RankArray) -> BoolArray:
    order = np.argsort(above[0], kind="stable")
    first = above[0, order]
    best_second_from = np.maximum.accumulate(above[1, order][::-1])[::-1]
    position = np.searchsorted(first, below[0], side="left")
    result = np.zeros(below.shape[1], dtype=bool)
    inside = position < first.shape[0]
    result[inside] = best_second_from[position[inside]] >= below[1, inside]
    return result


def _pairwise_filter(above: RankArray, below: RankArray) -> BoolArray:
    d, n_above = above.shape
    n_below = below.shape[1]
    result = np.empty(n_below, dtype=bool)
    step = max(1, _CHUNK_ELEMENTS // n_above)
    scratch = np.empty((min(step, n_below), n_above), dtype=bool)
    for start in range(0, n_below, step):
        block = below[:, start:start + step]
        covered = block[0][:, None] <= above[0][None, :]
        part = scratch[: block.shape[1]]
        for j in range(1, d):
            # In place: no temporary array per column.
            np.less_equal(block[j][:, None], above[j][None, :], out=part)
            covered &= part
        result[start:start + step] = covered.any(axis=1)
    return result


def _split_value(values: RankArray) -> int | None:
    """A value splitting ``values`` into a non-empty ``> t`` part and ``≤ t`` part (None if constant)."""
    middle = values.shape[0] // 2
    split = np.partition(values, middle)[middle]
    top = values.max()
    if split >= top:
        below = values[values < top]
        if below.size == 0:
            return None
        split = below.max()
    return int(split)
