"""`accord chance` and `accord sensitivity`: the JSON contract, exit statuses, the demo section."""

from __future__ import annotations

import json

from tests.cli.helpers import run_cli


def test_chance_json_contract(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("chance", peace_plan_path, "--samples", "3000", "--seed", "4", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["samples"] == 3000 and data["seed"] == 4
    assert data["p_any_package"] is None
    ids = [text["id"] for text in data["texts"]]
    assert ids == ["plan-28", "geneva-framework", "e3-counter", "plan-20"]
    for text in data["texts"]:
        lo, hi = text["interval"]
        assert 0 <= lo <= text["p_all"] <= hi <= 1
        assert set(text["parties"]) == {"us", "ua", "ru", "eu"}
        assert all(0 <= party["p_accept"] <= 1 for party in text["parties"].values())


def test_chance_any_package_and_text_selection(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("chance", peace_plan_path, "--samples", "2000", "--text", "plan-28",
                  "--any-package", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert [text["id"] for text in data["texts"]] == ["plan-28"]
    assert 0 < data["p_any_package"] < 1
    counts = data["any_package"]
    assert counts["settled_by_bound"] + counts["settled_by_candidate"] + counts["exact_checks"] == 2000


def test_chance_is_the_same_on_the_local_scheduler(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    args = ("chance", peace_plan_path, "--samples", "9000", "--seed", "1", "--any-package", "--json")
    single = run_cli(*args)
    local = run_cli(*args, "--scheduler", "local")
    assert single.code == local.code == 0
    assert single.stdout == local.stdout


def test_chance_table(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("chance", peace_plan_path, "--samples", "1000", "--any-package")
    assert run.code == 0, run.stderr
    out = " ".join(run.stdout.split())   # the table wraps; compare words
    assert "P(deal)" in out and "Ukraine (ua) and Russia (ru)" in out
    assert "28-point plan (plan-28)" in out and "Parties: United States (us)" in out
    assert "P(some package acceptable to Ukraine (ua) and Russia (ru) exists)" in out


def test_bad_options_exit_2_with_one_message(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("chance", peace_plan_path, "--text", "plan28")
    assert run.code == 2 and "did you mean 'plan-28'" in run.stderr
    run = run_cli("chance", peace_plan_path, "--samples", "0")
    assert run.code == 2 and "'--samples' / '-n': expected 1 to 10,000,000, got 0" in run.stderr
    run = run_cli("chance", peace_plan_path, "--scheduler", "cluster")
    assert run.code == 2 and "expected 'local' or tcp://HOST:PORT" in run.stderr
    assert "Traceback" not in run.stderr


def test_sensitivity_json_ranks_estimates(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("sensitivity", peace_plan_path, "--samples", "1000", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    swings = [entry["swing"] for entry in data["estimates"]]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    assert data["targets"][-1] == "any-package"
    assert len(data["estimates"]) == 9  # the flagship's uncertain estimates


def test_sensitivity_without_ranges_is_bad_input(job_offer_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("sensitivity", job_offer_path)
    assert run.code == 2 and "no estimate is uncertain" in run.stderr


def test_demo_prints_deal_probabilities_and_what_they_hinge_on(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("demo", peace_plan_path)
    assert run.code == 0, run.stderr
    assert "How likely is a deal" in run.stdout
    assert "most robust package found is accepted" in run.stdout
    section = run.stdout.split("hinge most on:")[1]
    assert len([line for line in section.splitlines() if "→" in line]) >= 3


def test_robust_json_package_and_amendment(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("robust", peace_plan_path, "--samples", "1500", "--text", "plan-28", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["samples"] == 1500 and data["method"] == "frontier + local search"
    assert len(data["package"]) == 16
    lo, hi = data["interval"]
    assert 0 < lo <= data["p_all"] <= hi < 1
    assert data["texts"]["geneva-framework"] is None  # open points: not a package
    assert all(p is None or p <= data["p_all"] for p in data["texts"].values())
    (amendment,) = data["amendments"]
    assert amendment["text"] == "plan-28" and amendment["p_all"] >= data["p_all"]
    assert len(amendment["changes"]) == amendment["steps"][-1]["changes"]
    assert all(change["from"] != change["to"] for change in amendment["changes"])


def test_robust_table_and_bad_text(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("robust", peace_plan_path, "--samples", "800")
    assert run.code == 0, run.stderr
    assert "Most robust package" in run.stdout and "frontier + local search" in run.stdout
    run = run_cli("robust", peace_plan_path, "--text", "plan28")
    assert run.code == 2 and "did you mean 'plan-28'" in run.stderr


def test_small_percentages_keep_their_digits() -> None:
    from accord.views.numbers import percent as _percent

    assert _percent(0.00037) == "0.037%"
    assert _percent(0.99963) == "99.963%"
    assert _percent(0.0) == "0.0%" and _percent(0.5) == "50.0%" and _percent(1.0) == "100.0%"


def test_sensitivity_sobol_json(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    pytest.importorskip("SALib")
    run = run_cli("sensitivity", peace_plan_path, "--method", "sobol", "--samples", "256", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["method"] == "sobol" and data["runs"] == 256 * (9 + 2)
    assert 0 < data["p"]["any-package"] < 1
    top = data["estimates"][0]
    assert top["total"]["any-package"] >= top["first"]["any-package"] - top["first_conf"]["any-package"]
    assert "reservation" in top["estimate"]
    # texts that no sample accepts have nothing to apportion, and say so
    assert any("plan-28" in note for note in data["notes"])


def test_sensitivity_sobol_falls_back_to_the_tornado_without_salib(peace_plan_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from accord.analysis import sensitivity

    monkeypatch.setattr(sensitivity, "salib_available", lambda: False)
    run = run_cli("sensitivity", peace_plan_path, "--method", "sobol", "--samples", "500", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["method"] == "tornado" and "need SALib" in data["notes"][0]
    run = run_cli("sensitivity", peace_plan_path, "--method", "anova")
    assert run.code == 2 and "'anova' is not one of tornado, sobol" in run.stderr


def test_rounding_noise_at_the_ends_prints_as_0_and_100() -> None:
    from accord.views.numbers import percent as _percent

    assert _percent(1.1e-19) == "0.0%"
    assert _percent(1.0 - 1e-15) == "100.0%"


def test_robust_counts_closures_apart(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    # geneva-framework has open points: closing them is not a change (the amend rule).
    run = run_cli("robust", peace_plan_path, "--samples", "600", "--text", "geneva-framework")
    assert run.code == 0, run.stderr
    assert "closing an open point is not a change" in run.stdout
    assert "closes" in run.stdout and "(open) →" not in run.stdout
