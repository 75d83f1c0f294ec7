"""The unstratified bootstrap (pROC ``boot.stratified = FALSE``): each replicate draws m + n patients from all of
them, so its numbers of cases and controls vary; replicates with one class only are left out, with a note. Random,
so no R parity: reproducibility, the resampling scheme, and agreement with the stratified bootstrap and DeLong."""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import OptionError
from diagstats.roc_analysis._counts import count_by_value
from diagstats.roc_analysis.bootstrap import ScoreIds, unstratified_count_chunks

from .roc_fixtures import REFERENCE

ASAH = pd.read_csv(REFERENCE / "asah.csv")
WFNS, S100B = ds.roc(ASAH["y"], ASAH["wfns"]), ds.roc(ASAH["y"], ASAH["s100b"])
QUIET = dict(progress=False)


def test_same_seed_same_numbers_and_the_stratified_default_unchanged():
    a = WFNS.auc_ci("bootstrap", stratified=False, seed=3, **QUIET)
    assert a == WFNS.auc_ci("bootstrap", stratified=False, seed=3, **QUIET)
    assert (a.lower, a.upper) != (WFNS.auc_ci("bootstrap", stratified=False, seed=4, **QUIET).lower,
                                  WFNS.auc_ci("bootstrap", stratified=False, seed=4, **QUIET).upper)
    assert "unstratified" in a.method
    assert WFNS.auc_ci("bootstrap", seed=3, **QUIET) == WFNS.auc_ci("bootstrap", stratified=True, seed=3, **QUIET)
    assert WFNS.auc_variance("bootstrap", stratified=False, seed=3, **QUIET) == \
        WFNS.auc_variance("bootstrap", stratified=False, seed=3, **QUIET)


def test_replicates_draw_all_patients_so_the_class_counts_vary():
    y = np.array([0] * 72 + [1] * 41, dtype=bool)
    s = np.arange(113.0)
    ids = ScoreIds(count_by_value(s, y), s[y], s[~y])
    [(cases, controls)] = next(unstratified_count_chunks(np.random.SeedSequence(1), [ids], 4000, False))
    m = cases.sum(axis=1)
    assert np.all(m + controls.sum(axis=1) == 113)
    # m ~ Binomial(113, 41/113): mean 41, sd 5.1; the mean of 4000 replicates is within 0.4 of 41 (5 SE)
    assert abs(m.mean() - 41) < 0.41 and 4.5 < m.std() < 5.7


def test_one_class_replicates_are_left_out_and_counted():
    """With 2 cases among 12 patients a replicate draws no case with probability (10/12)^12 = 0.112; the note
    counts them (within 5 binomial SDs of 0.112 B) and the interval uses the others."""
    y = [0] * 10 + [1] * 2
    res = ds.roc(y, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 7.5, 11])
    n_boot = 2000
    est = res.auc_ci("bootstrap", stratified=False, n_boot=n_boot, **QUIET)
    undefined = int(est.notes[0].split(" of ")[0])
    p = (10 / 12) ** 12 + (2 / 12) ** 12
    assert abs(undefined - p * n_boot) < 5 * np.sqrt(n_boot * p * (1 - p))
    assert 0 <= est.lower <= est.value <= est.upper <= 1
    assert np.isfinite(res.auc_variance("bootstrap", stratified=False, n_boot=n_boot, **QUIET))
    assert np.isfinite(res.auc_variance("bootstrap", stratified=False, n_boot=n_boot, specificity=(0.8, 1), **QUIET))
    assert not res.auc_ci("bootstrap", n_boot=n_boot, **QUIET).notes   # stratified: never one class


def test_unstratified_variance_and_covariance_agree_with_delong():
    """On pROC's aSAH data (41 cases, 72 controls) both bootstraps estimate DeLong's variance; 2000 replicates
    estimate a variance within about 3% (SE sqrt(2/1999)), so 15% is a wide margin."""
    for r in (WFNS, S100B):
        assert r.auc_variance("bootstrap", stratified=False, **QUIET) == pytest.approx(r.auc_variance(), rel=0.15)
    assert WFNS.auc_covariance(S100B, "bootstrap", stratified=False, **QUIET) == \
        pytest.approx(WFNS.auc_covariance(S100B), rel=0.2)
    # the same draws for both curves: the covariance of a curve with itself is its variance
    assert WFNS.auc_covariance(WFNS, "bootstrap", stratified=False, seed=5, **QUIET) == \
        pytest.approx(WFNS.auc_variance("bootstrap", stratified=False, seed=5, **QUIET), rel=1e-12)


