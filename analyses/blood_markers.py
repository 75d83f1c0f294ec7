"""Routine blood markers (NLR, PLR) in spinal tumours: "Table 1", discrimination and origin prediction.

Default data: the spinal-tumour patients of a simulated referral cohort (``ds.simulate.cohort``,
default scenario, fixed seed), whose blood-marker shifts are calibrated to Li et al. (2019). Li's
published AUCs (``ds.datasets.load("li2019_auc")``) are shown next to the estimates for the same
three comparisons: benign vs malignant, primary vs metastatic, primary benign vs primary malignant.
The origin of a metastasis is predicted from log NLR and log PLR by a multinomial logistic model
with 5-fold cross-validated probabilities, summarised by Hand & Till's M.

``--data file.csv --map reference=<col>,neutrophils=<col>,lymphocytes=<col>,platelets=<col> [--positive
LABEL]`` runs the table and the two-class ROC analysis on a user's data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import diagstats as ds
from diagstats.report import Report
from diagstats.report.blocks import format_estimate, key_number, paragraph, section, table
from diagstats.report.data import binary_reference, dataset_source, frame_source, read_user_csv, settings
from diagstats.report.figures import new_figure, render
from diagstats.results import format_p_value

NAME = "blood_markers"
DEFAULTS = {"n": 4000, "seed": 20240917, "level": 0.95, "n_boot": 500, "data": None, "mapping": None,
            "positive": None, "progress": True}
ROLES = {"reference": "the two groups to discriminate (with --positive unless 0/1)",
         "neutrophils": "neutrophil count", "lymphocytes": "lymphocyte count", "platelets": "platelet count"}
#: Li 2019's comparisons: name -> (control groups, case groups) of the simulated true diagnosis.
COMPARISONS = {
    "benign vs malignant": (("benign_primary",), ("malignant_primary", "metastasis")),
    "primary vs metastatic": (("benign_primary", "malignant_primary"), ("metastasis",)),
    "primary benign vs primary malignant": (("benign_primary",), ("malignant_primary",)),
}
GROUPS = ("no_tumour", "benign_primary", "malignant_primary", "metastasis")
#: Upper reference limit of NLR in the general population (Fest et al. 2018, 97.5th percentile).
NLR_UPPER_LIMIT = 3.92


def with_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """NLR and PLR computed inline from the counts; ``ds.markers.ratios`` is to take over this computation."""
    return frame.assign(nlr=frame["neutrophils"] / frame["lymphocytes"],
                        plr=frame["platelets"] / frame["lymphocytes"])


def _median_iqr(values: pd.Series) -> str:
    q1, med, q3 = np.nanpercentile(values.to_numpy(dtype=float), [25, 50, 75])
    return f"{med:.2f} ({q1:.2f} to {q3:.2f})"


def _table1(frame: pd.DataFrame, group: str) -> pd.DataFrame:
    rows = []
    for name, sub in frame.groupby(group, observed=True, sort=True):
        rows.append({"group": name, "n": len(sub), **{c: _median_iqr(sub[c]) for c in
                                                       ("neutrophils", "lymphocytes", "platelets", "nlr", "plr")}})
    return pd.DataFrame(rows)


def _discrimination(y: np.ndarray, frame: pd.DataFrame, label: str, level: float, key_numbers: dict,
                    li: dict[str, float]):
    curves = {m: ds.roc(y, frame[m].to_numpy(), level=level) for m in ("nlr", "plr")}
    test = ds.compare_roc(curves["nlr"], curves["plr"], method="delong")
    rows = [{"comparison": label, "marker": m.upper(), "cases / controls": f"{c.n_cases} / {c.n_controls}",
             "AUC (CI)": format_estimate(c.auc), "method": c.auc.method,
             "Li 2019 AUC": f"{li[m]:.3f}" if m in li else ""} for m, c in curves.items()]
    tag = label.replace(" ", "_")
    for m, c in curves.items():
        key_numbers[f"{tag}/{m}_auc"] = key_number(c.auc)
    key_numbers[f"{tag}/nlr_minus_plr_auc"] = key_number(test.estimate)
    comparison = {"comparison": label, "AUC NLR - AUC PLR (CI)": format_estimate(test.estimate),
                  "p": format_p_value(test.p_value), "method": test.method}
    return rows, comparison, curves


def _origin(metastases: pd.DataFrame, cfg: dict, key_numbers: dict):
    data = metastases[metastases["true_origin"] != "unknown"]
    counts = data["true_origin"].value_counts()
    keep = counts[counts >= 10].index
    data = data[data["true_origin"].isin(keep)]
    y = data["true_origin"].astype(str).to_numpy()
    x = np.log(data[["nlr", "plr"]].to_numpy())
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=int(cfg["seed"]) % 2**32)
    proba = cross_val_predict(model, x, y, cv=folds, method="predict_proba")
    classes = sorted(set(y))
    result = ds.roc_multiclass(y, pd.DataFrame(proba, columns=classes), level=float(cfg["level"]),
                               n_boot=int(cfg["n_boot"]), seed=int(cfg["seed"]), progress=bool(cfg["progress"]))
    key_numbers["origin/hand_till_m"] = key_number(result.hand_till)
    rows = [{"origin": cls, "patients": int((y == cls).sum()), "one-vs-rest AUC (CI)": format_estimate(curve.auc)}
            for cls, curve in zip(result.classes, result.curves)]
    return [table(pd.DataFrame(rows)), paragraph(
        f"Hand & Till's M = {format_estimate(result.hand_till)} ({result.hand_till.method}). Metastases of unknown "
        "origin and origins with fewer than 10 patients are left out. Probabilities are out-of-fold (5-fold "
        "stratified cross-validation of a multinomial logistic model on log NLR and log PLR), so the AUCs are not "
        "optimistic. An M near 0.5 means the markers do not point to the primary.", note=True)]


def run(config: dict) -> Report:
    cfg = settings(config, DEFAULTS)
    level = float(cfg["level"])
    key_numbers: dict = {}
    li = ds.datasets.load("li2019_auc")
    li_auc = {(r.comparison, r.marker): r.auc for r in li.itertuples(index=False)}
    _, li_source = dataset_source("li2019_auc")
    simulated = cfg["data"] is None
    if simulated:
        cohort = with_ratios(ds.simulate.cohort(int(cfg["n"]), seed=int(cfg["seed"])))
        source = frame_source(f"simulated cohort: ds.simulate.cohort({cfg['n']}, seed={cfg['seed']}), scenario "
                              "'spine_referral'", cohort)
        table1 = _table1(cohort.assign(group=pd.Categorical(cohort["true_diagnosis"].astype(str), GROUPS)), "group")
        tumours = cohort[cohort["true_diagnosis"] != "no_tumour"]
        disc_rows, cmp_rows, figures = [], [], []
        for label, (controls, cases) in COMPARISONS.items():
            sub = tumours[tumours["true_diagnosis"].isin(controls + cases)]
            y = sub["true_diagnosis"].isin(cases).to_numpy()
            rows, comparison, curves = _discrimination(y, sub, label, level, key_numbers,
                                                       {m: li_auc[label, m] for m in ("nlr", "plr")})
            disc_rows += rows
            cmp_rows.append(comparison)
            fig = new_figure(4.8, 4.6)
            ds.plot_roc(list(curves.values()), ax=fig.subplots(), labels=["NLR", "PLR"])
            fig.axes[0].set_title(label)
            figures.append(render(fig, f"roc_{label.replace(' ', '_')}.png", f"ROC curves of NLR and PLR: {label}."))
        malignant = tumours["true_diagnosis"].isin(["malignant_primary", "metastasis"]).astype(float)
        no_tumour = (cohort["true_diagnosis"] == "no_tumour").to_numpy()
        # everyone has a blood count; patients without a tumour are outside Li's population, so excluded
        stard = ds.stard_counts(cohort.assign(nlr_high=(cohort["nlr"] > NLR_UPPER_LIMIT).astype(float).mask(no_tumour),
                                              malignant=malignant.reindex(cohort.index)),
                                test="nlr_high", reference="malignant",
                                exclusions={"no spinal tumour (outside Li 2019's population)": no_tumour},
                                test_label=f"NLR > {NLR_UPPER_LIMIT} (Fest 2018 upper limit)",
                                reference_label="pathology (simulated diagnosis)", target="malignancy")
        sources = (source, li_source)
    else:
        user, source, roles = read_user_csv(cfg["data"], cfg["mapping"] or {}, ROLES, tuple(ROLES))
        reference_col = roles["reference"][0]
        frame = with_ratios(pd.DataFrame({r: user[c[0]] for r, c in roles.items() if r != "reference"}))
        frame["reference"] = binary_reference(user[reference_col], f"reference column {reference_col!r}",
                                              cfg["positive"])
        frame = frame.dropna()
        table1 = _table1(frame.assign(group=frame["reference"].map({0.0: "negative", 1.0: "positive"})), "group")
        rows, comparison, curves = _discrimination(frame["reference"].to_numpy() == 1, frame, reference_col, level,
                                                   key_numbers, {})
        disc_rows, cmp_rows = rows, [comparison]
        fig = new_figure(4.8, 4.6)
        ds.plot_roc(list(curves.values()), ax=fig.subplots(), labels=["NLR", "PLR"])
        figures = [render(fig, "roc_reference.png", f"ROC curves of NLR and PLR against {reference_col}.")]
        stard = ds.stard_counts(frame.assign(nlr_high=(frame["nlr"] > NLR_UPPER_LIMIT).astype(float)),
                                test="nlr_high", reference="reference",
                                test_label=f"NLR > {NLR_UPPER_LIMIT}", reference_label=reference_col)
        sources = (source,)

    fig = new_figure(8, 5.5)
    ds.plot.stard_flow(stard, ax=fig.subplots())
    flow = render(fig, "stard_flow.png", f"STARD 2015 flow: {stard.test} against {stard.reference}.")
    key_numbers["stard"] = stard.to_dict()
    sections = [
        section("Participant flow (STARD 2015)", paragraph(
            f"The flow diagram dichotomises NLR at {NLR_UPPER_LIMIT}, the 97.5th percentile of the general population "
            "(Fest et al. 2018); the analyses below use the continuous ratios."), figures=[flow]),
        section("Table 1: blood counts and ratios by group", table(table1), paragraph(
            "Median (interquartile range); counts in 10^9/L. NLR = neutrophils / lymphocytes, PLR = platelets / "
            "lymphocytes.", note=True)),
        section("Discrimination (ROC)", table(pd.DataFrame(disc_rows)), table(pd.DataFrame(cmp_rows)), paragraph(
            "AUC with DeLong's interval (DeLong et al. 1988); NLR vs PLR compared on the same patients by the paired "
            "DeLong test." + (" Li 2019's AUCs (503 surgical patients, no intervals published) are shown for "
                              "comparison; the simulated cohort is calibrated to reproduce them." if simulated else ""),
            note=True), figures=figures),
    ]
    if simulated:
        metastases = tumours[tumours["true_diagnosis"] == "metastasis"]
        sections.append(section("Origin of a metastasis (multiclass ROC)", *_origin(metastases, cfg, key_numbers)))
    return Report(name=NAME, title="Blood markers (NLR, PLR) in the diagnosis of spinal tumours",
                  question="Do the neutrophil-to-lymphocyte and platelet-to-lymphocyte ratios of a routine blood "
                           "count discriminate benign from malignant and primary from metastatic spinal tumours, and "
                           "do they point to the primary tumour of a metastasis?",
                  sections=tuple(sections), data=sources, key_numbers=key_numbers,
                  parameters={k: cfg[k] for k in ("n", "seed", "level", "n_boot") if simulated or k == "level"})


if __name__ == "__main__":
    from diagstats.report import write

    print(write(run({}), "reports"))
