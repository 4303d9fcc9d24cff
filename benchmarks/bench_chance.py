"""Deal probabilities: the vectorised engine vs a straightforward per-sample Python loop.

Cases (medians of repeated runs, measured side by side in one run):

1. 100,000 samples × 10 texts × 4 parties × 16 issues (4 options each), every
   weight and reservation value uncertain plus the values of 16 options: the
   engine (one process) against a per-sample loop that draws the same
   estimates and evaluates each text with plain Python (timed on fewer
   samples and scaled: the loop is linear in the samples);
2. P(some acceptable package exists), 100,000 samples, flagship example (goal
   ≤ 2 s): the compiled existence check against accord's previous pure-numpy
   one (``previous_existence.py``; not a peer) on the same samples and seed —
   the same probability and the same settlement counts are asserted;
3. (with --big) 10⁶ and 10⁷ samples through a local 2-worker Dask cluster: the
   driver's traced peak and each worker's peak RSS stay the same at 10× the
   samples — bounded by the chunk size, not by N.

Run: ``.venv/bin/python benchmarks/bench_chance.py [--big]``.
"""

from __future__ import annotations

import os

# The compiled engine at every size (numba; a first run compiles it, ``make warm``
# does so ahead): these benchmarks measure the engine's speed, not start-up
# (``bench_startup.py`` does that).  ACCORD_ENGINE=auto or numpy overrides.
os.environ.setdefault("ACCORD_ENGINE", "compiled")

# "On one core": no multi-threaded BLAS in the engine's matrix products (set before numpy loads).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
from timing import median_time  # noqa: E402

from accord.analysis.uncertainty import build_model, deal_chances  # noqa: E402
from accord.io.scenario_file import load, loads  # noqa: E402
from accord.space import compile_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def synthetic(parties: int = 4, issues: int = 16, width: int = 4, texts: int = 10) -> str:
    rng = np.random.default_rng(0)
    out = ['[scenario]\ntitle = "bench"']
    out += [f'[[parties]]\nid = "p{p}"\nname = "P{p}"\nrole = "principal"' for p in range(parties)]
    for i in range(issues):
        options = ", ".join(f'{{ id = "o{o}", label = "O{o}" }}' for o in range(width))
        out.append(f'[[issues]]\nid = "i{i}"\ntitle = "I{i}"\noptions = [{options}]')
    for p in range(parties):
        out.append(f"[preferences.p{p}]\nreservation = {{ low = 0.35, mode = 0.45, high = 0.6 }}")
        out.append(f"[preferences.p{p}.weights]")
        out += [f"i{i} = {{ low = {w:.3f}, high = {w * 1.6:.3f} }}"
                for i, w in enumerate(rng.uniform(1, 10, issues))]
        for i in range(issues):
            out.append(f"[preferences.p{p}.values.i{i}]")
            values = rng.permutation(np.linspace(0, 1, width))
            for o, v in enumerate(values):
                if i < 4 and 0 < v < 1:  # a few uncertain values too
                    out.append(f"o{o} = {{ low = {max(v - 0.15, 0):.3f}, high = {min(v + 0.15, 1):.3f} }}")
                else:
                    out.append(f"o{o} = {v:.3f}")
    for t in range(texts):
        out.append(f'[[texts]]\nid = "t{t}"\ntitle = "T{t}"\n[texts.positions]')
        out += [f'i{i} = "o{o}"' for i, o in enumerate(rng.integers(0, width, issues))]
    return "\n".join(out) + "\n"


