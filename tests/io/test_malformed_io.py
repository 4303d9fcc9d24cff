"""The io-* files of tests/data/malformed: each is refused by `check` with exit 2 and one precise message.

(The model's corpus, *.toml in the same folder, is checked by tests/model/test_malformed.py;
these files are XML and JSON, so the two never overlap.)
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli

CORPUS = Path(__file__).resolve().parents[1] / "data" / "malformed"
HOSTILE = Path(__file__).resolve().parent / "hostile_xml"

#: file name -> (place the message names, words it must contain)
EXPECTED: dict[str, tuple[str, str]] = {
    "io-2-depth-bypass.xml": ("line 1", "elements are nested more than 100 levels deep"),
    "io-2-unclosed-bang.xml": ("line 1, column 1", "malformed XML"),
    "io-10-utf16be-profile.xml": ("", "is UTF-16 text; GENIUS reads its XML files as UTF-8"),
    "io-10-utf16-scenario.json": ("", "is UTF-16 text; save it as UTF-8"),
}


def test_every_io_file_has_an_expectation() -> None:
    assert {p.name for p in CORPUS.glob("io-*")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_io_regression_file(name: str) -> None:
    where, words = EXPECTED[name]
    path = CORPUS / name
    started = time.perf_counter()
    if path.suffix == ".xml":  # a profile: read against a valid domain
        run = run_cli("import", "genius", str(HOSTILE / "domain.xml"), "-p", str(path))
    else:
        run = run_cli("check", str(path))
    assert time.perf_counter() - started < 10  # a hang guard, not a benchmark
    assert run.code == 2, (run.code, run.stderr)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    prefix = f"error: {path}: {where}: " if where else f"error: {path}: "
    assert any(line.startswith(prefix) and words in line for line in run.stderr.splitlines()), \
        run.stderr
