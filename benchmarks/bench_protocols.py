"""Protocol speed, side by side in one run (medians of repeated timings, ratios).

Cases:

* Klein et al. single-text mediation, 100 binary issues, 1,000 single-flip
  proposals, 2 annealing voters (target ≤ 0.2 s).  Baseline: the same protocol
  as a straightforward per-proposal Python loop, each voter computing
  ``Σ_ij J_ij x_i x_j`` with plain Python loops over lists.
* Alternating offers, 2 Boulware time-dependent agents, ANAC 2010 Travel
  domain (188,160 outcomes), deadline 1,000 rounds (target ≥ 10× NegMAS).
  Baseline: NegMAS 0.16 ``SAOMechanism`` (``n_steps=1000``) with two
  ``BoulwareTBNegotiator`` s, run in NegMAS's own environment (``--negmas-python``)
  by a script written at run time (NegMAS is never imported here).  Both
  timings start from the loaded domain and include building the agents'
  offer tables; the domain files are parsed outside the timing.
* A tournament of 1,000 runs on the flagship example (ua and ru negotiating;
  5 strategies → 25 ordered profiles × 40 seeds, 100 rounds, 2 workers),
  including the two-party Pareto frontier (target ≤ 60 s; no baseline).

Run: ``.venv/bin/python benchmarks/bench_protocols.py [--repeats N]``
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from locations import default_negmas_python, default_shared
from timing import median_time

from accord.protocols.mediation import klein_domain, mediate

ROOT = Path(__file__).resolve().parent.parent
#: The Travel domain, inside the shared data folder (see locations.py).
TRAVEL = Path("data/genius/anac/y2010/Travel")

# Written to a temporary file and run with the NegMAS environment's interpreter.
NEGMAS_SCRIPT = """
import json, sys, time
from negmas import SAOMechanism
from negmas.inout import Scenario
from negmas.sao import BoulwareTBNegotiator

folder, repeats = sys.argv[1], int(sys.argv[2])
scenario = Scenario.from_genius_folder(folder)
times, steps, agreements = [], [], []
for _ in range(repeats):
    start = time.perf_counter()
    mechanism = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=1000)
    for k, ufun in enumerate(scenario.ufuns):
        mechanism.add(BoulwareTBNegotiator(name=f"agent{k}"), ufun=ufun)
    state = mechanism.run()
    times.append(time.perf_counter() - start)
    steps.append(state.step)
    agreements.append(state.agreement is not None)
print(json.dumps({"times": times, "steps": steps, "agreements": agreements}))
"""


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--negmas-python", type=Path, default=default_negmas_python(),
                        help="NegMAS's interpreter (default: $NEGMAS_PYTHON or ../negmas-env)")
    parser.add_argument("--data", type=Path, default=default_shared(),
                        help="the shared data folder (default: $ACCORD_SHARED or ../shared)")
    args = parser.parse_args()
    domain = klein_domain(100, 2, seed=0)
    couplings = [u.coupling.tolist() for u in domain.utilities]  # type: ignore[attr-defined]

    ours = median_time(lambda: mediate(domain, voters=("annealer", "annealer"), proposals=1000,
                                       seed=0), args.repeats)
    base = median_time(lambda: baseline_mediation(couplings, 100, 1000, 0),
                       max(1, args.repeats // 2))
    rows = [f"| Klein mediation, 100 issues × 1,000 proposals × 2 voters | {ours:.4f} | "
            f"{base:.4f} (pure-Python loop) | {base / ours:.1f}× | ≤ 0.2 s: "
            f"{'met' if ours <= 0.2 else 'NOT met'} |"]
    rows.append(alternating_case(args.repeats, args.data / TRAVEL, args.negmas_python))
    rows.append(tournament_case())
    print("| case | accord median (s) | baseline median (s) | ratio | target |")
    print("| --- | --- | --- | --- | --- |")
    print("\n".join(rows))


def alternating_case(repeats: int, travel: Path, negmas_python: Path) -> str:
    from accord.io.genius import load_folder
    from accord.protocols.alternating import alternate
    from accord.protocols.engine import Domain
    from accord.space import compile_scenario

    if not travel.is_dir():
        return f"| alternating offers, ANAC Travel | — | data not found at {travel} | — | — |"
    domain = Domain.from_space(compile_scenario(load_folder(travel)))
    runs = []

    def once() -> None:
        runs.append(alternate(domain, ("boulware", "boulware"), rounds=1000, seed=len(runs),
                              record=False))

    ours = median_time(once, repeats)
    label = "alternating offers, 2 Boulware agents, ANAC Travel, 1,000 rounds"
    detail = (f"accord: agreement in {sum(r.agreement for r in runs)}/{len(runs)} runs, "
              f"median round {statistics.median(r.rounds for r in runs)}")
    if not negmas_python.exists():
        return f"| {label} | {ours:.4f} | NegMAS environment missing | — | ≥ 10× ({detail}) |"
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "negmas_alternating.py"
        script.write_text(NEGMAS_SCRIPT)
        done = subprocess.run([str(negmas_python), str(script), str(travel), str(repeats)],
                              capture_output=True, text=True, check=False, cwd=folder)
    if done.returncode != 0:
        return f"| {label} | {ours:.4f} | NegMAS failed: {done.stderr[-200:]!r} | — | ≥ 10× |"
    theirs = json.loads(done.stdout.strip().splitlines()[-1])
    base = statistics.median(theirs["times"])
    detail += (f"; NegMAS: agreement in {sum(theirs['agreements'])}/{len(theirs['times'])}, "
               f"median step {statistics.median(theirs['steps'])}")
    return (f"| {label} | {ours:.4f} | {base:.4f} (NegMAS 0.16 SAOMechanism) | "
            f"{base / ours:.1f}× | ≥ 10×: {'met' if base / ours >= 10 else 'NOT met'} "
            f"({detail}) |")


def tournament_case() -> str:
    from accord.protocols.tournament import read_config, run_tournament

    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "flagship.toml"
        config.write_text(
            'rounds = 100\nseeds = 40\n'
            'strategies = ["boulware", "linear", "conceder", "tit-for-tat", "random"]\n'
            f'[[scenarios]]\nfile = "{ROOT / "examples/peace-plan-2025/scenario.toml"}"\n')
        start = time.perf_counter()
        result = run_tournament(read_config(config), workers=2)
        took = time.perf_counter() - start
    agreements = sum(r.agreement for r in result.runs)
    return (f"| tournament, {len(result.runs)} runs, flagship (ua vs ru), 2 workers | "
            f"{took:.2f} (one run) | — | — | ≤ 60 s: {'met' if took <= 60 else 'NOT met'} "
            f"({agreements} agreements) |")


if __name__ == "__main__":
    main()
