"""Sample size and power: epiR parity (Buderer), published formula checks and Monte-Carlo checks."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import diagstats as ds
from diagstats.errors import OptionError
from diagstats import planning

EPIR = json.loads((Path(__file__).resolve().parents[1] / "reference" / "planning" / "epir_ssdxsesp.json").read_text())


@pytest.mark.parametrize("row", EPIR["rows"], ids=lambda r: f"{r['type']}-{r['test']}-{r['Py']}-{r['epsilon']}-"
                                                            f"{r['conf.level']}")
def test_buderer_matches_epir_epi_ssdxsesp(row):
    target = {"sensitivity": row["test"]} if row["type"] == "se" else {"specificity": row["test"]}
    plan = ds.sample_size_accuracy(**target, prevalence=row["Py"], half_width=row["epsilon"],
                                   level=row["conf.level"])
    assert plan.exact == pytest.approx(row["n_fractional"], rel=1e-9)
    assert plan.n == row["n"]


def test_buderer_formula_by_hand():
    # Buderer (1996): diseased needed = z^2 Se(1 - Se) / w^2, total = that / prevalence
    z = stats.norm.ppf(0.975)
    plan = ds.sample_size_accuracy(sensitivity=0.9, specificity=0.6, prevalence=0.3, half_width=0.07)
    by_sens, by_spec = z**2 * 0.09 / 0.07**2 / 0.3, z**2 * 0.24 / 0.07**2 / 0.7
    assert plan.exact == pytest.approx(max(by_sens, by_spec))
    assert plan.n == math.ceil(max(by_sens, by_spec))


def _flahault_by_enumeration(expected, minimum, alpha=0.05, power=0.95):
    # brute force, independent of the implementation: for n = 1, 2, ... list every outcome x, compute
    # its Clopper-Pearson lower limit (one-sided 1 - alpha = lower end of the two-sided 1 - 2 alpha
    # interval) and add up the Binomial(n, expected) probability of the outcomes whose limit exceeds the minimum
    for n in range(1, 2000):
        x = np.arange(n + 1)
        lower, _ = ds.proportion_ci(x, n, level=1 - 2 * alpha, method="clopper_pearson")
        achieved = stats.binom.pmf(x, n, expected)[np.asarray(lower) > minimum].sum()
        if achieved >= power:
            return n, achieved
    raise AssertionError("not found")


@pytest.mark.parametrize("expected, minimum, alpha, power", [(0.9, 0.8, 0.05, 0.95), (0.95, 0.9, 0.05, 0.95),
                                                             (0.8, 0.7, 0.05, 0.8), (0.99, 0.95, 0.025, 0.9),
                                                             (0.7, 0.5, 0.05, 0.95)])
def test_flahault_matches_brute_force_enumeration(expected, minimum, alpha, power):
    # Flahault, Cadilhac & Thomas (2005), J Clin Epidemiol 58:859: smallest number of cases such that the exact
    # (Clopper-Pearson) lower confidence limit exceeds the minimal acceptable sensitivity with probability `power`
    n, achieved = _flahault_by_enumeration(expected, minimum, alpha, power)
    plan = ds.sample_size_accuracy_exact(sensitivity=expected, min_sensitivity=minimum, prevalence=0.25, alpha=alpha,
                                         power=power)
    assert plan.n_diseased == n
    assert plan.power == pytest.approx(achieved, rel=1e-9)
    assert plan.exact == pytest.approx(n / 0.25)
    spec = ds.sample_size_accuracy_exact(specificity=expected, min_specificity=minimum, prevalence=0.75, alpha=alpha,
                                         power=power)
    assert spec.n_non_diseased == n


def test_flahault_combines_sensitivity_and_specificity_like_buderer():
    both = ds.sample_size_accuracy_exact(sensitivity=0.9, min_sensitivity=0.8, specificity=0.95, min_specificity=0.85,
                                         prevalence=0.3)
    se = ds.sample_size_accuracy_exact(sensitivity=0.9, min_sensitivity=0.8, prevalence=0.3)
    sp = ds.sample_size_accuracy_exact(specificity=0.95, min_specificity=0.85, prevalence=0.3)
    assert both.exact == max(se.exact, sp.exact)
    assert both.n_diseased >= se.n_diseased and both.n_non_diseased >= sp.n_non_diseased
    assert both.n == both.n_diseased + both.n_non_diseased


def test_connor_formula_and_power_are_inverse():
    # Connor (1987), eq. for n: [z_a sqrt(psi) + z_b sqrt(psi - delta^2)]^2 / delta^2
    plan = ds.sample_size_paired_sensitivity(0.9, 0.8, discordance=0.2, power=0.9)
    za, zb = stats.norm.ppf(0.975), stats.norm.ppf(0.9)
    assert plan.exact == pytest.approx((za * math.sqrt(0.2) + zb * math.sqrt(0.2 - 0.01)) ** 2 / 0.01)
    assert ds.power_paired_sensitivity(0.9, 0.8, n_diseased=plan.n_diseased, discordance=0.2) >= 0.9
    assert ds.power_paired_sensitivity(0.9, 0.8, n_diseased=plan.n_diseased - 1, discordance=0.2) < 0.9
    with_prev = ds.sample_size_paired_sensitivity(0.9, 0.8, discordance=0.2, power=0.9, prevalence=0.25)
    assert with_prev.n == math.ceil(plan.exact / 0.25)


def test_connor_worked_example_from_published_calculator():
    # Connor (1987), Biometrics 43:207, p. 209 formula, as worked on powerandsamplesize.com ("Compare Paired
    # Proportions: McNemar's Z-test, 2-Sided Equality", citing Connor p. 209): discordant cells p10 = 0.05,
    # p01 = 0.45, alpha 0.05, power 0.80 -> 23 pairs. Here Se1 = p11 + p10 = 0.45, Se2 = p11 + p01 = 0.85
    # (p11 = 0.40), so psi = 0.5 and delta = -0.4.
    plan = ds.sample_size_paired_sensitivity(0.45, 0.85, discordance=0.5, power=0.8)
    assert plan.n_diseased == 23
    assert plan.exact == pytest.approx(22.0113244274, rel=1e-9)  # the page's R code, run in R 4.2


def test_connor_power_agrees_with_simulated_mcnemar_tests():
    # Monte-Carlo: 20,000 seeded studies of n diseased patients; tolerance 3 MC standard errors
    se1, se2, psi, n = 0.85, 0.75, 0.2, 150
    p10, p01 = (psi + (se1 - se2)) / 2, (psi - (se1 - se2)) / 2
    rng = np.random.default_rng(20240611)
    cells = rng.multinomial(n, [p10, p01, 1 - psi], size=20000)
    b, c = cells[:, 0], cells[:, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        rejected = np.where(b + c > 0, (b - c) ** 2 / (b + c), 0) > stats.chi2.ppf(0.95, 1)
    simulated = rejected.mean()
    predicted = ds.power_paired_sensitivity(se1, se2, n_diseased=n, discordance=psi)
    assert abs(simulated - predicted) < 3 * math.sqrt(predicted * (1 - predicted) / 20000) + 0.01


def test_hanley_mcneil_variance_is_exact_for_exponential_scores():
    # Hanley & McNeil (1982): Q1 = A/(2-A), Q2 = 2A^2/(1+A) hold exactly for negative exponential
    # scores, so the formula is the exact variance of the Mann-Whitney AUC; checked by simulation
    # (40,000 seeded studies; tolerance 5% relative, about 7 Monte-Carlo standard errors).
    rng = np.random.default_rng(7)
    n1, n0, rate = 30, 40, 4.0  # diseased scores ~ Exp(mean 4), non-diseased ~ Exp(mean 1): A = 4/5
    diseased = rng.exponential(rate, size=(40000, n1))
    healthy = rng.exponential(1.0, size=(40000, n0))
    ranks = stats.rankdata(np.concatenate([diseased, healthy], axis=1), axis=1)[:, :n1].sum(axis=1)
    auc = (ranks - n1 * (n1 + 1) / 2) / (n1 * n0)
    assert auc.mean() == pytest.approx(0.8, abs=0.002)
    assert auc.var() == pytest.approx(ds.planning.auc_variance(0.8, n1, n0), rel=0.05)


def test_obuchowski_variance_formula():
    # Obuchowski, Lieber & Wians (2004) eq. 3: V = 0.0099 exp(-a^2/2) [(5a^2 + 8) + (a^2 + 8)/R] / n1 with
    # a = 1.414 probit(A), the published rounded constant (pROC parity of this formula: test_planning_auc.py)
    a = 1.414 * stats.norm.ppf(0.75)
    expected = 0.0099 * math.exp(-a * a / 2) * ((5 * a * a + 8) + (a * a + 8) / 2) / 60
    assert ds.planning.auc_variance(0.75, 60, 120, method="obuchowski") == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("method", ["hanley_mcneil", "obuchowski"])
def test_two_auc_sample_size_power_and_correlation(method):
    unpaired = ds.sample_size_two_aucs(0.85, 0.75, method=method)
    paired = ds.sample_size_two_aucs(0.85, 0.75, correlation=0.6, method=method)
    assert paired.n_diseased < unpaired.n_diseased  # correlated readings need fewer patients
    assert unpaired.power >= 0.8
    fewer = planning.sample_size_two_aucs(0.85, 0.75, method=method, power=0.5)
    assert fewer.n_diseased < unpaired.n_diseased


@pytest.mark.parametrize("ratio", [0.5, 1.0, 2.0, 4.0])
def test_two_auc_sample_size_uses_the_limit_of_the_exact_hanley_mcneil_variance(ratio):
    # n1 * auc_variance(A, n1, ratio * n1) tends to the per-diseased variance the sample size uses; with
    # ratio != 1 this catches the (Q1 - A^2) and (Q2 - A^2) terms being given the wrong group size.
    n1 = 1e7
    v1, v2 = (n1 * ds.planning.auc_variance(a, n1, ratio * n1) for a in (0.85, 0.75))
    za, zb = stats.norm.ppf(0.975), stats.norm.ppf(0.8)
    expected = (za * math.sqrt(2 * v1) + zb * math.sqrt(v1 + v2)) ** 2 / 0.1**2
    plan = ds.sample_size_two_aucs(0.85, 0.75, ratio=ratio)
    assert plan.exact == pytest.approx(expected * (1 + ratio), rel=1e-6)
    assert (plan.n_diseased, plan.n_non_diseased) == (math.ceil(expected), math.ceil(ratio * math.ceil(expected)))
    assert plan.power >= 0.8


def test_two_auc_sample_size_reproduces_the_published_hanley_mcneil_example():
    # A1 = 0.825 against A2 = 0.900, unpaired, equal groups, one-sided alpha = 0.05: 176, 239 and 298
    # patients per group for power 0.80, 0.90 and 0.95, as quoted from the Hanley & McNeil (1982)
    # sample-size method by the test suite of the statkit package (tests of statkit.power.
    # sample_size_roc_auc, "quoted values from paper"; the primary table could not be read here).
    # The published integers come from rounded normal quantiles: within one patient of the exact n.
    for power, published in ((0.80, 176), (0.90, 239), (0.95, 298)):
        plan = ds.sample_size_two_aucs(0.825, 0.900, alpha=0.05, power=power, alternative="less")
        assert abs(plan.exact / 2 - published) < 1
        assert plan.n_diseased - published in (0, 1)


def test_bad_input():
    with pytest.raises(ds.OptionError, match="prevalence=1.2"):
        ds.sample_size_accuracy(sensitivity=0.9, prevalence=1.2, half_width=0.05)
    with pytest.raises(ds.OptionError, match="Give the expected"):
        ds.sample_size_accuracy(prevalence=0.2, half_width=0.05)
    with pytest.raises(ds.OptionError, match="min_sensitivity=0.95 must be below"):
        ds.sample_size_accuracy_exact(sensitivity=0.9, min_sensitivity=0.95, prevalence=0.2)
    with pytest.raises(ds.OptionError, match="min_specificity="):
        ds.sample_size_accuracy_exact(specificity=0.9, prevalence=0.2)
    with pytest.raises(ds.OptionError, match="too close"):
        ds.sample_size_accuracy_exact(sensitivity=0.9, min_sensitivity=0.8999, prevalence=0.2)
    with pytest.raises(ds.OptionError, match="discordance=0.05 is impossible"):
        ds.sample_size_paired_sensitivity(0.9, 0.8, discordance=0.05)
    with pytest.raises(ds.OptionError, match="are equal"):
        ds.sample_size_paired_sensitivity(0.8, 0.8)
    with pytest.raises(ds.OptionError, match="correlation=1"):
        ds.sample_size_two_aucs(0.8, 0.7, correlation=1)
    with pytest.raises(ds.OptionError, match="power=80"):
        ds.sample_size_two_aucs(0.8, 0.7, power=80)


def test_result_object():
    plan = ds.sample_size_two_aucs(0.9, 0.8)
    assert "n_diseased" in set(plan.to_frame()["measure"]) and "Sample size" in str(plan)
    assert plan.n == plan.n_diseased + plan.n_non_diseased


def test_two_auc_sample_size_gives_the_planned_power_with_unequal_groups():
    # Unpaired design, three non-diseased per diseased, negative exponential scores (for which the
    # Hanley & McNeil variance is exact): the z test at the planned size rejects in about 80% of
    # 4,000 seeded studies (tolerance 0.03, about 5 Monte-Carlo standard errors). With the group
    # sizes of the two variance terms swapped, the plan is a third too small and the power near 0.62.
    plan = ds.sample_size_two_aucs(0.75, 0.85, ratio=3.0)
    n1, n0, reps = plan.n_diseased, plan.n_non_diseased, 4000
    rng = np.random.default_rng(11)

    def study_aucs(auc):  # diseased ~ Exp(mean m), non-diseased ~ Exp(1): AUC = m / (m + 1)
        diseased = rng.exponential(auc / (1 - auc), size=(reps, n1))
        ranks = stats.rankdata(np.concatenate([diseased, rng.exponential(1.0, size=(reps, n0))], axis=1), axis=1)
        return (ranks[:, :n1].sum(axis=1) - n1 * (n1 + 1) / 2) / (n1 * n0)

    a1, a2 = study_aucs(0.75), study_aucs(0.85)
    # the planned test: the difference over its standard error under the null (both AUCs 0.75)
    null_se = math.sqrt(2 * ds.planning.auc_variance(0.75, n1, n0))
    rejected = np.abs(a2 - a1) / null_se > stats.norm.ppf(0.975)
    assert rejected.mean() == pytest.approx(0.8, abs=0.03)


# --- issue #14 -----------------------------------------------------------------------------------

def test_power_paired_sensitivity_needs_a_whole_number_of_patients():
    # before: n_diseased=2.5 was accepted
    with pytest.raises(ds.DiagstatsError, match=r"n_diseased=2.5 must be a whole number of diseased patients >= 1"):
        planning.power_paired_sensitivity(0.8, 0.9, n_diseased=2.5)


def test_extreme_plans_give_an_answer_or_a_named_error():
    # before: a TypeError from np.isfinite on a sample size beyond int64, and a ZeroDivisionError
    plan = planning.sample_size_binormal_aucs(1e-9, 0.5, 0.0, 1.0)
    assert plan.n > 2 ** 64
    with pytest.raises(ds.DiagstatsError, match=r"n_non_diseased=1e-300 and n_diseased=1e\+300 differ too much"):
        planning.power_binormal_aucs(1.0, 1.0, 0.0, 1.0, n_diseased=1e300, n_non_diseased=1e-300)


def test_probabilities_within_1e_12_of_0_or_1_are_refused():
    # before: power_auc(5e-324, ...) raised ZeroDivisionError (the Obuchowski variance), and alpha=1e-276 made
    # 1 - alpha/2 round to 1 in z_critical, an infinite critical value and a NaN power (KNOWN_OPEN planning_tails)
    with pytest.raises(ds.OptionError, match=r"^auc=5e-324 is within 1e-12 of 0: so close to 0 or 1 the normal "
                                             r"quantiles and variances of a plan are infinite or divide by zero, .*; "
                                             r"give auc between 1e-12 and 1 - 1e-12\.$"):
        planning.power_auc(5e-324, n_diseased=10, n_non_diseased=30)
    with pytest.raises(ds.OptionError, match=r"^null_auc=1e-276 is within 1e-12 of 0"):
        planning.power_auc(0.7, n_diseased=10, n_non_diseased=30, alpha=1e-276, null_auc=1e-276)
    with pytest.raises(ds.OptionError, match=r"^alpha=1e-276 is within 1e-12 of 0"):
        planning.power_auc(0.7, n_diseased=10, n_non_diseased=30, alpha=1e-276)


@pytest.mark.parametrize("call, name", [
    (lambda p: planning.sample_size_accuracy(sensitivity=p, prevalence=0.2, half_width=0.05), "sensitivity"),
    (lambda p: planning.sample_size_accuracy(specificity=0.9, prevalence=p, half_width=0.05), "prevalence"),
    (lambda p: planning.sample_size_accuracy(sensitivity=0.9, prevalence=0.2, half_width=p), "half_width"),
    (lambda p: planning.sample_size_accuracy_exact(sensitivity=0.9, min_sensitivity=p, prevalence=0.2),
     "min_sensitivity"),
    (lambda p: planning.sample_size_accuracy_exact(specificity=0.9, min_specificity=0.8, prevalence=0.2, power=p),
     "power"),
    (lambda p: planning.sample_size_paired_sensitivity(0.9, p), "sensitivity2"),
    (lambda p: planning.sample_size_paired_sensitivity(0.9, 0.8, discordance=p), "discordance"),
    (lambda p: planning.power_paired_sensitivity(p, 0.8, n_diseased=50), "sensitivity1"),
    (lambda p: planning.auc_variance(p, 50, 50), "auc"),
    (lambda p: planning.sample_size_auc(0.8, null_auc=p), "null_auc"),
    (lambda p: planning.sample_size_two_aucs(p, 0.8), "auc1"),
    (lambda p: planning.sample_size_two_aucs(0.7, 0.8, alpha=p), "alpha"),
    (lambda p: planning.sample_size_binormal_aucs(1.5, 1, 1, 1, power=p), "power"),
    (lambda p: planning.power_binormal_aucs(1.5, 1, 1, 1, n_diseased=50, n_non_diseased=50, alpha=p), "alpha"),
])
@pytest.mark.parametrize("p", [5e-324, 1e-276, 1e-13, 1 - 1e-13])
def test_every_planning_probability_keeps_1e_12_from_0_and_1(call, name, p):
    with pytest.raises(ds.OptionError, match=rf"^{name}=.* is within 1e-12 of {0 if p < 0.5 else 1}: .*give {name} "
                                             r"between 1e-12 and 1 - 1e-12\.$"):
        call(p)


def test_a_huge_difference_plans_at_least_one_patient_per_class():
    # before: the unrounded sample size was ~0, so 0 diseased patients were planned: sample_size_binormal_aucs refused
    # its own n_diseased=0 (an argument the user did not pass), and sample_size_two_aucs planned n = 0 with power 5e-13
    plan = planning.sample_size_binormal_aucs(30, 1, -30, 1)
    assert (plan.n_diseased, plan.n_non_diseased, plan.power) == (1, 1, 1.0)
    plan = planning.sample_size_two_aucs(1 - 1e-12, 1e-12, alpha=1e-12, power=1 - 1e-12, method="obuchowski")
    assert (plan.n_diseased, plan.n_non_diseased, plan.power) == (1, 1, 1.0)
    plan = planning.sample_size_paired_sensitivity(1 - 1e-12, 1e-12, alpha=0.5, power=1e-12, prevalence=1 - 1e-12)
    assert (plan.n, plan.n_diseased, plan.n_non_diseased) == (1, 1, 0)
    assert planning.sample_size_auc(1 - 1e-12, null_auc=1e-12, alpha=1e-12, power=1 - 1e-12).n_diseased == 1


@pytest.mark.parametrize("n", [0.5, 1e-300])
def test_auc_variance_needs_at_least_one_patient_per_class(n):
    # found by the long fuzz profile: 1e-300 divided by zero and 0.5 gave a negative Hanley-McNeil variance
    with pytest.raises(OptionError, match="n_diseased=.* must be at least 1 patient"):
        ds.planning.auc_variance(0.7, n, 50)
