"""Every analysis on a reduced cohort: its key numbers are plausible (they cover the scenario's values)."""

import matplotlib

matplotlib.use("Agg")

import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import diagstats as ds  # noqa: E402
from diagstats.report import build  # noqa: E402

ANALYSES = Path(__file__).resolve().parent.parent / "analyses"
SMALL = {"n": 2500, "seed": 11, "progress": False}
SCENARIO = ds.simulate.Scenario.load("spine_referral")


def _covers(entry, value):
    return entry["lower"] <= value <= entry["upper"]


@pytest.fixture(scope="module")
def biopsy():
    return build("needle_biopsy", SMALL, path=ANALYSES).key_numbers


def test_biopsy_accuracy_and_yield_cover_the_scenario(biopsy):
    assert _covers(biopsy["biopsy/accuracy_diagnostic_biopsies"], SCENARIO["biopsy.accuracy"])
    assert _covers(biopsy["biopsy/yield"], SCENARIO["biopsy.yield"])
    assert _covers(biopsy["biopsy/accuracy_all_procedures"], SCENARIO["biopsy.accuracy"] * SCENARIO["biopsy.yield"])
    assert _covers(biopsy["biopsy/guidance_accuracy_difference"], 0.0)      # same accuracy for both guidances


def test_partial_verification_correction_moves_towards_the_truth(biopsy):
    naive, corrected, truth = (biopsy[f"mri_vs_malignancy/{k}/specificity"]["value"]
                               for k in ("naive", "begg", "truth"))
    assert naive < corrected < truth
    assert _covers(biopsy["mri_vs_malignancy/truth/sensitivity"], SCENARIO["imaging.mri.sensitivity"])
    # the pathway's covariate corrections are checked against the truth on 100,000 patients in
    # tests/bias/test_composite_reference.py; on 2,500 patients their intervals are wide
    assert {f"mri_vs_malignancy/{k}/sensitivity" for k in ("extended", "multiple", "everyone")} <= set(biopsy)


def test_pooled_literature_is_near_michalopoulos(biopsy):
    for method in ("REML", "GLMM"):
        pooled = biopsy[f"literature/accuracy/{method}"]
        assert 0.80 < pooled["value"] < 0.95 and pooled["lower"] < 0.89 and pooled["upper"] > 0.82


def test_stard_counts_add_up(biopsy):
    flow = biopsy["stard"]
    arms = flow["arms"].values()
    assert flow["eligible"] == sum(flow["excluded"].values()) + sum(a["n"] for a in arms) == SMALL["n"]
    for a in arms:
        assert a["n"] == a["no_reference"] + a["reference_inconclusive"] + a["target_present"] + a["target_absent"]


def test_imaging_truth_recovers_the_scenario_and_the_naive_analysis_is_biased():
    numbers = build("imaging_modalities", SMALL, path=ANALYSES).key_numbers
    for m in ("mri", "ct", "xray"):    # the target is malignancy; imaging reads any tumour, malignant ones included
        assert _covers(numbers[f"truth/{m}/sensitivity"], SCENARIO[f"imaging.{m}.sensitivity"]), m
        assert numbers[f"truth/{m}/specificity"]["upper"] < SCENARIO[f"imaging.{m}.specificity"], m   # benign: FP
    assert numbers["biopsy/mri/specificity"]["upper"] < numbers["truth/mri/specificity"]["lower"]
    headline = {k: numbers[f"headline/mri/{k}/specificity"] for k in ("naive", "composite", "corrected", "truth")}
    assert headline["naive"]["upper"] < headline["composite"]["lower"]       # the composite repairs most of it
    assert _covers(headline["corrected"], numbers["headline/mri/everyone/specificity"]["value"])
    assert numbers["truth/mri-ct/sensitivity_difference"]["lower"] > 0           # MRI beats CT (0.93 vs 0.70)
    assert numbers["truth/mri/rating_auc"]["value"] > numbers["truth/ct/rating_auc"]["value"]


