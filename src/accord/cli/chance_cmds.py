"""Commands about uncertain estimates: chance (deal probabilities) and sensitivity."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli import app
from accord.cli.common import (
    BadInput,
    JsonFlag,
    ScenarioPath,
    bounded,
    console,
    error_console,
    handles_errors,
    open_space,
    print_json,
    seed_option,
    text_indices,
)

if TYPE_CHECKING:
    from rich.console import Console

    from accord.analysis.robust import Amendment, RobustResult
    from accord.analysis.sensitivity import SobolResult, Tornado
    from accord.analysis.uncertainty import ChanceResult, Mapper, UncertainModel
    from accord.model import Scenario
    from accord.space import Space

#: Runs with at least this many samples show a progress bar (unless --json).
_PROGRESS_FROM = 200_000

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
    None, "--scheduler",
    help="Where to run the chunks: 'local' (a thread per core on this machine) or "
         "tcp://HOST:PORT (an existing Dask scheduler). Default: this process.")


@app.command()
@handles_errors
def chance(
    file: Path = ScenarioPath,
    text: list[str] = typer.Option(None, "--text", "-t", help="Only this text (repeatable)."),
    samples: int = SamplesOption,
    seed: int = SeedOption,
    scheduler: str = SchedulerOption,
    any_package: bool = typer.Option(
        False, "--any-package",
        help="Also estimate P(some package acceptable to every must-accept party exists)."),
    plot: Path = typer.Option(None, "--plot", show_default=False,
                              help="Also draw the chances per text and party to this file "
                                   "(.png or .svg), without a browser."),
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

    check_plot_path(plot)
    scenario, space = open_space(file)
    _check_samples(samples)
    chosen = text_indices(scenario, text)
    model = build_model(scenario, space)
    with _mapper(scheduler) as mapper, _progress(samples, enabled=not json) as progress:
        result = deal_chances(model, chosen, samples=samples, seed=seed, any_package=any_package,
                              mapper=mapper, progress=progress)
    if plot is not None:
        from accord.cli.common import save_plot
        from accord.report.plots import chance_plot

        save_plot(chance_plot(scenario, space, result), plot)
    if json:
        from accord.views.chance import to_dict
        from accord.views.labels import Labels

        print_json(to_dict(result, Labels(scenario, space)))
        return
    _print_chances(console(), scenario, space, model, result)


@app.command()
@handles_errors
def sensitivity(
    file: Path = ScenarioPath,
    text: list[str] = typer.Option(None, "--text", "-t", help="Only this text (repeatable)."),
    samples: int = bounded(4096, "--samples", "-n", low=1, high=MAX_SAMPLES,
                           help="Samples per run (tornado: each estimate needs two runs; "
                                f"sobol: the base N, at most {MAX_SOBOL_SAMPLES:,}, rounded up "
                                "to a power of two, costing N·(estimates + 2) runs)."),
    seed: int = SeedOption,
    scheduler: str = SchedulerOption,
    method: str = typer.Option(
        "tornado", "--method",
        help="'tornado' (one at a time, cheap) or 'sobol' (variance-based first-order and "
             "total indices; needs SALib: pip install 'accord[sensitivity]')."),
    top: int = bounded(10, "--top", low=1, high=MAX_TOP, help="Show this many estimates."),
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

    if method not in ("tornado", "sobol"):
        raise BadInput(f"--method: expected 'tornado' or 'sobol', got {method!r}")
    scenario, space = open_space(file)
    _check_samples(samples)
    model = build_model(scenario, space)
    if not model.estimates:
        raise BadInput(f"{file}: no estimate is uncertain; write a range such as "
                       "{ low = 0.4, high = 0.6 } for a weight, value or reservation value")
    chosen = text_indices(scenario, text)
    notes: list[str] = []
    if method == "sobol" and not salib_available():
        notes.append("Sobol indices need SALib (pip install 'accord[sensitivity]'); "
                     "showing the one-at-a-time tornado instead")
        method = "tornado"
    if method == "sobol":
        if samples > MAX_SOBOL_SAMPLES:
            raise BadInput(f"--samples: Sobol indices take a base of at most "
                           f"{MAX_SOBOL_SAMPLES:,} samples (each costs estimates + 2 runs), "
                           f"got {samples:,}")
        indices = sobol_indices(model, chosen, base_samples=samples, seed=seed,
                                any_package=not text)
        if json:
            print_json(sobol_to_dict(indices, space))
            return
        _print_sobol(console(), space, indices, top)
        return
    with _mapper(scheduler) as mapper:
        result = tornado(model, chosen, samples=samples, seed=seed, any_package=not text,
                         mapper=mapper)
    if json:
        print_json({**tornado_to_dict(result, space), "notes": notes})
        return
    for note in notes:
        error_console().print(f"note: {note}")
    _print_tornado(console(), space, result, top)


@app.command()
@handles_errors
def robust(
    file: Path = ScenarioPath,
    text: list[str] = typer.Option(
        None, "--text", "-t",
        help="Also find the smallest amendment of this text reaching the robust package's "
             "probability (repeatable)."),
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
    chosen = (text_indices(scenario, text) or []) if text else []
    model = build_model(scenario, space)
    crn = common_samples(model, samples, seed)
    result = robust_package(model, crn=crn)
    amendments = [smallest_amendment(model, t, crn=crn, robust=result) for t in chosen]
    if json:
        print_json(robust_to_dict(result, amendments, space, model))
        return
    _print_robust(console(), space, model, result, amendments)


# ---------------------------------------------------------------------------
# JSON


def _rounded(value: float) -> float:
    return round(float(value), 6)


def sobol_to_dict(result: SobolResult, space: Space) -> dict[str, Any]:
    targets = [space.text_ids[t] for t in result.texts] + (["any-package"] if result.any_package
                                                           else [])

    def per_target(values: tuple[float, ...]) -> dict[str, float]:
        return dict(zip(targets, (_rounded(v) for v in values), strict=True))

    return {
        "method": "sobol",
        "base_samples": result.base_samples,
        "runs": result.runs,
        "seed": result.seed,
        "targets": targets,
        "p": per_target(result.p),
        "estimates": [
            {"estimate": effect.label, "first": per_target(effect.first),
             "first_conf": per_target(effect.first_conf), "total": per_target(effect.total),
             "total_conf": per_target(effect.total_conf)}
            for effect in result.effects
        ],
        "notes": list(result.notes),
    }


def robust_to_dict(result: RobustResult, amendments: list[Amendment], space: Space,
                   model: UncertainModel) -> dict[str, Any]:
    """The JSON of ``accord robust``."""
    import math

    def changes(amendment: Amendment) -> list[dict[str, Any]]:
        before = space.texts[amendment.text]
        return [{"issue": space.issue_ids[i],
                 "from": None if before[i] < 0 else space.option_ids[i][int(before[i])],
                 "to": space.option_ids[i][int(amendment.package[i])]}
                for i in amendment.changed]

    return {
        "samples": result.samples,
        "seed": result.seed,
        "method": result.method,
        "candidates": result.candidates,
        "evaluated": result.evaluated,
        "package": space.positions(result.package),
        "p_all": _rounded(result.p_all),
        "interval": [_rounded(x) for x in result.interval],
        "texts": {space.text_ids[t]: None if math.isnan(p) else _rounded(p)
                  for t, p in enumerate(result.p_texts)},
        "amendments": [
            {"text": space.text_ids[a.text], "changes": changes(a), "p_all": _rounded(a.p_all),
             "interval": [_rounded(x) for x in a.interval],
             "p_text": None if math.isnan(a.p_text) else _rounded(a.p_text),
             "steps": [{"changes": step.changes, "p_all": _rounded(step.p_all),
                        "exhaustive": step.exhaustive} for step in a.steps],
             "beam": a.beam}
            for a in amendments],
        "estimates": model.n_estimates,
    }


def tornado_to_dict(result: Tornado, space: Space) -> dict[str, Any]:
    targets = [space.text_ids[t] for t in result.texts] + (["any-package"] if result.any_package
                                                           else [])
    return {
        "method": "tornado",
        "samples": result.samples,
        "seed": result.seed,
        "targets": targets,
        "base": dict(zip(targets, (_rounded(p) for p in result.base), strict=True)),
        "estimates": [
            {"estimate": effect.label, "low": _rounded(effect.low_setting),
             "high": _rounded(effect.high_setting), "swing": _rounded(effect.swing),
             "p_low": dict(zip(targets, (_rounded(p) for p in effect.p_low), strict=True)),
             "p_high": dict(zip(targets, (_rounded(p) for p in effect.p_high), strict=True))}
            for effect in result.effects
        ],
    }


# ---------------------------------------------------------------------------
# terminal


def _percent(p: float) -> str:
    """A percentage with enough digits that a small or near-certain one is not shown as 0 or 100."""
    if abs(p) < 1e-12 or abs(1.0 - p) < 1e-12:
        p = round(p)  # rounding noise of an interval bound at exactly 0 or 1
    if p <= 0.0 or p >= 1.0 or 0.001 <= p <= 0.999:
        return f"{100 * p:.1f}%"
    if p < 0.001:
        return f"{100 * p:.2g}%"          # 0.00037 → 0.037%
    return f"{100 * p:.3f}%"              # 0.99963 → 99.963%


def _print_chances(out: Console, scenario: Scenario, space: Space, model: UncertainModel,
                   result: ChanceResult) -> None:
    from rich.table import Table

    must = [space.party_ids[p] for p in range(space.n_parties) if space.must_accept[p]]
    table = Table(title=f"Deal chances: {result.samples:,} samples, seed {result.seed}, "
                        f"{result.estimates} uncertain estimates")
    table.add_column("text")
    table.add_column(f"P(all of {', '.join(must)} accept)", justify="right")
    table.add_column("95% interval", justify="right")
    for p in range(space.n_parties):
        table.add_column(f"P({space.party_ids[p]})" + (" *" if space.must_accept[p] else ""),
                         justify="right")
    from accord.report.terminal import probability_cell

    for text in result.texts:
        table.add_row(space.text_ids[text.text], probability_cell(text.p_all, *text.interval),
                      f"{_percent(text.interval[0])}–{_percent(text.interval[1])}",
                      *(_percent(party.p_accept) for party in text.parties))
    out.print(table)
    out.print("  * must accept. A text with open points counts as acceptable to a party only "
              "when it is acceptable however they close. Bars: solid to the 95% interval's low "
              "end, shaded to its high end; green: a deal is more likely than not (the whole "
              "interval ≥ 50%), red: less likely, yellow: cannot tell.")
    if result.p_any_package is not None and result.any_package_interval is not None:
        lo, hi = result.any_package_interval
        out.print(f"  P(some package acceptable to {', '.join(must)} exists) = "
                  f"{_percent(result.p_any_package)} (95% {_percent(lo)}–{_percent(hi)}); "
                  f"settled by bounds {result.settled_by_bound:,}, by a candidate package "
                  f"{result.settled_by_candidate:,}, by exact search {result.exact_checks:,}.")
    for note in result.notes:
        out.print(f"  note: {note}")


def _print_robust(out: Console, space: Space, model: UncertainModel, result: RobustResult,
                  amendments: list[Amendment]) -> None:
    import math

    from rich.table import Table

    must = ", ".join(space.party_ids[p] for p in range(space.n_parties) if space.must_accept[p])
    lo, hi = result.interval
    out.print(f"Most robust package: P(all of {must} accept) = {_percent(result.p_all)} "
              f"(95% {_percent(lo)}–{_percent(hi)}), {result.samples:,} samples shared by every "
              f"candidate, seed {result.seed}, {model.n_estimates} uncertain estimates.")
    out.print(f"  Search: {result.method}; candidates: {result.candidates}; "
              f"{result.evaluated:,} packages evaluated.")
    table = Table()
    table.add_column("issue")
    table.add_column("option")
    for issue, option in space.positions(result.package).items():
        table.add_row(issue, option)
    out.print(table)
    texts = ", ".join(f"{space.text_ids[t]} {'(open points)' if math.isnan(p) else _percent(p)}"
                      for t, p in enumerate(result.p_texts))
    out.print(f"  The texts on the same samples: {texts}.")
    for amendment in amendments:
        before = space.texts[amendment.text]
        name = space.text_ids[amendment.text]
        from accord.views.packages import CHANGE_RULE, plural

        out.print(f"Smallest amendment of {name}: "
                  f"{plural(len(amendment.changes), 'agreed point')} changed"
                  + (f", closes {plural(len(amendment.closed), 'open point')}"
                     if amendment.closed else "")
                  + f" → {_percent(amendment.p_all)} (95% {_percent(amendment.interval[0])}–"
                  f"{_percent(amendment.interval[1])}); as it stands "
                  + ("it has open points" if math.isnan(amendment.p_text)
                     else _percent(amendment.p_text)) + ".")
        for i in amendment.changes:
            old = space.option_ids[i][int(before[i])]
            out.print(f"    {space.issue_ids[i]}: {old} → {space.option_ids[i][int(amendment.package[i])]}")
        if amendment.closed:
            out.print(f"  closes {plural(len(amendment.closed), 'open point')}:")
            for i in amendment.closed:
                out.print(f"    {space.issue_ids[i]} → {space.option_ids[i][int(amendment.package[i])]}")
        out.print(f"  ({CHANGE_RULE})")
        out.print("  best with k changes: " + ", ".join(
            f"{step.changes}: {_percent(step.p_all)}" + ("" if step.exhaustive else " (beam)")
            for step in amendment.steps))


def _print_sobol(out: Console, space: Space, result: SobolResult, top: int) -> None:
    from rich.table import Table

    targets = [space.text_ids[t] for t in result.texts] + (["any package"] if result.any_package
                                                           else [])
    table = Table(title=f"Sobol indices of the deal outcomes ({result.runs:,} runs, base "
                        f"{result.base_samples:,}): first order / total, ± 95%")
    table.add_column("estimate")
    # A target decided the same way in every run has no variance to apportion (see the notes).
    shown = [k for k, p in enumerate(result.p) if 0.0 < p < 1.0]
    for k in shown:
        table.add_column(f"{targets[k]}\nP = {_percent(result.p[k])}\nfirst / total",
                         justify="right")
    for effect in result.effects[:top]:
        table.add_row(effect.label, *(
            f"{effect.first[k]:.2f}±{effect.first_conf[k]:.2f} / "
            f"{effect.total[k]:.2f}±{effect.total_conf[k]:.2f}" for k in shown))
    out.print(table)
    for note in result.notes:
        out.print(f"  note: {note}")


def _print_tornado(out: Console, space: Space, result: Tornado, top: int) -> None:
    from rich.table import Table

    targets = [space.text_ids[t] for t in result.texts] + (["any package"] if result.any_package
                                                           else [])
    table = Table(title=f"What the deal probabilities hinge on ({result.samples:,} samples per run; "
                        "each estimate pinned at its 5th/95th percentile)")
    table.add_column("estimate")
    table.add_column("low → high", justify="right")
    table.add_column("swing", justify="right")
    for name in targets:
        table.add_column(f"{name}\nlow → high", justify="right")
    table.add_row("(as estimated)", "", "", *(_percent(p) for p in result.base))
    for effect in result.effects[:top]:
        table.add_row(effect.label, f"{effect.low_setting:.3g} → {effect.high_setting:.3g}",
                      _percent(effect.swing),
                      *(f"{_percent(lo)} → {_percent(hi)}"
                        for lo, hi in zip(effect.p_low, effect.p_high, strict=True)))
    out.print(table)


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
                raise BadInput("--scheduler tcp://… needs Dask: pip install 'accord[dask]'") from None
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
    """A progress bar for long runs; a no-op callback otherwise."""

    def __init__(self, samples: int, *, enabled: bool) -> None:
        self.samples = samples
        self.enabled = enabled and samples >= _PROGRESS_FROM
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import Progress

        self.bar = Progress(transient=True, console=console())
        self.bar.start()
        task = self.bar.add_task("sampling", total=self.samples)
        return lambda n: self.bar.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


# ---------------------------------------------------------------------------
# the demo section


def demo_section(path: Path, scenario: Scenario, space: Space, out: Console) -> None:
    """`accord demo`: deal probabilities and the three estimates they hinge on."""
    from accord.analysis.sensitivity import tornado
    from accord.analysis.uncertainty import build_model, deal_chances

    model = build_model(scenario, space)
    if not model.estimates:
        return
    out.rule("How likely is a deal (uncertain estimates sampled)")
    result = deal_chances(model, samples=10_000, seed=0, any_package=True)
    _print_chances(out, scenario, space, model, result)
    ranked = tornado(model, samples=2048, seed=0, any_package=True)
    out.print("  The deal probabilities hinge most on:")
    targets = [space.text_ids[t] for t in ranked.texts] + ["any package"]
    for effect in ranked.effects[:3]:
        k = max(range(len(targets)), key=lambda j: effect.swings[j])
        out.print(f"    {effect.label} ({effect.low_setting:.3g} → {effect.high_setting:.3g}): "
                  f"P({targets[k]}) {_percent(effect.p_low[k])} → {_percent(effect.p_high[k])}")
    from accord.analysis.robust import robust_package

    best = robust_package(model, samples=2048, seed=0)
    lo, hi = best.interval
    out.print(f"  The most robust package found is accepted by every must-accept party with "
              f"P = {_percent(best.p_all)} (95% {_percent(lo)}–{_percent(hi)}; "
              f"{best.method}); `accord robust --text ID` finds the smallest amendment reaching it.")
    out.print("  (point analyses above use each range's mean; `accord sensitivity` ranks them all)")

