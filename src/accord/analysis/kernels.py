"""Compiled kernels of the frontier engine: dominance, grouping and the issue-by-issue merge.

Pure functions over numpy arrays, compiled to machine code with numba
(``@njit(cache=True)``).  They hold the inner loops that the pure definitions
express in a few lines of numpy but pay for in interpreter overhead (one numpy
call per small subproblem) — the reason for this module.  Everything here is
exact; the definitions they must agree with are stated in each docstring and
checked against brute force in ``tests/analysis/test_kernels.py``.

Conventions (for the callers in :mod:`accord.analysis` and later ones):

* point sets are ``(n, d)`` C-contiguous arrays, one point per row;
* dominance is computed on **dense ranks** (``int32``, one column per
  coordinate, equal values share a rank), which makes every comparison exact and
  lets a tolerance decide what "equal" means once, up front
  (:func:`dense_ranks`);
* row ``b`` *dominates* row ``a`` when ``b ≥ a`` in every column and ``b > a``
  in at least one of the first ``strict`` columns (Pareto dominance when
  ``strict = d``); equal rows never dominate each other.

The maxima (:func:`maxima`) are found by one orthant query per row in a k-d
tree (Bentley, "Multidimensional binary search trees used for associative
searching", *Comm. ACM* 18(9), 1975); two columns need only a sort and a
running maximum.  Weak covering (:func:`covered`) uses the multidimensional
divide and conquer of Kung, Luccio and Preparata ("On finding the maxima of a
set of vectors", *J. ACM* 22(4), 1975) in Bentley's form ("Multidimensional
divide-and-conquer", *Comm. ACM* 23(4), 1980).  No kernel recurses: numba
cannot cache recursive functions safely (a cached recursive function crashed
the next process), so divide and conquer runs from explicit stacks.  The merge
(:func:`merge_frontier`) builds the non-dominated sums of one point per issue
and is described in :mod:`accord.analysis.pareto`; :func:`find_acceptable`,
:func:`screen_existence` and :func:`settle_existence` answer "is some package
acceptable?" per sample for :mod:`accord.analysis.uncertainty`.

Entry points take only arrays and scalars (C-contiguous, ``float64`` values,
``int64`` indices, ``int32`` ranks, ``bool`` masks) and return new arrays; a
caller with other layouts converts first (``np.ascontiguousarray``), which also
keeps each kernel to one compiled signature, so one cache entry.

Compilation happens once per machine: the compiled code is cached next to this
file (or, when that folder is read-only, in numba's per-user cache folder), so
later processes load it instead of compiling.  When no cache folder is writable
at all the kernels are compiled in each process instead — slower to start, same
answers.  ``NUMBA_DISABLE_JIT=1`` runs them as plain Python (for debugging).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numba
import numpy as np

__all__ = [
    "MERGE_EMPTY",
    "MERGE_OK",
    "MERGE_TOO_MANY_CANDIDATES",
    "MERGE_TOO_MANY_VECTORS",
    "covered",
    "dense_ranks",
    "find_acceptable",
    "group_rows",
    "list_packages",
    "maxima",
    "merge_frontier",
    "screen_existence",
    "settle_existence",
    "within_issue_maxima",
]

F = TypeVar("F", bound=Callable[..., Any])


def _compile(function: F) -> F:
    """``numba.njit(cache=True)``, or without the on-disk cache when no cache folder is writable."""
    try:
        return numba.njit(cache=True, nogil=True)(function)  # type: ignore[return-value]
    except RuntimeError:  # "cannot cache function …: no locator available"
        return numba.njit(nogil=True)(function)  # type: ignore[return-value]


#: Rows per k-d tree leaf.
_KD_LEAF = 16
#: Below this many row pairs a covering subproblem is solved by pairwise comparison.
_FILTER_BLOCK = 2048
#: Above this many options per issue the merge sorts a column instead of merging k sorted runs.
_MERGE_WAYS = 12

#: Status codes of :func:`merge_frontier`.
MERGE_OK = 0
MERGE_EMPTY = 1
MERGE_TOO_MANY_CANDIDATES = 2
MERGE_TOO_MANY_VECTORS = 3


# ---------------------------------------------------------------------------
# ranks and groups


@_compile
def dense_ranks(values: np.ndarray, tolerance: float) -> np.ndarray:
    """``(n, d)`` float values → ``(n, d)`` ``int32`` dense ranks, column by column.

    Sorted ascending, a value gets the rank of its predecessor when it exceeds it
    by at most ``tolerance`` and the next rank otherwise (so with ``tolerance = 0``
    only identical values share a rank).
    """
    n, d = values.shape
    ranks = np.empty((n, d), dtype=np.int32)
    column = np.empty(n, dtype=np.float64)
    for j in range(d):
        for i in range(n):
            column[i] = values[i, j]
        order = np.argsort(column, kind="mergesort")
        rank = 0
        for t in range(n):
            i = order[t]
            if t > 0 and column[i] - column[order[t - 1]] > tolerance:
                rank += 1
            ranks[i, j] = rank
    return ranks


@_compile
def _row_hash(ranks: np.ndarray, i: int) -> np.uint64:
    h = np.uint64(0x9E3779B97F4A7C15)
    for j in range(ranks.shape[1]):
        h ^= np.uint64(ranks[i, j]) + np.uint64(0x9E3779B97F4A7C15) + (h << np.uint64(6)) \
            + (h >> np.uint64(2))
        h *= np.uint64(0xBF58476D1CE4E5B9)
    return h


@_compile
def _rows_equal(ranks: np.ndarray, a: int, b: int) -> bool:
    # A plain loop: numba compiles no generator expressions (no `all(...)`).
    equal = True
    for j in range(ranks.shape[1]):
        if ranks[a, j] != ranks[b, j]:
            equal = False
            break
    return equal


@_compile
def _group_run(ranks: np.ndarray, members: np.ndarray, group: np.ndarray, first: np.ndarray,
               n_groups: int) -> int:
    """Give the equal rows among ``members`` one group id each; returns the new group count."""
    s = members.shape[0]
    if s <= 8:
        for t in range(s):
            i = members[t]
            found = -1
            for u in range(t):
                if _rows_equal(ranks, members[u], i):
                    found = group[members[u]]
                    break
            if found < 0:
                group[i] = n_groups
                first[n_groups] = i
                n_groups += 1
            else:
                group[i] = found
        return n_groups
    hashes = np.empty(s, dtype=np.uint64)
    for t in range(s):
        hashes[t] = _row_hash(ranks, members[t])
    order = np.argsort(hashes, kind="mergesort")   # stable: the first row of a class comes first
    start = 0
    while start < s:
        stop = start + 1
        while stop < s and hashes[order[stop]] == hashes[order[start]]:
            stop += 1
        # Equal hashes: compare the rows themselves (a collision keeps them apart).
        for t in range(start, stop):
            i = members[order[t]]
            found = -1
            for u in range(start, t):
                if _rows_equal(ranks, members[order[u]], i):
                    found = group[members[order[u]]]
                    break
            if found < 0:
                group[i] = n_groups
                first[n_groups] = i
                n_groups += 1
            else:
                group[i] = found
        start = stop
    return n_groups


@_compile
def _group_by_key(ranks: np.ndarray, order: np.ndarray, key: int,
                  group: np.ndarray, first: np.ndarray) -> int:
    """Group equal rows, walking ``order`` (sorted by column ``key``): equal rows share its runs."""
    n = order.shape[0]
    n_groups = 0
    start = 0
    while start < n:
        stop = start + 1
        value = ranks[order[start], key]
        while stop < n and ranks[order[stop], key] == value:
            stop += 1
        if stop - start == 1:
            i = order[start]
            group[i] = n_groups
            first[n_groups] = i
            n_groups += 1
        else:
            n_groups = _group_run(ranks, order[start:stop], group, first, n_groups)
        start = stop
    return n_groups


@_compile
def group_rows(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(first, group)`` of the distinct rows of an integer ``(n, d)`` array.

    ``group[i]`` numbers row ``i``'s class of equal rows, ``first[g]`` is the
    first row (in ``order`` of the key column) of class ``g``: ``ranks[first][group]
    == ranks``.
    """
    n, d = ranks.shape
    group = np.empty(n, dtype=np.int64)
    first = np.empty(n, dtype=np.int64)
    if n == 0:
        return first, group
    if d == 0:
        group[:] = 0
        first[0] = 0
        return first[:1], group
    # The column with the most distinct values keeps the runs to compare short.
    key = 0
    best = -1
    for j in range(d):
        top = 0
        for i in range(n):
            if ranks[i, j] > top:
                top = ranks[i, j]
        if top > best:
            best = top
            key = j
    order = np.argsort(ranks[:, key], kind="mergesort")
    n_groups = _group_by_key(ranks, order, key, group, first)
    return first[:n_groups].copy(), group


