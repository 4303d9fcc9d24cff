"""The compiled kernels against their plain definitions (brute force), and how they load.

Oracles: :func:`tests.analysis.oracle.pareto_mask` (pairwise comparison), a
pairwise weak-dominance check, ``np.unique`` for grouping, enumeration of every
choice of one point per issue for the merge, and enumeration of every package
for the existence search.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from accord.analysis import dominance, kernels, pareto, uncertainty
from accord.analysis.pareto import frontier_of_sums, pareto_frontier
from tests.analysis import oracle
from tests.analysis.strategies import spaces
from tests.analysis.test_uncertainty import brute_force_exists, random_profiles, small_space

#: The merge on numpy alone, compiled alone, and numpy handing over to the kernel mid-way.
MERGE_ENGINES = ["numpy", "compiled", "handover"]


def run_merge(engine: str, *args: object, **kwargs: object) -> pareto.SumFrontier:
    if engine == "handover":   # every step above 10 candidates goes to the kernel
        with mock.patch.object(pareto, "COMPILED_ABOVE", 10):
            return frontier_of_sums(*args, engine="auto", **kwargs)  # type: ignore[arg-type]
    return frontier_of_sums(*args, engine=engine, **kwargs)  # type: ignore[arg-type]

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def int_points(max_rows: int = 300, max_dims: int = 9, top: int = 4) -> st.SearchStrategy[np.ndarray]:
    """Small integer values: many ties and exact duplicates."""
    return hnp.arrays(np.int32, st.tuples(st.integers(0, max_rows), st.integers(1, max_dims)),
                      elements=st.integers(0, top))


# -- dominance -----------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
@SETTINGS
@given(int_points(), st.data())
def test_maxima_is_the_pairwise_definition(engine: str, points: np.ndarray,
                                           data: st.DataObject) -> None:
    strict = data.draw(st.integers(0, points.shape[1]))
    found = dominance.maxima(points, strict, engine=engine)  # type: ignore[arg-type]
    if points.shape[0] == 0:
        assert found.shape == (0,)
    elif strict == 0:
        assert found.all()
    else:
        np.testing.assert_array_equal(found, oracle.pareto_mask(points.astype(float), strict))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(3, 9), st.integers(0, 2**32 - 1))
def test_maxima_on_large_antichains_with_duplicates(dims: int, seed: int) -> None:
    # Points near a simplex (mostly non-dominated, as the merge's candidates are),
    # some shrunk copies (dominated), some exact copies (kept with their twin).
    rng = np.random.default_rng(seed)
    base = rng.dirichlet(np.ones(dims), size=1500)
    points = np.vstack([base, base[:300] * 0.999, base[:200]])
    ranks = kernels.dense_ranks(points, 0.0)
    found = kernels.maxima(ranks, dims)
    np.testing.assert_array_equal(found, oracle.pareto_mask(points))
    np.testing.assert_array_equal(found[:200], found[1800:])


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
@SETTINGS
@given(int_points(max_rows=120, max_dims=6), int_points(max_rows=120, max_dims=6))
def test_covered_is_weak_dominance(engine: str, above: np.ndarray, below: np.ndarray) -> None:
    d = min(above.shape[1], below.shape[1])
    above, below = np.ascontiguousarray(above[:, :d]), np.ascontiguousarray(below[:, :d])
    expected = (above[:, None, :] >= below[None, :, :]).all(axis=2).any(axis=0) if len(above) \
        else np.zeros(len(below), dtype=bool)
    np.testing.assert_array_equal(kernels.covered(above, below), expected)
    np.testing.assert_array_equal(
        dominance.dominated_by(below, above, engine=engine), expected)  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
@SETTINGS
@given(int_points(max_dims=5))
def test_group_rows_matches_unique(engine: str, points: np.ndarray) -> None:
    first, group = dominance.group_rows(points, engine=engine)  # type: ignore[arg-type]
    if points.shape[0] == 0:
        return
    np.testing.assert_array_equal(points[first][group], points)   # every row in its class
    assert len(first) == len(np.unique(points, axis=0))            # one class per distinct row
    # The representative is the first occurrence (the existence search relies on it).
    _, expected_first = np.unique(points, axis=0, return_index=True)
    assert sorted(first.tolist()) == sorted(expected_first.tolist())


@SETTINGS
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 60), st.integers(1, 4)),
                  elements=st.sampled_from([0.0, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.0])),
       st.sampled_from([0.0, 1e-12]))
def test_dense_ranks_definition(values: np.ndarray, tolerance: float) -> None:
    ranks = kernels.dense_ranks(np.ascontiguousarray(values), tolerance)
    np.testing.assert_array_equal(dominance.dense_ranks(values, tolerance), ranks)
    for j in range(values.shape[1]):
        ordered = np.sort(values[:, j])
        steps = np.concatenate([[0], np.cumsum(np.diff(ordered) > tolerance)])
        expected = steps[np.searchsorted(ordered, values[:, j], side="left")]
        np.testing.assert_array_equal(ranks[:, j], expected)


# -- the merge -------------------------------------------------------------------------


def brute_sums(points: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Every choice of one point per issue: ``(choices, sums)``."""
    choices = np.array(list(itertools.product(*[range(len(p)) for p in points])), dtype=np.int64)
    sums = sum(points[i][choices[:, i]] for i in range(len(points)))
    return choices, np.asarray(sums)


