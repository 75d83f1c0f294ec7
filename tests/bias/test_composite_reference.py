"""ds.composite_reference: the first available component decides; bad input; and, on 100,000 simulated
patients, the composite's differential verification bias and the covariate-aware corrections against the truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import ColumnError, DataError, OptionError
from diagstats.studies.bias_validation import PATHWAY_COVARIATES, pathway_covariates

MALIGNANT = ("malignant_primary", "metastasis")


def _small():
    return pd.DataFrame({"biopsy": ["malignant", None, "benign", None, None],
                         "follow_up": [None, "malignant", "not malignant", "not malignant", None]},
                        index=[10, 11, 12, 13, 14])


def test_the_first_available_component_decides_and_is_recorded():
    ref = ds.composite_reference(_small(), ["biopsy", "follow_up"], positive="malignant")
    cols = ref.to_columns()
    assert list(cols.index) == [10, 11, 12, 13, 14]
    assert cols["composite_reference"].tolist()[:4] == [1.0, 1.0, 0.0, 0.0]
    assert np.isnan(cols["composite_reference"].iloc[4])
    assert cols["decided_by"].tolist() == ["biopsy", "follow_up", "biopsy", "follow_up", "none"]
    counts = ref.to_frame().set_index(["decided_by", "measure"])["value"]
    assert counts["biopsy", "patients"] == 2 and counts["biopsy", "positive"] == 1
    assert counts["follow_up", "negative"] == 1 and counts["none", "patients"] == 1
    assert any("Naaktgeboren" in n for n in ref.notes) and any("1 of 5 patients" in n for n in ref.notes)


def test_the_order_of_the_components_is_the_precedence():
    ref = ds.composite_reference(_small(), ["follow_up", "biopsy"], positive="malignant")
    assert ref.to_columns()["decided_by"].tolist() == ["biopsy", "follow_up", "follow_up", "follow_up", "none"]
    assert ref.reference[2] == 0.0  # follow-up decides patient 12 now (both say not malignant)


def test_positive_per_component_and_zero_one_codes():
    df = pd.DataFrame({"biopsy": [1.0, np.nan, 0.0], "follow_up": ["yes", "no", "no"]})
    ref = ds.composite_reference(df, ["biopsy", "follow_up"], positive={"biopsy": 1, "follow_up": "yes"},
                                 name="malignancy")
    assert ref.to_columns()["malignancy"].tolist() == [1.0, 0.0, 0.0]
    assert ref.positive == (1, "yes")


def test_a_positive_category_that_no_patient_has_is_accepted():
    df = pd.DataFrame({"biopsy": pd.Categorical(["benign", None], categories=["benign", "malignant"]),
                       "follow_up": pd.Categorical([None, "malignant"], categories=["not malignant", "malignant"])})
    ref = ds.composite_reference(df, ["biopsy", "follow_up"], positive="malignant")
    assert ref.reference.tolist() == [0.0, 1.0]


@pytest.mark.parametrize("components, kwargs, error, words", [
    (["biopsy", "folow_up"], {"positive": "malignant"}, ColumnError, "'folow_up' is not a column"),
    (["biopsy"], {"positive": "malignant"}, DataError, "at least 2 columns"),
    (["biopsy", "follow_up"], {"positive": "cancer"}, DataError, "positive='cancer' is not a value"),
    (["biopsy", "follow_up"], {}, DataError, "say which one means positive"),
    (["biopsy", "follow_up"], {"positive": {"biopsy": "malignant"}}, OptionError, "['follow_up'] have none"),
    (["biopsy", "follow_up"], {"positive": "malignant", "name": "decided_by"}, OptionError, "name="),
    (["biopsy", "empty"], {"positive": "malignant"}, DataError, "component 'empty' has no values"),
    (["biopsy", "three"], {"positive": "malignant"}, DataError, "3 distinct values"),
    (["biopsy", "follow_up"], {"positive": ["malignant"]}, DataError, "must be one label"),
])
def test_bad_input_is_refused_saying_how_to_fix_it(components, kwargs, error, words):
    df = _small().assign(empty=None, three=["malignant", "benign", "infection", None, None])
    with pytest.raises(error) as info:
        ds.composite_reference(df, components, **kwargs)
    assert words in str(info.value)


def test_a_category_list_with_other_values_but_no_positive_is_refused():
    df = pd.DataFrame({"biopsy": ["malignant", None, None],
                       "follow_up": pd.Categorical([None, "stable", "regressed"],
                                                   categories=["stable", "regressed", "malignant"])})
    with pytest.raises(DataError, match="none is positive='malignant'"):
        ds.composite_reference(df, ["biopsy", "follow_up"], positive="malignant")


# ---------------------------------------------------------------- 100,000 simulated patients (~3 s)

N = 100_000


def _mri_accuracy(reference: np.ndarray, patients: pd.DataFrame) -> tuple[float, float]:
    """MRI sensitivity and specificity against ``reference`` (1/0/NaN), among MRI patients with a value."""
    had = patients["mri"].notna().to_numpy() & ~np.isnan(reference)
    test, ref = patients["mri"].to_numpy()[had] == 1, reference[had] == 1
    return test[ref].mean(), (~test[~ref]).mean()


def _verification_data(patients: pd.DataFrame) -> pd.DataFrame:
    data = pathway_covariates(patients, "mri")
    biopsy = patients.loc[data.index, "biopsy_result"]
    return data.assign(biopsy=np.where(biopsy.isna(), np.nan, biopsy.eq("malignant")))


def _corrected(patients: pd.DataFrame, method: str) -> ds.VerificationResult:
    return ds.correct_verification(_verification_data(patients), test="mri", reference="biopsy",
                                   covariates=list(PATHWAY_COVARIATES), method=method, n_boot=20, n_imputations=5,
                                   seed=1, progress=False)


def test_on_100000_patients_the_composite_has_the_predicted_differential_verification_bias():
    scenario = ds.simulate.Scenario.load("spine_referral")
    patients = ds.simulate.cohort(N, seed=2024, follow_up=True)
    truth = patients["true_diagnosis"].isin(MALIGNANT).to_numpy()
    ref = ds.composite_reference(patients, ["biopsy_result", "follow_up_result"], positive="malignant")
    composite = _mri_accuracy(ref.reference, patients)
    true = _mri_accuracy(truth.astype(float), patients)
    # The bias a composite reference predicts from its components' error rates (differential verification):
    # each patient is called malignant by the component that decided them with that component's probability.
    by_biopsy = ref.decided_by == "biopsy_result"
    accuracy = scenario["biopsy.accuracy"]
    p_called = np.where(by_biopsy, np.where(truth, accuracy, 1 - accuracy),
                        np.where(truth, scenario["follow_up.sensitivity"], 1 - scenario["follow_up.specificity"]))
    decided = patients["mri"].notna().to_numpy() & (ref.decided_by != "none")
    mri = patients["mri"].to_numpy() == 1
    predicted = ((p_called * mri)[decided].sum() / p_called[decided].sum(),
                 ((1 - p_called) * ~mri)[decided].sum() / (1 - p_called)[decided].sum())
    for measure, got, expected, truth_value in zip(("sensitivity", "specificity"), composite, predicted, true):
        assert abs(got - expected) < 0.01, (measure, got, expected)
        assert abs(got - truth_value) > 0.015, (measure, got, truth_value)   # a material bias, not noise


def test_on_100000_patients_the_covariate_corrections_recover_the_truth_within_001():
    # A perfect biopsy isolates verification bias: the corrected estimates must reach the truth.
    scenario = ds.simulate.Scenario.load("spine_referral").replace(biopsy__accuracy=1.0)
    patients = ds.simulate.cohort(N, scenario, seed=2025)
    true = _mri_accuracy(patients["true_diagnosis"].isin(MALIGNANT).to_numpy(float), patients)
    for method in ("extended_begg_greenes", "multiple_imputation"):
        res = _corrected(patients, method)
        assert abs(res.sensitivity.value - true[0]) < 0.01, (method, res.sensitivity.value, true[0])
        assert abs(res.specificity.value - true[1]) < 0.01, (method, res.specificity.value, true[1])
    begg_greenes = ds.correct_verification(_verification_data(patients), test="mri", reference="biopsy")
    assert begg_greenes.sensitivity.value < true[0] - 0.05    # verification is not MAR given MRI alone


def test_on_100000_patients_the_corrections_reach_a_biopsy_of_everyone_in_the_default_scenario():
    # With the ~89%-accurate biopsy the corrections estimate accuracy against "everyone biopsied".
    patients = ds.simulate.cohort(N, seed=2026)
    everyone = ds.simulate.cohort(N, seed=2026, complete=True)["biopsy_result"]
    target = _mri_accuracy(np.where(everyone.isna(), np.nan, everyone.eq("malignant")), patients)
    res = _corrected(patients, "extended_begg_greenes")
    assert abs(res.sensitivity.value - target[0]) < 0.01 and abs(res.specificity.value - target[1]) < 0.01
