"""Pareto improvements of a text against brute force."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analysis.improve import guaranteed_utilities, improve
from accord.space import UNRESOLVED
from tests.analysis import oracle
from tests.analysis.strategies import SpaceSpec, build_space, space_and_text

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(space_and_text(max_outcomes=20_000), st.integers(1, 5))
def test_improvements_equal_brute_force(space, k) -> None:  # type: ignore[no-untyped-def]
    text = space.texts[0]
    result = improve(space, 0, k=k)
    baseline = np.array([
        sum(space.contribution[p, i, : space.n_options[i]].min() if text[i] == UNRESOLVED
            else space.contribution[p, i, text[i]] for i in range(space.n_issues))
        for p in range(space.n_parties)])
    np.testing.assert_allclose(result.baseline, baseline, atol=1e-12)
    np.testing.assert_allclose(guaranteed_utilities(space, text), baseline, atol=1e-12)
    packages = oracle.all_packages(space)
    must = np.flatnonzero(space.must_accept)
    clean = ~space.red_line_hits(packages)[:, must].any(axis=1)
    utilities = space.utilities(packages)
    count = ((text != UNRESOLVED)[None, :] & (packages != text[None, :])).sum(axis=1)
    no_worse = clean & (utilities >= baseline - oracle.TIE).all(axis=1)
    pool = np.flatnonzero(no_worse)
    efficient = pool[oracle.pareto_mask(np.column_stack([utilities[pool], -count[pool]]))]
    better = efficient[(utilities[efficient] > baseline + oracle.TIE).any(axis=1)]
    assert result.efficient_count == better.size
    if better.size:
        assert len(result.improvements) == min(k, better.size)
        assert len(result.improvements[0].changes) == count[better].min()
    previous = -1
    for item in result.improvements:
        assert (item.gains >= -1e-9).all() and (item.gains > 1e-12).any()
        np.testing.assert_allclose(item.utilities, space.utilities(item.package), atol=1e-9)
        assert len(item.changes) >= previous  # fewest changes first
        previous = len(item.changes)
        assert item.acceptable == bool(oracle.acceptable_mask(space, item.package[None, :])[0])


def test_an_efficient_text_has_no_improvement() -> None:
    from dataclasses import replace

    from accord.analysis.pareto import pareto_frontier

    space = build_space(SpaceSpec(8, 3, (3, 3, 2), False, 0.0, 0.0, 2, 0, 0.0))
    frontier = pareto_frontier(space)
    space = replace(space, texts=frontier.packages[:1].copy(), text_ids=("t0",),
                    text_parents=np.array([-1]))
    result = improve(space, 0)
    assert result.improvements == () and result.efficient_count == 0
