"""`accord solve`: solutions that pick the same package are said to coincide, not printed twice."""

from __future__ import annotations

import numpy as np
from rich.console import Console

from accord.analysis.bargaining import bargaining_solutions
from accord.io.scenario_file import load
from accord.space import compile_scenario
from accord.views import solutions as view
from accord.views.labels import Labels


def _text(renderable: object) -> str:
    console = Console(width=400, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_coinciding_solutions_share_one_column(job_offer_path) -> None:  # type: ignore[no-untyped-def]
    scenario = load(job_offer_path)
    space = compile_scenario(scenario)
    labels = Labels(scenario, space)
    solutions = bargaining_solutions(space)
    chosen = [s for s in solutions.all() if s.row is not None]
    packages = [tuple(solutions.frontier.packages[s.row]) for s in chosen]
    distinct = list(dict.fromkeys(packages))
    # The job offer's Nash, Kalai–Smorodinsky and utilitarian packages are one and the same.
    assert len(distinct) < len(chosen)

    data = view.to_dict(solutions, labels)["solutions"]
    for k, s in enumerate(chosen):
        first = next(c for c, p in zip(chosen, packages, strict=True) if p == packages[k])
        assert data[s.name]["same_package_as"] == (None if first is s else first.name)

    out = _text(view.render(solutions, labels))
    table = out[out.index("The packages"):]
    row = next(line for line in table.splitlines() if line.startswith("│ " + labels.issue_named(0)))
    assert row.count("│") - 1 == 1 + len(distinct)
    assert "same package: " in out
    for group in view.coinciding(solutions, chosen):
        assert all(np.array_equal(solutions.frontier.packages[g.row],
                                  solutions.frontier.packages[group[0].row]) for g in group)