def test_unstratified_comparison():
    paired = ds.compare_roc(WFNS, S100B, method="bootstrap", stratified=False, **QUIET)
    stratified = ds.compare_roc(WFNS, S100B, method="bootstrap", **QUIET)
    assert "unstratified" in paired.method and paired.estimate.value == stratified.estimate.value
    assert abs(paired.statistic - stratified.statistic) < 0.3
    again = ds.compare_roc(WFNS, S100B, method="bootstrap", stratified=False, **QUIET)
    assert again.p_value == paired.p_value
    itself = ds.compare_roc(WFNS, WFNS, method="bootstrap", stratified=False, n_boot=200, **QUIET)
    assert itself.statistic == 0 and itself.estimate.lower == itself.estimate.upper == 0   # same draws, no spread
    unpaired = ds.compare_roc(WFNS, S100B, method="bootstrap", paired=False, stratified=False,
                              specificity=(0.8, 1), **QUIET)
    assert "unpaired" in unpaired.method and 0 < unpaired.p_value < 1


def test_bad_stratified_and_weighted_curves():
    with pytest.raises(OptionError, match="stratified"):
        WFNS.auc_ci("bootstrap", stratified="no", **QUIET)
    with pytest.raises(OptionError, match="stratified"):
        ds.compare_roc(WFNS, S100B, method="bootstrap", stratified=None, **QUIET)
    weighted = ds.roc(ASAH["y"], ASAH["wfns"], weights=np.ones(len(ASAH)))
    with pytest.raises(OptionError, match="stratified"):
        weighted.auc_ci("bootstrap", stratified=False, **QUIET)


def test_unstratified_power_and_sample_size():
    """pROC passes boot.stratified on to var and cov in power.roc.test; so do power_roc_curves and
    sample_size_roc_curves. The power and plan follow from the same variances as the stratified ones, which they
    approach (within 0.1 of the power here)."""
    options = dict(method="bootstrap", specificity=(0.8, 1), **QUIET)
    power = ds.power_roc_curves(WFNS, S100B, stratified=False, **options)
    assert power == ds.power_roc_curves(WFNS, S100B, stratified=False, **options)
    assert abs(power - ds.power_roc_curves(WFNS, S100B, **options)) < 0.1
    plan = ds.sample_size_roc_curves(S100B, ds.roc(ASAH["y"], ASAH["ndka"]), stratified=False, power=0.8, **options)
    assert plan.power >= 0.8
    with pytest.raises(OptionError, match="stratified"):
        ds.power_roc_curves(WFNS, S100B, stratified="yes", progress=False)


def test_stratified_false_without_a_bootstrap_is_refused_naming_the_method():
    # before: ignored silently (a DeLong result for a user who asked for unstratified resampling)
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 80)
    r1, r2 = ds.roc(y, rng.normal(y, 1.0)), ds.roc(y, rng.normal(y, 1.0))
    calls = [lambda: r1.auc_ci("delong", stratified=False), lambda: r1.auc_variance("delong", stratified=False),
             lambda: r1.auc_covariance(r2, "delong", stratified=False),
             lambda: ds.compare_roc(r1, r2, method="delong", stratified=False),
             lambda: ds.planning.power_roc_curves(r1, r2, method="delong", stratified=False),
             lambda: ds.planning.sample_size_roc_curves(r1, r2, power=0.8, stratified=False)]
    for call in calls:
        with pytest.raises(ds.OptionError, match=r"^stratified=False changes how the bootstrap resamples patients, "
                                                 r"but method='delong' does not resample; use method='bootstrap'"):
            call()
    assert r1.auc_ci("bootstrap", stratified=False, n_boot=50, progress=False).method.startswith("bootstrap")
