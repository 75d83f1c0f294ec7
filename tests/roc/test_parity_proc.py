"""Parity with pROC 1.18 (R 4.2) on the committed fixtures in tests/reference/roc.

The JSON files were made by /work/shared/oracle/roc.R and roc_unpaired.R (see make_fixtures.sh
there). Closed-form quantities are checked to 1e-6; bootstrap tests within their Monte-Carlo error.
"""

import math

import numpy as np
import pytest

import diagstats as ds

from roc_fixtures import load_fixture

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
