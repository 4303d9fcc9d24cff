"""Tournaments: strategies × scenarios × seeds of any protocol, run in parallel.

As in the ANAC competitions run on GENIUS (Baarslag et al. 2013, "Evaluating
practical negotiating agents: results and analysis of the 2011 international
competition", *Artificial Intelligence* 198), every profile meets on every
scenario with every seed.  A profile is one *strategy* per negotiator:

* ``alternate`` — a time-dependent or baseline tactic per negotiator
  (:data:`accord.protocols.alternating.STRATEGIES`), all ordered combinations;
* ``mediate`` — a mediator kind and one voter kind per negotiator
  (:mod:`accord.protocols.mediation`), the strategy label being
  ``"<mediator>/<voter>"``; the annealing mediators run with truthful voters
  only (Klein, Faratin and Bar-Yam 2002);
* ``shuttle`` — a party order and a concession schedule (the most changes a
  party asks for at its first meeting), shared by every negotiator and
  labelled ``"<order> asks <k>"``.  Shuttle mediation is deterministic from a
  given start, so with a real starting text it runs once per profile (seed =
  the first seed); a scenario without a complete text starts each run from a
  random text drawn from the run's seed.

Run ``r`` uses its seed for its own random generator and nothing else, and
results are gathered in run order, so the table is the same whatever the
number of worker processes or Dask workers.

The configuration is a small TOML file::

    protocols = ["alternate", "mediate", "shuttle"]   # default ["alternate"]
    rounds = 100                      # alternating offers: deadline in rounds
    seeds = 10                        # a count (seeds 0..9) or a list [3, 5, 8]
    strategies = ["boulware", "linear", "conceder", "tit-for-tat", "random"]

    [mediate]                         # optional, these are the defaults
    mediators = ["random", "annealing", "annealing-graded", "informed"]
    voters = ["hill-climber", "annealer"]
    proposals = 200

    [shuttle]                         # optional, these are the defaults
    max_asks = [3]
    rounds = 6
    bracket = true                    # leave contested points open (see accord.protocols.shuttle)

    [[scenarios]]
    file = "job-offer.toml"           # scenario file or GENIUS folder, relative to the config
    parties = ["dana", "northwind"]   # optional: negotiators in turn order
                                      # (default: the parties that must accept)
    start = "offer-1"                 # optional: shuttle's starting text
                                      # (default: the scenario's first complete text)
    orders = [["dana", "northwind"]]  # optional: shuttle's meeting orders (backers allowed;
                                      # default: the negotiators in turn order)

Per run it records accord's metrics and, in ``genius_*`` columns, GENIUS's
exact definitions (:mod:`accord.protocols.metrics`); the
summary gives, per scenario, protocol and strategy, the mean utility of the
negotiators that used it, the agreement rate of their runs and the mean
distances to the Pareto frontier and the Nash point, each with a 95% Student-t
interval.
"""

from __future__ import annotations

import csv
import io
import math
import tomllib
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice, product
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import TournamentConfigError
from accord.protocols.alternating import STRATEGIES, alternate
from accord.protocols.engine import Domain, random_text
from accord.protocols.limits import (
    MAX_ASKS,
    MAX_PROPOSALS,
    MAX_ROUNDS,
    MAX_RUNS,
    MAX_SEEDS,
    SEED_MAX,
    shown,
)
from accord.protocols.metrics import Frontier, frontier_of, genius_metrics, run_metrics

__all__ = [
    "PROTOCOLS",
    "RunRecord",
    "StrategySummary",
    "TournamentConfig",
    "TournamentConfigError",
    "TournamentResult",
    "dask_runner",
    "process_runner",
    "read_config",
    "run_tournament",
    "serial_runner",
]

PROTOCOLS = ("alternate", "mediate", "shuttle")
MEDIATORS = ("random", "annealing", "annealing-graded", "informed")
VOTERS = ("hill-climber", "annealer")
#: Runs per task shipped to a worker: fixed, so the split never depends on the worker count.
CHUNK_RUNS = 16
#: Chunks in flight at once on a pool or cluster (results wait in memory until gathered in order).
WINDOW = 16


