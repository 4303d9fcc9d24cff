"""The flagship's statements are re-derived from the evidence notes in its README."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from accord.evidence.check import check_evidence
from accord.evidence.propose import additions, ingest
from accord.io.article import parse_article
from accord.io.scenario_file import load
from accord.model import Stance

README = Path(__file__).resolve().parents[2] / "examples" / "peace-plan-2025" / "README.md"
NOTE = re.compile(r"```text note source=(\S+) date=(\S+)\n(.*?)```", re.S)


def notes() -> list[tuple[str, dt.date, str]]:
    return [(m.group(1), dt.date.fromisoformat(m.group(2)), m.group(3))
            for m in NOTE.finditer(README.read_text(encoding="utf-8"))]


def key(statement, reading=None) -> tuple:
    """Every field ``--write`` records; the stance and options as `accord evidence` reads them
    when ``reading`` is given (the file's statements leave them to the reading)."""
    stance, options = (statement.stance, tuple(statement.options)) if reading is None \
        else (reading.stance, reading.options)
    return (statement.speaker, statement.person, statement.date, statement.channel, statement.place,
            statement.quote, statement.source, frozenset(statement.issues), statement.evidence, stance,
            options)


def test_every_flagship_statement_comes_out_of_a_note(peace_plan_path) -> None:
    flagship = load(peace_plan_path)
    derived = []
    for source, day, body in notes():
        proposals = ingest(parse_article(body.encode(), name=f"{source}.txt", html=False), flagship,
                           date=day, source=source)
        assert [p.refused for p in proposals.statements if p.refused] == []
        derived.extend(p.statement for p in proposals.statements)
        # Everything a note proposes is in the file already: --write would add nothing.
        assert additions(proposals) == ([], [], [])
        assert {p.status for p in proposals.statements} == {"present"}
    # ingest proposes what `accord evidence` reads from the file, stance and options included.
    readings = check_evidence(flagship).readings
    expected = [key(s, r) for s, r in zip(flagship.statements, readings, strict=True)]
    assert sorted(map(key, derived), key=repr) == sorted(expected, key=repr)


def test_there_is_a_note_for_every_source_of_a_statement(peace_plan_path) -> None:
    flagship = load(peace_plan_path)
    assert {s.source for s in flagship.statements} == {source for source, _, _ in notes()}


def test_accord_evidence_on_the_flagship(peace_plan_path) -> None:
    result = check_evidence(load(peace_plan_path))
    assert len(result.readings) == 12
    assert result.findings == ()
    by_quote = {r.quote: r.stance for r in result.readings}
    assert by_quote["by force"].value == "insists-on"
    assert by_quote["not found"].value == "difficulty"
    # Russia's "by force" on Donetsk backs its Donetsk red line; Ukraine's red lines have no statement.
    assert ("ru", "donetsk", "hold-line", 1.0) not in result.unbacked_red_lines
    assert ("ua", "donetsk", "withdraw-dmz", 1.0) in result.unbacked_red_lines


def test_every_quote_of_the_flagship_is_quoted_in_its_note(peace_plan_path) -> None:
    """The notes are the statements' evidence: each fragment of each quote stands between
    quotation marks in the note of its source (no quote is made up or reworded)."""
    bodies = {source: body for source, _, body in notes()}
    for statement in load(peace_plan_path).statements:
        quoted = re.findall(r'"([^"]*)"', bodies[statement.source])
        for fragment in statement.quote.split(" … "):
            assert any(fragment == q.rstrip(".,") for q in quoted), (statement.source, fragment)


def test_by_force_insists_on_the_ceasefire_after_withdrawal(peace_plan_path) -> None:
    """Worked by hand: Putin said the fighting stops only once Ukraine withdraws, "otherwise" by
    force — the condition is the enforcement option, and the Donetsk options tie (no option)."""
    [reading] = [r for r in check_evidence(load(peace_plan_path)).readings if r.quote == "by force"]
    assert (reading.stance, reading.options) == (Stance.INSISTS_ON, ("after-withdrawal",))