# ---------------------------------------------------------------------------
# maxima and covering (divide and conquer)


@_compile
def _split_value(ranks: np.ndarray, rows: np.ndarray, col: int) -> tuple[bool, int]:
    """A value ``t`` splitting ``rows`` on column ``col`` into non-empty ``> t`` and ``≤ t`` parts."""
    n = rows.shape[0]
    values = np.empty(n, dtype=np.int32)
    top = ranks[rows[0], col]
    for t in range(n):
        values[t] = ranks[rows[t], col]
        if values[t] > top:
            top = values[t]
    middle = n // 2
    split = np.partition(values, middle)[middle]
    if split >= top:
        found = False
        below = 0
        for t in range(n):
            if values[t] < top and (not found or values[t] > below):
                below = values[t]
                found = True
        if not found:
            return False, 0
        split = below
    return True, int(split)


@_compile
def _maxima_2d(ranks: np.ndarray, rows: np.ndarray, col: int, keep: np.ndarray) -> None:
    """Two columns left, both strict: one sort and a running maximum of the second column."""
    n = rows.shape[0]
    key = np.empty(n, dtype=np.int64)
    span = np.int64(0)
    for t in range(n):
        if ranks[rows[t], col + 1] > span:
            span = np.int64(ranks[rows[t], col + 1])
    span += 1
    for t in range(n):
        key[t] = -(np.int64(ranks[rows[t], col]) * span + ranks[rows[t], col + 1])
    order = np.argsort(key, kind="mergesort")
    best_before = np.int64(-1)   # best second value among rows strictly before the current block
    running = np.int64(-1)
    t = 0
    while t < n:
        # A block of equal rows: dominated exactly when an earlier, different row is ≥ in the second column.
        stop = t + 1
        while stop < n and key[order[stop]] == key[order[t]]:
            stop += 1
        second = np.int64(ranks[rows[order[t]], col + 1])
        best_before = running
        alive = best_before < second
        for u in range(t, stop):
            keep[rows[order[u]]] = alive
        if second > running:
            running = second
        t = stop


@_compile
def _cover_2d(ranks: np.ndarray, above: np.ndarray, below: np.ndarray, col: int,
              cov: np.ndarray) -> None:
    """Two columns: sort ``above`` by the first, a suffix maximum of the second answers each row."""
    na = above.shape[0]
    first = np.empty(na, dtype=np.int32)
    for t in range(na):
        first[t] = ranks[above[t], col]
    order = np.argsort(first, kind="mergesort")
    sorted_first = first[order]
    suffix = np.empty(na, dtype=np.int32)
    best = np.int32(-1)
    for t in range(na - 1, -1, -1):
        v = ranks[above[order[t]], col + 1]
        if v > best:
            best = v
        suffix[t] = best
    for k in range(below.shape[0]):
        b = below[k]
        position = np.searchsorted(sorted_first, ranks[b, col])
        if position < na and suffix[position] >= ranks[b, col + 1]:
            cov[b] = True


@_compile
def _split_rows(ranks: np.ndarray, rows: np.ndarray, col: int, split: int) -> tuple[np.ndarray, np.ndarray]:
    """``rows`` with column ``col`` above ``split``, and the others (order kept)."""
    n = rows.shape[0]
    n_high = 0
    for t in range(n):
        if ranks[rows[t], col] > split:
            n_high += 1
    high = np.empty(n_high, dtype=np.int64)
    low = np.empty(n - n_high, dtype=np.int64)
    h = 0
    lo = 0
    for t in range(n):
        if ranks[rows[t], col] > split:
            high[h] = rows[t]
            h += 1
        else:
            low[lo] = rows[t]
            lo += 1
    return high, low


