"""Regression tests for what the fuzz suite (tests/fuzz) found in the blood-marker functions."""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import OptionError


def test_empty_data_with_groups_is_refused_naming_the_reference():
    """Found by the fuzz suite: with groups= and no rows, discriminate raised numpy's TypeError
    "ufunc 'invert' not supported" (the mask of excluded patients was an empty float array)."""
    data = pd.DataFrame({"plr": [], "diagnosis": []})
    with pytest.raises(ds.DataError, match="reference"):
        ds.markers.discriminate(data, ["plr"], reference="diagnosis", positive="yes",
                                groups={"no": ["x"], "yes": ["y"]}, cv=2, n_boot=20, progress=False)


def _fuzz_data(key):
    """A blood-marker frame the fuzz suite drew (the columns the call uses), from fuzz_findings_data.json."""
    import json
    from pathlib import Path

    frame = pd.DataFrame(json.loads((Path(__file__).with_name("fuzz_findings_data.json")).read_text())[key])
    for marker in {"nlr", "plr"} & set(frame.columns):  # null is NaN, "inf" infinity
        frame[marker] = frame[marker].astype(float)
    return frame


def _no_warnings(call):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call()


def test_predict_origin_auc_interval_is_clipped_to_0_1_with_a_note():
    """Found by the fuzz suite (KNOWN_OPEN 'normal_interval_range'): predict_origin's one-vs-rest AUC normal
    intervals went past 0 and 1 on 20 patients; they are clipped, the estimates kept, with a note."""
    res = ds.markers.predict_origin(_fuzz_data("origin_auc_past_1"), reference="origin", repeats=1, n_boot=20,
                                    progress=False, markers=["plr", "nlr"], cv=2, C=1.0, nan_policy="raise")
    lung = res.auc["lung"]
    assert (lung.lower, lung.upper) == (pytest.approx(0.286, abs=5e-4), 1.0)
    assert lung.value == pytest.approx(0.78, abs=5e-3)
    assert res.auc["breast"].lower == 0.0 and res.auc["prostate"].lower == 0.0
    note = "AUC interval for 'lung' clipped to [0, 1] (the normal interval was 0.286 to 1.274)"
    assert note in res.notes and note in lung.notes
    assert "AUC interval for 'breast' clipped to [0, 1] (the normal interval was -0.248 to 0.652)" in res.notes
    frame = res.to_frame()
    aucs = frame[frame["measure"] == "auc_one_vs_rest"]
    assert aucs["lower"].min() >= 0 and aucs["upper"].max() <= 1


def test_predict_origin_log_loss_lower_bound_is_clipped_to_0_with_a_note():
    """Found by the fuzz suite (KNOWN_OPEN 'normal_interval_range'): the log-loss lower bound was -8.44."""
    res = ds.markers.predict_origin(_fuzz_data("origin_log_loss_below_0"), reference="origin", repeats=1,
                                    n_boot=20, progress=False, markers=["nlr", "plr"], cv=2)
    assert res.log_loss.lower == 0.0 and res.log_loss.upper == pytest.approx(10.664, abs=5e-4)
    assert "log-loss interval clipped to [0, inf) (the normal interval was -8.437 to 10.664)" in res.notes
    assert res.accuracy.notes == () and 0 <= res.accuracy.lower  # what was in range is untouched


def test_predict_origin_origin_absent_from_a_training_fold_warns_nothing_and_says_so():
    """Found by the fuzz suite (KNOWN_OPEN 'dependency_warnings'): numpy's "divide by zero encountered in log"
    reached the user when a bootstrap resample left an origin out of a training fold (prevalence-only
    probability 0); it is counted as machine epsilon, as the model's probabilities are, with a note."""
    import math

    res = _no_warnings(lambda: ds.markers.predict_origin(
        _fuzz_data("origin_absent_in_training_fold"), reference="origin", repeats=1, n_boot=20, progress=False,
        markers=["plr", "nlr"], cv=3))
    assert math.isfinite(res.baseline_log_loss.lower) and math.isfinite(res.baseline_log_loss.upper)
    assert any(n.startswith("in 2 of 40 bootstrap cross-validations an origin was absent from a training fold")
               for n in res.notes)


def test_discriminate_optimism_corrected_sensitivity_is_clipped_to_0_with_a_note():
    """Found by the fuzz suite (KNOWN_OPEN 'normal_interval_range'): an optimism-corrected sensitivity of
    -0.0077 (apparent minus mean bootstrap optimism)."""
    res = ds.markers.discriminate(_fuzz_data("discriminate_sensitivity_below_0"), reference="diagnosis",
                                  positive="yes", n_boot=20, progress=False, markers=["nlr", "plr"], cv=2,
                                  groups={"no": ["myeloma"], "yes": ["lymphoma", "metastasis"]})
    corrected = res.markers["nlr"].sensitivity_corrected
    assert corrected.value == 0.0
    note = "optimism-corrected sensitivity of 'nlr' clipped to 0 (the unclipped value was -0.008)"
    assert note in res.notes and note in corrected.notes
    assert res.markers["plr"].sensitivity_corrected.notes == ()


