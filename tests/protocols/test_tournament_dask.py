"""A tournament of every protocol on a real Dask LocalCluster equals the single-process one."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.protocols.tournament import dask_runner, read_config, run_tournament

distributed = pytest.importorskip("distributed")


@pytest.mark.slow
def test_local_cluster_equals_single_process(tmp_path: Path, job_offer_path: Path,
                                             peace_plan_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(
        'protocols = ["alternate", "mediate", "shuttle"]\nrounds = 20\nseeds = [2, 7, 11]\n'
        'strategies = ["boulware", "random"]\n'
        '[mediate]\nmediators = ["random", "informed"]\nvoters = ["annealer"]\n'
        'proposals = 40\n[shuttle]\nmax_asks = [1, 2]\nrounds = 3\n'
        f'[[scenarios]]\nfile = "{job_offer_path}"\nparties = ["dana", "northwind"]\n'
        f'[[scenarios]]\nfile = "{peace_plan_path}"\norders = [["ua", "ru"], ["ru", "ua"]]\n')
    config = read_config(path)
    single = run_tournament(config)
    # More chunks than workers, so the order of gathering is exercised.
    assert len(single.runs) > 2 * 16
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        clustered = run_tournament(config, runner=dask_runner(client, window=3))
    assert {r.protocol for r in single.runs} == {"alternate", "mediate", "shuttle"}
    assert clustered.runs == single.runs
    assert clustered.to_csv() == single.to_csv()
    assert clustered.summary == single.summary
