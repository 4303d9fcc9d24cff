"""Compile the numba kernels ahead: ``python -m accord.analysis.warm`` (``make warm``).

A module of its own because warming drives the library's own compiled paths
(:mod:`~accord.analysis.pareto`, :mod:`~accord.analysis.dominance`, the
existence kernels): the kernels module stays below them, with no circle.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from accord.analysis import dominance
from accord.analysis.kernels import screen_existence, settle_existence
from accord.analysis.pareto import frontier_of_sums
from accord.analysis.uncertainty.compiled import open_text_outcomes

__all__ = ["warm"]


def warm() -> Path | None:
    """Compile every kernel with the argument types the library passes, and write the warm stamp.

    Runs the library's own compiled paths on small inputs, so the signatures
    compiled are the ones later calls look up in the cache.  Returns the stamp
    written (None when the cache folder is not writable).
    """

    rng = np.random.default_rng(0)
    issues = [(np.arange(4), rng.random((4, 3))) for _ in range(5)]
    for lower, epsilon in ((None, None), (np.array([0.5, -np.inf, 0.5]), None), (None, 0.1)):
        frontier_of_sums(issues, strict=2, lower=lower, epsilon=epsilon,
                         engine="compiled").packages()
    points = rng.random((40, 3))
    dominance.nondominated(points, engine="compiled")
    dominance.dominated_by(points[:20], points[20:], engine="compiled")
    dominance.group_rows(np.zeros((3, 2), dtype=np.int64), engine="compiled")
    n, m, n_issues, width = 8, 2, 4, 3
    contribution = rng.random((n, m, n_issues, width)) / n_issues
    reservation = np.full((n, m), 0.4)
    allowed = np.ones((n, n_issues, width), dtype=np.bool_)
    directions = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    screen_existence(contribution, reservation, allowed, directions,
                     np.zeros((1, n_issues), dtype=np.int64), 1e-9)
    settle_existence(contribution, reservation, allowed, 1e-9, 32)
    texts = np.array([[0, -1, 1, -1]], dtype=np.int64)
    open_text_outcomes(contribution, np.zeros(contribution.shape, dtype=np.bool_),
                       np.ones((n_issues, width), dtype=np.bool_), texts, reservation, 1e-9)
    stamp = dominance.warm_stamp()
    if stamp is None:
        return None
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text("compiled kernels cached\n", encoding="utf-8")
    except OSError:
        return None
    return stamp


if __name__ == "__main__":
    written = warm()
    print(f"compiled kernels cached; stamp {written}" if written else
          "compiled the kernels (no writable cache folder: each process compiles its own)")