def test_blood_marker_aucs_cover_li_2019():
    numbers = build("blood_markers", {**SMALL, "n_boot": 100}, path=ANALYSES).key_numbers
    li = ds.datasets.load("li2019_auc")
    for row in li.itertuples(index=False):
        assert _covers(numbers[f"{row.comparison.replace(' ', '_')}/{row.marker}_auc"], row.auc), row
    assert numbers["benign_vs_malignant/nlr_minus_plr_auc"]["value"] > 0
    for question in ("benign_vs_malignant", "primary_vs_metastatic"):    # the markers add to age
        assert numbers[f"{question}/model_minus_covariates_auc_cv"]["lower"] > 0
        assert numbers[f"{question}/model_auc_cv"]["value"] > numbers[f"{question}/nlr_auc"]["value"]
    assert 1.5 < numbers["benign_vs_malignant/nlr_youden_threshold"]["value"] < 3
    # most tumours are malignant: below that prevalence, working everyone up beats acting on the NLR
    assert numbers["decision/nlr_youden_minus_treat_all/t0.2"]["upper"] < 0
    assert 0.4 < numbers["origin/hand_till_m"]["value"] < 0.65         # NLR/PLR barely point to the primary
    gain = numbers["origin/macro_auc_gain"]
    assert gain["value"] == pytest.approx(numbers["origin/hand_till_m"]["value"] - 0.5)
    assert {"lower", "upper"} <= set(gain)


def test_meta_analysis_pools_per_unit_and_modality_and_explains_the_rest():
    rep = build("imaging_meta_analysis", {"progress": False}, path=ANALYSES)
    numbers = {k for k in rep.key_numbers if k != "study_flow"}
    # per-vertebra and per-lesion tables are never pooled with the per-patient ones (1-2 studies each here)
    assert {tuple(k.split("/")[:2]) for k in numbers} == {("patient", "MRI"), ("patient", "PET"),
                                                          ("patient", "bone scan"), ("patient", "comparison")}
    text = rep.to_markdown()
    assert "MRI (per-vertebra tables): not pooled, 1 study" in text
    assert "MRI (per-lesion tables): not pooled, 1 study" in text
    mri = rep.key_numbers["patient/MRI/sensitivity"]
    assert 0.6 < mri["value"] < 0.98 and mri["lower"] < mri["value"] < mri["upper"]
    # Even-Sapir's PET without CT is left out (the PET/CT table of the same patients is used), as in the fixture
    assert rep.key_numbers["study_flow"]["tables_used"] == 25
    assert "Even Sapir 2006, 18F-fluoride PET (per-patient tables): not used" in text


def test_meta_analysis_compares_modalities_by_the_meta_regression_of_the_fixture():
    from tests.meta.meta_fixtures import ref

    rep = build("imaging_meta_analysis", {"progress": False}, path=ANALYSES)
    r = ref("imaging_patient_modality_metareg")
    assert r["levels"][0] == "MRI"
    for j, modality in enumerate(r["levels"]):
        found = rep.key_numbers[f"patient/comparison/{modality}/sensitivity"]["value"]
        assert found == pytest.approx(r["REML"]["level_sensitivity"][j], rel=1e-6)
        found = rep.key_numbers[f"patient/comparison/{modality}/specificity"]["value"]
        assert found == pytest.approx(r["REML"]["level_specificity"][j], rel=1e-6)
    assert rep.key_numbers["patient/comparison/lr_test"]["statistic"] == pytest.approx(r["lrt"]["statistic"], rel=1e-6)
    pet = r["levels"].index("PET")
    difference = rep.key_numbers["patient/comparison/PET/sensitivity_difference"]
    assert difference["value"] == pytest.approx(r["REML"]["level_sensitivity"][pet] - r["REML"]["level_sensitivity"][0])
    relative = rep.key_numbers["patient/comparison/PET/relative_sensitivity"]
    assert relative["value"] == pytest.approx(r["REML"]["level_sensitivity"][pet] / r["REML"]["level_sensitivity"][0])