#: A tournament configuration larger than this is refused unread (they are a few hundred bytes).
MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ScenarioEntry:
    """One scenario of a tournament: a file and, optionally, the negotiators in turn order."""

    file: Path
    parties: tuple[str, ...] | None = None
    start: str | None = None
    orders: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class TournamentConfig:
    """A tournament: protocols × scenarios × strategy profiles × seeds.

    ``strategies`` and ``rounds`` are alternating offers' tactics and deadline;
    ``mediators``, ``voters`` and ``proposals`` single-text mediation's;
    ``shuttle_*`` shuttle mediation's (meeting orders are per scenario).
    """

    scenarios: tuple[ScenarioEntry, ...]
    strategies: tuple[str, ...]
    seeds: tuple[int, ...]
    rounds: int = 100
    protocols: tuple[str, ...] = ("alternate",)
    mediators: tuple[str, ...] = MEDIATORS
    voters: tuple[str, ...] = VOTERS
    proposals: int = 200
    shuttle_asks: tuple[int, ...] = (3,)
    shuttle_rounds: int = 6
    shuttle_bracket: bool = True
    #: the configuration file it was read from (for messages), if any
    source: str | None = None


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    from accord.model.suggest import did_you_mean

    return did_you_mean(str(word), list(choices))


def _check_keys(where: str, table: dict[str, Any], known: set[str]) -> None:
    for key in table:
        if key not in known:
            raise TournamentConfigError(f"{where}: unknown key {key!r}; expected "
                                        f"{', '.join(sorted(known))}{_did_you_mean(key, sorted(known))}")


def _whole(where: str, key: str, value: Any, default: int, high: int) -> int:
    value = default if value is None else value
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= high:
        raise TournamentConfigError(f"{where}: {key} must be a whole number from 1 to {high:,}, "
                                    f"got {shown(value)}")
    return value


def _is_whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


_SINGULAR = {"strategies": "strategy", "protocols": "protocol", "mediators": "mediator",
             "voters": "voter"}


def _names(where: str, key: str, value: Any, allowed: Sequence[str],
           default: Sequence[str] | None) -> tuple[str, ...]:
    if value is None and default is not None:
        return tuple(default)
    if not isinstance(value, list) or not value:
        raise TournamentConfigError(f"{where}: {key} must be a non-empty list of "
                                    f"{', '.join(allowed)}")
    for name in value:
        if name not in allowed:
            raise TournamentConfigError(f"{where}: {key}: unknown {_SINGULAR.get(key, key)} {shown(name)}; "
                                        f"expected one of {', '.join(allowed)}"
                                        f"{_did_you_mean(str(name), allowed)}")
    return tuple(value)


