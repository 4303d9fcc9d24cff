"""``--plot`` on evaluate, frontier, solve and chance: a real image, drawn without a browser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from tests.cli.helpers import run_cli
from tests.report.pngcheck import png_pixels, png_size

#: (command and its arguments after FILE, example, the chart size the command asks for).
#: Single-view charts use autosize "fit": the PNG is exactly width × height.
CASES = {
    "evaluate": (["evaluate"], "job", (760, 360)),
    "frontier": (["frontier", "--parties", "ua,ru"], "peace", (440, 400)),
    "solve": (["solve"], "job", (440, 400)),
    "chance": (["chance", "-n", "400"], "peace", (760, 320)),
}


def _path(which: str, job_offer_path: Path, peace_plan_path: Path) -> Path:
    return job_offer_path if which == "job" else peace_plan_path


def _assert_drawn(data: bytes, size: tuple[int, int]) -> np.ndarray:
    assert png_size(data) == size
    pixels = png_pixels(data).astype(float)
    assert pixels[..., :3].std() > 20  # not one flat colour
    ink = (pixels[..., :3].min(axis=2) < 200) & (pixels[..., -1] > 0)
    assert ink.any(axis=0).mean() > 0.5  # ink across most of the width
    return pixels


@pytest.mark.parametrize("command", sorted(CASES))
def test_plot_writes_a_png_of_the_chart_size(command: str, tmp_path: Path, job_offer_path: Path,
                                             peace_plan_path: Path) -> None:
    args, which, size = CASES[command]
    target = tmp_path / f"{command}.png"
    run = run_cli(args[0], _path(which, job_offer_path, peace_plan_path), *args[1:],
                  "--plot", target)
    assert run.code in (0, 1), run.stderr  # 1: the analysis said no (evaluate --check only)
    assert run.exception is None
    _assert_drawn(target.read_bytes(), size)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


def test_solve_plot_marks_the_solutions(tmp_path: Path, peace_plan_path: Path) -> None:
    target = tmp_path / "solve.svg"
    run = run_cli("solve", peace_plan_path, "--parties", "ua,ru", "--plot", target)
    assert run.code == 0, run.stderr
    drawing = target.read_text()
    assert ET.fromstring(drawing).tag.endswith("svg")
    for name in ("Nash", "Kalai–Smorodinsky", "utilitarian", "egalitarian", "plan-20"):
        assert name in drawing, name


def test_frontier_plot_of_more_parties_is_a_grid_of_pairs(tmp_path: Path,
                                                          peace_plan_path: Path) -> None:
    from accord.analysis.pareto import pareto_frontier
    from accord.io.scenario_file import load
    from accord.report.plots import frontier_plot
    from accord.space import compile_scenario

    target = tmp_path / "grid.png"
    run = run_cli("frontier", peace_plan_path, "--parties", "us,ua,ru", "--acceptable",
                  "--plot", target)
    assert run.code == 0, run.stderr
    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    spec = frontier_plot(scenario, space, pareto_frontier(space, [0, 1, 2],
                                                          acceptable_only=True)).to_dict()
    assert len(spec["concat"]) == 3 and spec["columns"] == 3  # us–ua, us–ru, ua–ru
    width, height = png_size(target.read_bytes())
    assert width >= 3 * 300 and 280 <= height < 2 * 280  # one row of three 300 × 280 panels
    _assert_drawn(target.read_bytes(), (width, height))


@pytest.mark.parametrize("command", sorted(CASES))
@pytest.mark.parametrize(("name", "message"), [
    ("chart.jpg", "ending in .png or .svg"),
    ("chart", "ending in .png or .svg"),
    ("no/such/folder/chart.png", "does not exist"),
    ("existing.png", "already exists"),
])
def test_bad_plot_paths_exit_2_before_any_work(command: str, name: str, message: str,
                                               tmp_path: Path, job_offer_path: Path,
                                               peace_plan_path: Path) -> None:
    args, which, _ = CASES[command]
    (tmp_path / "existing.png").write_bytes(b"mine")
    run = run_cli(args[0], _path(which, job_offer_path, peace_plan_path), *args[1:],
                  "--plot", tmp_path / name)
    assert run.code == 2, (run.stdout, run.stderr)
    assert message in run.stderr
    assert "Traceback" not in run.stderr and run.exception is None
    assert (tmp_path / "existing.png").read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.png"]
