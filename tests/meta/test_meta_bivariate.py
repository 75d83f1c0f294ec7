"""Bivariate (Reitsma) model against R metafor 3.8.1 rma.mv and mada 0.5.12 reitsma."""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.meta import _fit as _meta_fit
from .meta_fixtures import data, ref, tables


def _flat(res):
    return np.r_[res.coefficients["estimate"], res.vcov.ravel(), res.tau2, res.rho, res.loglik]


@pytest.mark.parametrize("name", ["meta_studies", "auditc", "imaging"])
@pytest.mark.parametrize("method", ["reml", "ml"])
def test_bivariate_matches_metafor(name, method):
    r = ref(f"{name}_extra")[f"bivariate_{method}"]
    res = ds.meta.bivariate(tables(name), method=method)
    expected = np.r_[r["coef"], np.ravel(r["vcov"]), r["tau2_sens"], r["tau2_fpr"], r["rho"], r["loglik"]]
    assert _flat(res) == pytest.approx(expected, rel=1e-6)
    assert res.coefficients["se"].to_numpy() == pytest.approx(r["se"], rel=1e-6)
    assert res.aic == pytest.approx(r["AIC"], rel=1e-6)
    assert res.bic == pytest.approx(r["BIC"], rel=1e-6)


def test_meta_regression_matches_metafor():
    r = ref("imaging_extra")["bivariate_reml_covariate"]
    res = ds.meta.bivariate(tables("imaging"), covariates="pet")
    # metafor orders (sens, fpr, sens:x, fpr:x); ours (sens: intercept, pet; fpr: intercept, pet)
    assert res.coefficients["estimate"].to_numpy()[[0, 2, 1, 3]] == pytest.approx(r["coef"], rel=1e-6)
    assert res.coefficients["se"].to_numpy()[[0, 2, 1, 3]] == pytest.approx(r["se"], rel=1e-6)
    assert [res.tau2[0], res.tau2[1], res.rho] == pytest.approx([r["tau2_sens"], r["tau2_fpr"], r["rho"]], rel=1e-6)
    assert res.loglik == pytest.approx(r["loglik"], rel=1e-9)
    assert "reference level" in " ".join(res.notes)


@pytest.mark.parametrize("name", ["meta_studies", "auditc", "imaging"])
def test_shared_oracle_default_metafor(name):
    """../shared/oracle/meta.R runs metafor with default nlminb tolerances, which stop short of the
    optimum by up to ~4e-5 (relative) in tau^2. We check (a) that our REML log-likelihood is at least
    as high as metafor's (ours is the better optimum) and (b) agreement within metafor's stopping error."""
    r = ref(f"{name}_oracle")["bivariate_reml"]
    res = ds.meta.bivariate(tables(name))
    assert res.loglik >= r["loglik_reml"] - 1e-9
    assert res.loglik == pytest.approx(r["loglik_reml"], abs=1e-6)
    assert res.mu == pytest.approx([r["logit_sens"], r["logit_fpr"]], rel=1e-4)
    assert [res.tau2[0], res.tau2[1], res.rho] == pytest.approx(
        [r["tau2_sens"], r["tau2_fpr"], r["rho_sens_fpr"]], rel=2e-4)


def test_mada_zero_studies_convention():
    """mada reitsma with correction.control='single' == our correction_control='zero_studies'."""
    r = ref("meta_studies_mada")["correction_single"]
    res = ds.meta.bivariate(data("meta_studies"), correction_control="zero_studies")
    assert res.mu == pytest.approx(np.ravel(r["coef"]), rel=1e-6)
    assert res.mu_vcov == pytest.approx(np.array(r["vcov"]), rel=1e-6)
    assert res.sigma == pytest.approx(np.array(r["Psi"]), rel=1e-6)
    s = res.sensitivity
    assert [s.value, s.lower, s.upper] == pytest.approx(r["sensitivity"], rel=1e-6)
    f = res.false_positive_rate
    assert [f.value, f.lower, f.upper] == pytest.approx(r["false_positive_rate"], rel=1e-6)
    assert res.auc == pytest.approx(r["auc"], rel=1e-6)


def test_mada_all_convention():
    """mada's default correction.control='all'. mada's optimizer stops ~1e-5 (relative) short of the REML
    optimum on these data: its Psi differs from ours by up to 1e-5 and our log-likelihood is not lower than
    the REML log-likelihood at mada's estimate. Summary point and AUC agree to 1e-6."""
    r = ref("meta_studies_mada")["correction_all"]
    res = ds.meta.bivariate(data("meta_studies"), correction_control="all")
    assert res.mu == pytest.approx(np.ravel(r["coef"]), rel=1e-6)
    s, f = res.sensitivity, res.false_positive_rate
    assert [s.value, s.lower, s.upper] == pytest.approx(r["sensitivity"], rel=1e-6)
    assert [f.value, f.lower, f.upper] == pytest.approx(r["false_positive_rate"], rel=2e-6)
    assert res.auc == pytest.approx(r["auc"], rel=1e-6)
    assert res.sigma == pytest.approx(np.array(r["Psi"]), rel=2e-5)
    # our optimum is at least as good as mada's point on the same (all-corrected) data
    d = data("meta_studies")
    tp, fp, fn, tn = (d[c].to_numpy(float) + 0.5 for c in ("tp", "fp", "fn", "tn"))
    model = _meta_fit._Bivariate(np.log(tp / fn), np.log(fp / tn), 1 / tp + 1 / fn, 1 / fp + 1 / tn,
                                 np.ones((len(tp), 1)), reml=True)
    chol = np.linalg.cholesky(np.array(r["Psi"]))
    at_mada = -0.5 * model.objective(chol[np.tril_indices(2)][[0, 1, 2]])[0]
    assert res.loglik >= at_mada - 1e-12