def read_config(path: Path) -> TournamentConfig:
    """Read and check a tournament TOML file (see the module docstring for its format)."""
    from accord.errors import ScenarioError
    from accord.io.files import read_text

    path = Path(path)
    try:
        data = tomllib.loads(read_text(path, what="a tournament configuration (.toml)",
                                       limit=MAX_CONFIG_BYTES))
    except ScenarioError as error:  # missing, not a regular file, too big, not UTF-8 text
        raise TournamentConfigError(str(error.problems[0])) from None
    except tomllib.TOMLDecodeError as error:
        raise TournamentConfigError(f"{path}: not valid TOML: {error}") from None
    except ValueError:  # Python refuses to convert a whole number of thousands of digits
        raise TournamentConfigError(f"{path}: a number with thousands of digits; no value in a "
                                    "tournament configuration needs more than a few") from None
    except RecursionError:
        raise TournamentConfigError(f"{path}: not valid TOML: nested too deeply") from None
    _check_keys(str(path), data, {"protocols", "rounds", "seeds", "strategies", "scenarios",
                                  "mediate", "shuttle"})
    protocols = _names(str(path), "protocols", data.get("protocols"), PROTOCOLS, ("alternate",))
    rounds = _whole(str(path), "rounds", data.get("rounds"), 100, MAX_ROUNDS)
    seeds_value = data.get("seeds", 10)
    if _is_whole(seeds_value, 1, MAX_SEEDS):
        seeds = tuple(range(seeds_value))
    elif (isinstance(seeds_value, list) and 1 <= len(seeds_value) <= MAX_SEEDS
          and all(_is_whole(s, 0, SEED_MAX) for s in seeds_value)):
        seeds = tuple(seeds_value)
    else:
        raise TournamentConfigError(f"{path}: seeds must be a count from 1 to {MAX_SEEDS:,} or "
                                    f"a list of 1 to {MAX_SEEDS:,} whole numbers from 0 to "
                                    f"{SEED_MAX:,}, got {shown(seeds_value)}")
    strategies: tuple[str, ...] = ()
    if "alternate" in protocols or "strategies" in data:
        strategies = _names(str(path), "strategies", data.get("strategies"), tuple(STRATEGIES),
                            None)
    mediate_table = data.get("mediate", {})
    shuttle_table = data.get("shuttle", {})
    for key, table in (("mediate", mediate_table), ("shuttle", shuttle_table)):
        if not isinstance(table, dict):
            raise TournamentConfigError(f"{path}: {key} must be a table ([{key}])")
    where = f"{path}: [mediate]"
    _check_keys(where, mediate_table, {"mediators", "voters", "proposals"})
    mediators = _names(where, "mediators", mediate_table.get("mediators"), MEDIATORS, MEDIATORS)
    voters = _names(where, "voters", mediate_table.get("voters"), VOTERS, VOTERS)
    proposals = _whole(where, "proposals", mediate_table.get("proposals"), 200, MAX_PROPOSALS)
    where = f"{path}: [shuttle]"
    _check_keys(where, shuttle_table, {"max_asks", "rounds", "bracket"})
    asks = shuttle_table.get("max_asks", [3])
    if not isinstance(asks, list) or not 1 <= len(asks) <= 100 or not all(
            _is_whole(a, 1, MAX_ASKS) for a in asks):
        raise TournamentConfigError(f"{where}: max_asks must be a list of 1 to 100 whole numbers "
                                    f"from 1 to {MAX_ASKS:,}, got {shown(asks)}")
    shuttle_rounds = _whole(where, "rounds", shuttle_table.get("rounds"), 6, MAX_ROUNDS)
    bracket = shuttle_table.get("bracket", True)
    if not isinstance(bracket, bool):
        raise TournamentConfigError(f"{where}: bracket must be true or false, got {shown(bracket)}")
    entries = data.get("scenarios")
    if not isinstance(entries, list) or not entries:
        raise TournamentConfigError(f"{path}: needs at least one [[scenarios]] table with a file")
    scenarios = []
    for k, entry in enumerate(entries, start=1):
        where = f"{path}: scenarios #{k}"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise TournamentConfigError(f"{where}: needs file = \"<scenario file or folder>\"")
        extra = set(entry) - {"file", "parties", "start", "orders"}
        if extra:
            raise TournamentConfigError(f"{where}: unknown key {sorted(extra)[0]!r}; "
                                        "expected file, parties, start, orders")
        orders = entry.get("orders", [])
        if not isinstance(orders, list) or not all(
                isinstance(o, list) and o and all(isinstance(p, str) for p in o) for o in orders):
            raise TournamentConfigError(f"{where}: orders must be a list of lists of party ids, "
                                        "e.g. [[\"ua\", \"ru\"]]")
        start = entry.get("start")
        if start is not None and not isinstance(start, str):
            raise TournamentConfigError(f"{where}: start must be a text id, got {shown(start)}")
        try:
            file = (path.parent / entry["file"]).resolve()
            found = file.exists()
        except (OSError, ValueError):  # a NUL in the name, a name too long for the system
            raise TournamentConfigError(f"{where}: file is not a usable file name: "
                                        f"{shown(entry['file'])}") from None
        if not found:
            raise TournamentConfigError(f"{where}: {entry['file']!r} not found (looked for {file})")
        parties = entry.get("parties")
        if parties is not None and (not isinstance(parties, list) or len(parties) < 2
                                    or not all(isinstance(p, str) for p in parties)):
            raise TournamentConfigError(f"{where}: parties must list at least two party ids")
        scenarios.append(ScenarioEntry(file, tuple(parties) if parties else None, start,
                                       tuple(tuple(o) for o in orders)))
    return TournamentConfig(
        scenarios=tuple(scenarios), strategies=strategies, seeds=seeds, rounds=rounds,
        protocols=protocols, mediators=mediators, voters=voters, proposals=proposals,
        shuttle_asks=tuple(asks),
        shuttle_rounds=shuttle_rounds, shuttle_bracket=bracket, source=str(path))


