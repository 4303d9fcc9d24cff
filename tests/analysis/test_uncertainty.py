"""Deal probabilities: closed forms, brute force, reproducibility, the model and file format."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from accord.analysis.evaluate import evaluate_texts
from accord.analysis.kernels import find_acceptable
from accord.analysis.sensitivity import tornado
from accord.analysis.uncertainty import (
    CHUNK_SIZE,
    Estimate,
    Profiles,
    build_model,
    deal_chances,
    package_exists,
    thread_mapper,
    wilson_interval,
)
from accord.errors import ScenarioError
from accord.io.scenario_file import dumps_json, dumps_toml, load, loads
from accord.model.uncertain import Triangular, TruncatedNormal, Uniform
from accord.space import compile_scenario


def scenario_text(*, reservations: dict[str, str], values: dict[str, tuple[str, str]],
                  red_lines: dict[str, str] | None = None, text: str = "yes") -> str:
    """One issue (options yes/no); parties a, b, … with the given reservation and value tables."""
    parties = "".join(f'[[parties]]\nid = "{p}"\nname = "{p.upper()}"\nrole = "principal"\n'
                      for p in reservations)
    prefs = ""
    for p, reservation in reservations.items():
        yes, no = values[p]
        red = f"red_lines = {{ x = [{red_lines[p]}] }}\n" if red_lines and p in red_lines else ""
        prefs += (f"[preferences.{p}]\nreservation = {reservation}\n{red}"
                  f"[preferences.{p}.weights]\nx = 1\n"
                  f"[preferences.{p}.values.x]\nyes = {yes}\nno = {no}\n")
    return (f'[scenario]\ntitle = "t"\n{parties}'
            '[[issues]]\nid = "x"\ntitle = "X"\n'
            'options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No" }]\n'
            f"{prefs}"
            f'[[texts]]\nid = "t1"\ntitle = "T"\n[texts.positions]\nx = "{text}"\n')


def chances(source: str, samples: int = 40_000, seed: int = 7, **kwargs):  # type: ignore[no-untyped-def]
    scenario = loads(source)
    space = compile_scenario(scenario)
    return deal_chances(build_model(scenario, space), samples=samples, seed=seed, **kwargs)


def close(observed: float, expected: float, n: int) -> bool:
    """Within 4.5 standard errors (a false alarm about once in 150 000 runs)."""
    return abs(observed - expected) <= 4.5 * math.sqrt(max(expected * (1 - expected), 1e-12) / n) + 1e-12


# -- closed forms --------------------------------------------------------------


def test_uniform_reservation_gives_the_closed_form_acceptance_probability() -> None:
    # u = 0.4 and r ~ U(0.3, 0.5): P(u ≥ r) = (0.4 − 0.3) / 0.2 = 0.5.
    result = chances(scenario_text(reservations={"a": "{ low = 0.3, high = 0.5 }"},
                                   values={"a": ("0.4", "0.0")}))
    (text,) = result.texts
    assert close(text.p_all, 0.5, result.samples)
    assert text.interval[0] < 0.5 < text.interval[1]


def test_uniform_value_and_triangular_reservation_closed_form() -> None:
    # v ~ U(0.2, 0.8), r ~ Tri(0.4, 0.5, 0.6): P(v ≥ r) = E[(0.8 − r) / 0.6] = (0.8 − 0.5) / 0.6.
    result = chances(scenario_text(reservations={"a": "{ low = 0.4, mode = 0.5, high = 0.6 }"},
                                   values={"a": ("{ low = 0.2, high = 0.8 }", "0.0")}))
    assert close(result.texts[0].p_all, 0.5, result.samples)


def test_independent_parties_multiply() -> None:
    source = scenario_text(
        reservations={"a": "{ low = 0.3, high = 0.5 }", "b": "{ low = 0.2, high = 0.6 }"},
        values={"a": ("0.4", "0.0"), "b": ("0.45", "0.0")})
    result = chances(source)
    (text,) = result.texts
    p_a, p_b = (party.p_accept for party in text.parties)
    assert close(p_a, 0.5, result.samples)
    assert close(p_b, 0.625, result.samples)
    assert close(text.p_all, 0.5 * 0.625, result.samples)


def test_a_red_line_with_probability_p_rejects_with_probability_p() -> None:
    source = scenario_text(reservations={"a": "0.1"}, values={"a": ("0.9", "0.0")},
                           red_lines={"a": '{ option = "yes", p = 0.3 }'})
    result = chances(source)
    assert close(result.texts[0].p_all, 0.7, result.samples)
    # The point analysis reads p = 0.3 as "not a red line" (p < 0.5) and says it uses means.
    space = compile_scenario(loads(source))
    assert space.uses_means and not space.red_lines.any()


def test_certain_scenario_agrees_with_the_point_evaluation(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    # Pin every estimate at its mean: the probabilities must be the 0/1 verdicts of `evaluate`.
    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    model = build_model(scenario, space)
    point = type(model)(space, model.weights, model.values, model.reservation,
                        space.red_lines.copy(), ())
    result = deal_chances(point, samples=50, seed=1)
    for text, evaluation in zip(result.texts, evaluate_texts(space), strict=True):
        for party, verdict in zip(text.parties, evaluation.parties, strict=True):
            assert party.p_accept == (1.0 if verdict.acceptable is True else 0.0)
            assert party.p_possible == (0.0 if verdict.acceptable is False else 1.0)
        assert text.p_all == (1.0 if evaluation.deal is True else 0.0)


# -- distributions -------------------------------------------------------------


@pytest.mark.parametrize("shape, frozen", [
    (("uniform", 0.2, 0.7), stats.uniform(0.2, 0.5)),
    (("triangular", 0.1, 0.6, 0.9), stats.triang((0.6 - 0.1) / 0.8, 0.1, 0.8)),
    (("normal", 0.5, 0.2, 0.3, 1.0), stats.truncnorm((0.3 - 0.5) / 0.2, (1.0 - 0.5) / 0.2,
                                                     0.5, 0.2)),
])
def test_inverse_cdf_sampling_matches_scipy(shape, frozen) -> None:  # type: ignore[no-untyped-def]
    draws = Estimate("value", 0, 0, 0, shape).quantile(np.random.default_rng(3).random(20_000))
    assert stats.kstest(draws, frozen.cdf).pvalue > 1e-4
    assert draws.min() >= frozen.ppf(0) - 1e-12 and draws.max() <= frozen.ppf(1) + 1e-12


def test_model_means_are_the_closed_forms() -> None:
    assert Uniform(low=0.2, high=0.6).expectation == pytest.approx(0.4)
    assert Triangular(low=0.1, mode=0.6, high=0.9).expectation == pytest.approx(1.6 / 3)
    normal = TruncatedNormal(mean=0.5, sd=0.2, low=0.3, high=1.0)
    assert normal.expectation == pytest.approx(stats.truncnorm(-1, 2.5, 0.5, 0.2).mean())


def test_compile_uses_means(job_offer_path) -> None:  # type: ignore[no-untyped-def]
    source = scenario_text(reservations={"a": "{ low = 0.2, mode = 0.3, high = 0.7 }"},
                           values={"a": ("{ low = 0.5, high = 0.9 }", "0.1")})
    space = compile_scenario(loads(source))
    assert space.reservation[0] == pytest.approx(0.4)
    assert space.values[0, 0, 0] == pytest.approx(0.7)
    assert not compile_scenario(load(job_offer_path)).uses_means


@pytest.mark.parametrize("reservation, value, red, message", [
    ("{ low = 0.6, high = 0.3 }", "0.4", None, "low (0.6) must not exceed high (0.3)"),
    ("{ low = 0.1, mode = 0.8, high = 0.5 }", "0.4", None, "low ≤ mode ≤ high"),
    ("0.5", "{ low = 0.2, high = 1.3 }", None, "between 0 and 1"),
    ("{ mean = 0.5, sd = -1, low = 0, high = 1 }", "0.4", None, "sd must be positive"),
    ("0.5", "{ low = 0.2, hihg = 0.3 }", None, "unknown key 'hihg'"),
    ("0.5", "0.4", '{ option = "yes", p = 1.5 }', "red_lines.x[1].p"),
    ("0.5", "0.4", '{ option = "yse", p = 0.5 }', "unknown option 'yse' for issue 'x' (did you mean"),
])
def test_bad_ranges_get_one_clear_message(reservation, value, red, message) -> None:  # type: ignore[no-untyped-def]
    source = scenario_text(reservations={"a": reservation}, values={"a": (value, "0.0")},
                           red_lines={"a": red} if red else None)
    with pytest.raises(ScenarioError) as caught:
        loads(source, name="s.toml")
    assert any(message in str(problem) for problem in caught.value.problems), caught.value.problems
    assert all("<" not in problem.path for problem in caught.value.problems)


def test_weight_ranges_must_be_positive() -> None:
    source = scenario_text(reservations={"a": "0.5"}, values={"a": ("0.4", "0.0")}).replace(
        "x = 1\n", "x = { low = -1, high = 2 }\n")
    with pytest.raises(ScenarioError, match="weights must be positive"):
        loads(source)


def test_distributions_round_trip_through_toml_and_json(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    scenario = load(peace_plan_path)
    assert compile_scenario(scenario).uses_means
    assert loads(dumps_toml(scenario)) == scenario
    assert loads(dumps_json(scenario), format="json") == scenario


# -- some acceptable package exists: against brute force ----------------------


def random_profiles(rng: np.random.Generator, n: int, parties: int, issues: int,
                    width: int) -> tuple[Profiles, np.ndarray]:
    contribution = rng.random((n, parties, issues, width))
    weights = rng.random((n, parties, issues))
    weights /= weights.sum(axis=2, keepdims=True)
    contribution *= weights[..., None]
    red_lines = rng.random((n, parties, issues, width)) < 0.12
    reservation = rng.uniform(0.3, 0.75, (n, parties))
    return Profiles(contribution, red_lines, reservation), reservation


def brute_force_exists(space, prof: Profiles) -> np.ndarray:  # type: ignore[no-untyped-def]
    must = np.flatnonzero(space.must_accept)
    packages = np.array(list(itertools.product(*(range(k) for k in space.n_options))))
    issue_index = np.arange(space.n_issues)
    found = []
    for s in range(prof.contribution.shape[0]):
        c = prof.contribution[s][must][:, issue_index[None, :], packages]      # (M, N, I)
        red = prof.red_lines[s][must][:, issue_index[None, :], packages].any(axis=(0, 2))
        ok = (c.sum(axis=2) >= prof.reservation[s][must][:, None] - 1e-9).all(axis=0) & ~red
        found.append(bool(ok.any()))
    return np.array(found)


def small_space(parties: int, issues: int, width: int, must: int):  # type: ignore[no-untyped-def]
    names = [f"p{k}" for k in range(parties)]
    parts = "".join(f'[[parties]]\nid = "{p}"\nname = "{p}"\nrole = "{"principal" if k < must else "backer"}"\n'
                    for k, p in enumerate(names))
    issue_text = "".join(
        f'[[issues]]\nid = "i{i}"\ntitle = "I{i}"\noptions = ['
        + ", ".join(f'{{ id = "o{o}", label = "O{o}" }}' for o in range(width)) + "]\n"
        for i in range(issues))
    prefs = "".join(
        f"[preferences.{p}.weights]\n" + "".join(f"i{i} = 1\n" for i in range(issues))
        + "".join(f"[preferences.{p}.values.i{i}]\n" + "".join(f"o{o} = 0.5\n" for o in range(width))
                  for i in range(issues))
        for p in names)
    return compile_scenario(loads(f'[scenario]\ntitle = "t"\n{parts}{issue_text}{prefs}'))


@pytest.mark.parametrize("parties, issues, width, must", [(2, 4, 3, 2), (3, 5, 3, 3), (4, 4, 2, 3)])
def test_package_exists_equals_brute_force(parties, issues, width, must) -> None:  # type: ignore[no-untyped-def]
    space = small_space(parties, issues, width, must)
    prof, _ = random_profiles(np.random.default_rng(parties * 100 + issues), 400, parties,
                              issues, width)
    result = package_exists(space, prof)
    expected = brute_force_exists(space, prof)
    assert (result.exists == expected).all()
    assert 0 < expected.mean() < 1  # both answers occur, so the comparison can fail
    assert result.by_bound + result.by_candidate + result.exact == len(expected)


def test_exact_search_alone_equals_brute_force() -> None:
    # The bounds settle most samples; check the exact search on every sample by itself.
    space = small_space(3, 6, 3, 3)
    prof, _ = random_profiles(np.random.default_rng(11), 300, 3, 6, 3)
    expected = brute_force_exists(space, prof)
    issue_index = np.arange(6)
    for s in range(300):
        allowed = space.option_mask & ~prof.red_lines[s].any(axis=0)
        package = find_acceptable(np.ascontiguousarray(prof.contribution[s]),
                                  np.ascontiguousarray(prof.reservation[s]), allowed, 1e-9)
        assert (package.size > 0) == expected[s]
        if package.size:
            utility = prof.contribution[s][:, issue_index, package].sum(axis=1)
            assert (utility >= prof.reservation[s] - 1e-9).all()
            assert allowed[issue_index, package].all()


def test_flagship_any_package_counts_add_up(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    result = chances(peace_plan_path.read_text(encoding="utf-8"),
                     samples=3000, seed=2, any_package=True)
    assert result.p_any_package is not None and 0 < result.p_any_package < 1
    assert result.settled_by_bound + result.settled_by_candidate + result.exact_checks == 3000


# -- reproducibility and splitting ---------------------------------------------


def test_same_seed_same_result_and_different_seed_differs() -> None:
    source = scenario_text(reservations={"a": "{ low = 0.3, high = 0.5 }"},
                           values={"a": ("0.4", "0.0")})
    assert chances(source, samples=5000, seed=3) == chances(source, samples=5000, seed=3)
    assert chances(source, samples=5000, seed=3) != chances(source, samples=5000, seed=4)


def test_split_over_threads_equals_single_process(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    scenario = load(peace_plan_path)
    model = build_model(scenario, compile_scenario(scenario))
    samples = 2 * CHUNK_SIZE + 123   # a ragged last chunk
    single = deal_chances(model, samples=samples, seed=5, any_package=True)
    threads = deal_chances(model, samples=samples, seed=5, any_package=True,
                           mapper=thread_mapper(3))
    assert single == threads
    assert single.chunks == 3


def test_wilson_interval_matches_the_formula() -> None:
    lo, hi = wilson_interval(0, 100)
    assert lo == pytest.approx(0, abs=1e-12) and hi == pytest.approx(1.96**2 / (100 + 1.96**2), rel=1e-3)
    lo, hi = wilson_interval(50, 100)
    assert (lo + hi) / 2 == pytest.approx(0.5) and hi - lo == pytest.approx(0.1918, abs=1e-3)


# -- sensitivity -----------------------------------------------------------------


def test_tornado_ranks_the_estimate_that_decides_the_deal_first() -> None:
    # Party a's reservation range straddles the text's utility; b's value range never matters.
    source = scenario_text(
        reservations={"a": "{ low = 0.3, high = 0.5 }", "b": "0.1"},
        values={"a": ("0.4", "0.0"), "b": ("{ low = 0.5, high = 0.9 }", "0.0")})
    scenario = loads(source)
    model = build_model(scenario, compile_scenario(scenario))
    result = tornado(model, samples=4000, seed=1, any_package=False)
    first, second = result.effects
    assert first.label == "a reservation"
    # pinned at its 5th percentile (0.31) a accepts surely; at its 95th (0.49) never.
    assert first.p_low == (1.0,) and first.p_high == (0.0,)
    assert second.swing == 0.0


# -- the fast path for complete texts equals the general path --------------------


def test_complete_text_fast_path_equals_the_general_path(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    from accord.analysis.uncertainty import (
        complete_text_outcomes,
        profiles,
        sample_draws,
        sampled_estimates,
        text_outcomes,
    )

    # The flagship (uniform, triangular, probable red line) and a truncated-normal case.
    normal = loads(scenario_text(
        reservations={"a": "{ mean = 0.5, sd = 0.1, low = 0.3, high = 0.7 }"},
        values={"a": ("{ mean = 0.55, sd = 0.2, low = 0.2, high = 0.9 }", "0.1")}))
    flagship = load(peace_plan_path)
    models = [build_model(s, compile_scenario(s)) for s in (flagship, normal)]
    assert {e.shape[0] for e in models[0].estimates} >= {"uniform", "triangular", "red_line"}
    assert {e.shape[0] for e in models[1].estimates} == {"normal"}
    for model in models:
        space = model.space
        # random complete packages, so red lines and value estimates are hit
        rng = np.random.default_rng(3)
        texts = np.stack([rng.integers(0, space.n_options) for _ in range(40)])
        draws = sample_draws(model, np.random.default_rng(5), 3000)
        per_estimate = np.stack([e.quantile(draws[:, c]) for c, e in enumerate(model.estimates)],
                                axis=1)
        assert np.allclose(sampled_estimates(model, draws), per_estimate, rtol=0, atol=1e-12)
        slow = text_outcomes(space, profiles(model, draws), texts)
        fast = complete_text_outcomes(model, draws.copy(), texts)
        assert (slow[0] == fast[0]).all() and (slow[1] == fast[1]).all()
        assert np.abs(slow[2] - fast[2]).max() < 1e-12
        assert 0 < fast[0].mean() < 1


# -- Sobol indices: a closed form ---------------------------------------------------


def test_sobol_indices_match_the_closed_form() -> None:
    pytest.importorskip("SALib")
    from accord.analysis.sensitivity import sobol_indices

    # Y = [v ≥ r] with v, r ~ U(0, 1) independent: Var Y = 1/4, E[Y | v] = v so
    # S_v = (1/12) / (1/4) = 1/3; ST_v = E[Var(Y | r)] / Var Y = E[r(1 − r)] · 4 = 2/3;
    # the same for r by symmetry. The value of the option the text does not use has no effect.
    source = scenario_text(reservations={"a": "{ low = 0.0, high = 1.0 }"},
                           values={"a": ("{ low = 0.0, high = 1.0 }", "{ low = 0.2, high = 0.4 }")})
    scenario = loads(source)
    model = build_model(scenario, compile_scenario(scenario))
    result = sobol_indices(model, base_samples=1 << 14, seed=1, any_package=False)
    assert result.runs == (1 << 14) * (3 + 2)
    assert abs(result.p[0] - 0.5) < 0.01
    effects = {effect.label: effect for effect in result.effects}
    for label in ("a value x=yes", "a reservation"):
        effect = effects[label]
        assert abs(effect.first[0] - 1 / 3) < 0.04 and abs(effect.total[0] - 2 / 3) < 0.04
        assert effect.first_conf[0] < 0.05
    idle = effects["a value x=no"]
    assert idle.first == (0.0,) and idle.total == (0.0,)
    assert result.effects[-1].label == "a value x=no"


def test_pools_keep_at_most_a_window_of_chunks_in_flight() -> None:
    from accord.analysis.uncertainty import _windowed

    submitted: list[int] = []
    consumed = 0
    plan = chunk_plan_for_test(50)
    for index, future in enumerate(_windowed(lambda seed, size: submitted.append(size) or len(submitted) - 1,
                                             plan, 4)):
        assert future == index                      # in plan order
        assert len(submitted) - consumed <= 4       # never more than the window ahead
        consumed += 1
    assert consumed == len(submitted) == 50


def chunk_plan_for_test(n_chunks: int):  # type: ignore[no-untyped-def]
    from accord.analysis.uncertainty import chunk_plan

    return chunk_plan(n_chunks * CHUNK_SIZE, 0)
