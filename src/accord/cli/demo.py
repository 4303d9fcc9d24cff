"""`accord demo`: the flagship example end to end, its sections named in order here.

The demo shows, for the flagship (or a given scenario): the scenario, who accepts
which text and why not, how the text moved, where a deal can be, how likely a
deal is, and the HTML report.  Each section is a function of the command module
that owns its topic; this module only runs them in order, so a new section is a
line here rather than a side effect of importing a module.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from accord.cli import app
from accord.cli.analysis_cmds import demo_section as where_a_deal_can_be
from accord.cli.common import BadInput, console, handles_errors, open_space
from accord.cli.scenario_cmds import MEANS_NOTE
from accord.report.demo import chances_section as how_likely_a_deal_is

if TYPE_CHECKING:
    from rich.console import Console

    from accord.model import Scenario
    from accord.report.data import ReportData
    from accord.space import Space

#: Where `accord demo` finds the flagship example in a source checkout.
FLAGSHIP = Path("examples") / "peace-plan-2025" / "scenario.toml"


@app.command()
@handles_errors
def demo(
    file: Path = typer.Argument(None, help="Scenario to demonstrate (default: the flagship example).",
                                show_default=False),
) -> None:
    """Run the flagship example end to end: the scenario, who accepts which text, the lineage."""
    path = file or _find_flagship()
    from rich.text import Text

    from accord.analysis.diff import lineage_diffs
    from accord.report.data import ReportData
    from accord.report.terminal import diff_view, evaluation_view

    scenario, space = open_space(path)
    out = console()
    # What the demo computes for its own sections and the report needs too, once.
    data = ReportData(scenario, space)
    labels = data.labels

    out.rule(Text(scenario.title, style="bold"))
    from accord.views.numbers import plural

    out.print(f"{path}: {plural(len(scenario.parties), 'party', 'parties')}, "
              f"{plural(len(scenario.issues), 'disputed issue')}, "
              f"{plural(len(scenario.texts), 'version')} of the text. "
              "Preference numbers are estimates.")
    out.rule("Who accepts which text, and why not")
    out.print(evaluation_view(data.evaluations, labels))
    if space.uses_means:
        out.print(MEANS_NOTE, style="italic")
    latest = _latest_with_parent(scenario)
    if latest is not None:
        out.rule(f"How the text moved: lineage of {latest}")
        out.print(diff_view(lineage_diffs(space, space.text_index(latest)), labels))
    for section in (where_a_deal_can_be, functools.partial(how_likely_a_deal_is, data=data),
                    functools.partial(_demo_report, data=data)):
        section(path, scenario, space, out)


def _latest_with_parent(scenario: Scenario) -> str | None:
    """The text with the longest lineage (the latest-dated among equals)."""
    candidates = [t for t in scenario.texts if t.parent is not None]
    if not candidates:
        return None
    best = max(candidates, key=lambda t: (len(scenario.lineage(t.id)), t.date or dt.date.min))
    return best.id


def _find_flagship() -> Path:
    here = Path(__file__).resolve()
    for root in (Path.cwd(), *here.parents):
        candidate = root / FLAGSHIP
        if candidate.is_file():
            return candidate
    raise BadInput(f"cannot find the flagship example {FLAGSHIP}; run from the accord checkout "
                   "or pass a scenario file: accord demo FILE")


#: Where ``accord demo`` writes the flagship report (relative to the current folder; gitignored).
DEMO_REPORT = Path("build") / "report.html"

#: The mark of a report accord wrote: only such a file may be replaced by the demo.
GENERATOR_MARK = '<meta name="generator" content="accord">'


def _demo_report(path: Path, scenario: Scenario, space: Space, out: Console, *,
                 data: ReportData | None = None) -> None:
    """Last demo step: the flagship report, written to build/report.html.

    The demo replaces that file only when accord wrote it (it carries the generator
    mark); any other file there is left alone and the report goes to a new name.
    ``data`` holds what the demo's earlier sections computed for the report too.
    """
    from accord.io.files import write_atomic
    from accord.report.html import build_report

    target = Path.cwd() / DEMO_REPORT
    target.parent.mkdir(parents=True, exist_ok=True)
    replace = target.is_file() and _written_by_accord(target)
    if not replace:
        target = _free_name(target)
    write_atomic(target, build_report(scenario, space, data=data), force=replace,
                 what="the report")
    out.rule("The report")
    how = ("replaced the report an earlier demo wrote there" if replace
           else "a new file; nothing was replaced")
    out.print(f"wrote the HTML report to {target} ({how}) — open it in a browser "
              "(it works offline)")


def _written_by_accord(path: Path) -> bool:
    from accord.errors import ScenarioError
    from accord.io.files import read_head

    try:
        head = read_head(path, what="an HTML report", size=8000)
    except ScenarioError:
        return False
    return GENERATOR_MARK in head.decode("utf-8", errors="replace")[:2000]


def _free_name(wanted: Path) -> Path:
    """``wanted`` if no such file exists, else ``stem-2``, ``stem-3``…: never a user's file."""
    candidate, number = wanted, 1
    while candidate.exists():
        number += 1
        candidate = wanted.with_name(f"{wanted.stem}-{number}{wanted.suffix}")
    return candidate
