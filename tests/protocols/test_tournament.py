"""Tournaments: worker-count invariance, the CSV table, the summary, the TOML config."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from accord.protocols.alternating import alternate
from accord.protocols.tournament import TournamentConfigError, read_config, run_tournament
from tests.cli.helpers import run_cli


def _loaded(config, s: int):  # type: ignore[no-untyped-def]
    from accord.protocols.tournament import _compile, _read_scenario

    item = _compile(config, config.scenarios[s], _read_scenario(config.scenarios[s]))
    return item.domain, item.order


def _config(tmp_path: Path, job_offer_path: Path, body: str = "") -> Path:
    path = tmp_path / "t.toml"
    path.write_text(body or (
        'rounds = 40\nseeds = [0, 5, 9]\nstrategies = ["boulware", "conceder", "random"]\n'
        f'[[scenarios]]\nfile = "{job_offer_path}"\nparties = ["northwind", "dana"]\n'))
    return path


def test_results_identical_for_any_worker_count(tmp_path: Path, job_offer_path: Path) -> None:
    config = read_config(_config(tmp_path, job_offer_path))
    serial = run_tournament(config, workers=1)
    parallel = run_tournament(config, workers=2)
    assert len(serial.runs) == 3 * 3 * 3
    assert serial.runs == parallel.runs
    assert serial.to_csv() == parallel.to_csv()
    assert serial.summary == parallel.summary


def test_each_run_is_the_single_run_with_its_seed(tmp_path: Path, job_offer_path: Path) -> None:
    config = read_config(_config(tmp_path, job_offer_path))
    result = run_tournament(config)
    domain, order = _loaded(config, 0)
    assert [domain.party_ids[p] for p in order] == ["northwind", "dana"]
    for record in result.runs[::5]:
        single = alternate(domain, record.profile, negotiators=order, rounds=40,
                           seed=record.seed)
        assert record.agreement == single.agreement
        assert record.utilities == tuple(single.utilities[list(order)].tolist())


def test_summary_means_and_intervals(tmp_path: Path, job_offer_path: Path) -> None:
    result = run_tournament(read_config(_config(tmp_path, job_offer_path)))
    rows = list(csv.DictReader(io.StringIO(result.to_csv())))
    assert len(rows) == len(result.runs)
    for summary in result.summary:
        utilities = [float(r[f"utility_{k}"]) for r in rows for k in (1, 2)
                     if r[f"strategy_{k}"] == summary.strategy]
        assert summary.n == len(utilities)
        assert summary.mean_utility == pytest.approx(np.mean(utilities), abs=1e-6)
        half = stats.t.ppf(0.975, len(utilities) - 1) * np.std(utilities, ddof=1) / np.sqrt(
            len(utilities))
        assert summary.utility_ci == pytest.approx(half, abs=1e-5)
        involved = [r for r in rows if summary.strategy in (r["strategy_1"], r["strategy_2"])]
        assert summary.agreement_rate == pytest.approx(
            np.mean([int(r["agreement"]) for r in involved]))
        assert summary.mean_distance_to_frontier is not None


@pytest.mark.parametrize(("body", "message"), [
    ('seeds = 3\nstrategies = ["bulware"]\n[[scenarios]]\nfile = "x.toml"\n',
     "did you mean 'boulware'"),
    ('seeds = 0\nstrategies = ["linear"]\n', "seeds must be"),
    ('strategies = ["linear"]\n[[scenarios]]\nfile = "missing.toml"\n', "not found"),
    ('strategies = ["linear"]\nround = 3\n', "unknown key 'round'"),
])
def test_config_errors_name_file_and_key(tmp_path: Path, job_offer_path: Path, body: str,
                                         message: str) -> None:
    path = _config(tmp_path, job_offer_path, body)
    with pytest.raises(TournamentConfigError, match=message):
        read_config(path)
    run = run_cli("tournament", path)
    assert run.code == 2 and message in run.stderr and str(path) in run.stderr


def test_tournament_cli_csv_and_json(tmp_path: Path, job_offer_path: Path) -> None:
    path = _config(tmp_path, job_offer_path)
    out = tmp_path / "runs.csv"
    run = run_cli("tournament", path, "--out", out, "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["runs"] == 27 and {s["strategy"] for s in data["summary"]} == {
        "boulware", "conceder", "random"}
    assert out.read_text().startswith("run,protocol,scenario,seed,agreement")
    again = run_cli("tournament", path, "--out", out)
    assert again.code == 2 and "--force" in again.stderr
    table = run_cli("tournament", path)
    assert table.code == 0 and "mean utility" in table.stdout


def test_example_config_reads(examples_dir: Path) -> None:
    config = read_config(examples_dir / "tournament" / "job-offer.toml")
    assert config.seeds == tuple(range(8)) and len(config.strategies) == 5
    every = read_config(examples_dir / "tournament" / "all-protocols.toml")
    assert every.protocols == ("alternate", "mediate", "shuttle")
    assert every.scenarios[0].start == "plan-28" and len(every.scenarios[0].orders) == 2


def _all_protocols(tmp_path: Path, job_offer_path: Path, peace_plan_path: Path) -> Path:
    path = tmp_path / "all.toml"
    path.write_text(
        'protocols = ["alternate", "mediate", "shuttle"]\nrounds = 20\nseeds = [1, 4]\n'
        'strategies = ["boulware", "conceder"]\n'
        '[mediate]\nmediators = ["random", "annealing", "informed"]\n'
        'voters = ["hill-climber", "annealer"]\nproposals = 60\n'
        '[shuttle]\nmax_asks = [1, 3]\n'
        'rounds = 3\n'
        f'[[scenarios]]\nfile = "{peace_plan_path}"\nstart = "plan-28"\n'
        'orders = [["ua", "ru"], ["ua", "eu", "ru"]]\n'
        f'[[scenarios]]\nfile = "{job_offer_path}"\nparties = ["dana", "northwind"]\n')
    return path


def test_every_protocol_runs_and_each_run_is_its_single_run(
        tmp_path: Path, job_offer_path: Path, peace_plan_path: Path) -> None:
    from accord.protocols.mediation import mediate
    from accord.protocols.shuttle import shuttle
    from accord.protocols.tournament import _restricted

    path = _all_protocols(tmp_path, job_offer_path, peace_plan_path)
    config = read_config(path)
    config = type(config)(**{**config.__dict__, "protocols": ("mediate", "shuttle")})
    result = run_tournament(config)
    # mediate: (2 × 2 voter profiles for random and informed + 1 annealing) × 2 seeds;
    # shuttle: a real starting text (plan-28; the job offer's first complete text,
    # "offer") makes it deterministic, so one run per (order, asks).
    by = {(r.protocol, r.scenario) for r in result.runs}
    assert by == {("mediate", 0), ("mediate", 1), ("shuttle", 0), ("shuttle", 1)}
    mediated = [r for r in result.runs if r.protocol == "mediate" and r.scenario == 0]
    assert len(mediated) == (4 + 4 + 1) * 2
    assert {r.profile for r in mediated if r.profile[0].startswith("annealing")} == {
        ("annealing/hill-climber", "annealing/hill-climber")}
    assert len([r for r in result.runs if r.protocol == "shuttle" and r.scenario == 1]) == 2
    shuttled = [r for r in result.runs if r.protocol == "shuttle" and r.scenario == 0]
    assert [r.profile[0] for r in shuttled] == ["ua>ru asks 1", "ua>ru asks 3",
                                               "ua>eu>ru asks 1", "ua>eu>ru asks 3"]
    domain, order = _loaded(config, 0)
    columns = list(order)
    for record in mediated[::3]:
        mediator = record.profile[0].split("/")[0]
        voters = tuple(label.split("/")[1] for label in record.profile)
        single = mediate(_restricted(domain, order), voters=voters, mediator=mediator,
                         proposals=60, seed=record.seed)
        agreement = domain.agreement(single.text)
        assert record.agreement == agreement
        expected = single.utilities if agreement else domain.reservation[columns]
        assert record.utilities == tuple(np.asarray(expected).tolist())
    start = domain.space.texts[domain.space.text_index("plan-28")]
    for record in shuttled:
        meeting = [domain.party_ids.index(p) for p in record.profile[0].split(" ")[0].split(">")]
        asks = int(record.profile[0].rsplit(" ", 1)[1])
        single = shuttle(domain, start, meeting, rounds=3, max_asks=asks)
        assert record.agreement == single.agreement
        assert record.rounds == sum(v >= 0 for v in single.visited)
    protocols = {s.protocol for s in result.summary}
    assert protocols == {"mediate", "shuttle"}
    for record in result.runs:
        # GENIUS: welfare is the discounted agreement utilities' sum, 0 without agreement.
        expected = sum(record.discounted_utilities) if record.agreement else 0.0
        assert record.genius_social_welfare == pytest.approx(expected)
    for summary in result.summary:
        involved = [r for r in result.runs if r.protocol == summary.protocol
                    and result.scenario_names[r.scenario] == summary.scenario
                    and summary.strategy in r.profile]
        assert summary.agreement_rate == pytest.approx(np.mean([r.agreement for r in involved]))


def test_all_protocols_identical_in_processes(tmp_path: Path, job_offer_path: Path,
                                              peace_plan_path: Path) -> None:
    from accord.protocols.tournament import process_runner

    config = read_config(_all_protocols(tmp_path, job_offer_path, peace_plan_path))
    config = type(config)(**{**config.__dict__, "seeds": (1,)})
    serial = run_tournament(config)
    parallel = run_tournament(config, runner=process_runner(2))
    assert {r.protocol for r in serial.runs} == {"alternate", "mediate", "shuttle"}
    assert serial.runs == parallel.runs and serial.to_csv() == parallel.to_csv()


@pytest.mark.parametrize(("body", "message"), [
    ('protocols = ["shutle"]\n', "did you mean 'shuttle'"),
    ('protocols = ["mediate"]\n[mediate]\nvoter = ["annealer"]\n', "unknown key 'voter'"),
    ('protocols = ["mediate"]\n[mediate]\nmediators = ["anealing"]\n',
     "did you mean 'annealing'"),
    ('protocols = ["shuttle"]\n[shuttle]\nmax_asks = [0]\n', "max_asks must be"),
])
def test_protocol_config_errors(tmp_path: Path, job_offer_path: Path, body: str,
                                message: str) -> None:
    path = _config(tmp_path, job_offer_path, body + f'[[scenarios]]\nfile = "{job_offer_path}"\n')
    with pytest.raises(TournamentConfigError, match=message):
        read_config(path)
    run = run_cli("tournament", path)
    assert run.code == 2 and message in run.stderr


def test_unknown_shuttle_party_and_start_exit_2(tmp_path: Path, peace_plan_path: Path) -> None:
    for table, message in (('orders = [["ua", "rus"]]', "unknown party 'rus'"),
                           ('start = "plan-29"', "did you mean 'plan-20'")):
        path = tmp_path / "t.toml"
        path.write_text(f'protocols = ["shuttle"]\n'
                        f'[[scenarios]]\nfile = "{peace_plan_path}"\n{table}\n')
        run = run_cli("tournament", path)
        assert run.code == 2 and message in run.stderr, run.stderr


def test_cli_scheduler_local_matches_and_bad_scheduler_exit_2(tmp_path: Path,
                                                              job_offer_path: Path) -> None:
    path = _config(tmp_path, job_offer_path)
    here = run_cli("tournament", path, "--json")
    local = run_cli("tournament", path, "--json", "--scheduler", "local", "--workers", "2")
    assert local.code == 0, local.stderr
    assert json.loads(local.stdout) == json.loads(here.stdout)
    bad = run_cli("tournament", path, "--scheduler", "udp://x")
    assert bad.code == 2 and "expected 'local' or tcp://HOST:PORT" in bad.stderr
