"""The worked examples of docs/how-to/write-package-deals.md, checked."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis.amend import amend
from accord.analysis.evaluate import ReasonKind, evaluate_texts
from accord.analysis.feasibility import feasibility
from accord.io.scenario_file import _document, load
from accord.model.validate import scenario_from_document
from accord.space import Space, compile_scenario

EXAMPLES = Path(__file__).parents[2] / "examples"

DANA_DEAL = {"issue": "remote", "option": "hybrid", "with_issue": "vacation",
             "with_options": ["30d"]}

FLAGSHIP_LINKS: dict[str, Any] = {
    "requires": [
        {"issue": "donetsk", "option": "mutual-pullback", "with_issue": "troops",
         "with_options": ["multinational-force"]},
        {"issue": "donetsk", "option": "mutual-pullback", "with_issue": "elections",
         "with_options": ["asap-referendum"]},
        {"issue": "nato", "option": "no-amendment", "with_issue": "guarantees",
         "with_options": ["art5-15y", "art5-long"]}],
    "terms": [{"when": {"donetsk": "hold-line", "guarantees": "us-compensated"}, "value": -0.05}],
}


def with_links(path: Path, party: str, links: dict[str, Any]) -> Space:
    document = copy.deepcopy(_document(load(path)))
    document["preferences"][party].update(copy.deepcopy(links))
    return compile_scenario(scenario_from_document(document, path.name))


def test_dana_s_package_deal_turns_the_revised_offer_into_a_rejection() -> None:
    job = EXAMPLES / "job-offer.toml"
    before = compile_scenario(load(job))
    after = with_links(job, "dana", {"requires": [DANA_DEAL]})
    dana = before.party_index("dana")
    assert evaluate_texts(before, "revised")[0].parties[dana].acceptable is True
    verdict = evaluate_texts(after, "revised")[0].parties[dana]
    assert verdict.acceptable is False
    assert [r.kind for r in verdict.reasons] == [ReasonKind.PACKAGE_DEAL]
    assert amend(before, "revised").min_changes == 0
    found = amend(after, "revised")
    assert found.min_changes == 1 and found.best is not None
    assert [after.issue_ids[i] for i in found.best.changes] == ["vacation"]
    assert after.positions(found.best.package)["vacation"] == "30d"


def test_the_flagship_links_keep_the_story_and_rule_out_a_mutual_pullback() -> None:
    flagship = EXAMPLES / "peace-plan-2025" / "scenario.toml"
    before = compile_scenario(load(flagship))
    after = with_links(flagship, "ua", FLAGSHIP_LINKS)
    assert not after.is_additive
    for old, new in zip(evaluate_texts(before), evaluate_texts(after), strict=True):
        assert [v.acceptable for v in old.parties] == [v.acceptable for v in new.parties]
    ua, ru = before.party_index("ua"), before.party_index("ru")
    plan_28 = evaluate_texts(after, "plan-28")[0].parties
    assert plan_28[ru].acceptable is True and plan_28[ua].acceptable is False
    assert abs(feasibility(after).margin - feasibility(before).margin) < 1e-9
    assert round(feasibility(after).margin, 3) == 0.019
    pullback = {"donetsk": "mutual-pullback"}
    near = feasibility(before, fixed=pullback)
    assert -0.025 < near.margin < -0.015
    assert near.package is not None and before.positions(near.package)["troops"] != \
        "multinational-force"
    assert feasibility(after, fixed=pullback).margin == -np.inf
