"""The tutorial shows what accord really prints: its `accord check` outputs are rerun here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")


def _block_after(marker: str) -> str:
    """The first fenced block after ``marker`` in the tutorial."""
    found = re.search(re.escape(marker) + r".*?```[a-z]*\n(.*?)```", TUTORIAL, re.S)
    assert found, marker
    return found.group(1)


def test_step_1_output_is_what_check_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("job.toml").write_text(_block_after("## 1. Who negotiates"), encoding="utf-8")
    run = run_cli("check", "job.toml")
    assert run.code == 2
    assert run.stderr == _block_after("Run `accord check job.toml`")


def test_step_3_typo_output_is_what_check_prints(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    finished = (ROOT / "examples" / "job-offer.toml").read_text(encoding="utf-8")
    remote = finished.index("[preferences.dana.values.remote]")
    typo = finished[:remote] + finished[remote:].replace("office = 0.0", "offise = 0.0", 1)
    Path("job.toml").write_text(typo, encoding="utf-8")
    run = run_cli("check", "job.toml")
    assert run.code == 2
    assert run.stderr == _block_after("and `accord check` answers:")
