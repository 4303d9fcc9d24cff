"""Tournaments: strategies × scenarios × seeds of alternating offers, run in parallel.

As in the ANAC competitions run on GENIUS (Baarslag et al. 2013, "Evaluating
practical negotiating agents: results and analysis of the 2011 international
competition", *Artificial Intelligence* 198), every profile — one strategy per
negotiator position, all ordered combinations of the listed strategies — meets
on every scenario with every seed.  Run ``r`` uses seed ``seeds[r]`` for its
own random generator and nothing else, and results are gathered in run order,
so the table is the same whatever the number of worker processes.

The configuration is a small TOML file::

    rounds = 100                      # deadline of each run, in rounds
    seeds = 10                        # a count (seeds 0..9) or a list [3, 5, 8]
    strategies = ["boulware", "linear", "conceder", "tit-for-tat", "random"]

    [[scenarios]]
    file = "job-offer.toml"           # scenario file or GENIUS folder, relative to the config
    parties = ["dana", "northwind"]   # optional: negotiators in turn order
                                      # (default: the parties that must accept)

Per run it records the GENIUS metrics (:mod:`accord.protocols.metrics`); the
summary gives, per scenario and strategy, the mean utility of the negotiators
that used it, the agreement rate of their runs and the mean distances to the
Pareto frontier and the Nash point, each with a 95% Student-t interval.
"""

from __future__ import annotations

import csv
import io
import math
import tomllib
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import AccordError
from accord.protocols.alternating import STRATEGIES, alternate
from accord.protocols.engine import Domain
from accord.protocols.metrics import Frontier, frontier_of, run_metrics

__all__ = [
    "RunRecord",
    "StrategySummary",
    "TournamentConfig",
    "TournamentConfigError",
    "TournamentResult",
    "read_config",
    "run_tournament",
]


class TournamentConfigError(AccordError):
    """A tournament configuration that cannot be run (names the file and the key)."""


@dataclass(frozen=True)
class ScenarioEntry:
    """One scenario of a tournament: a file and, optionally, the negotiators in turn order."""

    file: Path
    parties: tuple[str, ...] | None = None


@dataclass(frozen=True)
class TournamentConfig:
    """A tournament: scenarios × ordered strategy profiles × seeds."""

    scenarios: tuple[ScenarioEntry, ...]
    strategies: tuple[str, ...]
    seeds: tuple[int, ...]
    rounds: int = 100


