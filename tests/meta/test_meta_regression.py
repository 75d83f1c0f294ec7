"""Comparative meta-analysis: ds.meta.bivariate(covariate=...) against R metafor 3.8.1 rma.mv with moderators
(tests/reference/meta/metareg.R), and the refusal of a study listed twice."""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import ColumnError, DataError, OptionError
from .meta_fixtures import data, ref, tables

#: fixture -> (tables, R output): four modalities with MRI the reference (all units), the per-patient rows of
#: imaging_2x2_studies before its MRI studies were added (bone scan the reference), and after (by its modality
#: column, MRI the reference)
CASES = {"imaging": "imaging_metareg", "imaging_patient": "imaging_patient_metareg",
         "imaging_patient_modality": "imaging_patient_modality_metareg"}


def _fit(name, method):
    r = ref(CASES[name])
    d = tables(name)
    d["modality"] = pd.Categorical(d["modality"], categories=r["levels"])
    return ds.meta.bivariate(d, covariate="modality", method=method), r[method.upper()], r


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("method", ["reml", "ml"])
def test_meta_regression_on_modality_matches_metafor(name, method):
    res, r, full = _fit(name, method)
    q = len(full["levels"])
    # metafor orders (sens, fpr, sens:level2, fpr:level2, ...); ours (sens: intercept, dummies; fpr: ...)
    order = np.ravel(np.column_stack([np.arange(q), np.arange(q) + q]))
    assert res.coefficients["estimate"].to_numpy()[order] == pytest.approx(r["coef"], rel=1e-6)
    assert res.coefficients["se"].to_numpy()[order] == pytest.approx(r["se"], rel=1e-6)
    assert res.vcov[np.ix_(order, order)] == pytest.approx(np.array(r["vcov"]), rel=1e-6, abs=1e-12)
    assert [res.tau2[0], res.tau2[1], res.rho] == pytest.approx([r["tau2_sens"], r["tau2_fpr"], r["rho"]], rel=1e-6)
    assert res.loglik == pytest.approx(r["loglik"], rel=1e-9)
    # per-level summary points: metafor's cell-means parametrisation of the same model
    assert list(res.categories) == full["levels"]
    assert [res.sensitivities[c].value for c in res.categories] == pytest.approx(r["level_sensitivity"], rel=1e-6)
    assert [res.specificities[c].value for c in res.categories] == pytest.approx(r["level_specificity"], rel=1e-6)
    z = 1.959963984540054
    lower = 1 / (1 + np.exp(-(np.array(r["level_logit_sens"]) - z * np.array(r["level_se_sens"]))))
    assert [res.sensitivities[c].lower for c in res.categories] == pytest.approx(lower, rel=1e-6)
    upper_spec = 1 - 1 / (1 + np.exp(-(np.array(r["level_logit_fpr"]) - z * np.array(r["level_se_fpr"]))))
    assert [res.specificities[c].upper for c in res.categories] == pytest.approx(upper_spec, rel=1e-6)
    # the covariate's likelihood-ratio test comes from ML fits whichever method estimated the model
    assert res.covariate_test.statistic == pytest.approx(full["lrt"]["statistic"], rel=1e-6)
    assert res.covariate_test.df == full["lrt"]["df"]
    assert res.covariate_test.p_value == pytest.approx(full["lrt"]["p_value"], rel=1e-6)
    assert 2 * (full["ML"]["loglik"] - full["null_ML"]["loglik"]) == pytest.approx(full["lrt"]["statistic"],
                                                                                    rel=1e-9)


def test_reml_and_ml_log_likelihoods_match_metafor_and_differ():
    reml, r_reml, _ = _fit("imaging", "reml")
    ml, r_ml, _ = _fit("imaging", "ml")
    assert [reml.loglik, ml.loglik] == pytest.approx([r_reml["loglik"], r_ml["loglik"]], rel=1e-9)
    assert reml.loglik != pytest.approx(ml.loglik, rel=1e-3)
    assert reml.covariate_test.statistic == pytest.approx(ml.covariate_test.statistic, rel=1e-9)


def test_comparisons_are_against_the_reference_level():
    res, _, _ = _fit("imaging", "reml")
    assert res.reference == "MRI"
    ref_sens, ref_spec = res.sensitivities["MRI"], res.specificities["MRI"]
    assert res.sensitivity.value == pytest.approx(ref_sens.value, rel=1e-12)     # the base fit's reference level
    for level, estimates in res.comparisons.items():
        found = {e.name: e for e in estimates}
        assert found["sensitivity_difference"].value == pytest.approx(res.sensitivities[level].value - ref_sens.value)
        assert found["specificity_difference"].value == pytest.approx(res.specificities[level].value - ref_spec.value)
        assert found["relative_sensitivity"].value == pytest.approx(res.sensitivities[level].value / ref_sens.value)
        assert found["relative_specificity"].value == pytest.approx(res.specificities[level].value / ref_spec.value)
        for e in estimates:
            assert e.lower < e.value < e.upper and "vs MRI" in e.method
        ratio = found["relative_sensitivity"]            # Wald on the log scale: symmetric there
        assert np.log(ratio.value) - np.log(ratio.lower) == pytest.approx(np.log(ratio.upper) - np.log(ratio.value))
    assert set(res.comparisons) == {"CT", "PET", "bone scan"}


