"""reader_study(metric="pauc"): the empirical partial AUC of each reader x modality, jackknifed in closed form.

Independent implementation: every leave-one-case-out partial area recomputed by ``ds.roc(...).partial_auc``
(which matches pROC 1.18 at 1e-6 on its committed fixtures), then the Iowa jackknife covariance
(c - 1) / c x the sum of products of the deviations from their mean (Hillis 2007). Published values:
MRMCaov's JSS manuscript (brian-j-smith/MRMCaov @ f1c63dc, docs/jss/MRMCaov.tex, "ROC Curve Metrics") gives the
partial areas of the pooled Van Dyke ratings, ``empirical_auc(VanDyke$truth, VanDyke$rating, partial = "spec",
min = 0.70, max = 1.0)`` = 0.2499923 and ``partial = "sens"`` = 0.2262129 (7 decimals: compared to half a unit
of the 7th).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.readers._partial import partial_auc_jackknife

from ..public_data import published, read_public


def _loop_covariance(data: pd.DataFrame, **partial) -> tuple[np.ndarray, np.ndarray]:
    """Partial AUCs and their jackknife covariance by refitting ds.roc once per left-out case (slow, plain)."""
    wide = data.pivot_table(index="case", columns=["modality", "reader"], values="rating")
    truth = data.groupby("case")["truth"].first().loc[wide.index].to_numpy()
    ratings = wide.to_numpy().T
    c = len(truth)
    value = np.array([ds.roc(truth, row).partial_auc(**partial).value for row in ratings])
    loo = np.empty((len(ratings), c))
    for k in range(c):
        keep = np.arange(c) != k
        loo[:, k] = [ds.roc(truth[keep], row[keep]).partial_auc(**partial).value for row in ratings]
    d = loo - loo.mean(axis=1, keepdims=True)
    return value, (c - 1) / c * d @ d.T


@pytest.fixture(scope="module")
def small():
    data = ds.simulate.roe_metz(n_readers=3, n_nondiseased=25, n_diseased=20, seed=5)
    data["rating"] = np.round(data["rating"], 1)   # ties between the classes
    return data


@pytest.mark.parametrize("partial", [{"specificity": (0.8, 1.0)}, {"sensitivity": (0.7, 0.95)},
                                     {"specificity": (0.6, 0.9), "correct": True}])
def test_pauc_and_covariance_equal_refitting_every_left_out_case(small, partial):
    res = ds.reader_study(small, metric="pauc", **partial)
    value, cov = _loop_covariance(small, **partial)
    np.testing.assert_allclose(res.auc.reshape(-1), value, rtol=1e-12)
    np.testing.assert_allclose(res.auc_covariance, cov, rtol=1e-10, atol=1e-15)


def test_vandyke_pooled_partial_areas_match_mrmcaov():
    data = read_public("vandyke.csv")
    truth = data["truth"].to_numpy().astype(bool)
    rating = data["rating"].to_numpy()[None, :]
    spec, _ = partial_auc_jackknife(rating, truth, "specificity", 0.7, 1.0, False)
    sens, _ = partial_auc_jackknife(rating, truth, "sensitivity", 0.7, 1.0, False)
    assert spec[0] == published(0.2499923, 7)
    assert sens[0] == published(0.2262129, 7)


def test_vandyke_pauc_reader_study_runs_the_three_analyses():
    res = ds.reader_study(read_public("vandyke.csv"), metric="pauc", specificity=(0.8, 1.0))
    assert res.metric == "pauc" and res.label == "pAUC"
    assert res.metric_bounds == (0.0, pytest.approx(0.2))
    assert all(0 <= e.lower <= e.value <= e.upper <= 0.2 for e in res.modality_auc)
    text = res.to_text()
    assert "empirical partial AUC (specificity 0.8 to 1), jackknife covariance" in text
    assert "pAUC per reader x modality" in text and res.rrrc.estimate.name == "pAUC difference 0 - 1"
    dbm = ds.reader_study(read_public("vandyke.csv"), metric="pauc", specificity=(0.8, 1.0), method="dbm")
    assert dbm.rrrc.statistic == pytest.approx(res.rrrc.statistic, rel=1e-9)   # Hillis et al. (2008)


def test_mcclish_standardisation_is_named_and_bounded():
    res = ds.reader_study(read_public("vandyke.csv"), metric="pauc", sensitivity=(0.9, 1.0), correct=True)
    assert "sensitivity 0.9 to 1, McClish-standardised" in res.to_text()
    assert res.metric_bounds[1] == 1.0 and all(e.upper <= 1.0 for e in res.modality_auc)


@pytest.mark.parametrize("kwargs, match", [
    ({"metric": "pauc"}, "metric='pauc' needs exactly one range"),
    ({"metric": "pauc", "specificity": (0.8, 1), "sensitivity": (0.8, 1)}, "exactly one range"),
    ({"metric": "pauc", "specificity": (80, 100)}, r"specificity=\(80, 100\) must lie within \[0, 1\]"),
    ({"metric": "pauc", "specificity": (0.8, 0.8)}, "empty range"),
    ({"metric": "pauc", "specificity": "high"}, "must be a pair"),
    ({"metric": "pauc", "specificity": (0.8, 1), "correct": "yes"}, "correct"),
    ({"specificity": (0.8, 1.0)}, "specificity= sets the range of a partial AUC: pass metric='pauc'"),
    ({"correct": True}, "correct= sets the range of a partial AUC"),
    ({"metric": "pauc", "specificity": (0.8, 1), "covariance": "delong"}, "needs covariance='jackknife'"),
])
def test_bad_partial_options(small, kwargs, match):
    with pytest.raises(ds.OptionError, match=match):
        ds.reader_study(small, **kwargs)
