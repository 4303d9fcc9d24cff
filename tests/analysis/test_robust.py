"""The most robust package and the smallest amendment: against brute force on the same samples."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from accord.analysis.robust import common_samples, robust_package, smallest_amendment
from accord.analysis.uncertainty import build_model, chunk_plan, deal_chances, profiles, sample_draws
from accord.io.scenario_file import load, loads
from accord.space import compile_scenario


def uncertain_scenario(seed: int, parties: int = 3, issues: int = 4, width: int = 3,
                       must: int = 2) -> str:
    """A small random scenario whose reservations, weights, some values and a red line are uncertain."""
    rng = np.random.default_rng(seed)
    out = ['[scenario]\ntitle = "t"']
    out += [f'[[parties]]\nid = "p{p}"\nname = "P{p}"\nrole = "{"principal" if p < must else "backer"}"'
            for p in range(parties)]
    for i in range(issues):
        options = ", ".join(f'{{ id = "o{o}", label = "O{o}" }}' for o in range(width))
        out.append(f'[[issues]]\nid = "i{i}"\ntitle = "I{i}"\noptions = [{options}]')
    for p in range(parties):
        low = rng.uniform(0.5, 0.65)
        red = f'red_lines = {{ i0 = [{{ option = "o{rng.integers(width)}", p = 0.4 }}] }}\n' if p == 0 else ""
        out.append(f"[preferences.p{p}]\nreservation = {{ low = {low:.3f}, high = {low + 0.2:.3f} }}\n"
                   f"{red}[preferences.p{p}.weights]")
        out += [f"i{i} = {{ low = {w:.3f}, high = {2 * w:.3f} }}" for i, w in
                enumerate(rng.uniform(1, 5, issues))]
        for i in range(issues):
            out.append(f"[preferences.p{p}.values.i{i}]")
            for o, v in enumerate(rng.random(width)):
                out.append(f"o{o} = {{ low = {max(v - 0.2, 0):.3f}, high = {min(v + 0.2, 1):.3f} }}"
                           if o == 0 else f"o{o} = {v:.3f}")
    positions = "\n".join(f'i{i} = "o{rng.integers(width)}"' for i in range(issues))
    out.append(f'[[texts]]\nid = "t"\ntitle = "T"\n[texts.positions]\n{positions}')
    return "\n".join(out) + "\n"


def model_of(source: str):  # type: ignore[no-untyped-def]
    scenario = loads(source)
    return build_model(scenario, compile_scenario(scenario))


def brute_force_counts(model, samples: int, seed: int) -> dict[tuple[int, ...], int]:  # type: ignore[no-untyped-def]
    """Per package, the samples accepting it — one sample and one package at a time."""
    space = model.space
    must = np.flatnonzero(space.must_accept)
    blocks = [profiles(model, sample_draws(model, np.random.Generator(np.random.PCG64(s)), n))
              for s, n in chunk_plan(samples, seed)]
    contribution = np.concatenate([b.contribution for b in blocks])
    red = np.concatenate([b.red_lines for b in blocks])
    reservation = np.concatenate([b.reservation for b in blocks])
    counts = {}
    for package in itertools.product(*(range(k) for k in space.n_options)):
        count = 0
        for s in range(samples):
            count += all(
                not any(red[s, p, i, o] for i, o in enumerate(package))
                and sum(contribution[s, p, i, o] for i, o in enumerate(package)) >= reservation[s, p] - 1e-9
                for p in must)
        counts[package] = count
    return counts


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 6])
def test_robust_package_is_the_brute_force_argmax_on_the_same_samples(seed: int) -> None:
    model = model_of(uncertain_scenario(seed))
    counts = brute_force_counts(model, 600, seed)
    best = max(counts.values())
    assert 0 < best < 600  # the argmax is not trivially 0 or 1, so the comparison can fail
    assert len(set(counts.values())) > 5
    # exhaustive; frontier + local search; an ε-thinned frontier + local search
    for limit, frontier in ((10**6, 2000), (0, 2000), (0, 2)):
        result = robust_package(model, samples=600, seed=seed, exhaustive_limit=limit,
                                frontier_limit=frontier)
        assert result.successes == best, (result.method, result.candidates)
        assert result.method == ("exhaustive" if limit else "frontier + local search")
        assert frontier > 2 or "ε" in result.candidates or result.frontier_size <= 2
        assert counts[tuple(int(o) for o in result.package)] == best
        assert result.interval[0] < result.p_all < result.interval[1]


def test_robust_probability_equals_deal_chances_of_that_package_as_a_text() -> None:
    # Two independent code paths (matrix products here; text_outcomes in `chance`) on the
    # same chunk plan must count the same samples.
    model = model_of(uncertain_scenario(5))
    result = robust_package(model, samples=5000, seed=3)
    space = model.space
    positions = "\n".join(f'{space.issue_ids[i]} = "{space.option_ids[i][o]}"'
                          for i, o in enumerate(result.package))
    source = uncertain_scenario(5).replace('[[texts]]\nid = "t"',
                                           f'[[texts]]\nid = "robust"\ntitle = "R"\n'
                                           f'[texts.positions]\n{positions}\n[[texts]]\nid = "t"')
    chance = deal_chances(model_of(source), [0], samples=5000, seed=3)
    assert chance.texts[0].p_all == result.p_all


@pytest.mark.parametrize("seed", [1, 4])
def test_smallest_amendment_is_the_fewest_changes_reaching_the_best(seed: int) -> None:
    model = model_of(uncertain_scenario(seed))
    counts = brute_force_counts(model, 600, seed)
    best = max(counts.values())
    text = model.space.texts[0]
    distances = {package: int((np.array(package) != text).sum()) for package in counts}
    fewest = min(d for package, d in distances.items() if counts[package] == best)
    amendment = smallest_amendment(model, 0, samples=600, seed=seed)
    assert len(amendment.changed) == fewest
    assert round(amendment.p_all * 600) == best
    assert amendment.p_text == counts[tuple(int(o) for o in text)] / 600
    # every size before the last falls short of the best, and each step is the best of its size
    for step in amendment.steps:
        best_at = max(c for package, c in counts.items() if distances[package] == step.changes)
        assert round(step.p_all * 600) == best_at


def test_flagship_robust_package_beats_every_text(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    scenario = load(peace_plan_path)
    model = build_model(scenario, compile_scenario(scenario))
    crn = common_samples(model, 2048, 0)
    result = robust_package(model, crn=crn)
    assert result.method == "frontier + local search" and "acceptable packages only" in result.candidates
    assert result.p_all > 0.2
    assert all(np.isnan(p) or p < result.p_all for p in result.p_texts)
    amendment = smallest_amendment(model, 0, crn=crn, robust=result)
    assert amendment.p_all >= result.p_all
    assert [step.changes for step in amendment.steps] == list(range(len(amendment.changed) + 1))


def test_robust_result_says_how_in_words_and_counts_the_estimates(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    # issue 11, defect 10: no module path in what a person reads; the count for the view
    scenario = load(peace_plan_path)
    model = build_model(scenario, compile_scenario(scenario))
    result = robust_package(model, samples=64, seed=0)
    assert "accord." not in result.candidates and "complete texts" in result.candidates
    assert result.estimates == model.n_estimates == 9
