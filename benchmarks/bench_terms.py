"""Feasibility and the smallest amendment with package deals and interaction terms.

Input: the flagship (``examples/peace-plan-2025``: 4 parties, 16 disputed
points covering the 28-point plan, 10,077,696 packages) with ``--deals``
conditional red lines (half ``requires``, half ``excludes``) and ``--terms``
interaction terms of two or three points added at random (``--seed``; a draw
whose utilities could leave [0, 1] is refused by validation and the next seed
is tried, so every input is a valid file).

Ours: :func:`accord.analysis.feasibility.feasibility` and
:func:`accord.analysis.amend.amend` on the latest text, which dispatch to the
integer programs of :mod:`accord.analysis.terms` (best of ``--repeats``).
Baseline: brute force over every package (in chunks of 250,000, utilities and
red-line hits from ``Space``), the best worst margin and the fewest changes of
an acceptable package.  The answers are asserted equal.

Run: ``.venv/bin/python benchmarks/bench_terms.py [--seed N] [--deals 10] [--terms 20]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from timing import median_time

ROOT = Path(__file__).resolve().parents[1]

from accord.analysis.amend import amend  # noqa: E402
from accord.analysis.feasibility import feasibility  # noqa: E402
from accord.errors import ScenarioError  # noqa: E402
from accord.io.scenario_file import _document, load  # noqa: E402
from accord.model.validate import scenario_from_document  # noqa: E402
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, Space, compile_scenario  # noqa: E402

FLAGSHIP = ROOT / "examples" / "peace-plan-2025" / "scenario.toml"


def linked(seed: int, deals: int, terms: int) -> tuple[int, Any]:
    """The flagship with random links; the first seed from ``seed`` whose file is valid."""
    base = _document(load(FLAGSHIP))
    issues = [(issue["id"], [o["id"] for o in issue["options"]]) for issue in base["issues"]]
    parties = list(base["preferences"])
    for attempt in range(seed, seed + 1000):
        rng = np.random.default_rng(attempt)
        document = _document(load(FLAGSHIP))
        for n in range(deals):
            party = parties[int(rng.integers(len(parties)))]
            (a, a_options), (b, b_options) = (issues[k] for k in rng.choice(len(issues), 2,
                                                                              replace=False))
            kind = "requires" if n % 2 == 0 else "excludes"
            chosen = rng.choice(b_options, size=int(rng.integers(1, len(b_options))), replace=False)
            document["preferences"][party].setdefault(kind, []).append({
                "issue": a, "option": str(rng.choice(a_options)), "with_issue": b,
                "with_options": [str(o) for o in chosen]})
        for _ in range(terms):
            party = parties[int(rng.integers(len(parties)))]
            points = rng.choice(len(issues), size=int(rng.integers(2, 4)), replace=False)
            when = {issues[k][0]: str(rng.choice(issues[k][1])) for k in points}
            document["preferences"][party].setdefault("terms", []).append({
                "when": when, "value": round(float(rng.uniform(-0.06, 0.04)), 3)})
        try:
            return attempt, scenario_from_document(document, "linked.toml")
        except ScenarioError:
            continue
    raise SystemExit("no valid draw in 1,000 seeds")


def brute_force(space: Space, base: Any, chunk: int = 250_000) -> tuple[float, int | None]:
    """(best worst margin over red-line-free packages, fewest changes of an acceptable one)."""
    must = np.flatnonzero(space.must_accept)
    reservation = space.reservation[must]
    grids = np.indices(tuple(int(n) for n in space.n_options)).reshape(space.n_issues, -1).T
    best, fewest = -np.inf, None
    agreed = base != UNRESOLVED
    for start in range(0, grids.shape[0], chunk):
        packages = grids[start:start + chunk]
        clean = ~space.red_line_hits(packages)[:, must].any(axis=1)
        packages = packages[clean]
        if not packages.shape[0]:
            continue
        margins = (space.utilities(packages)[:, must] - reservation).min(axis=1)
        best = max(best, float(margins.max()))
        ok = margins >= -UTILITY_TOLERANCE
        if ok.any():
            changes = (agreed[None, :] & (packages[ok] != base[None, :])).sum(axis=1)
            least = int(changes.min())
            fewest = least if fewest is None else min(fewest, least)
    return best, fewest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--deals", type=int, default=10)
    parser.add_argument("--terms", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--text", default="plan-20")
    args = parser.parse_args()
    seed, scenario = linked(args.seed, args.deals, args.terms)
    space = compile_scenario(scenario)
    base = space.texts[space.text_index(args.text)]
    print(f"flagship + {args.deals} package deals + {args.terms} terms (seed {seed}): "
          f"{space.n_parties} parties, {space.n_issues} points, {space.n_outcomes:,} packages, "
          f"{space.pair_bans.shape[0]} forbidden pairs")
    found = feasibility(space)
    amended = amend(space, args.text)
    t_feasibility = min(median_time(lambda: feasibility(space), 1) for _ in range(args.repeats))
    t_amend = min(median_time(lambda: amend(space, args.text), 1) for _ in range(args.repeats))
    start = time.perf_counter()
    best, fewest = brute_force(space, base)
    t_brute = time.perf_counter() - start
    assert abs(found.margin - best) <= 1e-9, (found.margin, best)
    assert amended.min_changes == fewest, (amended.min_changes, fewest)
    print(f"feasibility (worst margin {found.margin:+.4f}): ours {t_feasibility:.3f} s")
    print(f"smallest amendment of {args.text} ({fewest} changes): ours {t_amend:.3f} s")
    print(f"brute force over every package (both answers): {t_brute:.1f} s "
          f"— {t_brute / (t_feasibility + t_amend):.0f}× ours; answers equal")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
