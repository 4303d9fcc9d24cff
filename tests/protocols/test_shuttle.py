"""Shuttle mediation: the meeting rules on a hand-made case, and the flagship run."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from accord.io.scenario_file import load
from accord.protocols.engine import Domain
from accord.protocols.shuttle import compare_versions, shuttle
from accord.space import compile_scenario


def _table_domain(tables: list[np.ndarray], reservation: list[float]) -> Domain:
    """Additive domain from per-party (I, K) utility tables (non-Space, no red lines)."""
    issues = np.arange(tables[0].shape[0])

    def make(table: np.ndarray):
        return lambda texts: table[issues, texts].sum(axis=1)

    return Domain(party_ids=tuple(f"p{k}" for k in range(len(tables))),
                  n_options=np.full(len(issues), tables[0].shape[1], dtype=np.int64),
                  utilities=tuple(make(t) for t in tables),
                  reservation=np.array(reservation), must_accept=np.ones(len(tables), bool))


def test_granted_only_while_the_other_stays_within_reach() -> None:
    # Two issues, two options.  p0 wants option 1 on both; p1 is hurt by each change
    # but can afford exactly one of them (its reservation value is 0.74); p1's
    # request to undo it is refused, as p0 would fall below its 0.3.
    p0 = np.array([[0.0, 0.5], [0.0, 0.4]])
    p1 = np.array([[0.5, 0.25], [0.5, 0.25]])
    domain = _table_domain([p0, p1], [0.3, 0.74])
    result = shuttle(domain, np.array([0, 0]), [0, 1], rounds=3, max_asks=2)
    # p0's most valued change (issue 0) keeps p1 at 0.75 ≥ 0.74; the second would not.
    assert result.versions[1].tolist() == [1, 0]
    assert result.final.tolist() == [1, 0]
    assert result.agreement
    assert result.granted[1] == (0,)
    # Talks stop after a full round with nothing granted.
    assert len(result.versions) <= 1 + 3


def test_compare_versions_counts_resolved_and_all_points() -> None:
    versions = np.array([[0, 1, 2], [0, 0, 2], [0, -1, -1]])
    texts = np.array([[0, -1, 2], [1, 0, -1]])
    first, second = compare_versions(versions, texts, [0, 1])
    assert first.resolved == (0, 2) and first.matches == (2, 2, 1)
    # All points: the same option, or open in both.
    assert first.matches_all == (2, 2, 2) and first.best_version == 0
    assert second.resolved == (0, 1) and second.matches == (0, 1, 0)
    assert second.matches_all == (0, 1, 1) and second.best_version == 1


def test_refused_point_the_party_cannot_live_with_is_bracketed() -> None:
    # One issue, three options.  p0 is below its reservation value at option 0 and
    # wants option 2, which would take p1 below its own; option 1 would do for both.
    p0 = np.array([[0.0, 0.6, 1.0]])
    p1 = np.array([[1.0, 0.6, 0.0]])
    domain = _table_domain([p0, p1], [0.5, 0.5])
    kept = shuttle(domain, np.array([0]), [0, 1], rounds=3, max_asks=1, bracket=False)
    assert kept.final.tolist() == [0] and not kept.agreement
    assert kept.bracketed[1] == ()
    opened = shuttle(domain, np.array([0]), [0, 1], rounds=3, max_asks=1, bracket=True,
                     close=False)
    assert opened.versions[1].tolist() == [-1] and opened.bracketed[1] == (0,)
    assert not opened.agreement            # an open point is no agreement
    # Best cases over the open point: each party's favourite option.
    assert opened.utilities[1].tolist() == [1.0, 1.0]
    # The summit closes the point at the only option acceptable to both.
    closed = shuttle(domain, np.array([0]), [0, 1], rounds=3, max_asks=1, bracket=True)
    assert closed.closed and closed.final.tolist() == [1] and closed.agreement


def test_parties_ask_for_their_most_valued_points_first() -> None:
    # p0 gains 0.5 on issue 1 and 0.2 on issue 0; with one ask it asks issue 1.
    p0 = np.array([[0.0, 0.2], [0.0, 0.5]])
    p1 = np.array([[0.0, 0.0], [0.0, 0.0]])
    domain = _table_domain([p0, p1], [0.6, 0.0])
    result = shuttle(domain, np.array([0, 0]), [0, 1], rounds=1, max_asks=1)
    assert result.granted[1] == (1,)


def test_secured_changes_are_not_undone() -> None:
    # p0 can never be satisfied (reservation 2), so talks go on.  p1 values issue 0
    # back as much as issue 1; issue 0 comes first on the tie, but p0 secured it, so
    # p1's one ask is issue 1 (which costs p0 nothing and is granted).
    p0 = np.array([[0.0, 0.5], [0.5, 0.5]])
    p1 = np.array([[0.5, 0.0], [0.0, 0.5]])
    domain = _table_domain([p0, p1], [2.0, 0.0])
    result = shuttle(domain, np.array([0, 0]), [0, 1], rounds=3, max_asks=1, bracket=False)
    assert result.versions[1].tolist() == [1, 0]
    assert result.final[0] == 1 and result.final[1] == 1


def test_flagship_shuttle_from_plan_28(peace_plan_path: Path) -> None:
    space = compile_scenario(load(peace_plan_path))
    domain = Domain.from_space(space)
    start = space.texts[space.text_index("plan-28")]
    order = [space.party_index("ua"), space.party_index("ru")]
    result = shuttle(domain, start, order, rounds=6, seed=0)
    assert (result.versions[0] == start).all()
    # Every granted change moved exactly the listed points, one meeting at a time.
    for v in range(1, len(result.versions)):
        changed = np.flatnonzero(result.versions[v] != result.versions[v - 1]).tolist()
        assert sorted(changed) == sorted(result.granted[v] + result.bracketed[v])
    # The same inputs give the same trace.
    again = shuttle(domain, start, order, rounds=6, seed=0)
    assert again.trace.to_jsonl() == result.trace.to_jsonl()
    matches = compare_versions(result.versions, space.texts,
                               [space.text_index("geneva-framework"), space.text_index("plan-20")])
    real = space.texts[space.text_index("geneva-framework")]
    resolved = real >= 0
    assert matches[0].matches[0] == int((start[resolved] == real[resolved]).sum())
    # Ukraine cannot live with plan-28's Donetsk point (a red line) and Russia cannot
    # live with Ukraine's ask (its own red line): the point is left open, as at Geneva.
    assert result.versions[1][space.issue_index("donetsk")] == -1
    assert result.bracketed[1][0] == space.issue_index("donetsk")
