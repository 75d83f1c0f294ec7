"""AUC sample size and power: parity with pROC 1.18 power.roc.test (committed fixture) and published examples."""

import json
import math
from pathlib import Path

import pytest
from scipy import integrate, stats

import diagstats as ds
from diagstats._core.binormal import Binormal

PROC = json.loads((Path(__file__).resolve().parents[1] / "reference" / "planning" / "proc_power_roc_test.json")
                  .read_text())


def alternative(row, difference):
    """pROC's "one.sided" tests the direction of the expected difference: ours names it."""
    if row["alternative"] == "two.sided":
        return "two-sided"
    return "greater" if difference > 0 else "less"


@pytest.mark.parametrize("row", PROC["one_auc"],
                         ids=lambda r: f"{r['auc']}-{r['kappa']}-{r['power']}-{r['alternative']}")
def test_one_auc_matches_proc(row):
    # pROC power.roc.test(auc=, kappa=, power=): Obuchowski, Lieber & Wians (2004) eq. 2-3
    plan = ds.planning.sample_size_auc(row["auc"], ratio=row["kappa"], power=row["power"],
                                       alternative=alternative(row, row["auc"] - 0.5))
    assert plan.exact == pytest.approx(row["ncases"], rel=1e-9)
    assert plan.n_diseased == math.ceil(row["ncases"])
    assert plan.n_non_diseased == math.ceil(row["ncontrols"] - 1e-9)
    achieved = ds.planning.power_auc(row["auc"], n_diseased=row["power_ncases"], n_non_diseased=row["power_ncontrols"],
                                     alternative=alternative(row, row["auc"] - 0.5))
    assert achieved == pytest.approx(row["power_at"], rel=1e-9)


def _binormal_args(row):
    fpr = (row["FPR11"], row["FPR12"]) if "FPR11" in row else None
    return dict(correlation_diseased=row["ra"], correlation_non_diseased=row["rn"], fpr_range=fpr,
                alternative=alternative(row, row["delta"]))


@pytest.mark.parametrize("row", PROC["two_binormal_aucs"],
                         ids=lambda r: f"{r['A1']}-{r['A2']}-{'FPR11' in r}-{r['kappa']}-{r['alternative']}")
def test_two_binormal_aucs_match_proc(row):
    # pROC power.roc.test(list(A1, B1, A2, B2, rn, ra, delta[, FPR..])): Obuchowski & McClish (1997)
    args = _binormal_args(row)
    plan = ds.planning.sample_size_binormal_aucs(row["A1"], row["B1"], row["A2"], row["B2"], ratio=row["kappa"],
                                                 difference=row["delta"], **args)
    assert plan.exact == pytest.approx(row["ncases"], rel=1e-9)
    assert plan.n_non_diseased == math.ceil(row["ncontrols"] - 1e-9)
    achieved = ds.planning.power_binormal_aucs(row["A1"], row["B1"], row["A2"], row["B2"], difference=row["delta"],
                                               n_diseased=row["power_ncases"], n_non_diseased=row["power_ncontrols"],
                                               **args)
    assert achieved == pytest.approx(row["power_at"], rel=1e-9)
    if row["delta"] != 0.037:  # the fixture's delta is the curves' own difference of (partial) areas
        own = ds.planning.sample_size_binormal_aucs(row["A1"], row["B1"], row["A2"], row["B2"], ratio=row["kappa"],
                                                    **args)
        assert own.exact == pytest.approx(row["ncases"], rel=1e-9)


def test_obuchowski_mcclish_1997_example_2():
    # Obuchowski & McClish (1997), Stat Med 16:1529, Example 2: partial area over FPR 0-0.2, a = 2.6 vs 1.9,
    # b = 1, score correlation 0.6 in both classes, difference 0.037, alpha 0.05, power 0.8 -> 107 per class
    plan = ds.planning.sample_size_binormal_aucs(2.6, 1, 1.9, 1, correlation_diseased=0.6,
                                                 correlation_non_diseased=0.6, fpr_range=(0, 0.2), difference=0.037)
    assert round(plan.exact) == 107
    assert plan.power >= 0.8


def test_binormal_partial_derivatives_match_numerical_integration():
    # the closed forms of d(pAUC)/da and d(pAUC)/db against quadrature of the binormal ROC curve
    curve = Binormal(1.3, 0.8, (0.1, 0.4))
    lo, hi = stats.norm.ppf(0.1), stats.norm.ppf(0.4)
    f = integrate.quad(lambda t: stats.norm.pdf(1.3 + 0.8 * t) * stats.norm.pdf(t), lo, hi)[0]
    g = integrate.quad(lambda t: t * stats.norm.pdf(1.3 + 0.8 * t) * stats.norm.pdf(t), lo, hi)[0]
    assert curve.derivatives() == pytest.approx((f, g), rel=1e-9)


def test_equal_variance_binormal_variance_is_obuchowskis_closed_form():
    # with b = 1 and no correlation, the 1997 variance reduces to 0.0099 exp(-a^2/2)[(5a^2+8) + (a^2+8)/R]
    # (up to the rounded constants 0.0099 ~ 1/(32 pi) and 1.414 ~ sqrt(2) of the closed form)
    a, ratio = 1.3, 2.0
    plan_unpaired = ds.planning.power_binormal_aucs(a, 1, a, 1, n_diseased=50, n_non_diseased=100, difference=0.05)
    v = math.exp(-a * a / 2) * ((5 * a * a + 8) + (a * a + 8) / ratio) / (32 * math.pi)
    expected = stats.norm.cdf((0.05 * math.sqrt(50) - stats.norm.ppf(0.975) * math.sqrt(2 * v)) / math.sqrt(2 * v))
    assert plan_unpaired == pytest.approx(expected, rel=1e-12)


def test_auc_bad_input():
    with pytest.raises(ds.OptionError, match="auc equals null_auc"):
        ds.planning.sample_size_auc(0.5)
    with pytest.raises(ds.OptionError, match="alternative='less'"):
        ds.planning.sample_size_auc(0.8, alternative="less")
    with pytest.raises(ds.OptionError, match="b2"):
        ds.planning.sample_size_binormal_aucs(1, 1, 1.5, -1)
    with pytest.raises(ds.OptionError, match="correlation_diseased=1"):
        ds.planning.sample_size_binormal_aucs(1, 1, 1.5, 1, correlation_diseased=1)
    with pytest.raises(ds.OptionError, match="fpr_range"):
        ds.planning.sample_size_binormal_aucs(1, 1, 1.5, 1, fpr_range=(0.3, 0.1))
    with pytest.raises(ds.OptionError, match="same area"):
        ds.planning.sample_size_binormal_aucs(1, 1, 1, 1)
