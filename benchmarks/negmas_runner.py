"""Time NegMAS 0.16 on a scenario written by bench_frontier.py (run ONLY with the NegMAS env's Python).

NegMAS is AGPL-licensed and is never a dependency of accord: this script runs in
a separate virtual environment (see docs/how-to/compare-with-negmas.md) and
talks to the benchmark through files.  Usage::

    /work/negmas-env/bin/python benchmarks/negmas_runner.py scenario.npz repeats

The .npz holds ``contribution`` (P, I, K), ``n_options`` (I,) and
``reservation`` (P,).  Prints one JSON line: the times of ``pareto_frontier``
and ``nash_points`` (seconds, each repeat) and the frontier size.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
from negmas import make_issue
from negmas.preferences import LinearAdditiveUtilityFunction, nash_points, pareto_frontier
from negmas.preferences.value_fun import TableFun


def build(path: str):  # type: ignore[no-untyped-def]
    data = np.load(path)
    contribution, n_options = data["contribution"], data["n_options"]
    reservation = data["reservation"]
    issues = [make_issue(values=[f"o{o}" for o in range(int(k))], name=f"i{i}")
              for i, k in enumerate(n_options)]
    ufuns = []
    for p in range(contribution.shape[0]):
        # accord's contribution = weight × value; give NegMAS the same numbers as
        # value tables with unit weights, so both sum exactly the same terms.
        tables = [TableFun({f"o{o}": float(contribution[p, i, o]) for o in range(int(k))})
                  for i, k in enumerate(n_options)]
        ufuns.append(LinearAdditiveUtilityFunction(
            values=tables, weights=[1.0] * len(issues), issues=issues,
            reserved_value=float(reservation[p])))
    return ufuns, issues


def main() -> None:
    path, repeats = sys.argv[1], int(sys.argv[2])
    ufuns, issues = build(path)
    frontier_times, nash_times, size = [], [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        frontier, _ = pareto_frontier(ufuns, issues=issues)
        middle = time.perf_counter()
        nash_points(ufuns, frontier, issues=issues)
        end = time.perf_counter()
        frontier_times.append(middle - start)
        nash_times.append(end - middle)
        size = len(frontier)
    print(json.dumps({"frontier": frontier_times, "nash": nash_times, "size": size}))


if __name__ == "__main__":
    main()
