"""Frontier, bargaining and amendment speed: accord vs brute-force numpy vs NegMAS 0.16, in one run.

Usage::

    .venv/bin/python benchmarks/bench_frontier.py [--repeats 5] [--negmas-python PATH]
                                                  [--negmas-timeout 900] [--skip-negmas]

Every case runs accord and the baselines on the same inputs in this run and
prints medians and ratios.  Baselines:

* **brute force**: a vectorised numpy enumeration of every package (in chunks of
  10^6, so memory stays bounded), then a sort-based or blocked pairwise
  non-dominated filter; skipped where the package count is astronomically large;
* **NegMAS 0.16** ``pareto_frontier`` + ``nash_points``, run by
  ``benchmarks/negmas_runner.py`` under a *separate* Python environment (NegMAS
  is AGPL and never a dependency of accord; docs/how-to/compare-with-negmas.md
  shows how to create it).  When that environment is missing the table says so
  and still compares accord with brute force.

Peak memory is the tracemalloc peak of accord's own call (numpy allocations
included) or, for the command-line case, the whole process's maximum RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from timing import median_time

from accord.analysis.amend import amend
from accord.analysis.bargaining import bargaining_solutions, nash_solution
from accord.analysis.pareto import pareto_frontier
from accord.io.scenario_file import load
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, Space, compile_scenario

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "examples" / "peace-plan-2025" / "scenario.toml"
RUNNER = Path(__file__).resolve().parent / "negmas_runner.py"
DEFAULT_NEGMAS = Path(os.environ.get("NEGMAS_PYTHON", "/work/negmas-env/bin/python"))
CHUNK = 1_000_000


# -- synthetic scenarios ----------------------------------------------------------


def synthetic(parties: int, options: list[int], reservation: float = 0.0, seed: int = 0) -> Space:
    """Random additive preferences: Dirichlet weights, uniform option values (GENIUS/ANAC style)."""
    rng = np.random.default_rng(seed)
    n_issues, width = len(options), max(options)
    n_options = np.array(options, dtype=np.int64)
    mask = np.arange(width)[None, :] < n_options[:, None]
    weights = rng.dirichlet(np.ones(n_issues), size=parties)
    values = np.where(mask[None], rng.random((parties, n_issues, width)), 0.0)
    return Space(
        party_ids=tuple(f"p{k}" for k in range(parties)),
        issue_ids=tuple(f"i{k}" for k in range(n_issues)),
        option_ids=tuple(tuple(f"o{o}" for o in range(k)) for k in options),
        n_options=n_options, option_mask=mask, weights=weights, values=values,
        contribution=weights[:, :, None] * values,
        red_lines=np.zeros((parties, n_issues, width), dtype=bool),
        reservation=np.full(parties, reservation), must_accept=np.ones(parties, dtype=bool),
        text_ids=(), texts=np.zeros((0, n_issues), dtype=np.int64),
        text_parents=np.zeros(0, dtype=np.int64))


# -- brute force --------------------------------------------------------------------


def enumerate_chunks(space: Space):  # type: ignore[no-untyped-def]
    """Yield ``(packages, utilities)`` for every package, a million at a time."""
    total = space.n_outcomes
    radix = space.n_options
    for start in range(0, total, CHUNK):
        index = np.arange(start, min(total, start + CHUNK), dtype=np.int64)
        packages = np.empty((index.size, space.n_issues), dtype=np.int64)
        rest = index
        for i in range(space.n_issues - 1, -1, -1):
            packages[:, i] = rest % radix[i]
            rest = rest // radix[i]
        utilities = np.zeros((index.size, space.n_parties))
        for i in range(space.n_issues):
            utilities += space.contribution[:, i, packages[:, i]].T
        yield packages, utilities


def brute_nondominated(utilities: np.ndarray) -> np.ndarray:
    """Mask of non-dominated rows: one sort for two columns, blocked pairwise otherwise."""
    n, d = utilities.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if d == 2:
        order = np.lexsort((-utilities[:, 1], -utilities[:, 0]))
        second = utilities[order, 1]
        best_before = np.concatenate([[-np.inf], np.maximum.accumulate(second)[:-1]])
        mask = np.zeros(n, dtype=bool)
        mask[order] = best_before < second
        return mask
    order = np.argsort(-utilities.sum(axis=1), kind="stable")
    kept = np.zeros((0, d))
    kept_index: list[np.ndarray] = []
    for start in range(0, n, 2048):
        block = order[start:start + 2048]
        rows = utilities[block]
        alive = np.ones(block.size, dtype=bool)
        for k in range(0, kept.shape[0], 2048):
            other = kept[k:k + 2048]
            alive &= ~(((other[:, None, :] >= rows[None]).all(2)
                        & (other[:, None, :] > rows[None]).any(2)).any(0))
        rows2 = rows[alive]
        inner = ((rows2[:, None, :] >= rows2[None]).all(2) & (rows2[:, None, :] > rows2[None]).any(2))
        survivors = block[alive][~inner.any(0)]
        kept_index.append(survivors)
        kept = np.vstack([kept, utilities[survivors]])
    mask = np.zeros(n, dtype=bool)
    mask[np.concatenate(kept_index)] = True
    return mask


def brute_frontier(space: Space, acceptable_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
    keep_p, keep_u = [], []
    for packages, utilities in enumerate_chunks(space):
        if acceptable_only:
            ok = (utilities[:, space.must_accept] >= space.reservation[space.must_accept]
                  - UTILITY_TOLERANCE).all(axis=1)
            hits = np.zeros(packages.shape[0], dtype=bool)
            for i in range(space.n_issues):
                hits |= space.red_lines[space.must_accept][:, i, packages[:, i]].any(axis=0)
            ok &= ~hits
            packages, utilities = packages[ok], utilities[ok]
        mask = brute_nondominated(utilities)
        keep_p.append(packages[mask])
        keep_u.append(utilities[mask])
    packages, utilities = np.vstack(keep_p), np.vstack(keep_u)
    mask = brute_nondominated(utilities)
    return packages[mask], utilities[mask]


def brute_nash(utilities: np.ndarray, d: np.ndarray) -> float:
    rational = (utilities >= d - UTILITY_TOLERANCE).all(axis=1)
    return float(np.clip(utilities[rational] - d, 0, None).prod(axis=1).max())


def brute_solutions(space: Space) -> float:
    """Acceptable frontier then the four solutions, by enumeration (the `accord solve` work)."""
    _, utilities = brute_frontier(space, acceptable_only=True)
    d = space.reservation
    rational = utilities[(utilities >= d - UTILITY_TOLERANCE).all(axis=1)]
    gains = rational - d
    ideal = rational.max(axis=0)
    return float(gains.prod(axis=1).max() + (gains / (ideal - d)).min(axis=1).max()
                 + gains.min(axis=1).max() + rational.sum(axis=1).max())


def brute_amend(space: Space, text: np.ndarray) -> tuple[int, float]:
    """Fewest changes over acceptable packages, then the best Nash product, by enumeration."""
    must = space.must_accept
    best = (space.n_issues + 1, -1.0)
    for packages, utilities in enumerate_chunks(space):
        ok = (utilities[:, must] >= space.reservation[must] - UTILITY_TOLERANCE).all(axis=1)
        for i in range(space.n_issues):
            ok &= ~space.red_lines[must][:, i, packages[:, i]].any(axis=0)
        if not ok.any():
            continue
        changes = ((text != UNRESOLVED) & (packages[ok] != text)).sum(axis=1)
        products = np.clip(utilities[ok][:, must] - space.reservation[must], 0, None).prod(axis=1)
        fewest = int(changes.min())
        top = float(products[changes == fewest].max())
        if (fewest, -top) < (best[0], -best[1]):
            best = (fewest, top)
    return best


# -- timing ---------------------------------------------------------------------------


def peak_mib(call: Callable[[], Any]) -> float:
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def command_peak_mib(command: list[str]) -> float:
    """Maximum RSS of a command, measured by a small wrapper process.

    (This process's own children would count the memory they inherit when
    forked from it, which is large after the brute-force runs.)
    """
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True, "
             "check=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True,
                          check=True)
    return int(done.stdout.strip()) / 1024


@dataclass
class Row:
    case: str
    outcomes: str
    ours: float
    target: str
    met: bool
    brute: float | None = None
    brute_note: str = ""
    negmas: float | None = None
    negmas_note: str = ""
    memory: float | None = None
    min_negmas_ratio: float | None = None
    notes: list[str] = field(default_factory=list)

    def verdict(self) -> str:
        """"yes"/"NO" for the time target and, where there is one, the NegMAS ratio."""
        if not self.met:
            return "NO"
        if self.min_negmas_ratio is None:
            return "yes"
        if self.negmas is not None:
            return "yes" if self.negmas / self.ours >= self.min_negmas_ratio else "NO (ratio)"
        if self.negmas_note.startswith(">"):
            bound = float(self.negmas_note.split()[1])
            return "yes" if bound / self.ours >= self.min_negmas_ratio else "not shown"
        return "time only"


def negmas_available(python: Path) -> str | None:
    """The NegMAS version in that environment, or None."""
    if not python.exists():
        return None
    probe = subprocess.run([str(python), "-c", "import negmas; print(negmas.__version__)"],
                           capture_output=True, text=True, timeout=300)
    return probe.stdout.strip() if probe.returncode == 0 else None


def run_negmas(python: Path, space: Space, timeout: float, nash: bool) -> tuple[float | None, str]:
    """One run (NegMAS is slow): seconds of ``pareto_frontier`` (+ ``nash_points`` if ``nash``)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.npz"
        np.savez(path, contribution=space.contribution, n_options=space.n_options,
                 reservation=space.reservation)
        try:
            done = subprocess.run([str(python), str(RUNNER), str(path), "1"], capture_output=True,
                                  text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, f"> {timeout:.0f} s (stopped)"
    if done.returncode != 0:
        return None, "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:60]
    data = json.loads(done.stdout.strip().splitlines()[-1])
    seconds = data["frontier"][0] + (data["nash"][0] if nash else 0.0)
    return seconds, f"{data['size']} points"


# -- the cases --------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--negmas-python", type=Path, default=DEFAULT_NEGMAS)
    parser.add_argument("--negmas-timeout", type=float, default=900.0)
    parser.add_argument("--skip-negmas", action="store_true")
    args = parser.parse_args()
    repeats = max(1, args.repeats)
    version = None if args.skip_negmas else negmas_available(args.negmas_python)
    rows: list[Row] = []

    # 1. Two parties, 10 issues x 5 options: exact frontier + Nash.
    space = synthetic(2, [5] * 10)

    def two_party() -> None:
        frontier = pareto_frontier(space)
        nash_solution(frontier, space.reservation)

    ours = median_time(two_party, repeats)
    row = Row("2 parties, 10 issues × 5 options: exact frontier + Nash", f"{space.n_outcomes:,}",
              ours, "≤ 50 ms, ≥ 1,000× NegMAS", ours <= 0.05, memory=peak_mib(two_party),
              min_negmas_ratio=1000)
    row.brute = median_time(lambda: brute_nash(brute_frontier(space)[1], space.reservation), 1)
    # Same answer as brute force (checked here, not only in the tests).
    assert abs(nash_solution(pareto_frontier(space), space.reservation).value
               - brute_nash(brute_frontier(space)[1], space.reservation)) < 1e-9
    rows.append(row)
    negmas_cases = [(row, space, True)]

    # 2. Five parties, 6 issues, 240,000 outcomes: exact frontier.
    space5 = synthetic(5, [10, 10, 10, 10, 8, 3])
    ours = median_time(lambda: pareto_frontier(space5), repeats)
    row = Row("5 parties, 6 issues: exact frontier", f"{space5.n_outcomes:,}", ours,
              "≤ 0.5 s, ≥ 100× NegMAS", ours <= 0.5, memory=peak_mib(lambda: pareto_frontier(space5)),
              min_negmas_ratio=100)
    row.brute = median_time(lambda: brute_frontier(space5), 1)
    assert len(brute_frontier(space5)[0]) == len(pareto_frontier(space5))
    rows.append(row)
    negmas_cases.append((row, space5, False))

    # 3. Four parties, 28 issues x 3 options, everyone must accept at 0.55.
    space28 = synthetic(4, [3] * 28, reservation=0.55)
    exact28 = pareto_frontier(space28, acceptable_only=True)
    ours = median_time(lambda: pareto_frontier(space28, acceptable_only=True), repeats)
    row = Row("4 parties, 28 issues × 3, reservation 0.55: acceptable frontier (exact)",
              f"{space28.n_outcomes:.1e}", ours, "≤ 2 s exact (or ε ≤ 0.01)", ours <= 2.0,
              memory=peak_mib(lambda: pareto_frontier(space28, acceptable_only=True)),
              brute_note="infeasible", negmas_note="infeasible")
    row.notes.append(f"{len(exact28):,} frontier packages")
    rows.append(row)
    rough = pareto_frontier(space28, acceptable_only=True, epsilon=0.01)
    ours = median_time(lambda: pareto_frontier(space28, acceptable_only=True, epsilon=0.01),
                       repeats)
    row = Row("  same, ε-frontier with ε = 0.01", f"{space28.n_outcomes:.1e}", ours,
              "(alternative)", ours <= 2.0 and (rough.epsilon or 0) <= 0.01,
              memory=peak_mib(lambda: pareto_frontier(space28, acceptable_only=True, epsilon=0.01)),
              brute_note="infeasible", negmas_note="infeasible")
    row.notes.append(f"{len(rough):,} packages, stated ε = {rough.epsilon or 0:.4f}")
    rows.append(row)

    # 4. The flagship: `accord solve` end to end, process start included.
    accord = shutil.which("accord", path=str(Path(sys.executable).parent)) or "accord"
    command = [accord, "solve", str(FLAGSHIP), "--text", "geneva-framework"]
    subprocess.run(command, capture_output=True, check=True)  # warm the file cache
    ours = median_time(lambda: subprocess.run(command, capture_output=True, check=True), repeats)
    child_rss = command_peak_mib(command)
    flagship = compile_scenario(load(FLAGSHIP))
    row = Row("flagship: `accord solve --text geneva-framework` (process start included)",
              f"{flagship.n_outcomes:,}", ours, "≤ 1 s", ours <= 1.0, memory=child_rss)
    row.brute = median_time(lambda: brute_solutions(flagship), 1)
    row.notes.append("brute force = the same frontier + solutions in-process, no start-up")
    assert abs(bargaining_solutions(flagship).nash.value - brute_nash(
        brute_frontier(flagship, acceptable_only=True)[1], flagship.reservation)) < 1e-9
    rows.append(row)

    # 5. The flagship: smallest amendment of the Geneva framework.
    text_index = flagship.text_index("geneva-framework")
    ours = median_time(lambda: amend(flagship, text_index), repeats)
    found = amend(flagship, text_index)
    expected = brute_amend(flagship, flagship.texts[text_index])
    assert found.best is not None and found.min_changes == expected[0]
    assert abs(found.best.nash_product - expected[1]) < 1e-9
    row = Row("flagship: smallest amendment of geneva-framework", f"{flagship.n_outcomes:,}", ours,
              "≤ 0.2 s", ours <= 0.2, memory=peak_mib(lambda: amend(flagship, text_index)))
    row.brute = median_time(lambda: brute_amend(flagship, flagship.texts[text_index]), 1)
    row.notes.append(f"{found.min_changes} changes, same as brute force")
    rows.append(row)

    # NegMAS last (it is slow): the same synthetic scenarios.
    if version is None:
        for row, _, _ in negmas_cases:
            row.negmas_note = "unavailable"
    else:
        for row, case, with_nash in negmas_cases:
            row.negmas, row.negmas_note = run_negmas(args.negmas_python, case, args.negmas_timeout,
                                                     with_nash)

    print_table(rows, version, repeats, args)


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def print_table(rows: list[Row], version: str | None, repeats: int, args: argparse.Namespace) -> None:
    print(f"accord frontier benchmark — medians of {repeats} runs for accord, single runs for "
          f"the baselines; {os.cpu_count()} CPU cores")
    print("NegMAS: " + (f"{version} at {args.negmas_python}" if version else
                        f"unavailable ({'skipped' if args.skip_negmas else args.negmas_python} — "
                        "see docs/how-to/compare-with-negmas.md)"))
    header = ["case", "packages", "accord", "brute force", "× brute", "NegMAS", "× NegMAS",
              "peak MiB", "target", "met"]
    table = []
    for row in rows:
        brute_ratio = f"{row.brute / row.ours:,.0f}×" if row.brute else ""
        if row.negmas is not None:
            negmas_ratio = f"{row.negmas / row.ours:,.0f}×"
        elif row.negmas_note.startswith(">"):
            bound = float(row.negmas_note.split()[1])
            negmas_ratio = f"> {bound / row.ours:,.0f}×"
        else:
            negmas_ratio = ""
        table.append([
            row.case, row.outcomes, _seconds(row.ours),
            _seconds(row.brute) if row.brute is not None else row.brute_note,
            brute_ratio,
            (_seconds(row.negmas) if row.negmas is not None else "")
            + (f" ({row.negmas_note})" if row.negmas_note else ""),
            negmas_ratio,
            f"{row.memory:.1f}" if row.memory is not None else "", row.target,
            row.verdict()])
    widths = [max(len(str(r[k])) for r in [header, *table]) for k in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-" * len(line))
    for r in table:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    for row in rows:
        for note in row.notes:
            print(f"  · {row.case.strip()}: {note}")


if __name__ == "__main__":
    main()
