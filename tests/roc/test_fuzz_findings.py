"""Regression tests for what the fuzz suite (tests/fuzz) found in the ROC functions."""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DataError, OptionError


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
