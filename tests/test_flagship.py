"""The flagship example tells the story as reported (with its estimates labelled as such)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.analysis.evaluate import evaluate_texts
from accord.io.scenario_file import load
from accord.model import Role, Scenario
from accord.space import Space, compile_scenario


@pytest.fixture(scope="module")
def flagship(peace_plan_path: Path) -> tuple[Scenario, Space]:
    scenario = load(peace_plan_path)
    return scenario, compile_scenario(scenario)


def test_shape_of_the_example(flagship: tuple[Scenario, Space]) -> None:
    scenario, _ = flagship
    roles = {p.id: p.role for p in scenario.parties}
    assert roles == {"us": Role.MEDIATOR, "ua": Role.PRINCIPAL, "ru": Role.PRINCIPAL, "eu": Role.BACKER}
    assert len(scenario.issues) >= 14
    assert {"plan-28", "geneva-framework", "e3-counter", "plan-20"} <= {t.id for t in scenario.texts}
    assert scenario.settled
    # every plan point 1..28 is either disputed or settled, never both
    disputed = {n for issue in scenario.issues for n in issue.points}
    settled = {n for point in scenario.settled for n in point.points}
    assert disputed | settled == set(range(1, 29)) and not disputed & settled
    assert scenario.statements and all(s.source for s in scenario.statements)


def test_every_preference_is_a_labelled_estimate(flagship: tuple[Scenario, Space]) -> None:
    scenario, _ = flagship
    assert set(scenario.preferences) == {"us", "ua", "ru", "eu"}
    for prefs in scenario.preferences.values():
        assert prefs.estimate is True
        assert prefs.basis and len(prefs.basis) > 40


def test_verdicts_match_the_reported_story(flagship: tuple[Scenario, Space]) -> None:
    _, space = flagship
    ua, ru = space.party_index("ua"), space.party_index("ru")
    verdicts = {space.text_ids[e.text]: e for e in evaluate_texts(space) if e.text is not None}
    # The 28-point plan suits Russia and not Ukraine ...
    assert verdicts["plan-28"].parties[ru].acceptable is True
    assert verdicts["plan-28"].parties[ua].acceptable is False
    # ... and the later texts the reverse: Ukraine can accept them, Russia cannot be sure to.
    for later in ("geneva-framework", "e3-counter", "plan-20"):
        assert verdicts[later].parties[ua].acceptable is not False, later
        assert verdicts[later].parties[ru].acceptable is not True, later
    assert verdicts["e3-counter"].parties[ua].acceptable is True
    assert verdicts["e3-counter"].parties[ru].acceptable is False


def test_territory_is_the_blocking_point(flagship: tuple[Scenario, Space]) -> None:
    _, space = flagship
    ua, ru = space.party_index("ua"), space.party_index("ru")
    donetsk = space.issue_index("donetsk")
    verdicts = {space.text_ids[e.text]: e for e in evaluate_texts(space) if e.text is not None}
    ukraine = verdicts["plan-28"].parties[ua].blockers
    assert ukraine is not None
    top = max(ukraine.ranking, key=lambda g: g.gain)
    assert top.issue == donetsk
    for later in ("geneva-framework", "e3-counter", "plan-20"):
        russia = verdicts[later].parties[ru].blockers
        assert russia is not None
        assert russia.ranking[0].issue == donetsk, later
