"""`accord.protocols.simulate`: the runs `accord simulate` shows, checked against the protocols run by hand."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from accord.io.scenario_file import load
from accord.protocols.engine import Domain
from accord.protocols.shuttle import compare_versions, shuttle
from accord.protocols.simulate import run_alternating, run_mediation, run_shuttle
from accord.space import UNRESOLVED, compile_scenario


def test_shuttle_run_is_the_shuttle_and_its_comparison(job_offer_path: Path) -> None:
    space = compile_scenario(load(job_offer_path))
    order = [space.party_index("dana"), space.party_index("northwind")]
    run = run_shuttle(space, 0, order)
    by_hand = shuttle(Domain.from_space(space), space.texts[0], order)
    assert np.array_equal(run.result.versions, by_hand.versions)
    assert run.comparison == tuple(compare_versions(by_hand.versions, space.texts, [1, 2]))
    assert run.meetings == len(by_hand.visited) - 1 - int(by_hand.closed)
    # each party's best case is its plain utility of one completion of the open points
    # (the one it prefers once its red lines are priced in), so never above the best one;
    # a complete version's is its utility
    for v, version in enumerate(by_hand.versions):
        open_points = np.flatnonzero(version == UNRESOLVED)
        completions = []
        for combo in itertools.product(*[range(int(space.n_options[i])) for i in open_points]):
            package = version.copy()
            package[open_points] = combo
            completions.append(space.utilities(package))
        values = np.array(completions)
        for p in range(space.n_parties):
            assert np.isclose(values[:, p], run.best_case[v, p], atol=1e-12).any()
            assert run.best_case[v, p] <= values[:, p].max() + 1e-12
    assert run.result.agreement and np.array_equal(run.agreed, by_hand.versions[-1])
    assert (run.agreed != UNRESOLVED).all()


def test_no_agreement_has_no_agreed_text(peace_plan_path: Path) -> None:
    space = compile_scenario(load(peace_plan_path))
    run = run_shuttle(space, 0, [space.party_index("ua"), space.party_index("ru")])
    assert not run.result.agreement and run.agreed is None


def test_mediation_and_alternating_utilities_are_the_space_utilities(job_offer_path: Path) -> None:
    space = compile_scenario(load(job_offer_path))
    mediation = run_mediation(space, mediator="random", voters=["annealer"], proposals=100, seed=2)
    assert mediation.voters == ("annealer",) * space.n_parties
    assert np.allclose(mediation.utilities, space.utilities(mediation.result.text))
    deal = run_alternating(space, ["boulware", "conceder"], [0, 1], rounds=50, seed=3)
    expected = (space.utilities(deal.result.text) if deal.result.text is not None
                else space.reservation)
    assert np.allclose(deal.utilities, expected)
    assert deal.metrics.agreement == deal.result.agreement
