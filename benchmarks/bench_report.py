"""HTML report generation for the flagship example, end to end, side by side with baselines.

The report includes the analyses (exact frontier and bargaining solutions,
feasibility and smallest amendment, deal chances, tornado, most robust
package); Sobol indices are opt-in (``--sobol``) and not measured here.

Rows (medians of repeated runs in one session; ratios against ``accord check``,
which loads and validates the same file in a fresh process):

1. ``accord check``: process start + load + validate (the baseline);
2. ``accord report`` end to end, warm cache (the Vega bundle already in
   ``$XDG_CACHE_HOME/accord``) — the issue's target is ≤ 3 s;
3. ``accord report`` end to end, cold cache (a fresh cache folder: the bundle is
   rebuilt by vl-convert, in a background thread that overlaps the analyses);
4. ``build_report`` in-process (no process start, no imports);
5. one static chart: ``accord chart … stance -o x.png`` and ``… -o x.svg``.

Run: ``.venv/bin/python benchmarks/bench_report.py [--runs N]``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "examples" / "peace-plan-2025" / "scenario.toml"
ACCORD = str(Path(sys.executable).with_name("accord"))


def timed_process(args: list[str], env: dict[str, str] | None = None) -> float:
    import os

    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env={**os.environ, **(env or {})})
    return time.perf_counter() - started


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    rows: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        warm_cache = out / "warm-cache"
        timed_process([ACCORD, "report", str(FLAGSHIP), "-o", str(out / "prime.html")],
                      {"XDG_CACHE_HOME": str(warm_cache)})  # fills the cache once
        for k in range(runs):  # interleaved, so that load on the machine hits every row alike
            rows.setdefault("accord check (baseline)", []).append(
                timed_process([ACCORD, "check", str(FLAGSHIP)]))
            rows.setdefault("accord report, warm cache", []).append(timed_process(
                [ACCORD, "report", str(FLAGSHIP), "-o", str(out / f"w{k}.html")],
                {"XDG_CACHE_HOME": str(warm_cache)}))
            rows.setdefault("accord report, cold cache", []).append(timed_process(
                [ACCORD, "report", str(FLAGSHIP), "-o", str(out / f"c{k}.html")],
                {"XDG_CACHE_HOME": str(out / f"cold-{k}")}))
            rows.setdefault("accord chart stance -o .png", []).append(timed_process(
                [ACCORD, "chart", str(FLAGSHIP), "stance", "-o", str(out / f"s{k}.png")]))
            rows.setdefault("accord chart stance -o .svg", []).append(timed_process(
                [ACCORD, "chart", str(FLAGSHIP), "stance", "-o", str(out / f"s{k}.svg")]))
        from accord.io.scenario_file import load
        from accord.report.html import build_report
        from accord.space import compile_scenario

        scenario = load(FLAGSHIP)
        space = compile_scenario(scenario)
        build_report(scenario, space)  # imports and the JS engine warmed up
        for _ in range(runs):
            started = time.perf_counter()
            page = build_report(scenario, space)
            rows.setdefault("build_report in-process", []).append(time.perf_counter() - started)
        size = len(page.encode())

    baseline = statistics.median(rows["accord check (baseline)"])
    print(f"flagship report: {size / 1e6:.2f} MB; {runs} runs per row; medians")
    print(f"{'case':34} {'median s':>9} {'min s':>7} {'× check':>8}")
    for name, times in rows.items():
        median = statistics.median(times)
        print(f"{name:34} {median:9.3f} {min(times):7.3f} {median / baseline:8.2f}")
    warm = statistics.median(rows["accord report, warm cache"])
    cold = statistics.median(rows["accord report, cold cache"])
    print(f"target ≤ 3 s end to end: warm {'met' if warm <= 3 else 'NOT met'} ({warm:.2f} s), "
          f"cold {'met' if cold <= 3 else 'NOT met'} ({cold:.2f} s)")


if __name__ == "__main__":
    main()
