"""OriginResult.calibration: one-vs-rest calibration of each origin's out-of-fold probability, built on
ds.calibration (whose parity with R is in tests/utility), and Van Hoorde et al.'s (2014) multinomial
recalibration framework, checked against statsmodels' MNLogit, a direct maximisation of the likelihood,
and (for two classes) ds.calibration's intercepts and slope."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize
from scipy.special import expit, log_softmax

import diagstats as ds
from diagstats.errors import ConvergenceError, OptionError
from diagstats.markers.multinomial_recalibration import fit_multinomial_offset, multinomial_recalibration
from diagstats.results import check_contract
from tests.markers.test_origin import cohort


@pytest.fixture(scope="module")
def origin_result():
    return ds.markers.predict_origin(cohort(), ["nlr", "plr"], cv=3, repeats=2, n_boot=20, progress=False)


def test_each_origin_is_ds_calibration_of_its_out_of_fold_probability(origin_result):
    cal = origin_result.calibration(curve="logistic", n_boot=50, seed=4, progress=False)
    assert cal.classes == origin_result.classes
    for origin in origin_result.classes:
        direct = ds.calibration(origin_result.observed == origin, origin_result.probabilities[origin].to_numpy(),
                                curve="logistic", n_boot=50, seed=4, progress=False)
        assert {**cal.by_origin[origin].to_dict(), "seed": ""} == {**direct.to_dict(), "seed": ""}
    assert origin_result.observed.tolist() == cohort()["true_origin"].tolist()


def test_slopes_of_an_overfitted_model_are_below_one():
    """Pure-noise markers: out-of-fold probabilities are too extreme, so calibration slopes fall below 1."""
    data = cohort(n_per=40, shift=(0.0, 0.0, 0.0, 0.0), seed=2)
    data["noise1"], data["noise2"], data["noise3"] = np.random.default_rng(3).normal(size=(3, len(data)))
    res = ds.markers.predict_origin(data, ["nlr", "plr"], covariates=["noise1", "noise2", "noise3"], cv=3,
                                    repeats=2, n_boot=20, progress=False)
    cal = res.calibration(n_boot=None)
    assert all(r.slope.value < 1 for r in cal.by_origin.values())


def test_result_contract_frame_and_plot(origin_result):
    cal = origin_result.calibration(n_boot=30, progress=False)
    check_contract(cal)
    frame = cal.to_frame()
    assert list(frame.columns[:2]) == ["origin", "measure"]
    assert set(frame["origin"]) - {""} == set(origin_result.classes)
    joint = frame[frame["measure"].str.startswith("multinomial")]
    others = set(origin_result.classes[1:])
    assert set(joint["origin"]) - {""} == others and len(joint) == 3 * len(others) + 1
    test = frame[frame["measure"] == "multinomial calibration test"].iloc[0]
    assert test["df"] == len(origin_result.classes) * (len(origin_result.classes) - 1)
    assert test["p_value"] == cal.multinomial.test.p_value
    assert (frame["measure"] == "calibration slope").sum() == len(origin_result.classes)
    assert "every origin's bootstrap resamples the same patients" in cal.notes
    assert "calibration slope" in str(cal) and "breast" in str(cal)
    fig, ax = plt.subplots()
    assert cal.plot(ax=ax, kind="one_vs_rest", band=True) is ax and len(ax.lines) == 1 + len(origin_result.classes)
    plt.close(fig)


def test_same_seed_same_numbers_and_bad_options(origin_result):
    first = origin_result.calibration(n_boot=30, seed=9, progress=False)
    assert first.to_dict() == origin_result.calibration(n_boot=30, seed=9, progress=False).to_dict()
    with pytest.raises(OptionError, match="curve"):
        origin_result.calibration(curve="spline")
    with pytest.raises(OptionError, match="level"):
        origin_result.calibration(level=95)


def _simulated(n: int, shrink: float, shift: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Predictions p (n, 3) and outcomes drawn from the truth softmax(shift + shrink * log ratios of p)."""
    rng = np.random.default_rng(seed)
    p = rng.dirichlet([1.5, 1.5, 1.5], n)
    lp = np.log(p[:, 1:] / p[:, :1])
    truth = np.exp(log_softmax(np.column_stack([np.zeros(n), shift + shrink * lp]), axis=1))
    y = (rng.random(n)[:, None] > np.cumsum(truth, axis=1)).sum(axis=1)
    return p, y