@st.composite
def point_sets(draw: st.DrawFn) -> tuple[list[np.ndarray], int]:
    dims = draw(st.integers(1, 9))
    n_issues = draw(st.integers(1, 5))
    dyadic = draw(st.booleans())
    points = []
    for _ in range(n_issues):
        k = draw(st.integers(1, 5))
        if dyadic:   # exact ties between different choices
            values = draw(hnp.arrays(np.int64, (k, dims), elements=st.integers(0, 4))) / 4.0
        else:   # sums of these differ by far more than the tie tolerance, or not at all
            values = draw(hnp.arrays(np.int64, (k, dims), elements=st.integers(0, 997))) / 997.0
        points.append(np.asarray(values, dtype=np.float64))
    strict = draw(st.integers(1, dims))
    return points, strict


@pytest.mark.parametrize("engine", MERGE_ENGINES)
@SETTINGS
@given(point_sets(), st.booleans(), st.data())
def test_merge_is_the_frontier_of_every_choice(engine: str, case: tuple[list[np.ndarray], int],
                                               bounded: bool, data: st.DataObject) -> None:
    points, strict = case
    dims = points[0].shape[1]
    choices, sums = brute_sums(points)
    lower = None
    if bounded:
        # A lower bound on some coordinates, near the middle of what the sums reach.
        level = data.draw(st.floats(0.0, 1.0))
        # (Less a tolerance, as callers do: sums added in another order differ in the last bits.)
        lower = np.where(np.arange(dims) % 2 == 0, sums.min(axis=0)
                         + level * (sums.max(axis=0) - sums.min(axis=0)), -np.inf) - 1e-9
        ok = (sums >= lower).all(axis=1)
        choices, sums = choices[ok], sums[ok]
    result = run_merge(engine, [(np.arange(len(p)), p) for p in points], strict=strict, lower=lower)
    if sums.shape[0] == 0:
        assert result.vectors.shape[0] == 0 and result.empty_reason
        return
    keep = oracle.pareto_mask(sums, strict)
    owner, packages = result.packages()
    found = {tuple(p) for p in packages.tolist()}
    expected = {tuple(c) for c in choices[keep].tolist()}
    assert found == expected
    listed = sum(points[i][packages[:, i]] for i in range(len(points)))
    np.testing.assert_allclose(result.vectors[owner], listed, atol=1e-9)


