"""Regression tests for what the fuzz suite (tests/fuzz) found in the ROC functions."""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DataError, DiagstatsError, OptionError


def test_multiclass_refuses_empty_data():
    """Found by the fuzz suite: ds.roc_multiclass([], empty frame) raised numpy's ValueError
    "need at least one array to concatenate"."""
    with pytest.raises(DataError, match="y_true is empty"):
        ds.roc_multiclass(np.array([], dtype=object), pd.DataFrame({"a": [], "b": []}), n_boot=20, progress=False)


@pytest.mark.parametrize("results, labels, match", [
    ("two", ["a"], "labels=\\['a'\\] must be a list of 2"),
    ("two", "a", "labels='a' must be a list of 2"),
    ("roc", None, "results='roc' must be a ROC curve"),
    ("mixed", None, "must be a ROC curve or a list of them"),
])
def test_plot_roc_refuses_labels_that_do_not_match_the_curves(results, labels, match):
    """Found by the fuzz suite: ds.plot_roc([roc, roc], labels=['a']) (or labels='a') raised IndexError."""
    import matplotlib.pyplot as plt

    roc = ds.roc([0, 0, 1, 1], [1, 2, 3, 4])
    results = {"two": [roc, roc], "roc": "roc", "mixed": [roc, 3]}[results]
    fig, ax = plt.subplots()
    try:
        with pytest.raises(OptionError, match=match):
            ds.plot_roc(results, ax=ax, labels=labels)
    finally:
        plt.close(fig)


@pytest.mark.parametrize("call, fix", [
    (lambda r: r.sensitivity_at(0.5, n_boot=100, progress=False), "n_boot=None"),
    (lambda r: r.specificity_at(0.5, n_boot=100, progress=False), "n_boot=None"),
    (lambda r: r.threshold(n_boot=100, progress=False), "n_boot=None"),
    (lambda r: r.partial_auc(specificity=(0.8, 1.0), ci=True, n_boot=100, progress=False), "ci=False"),
])
def test_bootstrap_with_one_control_names_the_argument_that_skips_it(call, fix):
    """Found by the fuzz suite (KNOWN_OPEN 'bootstrap_size_message'): ROCResult.sensitivity_at with 1 non-diseased
    patient said 'Collect more patients' and named no argument; the message now names the one that skips the
    interval."""
    roc = ds.roc([0, 1, 1, 1], [1, 2, 3, 4])
    with pytest.raises(DataError, match=f"3 diseased and 1 non-diseased.*use {fix} \\(no interval\\)"):
        call(roc)
    assert np.isnan(roc.sensitivity_at(0.5, n_boot=None).lower)  # the fix it names works


def _auc_1_vs_0_43():
    """AUC 1.0 (6 cases, 6 controls) against AUC 0.43 (7 cases, 5 controls; other patients): the curves the fuzz
    suite drew."""
    roc1 = ds.roc([1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1], [3.0, 4.0, 0.0, 4.0, 0.0, 5.0, 1.0, 2.0, 5.0, 2.0, 1.0, 5.0])
    roc2 = ds.roc([0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0],
                  [-0.5351255536079407, 3.7199172973632812, -1.0216426849365234, 3.7794086933135986,
                   -0.8073067665100098, 9.602629688743036e-06, 4.319156646728516, -2.9160802364349365,
                   -2.887028694152832, -3.821920871734619, 1e300, 0.0])
    return roc1, roc2


def test_unpaired_delong_difference_interval_is_clipped_to_1_with_a_note():
    """Found by the fuzz suite (KNOWN_OPEN 'auc_difference_range'): AUC 1.0 vs 0.43 on 12 patients gave the
    difference an upper bound of 1.004; it is clipped to [-1, 1] with a note giving the Wald interval."""
    roc1, roc2 = _auc_1_vs_0_43()
    result = ds.compare_roc(roc1, roc2, progress=False, level=np.float32(0.95), n_boot=25)
    est = result.estimate
    assert (est.value, est.lower, est.upper) == (pytest.approx(4 / 7), pytest.approx(0.139, abs=5e-4), 1.0)
    assert est.notes == ("AUC difference interval clipped to [-1, 1] (the Wald interval was 0.139 to 1.004)",)
    assert result.statistic == pytest.approx(2.907, abs=5e-4)  # the test is untouched
    venkatraman = ds.compare_roc(roc1, roc2, method="venkatraman", n_boot=20, progress=False)
    assert venkatraman.estimate.upper == 1.0 and "clipped to [-1, 1]" in venkatraman.estimate.notes[0]


@pytest.mark.parametrize("flip", [False, True])
def test_paired_delong_difference_interval_is_clipped_with_a_note(flip):
    """Found by the fuzz suite (KNOWN_OPEN 'auc_difference_range'): paired, 3 cases and 2 controls, the upper
    bound was 1.007 (and the lower -1.007 with the curves the other way round)."""
    y = [1, 0, 0, 1, 1]
    curves = [ds.roc(y, [3.0, 2.0, 0.0, 3.0, 4.0]), ds.roc(y, [2.0, 2.0, 0.0, 2.0, 1.0])]
    if flip:
        curves.reverse()
    result = ds.compare_roc(*curves, progress=False, method="delong", alternative="less" if flip else "greater",
                            n_boot=20)
    est = result.estimate
    wald = "-1.007 to 0.340" if flip else "-0.340 to 1.007"
    assert (est.lower, est.upper) == ((-1.0, pytest.approx(0.340, abs=5e-4)) if flip else
                                      (pytest.approx(-0.340, abs=5e-4), 1.0))
    assert f"AUC difference interval clipped to [-1, 1] (the Wald interval was {wald})" in est.notes


def test_auc_ci_checks_boot_type_and_n_boot_whichever_the_method():
    # found by the long fuzz profile: ignored (so unchecked) unless method='bootstrap'
    res = ds.roc([0, 0, 1, 1, 0, 1], [1, 2, 3, 4, 2, 5])
    with pytest.raises(OptionError, match="boot_type"):
        res.auc_ci("delong", boot_type=" percentile")
    with pytest.raises(DiagstatsError, match="n_boot"):
        res.auc_ci("delong", n_boot=True)


def test_smoothing_a_one_valued_score_names_the_score():
    res = ds.roc([0, 0, 1, 1], [2, 2, 2, 2])
    with pytest.raises(DataError, match="distinct values of the score"):
        res.smooth()


def test_paired_delong_with_zero_variance_says_so_once():
    # found by the long fuzz profile: the note read "correlation of the two AUCs nan"
    res = ds.compare_roc(ds.roc([0, 0, 1, 1], [0, 0, 1, 1]), ds.roc([0, 0, 1, 1], [1, 2, 4, 3]))
    assert res.estimate.lower == res.estimate.upper == 0.0
    assert "DeLong variance 0" in res.notes[0] and "nan" not in " ".join(res.notes)
    assert str(res).count("DeLong variance 0") == 1 and res.to_frame()["notes"][0].count("DeLong variance 0") == 1
    one = ds.compare_roc(ds.roc([0, 0, 1, 1, 0, 1], [0, 0, 1, 1, 0, 1]), ds.roc([0, 0, 1, 1, 0, 1], [1, 3, 2, 4, 2, 5]))
    assert one.notes == ("the correlation of the two AUCs is undefined: one AUC has DeLong variance 0",)
