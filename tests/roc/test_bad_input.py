"""Bad input raises a DiagstatsError that names the argument and the fix."""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import ColumnError, DataError, DiagstatsError, OptionError

Y = np.array([0, 0, 1, 0, 1, 1, 0, 1])
S = np.array([1.0, 2, 3, 4, 5, 6, 2, 5])


def test_one_class_only():
    with pytest.raises(DataError, match="only one class"):
        ds.roc([1, 1, 1, 1], [0.1, 0.2, 0.3, 0.4])


def test_nan_scores_raise_or_are_omitted_and_counted():
    s = S.copy()
    s[2] = np.nan
    with pytest.raises(DataError, match="nan_policy='omit'"):
        ds.roc(Y, s)
    res = ds.roc(Y, s, nan_policy="omit")
    assert res.n_omitted == 1 and res.n_cases + res.n_controls == 7
    assert any("omitted" in n for n in res.notes)
    with pytest.raises(OptionError, match="nan_policy"):
        ds.roc(Y, S, nan_policy="drop")


def test_non_numeric_scores():
    with pytest.raises(DataError, match="y_score must be numeric"):
        ds.roc(Y, ["a", "b", "c", "d", "e", "f", "g", "h"])
    df = pd.DataFrame({"y": Y, "s": S.astype(object)})
    df.loc[3, "s"] = "high"
    with pytest.raises(DataError, match="score must be numeric.*'high'"):
        ds.roc(data=df, reference="y", score="s")


def test_mismatched_lengths():
    with pytest.raises(DataError, match="lengths differ: y_true has 8, y_score has 7"):
        ds.roc(Y, S[:-1])


def test_labels_need_positive_and_unknown_column():
    lab = np.where(Y == 1, "malignant", "benign")
    with pytest.raises(DataError, match="positive="):
        ds.roc(lab, S)
    assert ds.roc(lab, S, positive="malignant").auc.value == ds.roc(Y, S).auc.value
    with pytest.raises(ColumnError, match="'nrl' is not a column.*Did you mean 'nlr'"):
        ds.roc(data=pd.DataFrame({"y": Y, "nlr": S}), reference="y", score="nrl")


def test_direction_is_never_guessed():
    with pytest.raises(OptionError, match="direction='auto'"):
        ds.roc(Y, S, direction="auto")
    low = ds.roc(Y, -S)
    assert low.auc.value < 0.5 and any("never flipped" in n for n in low.notes)


@pytest.mark.parametrize("bad", [(0.8, 1.2), (-0.1, 0.5), (0.5, 0.5), (80, 100), "high"])
def test_partial_auc_range_outside_unit_interval(bad):
    res = ds.roc(Y, S)
    with pytest.raises(OptionError, match="specificity="):
        res.partial_auc(specificity=bad)


def test_partial_auc_needs_exactly_one_range():
    res = ds.roc(Y, S)
    with pytest.raises(OptionError, match="exactly one range"):
        res.partial_auc()
    with pytest.raises(OptionError, match="exactly one range"):
        res.partial_auc(specificity=(0.8, 1), sensitivity=(0.8, 1))


def test_too_few_patients_for_a_bootstrap():
    res = ds.roc([0, 1, 0, 0], [0.2, 0.9, 0.1, 0.3])
    with pytest.raises(DataError, match="at least 2 diseased"):
        res.auc_ci("bootstrap", n_boot=100, progress=False)
    with pytest.raises(OptionError, match="n_boot"):
        ds.roc(Y, S).auc_ci("bootstrap", n_boot=5, progress=False)


def test_unknown_methods_and_options():
    res = ds.roc(Y, S)
    with pytest.raises(OptionError, match="method='delong_fast'"):
        res.auc_ci("delong_fast")
    with pytest.raises(OptionError, match="boot_type"):
        res.auc_ci("bootstrap", boot_type="studentized", progress=False)
    with pytest.raises(OptionError, match="needs value="):
        res.threshold("min_sensitivity")
    with pytest.raises(OptionError, match="needs cost_ratio="):
        res.threshold("cost")
    with pytest.raises(OptionError, match="only used by method='youden', 'closest_topleft' or 'cost'"):
        res.threshold("min_specificity", value=0.9, cost_ratio=3)
    with pytest.raises(OptionError, match="level"):
        ds.roc(Y, S, level=95)


