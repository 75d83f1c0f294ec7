"""Corners of the curve, best thresholds within a partial-AUC range, and the pROC smoothers: properties and
bad input (parity with pROC is in test_coords_smooth_parity.py)."""

import numpy as np
import pytest

import diagstats as ds
from diagstats.errors import DataError, OptionError
from diagstats.roc_analysis.kernel_density import bandwidth, binned_density

RNG = np.random.default_rng(7)
Y = RNG.random(120) < 0.4
SCORE = np.round(RNG.normal(1.0 * Y, 1.0), 1)
ROC = ds.roc(Y.astype(int), SCORE)


def test_every_threshold_is_dominated_by_a_corner():
    corners = ROC.local_maxima()
    curve = ROC.curve
    se, sp = curve["sensitivity"].to_numpy()[:, None], curve["specificity"].to_numpy()[:, None]
    dominated = (corners["sensitivity"].to_numpy() >= se) & (corners["specificity"].to_numpy() >= sp)
    assert dominated.any(axis=1).all()
    assert set(corners["threshold"]) <= set(curve["threshold"])


def test_corners_of_a_lower_direction_curve_mirror_the_negated_score():
    lower = ds.roc(Y.astype(int), -SCORE, direction="lower").local_maxima()
    higher = ROC.local_maxima()
    np.testing.assert_allclose(lower["threshold"], -higher["threshold"])
    np.testing.assert_allclose(lower["sensitivity"], higher["sensitivity"])


def test_range_restricted_best_threshold_lies_in_the_range_and_bootstraps():
    cut = ROC.threshold("youden", specificity_range=(0.9, 1.0), n_boot=200, progress=False)
    assert cut.specificity >= 0.9
    assert cut.sensitivity <= ROC.threshold("youden").sensitivity + 1e-12 or cut.specificity > 0.9
    spec = next(e for e in cut.intervals if e.name == "specificity")
    assert spec.lower >= 0.9 - 1e-12   # every replicate chose within its own range


def test_range_restricted_threshold_refuses_an_empty_range():
    tiny = ds.roc([0, 0, 1, 1], [1, 2, 3, 4])
    with pytest.raises(DataError, match="sensitivity_range"):
        ds.roc([0, 0, 0, 1, 1], [1, 2, 3, 2.5, 4]).threshold(sensitivity_range=(0.6, 0.9))
    with pytest.raises(OptionError, match="at most one range"):
        tiny.threshold(specificity_range=(0.8, 1), sensitivity_range=(0.8, 1))
    with pytest.raises(OptionError, match="specificity_range"):
        tiny.local_maxima(specificity_range=(0.8, 1.2))
    with pytest.raises(OptionError, match="sensitivity_range.*empty"):
        tiny.local_maxima(sensitivity_range=(0.5, 0.5))


def test_smoothers_give_monotone_curves_from_corner_to_corner():
    for method in ("binormal", "density", "fitdistr"):
        sm = ROC.smooth(method, fit="least_squares") if method == "binormal" else ROC.smooth(method, n=128)
        assert (sm.sensitivities[0], sm.specificities[0], sm.sensitivities[-1], sm.specificities[-1]) == (1, 0, 0, 1)
        assert (np.diff(sm.sensitivities) <= 1e-15).all() and (np.diff(sm.specificities) >= -1e-15).all()
        assert 0.5 < sm.auc.value < 1 and sm.auc.notes
        best = sm.best()
        assert np.isnan(best.threshold) and best.sensitivity + best.specificity >= sm.sensitivity_at(0.5).value + 0.5


def test_binormal_least_squares_matches_the_model_on_binormal_points():
    # operating points exactly on TPR = Phi(1 + 0.8 Phi^-1(FPR)) give a = 1, b = 0.8 and the binormal area
    from scipy import stats
    fpr = np.linspace(0.05, 0.95, 19)
    tpr = stats.norm.cdf(1 + 0.8 * stats.norm.ppf(fpr))
    # 20 rating categories, highest first, holding those shares of a million cases and a million controls
    cases = np.round(np.diff(np.concatenate([[0], tpr, [1]])) * 1e6).astype(int)
    controls = np.round(np.diff(np.concatenate([[0], fpr, [1]])) * 1e6).astype(int)
    rating = np.arange(20, 0, -1)
    roc = ds.roc(np.repeat([1, 0], [cases.sum(), controls.sum()]),
                 np.concatenate([np.repeat(rating, cases), np.repeat(rating, controls)]))
    sm = roc.smooth("binormal", fit="least_squares")
    assert [p.value for p in sm.parameters] == pytest.approx([1.0, 0.8], abs=1e-4)
    assert sm.auc.value == pytest.approx(stats.norm.cdf(1 / np.sqrt(1 + 0.64)), abs=1e-4)


def test_binned_density_integrates_to_one_and_a_larger_bandwidth_is_flatter():
    x = RNG.normal(size=200)
    grid, narrow = binned_density(x, bandwidth(x, "nrd0"), 512, -6, 6)
    _, wide = binned_density(x, 1.5, 512, -6, 6)
    assert np.trapezoid(narrow, grid) == pytest.approx(1, abs=1e-3)
    assert wide.max() < narrow.max()
    assert bandwidth(np.array([2.0, 2.0, 2.0]), "nrd0") > 0   # no spread: a positive fallback, as R's bw.nrd0


def test_smooth_bad_options_are_refused_with_the_argument_named():
    with pytest.raises(OptionError, match="fit="):
        ROC.smooth("density", fit="least_squares")
    with pytest.raises(OptionError, match="n= and bandwidth="):
        ROC.smooth("binormal", n=100)
    with pytest.raises(OptionError, match="bins="):
        ROC.smooth("density", bins=5)
    with pytest.raises(OptionError, match="bandwidth="):
        ROC.smooth("fitdistr", bandwidth="nrd")
    with pytest.raises(OptionError, match="bandwidth"):
        ROC.smooth("density", bandwidth="silverman")
    with pytest.raises(OptionError, match="bandwidth"):
        ROC.smooth("density", bandwidth=-1.0)
    with pytest.raises(OptionError, match="n"):
        ROC.smooth("density", n=1)
    with pytest.raises(OptionError, match="method"):
        ROC.smooth("logcondens")


def test_smoothers_refuse_degenerate_data_clearly():
    with pytest.raises(DataError, match="two"):
        ds.roc([0, 0, 1, 1], [1, 1, 2, 2]).smooth("binormal", fit="least_squares")
    with pytest.raises(DataError, match="standard deviation 0"):
        ds.roc([0, 0, 1, 1, 1], [1, 1, 2, 3, 4]).smooth("fitdistr")
    smoothed = ROC.smooth("density")
    with pytest.raises(OptionError, match="specificity"):
        smoothed.sensitivity_at(1.5)
    with pytest.raises(OptionError, match="method"):
        smoothed.best("topleft")


def test_scores_near_the_float_limit_are_refused_not_warned_about():
    roc = ds.roc([1, 0, 0, 0, 1, 0], [1e308, 0, 1, 2, -1e308, 3])   # their spread overflows a float
    for method in ("density", "fitdistr"):
        with pytest.raises(DataError, match="rescale the score"):
            roc.smooth(method)
