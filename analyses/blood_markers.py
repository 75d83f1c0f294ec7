"""Routine blood markers (NLR, PLR, LMR, SII) in spinal tumours: "Table 1", discrimination, origin.

The report composes results of the package's marker API and computes nothing of its own:

1. ``ds.markers.ratios``: NLR, PLR, LMR and SII from the neutrophil, lymphocyte, platelet and
   monocyte counts.
2. ``ds.markers.describe``: the "Table 1" by diagnosis (one row per variable, median (IQR), the
   Kruskal-Wallis test named in the footnote; Holm-adjusted pairwise Mann-Whitney tests), with
   ``diagstats.plot.markers.marker_distributions``.
3. ``ds.markers.discriminate`` for Li et al. (2019)'s three questions (benign vs malignant, primary
   vs metastatic, primary benign vs primary malignant): DeLong AUCs next to Li's published AUCs
   (``ds.datasets.load("li2019_auc")``), Youden cutpoints with optimism-corrected values, the paired
   NLR vs PLR comparison, and a logistic model of log NLR, log PLR and age with the markers' added
   value over age alone.
4. ``ds.decision_curve``: net benefit of acting on an elevated NLR (at the Youden cutpoint and at the
   population upper limit) for the question benign vs malignant, with the biopsies avoided per 100 patients.
   ``ds.added_value``: do NLR and PLR add to age, a known cancer and imaging (likelihood-ratio test,
   cross-validated ΔAUC, NRI components, IDI, Brier, net benefit, optimism-corrected), and the biopsies
   avoided by the two models' cross-validated risks.
5. ``ds.calibration``: can the cross-validated risks of the base and the combined model be taken at their
   word (calibration-in-the-large, slope, ICI, Brier; the combined model's calibration plot)?
6. ``ds.markers.predict_origin``: the primary tumour of a metastasis from log NLR and log PLR
   (cross-validated macro AUC, gain over the prevalence-only prediction, confusion matrix), and
   ``OriginResult.calibration()``: each origin's calibration slope (one-vs-rest, out of fold), the
   multinomial recalibration of Van Hoorde et al. (2014) (slopes and a test of calibration) and their
   flexible multinomial calibration curves (the figure).

Default data: the spinal-tumour patients of a simulated referral cohort (``ds.simulate.cohort``,
default scenario, fixed seed), whose blood-marker shifts are calibrated to Li et al. (2019).
Bootstraps use ``n_boot`` replicates (default 200, so that the report builds in about half a minute of computing); the
origin model's calibration is not bootstrapped (its slopes have profile-likelihood intervals).

On a user's study (``--study study.toml`` with a ``[markers]`` table, or ``--data file.csv --map
reference=<col>,nlr=<col>[,plr=<col>][,covariate=<col>] --positive LABEL``) parts 2 to 4 run on the
user's data for the two classes of the reference standard. The markers are ready-made ratios (``nlr``,
``plr``) or the counts they are computed from (``neutrophils``, ``lymphocytes``, ``platelets``,
``monocytes``); an NLR is needed, PLR is used when there is one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import diagstats as ds
from diagstats.plot.markers import marker_distributions
from diagstats.plot.utility import decision_curves
from diagstats.report import Report
from diagstats.report.blocks import bullet_list, format_estimate, key_number, paragraph, section, table
from diagstats.report.data import dataset_source, frame_source, settings
from diagstats.report.study_data import study_section
from diagstats.report.figures import new_figure, render
from diagstats.results import format_level, format_number, format_p_value

NAME = "blood_markers"
DEFAULTS = {"n": 4000, "seed": 20240917, "level": 0.95, "n_boot": 200, "study": None, "progress": True}
#: What a user's study must provide (see diagstats.report.study.ROLE_HELP).
REQUIRES = ("reference", "nlr")
GROUPS = ("no_tumour", "benign_primary", "malignant_primary", "metastasis")
COUNTS = ("neutrophils", "lymphocytes", "platelets", "monocytes")
#: Li 2019 studied NLR and PLR; they are the markers of the discrimination and origin analyses.
MARKERS = ("nlr", "plr")
#: Upper reference limit of NLR in the general population (Fest et al. 2018, 97.5th percentile).
NLR_UPPER_LIMIT = 3.92
#: Threshold probabilities of the decision curves, and those tabulated.
DECISION_THRESHOLDS = np.round(np.arange(0.05, 0.801, 0.01), 2)
DECISION_TABLE = (0.2, 0.4, 0.6)
#: Table 1 row labels.
LABELS = {"neutrophils": "Neutrophils (10^9/L)", "lymphocytes": "Lymphocytes (10^9/L)",
          "platelets": "Platelets (10^9/L)", "monocytes": "Monocytes (10^9/L)", "nlr": "NLR", "plr": "PLR",
          "lmr": "LMR", "sii": "SII (10^9/L)"}
#: Risk categories of the categorical NRI (low / intermediate / high risk of malignancy) and the threshold
#: probability at which the change in net benefit is reported.
NRI_CUTOFFS = (0.3, 0.7)
ADDED_THRESHOLD = 0.4
#: Origins with fewer patients are left out of the origin prediction.
MIN_ORIGIN = 10


def _tag(label: str) -> str:
    return label.replace(" ", "_")


# ------------------------------------------------------------------------------------------ Table 1
def _table1(data: pd.DataFrame, by: str, groups: tuple, markers: list[str], cfg: dict, key_numbers: dict):
    described = ds.markers.describe(data, markers=markers, by=by, groups=list(groups))
    for marker, test in described.omnibus.items():
        key_numbers[f"table1/{marker}/kruskal_wallis"] = {"statistic": test.statistic, "df": test.df,
                                                          "p_value": test.p_value}
    pairs = described.pairwise[described.pairwise["marker"].isin(MARKERS)]
    pairwise = pd.DataFrame({"marker": pairs["marker"].str.upper(), "groups": pairs["group1"].astype(str) + " vs "
                             + pairs["group2"].astype(str),
                             "U": [f"{u:.0f}" for u in pairs["statistic"]],
                             "p": [format_p_value(p) for p in pairs["p_value"]],
                             f"p ({described.adjust.capitalize()})": [format_p_value(p) for p in pairs["p_adjusted"]]})
    counts = any(c in markers for c in COUNTS)
    ratios = " and ".join(m.upper() for m in MARKERS if m in markers)
    table_one = described.table1()
    table_one["variable"] = [f"{LABELS.get(m, m)}, median (IQR)" for m in described.markers]
    blocks = [table(table_one), paragraph(
        ("Counts in 10^9/L. NLR = neutrophils / lymphocytes, PLR = platelets / lymphocytes, LMR = lymphocytes / "
         "monocytes, SII = platelets x neutrophils / lymphocytes (10^9/L)." if counts else
         f"{ratios} as given in the data.") + " " + described.footnote, note=True),
        table(pairwise), paragraph(f"Pairwise {described.pairwise['test_method'].iloc[0]} tests of {ratios}, "
                                   f"{described.adjust.capitalize()}-adjusted within each marker.", note=True)]
    # one marker and the tumour groups only: every patient is a point of the inline SVG (about 150 bytes each)
    shown = [g for g in groups if g != "no_tumour"]
    fig = new_figure(5.6, 4.4)
    ax = marker_distributions(data[data[by].isin(shown)], "nlr", by, ax=fig.subplots(), groups=shown,
                              seed=int(cfg["seed"]))
    ax.tick_params(axis="x", labelrotation=15)
    figure = render(fig, "nlr_distribution.png", f"NLR by {by}{' (spinal tumours)' if len(shown) < len(groups) else ''}"
                                                 "; boxes: quartiles, points: patients.")
    return blocks, figure


# ----------------------------------------------------------------------------------- discrimination
def _discrimination(results: dict[str, ds.markers.DiscriminationResult], li_auc: dict, key_numbers: dict):
    """ROC, cutpoints, the paired comparison (with two markers) and the model, per question."""
    auc_rows, cut_rows, cmp_rows, model_rows, or_rows, figures = [], [], [], [], [], []
    for label, res in results.items():
        tag = _tag(label)
        for marker, m in res.markers.items():
            published = li_auc.get((label, marker))
            auc_rows.append({"question": label, "marker": marker.upper(),
                             "cases / controls": f"{res.n_cases} / {res.n_controls}",
                             "AUC (CI)": format_estimate(m.roc.auc), "method": m.roc.auc.method})
            if li_auc:      # the published AUCs the simulated cohort is calibrated to
                auc_rows[-1].update({"Li 2019 AUC": "" if published is None else f"{published:.3f}",
                                     "Li inside CI": "" if published is None else
                                     ("yes" if m.roc.auc.contains(published) else "no")})
            cut_rows.append({"question": label, "marker": marker.upper(),
                             "Youden cutpoint (CI)": format_estimate(m.threshold, 2),
                             "sensitivity (CI)": format_estimate(m.sensitivity),
                             "specificity (CI)": format_estimate(m.specificity),
                             "Youden index": format_number(m.youden.value),
                             "corrected sens. / spec. / Youden": " / ".join(format_number(e.value) for e in (
                                 m.sensitivity_corrected, m.specificity_corrected, m.youden_corrected))})
            for name, est in (("auc", m.roc.auc), ("youden_threshold", m.threshold), ("sensitivity", m.sensitivity),
                              ("specificity", m.specificity), ("youden_index_corrected", m.youden_corrected)):
                key_numbers[f"{tag}/{marker}_{name}"] = key_number(est)
        comparison = res.comparison
        for (a, b), test, _p_adj in (zip(comparison.pairs, comparison.tests, comparison.p_adjusted) if comparison
                                     else ()):
            cmp_rows.append({"question": label, "difference": f"AUC {a.upper()} - AUC {b.upper()}",
                             "value (CI)": format_estimate(test.estimate), "p": format_p_value(test.p_value),
                             "method": test.method})
            key_numbers[f"{tag}/{a}_minus_{b}_auc"] = key_number(test.estimate)
        model = res.model
        row = {"question": label, "model AUC, cross-validated (CI)": format_estimate(model.auc_cv),
               "apparent / optimism-corrected": f"{format_number(model.auc_apparent.value)} / "
                                                f"{format_number(model.auc_corrected.value)}"}
        key_numbers[f"{tag}/model_auc_cv"] = key_number(model.auc_cv)
        key_numbers[f"{tag}/model_auc_corrected"] = key_number(model.auc_corrected)
        if model.added_value is not None:
            row.update({"covariates alone (CI)": format_estimate(model.covariates_auc_cv),
                        "added value of the markers (CI)": format_estimate(model.added_value.estimate),
                        "p (DeLong)": format_p_value(model.added_value.p_value)})
            key_numbers[f"{tag}/covariates_auc_cv"] = key_number(model.covariates_auc_cv)
            key_numbers[f"{tag}/model_minus_covariates_auc_cv"] = key_number(model.added_value.estimate)
        row[f"LR test of the markers{' given the covariates' if res.covariates else ''}"] = (
            f"chi2 = {model.lr_test.statistic:.1f}, df {model.lr_test.df:g}, p {format_p_value(model.lr_test.p_value)}")
        model_rows.append(row)
        for c in model.coefficients.itertuples(index=False):
            or_rows.append({"question": label, "term": c.term, "odds ratio (CI)": f"{c.odds_ratio:.3f} "
                            f"({c.lower:.3f} to {c.upper:.3f})", "p": format_p_value(c.p_value)})
        fig = new_figure(4.8, 4.6)
        # ds.plot_roc adds each AUC to its label (DiscriminationResult.plot would print the AUC twice)
        ds.plot_roc([m.roc for m in res.markers.values()] + [model.roc_cv], ax=fig.subplots(),
                    labels=[m.upper() for m in res.markers] + ["model, cross-validated"])
        fig.axes[0].set_title(label)
        names = " and ".join(m.upper() for m in res.markers)
        figures.append(render(fig, f"roc_{tag}.png", f"ROC curves of {names} and the cross-validated model "
                                                     f"({', '.join(model.terms)}): {label}."))
    first = next(iter(results.values()))
    boot = (f"{first.n_boot} bootstrap replicates stratified by group (seed {first.seed})" if first.n_boot
            else "no bootstrap")
    return [
        table(pd.DataFrame(auc_rows)), paragraph(
            "AUC with DeLong's interval (DeLong et al. 1988)." + (
                " Li 2019's AUCs (503 surgical patients; no intervals published) are shown for comparison; the "
                "simulated cohort is calibrated to reproduce them." if li_auc else ""), note=True),
        *([table(pd.DataFrame(cmp_rows)), paragraph(
            "NLR vs PLR compared on the same patients by the paired DeLong test.", note=True)] if cmp_rows else []),
        table(pd.DataFrame(cut_rows)), paragraph(
            "Youden cutpoint (Youden 1950) with the bootstrap percentile interval of the re-chosen cutpoint; "
            "sensitivity and specificity at it with Wilson intervals (conditional on the cutpoint); corrected values: "
            f"Harrell's bootstrap optimism correction ({boot}).", note=True),
        table(pd.DataFrame(model_rows)), table(pd.DataFrame(or_rows)), paragraph(
            f"Logistic regression on {', '.join(first.model.terms)}; AUCs of out-of-fold linear predictors "
            f"({first.cv}-fold stratified cross-validation) with DeLong intervals; the added value is the paired "
            "DeLong difference between the model and the covariates alone on the same folds; odds ratios per "
            "natural-log unit of a marker (an e-fold higher ratio) or per unit of a covariate, with Wald intervals "
            "from the fit on all patients.", note=True)], figures


# --------------------------------------------------------------------------------------- decisions
def _decision(data: pd.DataFrame, outcome: str, result: ds.markers.DiscriminationResult, cfg: dict,
              key_numbers: dict):
    """Net benefit of acting on an elevated NLR (the simulated cohort's text unless ``cfg["study"]``)."""
    cut = result.markers["nlr"].threshold.value
    youden, upper = f"NLR >= {cut:.2f} (Youden)", f"NLR > {NLR_UPPER_LIMIT} (Fest 2018)"
    frame = pd.DataFrame({outcome: data[outcome], youden: data["nlr"] >= cut, upper: data["nlr"] > NLR_UPPER_LIMIT})
    curves = ds.decision_curve(frame, reference=outcome, predictors=[youden, upper],
                               thresholds=DECISION_THRESHOLDS, n_boot=int(cfg["n_boot"]), level=float(cfg["level"]),
                               seed=int(cfg["seed"]), progress=bool(cfg["progress"]))
    method = f"percentile bootstrap ({curves.n_boot} replicates, seed {curves.seed})"
    frame = curves.to_frame().set_index(["strategy", "threshold"])
    difference = curves.difference(youden, "treat all").set_index("threshold")
    shown = {youden: "nlr_youden", upper: "nlr_upper_limit", "treat all": "treat_all"}
    rows = []
    for strategy, short in shown.items():
        row = {"strategy": strategy}
        for t in DECISION_TABLE:
            r = frame.loc[(strategy, t)]
            est = ds.Estimate(float(r["value"]), float(r["lower"]), float(r["upper"]), curves.level, method,
                              "net benefit")
            row[f"t = {t:.1f}"] = format_estimate(est)
            key_numbers[f"decision/{short}/t{t:.1f}"] = key_number(est)
        rows.append(row)
    row = {"strategy": f"{youden} minus treat all (paired)"}
    for t in DECISION_TABLE:
        d = difference.loc[t]
        est = ds.Estimate(float(d["difference"]), float(d["lower"]), float(d["upper"]), curves.level, method,
                          "net benefit difference")
        row[f"t = {t:.1f}"] = format_estimate(est)
        key_numbers[f"decision/nlr_youden_minus_treat_all/t{t:.1f}"] = key_number(est)
    rows.append(row)
    avoided_rows = []
    for strategy, short in list(shown.items())[:2]:
        avoided = curves.interventions_avoided(strategy, per=100).set_index("threshold")
        row = {"strategy": strategy}
        for t in DECISION_TABLE:
            a = avoided.loc[t]
            est = ds.Estimate(*(round(float(a[k]), 9) for k in ("net_interventions_avoided", "lower", "upper")),
                              curves.level, method, "net interventions avoided per 100")
            row[f"t = {t:.1f}"] = format_estimate(est, 1)
            key_numbers[f"decision/{short}/biopsies_avoided_per_100/t{t:.1f}"] = key_number(est)
        avoided_rows.append(row)
    fig = new_figure(6.4, 4.4)
    decision_curves(curves, ax=fig.subplots())
    figure = render(fig, "decision_curve.png", f"Decision curves: acting on an elevated NLR to work up "
                                               f"{result.positive} ({result.question}).")
    return [paragraph(
        f"Question: {result.question}, {curves.n} patients, prevalence of {result.positive} {curves.prevalence:.2f}. "
        "Acting on an elevated NLR " + ("(biopsy or oncological work-up)" if cfg["study"] is None else
                                        "(further work-up)") + " against working up everyone (treat all) and "
        "no one (treat none); net benefit (Vickers & Elkin 2006) in true positives per patient."),
        table(pd.DataFrame(rows)),
        paragraph("Biopsies avoided per 100 patients, against biopsying everyone (net of the malignancies "
                  "missed; Vickers et al. 2008):" if cfg["study"] is None else
                  "Work-ups avoided per 100 patients, against working up everyone (net of the cases missed; "
                  "Vickers et al. 2008):"),
        table(pd.DataFrame(avoided_rows)), paragraph(
            "Net benefit at threshold probabilities t (treat none: 0), with percentile bootstrap intervals; the "
            "difference resamples the same patients for both strategies. The Youden cutpoint is chosen on "
            "the same patients (" + ("its optimism is small here; " if cfg["study"] is None else "for its optimism, ")
            + "see the corrected values above). Where the prevalence "
            "is above the threshold probability, working up everyone beats any test short of a perfect one. "
            "Interventions avoided = (net benefit - net benefit of treat all) / (t / (1 - t)) x 100: a negative "
            "number means more work-ups than needed, or malignancies missed, compared with working up everyone.",
            note=True)], figure


# ------------------------------------------------------------------------------------------ added value
def _added_value(data: pd.DataFrame, outcome: str, base: list[str], base_labels: str, positive: str, cfg: dict,
                 key_numbers: dict):
    """What log NLR and log PLR add to the base model: ds.added_value, then decision curves of the two models'
    cross-validated risks with the biopsies (work-ups) avoided."""
    frame = data.assign(log_nlr=np.log(data["nlr"]), **({"log_plr": np.log(data["plr"])} if "plr" in data else {}))
    new = [c for c in ("log_nlr", "log_plr") if c in frame]
    level, n_boot, seed = float(cfg["level"]), int(cfg["n_boot"]), int(cfg["seed"])
    res = ds.added_value(frame, outcome, base=base, new=new, cutoffs=NRI_CUTOFFS, threshold=ADDED_THRESHOLD,
                         n_boot=n_boot, level=level, seed=seed, nan_policy="omit", progress=bool(cfg["progress"]))
    lr = res.lr_test
    key_numbers["added_value/lr_test"] = {"statistic": lr.statistic, "df": lr.df, "p_value": lr.p_value}
    key_numbers["added_value/auc_difference_cv"] = key_number(res.delta_auc.estimate)
    names = " and ".join(m.upper() for m in MARKERS if m in data)
    rows = [{"measure": f"likelihood-ratio test of {names} (do they add information?)",
             "value (CI)": f"chi2 = {lr.statistic:.1f}, df {lr.df:g}, p {format_p_value(lr.p_value)}",
             "optimism-corrected": ""},
            {"measure": f"AUC difference, cross-validated (paired DeLong p {format_p_value(res.delta_auc.p_value)})",
             "value (CI)": format_estimate(res.delta_auc.estimate), "optimism-corrected": ""}]
    explained = {
        "auc_base": "AUC of the base model", "auc_new": "AUC with the markers",
        "slope_base": "discrimination slope, base model", "slope_new": "discrimination slope, with the markers",
        "idi": "IDI (difference of the slopes)",
        "nri_events": "NRI, malignant: net share moved to a higher category",
        "nri_nonevents": "NRI, benign: net share moved to a lower category",
        "continuous_nri_events": "continuous NRI, malignant: net share with a higher risk",
        "continuous_nri_nonevents": "continuous NRI, benign: net share with a lower risk",
        "delta_brier": "Brier score difference (negative: better)",
        "delta_net_benefit": f"net benefit difference at t = {ADDED_THRESHOLD:g}"}
    for name, meaning in explained.items():
        est = getattr(res, name)
        rows.append({"measure": meaning, "value (CI)": format_estimate(est),
                     "optimism-corrected": format_number(res.corrected[name].value)})
        key_numbers[f"added_value/{name}"] = key_number(est)
        key_numbers[f"added_value/{name}_corrected"] = key_number(res.corrected[name])
    # decision curves of the two models' cross-validated risks: biopsies avoided against biopsying everyone
    models = {"base_cv": "base model", "new_cv": f"base model + {names}"}
    curves = ds.decision_curve(res.risks.rename(columns=models), "reference", list(models.values()),
                               thresholds=DECISION_THRESHOLDS, n_boot=n_boot, level=level, seed=seed,
                               progress=bool(cfg["progress"]))
    method = f"percentile bootstrap ({curves.n_boot} replicates, seed {curves.seed})"
    avoided_rows = []
    for strategy, label in models.items():
        avoided = curves.interventions_avoided(label, per=100).set_index("threshold")
        row = {"risk model (cross-validated)": label}
        for t in DECISION_TABLE:
            a = avoided.loc[t]
            est = ds.Estimate(*(round(float(a[k]), 9) for k in ("net_interventions_avoided", "lower", "upper")), level,
                              method, "net interventions avoided per 100")
            row[f"t = {t:.1f}"] = format_estimate(est, 1)
            key_numbers[f"added_value/{strategy}/biopsies_avoided_per_100/t{t:.1f}"] = key_number(est)
        avoided_rows.append(row)
    gain = curves.difference(models["new_cv"], models["base_cv"]).set_index("threshold")
    row = {"risk model (cross-validated)": "difference, per 100 (paired)"}
    for t in DECISION_TABLE:
        odds = t / (1 - t)
        d = gain.loc[t]
        est = ds.Estimate(*(round(100 * float(d[k]) / odds, 9) for k in ("difference", "lower", "upper")), level,
                          method, "difference in interventions avoided")
        row[f"t = {t:.1f}"] = format_estimate(est, 1)
        key_numbers[f"added_value/new_minus_base/biopsies_avoided_per_100/t{t:.1f}"] = key_number(est)
    avoided_rows.append(row)
    fig = new_figure(6.4, 4.4)
    ax = decision_curves(curves, ax=fig.subplots())
    ax.set_title(f"{positive}: base model vs base model + markers")
    figure = render(fig, "decision_curve_added_value.png",
                    f"Decision curves of the cross-validated risks (outcome: {positive}) without and with {names}.")
    diff = res.delta_auc.estimate
    verdict = ("adds information (likelihood-ratio test p " + format_p_value(lr.p_value) + ")" if lr.p_value < 0.05
               else "adds no detectable information (likelihood-ratio test p " + format_p_value(lr.p_value) + ")")
    blocks = [
        paragraph(f"Base model: logistic regression of {positive} on {base_labels}; new model: the same plus the "
                  f"natural logs of {names}. {res.n} patients ({res.n_events} {positive})"
                  + (f"; {res.n_omitted} without a value of a predictor left out" if res.n_omitted else "")
                  + f". Adding the markers {verdict}; the cross-validated AUC changes by "
                  f"{format_estimate(diff)}."),
        table(pd.DataFrame(rows)),
        paragraph(f"Intervals: {res.auc_base.method} (patients resampled, both models refitted per replicate), "
                  "except the AUC difference (DeLong, on 5-fold cross-validated risks). Optimism-corrected: Harrell's "
                  "bootstrap correction, the apparent value minus its mean optimism. Categorical NRI at risks of "
                  f"{NRI_CUTOFFS[0]:.0%} and {NRI_CUTOFFS[1]:.0%} (low / intermediate / high), reported as its "
                  "two components (Leening et al. 2014); neither is a share of patients reclassified, and they "
                  "are not added. The likelihood-ratio test, not the NRI or IDI, tests whether the markers add "
                  "anything (Kerr et al. 2014; Pepe et al. 2015).", note=True),
        paragraph("Biopsies avoided per 100 patients by biopsying only those whose cross-validated risk is at least "
                  "t, against biopsying everyone (net of the malignancies missed):"),
        table(pd.DataFrame(avoided_rows)),
        paragraph("A difference whose interval includes 0 means the markers do not change how many biopsies a "
                  "clinician could safely avoid at that threshold.", note=True)]
    if res.notes:
        blocks.append(bullet_list([n for n in res.notes if not n.startswith("NRI reported")]))
    return blocks, figure, res


# ------------------------------------------------------------------------------------------ calibration
#: Calibration measures of the risk models, as (attribute, label) in the table's order.
CALIBRATION_MEASURES = (("calibration_in_the_large", "calibration-in-the-large (0 ideal; < 0: risks too high)"),
                        ("slope", "calibration slope (1 ideal; < 1: risks too extreme)"),
                        ("oe", "observed / expected events (1 ideal)"),
                        ("ici", "ICI: mean distance of the loess curve from the diagonal"),
                        ("e90", "E90: 90th percentile of that distance"),
                        ("brier", "Brier score (lower is better)"),
                        ("scaled_brier", "scaled Brier score (higher is better)"))


def _calibration(risks: pd.DataFrame, names: str, positive: str, cfg: dict, key_numbers: dict):
    """Calibration of the base and the combined model's cross-validated risks; the combined model's plot."""
    level, n_boot, seed = float(cfg["level"]), int(cfg["n_boot"]), int(cfg["seed"])
    models = {"base_cv": "base model", "new_cv": f"base model + {names}"}
    results = {column: ds.calibration(risks["reference"], risks[column], n_boot=n_boot, level=level, seed=seed,
                                      progress=bool(cfg["progress"]))
               for column in models}
    rows = []
    for attribute, label in CALIBRATION_MEASURES:
        row = {"measure": label}
        for column, model in models.items():
            est = getattr(results[column], attribute)
            row[f"{model} (CI)"] = format_estimate(est)
            key_numbers[f"calibration/{column}/{attribute}"] = key_number(est)
        row["interval"] = est.method
        rows.append(row)
    combined = results["new_cv"]
    fig = new_figure(5.2, 5.2)
    ax = combined.plot(ax=fig.subplots())
    ax.set_title(f"{models['new_cv']}, cross-validated\nslope {combined.slope.value:.2f}, "
                 f"calibration-in-the-large {combined.calibration_in_the_large.value:.2f}", fontsize=9)
    figure = render(fig, "calibration_combined_model.png",
                    f"Calibration of the combined model's cross-validated risks (outcome: {positive}): loess curve of "
                    f"the observed proportion against the predicted risk, with its {format_level(level)} bootstrap "
                    f"band; spikes: patients at each risk whose outcome is {positive} (up) and is not (down).")
    slope = combined.slope
    verdict = ("the risks are neither too extreme nor too timid" if slope.contains(1.0)
               else "the risks are too extreme (slope below 1)" if slope.upper < 1 else
               "the risks are too timid (slope above 1)")
    blocks = [
        paragraph(f"The risks (outcome: {positive}) that the two models give each patient when that patient was left "
                  f"out of the fit (5-fold cross-validation), against what happened. For the combined model, "
                  f"{verdict}, and on average they are "
                  + ("right" if combined.calibration_in_the_large.contains(0.0) else "off")
                  + f" (calibration-in-the-large {format_estimate(combined.calibration_in_the_large)}); the "
                  f"loess curve lies on average {combined.ici.value:.3f} from the diagonal (ICI)."),
        table(pd.DataFrame(rows)),
        paragraph("Calibration-in-the-large: the intercept a of logit P(y) = a + logit(risk), the slope fixed at 1; "
                  "calibration slope: b of logit P(y) = a + b logit(risk) (Cox 1958; Van Calster et al. 2016), "
                  "both with profile-likelihood intervals. ICI and E90 from the loess calibration curve (Austin & "
                  f"Steyerberg 2019); ICI, E90 and Brier intervals: percentile bootstrap ({n_boot} replicates, "
                  f"seed {seed}). Cross-validated risks are not optimistic, so no correction is needed.",
                  note=True)]
    notes = [n for n in combined.notes if "interpolate" not in n]
    if notes:
        blocks.append(bullet_list([f"combined model: {n}" for n in notes]))
    return blocks, figure


# ------------------------------------------------------------------------------------------ origin
def _origin(metastases: pd.DataFrame, cfg: dict, key_numbers: dict):
    counts = metastases["true_origin"].value_counts()
    counts = counts[counts > 0]
    small = sorted(str(c) for c, k in counts.items() if k < MIN_ORIGIN or c == "unknown")
    data = metastases[metastases["true_origin"].notna() & ~metastases["true_origin"].astype(str).isin(small)]
    data = data.assign(true_origin=data["true_origin"].astype(str))
    result = ds.markers.predict_origin(data, markers=list(MARKERS), reference="true_origin",
                                       n_boot=int(cfg["n_boot"]), level=float(cfg["level"]), seed=int(cfg["seed"]),
                                       progress=bool(cfg["progress"]))
    key_numbers["origin/hand_till_m"] = key_number(result.macro_auc)
    for name in ("macro_auc_gain", "log_loss", "baseline_log_loss", "log_loss_difference", "accuracy"):
        key_numbers[f"origin/{name}"] = key_number(getattr(result, name))
    for cls, est in result.auc.items():
        key_numbers[f"origin/auc/{cls}"] = key_number(est)
    per_origin = pd.DataFrame([{"origin": cls, "patients": int(result.confusion.loc[cls].sum()),
                                "one-vs-rest AUC (CI)": format_estimate(est),
                                "mean predicted / observed share": f"{row.predicted:.3f} / {row.observed:.3f}"}
                               for (cls, est), row in zip(result.auc.items(),
                                                          result.observed_vs_predicted.itertuples())])
    summary = pd.DataFrame([{"measure": est.name, "value (CI)": format_estimate(est), "method": est.method}
                            for est in (result.macro_auc, result.macro_auc_gain, result.log_loss,
                                        result.baseline_log_loss, result.log_loss_difference, result.accuracy)])
    # a table, not diagstats.plot.markers.confusion_matrix: its imshow heat map becomes a base64 PNG inside the
    # SVG (a data: link), which the self-contained HTML page does not allow
    confusion = result.confusion.rename_axis(index=None, columns=None).reset_index(names="true origin")
    left_out = (f"Left out: {', '.join(small)} (origin unknown or fewer than {MIN_ORIGIN} patients). " if small
                else "")
    blocks = [paragraph("; ".join(result.header_lines()) + "."), table(summary), table(per_origin),
              paragraph("Confusion matrix: true origin (rows) by the most probable origin (columns), patients.",
                        note=True),
              table(confusion), paragraph(
        left_out + "Probabilities are out-of-fold, so the AUCs are not optimistic. The prevalence-only prediction "
        "cannot rank patients (macro AUC 0.5); a gain whose interval includes 0 and a log-loss no better than the "
        "prevalences' mean that NLR and PLR do not point to the primary.", note=True)]
    if result.notes:
        blocks.append(bullet_list(list(result.notes)))
    calibration_blocks, figure = _origin_calibration(result, cfg, key_numbers)
    return blocks + calibration_blocks, figure


def _origin_calibration(result: ds.markers.OriginResult, cfg: dict, key_numbers: dict):
    """Each origin's out-of-fold probability against having that origin, with the secondary logistic curve (a
    loess curve meanders where an origin has a few dozen patients); no bootstrap: the slopes and
    calibration-in-the-large have profile-likelihood intervals."""
    calibrated = result.calibration(curve="logistic", n_boot=None, level=float(cfg["level"]),
                                    progress=bool(cfg["progress"]))
    rows = []
    for origin, cal in calibrated.by_origin.items():
        rows.append({"origin": origin, "largest predicted probability": f"{cal.probabilities.max():.2f}",
                     "calibration-in-the-large (CI)": format_estimate(cal.calibration_in_the_large, 2),
                     "calibration slope (CI)": format_estimate(cal.slope, 2),
                     "ICI": format_number(cal.ici.value), "Brier / scaled Brier":
                         f"{format_number(cal.brier.value)} / {format_number(cal.scaled_brier.value)}"})
        for name in ("calibration_in_the_large", "slope", "ici", "brier", "scaled_brier"):
            key_numbers[f"origin/calibration/{origin}/{name}"] = key_number(getattr(cal, name))
    fig = new_figure(5.6, 5.2)
    ax = calibrated.plot(ax=fig.subplots())
    limit = ax.get_xlim()[1]                         # the plot ends near the largest predicted probability
    flexible = calibrated.flexible
    figure = render(fig, "calibration_origin.png",
                    "Calibration of the origin model, all origins jointly (Van Hoorde et al.'s flexible multinomial "
                    "calibration curves): each patient's recalibrated probability of an origin (points; from the "
                    "multinomial regression of the true origin on natural splines of the log ratios of the "
                    f"out-of-fold probabilities, df {flexible.df if flexible else '-'}) against the predicted "
                    "probability of that origin, with a smoothing spline through them; on the diagonal the "
                    "probabilities are right. Under the axis, each origin's distribution of predicted probabilities. "
                    f"Axes up to {limit:g}: the model never gives a higher probability."
                    if flexible is not None else
                    "Calibration of the origin model: the flexible multinomial curves could not be fitted (see the "
                    f"notes); the strips show each origin's predicted probabilities. Axes up to {limit:g}.")
    good = [str(o) for o, cal in calibrated.by_origin.items() if cal.slope.lower > 0 and cal.slope.contains(1.0)]
    blocks = [
        paragraph("Can the origin probabilities be taken at their word? Each origin's out-of-fold probability is "
                  "checked against whether the patient has that origin (Van Hoorde et al. 2014). On average they "
                  "are right by construction (calibration-in-the-large near 0: the model reproduces the "
                  "prevalences), but a slope far below 1, or an interval that includes 0, means the probabilities "
                  "vary between patients more than the origins do: they rank patients no better than chance and "
                  "should not be quoted to an individual patient. "
                  + (f"Slopes compatible with 1 and above 0: {', '.join(good)}." if good else
                     "No origin has a slope compatible with 1 and clearly above 0.")),
        table(pd.DataFrame(rows)),
        paragraph("One-vs-rest (each origin's probability against having that origin, on its own): "
                  "calibration-in-the-large and slope as for the risk models above (profile-likelihood intervals); "
                  "ICI from each origin's secondary logistic calibration curve (glm(y ~ p); a loess curve meanders "
                  "where an origin has a few dozen patients); no bootstrap here, to keep the report quick. The "
                  "figure shows the multinomial (joint) curves instead: the model predicts the origins together, "
                  "and a patient's probability of one origin is right only if the others are.", note=True)]
    if flexible is not None:
        frame = flexible.frame
        for origin, curve in frame.groupby("origin", sort=False):
            key_numbers[f"origin/calibration/flexible/{origin}/largest_gap"] = float(
                np.nanmax(np.abs(curve["observed"] - curve["predicted"])))
        blocks.append(paragraph(
            "Flexible multinomial curves (figure): where an origin's curve lies below the diagonal the model "
            "overstates that origin, above it understates it. The splines are regression splines (natural cubic, "
            f"df {flexible.df} per log ratio) in place of the papers' VGAM smoothing splines; R's "
            "nnet::multinom on ns() gives the same recalibrated probabilities. Largest gap between curve and "
            "diagonal: " + ", ".join(f"{origin} {np.nanmax(np.abs(c['observed'] - c['predicted'])):.2f}"
                                     for origin, c in frame.groupby("origin", sort=False)) + ".", note=True))
    joint = calibrated.multinomial
    if joint is not None:
        test = joint.test
        key_numbers["origin/calibration/multinomial_test"] = {"statistic": test.statistic, "df": test.df,
                                                              "p_value": test.p_value}
        for origin, est in joint.slope.items():
            key_numbers[f"origin/calibration/multinomial/{origin}/slope"] = key_number(est)
        blocks += [
            paragraph(f"Jointly, as the multinomial model predicts them (Van Hoorde et al. 2014): the origin "
                      f"regressed on the log ratios of the predicted probabilities against {joint.reference_class}; "
                      f"likelihood-ratio test of calibration (intercepts 0, slopes the identity) chi2 = "
                      f"{test.statistic:.1f}, df {test.df:g}, p {format_p_value(test.p_value)}. Each origin's slope "
                      f"is that of its probability relative to {joint.reference_class}'s: below 1 the ratios are too "
                      "extreme, near 0 they carry no information about that origin, below 0 they point the wrong "
                      "way (small origins)."),
            table(pd.DataFrame([{"origin": origin, f"vs {joint.reference_class}: calibration-in-the-large (CI)":
                                 format_estimate(joint.calibration_in_the_large[origin], 2),
                                 "calibration slope (CI)": format_estimate(est, 2)}
                                for origin, est in joint.slope.items()]))]
    if calibrated.notes:
        blocks.append(bullet_list(list(calibrated.notes)))
    return blocks, figure


# --------------------------------------------------------------------------------------------- run
def _stard_section(stard):
    fig = new_figure(8, 5.5)
    ds.plot.stard_flow(stard, ax=fig.subplots())
    flow = render(fig, "stard_flow.png", f"STARD 2015 flow: {stard.test} against {stard.reference}.")
    return section("Participant flow (STARD 2015)", paragraph(
        f"The flow diagram dichotomises NLR at {NLR_UPPER_LIMIT}, the 97.5th percentile of the general population "
        "(Fest et al. 2018); the analyses below use the continuous ratios."), figures=[flow])


def _bootstrap_note(cfg: dict):
    simulated = cfg["study"] is None
    how = ("build('blood_markers', {'n_boot': 2000})" if simulated
           else "n_boot = 2000 under [settings] in the study file")
    not_bootstrapped = " (the origin model's calibration is not bootstrapped)" if simulated else ""
    return paragraph(
        f"Bootstraps (cutpoint intervals, optimism, decision curves, calibration bands and ICI / Brier "
        f"intervals{', origin' if simulated else ''}) use n_boot = {cfg['n_boot']} replicates with seed "
        f"{cfg['seed']}, chosen so the report builds in about half a minute of computing{not_bootstrapped}; "
        "their percentile limits carry Monte Carlo error in the third decimal. For publication, rebuild with more "
        f"(e.g. {how}). DeLong and Wilson intervals are not simulated.", note=True)


def _user_hints(study) -> tuple[tuple[str, str], ...]:
    """The estimators' Python-only fixes (``markers=``, ``covariates=``, ``cv=``) as fixes of the user's study."""
    markers = study.at("[markers]", "--map " + ",".join(f"{m}={c}" for m, c in study.markers))
    covariates = study.at("covariates", "--map covariate=" + "+".join(study.covariates))
    reference = study.column(study.reference.column, "[reference] column", f"--map reference={study.reference.column}")
    return (
        (r"Drop a marker from markers= \(or a covariate from covariates=\)",
         f"Leave a marker out ({markers})" + (f" or a covariate ({covariates})" if study.covariates else "")),
        (r"fewer than cv=(\d+) folds; stratified cross-validation needs one in every fold\. Use fewer folds or more "
         r"patients\.",
         rf"fewer than the \1 folds in which the report cross-validates the marker model (it needs one in every fold). "
         f"Check the reference standard, {reference} and {study.at('[reference] positive', '--positive')}, or add "
         "patients of that group (with a blood count)."),
        (r", or use fewer folds \(cv=\)", ""),
    )


def run(config: dict) -> Report:
    cfg = settings(config, DEFAULTS)
    if cfg["study"] is None:
        return _report(cfg)
    try:
        return _report(cfg)
    except ds.DiagstatsError as error:     # in the words of the user's study file or flags
        raise cfg["study"].in_user_terms(error, {}, _user_hints(cfg["study"].study)) from None


def _report(cfg: dict) -> Report:
    level, n_boot, seed = float(cfg["level"]), int(cfg["n_boot"]), int(cfg["seed"])
    progress = bool(cfg["progress"])
    key_numbers: dict = {}
    simulated = cfg["study"] is None
    if simulated:
        li, li_source = dataset_source("li2019_auc")
        li_auc = {(r.comparison, r.marker): r.auc for r in li.itertuples(index=False)}
        cohort = ds.simulate.cohort(int(cfg["n"]), seed=seed)
        source = frame_source(f"simulated cohort: ds.simulate.cohort({cfg['n']}, seed={seed}), scenario "
                              "'spine_referral'", cohort)
        data = ds.markers.ratios(cohort, **{c: c for c in COUNTS})
        data["true_diagnosis"] = data["true_diagnosis"].astype(str)
        by, groups = "true_diagnosis", GROUPS
        questions = {q: {"groups": q} for q in ds.markers.LI2019_QUESTIONS}
        covariates = ["age"]
        malignant = data["true_diagnosis"].isin(["malignant_primary", "metastasis"]).astype(float)
        no_tumour = (data["true_diagnosis"] == "no_tumour").to_numpy()
        # the decision curve asks Li's first question (benign vs malignant) of the tumour patients
        decision_data, decision_outcome = data.assign(malignant=malignant)[~no_tumour], "malignant"
        # everyone has a blood count; patients without a tumour are outside Li's population, so excluded
        stard = ds.stard_counts(data.assign(nlr_high=(data["nlr"] > NLR_UPPER_LIMIT).astype(float).mask(no_tumour),
                                            malignant=malignant.mask(no_tumour)),
                                test="nlr_high", reference="malignant",
                                exclusions={"no spinal tumour (outside Li 2019's population)": no_tumour},
                                test_label=f"NLR > {NLR_UPPER_LIMIT} (Fest 2018 upper limit)",
                                reference_label="pathology (simulated diagnosis)", target="malignancy")
        sources = (source, li_source)
    else:
        li_auc = {}
        study_data, study = cfg["study"], cfg["study"].study
        given = study.marker_columns
        frame = pd.DataFrame({m: study_data.frame[c] for m, c in given.items()})
        covariates = list(study.covariates)
        for c in covariates:
            frame[c] = study_data.frame[c]
        negative, positive = study_data.reference_groups()
        frame["reference"] = study_data.reference().map({0.0: negative, 1.0: positive})
        frame = frame.dropna().reset_index(drop=True)
        counts = {c: c for c in COUNTS if c in given}
        data = ds.markers.ratios(frame, **counts) if "lymphocytes" in counts and len(counts) > 1 else frame.copy()
        for ratio in MARKERS:       # a ready-made ratio is used as given
            if ratio in given:
                data[ratio] = frame[ratio]
        by, groups = "reference", (negative, positive)
        questions = {f"{negative} vs {positive}": {"positive": positive}}
        decision_data, decision_outcome = data.assign(diseased=(data["reference"] == positive)), "diseased"
        stard = study_data.stard((data["nlr"] > NLR_UPPER_LIMIT).astype(float),
                                 (data["reference"] == positive).astype(float),
                                 test_label=f"NLR > {NLR_UPPER_LIMIT}", reference_label=study.reference.label)
        sources = (study_data.source,)

    ratios = [r for r in ("nlr", "plr", "lmr", "sii") if r in data]
    table1, distributions = _table1(data, by, groups, [c for c in COUNTS if c in data] + ratios, cfg, key_numbers)
    markers = [m for m in MARKERS if m in data]
    results = {label: ds.markers.discriminate(data, markers=markers, reference=by, covariates=covariates,
                                              n_boot=n_boot, level=level, seed=seed, progress=progress, **options)
               for label, options in questions.items()}
    discrimination, roc_figures = _discrimination(results, li_auc, key_numbers)
    decision, decision_figure = _decision(decision_data, decision_outcome, next(iter(results.values())), cfg,
                                          key_numbers)
    first = next(iter(results.values()))
    if simulated:
        added_data = decision_data.assign(
            known_cancer=decision_data["prior_cancer"].astype(float),
            imaging=decision_data["mri_rating"].fillna(decision_data["ct_myelography_rating"]))
        added_base = ["age", "known_cancer", "imaging"]
        added_labels = "age, a known cancer and the imaging rating (MRI, or CT myelography without MRI; 1-5)"
    else:
        added_data, added_base, added_labels = decision_data, covariates, ", ".join(covariates)
    added = _added_value(added_data, decision_outcome, added_base, added_labels, str(first.positive), cfg,
                         key_numbers) if added_base else None
    key_numbers["stard"] = {k: v for k, v in stard.to_dict().items() if k in stard.COUNTS}

    sections = [] if simulated else [study_section(cfg["study"])]
    sections += [
        _stard_section(stard),
        section("Table 1: blood counts and ratios by group", *table1, figures=[distributions]),
        section(f"Discrimination: ROC, cutpoints and a model with {', '.join(covariates)}" if covariates else
                "Discrimination: ROC, cutpoints and a logistic model", *discrimination, figures=roc_figures),
        section("Decision curve: acting on an elevated NLR", *decision, figures=[decision_figure]),
    ]
    if added is not None:
        title_added = ("Do NLR and PLR add to age, known cancer and imaging?" if simulated else
                       f"Do the markers add to {', '.join(covariates)}?")
        sections.append(section(title_added, *added[0], figures=[added[1]]))
        calibration_blocks, calibration_figure = _calibration(added[2].risks, " and ".join(
            m.upper() for m in markers), str(first.positive), cfg, key_numbers)
        sections.append(section("Can the models' risks be taken at their word? Calibration", *calibration_blocks,
                                figures=[calibration_figure]))
    if simulated:
        metastases = data[data["true_diagnosis"] == "metastasis"]
        origin_blocks, origin_figure = _origin(metastases, cfg, key_numbers)
        sections.append(section("Origin of a metastasis (multinomial prediction)", *origin_blocks,
                                figures=[origin_figure]))
    sections.append(section("Bootstrap settings", _bootstrap_note(cfg)))
    title = "Blood markers (NLR, PLR) in the diagnosis of spinal tumours"
    question = ("Do the neutrophil-to-lymphocyte and platelet-to-lymphocyte ratios of a routine blood "
                "count discriminate benign from malignant and primary from metastatic spinal tumours, do "
                "they add to age, a known cancer and imaging, how many biopsies could they spare, and do they "
                "point to the primary tumour of a metastasis?")
    if not simulated:
        names = " and ".join(m.upper() for m in markers)
        title = study.title or f"Blood markers ({', '.join(m.upper() for m in markers)}) for {study.target}"
        question = study.question or (
            f"{'Do' if len(markers) > 1 else 'Does'} {names} discriminate {positive} from {negative} ({study.target}, "
            f"against {study.reference.label})" + (f", and {'do they' if len(markers) > 1 else 'does it'} add to "
                                                   f"{', '.join(covariates)}?" if covariates else "?"))
    return Report(name=NAME, title=title, question=question,
                  sections=tuple(sections), data=sources, key_numbers=key_numbers,
                  parameters={k: cfg[k] for k in ("n", "seed", "level", "n_boot")
                              if simulated or k in ("seed", "level", "n_boot")})


if __name__ == "__main__":
    from diagstats.report import write

    print(write(run({}), "reports"))
