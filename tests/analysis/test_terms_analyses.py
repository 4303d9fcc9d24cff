"""Bargaining, improve, robust and the deal chances with interaction terms, against enumeration.

The random Spaces and the plain-Python oracle are those of ``test_terms.py``:
every package is enumerated and judged from the arrays alone (the additive
tables, the terms, the forbidden pairs), never through the code under test.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analysis.bargaining import bargaining_solutions, default_parties
from accord.analysis.improve import guaranteed_utilities, improve
from tests.analysis.test_terms import (
    SEEDS,
    changes,
    must,
    oracle_accepts,
    oracle_clean,
    oracle_utility,
    packages_of,
    random_space,
)

RUNS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TIE = 1e-12


def dominates(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(x >= y - TIE for x, y in zip(a, b, strict=True)) and \
        any(x > y + TIE for x, y in zip(a, b, strict=True))


# ---------------------------------------------------------------------------
# bargaining


@RUNS
@given(seed=SEEDS)
def test_bargaining_solutions_are_the_brute_force_optima(seed: int) -> None:
    space = random_space(seed)
    parties = list(default_parties(space))
    d = space.reservation[parties]
    pool = [x for x in packages_of(space) if all(oracle_accepts(space, q, x) for q in must(space))]
    vectors = [np.array([oracle_utility(space, p, x) for p in parties]) for x in pool]
    rational = [v for v in vectors if (v >= d - 1e-9).all()]
    solved = bargaining_solutions(space)
    assert solved.frontier.exact and solved.rational == sum(
        1 for v in rational if not any(dominates(tuple(w), tuple(v)) for w in vectors))
    if not rational:
        assert all(s.value is None for s in solved.all())
        return
    gains = [np.clip(v - d, 0, None) for v in rational]
    ideal = np.max(rational, axis=0)
    span = ideal - d
    counted = span > 1e-9
    expected = {
        "nash": max(float(g.prod()) for g in gains),
        "egalitarian": max(float((v - d).min()) for v in rational),
        "utilitarian": max(float(v.sum()) for v in rational),
        "kalai_smorodinsky": max(float((g[counted] / span[counted]).min()) if counted.any()
                                 else 0.0 for g in gains),
    }
    for solution in solved.all():
        assert solution.value == pytest.approx(expected[solution.name], abs=1e-9), solution.name
        package = tuple(int(o) for o in solved.package(solution))
        # The package shown is a real acceptable package with the utilities reported.
        assert all(oracle_accepts(space, q, package) for q in must(space))
        assert np.allclose(solved.utilities(solution),
                           [oracle_utility(space, p, package) for p in parties], atol=1e-12)


# ---------------------------------------------------------------------------
# improve


@RUNS
@given(seed=SEEDS, text=st.integers(0, 2), k=st.integers(1, 4))
def test_improvements_with_terms_equal_brute_force(seed: int, text: int, k: int) -> None:
    space = random_space(seed)
    base = space.texts[text]
    baseline = np.array([min(oracle_utility(space, p, x) for x in packages_of(space, base))
                         for p in range(space.n_parties)])
    np.testing.assert_allclose(guaranteed_utilities(space, base), baseline, atol=1e-12)
    pool = [x for x in packages_of(space) if all(oracle_clean(space, q, x) for q in must(space))]
    vectors = {x: tuple(oracle_utility(space, p, x) for p in range(space.n_parties)) for x in pool}
    no_worse = [x for x in pool if all(u >= b - TIE for u, b in zip(vectors[x], baseline,
                                                                      strict=True))]
    keyed = {x: (*vectors[x], -changes(base, x)) for x in no_worse}
    efficient = [x for x in no_worse if not any(dominates(keyed[y], keyed[x]) for y in no_worse)]
    better = [x for x in efficient if any(u > b + TIE for u, b in zip(vectors[x], baseline,
                                                                       strict=True))]
    result = improve(space, text, k=k)
    assert result.efficient_count == len(better)
    assert len(result.improvements) == min(k, len(better))
    listed = {tuple(int(o) for o in item.package) for item in result.improvements}
    assert listed <= set(better)
    if better:
        assert len(result.improvements[0].changes) == min(changes(base, x) for x in better)
    for item in result.improvements:
        x = tuple(int(o) for o in item.package)
        np.testing.assert_allclose(item.utilities, vectors[x], atol=1e-12)
        assert item.acceptable == all(oracle_accepts(space, q, x) for q in must(space))


def test_improve_names_its_enumeration_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.analysis import terms_improve
    from accord.errors import TermsTooLarge

    space = random_space(5)
    monkeypatch.setattr(terms_improve, "MAX_ENUMERATED", 2)
    with pytest.raises(TermsTooLarge, match=r"improve .* up to 2"):
        terms_improve.efficient_improvements(space, space.texts[0], np.zeros(space.n_parties))

