"""The Python API takes what users have: ids or indices, one resolver, one error with a hint."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import accord
from accord.analysis.diff import diff_packages, diff_texts, lineage, lineage_diffs
from accord.analysis.evaluate import blockers, evaluate_package, evaluate_texts
from accord.analysis.improve import guaranteed_utilities
from accord.analysis.pareto import package_utilities, pareto_frontier
from accord.analysis.terms import frontier as terms_frontier
from accord.errors import AccordError, UnknownIdError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def job() -> accord.Space:
    return accord.compile_scenario(accord.load(ROOT / "examples" / "job-offer.toml"))


@pytest.fixture(scope="module")
def flagship() -> accord.Space:
    return accord.compile_scenario(accord.load(ROOT / "examples" / "peace-plan-2025" / "scenario.toml"))


def test_the_resolver_takes_ids_and_indices(job: accord.Space) -> None:
    for n, party in enumerate(job.party_ids):
        assert job.party_index(party) == n == job.party_index(n) == job.party_index(np.int64(n))
    for n, text in enumerate(job.text_ids):
        assert job.text_index(text) == n == job.text_index(n)
    assert job.option_index("salary", job.option_ids[0][1]) == 1 == job.option_index(0, 1)
    assert job.party_indices(None) is None
    assert job.party_indices("northwind") == [1]
    assert job.text_indices(["revised", 0]) == [2, 0]


@pytest.mark.parametrize("call, kind, hint", [
    (lambda s: s.party_index("nortwind"), "party", "northwind"),
    (lambda s: s.text_index("revisd"), "text", "revised"),
    (lambda s: s.issue_index("salry"), "issue", "salary"),
])
def test_an_unknown_id_says_did_you_mean(job: accord.Space, call, kind: str, hint: str) -> None:
    with pytest.raises(UnknownIdError) as caught:
        call(job)
    error = caught.value
    assert error.kind == kind and error.suggestion == hint
    assert f"did you mean {hint!r}?" in str(error)
    # one error that every caller's habit catches
    assert isinstance(error, AccordError) and isinstance(error, KeyError)
    assert isinstance(error, ValueError)  # what party_index raised before
    assert not str(error).startswith('"')  # not KeyError's quoted message


@pytest.mark.parametrize("bad", [2, -1, True])
def test_an_index_out_of_range_or_a_bool_is_refused(job: accord.Space, bad: object) -> None:
    with pytest.raises(UnknownIdError):
        job.party_index(bad)  # type: ignore[arg-type]


def test_evaluate_takes_ids_or_indices(job: accord.Space) -> None:
    by_index = evaluate_texts(job, texts=[2, 0])
    by_id = evaluate_texts(job, texts=["revised", "offer"])
    assert [e.text for e in by_index] == [e.text for e in by_id] == [2, 0]
    assert [e.deal for e in by_index] == [e.deal for e in by_id]
    assert evaluate_texts(job, texts="counter")[0].text == 1
    assert evaluate_package(job, job.texts[1], text="counter").text == 1
    assert blockers(job, job.texts[0], "dana") == blockers(job, job.texts[0], 0)
    with pytest.raises(UnknownIdError, match="did you mean 'offer'"):
        evaluate_texts(job, texts=["ofer"])
    with pytest.raises(UnknownIdError):
        blockers(job, job.texts[0], "nobody")


def test_diff_takes_ids_or_indices(job: accord.Space) -> None:
    by_id, by_index = diff_texts(job, "offer", "counter"), diff_texts(job, 0, 1)
    assert (by_id.before, by_id.after) == (by_index.before, by_index.after) == (0, 1)
    assert by_id.changes == by_index.changes
    np.testing.assert_array_equal(by_id.gain, by_index.gain)
    assert lineage(job, "revised") == lineage(job, 2) == [0, 1, 2]
    assert [(d.before, d.after) for d in lineage_diffs(job, "revised")] == [(0, 1), (1, 2)]
    assert diff_packages(job, job.texts[0], job.texts[1], before_text="offer").before == 0
    with pytest.raises(UnknownIdError):
        diff_texts(job, "offer", "conter")


def test_a_package_of_the_wrong_length_is_refused_by_diff(job: accord.Space) -> None:
    # it used to pass silently through numpy broadcasting into a wrong diff or an IndexError
    with pytest.raises(ValueError, match="option indices"):
        diff_packages(job, [0, 0], [0, 1])


def test_pareto_takes_ids_or_indices(job: accord.Space) -> None:
    by_id = pareto_frontier(job, ["northwind", "dana"])
    by_index = pareto_frontier(job, [1, 0])
    assert by_id.parties == by_index.parties == (1, 0)
    np.testing.assert_array_equal(by_id.utilities, by_index.utilities)
    assert pareto_frontier(job, "dana").parties == (0,)
    utilities = package_utilities(job, job.texts[:2], ["northwind"])
    np.testing.assert_allclose(utilities[:, 0], job.utilities(job.texts[:2])[:, 1])
    with pytest.raises(UnknownIdError, match="did you mean 'dana'"):
        pareto_frontier(job, ["dan"])


def test_result_reprs_are_short(flagship: accord.Space) -> None:
    # repr(evaluate_texts(space)) was 13 kB on the flagship
    evaluations = evaluate_texts(flagship)
    assert len(repr(evaluations)) < 400
    assert repr(evaluations[0]) == "TextEvaluation(text=0, deal=False, parties=4, open_points=0)"
    frontier = pareto_frontier(flagship, acceptable_only=True, one_per_vector=True)
    assert repr(frontier).startswith("ParetoFrontier(parties=(0, 1, 2, 3), exact=True")
    assert f"packages={len(frontier)}" in repr(frontier)
    assert len(repr(lineage_diffs(flagship, "plan-20"))) < 300
    verdict = next(v for e in evaluations for v in e.parties if v.blockers is not None)
    assert len(repr(verdict)) < 120 and len(repr(verdict.blockers)) < 120


def test_results_and_errors_are_exported_from_accord() -> None:
    from accord.analysis.diff import TextDiff
    from accord.analysis.evaluate import TextEvaluation
    from accord.analysis.pareto import FrontierTooLarge, ParetoFrontier

    assert accord.TextEvaluation is TextEvaluation and accord.TextDiff is TextDiff
    assert accord.ParetoFrontier is ParetoFrontier
    # the old import path keeps working, and it is the same class
    assert FrontierTooLarge is accord.FrontierTooLarge
    assert issubclass(accord.FrontierTooLarge, accord.AnalysisError)
    assert issubclass(accord.UnknownIdError, accord.AccordError)
    assert issubclass(accord.ExportError, accord.AccordError)
    assert issubclass(accord.TournamentConfigError, accord.AccordError)


# -- every exported analysis function, with ids and with indices --------------------------------


def _same(a: Any, b: Any) -> bool:
    """Structural equality for results: dataclasses field by field, arrays element by element."""
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(
            _same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
    if isinstance(a, (tuple, list)):
        return (isinstance(b, (tuple, list)) and len(a) == len(b)
                and all(_same(x, y) for x, y in zip(a, b, strict=True)))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _revised_by_ids(space: accord.Space) -> dict[str, str]:
    return space.positions(space.texts[space.text_index("revised")])


def _revised_by_indices(space: accord.Space) -> dict[int, int]:
    return {i: int(o) for i, o in enumerate(space.texts[2]) if o >= 0}


Call = Callable[[accord.Space], Any]

#: (name, by ids, by indices): each pair must give the same result.  ``text`` fields of
#: results are part of the comparison, so a text given by id and by index must agree too.
BY_IDS_AND_INDICES: list[tuple[str, Call, Call]] = [
    ("evaluate_texts", lambda s: accord.evaluate_texts(s, ["revised", "offer"]),
     lambda s: accord.evaluate_texts(s, [2, 0])),
    ("evaluate_package text", lambda s: accord.evaluate_package(s, "revised"),
     lambda s: accord.evaluate_package(s, 2)),
    ("evaluate_package mapping", lambda s: accord.evaluate_package(s, _revised_by_ids(s)),
     lambda s: accord.evaluate_package(s, _revised_by_indices(s))),
    ("evaluate_package array", lambda s: accord.evaluate_package(s, _revised_by_ids(s), text="revised"),
     lambda s: accord.evaluate_package(s, s.texts[2], text=2)),
    ("utility_bounds", lambda s: accord.utility_bounds(s, "revised"),
     lambda s: accord.utility_bounds(s, s.texts[2])),
    ("utility_bounds mapping", lambda s: accord.utility_bounds(s, {"salary": "110k"}),
     lambda s: accord.utility_bounds(s, [2, -1, -1, -1, -1])),
    ("blockers", lambda s: accord.blockers(s, "revised", "northwind"),
     lambda s: accord.blockers(s, s.texts[2], 1)),
    ("blockers mapping", lambda s: accord.blockers(s, _revised_by_ids(s), party="northwind"),
     lambda s: accord.blockers(s, _revised_by_indices(s), 1)),
    ("diff_texts", lambda s: accord.diff_texts(s, "offer", "counter"),
     lambda s: accord.diff_texts(s, 0, 1)),
    ("diff_packages", lambda s: diff_packages(s, "offer", {"salary": "120k"}),
     lambda s: diff_packages(s, s.texts[0], [3, -1, -1, -1, -1], before_text=0)),
    ("lineage_diffs", lambda s: accord.lineage_diffs(s, "revised"),
     lambda s: accord.lineage_diffs(s, 2)),
    ("lineage", lambda s: lineage(s, "counter"), lambda s: lineage(s, 1)),
    ("feasibility", lambda s: accord.feasibility(s, reference="offer", fixed={"remote": "hybrid"}),
     lambda s: accord.feasibility(s, reference=s.texts[0], fixed={1: 1})),
    ("feasibility array", lambda s: accord.feasibility(s, fixed={"remote": "hybrid"}),
     lambda s: accord.feasibility(s, fixed=[-1, 1, -1, -1, -1])),
    ("amend", lambda s: accord.amend(s, "revised", k=3), lambda s: accord.amend(s, 2, k=3)),
    ("amend package", lambda s: accord.amend(s, _revised_by_ids(s), k=3),
     lambda s: accord.amend(s, s.texts[2], k=3)),
    ("improve", lambda s: accord.improve(s, "offer", k=3), lambda s: accord.improve(s, 0, k=3)),
    ("improve package", lambda s: accord.improve(s, {"salary": "100k", "remote": "office"}),
     lambda s: accord.improve(s, {0: 1, 1: 0})),
    ("guaranteed_utilities", lambda s: guaranteed_utilities(s, "revised"),
     lambda s: guaranteed_utilities(s, s.texts[2])),
    ("pareto_frontier", lambda s: accord.pareto_frontier(s, ["northwind", "dana"]),
     lambda s: accord.pareto_frontier(s, [1, 0])),
    ("pareto_frontier fixed", lambda s: accord.pareto_frontier(s, fixed={"remote": "hybrid"}),
     lambda s: accord.pareto_frontier(s, fixed=[-1, 1, -1, -1, -1])),
    ("terms frontier fixed", lambda s: terms_frontier(s, fixed={"remote": "hybrid", "salary": 2}),
     lambda s: terms_frontier(s, fixed={1: 1, 0: 2})),
    ("bargaining_solutions", lambda s: accord.bargaining_solutions(s, parties=["dana", "northwind"]),
     lambda s: accord.bargaining_solutions(s, parties=[0, 1])),
]


@pytest.mark.parametrize("name, by_ids, by_indices", BY_IDS_AND_INDICES,
                         ids=[row[0] for row in BY_IDS_AND_INDICES])
def test_ids_and_indices_give_the_same_result(job: accord.Space, name: str, by_ids: Call,
                                              by_indices: Call) -> None:
    assert _same(by_ids(job), by_indices(job)), name


#: (name, call with a misspelt id, the suggestion expected).
MISSPELT: list[tuple[str, Call, str]] = [
    ("evaluate_texts", lambda s: accord.evaluate_texts(s, ["revisd"]), "revised"),
    ("evaluate_package text", lambda s: accord.evaluate_package(s, "revisd"), "revised"),
    ("evaluate_package issue", lambda s: accord.evaluate_package(s, {"salry": "110k"}), "salary"),
    ("evaluate_package option", lambda s: accord.evaluate_package(s, {"salary": "110"}), "110k"),
    ("evaluate_package label", lambda s: accord.evaluate_package(s, s.texts[0], text="ofer"), "offer"),
    ("utility_bounds", lambda s: accord.utility_bounds(s, "conter"), "counter"),
    ("blockers party", lambda s: accord.blockers(s, "offer", "nortwind"), "northwind"),
    ("blockers text", lambda s: accord.blockers(s, "ofer", "dana"), "offer"),
    ("diff_texts", lambda s: accord.diff_texts(s, "offer", "conter"), "counter"),
    ("diff_packages", lambda s: diff_packages(s, "offer", {"remot": "hybrid"}), "remote"),
    ("lineage_diffs", lambda s: accord.lineage_diffs(s, "revisd"), "revised"),
    ("feasibility reference", lambda s: accord.feasibility(s, reference="ofer"), "offer"),
    ("feasibility fixed", lambda s: accord.feasibility(s, fixed={"remote": "hybird"}), "hybrid"),
    ("amend", lambda s: accord.amend(s, "revisd"), "revised"),
    ("amend package", lambda s: accord.amend(s, {"vacaton": "25d"}), "vacation"),
    ("improve", lambda s: accord.improve(s, "revisd"), "revised"),
    ("improve package", lambda s: accord.improve(s, {"salary": "100"}), "100k"),
    ("pareto_frontier", lambda s: accord.pareto_frontier(s, ["dan"]), "dana"),
    ("pareto_frontier fixed issue", lambda s: accord.pareto_frontier(s, fixed={"remot": "hybrid"}),
     "remote"),
    ("pareto_frontier fixed option",
     lambda s: accord.pareto_frontier(s, fixed={"remote": "hybird"}), "hybrid"),
    ("terms frontier fixed", lambda s: terms_frontier(s, fixed={"remote": "hybird"}), "hybrid"),
    ("bargaining_solutions", lambda s: accord.bargaining_solutions(s, parties=["dan", "northwind"]),
     "dana"),
]


#: (name, by ids, by indices) on the flagship's uncertain model: the sensitivity functions take
#: ``texts=`` as ids or indices (``any_package=False`` and few samples keep them quick).
MODEL_BY_IDS_AND_INDICES: list[tuple[str, Callable[[Any], Any], Callable[[Any], Any]]] = [
    ("tornado", lambda m: accord.tornado(m, texts=["plan-20", "plan-28"], samples=64,
                                         any_package=False),
     lambda m: accord.tornado(m, texts=[3, 0], samples=64, any_package=False)),
    ("sobol_indices", lambda m: accord.sobol_indices(m, texts="plan-20", base_samples=16,
                                                     any_package=False, resamples=10),
     lambda m: accord.sobol_indices(m, texts=3, base_samples=16, any_package=False, resamples=10)),
]


@pytest.fixture(scope="module")
def flagship_model(flagship: accord.Space) -> Any:
    scenario = accord.load(ROOT / "examples" / "peace-plan-2025" / "scenario.toml")
    return accord.build_model(scenario, flagship)


@pytest.mark.parametrize("name, by_ids, by_indices", MODEL_BY_IDS_AND_INDICES,
                         ids=[row[0] for row in MODEL_BY_IDS_AND_INDICES])
def test_the_sensitivity_functions_take_text_ids_or_indices(
        flagship_model: Any, name: str, by_ids: Callable[[Any], Any],
        by_indices: Callable[[Any], Any]) -> None:
    from accord.analysis.sensitivity import salib_available

    if name == "sobol_indices" and not salib_available():
        pytest.skip("SALib is not installed: pip install -e '.[sensitivity]'")
    a, b = by_ids(flagship_model), by_indices(flagship_model)
    assert a.texts == b.texts and len(a.texts) >= 1
    assert _same(a, b), name


@pytest.mark.parametrize("name", [row[0] for row in MODEL_BY_IDS_AND_INDICES])
def test_the_sensitivity_functions_say_did_you_mean(flagship_model: Any, name: str) -> None:
    call = getattr(accord, name)
    with pytest.raises(UnknownIdError, match="did you mean 'plan-20'"):
        call(flagship_model, texts=["plan-2O"])


@pytest.mark.parametrize("name, call, hint", MISSPELT, ids=[row[0] for row in MISSPELT])
def test_a_misspelt_id_says_did_you_mean(job: accord.Space, name: str, call: Call,
                                         hint: str) -> None:
    with pytest.raises(UnknownIdError, match=f"did you mean {hint!r}"):
        call(job)


def test_the_calls_the_review_found_failing_now_work(job: accord.Space,
                                                     flagship: accord.Space) -> None:
    # accord.amend(space, "revised") and accord.improve(space, "revised") raised
    # "invalid literal for int()"; evaluate_package with a mapping raised TypeError.
    assert accord.amend(job, "revised").text == 2
    assert accord.improve(job, "revised").text == 2
    found = accord.evaluate_package(flagship, {"donetsk": "hold-line"})
    donetsk = flagship.issue_index("donetsk")
    assert found.package[donetsk] == flagship.option_index("donetsk", "hold-line")
    assert len(found.open_points) == flagship.n_issues - 1


@pytest.mark.parametrize("bad", ["salary", 3.5, [[0, 1]], [True] * 5])
def test_a_package_that_is_neither_a_mapping_nor_indices_is_refused(job: accord.Space,
                                                                    bad: object) -> None:
    with pytest.raises((TypeError, ValueError, UnknownIdError)):
        accord.evaluate_package(job, bad)  # type: ignore[arg-type]


def test_every_exported_analysis_function_is_in_the_table_or_listed_as_not_yet() -> None:
    # A new analysis export must join the table above (or this list, with its reason).
    takes_no_space_ids = {
        "genius_solutions": "takes a frontier, no ids",
        "build_model": "takes the scenario and the space, no ids",
        "party_utilities": "analysis/nonlinear: takes a party id only, packages as index arrays",
        "scenario_utilities": "analysis/nonlinear: packages as index arrays",
        "capped_frontier": "takes the scenario only",
        "deal_chances": "analysis/uncertainty: takes the model; texts= by id or index tested in tests/analysis/test_uncertainty_compiled.py",
        "robust_package": "analysis/robust: no text or party argument",
        "preferences_from_ratings": "analysis/elicit: ids and did-you-mean tested in tests/analysis/test_elicit.py; not yet in this table",
        "with_walk_away": "analysis/elicit: ids and did-you-mean tested in tests/analysis/test_elicit.py; not yet in this table",
        "with_preferences": "analysis/elicit: ids and did-you-mean tested in tests/analysis/test_elicit.py; not yet in this table",
        "preview": "analysis/elicit: ids and did-you-mean tested in tests/analysis/test_elicit.py; not yet in this table",
        "next_question": "analysis/elicit: ids and did-you-mean tested in tests/analysis/test_elicit.py; not yet in this table",
        "fit_choices": "analysis/elicit: ids and did-you-mean tested in tests/analysis/test_elicit.py; not yet in this table",
    }
    tabled = {row[0].split()[0] for row in [*BY_IDS_AND_INDICES, *MODEL_BY_IDS_AND_INDICES]}
    analysis = {name for name, module in accord._EXPORTS.items()
                if isinstance(module, str) and module.startswith("accord.analysis")
                and callable(getattr(accord, name)) and not isinstance(getattr(accord, name), type)}
    assert analysis - tabled - set(takes_no_space_ids) == set()


def test_the_space_and_the_amend_improve_feasibility_results_print_short(
        job: accord.Space, flagship: accord.Space) -> None:
    # Space printed 1.9 kB (job offer) and 10 kB (flagship); AmendmentResult ~970 characters
    assert repr(job) == ("Space(parties=[dana, northwind], issues=5, texts=[offer, counter, revised], "
                         "outcomes=324)")
    assert len(repr(flagship)) < 160 and "outcomes=10,077,696" in repr(flagship)
    found = accord.amend(flagship, "plan-20")
    assert repr(found).startswith("AmendmentResult(text=3, parties=(1, 2), efficient_count=")
    assert "min_changes=2" in repr(found) and len(repr(found)) < 160
    assert "array" not in repr(found.best) and len(repr(found.best)) < 100
    improved = accord.improve(flagship, "plan-20")
    assert len(repr(improved)) < 120 and len(repr(improved.improvements[0])) < 100
    assert len(repr(accord.feasibility(flagship, reference="plan-20"))) < 160
    miss = accord.amend(job, {"remote": "office"}).best_with_fewer
    assert miss is None or len(repr(miss)) < 160


def test_pareto_frontier_fixed_by_ids_holds_the_point(job: accord.Space) -> None:
    # Oracle: the frontier of packages with remote = hybrid, by brute force over the whole space.
    found = accord.pareto_frontier(job, fixed={"remote": "hybrid"})
    r, h = job.issue_index("remote"), job.option_index(job.issue_index("remote"), "hybrid")
    assert (found.packages[:, r] == h).all()
    every = np.array([p for p in itertools.product(*(range(n) for n in job.n_options))
                      if p[r] == h])
    # Rounded: sums in another order differ in the last bit, and the frontier treats those as ties.
    utilities = np.round(package_utilities(job, every, found.parties), 9)
    dominated = [any((u2 >= u).all() and (u2 > u).any() for u2 in utilities) for u in utilities]
    expected = {tuple(p) for p, d in zip(every, dominated, strict=True) if not d}
    assert {tuple(p) for p in found.packages} == expected