@dataclass(frozen=True)
class RunRecord:
    """One run's row of the results table (indices into the tournament's lists).

    ``profile`` holds each negotiator's strategy label; the utilities are the
    negotiators' (undiscounted; reservation values without agreement), the
    metrics those of :func:`accord.protocols.metrics.run_metrics`.
    """

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
    protocol: str = "alternate"
    genius_social_welfare: float | None = None
    genius_distance_to_frontier: float | None = None
    genius_distance_to_nash: float | None = None


@dataclass(frozen=True)
class StrategySummary:
    """Means with 95% half-widths for one strategy of one protocol on one scenario."""

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
    protocol: str = "alternate"


@dataclass(frozen=True)
class TournamentResult:
    config: TournamentConfig
    scenario_names: tuple[str, ...]
    runs: tuple[RunRecord, ...]
    summary: tuple[StrategySummary, ...] = field(default=())

    def to_csv(self) -> str:
        """Every run as a CSV table, one row per run, negotiator columns by turn position."""
        width = max(len(r.negotiators) for r in self.runs) if self.runs else 0
        header = ["run", "protocol", "scenario", "seed", "agreement", "rounds", "progress",
                  "social_welfare", "distance_to_frontier", "distance_to_nash"]
        header += ["genius_social_welfare", "genius_distance_to_frontier",
                   "genius_distance_to_nash"]
        for k in range(1, width + 1):
            header += [f"party_{k}", f"strategy_{k}", f"utility_{k}", f"discounted_utility_{k}"]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for r in self.runs:
            row: list[Any] = [r.run, r.protocol, self.scenario_names[r.scenario], r.seed,
                              int(r.agreement), r.rounds, f"{r.progress:.6f}",
                              f"{r.social_welfare:.6f}",
                              "" if r.distance_to_frontier is None
                              else f"{r.distance_to_frontier:.6f}",
                              "" if r.distance_to_nash is None else f"{r.distance_to_nash:.6f}"]
            row += ["" if value is None else f"{value:.6f}"
                    for value in (r.genius_social_welfare, r.genius_distance_to_frontier,
                                  r.genius_distance_to_nash)]
            for k in range(width):
                if k < len(r.negotiators):
                    row += [r.negotiators[k], r.profile[k], f"{r.utilities[k]:.6f}",
                            f"{r.discounted_utilities[k]:.6f}"]
                else:
                    row += ["", "", "", ""]
            writer.writerow(row)
        return buffer.getvalue()


# --- the scenarios, as every worker rebuilds them ------------------------------------------

@dataclass(frozen=True, eq=False)
class _Loaded:
    domain: Domain
    order: tuple[int, ...]
    name: str
    shuttle_start: np.ndarray | None     # the complete starting text, if the scenario has one
    shuttle_orders: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, eq=False)
class _Prepared:
    """What a worker needs: the validated scenario models (picklable) and the config.

    Shipped once per worker (process initializer, or Dask ``scatter``); the
    token keys the worker's cache so a worker compiles each tournament once.
    """

    token: str
    config: TournamentConfig
    scenarios: tuple[Any, ...]


def _read_scenario(entry: ScenarioEntry) -> Any:
    if entry.file.is_dir():
        from accord.io.genius import load_folder

        return load_folder(entry.file)
    from accord.io.scenario_file import load

    return load(entry.file)


