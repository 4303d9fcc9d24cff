"""`accord ingest` and `accord evidence` end to end: output, --write round trip, bad input."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from accord.io.scenario_file import load
from tests.cli.helpers import run_cli

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles" / "dev"
MOSCOW = ARTICLES / "d07-moscow-meeting.txt"


@pytest.fixture
def scenario_copy(tmp_path: Path, peace_plan_path: Path) -> Path:
    target = tmp_path / "scenario.toml"
    shutil.copyfile(peace_plan_path, target)
    return target


def test_ingest_prints_proposals_with_evidence_and_changes_nothing(scenario_copy: Path) -> None:
    before = scenario_copy.read_bytes()
    run = run_cli("ingest", MOSCOW, "--scenario", scenario_copy, "--evidence")
    assert run.code == 0, run.stderr
    assert "Yuri Ushakov" in run.stdout and "Kremlin foreign policy aide Yuri Ushakov told" in run.stdout
    assert "Nothing was changed" in run.stdout
    assert scenario_copy.read_bytes() == before


def test_ingest_json_without_a_scenario() -> None:
    run = run_cli("ingest", MOSCOW, "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["date"] == "2025-12-03" and data["date_from"] == "dateline"
    speakers = [q["speaker"] for q in data["quotations"]]
    assert speakers == ["Yuri Ushakov", "Yuri Ushakov", "Kirill Dmitriev", "Vladimir Putin",
                        "Volodymyr Zelenskyy"]
    assert all(s["party"] is None for s in data["statements"])


def test_write_round_trip_is_lossless_atomic_and_idempotent(scenario_copy: Path) -> None:
    original = scenario_copy.read_text(encoding="utf-8")
    scenario_copy.chmod(0o640)
    before = load(scenario_copy)
    run = run_cli("ingest", MOSCOW, "--scenario", scenario_copy, "--write", "--json")
    assert run.code == 0, run.stderr
    written = json.loads(run.stdout)["written"]
    assert written == {"file": str(scenario_copy), "statements": 4, "meetings": 1, "sources": 1}
    after = load(scenario_copy)
    assert after.statements[: len(before.statements)] == before.statements
    assert len(after.statements) == len(before.statements) + 4
    assert len(after.meetings) == len(before.meetings) + 1
    assert after.sources[-1].id == "d07-moscow-meeting"
    assert all(s.source == "d07-moscow-meeting" for s in after.statements[len(before.statements):])
    # Every line of the original, comments included, is still there and in order.
    new_lines = iter(scenario_copy.read_text(encoding="utf-8").splitlines())
    assert all(any(line == other for other in new_lines) for line in original.splitlines())
    assert scenario_copy.stat().st_mode & 0o777 == 0o640
    assert not [p for p in scenario_copy.parent.iterdir() if p.name.endswith(".tmp")]
    # A second run adds nothing.
    again = run_cli("ingest", MOSCOW, "--scenario", scenario_copy, "--write", "--json")
    assert json.loads(again.stdout)["written"] == {"file": str(scenario_copy), "statements": 0,
                                                   "meetings": 0, "sources": 0}
    assert load(scenario_copy) == after


def test_write_into_a_json_scenario(tmp_path: Path, peace_plan_path: Path) -> None:
    from accord.io.scenario_file import dumps_json

    target = tmp_path / "scenario.json"
    target.write_text(dumps_json(load(peace_plan_path)), encoding="utf-8")
    run = run_cli("ingest", ARTICLES / "d15-berlin-guarantees.txt", "-s", target, "--write")
    assert run.code == 0, run.stderr
    assert len(load(target).statements) > len(load(peace_plan_path).statements)


def test_refused_statements_are_not_written(tmp_path: Path, scenario_copy: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text('GENEVA - "We are close," said Hana Ito, a Japanese mediator, on Monday.',
                       encoding="utf-8")
    run = run_cli("ingest", article, "-s", scenario_copy, "--date", "2025-12-03", "--write")
    assert run.code == 0, run.stderr
    assert "refused" in run.stdout and "not a delegate" in run.stdout
    assert len(load(scenario_copy).statements) == 12  # the flagship's own, nothing added


def test_a_source_id_of_the_scenario_is_used(scenario_copy: Path) -> None:
    run = run_cli("ingest", MOSCOW, "-s", scenario_copy, "--source", "moscowtimes-putin", "--json")
    data = json.loads(run.stdout)
    assert data["source"]["id"] == "moscowtimes-putin" and data["new_source"] is False


@pytest.mark.parametrize(("make", "options", "message"), [
    (lambda d: d / "nothing.txt", (), "no such file"),
    (lambda d: (d / "bin.txt").write_bytes(os.urandom(4000)) and d / "bin.txt", (), "binary file"),
    (lambda d: (d / "plain.txt").write_text("GENEVA - Talks went on.") and d / "plain.txt", (),
     "no quotations found"),
    (lambda d: MOSCOW, ("--write",), "--write needs --scenario"),
    (lambda d: MOSCOW, ("--date", "30/11/2025"), "expected a date written 2025-11-30"),
])
def test_bad_input_is_one_clear_message_and_status_2(tmp_path: Path, make, options, message) -> None:
    run = run_cli("ingest", make(tmp_path), *options)
    assert run.code == 2
    assert message in run.stderr and "Traceback" not in run.stderr


def test_a_huge_html_file_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    page.write_bytes(b"<html><body>" + b"<p>word</p>" * 400_000 + b"</body></html>")
    run = run_cli("ingest", page)
    assert run.code == 2 and "is at most 4 MiB" in run.stderr


def test_an_unknown_source_id_gets_a_suggestion(scenario_copy: Path) -> None:
    run = run_cli("ingest", MOSCOW, "-s", scenario_copy, "--source", "moscowtimes-putn")
    assert run.code == 2 and "did you mean 'moscowtimes-putin'" in run.stderr


def test_evidence_on_the_flagship(peace_plan_path: Path) -> None:
    run = run_cli("evidence", peace_plan_path)
    assert run.code == 0, run.stderr
    assert "No statement contradicts the estimates (12 statements read)" in run.stdout
    assert "no legal" not in run.stdout
    data = json.loads(run_cli("evidence", peace_plan_path, "--json").stdout)
    assert len(data["statements"]) == 12 and data["findings"] == []


def test_a_conditional_rejection_insists_on_its_condition(tmp_path: Path, scenario_copy: Path) -> None:
    """ "never accept a zone without an equal Russian pull-back" rejects the zone *without* the
    pull-back: it insists on Ukraine's own option (mutual-pullback), so nothing contradicts the
    estimates (ua values it 0.4-0.7, and it is no red line)."""
    article = tmp_path / "a.txt"
    article.write_text(
        'KYIV - Ukrainian President Volodymyr Zelenskyy said on Monday that Ukraine would "never accept" '
        'a demilitarised zone without an equal Russian pull-back in the part of Donetsk region it holds.',
        encoding="utf-8")
    proposed = json.loads(run_cli("ingest", article, "-s", scenario_copy, "--date", "2025-12-08", "--json").stdout)
    [statement] = proposed["statements"]
    assert (statement["stance"], statement["options"]) == ("insists-on", ["mutual-pullback"])
    assert run_cli("ingest", article, "-s", scenario_copy, "--date", "2025-12-08", "--write").code == 0
    data = json.loads(run_cli("evidence", scenario_copy, "--json").stdout)
    assert data["findings"] == []
    [reading] = [r for r in data["statements"] if r["quote"] == "never accept"]
    assert (reading["stance"], reading["options"]) == ("insists-on", ["mutual-pullback"])


def test_evidence_lists_a_contradiction_after_ingesting_one(tmp_path: Path, scenario_copy: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text('MOSCOW - Kremlin aide Yuri Ushakov said on Monday that Russia would "never accept" '
                       'a free economic zone in Donetsk region.', encoding="utf-8")
    assert run_cli("ingest", article, "-s", scenario_copy, "--date", "2025-12-08", "--write").code == 0
    data = json.loads(run_cli("evidence", scenario_copy, "--json").stdout)
    kinds = {(f["kind"], f["party"], f["issue"], f["option"]) for f in data["findings"]}
    # Russia's estimates value the free economic zone 0.5-0.9 (mean 0.7), and it is no red line.
    assert kinds == {("values-ruled-out", "ru", "donetsk", "free-economic-zone"),
                     ("missing-red-line", "ru", "donetsk", "free-economic-zone")}


def test_report_shows_the_statement_timeline(peace_plan_path: Path) -> None:
    from accord.report.html import _statement_timeline

    html = _statement_timeline(load(peace_plan_path))
    assert "Statements by party and point" in html
    assert html.index("2025-11-27") < html.index("by force")
    assert "(insists-on)" in html


# -- options and messages --------------------------------------------------------------------

def test_date_is_only_for_an_article_without_one(tmp_path: Path) -> None:
    run = run_cli("ingest", MOSCOW, "--date", "2025-12-05")  # the dateline says 3 December
    assert run.code == 2
    assert "gives its own date, 2025-12-03 (dateline)" in run.stderr and "--override-date" in run.stderr
    assert run_cli("ingest", MOSCOW, "--date", "2025-12-03").code == 0  # the same day: fine
    data = json.loads(run_cli("ingest", MOSCOW, "--override-date", "2025-12-05", "--json").stdout)
    assert (data["date"], data["date_from"]) == ("2025-12-05", "given")
    both = run_cli("ingest", MOSCOW, "--date", "2025-12-05", "--override-date", "2025-12-05")
    assert both.code == 2 and "not both" in both.stderr


def test_an_empty_source_is_refused(scenario_copy: Path) -> None:
    run = run_cli("ingest", MOSCOW, "-s", scenario_copy, "--source", "")
    assert run.code == 2 and "--source is empty" in run.stderr


@pytest.mark.parametrize("command", [("evidence",), ("ingest", str(MOSCOW), "--scenario")])
def test_a_scenario_was_expected(command: tuple[str, ...]) -> None:
    run = run_cli(*command, MOSCOW)
    assert run.code == 2
    assert "expected a scenario file (.toml or .json) or a GENIUS domain folder, not a .txt" in run.stderr
    assert "invalid TOML" not in run.stderr


def test_evidence_on_a_scenario_without_statements(tmp_path: Path, peace_plan_path: Path) -> None:
    folder = tmp_path / "domain"
    assert run_cli("export", "genius", peace_plan_path, "-o", folder, "--drop-red-lines").code == 0
    run = run_cli("evidence", folder)
    assert run.code == 0 and "The scenario has no statements: nothing to compare" in run.stdout


def test_an_article_with_a_meeting_and_no_quotes_is_read(tmp_path: Path, scenario_copy: Path) -> None:
    article = tmp_path / "met.txt"
    article.write_text("GENEVA, Dec. 4, 2025 - Special envoy Steve Witkoff met Ukrainian negotiator "
                       "Rustem Umerov in Geneva on Wednesday.", encoding="utf-8")
    run = run_cli("ingest", article, "-s", scenario_copy)
    assert run.code == 0, run.stderr
    assert "0 quotations, 0 statements, 1 meeting;" in run.stdout


def test_statuses_are_machine_words_and_refusals_say_why(tmp_path: Path, scenario_copy: Path) -> None:
    from accord.evidence.propose import STATUSES

    article = tmp_path / "a.txt"
    article.write_text('GENEVA, Dec. 4, 2025 - "We are close," said Marco Rubio on Wednesday. '
                       'The minister said it was "fine". "The talks are a farce," read a banner.\n\n'
                       'Talks between Russia and Ukraine will resume in Istanbul.', encoding="utf-8")
    data = json.loads(run_cli("ingest", article, "-s", scenario_copy, "--json").stdout)
    statuses = [s["status"] for s in data["statements"]] + [m["status"] for m in data["meetings"]]
    assert statuses == ["new", "refused", "refused", "planned"] and set(statuses) <= set(STATUSES)
    assert [s["reason"] is None for s in data["statements"]] == [True, False, False]
    without = json.loads(run_cli("ingest", article, "--json").stdout)
    assert {s["status"] for s in without["statements"]} == {"read"} and without["source"] is None


def test_a_second_write_proposes_no_new_source(tmp_path: Path, scenario_copy: Path) -> None:
    article = tmp_path / "mine.txt"
    article.write_text('GENEVA, Dec. 4, 2025 - "We are close," Secretary of State Marco Rubio told '
                       'reporters on Wednesday.', encoding="utf-8")
    first = json.loads(run_cli("ingest", article, "-s", scenario_copy, "--write", "--json").stdout)
    assert first["written"]["sources"] == 1 and first["source"]["id"] == "mine"
    second = run_cli("ingest", article, "-s", scenario_copy, "--write")
    assert "New source" not in second.stdout and "already there" in second.stdout
    again = json.loads(run_cli("ingest", article, "-s", scenario_copy, "--json").stdout)
    assert (again["source"]["id"], again["new_source"]) == ("mine", False)
    assert [s.id for s in load(scenario_copy).sources].count("mine") == 1


def test_the_write_summary_counts_in_words(scenario_copy: Path) -> None:
    run = run_cli("ingest", MOSCOW, "-s", scenario_copy, "--write")
    assert run.code == 0, run.stderr
    assert f"Added to {scenario_copy}: 4 statements, 1 meeting, 1 source." in run.stdout
    assert "0 already there" not in run.stdout and "0 refused" not in run.stdout


def test_the_table_fits_80_columns(peace_plan_path: Path) -> None:
    """The flagship's four-statement note: every line within 80 columns, a few lines a statement."""
    from rich.console import Console

    from accord.evidence.propose import ingest
    from accord.io.article import parse_article
    from accord.views.evidence import render
    from tests.evidence.test_flagship_notes import notes

    scenario = load(peace_plan_path)
    [(source, day, body)] = [n for n in notes() if n[0] == "ap-florida"]
    proposals = ingest(parse_article(body.encode(), name="ap-florida.txt", html=False), scenario,
                       date=day, source=source)
    console = Console(width=80, record=True, color_system=None)
    console.print(render(proposals, scenario))
    lines = console.export_text().splitlines()
    assert max(map(len, lines)) <= 80
    assert len(proposals.statements) == 5 and len(lines) <= 5 * 4 + 4
    with_evidence = Console(width=80, record=True, color_system=None)
    with_evidence.print(render(proposals, scenario, evidence=True))
    assert "Rubio told reporters in Hallandale Beach" in " ".join(with_evidence.export_text().split())
