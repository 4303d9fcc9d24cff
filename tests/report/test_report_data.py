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
    nash_point,
    stance_cells,
    text_order,
    timeline_events,
    two_party_frontier,
)
from accord.report.serialize import Labels
from accord.space import UNRESOLVED, Space, compile_scenario
from tests.scenario_strategies import scenarios


def _brute_force_frontier(space: Space, a: int, b: int) -> np.ndarray:
    """Every package avoiding both parties' red lines, then the non-dominated pairs, naively."""
    allowed = [
        [o for o in range(space.n_options[i])
         if not space.red_lines[a, i, o] and not space.red_lines[b, i, o]]
        for i in range(space.n_issues)
    ]
    packages = np.array(list(itertools.product(*allowed)), dtype=np.int64)
    if packages.size == 0:
        return np.empty((0, 2))
    pairs = np.round(space.utilities(packages)[:, [a, b]], 9)
    frontier = {
        (float(x), float(y)) for x, y in pairs
        if not any((u >= x and v >= y) and (u > x or v > y) for u, v in pairs)
    }
    return np.array(sorted(frontier)).reshape(-1, 2)


def test_frontier_matches_brute_force_on_the_job_offer(job_offer_path: Path) -> None:
    space = compile_scenario(load(job_offer_path))
    fast = two_party_frontier(space, 0, 1)
    assert fast is not None
    slow = _brute_force_frontier(space, 0, 1)
    np.testing.assert_allclose(fast, slow, atol=1e-9)
    assert len(fast) >= 3  # a real trade-off curve, not a single point


@settings(max_examples=60, deadline=None)
@given(scenarios(max_issues=4, max_options=4))
def test_frontier_matches_brute_force_on_random_scenarios(scenario) -> None:  # type: ignore[no-untyped-def]
    space = compile_scenario(scenario)
    fast = two_party_frontier(space, 0, 1)
    assert fast is not None
    np.testing.assert_allclose(fast, _brute_force_frontier(space, 0, 1), atol=1e-9)


def test_frontier_declines_when_too_large(peace_plan_path: Path) -> None:
    space = compile_scenario(load(peace_plan_path))
    assert two_party_frontier(space, 1, 2, limit=1000) is None
    assert two_party_frontier(space, 1, 2) is not None


@settings(max_examples=40, deadline=None)
@given(scenarios(max_issues=4, max_options=3))
def test_nash_point_is_the_best_product_over_all_packages(scenario) -> None:  # type: ignore[no-untyped-def]
    """Scanning the frontier finds the same Nash product as scanning every package."""
    space = compile_scenario(scenario)
    frontier = two_party_frontier(space, 0, 1)
    assert frontier is not None
    d = (float(space.reservation[0]), float(space.reservation[1]))
    found = nash_point(frontier, d)
    pairs = _brute_force_frontier(space, 0, 1)
    products = [(x - d[0]) * (y - d[1]) for x, y in _all_pairs(space) if x >= d[0] - 1e-9
                and y >= d[1] - 1e-9]
    if not products:
        assert found is None
    else:
        assert found is not None
        assert (found[0] - d[0]) * (found[1] - d[1]) == pytest.approx(max(products), abs=1e-7)
        assert any(np.allclose(found, p, atol=1e-9) for p in pairs)


def _all_pairs(space: Space) -> list[tuple[float, float]]:
    allowed = [[o for o in range(space.n_options[i])
                if not space.red_lines[0, i, o] and not space.red_lines[1, i, o]]
               for i in range(space.n_issues)]
    packages = np.array(list(itertools.product(*allowed)), dtype=np.int64)
    if packages.size == 0:
        return []
    return [(float(x), float(y)) for x, y in space.utilities(packages)[:, [0, 1]]]


def test_nash_point_hand_worked() -> None:
    frontier = np.array([[0.2, 0.9], [0.5, 0.7], [0.8, 0.3]])
    # gains over (0.1, 0.1): 0.1·0.8 = 0.08, 0.4·0.6 = 0.24, 0.7·0.2 = 0.14
    assert nash_point(frontier, (0.1, 0.1)) == (0.5, 0.7)
    assert nash_point(frontier, (0.9, 0.9)) is None


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
