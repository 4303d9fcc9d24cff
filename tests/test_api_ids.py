"""The Python API takes what users have: ids or indices, one resolver, one error with a hint."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import accord
from accord.analysis.diff import diff_packages, diff_texts, lineage, lineage_diffs
from accord.analysis.evaluate import blockers, evaluate_package, evaluate_texts
from accord.analysis.pareto import package_utilities, pareto_frontier
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