def _compile(config: TournamentConfig, entry: ScenarioEntry, scenario: Any) -> _Loaded:
    from accord.space import compile_scenario

    space = compile_scenario(scenario)
    discounts = tuple(float(scenario.preferences[p].discount) for p in space.party_ids)
    domain = Domain.from_space(space, discount=discounts)

    def index_of(party: str, what: str) -> int:
        if party not in space.party_ids:
            raise TournamentConfigError(
                f"{entry.file}: unknown party {party!r} in {what} (the scenario has "
                f"{', '.join(space.party_ids)}){_did_you_mean(party, space.party_ids)}")
        return space.party_index(party)

    if entry.parties is None:
        order = tuple(p for p in range(space.n_parties) if space.must_accept[p])
    else:
        order = tuple(index_of(p, "parties") for p in entry.parties)
    if len(order) < 2:
        raise TournamentConfigError(f"{entry.file}: fewer than two negotiators; list them in "
                                    "parties")
    start = None
    if "shuttle" in config.protocols:
        if entry.start is not None:
            if entry.start not in space.text_ids:
                raise TournamentConfigError(
                    f"{entry.file}: start {entry.start!r} is not a text of "
                    f"the scenario{_did_you_mean(entry.start, space.text_ids)}")
            start = space.texts[space.text_index(entry.start)]
            if (start < 0).any():
                raise TournamentConfigError(f"{entry.file}: start {entry.start!r} leaves "
                                            "points unresolved; shuttle needs a complete text")
        else:
            complete = [t for t in space.texts if (t >= 0).all()]
            start = complete[0] if complete else None
    orders = tuple(tuple(index_of(p, "orders") for p in o) for o in entry.orders) or (order,)
    # A scenario named after its file, or its folder when the file is a generic "scenario.*".
    name = entry.file.name if entry.file.is_dir() else entry.file.stem
    if name == "scenario":
        name = entry.file.parent.name
    return _Loaded(domain, order, name, start, orders)


_WORKER_CACHE: dict[str, list[_Loaded]] = {}


def _loaded_for(prepared: _Prepared) -> list[_Loaded]:
    loaded = _WORKER_CACHE.get(prepared.token)
    if loaded is None:
        loaded = [_compile(prepared.config, entry, scenario)
                  for entry, scenario in zip(prepared.config.scenarios, prepared.scenarios,
                                             strict=True)]
        _WORKER_CACHE.clear()          # one tournament at a time per worker
        _WORKER_CACHE[prepared.token] = loaded
    return loaded


# --- one run -------------------------------------------------------------------------------

#: (run, protocol, scenario, profile labels, settings, seed)
Task = tuple[int, str, int, tuple[str, ...], tuple[Any, ...], int]
#: (run, agreement, rounds, progress, negotiators' utilities, discounted)
Output = tuple[int, bool, int, float, list[float], list[float]]


def _restricted(domain: Domain, order: Sequence[int]) -> Domain:
    """The domain of the negotiators alone (for single-text mediation, where all vote)."""
    columns = list(order)
    return Domain(party_ids=tuple(domain.party_ids[p] for p in columns),
                  n_options=domain.n_options,
                  utilities=tuple(domain.utilities[p] for p in columns),
                  reservation=np.where(np.isfinite(domain.reservation[columns]),
                                       domain.reservation[columns], -np.inf),
                  must_accept=np.ones(len(columns), dtype=bool),
                  discount=tuple(domain.discounts[columns].tolist()))


