"""Bargaining, improve, robust and the deal chances with interaction terms, against enumeration.

The random Spaces and the plain-Python oracle are those of ``test_terms.py``:
every package is enumerated and judged from the arrays alone (the additive
tables, the terms, the forbidden pairs), never through the code under test.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analysis.bargaining import bargaining_solutions, default_parties
from accord.analysis.improve import guaranteed_utilities, improve
from accord.analysis.uncertainty import (
    UncertainModel,
    chunk_plan,
    deal_chances,
    profiles,
    sample_draws,
)
from accord.analysis.uncertainty.model import Estimate
from accord.space import Space
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



# ---------------------------------------------------------------------------
# deal chances


def uncertain_model(space: Space, seed: int) -> UncertainModel:
    """``space`` with a few ranged estimates: values, a weight, a reservation, a red line."""
    rng = np.random.default_rng(seed)
    tables = space.tables
    estimates = []
    for _ in range(int(rng.integers(1, 5))):
        p, i = int(rng.integers(space.n_parties)), int(rng.integers(space.n_issues))
        o = int(rng.integers(space.n_options[i]))
        kind = ["value", "weight", "reservation", "red_line"][int(rng.integers(4))]
        if kind == "value":
            estimates.append(Estimate("value", p, i, o, ("uniform", 0.0, 1.0)))
        elif kind == "weight":
            w = float(tables.weights[p, i])
            estimates.append(Estimate("weight", p, i, -1, ("triangular", 0.0, w, 2 * w + 0.1)))
        elif kind == "reservation":
            r = float(space.reservation[p])
            estimates.append(Estimate("reservation", p, -1, -1, ("uniform", r - 0.2, r + 0.2)))
        elif not tables.red_lines[p, i, o]:
            estimates.append(Estimate("red_line", p, i, o, ("red_line", 0.5)))
    # One estimate per number: later duplicates would silently overwrite earlier ones.
    unique = {(e.kind, e.party, e.issue, e.option): e for e in estimates}
    return UncertainModel(space, np.array(tables.weights), np.array(tables.values),
                          np.array(space.reservation), np.array(tables.red_lines),
                          tuple(unique.values()))


def oracle_profile_judge(space: Space, contribution: np.ndarray, red: np.ndarray,
                         reservation: np.ndarray, p: int, x: tuple[int, ...]) -> tuple[bool, float]:
    """(acceptable, utility − reservation) of ``x`` for ``p`` in one sampled profile, in Python."""
    total = sum(float(contribution[p, i, o]) for i, o in enumerate(x))
    for party, value, conditions in zip(space.term_party, space.term_value,
                                        space.term_conditions, strict=True):
        if party == p and all(x[i] in options for i, options in conditions):
            total += float(value)
    refused = any(red[p, i, o] for i, o in enumerate(x)) or any(
        q == p and x[i] == a and x[j] == b for q, i, a, j, b in space.pair_bans.tolist())
    margin = total - float(reservation[p])
    return (not refused and margin >= -TOL_MARGIN), margin


TOL_MARGIN = 1e-9


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS, n=st.integers(1, 40))
def test_deal_chances_with_terms_equal_enumeration_in_every_sample(seed: int, n: int) -> None:
    space = random_space(seed)
    model = uncertain_model(space, seed)
    texts = np.vstack([space.texts, np.array(next(packages_of(space)))[None]])
    space_with = dataclasses.replace(space, texts=texts, text_ids=(*space.text_ids, "whole"),
                                     text_parents=np.full(texts.shape[0], -1, dtype=np.int64))
    model = dataclasses.replace(model, space=space_with)
    result = deal_chances(model, samples=n, seed=seed % 1000, any_package=True)
    # The same profiles, drawn by the sampling code the additive path uses too.
    [(chunk_seed, size)] = chunk_plan(n, seed % 1000)
    prof = profiles(model, sample_draws(model, np.random.Generator(np.random.PCG64(chunk_seed)),
                                        size))
    parties = must(space)
    every = list(packages_of(space))
    exists = 0
    for s in range(n):
        c, red, res = prof.contribution[s], prof.red_lines[s], prof.reservation[s]
        exists += any(all(oracle_profile_judge(space, c, red, res, q, x)[0] for q in parties)
                      for x in every)
    assert result.p_any_package == pytest.approx(exists / n, abs=1e-12)
    for chance in result.texts:
        base = texts[chance.text]
        completions = list(packages_of(space, base))
        deals = 0
        for s in range(n):
            c, red, res = prof.contribution[s], prof.red_lines[s], prof.reservation[s]
            judged = [[oracle_profile_judge(space, c, red, res, p, x) for x in completions]
                      for p in range(space.n_parties)]
            surely = [all(ok for ok, _ in row) for row in judged]
            deals += all(surely[q] for q in parties)
        assert chance.p_all == pytest.approx(deals / n, abs=1e-12), chance.text
    for chance in result.texts:
        base = texts[chance.text]
        completions = list(packages_of(space, base))
        for party in chance.parties:
            p = party.party
            counts = [0, 0]
            margins = []
            for s in range(n):
                c, red, res = prof.contribution[s], prof.red_lines[s], prof.reservation[s]
                row = [oracle_profile_judge(space, c, red, res, p, x) for x in completions]
                counts[0] += all(ok for ok, _ in row)
                counts[1] += any(ok for ok, _ in row)
                margins.append(min(m for _, m in row))
            assert party.p_accept == pytest.approx(counts[0] / n, abs=1e-12)
            assert party.p_possible == pytest.approx(counts[1] / n, abs=1e-12)
            assert party.margin_mean == pytest.approx(float(np.mean(margins)), abs=1e-9)


def test_deal_chances_name_their_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.analysis.uncertainty import terms as sampled_terms
    from accord.errors import TermsTooLarge

    space = random_space(5)
    monkeypatch.setattr(sampled_terms, "MAX_SAMPLED_PACKAGES", 1)
    with pytest.raises(TermsTooLarge, match="up to 1 packages"):
        deal_chances(uncertain_model(space, 5), samples=4, any_package=True)


# ---------------------------------------------------------------------------
# robust


def oracle_sample_counts(space: Space, model: UncertainModel, n: int, seed: int,
                         ) -> dict[tuple[int, ...], int]:
    """How many of the common samples every must-accept party accepts each package in."""
    [(chunk_seed, size)] = chunk_plan(n, seed)
    prof = profiles(model, sample_draws(model, np.random.Generator(np.random.PCG64(chunk_seed)),
                                        size))
    counts = {}
    for x in packages_of(space):
        counts[x] = sum(
            all(oracle_profile_judge(space, prof.contribution[s], prof.red_lines[s],
                                     prof.reservation[s], q, x)[0] for q in must(space))
            for s in range(n))
    return counts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS, n=st.integers(1, 30), text=st.integers(0, 2))
def test_the_robust_package_and_its_smallest_amendment_with_terms_equal_enumeration(
        seed: int, n: int, text: int) -> None:
    from accord.analysis.robust import common_samples, robust_package, smallest_amendment

    space = random_space(seed)
    model = uncertain_model(space, seed)
    counts = oracle_sample_counts(space, model, n, seed % 1000)
    crn = common_samples(model, n, seed % 1000)
    found = robust_package(model, crn=crn)
    assert found.method == "exhaustive"
    best = max(counts.values())
    assert found.successes == best
    assert counts[tuple(int(o) for o in found.package)] == best
    amendment = smallest_amendment(model, text, crn=crn, robust=found)
    base = space.texts[text]
    fewest = min(changes(base, x) for x, c in counts.items() if c >= best)
    assert len(amendment.changes) == fewest
    assert counts[tuple(int(o) for o in amendment.package)] >= best
    assert amendment.p_all == pytest.approx(best / n)


def test_robust_candidates_with_terms_beyond_the_exhaustive_limit() -> None:
    """The frontier + local search path runs on terms and its answer is a real count."""
    from accord.analysis.robust import common_samples, robust_package

    space = random_space(9)
    model = uncertain_model(space, 9)
    crn = common_samples(model, 16, 0)
    found = robust_package(model, crn=crn, exhaustive_limit=1)
    assert found.method == "frontier + local search"
    assert "interaction terms" in found.candidates
    counts = oracle_sample_counts(space, model, 16, 0)
    assert found.successes == counts[tuple(int(o) for o in found.package)]


# ---------------------------------------------------------------------------
# sensitivity


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS, n=st.integers(1, 30), any_package=st.booleans())
def test_the_tornado_with_terms_equals_one_enumerated_run_per_setting(
        seed: int, n: int, any_package: bool) -> None:
    """The shared tornado equals a full run per pinned setting, and its base equals enumeration."""
    from accord.analysis.sensitivity import tornado

    space = random_space(seed)
    model = uncertain_model(space, seed)
    shared = tornado(model, samples=n, seed=seed % 1000, any_package=any_package)
    rerun = tornado(model, samples=n, seed=seed % 1000, any_package=any_package, method="rerun")
    assert shared.base == rerun.base
    assert [(e.estimate, e.p_low, e.p_high) for e in shared.effects] == \
        [(e.estimate, e.p_low, e.p_high) for e in rerun.effects]
    [(chunk_seed, size)] = chunk_plan(n, seed % 1000)
    prof = profiles(model, sample_draws(model, np.random.Generator(np.random.PCG64(chunk_seed)),
                                        size))
    expected = []
    for base in space.texts:
        completions = list(packages_of(space, base))
        expected.append(sum(
            all(all(oracle_profile_judge(space, prof.contribution[s], prof.red_lines[s],
                                         prof.reservation[s], q, x)[0] for x in completions)
                for q in must(space)) for s in range(n)) / n)
    assert list(shared.base[: len(space.texts)]) == pytest.approx(expected, abs=1e-12)


# ---------------------------------------------------------------------------
# protocols


@RUNS
@given(seed=SEEDS)
def test_protocol_domains_price_terms_red_lines_and_forbidden_pairs(seed: int) -> None:
    from accord.protocols.engine import RED_LINE_PENALTY, Domain

    space = random_space(seed)
    domain = Domain.from_space(space)
    every = list(packages_of(space))
    found = domain.evaluate(np.array(every, dtype=np.int64))
    tables = space.tables
    for n, x in enumerate(every):
        for p in range(space.n_parties):
            hits = sum(bool(tables.red_lines[p, i, o]) for i, o in enumerate(x)) + sum(
                1 for q, i, a, j, b in space.pair_bans.tolist() if q == p and x[i] == a and x[j] == b)
            expected = oracle_utility(space, p, x) - RED_LINE_PENALTY * hits
            assert found[n, p] == pytest.approx(expected, abs=1e-12)
        assert domain.agreement(np.array(x)) == all(oracle_accepts(space, q, x) for q in must(space))


def test_every_protocol_runs_on_the_example_with_links() -> None:
    """Shuttle, mediation and alternating offers end on texts judged with the links."""
    from pathlib import Path

    from accord.io.scenario_file import load
    from accord.protocols.simulate import run_alternating, run_mediation, run_shuttle
    from accord.space import compile_scenario

    space = compile_scenario(load(Path(__file__).parents[1] / "data" / "job-offer-terms.toml"))
    assert space.has_terms and space.has_pair_bans
    mediated = run_mediation(space, seed=1, proposals=200)
    np.testing.assert_allclose(mediated.utilities, space.utilities(mediated.result.text))
    shuttled = run_shuttle(space, 0, [0, 1], seed=1)
    final = shuttled.result.versions[-1]
    if shuttled.result.agreement:
        assert space.acceptable(final)[space.must_accept].all()
    alternated = run_alternating(space, ["boulware", "conceder"], [0, 1], seed=1)
    if alternated.result.agreement:
        assert space.acceptable(alternated.result.text)[[0, 1]].all()


@pytest.mark.parametrize("seed", [48, 98, 142, 188])
def test_the_tornado_with_terms_does_not_assume_a_weight_s_direction(seed: int) -> None:
    """Uncertain weights only: with terms, pinning a weight can move packages either way.

    The seeds are spaces where the additive shortcut (re-decide only the samples a
    weight can move in one direction) gives a different answer from a full run.
    """
    from accord.analysis.sensitivity import tornado

    space = random_space(seed)
    tables = space.tables
    weights = [Estimate("weight", p, i, -1, ("uniform", 0.0, 3 * float(tables.weights[p, i]) + 0.2))
               for p in range(space.n_parties) for i in range(space.n_issues)][:6]
    model = UncertainModel(space, np.array(tables.weights), np.array(tables.values),
                           np.array(space.reservation), np.array(tables.red_lines), tuple(weights))
    shared = tornado(model, samples=64, seed=1, any_package=True)
    rerun = tornado(model, samples=64, seed=1, any_package=True, method="rerun")
    assert [(e.estimate, e.p_low, e.p_high) for e in shared.effects] == \
        [(e.estimate, e.p_low, e.p_high) for e in rerun.effects]
