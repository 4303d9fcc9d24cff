"""A real Dask LocalCluster with two workers gives the single-process result, bit for bit."""

from __future__ import annotations

import pytest

from accord.analysis.uncertainty import CHUNK_SIZE, build_model, dask_mapper, deal_chances
from accord.io.scenario_file import load
from accord.space import compile_scenario

distributed = pytest.importorskip("distributed")


@pytest.mark.slow
def test_local_cluster_equals_single_process(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    scenario = load(peace_plan_path)
    model = build_model(scenario, compile_scenario(scenario))
    samples = 3 * CHUNK_SIZE + 7
    single = deal_chances(model, samples=samples, seed=9, any_package=True)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        clustered = deal_chances(model, samples=samples, seed=9, any_package=True,
                                 mapper=dask_mapper(client))
    assert clustered == single
