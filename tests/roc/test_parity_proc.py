"""Parity with pROC 1.18 (R 4.2) on the committed fixtures in tests/reference/roc.

The JSON files were made by /work/shared/oracle/roc.R and roc_unpaired.R (see make_fixtures.sh
there). Closed-form quantities are checked to 1e-6; bootstrap tests within their Monte-Carlo error.
"""

import math

import numpy as np
import pytest

import diagstats as ds

import pandas as pd
from .roc_fixtures import REFERENCE, load_fixture

TOL = dict(rel=1e-6, abs=1e-9)

#: (fixture, score column, key in the JSON)
CURVES = [("continuous_ties", "marker", "score"), ("ordinal", "rating", "score"), ("lognormal", "nlr", "score"),
          ("paired", "score1", "score"), ("paired", "score2", "score2")]


def _fit(name, col, key):
    data, expected = load_fixture(name)
    return ds.roc(data=data, reference="y", score=col), expected[key]


def _threshold(x):
    return x if x is not None else math.nan


@pytest.mark.parametrize("name,col,key", CURVES)
def test_auc_and_delong(name, col, key):
    res, exp = _fit(name, col, key)
    assert res.auc.value == pytest.approx(exp["auc"], **TOL)
    assert res.auc_variance("delong") == pytest.approx(exp["delong_var"], **TOL)
    assert (res.auc.lower, res.auc.upper) == pytest.approx(tuple(exp["delong_ci"]), **TOL)
    assert res.auc.method == "DeLong"


@pytest.mark.parametrize("name,col,key", CURVES)
def test_partial_auc_raw_and_mcclish(name, col, key):
    res, exp = _fit(name, col, key)
    for focus in ("spec", "sens"):
        arg = {"specificity" if focus == "spec" else "sensitivity": (0.8, 1.0)}
        assert res.partial_auc(**arg).value == pytest.approx(exp[f"pauc_{focus}_0.8_1"], **TOL)
        assert res.partial_auc(**arg, correct=True).value == pytest.approx(exp[f"pauc_{focus}_0.8_1_mcclish"], **TOL)


@pytest.mark.parametrize("name,col,key", CURVES)
@pytest.mark.parametrize("method,proc_key", [("youden", "youden"), ("closest_topleft", "closest_topleft")])
def test_cutpoints(name, col, key, method, proc_key):
    res, exp = _fit(name, col, key)
    cut = res.threshold(method)
    expected = exp[proc_key]
    assert len(cut.candidates) == len(expected)
    for (_, row), e in zip(cut.candidates.iterrows(), sorted(expected, key=lambda r: r["threshold"])):
        assert row["midpoint"] == pytest.approx(e["threshold"], **TOL)
        assert row["sensitivity"] == pytest.approx(e["sensitivity"], **TOL)
        assert row["specificity"] == pytest.approx(e["specificity"], **TOL)
    # the reported observed threshold reproduces the operating point
    acc = res.at_threshold(cut.threshold)
    assert acc.sensitivity.value == pytest.approx(cut.sensitivity, abs=1e-12)


