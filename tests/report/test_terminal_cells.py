"""The terminal's visual language in solve and chance: coloured values with small bars."""

from __future__ import annotations

from pathlib import Path

from accord.report.terminal import probability_cell, utility_cell
from tests.cli.helpers import run_cli


def _styles(text) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(span.style) for span in text.spans}


def test_utility_cell_colour_says_whether_the_reservation_is_reached() -> None:
    reached = utility_cell(0.6, 0.6, 0.5, width=10)
    assert reached.plain == "0.600 █████│░░░░"
    assert "green" in _styles(reached)
    short = utility_cell(0.3, 0.3, 0.5, width=10)
    assert short.plain.startswith("0.300 ███") and "red" in _styles(short)
    depends = utility_cell(0.3, 0.8, 0.5, width=10)
    assert depends.plain == "0.300–0.800 ███▒▒│▒▒░░" and "yellow" in _styles(depends)


def test_probability_cell_bar_spans_the_interval() -> None:
    cell = probability_cell(0.47, 0.3, 0.6, width=10)
    assert cell.plain == "47.0% ███▒▒▒░░░░"
    assert "yellow" in _styles(cell)  # the interval straddles one half
    assert "green" in _styles(probability_cell(0.9, 0.8, 0.95))
    assert "red" in _styles(probability_cell(0.1, 0.05, 0.2))


def test_solve_and_chance_tables_carry_the_bars(peace_plan_path: Path, job_offer_path: Path) -> None:
    solve = run_cli("solve", job_offer_path)
    assert solve.code == 0, solve.stderr
    assert "│" in solve.stdout and "█" in solve.stdout and "reservation value" in solve.stdout
    chance = run_cli("chance", peace_plan_path, "-n", "300")
    assert chance.code == 0, chance.stderr
    assert "░░░░" in chance.stdout and "more likely than not" in chance.stdout