def _run_one(loaded: _Loaded, task: Task) -> Output:
    run, protocol, _, profile, settings, seed = task
    domain, order = loaded.domain, loaded.order
    columns = list(order)
    if protocol == "alternate":
        (rounds,) = settings
        result = alternate(domain, profile, negotiators=order, rounds=rounds, seed=seed,
                           record=False)
        return (run, result.agreement, result.rounds, result.progress,
                result.utilities[columns].tolist(), result.discounted_utilities[columns].tolist())
    if protocol == "mediate":
        from accord.protocols.mediation import mediate

        mediator, voter_kinds, proposals = settings
        sub = _restricted(domain, order)
        outcome = mediate(sub, voters=voter_kinds, mediator=mediator, proposals=proposals,
                          seed=seed, record=False)
        # Acceptance judged on the full scenario (a red line of a non-negotiator still counts).
        agreement = domain.agreement(outcome.text)
        utilities = outcome.utilities if agreement else sub.reservation
        discounted = sub.discounted(utilities, 1.0)
        return (run, agreement, proposals, 1.0, np.asarray(utilities).tolist(),
                discounted.tolist())
    from accord.protocols.shuttle import shuttle

    meeting_order, max_asks, rounds, bracket = settings
    start = loaded.shuttle_start
    if start is None:
        start = random_text(domain.n_options, np.random.default_rng(seed))
    shuttled = shuttle(domain, start, meeting_order, rounds=rounds, max_asks=max_asks, seed=seed,
                       bracket=bracket)
    meetings = len(shuttled.versions) - 1
    progress = meetings / (rounds * len(meeting_order)) if shuttled.agreement else 1.0
    utilities = (domain.evaluate(shuttled.final)[0] if shuttled.agreement
                 else np.asarray(domain.reservation, dtype=float))
    discounted = domain.discounted(utilities, progress)
    return (run, shuttled.agreement, meetings, progress, utilities[columns].tolist(),
            discounted[columns].tolist())


def _run_chunk(prepared: _Prepared, tasks: list[Task]) -> list[Output]:
    """Run a list of tasks on this worker (a pure function of its arguments)."""
    loaded = _loaded_for(prepared)
    return [_run_one(loaded[task[2]], task) for task in tasks]


def _count(total: int) -> str:
    return f"{total:,}" if total < 10**15 else f"about 10^{len(str(total)) - 1}"


def count_runs(config: TournamentConfig, negotiators: Sequence[int],
               shuttle_fixed_start: Sequence[bool], shuttle_orders: Sequence[int]) -> int:
    """How many runs :func:`run_tournament` makes (the length of ``_tasks``), without listing them.

    ``negotiators[s]``, ``shuttle_fixed_start[s]`` and ``shuttle_orders[s]`` describe
    scenario ``s``: its negotiators, whether shuttle starts from a given text (then
    it runs once, being deterministic), and its meeting orders.
    """
    seeds = len(config.seeds)
    total = 0
    for protocol in config.protocols:
        for n, fixed, orders in zip(negotiators, shuttle_fixed_start, shuttle_orders, strict=True):
            if protocol == "alternate":
                total += len(config.strategies) ** n * seeds
            elif protocol == "mediate":
                for mediator in config.mediators:
                    voters = 1 if mediator.startswith("annealing") else len(config.voters) ** n
                    total += voters * seeds
            else:
                total += orders * len(config.shuttle_asks) * (1 if fixed else seeds)
    return total


def _tasks(config: TournamentConfig, loaded: Sequence[_Loaded]) -> list[Task]:
    tasks: list[Task] = []

    def add(protocol: str, s: int, profile: tuple[str, ...], settings: tuple[Any, ...],
            seeds: Iterable[int]) -> None:
        for seed in seeds:
            tasks.append((len(tasks), protocol, s, profile, settings, seed))

    for protocol in config.protocols:
        for s, scenario in enumerate(loaded):
            n = len(scenario.order)
            if protocol == "alternate":
                for profile in product(config.strategies, repeat=n):
                    add(protocol, s, profile, (config.rounds,), config.seeds)
            elif protocol == "mediate":
                for mediator in config.mediators:
                    # The annealing mediator anneals over truthful (hill-climbing) votes.
                    kinds = (("hill-climber",),) * n if mediator.startswith("annealing") else (
                        (config.voters,) * n)
                    for voters in product(*kinds):
                        profile = tuple(f"{mediator}/{v}" for v in voters)
                        add(protocol, s, profile, (mediator, voters, config.proposals),
                            config.seeds)
            else:
                # Deterministic from a real starting text: one run per profile.
                seeds = config.seeds if scenario.shuttle_start is None else config.seeds[:1]
                for meeting_order in scenario.shuttle_orders:
                    label = ">".join(scenario.domain.party_ids[p] for p in meeting_order)
                    for asks in config.shuttle_asks:
                        profile = (f"{label} asks {asks}",) * n
                        add(protocol, s, profile, (meeting_order, asks, config.shuttle_rounds,
                                                   config.shuttle_bracket), seeds)
    return tasks