def test_full_recalibration_model_is_statsmodels_mnlogit():
    p, y = _simulated(600, 0.7, 0.3, seed=5)
    res = multinomial_recalibration(p, y, ("a", "b", "c"), level=0.95)
    lp = np.log(p[:, 1:] / p[:, :1])
    fit = sm.MNLogit(y, sm.add_constant(lp)).fit(method="newton", tol=1e-14, maxiter=100, disp=False)
    ours = res.coefficients[["intercept", "LP_b", "LP_c"]].to_numpy()
    np.testing.assert_allclose(ours, np.asarray(fit.params).T, atol=1e-6)
    original = np.log(p[np.arange(y.size), y]).sum()
    assert res.test.statistic == pytest.approx(2 * (fit.llf - original), abs=1e-6)
    assert res.test.df == 6


def _direct(y, design, offset):
    """Maximum likelihood by BFGS on the multinomial log-likelihood written out (an independent fit)."""
    def negative(theta):
        eta = offset + design @ theta
        return -log_softmax(np.column_stack([np.zeros(len(y)), eta]), axis=1)[np.arange(y.size), y].sum()
    return optimize.minimize(negative, np.zeros(design.shape[2]), method="BFGS", options={"gtol": 1e-9}).x


def test_constrained_intercept_and_slope_models_match_a_direct_fit():
    p, y = _simulated(600, 0.6, 0.4, seed=6)
    res = multinomial_recalibration(p, y, ("a", "b", "c"), level=0.95)
    lp = np.log(p[:, 1:] / p[:, :1])
    eye = np.broadcast_to(np.eye(2), (y.size, 2, 2))
    intercepts = _direct(y, eye, lp)
    assert [res.calibration_in_the_large[c].value for c in "bc"] == pytest.approx(intercepts, abs=1e-5)
    slopes = _direct(y, np.concatenate([eye, eye * lp[:, None, :]], axis=2), np.zeros_like(lp))
    assert [res.recalibration_intercept[c].value for c in "bc"] == pytest.approx(slopes[:2], abs=1e-5)
    assert [res.slope[c].value for c in "bc"] == pytest.approx(slopes[2:], abs=1e-5)
    # the truth shrinks the log ratios to 0.6 of the predicted ones: slopes near 0.6, calibration rejected
    assert all(0.4 < res.slope[c].value < 0.8 and res.slope[c].upper < 1 for c in "bc")
    assert res.test.p_value < 1e-6


def test_profile_interval_is_where_the_likelihood_ratio_reaches_the_chi_square_quantile():
    p, y = _simulated(400, 1.0, 0.0, seed=7)
    res = multinomial_recalibration(p, y, ("a", "b", "c"), level=0.9)
    lp = np.log(p[:, 1:] / p[:, :1])
    eye = np.broadcast_to(np.eye(2), (y.size, 2, 2))
    design = np.concatenate([eye, eye * lp[:, None, :]], axis=2)
    best = fit_multinomial_offset(y, design, np.zeros_like(lp))[2]
    others = np.delete(design, 3, axis=2)
    for bound in res.slope["c"].interval:
        at = fit_multinomial_offset(y, others, bound * design[:, :, 3])[2]
        assert 2 * (best - at) == pytest.approx(stats_chi2_90(), abs=1e-6)


def stats_chi2_90() -> float:
    from scipy import stats
    return float(stats.chi2.ppf(0.9, 1))


def test_well_calibrated_predictions_are_not_rejected():
    p, y = _simulated(3000, 1.0, 0.0, seed=8)
    res = multinomial_recalibration(p, y, ("a", "b", "c"), level=0.95)
    assert res.test.p_value > 0.01
    # 3000 patients: standard errors about 0.04 (slopes) and 0.05 (intercepts); within 3 of them of the ideal
    assert all(abs(res.slope[c].value - 1) < 0.15 and abs(res.calibration_in_the_large[c].value) < 0.15 for c in "bc")


