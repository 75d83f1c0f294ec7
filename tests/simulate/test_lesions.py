"""ds.simulate.lesions: vertebra-level truth and reads, consistent with the cohort, from their own stream."""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import ColumnError, DataError
from diagstats.simulate.scenario import MODALITIES

N_UNITS = len(ds.simulate.VERTEBRAE)


@pytest.fixture(scope="module")
def pair():
    patients = ds.simulate.cohort(20_000, seed=11)
    return patients, ds.simulate.lesions(patients, seed=11)


def test_one_row_per_vertebral_unit_in_the_documented_columns(pair):
    patients, units = pair
    assert N_UNITS == 25 and len(units) == 25 * len(patients)
    assert list(units.columns) == list(ds.simulate.LESION_COLUMNS)
    np.testing.assert_array_equal(units["patient_id"].to_numpy(), np.repeat(patients.index.to_numpy(), 25))


def test_a_patient_is_diseased_iff_a_vertebra_is_involved_and_positive_iff_a_vertebra_is_read_positive(pair):
    patients, units = pair
    by_patient = units.groupby("patient_id", sort=False)
    has_tumour = patients["true_diagnosis"] != "no_tumour"
    np.testing.assert_array_equal(by_patient["involved"].any().to_numpy(), has_tumour.to_numpy())
    for m in MODALITIES:
        # max over the patient's units: 1 if any is positive, 0 if all negative, NaN if the test was not done
        np.testing.assert_array_equal(by_patient[m].max().to_numpy(), patients[m].to_numpy())
        assert (by_patient[m].count().isin([0, 25])).all()   # a test reads all of a patient's units or none


def test_one_involved_vertebra_lies_at_the_patients_tumour_level(pair):
    patients, units = pair
    involved = units[units["involved"]]
    at_level = involved["level"].astype(str).to_numpy() == patients.loc[involved["patient_id"], "true_level"].astype(
        str).to_numpy()
    hit = pd.Series(at_level).groupby(involved["patient_id"].to_numpy()).any()
    assert hit.all() and len(hit) == int((patients["true_diagnosis"] != "no_tumour").sum())


def test_metastases_involve_three_or_more_vertebrae_as_often_as_wang_2019_reports(pair):
    patients, units = pair
    count = units.groupby("patient_id", sort=False)["involved"].sum()
    met = (patients["true_diagnosis"] == "metastasis").to_numpy()
    share = (count[met] >= 3).mean()
    se = np.sqrt(0.39 * 0.61 / met.sum())
    assert abs(share - 0.3896) < 4 * se           # 466 of 1196 patients had >= 3 levels
    # the scenario puts no metastasis in the sacrum, so neither do the further metastatic vertebrae
    assert not units.loc[units["involved"] & units["patient_id"].isin(patients.index[met]), "vertebra"].eq("S").any()


def test_primary_tumours_involve_contiguous_vertebrae(pair):
    patients, units = pair
    primary = patients.index[patients["true_diagnosis"].isin(["benign_primary", "malignant_primary"])]
    inv = units[units["involved"] & units["patient_id"].isin(primary)]
    pos = inv["vertebra"].cat.codes.groupby(inv["patient_id"])
    assert ((pos.max() - pos.min() + 1) == pos.count()).all()
    assert (pos.count() > 1).any()


def test_reads_are_correlated_within_patients(pair):
    _, units = pair
    res = ds.accuracy(data=units.dropna(subset=["mri"]), test="mri", reference="involved", cluster="patient_id")
    assert res.icc["diseased"] > 0.1 and res.design_effect["diseased"] > 1.2
    assert res.icc["non_diseased"] > 0.05 and res.design_effect["non_diseased"] > 1.5


def test_the_cohort_is_untouched_and_the_table_is_reproducible_and_seed_dependent():
    patients = ds.simulate.cohort(300, seed=4, complete=True)
    before = patients.copy()
    first = ds.simulate.lesions(patients, seed=4)
    pd.testing.assert_frame_equal(patients, before)
    pd.testing.assert_frame_equal(first, ds.simulate.lesions(patients, seed=4))
    assert not first["involved"].equals(ds.simulate.lesions(patients, seed=5)["involved"])
    # the cohort of the same seed is the one drawn without the lesion table (nothing shared with its stream)
    pd.testing.assert_frame_equal(ds.simulate.cohort(300, seed=4, complete=True), patients)


def test_bad_input_names_the_argument():
    patients = ds.simulate.cohort(10, seed=1)
    with pytest.raises(DataError, match="patients must be a pandas DataFrame"):
        ds.simulate.lesions(patients.to_numpy())
    with pytest.raises(ColumnError, match="mri"):
        ds.simulate.lesions(patients.drop(columns="mri"))
    with pytest.raises(DataError, match="duplicated index"):
        ds.simulate.lesions(pd.concat([patients, patients]))
    with pytest.raises(DataError, match="no rows"):
        ds.simulate.lesions(patients.iloc[:0])
    broken = patients.copy()
    broken["true_diagnosis"] = "metastasis"
    broken["true_level"] = np.nan
    with pytest.raises(DataError, match="true_level"):
        ds.simulate.lesions(broken)
    broken["true_diagnosis"] = "tumour"
    with pytest.raises(DataError, match="true_diagnosis"):
        ds.simulate.lesions(broken)
