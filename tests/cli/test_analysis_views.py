"""Issue 11 on the package commands: frontier rows, solutions that state their basis, one change rule."""

from __future__ import annotations

import io
import json
import re

import numpy as np
from rich.console import Console

from accord.analysis.bargaining import bargaining_solutions
from accord.analysis.improve import improve
from accord.analysis.pareto import pareto_frontier
from accord.io.scenario_file import load
from accord.space import UNRESOLVED, compile_scenario
from accord.views import frontier as frontier_view
from accord.views.labels import Labels
from tests.cli.helpers import run_cli


def _flagship(path):  # type: ignore[no-untyped-def]
    scenario = load(path)
    space = compile_scenario(scenario)
    return scenario, space, Labels(scenario, space)


def test_frontier_is_one_row_per_package_readable_at_80_columns(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    _, space, labels = _flagship(peace_plan_path)
    result = pareto_frontier(space)
    out = io.StringIO()
    Console(file=out, width=80, no_color=True, soft_wrap=False).print(
        frontier_view.render(result, labels, text=space.text_ids.index("plan-20"), limit=4))
    lines = out.getvalue().splitlines()
    assert all(len(line) <= 80 for line in lines)
    # One table row per package: the row number and every party's utility on one line, whole.
    rows = [line for line in lines if re.match(r"│\s+\d+\s+│", line)]
    assert len(rows) == 4
    for n, line in enumerate(rows):
        numbers = re.findall(r"-?\d+\.\d{3}|\b0\b", line.split("│")[2] + "│"
                             + "│".join(line.split("│")[3:2 + len(result.parties)]))
        assert [float(x) for x in numbers] == [round(float(u), 3) for u in result.utilities[n]]
    assert f"… and {len(result) - 4:,} more; --limit N or --json" in out.getvalue()


def test_frontier_rows_list_what_differs_from_the_latest_text_by_label_and_id(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    scenario, space, _ = _flagship(peace_plan_path)
    run = run_cli("frontier", peace_plan_path, "-p", "ua", "-p", "ru", "--acceptable", "--limit", "2")
    assert run.code == 0, run.stderr
    latest = max((t for t in scenario.texts if t.date), key=lambda t: t.date)
    assert f"differs from {latest.title} ({latest.id})" in run.stdout
    result = pareto_frontier(space, ["ua", "ru"], acceptable_only=True)
    base = space.texts[space.text_ids.index(latest.id)]
    package = result.packages[0]
    for i in range(space.n_issues):
        if base[i] != UNRESOLVED and package[i] != base[i]:
            label = scenario.issues[i].options[package[i]].label
            assert f"{scenario.issues[i].title} ({space.issue_ids[i]}) → {label} " \
                   f"({space.option_ids[i][package[i]]})" in run.stdout


def test_frontier_json_is_full_precision_and_compact_is_the_same_frontier(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    _, space, _ = _flagship(peace_plan_path)
    result = pareto_frontier(space, ["ua", "ru"])
    full = json.loads(run_cli("frontier", peace_plan_path, "-p", "ua,ru", "--json").stdout)
    assert np.array_equal(np.array([p["utilities"] for p in full["points"]]), result.utilities)
    compact_run = run_cli("frontier", peace_plan_path, "-p", "ua,ru", "--json", "--compact")
    compact = json.loads(compact_run.stdout)
    assert compact["utilities"] == full_utilities(full)
    rebuilt = [{issue["id"]: issue["options"][o] for issue, o in zip(compact["issues"], row, strict=True)}
               for row in compact["packages"]]
    assert rebuilt == [p["positions"] for p in full["points"]]
    assert len(compact_run.stdout) < len(json.dumps(full)) / 3
    limited = json.loads(run_cli("frontier", peace_plan_path, "-p", "ua,ru", "--json",
                                 "--limit", "3").stdout)
    assert len(limited["points"]) == 3 and limited["total"] == len(result)


def full_utilities(data: dict) -> list:  # type: ignore[type-arg]
    return [p["utilities"] for p in data["points"]]


def test_solve_defaults_to_the_must_accept_parties_like_the_report(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    scenario, space, _ = _flagship(peace_plan_path)
    data = json.loads(run_cli("solve", peace_plan_path, "--json").stdout)
    must = list(scenario.must_accept)
    assert data["parties"] == must
    assert data["disagreement"] == {p: float(space.reservation[space.party_ids.index(p)])
                                    for p in must}
    assert data["disagreement_rule"] == "reservation values"
    # the library default is the same frontier the report passes in
    report_like = bargaining_solutions(space, pareto_frontier(space, must, acceptable_only=True))
    default = bargaining_solutions(space)
    assert default.frontier.parties == report_like.frontier.parties
    assert default.nash.row == report_like.nash.row
    text = run_cli("solve", peace_plan_path).stdout
    assert "Bargaining solutions over" in text and "from their reservation values" in text


def test_parties_repeatable_and_comma_separated(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    for command in ("frontier", "solve"):
        a = run_cli(command, peace_plan_path, "-p", "ua,ru", "--json")
        b = run_cli(command, peace_plan_path, "-p", "ua", "--parties", "ru", "--json")
        assert a.code == b.code == 0, (a.stderr, b.stderr)
        assert json.loads(a.stdout) == json.loads(b.stdout)


def test_improve_says_how_open_points_close(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    _, space, _ = _flagship(peace_plan_path)
    index = space.text_ids.index("plan-20")
    result = improve(space, index, k=5)
    open_points = np.flatnonzero(space.texts[index] == UNRESOLVED)
    assert open_points.size and result.improvements
    run = run_cli("improve", peace_plan_path, "--text", "plan-20")
    assert run.code == 0, run.stderr
    assert f"closes {open_points.size} open point" in run.stdout
    first = result.improvements[0].package
    for i in open_points:
        assert f"({space.option_ids[i][first[i]]})" in run.stdout
    assert "closing an open point is not a change" in run.stdout


def test_amend_help_says_text_is_required_and_k_has_a_long_name() -> None:
    for command in ("amend", "improve"):
        run = run_cli(command, "--help")
        assert "Required" in run.stdout and "--top" in run.stdout and "--k " not in run.stdout


def test_amend_reads_as_english_and_states_the_rule(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("amend", peace_plan_path, "--text", "plan-20")
    assert run.code == 0, run.stderr
    assert "'s margins" not in run.stdout and "the margins of Ukraine (ua) and Russia (ru)" in run.stdout
    assert "closes 3 open points too (closing an open point is not a change)" in run.stdout
    assert "the 1 open points" not in run.stdout and "at most 0 agreed" not in run.stdout


def test_evaluate_texts_repeatable_and_comma_separated(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    a = json.loads(run_cli("evaluate", peace_plan_path, "-t", "plan-28,plan-20", "--json").stdout)
    b = json.loads(run_cli("evaluate", peace_plan_path, "-t", "plan-28", "-t", "plan-20",
                           "--json").stdout)
    assert [t["id"] for t in a["texts"]] == ["plan-28", "plan-20"]
    assert a["texts"] == b["texts"]


def test_show_names_open_points_by_label_and_id(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    scenario = load(peace_plan_path)
    run = run_cli("show", peace_plan_path)
    assert run.code == 0, run.stderr
    text = next(t for t in scenario.texts if len(t.positions) < len(scenario.issues))
    issue = next(i for i in scenario.issues if i.id not in text.positions)
    assert f"{issue.title} ({issue.id})" in run.stdout