def test_two_classes_reduce_to_ds_calibration():
    rng = np.random.default_rng(9)
    p = expit(rng.normal(0, 1.2, 300))
    y = (rng.random(300) < expit(0.3 + 0.7 * np.log(p / (1 - p)))).astype(int)
    res = multinomial_recalibration(np.column_stack([1 - p, p]), y, (0, 1), level=0.95)
    binary = ds.calibration(y, p, n_boot=None)
    for joint, single in ((res.calibration_in_the_large[1], binary.calibration_in_the_large),
                          (res.slope[1], binary.slope),
                          (res.recalibration_intercept[1], binary.recalibration_intercept)):
        assert (joint.value, joint.lower, joint.upper) == pytest.approx((single.value, single.lower, single.upper),
                                                                        abs=1e-7)


def test_separated_origin_is_a_convergence_error_and_a_note():
    p = np.array([[0.8, 0.1, 0.1], [0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8],
                  [0.2, 0.1, 0.7]] * 3)
    y = np.array([0, 0, 1, 1, 2, 2] * 3)
    with pytest.raises(ConvergenceError, match="separated"):
        multinomial_recalibration(p, y, ("a", "b", "c"), level=0.95)


def test_collinear_log_ratios_get_a_note(origin_result):
    one_marker = ds.markers.predict_origin(cohort(), ["nlr"], cv=3, repeats=1, n_boot=20, progress=False)
    cal = one_marker.calibration(n_boot=None)
    assert any("collinear" in note for note in cal.notes)


def test_exactly_collinear_log_ratios_test_the_slope_model():
    """Probabilities of a one-predictor model with 4 classes: 3 log ratios, all linear in one predictor, so the
    full recalibration model is not identified; the test compares the intercept-and-slope model instead."""
    from scipy.special import softmax
    rng = np.random.default_rng(3)
    n = 400
    x = rng.normal(size=n)
    p = softmax(np.column_stack([np.zeros(n), 0.2 + 0.8 * x, -0.3 + 1.5 * x, 0.1 - 0.7 * x]), axis=1)
    y = (rng.random(n)[:, None] > np.cumsum(p, axis=1)).sum(axis=1)
    res = multinomial_recalibration(p, y, ("a", "b", "c", "d"), level=0.95)
    assert res.test.df == 6 and "slopes 1" in res.test.name
    assert res.coefficients[["intercept", "LP_b", "LP_c", "LP_d"]].isna().all().all()
    lp = np.log(p[:, 1:] / p[:, :1])
    eye = np.broadcast_to(np.eye(3), (n, 3, 3))
    slope_fit = fit_multinomial_offset(y, np.concatenate([eye, eye * lp[:, None, :]], axis=2), np.zeros_like(lp))
    original = np.log(p[np.arange(n), y]).sum()
    assert res.test.statistic == pytest.approx(2 * (slope_fit[2] - original), abs=1e-8)
    assert any("not identified" in note for note in res.notes)


def test_a_profile_that_cannot_be_followed_falls_back_to_wald(monkeypatch):
    import diagstats.markers.multinomial_recalibration as module
    p, y = _simulated(300, 0.8, 0.0, seed=10)
    profiled = multinomial_recalibration(p, y, ("a", "b", "c"), level=0.95)

    def separated(*args, **kwargs):
        raise ConvergenceError("the model separates an origin here")

    monkeypatch.setattr(module, "_profile_interval", separated)
    res = multinomial_recalibration(p, y, ("a", "b", "c"), level=0.95)
    for c in "bc":
        wald, profile = res.slope[c], profiled.slope[c]
        assert wald.method == "Wald" and "profile likelihood could not be followed" in wald.notes[0]
        assert wald.value == profile.value and wald.upper - wald.value == pytest.approx(wald.value - wald.lower)
        assert wald.lower == pytest.approx(profile.lower, abs=0.1) and wald.upper == pytest.approx(profile.upper,
                                                                                                     abs=0.1)
