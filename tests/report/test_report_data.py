"""The numbers behind the charts, against brute force and hand-worked values."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from accord.analysis.evaluate import evaluate_texts
from accord.io.scenario_file import load
from accord.report.html import (
    chance_rows,
    convergence_rows,
    default_text,
    frontier_pairs,
    frontier_view,
    solution_points,
    stance_cells,
    text_order,
    timeline_events,
)
from accord.space import UNRESOLVED, Space, compile_scenario
from accord.views.labels import Labels
from tests.scenario_strategies import scenarios


def _acceptable_packages(space: Space) -> np.ndarray:
    """Every package that every must-accept party accepts, by brute force."""
    packages = np.array(list(itertools.product(*[range(n) for n in space.n_options])),
                        dtype=np.int64)
    return packages[space.acceptable(packages)[:, space.must_accept].all(axis=1)]


def _brute_force_frontier(points: np.ndarray) -> set[tuple[float, ...]]:
    """The non-dominated rows of ``points``, naively (rounded to 9 decimals)."""
    rounded = {tuple(float(v) for v in row) for row in np.round(points, 9)}
    return {p for p in rounded
            if not any(all(q[k] >= p[k] for k in range(len(p))) and q != p for q in rounded)}


def test_frontier_view_matches_brute_force_on_the_job_offer(job_offer_path: Path) -> None:
    space = compile_scenario(load(job_offer_path))
    view = frontier_view(space, [0, 1])
    packages = _acceptable_packages(space)
    slow = _brute_force_frontier(space.utilities(packages)[:, [0, 1]])
    assert {tuple(row) for row in np.round(view.frontier.utilities, 9).tolist()} == slow
    assert len(slow) >= 2  # a real trade-off, not a single point
    # The context line is the frontier over every package, constraints ignored.
    every = np.array(list(itertools.product(*[range(n) for n in space.n_options])))
    assert view.context is not None
    assert ({tuple(row) for row in np.round(view.context.utilities, 9).tolist()}
            == _brute_force_frontier(space.utilities(every)[:, [0, 1]]))


@settings(max_examples=40, deadline=None)
@given(scenarios(max_issues=4, max_options=3))
def test_frontier_view_and_nash_match_brute_force(scenario) -> None:  # type: ignore[no-untyped-def]
    """Frontier over all parties (projected panels) and the Nash point, against enumeration."""
    space = compile_scenario(scenario)
    parties = list(range(space.n_parties))
    if len(parties) < 2:
        return
    view = frontier_view(space, parties)
    packages = _acceptable_packages(space)
    utilities = space.utilities(packages) if packages.size else np.zeros((0, space.n_parties))
    assert ({tuple(row) for row in np.round(view.frontier.utilities, 9).tolist()}
            == _brute_force_frontier(utilities))
    d = space.reservation
    rational = utilities[(utilities >= d - 1e-9).all(axis=1)]
    points = solution_points(view, 0, 1)
    nash = [p for p in points if "Nash" in p["name"]]
    if rational.size == 0:
        assert nash == []
        return
    best = np.clip(rational - d, 0, None).prod(axis=1).max()
    row = view.solutions.nash.row
    assert row is not None
    assert np.clip(view.frontier.utilities[row] - d, 0, None).prod() == pytest.approx(best, abs=1e-9)
    assert nash[0]["x"] == pytest.approx(view.frontier.utilities[row, 0])


def test_solution_points_share_a_mark_when_they_coincide(peace_plan_path: Path) -> None:
    space = compile_scenario(load(peace_plan_path))
    view = frontier_view(space, [space.party_index("ua"), space.party_index("ru")])
    points = solution_points(view, space.party_index("ua"), space.party_index("ru"))
    names = [n for p in points for n in p["name"].split(", ")]
    assert sorted(names) == sorted(["Nash", "Kalai–Smorodinsky", "egalitarian", "utilitarian"])
    assert len({(p["x"], p["y"]) for p in points}) == len(points)


def test_more_than_two_parties_are_projected(peace_plan_path: Path) -> None:
    space = compile_scenario(load(peace_plan_path))
    view = frontier_view(space, [0, 1, 2])
    assert view.context is None and view.pairs() == [(0, 1), (0, 2), (1, 2)]
    assert view.frontier.utilities.shape[1] == 3


def test_stance_cells_hand_checked(job_offer_path: Path) -> None:
    scenario = load(job_offer_path)
    space = compile_scenario(scenario)
    labels = Labels(scenario, space)
    t = space.text_index("offer")
    cells = {(c["party"], c["issue"]): c for c in stance_cells(space, labels, space.texts[t])}
    assert len(cells) == space.n_parties * space.n_issues
    for (party, issue), cell in cells.items():
        p, i = space.party_index(party), space.issue_index(issue)
        o = int(space.texts[t, i])
        if o == UNRESOLVED:
            assert cell["distance"] is None
            continue
        values = space.values[p, i, : space.n_options[i]]
        assert cell["distance"] == pytest.approx(values.max() - values[o])
        assert (cell["mark"] == "✕") == bool(space.red_lines[p, i, o])
        assert cell["option"] == scenario.issues[i].options[o].label


def test_stance_cells_mark_red_lines_and_open_points() -> None:
    from tests.report.test_html import tiny_scenario

    scenario = tiny_scenario()
    space = compile_scenario(scenario)
    labels = Labels(scenario, space)
    cells = {(c["party"], c["issue"]): c for c in stance_cells(space, labels, space.texts[0])}
    assert cells[("a", "x")]["mark"] == "✕"  # the text picks a's red line on x
    assert cells[("b", "x")]["mark"] == ""
    assert cells[("b", "x")]["distance"] == 0.0  # b's best option on x
    assert cells[("a", "y")]["distance"] is None  # y is open
    assert cells[("b", "y")]["mark"] == "?"  # and could close on b's red line


def test_convergence_rows_follow_the_evaluations(peace_plan_path: Path) -> None:
    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    order = text_order(scenario)
    assert [space.text_ids[t] for t in order] == ["plan-28", "geneva-framework", "e3-counter",
                                                  "plan-20"]
    rows = convergence_rows(space, Labels(scenario, space), evaluate_texts(space), order)
    assert len(rows) == len(order) * space.n_parties
    plan28 = [r for r in rows if r["text"] == "plan-28"]
    assert all(r["low"] == r["high"] for r in plan28)  # every point is settled in plan-28
    geneva = {r["party"]: r for r in rows if r["text"] == "geneva-framework"}
    assert all(r["low"] < r["high"] for r in geneva.values())  # territory is bracketed


def test_default_choices(peace_plan_path: Path) -> None:
    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    assert space.text_ids[default_text(scenario)] == "plan-20"
    assert frontier_pairs(space) == [(space.party_index("ua"), space.party_index("ru"))]
    assert len(frontier_pairs(space, (0, 1, 2))) == 3


def test_timeline_events_cite_their_sources(peace_plan_path: Path) -> None:
    scenario = load(peace_plan_path)
    events = timeline_events(scenario)
    kinds = [e["kind"] for e in events]
    assert kinds.count("version") == len(scenario.texts)
    assert kinds.count("meeting") == len(scenario.meetings)
    assert kinds.count("statement") == len(scenario.statements)
    statements = [e for e in events if e["kind"] == "statement"]
    assert all(e["detail"].startswith("source: ") for e in statements)
    assert any("Hvylya" in e["detail"] for e in statements)


def test_chance_rows_cover_every_text_and_party(peace_plan_path: Path, job_offer_path: Path) -> None:
    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    rows = chance_rows(scenario, space)
    assert rows is not None
    assert len(rows) == len(space.text_ids) * (space.n_parties + 1)
    for row in rows:
        assert 0 <= row["low"] <= row["p"] <= row["high"] <= 1
    # A deal needs every must-accept party: P(deal) never exceeds any of theirs.
    for text in space.text_ids:
        deal = next(r["p"] for r in rows if r["text"] == text and r["who"] == "deal")
        for party in ("ua", "ru"):
            assert deal <= next(r["p"] for r in rows if r["text"] == text and r["who"] == party)
    job = load(job_offer_path)
    assert chance_rows(job, compile_scenario(job)) is None  # no ranges in the job offer
