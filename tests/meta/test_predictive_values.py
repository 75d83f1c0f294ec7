"""Pooled predictive values over prevalences (BivariateMetaResult.predictive_values; mada predv_r / predv_d).

A Monte Carlo method (Zwinderman & Bossuyt 2008): mada is not installed and draws from R's generator, so the
checks are against the exact expectation (two-dimensional Gauss-Hermite quadrature over the summary point's
normal distribution) within Monte Carlo error, and against the beta distribution's moments.
"""

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

import diagstats as ds

STUDIES = pd.DataFrame({"tp": [30, 69, 44, 62, 27, 37], "fp": [5, 7, 0, 12, 13, 19],
                        "fn": [2, 2, 7, 5, 10, 4], "tn": [135, 65, 150, 77, 85, 113]})


def _exact_means(fit, prevalence):
    """E[PPV], E[NPV] under logits ~ N(mu, Var(mu)), by 2-D Gauss-Hermite quadrature (60 x 60 nodes)."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(60)
    z1, z2 = np.meshgrid(nodes, nodes, indexing="ij")
    w = np.outer(weights, weights) / (2 * np.pi)
    chol = np.linalg.cholesky(fit.mu_vcov)
    logits = fit.mu[:, None, None] + np.einsum("ij,jkl->ikl", chol, np.stack([z1, z2]))
    sens, fpr = expit(logits[0]), expit(logits[1])
    ppv = sens * prevalence / (sens * prevalence + fpr * (1 - prevalence))
    npv = (1 - fpr) * (1 - prevalence) / ((1 - fpr) * (1 - prevalence) + (1 - sens) * prevalence)
    return float(np.sum(w * ppv)), float(np.sum(w * npv))


@pytest.mark.parametrize("prevalence", [0.05, 0.3, 0.8])
def test_the_mean_predictive_values_are_their_expectation_within_monte_carlo_error(prevalence):
    fit = ds.meta.bivariate(STUDIES)
    pv = fit.predictive_values(prevalence, n_draws=200_000, seed=11).set_index("measure")
    for measure, exact in zip(("ppv", "npv"), _exact_means(fit, prevalence)):
        row = pv.loc[measure]
        assert abs(row["value"] - exact) < 4 * row["sd"] / np.sqrt(200_000)
        assert row["lower"] == row["p2.5"] and row["upper"] == row["p97.5"]
        assert row["p2.5"] < row["p25"] < row["p50"] < row["p75"] < row["p97.5"]


def test_default_range_is_the_studies_prevalences_in_steps_of_a_hundredth():
    fit = ds.meta.bivariate(STUDIES)
    pv = fit.predictive_values(n_draws=1000)
    observed = (STUDIES.tp + STUDIES.fn) / STUDIES.sum(axis=1)
    expected = np.round(np.arange(round(observed.min(), 2), round(observed.max(), 2) + 0.005, 0.01), 2)
    assert pv["prevalence"].unique().tolist() == pytest.approx(expected.tolist())
    ppv = pv[pv["measure"] == "ppv"]["value"].to_numpy()
    assert np.all(np.diff(ppv) > 0)   # common draws: PPV rises with the prevalence


def test_an_uncertain_prevalence_widens_the_interval_and_the_seed_reproduces():
    fit = ds.meta.bivariate(STUDIES)
    fixed = fit.predictive_values(0.2, seed=3).set_index("measure")
    spread = fit.predictive_values(0.2, prevalence_sd=0.05, seed=3).set_index("measure")
    assert spread.loc["ppv", "sd"] > fixed.loc["ppv", "sd"]
    assert spread.loc["ppv", "prevalence_distribution"] == "beta(mean 0.2, sd 0.05)"
    pd.testing.assert_frame_equal(spread, fit.predictive_values(0.2, prevalence_sd=0.05, seed=3).set_index("measure"))


@pytest.mark.parametrize("kwargs, message", [
    ({"prevalence": 1.2}, "prevalence"),
    ({"prevalence": 0.2, "prevalence_sd": 0.45}, "prevalence_sd=0.45 is too large for a prevalence of mean 0.2"),
    ({"prevalence": [0.1, 0.2], "prevalence_sd": 0.05}, "give its mean as prevalence= (one number)"),
    ({"prevalence_sd": 0.05}, "give its mean as prevalence= (one number)"),
    ({"prevalence": 0.2, "n_draws": 10}, "n_draws"),
])
def test_bad_input_names_the_argument(kwargs, message):
    with pytest.raises(ds.DiagstatsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ds.meta.bivariate(STUDIES).predictive_values(**kwargs)


def test_a_meta_regression_is_refused_with_the_subgroup_fix():
    data = pd.concat([STUDIES.assign(modality="MRI"), STUDIES.assign(modality="CT", tp=STUDIES.tp // 2)])
    data["study"] = [f"s{i}" for i in range(len(data))]
    fit = ds.meta.bivariate(data, study="study", covariate="modality")
    with pytest.raises(ds.OptionError, match="Fit ds.meta.bivariate on one subgroup"):
        fit.predictive_values(0.2)
