"""Alternating offers: Rubinstein and stacked protocols, FSJ tactics, GENIUS metrics, traces."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from accord.io.scenario_file import load
from accord.protocols import alternating
from accord.protocols.alternating import (
    OfferSpace,
    TimeDependent,
    alternate,
    alternating_metrics,
    replay_alternating,
)
from accord.protocols.engine import Domain, outcome_utilities
from accord.protocols.metrics import _chunked_frontier_2d, brute_force_frontier, frontier_of
from accord.space import compile_scenario
from tests.scenario_strategies import scenarios


def _table_domain(tables: list[np.ndarray], reservation: list[float],
                  discount: float | tuple[float, ...] = 1.0) -> Domain:
    issues = np.arange(tables[0].shape[0])

    def make(table: np.ndarray):
        return lambda texts: table[issues, texts].sum(axis=1)

    return Domain(party_ids=tuple(f"p{k}" for k in range(len(tables))),
                  n_options=np.full(len(issues), tables[0].shape[1], dtype=np.int64),
                  utilities=tuple(make(t) for t in tables),
                  reservation=np.array(reservation, dtype=float),
                  must_accept=np.ones(len(tables), bool), discount=discount)


def _random_domain(seed: int, n_parties: int = 2, n_issues: int = 5, n_options: int = 4,
                   reservation: float = 0.3, discount: float = 1.0) -> Domain:
    rng = np.random.default_rng(seed)
    tables = []
    for _ in range(n_parties):
        weights = rng.dirichlet(np.ones(n_issues))
        tables.append(weights[:, None] * rng.random((n_issues, n_options)))
    return _table_domain(tables, [reservation] * n_parties, discount)


@pytest.fixture(scope="module")
def job_domain(job_offer_path: Path) -> Domain:
    return Domain.from_space(compile_scenario(load(job_offer_path)))


def _own_offer_curve(result: alternating.AlternatingResult, party: int) -> list[tuple[float, float]]:
    """(progress, own utility) of each offer ``party`` made, from the trace."""
    total = result.trace.events[-1].round / result.progress if result.progress else 1
    actor = result.trace.party_ids[party]
    return [(e.round / total, e.utilities[party]) for e in result.trace.events
            if e.kind == "offer" and e.actor == actor]


def test_same_seed_same_trace_and_replay(job_domain: Domain) -> None:
    for strategies in (("boulware", "conceder"), ("random", "tit-for-tat")):
        first = alternate(job_domain, strategies, rounds=40, seed=7)
        again = alternate(job_domain, strategies, rounds=40, seed=7)
        assert first.trace.to_jsonl() == again.trace.to_jsonl()
        replayed = replay_alternating(first.trace)
        assert replayed == (None if first.text is None else tuple(first.text.tolist()))
    other = alternate(job_domain, ("random", "random"), rounds=40, seed=8)
    assert other.trace.to_jsonl() != alternate(job_domain, ("random", "random"), rounds=40,
                                                seed=7).trace.to_jsonl()


def test_replay_detects_a_tampered_trace(job_domain: Domain) -> None:
    result = alternate(job_domain, ("conceder", "conceder"), rounds=40, seed=1)
    assert result.agreement
    events = result.trace.events
    last_accept = max(k for k, e in enumerate(events) if e.kind == "accept")
    wrong = tuple(1 - o if o < 2 else o for o in events[last_accept].text)
    events[last_accept] = alternating.Event(events[last_accept].round, events[last_accept].actor,
                                            "accept", wrong)
    with pytest.raises(ValueError):
        replay_alternating(result.trace)


def test_boulware_concedes_later_than_conceder() -> None:
    # Opposed preferences: what one gains the other loses, so neither accepts early.
    rng = np.random.default_rng(0)
    table = rng.random((6, 4))
    domain = _table_domain([table, table.max() - table], [0.0, 0.0])
    late = alternate(domain, ("boulware", "boulware"), rounds=200, seed=3)
    early = alternate(domain, ("conceder", "conceder"), rounds=200, seed=3)
    boulware, conceder = _own_offer_curve(late, 0), _own_offer_curve(early, 0)
    best = float(table.max(axis=1).sum())
    # At every stage reached by both, the Boulware offer is worth more to its maker.
    for cut in (0.2, 0.4, 0.6):
        b = [u for t, u in boulware if t <= cut][-1]
        c = [u for t, u in conceder if t <= cut][-1]
        assert b > c
    # Boulware still holds out (≥ 90% of its best) at half time; Conceder has given up more.
    assert [u for t, u in boulware if t <= 0.5][-1] >= 0.9 * best
    assert [u for t, u in conceder if t <= 0.5][-1] < 0.8 * best
    # Conceder agrees sooner.
    assert early.agreement and (not late.agreement or early.rounds < late.rounds)


def test_time_dependent_target_follows_fsj() -> None:
    domain = _random_domain(1)
    space = OfferSpace(domain.utilities[0], domain.n_options, 0.3, np.random.default_rng(0),
                       domain.utilities[0](domain.all_outcomes()))
    for beta in (0.2, 1.0, 2.0):
        agent = TimeDependent(space, 0.3, beta)
        for t in (0.0, 0.25, 0.5, 1.0):
            expected = space.best_utility - t ** (1 / beta) * (space.best_utility - space.floor)
            assert agent.target(t) == pytest.approx(expected)
            offer = space.at(agent.target(t))
            # The offer reaches the target and is within the near-equal band above the
            # lowest outcome that does.
            values = np.sort(domain.utilities[0](domain.all_outcomes()))
            lowest = values[np.searchsorted(values, agent.target(t) - 1e-12)]
            assert lowest - 1e-12 <= space.value(offer) <= lowest + space.tolerance + 1e-12


@pytest.mark.parametrize("pair", [("boulware", "conceder"), ("linear", "linear"),
                                  ("tit-for-tat", "conceder"), ("random", "linear")])
def test_agreements_are_acceptable_to_both(pair: tuple[str, str]) -> None:
    agreements = 0
    for seed in range(8):
        domain = _random_domain(seed)
        result = alternate(domain, pair, rounds=60, seed=seed)
        if result.agreement:
            agreements += 1
            assert (result.utilities >= domain.reservation - 1e-12).all()
        else:
            assert np.array_equal(result.utilities, domain.reservation)
    assert agreements >= 4  # each of these domains has an agreement zone


def test_local_search_offers_reach_the_target(job_domain: Domain) -> None:
    table = OfferSpace(job_domain.utilities[0], job_domain.n_options, 0.0,
                       np.random.default_rng(0),
                       outcome_utilities(job_domain.utilities[0], job_domain.n_options))
    search = OfferSpace(job_domain.utilities[0], job_domain.n_options, 0.0,
                        np.random.default_rng(0))
    assert search.best_utility == pytest.approx(table.best_utility)
    for target in np.linspace(table.floor + 0.05, table.best_utility, 8):
        value = search.value(search.at(float(target)))
        assert value >= target - 0.06 and value <= target + 0.12


def test_large_domain_uses_local_search(monkeypatch: pytest.MonkeyPatch,
                                        job_domain: Domain) -> None:
    monkeypatch.setattr(alternating, "TABLE_LIMIT", 10)
    result = alternate(job_domain, ("conceder", "conceder"), rounds=60, seed=2)
    assert result.agreement
    assert job_domain.agreement(result.text)


def test_stacked_three_parties() -> None:
    domain = _random_domain(4, n_parties=3, reservation=0.25)
    result = alternate(domain, ("conceder", "linear", "boulware"), rounds=80, seed=0)
    assert result.trace.protocol == "alternate/stacked"
    assert result.agreement
    assert (result.utilities >= 0.25 - 1e-12).all()
    moves = [e for e in result.trace.events if e.kind in ("offer", "accept")]
    # The agreed offer: made by one party, then accepted by both others in turn.
    assert [m.kind for m in moves[-3:]] == ["offer", "accept", "accept"]
    assert len({m.actor for m in moves[-3:]}) == 3
    assert replay_alternating(result.trace) == tuple(result.text.tolist())
    # Turn order is fixed: p0, p1, p2, p0, ...
    assert [int(m.actor[1:]) for m in moves] == [(m.round - 1) % 3 for m in moves]


def test_walk_away_when_nothing_is_acceptable() -> None:
    domain = _random_domain(2, reservation=0.3)
    domain = Domain(domain.party_ids, domain.n_options, domain.utilities,
                    np.array([0.3, 5.0]), domain.must_accept)
    result = alternate(domain, ("linear", "linear"), rounds=10, seed=0)
    assert not result.agreement and result.walked_away == 1 and result.turns == 2
    assert result.trace.events[-1].kind == "breakdown"


def test_discount_and_metrics_with_genius_definitions() -> None:
    domain = _random_domain(5, discount=0.5)
    result = alternate(domain, ("linear", "linear"), rounds=50, seed=1)
    assert result.agreement
    t = result.turns / (50 * 2)
    assert result.progress == pytest.approx(t)
    np.testing.assert_allclose(result.discounted_utilities, result.utilities * 0.5 ** t)
    frontier = brute_force_frontier(domain)
    metrics = alternating_metrics(domain, result, frontier)
    assert metrics.agreement and metrics.rounds == result.rounds
    assert metrics.social_welfare == pytest.approx(result.utilities.sum())
    assert metrics.discounted_social_welfare == pytest.approx(result.discounted_utilities.sum())
    # Oracle: nearest frontier point and Nash point by direct enumeration.
    utilities = domain.evaluate(domain.all_outcomes())
    dominated = np.array([((utilities >= u).all(axis=1) & (utilities > u).any(axis=1)).any()
                          for u in utilities])
    pareto = utilities[~dominated]
    assert metrics.distance_to_frontier == pytest.approx(
        np.sqrt(((pareto - result.utilities) ** 2).sum(axis=1)).min())
    gains = np.prod(pareto - domain.reservation, axis=1)
    nash = pareto[np.argmax(np.where((pareto > domain.reservation).all(axis=1), gains, -1))]
    assert metrics.distance_to_nash == pytest.approx(np.linalg.norm(nash - result.utilities))
    # No agreement: reservation values, discounted at t = 1.
    stuck = alternate(domain, ("boulware", "boulware"), rounds=1, seed=0)
    assert not stuck.agreement
    np.testing.assert_allclose(stuck.discounted_utilities, domain.reservation * 0.5)


def test_chunked_two_party_frontier_matches_brute_force(job_domain: Domain) -> None:
    exact = np.unique(brute_force_frontier(job_domain).utilities, axis=0)
    np.testing.assert_allclose(_chunked_frontier_2d(job_domain, [0, 1], chunk=37), exact)
    swapped = frontier_of(job_domain, [1, 0]).utilities[:, ::-1]
    assert _covered(swapped, exact) and _covered(exact, swapped)


def test_broadcast_outcome_utilities_match_enumeration(job_domain: Domain) -> None:
    texts = job_domain.all_outcomes()
    for utility in job_domain.utilities:
        assert hasattr(utility, "additive_table")
        np.testing.assert_allclose(outcome_utilities(utility, job_domain.n_options),
                                   utility(texts))
    generic = _random_domain(0)
    np.testing.assert_allclose(outcome_utilities(generic.utilities[1], generic.n_options),
                               generic.utilities[1](generic.all_outcomes()))


def _covered(points: np.ndarray, by: np.ndarray) -> bool:
    """Every point is weakly dominated (to 1e-9) by some point of ``by``."""
    return all(((by >= x - 1e-9).all(axis=1)).any() for x in points)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_parties=3, max_issues=4, max_options=3))
def test_exact_frontier_matches_brute_force(scenario) -> None:
    # The exact merge (accord.analysis.pareto) against enumeration, red-line penalty
    # included; the two agree up to floating-point near-ties.
    domain = Domain.from_space(compile_scenario(scenario))
    exact = frontier_of(domain)
    oracle = brute_force_frontier(domain)
    assert _covered(exact.utilities, oracle.utilities)
    assert _covered(oracle.utilities, exact.utilities)
    if oracle.nash is None:
        assert exact.nash is None
    else:
        gains = np.prod(oracle.nash - domain.reservation)
        assert np.prod(exact.nash - domain.reservation) == pytest.approx(gains, abs=1e-9)
