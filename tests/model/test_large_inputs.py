"""Validation grows linearly with the input: checked by counting work or by how time scales.

Wall-clock numbers are in benchmarks/bench_validate.py; here a loose ratio (4× the
input may take at most 10× the time: linear is 4×, quadratic 16×, cubic 64×).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from accord.errors import ScenarioError
from accord.io.scenario_file import loads
from accord.model import suggest
from tests.model.large_inputs import (
    huge_title,
    many_issues,
    many_options,
    misspelt_references,
    parent_chain,
)


def _best_time(make: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        make()
        best = min(best, time.perf_counter() - start)
    return best


def _validate(text: str) -> None:
    try:
        scenario = loads(text)
    except ScenarioError:
        return
    if scenario.texts:
        scenario.lineage(scenario.texts[-1].id)


@pytest.mark.parametrize(("name", "make"), [
    ("parent chain", parent_chain),
    ("parent cycle", lambda n: parent_chain(n, cycle=True)),
    ("options of one issue", lambda n: many_options(5 * n)),
    ("misspelt references", misspelt_references),
])
def test_validation_scales_linearly(name: str, make: Callable[[int], str]) -> None:
    small, large = make(500), make(2000)
    ratio = _best_time(lambda: _validate(large)) / _best_time(lambda: _validate(small))
    assert ratio < 10, (name, ratio)


def test_a_long_cycle_is_one_short_message_per_text() -> None:
    with pytest.raises(ScenarioError) as caught:
        loads(parent_chain(3000, cycle=True))
    problems = caught.value.problems
    assert len(problems) == 3000
    assert all(len(p.message) < 200 and "(3000 texts in all)" in p.message for p in problems)
    assert problems[0].path == "texts.t0.parent"


def test_lineage_follows_parents_by_index(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = loads(parent_chain(3000))
    chain = scenario.lineage("t2999")
    assert [t.id for t in chain] == [f"t{k}" for k in range(3000)]
    # Changing the list in place is seen (the index is rebuilt, not trusted blindly).
    scenario.texts.reverse()
    assert scenario.text("t0").id == "t0"


def test_did_you_mean_work_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = suggest._score

    def counting(word: str, candidate: str) -> float:
        nonlocal calls
        calls += 1
        return real(word, candidate)

    monkeypatch.setattr(suggest, "_score", counting)
    with pytest.raises(ScenarioError) as caught:
        loads(misspelt_references(3000))
    assert len(caught.value.problems) >= 6000
    assert calls <= suggest.WORK_BUDGET // 10
    # A small pool still gets its suggestion.
    assert suggest.did_you_mean("optoin-00001", ["option-00001", "other"]) == \
        " (did you mean 'option-00001'?)"


def test_a_long_title_is_refused_quickly_and_a_wide_issue_is_valid() -> None:
    with pytest.raises(ScenarioError, match="at most 1,000 characters"):
        loads(huge_title(10_000_000))
    scenario = loads(many_options(5000))
    assert len(scenario.issues[0].options) == 5000
    assert len(loads(many_issues(300)).issues) == 300
