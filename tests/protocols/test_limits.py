"""Tournament configuration values and divide points have ranges, checked before any work."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from accord.errors import ScenarioError
from accord.protocols.adjusted_winner import check_points, read_points
from accord.protocols.limits import MAX_ROUNDS, MAX_RUNS, MAX_SEEDS, SEED_MAX
from accord.protocols.tournament import (
    TournamentConfigError,
    _tasks,
    count_runs,
    read_config,
    run_tournament,
)

ROOT = Path(__file__).resolve().parents[2]
JOB = ROOT / "examples" / "job-offer.toml"


def _config(tmp_path: Path, head: str, parties: str = '["dana", "northwind"]') -> Path:
    path = tmp_path / "t.toml"
    path.write_text(f'{head}\n[[scenarios]]\nfile = "{JOB}"\nparties = {parties}\n')
    return path


@pytest.mark.parametrize(("head", "words"), [
    (f"seeds = {MAX_SEEDS + 1}", f"seeds must be a count from 1 to {MAX_SEEDS:,}"),
    ("seeds = 0", "got 0"),
    ("seeds = -3", "got -3"),
    (f"seeds = [1, {SEED_MAX + 1}]", f"from 0 to {SEED_MAX:,}, got [1, {SEED_MAX + 1}]"),
    (f"seeds = [{', '.join(['1'] * (MAX_SEEDS + 1))}]", f"got an array of {MAX_SEEDS + 1:,} values"),
    ("seeds = 1.5", "got 1.5"),
    ("seeds = true", "got true"),
    ("seeds = 2026-01-01T10:00:00", "got 2026-01-01T10:00:00"),
    (f'seeds = 2\nstrategies = ["boulware"]\nrounds = {MAX_ROUNDS + 1}',
     f"rounds must be a whole number from 1 to {MAX_ROUNDS:,}"),
    ('seeds = 2\nstrategies = ["boulware"]\nrounds = "100"', 'rounds must be a whole number from 1 to 100,000, got "100"'),
    ('seeds = 2\nstrategies = ["boulware"]\n[mediate]\nproposals = 1000000000',
     "[mediate]: proposals must be a whole number from 1 to 1,000,000"),
    ('seeds = 2\nstrategies = ["boulware"]\n[shuttle]\nrounds = 0', "[shuttle]: rounds must be"),
    ('seeds = 2\nstrategies = ["boulware"]\n[shuttle]\nmax_asks = [1, 100000]',
     "max_asks must be a list of 1 to 100 whole numbers from 1 to 1,000, got [1, 100000]"),
    ('seeds = 2\nstrategies = ["boulware"]\n[shuttle]\nbracket = "yes"', 'bracket must be true or false, got "yes"'),
])
def test_config_values_out_of_range(tmp_path: Path, head: str, words: str) -> None:
    with pytest.raises(TournamentConfigError) as caught:
        read_config(_config(tmp_path, head if "strategies" in head else head + '\nstrategies = ["boulware"]'))
    assert words in str(caught.value)
    assert "datetime" not in str(caught.value)


def test_count_runs_matches_the_tasks(tmp_path: Path) -> None:
    config = read_config(ROOT / "examples" / "tournament" / "all-protocols.toml")
    from accord.protocols.tournament import _loaded_for, _Prepared, _read_scenario

    scenarios = tuple(_read_scenario(entry) for entry in config.scenarios)
    loaded = _loaded_for(_Prepared("x", config, scenarios))
    counted = count_runs(config, [len(item.order) for item in loaded],
                         [item.shuttle_start is not None for item in loaded],
                         [len(item.shuttle_orders) for item in loaded])
    assert counted == len(_tasks(config, loaded)) > 0


def test_too_many_runs_is_refused_up_front(tmp_path: Path) -> None:
    config = read_config(_config(tmp_path, 'seeds = 10000\nstrategies = ["boulware", "conceder", '
                                           '"linear", "random", "tit-for-tat"]',
                                 '["dana", "northwind", "agency"]'.replace(', "agency"', "")))
    # 5 strategies ** 2 negotiators * 10,000 seeds = 250,000: allowed; counted, not run here.
    assert count_runs(config, [2], [False], [0]) == 250_000 <= MAX_RUNS
    assert count_runs(config, [3], [False], [0]) == 1_250_000 > MAX_RUNS
    peace = ROOT / "tests" / "data" / "malformed" / "cli" / "cli-6-tournament-too-many-runs.toml"
    with pytest.raises(TournamentConfigError, match="would make 1,250,000 runs"):
        run_tournament(read_config(peace))


@pytest.mark.parametrize(("cell", "words"), [
    ("1e999999999", 'got "1e999999999"'),
    ("9" * 5000, "got \"" + "9" * 40 + "…\""),
    ("1/0", 'got "1/0"'),
    ("150", "points must be from 0 to 100, got 150"),
    ("-1", "points must be from 0 to 100, got -1"),
])
def test_divide_points_are_bounded(tmp_path: Path, cell: str, words: str) -> None:
    table = tmp_path / "points.csv"
    table.write_text(f"item,carol,bob\nhouse,{cell},50\ncar,50,50\n")
    with pytest.raises(ScenarioError) as caught:
        read_points(table)
    assert any(words in p.message for p in caught.value.problems), caught.value


def test_divide_accepts_fractions_and_decimals(tmp_path: Path) -> None:
    table = tmp_path / "points.csv"
    table.write_text("item,carol,bob\nhouse,100/3,50\ncar,66.5,50\nboat,1/6,0\n")
    parties, points = read_points(table)
    assert points["house"]["carol"] == Fraction(100, 3) and points["car"]["carol"] == Fraction(133, 2)
    assert check_points(parties, points) == []
