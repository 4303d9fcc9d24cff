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


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{option} {value!r}: expected a date written 2025-11-30") from None


def _scenario_file(path: Path, option: str) -> None:
    """A scenario is a .toml or .json file or a GENIUS folder: say so before parsing anything else."""
    if path.is_dir() or path.suffix.lower() in (".toml", ".json") or not path.exists():
        return
    hint = " — to read a report, use `accord ingest` on it" if path.suffix.lower() in (
        ".txt", ".html", ".htm", ".md") else ""
    raise BadInput(f"{option}{path}: expected a scenario file (.toml or .json) or a GENIUS domain folder, "
                   f"not a {path.suffix or 'file without extension'}{hint}")


@app.command()
@handles_errors
def ingest(
    article: Path = typer.Argument(..., help="A news report: plain text (.txt) or HTML (.html).",
                                   show_default=False),
    scenario: Path | None = typer.Option(None, "--scenario", "-s", show_default=False,
                                         help="Tie speakers and points to this scenario file."),
    date: str | None = typer.Option(None, "--date", show_default=False,
                                    help="The article's date (2025-11-30), for an article that does not "
                                         "give one (no dateline year or HTML metadata)."),
    override_date: str | None = typer.Option(None, "--override-date", metavar="DATE", show_default=False,
                                             help="Use this date even though the article gives its own."),
    source: str | None = typer.Option(None, "--source", show_default=False,
                                      help="A source id of the scenario, or the article's address."),
    evidence: bool = typer.Option(False, "--evidence", help="Show the passage each statement rests on."),
    json: bool = JsonFlag,
    write: bool = typer.Option(False, "--write", help="Add the statements and meetings marked “to add” "
                                                      "(and their source) to the --scenario file, "
                                                      "atomically."),
) -> None:
    """Read a report: who said what, where and when, tied to the scenario's parties and points.

    Prints the proposed statements and meetings; nothing is changed unless --write is
    given.  Exit status 2 for an unreadable article, one with nothing to propose (no
    quotation and no meeting), or bad options.
    """
    from accord.evidence.propose import additions
    from accord.evidence.propose import ingest as read
    from accord.io.article import read_article
    from accord.views import evidence as view

    if write and scenario is None:
        raise BadInput("--write needs --scenario FILE: the file the statements are added to")
    if date is not None and override_date is not None:
        raise BadInput("give --date (for an article without a date) or --override-date, not both")
    if source is not None and not source.strip():
        raise BadInput("--source is empty: give a source id of the scenario or the article's address")
    day = _date(date, "--date")
    forced = _date(override_date, "--override-date")
    if scenario is not None:
        _scenario_file(scenario, "--scenario ")
        if write and scenario.is_dir():
            raise BadInput(f"{scenario}: --write adds to a scenario file (.toml or .json), "
                           "not to a GENIUS folder")
    loaded = open_scenario(scenario) if scenario is not None else None
    text = read_article(article)
    proposals = read(text, loaded, date=forced or day, date_wins=forced is not None, source=source)
    stated = proposals.extraction.stated_date
    if day is not None and stated is not None and stated != day:
        raise BadInput(f"{article}: the article gives its own date, {stated} "
                       f"({proposals.extraction.date_from}); --date is only for an article without one — "
                       f"use --override-date {day} to read it as of that day")
    extraction = proposals.extraction
    if not extraction.quotations and not extraction.meetings:
        raise BadInput(f"{article}: no quotations found (no text between quotation marks) and no "
                       "meetings, so there is nothing to propose")
    written: dict[str, int] | None = None
    if write and scenario is not None and loaded is not None:
        from accord.io.scenario_edit import add_entries

        sources, statements, meetings = additions(proposals)
        add_entries(scenario, loaded, sources=sources, statements=statements, meetings=meetings)
        written = {"statements": len(statements), "meetings": len(meetings), "sources": len(sources)}
    if json:
        data = view.to_dict(proposals, loaded)
        if written is not None:
            data["written"] = {"file": str(scenario), **written}
        print_json(data)
        return
    out = console()
    out.print(view.render(proposals, loaded, evidence=evidence, written=written is not None))
    if written is not None:
        counts = [view.plural(written["statements"], "statement"),
                  view.plural(written["meetings"], "meeting")]
        if written["sources"]:
            counts.append("1 source")
        skipped = [f"{count} {what}" for count, what in (
            (sum(p.status == "present" for p in proposals.statements), "already there"),
            (sum(p.status == "refused" for p in proposals.statements), "refused")) if count]
        out.print(f"Added to {scenario}: {', '.join(counts)}"
                  + (f" ({', '.join(skipped)})." if skipped else "."), markup=False)
    elif loaded is not None:
        waiting = sum(p.status == "new" for p in proposals.statements) \
            + sum(m.status == "new" for m in proposals.meetings)
        out.print("Nothing was changed; " + (f"--write adds the {waiting} marked “to add”." if waiting
                                             else "nothing is marked “to add”."), markup=False)
    if not evidence and not json and proposals.statements:
        out.print("--evidence shows the passage each statement rests on.", style="dim", markup=False)


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

    _scenario_file(file, "")
    scenario = open_scenario(file)
    result = check_evidence(scenario)
    if json:
        print_json(view.to_dict(result, scenario))
        return
    console().print(view.render(result, scenario))
