"""A non-linear GENIUS domain imported to TOML passes `accord check`; analyses refuse it clearly."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import run_cli


def test_imported_hyperrectangle_domain_checks_and_is_refused_by_analyses(
        genius_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "ten.toml"
    imported = run_cli("import", "genius", genius_data / "anac" / "y2014" / "10issues", "-o", target)
    assert imported.code == 0, imported.stderr
    assert run_cli("check", target).code == 0
    refused = run_cli("frontier", target)
    assert refused.code == 2
    assert "non-linear (hyper-rectangle) utility" in refused.stderr and "Traceback" not in refused.stderr