def test_meta_analysis_comparison_table_sets_mri_against_ct_pet_and_bone_scan():
    rep = build("imaging_meta_analysis", {"progress": False}, path=ANALYSES)
    compared = rep.to_markdown().split("## Modalities compared (meta-regression)", 1)[1].split("\n## ", 1)[0]
    header = next(line for line in compared.splitlines() if line.startswith("| unit | modality |"))
    assert "sensitivity difference (minus MRI)" in header and "specificity difference (minus MRI)" in header
    rows = {line.split(" | ")[1]: line.split(" | ") for line in compared.splitlines()
            if line.startswith("| per-patient tables | ")}
    assert list(rows) == ["MRI", "PET", "bone scan", "CT"]
    assert rows["MRI"][-1].strip(" |") == "reference"
    for modality in ("PET", "bone scan"):                 # a difference with its interval against MRI
        assert re.fullmatch(r"-?\d\.\d{3} \(-?\d\.\d{3} to -?\d\.\d{3}\)", rows[modality][6]), rows[modality]
    # no per-patient CT table exists: CT is listed, with the reason, not silently dropped
    assert rows["CT"][2] == "0" and "no per-patient table of CT" in rows["CT"][5]
    # the text says the comparisons are indirect, and which rest on studies that read both tests
    assert "PET vs MRI: no study read both" in compared
    assert "Bone scan vs MRI: 5 of the 9 bone scan tables come from studies that also read MRI" in compared
    # per vertebra, MRI and CT were read in the same patients by one study: shown as that direct comparison
    vertebra = ds.datasets.load("imaging_2x2_studies").query("unit == 'vertebra'").set_index("modality")
    sens = {m: r.tp / (r.tp + r.fn) for m, r in vertebra.iterrows()}
    assert (f"Buhmann Kirchhoff 2009 read CT and MRI in the same patients, a direct comparison: sensitivity CT "
            f"{sens['CT']:.3f}, MRI {sens['MRI']:.3f}") in compared


def test_meta_analysis_on_user_tables_with_a_mapping(tmp_path):
    tables = ds.datasets.load("imaging_2x2_studies")
    bone = tables[tables["test"].isin(["bone scintigraphy", "99mTc bone scan"])]
    path = tmp_path / "tables.csv"
    bone.rename(columns={"study": "Author", "tp": "TP"}).drop(columns="test").to_csv(path, index=False)
    rep = build("imaging_meta_analysis", {"data": str(path), "mapping": {"study": "Author", "tp": "TP"}}, path=ANALYSES)
    expected = ds.meta.bivariate(bone, study="study")
    assert rep.key_numbers["all/sensitivity"]["value"] == pytest.approx(expected.sensitivity.value, rel=1e-12)


def test_blood_markers_on_user_data(tmp_path):
    cohort = ds.simulate.cohort(800, seed=3)
    tumours = cohort[cohort["true_diagnosis"].isin(["benign_primary", "malignant_primary"])]
    data = pd.DataFrame({"dx": tumours["true_diagnosis"].astype(str), "neut": tumours["neutrophils"],
                         "lymph": tumours["lymphocytes"], "plt": tumours["platelets"]})
    path = tmp_path / "blood.csv"
    data.to_csv(path, index=False)
    rep = build("blood_markers", {"data": str(path), "positive": "malignant_primary",
                                  "mapping": {"reference": "dx", "neutrophils": "neut", "lymphocytes": "lymph",
                                              "platelets": "plt"}}, path=ANALYSES)
    curve = ds.roc(data["dx"] == "malignant_primary", data["neut"] / data["lymph"])
    question = "benign_primary_vs_malignant_primary"      # the reference's two labels, negative first
    assert rep.key_numbers[f"{question}/nlr_auc"]["value"] == pytest.approx(curve.auc.value, rel=1e-12)
    assert rep.key_numbers[f"{question}/nlr_youden_threshold"]["value"] == pytest.approx(
        curve.threshold("youden").threshold)
    assert f"{question}/covariates_auc_cv" not in rep.key_numbers         # no covariate mapped
    assert "origin/hand_till_m" not in rep.key_numbers                   # origin needs the simulated cohort


