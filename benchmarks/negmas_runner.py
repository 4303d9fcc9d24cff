"""Time NegMAS 0.16 on a scenario written by a benchmark (run ONLY with the NegMAS env's Python).

NegMAS is AGPL-licensed and is never a dependency of accord: this script runs in
a separate virtual environment (see docs/how-to/compare-with-negmas.md) and
talks to the benchmark through files.  Usage::

    $NEGMAS_PYTHON benchmarks/negmas_runner.py scenario.npz repeats [generic|mobanos]

The .npz holds ``contribution`` (P, I, K), ``n_options`` (I,) and
``reservation`` (P,).  Each party becomes a ``LinearAdditiveUtilityFunction``
whose value tables are accord's contributions and whose weights are 1, so both
libraries add exactly the same numbers.

* ``generic`` (default): ``pareto_frontier`` (which enumerates every outcome)
  then ``nash_points`` — NegMAS's path for any number of parties.
* ``mobanos``: two parties only — ``MOBANOSParetoSampler`` (NegMAS's exact
  additive path: an issue-by-issue merge with pairwise dominance filtering; its
  ``max_pareto_size`` safety valve is raised so that it stays exact), the
  utilities of the outcomes it returns, then ``nash_points`` on them.

Prints one JSON line: seconds per repeat (frontier, Nash), the frontier's
utility vectors, and the Nash points' utility vectors (for the benchmark to
check against accord's answers).
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
from negmas import make_issue
from negmas.preferences import (
    LinearAdditiveUtilityFunction,
    MOBANOSParetoSampler,
    nash_points,
    pareto_frontier,
)
from negmas.preferences.value_fun import TableFun


def build(path: str):  # type: ignore[no-untyped-def]
    data = np.load(path)
    contribution, n_options = data["contribution"], data["n_options"]
    reservation = data["reservation"]
    issues = [make_issue(values=[f"o{o}" for o in range(int(k))], name=f"i{i}")
              for i, k in enumerate(n_options)]
    ufuns = []
    for p in range(contribution.shape[0]):
        tables = [TableFun({f"o{o}": float(contribution[p, i, o]) for o in range(int(k))})
                  for i, k in enumerate(n_options)]
        ufuns.append(LinearAdditiveUtilityFunction(
            values=tables, weights=[1.0] * len(issues), issues=issues,
            reserved_value=float(reservation[p])))
    return ufuns, issues


def generic(ufuns, issues):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    frontier, _ = pareto_frontier(ufuns, issues=issues)
    middle = time.perf_counter()
    nash = nash_points(ufuns, frontier, issues=issues)
    end = time.perf_counter()
    return middle - start, end - middle, [list(u) for u in frontier], [list(u) for u, _ in nash]


def mobanos(ufuns, issues):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    sampler = MOBANOSParetoSampler(max_pareto_size=10**12)
    sampler.init(ufuns[0], ufuns[1])
    outcomes = sampler.pareto_outcomes()
    frontier = [(float(ufuns[0](o)), float(ufuns[1](o))) for o in outcomes]
    middle = time.perf_counter()
    nash = nash_points(ufuns, frontier, issues=issues)
    end = time.perf_counter()
    return middle - start, end - middle, [list(u) for u in frontier], [list(u) for u, _ in nash]


def main() -> None:
    path, repeats = sys.argv[1], int(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else "generic"
    ufuns, issues = build(path)
    run = mobanos if mode == "mobanos" else generic
    frontier_times, nash_times = [], []
    frontier, nash = [], []
    for _ in range(repeats):
        a, b, frontier, nash = run(ufuns, issues)
        frontier_times.append(a)
        nash_times.append(b)
    print(json.dumps({"frontier": frontier_times, "nash": nash_times, "size": len(frontier),
                      "vectors": frontier, "nash_points": nash}))


if __name__ == "__main__":
    main()
