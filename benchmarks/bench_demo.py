"""`accord demo` on the flagship, in a fresh process, against `accord check` (and another checkout).

The issue's target is ``make demo`` after setup ≤ 5 s: setup compiles the numba
kernels (``make warm``) and a first demo fills the chart caches, so the state
measured is a warm one.  Rows (medians of ``--repeats`` runs, alternating, so
that the load of a shared machine falls on every row alike; the load average is
printed before and after):

1. ``accord check FLAGSHIP`` — process start, imports, load and validate (the baseline);
2. ``accord demo FLAGSHIP`` — this checkout, in an empty folder (so the report
   is written to ``build/report.html`` there);
3. with ``--against SRC`` (e.g. ``/work/main/src``): the same demo run from that
   source tree, to time a change side by side.

Agreement: the report the demo wrote is asserted byte-identical to
``build_report`` of the same scenario computed in this process, so the demo's
sharing of results (and the chart cache) changes no number.  CPU seconds
(user + system) are printed next to wall seconds: on a loaded machine they move
less.

Options: ``--repeats N`` (default 3), ``--against SRC``, ``--cold-cache`` (an
empty ``XDG_CACHE_HOME``: chart runtime and compiled charts built again),
``--python`` (default this interpreter).

Run: ``.venv/bin/python benchmarks/bench_demo.py [--against ../main/src]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import load_average

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "examples" / "peace-plan-2025" / "scenario.toml"
GOAL_SECONDS = 5.0


def timed(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU (user + system, of the child) seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--against", type=Path, default=None)
    parser.add_argument("--cold-cache", action="store_true")
    parser.add_argument("--python", default=sys.executable)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))   # this checkout's accord, whatever is installed

    from accord.analysis.dominance import kernels_warm

    print(f"load average before: {load_average()}")
    if not kernels_warm():
        print("   note: the numba kernels are not warm (run `make warm`): this is not the state "
              "after setup")
    sources = {"this checkout": ROOT / "src"}
    if options.against is not None:
        sources[f"--against {options.against}"] = options.against.resolve()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        env = {**os.environ, "COLUMNS": "100"}
        if options.cold_cache:
            env["XDG_CACHE_HOME"] = str(base / "cache")
        cases: dict[str, tuple[list[str], dict[str, str], Path]] = {
            "accord check (baseline)": ([options.python, "-m", "accord", "check", str(FLAGSHIP)],
                                        {**env, "PYTHONPATH": str(ROOT / "src")}, base)}
        for name, src in sources.items():
            cwd = base / f"run-{len(cases)}"
            cwd.mkdir()
            cases[f"accord demo, {name}"] = ([options.python, "-m", "accord", "demo",
                                              str(FLAGSHIP)], {**env, "PYTHONPATH": str(src)}, cwd)
        for args, case_env, cwd in cases.values():   # once unmeasured: caches filled, as after setup
            timed(args, case_env, cwd)
        walls: dict[str, list[float]] = {name: [] for name in cases}
        cpus: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(options.repeats):
            for name, (args, case_env, cwd) in cases.items():
                wall, cpu = timed(args, case_env, cwd)
                walls[name].append(wall)
                cpus[name].append(cpu)

        from accord.io.scenario_file import load
        from accord.report.html import build_report
        from accord.space import compile_scenario

        scenario = load(FLAGSHIP)
        written = (base / "run-1" / "build" / "report.html").read_text(encoding="utf-8")
        assert written == build_report(scenario, compile_scenario(scenario)), \
            "the demo's report differs from build_report of the same scenario"

    baseline = statistics.median(walls["accord check (baseline)"])
    print(f"flagship demo, fresh processes, median of {options.repeats} "
          f"({'empty' if options.cold_cache else 'warm'} chart cache)")
    print(f"   {'case':44} {'wall s':>7} {'min s':>7} {'cpu s':>7} {'× check':>8}")
    for name in cases:
        wall = statistics.median(walls[name])
        print(f"   {name:44} {wall:7.2f} {min(walls[name]):7.2f} "
              f"{statistics.median(cpus[name]):7.2f} {wall / baseline:8.2f}")
    ours = statistics.median(walls["accord demo, this checkout"])
    print(f"   goal ≤ {GOAL_SECONDS:g} s: {'met' if ours <= GOAL_SECONDS else 'NOT met'} "
          f"({ours:.2f} s); the demo's report equals build_report in this process: yes")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