def test_predict_origin_with_a_covariance_not_positive_raises_without_a_warning():
    """Found by the fuzz suite's long profile (KNOWN_OPEN 'dependency_warnings'): statsmodels' "invalid value
    encountered in sqrt" (MNLogit standard errors of a covariance that is not positive definite) reached the user
    before the ConvergenceError that refuses those NaN standard errors."""
    with pytest.raises(ds.ConvergenceError, match="did not converge.*drop a predictor"):
        _no_warnings(lambda: ds.markers.predict_origin(
            _fuzz_data("origin_mnlogit_covariance_not_positive"), reference="origin", repeats=1, n_boot=20,
            progress=False, markers=["plr"], cv=2, C=1.0, level=np.float32(0.95), nan_policy="raise"))


def test_predict_origin_refuses_an_infinite_marker():
    """Found by the fuzz suite's long profile (KNOWN_OPEN 'dependency_warnings'): an infinite nlr reached the
    model and numpy's "invalid value encountered in matmul"; it is refused naming the marker and the fix."""
    with pytest.raises(ds.DataError, match="marker 'nlr' has 1 infinite value.*nan_policy='omit'"):
        _no_warnings(lambda: ds.markers.predict_origin(_fuzz_data("origin_infinite_marker"), reference="origin",
                                                       repeats=1, n_boot=20, progress=False, markers=["nlr"], cv=3))


def test_predict_origin_odds_ratio_interval_reaching_infinity_is_noted_without_overflow():
    """Found by the fuzz suite's long profile (KNOWN_OPEN 'dependency_warnings'): numpy's "overflow encountered in
    exp" for an odds ratio whose log-scale standard error is 7e7; the bound is infinite, with a note."""
    res = _no_warnings(lambda: ds.markers.predict_origin(
        _fuzz_data("origin_odds_ratio_overflow"), reference="origin", repeats=1, n_boot=20, progress=False,
        markers=["plr", "nlr"], cv=2, C=1.0, level=0.5))
    row = res.odds_ratios.iloc[0]
    assert (row["origin"], row["term"], row["lower"], row["upper"]) == ("lung", "log(plr)", 0.0, np.inf)
    assert any(n.startswith("the odds ratio of log(plr) for 'lung' vs 'breast' has a Wald interval reaching "
                            "infinity") for n in res.notes)
    assert np.isfinite(res.odds_ratios.iloc[1:][["odds_ratio", "lower", "upper"]].to_numpy()).all()


def test_discriminate_without_any_converged_bootstrap_model_warns_nothing_and_names_markers():
    """Found by the fuzz suite's long profile (KNOWN_OPEN 'dependency_warnings'): numpy's "Mean of empty slice"
    when no bootstrap refit of the model converged, then a ConvergenceError naming no argument."""
    with pytest.raises(ds.ConvergenceError, match=r"markers=.*cv="):
        _no_warnings(lambda: ds.markers.discriminate(
            _fuzz_data("discriminate_all_model_fits_fail"), reference="diagnosis", positive="yes", n_boot=20,
            progress=False, markers=["plr", "nlr"], cv=3, level=0.99,
            groups={"no": ["myeloma"], "yes": ["lymphoma", "metastasis"]}))


def test_discriminate_fold_not_converged_names_markers_and_cv():
    """Found by the fuzz suite's long profile: "The logistic model did not converge in some cross-validation fold"
    named no argument."""
    with pytest.raises(ds.ConvergenceError, match=r"Drop a marker from markers= .* use fewer folds \(cv=\)"):
        ds.markers.discriminate(_fuzz_data("discriminate_fold_not_converged"), reference="diagnosis", positive="yes",
                                n_boot=20, progress=False, markers=["plr", "nlr"], cv=2, level=0.999999,
                                nan_policy="raise", groups={"no": ["myeloma"], "yes": ["lymphoma", "metastasis"]})


@pytest.mark.parametrize("C", [float("inf"), True])
def test_predict_origin_refuses_an_infinite_or_boolean_penalty(C):
    # found by the long fuzz profile: C=inf and C=True were accepted
    data = ds.simulate.cohort(200, seed=1)
    with pytest.raises(OptionError, match="C="):
        ds.markers.predict_origin(data.assign(nlr=data["neutrophils"] / data["lymphocytes"]), markers=["nlr"], C=C,
                                  n_boot=20, progress=False)


def test_youden_threshold_outside_its_percentile_interval_says_why():
    # found by the long fuzz profile: an unstable cutpoint lay outside its bootstrap interval with no note
    nlr = [5.87, 4.95, 3.97, 5.01, 7.59, 17.53, 1.07, 5.28, 5.5, 2.35, 5.65, 5.87, 4.52, 10.16, 3.43, 2.08, 3.33,
           0.77, 4.28, 3.66]
    group = ["m", "m", "m", "b", "m", "b", "m", "m", "b", "m", "b", "b", "m", "m", "b", "b", "m", "m", "m", "m"]
    res = ds.markers.discriminate(pd.DataFrame({"group": group, "nlr": nlr}), markers=["nlr"], reference="group",
                                  positive="m", n_boot=50, level=0.5, progress=False)
    threshold = res.markers["nlr"].threshold
    assert not threshold.lower <= threshold.value <= threshold.upper
    assert any(f"here the estimate {threshold.value:.4g} lies outside it" in n for n in threshold.notes)
