"""Protocol speed, side by side in one run (medians of repeated timings, ratios).

Case: Klein et al. single-text mediation, 100 binary issues, 1,000 single-flip
proposals, 2 annealing voters (target ≤ 0.2 s).  Baseline: the same protocol as
a straightforward per-proposal Python loop, each voter computing
``Σ_ij J_ij x_i x_j`` with plain Python loops over lists.

Run: ``.venv/bin/python benchmarks/bench_protocols.py [--repeats N]``
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time

from accord.protocols.mediation import klein_domain, mediate


def baseline_mediation(couplings: list[list[list[float]]], n_issues: int, proposals: int,
                       seed: int, temperature: float = 10.0) -> list[int]:
    """Reference: plain Python, one utility evaluation per voter per text."""
    rng = random.Random(seed)
    text = [rng.randrange(2) for _ in range(n_issues)]

    def utility(coupling: list[list[float]], x: list[int]) -> float:
        ones = [i for i, v in enumerate(x) if v]
        return sum(coupling[i][j] for i in ones for j in ones)

    for step in range(proposals):
        proposal = list(text)
        k = rng.randrange(n_issues)
        proposal[k] = 1 - proposal[k]
        t = temperature * (1 - step / proposals)
        votes = []
        for coupling in couplings:
            delta = utility(coupling, proposal) - utility(coupling, text)
            draw = rng.random()
            votes.append(delta >= 0 or (t > 0 and draw < math.exp(delta / t)))
        if all(votes):
            text = proposal
    return text


def median_time(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    domain = klein_domain(100, 2, seed=0)
    couplings = [u.coupling.tolist() for u in domain.utilities]  # type: ignore[attr-defined]

    ours = median_time(lambda: mediate(domain, voters=("annealer", "annealer"), proposals=1000,
                                       seed=0), args.repeats)
    base = median_time(lambda: baseline_mediation(couplings, 100, 1000, 0),
                       max(1, args.repeats // 2))
    print("| case | accord median (s) | baseline median (s) | ratio | target |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| Klein mediation, 100 issues × 1,000 proposals × 2 voters | {ours:.4f} | "
          f"{base:.4f} (pure-Python loop) | {base / ours:.1f}× | ≤ 0.2 s: "
          f"{'met' if ours <= 0.2 else 'NOT met'} |")


if __name__ == "__main__":
    main()
