"""Evidence commands: ``accord ingest`` (read a report) and ``accord evidence`` (check statements)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from accord.cli import app
from accord.cli.common import (
    BadInput,
    JsonFlag,
    ScenarioPath,
    console,
    handles_errors,
    open_scenario,
    print_json,
)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"--date {value!r}: expected a date written 2025-11-30") from None


@app.command()
@handles_errors
def ingest(
    article: Path = typer.Argument(..., help="A news report: plain text (.txt) or HTML (.html).",
                                   show_default=False),
    scenario: Path | None = typer.Option(None, "--scenario", "-s", show_default=False,
                                         help="Tie speakers and points to this scenario file."),
    date: str | None = typer.Option(None, "--date", show_default=False,
                                    help="The article's date (2025-11-30) when the file does not say."),
    source: str | None = typer.Option(None, "--source", show_default=False,
                                      help="A source id of the scenario, or the article's address."),
    json: bool = JsonFlag,
    write: bool = typer.Option(False, "--write", help="Add the proposed statements, meetings and source "
                                                      "to the --scenario file (atomically; entries "
                                                      "already there are skipped)."),
) -> None:
    """Read a report: who said what, where and when, tied to the scenario's parties and points.

    Prints the proposed statements and meetings, each with the passage it rests on;
    nothing is changed unless --write is given.  Exit status 2 for an unreadable
    article, one without quotations, or bad options.
    """
    from accord.evidence.propose import additions
    from accord.evidence.propose import ingest as read
    from accord.io.article import read_article
    from accord.views import evidence as view

    if write and scenario is None:
        raise BadInput("--write needs --scenario FILE: the file the statements are added to")
    day = _date(date)
    loaded = open_scenario(scenario) if scenario is not None else None
    text = read_article(article)
    proposals = read(text, loaded, date=day, source=source)
    if not proposals.extraction.quotations:
        raise BadInput(f"{article}: no quotations found (no text between quotation marks), so there "
                       "is nothing to propose")
    if write:
        assert loaded is not None and scenario is not None
        if scenario.is_dir():
            raise BadInput(f"{scenario}: --write adds to a scenario file (.toml or .json), "
                           "not to a GENIUS folder")
        from accord.io.scenario_edit import add_entries

        sources, statements, meetings = additions(proposals)
        add_entries(scenario, loaded, sources=sources, statements=statements, meetings=meetings)
    if json:
        data = view.to_dict(proposals, loaded)
        if write:
            data["written"] = {"file": str(scenario), "statements": len(statements),
                               "meetings": len(meetings), "sources": len(sources)}
        print_json(data)
        return
    out = console()
    out.print(view.render(proposals, loaded))
    if write:
        refused = sum(1 for p in proposals.statements if p.refused)
        present = sum(1 for p in proposals.statements if p.duplicate)
        out.print(f"Added to {scenario}: {len(statements)} statements, {len(meetings)} meetings"
                  + (", 1 source" if sources else "")
                  + f" ({present} already there, {refused} refused: see the reasons above).",
                  markup=False)
    elif loaded is not None:
        out.print("Nothing was changed; --write adds the statements marked “to add”.", markup=False)


@app.command()
@handles_errors
def evidence(file: Path = ScenarioPath, json: bool = JsonFlag) -> None:
    """List where the scenario's statements contradict its estimates, and the stance of each.

    A statement ruling out an option the estimates value highly, insisting on a red
    line, or stating a red line the file lacks is a contradiction; red lines no
    statement backs are listed too.
    """
    from accord.evidence.check import check_evidence
    from accord.views import evidence as view

    scenario = open_scenario(file)
    result = check_evidence(scenario)
    if json:
        print_json(view.to_dict(result, scenario))
        return
    console().print(view.render(result, scenario))