@pytest.mark.parametrize("engine", MERGE_ENGINES)
@SETTINGS
@given(point_sets(), st.sampled_from([0.01, 0.05, 0.2, 0.5]))
def test_epsilon_merge_covers_the_exact_frontier(engine: str, case: tuple[list[np.ndarray], int],
                                                 epsilon: float) -> None:
    points, _ = case
    dims = points[0].shape[1]
    issues = [(np.arange(len(p)), p) for p in points]
    exact = frontier_of_sums(issues, strict=dims)
    rough = run_merge(engine, issues, strict=dims, epsilon=epsilon)
    stated = 0.0 if rough.epsilon is None else rough.epsilon
    assert stated <= epsilon + 1e-12
    for u in exact.vectors:   # every exact vector is ε-dominated by a reported one
        assert (rough.vectors >= u - stated - 1e-12).all(axis=1).any()
    # Reported vectors are real sums of one point per issue.
    owner, packages = rough.packages()
    listed = sum(points[i][packages[:, i]] for i in range(len(points)))
    np.testing.assert_allclose(rough.vectors[owner], listed, atol=1e-9)


@SETTINGS
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 200), st.integers(1, 5)),
                  elements=st.floats(0.0, 1.0)),
       st.sampled_from([0.05, 0.1, 0.3]), st.data())
def test_one_thinning_step_is_the_epsilon_box_archive(values: np.ndarray, width: float,
                                                      data: st.DataObject) -> None:
    """Both engines keep the same representatives; each input vector is within ``width`` below
    one of them; and no kept cell is dominated by another kept cell (Laumanns et al. 2002)."""
    strict = data.draw(st.integers(1, values.shape[1]))
    ours = pareto._thin(values, width, strict)
    np.testing.assert_array_equal(ours, kernels._thin_cells(np.ascontiguousarray(values),
                                                            strict, width))
    kept = values[ours]
    for x in values:
        assert (kept >= x - width - 1e-12).all(axis=1).any()
    cells = np.floor(kept / width)
    assert len({tuple(c) for c in cells.tolist()}) == len(kept)   # one per cell
    for a in range(len(cells)):
        for b in range(len(cells)):
            dominates = (cells[b] >= cells[a]).all() and (cells[b, :strict] > cells[a, :strict]).any()
            assert not dominates


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spaces(min_parties=6, max_parties=9, max_outcomes=3000), st.booleans())
def test_frontier_of_six_to_nine_parties_equals_brute_force(space, acceptable) -> None:  # type: ignore[no-untyped-def]
    found = pareto_frontier(space, acceptable_only=acceptable)
    packages, _ = oracle.frontier(space, acceptable_only=acceptable)
    assert {tuple(p) for p in found.packages.tolist()} == {tuple(p) for p in packages.tolist()}


@SETTINGS
@given(point_sets(), st.sampled_from([None, 0.05, 0.3]))
def test_both_engines_give_the_same_sums_edges_and_bound(case: tuple[list[np.ndarray], int],
                                                         epsilon: float | None) -> None:
    points, strict = case
    issues = [(np.arange(len(p)), p) for p in points]
    results = [run_merge(engine, issues, strict=strict, epsilon=epsilon) for engine in MERGE_ENGINES]
    listed = [{tuple(p) for p in r.packages()[1].tolist()} for r in results]
    assert listed[0] == listed[1] == listed[2]
    assert results[0].epsilon == results[1].epsilon == results[2].epsilon
    assert results[0].candidates == results[1].candidates == results[2].candidates


