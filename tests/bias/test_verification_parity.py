"""Parity of ds.correct_verification with R PVBcorrect 0.3.1 (fixture: tests/reference/bias/)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import diagstats as ds

HERE = Path(__file__).resolve().parents[1] / "reference" / "bias"
DATA = pd.read_csv(HERE / "partial_verification.csv")
R = json.loads((HERE / "partial_verification_pvbcorrect.json").read_text())
KEYS = {"Sn": "sensitivity", "Sp": "specificity", "PPV": "ppv", "NPV": "npv"}


def values(result):
    return {k: getattr(result, m).value for k, m in KEYS.items()}


def check(ours, theirs, keys=KEYS):
    for k in keys:
        assert ours[k] == pytest.approx(theirs[k], rel=1e-6, abs=1e-9), k


def test_fixture_records_package_version():
    assert (R["package"], R["version"]) == ("PVBcorrect", "0.3.1")


def test_complete_case_matches_acc_cca():
    res = ds.correct_verification(DATA, test="test", reference="disease")
    check(values(res.naive), R["cca"])


def test_begg_greenes_and_its_asymptotic_interval_match_acc_bg():
    res = ds.correct_verification(DATA, test="test", reference="disease", method="begg_greenes")
    check(values(res), R["begg_greenes"])
    for row in R["begg_greenes_ci"]:
        est = getattr(res, KEYS[row["_row"]])
        assert est.value == pytest.approx(row["Est"], rel=1e-6)
        assert est.lower == pytest.approx(row["LowCI"], rel=1e-6)
        assert est.upper == pytest.approx(row["UppCI"], rel=1e-6)
        # the standard error PVBcorrect prints is the half-width over z
        assert (est.upper - est.lower) / (2 * 1.959963984540054) == pytest.approx(row["SE"], rel=1e-6)


def test_ipw_without_covariate_matches_acc_ipw():
    res = ds.correct_verification(DATA, test="test", reference="disease", method="ipw", n_boot=50)
    check(values(res), R["ipw"])


def test_ipw_with_covariate_in_pvbcorrects_convention_matches_acc_ipw():
    # PVBcorrect's IPW predictive values are Bayes' theorem with the IPW sensitivity and specificity and
    # the disease model's prevalence: predictive_values="disease_model".
    res = ds.correct_verification(DATA, test="test", reference="disease", method="ipw",
                                  covariates=["covariate"], predictive_values="disease_model", n_boot=50)
    check(values(res), R["ipw_covariate"])
    ebg = ds.correct_verification(DATA, test="test", reference="disease", method="extended_begg_greenes",
                                  covariates=["covariate"], n_boot=50)
    assert res.prevalence.value == pytest.approx(ebg.prevalence.value, rel=1e-9)


def test_ipw_default_predictive_values_are_the_weighted_proportions():
    """Same sensitivity and specificity as PVBcorrect; PPV and NPV as IPW-weighted proportions, which
    differ here from PVBcorrect's by more than rounding and coincide with them without covariates."""
    res = ds.correct_verification(DATA, test="test", reference="disease", method="ipw",
                                  covariates=["covariate"], n_boot=50)
    check(values(res), R["ipw_covariate"], keys=["Sn", "Sp"])
    w, t, d = res.weights, DATA["test"].to_numpy() == 1, DATA["disease"].to_numpy() == 1
    assert res.ppv.value == pytest.approx(np.sum(w * t * d) / np.sum(w * t), rel=1e-12)
    assert res.npv.value == pytest.approx(np.sum(w * ~t * ~d) / np.sum(w * ~t), rel=1e-12)
    assert abs(res.ppv.value - R["ipw_covariate"]["PPV"]) > 1e-3
    plain = [ds.correct_verification(DATA, test="test", reference="disease", method="ipw", n_boot=50,
                                     predictive_values=p) for p in ("weighted", "disease_model")]
    check(values(plain[0]), values(plain[1]))


def test_extended_begg_greenes_with_covariate_matches_acc_ebg():
    res = ds.correct_verification(DATA, test="test", reference="disease", method="extended_begg_greenes",
                                  covariates=["covariate"], n_boot=50)
    check(values(res), R["ebg_covariate"])


def test_cad_pvb_begg_greenes_equals_ebg_and_ipw_without_covariates():
    """PVBcorrect's own example data (cad_pvb; Kosinski & Barnhart 2003). Its documentation states that
    acc_bg is 'equivalent to result by acc_ebg()' without covariates; it prints no numbers to compare."""
    cad = pd.read_csv(HERE / "cad_pvb.csv")
    bg = ds.correct_verification(cad, test="T", reference="D")
    assert (bg.n, bg.n_verified) == (2688, 471)
    for method in ("extended_begg_greenes", "ipw"):
        other = ds.correct_verification(cad, test="T", reference="D", method=method, n_boot=50)
        check(values(other), values(bg))
