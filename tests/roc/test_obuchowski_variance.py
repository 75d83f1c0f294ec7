"""Variance and covariance of AUCs by Obuchowski's binormal method, and the power of two paired curves
with them, against pROC 1.18 var/cov/power.roc.test(method = "obuchowski") on pROC's aSAH data and on
four_scores.csv (tests/reference/roc/roc_obuchowski.R)."""

import json
import math

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DataError, OptionError
from diagstats.roc_analysis.obuchowski_variance import binormal_line

from .roc_fixtures import REFERENCE

PROC = json.loads((REFERENCE / "obuchowski_proc.json").read_text())
DATA = {"aSAH": pd.read_csv(REFERENCE / "asah.csv"), "four_scores": pd.read_csv(REFERENCE / "four_scores.csv")}
ONE = [(name, row) for name, d in PROC["data"].items() for row in d["one"]]
TWO = [(name, row) for name, d in PROC["data"].items() for row in d["two"]]


def _curve(name, score):
    d = DATA[name]
    return ds.roc(d["y"], d[score])


@pytest.mark.parametrize("name, expected", ONE, ids=[f"{n}-{r['score']}" for n, r in ONE])
def test_variance_matches_proc(name, expected):
    r = _curve(name, expected["score"])
    assert r.auc.value == pytest.approx(expected["auc"], rel=1e-12)
    assert r.auc_variance("obuchowski") == pytest.approx(expected["obuchowski"], rel=1e-6)
    assert r.auc_variance("delong") == pytest.approx(expected["delong"], rel=1e-6)


@pytest.mark.parametrize("name, expected", ONE, ids=[f"{n}-{r['score']}" for n, r in ONE])
def test_bootstrap_variance_agrees_with_proc_within_monte_carlo_error(name, expected):
    """Two independent estimates from B = 2000 stratified resamples: the sample variance of nearly normal
    AUCs has standard error V sqrt(2 / (B - 1)), so they differ by less than 4 sqrt(2) of it (V: DeLong's)."""
    r = _curve(name, expected["score"])
    ours = r.auc_variance("bootstrap", n_boot=2000, seed=1, progress=False)
    mc_se = expected["delong"] * math.sqrt(2 / 1999)
    assert abs(ours - expected["bootstrap_2000"]) < 4 * math.sqrt(2) * mc_se


@pytest.mark.parametrize("name, expected", TWO, ids=[f"{n}-{r['first']}-{r['second']}" for n, r in TWO])
def test_covariance_and_power_match_proc(name, expected):
    r1, r2 = _curve(name, expected["first"]), _curve(name, expected["second"])
    assert r1.auc_covariance(r2, "obuchowski") == pytest.approx(expected["cov_obuchowski"], rel=1e-6)
    power = ds.planning.power_roc_curves
    assert power(r1, r2, method="obuchowski") == pytest.approx(expected["power"], abs=1e-6)
    assert power(r1, r2, alpha=0.01, method="obuchowski") == pytest.approx(expected["power_alpha_0.01"], abs=1e-6)
    if expected["sig_level_power_0.9"] > 1:   # pROC returns a level above 1: no test reaches that power
        with pytest.raises(OptionError, match="cannot be reached at any significance level"):
            power(r1, r2, alpha=None, power=0.9, method="obuchowski")
        return
    level = power(r1, r2, alpha=None, power=0.9, method="obuchowski")
    assert level == pytest.approx(expected["sig_level_power_0.9"], abs=1e-6)
    assert power(r1, r2, alpha=level, method="obuchowski") == pytest.approx(0.9, abs=1e-12)


def test_covariance_is_symmetric():
    r1, r2 = _curve("aSAH", "s100b"), _curve("aSAH", "wfns")
    assert r1.auc_covariance(r2, "obuchowski") == pytest.approx(r2.auc_covariance(r1, "obuchowski"), rel=1e-12)


