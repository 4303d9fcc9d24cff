"""GENIUS's per-run metric definitions, checked on hand-worked cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from accord.protocols.metrics import Frontier, genius_metrics, genius_nash_point, run_metrics

FRONTIER = np.array([[0.95, 0.5], [0.2, 0.95], [0.89, 0.94]])


def test_genius_nash_lets_negative_products_win() -> None:
    # Reservation 0.9 for both: every product is negative, (−0.01)(0.04) = −0.0004
    # is the largest (cf. GENIUS on anac/y2016/SYAgent, Nash (0.89, 0.94)).
    nash = genius_nash_point(FRONTIER, np.array([0.9, 0.9]))
    assert nash.tolist() == [0.89, 0.94]
    # Two negative gains multiply to a positive product and beat the others.
    nash = genius_nash_point(np.array([[0.1, 0.1], [0.5, 0.6]]), np.array([0.55, 0.55]))
    assert nash.tolist() == [0.1, 0.1]
    # Ties keep the earliest point by ascending first utility; no frontier → zeros.
    tie = genius_nash_point(np.array([[0.8, 0.2], [0.2, 0.8]]), np.zeros(2))
    assert tie.tolist() == [0.2, 0.8]
    assert genius_nash_point(np.empty((0, 2)), np.zeros(2)).tolist() == [0.0, 0.0]


def test_no_agreement_is_the_origin_with_zero_welfare() -> None:
    frontier = Frontier(FRONTIER, None)
    reservation = np.array([0.3, 0.4])
    genius = genius_metrics(reservation, agreement=False, reservation=reservation,
                            frontier=frontier)
    assert genius.agreement_point == (0.0, 0.0) and genius.social_welfare == 0.0
    assert genius.distance_to_frontier == pytest.approx(math.hypot(0.2, 0.95))
    # Nash with rv (0.3, 0.4): products 0.065, −0.055, 0.3162 → (0.89, 0.94).
    assert genius.nash == (0.89, 0.94)
    assert genius.distance_to_nash == pytest.approx(math.hypot(0.89, 0.94))
    # accord's own reading keeps the reservation values as the outcome.
    ours = run_metrics(reservation, agreement=False, rounds=3, frontier=frontier)
    assert ours.social_welfare == pytest.approx(0.7)


def test_agreement_welfare_sums_discounted_utilities() -> None:
    frontier = Frontier(FRONTIER, None)
    genius = genius_metrics(np.array([0.8, 0.9]), agreement=True, reservation=np.zeros(2),
                            frontier=frontier, discounted=np.array([0.4, 0.45]))
    assert genius.social_welfare == pytest.approx(0.85)
    assert genius.distance_to_frontier == pytest.approx(math.hypot(0.09, 0.04))
