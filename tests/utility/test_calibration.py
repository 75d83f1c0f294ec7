"""ds.calibration: parity with R (glm, rms::val.prob, loess) and with the published numbers of Steyerberg
et al.'s (2010) testicular cancer case study; the bootstrap band; degenerate and bad input."""

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.special import expit

import diagstats as ds
from diagstats.errors import DataError, OptionError
from diagstats.utility._smoothers import loess_curve
from diagstats.utility.risk_calibration import _weighted_quantiles
from tests.public_data import published, read_public

FILES = {"development": "me_testis_development.csv", "validation": "me_testis_validation.csv"}
TOL = 1e-6


@pytest.fixture(scope="module")
def r_reference(reference_dir):
    return json.loads((reference_dir / "utility" / "calibration.json").read_text())


def fit(which, **kw):
    data = read_public(FILES[which])
    return ds.calibration(data=data, reference="tum_res", probability="p", progress=False, **kw)


@pytest.mark.parametrize("which", FILES)
@pytest.mark.parametrize("curve", ["loess", "logistic"])
def test_matches_r(r_reference, which, curve):
    ref = r_reference[which]
    res = fit(which, curve=curve, n_boot=None, hosmer_lemeshow=True)
    approx = lambda x: pytest.approx(x, rel=TOL, abs=1e-12)  # noqa: E731 (development intercepts are ~1e-15)
    for name in ("calibration_in_the_large", "slope"):
        est = getattr(res, name)
        assert (est.value, est.lower, est.upper) == approx((ref[name]["value"], ref[name]["lower"], ref[name]["upper"]))
    assert res.recalibration_intercept.value == approx(ref["recalibration_intercept"])
    # rms::val.prob's "Intercept" is the recalibration intercept, not calibration-in-the-large
    assert res.recalibration_intercept.value == pytest.approx(ref["val_prob"]["intercept"], rel=TOL, abs=1e-9)
    assert res.slope.value == pytest.approx(ref["val_prob"]["slope"], rel=TOL)
    assert res.brier.value == approx(ref["val_prob"]["brier"])
    assert (res.oe.value, res.oe.lower, res.oe.upper) == approx((ref["oe"], ref["oe_lower"], ref["oe_upper"]))
    assert res.scaled_brier.value == approx(ref["scaled_brier"])
    for name in ("ici", "e50", "e90", "emax"):
        assert getattr(res, name).value == approx(ref[curve][name]), name
    hl = res.hosmer_lemeshow
    assert (hl.statistic, hl.df, hl.p_value) == approx(tuple(ref["hosmer_lemeshow"].values()))
    assert res.n == ref["n"] and res.n_events == ref["events"]


@pytest.mark.parametrize("curve", ["loess", "logistic"])
def test_curve_matches_r_on_its_grid(r_reference, curve):
    ref = r_reference["validation"][curve]
    data = read_public(FILES["validation"])
    p, y = data["p"].to_numpy(), data["tum_res"].to_numpy().astype(float)
    grid = np.array(ref["grid"])
    if curve == "loess":
        values = loess_curve(p, y, np.ones((1, p.size)), grid)[0]
    else:
        fit_ = sm.GLM(y, sm.add_constant(p), family=sm.families.Binomial()).fit()
        values = expit(fit_.params[0] + fit_.params[1] * grid)
        assert fit_.params == pytest.approx(ref["coefficients"], rel=TOL)
    assert values == pytest.approx(ref["curve"], rel=TOL)


def test_profile_intervals_differ_from_mass_confint_only_by_its_spline(r_reference):
    """confint() on a glm interpolates the profile between grid points: within 2e-5 of the exact roots."""
    ref = r_reference["validation"]
    res = fit("validation", n_boot=None)
    for name in ("calibration_in_the_large", "slope"):
        est = getattr(res, name)
        assert est.lower == pytest.approx(ref[name]["confint_lower"], abs=2e-5)
        assert est.upper == pytest.approx(ref[name]["confint_upper"], abs=2e-5)


