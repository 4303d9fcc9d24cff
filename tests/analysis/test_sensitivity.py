"""The tornado: the shared-draw algorithm against the rerun reference and against brute force."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest

from accord.analysis.sensitivity import HIGH_QUANTILE, LOW_QUANTILE, tornado
from accord.analysis.uncertainty import (
    CHUNK_SIZE,
    UncertainModel,
    build_model,
    chunk_plan,
    sample_draws,
    thread_mapper,
)
from accord.io.scenario_file import load, loads
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, compile_scenario

#: Three issues of three options; a and b must accept, c need not.  Every kind of
#: estimate (uniform, triangular, truncated normal; weight, value, reservation, red
#: line with a probability) and a text with an open point.
SMALL = """
[scenario]
title = "small"
must_accept = ["a", "b"]
[[parties]]
id = "a"
name = "A"
role = "principal"
[[parties]]
id = "b"
name = "B"
role = "principal"
[[parties]]
id = "c"
name = "C"
role = "principal"
[[issues]]
id = "x"
title = "X"
options = [{ id = "o0", label = "O0" }, { id = "o1", label = "O1" }, { id = "o2", label = "O2" }]
[[issues]]
id = "y"
title = "Y"
options = [{ id = "o0", label = "O0" }, { id = "o1", label = "O1" }, { id = "o2", label = "O2" }]
[[issues]]
id = "z"
title = "Z"
options = [{ id = "o0", label = "O0" }, { id = "o1", label = "O1" }, { id = "o2", label = "O2" }]
[preferences.a]
reservation = { low = 0.3, mode = 0.45, high = 0.6 }
red_lines = { z = [{ option = "o2", p = 0.5 }] }
[preferences.a.weights]
x = { low = 1, high = 3 }
y = 1
z = 2
[preferences.a.values.x]
o0 = 1
o1 = { low = 0.2, high = 0.8 }
o2 = 0
[preferences.a.values.y]
o0 = 0
o1 = 0.5
o2 = 1
[preferences.a.values.z]
o0 = 0.3
o1 = 1
o2 = 0.6
[preferences.b]
reservation = { low = 0.35, high = 0.55 }
red_lines = { y = ["o2"] }
[preferences.b.weights]
x = 2
y = { low = 0.5, high = 2 }
z = 1
[preferences.b.values.x]
o0 = 0
o1 = 0.6
o2 = 1
[preferences.b.values.y]
o0 = 1
o1 = { mean = 0.5, sd = 0.2, low = 0.1, high = 0.9 }
o2 = 0
[preferences.b.values.z]
o0 = 1
o1 = 0
o2 = 0.5
[preferences.c]
reservation = { low = 0.2, high = 0.9 }
[preferences.c.weights]
x = 1
y = { low = 0.5, high = 1.5 }
z = 1
[preferences.c.values.x]
o0 = 0.5
o1 = 1
o2 = 0
[preferences.c.values.y]
o0 = 0
o1 = { low = 0.1, high = 0.9 }
o2 = 1
[preferences.c.values.z]
o0 = 1
o1 = 0
o2 = 0.5
[[texts]]
id = "t1"
title = "T1"
[texts.positions]
x = "o1"
y = "o1"
z = "o0"
[[texts]]
id = "t2"
title = "T2, z open"
[texts.positions]
x = "o1"
y = "o1"
[[texts]]
id = "t3"
title = "T3"
[texts.positions]
x = "o0"
y = "o1"
z = "o2"
"""


def small_model() -> UncertainModel:
    scenario = loads(SMALL)
    return build_model(scenario, compile_scenario(scenario))


def brute_force_counts(model: UncertainModel, samples: int, seed: int, fixed: dict[int, float],
                       texts: np.ndarray, any_package: bool) -> list[int]:
    """The deal counts of one setting, by enumerating every package of every sample.

    The same draws as the library (chunk ``j`` from stream ``j`` of ``seed``, the
    pinned column overwritten); each estimate's value by its own inverse CDF
    (:meth:`Estimate.quantile`); utilities written out from the definition.
    """
    space = model.space
    n_parties, n_issues = space.n_parties, space.n_issues
    must = np.flatnonzero(space.must_accept)
    tol = UTILITY_TOLERANCE
    counts = np.zeros(len(texts) + int(any_package), dtype=np.int64)
    for chunk_seed, size in chunk_plan(samples, seed):
        draws = sample_draws(model, np.random.Generator(np.random.PCG64(chunk_seed)), size, fixed)
        for s in range(size):
            weights = model.weights.copy()
            values = model.values.copy()
            reservation = model.reservation.copy()
            red = model.red_lines.copy()
            for column, estimate in enumerate(model.estimates):
                value = float(estimate.quantile(draws[s:s + 1, column])[0])
                p, i, o = estimate.party, estimate.issue, estimate.option
                if estimate.kind == "weight":
                    weights[p, i] = value
                elif estimate.kind == "value":
                    values[p, i, o] = value
                elif estimate.kind == "reservation":
                    reservation[p] = value
                else:
                    red[p, i, o] = value > 0.5
            acceptable = functools.partial(
                _acceptable, weights / weights.sum(axis=1, keepdims=True), values, reservation,
                red, tol)

            for k, text in enumerate(texts):
                options = [[int(o)] if o != UNRESOLVED else list(range(space.n_options[i]))
                           for i, o in enumerate(text)]
                completions = list(itertools.product(*options))
                counts[k] += all(acceptable(p, c) for p in must for c in completions)
            if any_package:
                every = itertools.product(*(range(space.n_options[i]) for i in range(n_issues)))
                counts[-1] += any(all(acceptable(p, c) for p in must) for c in every)
    assert n_parties == model.values.shape[0]
    return counts.tolist()


def _acceptable(weights: np.ndarray, values: np.ndarray, reservation: np.ndarray,
                red: np.ndarray, tol: float, p: int, package: tuple[int, ...]) -> bool:
    """Party ``p`` accepts ``package``: no red line hit, utility at least its reservation value."""
    utility = sum(weights[p, i] * values[p, i, o] for i, o in enumerate(package))
    return not any(red[p, i, o] for i, o in enumerate(package)) and utility >= reservation[p] - tol


def test_tornado_equals_brute_force_on_a_small_scenario() -> None:
    model = small_model()
    space = model.space
    samples, seed = 300, 4
    result = tornado(model, samples=samples, seed=seed)
    base = brute_force_counts(model, samples, seed, {}, space.texts, True)
    assert [round(p * samples) for p in result.base] == base
    assert 0 < base[-1] < samples   # the existence target varies, so the test can fail
    by_column = {effect.estimate: effect for effect in result.effects}
    for column, estimate in enumerate(model.estimates):
        low_u, high_u = (1.0, 0.0) if estimate.kind == "red_line" else (LOW_QUANTILE, HIGH_QUANTILE)
        effect = by_column[column]
        for u, p in ((low_u, effect.p_low), (high_u, effect.p_high)):
            expected = brute_force_counts(model, samples, seed, {column: u}, space.texts, True)
            assert [round(x * samples) for x in p] == expected, (estimate, u)


@pytest.mark.parametrize("any_package", [True, False])
@pytest.mark.parametrize("texts", [None, [0, 2], [1]])
def test_shared_draws_equal_the_rerun_reference_exactly(any_package: bool,
                                                        texts: list[int] | None) -> None:
    # [0, 2]: complete texts only (without any_package, run_chunk's fast path); [1]: open.
    model = small_model()
    samples = CHUNK_SIZE + 700          # two chunks, the second short
    shared = tornado(model, texts, samples=samples, seed=11, any_package=any_package)
    rerun = tornado(model, texts, samples=samples, seed=11, any_package=any_package,
                    method="rerun")
    assert shared == rerun
    assert any(effect.swing > 0 for effect in shared.effects)


def test_an_estimate_of_a_party_that_need_not_accept_moves_nothing() -> None:
    model = small_model()
    result = tornado(model, samples=500, seed=2)
    c = model.space.party_ids.index("c")
    of_c = [e for e in result.effects if model.estimates[e.estimate].party == c]
    assert of_c and all(e.p_low == result.base == e.p_high for e in of_c)


def test_shared_draws_equal_the_rerun_reference_on_the_flagship(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    scenario = load(peace_plan_path)
    model = build_model(scenario, compile_scenario(scenario))
    shared = tornado(model, samples=700, seed=3)
    assert shared == tornado(model, samples=700, seed=3, method="rerun")
    assert shared.effects[0].swing > 0.2


def test_a_mapper_gives_the_same_tornado_and_progress_reaches_the_total() -> None:
    model = small_model()
    samples = 2 * CHUNK_SIZE + 5
    seen: list[tuple[int, int]] = []
    serial = tornado(model, samples=samples, seed=5, progress=lambda done, total:
                     seen.append((done, total)))
    total = samples * (2 * model.n_estimates + 1)
    assert seen[-1] == (total, total)
    assert all(a[0] < b[0] for a, b in itertools.pairwise(seen))   # a bar only moves forward
    assert len(seen) == 3 * (2 * model.n_estimates + 1)             # every setting of every chunk
    chunked: list[tuple[int, int]] = []
    threaded = tornado(model, samples=samples, seed=5, mapper=thread_mapper(2),
                       progress=lambda done, total: chunked.append((done, total)))
    assert threaded == serial
    assert chunked[-1] == (total, total) and len(chunked) == 3


def test_rerun_progress_and_bad_method() -> None:
    model = small_model()
    seen: list[tuple[int, int]] = []
    tornado(model, samples=50, method="rerun", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (50 * (2 * model.n_estimates + 1),) * 2
    with pytest.raises(ValueError, match="method"):
        tornado(model, samples=50, method="fast")
    with pytest.raises(ValueError, match="samples"):
        tornado(model, samples=0)


def test_deal_outcomes_reports_progress_per_block() -> None:
    from accord.analysis.sensitivity import deal_outcomes

    model = small_model()
    draws = np.random.default_rng(0).random((CHUNK_SIZE + 10, model.n_estimates))
    seen: list[tuple[int, int]] = []
    outcomes = deal_outcomes(model, draws, model.space.texts, any_package=True,
                             progress=lambda done, total: seen.append((done, total)))
    assert seen == [(CHUNK_SIZE, CHUNK_SIZE + 10), (CHUNK_SIZE + 10, CHUNK_SIZE + 10)]
    assert outcomes.shape == (CHUNK_SIZE + 10, len(model.space.texts) + 1)