@_compile
def _cover(ranks: np.ndarray, above: np.ndarray, below: np.ndarray, col: int, cov: np.ndarray) -> None:
    """``cov[b] = True`` for the rows ``b`` of ``below`` that a row of ``above`` is ``≥`` in columns ``col:``.

    Bentley's divide and conquer, run from an explicit stack (numba cannot cache
    recursive functions safely).  ``cov`` only ever turns True, so the order of
    the subproblems does not matter for the answer; it is chosen so that a row
    covered by the cheaper subproblem is skipped by the dearer one.
    """
    d = ranks.shape[1]
    stack_above = [above]
    stack_below = [below]
    stack_col = [col]
    while len(stack_col):
        a = stack_above.pop()
        b_all = stack_below.pop()
        c = stack_col.pop()
        # Rows covered meanwhile need no more work.
        n_open = 0
        for k in range(b_all.shape[0]):
            if not cov[b_all[k]]:
                n_open += 1
        if n_open == 0 or a.shape[0] == 0:
            continue
        if n_open < b_all.shape[0]:
            b = np.empty(n_open, dtype=np.int64)
            u = 0
            for k in range(b_all.shape[0]):
                if not cov[b_all[k]]:
                    b[u] = b_all[k]
                    u += 1
        else:
            b = b_all
        na = a.shape[0]
        nb = b.shape[0]
        active = d - c
        if active <= 0:
            for k in range(nb):
                cov[b[k]] = True
            continue
        if active == 1:
            top = ranks[a[0], c]
            for t in range(1, na):
                if ranks[a[t], c] > top:
                    top = ranks[a[t], c]
            for k in range(nb):
                if ranks[b[k], c] <= top:
                    cov[b[k]] = True
            continue
        if active == 2:
            _cover_2d(ranks, a, b, c, cov)
            continue
        if na * nb <= _FILTER_BLOCK:
            for k in range(nb):
                row = b[k]
                for t in range(na):
                    other = a[t]
                    ok = True
                    for j in range(c, d):
                        if ranks[other, j] < ranks[row, j]:
                            ok = False
                            break
                    if ok:
                        cov[row] = True
                        break
            continue
        # A row of `below` above the column-wise maximum of `above` cannot be covered.
        top_of = np.empty(d, dtype=np.int32)
        for j in range(c, d):
            top_of[j] = ranks[a[0], j]
        for t in range(1, na):
            for j in range(c, d):
                if ranks[a[t], j] > top_of[j]:
                    top_of[j] = ranks[a[t], j]
        n_reach = 0
        reach = np.empty(nb, dtype=np.int64)
        for k in range(nb):
            ok = True
            for j in range(c, d):
                if ranks[b[k], j] > top_of[j]:
                    ok = False
                    break
            if ok:
                reach[n_reach] = b[k]
                n_reach += 1
        if n_reach < nb:
            if n_reach:
                stack_above.append(a)
                stack_below.append(reach[:n_reach].copy())
                stack_col.append(c)
            continue
        found, split = _split_value(ranks, np.concatenate((a, b)), c)
        if not found:
            stack_above.append(a)
            stack_below.append(b)
            stack_col.append(c + 1)
            continue
        a_high, a_low = _split_rows(ranks, a, c, split)
        b_high, b_low = _split_rows(ranks, b, c, split)
        # Popped last: low rows against high rows, column `c` settled (one column fewer),
        # after the low-against-low subproblem has covered what it can.
        if b_low.shape[0] and a_high.shape[0]:
            stack_above.append(a_high)
            stack_below.append(b_low)
            stack_col.append(c + 1)
        if b_low.shape[0] and a_low.shape[0]:
            stack_above.append(a_low)
            stack_below.append(b_low)
            stack_col.append(c)
        # High rows of `below` can only be covered by high rows of `above`.
        if b_high.shape[0] and a_high.shape[0]:
            stack_above.append(a_high)
            stack_below.append(b_high)
            stack_col.append(c)