def test_the_flagship_frontiers_are_the_same_on_both_engines(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    from accord.io.scenario_file import load
    from accord.space import compile_scenario

    space = compile_scenario(load(peace_plan_path))
    for acceptable in (True, False):
        a = pareto_frontier(space, acceptable_only=acceptable, engine="numpy")
        b = pareto_frontier(space, acceptable_only=acceptable, engine="compiled")
        np.testing.assert_array_equal(a.packages, b.packages)
        np.testing.assert_allclose(a.utilities, b.utilities, atol=1e-12)
        assert a.n_vectors == b.n_vectors


# -- deal existence: both engines against enumeration of every package -------------------


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
@pytest.mark.parametrize("parties, issues, width, must", [(2, 4, 3, 2), (3, 5, 3, 3), (4, 4, 2, 3),
                                                         (3, 6, 3, 3)])
def test_package_exists_on_each_engine_equals_brute_force(engine, parties, issues, width, must) -> None:  # type: ignore[no-untyped-def]
    space = small_space(parties, issues, width, must)
    prof, _ = random_profiles(np.random.default_rng(parties * 7 + issues), 400, parties, issues,
                              width)
    result = uncertainty.package_exists(space, prof, engine=engine)
    expected = brute_force_exists(space, prof)
    assert 0 < expected.mean() < 1
    np.testing.assert_array_equal(result.exists, expected)
    assert result.by_bound + result.by_candidate + result.exact == len(expected)


def test_batched_exact_search_alone_equals_brute_force() -> None:
    # Every sample through the numpy exact search, bounds skipped (they settle most samples).
    space = small_space(3, 6, 3, 3)
    prof, _ = random_profiles(np.random.default_rng(11), 300, 3, 6, 3)
    expected = brute_force_exists(space, prof)
    allowed = space.option_mask[None] & ~prof.red_lines.any(axis=1)
    found = uncertainty._settle_numpy(prof.contribution, prof.reservation, allowed, 1e-9)
    np.testing.assert_array_equal(found, expected)
    assert 0 < expected.mean() < 1


# -- loading -------------------------------------------------------------------------------


def test_a_function_with_no_cache_location_still_compiles() -> None:
    # Code without a source file (here: exec) has no cache location at all, the
    # same situation as a read-only install with no writable cache folder.
    namespace: dict[str, object] = {}
    exec("def twice(x):\n    return 2 * x\n", namespace)
    compiled = kernels._compile(namespace["twice"])  # type: ignore[arg-type]
    assert compiled(21) == 42


def _run(code: str, **env: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          timeout=600, env={**os.environ, **env})
    return done.stdout.strip()


@pytest.mark.slow
def test_a_second_process_loads_the_kernels_without_compiling() -> None:
    code = ("import numpy as np\n"
            "from accord.analysis import kernels\n"
            "from accord.analysis.pareto import frontier_of_sums\n"
            "pts = [(np.arange(3), np.random.default_rng(0).random((3, 3))) for _ in range(4)]\n"
            "frontier_of_sums(pts, strict=3, engine='compiled').packages()\n"
            "d = kernels.merge_frontier\n"
            "print(sum(d.stats.cache_misses.values()), sum(d.stats.cache_hits.values()))\n")
    _run(code)   # compiles and writes the cache if no earlier process did
    misses, hits = _run(code).split()
    assert misses == "0" and hits == "1"


def test_commands_that_need_no_frontier_do_not_import_numba(job_offer_path) -> None:  # type: ignore[no-untyped-def]
    code = ("import sys\n"
            "from typer.testing import CliRunner\n"
            "from accord.cli import app\n"
            "runner = CliRunner()\n"
            "assert runner.invoke(app, ['--help']).exit_code == 0\n"
            f"assert runner.invoke(app, ['check', {str(job_offer_path)!r}]).exit_code == 0\n"
            "print('numba' in sys.modules)\n")
    assert _run(code) == "False"


def test_the_flagship_is_solved_without_loading_numba(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    # Small inputs stay on numpy: a fresh clone's first `solve` compiles nothing.
    code = ("import sys\n"
            "from typer.testing import CliRunner\n"
            "from accord.cli import app\n"
            "runner = CliRunner()\n"
            f"for command in (['solve', {str(peace_plan_path)!r}], ['frontier', {str(peace_plan_path)!r}]):\n"
            "    assert runner.invoke(app, command).exit_code == 0\n"
            "print('numba' in sys.modules)\n")
    assert _run(code, ACCORD_ENGINE="") == "False"


def test_the_engine_variable_is_checked() -> None:
    with mock.patch.dict(os.environ, {"ACCORD_ENGINE": "numpy"}):
        assert dominance.resolve_engine("auto") == "numpy"
        assert dominance.resolve_engine("compiled") == "compiled"
    with pytest.raises(ValueError, match="engine must be one of"):
        dominance.resolve_engine("fast")
