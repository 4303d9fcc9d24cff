"""The smallest amendment, its alternatives and the closest miss against brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analysis.amend import amend
from accord.space import UNRESOLVED
from tests.analysis import oracle
from tests.analysis.strategies import SpaceSpec, build_space, space_and_text

SETTINGS = settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def changes(text: np.ndarray, packages: np.ndarray) -> np.ndarray:
    return ((text != UNRESOLVED)[None, :] & (packages != text[None, :])).sum(axis=1)


@SETTINGS
@given(space_and_text(), st.integers(1, 6))
def test_amendments_equal_brute_force(space, k) -> None:  # type: ignore[no-untyped-def]
    text = space.texts[0]
    result = amend(space, 0, k=k)
    packages = oracle.all_packages(space)
    acceptable = oracle.acceptable_mask(space, packages)
    must = np.flatnonzero(space.must_accept)
    count = changes(text, packages)
    utilities = space.utilities(packages)
    if not acceptable.any():
        assert result.best is None and result.amendments == ()
        assert result.closest_miss is not None
        clean = ~space.red_line_hits(packages)[:, must].any(axis=1)
        if not clean.any():
            assert result.closest_miss.margin == -np.inf
            return
        worst = (utilities[clean][:, must] - space.reservation[must]).min(axis=1)
        best = worst.max()
        assert result.closest_miss.margin == pytest.approx(best, abs=1e-9)
        fewest = count[clean][worst >= best - 1e-12].min()
        assert len(result.closest_miss.changes) == fewest
        return
    # The smallest number of changes over all acceptable packages.
    assert result.min_changes == count[acceptable].min()
    # Efficient amendments: Pareto-optimal in (must-accept utilities, −changes).
    pool = np.flatnonzero(acceptable)
    vectors = np.column_stack([utilities[pool][:, must], -count[pool]])
    efficient = pool[oracle.pareto_mask(vectors)]
    assert result.efficient_count == efficient.size
    margins = utilities[efficient][:, must] - space.reservation[must]
    products = np.clip(margins, 0, None).prod(axis=1)
    order = np.lexsort((-products, count[efficient]))
    expected = [(int(count[efficient][r]), float(products[r])) for r in order[:k]]
    found = [(len(a.changes), a.nash_product) for a in result.amendments]
    assert len(found) == len(expected)
    for (c1, p1), (c2, p2) in zip(found, expected, strict=True):
        assert c1 == c2
        assert p1 == pytest.approx(p2, abs=1e-9)
    # The smallest one has the best Nash product among all acceptable packages
    # with that few changes (not only the efficient ones).
    smallest = acceptable & (count == result.min_changes)
    all_products = np.clip(utilities[smallest][:, must] - space.reservation[must], 0, None).prod(axis=1)
    assert result.best.nash_product == pytest.approx(all_products.max(), abs=1e-9)
    for amendment in result.amendments:
        assert oracle.acceptable_mask(space, amendment.package[None, :]).all()
        assert amendment.changes == tuple(np.flatnonzero((text != UNRESOLVED) & (amendment.package != text)))
    # Why not fewer: the best worst margin with fewer changes is negative.
    if result.min_changes:
        fewer = result.best_with_fewer
        assert fewer is not None
        limited = count <= result.min_changes - 1
        clean = ~space.red_line_hits(packages)[:, must].any(axis=1)
        pool2 = limited & clean
        if pool2.any():
            best = (utilities[pool2][:, must] - space.reservation[must]).min(axis=1).max()
            assert fewer.margin == pytest.approx(best, abs=1e-9)
            assert fewer.margin < 0
        else:
            assert fewer.margin == -np.inf and fewer.package is None


def test_open_points_close_free_of_charge() -> None:
    space = build_space(SpaceSpec(21, 2, (3, 3, 3, 3), False, 0.0, -0.3, 2, 1, 0.0))
    from dataclasses import replace

    text = np.array([[UNRESOLVED, UNRESOLVED, UNRESOLVED, UNRESOLVED]])
    result = amend(replace(space, texts=text), 0)
    assert result.min_changes == 0
    assert result.best is not None and result.best.closed == (0, 1, 2, 3)


def test_k_must_be_positive() -> None:
    space = build_space(SpaceSpec(21, 2, (3, 3), False, 0.0, 0.0, 2, 1, 0.0))
    with pytest.raises(ValueError, match="k must be"):
        amend(space, 0, k=0)
