"""Parity with pROC 1.18 (R 4.2, MASS for fitdistr) for the curve's corners, the best threshold within a
partial-AUC range, and the smoothed curves (binormal least squares, density, fitdistr) with coords on them.

Fixture: tests/reference/roc/coords_smooth_proc.json, made by roc_coords_smooth.R (make_fixtures.sh) on
pROC's own aSAH data (s100b, exported to asah.csv), the tied continuous marker and the 1-5 ratings.
"""

import math

import numpy as np
import pandas as pd
import pytest

import diagstats as ds

from .roc_fixtures import REFERENCE, load_fixture

TOL = dict(rel=1e-6, abs=1e-9)
DATA = {"asah": ("y", "s100b"), "continuous_ties": ("y", "marker"), "ordinal": ("y", "rating")}
RANGES = {"specificity_0.8_1": dict(specificity_range=(0.8, 1.0)),
          "specificity_0.5_0.9": dict(specificity_range=(0.5, 0.9)),
          "sensitivity_0.9_1": dict(sensitivity_range=(0.9, 1.0))}
_, PROC = load_fixture("coords_smooth")


def _curve(name):
    reference, score = DATA[name]
    return ds.roc(data=pd.read_csv(REFERENCE / f"{name}.csv"), reference=reference, score=score)


def _thresholds(values):
    return np.array([math.nan if v is None else v for v in values], dtype=float)


def _same_corners(frame, expected):
    assert len(frame) == len(expected["sensitivity"])
    np.testing.assert_allclose(frame["sensitivity"], expected["sensitivity"], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(frame["specificity"], expected["specificity"], rtol=1e-6, atol=1e-9)
    # pROC's thresholds are the midpoints; its -Inf / Inf ends are written as null in the JSON
    finite = np.isfinite(frame["midpoint"].to_numpy())
    np.testing.assert_allclose(frame["midpoint"].to_numpy()[finite], _thresholds(expected["threshold"])[finite],
                               rtol=1e-6, atol=1e-9)
    assert np.isnan(_thresholds(expected["threshold"])[~finite]).all()


@pytest.mark.parametrize("name", DATA)
def test_local_maxima(name):
    _same_corners(_curve(name).local_maxima(), PROC[name]["local_maximas"])


@pytest.mark.parametrize("name", DATA)
@pytest.mark.parametrize("key", RANGES)
def test_local_maxima_within_partial_auc_range(name, key):
    _same_corners(_curve(name).local_maxima(**RANGES[key]), PROC[name][key]["local_maximas"])


@pytest.mark.parametrize("name", DATA)
@pytest.mark.parametrize("key", RANGES)
@pytest.mark.parametrize("method", ["youden", "closest_topleft"])
def test_best_threshold_within_partial_auc_range(name, key, method):
    cut = _curve(name).threshold(method, **RANGES[key])
    expected = PROC[name][key][method]
    assert cut.ties == 1
    assert cut.candidates["midpoint"][0] == pytest.approx(expected["threshold"], **TOL)
    assert cut.sensitivity == pytest.approx(expected["sensitivity"], **TOL)
    assert cut.specificity == pytest.approx(expected["specificity"], **TOL)
    assert any("chosen among the thresholds" in note for note in cut.notes)


def _smooth(name, method):
    return _curve(name).smooth(method, fit="least_squares") if method == "binormal" else _curve(name).smooth(method)


@pytest.mark.parametrize("name", DATA)
@pytest.mark.parametrize("method", ["binormal", "density", "fitdistr"])
def test_smoothed_curve_and_auc(name, method):
    sm, expected = _smooth(name, method), PROC[name][f"smooth_{method}"]
    np.testing.assert_allclose(sm.sensitivities, expected["sensitivities"], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(sm.specificities, expected["specificities"], rtol=1e-6, atol=1e-9)
    assert sm.auc.value == pytest.approx(expected["auc"], **TOL)


@pytest.mark.parametrize("name", DATA)
@pytest.mark.parametrize("method", ["binormal", "density", "fitdistr"])
def test_coords_on_smoothed_curve(name, method):
    sm, expected = _smooth(name, method), PROC[name][f"smooth_{method}"]
    at_spec, at_sens = expected["sensitivity_at_specificity"], expected["specificity_at_sensitivity"]
    for spec, sens in zip(at_spec["specificity"], at_spec["sensitivity"]):
        assert sm.sensitivity_at(spec).value == pytest.approx(sens, **TOL)
    for sens, spec in zip(at_sens["sensitivity"], at_sens["specificity"]):
        assert sm.specificity_at(sens).value == pytest.approx(spec, **TOL)
    for method_name in ("youden", "closest_topleft"):
        best, exp = sm.best(method_name), expected[f"best_{method_name}"]
        assert (best.sensitivity, best.specificity) == pytest.approx((exp["sensitivity"], exp["specificity"]), **TOL)
        assert math.isnan(best.threshold)


@pytest.mark.parametrize("name", DATA)
def test_fitted_parameters(name):
    binormal = _smooth(name, "binormal")
    c0, c1 = PROC[name]["smooth_binormal"]["coefficients"]   # pROC's lm(qnorm(sp) ~ qnorm(se))
    assert binormal.parameters[0].value == pytest.approx(-c0 / c1, **TOL)
    assert binormal.parameters[1].value == pytest.approx(-1 / c1, **TOL)
    fits = PROC[name]["smooth_fitdistr"]["fits"]
    parameters = _smooth(name, "fitdistr").parameters
    assert [p.value for p in parameters] == pytest.approx(fits["controls"] + fits["cases"], **TOL)
    half_widths = [(p.upper - p.lower) / 2 / 1.959963984540054 for p in parameters]
    assert half_widths == pytest.approx(fits["controls_se"] + fits["cases_se"], **TOL)
    assert _smooth(name, "density").parameters[0].value == pytest.approx(PROC[name]["nrd0"], **TOL)


@pytest.mark.parametrize("method", ["binormal", "density", "fitdistr"])
def test_a_lower_is_diseased_score_smooths_to_the_same_curve(method):
    # pROC 1.18 gives the same smoothed AUC and coords for roc(y, -s100b, direction = ">") as for
    # the fixture's direction "<" (0.740012862077, 0.724355068396, 0.831051375176; checked in R)
    data = pd.read_csv(REFERENCE / "asah.csv").assign(negated=lambda d: -d["s100b"])
    roc = ds.roc(data=data, reference="y", score="negated", direction="lower")
    sm = roc.smooth(method, fit="least_squares") if method == "binormal" else roc.smooth(method)
    expected = PROC["asah"][f"smooth_{method}"]
    assert sm.auc.value == pytest.approx(expected["auc"], **TOL)
    np.testing.assert_allclose(sm.sensitivities, expected["sensitivities"], rtol=1e-6, atol=1e-9)
