"""Van Hoorde et al.'s (2014) flexible multinomial calibration curves, regression-spline variant: the fitted
probabilities of the multinomial logit on natural cubic splines of the log ratios against R's
nnet::multinom(y ~ ns(LP_2, df) + ...) (tests/reference/markers/multinomial_curves.json, made by
multinomial_curves.R from make_multinomial_curves_csv.py), the smoothing spline drawn through them against
scipy's make_smoothing_spline and its own degrees of freedom, and the curves in OriginResult.calibration()."""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.interpolate import make_smoothing_spline
from scipy.special import log_softmax

import diagstats as ds
from diagstats._core.splines import smoothing_spline
from diagstats.errors import ConvergenceError, DataError, OptionError
from diagstats.markers.multinomial_calibration_curves import SMOOTHING_DF, flexible_calibration_curves
from diagstats.markers.origin_calibration import calibrate_origins
from tests.markers.test_origin import cohort

HERE = Path(__file__).parents[1] / "reference" / "markers"


def _fixture_sets():
    data = pd.read_csv(HERE / "multinomial_curves.csv")
    for fit in json.loads((HERE / "multinomial_curves.json").read_text())["fits"]:
        rows = data[data["set"] == fit["set"]]
        k = 3 if fit["set"] == "three" else 4
        yield fit, rows[[f"p{j + 1}" for j in range(k)]].to_numpy(), rows["y"].to_numpy()


@pytest.mark.parametrize("index", [0, 1, 2])
def test_fitted_probabilities_are_those_of_r_multinom_on_natural_splines(index):
    """R: nnet::multinom(y ~ ns(lr1, df) + ns(lr2, df) [+ ns(lr3, df)]); the third set has collinear log ratios
    (four origins from two predictors), whose spline columns are collinear too: the fitted probabilities are
    unique all the same."""
    fit, p, y = list(_fixture_sets())[index]
    res = flexible_calibration_curves(p, y, tuple("abcd"[:p.shape[1]]), df=fit["df"])
    ours = res.recalibrated.to_numpy()
    np.testing.assert_allclose(ours, np.array(fit["fitted"]), atol=1e-6)
    assert np.log(ours[np.arange(y.size), y]).sum() == pytest.approx(fit["loglik"], abs=1e-6)
    assert res.df == fit["df"]
    collinear = fit["set"] == "four"
    assert (res.rank < (p.shape[1] - 1) * fit["df"]) == collinear
    assert any("collinear" in note for note in res.notes) == collinear


def test_one_degree_of_freedom_is_the_linear_recalibration_model():
    fit, p, y = next(_fixture_sets())
    res = flexible_calibration_curves(p, y, ("a", "b", "c"), df=1)
    linear = sm.MNLogit(y, sm.add_constant(np.log(p[:, 1:] / p[:, :1]))).fit(method="newton", tol=1e-14,
                                                                                maxiter=100, disp=False)
    np.testing.assert_allclose(res.recalibrated.to_numpy(), linear.predict(), atol=1e-8)


def test_curves_follow_the_diagonal_for_calibrated_predictions_and_leave_it_for_overfitted_ones():
    rng = np.random.default_rng(3)
    p = rng.dirichlet([2, 2, 2], 3000)
    lp = np.log(p[:, 1:] / p[:, :1])

    def draw(shrink):
        truth = np.exp(log_softmax(np.column_stack([np.zeros(3000), shrink * lp]), axis=1))
        return (rng.random(3000)[:, None] > np.cumsum(truth, axis=1)).sum(axis=1)

    def central_gap(res):
        frame = res.frame[(res.frame["predicted"] > 0.15) & (res.frame["predicted"] < 0.6)]
        return float(np.abs(frame["observed"] - frame["predicted"]).max())

    assert central_gap(flexible_calibration_curves(p, draw(1.0), ("a", "b", "c"))) < 0.05
    # the truth flattens the log ratios to 0.3 of the predicted ones: at 0.6 the truth is near 0.4
    assert central_gap(flexible_calibration_curves(p, draw(0.3), ("a", "b", "c"))) > 0.1


def test_the_curve_is_the_penalised_spline_with_the_asked_degrees_of_freedom():
    rng = np.random.default_rng(4)
    x = rng.uniform(0, 1, 30)
    y = np.sin(4 * x) + rng.normal(0, 0.3, 30)
    fit = smoothing_spline(x, y, 4.0)
    # every distinct x a knot (30 <= MAX_KNOTS): the exact smoothing spline, as scipy computes it at the same lambda
    # (lambda is that of x rescaled to [0, 1])
    order, scaled = np.argsort(x), (x - x.min()) / (x.max() - x.min())
    exact = make_smoothing_spline(scaled[order], y[order], lam=fit.lam)
    np.testing.assert_allclose(fit.curve(x), exact(scaled), atol=1e-8)
    # lambda depends on x alone: fitting the unit vectors gives the smoother matrix, whose trace is the df
    smoother = np.column_stack([smoothing_spline(x, np.eye(30)[i], 4.0).curve(x) for i in range(30)])
    assert np.trace(smoother) == pytest.approx(4.0, abs=1e-8)
    # a straight line is not penalised: reproduced whatever the smoothing
    np.testing.assert_allclose(smoothing_spline(x, 2 - 3 * x, 2.5).curve(x), 2 - 3 * x, atol=1e-8)


