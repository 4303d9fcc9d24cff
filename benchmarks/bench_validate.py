"""Validation of large scenario files: accord now against a previous accord, side by side.

Inputs (generated, see tests/model/large_inputs.py): a chain of text parents, the
same chain closed into a cycle, one issue with 20,000 options, 3,000 misspelt
option references, a 10 MB title and 10,000 issues.  For each: the file size,
the time to parse and validate it (``accord.io.scenario_file.loads``, best of
3), the time of ``accord check`` end to end (a fresh process, so it includes
start-up), and the same with a previous accord when ``--baseline-src`` (or
``$ACCORD_BASELINE_SRC``) names the ``src`` folder of an older checkout, e.g.
``git worktree add /tmp/accord-old <commit>`` then ``--baseline-src
/tmp/accord-old/src``; a baseline run is stopped after ``--timeout`` seconds.

Same answers: on every input the outcome (valid, or the set of problem paths)
is compared with what the input was built to contain (a brute-force count:
the chain is valid, the cycle gives one problem per text, the misspelt file
one per reference plus one per party for the missing values), and with the
baseline wherever the baseline finishes and the input was valid under its
rules too (the title limit is new).

Run: ``.venv/bin/python benchmarks/bench_validate.py [--baseline-src DIR] [--timeout S]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import median_time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.model import large_inputs as gen  # noqa: E402

from accord.errors import ScenarioError  # noqa: E402
from accord.io.scenario_file import loads  # noqa: E402

#: name -> (generator call, expected outcome: "valid" or the number of problems)
CASES: dict[str, tuple[str, str | int]] = {
    "chain of 1,000 parents": ("parent_chain(1000)", "valid"),
    "chain of 2,000 parents": ("parent_chain(2000)", "valid"),
    "cycle of 2,000 parents": ("parent_chain(2000, cycle=True)", 2000),
    "issue with 20,000 options": ("many_options(20000)", "valid"),
    "3,000 misspelt references": ("misspelt_references(3000)", 2 * 3000 + 2),
    "10 MB title": ("huge_title(10_000_000)", 1),
    "10,000 issues": ("many_issues(10000)", "valid"),
}

#: Run in a fresh interpreter: validate FILE, print {"seconds", "outcome"} as JSON.
_CHILD = """
import json, sys, time
from accord.errors import ScenarioError
from accord.io.scenario_file import load
start = time.perf_counter()
try:
    scenario = load(sys.argv[1])
    if scenario.texts:
        scenario.lineage(scenario.texts[-1].id)
    outcome = "valid"
except ScenarioError as error:
    outcome = sorted(p.path for p in error.problems)
print(json.dumps({"seconds": time.perf_counter() - start, "outcome": outcome}))
"""


def outcome_of(text: str) -> str | list[str]:
    try:
        scenario = loads(text)
    except ScenarioError as error:
        return sorted(p.path for p in error.problems)
    if scenario.texts:
        scenario.lineage(scenario.texts[-1].id)
    return "valid"


def run_child(src: Path, file: Path, timeout: float) -> dict[str, object] | None:
    env = {**os.environ, "PYTHONPATH": str(src)}
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD, str(file)], env=env, timeout=timeout,
                              capture_output=True, text=True, check=False)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return {"seconds": float("nan"), "outcome": f"crash: {done.stderr.strip().splitlines()[-1]}"}
    result: dict[str, object] = json.loads(done.stdout)
    return result


def check_seconds(file: Path) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "accord", "check", str(file)], env=env,
                          capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-src", type=Path,
                        default=os.environ.get("ACCORD_BASELINE_SRC") or None)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    header = f"{'input':28} {'MiB':>6} {'validate':>9} {'check':>7} {'baseline':>10}  outcome"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for name, (call, expected) in CASES.items():
            text: str = eval(call, vars(gen))  # our own generator calls, not user input
            file = Path(folder) / "case.toml"
            file.write_text(text)
            outcome = outcome_of(text)
            found = outcome if outcome == "valid" else len(outcome)
            assert found == expected, (name, found, expected)
            seconds = median_time(lambda text=text: outcome_of(text), 3)
            check, code = check_seconds(file)
            assert code == (0 if expected == "valid" else 2), (name, code)
            baseline = "-"
            if args.baseline_src is not None:
                old = run_child(args.baseline_src, file, args.timeout)
                if old is None:
                    baseline = f">{args.timeout:.0f} s"
                else:
                    baseline = f"{old['seconds']:.2f} s"
                    if old["outcome"] == "valid" and expected == "valid":
                        assert outcome == "valid", name
                    elif isinstance(old["outcome"], list) and expected != 1:
                        assert old["outcome"] == outcome, (name, "differs from the baseline")
                    elif isinstance(old["outcome"], str) and old["outcome"].startswith("crash"):
                        baseline += " (crash)"
            shown = "valid" if outcome == "valid" else f"{len(outcome)} problems"
            print(f"{name:28} {len(text.encode()) / 2**20:6.2f} {seconds:8.2f}s {check:6.2f}s "
                  f"{baseline:>10}  {shown}", flush=True)


if __name__ == "__main__":
    main()
