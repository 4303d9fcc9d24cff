"""A printed report carries every number its charts show, and says how each was computed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accord.io.scenario_file import load
from accord.report.html import (
    build_report,
    chance_rows,
    convergence_rows,
    frontier_parties,
    frontier_view,
    sensitivity_rows,
    solution_points,
    text_order,
)
from accord.space import compile_scenario
from accord.views.labels import Labels
from accord.views.numbers import percent, shown


def _section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}">')
    return page[start:page.index("</section>", start)]


def _text_of(fragment: str) -> str:
    # Visible text only: chart specifications sit in <script> elements, not in sections.
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


@pytest.fixture(scope="module")
def flagship(peace_plan_path: Path) -> tuple:
    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    return scenario, space, build_report(scenario, space)


def test_deal_chances_headline_and_every_bar_are_in_the_text(flagship: tuple) -> None:
    from accord.analysis.uncertainty import build_model, deal_chances
    from accord.report.html import CHANCE_SAMPLES, CHANCE_SEED

    scenario, space, page = flagship
    text = _text_of(_section(page, "uncertainty"))
    result = deal_chances(build_model(scenario, space), text_order(scenario),
                          samples=CHANCE_SAMPLES, seed=CHANCE_SEED, any_package=True)
    assert percent(result.p_any_package) == "72.6%"
    assert f"P(some acceptable package) = {percent(result.p_any_package)}" in text
    rows = chance_rows(scenario, space)
    assert rows
    for row in rows:
        assert percent(row["p"]) in text, row
        assert f"{percent(row['low'])} to {percent(row['high'])}" in text or \
            percent(row["low"]) == percent(row["high"]), row
    for row in (r for r in rows if r["who"] == "deal"):
        assert re.search(rf"{re.escape(row['text'])}\)? .*?{re.escape(percent(row['p']))} "
                         rf"\(95%: {re.escape(percent(row['low']))}", text), row
    assert f"{CHANCE_SAMPLES:,} samples" in text


def test_tornado_numbers_are_in_the_text(flagship: tuple) -> None:
    scenario, space, page = flagship
    text = _text_of(_section(page, "uncertainty"))
    found = sensitivity_rows(scenario, space)
    assert found is not None
    target, base, rows = found
    assert f"P({target}) = {percent(base)}" in text
    for row in rows:
        assert re.search(rf"{re.escape(row['estimate'])} {re.escape(percent(row['low']))} "
                         rf"{re.escape(percent(row['high']))}", text), row


def test_convergence_utilities_are_in_the_text(flagship: tuple) -> None:
    from accord.analysis.evaluate import evaluate_texts

    scenario, space, page = flagship
    text = _text_of(_section(page, "convergence"))
    rows = convergence_rows(space, Labels(scenario, space), evaluate_texts(space),
                            text_order(scenario))
    for row in rows:
        assert shown(row["low"]) in text and shown(row["high"]) in text, row


def test_frontier_solution_points_are_in_the_text(flagship: tuple) -> None:
    _, space, page = flagship
    text = _text_of(_section(page, "frontier"))
    view = frontier_view(space, frontier_parties(space))
    for a, b in view.pairs():
        for point in solution_points(view, a, b):
            assert shown(point["x"]) in text and shown(point["y"]) in text, point


def test_bargaining_names_parties_and_disagreement_point(flagship: tuple) -> None:
    scenario, space, page = flagship
    text = _text_of(_section(page, "frontier"))
    labels = Labels(scenario, space)
    view = frontier_view(space, frontier_parties(space))
    assert view.solutions is not None
    for p in view.solutions.frontier.parties:
        assert f"{labels.party_name(int(p))} ({labels.party(int(p))})" in text
    assert "disagreement point" in text
    for p, d in zip(view.solutions.frontier.parties, view.solutions.disagreement, strict=True):
        assert f"{labels.party_name(int(p))} ({labels.party(int(p))}) {shown(float(d))}" in text, p


def test_report_nash_is_solve_default_nash(flagship: tuple, peace_plan_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from accord.cli import app

    scenario, space, _ = flagship
    view = frontier_view(space, frontier_parties(space))
    assert view.solutions is not None and view.solutions.nash.row is not None
    package = view.frontier.packages[view.solutions.nash.row]
    out = CliRunner().invoke(app, ["solve", str(peace_plan_path), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    labels = Labels(scenario, space)
    positions = data["solutions"]["nash"]["positions"]
    assert positions == {labels.issue(i): labels.option(i, int(o)) for i, o in enumerate(package)}
    assert data["parties"] == [labels.party(int(p)) for p in view.parties]


def test_report_text_reads_well(flagship: tuple) -> None:
    _, _, page = flagship
    body = page[page.index("<body"):]
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    text = _text_of(body)
    for module in ("uncertainty", "sensitivity", "robust"):
        assert f"Computed by accord.analysis.{module}" not in text
    assert not re.search(r"\b1 (meetings|points|changes|versions|parties)\b", text)
    assert "-0.000" not in text and "e-1" not in text


def test_the_report_names_coinciding_solutions_together(job_offer_path) -> None:  # type: ignore[no-untyped-def]
    # The job offer's Nash, Kalai–Smorodinsky and utilitarian packages are one package:
    # the report says so in one row, as `accord solve` does, instead of three equal rows.
    import re

    from accord.analysis.bargaining import bargaining_solutions
    from accord.io.scenario_file import load
    from accord.report.html import build_report
    from accord.space import compile_scenario

    scenario = load(job_offer_path)
    space = compile_scenario(scenario)
    solutions = bargaining_solutions(space)
    chosen = [s for s in solutions.all() if s.row is not None]
    distinct = {tuple(solutions.frontier.packages[s.row]) for s in chosen}
    assert len(distinct) < len(chosen)
    page = build_report(scenario, space)
    table = page[page.index("<th>solution</th>"):]
    table = table[:table.index("</table>")]
    assert len(re.findall(r"<tr><td><b>", table)) == len(distinct)
    assert "Nash = Kalai–Smorodinsky = utilitarian" in table
