"""ds.pathway.evaluate on small hand-counted data, observed data, and bad input naming the step."""

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import ColumnError, DataError, OptionError
from diagstats.pathway import Step, Strategy
from diagstats.results import check_contract

matplotlib.use("Agg")

#: 8 patients: the truth, an MRI, a first biopsy (None: non-diagnostic) and a repeat, a known cancer.
PATIENTS = pd.DataFrame({
    "truth":     [1, 1, 1, 1, 0, 0, 0, 0],
    "mri":       [1, 1, 1, 0, 1, 1, 0, 0],
    "xray":      [1, 0, 0, 0, 1, 0, 0, 0],
    "biopsy_nd": [0, 1, 0, 0, 0, 0, 0, 0],
    "biopsy":    ["malignant", None, "benign", "malignant", "benign", "malignant", "benign", "benign"],
    "repeat_nd": [0, 0, 0, 0, 0, 0, 0, 0],
    "repeat":    ["malignant", "malignant", "benign", "benign", "benign", "benign", "benign", "benign"],
    "known_cancer": [False, False, False, False, True, False, False, False],
})


def biopsies(when):
    return [Step("biopsy", cost=1000, kind="biopsy", when=when, positive="malignant", nondiagnostic="biopsy_nd"),
            Step("repeat", cost=1000, kind="biopsy", when="nondiagnostic(biopsy)", positive="malignant",
                 nondiagnostic="repeat_nd")]


MRI_BIOPSY = Strategy("MRI then biopsy", [Step("mri", cost=100), *biopsies("mri")], positive="biopsy or repeat")
XRAY = Strategy("X-ray", [Step("xray", cost=10)], positive="xray")


def test_hand_counted_accuracy_yield_and_cost():
    res = ds.pathway.evaluate(PATIENTS, [MRI_BIOPSY, XRAY], reference="truth")
    # MRI positive: patients 0, 1, 2, 4, 5 get a biopsy; patient 1's is non-diagnostic, so a repeat (malignant).
    # Calls malignant: 0 (biopsy), 1 (repeat), 5 (biopsy, a false positive); patient 2 benign biopsy, 3 MRI negative.
    acc = res.accuracy[0]
    assert (acc.tp, acc.fn, acc.fp, acc.tn) == (2, 2, 1, 3)
    yields = res.yields[0]
    assert yields["tests_per_100"].value == 100
    assert yields["biopsies_per_100"].value == pytest.approx(600 / 8)
    assert yields["nondiagnostic_biopsies_per_100"].value == pytest.approx(100 / 8)
    assert yields["missed_per_1000"].value == pytest.approx(2000 / 8)
    assert yields["cost_per_patient"].value == pytest.approx((8 * 100 + 6 * 1000) / 8)
    assert yields["cost_per_correct_diagnosis"].value == pytest.approx((8 * 100 + 6 * 1000) / 5)
    flow = res.flow.set_index(["strategy", "step"])
    assert flow.loc[("MRI then biopsy", "biopsy"), ["ordered", "done", "positive", "negative", "nondiagnostic"]
                    ].tolist() == [5, 5, 2, 2, 1]
    assert flow.loc[("MRI then biopsy", "repeat"), "done"] == 1
    check_contract(res)


def test_paired_accuracy_differences_are_those_of_compare_tests_on_the_final_calls():
    rng = np.random.default_rng(4)
    n = 400
    truth = rng.random(n) < 0.4
    data = pd.DataFrame({"truth": truth, "mri": (truth & (rng.random(n) < 0.9)) | (rng.random(n) < 0.1),
                         "xray": (truth & (rng.random(n) < 0.6)) | (rng.random(n) < 0.15)}).astype(int)
    res = ds.pathway.evaluate(data, [Strategy("MRI", [Step("mri", cost=400)], positive="mri"), XRAY],
                              reference="truth")
    direct = ds.compare_tests(data, tests=["xray", "mri"], reference="truth")
    for measure in ("sensitivity", "specificity", "ppv", "npv"):
        ours, theirs = res.comparisons[0][measure].difference, direct[measure].difference
        assert (ours.value, ours.lower, ours.upper) == pytest.approx((theirs.value, theirs.lower, theirs.upper))
    # the paired cost difference is constant (-390 per patient): a zero-width interval
    cost = res.yield_differences[0]["cost_per_patient"]
    assert (cost.value, cost.lower, cost.upper) == pytest.approx((-390, -390, -390))
    # missed per 1,000: the paired Wald interval of the per-patient differences
    d = 1000.0 * ((data["truth"] == 1) & (data["xray"] == 0)).astype(float) \
        - 1000.0 * ((data["truth"] == 1) & (data["mri"] == 0)).astype(float)
    missed = res.yield_differences[0]["missed_per_1000"]
    half = 1.959963984540054 * d.std(ddof=1) / math.sqrt(n)
    assert (missed.value, missed.lower, missed.upper) == pytest.approx((d.mean(), d.mean() - half, d.mean() + half))


def test_cost_per_correct_diagnosis_interval_is_the_delta_method_of_a_ratio_of_means():
    res = ds.pathway.evaluate(PATIENTS, MRI_BIOPSY, reference="truth")
    cost = np.array([1100, 2100, 1100, 100, 1100, 1100, 100, 100], dtype=float)  # MRI 100, each biopsy 1000
    correct = np.array([1, 1, 0, 0, 1, 0, 1, 1], dtype=float)
    r = cost.mean() / correct.mean()
    u = (cost - r * correct) / correct.mean()
    half = 1.959963984540054 * u.std(ddof=1) / math.sqrt(8)
    est = res.yields[0]["cost_per_correct_diagnosis"]
    assert (est.value, est.lower, est.upper) == pytest.approx((r, r - half, r + half))


