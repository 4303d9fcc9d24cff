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
    from accord.protocols.tournament import _load_domain

    config = read_config(_config(tmp_path, job_offer_path))
    result = run_tournament(config)
    domain, order, _ = _load_domain(config.scenarios[0])
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
    assert out.read_text().startswith("run,scenario,seed,agreement")
    again = run_cli("tournament", path, "--out", out)
    assert again.code == 2 and "--force" in again.stderr
    table = run_cli("tournament", path)
    assert table.code == 0 and "mean utility" in table.stdout


def test_example_config_reads(examples_dir: Path) -> None:
    config = read_config(examples_dir / "tournament" / "job-offer.toml")
    assert config.seeds == tuple(range(8)) and len(config.strategies) == 5
