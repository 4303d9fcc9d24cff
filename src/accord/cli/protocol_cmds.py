"""Commands that simulate negotiation processes: simulate, divide."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli import app
from accord.cli.common import (
    MAX_WORKERS,
    BadInput,
    JsonFlag,
    bounded,
    console,
    handles_errors,
    print_json,
    seed_option,
)
from accord.protocols.limits import MAX_ASKS, MAX_PROPOSALS, MAX_ROUNDS

if TYPE_CHECKING:
    from accord.protocols.engine import Domain
    from accord.space import Space

PROTOCOLS = ("mediate", "shuttle", "alternate")
MEDIATORS = ("random", "annealing", "annealing-graded", "informed")
VOTERS = ("hill-climber", "annealer")


@app.command()
@handles_errors
def divide(
    file: Path = typer.Argument(..., help="Points table: .toml (parties, [[items]]) or .csv.",
                                show_default=False),
    json: bool = JsonFlag,
) -> None:
    """Divide items between two parties by Adjusted Winner (Brams and Taylor), in exact fractions."""
    from accord.protocols.adjusted_winner import adjusted_winner, read_points

    parties, points = read_points(file)
    division = adjusted_winner(parties, points)
    if json:
        data = division.as_dict()
        print_json({"allocation": data["allocation"], "scores": data["scores"],
                    "split_item": data["split_item"]})
        return
    out = console()
    out.print(f"Adjusted Winner: {parties[0]} and {parties[1]}")
    for item in division.items:
        shares = division.shares[item]
        held = [f"{p} {shares[p]}" if shares[p] not in (0, 1) else p
                for p in parties if shares[p] > 0]
        out.print(f"  {item}: {' / '.join(held)}" + ("  (split)" if item == division.split_item
                                                     else ""))
    out.print("scores: " + ", ".join(f"{p} {division.scores[p]}" for p in parties))


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        from accord.model.suggest import did_you_mean

        raise BadInput(f"{option} {value!r} is not one of {', '.join(allowed)}"
                       f"{did_you_mean(value, list(allowed))}")
    return value


@app.command()
@handles_errors
def simulate(
    file: Path = typer.Argument(..., help="Scenario file (.toml or .json).", show_default=False),
    protocol: str = typer.Option("shuttle", "--protocol", help="mediate, shuttle or alternate."),
    start: str | None = typer.Option(None, "--start", help="Starting text id (shuttle: default "
                                     "the first text; mediate: default a random text)."),
    order: str | None = typer.Option(None, "--order", help="Shuttle: party ids met each round, "
                                     "comma-separated (default: the parties that must accept)."),
    rounds: int | None = bounded(None, "--rounds", low=1, high=MAX_ROUNDS,
                                 help="Shuttle: rounds of meetings (default 6); alternate: the "
                                      "deadline in rounds (default 100)."),
    strategies: str = typer.Option("boulware,conceder", "--strategies", help="Alternate: one "
                                   "strategy for all, or one per negotiator, comma-separated "
                                   "(boulware, linear, conceder, tit-for-tat, random)."),
    parties: str | None = typer.Option(None, "--parties", help="Alternate: the negotiators in "
                                       "turn order, comma-separated (default: the parties that "
                                       "must accept)."),
    mediator: str = typer.Option("informed", "--mediator",
                                 help="Mediate: random, annealing, annealing-graded or informed."),
    voters: str = typer.Option("hill-climber", "--voters", help="Mediate: one voter kind for "
                               "all, or one per party, comma-separated (hill-climber, annealer)."),
    proposals: int = bounded(1000, "--proposals", low=0, high=MAX_PROPOSALS,
                             help="Mediate: proposals made."),
    max_asks: int = bounded(3, "--max-asks", low=1, high=MAX_ASKS,
                            help="Shuttle: most changes a party asks for at its first meeting "
                                 "(fewer as the deadline nears)."),
    bracket: bool = typer.Option(True, "--bracket/--no-bracket", help="Shuttle: leave a point "
                                 "open when a party cannot live with it and the change is refused."),
    close: bool = typer.Option(True, "--close/--no-close", help="Shuttle: close open points at "
                               "a summit after the meetings."),
    seed: int = seed_option("Seed for every random choice."),
    trace: Path | None = typer.Option(None, "--trace", help="Write the trace as JSON Lines."),
    force: bool = typer.Option(False, "--force", help="Overwrite the --trace file."),
    json: bool = JsonFlag,
) -> None:
    """Simulate a negotiation on a scenario: shuttle, single-text mediation or alternating offers."""
    import numpy as np

    from accord.cli.common import open_space, text_indices
    from accord.protocols.engine import Domain

    _choice(protocol, PROTOCOLS, "--protocol")
    scenario, space = open_space(file)
    # Each party's GENIUS discount factor (1 = none), applied to alternating offers
    # and mediation outcomes.
    discounts = tuple(float(scenario.preferences[p].discount) for p in space.party_ids)
    domain = Domain.from_space(space, discount=discounts)
    if trace is not None and trace.exists() and not force:
        raise BadInput(f"{trace} exists; pass --force to overwrite it")
    if trace is not None:
        from accord.io.files import check_destination

        check_destination(trace, force=force, what="the trace")  # before the simulation runs
    start_index: int | None = None
    if start:
        (start_index,) = text_indices(scenario, [start]) or [0]

    if protocol == "shuttle":
        from accord.protocols.shuttle import best_case, compare_versions, shuttle

        if start_index is None:
            if not space.text_ids:
                raise BadInput(f"{file}: the scenario has no texts; shuttle needs a start")
            start_index = 0
        opening = space.texts[start_index]
        if (opening < 0).any():
            raise BadInput(f"text {space.text_ids[start_index]!r} leaves points unresolved; "
                           "shuttle needs a complete starting text")
        ids = order.split(",") if order else [p for p, m in zip(space.party_ids,
                                                                space.must_accept, strict=True) if m]
        for party in ids:
            if party not in space.party_ids:
                from accord.model.suggest import did_you_mean

                raise BadInput(f"--order: unknown party {party!r}"
                               f"{did_you_mean(party, list(space.party_ids))}")
        result = shuttle(domain, opening, [space.party_index(p) for p in ids],
                         rounds=6 if rounds is None else rounds, max_asks=max_asks,
                         bracket=bracket, close=close, seed=seed)
        others = [t for t in range(len(space.text_ids)) if t != start_index]
        # Shown without the red-line price the strategies use: plain Space utilities of
        # each party's best completion of the open points (its utility for complete versions).
        plain = np.array([[float(space.utilities(best_case(domain, v, p)[1])[p])
                           for p in range(space.n_parties)] for v in result.versions])
        comparison = compare_versions(result.versions, space.texts, others)
        if trace is not None:
            result.trace.write_jsonl(trace, overwrite=force)
        n_versions = len(result.versions)
        data = {
            "protocol": "shuttle",
            "start": space.text_ids[start_index],
            "order": ids,
            "max_asks": max_asks,
            "bracket": bracket,
            "agreement": result.agreement,
            "closed_at_summit": result.closed,
            "versions": [
                {"version": v, "met": (space.party_ids[result.visited[v]]
                                       if result.visited[v] >= 0 else None),
                 "changed": [space.issue_ids[i] for i in result.granted[v]],
                 "bracketed": [space.issue_ids[i] for i in result.bracketed[v]],
                 "open": [space.issue_ids[i] for i in np.flatnonzero(result.versions[v] < 0)],
                 "positions": space.positions(result.versions[v]),
                 "best_case_utilities": dict(zip(space.party_ids, plain[v].tolist(),
                                                 strict=True))}
                for v in range(n_versions)],
            "comparison": [
                {"text": space.text_ids[m.text], "points": space.n_issues,
                 "resolved_points": len(m.resolved),
                 "matches_all_points": list(m.matches_all),
                 "matches_resolved_points": list(m.matches), "best_version": m.best_version,
                 "point_by_point": [
                     {"issue": space.issue_ids[i],
                      "real": _option_label(space, i, int(space.texts[m.text][i])),
                      "simulated": _option_label(space, i, int(result.versions[m.best_version][i])),
                      "match": bool(space.texts[m.text][i] == result.versions[m.best_version][i])}
                     for i in range(space.n_issues)]}
                for m in comparison],
        }
        if json:
            print_json(data)
            return
        _print_shuttle(data, result, comparison, plain, space)
        return

    if protocol == "alternate":
        _alternate(file, space, domain, strategies, parties, 100 if rounds is None else rounds,
                   seed, trace, force, json)
        return

    from accord.protocols.mediation import mediate

    _choice(mediator, MEDIATORS, "--mediator")
    kinds = voters.split(",")
    for kind in kinds:
        _choice(kind, VOTERS, "--voters")
    if len(kinds) == 1:
        kinds = kinds * space.n_parties
    if len(kinds) != space.n_parties:
        raise BadInput(f"--voters: give one kind or {space.n_parties} "
                       f"(one per party: {', '.join(space.party_ids)}), got {len(kinds)}")
    if mediator.startswith("annealing") and any(k != "hill-climber" for k in kinds):
        raise BadInput(f"--mediator {mediator} needs truthful voters (--voters hill-climber)")
    opening = None
    if start_index is not None:
        opening = space.texts[start_index]
        if (opening < 0).any():
            raise BadInput(f"text {space.text_ids[start_index]!r} leaves points unresolved; "
                           "mediation needs a complete starting text")
    run = mediate(domain, voters=tuple(kinds), mediator=mediator,  # type: ignore[arg-type]
                  proposals=proposals, seed=seed, start=opening)
    if trace is not None:
        run.trace.write_jsonl(trace, overwrite=force)
    data = {"protocol": "mediate", "mediator": mediator, "voters": kinds, "seed": seed,
            "proposals": run.proposals, "accepted": run.accepted, "agreement": run.agreement,
            "positions": space.positions(np.asarray(run.text)),
            "utilities": dict(zip(space.party_ids, space.utilities(run.text).tolist(),
                                  strict=True)),
            "discounted_utilities": dict(zip(space.party_ids,
                                             domain.discounted(space.utilities(run.text), 1.0)
                                             .tolist(), strict=True))}
    if json:
        print_json(data)
        return
    out = console()
    out.print(f"mediation ({mediator} mediator; voters {', '.join(kinds)}; seed {seed}): "
              f"{run.accepted} of {run.proposals} proposals accepted")
    for issue, option in space.positions(np.asarray(run.text)).items():
        out.print(f"  {issue}: {option}")
    out.print("utilities: " + ", ".join(
        f"{p} {u:.3f}" for p, u in zip(space.party_ids, space.utilities(run.text), strict=True)))
    out.print("agreement" if run.agreement else "no agreement")


def _option_label(space: Space, issue: int, option: int) -> str:
    """An option's id, or "(open)" for a bracketed point."""
    return "(open)" if option < 0 else space.option_ids[issue][option]