def test_known_cancer_skips_the_biopsy_and_is_called_on_imaging():
    skip = Strategy("skip", [Step("mri", cost=100), *biopsies("mri and not known_cancer")],
                    positive="biopsy or repeat or (mri and known_cancer)")
    res = ds.pathway.evaluate(PATIENTS, [MRI_BIOPSY, skip], reference="truth")
    assert res.accuracy[1].fp == 2            # patient 4 (known cancer, positive MRI, benign) is now called malignant
    assert res.yield_differences[0]["biopsies_per_100"].value == pytest.approx(-100 / 8)


def test_observed_data_use_only_what_was_done_and_say_so():
    observed = PATIENTS.assign(mri=[1, np.nan, 1, 0, 1, 1, 0, 0])  # patient 1 had no MRI
    res = ds.pathway.evaluate(observed, MRI_BIOPSY, reference="truth")
    assert res.flow.loc[0, "unavailable"] == 1
    assert res.accuracy[0].tp == 1            # without the MRI, patient 1 gets no biopsy and is missed
    assert res.yields[0]["cost_per_patient"].value == pytest.approx((7 * 100 + 4 * 1000) / 8)
    assert any("can only use what was done" in n and "mri: 1" in n for n in res.notes)


def test_labels_of_the_reference_and_the_baseline():
    data = PATIENTS.assign(diagnosis=np.where(PATIENTS["truth"] == 1, "metastasis", "benign"))
    res = ds.pathway.evaluate(data, [MRI_BIOPSY, XRAY], reference="diagnosis", positive=["metastasis"],
                              baseline="X-ray")
    assert res.baseline == "X-ray" and res.comparisons[0].names == ("MRI then biopsy", "X-ray")
    assert res.n_diseased == 4
    frame = res.to_frame()
    assert set(frame.loc[frame["compared_with"] == "X-ray", "strategy"]) == {"MRI then biopsy"}


@pytest.mark.parametrize("baseline", ["CT", np.array([0.5, 0.5]), ["X-ray"], 3])
def test_a_baseline_that_is_not_a_strategy_name_is_refused(baseline):
    """Long fuzz profile: an array baseline reached `in` on the names and raised numpy's ValueError."""
    with pytest.raises(ds.OptionError, match="baseline=.* is not one of the strategies"):
        ds.pathway.evaluate(PATIENTS, [MRI_BIOPSY, XRAY], reference="truth", baseline=baseline)


def test_a_missing_reference_is_refused_or_omitted():
    data = PATIENTS.assign(truth=[1, 1, 1, np.nan, 0, 0, 0, 0])
    with pytest.raises(DataError, match="reference='truth' is missing for 1"):
        ds.pathway.evaluate(data, XRAY, reference="truth")
    assert ds.pathway.evaluate(data, XRAY, reference="truth", nan_policy="omit").n_omitted == 1


@pytest.mark.parametrize("strategy, error, match", [
    (Strategy("s", [Step("pet", cost=1)], positive="pet"), ColumnError, "step 'pet': 'pet' is not a column"),
    (Strategy("s", [Step("mri", cost=1, when="red_flag")], positive="mri"), ColumnError, "step 'mri'.*red_flag"),
    (Strategy("s", [Step("biopsy", cost=1)], positive="biopsy"), DataError, "step 'biopsy'.*holds labels"),
    (Strategy("s", [Step("biopsy", cost=1, positive="malignent")], positive="biopsy"), DataError,
     "step 'biopsy'.*'malignent' is not a value"),
    (Strategy("s", [Step("mri", cost=1, when="truth_label")], positive="mri"), DataError,
     "step 'mri'.*column 'truth_label' as yes/no"),
])
def test_bad_data_is_refused_naming_the_step(strategy, error, match):
    with pytest.raises(error, match=match):
        ds.pathway.evaluate(PATIENTS.assign(truth_label="x"), strategy, reference="truth")


@pytest.mark.parametrize("kwargs, match", [
    (dict(strategies=[XRAY, XRAY]), "named 'X-ray'"),
    (dict(strategies=[XRAY, Strategy("t", [Step("xray", cost=1)], positive="xray", target="other")]), "targets"),
    (dict(strategies="xray"), "strategies="),
    (dict(strategies=[XRAY], baseline="MRI"), "baseline="),
    (dict(strategies=[XRAY], positive="yes"), "positive="),
    (dict(strategies=[XRAY], level=95), "level"),
])
def test_bad_options_are_refused_naming_them(kwargs, match):
    with pytest.raises((OptionError, DataError), match=match):
        ds.pathway.evaluate(PATIENTS, reference="truth", **kwargs)


def test_plot_draws_the_flow_of_one_strategy():
    import matplotlib.pyplot as plt

    res = ds.pathway.evaluate(PATIENTS, [MRI_BIOPSY, XRAY], reference="truth")
    fig, ax = plt.subplots()
    try:
        assert res.plot(ax=ax, strategy="X-ray") is ax
        assert [t.get_text() for t in ax.get_yticklabels()] == ["final call", "xray"]
        with pytest.raises(OptionError, match="strategy="):
            res.plot(ax=ax, strategy="CT")
    finally:
        plt.close(fig)
