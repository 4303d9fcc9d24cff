"""Eliciting preferences: ratings, the live preview, pairwise questions and the fit.

Oracles: hand-worked numbers (the ratings rule, the rank-order centroid, a
two-point max-margin fit solved on paper), the scenario-file path
(``compile_scenario`` and ``evaluate_texts`` of a scenario holding the draft),
and a synthetic "true" additive party that answers every question truthfully.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accord.analysis.elicit import (
    Answer,
    fit_choices,
    next_question,
    preferences_from_ratings,
    preview,
    rank_order_weights,
    with_preferences,
    with_walk_away,
)
from accord.analysis.evaluate import evaluate_texts
from accord.errors import ScenarioError, UnknownIdError
from accord.io.scenario_file import load
from accord.model import Preferences
from accord.space import Space, compile_scenario

JOB = "examples/job-offer.toml"
PEACE = "examples/peace-plan-2025/scenario.toml"


@pytest.fixture(scope="module")
def job() -> tuple:
    scenario = load(JOB)
    return scenario, compile_scenario(scenario)


@pytest.fixture(scope="module")
def peace() -> tuple:
    scenario = load(PEACE)
    return scenario, compile_scenario(scenario)


def job_ratings() -> dict:
    return {"salary": {"90k": 0, "100k": 3, "110k": 7, "120k": 10},
            "remote": {"office": 0, "hybrid": 8, "remote": 10}}


# -- ratings ----------------------------------------------------------------------------------


def test_rank_order_centroid_weights_by_hand() -> None:
    # n = 3: (1 + 1/2 + 1/3)/3, (1/2 + 1/3)/3, (1/3)/3
    assert rank_order_weights(3) == pytest.approx([11 / 18, 5 / 18, 2 / 18])
    assert rank_order_weights(1) == pytest.approx([1.0])
    assert rank_order_weights(5).sum() == pytest.approx(1.0)


def test_ratings_become_normalised_weights_and_values(job: tuple) -> None:
    _, space = job
    prefs = preferences_from_ratings(space, {"salary": 10, "remote": 5, "vacation": 0},
                                     job_ratings(), red_lines={"remote": ["office"]},
                                     walk_away=4)
    assert prefs.weights == pytest.approx({"salary": 2 / 3, "remote": 1 / 3})
    assert "vacation" not in prefs.weights  # importance 0: does not matter
    assert prefs.values["salary"] == pytest.approx({"90k": 0.0, "100k": 0.3, "110k": 0.7,
                                                    "120k": 1.0})
    assert prefs.values["remote"] == pytest.approx({"office": 0.0, "hybrid": 0.8, "remote": 1.0})
    assert prefs.red_lines == {"remote": ["office"]}
    assert prefs.reservation == pytest.approx(0.4)
    assert prefs.estimate is False


def test_an_unrated_red_line_is_rated_zero_and_huge_importances_do_not_overflow(job: tuple) -> None:
    _, space = job
    prefs = preferences_from_ratings(space, {"remote": 1e308, "salary": 1e308},
                                     {"remote": {"hybrid": 6, "remote": 10},
                                      "salary": job_ratings()["salary"]},
                                     red_lines={"remote": ["office"]})
    assert prefs.values["remote"] == pytest.approx({"office": 0.0, "hybrid": 0.6, "remote": 1.0})
    assert prefs.weights == pytest.approx({"remote": 0.5, "salary": 0.5})


def test_rescaled_ratings_span_zero_to_one(job: tuple) -> None:
    _, space = job
    prefs = preferences_from_ratings(space, {"vacation": 1},
                                     {"vacation": {"20d": 3, "25d": 7, "30d": 9}}, rescale=True)
    assert prefs.values["vacation"] == pytest.approx({"20d": 0.0, "25d": 4 / 6, "30d": 1.0})
    assert prefs.weights == pytest.approx({"vacation": 1.0})


def test_a_ranking_gives_rank_order_centroid_weights(job: tuple) -> None:
    _, space = job
    ratings = {**job_ratings(), "bonus": {"none": 0, "5k": 5, "10k": 10}}
    prefs = preferences_from_ratings(space, ["remote", "salary", "bonus"], ratings)
    assert prefs.weights == pytest.approx({"remote": 11 / 18, "salary": 5 / 18, "bonus": 2 / 18})


def test_walk_away_at_a_text_is_what_the_text_guarantees(job: tuple) -> None:
    _, space = job
    # "revised" is salary 110k, remote hybrid (bonus open, not weighted here):
    # 2/3 · 0.7 + 1/3 · 0.8 = 0.7333…
    prefs = preferences_from_ratings(space, {"salary": 10, "remote": 5}, job_ratings(),
                                     walk_away_text="revised")
    assert prefs.reservation == pytest.approx(2 / 3 * 0.7 + 1 / 3 * 0.8)
    verdict = preview(space, "dana", prefs, texts="revised").verdicts[0]
    assert verdict.acceptable is True  # exactly at the walk-away point


def test_walk_away_works_before_any_party_has_preferences(job: tuple) -> None:
    scenario, _ = job
    bare = compile_scenario(scenario.model_copy(update={"preferences": {}}))
    assert bare.n_parties == 0
    prefs = preferences_from_ratings(bare, {"salary": 1}, {"salary": job_ratings()["salary"]},
                                     walk_away_text="counter")
    assert prefs.reservation == pytest.approx(1.0)  # counter asks for 120k, rated 10
    # a text that crosses a red line keeps it: the walk-away does not lift red lines
    lined = with_walk_away(bare, prefs.model_copy(update={"red_lines": {"salary": ["120k"]}}),
                           "counter")
    assert lined.reservation == pytest.approx(1.0) and lined.red_lines == {"salary": ["120k"]}


def test_unknown_ids_in_ratings_say_did_you_mean(job: tuple) -> None:
    _, space = job
    with pytest.raises(UnknownIdError, match="did you mean 'salary'"):
        preferences_from_ratings(space, {"salery": 1}, job_ratings())
    with pytest.raises(UnknownIdError, match="did you mean 'hybrid'"):
        preferences_from_ratings(space, {"remote": 1}, {"remote": {"hybird": 3}})
    with pytest.raises(UnknownIdError, match="did you mean 'office'"):
        preferences_from_ratings(space, {"salary": 1}, job_ratings(),
                                 red_lines={"remote": ["ofice"]})
    with pytest.raises(UnknownIdError):
        preferences_from_ratings(space, {"salary": 1}, job_ratings(), walk_away_text="revisd")


def test_bad_ratings_list_every_problem_with_its_place(job: tuple) -> None:
    _, space = job
    with pytest.raises(ScenarioError) as raised:
        preferences_from_ratings(space, {"salary": -1, "remote": 3},
                                 {"remote": {"office": 11, "hybrid": True}}, walk_away=12,
                                 source="form")
    paths = {p.path for p in raised.value.problems}
    assert paths == {"importance.salary", "ratings.remote.office", "ratings.remote.hybrid",
                     "ratings.remote", "walk_away"}
    assert all(p.file == "form" for p in raised.value.problems)
    missing = next(p for p in raised.value.problems if p.path == "ratings.remote")
    assert "remote" in missing.message  # the unrated option is named


def test_importance_all_zero_or_ranked_twice_is_refused(job: tuple) -> None:
    _, space = job
    with pytest.raises(ScenarioError, match="every importance is 0"):
        preferences_from_ratings(space, {"salary": 0}, job_ratings())
    with pytest.raises(ScenarioError, match="ranked twice"):
        preferences_from_ratings(space, ["salary", "salary"], job_ratings())


# -- the preview --------------------------------------------------------------------------------


def test_with_preferences_matches_compiling_a_scenario_with_the_draft(peace: tuple) -> None:
    scenario, space = peace
    draft = preferences_from_ratings(
        space, {"donetsk": 9, "army": 4, "nato": 6},
        {"donetsk": {o: k for k, o in enumerate(space.option_ids[space.issue_index("donetsk")])},
         "army": {o: 10 - 3 * k for k, o in enumerate(space.option_ids[space.issue_index("army")])},
         "nato": {o: 5 for o in space.option_ids[space.issue_index("nato")]}},
        red_lines={"army": [space.option_ids[space.issue_index("army")][-1]]}, walk_away=3)
    edited = scenario.model_copy(update={"preferences": {**scenario.preferences, "ua": draft}})
    oracle = compile_scenario(edited)
    ours = with_preferences(space, "ua", draft)
    for name in ("weights", "values", "contribution", "red_lines", "reservation", "must_accept"):
        np.testing.assert_allclose(getattr(ours, name), getattr(oracle, name), err_msg=name)
    assert np.array_equal(space.weights, compile_scenario(scenario).weights)  # not changed


def test_preview_verdicts_are_evaluate_texts_on_the_draft(peace: tuple) -> None:
    scenario, space = peace
    draft = scenario.preferences["ua"].model_copy(update={"reservation": 0.7})
    edited = scenario.model_copy(update={"preferences": {**scenario.preferences, "ua": draft}})
    oracle = evaluate_texts(compile_scenario(edited))
    found = preview(space, 1, draft)
    assert found.party == space.party_index("ua")
    for verdict, evaluation in zip(found.verdicts, oracle, strict=True):
        expected = evaluation.parties[found.party]
        assert verdict.acceptable == expected.acceptable
        assert verdict.utility == pytest.approx(expected.utility)
        assert verdict.reasons == expected.reasons


def test_preview_sentence_names_versions_and_points(peace: tuple) -> None:
    from accord.views.elicit import preview_summary, preview_to_dict, render_preview
    from accord.views.labels import Labels

    scenario, space = peace
    labels = Labels(scenario, space)
    found = preview(space, "ua", scenario.preferences["ua"])
    sentence = preview_summary(found, labels)
    # Ukraine's own numbers: plan-28 crosses its Donetsk red line (point 21).
    assert sentence.startswith("With these, you would accept e3-counter and reject plan-28, "
                               "because of point 21 (The part of Donetsk region")
    assert [space.text_ids[t] for t in found.rejected] == ["plan-28"]
    data = preview_to_dict(found, labels)
    json.dumps(data)
    plan28 = data["texts"][0]
    assert plan28["verdict"] == "reject" and plan28["because"][0]["issue"] == "donetsk"
    assert data["summary"] == sentence
    render_preview(found, labels)


def test_preview_refuses_unknown_ids(peace: tuple) -> None:
    _, space = peace
    with pytest.raises(UnknownIdError, match="did you mean 'ua'"):
        preview(space, "uaa", Preferences())
    with pytest.raises(UnknownIdError, match="did you mean 'donetsk'"):
        preview(space, "ua", Preferences(weights={"donetsc": 1.0}))
    with pytest.raises(UnknownIdError):
        preview(space, "ua", Preferences(), texts=["plan-29"])


# -- pairwise choices: hand-worked fit ----------------------------------------------------------


def two_point_space() -> Space:
    """Two points with two options each; one placeholder party."""
    n_options = np.array([2, 2])
    mask = np.ones((2, 2), dtype=bool)
    zeros = np.zeros((1, 2, 2))
    return Space(party_ids=("p",), issue_ids=("a", "b"), option_ids=(("a0", "a1"), ("b0", "b1")),
                 n_options=n_options, option_mask=mask, weights=np.array([[0.5, 0.5]]),
                 values=zeros, contribution=zeros, red_lines=np.zeros((1, 2, 2), dtype=bool),
                 reservation=np.zeros(1), must_accept=np.ones(1, dtype=bool),
                 text_ids=(), texts=np.zeros((0, 2), dtype=np.int64),
                 text_parents=np.zeros(0, dtype=np.int64))


def test_two_point_fit_by_hand() -> None:
    # Part-worths with each point summing to 0: a0 = -x, a1 = x, b0 = -y, b1 = y.
    # Answers: a1b1 over a0b1 (2x ≥ 1), a0b1 over a0b0 (2y ≥ 1), a1b0 over a0b1
    # (2x - 2y ≥ 1).  min x² + y² gives y = 1/2, x = 1: swings 2 and 1, so
    # weights 2/3 and 1/3, values 0 and 1, and margins (2x, 2y, 2x - 2y)/3.
    space = two_point_space()
    answers = [({"a": "a1", "b": "b1"}, {"a": "a0", "b": "b1"}, 0),
               ([0, 1], [0, 0], 0),
               ({"a": 0, "b": 1}, {"a": 1, "b": 0}, 1)]
    fit = fit_choices(space, "p", answers)
    assert fit.weights == pytest.approx([2 / 3, 1 / 3], abs=1e-6)
    np.testing.assert_allclose(fit.values, [[0.0, 1.0], [0.0, 1.0]], atol=1e-6)
    assert fit.margins == pytest.approx([2 / 3, 1 / 3, 1 / 3], abs=1e-6)
    assert fit.violations == 0 and fit.used == 3 and fit.consistency == 1.0
    prefs = fit.to_preferences(reservation=0.5, red_lines={"b": ["b0"]})
    assert prefs.weights == pytest.approx({"a": 2 / 3, "b": 1 / 3}, abs=1e-6)
    assert prefs.values["a"] == pytest.approx({"a0": 0.0, "a1": 1.0}, abs=1e-6)
    assert prefs.red_lines == {"b": ["b0"]} and prefs.reservation == 0.5


def test_contradictory_answers_are_violations_not_a_crash() -> None:
    space = two_point_space()
    a, b = {"a": "a1", "b": "b0"}, {"a": "a0", "b": "b1"}
    fit = fit_choices(space, 0, [(a, b, 0), (a, b, 1)])
    assert fit.violations == 1 and fit.consistency == 0.5
    # A cycle of three packages (the differences sum to 0) cannot all be explained either.
    cycle = [([0, 0], [1, 0], 0), ([1, 0], [1, 1], 0), ([1, 1], [0, 0], 0)]
    fit = fit_choices(space, 0, cycle)
    assert fit.violations >= 1
    assert len(fit.margins) == 3
    # the questions go on from the answers that can be explained together
    next_question(space, 0, cycle)


def test_empty_answers() -> None:
    space = two_point_space()
    fit = fit_choices(space, "p", [])
    assert fit.used == 0 and fit.violations == 0 and fit.consistency == 1.0
    assert not fit.weights.any()
    assert fit.to_preferences().weights == {}
    question = next_question(space, "p", [])
    assert question is not None and question.number == 1 and question.predicted == 0.0


def test_bad_answers_are_refused_clearly(job: tuple) -> None:
    _, space = job
    base = space.positions(space.texts[0])
    with pytest.raises(UnknownIdError, match="did you mean 'remote'"):
        fit_choices(space, "dana", [({**base, "remot": "hybrid"}, base, 0)])
    with pytest.raises(UnknownIdError, match="did you mean '110k'"):
        fit_choices(space, "dana", [({**base, "salary": "110"}, base, 0)])
    with pytest.raises(UnknownIdError, match="did you mean 'dana'"):
        fit_choices(space, "danna", [])
    with pytest.raises(ValueError, match="missing: bonus"):
        fit_choices(space, "dana", [({k: v for k, v in base.items() if k != "bonus"}, base, 0)])
    with pytest.raises(ValueError, match="chosen must be 0"):
        fit_choices(space, "dana", [(base, {**base, "bonus": "5k"}, 2)])
    with pytest.raises(ValueError, match="the two packages are the same"):
        fit_choices(space, "dana", [(base, dict(base), 0)])


# -- pairwise choices: the questions ------------------------------------------------------------


def test_questions_show_complete_packages_from_the_scenarios_options(peace: tuple) -> None:
    scenario, space = peace
    from accord.views.elicit import question_to_dict, render_question
    from accord.views.labels import Labels

    labels = Labels(scenario, space)
    red = {"donetsk": [space.option_ids[space.issue_index("donetsk")][0]]}
    truth = space.contribution[space.party_index("ru")]
    answers: list[Answer] = []
    for _ in range(6):
        question = next_question(space, "ru", answers, red_lines=red, points=3)
        assert question is not None
        for package in (question.first, question.second):
            assert package.shape == (space.n_issues,)
            assert ((package >= 0) & (package < space.n_options)).all()
            assert package[space.issue_index("donetsk")] != 0  # never a red-line option
        assert len(question.differing) == 3
        assert set(np.flatnonzero(question.first != question.second)) == set(question.differing)
        data = question_to_dict(question, labels)
        json.dumps(data)
        assert len(data["differing"]) == 3 and len(data["same"]) == space.n_issues - 3
        render_question(question, labels)
        u = truth[np.arange(space.n_issues), np.stack([question.first, question.second])].sum(1)
        answers.append(question.answer(int(u[1] > u[0])))
    # the same answers give the same next question (a page can be reloaded)
    again = [next_question(space, "ru", answers, red_lines=red, points=3) for _ in range(2)]
    assert np.array_equal(again[0].first, again[1].first)
    assert np.array_equal(again[0].second, again[1].second)


def test_questions_on_one_point_and_patience(job: tuple) -> None:
    _, space = job
    dana = space.contribution[space.party_index("dana")]
    index = np.arange(space.n_issues)
    answers: list[Answer] = []
    while (question := next_question(space, "dana", answers, points=1, patience=3,
                                     max_questions=60)) is not None:
        assert len(question.differing) == 1
        u = dana[index, np.stack([question.first, question.second])].sum(1)
        answers.append(question.answer(int(u[1] > u[0])))
    # every option shown, then three predicted answers in a row: far fewer than 60
    assert 5 <= len(answers) < 60
    fit = fit_choices(space, "dana", answers)
    assert fit.violations == 0


def test_answers_round_trip_through_the_question_view(job: tuple) -> None:
    # A page shows question_to_dict and posts back its two packages and the choice.
    from accord.views.elicit import question_to_dict
    from accord.views.labels import Labels

    scenario, space = job
    labels = Labels(scenario, space)
    answers, posted = [], []
    for chosen in (0, 1, 0):
        question = next_question(space, "dana", answers)
        assert question is not None
        answers.append(question.answer(chosen))
        data = json.loads(json.dumps(question_to_dict(question, labels)))
        posted.append((data["first"], data["second"], chosen))
    ours, theirs = fit_choices(space, "dana", answers), fit_choices(space, "dana", posted)
    np.testing.assert_allclose(ours.weights, theirs.weights)
    assert next_question(space, "dana", posted).number == 4


def test_questions_stop_at_the_limit(job: tuple) -> None:
    _, space = job
    question = next_question(space, "dana", [], max_questions=1)
    assert question is not None
    assert next_question(space, "dana", [question.answer(0)], max_questions=1) is None


# -- the property: a truthful additive party is recovered -------------------------------------


@st.composite
def truthful_parties(draw: st.DrawFn) -> tuple[Space, np.ndarray, np.ndarray]:
    """A small space and a true additive party: distinct integer weights, distinct values."""
    n_options = draw(st.lists(st.integers(2, 3), min_size=2, max_size=4))
    n_issues, width = len(n_options), max(n_options)
    raw = draw(st.permutations(range(1, 10)))[:n_issues]
    weights = np.array(raw, dtype=float) / sum(raw)
    values = np.zeros((n_issues, width))
    for i, n in enumerate(n_options):
        levels = np.array(draw(st.permutations(range(0, 9)))[:n], dtype=float)
        values[i, :n] = (levels - levels.min()) / (levels.max() - levels.min())
    texts = np.array(draw(st.lists(
        st.tuples(*[st.integers(0, n - 1) for n in n_options]), min_size=2, max_size=4,
        unique=True)), dtype=np.int64)
    utilities = (weights[None, :] * values[np.arange(n_issues)[None, :], texts]).sum(1)
    assume(np.diff(np.sort(utilities)).min() > 1e-6)  # no exact ties between texts
    mask = np.arange(width)[None, :] < np.array(n_options)[:, None]
    contribution = (weights[:, None] * values)[None]
    space = Space(
        party_ids=("truth",), issue_ids=tuple(f"i{k}" for k in range(n_issues)),
        option_ids=tuple(tuple(f"o{o}" for o in range(n)) for n in n_options),
        n_options=np.array(n_options), option_mask=mask, weights=weights[None],
        values=values[None], contribution=contribution,
        red_lines=np.zeros((1, n_issues, width), dtype=bool), reservation=np.zeros(1),
        must_accept=np.ones(1, dtype=bool), text_ids=tuple(f"t{k}" for k in range(len(texts))),
        texts=texts, text_parents=np.full(len(texts), -1))
    return space, weights, values


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.filter_too_much])
@given(truthful_parties())
def test_a_truthful_party_is_recovered(case: tuple[Space, np.ndarray, np.ndarray]) -> None:
    space, weights, values = case
    index = np.arange(space.n_issues)

    def utility(package: np.ndarray) -> float:
        return float((weights * values[index, package]).sum())

    answers: list[Answer] = []
    limit = 100
    while (question := next_question(space, "truth", answers, max_questions=limit)) is not None:
        answers.append(question.answer(int(utility(question.second) > utility(question.first))))
    assert len(answers) < limit  # stopped because every question was settled
    fit = fit_choices(space, "truth", answers)
    assert fit.violations == 0
    truth_order = np.argsort([utility(t) for t in space.texts])
    assert np.array_equal(np.argsort([fit.utility(t) for t in space.texts]), truth_order)
    assert np.array_equal(np.argsort(fit.weights), np.argsort(weights))
    # every pair of packages differing on at most two points is ranked as the truth ranks it
    packages = [np.array(p) for p in itertools.product(*[range(n) for n in space.n_options])]
    for a, b in itertools.combinations(packages, 2):
        if (a != b).sum() <= 2 and abs(utility(a) - utility(b)) > 1e-9:
            assert (fit.utility(a) - fit.utility(b)) * (utility(a) - utility(b)) > 0
    # and the fit, as preferences, previews the texts the way the truth would
    prefs = fit.to_preferences()
    draft = with_preferences(space, "truth", prefs)
    assert np.array_equal(np.argsort(draft.utilities(space.texts)[:, 0]), truth_order)


def test_fit_view_says_what_the_answers_say(job: tuple) -> None:
    from accord.views.elicit import fit_to_dict, render_fit
    from accord.views.labels import Labels

    scenario, space = job
    labels = Labels(scenario, space)
    base = space.positions(space.texts[0])
    a, b = {**base, "salary": "120k"}, {**base, "remote": "remote"}
    fit = fit_choices(space, "dana", [(a, b, 0), (a, b, 1), (a, base, 0)])
    data = fit_to_dict(fit, labels)
    json.dumps(data)
    assert data["used"] == 3 and data["violations"] == 1 and data["violated"] == [fit.violated[0]]
    assert data["summary"].startswith("The fitted weights explain 2 of your 3 answers; 1 answer "
                                      "contradicts the others")
    assert sum(data["weights"].values()) == pytest.approx(1.0)
    assert data["importance_order"][0] in {"salary", "remote"}
    render_fit(fit, labels)
