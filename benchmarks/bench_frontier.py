"""Frontier speed: accord against NegMAS 0.16's best path for each case, answers asserted, in one run.

Usage::

    .venv/bin/python benchmarks/bench_frontier.py [--repeats 3] [--negmas-python PATH]
                                                  [--negmas-timeout 900] [--skip-negmas] [--quick]

Cases (random additive preferences — Dirichlet weights, uniform option values,
the same numbers for both libraries):

1. **Two parties** (10 × 5, 20 × 5, 28 × 3, 40 × 3–5, 60 × 3–5 issues × options):
   the exact frontier + Nash point.  NegMAS's best path here is
   ``MOBANOSParetoSampler`` (its exact additive merge), plus ``nash_points`` on
   the utilities of the outcomes it returns.  Asserted: the same frontier
   vectors (as sets, to 10⁻⁹) and the same Nash product from NegMAS's own
   disagreement point (``nash_points`` uses ``max(reserved value, minimum
   utility)``: with reserved values 0, each party's minimum utility).
   Goal: ≥ 2× on every row.
2. **Many parties**, exact full frontier (no reservation pruning): 4 × 28 × 3,
   4 × 28 × 3–5, 5 × 20 × 3–5, 9 × 10 × 3–5.  NegMAS has no path for these
   (MOBANOS is two-party; its generic ``pareto_frontier`` enumerates every
   package, 10¹³ here).  Measured instead against the **numpy floor**: building
   the same candidate sums, step by step, and sorting them once (one
   ``argsort``) — what any merge must at least do.  Goals: the times in the
   table; per candidate ≤ 5× the floor.
3. **Five parties, 6 issues** (240,000 packages): small enough for NegMAS's
   generic ``pareto_frontier`` (its path for more than two parties); same
   frontier asserted.
4. **ε = 0.01, 4 × 40 × 3–5**: goal ≤ 10 s with the stated ε ≤ 0.01.  The
   guarantee (every exact frontier vector is within the stated ε of a reported
   one, in every coordinate) is checked against the exact frontier on 4 × 20.
5. **Flagship** ``accord solve --text geneva-framework`` (process start included)
   and the smallest amendment; answers checked against enumeration.

accord's times are medians of ``--repeats`` runs (after one warm-up call, so
compiled kernels are loaded); NegMAS's are medians of 3 runs inside its own
process (its import not counted).  The machine may be shared: compare the
ratios, which are measured side by side in one run.
"""

from __future__ import annotations

import argparse
import json
import os

# The compiled engine at every size (numba; a first run compiles it, ``make warm``
# does so ahead): these benchmarks measure the engine's speed, not start-up
# (``bench_startup.py`` does that).  ACCORD_ENGINE=auto or numpy overrides.
os.environ.setdefault("ACCORD_ENGINE", "compiled")
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from locations import default_negmas_python
from timing import median_time

from accord.analysis.amend import amend
from accord.analysis.bargaining import bargaining_solutions, nash_solution
from accord.analysis.pareto import FrontierTooLarge, frontier_of_sums, pareto_frontier
from accord.io.scenario_file import load
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, Space, compile_scenario

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "examples" / "peace-plan-2025" / "scenario.toml"
RUNNER = Path(__file__).resolve().parent / "negmas_runner.py"
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


def three_to_five(n_issues: int, seed: int = 1) -> list[int]:
    """Option counts drawn from 3–5 (fixed seed)."""
    return [int(k) for k in np.random.default_rng(seed).integers(3, 6, n_issues)]


# -- brute force (answers only, never timed) ------------------------------------------


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


def brute_acceptable_frontier(space: Space) -> np.ndarray:
    """Utilities of the acceptable frontier, by enumeration and a pairwise filter (small spaces)."""
    keep = []
    for packages, utilities in enumerate_chunks(space):
        ok = (utilities[:, space.must_accept] >= space.reservation[space.must_accept]
              - UTILITY_TOLERANCE).all(axis=1)
        hits = np.zeros(packages.shape[0], dtype=bool)
        for i in range(space.n_issues):
            hits |= space.red_lines[space.must_accept][:, i, packages[:, i]].any(axis=0)
        keep.append(utilities[ok & ~hits])
    points = np.vstack(keep)
    dominated = np.zeros(len(points), dtype=bool)
    for start in range(0, len(points), 512):
        block = points[start:start + 512]
        geq = (points[:, None, :] >= block[None] - 1e-12).all(axis=2)
        gt = (points[:, None, :] > block[None] + 1e-12).any(axis=2)
        dominated[start:start + 512] = (geq & gt).any(axis=0)
    return points[~dominated]


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


