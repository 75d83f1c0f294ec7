"""OriginResult.calibration: one-vs-rest calibration of each origin's out-of-fold probability
(Van Hoorde et al. 2014), built on ds.calibration (whose parity with R is in tests/utility)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import diagstats as ds
from diagstats.errors import OptionError
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
    assert set(frame["origin"]) == set(origin_result.classes)
    assert (frame["measure"] == "calibration slope").sum() == len(origin_result.classes)
    assert "every origin's bootstrap resamples the same patients" in cal.notes
    assert "calibration slope" in str(cal) and "breast" in str(cal)
    fig, ax = plt.subplots()
    assert cal.plot(ax=ax, band=True) is ax and len(ax.lines) == 1 + len(origin_result.classes)
    plt.close(fig)


def test_same_seed_same_numbers_and_bad_options(origin_result):
    first = origin_result.calibration(n_boot=30, seed=9, progress=False)
    assert first.to_dict() == origin_result.calibration(n_boot=30, seed=9, progress=False).to_dict()
    with pytest.raises(OptionError, match="curve"):
        origin_result.calibration(curve="spline")
    with pytest.raises(OptionError, match="level"):
        origin_result.calibration(level=95)
