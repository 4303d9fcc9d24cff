"""Commands that simulate negotiation processes: simulate, divide."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli import app
from accord.cli.common import BadInput, JsonFlag, console, handles_errors, print_json

PROTOCOLS = ("mediate", "shuttle")
MEDIATORS = ("random", "annealing", "informed")
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
    protocol: str = typer.Option("shuttle", "--protocol", help="mediate or shuttle."),
    start: str | None = typer.Option(None, "--start", help="Starting text id (shuttle: default "
                                     "the first text; mediate: default a random text)."),
    order: str | None = typer.Option(None, "--order", help="Shuttle: party ids met each round, "
                                     "comma-separated (default: the parties that must accept)."),
    rounds: int = typer.Option(6, "--rounds", min=1, help="Shuttle: rounds of meetings."),
    mediator: str = typer.Option("informed", "--mediator",
                                 help="Mediate: random, annealing or informed."),
    voters: str = typer.Option("hill-climber", "--voters", help="Mediate: one voter kind for "
                               "all, or one per party, comma-separated (hill-climber, annealer)."),
    proposals: int = typer.Option(1000, "--proposals", min=0, help="Mediate: proposals made."),
    seed: int = typer.Option(0, "--seed", help="Seed for every random choice."),
    trace: Path | None = typer.Option(None, "--trace", help="Write the trace as JSON Lines."),
    force: bool = typer.Option(False, "--force", help="Overwrite the --trace file."),
    json: bool = JsonFlag,
) -> None:
    """Simulate a negotiation process on a scenario: shuttle mediation or single-text mediation."""
    import numpy as np

    from accord.cli.common import open_space, text_indices
    from accord.protocols.engine import Domain

    _choice(protocol, PROTOCOLS, "--protocol")
    scenario, space = open_space(file)
    domain = Domain.from_space(space)
    if trace is not None and trace.exists() and not force:
        raise BadInput(f"{trace} exists; pass --force to overwrite it")
    start_index = text_indices(scenario, [start])[0] if start else None

    if protocol == "shuttle":
        from accord.protocols.shuttle import compare_versions, shuttle

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
        result = shuttle(domain, opening, [space.party_index(p) for p in ids], rounds=rounds,
                         seed=seed)
        others = [t for t in range(len(space.text_ids)) if t != start_index]
        # Shown without the red-line price the strategies use: plain Space utilities.
        plain = space.utilities(result.versions)
        comparison = compare_versions(result.versions, space.texts, others)
        if trace is not None:
            result.trace.write_jsonl(trace, overwrite=force)
        data = {
            "protocol": "shuttle",
            "start": space.text_ids[start_index],
            "order": ids,
            "agreement": result.agreement,
            "versions": [
                {"version": v, "met": (space.party_ids[result.visited[v]]
                                       if result.visited[v] >= 0 else None),
                 "changed": [space.issue_ids[i] for i in result.granted[v]],
                 "positions": space.positions(result.versions[v]),
                 "utilities": dict(zip(space.party_ids, plain[v].tolist(),
                                       strict=True))}
                for v in range(len(result.versions))],
            "comparison": [
                {"text": space.text_ids[m.text], "resolved_points": len(m.resolved),
                 "matches": list(m.matches), "best_version": m.best_version}
                for m in comparison],
        }
        if json:
            print_json(data)
            return
        out = console()
        out.print(f"shuttle from {data['start']}, meeting {', '.join(ids)} "
                  f"({len(result.versions) - 1} meetings)")
        header = "  version  met   " + "  ".join(f"{p:>6}" for p in space.party_ids)
        header += "  " + "  ".join(f"{space.text_ids[m.text]:>17}" for m in comparison)
        out.print(header + "  changed")
        for v, row in enumerate(data["versions"]):
            line = f"  {v:>7}  {row['met'] or '-':<4}  "
            line += "  ".join(f"{u:6.2f}" for u in plain[v])
            line += "  " + "  ".join(f"{m.matches[v]:>8}/{len(m.resolved):<8}" for m in comparison)
            out.print(line + "  " + ", ".join(row["changed"]))
        out.print("agreement" if result.agreement else "no agreement: the final version is "
                  "not acceptable to every party that must accept")
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
    if mediator == "annealing" and any(k != "hill-climber" for k in kinds):
        raise BadInput("--mediator annealing needs truthful voters (--voters hill-climber)")
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
                                  strict=True))}
    if json:
        print_json(data)
        return
    out = console()
    out.print(f"mediation ({mediator} mediator; voters {', '.join(kinds)}; seed {seed}): "
              f"{run.accepted} of {run.proposals} proposals accepted")
    for issue, option in data["positions"].items():
        out.print(f"  {issue}: {option}")
    out.print("utilities: " + ", ".join(f"{p} {u:.3f}" for p, u in data["utilities"].items()))
    out.print("agreement" if run.agreement else "no agreement")