def minimum_utility(space: Space) -> np.ndarray:
    """Each party's lowest utility over all packages (NegMAS's disagreement point when rv = 0)."""
    masked = np.where(space.option_mask[None], space.contribution, np.inf)
    result: np.ndarray = masked.min(axis=2).sum(axis=1)
    return result


def same_vectors(ours: np.ndarray, theirs: np.ndarray, digits: int = 9) -> bool:
    """The same set of utility vectors, compared after rounding to ``digits`` decimals."""
    a = {tuple(row) for row in np.round(np.asarray(ours, dtype=float), digits)}
    b = {tuple(row) for row in np.round(np.asarray(theirs, dtype=float), digits)}
    return a == b


# -- NegMAS -------------------------------------------------------------------------------


def negmas_available(python: Path) -> str | None:
    """The NegMAS version in that environment, or None."""
    if not python.exists():
        return None
    probe = subprocess.run([str(python), "-c", "import negmas; print(negmas.__version__)"],
                           capture_output=True, text=True, timeout=300)
    return probe.stdout.strip() if probe.returncode == 0 else None


def run_negmas(python: Path, space: Space, timeout: float, mode: str,
               repeats: int = 3) -> dict[str, Any]:
    """``{"seconds", "vectors", "nash_points"}`` from the runner, or ``{"note": why not}``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.npz"
        np.savez(path, contribution=space.contribution, n_options=space.n_options,
                 reservation=space.reservation)
        try:
            done = subprocess.run([str(python), str(RUNNER), str(path), str(repeats), mode],
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"note": f"> {timeout:.0f} s (stopped)", "bound": timeout}
    if done.returncode != 0:
        return {"note": "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:60]}
    data = json.loads(done.stdout.strip().splitlines()[-1])
    seconds = [a + b for a, b in zip(data["frontier"], data["nash"], strict=True)]
    return {"seconds": float(np.median(seconds)), "vectors": np.array(data["vectors"]),
            "nash_points": np.array(data["nash_points"])}


# -- rows -------------------------------------------------------------------------------------


@dataclass
class Row:
    case: str
    ours: float
    goal: str
    met: bool | None = None            # None: decided by the NegMAS ratio
    peer: float | None = None
    peer_note: str = ""
    min_ratio: float | None = None
    notes: list[str] = field(default_factory=list)

    def ratio(self) -> str:
        if self.peer is not None:
            return f"{self.peer / self.ours:,.1f}×"
        return ""

    def verdict(self) -> str:
        if self.min_ratio is not None:
            if self.peer is None:
                return "not measured"
            return "yes" if self.peer / self.ours >= self.min_ratio else "NO"
        return "yes" if self.met else "NO"


def _seconds(value: float) -> str:
    return f"{value * 1000:.2f} ms" if value < 1 else f"{value:.2f} s"


def numpy_floor(result: Any, dims: int, repeats: int) -> float:
    """Seconds to build each step's candidate sums (same shapes) and argsort them once."""
    rng = np.random.default_rng(0)
    total = 0.0
    previous = 1
    for step, built in enumerate(result.candidates):
        k = max(1, built // previous)
        current = rng.random((previous, dims))
        vectors = rng.random((k, dims))

        def step_floor(current: np.ndarray = current, vectors: np.ndarray = vectors) -> None:
            sums = (current[:, None, :] + vectors[None]).reshape(-1, dims)
            np.argsort(sums[:, 0])

        total += median_time(step_floor, repeats)
        if step < len(result.layers):
            previous = int(result.layers[step].child.max(initial=-1)) + 1 or 1
    return total


def points_of(space: Space) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(np.arange(int(space.n_options[i])),
             space.contribution[:, i, : int(space.n_options[i])].T) for i in range(space.n_issues)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--negmas-python", type=Path, default=default_negmas_python())
    parser.add_argument("--negmas-timeout", type=float, default=900.0)
    parser.add_argument("--skip-negmas", action="store_true")
    parser.add_argument("--quick", action="store_true",
                        help="skip the many-party and ε rows (seconds each)")
    args = parser.parse_args()
    repeats = max(1, args.repeats)
    version = None if args.skip_negmas else negmas_available(args.negmas_python)
    rows: list[Row] = []

    # 1. Two parties against MOBANOS.
    for label, options in [("10 × 5", [5] * 10), ("20 × 5", [5] * 20), ("28 × 3", [3] * 28),
                           ("40 × 3–5", three_to_five(40)), ("60 × 3–5", three_to_five(60))]:
        space = synthetic(2, options)

        def job(space: Space = space) -> Any:
            frontier = pareto_frontier(space)
            # NegMAS's disagreement point: max(reserved value = 0, minimum utility).
            return frontier, nash_solution(frontier, minimum_utility(space))

        job()
        ours = median_time(job, max(repeats, 5))
        row = Row(f"2 parties, {label}: exact frontier + Nash", ours, "≥ 2× NegMAS MOBANOS",
                  min_ratio=2.0)
        frontier, nash = job()
        row.notes.append(f"{len(frontier):,} frontier packages")
        if version is not None:
            measured = run_negmas(args.negmas_python, space, args.negmas_timeout, "mobanos")
            if "seconds" in measured:
                row.peer = measured["seconds"]
                # Same answers: the frontier vectors, and the Nash product from the same point.
                assert same_vectors(frontier.utilities, measured["vectors"]), label
                d = minimum_utility(space)
                theirs = float(np.prod(measured["nash_points"][0] - d))
                assert nash.value is not None and abs(nash.value - theirs) < 1e-9, (label, nash.value, theirs)
                row.notes.append("same frontier vectors and Nash product as MOBANOS")
            else:
                row.peer_note = measured["note"]
        rows.append(row)

    # 2. Many parties, exact, against the numpy floor.
    if not args.quick:
        for label, parties, options, goal in [
                ("4 × 28 × 3", 4, [3] * 28, 0.5), ("4 × 28 × 3–5", 4, three_to_five(28), 1.0),
                ("5 × 20 × 3–5", 5, three_to_five(20), 3.0), ("9 × 10 × 3–5", 9, three_to_five(10), 1.0)]:
            space = synthetic(parties, options)
            points = points_of(space)
            result = frontier_of_sums(points, strict=parties)
            ours = median_time(lambda points=points, parties=parties:
                               frontier_of_sums(points, strict=parties), repeats)
            row = Row(f"{parties} parties, {label.split(' × ', 1)[1]}: exact frontier", ours,
                      f"≤ {goal:g} s", ours <= goal, peer_note="no NegMAS path")
            floor = numpy_floor(result, parties, repeats)
            built = sum(result.candidates)
            per, per_floor = ours / built * 1e9, floor / built * 1e9
            row.notes.append(f"{result.vectors.shape[0]:,} vectors; {built:,} candidates; "
                             f"{per:.0f} ns per candidate = {per / per_floor:.1f}× the numpy floor "
                             f"({per_floor:.0f} ns; goal ≤ 5×)")
            rows.append(row)

    # 3. Five parties, 240,000 packages: NegMAS's generic enumerator.
    space5 = synthetic(5, [10, 10, 10, 10, 8, 3])
    def job5() -> Any:
        frontier = pareto_frontier(space5)
        return frontier, nash_solution(frontier, minimum_utility(space5))

    job5()
    ours = median_time(job5, repeats)
    row = Row("5 parties, 6 issues (240,000 packages): exact frontier + Nash", ours,
              "faster than NegMAS", min_ratio=1.0)
    if version is not None:
        measured = run_negmas(args.negmas_python, space5, args.negmas_timeout, "generic", repeats=1)
        if "seconds" in measured:
            row.peer = measured["seconds"]
            assert same_vectors(pareto_frontier(space5).utilities, measured["vectors"])
            row.notes.append("same frontier vectors as NegMAS pareto_frontier")
        else:
            row.peer_note = measured["note"]
    rows.append(row)

    # 4. ε-frontier.
    if not args.quick:
        space = synthetic(4, three_to_five(40))
        start = time.perf_counter()
        try:
            rough = pareto_frontier(space, epsilon=0.01, one_per_vector=True)
            note = f"{len(rough):,} vectors, stated ε = {rough.epsilon or 0.0:.4f}"
            met = (rough.epsilon or 0.0) <= 0.01
        except FrontierTooLarge as error:
            note, met = f"stopped: {error}", False
        ours = time.perf_counter() - start
        rows.append(Row("4 parties, 40 × 3–5: ε-frontier, ε = 0.01 (one run)", ours,
                        "≤ 10 s, stated ε ≤ 0.01", met and ours <= 10, peer_note="no NegMAS path",
                        notes=[note]))
        small = synthetic(4, three_to_five(20))
        exact = pareto_frontier(small, one_per_vector=True)
        thin = pareto_frontier(small, epsilon=0.05, one_per_vector=True)
        eps = thin.epsilon or 0.0
        for u in exact.utilities:
            assert (thin.utilities >= u - eps - 1e-12).all(axis=1).any()
        rows[-1].notes.append(f"guarantee checked on 4 × 20 at ε = 0.05: {len(thin):,} of "
                              f"{len(exact):,} vectors cover the exact frontier within {eps:.4f}")

    # 5. The flagship.
    accord = shutil.which("accord", path=str(Path(sys.executable).parent)) or "accord"
    command = [accord, "solve", str(FLAGSHIP), "--text", "geneva-framework"]
    subprocess.run(command, capture_output=True, check=True)  # warm caches
    ours = median_time(lambda: subprocess.run(command, capture_output=True, check=True), repeats)
    flagship = compile_scenario(load(FLAGSHIP))
    assert same_vectors(pareto_frontier(flagship, acceptable_only=True).utilities,
                        brute_acceptable_frontier(flagship))
    rows.append(Row("flagship: `accord solve --text geneva-framework` (process start included)",
                    ours, "≤ 1 s", ours <= 1.0, peer_note="no peer",
                    notes=["acceptable frontier checked against enumeration"]))
    bargaining_solutions(flagship)
    text_index = flagship.text_index("geneva-framework")
    amend(flagship, text_index)
    ours = median_time(lambda: amend(flagship, text_index), repeats)
    found = amend(flagship, text_index)
    expected = brute_amend(flagship, flagship.texts[text_index])
    assert found.best is not None and found.min_changes == expected[0]
    assert abs(found.best.nash_product - expected[1]) < 1e-9
    rows.append(Row("flagship: smallest amendment of geneva-framework", ours, "≤ 0.2 s",
                    ours <= 0.2, peer_note="no peer",
                    notes=[f"{found.min_changes} changes, same as enumeration"]))

    print_table(rows, version, repeats, args)


def print_table(rows: list[Row], version: str | None, repeats: int, args: argparse.Namespace) -> None:
    print(f"accord frontier benchmark — accord: medians of {repeats}+ runs; NegMAS: medians of 3 "
          f"inside its process; {os.cpu_count()} CPU cores (shared machines: compare ratios)")
    print("NegMAS: " + (f"{version} at {args.negmas_python}" if version else
                        f"unavailable ({'skipped' if args.skip_negmas else args.negmas_python} — "
                        "see docs/how-to/compare-with-negmas.md)"))
    header = ["case", "accord", "NegMAS", "× NegMAS", "goal", "met"]
    table = [[row.case, _seconds(row.ours),
              _seconds(row.peer) if row.peer is not None else row.peer_note,
              row.ratio(), row.goal, row.verdict()] for row in rows]
    widths = [max(len(str(r[k])) for r in [header, *table]) for k in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-" * len(line))
    for r in table:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    for row in rows:
        for note in row.notes:
            print(f"  · {row.case}: {note}")


if __name__ == "__main__":
    main()