@pytest.mark.parametrize("name,col,key", CURVES)
def test_curve_points(name, col, key):
    res, exp = _fit(name, col, key)
    proc = exp["curve"]
    curve = res.curve
    assert len(curve) == len(proc)
    np.testing.assert_allclose(curve["sensitivity"], [p["sensitivity"] for p in proc], rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(curve["specificity"], [p["specificity"] for p in proc], rtol=1e-6, atol=1e-12)
    inner = [_threshold(p["threshold"]) for p in proc][1:-1]  # pROC's -Inf and Inf are null in JSON
    np.testing.assert_allclose(res._midpoints()[1:-1], inner, rtol=1e-9)


def _paired_curves():
    data, expected = load_fixture("paired")
    return (ds.roc(data=data, reference="y", score="score1"), ds.roc(data=data, reference="y", score="score2"),
            expected)


def test_paired_delong_test():
    r1, r2, exp = _paired_curves()
    t = ds.compare_roc(r1, r2)
    assert t.method == "DeLong (paired)"
    assert t.statistic == pytest.approx(exp["delong_paired"]["statistic"], **TOL)
    assert t.p_value == pytest.approx(exp["delong_paired"]["p_value"], **TOL)
    assert (t.estimate.lower, t.estimate.upper) == pytest.approx(tuple(exp["delong_paired"]["diff_ci"]), **TOL)


def test_paired_bootstrap_test_within_monte_carlo_error():
    # pROC's D = diff / SD(replicate differences) with 2000 replicates; the SD of a 2000-replicate
    # bootstrap SD is about SD / sqrt(2 * 2000) = 1.6%, so D differs by about 1.6% * D ~ 0.035 (1 SE).
    # Allow 4 SE: |D - D_pROC| < 0.14, and p-values correspondingly within 0.02.
    r1, r2, exp = _paired_curves()
    t = ds.compare_roc(r1, r2, method="bootstrap", n_boot=2000, seed=1, progress=False)
    assert t.statistic == pytest.approx(exp["bootstrap_paired_2000"]["statistic"], abs=0.14)
    assert t.p_value == pytest.approx(exp["bootstrap_paired_2000"]["p_value"], abs=0.02)
    assert t.estimate.value == pytest.approx(r1.auc.value - r2.auc.value, abs=1e-12)


def _unpaired_curves():
    _, exp = load_fixture("unpaired")
    curves = [ds.roc(data=pd.read_csv(REFERENCE / f"unpaired_{s}.csv"), reference="y", score="score") for s in "ab"]
    return curves, exp


def test_unpaired_delong_test():
    (r1, r2), exp = _unpaired_curves()
    assert [r1.auc.value, r2.auc.value] == pytest.approx(exp["auc"], **TOL)
    t = ds.compare_roc(r1, r2)
    assert t.method == "DeLong (unpaired)"
    assert t.statistic == pytest.approx(exp["delong_unpaired"]["statistic"], **TOL)
    assert t.df == pytest.approx(exp["delong_unpaired"]["parameter"], **TOL)
    assert t.p_value == pytest.approx(exp["delong_unpaired"]["p_value"], **TOL)


def test_unpaired_bootstrap_test_within_monte_carlo_error():
    (r1, r2), exp = _unpaired_curves()
    t = ds.compare_roc(r1, r2, method="bootstrap", n_boot=2000, seed=1, progress=False)
    assert t.method.startswith("bootstrap (unpaired")
    assert t.statistic == pytest.approx(exp["bootstrap_unpaired_2000"]["statistic"], abs=0.12)
    assert t.p_value == pytest.approx(exp["bootstrap_unpaired_2000"]["p_value"], abs=0.02)


def _venkatraman_tolerance(p_proc: float, n_perm: int = 2000) -> float:
    """Two independent 2000-permutation p-values of the same test differ by sd sqrt(2 p (1 - p) / B);
    allow 4 sd, plus 1 / (B + 1) because diagstats counts the observed E as one permutation
    ((1 + #{E_b >= E}) / (B + 1), Phipson & Smyth 2010) where pROC reports #{E_b >= E} / B."""
    return 4 * math.sqrt(2 * p_proc * (1 - p_proc) / n_perm) + 1 / (n_perm + 1)


def test_paired_venkatraman_statistic_exact_and_p_value_within_monte_carlo_error():
    r1, r2, _ = _paired_curves()
    _, exp = load_fixture("venkatraman")
    t = ds.compare_roc(r1, r2, method="venkatraman", n_boot=2000, seed=1, progress=False)
    assert t.method.startswith("Venkatraman & Begg (paired permutation; 2000 permutations, seed 1")
    assert t.statistic == pytest.approx(exp["paired"]["statistic"], **TOL)  # E is deterministic
    p = exp["paired"]["p_value"]
    assert t.p_value == pytest.approx(p, abs=_venkatraman_tolerance(p))  # p = 0.053: |diff| < 0.021
    assert t.estimate.value == pytest.approx(r1.auc.value - r2.auc.value, abs=1e-12)
    delong = ds.compare_roc(r1, r2)
    assert t.estimate.interval == delong.estimate.interval and "DeLong (paired)" in t.estimate.method


def test_unpaired_venkatraman_p_value_within_monte_carlo_error():
    (r1, r2), _ = _unpaired_curves()
    _, exp = load_fixture("venkatraman")
    t = ds.compare_roc(r1, r2, method="venkatraman", n_boot=2000, seed=1, progress=False)
    assert t.method.startswith("Venkatraman (unpaired permutation")
    p = exp["unpaired"]["p_value"]
    assert t.p_value == pytest.approx(p, abs=_venkatraman_tolerance(p))  # p = 0.124: |diff| < 0.030
    assert "DeLong (unpaired)" in t.estimate.method


@pytest.mark.xfail(strict=True, reason=(
    "Known disagreement: diagstats' unpaired E (0.04122) is the exact integral of |e1(t) - e2(t)| over the "
    "mixture quantile t with the pooled proportion diseased as mixing weight, as we read Venkatraman (2000); "
    "pROC 1.18 reports 0.04301. pROC's discretisation could not be derived from the paper or pROC's "
    "documentation (its source is GPL and was not read), and probes with tiny data showed pROC's unpaired E "
    "is not symmetric in the two curves. The p-values agree within Monte-Carlo error (test above)."))
def test_unpaired_venkatraman_statistic_matches_proc():
    (r1, r2), _ = _unpaired_curves()
    _, exp = load_fixture("venkatraman")
    t = ds.compare_roc(r1, r2, method="venkatraman", n_boot=20, seed=1, progress=False)
    assert t.statistic == pytest.approx(exp["unpaired"]["statistic"], **TOL)
