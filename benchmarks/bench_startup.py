"""Start-up and first-call cost: each command as a user runs it, cold and warm, side by side in one run.

Usage::

    .venv/bin/python benchmarks/bench_startup.py [--compiled] [--tests] [--repeats 3]

Rows: ``accord --help``, ``accord check``, ``accord solve``, ``accord frontier``
and ``accord demo`` on the flagship example (16 issues, 4 parties), each a fresh
process (interpreter start included).  Columns:

* **ours, cold** — the default engine choice, with an empty numba cache (a new
  ``NUMBA_CACHE_DIR``): what a fresh clone, a CI run or a new user pays;
* **ours, warm** — the same again with that cache (median of ``--repeats``);
* **numpy** — ``ACCORD_ENGINE=numpy``: every analysis on numpy (the pure
  path, numba never loads), median of ``--repeats``;
* with ``--warm``: **after warm** — ours after ``make warm`` (which compiles
  every kernel once and marks the cache warm; its own time is printed), when
  deal-existence checks switch to the compiled kernels at every size;
* with ``--compiled``: **compiled, cold / warm** — ``ACCORD_ENGINE=compiled``,
  the compiled kernels at every size (what every command did before the
  numpy path existed).  Its cold column includes numba compiling the kernels:
  minutes on a busy two-core machine, hence behind an option.

Asserted: each command's output is the same on every engine (the answers do
not depend on the engine), and whether numba was loaded is reported per cell.
``--tests`` adds the wall time of ``pytest tests/analysis`` with an empty numba
cache (the kernel tests compile the kernels they test) and with a warm one.

The machine may be shared: compare columns of one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "examples" / "peace-plan-2025" / "scenario.toml"
ACCORD = Path(sys.executable).with_name("accord")
COMMANDS = {
    "accord --help": ["--help"],
    "accord check": ["check", str(FLAGSHIP)],
    "accord solve": ["solve", str(FLAGSHIP)],
    "accord frontier": ["frontier", str(FLAGSHIP)],
    "accord demo": ["demo"],
}
#: Prints whether numba got imported, after the command ran (the console script's own entry point).
_PROBE = ("import sys, runpy\n"
          "sys.argv = ['accord', *sys.argv[1:]]\n"
          "try:\n"
          "    from accord.cli import main\n"
          "    main()\n"
          "except SystemExit as stop:\n"
          "    code = stop.code\n"
          "else:\n"
          "    code = 0\n"
          "sys.stderr.write('\\nNUMBA-LOADED=%s\\n' % ('numba' in sys.modules))\n"
          "sys.exit(code)\n")


def run(args: list[str], env: dict[str, str]) -> tuple[float, str, bool]:
    """``(seconds, stdout, numba loaded)`` of one command in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True,
                          env=env, timeout=1800, cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{args} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, done.stdout, "NUMBA-LOADED=True" in done.stderr


def environment(engine: str | None, cache: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "ACCORD_ENGINE"}
    env["NUMBA_CACHE_DIR"] = cache
    if engine:
        env["ACCORD_ENGINE"] = engine
    return env


def column(engine: str | None, repeats: int, cold: bool) -> dict[str, tuple[float, float | None, str, bool]]:
    """Per command: (cold seconds, warm median or None, output, numba loaded)."""
    cells = {}
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
        env = environment(engine, cache)
        for name, args in COMMANDS.items():
            first, output, loaded = run(args, env)
            warm = None
            if repeats:
                warm = statistics.median(run(args, env)[0] for _ in range(repeats))
            cells[name] = (first if cold else float("nan"), warm, output, loaded)
    return cells


def test_suite(cache: str) -> float:
    env = environment(None, cache)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                    "tests/analysis"], cwd=ROOT, env=env, check=True, capture_output=True,
                   timeout=3600)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--compiled", action="store_true",
                        help="also ACCORD_ENGINE=compiled, cold (compiles the kernels: minutes)")
    parser.add_argument("--warm", action="store_true",
                        help="also ours after `make warm` (times the warm step: minutes)")
    parser.add_argument("--tests", action="store_true",
                        help="also time pytest tests/analysis with an empty and a warm numba cache")
    options = parser.parse_args()

    ours = column(None, options.repeats, cold=True)
    numpy_only = column("numpy", options.repeats, cold=False)
    compiled = column("compiled", 1, cold=True) if options.compiled else None
    warmed = None
    if options.warm:
        with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "accord.analysis.warm"], check=True,
                           env=environment(None, cache), capture_output=True, timeout=3600)
            print(f"make warm (python -m accord.analysis.warm): {time.perf_counter() - start:.1f}s")
            warmed = {name: statistics.median(run(args, environment(None, cache))[0]
                                              for _ in range(max(1, options.repeats)))
                      for name, args in COMMANDS.items()}

    header = f"{'command':<17} {'ours cold':>10} {'ours warm':>10} {'numpy':>8}"
    if compiled:
        header += f" {'compiled cold':>14} {'compiled warm':>14}"
    if warmed:
        header += f" {'after warm':>11}"
    print(header)
    for name in COMMANDS:
        cold, warm, output, loaded = ours[name]
        _, numpy_warm, numpy_output, numpy_loaded = numpy_only[name]
        assert output == numpy_output, f"{name}: the numpy engine printed something else"
        assert not numpy_loaded, f"{name}: ACCORD_ENGINE=numpy loaded numba"
        line = f"{name:<17} {cold:>9.2f}s {warm:>9.2f}s {numpy_warm:>7.2f}s"
        if compiled:
            c_cold, c_warm, c_output, _ = compiled[name]
            assert c_output == output, f"{name}: the compiled engine printed something else"
            line += f" {c_cold:>13.2f}s {c_warm:>13.2f}s"
        if warmed:
            line += f" {warmed[name]:>10.2f}s"
        line += "   numba loaded" if loaded else ""
        print(line, flush=True)
    if options.tests:
        with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
            cold_suite = test_suite(cache)
            warm_suite = test_suite(cache)
        print(f"pytest tests/analysis: cold numba cache {cold_suite:.1f}s, warm {warm_suite:.1f}s")


if __name__ == "__main__":
    main()
