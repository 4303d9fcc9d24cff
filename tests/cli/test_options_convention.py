"""One convention for multi-valued options: repeated or comma-separated, on every command."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import run_cli

FLAGSHIP = Path(__file__).resolve().parents[2] / "examples" / "peace-plan-2025" / "scenario.toml"


def test_chart_parties_comma_separated_and_repeated_draw_the_same(tmp_path: Path) -> None:
    comma = run_cli("chart", str(FLAGSHIP), "frontier", "-p", "ua,ru", "-o", str(tmp_path / "a.svg"))
    repeated = run_cli("chart", str(FLAGSHIP), "frontier", "-p", "ua", "-p", "ru",
                       "-o", str(tmp_path / "b.svg"))
    assert comma.code == 0 and repeated.code == 0, (comma.stderr, repeated.stderr)
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_json_usage_error_is_json_on_stdout() -> None:
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "accord", "frontier", str(FLAGSHIP), "--bogus",
                           "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert "--bogus" in error["message"] and error["file"] is None