def test_too_few_patients_and_too_many_degrees_of_freedom_are_refused_with_the_fix():
    fit, p, y = next(_fixture_sets())
    small = np.r_[np.flatnonzero(y == 0)[:40], np.flatnonzero(y == 1)[:40], np.flatnonzero(y == 2)[:5]]
    with pytest.raises(DataError, match=r"df=2.*'c' \(5\).*smaller df"):
        flexible_calibration_curves(p[small], y[small], ("a", "b", "c"))
    # four distinct prediction vectors: each log ratio has 4 values, too few for 5 interior knots
    patterns = np.array([[0.2, 0.3, 0.5], [0.5, 0.3, 0.2], [0.3, 0.4, 0.3], [0.6, 0.1, 0.3]])
    tied = patterns[np.arange(y.size) % 4]
    with pytest.raises(OptionError, match="df=6 is too many.*df=1"):
        flexible_calibration_curves(tied, y, ("a", "b", "c"), df=6)


@pytest.fixture(scope="module")
def origin_result():
    return ds.markers.predict_origin(cohort(), ["nlr", "plr"], cv=3, repeats=2, n_boot=20, progress=False)


def test_origin_calibration_carries_the_curves_and_plots_them(origin_result):
    cal = origin_result.calibration(n_boot=None)
    classes = origin_result.classes
    assert list(cal.curves.columns) == ["origin", "predicted", "observed"]
    assert list(cal.curves["origin"].unique()) == list(classes)
    assert cal.flexible.recalibrated.shape == (len(origin_result.observed), len(classes))
    np.testing.assert_allclose(cal.flexible.recalibrated.sum(axis=1), 1.0)
    direct = flexible_calibration_curves(origin_result.probabilities.to_numpy(),
                                         pd.Index(classes).get_indexer(origin_result.observed), tuple(classes))
    pd.testing.assert_frame_equal(cal.curves, direct.frame)
    assert "flexible multinomial calibration curves" in str(cal)
    assert "flexible" in cal.to_dict() and f"{SMOOTHING_DF:g}" in ds.markers.multinomial_calibration_curves.__doc__
    fig, ax = plt.subplots()
    assert cal.plot(ax=ax) is ax
    curves = [line for line in ax.lines if line.get_label() in {str(c) for c in classes}]
    assert len(curves) == len(classes) and "flexible multinomial" in ax.get_title()
    plt.close(fig)
    with pytest.raises(OptionError, match="kind"):
        cal.plot(kind="binned")


def test_explicit_df_is_checked_and_the_default_leaves_small_origins_out_with_a_note(origin_result):
    with pytest.raises(OptionError, match="df"):
        origin_result.calibration(n_boot=None, df=0)
    with pytest.raises(OptionError, match="df"):
        origin_result.calibration(n_boot=None, df=2.5)
    assert origin_result.calibration(n_boot=None, df=3).flexible.df == 3
    small = ds.markers.predict_origin(cohort(n_per=6), ["nlr"], cv=2, repeats=1, n_boot=20, progress=False)
    with pytest.raises(DataError, match="too few patients"):
        small.calibration(n_boot=None, df=2)
    cal = small.calibration(n_boot=None)
    assert cal.flexible is None and cal.curves.empty
    assert any(note.startswith("no flexible multinomial calibration curves: too few patients") for note in cal.notes)
    fig, ax = plt.subplots()
    assert "no flexible multinomial curves" in cal.plot(ax=ax).get_title()
    plt.close(fig)


def test_an_origin_separated_by_its_probabilities_is_refused_directly_and_noted_in_the_origin_calibration():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 300)
    third = np.where(y == 2, 0.6, 0.05) + 0.2 * rng.random(300)     # origin c: above 0.6 exactly when it is c
    share = rng.uniform(0.3, 0.7, 300)
    p = np.column_stack([(1 - third) * share, (1 - third) * (1 - share), third])
    with pytest.raises(ConvergenceError, match="separated"):
        flexible_calibration_curves(p, y, ("a", "b", "c"))
    cal = calibrate_origins(pd.DataFrame(p, columns=list("abc")), np.array(list("abc"))[y], ("a", "b", "c"), "origin",
                            curve="logistic", n_boot=None, level=0.95, seed=0, progress=False)
    assert cal.flexible is None and cal.curves.empty
    assert any(note.startswith("no flexible multinomial calibration curves: the spline recalibration model")
               for note in cal.notes)


def test_predictions_too_close_to_tell_apart_neither_break_the_curve_nor_fake_one():
    # before: a ValueError from scipy's root finder (found by the fuzz suite): two predicted probabilities 1.3e-8
    # apart made the penalty numerically indefinite and the degrees of freedom impossible to bracket
    x = np.repeat([0.45454545, 0.51176282, 0.55966898, 0.99999999, 1.0], [8, 1, 11, 1, 2])
    y = np.linspace(0.2, 0.9, x.size)
    with pytest.raises(ds.DataError, match="too few for a smoothing spline with 4 degrees of freedom"):
        smoothing_spline(x, y, 4.0)
    fit = smoothing_spline(x, y, 3.0)   # four values it can tell apart: 3 degrees of freedom are possible
    assert np.isfinite(fit.curve(x)).all()
    rng = np.random.default_rng(5)
    x = np.r_[rng.uniform(0.1, 0.9, 40), 0.9 + 1e-9]
    fit = smoothing_spline(x, np.sin(4 * x), 4.0)
    assert np.isfinite(fit.curve(x)).all() and np.min(np.diff(fit.knots)) >= 1e-4
