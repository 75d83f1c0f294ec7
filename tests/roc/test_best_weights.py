"""Best thresholds weighted by the cost of a false negative and the prevalence (pROC's ``best.weights``;
Perkins & Schisterman 2006), against pROC 1.18 ``coords(r, "best", best.method=, best.weights=)``, also within
a partial-AUC range. Fixture: tests/reference/roc/best_weights_proc.json (roc_best_weights.R, make_fixtures.sh)
on pROC's aSAH data (s100b, wfns), the tied continuous marker and the 1-5 ratings."""

import math

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import OptionError

from .roc_fixtures import REFERENCE, load_fixture

TOL = dict(rel=1e-6, abs=1e-9)
_, PROC = load_fixture("best_weights")
RANGES = {"full": {}, "specificity_0.5_0.9": dict(specificity_range=(0.5, 0.9)),
          "sensitivity_0.8_1": dict(sensitivity_range=(0.8, 1.0))}
CASES = [(key, i) for key in PROC if key != "versions" for i in range(len(PROC[key]))]


def _curve(key):
    name, score = key.split(":")
    return ds.roc(data=pd.read_csv(REFERENCE / f"{name}.csv"), reference="y", score=score)


@pytest.mark.parametrize(("key", "i"), CASES, ids=[f"{k}-{i}" for k, i in CASES])
def test_weighted_best_threshold_agrees_with_proc(key, i):
    row = PROC[key][i]
    method = row["method"][0].replace(".", "_")
    cut = _curve(key).threshold(method, cost_ratio=row["cost"][0], prevalence=row["prevalence"][0],
                                **RANGES[row["range"][0]])
    assert cut.ties == len(row["threshold"])
    np.testing.assert_allclose(cut.candidates["sensitivity"], row["sensitivity"], **{"rtol": 1e-6, "atol": 1e-9})
    np.testing.assert_allclose(cut.candidates["specificity"], row["specificity"], **{"rtol": 1e-6, "atol": 1e-9})
    for midpoint, expected in zip(cut.candidates["midpoint"], row["threshold"]):
        if expected is None:   # pROC's -Inf / Inf, written as null
            assert not math.isfinite(midpoint)
        else:
            assert midpoint == pytest.approx(expected, **TOL)


def test_equal_weights_are_the_unweighted_criterion():
    """r = (1 - p) / (cost p) = 1 (pROC's default best.weights = c(1, 0.5)) picks the unweighted thresholds."""
    curve = _curve("asah:s100b")
    for method in ("youden", "closest_topleft"):
        plain, weighted = curve.threshold(method), curve.threshold(method, cost_ratio=2, prevalence=1 / 3)
        assert weighted.candidates[["threshold", "sensitivity", "specificity"]].equals(
            plain.candidates[["threshold", "sensitivity", "specificity"]])
        assert any("r = (1 - p) / (cost_ratio p) = 1 " in note for note in weighted.notes)
        assert not any("Perkins" in note for note in plain.notes)


def test_weighted_youden_is_the_cost_criterion():
    """Maximising sens + r spec is minimising cost p (1 - sens) + (1 - p)(1 - spec), so both pick one threshold."""
    curve = _curve("continuous_ties:marker")
    for cost, prevalence in ((2, 0.3), (0.5, 0.1), (4, None)):
        youden = curve.threshold("youden", cost_ratio=cost, prevalence=prevalence)
        cost_rule = curve.threshold("cost", cost_ratio=cost, prevalence=prevalence)
        assert youden.candidates["threshold"].tolist() == cost_rule.candidates["threshold"].tolist()


def test_prevalence_defaults_to_the_sample():
    curve = _curve("asah:wfns")
    sample = curve.n_cases / (curve.n_cases + curve.n_controls)
    by_default = curve.threshold("closest_topleft", cost_ratio=3)
    given = curve.threshold("closest_topleft", cost_ratio=3, prevalence=sample)
    assert by_default.threshold == given.threshold
    assert any("the sample's" in note for note in by_default.notes)


def test_weighted_bootstrap_reselects_with_the_weights():
    curve = _curve("asah:s100b")
    cut = curve.threshold("youden", cost_ratio=0.5, prevalence=0.1, n_boot=200, progress=False)
    plain = curve.threshold("youden", n_boot=200, progress=False)
    assert cut.intervals[2].value == 1.0 and cut.intervals[2].lower > plain.intervals[2].lower


@pytest.mark.parametrize(("options", "argument"), [
    (dict(method="min_sensitivity", value=0.9, cost_ratio=2), "cost_ratio"),
    (dict(method="youden", cost_ratio=0), "cost_ratio"),
    (dict(method="closest_topleft", prevalence=1.0), "prevalence"),
    (dict(method="youden", prevalence=-0.1), "prevalence")])
def test_bad_weights_name_the_argument(options, argument):
    with pytest.raises(OptionError, match=argument):
        _curve("asah:s100b").threshold(**options)
