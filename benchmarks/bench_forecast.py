"""Forecasts: KTAB's SMP to convergence, and the whole DEU III backtest with 10-fold CV.

Cases (medians of repeated runs, measured side by side in one run):

1. KTAB's dummyData-a040/-a080/-a160 examples (40, 80, 160 actors, one
   dimension) run to convergence with KTAB's defaults: the vectorised engine
   (``accord.forecast.smp``) against the literal loop-by-loop transcription of
   the model used as the test oracle (``tests/forecast/smp_oracle.py``), whose
   every state must be identical.  The loop runs on 40 and 80 actors (160 takes
   minutes; ``--full`` runs it too).  Goal: 160 actors ≤ 1 s.
2. The DEU III backtest (353 issues, every model, SMP and the nested-CV
   selection included, 10 folds, 2000 bootstrap resamples): goal ≤ 60 s.  The cross-validation of the
   capability-weighted compromise model is also timed against a plain loop that
   refits it fold by fold issue by issue; the fitted parameters and errors must
   agree.

Data: ``--data DIR`` or ``ACCORD_SHARED_DATA`` (the folder holding ``ktab/`` and
``deu3/``); by default ``../shared/data`` beside the checkout.
Run: ``.venv/bin/python benchmarks/bench_forecast.py [--full] [--data DIR]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from timing import median_time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.forecast import smp_oracle  # noqa: E402

from accord.forecast import run_smp  # noqa: E402
from accord.forecast.backtest import _ALPHAS, _folds, run_backtest  # noqa: E402
from accord.io.deu3 import read_deu3  # noqa: E402
from accord.io.ktab import read_ktab  # noqa: E402

DEFAULTS = {"vr": "Prop", "vpm": "Linear", "pcem": "Conditional", "rr": "Mid", "ra": "OneThird",
            "tpc": "SemiCommit"}


def median_cpu(call: object, repeats: int) -> float:
    """Median CPU time of the calls (wall time on a shared machine counts other programs)."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        call()  # type: ignore[operator]
        times.append(time.process_time() - start)
    return sorted(times)[len(times) // 2]


def smp_case(data: Path, full: bool) -> None:
    print("SMP to convergence, KTAB defaults (median of 3 runs)")
    print(f"{'example':18s} {'actors':>6s} {'states':>6s} {'ours s':>8s} {'loop s':>8s} {'ratio':>7s}")
    for name in ("dummyData-a040", "dummyData-a080", "dummyData-a160"):
        problem = read_ktab(data / "ktab" / f"{name}.csv").problem
        run = run_smp(problem)
        ours = median_time(lambda problem=problem: run_smp(problem), 3)
        loop_time = float("nan")
        if full or problem.n_actors <= 80:
            start = time.perf_counter()
            states = smp_oracle.run(problem.positions.tolist(), problem.saliences.tolist(),
                                    problem.capabilities.tolist(), DEFAULTS)
            loop_time = time.perf_counter() - start
            assert states.shape == run.positions.shape, name
            assert np.abs(states - run.positions).max() < 1e-9, name
        ratio = loop_time / ours
        print(f"{name:18s} {problem.n_actors:6d} {run.n_states:6d} {ours:8.3f} {loop_time:8.2f} "
              f"{ratio:7.1f}")
        if problem.n_actors == 160:
            cpu = median_cpu(lambda problem=problem: run_smp(problem), 3)
            load = os.getloadavg()[0]
            verdict = "met" if cpu <= 1.0 else "NOT met"
            print(f"  goal: 160 actors to convergence ≤ 1 s — {verdict} on CPU time ({cpu:.3f} s); "
                  f"wall {ours:.3f} s with the load average at {load:.1f} on {os.cpu_count()} cores")


def loop_compromise_cv(positions: np.ndarray, saliences: np.ndarray, outcomes: np.ndarray,
                       base: np.ndarray, proposals: tuple[str, ...], folds: int
                       ) -> tuple[list[float], float]:
    """The capability-weighted compromise model's CV, written as plain loops (the baseline)."""
    fold = _folds(proposals, folds, 0)
    chosen, errors = [], np.zeros(len(outcomes))
    for k in range(folds):
        best, best_alpha = np.inf, 0.0
        for alpha in _ALPHAS:
            total, count = 0.0, 0
            for row in range(len(outcomes)):
                if fold[row] == k:
                    continue
                num = den = 0.0
                for a in range(positions.shape[1]):
                    if not np.isnan(positions[row, a]):
                        w = saliences[row, a] * base[a] ** alpha
                        num += w * positions[row, a]
                        den += w
                total += abs(num / den - outcomes[row])
                count += 1
            if total / count < best:
                best, best_alpha = total / count, alpha
        chosen.append(best_alpha)
        for row in np.flatnonzero(fold == k):
            num = den = 0.0
            for a in range(positions.shape[1]):
                if not np.isnan(positions[row, a]):
                    w = saliences[row, a] * base[a] ** best_alpha
                    num += w * positions[row, a]
                    den += w
            errors[row] = abs(num / den - outcomes[row])
    return chosen, float(errors.mean())


def backtest_case(data: Path) -> None:
    table = read_deu3(data / "deu3" / "deu3.tsv")
    d = table.backtest_data()
    print("\nDEU III backtest, 10-fold CV grouped by proposal, every model (SMP included)")
    start, cpu_start = time.perf_counter(), time.process_time()
    result = run_backtest(d, folds=10, seed=0, bootstrap=2000, skipped=table.skipped)
    whole, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    for s in result.scores:
        print(f"  {s.model:15s} MAE {s.mae:6.2f}  vs compromise {s.difference:+.2f} "
              f"[{s.interval[0]:+.2f}, {s.interval[1]:+.2f}]")
    verdict = "met" if whole <= 60 else "NOT met"
    print(f"  whole backtest ({len(result.scores)} models, nested selection included): "
          f"{whole:.1f} s wall, {cpu:.1f} s CPU — goal ≤ 60 s {verdict}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    start = time.perf_counter()
    run_backtest(d, folds=10, seed=0, bootstrap=2000,
                 models=[m for m in [s.model for s in result.scores] if m != "smp"])
    print(f"  the same without the SMP: {time.perf_counter() - start:.1f} s wall (the SMP on 353 "
          "issues is the rest)")
    cv = median_time(lambda: run_backtest(d, folds=10, seed=0, bootstrap=0,
                                          models=["compromise-cap"]), 3)
    start = time.perf_counter()
    alphas, mae = loop_compromise_cv(d.positions, d.saliences, d.outcomes, d.capability_base,
                                     d.proposals, 10)
    loop = time.perf_counter() - start
    fitted = [float(f.split("=")[1]) for f in result.score("compromise-cap").fitted]
    assert fitted == alphas, (fitted, alphas)
    assert abs(mae - result.score("compromise-cap").mae) < 1e-9
    print(f"  compromise-cap CV: ours {cv:.3f} s, plain loops {loop:.2f} s "
          f"(×{loop / cv:.0f}); same α per fold and MAE {mae:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get("ACCORD_SHARED_DATA", ROOT.parent / "shared" / "data")))
    parser.add_argument("--full", action="store_true", help="also run the loop SMP on 160 actors")
    args = parser.parse_args()
    if not (args.data / "ktab").is_dir() or not (args.data / "deu3").is_dir():
        print(f"data not found at {args.data} (give --data or ACCORD_SHARED_DATA)", file=sys.stderr)
        sys.exit(2)
    smp_case(args.data, args.full)
    backtest_case(args.data)


if __name__ == "__main__":
    main()