def python_loop(model, samples: int, seed: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The straightforward baseline: one sample at a time, one text at a time, plain Python."""
    space = model.space
    rng = np.random.default_rng(seed)
    estimates = model.estimates
    texts = space.texts.tolist()
    must = [p for p in range(space.n_parties) if space.must_accept[p]]
    base_w = model.weights.tolist()
    base_v = model.values.tolist()
    base_r = model.reservation.tolist()
    deals = [0] * len(texts)
    for _ in range(samples):
        w = [row[:] for row in base_w]
        v = [[row[:] for row in party] for party in base_v]
        r = base_r[:]
        for estimate in estimates:
            x = float(estimate.quantile(np.array([rng.random()]))[0])
            if estimate.kind == "weight":
                w[estimate.party][estimate.issue] = x
            elif estimate.kind == "value":
                v[estimate.party][estimate.issue][estimate.option] = x
            else:
                r[estimate.party] = x
        for t, text in enumerate(texts):
            ok = True
            for p in must:
                total = sum(w[p])
                u = sum(w[p][i] * v[p][i][o] for i, o in enumerate(text)) / total
                if u < r[p] - 1e-9:
                    ok = False
                    break
            deals[t] += ok
    return np.array(deals) / samples


def dask_run(model, samples: int) -> tuple[float, int, list[int]]:  # type: ignore[no-untyped-def]
    import tracemalloc

    from distributed import Client, LocalCluster

    from accord.analysis.uncertainty import dask_mapper

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        tracemalloc.start()
        start = time.perf_counter()
        deal_chances(model, samples=samples, seed=1, mapper=dask_mapper(client))
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        workers = client.run(lambda: __import__("resource").getrusage(
            __import__("resource").RUSAGE_SELF).ru_maxrss)
    return elapsed, peak, list(workers.values())


def main() -> None:
    rows: list[tuple[str, str, str, str]] = []

    scenario = loads(synthetic())
    model = build_model(scenario, compile_scenario(scenario))
    n = 100_000
    engine = median_time(lambda: deal_chances(model, samples=n, seed=1), 5)
    loop_n = 2_000
    loop = median_time(lambda: python_loop(model, loop_n, 1), 3) * (n / loop_n)
    # sanity: both estimate the same probabilities
    a = np.array([t.p_all for t in deal_chances(model, samples=20_000, seed=1).texts])
    b = python_loop(model, 4_000, 2)
    assert np.all(np.abs(a - b) < 0.05), (a, b)
    rows.append((f"{n:,} samples × 10 texts × 4 parties × 16 issues ({model.n_estimates} estimates)",
                 f"{engine:.3f} s", f"{loop:.1f} s (loop, scaled from {loop_n:,})",
                 f"{loop / engine:.0f}×"))

    flagship = load(ROOT / "examples/peace-plan-2025/scenario.toml")
    fmodel = build_model(flagship, compile_scenario(flagship))
    samples = 100_000

    def any_package() -> Any:
        return deal_chances(fmodel, samples=samples, seed=0, any_package=True)

    any_package()   # warm-up: the kernels load once per process
    result = any_package()
    any_time = median_time(any_package, 3)
    import previous_existence

    import accord.analysis.uncertainty.runs as engine

    current = engine.package_exists

    def previous(space: Any, prof: Any, candidates: Any = None, *, engine: str = "auto") -> Any:
        return previous_existence.package_exists(space, prof, candidates)   # one engine only

    engine.package_exists = previous  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        before = any_package()
        previous_time = time.perf_counter() - start
    finally:
        engine.package_exists = current
    assert before.p_any_package == result.p_any_package, (before.p_any_package, result.p_any_package)
    assert (before.settled_by_bound, before.exact_checks) == (result.settled_by_bound,
                                                              result.exact_checks)
    rows.append((f"P(some acceptable package), {samples:,} samples, flagship (goal ≤ 2 s)",
                 f"{any_time:.2f} s",
                 f"{previous_time:.1f} s (previous numpy check, one run; not a peer)",
                 f"{previous_time / any_time:.0f}×; same P = {result.p_any_package:.5f}, exact "
                 f"search on {result.exact_checks:,}; goal {'met' if any_time <= 2 else 'NOT met'}"))

    if "--big" in sys.argv:
        # Fresh 2-worker cluster per N, so each worker's peak RSS belongs to that run; the
        # driver's peak is traced by tracemalloc (numpy reports its buffers to it).
        for big in (1_000_000, 10_000_000):
            elapsed, driver_peak, workers = dask_run(model, big)
            rows.append((f"{big:,} samples on a 2-worker LocalCluster", f"{elapsed:.1f} s",
                         f"driver traced peak {driver_peak / 2**20:.1f} MiB",
                         "worker peak RSS " + ", ".join(f"{v / 1024:.0f} MiB" for v in workers)))

    width = [max(len(row[k]) for row in rows) for k in range(4)]
    header = ("case", "accord", "baseline", "ratio")
    width = [max(w, len(h)) for w, h in zip(width, header, strict=True)]
    print("  ".join(h.ljust(w) for h, w in zip(header, width, strict=True)))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, width, strict=True)))


if __name__ == "__main__":
    main()
