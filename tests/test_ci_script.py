"""The CI entry point is a shell script that only CI runs; check it parses here.

A stray edit once left an unclosed backquote in a comment of ``.ci/run``: every
local test passed and CI failed after one second.  ``bash -n`` reads the whole
script without running any of it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_ci_run_parses() -> None:
    script = ROOT / ".ci" / "run"
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_ci_run_ends_in_make_test() -> None:
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert lines[-1] == "make test"