def test_delta_method_standard_error_matches_numerical_derivative():
    res, _, _ = _fit("imaging_patient", "reml")
    beta, vcov = res.coefficients["estimate"].to_numpy(), res.vcov
    q = len(res.categories)

    def relative_sensitivity(b):        # FDG PET (third level) over bone scan (reference), as a function of beta
        expit = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
        return np.log(expit(b[0] + b[2]) / expit(b[0]))

    step = 1e-6
    grad = np.array([(relative_sensitivity(beta + step * e) - relative_sensitivity(beta - step * e)) / (2 * step)
                     for e in np.eye(2 * q)])
    se = np.sqrt(grad @ vcov @ grad)
    found = {e.name: e for e in res.comparisons["FDG PET"]}["relative_sensitivity"]
    assert np.log(found.upper / found.value) == pytest.approx(1.959963984540054 * se, rel=1e-6)


def test_to_frame_has_a_key_column_named_after_the_covariate():
    res, _, _ = _fit("imaging_patient", "reml")
    frame = res.to_frame()
    assert list(frame.columns[:3]) == ["modality", "measure", "value"]
    for level in res.categories:
        rows = frame[(frame["modality"] == level) & (frame["compared_with"] == "")]
        assert list(rows["measure"]) == ["sensitivity", "specificity"]
    compared = frame[frame["compared_with"] == "bone scintigraphy"]
    assert set(compared["modality"]) == {"18F-fluoride PET", "FDG PET"}
    assert (frame["measure"] == "covariate_lr_test").sum() == 1
    text = str(res)
    assert "likelihood-ratio test (ML fits)" in text and "reference bone scintigraphy" in text


def test_sorted_levels_without_a_categorical_and_a_note_on_paired_studies():
    d = data("imaging_patient")                          # real study labels: three studies give two tables
    res = ds.meta.bivariate(d, covariate="modality")
    assert res.categories == ("18F-fluoride PET", "FDG PET", "bone scintigraphy")
    assert any("3 studies" in n and "more than one level of modality" in n for n in res.notes)
    assert list(res.studies["group"]) == list(d["modality"])


def test_a_study_listed_twice_is_refused_naming_it():
    d = data("imaging_patient")
    with pytest.raises(DataError, match=r"study 'cristo_santos_2023' appears 2 times in data \(rows \[1, 2\]\) "
                                        r"\(and 2 other studies\).*subgroup.*covariate="):
        ds.meta.bivariate(d)
    with pytest.raises(DataError, match="study 'cristo_santos_2023' appears 2 times"):
        ds.meta.bivariate(d, method="glmm")
    pet = d.assign(modality=np.where(d["modality"].str.contains("PET"), "PET", "bone scan"))
    twice = pd.concat([pet, pet.iloc[[0]]], ignore_index=True)  # a second PET table of Cristo Santos
    with pytest.raises(DataError, match=r"study 'cristo_santos_2023' gives 2 tables \(rows \[1, 8\]\) with the same "
                                        r"value of 'modality' \('PET'\)"):
        ds.meta.bivariate(twice, covariate="modality")
    assert ds.meta.bivariate(pet, covariate="modality").categories == ("PET", "bone scan")


def test_bad_covariate_arguments():
    d = data("imaging_patient")
    with pytest.raises(OptionError, match="not both"):
        ds.meta.bivariate(d, covariate="modality", covariates="modality")
    with pytest.raises(OptionError, match="covariate= is available with method='reml' or 'ml'"):
        ds.meta.bivariate(d, covariate="modality", method="glmm")
    with pytest.raises(ColumnError, match="covariate='modalty' is not a column"):
        ds.meta.bivariate(d, covariate="modalty")
    with pytest.raises(DataError, match="one value .* in every table"):
        ds.meta.bivariate(d.assign(site="one", study=d["study"] + d["test"]), covariate="site")
    with pytest.raises(DataError, match="covariate='modality' is missing for 1 table;"):
        ds.meta.bivariate(d.assign(modality=d["modality"].where(d.index > 0)), covariate="modality")
    with pytest.raises(DataError, match=r"covariate='method' would name the key column.*rename it"):
        ds.meta.bivariate(d.rename(columns={"modality": "method"}), covariate="method")
    with pytest.raises(DataError, match="must be the name of one column"):
        ds.meta.bivariate(d, covariate=["modality"])
    with pytest.raises(DataError, match="must be a pandas DataFrame"):
        ds.meta.bivariate(None, tp=[1, 2, 3], fp=[1, 2, 3], fn=[1, 2, 3], tn=[1, 2, 3], covariate="x")


def test_numeric_levels_in_numeric_order_and_the_result_travels():
    import copy
    import pickle

    d = data("imaging_patient")
    d = d.assign(dose=d["modality"].map({"bone scintigraphy": 10, "18F-fluoride PET": 2, "FDG PET": 9}))
    res = ds.meta.bivariate(d, covariate="dose")
    assert res.categories == ("2", "9", "10")
    assert pickle.loads(pickle.dumps(res)).to_dict() == res.to_dict() == copy.deepcopy(res).to_dict()