def test_compare_errors():
    r1 = ds.roc(Y, S)
    r2 = ds.roc(np.r_[Y, 1], np.r_[S, 3])
    with pytest.raises(DataError, match="paired=True"):
        ds.compare_roc(r1, r2, paired=True)
    with pytest.raises(OptionError, match="use method='bootstrap'"):
        ds.compare_roc(r1, ds.roc(Y, S[::-1]), specificity=(0.8, 1))
    with pytest.raises(DataError, match="two curves"):
        ds.compare_roc(r1)
    with pytest.raises(DiagstatsError):
        ds.compare_roc(r1, "not a curve")


def test_multiclass_errors():
    y = np.array(["a", "b", "c"] * 4)
    scores = pd.DataFrame({"a": np.arange(12.0), "b": np.arange(12.0)})
    with pytest.raises(DataError, match="no column for the class"):
        ds.roc_multiclass(y, scores, progress=False)
    with pytest.raises(DataError, match="classes="):
        ds.roc_multiclass(y, np.ones((12, 3)), progress=False)


def test_binormal_refuses_continuous_scores_without_bins():
    res = ds.roc(np.r_[Y, Y, Y], np.arange(24.0))
    with pytest.raises(OptionError, match="bins=10"):
        res.smooth()


# --- issue #14 -----------------------------------------------------------------------------------

def test_boolean_options_take_booleans_only():
    r1, r2 = ds.roc([0, 0, 1, 1], [1, 2, 3, 4]), ds.roc([0, 0, 1, 1], [1, 3, 2, 4])
    # before: paired='yes' was taken as paired=True
    with pytest.raises(OptionError, match=r"paired='yes' must be True or False"):
        ds.compare_roc(r1, r2, paired="yes")
    with pytest.raises(OptionError, match=r"correct='no' must be True or False"):
        ds.compare_roc(r1, r2, correct="no")
    with pytest.raises(OptionError, match=r"correct=None must be True or False"):
        r1.partial_auc(specificity=(0.8, 1.0), correct=None)


def test_operating_points_take_one_value():
    # before: TypeError "unsupported format string passed to numpy.ndarray.__format__"
    res = ds.roc([0, 0, 1, 1], [1, 2, 3, 4])
    with pytest.raises(OptionError, match=r"specificity=\[0.8, 0.9\] must be a single number; .* sensitivity_band"):
        res.sensitivity_at([.8, .9])
    with pytest.raises(OptionError, match=r"sensitivity=\[0.8, 0.9\] must be a single number"):
        res.specificity_at([.8, .9])


def test_duplicate_score_columns_and_classes_are_refused():
    # before: Hand & Till M 1.0 silently became 0.521
    rng = np.random.default_rng(1)
    y = np.repeat(["a", "b", "c"], 10)
    scores = pd.DataFrame(rng.random((30, 3)), columns=["a", "b", "a"])
    with pytest.raises(DataError, match=r"y_score has duplicated column names \('a'\)"):
        ds.roc_multiclass(y, scores, n_boot=20, progress=False)
    with pytest.raises(DataError, match=r"classes names a column more than once \('a'\)"):
        ds.roc_multiclass(y, scores.to_numpy(), classes=["a", "b", "a"], n_boot=20, progress=False)


def test_duplicate_index_labels_cannot_silently_unpair_a_comparison():
    # before: duplicate labels plus one omitted row turned a paired compare_roc into an unpaired one
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"r": [0, 1] * 10, "s1": rng.random(20), "s2": rng.random(20)}, index=[0, 1] * 10)
    df.iloc[3, 2] = np.nan
    with pytest.raises(DataError, match=r"data has duplicated index labels \(0, 1\)"):
        ds.roc(data=df, reference="r", score="s2", nan_policy="omit")