def test_published_testicular_cancer_numbers():
    """Steyerberg et al. (2010), Epidemiology 21:128-138, Table 2 (and Giardiello's worked example)."""
    val = fit("validation", curve="logistic", n_boot=None)
    dev = fit("development", curve="logistic", n_boot=None)
    citl, slope, oe = val.calibration_in_the_large, val.slope, val.oe
    assert (citl.value, citl.lower, citl.upper) == (published(-0.03, 2), published(-0.34, 2), published(0.29, 2))
    assert (oe.value, oe.lower, oe.upper) == (published(0.99, 2), published(0.86, 2), published(1.14, 2))
    assert (slope.value, slope.lower, slope.upper) == (published(0.74, 2), published(0.51, 2), published(0.99, 2))
    assert (dev.brier.value, val.brier.value) == (published(0.17, 2), published(0.16, 2))
    assert (dev.scaled_brier.value, val.scaled_brier.value) == (published(0.30, 2), published(0.20, 2))
    assert (val.ici.value, val.e50.value, val.e90.value) == (published(0.04, 2), published(0.03, 2), published(0.08, 2))


def test_published_testicular_cancer_c_statistics_and_net_benefit():
    """Steyerberg et al. (2010): c 0.82 (0.78 to 0.85) at development and 0.78 (0.73 to 0.84) at validation;
    net benefit at a threshold of 20% 0.439 for the model and 0.437 for treating all (development)."""
    dev, val = read_public(FILES["development"]), read_public(FILES["validation"])
    c_dev, c_val = ds.roc(dev["tum_res"], dev["p"]).auc, ds.roc(val["tum_res"], val["p"]).auc
    assert (c_dev.value, c_dev.lower, c_dev.upper) == (published(0.82, 2), published(0.78, 2), published(0.85, 2))
    assert (c_val.lower, c_val.upper) == (published(0.73, 2), published(0.84, 2))
    # the validation c is 0.78510 here (DeLong, as ds.roc), printed as 0.78 in the paper: truncated to 2 decimals
    assert np.floor(c_val.value * 100) / 100 == 0.78
    curve = ds.decision_curve(dev, "tum_res", ["p"], thresholds=[0.2], n_boot=None)
    assert curve.net_benefit[:2, 0].tolist() == [published(0.439, 3), published(0.437, 3)]


def test_calibration_in_the_large_is_not_the_recalibration_intercept():
    val = fit("validation", n_boot=None)
    assert val.calibration_in_the_large.name == "calibration-in-the-large"
    assert "slope free" in val.recalibration_intercept.name
    assert abs(val.calibration_in_the_large.value - val.recalibration_intercept.value) > 0.1


def test_profile_interval_inverts_the_likelihood_ratio_test():
    val = fit("validation", n_boot=None)
    data = read_public(FILES["validation"])
    y, lp = data["tum_res"].to_numpy(), np.log(data["p"] / (1 - data["p"])).to_numpy()

    def deviance(b):  # intercept profiled out by statsmodels
        glm = sm.GLM(y, np.ones((y.size, 1)), family=sm.families.Binomial(), offset=b * lp).fit(tol=1e-14)
        return glm.deviance

    for bound in val.slope.interval:
        assert deviance(bound) - deviance(val.slope.value) == pytest.approx(3.841458820694124, rel=1e-8)


def test_bootstrap_band_and_intervals():
    res = fit("validation", curve="logistic", n_boot=400, seed=3)
    assert res.n_boot == 400
    assert np.all(res.lower <= res.observed + 1e-12) and np.all(res.observed <= res.upper + 1e-12)
    for est in (res.ici, res.e50, res.e90, res.emax, res.brier, res.scaled_brier):
        assert est.lower < est.upper and "percentile bootstrap" in est.method
    assert res.brier.contains(res.brier.value)
    again = fit("validation", curve="logistic", n_boot=400, seed=3)
    assert again.to_dict() == res.to_dict()
    frame = res.curve_frame()
    assert list(frame.columns) == ["predicted", "observed", "lower", "upper"] and len(frame) == res.grid.size


def test_bootstrap_replicate_is_the_fit_on_the_resampled_patients():
    """A replicate's case weights give the same curve as refitting on the drawn patients (loess and the ICI)."""
    data = read_public(FILES["validation"])
    p, y = data["p"].to_numpy(), data["tum_res"].to_numpy().astype(float)
    rng = np.random.default_rng(5)
    idx = rng.integers(0, p.size, p.size)
    weights = np.bincount(idx, minlength=p.size)[None].astype(float)
    grid = np.linspace(0.1, 0.9, 9)
    assert loess_curve(p, y, weights, grid) == pytest.approx(loess_curve(p[idx], y[idx], np.ones((1, p.size)), grid),
                                                             rel=1e-10)
    values = rng.random((1, p.size))
    assert _weighted_quantiles(values, weights, (0.5, 0.9))[0] == pytest.approx(np.quantile(values[0][idx], [0.5, 0.9]),
                                                                                 rel=1e-12)


