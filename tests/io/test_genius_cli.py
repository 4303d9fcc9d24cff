"""``accord import genius`` / ``accord export genius``, and GENIUS folders given to other commands."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from accord.analysis.nonlinear import scenario_utilities
from accord.io import genius
from accord.io.scenario_file import load
from tests.cli.helpers import run_cli
from tests.io.test_genius_oracle import bid_indices

HOSTILE = Path(__file__).resolve().parent / "hostile_xml"


def test_import_a_domain_file_with_profiles_to_toml(tmp_path: Path) -> None:
    target = tmp_path / "s.toml"
    run = run_cli("import", "genius", HOSTILE / "domain.xml", "--profile",
                  HOSTILE / "profile_ok.xml", "-o", target)
    assert run.code == 0, run.stderr
    assert "imported" in run.stdout
    scenario = load(target)
    assert scenario.preferences["profile_ok"].discount == 0.9
    again = run_cli("import", "genius", HOSTILE / "domain.xml", "--profile",
                    HOSTILE / "profile_ok.xml", "-o", target)
    assert again.code == 2 and "exists" in again.stderr  # never replaced without --force
    forced = run_cli("import", "genius", HOSTILE / "domain.xml", "--profile",
                     HOSTILE / "profile_ok.xml", "-o", target, "--force")
    assert forced.code == 0


def test_import_without_output_prints_toml(tmp_path: Path) -> None:
    run = run_cli("import", "genius", HOSTILE / "domain.xml", "-p", HOSTILE / "profile_ok.xml")
    assert run.code == 0
    assert tomllib.loads(run.stdout)["preferences"]["profile_ok"]["reservation"] == 0.25


@pytest.mark.parametrize("name", ["billion_laughs.xml", "truncated.xml", "profile_unknown_issue.xml",
                                  "deeply_nested.xml", "external_entity.xml"])
def test_hostile_files_exit_2_with_file_and_element(name: str) -> None:
    run = run_cli("import", "genius", HOSTILE / "domain.xml", "-p", HOSTILE / name)
    assert run.code == 2
    assert run.exception is None
    assert "Traceback" not in run.stderr
    line = run.stderr.strip().splitlines()[0]
    assert line.startswith("error: ") and f"{name}: " in line
    assert line.count(": ") >= 2  # file: element/line: message


def test_import_usage_errors(tmp_path: Path) -> None:
    run = run_cli("import", "genius", HOSTILE / "domain.xml")
    assert run.code == 2 and "--profile" in run.stderr
    missing = run_cli("import", "genius", tmp_path / "nothing")
    assert missing.code == 2


def test_export_then_import_round_trip(tmp_path: Path, job_offer_path: Path) -> None:
    out = tmp_path / "genius"
    refused = run_cli("export", "genius", job_offer_path, "-o", out)
    assert refused.code == 2 and "red lines" in refused.stderr
    run = run_cli("export", "genius", job_offer_path, "-o", out, "--drop-red-lines")
    assert run.code == 0, run.stderr
    original = load(job_offer_path)
    again = genius.load_folder(out)
    assert [p.id for p in again.parties] == ["dana", "northwind"]
    assert [i.id for i in again.issues] == [i.id for i in original.issues]
    packages = bid_indices([len(i.options) for i in original.issues]).T
    before = scenario_utilities(original, packages)
    after = scenario_utilities(again, packages)
    assert abs(before - after).max() < 1e-12
    for party in ("dana", "northwind"):
        assert again.preferences[party].reservation == original.preferences[party].reservation
    twice = run_cli("export", "genius", job_offer_path, "-o", out, "--drop-red-lines")
    assert twice.code == 2 and "already has" in twice.stderr


@pytest.mark.shared_data
def test_analysis_commands_accept_a_genius_folder(genius_data: Path) -> None:
    checked = run_cli("check", genius_data / "anac/y2012/FitnessA")
    assert checked.code == 0 and "FitnessA" in checked.stdout
    shown = run_cli("show", genius_data / "other/Jobs")
    assert shown.code == 0


@pytest.mark.shared_data
def test_non_additive_domain_is_refused_by_analysis_with_the_reason(genius_data: Path,
                                                                    tmp_path: Path) -> None:
    imported = run_cli("import", "genius", genius_data / "anac/y2016/SYAgent", "-o",
                       tmp_path / "sy.toml")
    assert imported.code == 0 and "caps at 1" in imported.stdout
    refused = run_cli("evaluate", genius_data / "anac/y2016/SYAgent")
    assert refused.code == 2
    assert "JapanTrip_util1" in refused.stderr and "caps at 1" in refused.stderr


@pytest.mark.shared_data
def test_refused_domain_exits_2_naming_file_and_element(genius_data: Path) -> None:
    run = run_cli("import", "genius", genius_data / "other/web_service")
    assert run.code == 2
    assert "web_service_domain.xml: " in run.stderr
    assert 'issue[@name="Agent_B_revenue"]' in run.stderr
