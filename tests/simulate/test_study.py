"""Monte Carlo studies: seeded per replicate, identical serially, on a process pool and on Dask."""

import concurrent.futures

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.simulate import montecarlo as study_module


def mri_sensitivity(scenario, rng):
    """A small analysis: MRI sensitivity with its Wilson interval in a 400-patient complete cohort."""
    df = ds.simulate.cohort(400, scenario, seed=rng, complete=True)
    tumour = (df["true_diagnosis"] != "no_tumour").to_numpy()
    tp = int((df["mri"].to_numpy()[tumour] == 1).sum())
    lower, upper = ds.proportion_ci(tp, int(tumour.sum()))
    truth = scenario["imaging.mri.sensitivity"]
    return {"sensitivity": tp / tumour.sum(), "covered": bool(lower <= truth <= upper)}


def not_a_dict(scenario, rng):
    return 0.5


GRID = {"imaging.mri.sensitivity": [0.80, 0.93]}


@pytest.fixture(scope="module")
def serial():
    return ds.simulate.study(mri_sensitivity, grid=GRID, n_replicates=12, seed=42, executor="serial", progress=False)


def test_tidy_result(serial):
    assert list(serial.columns) == ["scenario", "imaging.mri.sensitivity", "replicate", "sensitivity", "covered"]
    assert len(serial) == 24
    assert serial["replicate"].tolist() == list(range(12)) * 2
    means = serial.groupby("imaging.mri.sensitivity")["sensitivity"].mean()
    assert means[0.80] == pytest.approx(0.80, abs=0.03) and means[0.93] == pytest.approx(0.93, abs=0.03)
    assert serial["covered"].mean() > 0.75


def test_local_process_pool_equals_serial(serial):
    pooled = ds.simulate.study(mri_sensitivity, grid=GRID, n_replicates=12, seed=42, progress=False)
    pd.testing.assert_frame_equal(pooled, serial)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        threaded = ds.simulate.study(mri_sensitivity, grid=GRID, n_replicates=12, seed=42, executor=pool,
                                     progress=False)
    pd.testing.assert_frame_equal(threaded, serial)


def test_batching_does_not_change_results(serial, monkeypatch):
    monkeypatch.setattr(study_module, "N_BATCHES", 1)
    one_batch = ds.simulate.study(mri_sensitivity, grid=GRID, n_replicates=12, seed=42, executor="serial",
                                  progress=False)
    pd.testing.assert_frame_equal(one_batch, serial)
    other_seed = ds.simulate.study(mri_sensitivity, grid=GRID, n_replicates=12, seed=43, executor="serial",
                                   progress=False)
    assert not np.array_equal(other_seed["sensitivity"], serial["sensitivity"])


def test_dask_local_cluster_equals_local(serial):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_dask = ds.simulate.study(mri_sensitivity, grid=GRID, n_replicates=12, seed=42, executor=client,
                                    progress=False)
    pd.testing.assert_frame_equal(on_dask, serial)


def test_named_scenarios():
    base = ds.simulate.Scenario.load("spine_referral")
    res = ds.simulate.study(mri_sensitivity, scenarios={"default": "spine_referral",
                                                        "poor mri": {"imaging.mri.sensitivity": 0.5},
                                                        "object": base.replace(imaging__mri__sensitivity=0.7)},
                            n_replicates=2, executor="serial", progress=False)
    assert res["scenario"].tolist() == ["default", "default", "poor mri", "poor mri", "object", "object"]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n_replicates": 0}, ds.OptionError, "n_replicates=0"),
    ({"seed": -1}, ds.OptionError, "seed=-1"),
    ({"executor": "gpu"}, ds.OptionError, "executor='gpu'"),
    ({"grid": {"imaging.mri.sensitivity": 0.9}}, ds.OptionError, "must be a list"),
    ({"grid": {"imaging.mri.sens": [0.9]}}, ds.OptionError, "not a scenario parameter"),
    ({"grid": {"imaging.mri.sensitivity": [1.5]}}, ds.OptionError, "between 0 and 1"),
    ({"grid": GRID, "scenarios": {"a": "spine_referral"}}, ds.OptionError, "not both"),
    ({"scenarios": {"a": "nope"}}, ds.OptionError, "not a known scenario"),
])
def test_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        ds.simulate.study(mri_sensitivity, **{"executor": "serial", "progress": False, **kwargs})


def test_fn_must_return_a_mapping():
    with pytest.raises(ds.DataError, match="fn must return a mapping"):
        ds.simulate.study(not_a_dict, n_replicates=1, executor="serial", progress=False)
    with pytest.raises(ds.OptionError, match="fn="):
        ds.simulate.study(42, executor="serial", progress=False)
