"""Case weights in ds.roc: the weighted curve and AUC against scikit-learn, repeated rows, the bootstrap
interval carrying the weights, and the verbs that refuse weights."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score, roc_curve

import diagstats as ds
from diagstats.errors import DataError, OptionError


def _data(seed=1, n=300):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    x = np.round(rng.normal(y, 1.0), 1)  # rounded: many ties
    w = rng.gamma(1.0, 1.0, n)
    w[:15] = 0.0
    return y, x, w


@pytest.mark.parametrize("direction", ["higher", "lower"])
def test_weighted_curve_and_auc_equal_scikit_learn(direction):
    y, x, w = _data()
    res = ds.roc(y, x, weights=w, direction=direction)
    sign = 1 if direction == "higher" else -1
    assert res.auc.value == pytest.approx(roc_auc_score(y, sign * x, sample_weight=w), abs=1e-12)
    fpr, tpr, thr = roc_curve(y, sign * x, sample_weight=w, drop_intermediate=False)
    # scikit-learn drops thresholds held only by weight-0 patients; ours keep them (repeated points)
    held = np.unique(sign * x[w > 0])
    curve = res.curve.iloc[:-1]
    curve = curve[np.isin(sign * curve["threshold"].to_numpy(), held)].iloc[::-1]
    assert np.allclose(sign * curve["threshold"].to_numpy(), thr[1:], rtol=0, atol=0)
    assert np.allclose(1 - curve["specificity"].to_numpy(), fpr[1:], rtol=0, atol=1e-12)
    assert np.allclose(curve["sensitivity"].to_numpy(), tpr[1:], rtol=0, atol=1e-12)


def test_integer_weights_give_the_curve_and_auc_of_repeated_rows():
    rng = np.random.default_rng(4)
    y, x, _ = _data(4, 200)
    reps = rng.integers(1, 5, len(y))
    weighted = ds.roc(y, x, weights=reps)
    repeated = ds.roc(np.repeat(y, reps), np.repeat(x, reps))
    assert weighted.auc.value == pytest.approx(repeated.auc.value, abs=1e-14)
    cols = ["threshold", "sensitivity", "specificity", "tp", "fp", "fn", "tn"]
    assert np.allclose(weighted.curve[cols].to_numpy(dtype=float), repeated.curve[cols].to_numpy(dtype=float),
                       rtol=0, atol=1e-12)
    assert weighted.partial_auc(specificity=(0.8, 1.0), correct=True).value == pytest.approx(
        repeated.partial_auc(specificity=(0.8, 1.0), correct=True).value, abs=1e-12)
    assert weighted.threshold().threshold == repeated.threshold().threshold
    assert (weighted.n_cases, weighted.n_controls) == ((y == 1).sum(), (y == 0).sum())
    assert weighted.case_weight == reps[y == 1].sum()


def test_unit_weights_give_the_unweighted_curve_and_a_bootstrap_interval():
    y, x, _ = _data(2, 120)
    plain, weighted = ds.roc(y, x), ds.roc(y, x, weights=np.ones(len(y)))
    assert isinstance(weighted, ds.WeightedROCResult)
    assert weighted.auc.value == pytest.approx(plain.auc.value, abs=1e-14)
    # the same stratified resamples as the unweighted bootstrap interval
    boot = plain.auc_ci("bootstrap", n_boot=2000, seed=0, progress=False)
    assert (weighted.auc.lower, weighted.auc.upper) == pytest.approx((boot.lower, boot.upper), abs=1e-12)
    assert "carrying their weights" in weighted.auc.method
    assert any("no DeLong variance for a weighted AUC" in n for n in weighted.notes)


def test_weighted_bootstrap_resamples_patients_with_their_weights():
    y, x, w = _data(3, 150)
    res = ds.roc(y, x, weights=w)
    assert res.auc.lower < res.auc.value < res.auc.upper
    again = res.confidence_interval(0.9, n_boot=500, seed=7, progress=False)
    assert again.auc.level == 0.9 and "500 stratified" in again.auc.method
    assert res.auc_variance(n_boot=500, progress=False) > 0
    est = res.sensitivity_at(0.9, n_boot=300, progress=False)
    assert est.lower <= est.value <= est.upper
    part = res.partial_auc(specificity=(0.8, 1.0), ci=True, n_boot=300, progress=False)
    assert part.lower <= part.value <= part.upper
    assert any("weight 0 do not count" in n for n in res.notes)


def test_weights_by_column_name_and_missing_weights():
    y, x, w = _data(5, 60)
    df = pd.DataFrame({"y": y, "x": x, "w": w})
    res = ds.roc(data=df, reference="y", score="x", weights="w")
    assert res.weights_name == "w" and res.auc.value == pytest.approx(roc_auc_score(y, x, sample_weight=w), abs=1e-12)
    df.loc[20, "w"] = np.nan
    with pytest.raises(DataError, match="weights 'w'"):
        ds.roc(data=df, reference="y", score="x", weights="w")
    omitted = ds.roc(data=df, reference="y", score="x", weights="w", nan_policy="omit")
    assert omitted.n_omitted == 1


def test_bad_weights_are_refused_naming_the_argument():
    y, x = [0, 0, 1, 0, 1, 1, 0, 1], [1, 2, 3, 4, 5, 6, 2, 5]
    for bad in ([1, 1, -1, 1, 1, 1, 1, 1], [1, 1, np.inf, 1, 1, 1, 1, 1]):
        with pytest.raises(DataError, match="weights must be finite, non-negative"):
            ds.roc(y, x, weights=bad)
    with pytest.raises(DataError, match="weights= are all zero among the diseased"):
        ds.roc(y, x, weights=[1, 1, 0, 1, 0, 0, 1, 0])
    with pytest.raises(DataError, match="weights has 2"):
        ds.roc(y, x, weights=[1, 2])
    with pytest.raises(DataError, match="weights must be numeric"):
        ds.roc(y, x, weights=list("abcdefgh"))
    with pytest.raises(OptionError, match="weights= and cluster="):
        ds.roc(y, x, weights=np.ones(8), cluster=[1, 1, 2, 2, 3, 3, 4, 4])


def test_verbs_that_count_patients_refuse_a_weighted_curve():
    y, x = [0, 0, 1, 0, 1, 1, 0, 1], [1, 2, 3, 4, 5, 6, 2, 5]
    res = ds.roc(y, x, weights=[1, 2, 1, 1, 0.5, 1, 3, 1])
    calls = [lambda: res.auc_ci("delong"), lambda: res.auc_variance("hanley_mcneil"),
             lambda: res.auc_variance("obuchowski"), lambda: res.auc_ci(boot_type="bca", progress=False),
             lambda: res.smooth(), lambda: res.smooth("density"), lambda: res.at_threshold(3),
             lambda: res.grey_zone(), lambda: res.auc_covariance(res), lambda: res.threshold(n_boot=50),
             lambda: ds.compare_roc(res, ds.roc(y, x)), lambda: ds.power_roc_curves(res, res)]
    for call in calls:
        with pytest.raises(OptionError, match="weights="):
            call()


def test_every_bootstrap_interval_of_a_weighted_curve_says_the_replicates_carry_the_weights():
    rng = np.random.default_rng(1)
    y = rng.random(200) < 0.4
    roc = ds.roc(y, y + rng.normal(size=200), weights=rng.integers(1, 4, 200))
    partial = roc.partial_auc(specificity=(0.8, 1), ci=True, n_boot=200, progress=False)
    assert "stratified replicates carrying their weights" in partial.method
    plain = ds.roc(y, y + rng.normal(size=200)).partial_auc(specificity=(0.8, 1), ci=True, n_boot=200,
                                                             progress=False)
    assert "carrying" not in plain.method
