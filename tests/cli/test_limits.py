"""Every option that sets an amount of work has a range; outside it: exit 2 naming both.

Also the command-line misuse cases of each command family (unknown option,
missing argument, bad value): exit 2 with click's message, never a traceback.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from accord.cli.common import MAX_WORKERS
from tests.cli.helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
JOB = str(ROOT / "examples" / "job-offer.toml")
CONFIG = str(ROOT / "examples" / "tournament" / "job-offer.toml")
CORPUS = ROOT / "tests" / "data" / "malformed" / "cli"

#: (command line, the words the message must hold: the option and its range)
OUT_OF_RANGE: list[tuple[tuple[str, ...], str]] = [
    (("tournament", CONFIG, "--workers", "1000000"), f"'--workers': expected 1 to {MAX_WORKERS}, got 1,000,000"),
    (("tournament", CONFIG, "--workers", "0"), f"'--workers': expected 1 to {MAX_WORKERS}, got 0"),
    (("simulate", JOB, "--rounds", "0"), "'--rounds': expected 1 to 100,000, got 0"),
    (("simulate", JOB, "--rounds", "1000000000"), "'--rounds': expected 1 to 100,000, got 1,000,000,000"),
    (("simulate", JOB, "--proposals", "-1"), "'--proposals': expected 0 to 1,000,000, got -1"),
    (("simulate", JOB, "--proposals", "10000000"), "'--proposals': expected 0 to 1,000,000"),
    (("simulate", JOB, "--max-asks", "0"), "'--max-asks': expected 1 to 1,000, got 0"),
    (("simulate", JOB, "--seed", "-1"), "'--seed': expected 0 to 4,294,967,295, got -1"),
    (("chance", JOB, "--samples", "0"), "'--samples' / '-n': expected 1 to 10,000,000, got 0"),
    (("chance", JOB, "-n", "100000000"), "'--samples' / '-n': expected 1 to 10,000,000"),
    (("chance", JOB, "--seed", "-1"), "'--seed': expected 0 to 4,294,967,295, got -1"),
    (("chance", JOB, "--seed", str(2**32)), "'--seed': expected 0 to 4,294,967,295"),
    (("sensitivity", JOB, "--samples", "1000000"), "'--samples' / '-n': expected 1 to 100,000"),
    (("sensitivity", JOB, "--top", "-1"), "'--top' / '-k': expected 1 to 100,000, got -1"),
    (("robust", JOB, "--samples", "1000000"), "'--samples' / '-n': expected 1 to 100,000"),
    (("robust", JOB, "--seed", "-5"), "'--seed': expected 0 to"),
    (("frontier", JOB, "--limit", "-1"), "'--limit': expected 1 to 100,000, got -1"),
    (("frontier", JOB, "--epsilon", "1e-400"), "'--epsilon': expected a number greater than 0"),
    (("frontier", JOB, "--epsilon", "2"), "'--epsilon': expected a number greater than 0 and at most 1"),
    (("amend", JOB, "--text", "offer", "--top", "100000"), "'--top' / '-k': expected 1 to 1,000"),
    (("improve", JOB, "--text", "offer", "-k", "0"), "'--top' / '-k': expected 1 to 1,000, got 0"),
    (("forecast", JOB, "--seed", "-1"), "'--seed': expected 0 to"),
    (("backtest", "deu3.tsv", "--seed", "-1"), "'--seed': expected 0 to"),
    (("serve", "--workers", "1000000"), "'--workers' / '-w': expected 1 to"),
    (("serve", "--port", "0"), "'--port' / '-p': expected 1 to 65,535, got 0"),
]


@pytest.mark.parametrize(("args", "words"), OUT_OF_RANGE, ids=lambda v: " ".join(v[:1] + v[2:])
                         if isinstance(v, tuple) else "")
def test_out_of_range_is_refused_before_any_work(args: tuple[str, ...], words: str) -> None:
    started = time.monotonic()
    run = run_cli(*args)
    assert run.exception is None, run.exception
    assert run.code == 2, (run.code, run.stderr)
    assert words in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert time.monotonic() - started < 10


def test_sobol_has_its_own_smaller_base() -> None:
    peace = str(ROOT / "examples" / "peace-plan-2025" / "scenario.toml")
    run = run_cli("sensitivity", peace, "--method", "sobol", "--samples", "50000")
    if "SALib" in run.stderr or "SALib" in run.stdout:
        pytest.skip("SALib is not installed: sobol falls back to the tornado")
    assert run.code == 2 and "at most 16,384" in run.stderr, run.stderr


def test_the_ranges_are_in_the_help() -> None:
    run = run_cli("chance", "--help")
    assert "Range: 1 to 10,000,000." in " ".join(run.stdout.split())
    run = run_cli("tournament", "--help")
    assert f"Range: 1 to {MAX_WORKERS}." in " ".join(run.stdout.split())


#: Regression files (tests/data/malformed/cli): file -> (command, words of the message)
REGRESSIONS: dict[str, tuple[str, str]] = {
    "cli-6-divide-huge-exponent.csv": ("divide", 'line 2, column carol: expected a whole number or a fraction, got "1e999999999"'),
    "cli-6-divide-infinite.toml": ("divide", "items[0].points.carol: expected a whole number or a fraction, got inf"),
    "cli-6-divide-over-100.csv": ("divide", "points must be from 0 to 100, got 150"),
    "cli-6-tournament-seeds-huge.toml": ("tournament", "seeds must be a count from 1 to 10,000"),
    "cli-6-tournament-rounds-huge.toml": ("tournament", "rounds must be a whole number from 1 to 100,000, got 1000000000"),
    "cli-6-tournament-too-many-runs.toml": ("tournament", "would make 1,250,000 runs"),
    "cli-10-tournament-date-seeds.toml": ("tournament", "got 2026-01-01"),
    "cli-10-tournament-table-strategy.toml": ("tournament", "unknown strategy a table"),
}


def test_every_regression_file_is_listed() -> None:
    listed = {name for name in REGRESSIONS} | {"cli-7-hostile-text.toml", "cli-7-lone-surrogate.json"}
    assert {p.name for p in CORPUS.iterdir()} == listed


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_regression_file_is_refused_with_the_range(name: str) -> None:
    command, words = REGRESSIONS[name]
    started = time.monotonic()
    run = run_cli(command, CORPUS / name, "--json")
    assert run.exception is None, run.exception
    assert run.code == 2, (run.code, run.stderr)
    assert words in run.stderr, run.stderr
    assert "datetime" not in run.stderr and "{'" not in run.stderr
    assert time.monotonic() - started < 10


#: Misuse of each command family: (command line, words of click's message)
MISUSE: list[tuple[tuple[str, ...], str]] = [
    (("check",), "Missing argument"),
    (("check", JOB, "--nope"), "No such option: --nope"),
    (("evaluate", JOB, "--text"), "requires an argument"),
    (("frontier", JOB, "--limit", "many"), "'--limit'"),
    (("chance", JOB, "--samples", "1e6"), "'--samples' / '-n'"),
    (("simulate", JOB, "--bracket", "--no-such"), "No such option"),
    (("tournament",), "Missing argument"),
    (("divide",), "Missing argument"),
    (("export", "genius", JOB), "Missing option '--output'"),
    (("import", "genius"), "Missing argument"),
    (("report", JOB, "--sobol=yes"), "does not take a value"),
    (("forecast", JOB, "-m"), "requires an argument"),
    (("serve", "--port", "http"), "'--port' / '-p'"),
    (("no-such-command",), "No such command 'no-such-command'"),
]


@pytest.mark.parametrize(("args", "words"), MISUSE, ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_misuse_is_a_usage_error(args: tuple[str, ...], words: str) -> None:
    run = run_cli(*args)
    assert run.exception is None, run.exception
    assert run.code == 2, (run.code, run.stdout, run.stderr)
    assert words in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(("error", "words"), [(MemoryError, "too large to process"),
                                              (RecursionError, "nested too deeply")])
def test_memory_and_recursion_errors_are_the_inputs_problem(
        monkeypatch: pytest.MonkeyPatch, error: type[BaseException], words: str) -> None:
    import accord.cli.scenario_cmds as commands

    def exhausted(path: Path) -> None:
        raise error()

    monkeypatch.setattr(commands, "open_scenario", exhausted)
    run = run_cli("check", JOB)
    assert run.exception is None and run.code == 2, (run.code, run.stderr)
    assert f"error: {JOB}: the input is {words}" in run.stderr
    assert "internal error" not in run.stderr
