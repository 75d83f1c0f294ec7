"""Parity of diagstats.compare_tests with DTComPair 1.2.2 and base R (fixtures in tests/reference/compare/).

DTComPair reports differences as test2 - test1 and (dlr.regtest) ratios as test1 / test2, but its
relative predictive values (pv.rpv) as test2 / test1. diagstats reports first minus second and first
over second, so the tests convert DTComPair's numbers, never the API.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.binary import _paired

HERE = Path(__file__).resolve().parents[1] / "reference" / "compare"
DATA = pd.read_csv(HERE / "paired_tests.csv")
DTC = json.loads((HERE / "paired_tests_dtcompair.json").read_text())
BASE_R = json.loads((HERE / "base_r.json").read_text())
TOL = dict(rel=1e-6, abs=1e-9)


def compare(**kwargs):
    return ds.compare_tests(data=DATA, tests=("test1", "test2"), reference="d", **kwargs)


def test_fixture_records_package_and_version():
    assert DTC["meta"]["package"] == "DTComPair" and DTC["meta"]["version"] == "1.2.2"
    assert "R version" in BASE_R["versions"]["R"]


@pytest.mark.parametrize("measure", ["sensitivity", "specificity"])
def test_mcnemar_matches_sesp_mcnemar(measure):
    res = compare()
    test1, test2, diff, statistic, p_value = DTC["sesp_mcnemar"][measure]
    row = getattr(res, measure)
    assert row.first.value == pytest.approx(test1, **TOL)
    assert row.second.value == pytest.approx(test2, **TOL)
    assert row.difference.value == pytest.approx(-diff, **TOL)
    assert row.statistic == pytest.approx(statistic, **TOL)
    assert row.p_value == pytest.approx(p_value, **TOL)


@pytest.mark.parametrize("measure", ["sensitivity", "specificity"])
def test_exact_mcnemar_matches_sesp_exactbinom(measure):
    res = compare(method="exact")
    test1, test2, diff, p_value = DTC["sesp_exactbinom"][measure]
    row = getattr(res, measure)
    assert row.difference.value == pytest.approx(-diff, **TOL)
    assert row.p_value == pytest.approx(p_value, **TOL)
    assert row.test_method == "McNemar exact (binomial)"


@pytest.mark.parametrize("pv_method, key", [("gs", "pv_gs"), ("wgs", "pv_wgs")])
@pytest.mark.parametrize("measure", ["ppv", "npv"])
def test_predictive_value_score_tests_match_dtcompair(pv_method, key, measure):
    res = compare(pv_method=pv_method)
    test1, test2, diff, statistic, p_value = DTC[key][measure]
    row = getattr(res, measure)
    assert (row.first.value, row.second.value) == (pytest.approx(test1, **TOL), pytest.approx(test2, **TOL))
    assert row.difference.value == pytest.approx(-diff, **TOL)
    assert row.statistic == pytest.approx(statistic, **TOL)
    assert row.p_value == pytest.approx(p_value, **TOL)


def test_weighted_generalised_score_is_the_default():
    assert compare().ppv.statistic == pytest.approx(DTC["pv_wgs"]["ppv"][3], **TOL)


@pytest.mark.parametrize("measure", ["ppv", "npv"])
def test_relative_predictive_values_match_pv_rpv(measure):
    # pv.rpv is the exception to the fixture's stated convention: its relative PPV is test2 / test1
    # (0.938 = 0.734 / 0.783). diagstats reports first / second, so the ratio and bounds are inverted
    # and the log-scale z statistic changes sign; the p-value and the log-scale SE are unchanged.
    res = compare()
    test1, test2, ratio, se_log, lower, upper, statistic, p_value = DTC["pv_rpv"][measure]
    assert ratio == pytest.approx(test2 / test1, **TOL)
    row = getattr(res, measure)
    assert row.ratio.value == pytest.approx(1 / ratio, **TOL)
    assert (row.ratio.lower, row.ratio.upper) == (pytest.approx(1 / upper, **TOL), pytest.approx(1 / lower, **TOL))
    assert row.ratio_test.statistic == pytest.approx(-statistic, **TOL)
    assert row.ratio_test.p_value == pytest.approx(p_value, **TOL)
    i = ["ppv", "npv"].index(measure)
    assert np.sqrt(res.relative_pv_covariance[i, i]) == pytest.approx(se_log, **TOL)


def test_relative_predictive_value_covariance_matches_sigma():
    np.testing.assert_allclose(compare().relative_pv_covariance, np.array(DTC["pv_rpv"]["Sigma"]), rtol=1e-6)


@pytest.mark.parametrize("measure, key", [("lr_positive", "pdlr"), ("lr_negative", "ndlr")])
def test_relative_likelihood_ratios_match_dlr_regtest(measure, key):
    ref = DTC["dlr_regtest"][key]
    row = getattr(compare(), measure)
    assert row.first.value == pytest.approx(ref["test1"], **TOL)
    assert row.second.value == pytest.approx(ref["test2"], **TOL)
    assert row.ratio.value == pytest.approx(ref["ratio"], **TOL)
    assert row.ratio.lower == pytest.approx(ref["lcl"], **TOL)
    assert row.ratio.upper == pytest.approx(ref["ucl"], **TOL)
    assert row.statistic == pytest.approx(ref["test.statistic"], **TOL)
    assert row.p_value == pytest.approx(ref["p.value"], **TOL)
    assert np.log(row.ratio.upper / row.ratio.value) / 1.959963984540054 == pytest.approx(ref["se.log"], **TOL)


@pytest.mark.parametrize("which, attr", [("Test1", "first"), ("Test2", "second")])
def test_each_tests_accuracy_matches_acc_paired_with_wald_intervals(which, attr):
    ref = DTC["acc_paired"][which]
    acc = getattr(compare(), attr).confidence_interval(method="wald")
    (tp, fp, _), (fn, tn, _), _ = ref["tab"]
    assert (acc.tp, acc.fp, acc.fn, acc.tn) == (tp, fp, fn, tn)
    for measure, key in [("sensitivity", "sensitivity"), ("specificity", "specificity"), ("ppv", "ppv"),
                         ("npv", "npv"), ("lr_positive", "pdlr"), ("lr_negative", "ndlr")]:
        est, _, lower, upper = ref[key]
        e = getattr(acc, measure)
        assert (e.value, e.lower, e.upper) == (pytest.approx(est, **TOL), pytest.approx(lower, **TOL),
                                               pytest.approx(upper, **TOL)), measure


def test_crosstab_shows_the_discordant_cells():
    tab = compare().crosstab
    assert tab.loc[("diseased", "positive"), "negative"] == 15
    assert tab.loc[("diseased", "negative"), "positive"] == 5
    assert tab.loc[("not diseased", "positive"), "negative"] == 17
    assert tab.loc[("not diseased", "negative"), "positive"] == 21
    assert tab.to_numpy().sum() == len(DATA)


@pytest.mark.parametrize("case", sorted(BASE_R["paired"]))
def test_mcnemar_matches_base_r(case):
    ref = BASE_R["paired"][case]
    b, c = ref["b"], ref["c"]
    assert _paired.mcnemar(b, c, exact=False) == (pytest.approx(ref["mcnemar"][0], **TOL),
                                                   pytest.approx(ref["mcnemar"][1], **TOL))
    assert _paired.mcnemar(b, c, exact=False, continuity=True) == (pytest.approx(ref["mcnemar_cc"][0], **TOL),
                                                                   pytest.approx(ref["mcnemar_cc"][1], **TOL))
    assert _paired.mcnemar(b, c, exact=True)[1] == pytest.approx(ref["binom"], **TOL)


def test_continuity_option_reaches_the_result():
    ref = BASE_R["paired"]["sensitivity"]["mcnemar_cc"]
    row = compare(continuity=True).sensitivity
    assert (row.statistic, row.p_value) == (pytest.approx(ref[0], **TOL), pytest.approx(ref[1], **TOL))


@pytest.mark.parametrize("case", sorted(BASE_R["unpaired"]))
def test_unpaired_tests_match_prop_test_and_fisher_test(case):
    ref = BASE_R["unpaired"][case]
    (x1, x2), (n1, n2) = ref["x"], ref["n"]
    acc = [ds.accuracy(tp=x, fp=0, fn=n - x, tn=1) for x, n in ((x1, n1), (x2, n2))]
    for method, continuity, key in [("asymptotic", False, "chisq"), ("asymptotic", True, "chisq_cc")]:
        row = ds.compare_tests(tests=acc, method=method, continuity=continuity).sensitivity
        assert (row.statistic, row.p_value) == (pytest.approx(ref[key][0], **TOL), pytest.approx(ref[key][1], **TOL))
    row = ds.compare_tests(tests=acc, method="exact").sensitivity
    assert row.p_value == pytest.approx(ref["fisher"], **TOL)


def test_unpaired_from_data_uses_the_same_tables():
    res = compare(paired=False)
    ref = BASE_R["unpaired"]["sensitivity"]
    assert res.sensitivity.p_value == pytest.approx(ref["chisq"][1], **TOL)
    assert res.specificity.p_value == pytest.approx(BASE_R["unpaired"]["specificity"]["chisq"][1], **TOL)
    assert res.crosstab is None and not res.paired