# --- where the chunks run ---------------------------------------------------------------------

#: Runs ``_run_chunk(prepared, chunk)`` over the chunks and yields the outputs in chunk order.
Runner = Callable[[_Prepared, list[list[Task]]], Iterator[list[Output]]]


def serial_runner(prepared: _Prepared, chunks: list[list[Task]]) -> Iterator[list[Output]]:
    """Every chunk in this process."""
    for chunk in chunks:
        yield _run_chunk(prepared, chunk)


def _windowed(submit: Callable[[list[Task]], Any], chunks: list[list[Task]],
              window: int) -> Iterator[Any]:
    """Submit at most ``window`` chunks ahead; yield their futures in chunk order."""
    remaining = iter(chunks)
    pending: deque[Any] = deque(submit(c) for c in islice(remaining, window))
    while pending:
        yield pending.popleft()
        following = next(remaining, None)
        if following is not None:
            pending.append(submit(following))


_PROCESS_PREPARED: list[_Prepared] = []


def _init_process(prepared: _Prepared) -> None:
    _PROCESS_PREPARED[:] = [prepared]


def _process_chunk(tasks: list[Task]) -> list[Output]:
    return _run_chunk(_PROCESS_PREPARED[0], tasks)


def process_runner(workers: int, window: int = WINDOW) -> Runner:
    """Chunks on ``workers`` local processes (each compiles the scenarios once)."""
    def runner(prepared: _Prepared, chunks: list[list[Task]]) -> Iterator[list[Output]]:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers, initializer=_init_process,
                                 initargs=(prepared,)) as pool:
            for future in _windowed(lambda c: pool.submit(_process_chunk, c), chunks,
                                    max(window, 2 * workers)):
                yield future.result()       # in chunk order, so the table is deterministic
    return runner


def dask_runner(client: Any, window: int = WINDOW) -> Runner:
    """Chunks on a Dask cluster (``distributed.Client``), at most ``window`` in flight, in order.

    The prepared scenarios are scattered once to every worker; each task then
    carries only a reference and its list of runs.  Workers need no access to
    the scenario files.
    """
    def runner(prepared: _Prepared, chunks: list[list[Task]]) -> Iterator[list[Output]]:
        [shipped] = client.scatter([prepared], broadcast=True, hash=False)
        try:
            for future in _windowed(lambda c: client.submit(_run_chunk, shipped, c, pure=False),
                                    chunks, window):
                yield future.result()
                future.release()
        finally:
            shipped.release()
    return runner


# --- the summary ------------------------------------------------------------------------------

def _t_half_width(values: Sequence[float]) -> float:
    if len(values) < 2:
        return math.nan
    from scipy import stats

    return float(stats.t.ppf(0.975, len(values) - 1) * np.std(values, ddof=1)
                 / math.sqrt(len(values)))


def _summarise(names: Sequence[str], runs: Sequence[RunRecord]) -> tuple[StrategySummary, ...]:
    keys: dict[tuple[str, int, str], None] = {}
    for r in runs:
        for label in r.profile:
            keys.setdefault((r.protocol, r.scenario, label))
    rows = []
    for protocol, s, strategy in keys:
        utilities, agreements, frontier, nash = [], [], [], []
        for r in runs:
            if r.protocol != protocol or r.scenario != s or strategy not in r.profile:
                continue
            utilities += [u for u, k in zip(r.utilities, r.profile, strict=True) if k == strategy]
            agreements.append(float(r.agreement))
            if r.distance_to_frontier is not None:
                frontier.append(r.distance_to_frontier)
            if r.distance_to_nash is not None:
                nash.append(r.distance_to_nash)
        rows.append(StrategySummary(
            scenario=names[s], strategy=strategy, n=len(utilities),
            mean_utility=float(np.mean(utilities)), utility_ci=_t_half_width(utilities),
            agreement_rate=float(np.mean(agreements)), agreement_ci=_t_half_width(agreements),
            mean_distance_to_frontier=float(np.mean(frontier)) if frontier else None,
            frontier_ci=_t_half_width(frontier) if frontier else None,
            mean_distance_to_nash=float(np.mean(nash)) if nash else None,
            nash_ci=_t_half_width(nash) if nash else None, protocol=protocol))
    return tuple(rows)


