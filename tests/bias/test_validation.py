"""Reduced simulation-based validation of the bias corrections (the full study is analyses/bias_validation.py).

Each study runs 40 replicates through ds.simulate.study with a fixed seed. With 40 replicates the
issue's targets (mean within 0.01 of the truth, coverage 93-97%) cannot be checked directly: the
coverage of a perfect 95% interval has a Monte Carlo SD of 0.034. The acceptance bands below are
therefore the targets widened by the Monte Carlo error at the two-sided 0.001 level:

* bias: |mean - truth| <= 0.01 + 3.29 * SD / sqrt(40);
* coverage: the number of covering replicates lies in the central 99.9% of Binomial(40, 0.95),
  i.e. 32 to 40 of 40.

A correct method fails one such check with probability <= 0.001 (about 2% for the ~20 checks).
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import diagstats as ds
from diagstats.studies import bias_validation as validation
from diagstats.report import build

from ..test_report_cli import ANALYSES

R = 40
Z = stats.norm.isf(0.0005)  # 3.29
COVERED_LOW, COVERED_HIGH = stats.binom.ppf(0.0005, R, 0.95), stats.binom.isf(0.0005, R, 0.95)


def within_band(row: pd.Series) -> bool:
    bias_ok = abs(row["bias"]) <= validation.BIAS_TARGET + Z * row["bias_mcse"]
    covered = round(row["coverage"] * row["n_replicates"])
    return bool(bias_ok and COVERED_LOW <= covered <= COVERED_HIGH and row["n_missing"] == 0)


def biased(row: pd.Series) -> bool:
    return bool(abs(row["bias"]) > validation.BIAS_TARGET + Z * row["bias_mcse"])


@pytest.fixture(scope="module")
def studies():
    sizes = {"test_only": 20_000, "default": 20_000, "latent_class": 1_000}
    return {name: validation.run_study(name, n_replicates=R, n=n, n_boot=200, n_imputations=20, seed=7,
                                       progress=False).summary.set_index(["method", "measure"])
            for name, n in sizes.items()}


def test_the_band_is_what_the_docstring_says():
    assert (COVERED_LOW, COVERED_HIGH) == (32, 40)


def test_begg_greenes_recovers_the_truth_when_verification_depends_on_the_test_only(studies):
    summary = studies["test_only"]
    assert biased(summary.loc[("naive", "sensitivity")]) and summary.loc[("naive", "sensitivity"), "bias"] > 0
    assert biased(summary.loc[("naive", "specificity")]) and summary.loc[("naive", "specificity"), "bias"] < 0
    for measure in validation.MEASURES:
        assert within_band(summary.loc[("begg_greenes", measure)]), summary.loc["begg_greenes"]


@pytest.mark.parametrize("method", ["ipw", "extended_begg_greenes", "multiple_imputation"])
def test_covariate_corrections_recover_the_truth_under_the_default_verification_pattern(studies, method):
    summary = studies["default"]
    for measure in validation.MEASURES:
        assert biased(summary.loc[("naive", measure)])
        assert within_band(summary.loc[(method, measure)]), summary.loc[method]


def test_begg_greenes_stays_biased_when_verification_also_depends_on_covariates(studies):
    # Under the default pattern verification depends on other imaging and prior cancer too:
    # missing at random given the MRI read alone fails, and so does Begg & Greenes.
    summary = studies["default"]
    assert biased(summary.loc[("begg_greenes", "sensitivity")])
    assert biased(summary.loc[("begg_greenes", "specificity")])


def test_latent_class_model_recovers_the_truth_under_conditional_independence(studies):
    summary = studies["latent_class"]
    assert len(summary) == 1 + 2 * len(validation.LATENT_CLASS_TESTS)
    for (_method, measure), row in summary.iterrows():
        assert within_band(row), (measure, row)


@pytest.fixture(scope="module")
def large_cohort():
    return ds.simulate.cohort(300_000, seed=11)


def test_verification_is_missing_at_random_given_the_covariates_but_not_given_mri_alone(large_cohort):
    frame = validation.verification_frame(large_cohort)
    verified = frame["tumour"].notna().to_numpy()
    tumour = (large_cohort.loc[large_cohort["mri"].notna(), "true_diagnosis"] != "no_tumour").to_numpy()

    def z_tumour_vs_none(mask):
        a, b = verified[mask & tumour], verified[mask & ~tumour]
        p = verified[mask].mean()
        return (a.mean() - b.mean()) / np.sqrt(p * (1 - p) * (1 / len(a) + 1 / len(b)))

    strata = frame.groupby(["mri", *validation.COVARIATES]).ngroup().to_numpy()
    assert len(np.unique(strata)) == 5
    for s in np.unique(strata):
        assert abs(z_tumour_vs_none(strata == s)) < 4
    mri_negative = frame["mri"].to_numpy() == 0
    assert z_tumour_vs_none(mri_negative) > 10  # a tumour makes other imaging, hence a biopsy, more likely


def test_the_truth_is_the_scenario_value_among_the_patients_imaged(large_cohort):
    imaged = large_cohort[large_cohort["mri"].notna()]
    res = ds.accuracy(test=imaged["mri"].astype(int), reference=(imaged["true_diagnosis"] != "no_tumour").astype(int))
    truth = validation.verification_truth(ds.simulate.Scenario.load("spine_referral"))
    for measure, value in truth.items():
        estimate = getattr(res, measure)
        assert estimate.lower < value < estimate.upper


def test_studies_are_reproducible_from_the_seed():
    a = validation.run_study("default", n_replicates=2, n=4000, n_boot=50, n_imputations=5, seed=3,
                             executor="serial", progress=False)
    b = validation.run_study("default", n_replicates=2, n=4000, n_boot=50, n_imputations=5, seed=3,
                             executor="serial", progress=False)
    pd.testing.assert_frame_equal(a.replicates, b.replicates)
    assert a.settings == {"n_replicates": 2, "n": 4000, "seed": 3, "n_boot": 50, "n_imputations": 5}


def test_the_report_states_design_results_and_key_numbers():
    config = {"n_replicates": 3, "n": 4000, "n_latent_class": 400, "n_boot": 50, "n_imputations": 5,
              "progress": False, "executor": "serial"}
    report = build("bias_validation", config, path=ANALYSES)
    assert [s.title for s in report.sections][:2] == ["Design", "Verdict"]
    assert len(report.sections) == 5 and len(report.data) == 3
    assert {"test_only/begg_greenes/sensitivity", "default/ipw/specificity",
            "latent_class/latent_class/mri.sensitivity"} <= set(report.key_numbers)
    assert report.key_numbers["default/naive/specificity"]["truth"] == 0.85
    assert "missing at random" in report.to_markdown()