def _alternate(file: Path, space: Space, domain: Domain, strategies: str, parties: str | None,
               rounds: int, seed: int, trace: Path | None, force: bool, json: bool) -> None:
    """``accord simulate --protocol alternate``: alternating offers between the negotiators."""
    import numpy as np

    from accord.model.suggest import did_you_mean
    from accord.protocols.alternating import STRATEGIES, alternate, alternating_metrics
    from accord.protocols.metrics import frontier_of, genius_metrics

    ids = parties.split(",") if parties else [p for p, m in zip(space.party_ids,
                                                                space.must_accept, strict=True) if m]
    for party in ids:
        if party not in space.party_ids:
            raise BadInput(f"--parties: unknown party {party!r}"
                           f"{did_you_mean(party, list(space.party_ids))}")
    if len(set(ids)) != len(ids) or len(ids) < 2:
        raise BadInput("--parties: give at least two distinct parties")
    kinds = strategies.split(",")
    for kind in kinds:
        _choice(kind, tuple(STRATEGIES), "--strategies")
    if len(kinds) == 1:
        kinds = kinds * len(ids)
    if len(kinds) != len(ids):
        raise BadInput(f"--strategies: give one strategy or {len(ids)} (one per negotiator: "
                       f"{', '.join(ids)}), got {len(kinds)}")
    order = [space.party_index(p) for p in ids]
    result = alternate(domain, kinds, negotiators=order, rounds=rounds, seed=seed)
    frontier = frontier_of(domain, order)
    metrics = alternating_metrics(domain, result, frontier)
    if trace is not None:
        result.trace.write_jsonl(trace, overwrite=force)
    plain = (space.utilities(result.text) if result.text is not None
             else np.asarray(space.reservation, dtype=float))
    data = {"protocol": "alternate", "negotiators": ids, "strategies": kinds, "seed": seed,
            "deadline_rounds": rounds, "agreement": result.agreement,
            "rounds": result.rounds, "progress": result.progress,
            "walked_away": (space.party_ids[result.walked_away]
                            if result.walked_away is not None else None),
            "positions": (space.positions(result.text) if result.text is not None else None),
            "utilities": dict(zip(space.party_ids, plain.tolist(), strict=True)),
            "discounted_utilities": dict(zip(space.party_ids, result.discounted_utilities
                                             .tolist(), strict=True)),
            "metrics": metrics.as_dict(),
            "genius_metrics": genius_metrics(
                result.utilities[order], agreement=result.agreement,
                reservation=domain.reservation[order], frontier=frontier,
                discounted=result.discounted_utilities[order]).as_dict()}
    if json:
        print_json(data)
        return
    out = console()
    out.print(f"alternating offers ({', '.join(f'{p} {k}' for p, k in zip(ids, kinds, strict=True))}"
              f"; deadline {rounds} rounds; seed {seed})")
    if result.text is not None:
        out.print(f"agreement in round {result.rounds} (t = {result.progress:.3f})")
        for issue, option in space.positions(result.text).items():
            out.print(f"  {issue}: {option}")
    else:
        why = (f"{data['walked_away']} walked away" if data["walked_away"] else "deadline reached")
        out.print(f"no agreement ({why}); every party gets its reservation value")
    out.print("utilities: " + ", ".join(
        f"{p} {u:.3f}" for p, u in zip(space.party_ids, plain.tolist(), strict=True)))
    for key, label in (("distance_to_frontier", "distance to the Pareto frontier"),
                       ("distance_to_nash", "distance to the Nash point")):
        value = metrics.as_dict()[key]
        out.print(f"{label}: " + ("n/a (domain too large)" if value is None
                                  else f"{value:.4f}"))


