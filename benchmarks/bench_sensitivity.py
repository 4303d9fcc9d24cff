"""`accord sensitivity` and `accord demo`: the shared-draw tornado against the rerun one, side by side.

Cases (measured in one run, alternating new and old, so that the load of a shared
machine falls on both alike; the load average is printed before and after):

1. the flagship tornado in this process (4,096 samples, every estimate pinned at
   its 5th/95th percentile): ``tornado(method="shared")`` (the default) against
   ``tornado(method="rerun")`` (one full run per setting, the algorithm before),
   for each engine asked (``--engines``); the two results are asserted equal —
   the same draws and exact per-sample checks give the same counts, so equality
   is exact, not within a Monte Carlo tolerance;
2. ``accord sensitivity FLAGSHIP`` as a user runs it (a fresh process), new
   against old (the old: the same command with ``method="rerun"``); the JSON
   outputs are asserted equal; goal ≤ 3 s;
3. ``accord demo FLAGSHIP`` in a fresh process, new against old, with the wall
   time of each demo section and of the calls inside the slow ones (found by
   wrapping the functions the sections call; a name another change removed is
   reported as not found, never an error); goal ≤ 5 s.

Options: ``--repeats N`` (medians of N runs, default 3 for case 1 and 1 for the
processes), ``--engines numpy,auto`` (``ACCORD_ENGINE`` values; ``auto`` is what a
user gets), ``--cold-kernels`` (the processes get an empty ``NUMBA_CACHE_DIR``:
the state right after ``make venv``, before ``make warm``), ``--python`` (the
interpreter for the processes, default this one), ``--skip-demo``.

Run: ``.venv/bin/python benchmarks/bench_sensitivity.py [--cold-kernels]``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from timing import load_average

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "examples" / "peace-plan-2025" / "scenario.toml"

#: The functions the demo's slow sections call, timed in the child process (module, name).
WRAPPED = [
    ("accord.cli.demo", "where_a_deal_can_be"),
    ("accord.cli.demo", "how_likely_a_deal_is"),
    ("accord.cli.demo", "_demo_report"),
    ("accord.analysis.uncertainty", "deal_chances"),
    ("accord.analysis.sensitivity", "tornado"),
    ("accord.analysis.robust", "robust_package"),
    ("accord.report.html", "overview_section"),
    ("accord.report.html", "versions_section"),
    ("accord.report.html", "stance_section"),
    ("accord.report.html", "convergence_section"),
    ("accord.report.html", "frontier_section"),
    ("accord.report.html", "amendment_section"),
    ("accord.report.html", "chances_section"),
    ("accord.report.html", "forecast_section"),
    ("accord.report.html", "events_section"),
    ("accord.report.charts", "chart_to_vega"),
    ("accord.report.page", "Page.render"),
]


# ---------------------------------------------------------------------------
# the child process: one command, timed, with the old tornado when asked


def child(argv: list[str]) -> None:
    """``child (new|old) ARGS…``: run ``accord ARGS…``; print the timings as JSON on stderr."""
    start = time.perf_counter()
    method, args = argv[0], argv[1:]
    import importlib

    timings: dict[str, list[float]] = {}
    missing: list[str] = []
    sensitivity = importlib.import_module("accord.analysis.sensitivity")
    if method == "old":
        sensitivity.tornado = functools.partial(sensitivity.tornado, method="rerun")
    if args and args[0] == "demo":
        from accord.cli import demo  # noqa: F401  (registers the command)

        for module_name, name in WRAPPED:
            owner: Any = importlib.import_module(module_name)
            *path, leaf = name.split(".")        # "Class.method" wraps a method
            for part in path:
                owner = getattr(owner, part, None)
            function = getattr(owner, leaf, None)
            if function is None:
                missing.append(f"{module_name}.{name}")
                continue
            setattr(owner, leaf, _timed(f"{module_name.rsplit('.', 1)[-1]}.{name}", function,
                                        timings))
    from accord.cli import main

    sys.argv = ["accord", *args]
    code = 0
    try:
        main()
    except SystemExit as stop:
        code = int(stop.code or 0)
    print(json.dumps({"wall": time.perf_counter() - start, "code": code, "timings": timings,
                      "missing": missing}), file=sys.stderr)


def _timed(name: str, function: Any, timings: dict[str, list[float]]) -> Any:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            timings.setdefault(name, []).append(time.perf_counter() - start)
    return wrapper


def run_child(python: str, method: str, args: list[str], env: dict[str, str],
              cwd: Path) -> tuple[float, dict[str, Any], str]:
    start = time.perf_counter()
    done = subprocess.run([python, str(Path(__file__).resolve()), "--child", method, *args],
                          capture_output=True, text=True, env=env, cwd=cwd, check=False)
    wall = time.perf_counter() - start
    report = json.loads(done.stderr.strip().splitlines()[-1])
    if report["code"] != 0:
        raise SystemExit(f"accord {' '.join(args)} ({method}) exited {report['code']}:\n"
                         f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return wall, report, done.stdout


# ---------------------------------------------------------------------------
# the cases


def in_process(engines: list[str], repeats: int) -> None:
    from accord.analysis.sensitivity import tornado
    from accord.analysis.uncertainty import build_model
    from accord.io.scenario_file import load
    from accord.space import compile_scenario

    scenario = load(FLAGSHIP)
    model = build_model(scenario, compile_scenario(scenario))
    print(f"1. flagship tornado in this process, 4,096 samples, {model.n_estimates} estimates "
          f"({2 * model.n_estimates + 1} settings), median of {repeats}")
    for engine in engines:
        os.environ["ACCORD_ENGINE"] = engine
        tornado(model, samples=64)            # loads what the engine needs once
        times: dict[str, list[float]] = {"shared": [], "rerun": []}
        results = {}
        for _ in range(repeats):
            for method in ("shared", "rerun"):
                start = time.perf_counter()
                results[method] = tornado(model, samples=4096, seed=0, method=method)
                times[method].append(time.perf_counter() - start)
        assert results["shared"] == results["rerun"], "the shared tornado differs from the rerun one"
        new, old = (statistics.median(times[m]) for m in ("shared", "rerun"))
        print(f"   ACCORD_ENGINE={engine:8s} shared {new:6.2f} s   rerun {old:6.2f} s   "
              f"×{old / new:4.1f}   answers equal (exactly): yes")


def processes(python: str, repeats: int, env: dict[str, str], demo: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        walls: dict[str, list[float]] = {"new": [], "old": []}
        outputs = {}
        for _ in range(repeats):
            for method in ("new", "old"):
                wall, _, out = run_child(python, method, ["sensitivity", str(FLAGSHIP), "--json"],
                                         env, cwd)
                walls[method].append(wall)
                outputs[method] = json.loads(out)
        assert outputs["new"] == outputs["old"], "accord sensitivity --json differs new vs old"
        new, old = (statistics.median(walls[m]) for m in ("new", "old"))
        print(f"2. accord sensitivity FLAGSHIP --json (fresh process, median of {repeats}): "
              f"new {new:.2f} s, old {old:.2f} s (×{old / new:.1f}); goal ≤ 3 s: "
              f"{'met' if new <= 3 else 'NOT met'}; outputs equal: yes")
        if not demo:
            return
        reports: dict[str, list[dict[str, Any]]] = {"new": [], "old": []}
        for _ in range(repeats):
            for method in ("new", "old"):
                wall, report, _ = run_child(python, method, ["demo", str(FLAGSHIP)], env, cwd)
                report["wall"] = wall
                reports[method].append(report)
        print(f"3. accord demo FLAGSHIP (fresh process, median of {repeats}; seconds per call, "
              "summed over calls; nested calls are inside their callers)")
        names = [f"{m.rsplit('.', 1)[-1]}.{n}" for m, n in WRAPPED]
        print(f"   {'':38s} {'new':>7s} {'old':>7s}")
        for name in ["wall", *names]:
            row = []
            for method in ("new", "old"):
                values = [r["wall"] if name == "wall" else sum(r["timings"].get(name, [0.0]))
                          for r in reports[method]]
                row.append(statistics.median(values))
            calls = len(reports["new"][0]["timings"].get(name, [])) if name != "wall" else 1
            print(f"   {name + (f' ×{calls}' if calls > 1 else ''):38s} {row[0]:7.2f} {row[1]:7.2f}")
        new_wall = statistics.median(r["wall"] for r in reports["new"])
        print(f"   goal ≤ 5 s: {'met' if new_wall <= 5 else 'NOT met'}")
        missing = reports["new"][0]["missing"]
        if missing:
            print(f"   not found (renamed by another change?): {', '.join(missing)}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--engines", default="numpy,auto")
    parser.add_argument("--cold-kernels", action="store_true")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--skip-demo", action="store_true")
    options = parser.parse_args()
    print(f"load average before: {load_average()}")
    in_process([e.strip() for e in options.engines.split(",") if e.strip()],
               options.repeats or 3)
    os.environ.pop("ACCORD_ENGINE", None)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]), "COLUMNS": "100"}
    with tempfile.TemporaryDirectory() as cache:
        if options.cold_kernels:
            env["NUMBA_CACHE_DIR"] = cache
            print("   (processes: empty NUMBA_CACHE_DIR — the kernels are not warm)")
        processes(options.python, options.repeats or 1, env, not options.skip_demo)
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
