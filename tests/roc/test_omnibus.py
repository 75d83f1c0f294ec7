"""DeLong's chi-square test that three or more AUCs are equal, against the same contrast computed in R from
pROC 1.18's DeLong var() and cov() (tests/reference/roc/roc_omnibus.R)."""

import json

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DataError
from diagstats.roc_analysis.omnibus import successive_differences

from .roc_fixtures import REFERENCE

PROC = json.loads((REFERENCE / "omnibus_proc.json").read_text())
FOUR = pd.read_csv(REFERENCE / "four_scores.csv")


def _curves(k):
    return [ds.roc(FOUR["y"], FOUR[f"score{i + 1}"]) for i in range(k)]


@pytest.mark.parametrize("k", [3, 4])
def test_paired_omnibus_matches_proc_contrast(k):
    expected = PROC[f"paired_{k}"]
    table = ds.compare_roc(_curves(k))
    test = table.omnibus
    assert [r.auc.value for r in _curves(k)] == pytest.approx(expected["auc"], abs=1e-12)
    assert test.statistic == pytest.approx(expected["statistic"], abs=1e-6)
    assert test.df == expected["df"]
    assert test.p_value == pytest.approx(expected["p_value"], abs=1e-6)
    assert "paired" in test.method and "Omnibus" in str(table)


def test_unpaired_omnibus_matches_proc_contrast():
    expected = PROC["unpaired_3"]
    curves = []
    for name in ("unpaired_a", "unpaired_b", "continuous_ties"):
        d = pd.read_csv(REFERENCE / f"{name}.csv")
        curves.append(ds.roc(d["y"], d.iloc[:, 1]))
    test = ds.compare_roc(curves).omnibus
    assert "unpaired" in test.method
    assert test.statistic == pytest.approx(expected["statistic"], abs=1e-6)
    assert test.p_value == pytest.approx(expected["p_value"], abs=1e-6)


def test_omnibus_of_two_curves_is_the_squared_delong_z():
    table = ds.compare_roc(_curves(2))
    assert table.omnibus is None   # two curves: the pairwise test is the test
    from diagstats.roc_analysis.omnibus import equal_auc_test
    assert equal_auc_test(_curves(2), paired=True).statistic == pytest.approx(table.tests[0].statistic ** 2)


def test_contrast_order_does_not_matter():
    curves = _curves(4)
    reordered = ds.compare_roc([curves[2], curves[0], curves[3], curves[1]]).omnibus
    assert reordered.statistic == pytest.approx(ds.compare_roc(curves).omnibus.statistic, rel=1e-10)
    assert successive_differences(3).tolist() == [[1, -1, 0], [0, 1, -1]]


def test_identical_curves_reduce_the_rank_with_a_note():
    c = _curves(2)
    test = ds.compare_roc([c[0], c[1], c[0]]).omnibus
    assert test.df == 1
    assert test.statistic == pytest.approx(ds.compare_roc(c[0], c[1]).statistic ** 2)
    assert any("rank 1" in n for n in test.notes)


def test_omnibus_on_the_patients_every_score_has():
    scores = FOUR.copy()
    scores.loc[:9, "score2"] = np.nan
    curves = [ds.roc(scores["y"], scores[f"score{i + 1}"], nan_policy="omit") for i in range(3)]
    test = ds.compare_roc(curves).omnibus
    complete = scores.iloc[10:]
    expected = ds.compare_roc([ds.roc(complete["y"], complete[f"score{i + 1}"]) for i in range(3)]).omnibus
    assert test.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert any("240 patients" in n for n in test.notes)


def test_no_omnibus_for_bootstrap_or_partial_and_paired_true_needs_same_patients():
    curves = _curves(3)
    assert ds.compare_roc(curves, method="bootstrap", n_boot=20, progress=False).omnibus is None
    other = pd.read_csv(REFERENCE / "unpaired_a.csv")
    with pytest.raises(DataError, match="paired=True"):
        ds.compare_roc(curves[:2] + [ds.roc(other["y"], other["score"])], paired=True)


def test_too_few_patients_gives_nan_with_a_note():
    curves = [ds.roc([0, 1, 0, 1], [0.1, 0.9, 0.3, 0.4]), ds.roc([0, 1, 0, 1], [0.2, 0.5, 0.1, 0.7]),
              ds.roc([0, 1, 1, 1], [0.1, 0.2, 0.3, 0.4])]
    test = ds.compare_roc(curves, paired=False).omnibus
    assert np.isnan(test.p_value)
    assert "curve(s) 3" in test.notes[0]