@app.command()
@handles_errors
def tournament(
    config: Path = typer.Argument(..., help="Tournament TOML (protocols, rounds, seeds, "
                                  "strategies, [mediate], [shuttle], [[scenarios]]).",
                                  show_default=False),
    workers: int = bounded(1, "--workers", low=1, high=MAX_WORKERS,
                           help="Local worker processes (with --scheduler local: default one "
                                "per core)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Where to run: 'local' (worker processes on this machine) "
        "or tcp://HOST:PORT (an existing Dask scheduler). Default: this process, or --workers "
        "local processes. Results are the same wherever they run."),
    out: Path | None = typer.Option(None, "--out", help="Write every run as CSV (.csv), or "
                                    "Parquet (.parquet, needs pyarrow)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the --out file."),
    json: bool = JsonFlag,
) -> None:
    """Run protocol strategies × scenarios × seeds and summarise with 95% intervals."""
    import math

    from accord.protocols.tournament import (
        dask_runner,
        process_runner,
        read_config,
        run_tournament,
    )

    settings = read_config(config)
    if out is not None:
        if out.exists() and not force:
            raise BadInput(f"{out} exists; pass --force to overwrite it")
        if out.suffix not in (".csv", ".parquet"):
            raise BadInput(f"--out {out}: expected a .csv or .parquet file")
        if out.suffix == ".parquet":
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise BadInput(f"--out {out}: Parquet needs pyarrow, which is not installed; "
                               "write .csv instead") from None
        from accord.io.files import check_destination

        check_destination(out, force=force, what="the runs file")  # before the runs start
    client = None
    runner = None
    if scheduler == "local":
        import os

        count = workers if workers > 1 else max(1, os.cpu_count() or 1)
        runner = process_runner(count)
    elif scheduler is not None and scheduler.startswith("tcp://"):
        try:
            from distributed import Client
        except ImportError:
            raise BadInput("--scheduler tcp://… needs Dask: pip install 'distributed'") from None
        try:
            client = Client(scheduler, timeout="5s")  # a dead address answers in seconds
        except OSError as error:
            raise BadInput(f"--scheduler {scheduler}: cannot reach the Dask scheduler "
                           f"({error})") from None
        runner = dask_runner(client)
    elif scheduler is not None:
        raise BadInput(f"--scheduler: expected 'local' or tcp://HOST:PORT, got {scheduler!r}")
    try:
        if json:
            result = run_tournament(settings, workers=workers, runner=runner)
        else:
            from rich.progress import Progress

            from accord.cli.common import error_console

            with Progress(console=error_console(), transient=True) as bar:
                task = bar.add_task("tournament", total=None)
                result = run_tournament(
                    settings, workers=workers, runner=runner,
                    progress=lambda k, total: bar.update(task, advance=k, total=total))
    finally:
        if client is not None:
            client.close()
    if out is not None:
        from accord.io.files import write_atomic

        if out.suffix == ".csv":
            write_atomic(out, result.to_csv(), force=force, what="the runs file")
        else:
            import io

            import pyarrow as pa
            import pyarrow.csv as pacsv
            import pyarrow.parquet as pq

            # Parquet built in memory, then written atomically like every other file.
            sink = pa.BufferOutputStream()
            pq.write_table(pacsv.read_csv(io.BytesIO(result.to_csv().encode())), sink)
            write_atomic(out, sink.getvalue().to_pybytes(), force=force, what="the runs file")

    def clean(value: float | None) -> float | None:
        return None if value is None or math.isnan(value) else value

    summary = [{"scenario": s.scenario, "protocol": s.protocol, "strategy": s.strategy,
                "n": s.n,
                "mean_utility": s.mean_utility, "utility_ci": clean(s.utility_ci),
                "agreement_rate": s.agreement_rate, "agreement_ci": clean(s.agreement_ci),
                "mean_distance_to_frontier": s.mean_distance_to_frontier,
                "frontier_ci": clean(s.frontier_ci),
                "mean_distance_to_nash": s.mean_distance_to_nash, "nash_ci": clean(s.nash_ci)}
               for s in result.summary]
    if json:
        print_json({"runs": len(result.runs), "summary": summary,
                    "out": str(out) if out is not None else None})
        return
    from rich.table import Table

    def fmt(mean: float | None, half: float | None) -> str:
        if mean is None:
            return "n/a"
        return f"{mean:.3f}" + ("" if half is None or math.isnan(half) else f" ± {half:.3f}")

    grid = Table(title=f"{len(result.runs)} runs (95% intervals)")
    for column in ("scenario", "protocol", "strategy", "n", "mean utility", "agreement rate",
                   "dist. to frontier", "dist. to Nash"):
        grid.add_column(column)
    for s in result.summary:
        grid.add_row(s.scenario, s.protocol, s.strategy, str(s.n),
                     fmt(s.mean_utility, s.utility_ci),
                     fmt(s.agreement_rate, s.agreement_ci),
                     fmt(s.mean_distance_to_frontier, s.frontier_ci),
                     fmt(s.mean_distance_to_nash, s.nash_ci))
    console().print(grid)
    if out is not None:
        console().print(f"runs written to {out}")



