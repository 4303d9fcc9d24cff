"""Commands about uncertain estimates: chance (deal probabilities) and sensitivity."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli import app
from accord.cli.common import (
    BadInput,
    ForceFlag,
    JsonFlag,
    ScenarioPath,
    bounded,
    choice,
    console,
    error_console,
    handles_errors,
    many_option,
    open_space,
    print_json,
    seed_option,
    text_indices,
)

if TYPE_CHECKING:

    from accord.analysis.uncertainty import Mapper

#: Work of at least this many sample-runs shows a progress bar in a terminal (never with
#: --json): about a second on the flagship, below which a bar would only flicker.
PROGRESS_FROM = 20_000
#: `chance` draws each sample once but decides every text (and perhaps the existence of a
#: package) on it, so its bar starts at a larger run.
CHANCE_PROGRESS_FROM = 200_000

#: The install hints, for a checkout (accord is not on a package index).
SALIB_HINT = "need SALib: from the accord checkout, pip install -e '.[sensitivity]'"
DASK_HINT = "needs Dask: from the accord checkout, pip install -e '.[dask]'"

#: The most samples each command draws: `chance` keeps memory flat however many (about 20 s per
#: million on the peace plan); `robust` holds every sample at once (about 0.5 GB at 100,000)
#: and `sensitivity` reruns them per estimate; Sobol costs N·(estimates + 2) runs.
MAX_CHANCE_SAMPLES = 10_000_000
MAX_SAMPLES = 100_000
MAX_SOBOL_SAMPLES = 16_384
#: Rows --top may ask for.
MAX_TOP = 100_000

SamplesOption = bounded(20_000, "--samples", "-n", low=1, high=MAX_CHANCE_SAMPLES,
                        help="Number of sampled preference profiles.")
SeedOption = seed_option("Random seed: the same seed and --samples give the "
                         "same result however the work is split.")
SchedulerOption = typer.Option(
    None, "--scheduler", metavar="local|tcp://HOST:PORT",
    help="Where to run the chunks: 'local' (a thread per core on this machine) or "
         "tcp://HOST:PORT (an existing Dask scheduler). Default: this process.")


@app.command()
@handles_errors
def chance(
    file: Path = ScenarioPath,
    text: list[str] = many_option("--text", "-t", help="Only these texts (their ids)."),
    samples: int = SamplesOption,
    seed: int = SeedOption,
    scheduler: str = SchedulerOption,
    any_package: bool = typer.Option(
        False, "--any-package",
        help="Also estimate P(some package acceptable to every must-accept party exists)."),
    plot: Path = typer.Option(None, "--plot", show_default=False,
                              help="Also draw the chances per text and party to this file "
                                   "(.png or .svg), without a browser."),
    force: bool = ForceFlag,
    json: bool = JsonFlag,
) -> None:
    """How likely is a deal: sample the uncertain estimates and count who accepts each text.

    Weights, option values and reservation values written as ranges
    ({ low = …, high = … } and so on) are drawn per sample; P(acceptable) per
    party counts a text with open points as acceptable only when it is
    acceptable however they close.
    """
    from accord.analysis.uncertainty import build_model, deal_chances
    from accord.cli.common import check_plot_path

    check_plot_path(plot, force=force)
    scenario, space = open_space(file)
    _check_samples(samples)
    chosen = text_indices(scenario, text, file=file)
    model = build_model(scenario, space)
    with _mapper(scheduler) as mapper, \
            _progress(samples, enabled=not json, threshold=CHANCE_PROGRESS_FROM,
                      increments=True) as progress:
        result = deal_chances(model, chosen, samples=samples, seed=seed, any_package=any_package,
                              mapper=mapper, progress=progress)
    if plot is not None:
        from accord.cli.common import save_plot
        from accord.report.plots import chance_plot

        save_plot(chance_plot(scenario, space, result), plot, force=force)
    from accord.views.chance import render, to_dict
    from accord.views.labels import Labels

    labels = Labels(scenario, space)
    if json:
        print_json(to_dict(result, labels))
        return
    console().print(render(result, labels))


@app.command()
@handles_errors
def sensitivity(
    file: Path = ScenarioPath,
    text: list[str] = many_option("--text", "-t", help="Only these texts (their ids)."),
    samples: int = bounded(4096, "--samples", "-n", low=1, high=MAX_SAMPLES,
                           help="Samples per run (tornado: each estimate needs two runs; "
                                f"sobol: the base N, at most {MAX_SOBOL_SAMPLES:,}, rounded up "
                                "to a power of two, costing N·(estimates + 2) runs)."),
    seed: int = SeedOption,
    scheduler: str = SchedulerOption,
    method: str = typer.Option(
        "tornado", "--method", metavar="tornado|sobol",
        help="'tornado' (one at a time, cheap) or 'sobol' (variance-based first-order and "
             "total indices; needs SALib: from the accord checkout, "
             "pip install -e '.[sensitivity]')."),
    top: int = bounded(10, "--top", "-k", low=1, high=MAX_TOP, help="Show this many estimates."),
    json: bool = JsonFlag,
) -> None:
    """Which estimates the deal probabilities hinge on (tornado or Sobol indices).

    Tornado: each estimate is pinned at its 5th and 95th percentile (a red line
    with a probability: absent, then present) while the others vary; the
    estimates are ranked by how far that moves P(deal) for the texts or P(some
    acceptable package exists). Sobol: the share of the variance of each deal
    outcome due to each estimate alone (first order) and with its interactions
    (total).
    """
    from accord.analysis.sensitivity import salib_available, sobol_indices, tornado
    from accord.analysis.uncertainty import build_model
    from accord.views import sensitivity as view
    from accord.views.labels import Labels

    choice(method, ("tornado", "sobol"), "--method")
    scenario, space = open_space(file)
    _check_samples(samples)
    model = build_model(scenario, space)
    if not model.estimates:
        if file.is_dir():
            # GENIUS XML has no way to write a range: the ranges go in a scenario file.
            raise BadInput(f"{file}: no estimate is uncertain: a GENIUS domain gives every "
                           "weight and value as one number; write it as a scenario file with "
                           f"`accord import genius {file} -o scenario.toml`, give the estimates "
                           "you are unsure of a range there, such as { low = 0.4, high = 0.6 }, "
                           "and run sensitivity on that file", file=file)
        raise BadInput(f"{file}: no estimate is uncertain; write a range such as "
                       "{ low = 0.4, high = 0.6 } for a weight, value or reservation value",
                       file=file)
    chosen = text_indices(scenario, text, file=file)
    labels = Labels(scenario, space)
    notes: list[str] = []
    if method == "sobol" and not salib_available():
        notes.append(f"Sobol indices {SALIB_HINT}; showing the one-at-a-time tornado instead")
        method = "tornado"
    if method == "sobol":
        if samples > MAX_SOBOL_SAMPLES:
            raise BadInput(f"--samples: Sobol indices take a base of at most "
                           f"{MAX_SOBOL_SAMPLES:,} samples (each costs estimates + 2 runs), "
                           f"got {samples:,}")
        base = 1 << max(0, (samples - 1).bit_length())
        with _progress(base * (model.n_estimates + 2), enabled=not json,
                       what="Sobol indices") as progress:
            indices = sobol_indices(model, chosen, base_samples=samples, seed=seed,
                                    any_package=not text, progress=progress)
        if json:
            print_json(view.sobol_to_dict(indices, labels))
            return
        console().print(view.render_sobol(indices, labels, top))
        return
    with _mapper(scheduler) as mapper, \
            _progress(samples * (2 * model.n_estimates + 1), enabled=not json,
                      what="tornado") as progress:
        result = tornado(model, chosen, samples=samples, seed=seed, any_package=not text,
                         mapper=mapper, progress=progress)
    if json:
        print_json({**view.to_dict(result, labels), "notes": notes})
        return
    for note in notes:
        error_console().print(f"note: {note}")
    console().print(view.render(result, labels, top))


@app.command()
@handles_errors
def robust(
    file: Path = ScenarioPath,
    text: list[str] = many_option(
        "--text", "-t",
        help="Also find the smallest amendment of each of these texts reaching the robust "
             "package's probability."),
    samples: int = bounded(4096, "--samples", "-n", low=1, high=MAX_SAMPLES,
                           help="Samples shared by every candidate (common random numbers)."),
    seed: int = SeedOption,
    json: bool = JsonFlag,
) -> None:
    """The package most likely to be accepted by every must-accept party, and amendments.

    Every candidate is judged on the same sampled profiles (the samples of
    `accord chance` with the same --seed and --samples). Small spaces are
    searched exhaustively; otherwise the candidates are the mean scenario's
    Pareto frontier (acceptable packages) and the complete texts, improved by a
    local search over one- and two-point changes. With --text, the fewest
    changes to that text reaching the best probability found.
    """
    from accord.analysis.robust import common_samples, robust_package, smallest_amendment
    from accord.analysis.uncertainty import build_model

    scenario, space = open_space(file)
    _check_samples(samples)
    chosen = text_indices(scenario, text, file=file) or []
    model = build_model(scenario, space)
    crn = common_samples(model, samples, seed)
    result = robust_package(model, crn=crn)
    amendments = [smallest_amendment(model, t, crn=crn, robust=result) for t in chosen]
    from accord.views.labels import Labels
    from accord.views.robust import render, to_dict

    labels = Labels(scenario, space)
    if json:
        print_json(to_dict(result, labels, amendments))
        return
    console().print(render(result, labels, amendments))


# ---------------------------------------------------------------------------
# plumbing


def _check_samples(samples: int) -> None:
    if samples < 1:
        raise BadInput(f"--samples must be at least 1, got {samples}")


class _mapper:
    """``--scheduler``: None (this process), ``local`` (threads) or ``tcp://…`` (Dask)."""

    def __init__(self, scheduler: str | None) -> None:
        self.scheduler = scheduler
        self.client: Any = None

    def __enter__(self) -> Mapper | None:
        from accord.analysis import uncertainty

        if self.scheduler is None:
            return None
        if self.scheduler == "local":
            import os

            return uncertainty.thread_mapper(max(1, os.cpu_count() or 1))
        if self.scheduler.startswith("tcp://"):
            try:
                from distributed import Client
            except ImportError:
                raise BadInput(f"--scheduler tcp://… {DASK_HINT}") from None
            try:
                self.client = Client(self.scheduler, timeout="5s")  # a dead address answers in seconds
            except OSError as error:
                raise BadInput(f"--scheduler {self.scheduler}: cannot reach the Dask scheduler "
                               f"({error})") from None
            return uncertainty.dask_mapper(self.client)
        raise BadInput(f"--scheduler: expected 'local' or tcp://HOST:PORT, got {self.scheduler!r}")

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()


class _progress:
    """A rich progress bar over ``work`` sample-runs, or no callback at all.

    Shown only when enabled (not --json), on a terminal, and for at least
    ``threshold`` sample-runs.  The callback takes ``(done, total)`` as
    :func:`~accord.analysis.sensitivity.tornado` and
    :func:`~accord.analysis.sensitivity.sobol_indices` report it, or, with
    ``increments=True``, the samples just finished as
    :func:`~accord.analysis.uncertainty.deal_chances` reports them.
    """

    def __init__(self, work: int, *, enabled: bool, what: str = "sampling",
                 threshold: int = PROGRESS_FROM, increments: bool = False) -> None:
        self.work = work
        self.what = what
        self.increments = increments
        self.enabled = enabled and work >= threshold and error_console().is_terminal
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import Progress

        # On stderr, as the tournament's bar: stdout stays the result alone.
        self.bar = Progress(transient=True, console=error_console())
        self.bar.start()
        task = self.bar.add_task(self.what, total=self.work)
        if self.increments:
            return lambda n: self.bar.advance(task, n)
        return lambda done, total: self.bar.update(task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
