"""The default scenario reproduces its published inputs; cohorts are seeded, vectorised and validated."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import diagstats as ds
from diagstats.simulate.scenario import MODALITIES

N = 200_000


@pytest.fixture(scope="module")
def scenario():
    return ds.simulate.Scenario.load("spine_referral")


@pytest.fixture(scope="module")
def complete(scenario):
    return ds.simulate.cohort(N, scenario, seed=20240601, complete=True)


def _li_aucs(df):
    """The six Li 2019 AUCs (Mann-Whitney, via scikit-learn) of NLR and PLR in a cohort."""
    nlr = df["neutrophils"] / df["lymphocytes"]
    plr = df["platelets"] / df["lymphocytes"]
    d = df["true_diagnosis"]
    comparisons = {"benign vs malignant": (["benign_primary"], ["malignant_primary", "metastasis"]),
                   "primary vs metastatic": (["benign_primary", "malignant_primary"], ["metastasis"]),
                   "primary benign vs primary malignant": (["benign_primary"], ["malignant_primary"])}
    out = {}
    for name, (controls, cases) in comparisons.items():
        sel = d.isin(controls + cases).to_numpy()
        y = d[sel].isin(cases).to_numpy()
        out[(name, "nlr")] = roc_auc_score(y, nlr[sel])
        out[(name, "plr")] = roc_auc_score(y, plr[sel])
    return out


@pytest.mark.parametrize("modality", MODALITIES)
def test_each_modality_keeps_its_sensitivity_and_specificity(complete, scenario, modality):
    tumour = (complete["true_diagnosis"] != "no_tumour").to_numpy()
    read = complete[modality].to_numpy() == 1
    res = ds.accuracy(tp=int((read & tumour).sum()), fp=int((read & ~tumour).sum()),
                      fn=int((~read & tumour).sum()), tn=int((~read & ~tumour).sum()))
    assert abs(res.sensitivity.value - scenario[f"imaging.{modality}.sensitivity"]) < 0.01
    assert abs(res.specificity.value - scenario[f"imaging.{modality}.specificity"]) < 0.01


def test_biopsy_accuracy_and_yield(complete, scenario):
    diagnostic = (complete["biopsy_nondiagnostic"] == 0).to_numpy()
    truth = complete["true_diagnosis"].isin(["malignant_primary", "metastasis"]).to_numpy()[diagnostic]
    says = (complete["biopsy_result"] == "malignant").to_numpy()[diagnostic]
    res = ds.accuracy(tp=int((says & truth).sum()), fp=int((says & ~truth).sum()),
                      fn=int((~says & truth).sum()), tn=int((~says & ~truth).sum()))
    assert abs(res.accuracy.value - scenario["biopsy.accuracy"]) < 0.01
    n_diagnostic = int(diagnostic.sum())
    assert abs(n_diagnostic / N - scenario["biopsy.yield"]) < 0.01
    assert ds.proportion_ci(n_diagnostic, N, level=0.999).lower < scenario["biopsy.yield"]


def test_li_2019_aucs_reproduced(complete):
    li = ds.datasets.load("li2019_auc")
    simulated = _li_aucs(complete)
    for row in li.itertuples():
        assert abs(simulated[(row.comparison, row.marker)] - row.auc) < 0.015, (row.comparison, row.marker)


def test_li_aucs_hold_with_origin_shifts_switched_off(scenario):
    df = ds.simulate.cohort(N, scenario.replace({"blood.origin_shifts": False}), seed=5)
    li = ds.datasets.load("li2019_auc")
    simulated = _li_aucs(df)
    assert max(abs(simulated[(r.comparison, r.marker)] - r.auc) for r in li.itertuples()) < 0.015


def test_no_tumour_nlr_plr_medians_match_fest_2018(complete):
    fest = ds.datasets.load("blood_reference")
    fest = fest[(fest["first_author"] == "Fest J") & (fest["group"] == "all")].set_index("marker")["mean"]
    healthy = complete[complete["true_diagnosis"] == "no_tumour"]
    nlr = (healthy["neutrophils"] / healthy["lymphocytes"]).median()
    plr = (healthy["platelets"] / healthy["lymphocytes"]).median()
    assert abs(nlr / fest["nlr"] - 1) < 0.03
    assert abs(plr / fest["plr"] - 1) < 0.03


def test_origin_shifts_order_the_metastasis_nlr(complete):
    met = complete[complete["true_diagnosis"] == "metastasis"]
    log_nlr = np.log(met["neutrophils"] / met["lymphocytes"])
    by_origin = log_nlr.groupby(met["true_origin"], observed=True).mean()
    assert by_origin["lung"] - by_origin["thyroid"] == pytest.approx(0.30, abs=0.03)


def test_same_seed_same_frame_and_different_seed_differs():
    a = ds.simulate.cohort(2000, seed=7)
    pd.testing.assert_frame_equal(a, ds.simulate.cohort(2000, seed=7))
    assert not a.equals(ds.simulate.cohort(2000, seed=8))
    assert list(a.columns) == list(ds.simulate.COLUMNS)


def test_pathway_cohort_is_the_complete_cohort_with_tests_hidden():
    full = ds.simulate.cohort(5000, seed=11, complete=True)
    path = ds.simulate.cohort(5000, seed=11)
    for col in full.columns.drop("biopsy_done"):   # biopsy_done is the pathway's decision itself
        seen = path[col].notna()
        pd.testing.assert_series_equal(path[col][seen], full[col][seen])
    assert full.drop(columns=["true_origin", "true_level", "biopsy_result"]).notna().all().all()
    assert path["mri"].isna().any() and path["pet"].isna().any() and not path["biopsy_done"].all()


def test_follow_up_comes_from_its_own_stream_and_leaves_every_other_column_unchanged():
    plain = ds.simulate.cohort(3000, seed=5)
    with_follow_up = ds.simulate.cohort(3000, seed=5, follow_up=True)
    assert list(with_follow_up.columns) == [*ds.simulate.COLUMNS, *ds.simulate.FOLLOW_UP_COLUMNS]
    pd.testing.assert_frame_equal(with_follow_up[plain.columns], plain)
    pd.testing.assert_frame_equal(with_follow_up, ds.simulate.cohort(3000, seed=5, follow_up=True))


def test_follow_up_decides_exactly_the_patients_without_a_diagnostic_biopsy_at_the_scenario_rates(scenario):
    df = ds.simulate.cohort(60_000, seed=9, follow_up=True)
    diagnostic = df["biopsy_result"].notna()
    assert not (df["follow_up_done"] & diagnostic).any()
    assert df.loc[~diagnostic, "follow_up_done"].mean() == pytest.approx(scenario["follow_up.completion"], abs=0.005)
    assert (df["follow_up_result"].notna() == df["follow_up_done"]).all()
    done = df[df["follow_up_done"]]
    malignant = done["true_diagnosis"].isin(["malignant_primary", "metastasis"])
    says = done["follow_up_result"] == "malignant"
    assert says[malignant].mean() == pytest.approx(scenario["follow_up.sensitivity"], abs=0.01)
    assert (~says[~malignant]).mean() == pytest.approx(scenario["follow_up.specificity"], abs=0.005)
    with pytest.raises(ds.OptionError, match="follow_up="):
        ds.simulate.cohort(10, follow_up="yes")


def test_pathway_rules():
    df = ds.simulate.cohort(50_000, seed=2)
    contra = df["mri_contraindication"]
    assert df.loc[contra, "mri"].isna().all()
    assert df.loc[~contra, "ct_myelography"].isna().all()
    assert df.loc[contra, "ct_myelography"].notna().mean() > 0.8
    for m in MODALITIES:
        done = df[m].notna()
        assert ((df.loc[done, f"{m}_rating"] >= 3) == (df.loc[done, m] == 1)).all()
        assert df.loc[done, f"{m}_rating"].isin([1, 2, 3, 4, 5]).all()
    # verification bias: a known cancer makes biopsy of a seen lesion less likely
    lesion = df[[m for m in MODALITIES]].eq(1).any(axis=1)
    rate = df[lesion].groupby("prior_cancer")["biopsy_done"].mean()
    assert rate[True] < rate[False] - 0.3
    assert df.loc[df["true_origin"] == "breast", "sex"].eq("female").all()
    assert df.loc[df["true_origin"] == "prostate", "sex"].eq("male").all()
    assert not df.loc[df["true_origin"] == "unknown", "prior_cancer"].any()
    assert df["true_origin"].isna().eq(df["true_diagnosis"] != "metastasis").all()
    assert df.loc[df["biopsy_done"], "biopsy_guidance"].notna().all()
    assert (df["age"].between(16, 95)).all()


def test_mri_contraindication_rises_with_age():
    df = ds.simulate.cohort(100_000, seed=4)
    rate = df.groupby(df["age"] >= 75)["mri_contraindication"].mean()
    assert rate[True] > rate[False] + 0.015


def test_conspicuity_strength_makes_errors_dependent():
    def error_correlation(strength):
        s = ds.simulate.Scenario.load("spine_referral").replace(imaging__conspicuity_strength=strength)
        df = ds.simulate.cohort(60_000, s, seed=9, complete=True)
        t = df[df["true_diagnosis"] != "no_tumour"]
        return np.corrcoef(t["mri"], t["ct"])[0, 1]
    assert abs(error_correlation(0.0)) < 0.02
    assert error_correlation(0.6) > 0.15


@pytest.mark.parametrize("n", [0, -3, 2.5, True, "100"])
def test_bad_n(n):
    with pytest.raises(ds.OptionError, match="n="):
        ds.simulate.cohort(n)


def test_bad_scenario_and_complete():
    with pytest.raises(ds.OptionError, match="spine_refferal.*not a known scenario.*Did you mean 'spine_referral'"):
        ds.simulate.cohort(10, scenario="spine_refferal")
    with pytest.raises(ds.OptionError, match="no such file"):
        ds.simulate.cohort(10, scenario="missing.json")
    with pytest.raises(ds.OptionError, match="complete="):
        ds.simulate.cohort(10, complete="yes")
    with pytest.raises(ds.OptionError, match="seed="):
        ds.simulate.cohort(10, seed=-1)


# --- issue #14 -----------------------------------------------------------------------------------

def test_a_cohort_too_large_for_memory_is_refused_with_the_estimate():
    # before: MemoryError "Unable to allocate 7.28 TiB"
    with pytest.raises(ds.DiagstatsError, match=r"n=1000000000000 patients would need about 300,000 GB of memory"):
        ds.simulate.cohort(10 ** 12)
