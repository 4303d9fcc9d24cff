"""Every command that handles links runs on a scenario with terms and package deals.

``tests/data/job-offer-terms.toml`` is the job offer with a ``requires``, an
``excludes`` and two interaction terms (and two ranged estimates, so that the
sampling commands sample).  The numbers each command prints are checked
against enumeration in ``tests/analysis/test_terms*.py``; here, that each one
answers (exit 0, no traceback) and that its JSON agrees with the library.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli

LINKED = Path(__file__).parents[1] / "data" / "job-offer-terms.toml"


@pytest.mark.parametrize("args", [
    ("evaluate",), ("diff", "offer", "counter"), ("frontier",), ("solve",),
    ("amend", "--text", "revised"), ("improve", "--text", "revised"),
    ("chance", "--samples", "500", "--any-package"), ("robust", "--samples", "300"),
    ("sensitivity", "--samples", "300"),
    ("simulate", "--protocol", "shuttle"), ("simulate", "--protocol", "mediate"),
    ("simulate", "--protocol", "alternate"),
])
def test_the_command_answers_a_scenario_with_links(args: tuple[str, ...]) -> None:
    run = run_cli(args[0], LINKED, *args[1:])
    assert run.exception is None, run.exception
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr and "reads only the additive part" not in run.stderr


def test_solve_json_is_the_nash_package_of_the_library() -> None:
    from accord.analysis.bargaining import bargaining_solutions
    from accord.io.scenario_file import load
    from accord.space import compile_scenario

    run = run_cli("solve", LINKED, "--json")
    assert run.code == 0, run.stderr
    document = json.loads(run.stdout)
    space = compile_scenario(load(LINKED))
    solved = bargaining_solutions(space)
    nash = solved.package(solved.nash)
    assert nash is not None
    shown = document["solutions"]["nash"]
    assert shown["positions"] == space.positions(nash)
    assert shown["value"] == pytest.approx(solved.nash.value, abs=1e-4)


def test_the_commands_not_term_aware_yet_refuse_clearly(tmp_path: Path) -> None:
    run = run_cli("report", LINKED, "-o", tmp_path / "report.html")
    assert run.code == 2 and "Traceback" not in run.stderr
    assert "interaction terms" in run.stderr
