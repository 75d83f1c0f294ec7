"""``ds.reader_study(covariance="bootstrap")``: the bootstrap covariance of the reader x modality AUCs.

The bootstrap is random, so no published number applies: its replicates are checked against a
straightforward loop over the same resamples (the engine's seed blocks), its covariance against the
jackknife and DeLong covariances where all three estimate the same quantity (many cases), and its seed
makes it reproducible.
"""

from __future__ import annotations

import numpy as np
import pytest

import diagstats as ds
from diagstats._core.bootstrap import stratified_chunks
from diagstats.errors import OptionError
from diagstats.readers._covariance import bootstrap_covariance

from .test_reader_study import _auc, study


def _loop_covariance(ratings: np.ndarray, is_case: np.ndarray, n_boot: int, seed: int) -> np.ndarray:
    """The bootstrap covariance the slow way: every replicate's resampled cases, every row's AUC by pairs."""
    cases, controls = np.flatnonzero(is_case), np.flatnonzero(~is_case)
    reps = []
    for ci, ki in stratified_chunks(np.random.SeedSequence(seed), (cases.size, controls.size), n_boot, 1, False):
        for b in range(ci.shape[0]):
            idx = np.concatenate([cases[ci[b]], controls[ki[b]]])
            y = is_case[idx]
            reps.append([_auc(row[idx], y) for row in ratings])
    return np.cov(np.array(reps), rowvar=False)


def test_vectorised_bootstrap_equals_a_loop_over_the_same_resamples():
    rng = np.random.default_rng(4)
    is_case = np.arange(30) % 3 == 0
    ratings = np.vstack([np.round(is_case * (1 + 0.3 * k) + rng.normal(size=30), 1) for k in range(4)])
    got = bootstrap_covariance(ratings, is_case, 100, np.random.SeedSequence(7))
    np.testing.assert_allclose(got, _loop_covariance(ratings, is_case, 100, 7), rtol=1e-10, atol=1e-15)


def test_bootstrap_agrees_with_jackknife_and_delong_with_many_cases():
    """With 400 diseased and 400 non-diseased cases the three covariance estimators agree up to O(1/n) and the
    bootstrap's Monte Carlo error (4,000 replicates: about sqrt(2 / 4000) = 2% on a variance)."""
    data = ds.simulate.roe_metz(n_readers=3, n_nondiseased=400, n_diseased=400, seed=11)
    boot = ds.reader_study(data, covariance="bootstrap", n_boot=4000, seed=3)
    scale = float(np.max(np.diag(boot.auc_covariance)))
    for other in ("jackknife", "delong"):
        ref = ds.reader_study(data, covariance=other)
        assert np.max(np.abs(boot.auc_covariance - ref.auc_covariance)) < 0.1 * scale, other
        for key in ("Var(error)", "Cov1", "Cov2", "Cov3"):
            assert boot.components[key] == pytest.approx(ref.components[key], rel=0.1), (other, key)
        assert boot.rrrc.df == pytest.approx(ref.rrrc.df, rel=0.25)


def test_same_seed_same_covariance_another_seed_another():
    data = study(n_cases=24)
    a = ds.reader_study(data, covariance="bootstrap", n_boot=200, seed=5)
    b = ds.reader_study(data, covariance="bootstrap", n_boot=200, seed=5)
    c = ds.reader_study(data, covariance="bootstrap", n_boot=200, seed=6)
    np.testing.assert_array_equal(a.auc_covariance, b.auc_covariance)
    assert a.rrrc.statistic == b.rrrc.statistic
    assert not np.array_equal(a.auc_covariance, c.auc_covariance)
    assert a.covariance == "bootstrap" and "bootstrap covariance" in a.to_text()


def test_bootstrap_options_are_checked():
    data = study(n_cases=24)
    with pytest.raises(OptionError, match="n_boot"):
        ds.reader_study(data, covariance="bootstrap", n_boot=5)
    with pytest.raises(OptionError, match="covariance='bootstrap'.*metric='sensitivity'"):
        ds.reader_study(data, covariance="bootstrap", metric="sensitivity", threshold=3)
    with pytest.raises(OptionError, match="method='dbm'"):
        ds.reader_study(data, covariance="bootstrap", method="dbm")
