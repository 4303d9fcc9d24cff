"""Compiled (numba) per-chunk kernels of the deal-chance runs.

Loaded only when a run uses the compiled engine (long ``--any-package`` runs,
or ``ACCORD_ENGINE=compiled``): importing this module imports numba.  Each
kernel has a numpy twin in :mod:`.sampling` that tests hold it to.
"""

from __future__ import annotations

import numpy as np

from accord.analysis.kernels import _compile
from accord.space import UNRESOLVED, BoolArray, FloatArray, IntArray

__all__ = ["open_text_outcomes"]


@_compile
def _open_text_outcomes(contribution: np.ndarray, red_lines: np.ndarray, mask: np.ndarray,
                        texts: np.ndarray, reservation: np.ndarray, tolerance: float,
                        surely: np.ndarray, possibly: np.ndarray, margin: np.ndarray) -> None:
    n, n_parties, n_issues, width = contribution.shape
    n_texts = texts.shape[0]
    open_any = np.zeros(n_issues, dtype=np.bool_)
    for t in range(n_texts):
        for i in range(n_issues):
            if texts[t, i] == UNRESOLVED:
                open_any[i] = True
    worst = np.empty(n_issues)
    best_free = np.empty(n_issues)
    any_red = np.zeros(n_issues, dtype=np.bool_)
    for s in range(n):
        for p in range(n_parties):
            c = contribution[s, p]
            red = red_lines[s, p]
            for i in range(n_issues):
                if not open_any[i]:
                    continue
                low = np.inf
                high = -np.inf
                hit = False
                for k in range(width):
                    if mask[i, k]:
                        v = c[i, k]
                        low = min(low, v)
                        if red[i, k]:
                            hit = True
                        elif v > high:
                            high = v
                worst[i] = low
                best_free[i] = high if high > -np.inf else -10.0
                any_red[i] = hit
            bar = reservation[s, p] - tolerance
            for t in range(n_texts):
                base = 0.0
                low = 0.0
                high = 0.0
                hit = False
                open_red = False
                for i in range(n_issues):
                    o = texts[t, i]
                    if o == UNRESOLVED:
                        low += worst[i]
                        high += best_free[i]
                        open_red = open_red or any_red[i]
                    else:
                        base += c[i, o]
                        hit = hit or red[i, o]
                low += base
                high += base
                surely[s, t, p] = not hit and not open_red and low >= bar
                possibly[s, t, p] = not hit and high >= bar
                margin[s, t, p] = low - reservation[s, p]


def open_text_outcomes(contribution: FloatArray, red_lines: BoolArray, mask: BoolArray,
                       texts: IntArray, reservation: FloatArray,
                       tolerance: float) -> tuple[BoolArray, BoolArray, FloatArray]:
    """:func:`~accord.analysis.uncertainty.sampling.text_outcomes` in one pass per sample.

    The same ``surely``, ``possibly`` ``(n, T, P)`` and margins, up to the order
    of floating-point additions (one party's utility is summed issue by issue).
    """
    n, n_parties = contribution.shape[:2]
    shape = (n, texts.shape[0], n_parties)
    surely = np.empty(shape, dtype=np.bool_)
    possibly = np.empty(shape, dtype=np.bool_)
    margin = np.empty(shape)
    _open_text_outcomes(np.ascontiguousarray(contribution), np.ascontiguousarray(red_lines),
                        np.ascontiguousarray(mask), np.ascontiguousarray(texts, dtype=np.int64),
                        np.ascontiguousarray(reservation), float(tolerance),
                        surely, possibly, margin)
    return surely, possibly, margin
