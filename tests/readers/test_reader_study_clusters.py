"""ds.reader_study(cluster=): lesions or vertebrae within patients, covariances over patients (issue 18 point 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DiagstatsError


def _study(rng: np.random.Generator, patients: int = 40, lesions: int = 6, readers: int = 3) -> pd.DataFrame:
    """A null two-modality study of ``lesions`` lesions in each patient; a patient x modality effect shared by a
    patient's lesions (variance 1, against 0.05 + 0.3 per lesion and read) makes the lesions correlated."""
    c = patients * lesions
    patient = np.repeat(np.arange(patients), lesions)
    truth = rng.random(c) < 0.4
    shared = rng.standard_normal((2, patients))[:, patient]
    lesion = rng.standard_normal((2, c)) * np.sqrt(0.05)
    error = rng.standard_normal((readers, 2, c)) * np.sqrt(0.3)
    rating = 1.2 * truth + shared[None] + lesion[None] + error
    return pd.DataFrame({"reader": np.repeat(np.arange(readers), 2 * c),
                         "modality": np.tile(np.repeat(["CT", "MRI"], c), readers),
                         "case": np.tile(np.arange(c), 2 * readers), "patient": np.tile(patient, 2 * readers),
                         "truth": np.tile(truth.astype(int), 2 * readers), "rating": rating.ravel()})


@pytest.fixture(scope="module")
def one_per_patient():
    data = ds.simulate.roe_metz(n_readers=4, n_nondiseased=25, n_diseased=20, seed=3)
    return data.assign(patient="p" + data["case"].astype(str), rating=data["rating"].round(1))


@pytest.mark.parametrize("options", [{}, {"covariance": "delong"}, {"metric": "sensitivity", "threshold": 0.8},
                                     {"metric": "specificity", "threshold": 0.8}])
def test_one_case_per_patient_reproduces_the_unclustered_analysis(one_per_patient, options):
    plain = ds.reader_study(one_per_patient, **options)
    clustered = ds.reader_study(one_per_patient, cluster="patient", **options)
    np.testing.assert_allclose(clustered.auc_covariance, plain.auc_covariance, rtol=1e-12, atol=1e-18)
    for name in ("rrrc", "frrc", "rrfc"):
        a, b = getattr(plain, name), getattr(clustered, name)
        assert b.statistic == pytest.approx(a.statistic, rel=1e-10) and b.df == pytest.approx(a.df, rel=1e-10)
        assert b.p_value == pytest.approx(a.p_value, rel=1e-9)
    for key, value in plain.components.items():
        assert clustered.components[key] == pytest.approx(value, rel=1e-9, abs=1e-15)
    assert any("45 patients" in note for note in clustered.notes)


def test_patient_jackknife_equals_leaving_each_patient_out():
    data = _study(np.random.default_rng(7), patients=12, lesions=3)
    data["rating"] = data["rating"].round(0)          # many ties, also within patients
    res = ds.reader_study(data, cluster="patient")
    left_out = np.array([ds.reader_study(data[data["patient"] != g]).auc.ravel() for g in range(12)])
    deviations = left_out - left_out.mean(axis=0)
    np.testing.assert_allclose(res.auc_covariance, 11 / 12 * deviations.T @ deviations, rtol=1e-12, atol=1e-18)


def test_delong_type_covariance_is_obuchowskis_clustered_variance_of_each_auc():
    data = _study(np.random.default_rng(8), patients=20, lesions=4)
    res = ds.reader_study(data, cluster="patient", covariance="delong")
    one = data[(data["reader"] == 1) & (data["modality"] == "MRI")]
    roc = ds.roc(data=one, reference="truth", score="rating", cluster="patient")
    variance = res.auc_covariance[res.readers.index(1) + len(res.readers), res.readers.index(1) + len(res.readers)]
    assert variance == pytest.approx(roc.auc_variance(), rel=1e-12)


def test_naive_intervals_undercover_and_patient_intervals_cover_with_correlated_lesions():
    """Monte Carlo (reduced: 250 null studies of 40 patients x 6 lesions, 3 readers; about 10 s): the RRRC 95%
    interval of the MRI - CT difference with the case jackknife misses 0 too often, the patient jackknife's
    covers within 3 Monte Carlo standard errors (0.041)."""
    rng = np.random.default_rng(2026)
    n = 250
    covered = {"cases": 0, "patients": 0}
    for _ in range(n):  # one reader study per replicate
        data = _study(rng)
        for key, options in (("cases", {}), ("patients", {"cluster": "patient"})):
            est = ds.reader_study(data, **options).rrrc.estimate
            covered[key] += est.lower <= 0 <= est.upper
    se = 3 * np.sqrt(0.95 * 0.05 / n)
    assert covered["cases"] / n < 0.95 - se
    assert abs(covered["patients"] / n - 0.95) < se


@pytest.mark.parametrize("damage, match", [
    ("missing", "missing patient id"), ("split", "more than one patient id"), ("one_patient", "at least two patients"),
    ("no_column", "cluster"), ("dbm", "cluster="), ("bootstrap", "cluster="), ("callable", "cluster=")])
def test_bad_cluster_input_is_refused_naming_cluster(damage, match):
    data = _study(np.random.default_rng(1), patients=6, lesions=2)
    options = {"cluster": "patient"}
    if damage == "missing":
        data.loc[data["case"] == 3, "patient"] = np.nan
    elif damage == "split":
        data.loc[(data["case"] == 3) & (data["reader"] == 1), "patient"] = 99
    elif damage == "one_patient":
        data.loc[data["truth"] == 1, "patient"] = 0
    elif damage == "no_column":
        options["cluster"] = "hospital"
    elif damage == "dbm":
        options["method"] = "dbm"
    elif damage == "bootstrap":
        options["covariance"] = "bootstrap"
    else:
        options["metric"] = lambda truth, ratings: ratings.mean(axis=1)
    with pytest.raises(DiagstatsError, match=match) as info:
        ds.reader_study(data, **options)
    assert "cluster" in str(info.value)
