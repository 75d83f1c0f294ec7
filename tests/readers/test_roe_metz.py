"""ds.simulate.roe_metz (Roe & Metz 1997; Hillis 2012 unequal-variance form) and the reader study under its null.

Monte Carlo checks under a Roe-Metz null (equal diseased-case means): the RRRC F test rejects at 5% and the
95% intervals of the difference cover 0, on 2,000 simulated studies (5 readers x 50 + 50 cases, the validation
study :mod:`diagstats.studies.reader_validation`, run through ``ds.simulate.study``; about 10 s on one core),
each rate held within 3 Monte Carlo standard errors (0.0049) of its nominal value.

The power simulation (:func:`diagstats.studies.reader_validation.power`, 10,000 studies by default, timed in
``benchmarks/readers_power_simulation.py``) gives the same numbers serially, on a process pool and on a Dask
cluster (checked here on 8 studies), and its mean difference follows the model.
"""

from __future__ import annotations

import concurrent.futures

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import diagstats as ds
from diagstats.errors import DiagstatsError
from diagstats.readers._covariance import case_placements
from diagstats.studies import reader_validation


def test_layout_is_what_reader_study_reads():
    data = ds.simulate.roe_metz(n_readers=3, n_nondiseased=20, n_diseased=10, delta=(1.0, 1.5, 2.0),
                                modalities=("CT", "MRI", "PET"), seed=4)
    assert list(data.columns) == ["reader", "modality", "case", "truth", "rating"]
    assert len(data) == 3 * 3 * 30
    per_case = data.groupby("case")["truth"].agg(["min", "max"])
    assert (per_case["min"] == per_case["max"]).all() and per_case["max"].sum() == 10
    res = ds.reader_study(data)
    assert res.modalities == ("CT", "MRI", "PET") and res.readers == (1, 2, 3) and res.n_diseased == 10


def test_same_seed_same_study_and_generators_advance():
    a = ds.simulate.roe_metz(seed=7)
    pd.testing.assert_frame_equal(a, ds.simulate.roe_metz(seed=7))
    pd.testing.assert_frame_equal(a, ds.simulate.roe_metz(seed=np.random.default_rng(7)))
    rng = np.random.default_rng(1)
    assert not ds.simulate.roe_metz(seed=rng)["rating"].equals(ds.simulate.roe_metz(seed=rng)["rating"])


def test_mean_auc_follows_the_model():
    """The reader-averaged AUC has expectation Phi(delta / sqrt((s^2 + var_r + var_tr)(1 + 1/b^2))) (s^2 = 1
    here): the mean of 200 simulated studies is within 4 Monte Carlo standard errors of it."""
    b, var_r, var_tr, delta = 0.7, 0.02, 0.01, np.array([1.0, 1.5])
    means = []
    for seed in range(200):
        data = ds.simulate.roe_metz(n_readers=10, n_nondiseased=100, n_diseased=100, delta=tuple(delta), b=b,
                                    var_r=var_r, var_tr=var_tr, seed=seed)
        auc, _, _ = case_placements(data["rating"].to_numpy().reshape(20, 200), data["truth"].to_numpy()[:200] == 1)
        means.append(auc.reshape(2, 10).mean(axis=1))
    means = np.array(means)
    expected = stats.norm.cdf(delta / np.sqrt((1 + var_r + var_tr) * (1 + 1 / b ** 2)))
    se = means.std(axis=0, ddof=1) / np.sqrt(len(means))
    assert np.all(np.abs(means.mean(axis=0) - expected) < 4 * se)


def test_b_scales_the_diseased_spread():
    """Diseased-case variance components are the non-diseased ones divided by b^2 (Hillis 2012)."""
    data = ds.simulate.roe_metz(n_readers=20, n_nondiseased=3000, n_diseased=3000, b=0.5, var_r=0, var_tr=0,
                                seed=3)
    spread = data.groupby("truth")["rating"].var()
    assert spread[1] / spread[0] == pytest.approx(4.0, rel=0.1)


def test_null_rrrc_rejects_at_five_percent_and_intervals_cover():
    frame = reader_validation.run(2000, executor="serial")
    assert len(frame) == 2000 and set(frame.columns) >= {"p_value", "lower", "upper"}
    summary = reader_validation.summarise(frame)
    assert abs(summary["rejection_rate"] - 0.05) <= 3 * summary["rejection_se"]
    assert abs(summary["coverage"] - 0.95) <= 3 * summary["coverage_se"]


def test_power_simulation_gives_the_same_numbers_here_on_a_pool_and_on_dask():
    serial = reader_validation.power(8, executor="serial")
    assert len(serial) == 8 and serial["p_value"].nunique() == 8
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        pd.testing.assert_frame_equal(reader_validation.power(8, executor=pool), serial)
    assert not np.array_equal(reader_validation.power(8, executor="serial", seed=1)["p_value"], serial["p_value"])
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        on_dask = reader_validation.power(8, executor=client)
    pd.testing.assert_frame_equal(on_dask, serial)


def test_power_simulation_follows_the_model():
    """400 studies with diseased-case means 1.5 and 2.0 (case-level variance 1, b = 1): the mean AUC difference is
    within 4 Monte Carlo standard errors of Phi(1.5 / s) - Phi(2.0 / s), s = sqrt(2 (1 + var_r + var_tr)) (the
    reader-averaged AUC of the Roe-Metz model, as in test_mean_auc_follows_the_model), and the RRRC test rejects
    far more often than its 5% under the null (simulated power 0.61, Monte Carlo SE 0.024, here)."""
    frame = reader_validation.power(400, executor="serial")
    design = reader_validation.DESIGN
    s = np.sqrt(2 * (1 + design["var_r"] + design["var_tr"]))
    expected = stats.norm.cdf(1.5 / s) - stats.norm.cdf(2.0 / s)
    se = frame["difference"].std(ddof=1) / np.sqrt(len(frame))
    assert abs(frame["difference"].mean() - expected) < 4 * se
    summary = reader_validation.summarise(frame)
    assert summary["rejection_rate"] > 0.05 + 10 * summary["power_se"]


def test_an_effect_is_detected():
    """Not a test that always rejects nothing: with a real difference (AUC 0.86 vs 0.94) RRRC rejects."""
    data = ds.simulate.roe_metz(n_readers=6, n_nondiseased=100, n_diseased=100, delta=(1.5, 2.2), seed=2)
    assert ds.reader_study(data).rrrc.p_value < 0.05


@pytest.mark.parametrize("kwargs, name", [
    ({"n_readers": 0}, "n_readers"), ({"n_readers": 2.5}, "n_readers"), ({"n_nondiseased": 0}, "n_nondiseased"),
    ({"n_diseased": True}, "n_diseased"), ({"delta": "1"}, "delta"), ({"delta": (1.0, np.nan)}, "delta"),
    ({"delta": ()}, "delta"), ({"b": 0}, "b"), ({"b": -1}, "b"), ({"var_r": -0.1}, "var_r"),
    ({"var_error": np.inf}, "var_error"), ({"modalities": ("CT",)}, "modalities"),
    ({"modalities": ("CT", "CT")}, "modalities"), ({"modalities": "CT"}, "modalities"), ({"seed": -1}, "seed"),
    ({"var_c": 0, "var_tc": 0, "var_rc": 0, "var_error": 0}, "var_error"),
])
def test_bad_input_is_refused_naming_the_argument(kwargs, name):
    with pytest.raises(DiagstatsError, match=name):
        ds.simulate.roe_metz(**kwargs)
