"""Adjusted Winner: the Brams–Taylor worked check and the fairness properties on random instances."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from accord.errors import ScenarioError
from accord.protocols.adjusted_winner import adjusted_winner, read_points

CAROL_BOB = {
    "retirement": {"carol": 50, "bob": 40},
    "home": {"carol": 20, "bob": 30},
    "cottage": {"carol": 15, "bob": 10},
    "investments": {"carol": 10, "bob": 10},
    "other": {"carol": 5, "bob": 10},
}


def test_worked_check_carol_and_bob() -> None:
    division = adjusted_winner(["carol", "bob"], CAROL_BOB)
    carol = {item: division.shares[item]["carol"] for item in CAROL_BOB}
    bob = {item: division.shares[item]["bob"] for item in CAROL_BOB}
    assert carol == {"retirement": Fraction(5, 6), "home": 0, "cottage": 1,
                     "investments": 0, "other": 0}
    assert bob == {"retirement": Fraction(1, 6), "home": 1, "cottage": 0,
                   "investments": 1, "other": 1}
    assert division.scores == {"carol": Fraction(170, 3), "bob": Fraction(170, 3)}
    assert all(isinstance(s, Fraction) for s in division.scores.values())
    assert division.split_item == "retirement"


def test_worked_check_does_not_depend_on_party_order() -> None:
    division = adjusted_winner(["bob", "carol"], CAROL_BOB)
    assert division.shares["retirement"] == {"bob": Fraction(1, 6), "carol": Fraction(5, 6)}
    assert division.scores == {"carol": Fraction(170, 3), "bob": Fraction(170, 3)}


@st.composite
def instances(draw: st.DrawFn) -> dict[str, dict[str, int]]:
    """Two parties' 100 points spread over 1–8 items (zeros and ties allowed)."""
    n_items = draw(st.integers(1, 8))

    def spread() -> list[int]:
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=n_items - 1,
                                    max_size=n_items - 1)))
        bounds = [0, *cuts, 100]
        return [bounds[k + 1] - bounds[k] for k in range(n_items)]

    a, b = spread(), spread()
    return {f"item{k}": {"a": a[k], "b": b[k]} for k in range(n_items)}


def _bundle_value(division, points, valuer: str, receiver: str) -> Fraction:
    return sum((points[i][valuer] * division.shares[i][receiver] for i in points), Fraction(0))


@settings(max_examples=150, deadline=None)
@given(instances())
def test_fairness_properties(points: dict[str, dict[str, int]]) -> None:
    division = adjusted_winner(["a", "b"], points)
    # Shares are fractions in [0, 1] summing to one per item.
    for item in points:
        assert 0 <= division.shares[item]["a"] <= 1
        assert division.shares[item]["a"] + division.shares[item]["b"] == 1
    # At most one item split.
    split = [i for i in points if 0 < division.shares[i]["a"] < 1]
    assert len(split) <= 1
    # Equitable: exactly equal scores, and scores are what the shares say.
    own_a = _bundle_value(division, points, "a", "a")
    own_b = _bundle_value(division, points, "b", "b")
    assert division.scores == {"a": own_a, "b": own_b}
    assert own_a == own_b
    # Envy-free: neither values the other's bundle more than its own.
    assert own_a >= _bundle_value(division, points, "a", "b")
    assert own_b >= _bundle_value(division, points, "b", "a")
    # Efficient: an independent LP oracle (HiGHS) finds no fractional division
    # giving a more while b keeps at least its score (and vice versa).
    a = np.array([points[i]["a"] for i in points], dtype=float)
    b = np.array([points[i]["b"] for i in points], dtype=float)
    for mine, other, floor, score in ((a, b, float(own_b), float(own_a)),
                                      (b, a, float(own_a), float(own_b))):
        # x = share of each item going to "mine"; other gets (1 - x).
        result = linprog(-mine, A_ub=[other], b_ub=[other.sum() - floor],
                         bounds=[(0, 1)] * len(mine), method="highs")
        assert result.status == 0
        assert -result.fun <= score + 1e-7


def test_rejects_points_not_summing_to_100() -> None:
    with pytest.raises(ValueError, match="sum to 90"):
        adjusted_winner(["a", "b"], {"x": {"a": 90, "b": 100}})


def test_reads_toml_and_csv(tmp_path: Path, examples_dir: Path) -> None:
    parties, points = read_points(examples_dir / "divide-retirement.toml")
    assert parties == ("carol", "bob") and points == CAROL_BOB
    csv = tmp_path / "points.csv"
    csv.write_text("item,carol,bob\n" + "".join(
        f"{item},{row['carol']},{row['bob']}\n" for item, row in CAROL_BOB.items()))
    assert read_points(csv) == (parties, points)


def test_bad_files_name_the_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('parties = ["carol", "bob"]\n[[items]]\nid = "x"\n'
                   'points = { carol = 100, bob = "lots" }\n')
    with pytest.raises(ScenarioError) as caught:
        read_points(bad)
    assert "items[0].points.bob" in str(caught.value)
    short = tmp_path / "short.toml"
    short.write_text('parties = ["carol", "bob"]\n[[items]]\nid = "x"\n'
                     'points = { carol = 100, bob = 60 }\n')
    with pytest.raises(ScenarioError, match="'bob': points sum to 60, expected 100"):
        read_points(short)
