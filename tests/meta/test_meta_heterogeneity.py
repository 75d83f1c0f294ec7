"""Zhou & Dendukuri's I^2 of a bivariate meta-analysis (BivariateMetaResult.heterogeneity) against the numbers
Stata's metadta prints for its dementia example (tests/reference/meta/dementia_metadta.json: Nyaga & Arbyn's
VNyaga/Metadta repository, RSM2023/Logs/stataout.txt, section 5.2). metadta prints two decimals; every printed
digit is matched."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import OptionError
from diagstats.meta.heterogeneity import expected_within_variance
from .meta_fixtures import data, ref

HALF_UNIT = 0.005 + 1e-12   # metadta prints 2 decimals


def _with_parameters(fit, mu_sens, mu_spec, var_sens, var_spec, corr_sens_spec):
    """``fit`` with its summary point and between-study covariance replaced (on diagstats' logit sens, logit FPR)."""
    cov_sens_fpr = -corr_sens_spec * np.sqrt(var_sens * var_spec)
    coefficients = fit.coefficients.copy()
    coefficients.loc[coefficients["term"] == "intercept", "estimate"] = [mu_sens, -mu_spec]
    sigma = np.array([[var_sens, cov_sens_fpr], [cov_sens_fpr, var_spec]])
    return dataclasses.replace(fit, coefficients=coefficients, sigma=sigma)


def test_formulas_give_metadtas_printed_i2_from_metandis_printed_estimates():
    """The ML estimates metandi prints for the same data, put into the formulas, give metadta's printed I^2."""
    r = ref("dementia_metadta")
    m, printed = r["metandi"], r["metadta"]
    fit = _with_parameters(ds.meta.bivariate(data("dementia_metadta"), method="glmm", nagq=7), m["E_logit_se"],
                           m["E_logit_sp"], m["var_logit_se"], m["var_logit_sp"], m["corr_logits"])
    het = fit.heterogeneity()
    assert het.i2_sensitivity.value == pytest.approx(printed["i2_sensitivity_percent"], abs=HALF_UNIT)
    assert het.i2_specificity.value == pytest.approx(printed["i2_specificity_percent"], abs=HALF_UNIT)
    assert het.i2_bivariate.value == pytest.approx(printed["i2_generalized_percent"], abs=HALF_UNIT)
    assert het.generalized_variance == pytest.approx(printed["tau2_generalized"], abs=HALF_UNIT)


def test_glmm_fit_reproduces_metadtas_printout():
    """metadta fits the bivariate binomial GLMM with 7 adaptive quadrature points: so does method="glmm", nagq=7."""
    printed = ref("dementia_metadta")["metadta"]
    fit = ds.meta.bivariate(data("dementia_metadta"), method="glmm", nagq=7)
    het = fit.heterogeneity()
    shown = {"i2_sensitivity_percent": het.i2_sensitivity.value, "i2_specificity_percent": het.i2_specificity.value,
             "i2_generalized_percent": het.i2_bivariate.value, "tau2_generalized": het.generalized_variance,
             "tau2_sensitivity": het.tau2_sensitivity, "tau2_specificity": het.tau2_specificity,
             "covariance_logit_se_sp": -fit.sigma[0, 1], "rho": -fit.rho,
             "sensitivity": fit.sensitivity.value, "specificity": fit.specificity.value}
    for name, value in shown.items():
        assert value == pytest.approx(printed[name], abs=HALF_UNIT), name
    assert het.fit_method == "glmm" and het.k == 14


def test_expected_within_variance_is_the_integral_over_the_random_effect():
    """The closed form (lognormal moments) equals E[1 / (n p (1 - p))] integrated over logit p ~ N(mu, tau2)."""
    n = np.array([20.0, 35.0, 120.0])
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    for mu, tau2 in ((1.37, 0.36), (-2.3, 3.3), (0.0, 0.0)):
        logit = mu + np.sqrt(tau2) * nodes
        p = 1 / (1 + np.exp(-logit))
        integral = np.sum(weights * (1 / (p * (1 - p)))) / np.sqrt(2 * np.pi)
        assert expected_within_variance(mu, tau2, n) == pytest.approx(np.mean(integral / n), rel=1e-10)


def test_zhou_dendukuri_is_below_higgins_thompson_when_tau2_is_large():
    """The paper's point: the 'typical' within-study variance underestimates the expected one when tau^2 is large,
    so Higgins & Thompson's I^2 is the larger (here for specificity, tau2 about 0.48 on the dementia data)."""
    fit = ds.meta.bivariate(data("dementia_metadta"), method="glmm", nagq=7)
    het = fit.heterogeneity()
    n = (fit.studies["fp"] + fit.studies["tn"]).to_numpy(float)
    spec = 1 - fit.false_positive_rate.value
    w = n * spec * (1 - spec)                       # 1 / within-study variance at the summary specificity
    typical = (len(w) - 1) * w.sum() / (w.sum() ** 2 - (w ** 2).sum())
    higgins_thompson = 100 * het.tau2_specificity / (het.tau2_specificity + typical)
    assert het.i2_specificity.value < higgins_thompson


def test_result_contract_and_rows():
    het = ds.meta.bivariate(data("dementia_metadta")).heterogeneity()
    frame = het.to_frame()
    assert list(frame["measure"][:3]) == ["i2_sensitivity", "i2_specificity", "i2_bivariate"]
    assert frame["level"].isna().all()
    assert "Zhou & Dendukuri" in str(het) and "reml" in het.notes[0]
    assert 0 < het.i2_bivariate.value < 100


def test_homogeneous_studies_give_zero():
    same = pd.DataFrame({"tp": [40, 40, 40, 40], "fp": [10, 10, 10, 10], "fn": [10, 10, 10, 10],
                         "tn": [90, 90, 90, 90]})
    het = ds.meta.bivariate(same).heterogeneity()
    assert het.i2_sensitivity.value == pytest.approx(0, abs=1e-6)
    assert het.i2_specificity.value == pytest.approx(0, abs=1e-6)
    assert het.i2_bivariate.value == pytest.approx(0, abs=1e-6)


def test_correlation_at_its_bound_gives_a_bivariate_i2_near_zero_with_a_note():
    fit = ds.meta.bivariate(data("dementia_metadta"))
    het = _with_parameters(fit, 1.2, 2.3, 0.18, 3.3, -1.0).heterogeneity()
    assert het.i2_bivariate.value < 1e-4 and het.i2_specificity.value > 50    # |Sigma| is 0 up to rounding
    assert any("correlation is at its bound" in n for n in het.notes)


def test_refused_with_covariates_or_t_alpha():
    tables = ds.datasets.load("imaging_2x2_studies").query("unit == 'patient' and test != '18F-fluoride PET'")
    with pytest.raises(OptionError, match="covariate"):
        ds.meta.bivariate(tables, covariate="modality").heterogeneity()
    with pytest.raises(OptionError, match="alpha_sensitivity"):
        ds.meta.bivariate(data("dementia_metadta"), alpha_sensitivity=0.5).heterogeneity()
