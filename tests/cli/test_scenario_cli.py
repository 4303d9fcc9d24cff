"""The command line over the tutorial example: contracts, exit status, and the installed script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli


def test_check_ok(job_offer_path: Path) -> None:
    result = run_cli("check", job_offer_path)
    assert result.code == 0
    assert "ok" in result.stdout and "3 parties, 5 issues" in result.stdout


def test_evaluate_json_contract(job_offer_path: Path) -> None:
    result = run_cli("evaluate", job_offer_path, "--json")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [t["id"] for t in data["texts"]] == ["offer", "counter", "revised"]
    for text in data["texts"]:
        for verdict in text["parties"].values():
            low, high = verdict["utility"]
            assert low <= high
            assert verdict["acceptable"] in (True, False, None)
            assert isinstance(verdict["reasons"], list)
            if not text["open_points"]:
                assert low == high
    revised = data["texts"][2]["parties"]
    assert revised["northwind"]["acceptable"] is None
    assert revised["northwind"]["utility"] == pytest.approx([0.48, 0.58])  # full precision
    offer = data["texts"][0]["parties"]["dana"]
    assert offer["acceptable"] is False
    assert offer["reasons"][0] == {
        "kind": "red_line", "issue": "remote", "option": "office",
        "message": "red line: Where Dana works = Five days in the office"}


def test_evaluate_selected_text_and_check_exit_status(job_offer_path: Path) -> None:
    result = run_cli("evaluate", job_offer_path, "--text", "counter", "--json")
    assert [t["id"] for t in json.loads(result.stdout)["texts"]] == ["counter"]
    assert run_cli("evaluate", job_offer_path, "--text", "counter", "--check").code == 1
    assert run_cli("evaluate", job_offer_path, "--text", "counter").code == 0


def test_evaluate_human_output_names_the_blocking_point(job_offer_path: Path) -> None:
    result = run_cli("evaluate", job_offer_path, "--text", "offer")
    assert "rejects" in result.stdout and "red line: Where Dana works" in result.stdout
    assert "smallest fix (2 points)" in result.stdout


def test_unknown_text_suggests(job_offer_path: Path) -> None:
    result = run_cli("evaluate", job_offer_path, "--text", "revisd")
    assert result.code == 2
    assert "unknown text 'revisd' (did you mean 'revised'?)" in result.stderr


def test_diff_two_texts_and_lineage(job_offer_path: Path) -> None:
    result = run_cli("diff", job_offer_path, "counter", "revised", "--json")
    assert result.code == 0
    (step,) = json.loads(result.stdout)["diffs"]
    assert step["from"] == "counter" and step["to"] == "revised"
    bonus = next(c for c in step["changes"] if c["issue"] == "bonus")
    assert bonus == {"issue": "bonus", "kind": "opened", "from": "10k", "to": None,
                     "from_label": "€10,000", "to_label": None}
    lineage = json.loads(run_cli("diff", job_offer_path, "--lineage", "revised", "--json").stdout)
    assert [(d["from"], d["to"]) for d in lineage["diffs"]] == [("offer", "counter"),
                                                                ("counter", "revised")]
    human = run_cli("diff", job_offer_path, "--lineage", "revised").stdout
    assert "gains: northwind +0.37" in human


@pytest.mark.parametrize("args", [
    ("diff", "{f}"),
    ("diff", "{f}", "offer"),
    ("diff", "{f}", "offer", "revised", "--lineage", "revised"),
    ("diff", "{f}", "--lineage", "offer"),
    ("evaluate",),
    ("evaluate", "{f}", "--bogus"),
    ("frobnicate",),
])
def test_usage_errors_exit_2(args: tuple[str, ...], job_offer_path: Path) -> None:
    result = run_cli(*(a.format(f=job_offer_path) for a in args))
    assert result.code == 2, (args, result.code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr


def test_show_lists_everything(job_offer_path: Path) -> None:
    result = run_cli("show", job_offer_path)
    assert result.code == 0
    for words in ("Dana Kim", "Base salary", "€120,000", "Settled points", "Standard employment",
                  "Revised offer"):
        assert words in result.stdout
    as_json = json.loads(run_cli("show", job_offer_path, "--json").stdout)
    assert as_json["scenario"]["title"].startswith("Job offer")


def test_schema_is_json() -> None:
    result = run_cli("schema")
    assert result.code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "accord scenario" and "parties" in schema["properties"]


def _installed_script() -> str:
    script = Path(sys.executable).parent / "accord"
    if script.exists():
        return str(script)
    found = shutil.which("accord")
    if not found:
        pytest.skip("the accord console script is not installed in this environment")
    return found


def test_console_script_end_to_end(job_offer_path: Path, tmp_path: Path) -> None:
    script = _installed_script()
    ok = subprocess.run([script, "evaluate", str(job_offer_path), "--json"],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert len(json.loads(ok.stdout)["texts"]) == 3
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario\n")
    failed = subprocess.run([script, "check", str(bad)], capture_output=True, text=True, timeout=60)
    assert failed.returncode == 2
    assert "Traceback" not in failed.stderr and str(bad) in failed.stderr


def test_help_does_not_import_heavy_modules() -> None:
    """`accord --help` must stay instant: no numpy, scipy or pydantic at import of the CLI."""
    code = ("import sys; import accord.cli; "
            "heavy = [m for m in ('numpy', 'scipy', 'pydantic') if m in sys.modules]; "
            "print(','.join(heavy))")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == ""


def test_evaluate_says_when_ranges_are_taken_at_their_means(job_offer_path: Path,
                                                           peace_plan_path: Path) -> None:
    assert json.loads(run_cli("evaluate", job_offer_path, "--json").stdout)["uses_means"] is False
    flagship = run_cli("evaluate", peace_plan_path, "--json")
    assert json.loads(flagship.stdout)["uses_means"] is True
    assert "evaluated at their means" in run_cli("evaluate", peace_plan_path).stdout


def test_a_folder_without_genius_files_is_refused(tmp_path: Path) -> None:
    result = run_cli("evaluate", tmp_path)
    assert result.code == 2
    assert "is a directory without GENIUS .xml files" in result.stderr


def test_a_scenario_folder_points_to_its_file(tmp_path: Path) -> None:
    # examples/peace-plan-2025/ is a folder with scenario.toml and notes: name the file.
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "scenario.toml").write_text("title = 'x'\n", encoding="utf-8")
    (folder / "README.md").write_text("notes\n", encoding="utf-8")
    result = run_cli("check", folder)
    assert result.code == 2 and result.exception is None
    assert f"did you mean {folder / 'scenario.toml'}?" in result.stderr
    (folder / "other.json").write_text("{}", encoding="utf-8")
    result = run_cli("check", folder)
    assert result.code == 2
    assert "it holds other.json, scenario.toml: give one of them" in result.stderr


def test_chart_and_report_destinations_are_named_as_typed(tmp_path: Path) -> None:
    flagship = Path(__file__).resolve().parents[2] / "examples" / "peace-plan-2025" / "scenario.toml"
    result = run_cli("chart", flagship, "frontier", "-o", tmp_path / "mine.html")
    assert result.code == 2 and "-o/--output needs a file name ending in .png or .svg" in result.stderr
    folder = tmp_path / "out"
    folder.mkdir()
    result = run_cli("report", flagship, "-o", folder)
    assert result.code == 2 and "is a folder" in result.stderr and "--force" not in result.stderr