def test_arrays_and_columns_agree_and_labels():
    data = read_public(FILES["validation"])
    by_columns = ds.calibration(data=data, reference="tum_res", probability="p", n_boot=None)
    labels = np.where(data["tum_res"] == 1, "tumour", "necrosis")
    by_arrays = ds.calibration(labels, data["p"].to_numpy(), positive="tumour", n_boot=None)
    assert by_arrays.slope == by_columns.slope and by_arrays.ici == by_columns.ici


def test_frame_print_and_plot():
    res = fit("validation", n_boot=50, hosmer_lemeshow=True)
    frame = res.to_frame()
    assert "calibration slope" in set(frame["measure"]) and "hosmer_lemeshow" in set(frame["measure"])
    text = str(res)
    assert "calibration-in-the-large" in text and "Hosmer-Lemeshow" in text and "arbitrary grouping" in text
    assert "hosmer_lemeshow" not in set(fit("validation", n_boot=None).to_frame()["measure"])
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    assert res.plot(ax=ax) is ax
    assert len(ax.collections) >= 3  # band and the two sets of risk spikes
    plt.close(fig)


def test_constant_predictions_give_an_undefined_slope_with_a_note():
    y = np.array([0, 1, 0, 0, 1, 0, 1, 0])
    res = ds.calibration(y, np.full(8, 0.3), n_boot=50, progress=False)
    assert np.isnan(res.slope.value) and any("all predictions are equal" in n for n in res.notes)
    assert res.observed[0] == pytest.approx(3 / 8) and res.ici.value == pytest.approx(3 / 8 - 0.3)
    assert res.calibration_in_the_large.value == pytest.approx(np.log(3 / 5) - np.log(0.3 / 0.7))


def test_perfect_separation_gives_an_infinite_slope_with_a_note():
    p = np.array([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9])
    y = (p > 0.5).astype(int)
    res = ds.calibration(y, p, n_boot=None)
    assert res.slope.value == np.inf and any("separate the outcomes perfectly" in n for n in res.notes)
    logistic = ds.calibration(y, p, curve="logistic", n_boot=None)
    assert np.isnan(logistic.ici.value) and any("does not exist" in n for n in logistic.notes)


@pytest.mark.parametrize("p, match", [([0.2, 1.2, 0.3, 0.4], "outside"), ([0.2, 0.0, 0.3, 0.4], "exactly 0 or 1"),
                                      ([0.2, 1.0, 0.3, 0.4], "exactly 0 or 1"), ([20, 30, 40, 50], "percentages")])
def test_bad_probabilities_are_refused(p, match):
    with pytest.raises(DataError, match=match):
        ds.calibration([0, 1, 0, 1], p, n_boot=None)


def test_bad_outcome_and_options_are_refused():
    with pytest.raises(DataError, match="y_true"):
        ds.calibration([0, 1, 2, 1], [0.2, 0.5, 0.3, 0.4], n_boot=None)
    with pytest.raises(DataError, match="y_true"):
        ds.calibration([1, 1, 1, 1], [0.2, 0.5, 0.3, 0.4], n_boot=None)
    with pytest.raises(OptionError, match="curve"):
        ds.calibration([0, 1, 0, 1], [0.2, 0.5, 0.3, 0.4], curve="spline", n_boot=None)
    with pytest.raises(OptionError, match="span"):
        ds.calibration([0, 1, 0, 1], [0.2, 0.5, 0.3, 0.4], span=1.5, n_boot=None)
    with pytest.raises(OptionError, match="n_boot"):
        ds.calibration([0, 1, 0, 1], [0.2, 0.5, 0.3, 0.4], n_boot=np.uint64(2**63))
    # long fuzz profile: a huge number of risk groups overflowed numpy's linspace (an IndexError)
    with pytest.raises(OptionError, match="groups=9223372036854775808 must be a whole number of risk groups from 3 "
                                          "to 1000"):
        ds.calibration([0, 1, 0, 1], [0.2, 0.5, 0.3, 0.4], hosmer_lemeshow=True, groups=np.uint64(2**63), n_boot=None)
    with pytest.raises(DataError, match="probability="):
        ds.calibration(data=pd.DataFrame({"y": [0, 1]}), reference="y")
