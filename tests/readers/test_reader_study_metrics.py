"""ds.reader_study with metric= sensitivity, specificity (binary reads or a rating threshold) and a user function.

No parity fixture: MRMCaov (whose ``binary_sens`` / ``binary_spec`` jackknife over the diseased resp. non-diseased
cases only, the convention followed here) is not installed here and its documentation prints no Van Dyke
sensitivity or specificity output we could find; the numbers are checked against their definitions instead
(proportions by reader, an explicit leave-one-case-out loop, and the closed-form AUC jackknife).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DiagstatsError
from diagstats.results import check_contract

from ..public_data import read_public


@pytest.fixture(scope="module")
def vandyke_data():
    return read_public("vandyke.csv")


def empirical_auc(truth, ratings):
    """The Mann-Whitney AUC of every row, ties one half (a user figure of merit)."""
    x1, x0 = ratings[:, truth], ratings[:, ~truth]
    return ((x1[:, :, None] > x0[:, None, :]) + 0.5 * (x1[:, :, None] == x0[:, None, :])).mean(axis=(1, 2))


@pytest.mark.parametrize("metric, truth, positive", [("sensitivity", 1, True), ("specificity", 0, False)])
def test_proportions_are_those_of_each_reader(vandyke_data, metric, truth, positive):
    res = ds.reader_study(vandyke_data, metric=metric, threshold=3)
    rows = vandyke_data[vandyke_data["truth"] == truth]
    expected = ((rows["rating"] >= 3) == positive).groupby([rows["modality"], rows["reader"]]).mean().unstack()
    np.testing.assert_allclose(res.auc, expected.to_numpy(), rtol=0, atol=1e-15)
    assert res.label == metric.capitalize() and res.rrrc.estimate.name == f"{metric.capitalize()} difference 0 - 1"


def test_sensitivity_jackknife_is_over_the_diseased_cases_only(vandyke_data):
    """(m - 1) / m x the sum of products of leave-one-out deviations over the m diseased cases, written as a loop."""
    res = ds.reader_study(vandyke_data, metric="sensitivity", threshold=3)
    wide = vandyke_data.pivot_table(index=["modality", "reader"], columns="case", values="rating")
    truth = vandyke_data.groupby("case")["truth"].first().loc[wide.columns].to_numpy() == 1
    reads = (wide.to_numpy() >= 3)[:, truth].astype(float)
    m = reads.shape[1]
    loo = np.array([np.delete(reads, i, axis=1).mean(axis=1) for i in range(m)])
    dev = loo - loo.mean(axis=0)
    np.testing.assert_allclose(res.auc_covariance, (m - 1) / m * dev.T @ dev, rtol=1e-12, atol=1e-16)
    # the non-diseased cases do not enter: changing their ratings changes nothing
    changed = vandyke_data.assign(rating=np.where(vandyke_data["truth"] == 0, 5.0, vandyke_data["rating"]))
    other = ds.reader_study(changed, metric="sensitivity", threshold=3)
    np.testing.assert_array_equal(other.auc_covariance, res.auc_covariance)
    assert other.rrrc.p_value == res.rrrc.p_value


def test_threshold_equals_binary_reads(vandyke_data):
    by_threshold = ds.reader_study(vandyke_data, metric="specificity", threshold=3)
    as_bool = ds.reader_study(vandyke_data.assign(rating=vandyke_data["rating"] >= 3), metric="specificity")
    as_int = ds.reader_study(vandyke_data.assign(rating=(vandyke_data["rating"] >= 3).astype(int)),
                             metric="specificity")
    for res in (as_bool, as_int):
        np.testing.assert_array_equal(res.auc_covariance, by_threshold.auc_covariance)
        assert res.rrrc.statistic == by_threshold.rrrc.statistic and res.rrrc.df == by_threshold.rrrc.df


def test_user_metric_jackknife_reproduces_the_auc_analysis(vandyke_data):
    """A user AUC function, jackknifed by n + 1 calls, gives the closed-form placement jackknife's numbers."""
    builtin = ds.reader_study(vandyke_data)
    custom = ds.reader_study(vandyke_data, metric=empirical_auc)
    np.testing.assert_allclose(custom.auc, builtin.auc, rtol=0, atol=1e-15)
    np.testing.assert_allclose(custom.auc_covariance, builtin.auc_covariance, rtol=1e-12, atol=1e-17)
    assert custom.rrrc.statistic == pytest.approx(4.456, abs=5e-4)
    assert custom.metric == "custom: empirical_auc" and "empirical_auc per reader x modality" in str(custom)
    check_contract(custom)
    check_contract(ds.reader_study(vandyke_data, metric="sensitivity", threshold=3))


@pytest.mark.parametrize("kwargs, name", [
    ({"metric": "sensitivity"}, "threshold"), ({"metric": "auc", "threshold": 3}, "threshold"),
    ({"metric": "sensitivity", "threshold": "3"}, "threshold"), ({"metric": "specificity", "threshold": np.nan},
                                                                 "threshold"),
    ({"metric": "sensitivity", "threshold": 3, "covariance": "delong"}, "covariance"),
    ({"metric": lambda truth, ratings: ratings.mean(axis=1)[:3]}, "metric"),
    ({"metric": lambda truth, ratings: np.full(ratings.shape[0], np.nan)}, "metric"),
    ({"metric": lambda truth, ratings: "high"}, "metric"), ({"metric": "pauc"}, "metric"),
])
def test_bad_metric_options_are_refused(vandyke_data, kwargs, name):
    with pytest.raises(DiagstatsError, match=name):
        ds.reader_study(vandyke_data, **kwargs)


def test_a_small_binary_study():
    truth = np.repeat([0, 1], 6)
    rng = np.random.default_rng(3)
    data = pd.DataFrame([{"reader": j, "modality": m, "case": k, "truth": truth[k],
                          "rating": int(rng.random() < (0.3 + 0.4 * truth[k] + 0.1 * m))}
                         for j in range(3) for m in range(2) for k in range(12)])
    res = ds.reader_study(data, metric="sensitivity")
    assert 0 <= res.modality_auc[0].lower <= res.modality_auc[0].upper <= 1
    frame = res.to_frame()
    assert set(frame.loc[frame["analysis"] == "reader x modality", "measure"]) == {"Sensitivity"}
