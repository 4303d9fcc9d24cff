"""`accord divide` and `accord simulate`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import run_cli


def test_divide_json_worked_check(examples_dir: Path) -> None:
    run = run_cli("divide", examples_dir / "divide-retirement.toml", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["allocation"]["retirement"] == {"carol": "5/6", "bob": "1/6"}
    assert data["allocation"]["cottage"] == {"carol": "1", "bob": "0"}
    assert data["scores"] == {"carol": "170/3", "bob": "170/3"}


def test_divide_text_and_csv(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("item,ann,ben\nhouse,60,50\ncar,40,50\n")
    run = run_cli("divide", path)
    assert run.code == 0, run.stderr
    assert "scores: ann" in run.stdout


def test_divide_bad_points_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('parties = ["carol", "bob"]\n[[items]]\nid = "x"\n'
                    'points = { carol = 100, bob = 90 }\n')
    run = run_cli("divide", path)
    assert run.code == 2
    assert "p.toml" in run.stderr and "'bob': points sum to 90, expected 100" in run.stderr
    assert "Traceback" not in run.stderr
    assert run_cli("divide", tmp_path / "missing.toml").code == 2


def test_simulate_shuttle_flagship(peace_plan_path: Path, tmp_path: Path) -> None:
    trace = tmp_path / "t.jsonl"
    run = run_cli("simulate", peace_plan_path, "--protocol", "shuttle", "--json",
                  "--trace", trace)
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["start"] == "plan-28" and data["order"] == ["ua", "ru"]
    texts = {c["text"] for c in data["comparison"]}
    assert {"geneva-framework", "plan-20"} <= texts
    geneva = next(c for c in data["comparison"] if c["text"] == "geneva-framework")
    # Point by point over all 16 points, for the best-matching version.
    points = geneva["point_by_point"]
    assert len(points) == 16 and geneva["points"] == 16
    assert sum(p["match"] for p in points) == geneva["matches_all_points"][
        geneva["best_version"]]
    best = data["versions"][geneva["best_version"]]
    for point in points:
        # an open point is null in both (the positions of every view name every point)
        assert point["simulated"] == best["positions"][point["issue"]]
    assert data["versions"][1]["bracketed"] == ["donetsk"]
    assert json.loads(trace.read_text().splitlines()[0])["protocol"] == "shuttle"
    assert run_cli("simulate", peace_plan_path, "--trace", trace).code == 2
    text = run_cli("simulate", peace_plan_path)
    assert text.code == 0 and "geneva-framework" in text.stdout
    assert "Point by point: version" in text.stdout and "opened donetsk" in text.stdout


def test_simulate_mediate_reproducible(job_offer_path: Path) -> None:
    args = ("simulate", job_offer_path, "--protocol", "mediate", "--mediator", "random",
            "--voters", "annealer", "--proposals", "200", "--seed", "4", "--json")
    first, second = run_cli(*args), run_cli(*args)
    assert first.code == 0, first.stderr
    assert first.stdout == second.stdout


def test_simulate_bad_options_exit_2(peace_plan_path: Path) -> None:
    run = run_cli("simulate", peace_plan_path, "--protocol", "shutle")
    assert run.code == 2 and "did you mean" in run.stderr
    assert run_cli("simulate", peace_plan_path, "--order", "ua,rx").code == 2
    assert run_cli("simulate", peace_plan_path, "--start", "plan-99").code == 2
    assert run_cli("simulate", peace_plan_path, "--start", "plan-20").code == 2


def test_simulate_alternate_json_and_trace(job_offer_path: Path, tmp_path: Path) -> None:
    trace = tmp_path / "run.jsonl"
    args = ("simulate", job_offer_path, "--protocol", "alternate", "--strategies",
            "boulware,conceder", "--rounds", "50", "--seed", "3", "--json")
    run = run_cli(*args, "--trace", trace)
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["agreement"] and data["negotiators"] == ["dana", "northwind"]
    assert data["metrics"]["distance_to_frontier"] >= 0
    lines = trace.read_text().splitlines()
    assert json.loads(lines[0])["protocol"] == "alternate/rubinstein"
    assert json.loads(lines[-1])["kind"] == "agreement"
    again = run_cli(*args)
    assert json.loads(again.stdout) == data
    text = run_cli("simulate", job_offer_path, "--protocol", "alternate", "--rounds", "50")
    assert text.code == 0 and "distance to the Nash point" in text.stdout


def test_simulate_alternate_bad_options_exit_2(job_offer_path: Path) -> None:
    run = run_cli("simulate", job_offer_path, "--protocol", "alternate", "--strategies", "bulware")
    assert run.code == 2 and "did you mean 'boulware'" in run.stderr
    run = run_cli("simulate", job_offer_path, "--protocol", "alternate", "--parties", "dana,bob")
    assert run.code == 2 and "unknown party 'bob'" in run.stderr
