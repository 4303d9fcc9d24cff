"""Interaction terms and conditional red lines: every analysis against brute-force enumeration.

Random small Spaces get random terms (two or three points, each with a set of
options, positive or negative values) and forbidden pairs; the oracle below
evaluates every package in plain Python from the arrays alone and never calls
the code under test.  Each property runs twice: with the enumeration shortcuts
of :mod:`accord.analysis.terms` and with them switched off, so that the
integer programs (scipy ``milp``) answer every question.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analysis import terms as terms_module
from accord.analysis.amend import amend
from accord.analysis.evaluate import blockers, evaluate_package, utility_bounds
from accord.analysis.feasibility import feasibility
from accord.analysis.terms import terms_frontier
from accord.errors import AnalysisError, TermsTooLarge
from accord.space import UNRESOLVED, AdditivePartOnly, AdditiveTables, Space

TOL = 1e-9


def random_space(seed: int) -> Space:
    """A Space of 2–3 parties and 2–4 issues with 2–3 options, terms and forbidden pairs."""
    rng = np.random.default_rng(seed)
    n_parties, n_issues = int(rng.integers(2, 4)), int(rng.integers(2, 5))
    n_options = rng.integers(2, 4, size=n_issues).astype(np.int64)
    width = int(n_options.max())
    mask = np.arange(width)[None, :] < n_options[:, None]
    weights = rng.random((n_parties, n_issues)) + 0.05
    weights /= weights.sum(axis=1, keepdims=True)
    values = np.where(mask[None], np.round(rng.random((n_parties, n_issues, width)), 2), 0.0)
    contribution = weights[:, :, None] * values
    red_lines = (rng.random((n_parties, n_issues, width)) < 0.1) & mask[None]
    reservation = np.round(rng.uniform(0.2, 0.7, n_parties), 2)
    must = np.ones(n_parties, dtype=bool)
    if n_parties == 3:
        must[2] = bool(rng.integers(0, 2))
    term_party, term_value, conditions = [], [], []
    for _ in range(int(rng.integers(1, 6))):
        k = int(rng.integers(2, min(3, n_issues) + 1))
        chosen = sorted(rng.choice(n_issues, size=k, replace=False).tolist())
        conds = []
        for i in chosen:
            size = int(rng.integers(1, n_options[i]))
            conds.append((i, tuple(sorted(rng.choice(int(n_options[i]), size=size,
                                                     replace=False).tolist()))))
        term_party.append(int(rng.integers(0, n_parties)))
        term_value.append(float(np.round(rng.uniform(-0.3, 0.3), 3)))
        conditions.append(tuple(conds))
    bans = set()
    for _ in range(int(rng.integers(0, 4))):
        i, j = rng.choice(n_issues, size=2, replace=False).tolist()
        bans.add((int(rng.integers(0, n_parties)), i, int(rng.integers(0, n_options[i])),
                  j, int(rng.integers(0, n_options[j]))))
    n_texts = 3
    texts = np.stack([rng.integers(0, n_options) for _ in range(n_texts)]).astype(np.int64)
    texts = np.where(rng.random(texts.shape) < 0.35, UNRESOLVED, texts)
    arrays: dict[str, Any] = {
        "n_options": n_options, "option_mask": mask, "weights": weights, "values": values,
        "red_lines": red_lines, "reservation": reservation, "must_accept": must, "texts": texts,
        "term_party": np.array(term_party, dtype=np.int64),
        "term_value": np.array(term_value), "pair_bans": np.array(sorted(bans), dtype=np.int64
                                                                   ).reshape(-1, 5)}
    for array in [*arrays.values(), contribution]:
        array.setflags(write=False)
    tables = AdditiveTables(weights, values, contribution, red_lines)
    guarded = {name: getattr(tables, name).view(AdditivePartOnly) for name in tables._fields}
    for name in ("weights", "values", "red_lines"):
        arrays.pop(name)
    return Space(
        party_ids=tuple(f"p{k}" for k in range(n_parties)),
        issue_ids=tuple(f"i{k}" for k in range(n_issues)),
        option_ids=tuple(tuple(f"o{o}" for o in range(int(n))) for n in n_options),
        _additive=tables, term_conditions=tuple(conditions),
        text_ids=tuple(f"t{k}" for k in range(n_texts)),
        text_parents=np.full(n_texts, -1, dtype=np.int64), **guarded, **arrays)


# ---------------------------------------------------------------------------
# the oracle: plain Python over every package, from the arrays alone


def packages_of(space: Space, base: np.ndarray | None = None) -> Iterator[tuple[int, ...]]:
    ranges = [range(int(n)) if base is None or base[i] == UNRESOLVED else [int(base[i])]
              for i, n in enumerate(space.n_options)]
    yield from itertools.product(*ranges)


def oracle_utility(space: Space, p: int, x: tuple[int, ...]) -> float:
    assert space._additive is not None
    total = sum(float(space._additive.contribution[p, i, o]) for i, o in enumerate(x))
    for party, value, conditions in zip(space.term_party, space.term_value,
                                        space.term_conditions, strict=True):
        if party == p and all(x[i] in options for i, options in conditions):
            total += float(value)
    return total


def oracle_clean(space: Space, p: int, x: tuple[int, ...]) -> bool:
    assert space._additive is not None
    if any(space._additive.red_lines[p, i, o] for i, o in enumerate(x)):
        return False
    return not any(q == p and x[i] == a and x[j] == b for q, i, a, j, b in space.pair_bans.tolist())


def oracle_accepts(space: Space, p: int, x: tuple[int, ...]) -> bool:
    return oracle_clean(space, p, x) and oracle_utility(space, p, x) >= space.reservation[p] - TOL


def must(space: Space) -> list[int]:
    return [int(q) for q in np.flatnonzero(space.must_accept)]


def changes(base: np.ndarray, x: tuple[int, ...]) -> int:
    return sum(1 for i, o in enumerate(x) if base[i] != UNRESOLVED and base[i] != o)


@pytest.fixture(params=["enumeration", "milp"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "milp":
        monkeypatch.setattr(terms_module, "_ENUMERATE_BELOW", 0)
        monkeypatch.setattr(terms_module, "_SEARCH_ENUMERATE", 0)
    return str(request.param)


SEEDS = st.integers(0, 2**32 - 1)
# The engine fixture only patches module constants, which hold for every example.
RUNS = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


# ---------------------------------------------------------------------------
# properties


@RUNS
@given(seed=SEEDS)
def test_utilities_and_red_line_hits_match_the_oracle(seed: int) -> None:
    space = random_space(seed)
    packages = np.array(list(packages_of(space)), dtype=np.int64)
    utilities = space.utilities(packages)
    hits = space.red_line_hits(packages)
    for n, x in enumerate(map(tuple, packages.tolist())):
        for p in range(space.n_parties):
            assert utilities[n, p] == pytest.approx(oracle_utility(space, p, x), abs=1e-12)
            assert hits[n, p] == (not oracle_clean(space, p, x))


@RUNS
@given(seed=SEEDS)
def test_intervals_and_verdicts_match_the_oracle(engine: str, seed: int) -> None:
    space = random_space(seed)
    for t in range(len(space.text_ids)):
        base = space.texts[t]
        completions = list(packages_of(space, base))
        low, high = utility_bounds(space, base)
        evaluation = evaluate_package(space, base)
        for p in range(space.n_parties):
            utilities = [oracle_utility(space, p, x) for x in completions]
            assert low[p] == pytest.approx(min(utilities), abs=1e-9)
            assert high[p] == pytest.approx(max(utilities), abs=1e-9)
            accepted = [oracle_accepts(space, p, x) for x in completions]
            expected = True if all(accepted) else (False if not any(accepted) else None)
            assert evaluation.parties[p].acceptable is expected, (t, p)


@RUNS
@given(seed=SEEDS)
def test_smallest_fix_is_acceptable_and_smallest(engine: str, seed: int) -> None:
    space = random_space(seed)
    base = space.texts[0]
    for p in range(space.n_parties):
        found = blockers(space, base, p)
        acceptable = [x for x in packages_of(space) if oracle_accepts(space, p, x)]
        assert found.achievable == bool(acceptable)
        if not acceptable:
            continue
        fixed = base.copy()
        for move in found.smallest_fix:
            fixed[move.issue] = move.option
        # The fix closes every open point and the result is acceptable to the party.
        assert (fixed != UNRESOLVED).all()
        assert oracle_accepts(space, p, tuple(int(o) for o in fixed))
        assert changes(base, tuple(fixed)) == min(changes(base, x) for x in acceptable)


@RUNS
@given(seed=SEEDS)
def test_feasibility_matches_the_oracle(engine: str, seed: int) -> None:
    space = random_space(seed)
    parties = must(space)
    clean = [x for x in packages_of(space) if all(oracle_clean(space, q, x) for q in parties)]
    result = feasibility(space)
    if not clean:
        assert result.margin == -np.inf and result.package is None
        return
    margins = [min(oracle_utility(space, q, x) - space.reservation[q] for q in parties)
               for x in clean]
    assert result.margin == pytest.approx(max(margins), abs=1e-9)
    package = tuple(int(o) for o in result.package)
    assert all(oracle_clean(space, q, package) for q in parties)
    assert min(oracle_utility(space, q, package) - space.reservation[q]
               for q in parties) == pytest.approx(max(margins), abs=1e-9)
    assert result.feasible == (max(margins) >= -TOL)


@RUNS
@given(seed=SEEDS)
def test_feasibility_with_a_reference_takes_the_fewest_changes(engine: str, seed: int) -> None:
    space = random_space(seed)
    parties = must(space)
    base = space.texts[1]
    clean = [x for x in packages_of(space) if all(oracle_clean(space, q, x) for q in parties)]
    result = feasibility(space, reference=base)
    if not clean:
        return
    margins = {x: min(oracle_utility(space, q, x) - space.reservation[q] for q in parties)
               for x in clean}
    best = max(margins.values())
    fewest = min(changes(base, x) for x, m in margins.items() if m >= best - 1e-9)
    assert result.margin == pytest.approx(best, abs=1e-8)
    assert len(result.changes) == fewest


@RUNS
@given(seed=SEEDS)
def test_smallest_amendment_matches_the_oracle(engine: str, seed: int) -> None:
    space = random_space(seed)
    parties = must(space)
    for t in range(len(space.text_ids)):
        base = space.texts[t]
        acceptable = [x for x in packages_of(space)
                      if all(oracle_accepts(space, q, x) for q in parties)]
        result = amend(space, base)
        if not acceptable:
            assert result.best is None and result.closest_miss is not None
            continue
        fewest = min(changes(base, x) for x in acceptable)
        assert result.min_changes == fewest
        assert result.best is not None
        package = tuple(int(o) for o in result.best.package)
        assert all(oracle_accepts(space, q, package) for q in parties)
        if fewest:
            # The evidence that fewer changes cannot do: the best package with fewer misses.
            assert result.best_with_fewer is not None
            assert not result.best_with_fewer.feasible


@RUNS
@given(seed=SEEDS, acceptable=st.booleans())
def test_frontier_by_enumeration_matches_the_oracle(seed: int, acceptable: bool) -> None:
    space = random_space(seed)
    packages, utilities = terms_frontier(space, acceptable_only=acceptable)
    pool = [x for x in packages_of(space)
            if not acceptable or all(oracle_accepts(space, q, x) for q in must(space))]
    vectors = {x: tuple(oracle_utility(space, p, x) for p in range(space.n_parties)) for x in pool}

    def dominated(v: tuple[float, ...]) -> bool:
        return any(all(a >= b - 1e-12 for a, b in zip(w, v, strict=True))
                   and any(a > b + 1e-12 for a, b in zip(w, v, strict=True))
                   for w in vectors.values())

    expected = {x for x, v in vectors.items() if not dominated(v)}
    assert {tuple(int(o) for o in row) for row in packages} == expected
    for row, vector in zip(packages, utilities, strict=True):
        assert tuple(vector) == pytest.approx(vectors[tuple(int(o) for o in row)], abs=1e-12)


def test_frontier_refuses_beyond_the_enumeration_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    space = random_space(7)
    monkeypatch.setattr(terms_module, "MAX_ENUMERATED", 3)
    with pytest.raises(TermsTooLarge, match="enumeration, up to 3 packages"):
        terms_frontier(space)


def test_pareto_frontier_enumerates_a_space_with_terms() -> None:
    from accord.analysis.pareto import pareto_frontier

    space = random_space(11)
    for acceptable in (False, True):
        dispatched = pareto_frontier(space, acceptable_only=acceptable)
        enumerated = terms_module.frontier(space, acceptable_only=acceptable)
        assert dispatched.exact
        np.testing.assert_array_equal(dispatched.packages, enumerated.packages)
        np.testing.assert_allclose(dispatched.utilities, enumerated.utilities)


def test_additive_only_analyses_refuse_a_space_with_terms() -> None:
    space = random_space(11)
    for name in ("contribution", "weights", "values", "red_lines"):
        with pytest.raises(AnalysisError, match="reads only the additive part"):
            getattr(space, name).sum()
    with pytest.raises(AnalysisError, match="reads only the additive part"):
        np.zeros_like(space.red_lines)


def test_an_additive_space_has_no_guard() -> None:
    space = random_space(3)
    assert space._additive is not None
    plain = dataclasses.replace(space, **space._additive._asdict(), _additive=None,
                                term_party=np.zeros(0, np.int64), term_value=np.zeros(0),
                                term_conditions=(), pair_bans=np.zeros((0, 5), np.int64))
    assert plain.is_additive and not plain.has_terms and not plain.has_pair_bans
    assert type(plain.contribution) is np.ndarray


@settings(max_examples=30, deadline=None)
@given(seed=SEEDS, acceptable=st.booleans())
def test_enumeration_frontier_equals_the_additive_frontier_without_terms(seed: int,
                                                                         acceptable: bool) -> None:
    from accord.analysis.pareto import pareto_frontier
    from accord.analysis.terms import frontier

    space = random_space(seed)
    assert space._additive is not None
    plain = dataclasses.replace(space, **space._additive._asdict(), _additive=None,
                                term_party=np.zeros(0, np.int64), term_value=np.zeros(0),
                                term_conditions=(), pair_bans=np.zeros((0, 5), np.int64))
    ours = frontier(plain, acceptable_only=acceptable)
    theirs = pareto_frontier(plain, acceptable_only=acceptable)
    assert ours.exact and len(ours) == len(theirs)
    assert {tuple(row) for row in ours.packages.tolist()} == \
        {tuple(row) for row in theirs.packages.tolist()}
    assert (ours.empty_reason is None) == (len(theirs) > 0)


def zero_terms(space: Space) -> tuple[Space, Space]:
    """(the additive Space, the same utilities with every term worth 0 and no pairs).

    The second takes the term-aware paths but must answer exactly as the first.
    """
    assert space._additive is not None
    plain = dataclasses.replace(space, **space._additive._asdict(), _additive=None,
                                term_party=np.zeros(0, np.int64), term_value=np.zeros(0),
                                term_conditions=(), pair_bans=np.zeros((0, 5), np.int64))
    zero = np.zeros(space.term_value.size)
    zero.setflags(write=False)
    return plain, dataclasses.replace(space, term_value=zero,
                                      pair_bans=np.zeros((0, 5), np.int64))


@settings(max_examples=40, deadline=None)
@given(seed=SEEDS)
def test_term_paths_answer_as_the_additive_ones_when_terms_are_worth_nothing(seed: int) -> None:
    plain, zero = zero_terms(random_space(seed))
    assert plain.is_additive and not zero.is_additive
    assert feasibility(zero).margin == pytest.approx(feasibility(plain).margin, abs=1e-12)
    for t in range(len(plain.text_ids)):
        base = plain.texts[t]
        for low, high in zip(utility_bounds(zero, base), utility_bounds(plain, base), strict=True):
            assert np.allclose(low, high, atol=1e-12, rtol=0)
        ours, theirs = evaluate_package(zero, base), evaluate_package(plain, base)
        assert [v.acceptable for v in ours.parties] == [v.acceptable for v in theirs.parties]
        assert ours.deal == theirs.deal
        ours_amend, theirs_amend = amend(zero, base), amend(plain, base)
        assert ours_amend.min_changes == theirs_amend.min_changes
        assert ours_amend.efficient_count == theirs_amend.efficient_count
        assert [a.package.tolist() for a in ours_amend.amendments] == \
            [a.package.tolist() for a in theirs_amend.amendments]
