"""Commands about forecasts: forecast (a negotiation or a KTAB scenario) and backtest (DEU III)."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli import app
from accord.cli.common import (
    BadInput,
    ForceFlag,
    JsonFlag,
    choice,
    console,
    error_console,
    handles_errors,
    many,
    many_option,
    print_json,
    seed_option,
)

_MODELS = ("compromise", "median", "nash", "smp")

ModelOption = many_option(
    "--model", "-m", metavar="NAME[,NAME…]",
    help="Only these models: compromise, median, nash or smp. Default: all four.")


def _models(chosen: list[str] | None, allowed: tuple[str, ...] = _MODELS) -> list[str]:
    """The models of ``-m`` (repeated or comma-separated), each checked; default: all."""
    names = many(chosen)
    if not names:
        return list(allowed)
    return list(dict.fromkeys(choice(name, allowed, "--model") for name in names))


def _is_ktab(path: Path) -> bool:
    # By name: a missing or unreadable .csv/.xml is then reported by the KTAB reader.
    return path.suffix.lower() in (".csv", ".xml")


@app.command()
@handles_errors
def forecast(
    file: Path = typer.Argument(..., show_default=False,
                                help="A scenario file (.toml or .json), a GENIUS domain folder, or a "
                                     "KTAB SMP scenario (.csv or .xml)."),
    model: list[str] = ModelOption,
    samples: int = typer.Option(1000, "--samples", "-n",
                                help="Draws of the estimate ranges for the spread (0 for none; at "
                                     "most 100000; the SMP reruns on at most 100 of them)."),
    seed: int = seed_option("Random seed of the draws."),
    trajectories: bool = typer.Option(False, "--trajectories",
                                      help="Also print every SMP state per actor."),
    json: bool = JsonFlag,
) -> None:
    """Where will each point land? Forecasts from positions, saliences and capabilities.

    A negotiation's options lie on a 0–100 line per point (option order, or
    each option's `position`); a party's position is its best option, its
    salience its weight, its capability the party's `capability`. Models: the
    compromise model (capability × salience weighted mean), the weighted
    median, Achen's Nash bargaining solution and KTAB's Spatial Model of
    Politics (with each actor's trajectory). A KTAB CSV or XML scenario is read
    as KTAB reads it, and the SMP runs with the file's model parameters.
    """
    from accord.views import forecast as view

    models = _models(model)
    if _is_ktab(file):
        from accord.forecast.spatial import forecast_problem
        from accord.io.ktab import read_ktab

        ktab = read_ktab(file)
        result = forecast_problem(ktab.problem, models=models, title=ktab.name,
                                  description=ktab.description, parameters=ktab.parameters,
                                  accommodation=ktab.accommodation,
                                  parameters_from_file=ktab.has_model_parameters)
        if json:
            print_json(view.to_dict(result))
            return
        console().print(view.render(result, trajectories=trajectories))
        return
    from accord.cli.common import open_space
    from accord.forecast.negotiation import MAX_FORECAST_SAMPLES, forecast_scenario
    from accord.views.labels import Labels

    if not 0 <= samples <= MAX_FORECAST_SAMPLES:
        raise BadInput(f"--samples must be between 0 and {MAX_FORECAST_SAMPLES}, got {samples}")
    scenario, space = open_space(file)
    notes: list[str] = []
    if not many(model) and "smp" in models:
        from accord.forecast.smp import MAX_ACTORS, MIN_ACTORS

        # Asked for "every model", a bilateral negotiation (most GENIUS domains) still gets
        # the three that take any number of parties; asked for the SMP by name, it is an error.
        if not MIN_ACTORS <= len(space.party_ids) <= MAX_ACTORS:
            models.remove("smp")
            notes.append(f"the SMP is skipped: KTAB's Spatial Model of Politics takes "
                         f"{MIN_ACTORS} to {MAX_ACTORS} parties with preferences, and this "
                         f"scenario has {len(space.party_ids)}")
    outcome = forecast_scenario(scenario, space, models=models, samples=samples, seed=seed)
    if json:
        print_json({**view.to_dict(outcome, Labels(scenario, space)), "notes": notes})
        return
    for note in notes:
        error_console().print(f"note: {note}")
    console().print(view.render(outcome, Labels(scenario, space), trajectories=trajectories))


@app.command()
@handles_errors
def backtest(
    file: Path = typer.Argument(..., show_default=False,
                                help="The DEU III table, tab-separated (deu3.tsv)."),
    folds: int = typer.Option(10, "--folds", help="Cross-validation folds, grouped by proposal "
                                                  "(2–100)."),
    seed: int = seed_option("Seeds the folds and the bootstrap."),
    bootstrap: int = typer.Option(2000, "--bootstrap",
                                  help="Cluster-bootstrap resamples for the intervals (0–100000)."),
    model: list[str] = many_option(
        "--model", "-m", metavar="NAME[,NAME…]",
        help="Only these models: compromise-cap, median, nash, smp, combination, "
             "salience, institutions, reference, commission, median-mix, nearest-mix, "
             "nash-reference, pce, selected (nested-CV choice); the baseline always runs."),
    chart: Path = typer.Option(None, "--chart", show_default=False,
                               help="Also draw the errors by model to this file (.png or .svg)."),
    force: bool = ForceFlag,
    json: bool = JsonFlag,
) -> None:
    """Backtest the forecasting models on the DEU III EU decisions, out of sample.

    Mean absolute error against the recorded outcomes, with every parameter
    fitted by cross-validation grouped by proposal, broken down by council,
    procedure and voting rule, with a bootstrap interval on each model's
    difference from the compromise model.
    """
    from accord.forecast.backtest import BACKTEST_MODELS, MAX_BOOTSTRAP, MAX_FOLDS, run_backtest
    from accord.io.deu3 import read_deu3
    from accord.views import forecast as view

    chosen = list(BACKTEST_MODELS)
    if many(model):
        chosen = list(dict.fromkeys(["compromise", *_models(model, tuple(BACKTEST_MODELS))]))
    if not 2 <= folds <= MAX_FOLDS:
        raise BadInput(f"--folds must be between 2 and {MAX_FOLDS}, got {folds}")
    if not 0 <= bootstrap <= MAX_BOOTSTRAP:
        raise BadInput(f"--bootstrap must be between 0 and {MAX_BOOTSTRAP}, got {bootstrap}")
    if chart is not None:
        from accord.cli.common import check_plot_path

        check_plot_path(chart, force=force, option="--chart")
    table = read_deu3(file)
    data = table.backtest_data()
    if not 2 <= folds <= len(set(data.proposals)):
        raise BadInput(f"--folds {folds}: the table has only {len(set(data.proposals))} proposals")
    stderr = error_console()

    def progress(done: int, total: int) -> None:
        if not json and (done == total or done % 50 == 0):
            stderr.print(f"SMP: {done}/{total} issues", highlight=False)

    result = run_backtest(data, folds=folds, seed=seed, bootstrap=bootstrap, models=chosen,
                          skipped=table.skipped, progress=progress)
    if chart is not None:
        from accord.cli.common import save_plot
        from accord.report.forecast import backtest_chart

        save_plot(backtest_chart(result), chart, force=force)
    if json:
        print_json(view.to_dict(result))
        return
    console().print(view.render(result))