def test_binormal_line_recovers_a_binormal_population():
    """With a large binormal sample the least-squares line of Phi^-1(specificity) on Phi^-1(sensitivity)
    has intercept mu / sigma_controls and slope sigma_cases / sigma_controls (cases N(mu, sigma_cases^2),
    controls N(0, sigma_controls^2))."""
    rng = np.random.default_rng(3)
    y = rng.random(40_000) < 0.5
    score = np.where(y, rng.normal(1.5, 2.0, y.size), rng.normal(0.0, 1.0, y.size))
    a, b = binormal_line(ds.roc(y, score))
    assert a == pytest.approx(1.5, abs=0.05)
    assert b == pytest.approx(2.0, abs=0.05)


def test_refusals_name_the_fix():
    y = [0, 0, 1, 0, 1, 1, 0, 1, 0, 1]
    few_points = ds.roc(y, [1, 2, 3, 4, 5, 6, 2, 5, 3, 7])
    with pytest.raises(DataError, match="binormal line needs at least 2 ROC points.*method='delong'"):
        few_points.auc_variance("obuchowski")
    r = _curve("aSAH", "s100b")
    constant = ds.roc(DATA["aSAH"]["y"], np.where(DATA["aSAH"]["y"] == 1, 5.0, DATA["aSAH"]["ndka"]))
    with pytest.raises(DataError, match="correlation of the two scores among the cases"):
        r.auc_covariance(constant, "obuchowski")
    with pytest.raises(OptionError, match="method"):
        ds.power_roc_curves(r, _curve("aSAH", "wfns"), method="hanley_mcneil")


def _one_sided(r1, r2):   # pROC's "one.sided" tests the observed direction
    return "greater" if r1.auc.value > r2.auc.value else "less"


@pytest.mark.parametrize("name, expected", TWO, ids=[f"{n}-{r['first']}-{r['second']}" for n, r in TWO])
def test_sample_size_of_two_curves_matches_proc(name, expected):
    r1, r2 = _curve(name, expected["first"]), _curve(name, expected["second"])
    plan = ds.planning.sample_size_roc_curves(r1, r2, power=0.9, method="obuchowski")
    assert plan.exact == pytest.approx(expected["ncases_power_0.9"], rel=1e-6)
    assert plan.n_diseased == math.ceil(expected["ncases_power_0.9"])
    assert plan.n_non_diseased == math.ceil(expected["ncontrols_power_0.9"] - 1e-9)   # pROC's kappa: roc1's ratio
    assert plan.power >= 0.9
    one_sided = ds.planning.sample_size_roc_curves(r1, r2, power=0.8, ratio=1.5, alternative=_one_sided(r1, r2),
                                                   method="obuchowski")
    assert one_sided.exact == pytest.approx(expected["ncases_power_0.8_kappa_1.5_one_sided"], rel=1e-6)
    assert one_sided.n_non_diseased == math.ceil(1.5 * one_sided.exact - 1e-9)
    delong = ds.planning.sample_size_roc_curves(r1, r2, power=0.9)
    assert delong.exact == pytest.approx(expected["ncases_delong_power_0.9"], rel=1e-6)
    assert delong.n_non_diseased == math.ceil(expected["ncontrols_delong_power_0.9"] - 1e-9)


def _cases_swapped(d, score):
    """The curve of ``score`` with the values of its lowest and highest case exchanged: the same AUC, other ranks."""
    values = d[score].to_numpy(copy=True)
    cases = np.flatnonzero(d["y"].to_numpy() == 1)
    low, high = cases[np.argmin(values[cases])], cases[np.argmax(values[cases])]
    values[[low, high]] = values[[high, low]]
    return ds.roc(d["y"], values)


def test_sample_size_refusals_name_the_fix():
    r1, r2 = _curve("aSAH", "s100b"), _curve("aSAH", "wfns")
    with pytest.raises(OptionError, match="ratio"):
        ds.planning.sample_size_roc_curves(r2, r1, ratio=0)
    with pytest.raises(OptionError, match="power"):
        ds.planning.sample_size_roc_curves(r2, r1, power=90)
    with pytest.raises(DataError, match="same AUC"):
        ds.planning.sample_size_roc_curves(r1, _cases_swapped(DATA["aSAH"], "s100b"))
    with pytest.raises(OptionError, match="sample_size_roc_curves"):
        ds.planning.power_roc_curves(r2, r1, power=0.9)    # both alpha and power: the sample size is elsewhere