def read_config(path: Path) -> TournamentConfig:
    """Read and check a tournament TOML file (see the module docstring for its format)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TournamentConfigError(f"{path}: no such file") from None
    except tomllib.TOMLDecodeError as error:
        raise TournamentConfigError(f"{path}: not valid TOML: {error}") from None
    known = {"rounds", "seeds", "strategies", "scenarios"}
    for key in data:
        if key not in known:
            from accord.model.suggest import did_you_mean

            raise TournamentConfigError(f"{path}: unknown key {key!r}; expected "
                                        f"{', '.join(sorted(known))}{did_you_mean(key, known)}")
    rounds = data.get("rounds", 100)
    if not isinstance(rounds, int) or isinstance(rounds, bool) or rounds < 1:
        raise TournamentConfigError(f"{path}: rounds must be a whole number ≥ 1, got {rounds!r}")
    seeds_value = data.get("seeds", 10)
    if isinstance(seeds_value, int) and not isinstance(seeds_value, bool) and seeds_value >= 1:
        seeds = tuple(range(seeds_value))
    elif (isinstance(seeds_value, list) and seeds_value
          and all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in seeds_value)):
        seeds = tuple(seeds_value)
    else:
        raise TournamentConfigError(f"{path}: seeds must be a count ≥ 1 or a list of whole "
                                    f"numbers ≥ 0, got {seeds_value!r}")
    strategies = data.get("strategies")
    if not isinstance(strategies, list) or not strategies:
        raise TournamentConfigError(f"{path}: strategies must be a non-empty list of "
                                    f"{', '.join(STRATEGIES)}")
    for name in strategies:
        if name not in STRATEGIES:
            from accord.model.suggest import did_you_mean

            raise TournamentConfigError(f"{path}: strategies: unknown strategy {name!r}; "
                                        f"expected one of {', '.join(STRATEGIES)}"
                                        f"{did_you_mean(str(name), list(STRATEGIES))}")
    entries = data.get("scenarios")
    if not isinstance(entries, list) or not entries:
        raise TournamentConfigError(f"{path}: needs at least one [[scenarios]] table with a file")
    scenarios = []
    for k, entry in enumerate(entries, start=1):
        where = f"{path}: scenarios #{k}"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise TournamentConfigError(f"{where}: needs file = \"<scenario file or folder>\"")
        extra = set(entry) - {"file", "parties"}
        if extra:
            raise TournamentConfigError(f"{where}: unknown key {sorted(extra)[0]!r}; "
                                        "expected file, parties")
        file = (path.parent / entry["file"]).resolve()
        if not file.exists():
            raise TournamentConfigError(f"{where}: {entry['file']!r} not found (looked for {file})")
        parties = entry.get("parties")
        if parties is not None and (not isinstance(parties, list) or len(parties) < 2
                                    or not all(isinstance(p, str) for p in parties)):
            raise TournamentConfigError(f"{where}: parties must list at least two party ids")
        scenarios.append(ScenarioEntry(file, tuple(parties) if parties else None))
    return TournamentConfig(tuple(scenarios), tuple(strategies), seeds, rounds)


@dataclass(frozen=True)
class RunRecord:
    """One run's row of the results table (indices into the tournament's lists)."""

    run: int
    scenario: int
    profile: tuple[str, ...]
    seed: int
    negotiators: tuple[str, ...]
    agreement: bool
    rounds: int
    progress: float
    utilities: tuple[float, ...]
    discounted_utilities: tuple[float, ...]
    social_welfare: float
    distance_to_frontier: float | None
    distance_to_nash: float | None


@dataclass(frozen=True)
class StrategySummary:
    """Means with 95% half-widths for one strategy on one scenario."""

    scenario: str
    strategy: str
    n: int
    mean_utility: float
    utility_ci: float
    agreement_rate: float
    agreement_ci: float
    mean_distance_to_frontier: float | None
    frontier_ci: float | None
    mean_distance_to_nash: float | None
    nash_ci: float | None


@dataclass(frozen=True)
class TournamentResult:
    config: TournamentConfig
    scenario_names: tuple[str, ...]
    runs: tuple[RunRecord, ...]
    summary: tuple[StrategySummary, ...] = field(default=())

    def to_csv(self) -> str:
        """Every run as a CSV table, one row per run, negotiator columns by turn position."""
        width = max(len(r.negotiators) for r in self.runs) if self.runs else 0
        header = ["run", "scenario", "seed", "agreement", "rounds", "progress",
                  "social_welfare", "distance_to_frontier", "distance_to_nash"]
        for k in range(1, width + 1):
            header += [f"party_{k}", f"strategy_{k}", f"utility_{k}", f"discounted_utility_{k}"]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for r in self.runs:
            row: list[Any] = [r.run, self.scenario_names[r.scenario], r.seed, int(r.agreement),
                              r.rounds, f"{r.progress:.6f}", f"{r.social_welfare:.6f}",
                              "" if r.distance_to_frontier is None
                              else f"{r.distance_to_frontier:.6f}",
                              "" if r.distance_to_nash is None else f"{r.distance_to_nash:.6f}"]
            for k in range(width):
                if k < len(r.negotiators):
                    row += [r.negotiators[k], r.profile[k], f"{r.utilities[k]:.6f}",
                            f"{r.discounted_utilities[k]:.6f}"]
                else:
                    row += ["", "", "", ""]
            writer.writerow(row)
        return buffer.getvalue()


# --- the runs -------------------------------------------------------------------------

_WORKER_DOMAINS: dict[int, tuple[Domain, tuple[int, ...]]] = {}


def _load_domain(entry: ScenarioEntry) -> tuple[Domain, tuple[int, ...], str]:
    from accord.space import compile_scenario

    if entry.file.is_dir():
        from accord.io.genius import load_folder

        scenario = load_folder(entry.file)
    else:
        from accord.io.scenario_file import load

        scenario = load(entry.file)
    space = compile_scenario(scenario)
    discounts = tuple(float(scenario.preferences[p].discount) for p in space.party_ids)
    domain = Domain.from_space(space, discount=discounts)
    if entry.parties is None:
        order = tuple(p for p in range(space.n_parties) if space.must_accept[p])
    else:
        for party in entry.parties:
            if party not in space.party_ids:
                raise TournamentConfigError(f"{entry.file}: unknown party {party!r} in parties "
                                            f"(the scenario has {', '.join(space.party_ids)})")
        order = tuple(space.party_index(p) for p in entry.parties)
    if len(order) < 2:
        raise TournamentConfigError(f"{entry.file}: fewer than two negotiators; list them in "
                                    "parties")
    # A scenario named after its file, or its folder when the file is a generic "scenario.*".
    name = entry.file.name if entry.file.is_dir() else entry.file.stem
    if name == "scenario":
        name = entry.file.parent.name
    return domain, order, name


def _init_worker(scenarios: tuple[ScenarioEntry, ...]) -> None:
    for k, entry in enumerate(scenarios):
        domain, order, _ = _load_domain(entry)
        _WORKER_DOMAINS[k] = (domain, order)


def _run_one(task: tuple[int, int, tuple[str, ...], int, int]) -> tuple[Any, ...]:
    run, scenario, profile, seed, rounds = task
    domain, order = _WORKER_DOMAINS[scenario]
    result = alternate(domain, profile, negotiators=order, rounds=rounds, seed=seed,
                       record=False)
    columns = list(order)
    return (run, result.agreement, result.rounds, result.progress,
            result.utilities[columns].tolist(), result.discounted_utilities[columns].tolist())


def _t_half_width(values: Sequence[float]) -> float:
    if len(values) < 2:
        return math.nan
    from scipy import stats

    return float(stats.t.ppf(0.975, len(values) - 1) * np.std(values, ddof=1)
                 / math.sqrt(len(values)))


def _summarise(config: TournamentConfig, names: Sequence[str],
               runs: Sequence[RunRecord]) -> tuple[StrategySummary, ...]:
    rows = []
    for s, name in enumerate(names):
        for strategy in config.strategies:
            utilities, agreements, frontier, nash = [], [], [], []
            for r in runs:
                if r.scenario != s or strategy not in r.profile:
                    continue
                utilities += [u for u, k in zip(r.utilities, r.profile, strict=True)
                              if k == strategy]
                agreements.append(float(r.agreement))
                if r.distance_to_frontier is not None:
                    frontier.append(r.distance_to_frontier)
                if r.distance_to_nash is not None:
                    nash.append(r.distance_to_nash)
            if not utilities:
                continue
            rows.append(StrategySummary(
                scenario=name, strategy=strategy, n=len(utilities),
                mean_utility=float(np.mean(utilities)), utility_ci=_t_half_width(utilities),
                agreement_rate=float(np.mean(agreements)),
                agreement_ci=_t_half_width(agreements),
                mean_distance_to_frontier=float(np.mean(frontier)) if frontier else None,
                frontier_ci=_t_half_width(frontier) if frontier else None,
                mean_distance_to_nash=float(np.mean(nash)) if nash else None,
                nash_ci=_t_half_width(nash) if nash else None))
    return tuple(rows)


def run_tournament(config: TournamentConfig, *, workers: int = 1,
                   progress: Callable[[int, int], None] | None = None,
                   frontiers: Sequence[Frontier | None] | None = None) -> TournamentResult:
    """Run every (scenario, profile, seed) and summarise; identical for any ``workers``.

    Args:
        config: the tournament.
        workers: local worker processes (1 = run in this process).
        progress: called with the number of runs just finished and the total
            (for a progress bar).
        frontiers: per scenario, the negotiators' frontier if already known
            (default: :func:`frontier_of`, None for domains too large).
    """
    loaded = [_load_domain(entry) for entry in config.scenarios]
    names = tuple(name for _, _, name in loaded)
    if frontiers is None:
        frontiers = [frontier_of(domain, order) for domain, order, _ in loaded]
    tasks = []
    for s, (_, order, _) in enumerate(loaded):
        for profile in product(config.strategies, repeat=len(order)):
            for seed in config.seeds:
                tasks.append((len(tasks), s, profile, seed, config.rounds))
    outputs: list[tuple[Any, ...]] = []
    if workers <= 1:
        for k, (domain, order, _) in enumerate(loaded):
            _WORKER_DOMAINS[k] = (domain, order)
        for task in tasks:
            outputs.append(_run_one(task))
            if progress is not None:
                progress(1, len(tasks))
    else:
        chunk = max(1, min(32, len(tasks) // (workers * 8) or 1))
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                 initargs=(config.scenarios,)) as pool:
            for output in pool.map(_run_one, tasks, chunksize=chunk):
                outputs.append(output)
                if progress is not None:
                    progress(1, len(tasks))
    outputs.sort(key=lambda o: o[0])
    runs = []
    for (run, s, profile, seed, _), (_, agreement, rounds, t, utilities, discounted) in zip(
            tasks, outputs, strict=True):
        domain, order, _ = loaded[s]
        metrics = run_metrics(np.array(utilities), agreement=agreement, rounds=rounds,
                              frontier=frontiers[s], discounted=np.array(discounted))
        runs.append(RunRecord(
            run=run, scenario=s, profile=profile, seed=seed,
            negotiators=tuple(domain.party_ids[p] for p in order), agreement=agreement,
            rounds=rounds, progress=t, utilities=tuple(utilities),
            discounted_utilities=tuple(discounted), social_welfare=metrics.social_welfare,
            distance_to_frontier=metrics.distance_to_frontier,
            distance_to_nash=metrics.distance_to_nash))
    return TournamentResult(config, names, tuple(runs), _summarise(config, names, runs))