def run_tournament(config: TournamentConfig, *, workers: int = 1, runner: Runner | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   frontiers: Sequence[Frontier | None] | None = None) -> TournamentResult:
    """Run every (protocol, scenario, profile, seed) and summarise; identical wherever it runs.

    Args:
        config: the tournament.
        workers: local worker processes when no ``runner`` is given (1 = this process).
        runner: where the chunks run (:func:`serial_runner`, :func:`process_runner`,
            :func:`dask_runner`); overrides ``workers``.
        progress: called with the number of runs just finished and the total
            (for a progress bar).
        frontiers: per scenario, the negotiators' frontier if already known
            (default: :func:`frontier_of`, None for domains too large).
    """
    scenarios = tuple(_read_scenario(entry) for entry in config.scenarios)
    prepared = _Prepared(uuid.uuid4().hex, config, scenarios)
    loaded = _loaded_for(prepared)
    names = tuple(item.name for item in loaded)
    total = count_runs(config, [len(item.order) for item in loaded],
                       [item.shuttle_start is not None for item in loaded],
                       [len(item.shuttle_orders) for item in loaded])
    if total > MAX_RUNS:
        where = f"{config.source}: " if config.source else ""
        raise TournamentConfigError(
            f"{where}the tournament would make {_count(total)} runs (protocols × scenarios × strategy "
            f"profiles × seeds; a profile gives each negotiator a strategy); at most "
            f"{MAX_RUNS:,} are allowed: use fewer strategies, seeds or negotiators")
    if frontiers is None:
        frontiers = [frontier_of(item.domain, item.order) for item in loaded]
    tasks = _tasks(config, loaded)
    chunks = [tasks[k:k + CHUNK_RUNS] for k in range(0, len(tasks), CHUNK_RUNS)]
    if runner is None:
        runner = serial_runner if workers <= 1 else process_runner(workers)
    outputs: list[Output] = []
    for chunk_outputs in runner(prepared, chunks):
        outputs += chunk_outputs
        if progress is not None:
            progress(len(chunk_outputs), len(tasks))
    runs = []
    for (run, protocol, s, profile, _, seed), output in zip(tasks, outputs, strict=True):
        _, agreement, rounds, t, utilities, discounted = output
        if output[0] != run:
            raise RuntimeError(f"run {run} came back as run {output[0]}")
        item = loaded[s]
        metrics = run_metrics(np.array(utilities), agreement=agreement, rounds=rounds,
                              frontier=frontiers[s], discounted=np.array(discounted))
        genius = genius_metrics(np.array(utilities), agreement=agreement,
                                reservation=item.domain.reservation[list(item.order)],
                                frontier=frontiers[s], discounted=np.array(discounted))
        runs.append(RunRecord(
            run=run, scenario=s, profile=profile, seed=seed,
            negotiators=tuple(item.domain.party_ids[p] for p in item.order), agreement=agreement,
            rounds=rounds, progress=t, utilities=tuple(utilities),
            discounted_utilities=tuple(discounted), social_welfare=metrics.social_welfare,
            distance_to_frontier=metrics.distance_to_frontier,
            distance_to_nash=metrics.distance_to_nash, protocol=protocol,
            genius_social_welfare=genius.social_welfare,
            genius_distance_to_frontier=genius.distance_to_frontier,
            genius_distance_to_nash=genius.distance_to_nash))
    return TournamentResult(config, names, tuple(runs), _summarise(names, runs))