def test_blood_markers_on_user_data_with_monocytes_and_age(tmp_path):
    cohort = ds.simulate.cohort(800, seed=3)
    tumours = cohort[cohort["true_diagnosis"].isin(["benign_primary", "metastasis"])]
    data = pd.DataFrame({"dx": tumours["true_diagnosis"].astype(str), "neut": tumours["neutrophils"],
                         "lymph": tumours["lymphocytes"], "plt": tumours["platelets"], "mono": tumours["monocytes"],
                         "age_years": tumours["age"]})
    path = tmp_path / "blood.csv"
    data.to_csv(path, index=False)
    rep = build("blood_markers", {"data": str(path), "positive": "metastasis", "n_boot": 50, "progress": False,
                                  "mapping": {"reference": "dx", "neutrophils": "neut", "lymphocytes": "lymph",
                                              "platelets": "plt", "monocytes": "mono", "covariate": "age_years"}},
                path=ANALYSES)
    expected = ds.markers.discriminate(
        ds.markers.ratios(data, neutrophils="neut", lymphocytes="lymph", platelets="plt").rename(
            columns={"age_years": "age"}), markers=["nlr", "plr"], reference="dx", positive="metastasis",
        covariates=["age"], n_boot=None, seed=20240917)          # the report's default seed: same folds
    assert rep.key_numbers["benign_primary_vs_metastasis/covariates_auc_cv"]["value"] == pytest.approx(
        expected.model.covariates_auc_cv.value, rel=1e-12)
    assert "table1/lmr/kruskal_wallis" in rep.key_numbers
    with pytest.raises(ds.DataError, match="lymphocytes"):
        build("blood_markers", {"data": str(path), "positive": "metastasis",
                                "mapping": {"reference": "dx", "neutrophils": "neut", "lymphocytes": "plt",
                                            "platelets": "lymph"}}, path=ANALYSES)


def test_stard_counts_and_flow_diagram():
    df = pd.DataFrame({"mri": [1, 1, 1, 0, 0, None, None], "biopsy": ["m", "b", None, "m", None, "m", None],
                       "tried": [True, True, True, True, False, True, False], "device": [0, 0, 0, 0, 0, 1, 0]})
    counts = ds.stard_counts(df, test="mri", reference="biopsy", positive="m", attempted="tried",
                             exclusions={"MRI contraindicated": "device"})
    assert counts.excluded == {"MRI contraindicated": 1, "index test not done": 1}
    assert counts.arms["positive"] == ds.StardArm(n=3, no_reference=0, reference_inconclusive=1, target_present=1,
                                                  target_absent=1)
    assert counts.arms["negative"] == ds.StardArm(n=2, no_reference=1, reference_inconclusive=0, target_present=1,
                                                  target_absent=0)
    ax = ds.plot.stard_flow(counts)
    texts = [t.get_text() for t in ax.texts if t.get_text()]   # (arrows are empty annotations)
    assert "Eligible patients\nn = 7" in texts
    assert "Excluded, n = 2\nMRI contraindicated: 1\nindex test not done: 1" in texts
    assert len(texts) == 3 + 2 * 5
    with pytest.raises(ds.DataError, match="counts must be a StardCounts"):
        ds.plot.stard_flow({"eligible": 7})
    with pytest.raises(ds.ColumnError, match="test='ct' is not a column"):
        ds.stard_counts(df, test="ct", reference="biopsy", positive="m")
