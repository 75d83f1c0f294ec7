"""Coverage at the spine simulator's within-patient correlation (issue #18, the reduced study).

Per-vertebra MRI sensitivity and specificity of 300 simulated patients (7,500 vertebrae; ``ds.simulate.lesions``,
design effects about 2.7 and 5), through ``diagstats.studies.cluster_validation``: the naive Wilson interval,
which treats the 25 vertebrae of a patient as independent, under-covers badly; the default clustered interval
of ``ds.accuracy(..., cluster=)``, Korn & Graubard's (1998) Clopper-Pearson interval of the effective sample
(Kish's n / deff, shrunk for the m - 1 degrees of freedom of the ratio-estimator variance), reaches 95%.
The full study (1,000 replicates at 50, 100, 300 and 1,000 patients; see the module's docstring) measured at
300 patients: naive 0.819 and 0.630, Korn-Graubard 0.954 and 0.959, and the former default, the Wald interval
(Genders et al. 2012), 0.925 and 0.952, its misses mostly on the side where the proportion is near 1.

The test runs 400 replicates (MC SE of a 95% coverage sqrt(0.95 * 0.05 / 400) = 0.011) and asks the
Korn-Graubard coverage to lie within three MC SEs of 0.95; the naive interval must fall below the nominal
level by more than three MC SEs and below the clustered coverage by more than 5 points. The truth is the
pooled value of 200,000 simulated patients (SE of the true sensitivity about 0.002, a tenth of the
interval's half-width at this size). Measured by this test: naive 0.818 and 0.625, Korn-Graubard 0.953 and
0.940, Wald 0.918 and 0.928 (Wald intervals wholly above the truth 7.0% and 6.5%, Korn-Graubard's 3.0% and
4.5%).
"""

import pytest

from diagstats.studies import cluster_validation

N_PATIENTS, N_REPLICATES = 300, 400


@pytest.fixture(scope="module")
def coverage():
    truth = cluster_validation.truth(n_patients=200_000, seed=1)      # 5,000,000 vertebrae
    runs = cluster_validation.run(n_patients=(N_PATIENTS,), n_replicates=N_REPLICATES, seed=18, executor="serial")
    summary = cluster_validation.summarise(runs, truth)
    assert (summary["replicates"] == N_REPLICATES).all()
    return summary.set_index(["method", "measure"])


@pytest.mark.parametrize("measure", cluster_validation.MEASURES)
def test_the_default_clustered_interval_reaches_95_percent(coverage, measure):
    row = coverage.loc["korn_graubard", measure]
    assert abs(row["coverage"] - 0.95) <= 3 * row["mc_se"], coverage


@pytest.mark.parametrize("measure", cluster_validation.MEASURES)
def test_the_naive_interval_under_covers(coverage, measure):
    naive, clustered = coverage.loc["naive", measure], coverage.loc["korn_graubard", measure]
    assert naive["coverage"] < 0.95 - 3 * naive["mc_se"], coverage
    assert naive["coverage"] < clustered["coverage"] - 0.05, coverage
    # too narrow: it also puts the whole interval above the truth more often than the clustered one
    assert naive["interval_above_truth"] > clustered["interval_above_truth"], coverage


@pytest.mark.parametrize("measure", cluster_validation.MEASURES)
def test_the_default_misses_less_often_on_the_side_near_1_than_wald(coverage, measure):
    clustered, wald = coverage.loc["korn_graubard", measure], coverage.loc["wald", measure]
    assert clustered["interval_above_truth"] < wald["interval_above_truth"], coverage
    assert clustered["coverage"] > wald["coverage"], coverage


@pytest.mark.parametrize("measure", cluster_validation.MEASURES)
def test_the_default_difference_interval_reaches_95_percent(coverage, measure):
    """MRI - CT by MOVER from Korn-Graubard limits (the default of compare_tests(cluster=))."""
    row = coverage.loc["mover", f"{measure}_difference"]
    assert abs(row["coverage"] - 0.95) <= 3 * row["mc_se"], coverage
