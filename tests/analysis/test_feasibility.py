"""The max–min margin against brute force, and against an independent MILP beyond brute-force sizes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from accord.analysis.feasibility import feasibility
from accord.errors import AnalysisError
from accord.space import UNRESOLVED
from tests.analysis import oracle
from tests.analysis.strategies import SpaceSpec, build_space, space_and_text, spaces

SETTINGS = settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def brute_force(space, fixed=None):  # type: ignore[no-untyped-def]
    """``(packages, min margins)`` of every red-line-free package."""
    must = np.flatnonzero(space.must_accept)
    packages = oracle.all_packages(space, fixed)
    clean = ~space.red_line_hits(packages)[:, must].any(axis=1)
    packages = packages[clean]
    margins = space.utilities(packages)[:, must] - space.reservation[must]
    return packages, margins


@SETTINGS
@given(spaces())
def test_margin_equals_brute_force(space) -> None:  # type: ignore[no-untyped-def]
    result = feasibility(space)
    packages, margins = brute_force(space)
    if packages.shape[0] == 0:
        assert result.margin == -np.inf and result.package is None and result.blocked_issues
        return
    best = margins.min(axis=1).max()
    assert result.margin == pytest.approx(best, abs=1e-9)
    assert result.feasible == bool(oracle.acceptable_mask(space, oracle.all_packages(space)).any())
    # The package is real, avoids the red lines, and attains the margin.
    must = space.must_accept
    assert not space.red_line_hits(result.package)[must].any()
    own = space.utilities(result.package)[must] - space.reservation[must]
    np.testing.assert_allclose(result.margins, own, atol=1e-9)
    assert own.min() == pytest.approx(best, abs=1e-9)
    # Lowering each reservation by the shortfall makes the package acceptable.
    lowered = replace(space, reservation=space.reservation - _spread(space, result.shortfall))
    assert lowered.acceptable(result.package)[must].all()


def _spread(space, values):  # type: ignore[no-untyped-def]
    full = np.zeros(space.n_parties)
    full[space.must_accept] = values
    return full


@SETTINGS
@given(space_and_text())
def test_fixed_points_and_fewest_changes(space) -> None:  # type: ignore[no-untyped-def]
    text = space.texts[0]
    fixed = np.where(np.arange(space.n_issues) % 2 == 0, text, UNRESOLVED)
    packages, margins = brute_force(space, fixed)
    result = feasibility(space, fixed=fixed, reference=text)
    if packages.shape[0] == 0:
        assert result.margin == -np.inf
        return
    worst = margins.min(axis=1)
    best = worst.max()
    assert result.margin == pytest.approx(best, abs=1e-9)
    agreed = fixed != UNRESOLVED
    assert (result.package[agreed] == fixed[agreed]).all()
    # Among the optimal packages, the fewest changed agreed points of the text.
    optimal = packages[worst >= best - 1e-12]
    changes = ((text != UNRESOLVED) & (optimal != text)).sum(axis=1)
    assert len(result.changes) == changes.min()


def test_blocked_issue_is_reported() -> None:
    space = build_space(SpaceSpec(4, 3, (3, 2), False, 0.0, 0.0, 2, 0, 0.0))
    red = space.red_lines.copy()
    must = np.flatnonzero(space.must_accept)
    red[must[0], 1, 0] = True
    red[must[1], 1, 1] = True
    result = feasibility(replace(space, red_lines=red))
    assert result.margin == -np.inf and result.blocked_issues == (1,)
    assert not result.feasible


def test_no_must_accept_party_is_an_error() -> None:
    space = build_space(SpaceSpec(4, 2, (3, 2), False, 0.0, 0.0, 1, 0, 0.0))
    with pytest.raises(AnalysisError, match="must-accept"):
        feasibility(replace(space, must_accept=np.zeros(2, dtype=bool)))


@pytest.mark.parametrize("seed", range(8))
def test_matches_an_independent_milp_beyond_brute_force(seed: int) -> None:
    """20 issues × 4 options (10^12 packages): HiGHS on the textbook max–min MILP agrees."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    # Reservation values around a typical package: some seeds feasible, some not.
    space = build_space(SpaceSpec(seed, 4, (4,) * 20, False, 0.05, 0.12, 3, 0, 0.0))
    result = feasibility(space)
    assert not result.blocked_issues
    must = np.flatnonzero(space.must_accept)
    # Variables: one binary per (issue, option), then the margin t; maximise t.
    n_issues, width = space.n_issues, int(space.n_options.max())
    allowed = space.option_mask & ~space.red_lines[must].any(axis=0)
    columns = [(i, o) for i in range(n_issues) for o in range(width) if allowed[i, o]]
    n = len(columns) + 1
    cost = np.zeros(n)
    cost[-1] = -1.0
    pick_one = np.zeros((n_issues, n))
    for k, (i, _) in enumerate(columns):
        pick_one[i, k] = 1.0
    margin_rows = np.zeros((must.size, n))
    for r, q in enumerate(must):
        for k, (i, o) in enumerate(columns):
            margin_rows[r, k] = space.contribution[q, i, o]
        margin_rows[r, -1] = -1.0
    constraints = [LinearConstraint(pick_one, 1, 1),
                   LinearConstraint(margin_rows, space.reservation[must], np.inf)]
    integrality = np.r_[np.ones(n - 1), 0]
    bounds = Bounds(np.r_[np.zeros(n - 1), -2.0], np.r_[np.ones(n - 1), 2.0])
    solved = milp(cost, constraints=constraints, integrality=integrality, bounds=bounds,
                  options={"mip_rel_gap": 0.0})
    assert solved.success
    assert result.margin == pytest.approx(-solved.fun, abs=1e-6)