@_compile
def _select(perm: np.ndarray, start: int, end: int, kth: int, ranks: np.ndarray, j: int) -> None:
    """Reorder ``perm[start:end]`` so that position ``kth`` holds its median by column ``j`` (Hoare)."""
    lo = start
    hi = end - 1
    while lo < hi:
        pivot = ranks[perm[(lo + hi) // 2], j]
        i = lo
        k = hi
        while i <= k:
            while ranks[perm[i], j] < pivot:
                i += 1
            while ranks[perm[k], j] > pivot:
                k -= 1
            if i <= k:
                swap = perm[i]
                perm[i] = perm[k]
                perm[k] = swap
                i += 1
                k -= 1
        if kth <= k:
            hi = k
        elif kth >= i:
            lo = i
        else:
            return


@_compile
def _kd_tree(ranks: np.ndarray):  # type: ignore[no-untyped-def]
    """A k-d tree over the rows (Bentley, *Comm. ACM* 18(9), 1975): median splits on the widest column.

    Returns ``(perm, low, high, start, stop, left)``: node ``v`` holds the rows
    ``perm[start[v]:stop[v]]`` inside the box ``[low[v], high[v]]``; its children
    are ``left[v]`` and ``left[v] + 1`` (``-1`` for a leaf).
    """
    m, d = ranks.shape
    perm = np.arange(m, dtype=np.int64)
    capacity = 4 * (m // _KD_LEAF + 1) + 4
    low = np.empty((capacity, d), dtype=np.int32)
    high = np.empty((capacity, d), dtype=np.int32)
    start = np.empty(capacity, dtype=np.int64)
    stop = np.empty(capacity, dtype=np.int64)
    left = np.full(capacity, -1, dtype=np.int64)
    n_nodes = 1
    start[0] = 0
    stop[0] = m
    pending = [0]
    while len(pending):
        node = pending.pop()
        s = start[node]
        e = stop[node]
        for j in range(d):
            a = ranks[perm[s], j]
            b = a
            for t in range(s + 1, e):
                v = ranks[perm[t], j]
                if v < a:
                    a = v
                if v > b:
                    b = v
            low[node, j] = a
            high[node, j] = b
        if e - s <= _KD_LEAF:
            continue
        widest = 0
        span = -1
        for j in range(d):
            if high[node, j] - low[node, j] > span:
                span = high[node, j] - low[node, j]
                widest = j
        if span == 0:
            continue   # equal rows: a leaf, however many
        middle = (s + e) // 2
        _select(perm, s, e, middle, ranks, widest)
        child = n_nodes
        n_nodes += 2
        start[child] = s
        stop[child] = middle
        start[child + 1] = middle
        stop[child + 1] = e
        left[node] = child
        pending.append(child)
        pending.append(child + 1)
    return perm, low[:n_nodes], high[:n_nodes], start[:n_nodes], stop[:n_nodes], left[:n_nodes]


@_compile
def _dominated_kd(ranks: np.ndarray, strict: int) -> np.ndarray:
    """Per row: does another row dominate it?  One k-d tree, one orthant query per row.

    A query descends only into boxes that reach the orthant above the row and stops
    at the first dominator: a box entirely inside the orthant and strictly above
    in a strict column dominates outright.  Rows are queried in tree order, so
    neighbouring queries walk the same nodes (cache locality).
    """
    m, d = ranks.shape
    perm, low, high, start, stop, left = _kd_tree(ranks)
    # The rows in tree order: a leaf's rows are contiguous in memory.
    ordered = np.empty((m, d), dtype=np.int32)
    for t in range(m):
        ordered[t] = ranks[perm[t]]
    dominated = np.zeros(m, dtype=np.bool_)
    stack = np.empty(2 * (len(left) + 1), dtype=np.int64)
    x = np.empty(d, dtype=np.int32)
    last = -1   # the row (tree order) that dominated the previous dominated query
    for q in range(m):
        x[:] = ordered[q]
        # Neighbouring queries (tree order) tend to share a dominator: test it first, in O(d).
        if last >= 0:
            geq = True
            gt = False
            for j in range(d):
                if ordered[last, j] < x[j]:
                    geq = False
                    break
                if j < strict and ordered[last, j] > x[j]:
                    gt = True
            if geq and gt:
                dominated[perm[q]] = True
                continue
        stack[0] = 0
        top = 1
        found = False
        while top > 0 and not found:
            top -= 1
            node = stack[top]
            reach = True
            inside = True
            above = False
            for j in range(d):
                value = x[j]
                if high[node, j] < value:
                    reach = False
                    break
                if low[node, j] < value:
                    inside = False
                elif j < strict and low[node, j] > value:
                    above = True
            if not reach:
                continue
            if inside and above:
                found = True
                last = start[node]   # every row of this box dominates x
                break
            if left[node] < 0:
                for t in range(start[node], stop[node]):
                    geq = True
                    gt = False
                    for j in range(d):
                        if ordered[t, j] < x[j]:
                            geq = False
                            break
                        if j < strict and ordered[t, j] > x[j]:
                            gt = True
                    if geq and gt:
                        found = True
                        last = t
                        break
            else:
                # The upper half (more likely to hold a dominator) is searched first.
                stack[top] = left[node]
                stack[top + 1] = left[node] + 1
                top += 2
        x_row = perm[q]
        dominated[x_row] = found
    return dominated


@_compile
def maxima(ranks: np.ndarray, strict: int) -> np.ndarray:
    """Mask of the rows of integer ``ranks`` ``(n, d)`` that no other row dominates.

    Row ``b`` dominates row ``a`` when it is ``≥`` in every column and ``>`` in
    one of the first ``strict`` columns; equal rows are kept or dropped together.
    Two columns (both strict): one sort and a running maximum.  More: an orthant
    query per row in a k-d tree (:func:`_dominated_kd`), which measured 2× (4
    columns) to 10× (5–9 columns) faster than Kung–Luccio–Preparata's divide and
    conquer on the antichain-heavy sets the merge produces.
    """
    n, d = ranks.shape
    keep = np.zeros(n, dtype=np.bool_)
    if n == 0:
        return keep
    if strict == 0 or n == 1:
        keep[:] = True
        return keep
    if d == 1:
        top = ranks[0, 0]
        for t in range(1, n):
            if ranks[t, 0] > top:
                top = ranks[t, 0]
        for t in range(n):
            keep[t] = ranks[t, 0] == top
        return keep
    if d == 2 and strict == 2:
        _maxima_2d(ranks, np.arange(n, dtype=np.int64), 0, keep)
        return keep
    dominated = _dominated_kd(ranks, strict)
    for t in range(n):
        keep[t] = not dominated[t]
    return keep


@_compile
def covered(above: np.ndarray, below: np.ndarray) -> np.ndarray:
    """Mask of the rows of ``below`` for which some row of ``above`` is ``≥`` in every column.

    Both are integer ``(n, d)`` arrays ranked together (weak dominance: an
    equal row counts).
    """
    na = above.shape[0]
    nb = below.shape[0]
    d = above.shape[1]
    both = np.empty((na + nb, d), dtype=np.int32)
    both[:na] = above
    both[na:] = below
    cov = np.zeros(na + nb, dtype=np.bool_)
    _cover(both, np.arange(na, dtype=np.int64), np.arange(na, na + nb, dtype=np.int64), 0, cov)
    return cov[na:].copy()


# ---------------------------------------------------------------------------
# the merge: non-dominated sums of one point per issue


@_compile
def _merged_column(current: np.ndarray, order: np.ndarray, vectors: np.ndarray, k: int, j: int,
                   alive: np.ndarray, out: np.ndarray) -> int:
    """Candidates ``parent * k + choice`` that are ``alive``, sorted by coordinate ``j``.

    ``order`` sorts ``current`` by column ``j``; each choice shifts that sorted run by a
    constant (rounding is monotone, so it stays sorted): a k-way merge, no sort.
    """
    n = order.shape[0]
    heads = np.zeros(k, dtype=np.int64)
    m = 0
    if k > _MERGE_WAYS:
        total = n * k
        values = np.empty(total, dtype=np.float64)
        index = np.empty(total, dtype=np.int64)
        for t in range(n):
            p = order[t]
            for c in range(k):
                cand = p * k + c
                if alive[cand]:
                    values[m] = current[p, j] + vectors[c, j]
                    index[m] = cand
                    m += 1
        sort = np.argsort(values[:m], kind="mergesort")
        for t in range(m):
            out[t] = index[sort[t]]
        return m
    while True:
        best = -1
        best_value = 0.0
        for c in range(k):
            # Skip the dead candidates of this run.
            while heads[c] < n and not alive[order[heads[c]] * k + c]:
                heads[c] += 1
            if heads[c] < n:
                value = current[order[heads[c]], j] + vectors[c, j]
                if best < 0 or value < best_value:
                    best = c
                    best_value = value
        if best < 0:
            return m
        out[m] = order[heads[best]] * k + best
        m += 1
        heads[best] += 1


@_compile
def _thin_cells(values: np.ndarray, strict: int, width: float) -> np.ndarray:
    """One representative per cell of side ``width``: the largest strict sum, then the
    lexicographically largest vector (so that both engines pick the same whatever order their
    candidates come in), then the first; and only in the cells that no other occupied cell
    dominates (the ε-box archive of Laumanns, Thiele, Deb and Zitzler, *Evolutionary
    Computation* 10(3), 2002)."""
    n, d = values.shape
    cells = np.empty((n, d), dtype=np.int64)
    for i in range(n):
        for j in range(d):
            cells[i, j] = np.int64(np.floor(values[i, j] / width))
    first, group = group_rows(cells)
    best = np.full(first.shape[0], -1, dtype=np.int64)
    best_score = np.empty(first.shape[0], dtype=np.float64)
    for i in range(n):
        g = group[i]
        score = 0.0
        for j in range(strict):
            score += values[i, j]
        better = best[g] < 0 or score > best_score[g]
        if not better and score == best_score[g]:
            b = best[g]
            for j in range(d):
                if values[i, j] != values[b, j]:
                    better = values[i, j] > values[b, j]
                    break
        if better:
            best[g] = i
            best_score[g] = score
    # Laumanns et al.'s ε-archive keeps only the cells no other occupied cell dominates:
    # a point of a dominated cell is within `width` below the dominating cell's point.
    n_cells = first.shape[0]
    cell_values = np.empty((n_cells, d), dtype=np.float64)
    for g in range(n_cells):
        for j in range(d):
            cell_values[g, j] = cells[first[g], j]
    keep = maxima(dense_ranks(cell_values, 0.5), strict)
    n_keep = 0
    for g in range(n_cells):
        if keep[g]:
            n_keep += 1
    chosen = np.empty(n_keep, dtype=np.int64)
    u = 0
    for g in range(n_cells):
        if keep[g]:
            chosen[u] = best[g]
            u += 1
    return np.sort(chosen)


@_compile
def merge_frontier(start: np.ndarray, vectors: np.ndarray, sizes: np.ndarray, strict: int,
                   bounded: np.ndarray, bound: np.ndarray, best_rest: np.ndarray,
                   widths: np.ndarray, tolerance: float, max_vectors: int,
                   max_candidates: int) -> tuple[Any, ...]:
    """The non-dominated sums of one row of ``start`` plus one point per step.

    Args:
        start: ``(n0, d)`` the sums to start from: the sum of the issues with one
            option (``n0 = 1``), or the partial frontier of the steps the numpy
            engine merged before handing over (distinct, non-dominated rows).
        vectors: ``(S, K, d)`` per step, the options' points (rows ``sizes[s]:`` unused).
        sizes: ``(S,)`` options per step.
        strict: the first ``strict`` coordinates are objectives; the rest must not
            get worse but do not count as an improvement alone.
        bounded, bound, best_rest: coordinates ``bounded`` of the final sum must
            reach ``bound``; ``best_rest[s]`` ``(d,)`` is the most the steps after
            ``s`` add (partial sums that cannot reach the bound are dropped).
        widths: ``(S,)`` ε-thinning cell width per step (0: exact).
        tolerance: coordinates closer than this count as equal.
        max_vectors, max_candidates: limits (status codes 3 and 2).

    Returns ``(status, step, current, parents, choices, children, thinned, built)``: the
    final distinct sums ``current``, and per step the edges ``(parent, choice,
    child)`` sorted by child, from the previous step's sums to this step's;
    ``thinned[s]`` is True when thinning dropped a sum at step ``s``.
    """
    n_steps = sizes.shape[0]
    d = start.shape[1]
    current = start.copy()
    orders = np.empty((d, current.shape[0]), dtype=np.int64)
    for j in range(d):
        orders[j] = np.argsort(current[:, j], kind="mergesort")
    parents: list[np.ndarray] = []
    choices: list[np.ndarray] = []
    children: list[np.ndarray] = []
    thinned = np.zeros(n_steps, dtype=np.bool_)
    built = np.zeros(n_steps, dtype=np.int64)
    n_bounded = bounded.shape[0]
    for step in range(n_steps):
        k = sizes[step]
        n = current.shape[0]
        total = n * k
        if total > max_candidates:
            return (MERGE_TOO_MANY_CANDIDATES, step, current, parents, choices, children, thinned, built)
        vec = vectors[step, :k]
        built[step] = total
        cand = np.empty((total, d), dtype=np.float64)
        alive = np.ones(total, dtype=np.bool_)
        n_alive = 0
        for p in range(n):
            for c in range(k):
                i = p * k + c
                for j in range(d):
                    cand[i, j] = current[p, j] + vec[c, j]
                for b in range(n_bounded):
                    j = bounded[b]
                    if cand[i, j] + best_rest[step + 1, j] < bound[j]:
                        alive[i] = False
                        break
                if alive[i]:
                    n_alive += 1
        if n_alive == 0:
            return (MERGE_EMPTY, step, current, parents, choices, children, thinned, built)
        # Per coordinate: the alive candidates in sorted order, and dense ranks.
        sorted_by = np.empty((d, n_alive), dtype=np.int64)
        ranks = np.zeros((total, d), dtype=np.int32)
        key = 0
        key_top = -1
        for j in range(d):
            _merged_column(current, orders[j], vec, k, j, alive, sorted_by[j])
            rank = 0
            previous = 0.0
            for t in range(n_alive):
                i = sorted_by[j, t]
                value = cand[i, j]
                if t > 0 and value - previous > tolerance:
                    rank += 1
                ranks[i, j] = rank
                previous = value
            if rank > key_top:
                key_top = rank
                key = j
        # Equal sums become one node with several back-pointers.
        group = np.full(total, -1, dtype=np.int64)
        first = np.empty(n_alive, dtype=np.int64)
        n_groups = _group_by_key(ranks, sorted_by[key], key, group, first)
        first = first[:n_groups]
        distinct_ranks = np.empty((n_groups, d), dtype=np.int32)
        for g in range(n_groups):
            distinct_ranks[g] = ranks[first[g]]
        width = widths[step]
        if width > 0.0:
            distinct_values = np.empty((n_groups, d), dtype=np.float64)
            for g in range(n_groups):
                distinct_values[g] = cand[first[g]]
            selected = _thin_cells(distinct_values, strict, width)
            if selected.shape[0] < n_groups:
                thinned[step] = True
            sub_ranks = np.empty((selected.shape[0], d), dtype=np.int32)
            for t in range(selected.shape[0]):
                sub_ranks[t] = distinct_ranks[selected[t]]
            sub_keep = maxima(sub_ranks, strict)
            keep = np.zeros(n_groups, dtype=np.bool_)
            for t in range(selected.shape[0]):
                if sub_keep[t]:
                    keep[selected[t]] = True
        elif d == 2 and strict == 2:
            # Two objectives: a staircase sweep down the first coordinate's order (no sort).
            keep = np.zeros(n_groups, dtype=np.bool_)
            order0 = sorted_by[0]
            running = -1
            t = n_alive - 1
            while t >= 0:
                r0 = ranks[order0[t], 0]
                run_best = -1
                run_group = -1
                u = t
                while u >= 0 and ranks[order0[u], 0] == r0:
                    r1 = ranks[order0[u], 1]
                    if r1 > run_best:
                        run_best = r1
                        run_group = group[order0[u]]
                    u -= 1
                if run_best > running:
                    keep[run_group] = True
                    running = run_best
                t = u
        else:
            keep = maxima(distinct_ranks, strict)
        new_id = np.full(n_groups, -1, dtype=np.int64)
        n_kept = 0
        for g in range(n_groups):
            if keep[g]:
                new_id[g] = n_kept
                n_kept += 1
        if n_kept > max_vectors:
            return (MERGE_TOO_MANY_VECTORS, step, current, parents, choices, children, thinned, built)
        nxt = np.empty((n_kept, d), dtype=np.float64)
        for g in range(n_groups):
            if new_id[g] >= 0:
                nxt[new_id[g]] = cand[first[g]]
        # The next step's sorted orders: the kept representatives, in each column's order.
        is_first = np.zeros(total, dtype=np.bool_)
        for g in range(n_groups):
            if new_id[g] >= 0:
                is_first[first[g]] = True
        new_orders = np.empty((d, n_kept), dtype=np.int64)
        for j in range(d):
            u = 0
            for t in range(n_alive):
                i = sorted_by[j, t]
                if is_first[i]:
                    new_orders[j, u] = new_id[group[i]]
                    u += 1
        # Edges of the alive candidates whose node is kept, sorted by child (counting sort).
        counts = np.zeros(n_kept + 1, dtype=np.int64)
        n_edges = 0
        for i in range(total):
            if alive[i] and new_id[group[i]] >= 0:
                counts[new_id[group[i]] + 1] += 1
                n_edges += 1
        for g in range(n_kept):
            counts[g + 1] += counts[g]
        parent = np.empty(n_edges, dtype=np.int64)
        choice = np.empty(n_edges, dtype=np.int64)
        child = np.empty(n_edges, dtype=np.int64)
        for i in range(total):
            if alive[i]:
                c = new_id[group[i]]
                if c >= 0:
                    at = counts[c]
                    counts[c] += 1
                    parent[at] = i // k
                    choice[at] = i % k
                    child[at] = c
        parents.append(parent)
        choices.append(choice)
        children.append(child)
        current = nxt
        orders = new_orders
    return (MERGE_OK, n_steps, current, parents, choices, children, thinned, built)


# ---------------------------------------------------------------------------
# existence: is some package acceptable to everyone (one sample)


@_compile
def find_acceptable(contribution: np.ndarray, reservation: np.ndarray, allowed: np.ndarray,
                    tolerance: float) -> np.ndarray:
    """An acceptable package, or an empty array when none exists (exact).

    ``contribution`` ``(M, I, K)`` the must-accept parties' contributions,
    ``reservation`` ``(M,)``, ``allowed`` ``(I, K)`` the options free of red lines.
    A package is acceptable when it uses allowed options only and gives every
    party at least its reservation value minus ``tolerance``.

    Merges the issues one at a time (widest first), keeping the partial sums that
    can still reach every reservation value with the best remaining options and
    that no other partial sum weakly dominates (one of equal sums is kept); stops
    as soon as a partial sum is acceptable however the remaining issues close.
    """
    m, n_issues, width = contribution.shape
    best = np.full((m, n_issues), -np.inf)
    worst = np.full((m, n_issues), np.inf)
    for i in range(n_issues):
        for o in range(width):
            if allowed[i, o]:
                for p in range(m):
                    v = contribution[p, i, o]
                    if v > best[p, i]:
                        best[p, i] = v
                    if v < worst[p, i]:
                        worst[p, i] = v
    spread = np.empty(n_issues, dtype=np.float64)
    for i in range(n_issues):
        s = -np.inf
        for p in range(m):
            if best[p, i] - worst[p, i] > s:
                s = best[p, i] - worst[p, i]
        spread[i] = -s
    order = np.argsort(spread, kind="mergesort")              # widest issues first
    best_rest = np.zeros((n_issues + 1, m))
    worst_rest = np.zeros((n_issues + 1, m))
    for step in range(n_issues - 1, -1, -1):
        i = order[step]
        for p in range(m):
            best_rest[step, p] = best_rest[step + 1, p] + best[p, i]
            worst_rest[step, p] = worst_rest[step + 1, p] + worst[p, i]
    if m == 2:
        return _find_acceptable_2(contribution, reservation, allowed, tolerance, order,
                                  best_rest, worst_rest)
    sums = np.zeros((1, m))
    choices = np.zeros((1, n_issues), dtype=np.int64)
    for step in range(n_issues):
        i = order[step]
        options = np.flatnonzero(allowed[i])
        k = options.shape[0]
        n = sums.shape[0]
        total = n * k
        new_sums = np.empty((total, m))
        alive = np.empty(total, dtype=np.int64)
        n_alive = 0
        for a in range(n):
            for c in range(k):
                ok = True
                for p in range(m):
                    v = sums[a, p] + contribution[p, i, options[c]]
                    new_sums[n_alive, p] = v
                    if v + best_rest[step + 1, p] < reservation[p] - tolerance:
                        ok = False
                if ok:
                    alive[n_alive] = a * k + c
                    n_alive += 1
        if n_alive == 0:
            return np.empty(0, dtype=np.int64)
        new_sums = new_sums[:n_alive]
        for t in range(n_alive):
            sure = True
            for p in range(m):
                if new_sums[t, p] + worst_rest[step + 1, p] < reservation[p] - tolerance:
                    sure = False
                    break
            if sure:
                package = choices[alive[t] // k].copy()
                package[i] = options[alive[t] % k]
                for later in range(step + 1, n_issues):   # any red-line-free option will do
                    rest = order[later]
                    for o in range(width):
                        if allowed[rest, o]:
                            package[rest] = o
                            break
                return package
        # Keep the partial sums that no other weakly dominates (the first of equal ones).
        ranks = dense_ranks(new_sums, 0.0)
        first, group = group_rows(ranks)
        is_first = np.zeros(n_alive, dtype=np.bool_)
        for g in range(first.shape[0]):
            is_first[first[g]] = True
        keep_group = maxima(ranks[first], m)
        n_keep = 0
        for t in range(n_alive):
            if is_first[t] and keep_group[group[t]]:
                n_keep += 1
        sums = np.empty((n_keep, m))
        next_choices = np.empty((n_keep, n_issues), dtype=np.int64)
        u = 0
        for t in range(n_alive):
            if is_first[t] and keep_group[group[t]]:
                sums[u] = new_sums[t]
                next_choices[u] = choices[alive[t] // k]
                next_choices[u, i] = options[alive[t] % k]
                u += 1
        choices = next_choices
    return np.empty(0, dtype=np.int64)  # pragma: no cover - the last step's "sure" test settles all


@_compile
def _find_acceptable_2(contribution: np.ndarray, reservation: np.ndarray, allowed: np.ndarray,
                       tolerance: float, order: np.ndarray, best_rest: np.ndarray,
                       worst_rest: np.ndarray) -> np.ndarray:
    """:func:`find_acceptable` for two parties: each step's maxima are a staircase.

    In two dimensions the partial sums no other weakly dominates are found by one
    sort (first coordinate descending, then the second) and a running maximum of
    the second: a sum survives when its second coordinate beats every earlier one
    (of equal sums the first survives).  The same partial sums survive as with the
    general filter, without ranks, groups or a k-d tree.
    """
    n_issues, width = allowed.shape
    r0 = reservation[0] - tolerance
    r1 = reservation[1] - tolerance
    sums = np.zeros((1, 2))
    choices = np.zeros((1, n_issues), dtype=np.int64)
    for step in range(n_issues):
        i = order[step]
        options = np.flatnonzero(allowed[i])
        k = options.shape[0]
        n = sums.shape[0]
        new_sums = np.empty((n * k, 2))
        alive = np.empty(n * k, dtype=np.int64)
        n_alive = 0
        for a in range(n):
            for c in range(k):
                v0 = sums[a, 0] + contribution[0, i, options[c]]
                v1 = sums[a, 1] + contribution[1, i, options[c]]
                if v0 + best_rest[step + 1, 0] < r0 or v1 + best_rest[step + 1, 1] < r1:
                    continue
                if v0 + worst_rest[step + 1, 0] >= r0 and v1 + worst_rest[step + 1, 1] >= r1:
                    package = choices[a].copy()
                    package[i] = options[c]
                    for later in range(step + 1, n_issues):   # any red-line-free option will do
                        rest = order[later]
                        for o in range(width):
                            if allowed[rest, o]:
                                package[rest] = o
                                break
                    return package
                new_sums[n_alive, 0] = v0
                new_sums[n_alive, 1] = v1
                alive[n_alive] = a * k + c
                n_alive += 1
        if n_alive == 0:
            return np.empty(0, dtype=np.int64)
        # Stable sorts: by the second coordinate descending, then by the first.
        by_second = np.argsort(-new_sums[:n_alive, 1], kind="mergesort")
        by_first = np.argsort(-new_sums[by_second, 0], kind="mergesort")
        ranked = by_second[by_first]
        keep = np.zeros(n_alive, dtype=np.bool_)
        n_keep = 0
        top = -np.inf
        for t in range(n_alive):
            row = ranked[t]
            if new_sums[row, 1] > top:
                top = new_sums[row, 1]
                keep[row] = True
                n_keep += 1
        # The survivors stay in the order they were made, as in the general filter, so
        # that the package found (tried on later samples) is the same one.
        sums = np.empty((n_keep, 2))
        next_choices = np.empty((n_keep, n_issues), dtype=np.int64)
        u = -1
        for row in range(n_alive):
            if not keep[row]:
                continue
            u += 1
            sums[u, 0] = new_sums[row, 0]
            sums[u, 1] = new_sums[row, 1]
            next_choices[u] = choices[alive[row] // k]
            next_choices[u, i] = options[alive[row] % k]
        choices = next_choices
    return np.empty(0, dtype=np.int64)  # pragma: no cover - the last step's "sure" test settles all


@_compile
def _acceptable(contribution: np.ndarray, reservation: np.ndarray, allowed: np.ndarray,
                package: np.ndarray, tolerance: float) -> bool:
    for i in range(package.shape[0]):
        if not allowed[i, package[i]]:
            return False
    for p in range(contribution.shape[0]):
        total = 0.0
        for i in range(package.shape[0]):
            total += contribution[p, i, package[i]]
        if total < reservation[p] - tolerance:
            return False
    return True


@_compile
def settle_existence(contribution: np.ndarray, reservation: np.ndarray, allowed: np.ndarray,
                     tolerance: float, recent: int) -> tuple[np.ndarray, int, int]:
    """Per sample ``s``: is some package acceptable (``contribution[s]`` ``(M, I, K)`` etc.)?

    A package that settled an earlier sample often settles the next one too: the
    last ``recent`` of them are tried first, and :func:`find_acceptable` settles
    the rest exactly.  Returns ``(exists, by_candidate, exact)``: the answers, and
    how many samples a recent package and the exact search settled.
    """
    n = contribution.shape[0]
    n_issues = contribution.shape[2]
    exists = np.zeros(n, dtype=np.bool_)
    solved = np.empty((n, n_issues), dtype=np.int64)
    n_solved = 0
    by_candidate = 0
    exact = 0
    for s in range(n):
        hit = False
        for back in range(min(recent, n_solved)):
            if _acceptable(contribution[s], reservation[s], allowed[s], solved[n_solved - 1 - back],
                           tolerance):
                hit = True
                break
        if hit:
            exists[s] = True
            by_candidate += 1
            continue
        exact += 1
        package = find_acceptable(contribution[s], reservation[s], allowed[s], tolerance)
        if package.shape[0]:
            exists[s] = True
            solved[n_solved] = package
            n_solved += 1
    return exists, by_candidate, exact


@_compile
def screen_existence(contribution: np.ndarray, reservation: np.ndarray, allowed: np.ndarray,
                     directions: np.ndarray, pool: np.ndarray,
                     tolerance: float) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Cheap per-sample answers to "is some package acceptable?", before any search.

    Per sample ``s`` (``contribution[s]`` ``(M, I, K)``, ``reservation[s]``
    ``(M,)``, ``allowed[s]`` ``(I, K)``): *no* when an issue has no allowed
    option, when a party's best allowed options fall short, or when for a
    weighting ``λ`` (a row of ``directions``) the separable bound
    ``Σ_i max_k Σ_m λ_m c[m, i, k] − λ·r`` is negative (Lagrangian relaxation;
    Fisher, *Management Science* 27, 1981); *yes* when that bound's maximiser or
    a package of ``pool`` ``(C, I)`` is acceptable.  Returns ``(decided,
    exists, by_bound, by_candidate)``.
    """
    n, m, n_issues, width = contribution.shape
    n_dirs = directions.shape[0]
    decided = np.zeros(n, dtype=np.bool_)
    exists = np.zeros(n, dtype=np.bool_)
    by_bound = 0
    by_candidate = 0
    maximiser = np.empty((n_dirs, n_issues), dtype=np.int64)
    for s in range(n):
        c = contribution[s]
        ok = allowed[s]
        empty = False
        for i in range(n_issues):
            some = False
            for k in range(width):
                if ok[i, k]:
                    some = True
                    break
            if not some:
                empty = True
                break
        if empty:
            decided[s] = True
            by_bound += 1
            continue
        short = False
        for p in range(m):
            total = 0.0
            for i in range(n_issues):
                best = -np.inf
                for k in range(width):
                    if ok[i, k] and c[p, i, k] > best:
                        best = c[p, i, k]
                total += best
            if total < reservation[s, p] - tolerance:
                short = True
                break
        if short:
            decided[s] = True
            by_bound += 1
            continue
        # Each direction's maximiser is tried as soon as it is known: an acceptable
        # package ends the sample (no bound can then prove infeasibility, so the
        # answers and counts are those of bounding every direction first).
        infeasible = False
        hit = False
        for ell in range(n_dirs):
            total = 0.0
            for i in range(n_issues):
                best = -np.inf
                arg = 0
                for k in range(width):
                    if ok[i, k]:
                        score = 0.0
                        for p in range(m):
                            score += directions[ell, p] * c[p, i, k]
                        if score > best:
                            best = score
                            arg = k
                total += best
                maximiser[ell, i] = arg
            for p in range(m):
                total -= directions[ell, p] * reservation[s, p]
            if total < -tolerance:
                infeasible = True
                break
            if _acceptable(c, reservation[s], ok, maximiser[ell], tolerance):
                hit = True
                break
        if infeasible:
            decided[s] = True
            by_bound += 1
            continue
        if not hit:
            for q in range(pool.shape[0]):
                if _acceptable(c, reservation[s], ok, pool[q], tolerance):
                    hit = True
                    break
        if hit:
            decided[s] = True
            exists[s] = True
            by_candidate += 1
    return decided, exists, by_bound, by_candidate


@_compile
def within_issue_maxima(vectors: np.ndarray, sizes: np.ndarray, strict: int,
                        tolerance: float) -> np.ndarray:
    """``keep[i, k]``: option ``k`` of issue ``i`` is not dominated by another option of that issue.

    ``vectors`` ``(I, K, d)``, options ``sizes[i]:`` are padding.  An option another
    one dominates can never be part of a frontier package (swapping it for the
    better one dominates), so the merge drops it first.
    """
    n_issues, width, _ = vectors.shape
    keep = np.zeros((n_issues, width), dtype=np.bool_)
    for i in range(n_issues):
        k = sizes[i]
        if k == 1:
            keep[i, 0] = True
            continue
        ranks = dense_ranks(np.ascontiguousarray(vectors[i, :k]), tolerance)
        keep[i, :k] = maxima(ranks, strict)
    return keep


@_compile
def list_packages(parent: np.ndarray, option: np.ndarray, child: np.ndarray, offsets: np.ndarray,
                  issues: np.ndarray, n_issues: int, chosen: np.ndarray, one_per_vector: bool,
                  fill: int) -> tuple[np.ndarray, np.ndarray]:
    """Every package whose final sum is one of ``chosen``, by walking the back-pointers.

    Layer ``s`` (issue ``issues[s]``) is the edge list ``offsets[s]:offsets[s + 1]``
    of ``parent``/``option``/``child``, sorted by child.  Returns ``(owner,
    packages)``: package ``r`` ends in vector ``owner[r]``; issues no layer sets
    hold ``fill``.  With ``one_per_vector`` each vector gets its first package only.
    """
    n_layers = issues.shape[0]
    owner = chosen.copy()
    node = chosen.copy()
    out = np.full((chosen.shape[0], n_issues), fill, dtype=np.int64)
    for s in range(n_layers - 1, -1, -1):
        lo = offsets[s]
        hi = offsets[s + 1]
        edges_child = child[lo:hi]
        n = node.shape[0]
        start = np.searchsorted(edges_child, node)
        if one_per_vector:
            for r in range(n):
                e = lo + start[r]
                out[r, issues[s]] = option[e]
                node[r] = parent[e]
            continue
        stop = np.searchsorted(edges_child, node, side="right")
        total = 0
        for r in range(n):
            total += stop[r] - start[r]
        new_out = np.empty((total, n_issues), dtype=np.int64)
        new_owner = np.empty(total, dtype=np.int64)
        new_node = np.empty(total, dtype=np.int64)
        u = 0
        for r in range(n):
            for e in range(lo + start[r], lo + stop[r]):
                new_out[u] = out[r]
                new_out[u, issues[s]] = option[e]
                new_owner[u] = owner[r]
                new_node[u] = parent[e]
                u += 1
        out = new_out
        owner = new_owner
        node = new_node
    return owner, out
