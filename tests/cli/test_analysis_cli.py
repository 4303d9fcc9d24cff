"""`accord frontier|solve|amend|improve`: JSON contracts, answers on the examples, exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.amend import amend
from accord.analysis.bargaining import bargaining_solutions
from accord.analysis.pareto import pareto_frontier
from accord.io.scenario_file import load
from accord.space import compile_scenario
from tests.cli.helpers import run_cli


@pytest.fixture(scope="module")
def peace(peace_plan_path):  # type: ignore[no-untyped-def]
    return compile_scenario(load(peace_plan_path))


def test_frontier_json_contract(job_offer_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("frontier", job_offer_path, "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert list(data)[:4] == ["parties", "exact", "epsilon", "acceptable_only"]
    assert data["parties"] == ["dana", "northwind"]
    assert data["exact"] is True and data["epsilon"] is None
    space = compile_scenario(load(job_offer_path))
    assert len(data["points"]) == len(pareto_frontier(space))
    for point in data["points"]:
        assert len(point["utilities"]) == 2
        assert set(point["positions"]) == set(space.issue_ids)
        package = space.package(point["positions"])
        np.testing.assert_allclose(space.utilities(package), point["utilities"], atol=1e-6)


def test_frontier_parties_acceptable_and_table(peace_plan_path, peace) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("frontier", peace_plan_path, "--parties", "ua,ru", "--acceptable", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["parties"] == ["ua", "ru"] and data["acceptable_only"] is True
    expected = pareto_frontier(peace, ["ua", "ru"], acceptable_only=True)
    assert len(data["points"]) == len(expected)
    table = run_cli("frontier", peace_plan_path, "--acceptable", "--limit", "5")
    assert table.code == 0
    assert "Pareto frontier" in table.stdout and "Ukraine" in table.stdout
    assert "… and " in table.stdout and "more; --limit N or --json" in table.stdout


def test_frontier_epsilon(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("frontier", peace_plan_path, "--epsilon", "0.05", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["exact"] is False and 0 < data["epsilon"] <= 0.05


@pytest.mark.parametrize(("args", "message"), [
    (("--parties", "uaa"), "did you mean 'ua'"),
    (("--parties", "ua,ua"), "listed twice"),
    (("--parties", ","), "at least one party"),
])
def test_frontier_bad_input(peace_plan_path, args, message) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("frontier", peace_plan_path, *args)
    assert run.code == 2
    assert message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("args", "message"), [
    (("--epsilon", "0"), "'--epsilon': expected a number greater than 0 and at most 1, got 0"),
    (("--epsilon", "-0.5"), "'--epsilon': expected a number greater than 0 and at most 1, got -0.5"),
    (("--epsilon", "nan"), "'--epsilon': expected a number greater than 0 and at most 1, got nan"),
    (("--epsilon", "inf"), "'--epsilon': expected a number greater than 0 and at most 1, got inf"),
    (("--epsilon", "1.5"), "at most 1, got 1.5"),
    (("--limit", "0"), "'--limit': expected 1 to 100,000, got 0"),
])
def test_frontier_out_of_range_is_a_usage_error(peace_plan_path, args, message) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("frontier", peace_plan_path, *args)
    assert run.code == 2 and run.exception is None
    assert message in run.stderr and "Traceback" not in run.stderr


def test_solve_answers_the_first_two_questions(peace_plan_path, peace) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("solve", peace_plan_path, "--text", "geneva-framework", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["feasibility"]["feasible"] is True
    assert data["feasibility"]["must_accept"] == ["ua", "ru"]
    assert set(data["solutions"]) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    expected = bargaining_solutions(peace)
    text = peace.texts[peace.text_index("geneva-framework")]
    for name, solution in data["solutions"].items():
        mine = getattr(expected, name)
        assert solution["value"] == pytest.approx(mine.value, abs=1e-6)
        package = peace.package(solution["positions"])
        # Each party's utility in the JSON is the package's utility.
        for party, u in solution["utilities"].items():
            assert peace.utilities(package)[peace.party_index(party)] == pytest.approx(u, abs=1e-6)
        # "changes" lists exactly the agreed points of the text that differ.
        changed = {c["issue"] for c in solution["changes"]}
        assert changed == {peace.issue_ids[i] for i in range(peace.n_issues)
                           if text[i] != -1 and text[i] != package[i]}
        # Every solution is acceptable to the must-accept parties.
        assert peace.acceptable(package)[peace.must_accept].all()


def test_solve_table_is_readable(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("solve", peace_plan_path, "--text", "geneva-framework")
    assert run.code == 0, run.stderr
    for words in ("Yes:", "Nash", "Kalai–Smorodinsky", "egalitarian", "utilitarian", "Ukraine",
                  "Russia", "Security guarantees", "changes"):
        assert words in run.stdout
    assert "means" in run.stderr  # the scenario has ranges: say the means are used


def test_solve_genius_variants(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("solve", peace_plan_path, "--genius", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data["genius"]) == {"genius_nash", "genius_kalai_smorodinsky", "genius_welfare"}


def test_amend_geneva(peace_plan_path, peace) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("amend", peace_plan_path, "--text", "geneva-framework", "--top", "3", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    expected = amend(peace, peace.text_index("geneva-framework"), k=3)
    assert data["min_changes"] == expected.min_changes == len(data["smallest"]["changes"])
    assert len(data["alternatives"]) == 2
    package = peace.package(data["smallest"]["positions"])
    assert peace.acceptable(package)[peace.must_accept].all()
    assert data["open_points"] and {c["issue"] for c in data["smallest"]["closed"]} == \
        set(data["open_points"])
    fewer = data["best_with_fewer_changes"]
    assert fewer is not None and fewer["margin"] < 0
    human = run_cli("amend", peace_plan_path, "--text", "geneva-framework")
    assert human.code == 0
    assert "Smallest amendment" in human.stdout and "Why not fewer" in human.stdout


def test_amend_closest_miss(job_offer_path, tmp_path: Path) -> None:
    # Raise both reservation values out of reach: no package is acceptable.
    source = job_offer_path.read_text(encoding="utf-8")
    source = source.replace("reservation = 0.55", "reservation = 0.95")
    source = source.replace("reservation = 0.5\n", "reservation = 0.9\n")
    path = tmp_path / "hopeless.toml"
    path.write_text(source, encoding="utf-8")
    run = run_cli("amend", path, "--text", "revised", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["smallest"] is None and data["min_changes"] is None
    miss = data["closest_miss"]
    assert miss["feasible"] is False and miss["margin"] < 0
    assert max(miss["lower_reservation_by"].values()) == pytest.approx(-miss["margin"], abs=1e-6)
    human = run_cli("amend", path, "--text", "revised")
    assert human.code == 0 and "No amendment" in human.stdout and "closest" in human.stdout


@pytest.mark.parametrize(("args", "message"), [
    ((), "--text is required"),
    (("--text", "geneva"), "unknown text 'geneva'"),
    (("--text", "plan-28", "--top", "0"), "'--top' / '-k': expected 1 to 1,000, got 0"),
    (("--text", "plan-28", "--top", "1001"), "'--top' / '-k': expected 1 to 1,000, got 1,001"),
])
def test_amend_bad_input(peace_plan_path, args, message) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("amend", peace_plan_path, *args)
    assert run.code == 2
    assert message in run.stderr


def test_improve(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("improve", peace_plan_path, "--text", "plan-20", "--json", "-k", "2")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["partial"] is True and len(data["improvements"]) == 2
    for item in data["improvements"]:
        assert all(g >= -1e-9 for g in item["gains"].values())
        assert any(g > 0 for g in item["gains"].values())
    human = run_cli("improve", peace_plan_path, "--text", "plan-20")
    assert human.code == 0 and "Pareto improvements" in human.stdout
    unknown = run_cli("improve", peace_plan_path, "--text", "nope")
    assert unknown.code == 2


def test_demo_answers_the_mediators_three_questions(peace_plan_path: Path) -> None:
    result = run_cli("demo", peace_plan_path)
    assert result.code == 0, result.stderr
    assert "Where a deal can be" in result.stdout
    assert "some package is acceptable" in result.stdout  # feasibility
    assert "Nash" in result.stdout and "Kalai" in result.stdout  # fairest packages
    assert "plan-20" in result.stdout  # the amendment is to the latest text
