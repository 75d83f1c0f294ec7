"""Covariance of two paired AUCs against pROC 1.18 cov() (tests/reference/roc/roc_covariance.R)."""

import json
import math

import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DataError, OptionError

from .roc_fixtures import REFERENCE

PROC = json.loads((REFERENCE / "covariance_proc.json").read_text())
FOUR = pd.read_csv(REFERENCE / "four_scores.csv")
PAIRS = [(p["first"], p["second"], p) for p in PROC["pairs"]]


def _curve(i):
    return ds.roc(FOUR["y"], FOUR[f"score{i}"])


@pytest.mark.parametrize("first, second, expected", PAIRS)
def test_delong_covariance_matches_proc(first, second, expected):
    assert _curve(first).auc_covariance(_curve(second)) == pytest.approx(expected["delong"], abs=1e-9)


@pytest.mark.parametrize("first, second, expected", PAIRS)
def test_bootstrap_covariance_agrees_with_proc_within_monte_carlo_error(first, second, expected):
    """Two independent Monte-Carlo estimates of the covariance from B = 2000 paired resamples each: for
    nearly normal AUCs the sample covariance has standard error sqrt((V1 V2 + C^2) / (B - 1)), so the two
    estimates differ by less than 4 sqrt(2) of it (V1, V2, C the DeLong variances and covariance). On pair
    (1, 2) the difference is 1.96 of these; pROC's seed 1 is high there (its seeds 2-9 average 3.57e-4,
    diagstats' seeds 2-9 3.47e-4, against pROC's 4.22e-4 at seed 1)."""
    r1, r2 = _curve(first), _curve(second)
    ours = r1.auc_covariance(r2, "bootstrap", n_boot=2000, seed=1, progress=False)
    assert ours == r1.auc_covariance(r2, "bootstrap", n_boot=2000, seed=1, progress=False)   # same seed, same value
    v1, v2, c = r1.auc_variance(), r2.auc_variance(), expected["delong"]
    mc_se = math.sqrt((v1 * v2 + c * c) / 1999)
    assert abs(ours - expected["bootstrap_2000"]) < 4 * math.sqrt(2) * mc_se


def test_covariance_with_itself_is_the_variance_and_is_symmetric():
    r1, r2 = _curve(1), _curve(2)
    assert r1.auc_covariance(r1) == pytest.approx(r1.auc_variance(), rel=1e-12)
    assert r1.auc_covariance(r2) == pytest.approx(r2.auc_covariance(r1), rel=1e-12)
    boot = r1.auc_covariance(r1, "bootstrap", n_boot=300, seed=4, progress=False)
    assert boot == pytest.approx(r1.auc_variance("bootstrap", n_boot=300, seed=4, progress=False), rel=1e-12)


def test_different_patients_and_bad_options_are_refused():
    other = pd.read_csv(REFERENCE / "unpaired_a.csv")
    with pytest.raises(DataError, match="same patients"):
        _curve(1).auc_covariance(ds.roc(other["y"], other["score"]))
    with pytest.raises(OptionError, match="method"):
        _curve(1).auc_covariance(_curve(2), "hanley_mcneil")   # a variance without a covariance


def test_too_few_patients_are_refused_with_the_counts():
    y = [0, 1, 1, 1]
    with pytest.raises(DataError, match="1 control"):
        ds.roc(y, [1, 2, 3, 4]).auc_covariance(ds.roc(y, [2, 1, 4, 3]))