def test_derived_measures_consistent():
    res = ds.meta.bivariate(data("auditc"))
    s, f = res.sensitivity.value, res.false_positive_rate.value
    assert res.specificity.value == pytest.approx(1 - f)
    assert res.lr_positive.value == pytest.approx(s / f)
    assert res.lr_negative.value == pytest.approx((1 - s) / (1 - f))
    assert res.dor.value == pytest.approx(res.lr_positive.value / res.lr_negative.value)
    for e in (res.lr_positive, res.lr_negative, res.dor, res.sensitivity, res.specificity):
        assert e.lower < e.value < e.upper


def test_hsroc_parameters_reproduce_bivariate():
    """Harbord (2007): the HSROC parameters map back to the bivariate means and covariance."""
    res = ds.meta.bivariate(data("auditc"))
    h = res.hsroc
    b = h["beta"]
    mu_sens = (h["Theta"] + h["Lambda"] / 2) * np.exp(-b / 2)
    mu_spec = -(h["Theta"] - h["Lambda"] / 2) * np.exp(b / 2)
    var_sens = (h["sigma2_theta"] + h["sigma2_alpha"] / 4) * np.exp(-b)
    var_spec = (h["sigma2_theta"] + h["sigma2_alpha"] / 4) * np.exp(b)
    cov_sens_spec = -h["sigma2_theta"] + h["sigma2_alpha"] / 4
    assert [mu_sens, -mu_spec] == pytest.approx(res.mu, rel=1e-10)
    assert [var_sens, var_spec, -cov_sens_spec] == pytest.approx(
        [res.sigma[0, 0], res.sigma[1, 1], res.sigma[0, 1]], rel=1e-10)


def test_sroc_and_regions():
    res = ds.meta.bivariate(data("meta_studies"))
    curve = res.sroc()
    assert len(curve) == 99 and curve["sensitivity"].is_monotonic_increasing
    # the SROC passes through the summary point
    at = res.sroc([res.false_positive_rate.value])["sensitivity"].iloc[0]
    assert at == pytest.approx(res.sensitivity.value, rel=1e-12)
    conf, pred = res.confidence_region(), res.prediction_region()
    assert conf["sensitivity"].min() < res.sensitivity.value < conf["sensitivity"].max()
    assert pred["sensitivity"].min() < conf["sensitivity"].min()
    assert pred["fpr"].max() > conf["fpr"].max()


def test_frame_and_display():
    res = ds.meta.bivariate(data("meta_studies"))
    frame = res.to_frame()
    assert list(frame["measure"][:6]) == ["sensitivity", "specificity", "false_positive_rate", "lr_positive",
                                          "lr_negative", "dor"]
    assert "rho" in str(res) and res._repr_html_().startswith("<div")
    assert "study3" in " ".join(res.notes)
    assert res.to_dict()["rows"][0]["measure"] == "sensitivity"


def test_no_correction_needed_has_no_note():
    d = data("meta_studies")
    d = d[(d[["tp", "fp", "fn", "tn"]] > 0).all(axis=1)]
    res = ds.meta.bivariate(d)
    assert not any("added" in n for n in res.notes)
    assert res.k == 8


def test_fit_is_polished_to_the_optimum_itself():
    """BFGS alone stopped with gradients up to 1e-5 at a machine-dependent point (bone scintigraphy in
    imaging_2x2_studies: a correlation at -1); the Newton polish lands on the optimum on every machine."""
    d = ds.datasets.load("imaging_2x2_studies")
    d = d[d["test"].isin(["bone scintigraphy", "99mTc bone scan"])]   # the bone scans shipped when this was found
    tp, fp, fn, tn = (d[c].to_numpy(float) + 0.5 for c in ("tp", "fp", "fn", "tn"))
    args = (np.log(tp / fn), np.log(fp / tn), 1 / tp + 1 / fn, 1 / fp + 1 / tn, np.ones((len(tp), 1)))
    fit = _meta_fit.fit_bivariate(*args, reml=True)
    assert fit.gradient_norm < 1e-12
    # started elsewhere, the fit ends at the same optimum to far more digits than reports show
    again = _meta_fit.fit_bivariate(*args, reml=True, start=np.array([0.3, -0.5, 0.4]))
    assert again.beta == pytest.approx(fit.beta, rel=1e-11, abs=1e-13)


def test_homogeneous_studies_keep_a_finite_sroc():
    """Both between-study variances at 0: the Newton polish must not walk the Cholesky factor to
    exactly 0 (SROC slope 0/0); the fit is BFGS's, with a finite AUC as before the polish."""
    studies = pd.DataFrame({"tp": [20, 30, 25, 40, 18], "fp": [3, 5, 2, 8, 4], "fn": [2, 4, 3, 5, 3],
                            "tn": [40, 50, 45, 60, 38]})
    fit = ds.meta.bivariate(studies)
    assert np.isfinite(fit.auc) and 0.5 < fit.auc < 1
    assert np.all(np.isfinite(fit.sigma))
