"""Commands that simulate negotiation processes: simulate, divide."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from accord.cli import app
from accord.cli.common import (
    MAX_WORKERS,
    BadInput,
    ForceFlag,
    JsonFlag,
    bounded,
    choice,
    console,
    handles_errors,
    many,
    many_option,
    one_option,
    one_value,
    print_json,
    refuse_existing,
    seed_option,
    unknown_check,
)
from accord.protocols.limits import MAX_ASKS, MAX_PROPOSALS, MAX_ROUNDS

if TYPE_CHECKING:
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
    from accord.errors import ScenarioError
    from accord.protocols.adjusted_winner import adjusted_winner, read_points
    from accord.views.tournament import division_to_dict, render_division

    try:
        parties, points = read_points(file)
    except ScenarioError as error:
        # A negotiation scenario given to divide would list every one of its tables as an
        # unknown key; one sentence says what the file is and what divide needs instead.
        if {"issues", "preferences"} <= {problem.path for problem in error.problems}:
            raise ScenarioError.single(
                str(file), "", "is a negotiation scenario ([[issues]] and [preferences]), not a "
                               "points table; divide needs parties = [\"a\", \"b\"] and one "
                               "[[items]] table per item with points = { a = …, b = … } "
                               "(see examples/divide-retirement.toml)") from None
        raise
    division = adjusted_winner(parties, points)
    if json:
        print_json(division_to_dict(division))
        return
    console().print(render_division(division))


@app.command()
@handles_errors
def simulate(
    file: Path = typer.Argument(..., help="Scenario file (.toml or .json).", show_default=False),
    protocol: str = typer.Option("shuttle", "--protocol", metavar="NAME",
                                 help="mediate, shuttle or alternate."),
    start: list[str] = one_option("--start", help="Starting text id (shuttle: default the first "
                                                  "text; mediate: default a random text)."),
    order: list[str] = many_option(
        "--order", help="Shuttle: party ids met each round (default: the parties that must "
                        "accept)."),
    rounds: int | None = bounded(None, "--rounds", low=1, high=MAX_ROUNDS,
                                 help="Shuttle: rounds of meetings (default 6); alternate: the "
                                      "deadline in rounds (default 100)."),
    strategies: list[str] = many_option(
        "--strategies", metavar="KIND[,KIND…]",
        help="Alternate: one strategy for all, or one per negotiator (boulware, linear, "
             "conceder, tit-for-tat, random; default: boulware,conceder)."),
    parties: list[str] = many_option(
        "--parties", "-p", help="Alternate: the negotiators in turn order (default: the parties "
                                "that must accept)."),
    mediator: str = typer.Option("informed", "--mediator", metavar="KIND",
                                 help="Mediate: random, annealing, annealing-graded or informed."),
    voters: list[str] = many_option(
        "--voters", metavar="KIND[,KIND…]",
        help="Mediate: one voter kind for all, or one per party (hill-climber, annealer; "
             "default: hill-climber)."),
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
    trace: Path | None = typer.Option(None, "--trace", metavar="FILE",
                                      help="Write the trace as JSON Lines."),
    force: bool = ForceFlag,
    json: bool = JsonFlag,
) -> None:
    """Simulate a negotiation on a scenario: shuttle, single-text mediation or alternating offers."""
    from accord.cli.common import open_space, text_indices
    from accord.protocols import simulate as protocols
    from accord.views import simulate as view
    from accord.views.labels import Labels

    choice(protocol, PROTOCOLS, "--protocol")
    scenario, space = open_space(file)
    labels = Labels(scenario, space)
    # Each party's GENIUS discount factor (1 = none), applied to alternating offers
    # and mediation outcomes.
    discounts = tuple(float(scenario.preferences[p].discount) for p in space.party_ids)
    if trace is not None and trace.exists() and not force:
        refuse_existing(trace, "--trace")
    if trace is not None:
        from accord.io.files import check_destination

        check_destination(trace, force=force, what="the trace")  # before the simulation runs
    start_index: int | None = None
    first = one_value(start, "--start", [t.id for t in scenario.texts])
    if first:
        (start_index,) = text_indices(scenario, [first], option="--start", file=file) or [0]
    if start_index is not None and (space.texts[start_index] < 0).any():
        raise BadInput(f"text {space.text_ids[start_index]!r} leaves points unresolved; "
                       f"{'shuttle' if protocol == 'shuttle' else 'mediation'} needs a "
                       "complete starting text")

    if protocol == "shuttle":
        if start_index is None:
            if not space.text_ids:
                # --start names a text, so it cannot help here: name what can.
                where = ("a GENIUS domain holds no texts" if file.is_dir()
                         else "the scenario has no [[texts]]")
                raise BadInput(f"{file}: {where}, and shuttle diplomacy starts from a text "
                               "(--start ID); --protocol mediate or --protocol alternate need "
                               "no start", file=file, place="--protocol")
            start_index = 0
            if (space.texts[0] < 0).any():
                raise BadInput(f"text {space.text_ids[0]!r} leaves points unresolved; "
                               "shuttle needs a complete starting text")
        ids = _parties(space, order, "--order", file)
        run = protocols.run_shuttle(space, start_index, [space.party_index(p) for p in ids],
                                    rounds=6 if rounds is None else rounds, max_asks=max_asks,
                                    bracket=bracket, close=close, seed=seed,
                                    discounts=discounts)
        if trace is not None:
            run.result.trace.write_jsonl(trace, overwrite=force)
        if json:
            print_json(view.shuttle_to_dict(run, labels))
            return
        console().print(view.render_shuttle(run, labels))
        return

    if protocol == "alternate":
        from accord.protocols.alternating import STRATEGIES

        ids = _parties(space, parties, "--parties", file)
        if len(set(ids)) != len(ids) or len(ids) < 2:
            raise BadInput("--parties: give at least two distinct parties")
        kinds = many(strategies) or ["boulware", "conceder"]
        for kind in kinds:
            choice(kind, tuple(STRATEGIES), "--strategies")
        if len(kinds) == 1:
            kinds = kinds * len(ids)
        if len(kinds) != len(ids):
            raise BadInput(f"--strategies: give one strategy or {len(ids)} (one per negotiator: "
                           f"{', '.join(ids)}), got {len(kinds)}")
        deal = protocols.run_alternating(space, kinds, [space.party_index(p) for p in ids],
                                         rounds=100 if rounds is None else rounds, seed=seed,
                                         discounts=discounts)
        if trace is not None:
            deal.result.trace.write_jsonl(trace, overwrite=force)
        if json:
            print_json(view.alternating_to_dict(deal, labels))
            return
        console().print(view.render_alternating(deal, labels))
        return

    choice(mediator, MEDIATORS, "--mediator")
    kinds = many(voters) or ["hill-climber"]
    for kind in kinds:
        choice(kind, VOTERS, "--voters")
    if len(kinds) not in (1, space.n_parties):
        raise BadInput(f"--voters: give one kind or {space.n_parties} "
                       f"(one per party: {', '.join(space.party_ids)}), got {len(kinds)}")
    if mediator.startswith("annealing") and any(k != "hill-climber" for k in kinds):
        raise BadInput(f"--mediator {mediator} needs truthful voters (--voters hill-climber)")
    mediation = protocols.run_mediation(space, mediator=mediator, voters=kinds,
                                        proposals=proposals, seed=seed, start=start_index,
                                        discounts=discounts)
    if trace is not None:
        mediation.result.trace.write_jsonl(trace, overwrite=force)
    if json:
        print_json(view.mediation_to_dict(mediation, labels))
        return
    console().print(view.render_mediation(mediation, labels))


def _parties(space: Space, given: list[str] | None, option: str, file: Path) -> list[str]:
    """The party ids of ``--order`` / ``--parties``, or by default the parties that must accept."""
    ids = many(given, space.party_ids) or [
        p for p, m in zip(space.party_ids, space.must_accept, strict=True) if m]
    return unknown_check(ids, space.party_ids, kind="party", place=option, file=file)


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
        None, "--scheduler", metavar="local|tcp://HOST:PORT",
        help="Where to run: 'local' (worker processes on this machine) "
        "or tcp://HOST:PORT (an existing Dask scheduler). Default: this process, or --workers "
        "local processes. Results are the same wherever they run."),
    out: Path | None = typer.Option(None, "--out", help="Write every run as CSV (.csv), or "
                                    "Parquet (.parquet, needs pyarrow)."),
    force: bool = ForceFlag,
    json: bool = JsonFlag,
) -> None:
    """Run protocol strategies × scenarios × seeds and summarise with 95% intervals."""
    from accord.protocols.tournament import (
        dask_runner,
        process_runner,
        read_config,
        run_tournament,
    )

    settings = read_config(config)
    if out is not None:
        if out.exists() and not force:
            refuse_existing(out, "--out")
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
            raise BadInput("--scheduler tcp://… needs Dask: from the accord checkout, "
                           "pip install -e '.[dask]'") from None
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

    from accord.views.tournament import render, to_dict

    if json:
        print_json({**to_dict(result), "out": str(out) if out is not None else None})
        return
    console().print(render(result))
    if out is not None:
        console().print(f"runs written to {out}")