def _print_shuttle(data: dict[str, Any], result: Any, comparison: Any, plain: Any,
                   space: Any) -> None:
    """The shuttle run as two tables: versions with utilities and matches, then point by point."""
    from rich.table import Table

    out = console()
    meetings = len(result.visited) - 1 - int(result.closed)
    out.print(f"Shuttle from {data['start']}, meeting {', '.join(data['order'])} "
              f"({meetings} meetings{', then a closing summit' if result.closed else ''}).")
    versions = Table(title="Versions (utilities: each party's best case over open points; "
                           "matches: same option, or open in both)", title_justify="left")
    versions.add_column("#", justify="right", no_wrap=True)
    versions.add_column("met", no_wrap=True)
    for party in space.party_ids:
        versions.add_column(party, justify="right", no_wrap=True)
    for m in comparison:
        versions.add_column(f"= {space.text_ids[m.text]}", justify="right", overflow="fold")
    versions.add_column("changed; opened", overflow="fold", ratio=1)
    for v, row in enumerate(data["versions"]):
        met = row["met"] or ("-" if v == 0 else "summit")
        opened = ("; opened " + ", ".join(row["bracketed"])) if row["bracketed"] else ""
        versions.add_row(str(v), met, *(f"{u:.2f}" for u in plain[v]),
                         *(f"{m.matches_all[v]}/{space.n_issues}" for m in comparison),
                         ", ".join(row["changed"]) + opened)
    out.print(versions)
    for m, entry in zip(comparison, data["comparison"], strict=True):
        table = Table(title=f"Point by point: version {m.best_version} against {space.text_ids[m.text]}: "
                            f"{m.matches_all[m.best_version]}/{space.n_issues} points match "
                            f"({m.matches[m.best_version]}/{len(m.resolved)} of the points it settles)",
                      title_justify="left")
        table.add_column("point")
        table.add_column("")
        table.add_column("real", overflow="fold")
        table.add_column("simulated", overflow="fold")
        for point in entry["point_by_point"]:
            table.add_row(point["issue"], "=" if point["match"] else "≠", point["real"],
                          point["simulated"], style=None if point["match"] else "yellow")
        out.print(table)
    out.print("agreement" if result.agreement else "no agreement: the final version is "
              "not complete and acceptable to every party that must accept")
