"""Percutaneous image-guided needle biopsy of spinal lesions: the "almost 90%" accuracy.

Three parts:

1. **Biopsy accuracy** in a simulated referral cohort (``ds.simulate.cohort``, default scenario, fixed
   seed): diagnostic yield, accuracy of a diagnostic biopsy for malignancy against the simulated
   true diagnosis (the scenario's values, 91% yield and 89% accuracy, are shown next to the
   estimates), sensitivity and specificity, and all of it by guidance (CT vs fluoroscopy).
2. **Partial verification**: MRI against the biopsy, which only some patients get. The naive
   complete-case estimates, the Begg & Greenes (1983) correction, and the corrections the pathway
   justifies (extended Begg & Greenes and multiple imputation with prior cancer and a lesion on
   another scan; ``ds.correct_verification(..., covariates=...)``), each with its missing-at-random
   assumption; because the cohort is simulated, also MRI against a biopsy of everyone and against the
   true malignancy of everyone.
3. **The literature**: the shipped biopsy series (``ds.datasets.load("biopsy_series")``) pooled by
   random-effects meta-analysis of proportions (REML and the binomial GLMM) next to Michalopoulos et
   al. (2021): accuracy 86% (82-89), yield 91% (88-94).

On a user's study (``--study study.toml`` with a ``[biopsy]`` table, or ``--data file.csv --map
biopsy=<col>,reference=<col>[,guidance=<col>] --positive LABEL``) part 1 runs on the user's data and
part 3 is shown for comparison. The yield needs to know which patients had a biopsy: the study file's
``[biopsy] nondiagnostic`` (the value(s) of a non-diagnostic sample; a blank is then no biopsy) or
``done`` (a "biopsy done" column) says so. Without either a blank result is taken as no biopsy, and
the yield and the accuracy among all procedures are not estimated (a note says why).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import diagstats as ds
from diagstats.binary.intervals import mover_difference
from diagstats.plot.meta import forest_plot
from diagstats.report import Report
from diagstats.report.blocks import format_estimate, key_number, paragraph, section, table
from diagstats.report.data import binary_reference, dataset_source, frame_source, settings
from diagstats.report.study_data import study_section
from diagstats.report.figures import new_figure, render
from diagstats.studies.bias_validation import PATHWAY_COVARIATES, pathway_covariates

NAME = "needle_biopsy"
DEFAULTS = {"n": 5000, "seed": 20240917, "level": 0.95, "study": None, "progress": True}
#: What a user's study must provide (see diagstats.report.study.ROLE_HELP): the biopsy and the final diagnosis.
REQUIRES = ("biopsy", "reference")
#: Published pooled estimates (Michalopoulos GD et al. 2021, J Neurointerv Surg 13:841-847).
MICHALOPOULOS_2021 = {"accuracy": (0.86, 0.82, 0.89, "3054 procedures"),
                      "yield": (0.91, 0.88, 0.94, "3598 procedures")}
#: The report's note when the study cannot tell a skipped biopsy from a non-diagnostic sample.
NO_YIELD_NOTE = ("The biopsy column does not distinguish a skipped biopsy from a non-diagnostic sample; give "
                 "`[biopsy] nondiagnostic = ...` or `done = ...` in the study file to estimate the yield.")
ACCURACY_OUTCOMES = ("correct diagnosis at first biopsy", "agrees with final diagnosis", "overall accuracy",
                     "consistent with final diagnosis", "accurate diagnosis")
YIELD_OUTCOMES = ("adequate tissue", "adequate specimen", "sufficient tissue")


def _proportion(x: int, n: int, name: str, level: float) -> ds.Estimate:
    if n == 0:  # e.g. a guidance group without diagnostic biopsies (ds.proportion_ci refuses n = 0)
        return ds.Estimate(float("nan"), float("nan"), float("nan"), level, "Wilson", name,
                           ("undefined: no procedures",))
    lo, hi = ds.proportion_ci(x, n, level=level, method="wilson")
    return ds.Estimate(x / n, float(lo), float(hi), level, "Wilson", name)


def _biopsy_accuracy(frame: pd.DataFrame, level: float, tag: str, key_numbers: dict, yield_known: bool = True
                     ) -> dict:
    """Yield and accuracy of the biopsies in ``frame`` (columns done, diagnostic, says, truth).

    ``yield_known`` False: ``done`` cannot tell a skipped biopsy from a non-diagnostic sample, so the yield and the
    accuracy among all procedures are "not estimable" (and not recorded as key numbers).
    """
    done = frame[frame["done"]]
    diagnostic = done[done["diagnostic"]]
    correct = int((diagnostic["says"] == diagnostic["truth"]).sum())
    row = {"yield": _proportion(len(diagnostic), len(done), "yield", level),
           "accuracy (diagnostic biopsies)": _proportion(correct, len(diagnostic), "accuracy", level),
           "accuracy (all procedures)": _proportion(correct, len(done), "accuracy among procedures", level)}
    if not yield_known:
        row.update({"yield": "not estimable", "accuracy (all procedures)": "not estimable"})
    for name, est in row.items():
        if isinstance(est, ds.Estimate):
            key_numbers[f"{tag}/{name.replace(' ', '_').replace('(', '').replace(')', '')}"] = key_number(est)
    return {"biopsies": len(done) if yield_known else "not known", "diagnostic": len(diagnostic), "correct": correct,
            **row}


def _part1(frame: pd.DataFrame, level: float, key_numbers: dict, has_guidance: bool, target: str | None = None,
           yield_known: bool = True):
    """Part 1; ``target``: the user's target condition (None: the simulated cohort's malignancy); ``yield_known``:
    whether ``frame["done"]`` tells a skipped biopsy from a non-diagnostic sample."""
    overall = _biopsy_accuracy(frame, level, "biopsy", key_numbers, yield_known)
    rows = [{"group": "all", **overall}]
    if has_guidance:
        for group, sub in frame[frame["done"]].groupby("guidance", observed=True):
            rows.append({"group": f"guidance: {group}",
                         **_biopsy_accuracy(sub, level, f"biopsy/{group}", key_numbers, yield_known)})
    shown = pd.DataFrame([{k: format_estimate(v) if isinstance(v, ds.Estimate) else v for k, v in r.items()}
                          for r in rows])
    diagnostic = frame[frame["done"] & frame["diagnostic"]]
    acc = ds.accuracy(data=diagnostic.assign(says=diagnostic["says"].astype(int),
                                             truth=diagnostic["truth"].astype(int)),
                      test="says", reference="truth", level=level)
    for m in ("sensitivity", "specificity"):
        key_numbers[f"biopsy/{m}"] = key_number(getattr(acc, m))
    blocks = [table(shown)]
    if has_guidance and len(rows) == 3:
        (a, b) = rows[1:]
        diff = mover_difference(*(float(x) for e in (a["accuracy (diagnostic biopsies)"],
                                                     b["accuracy (diagnostic biopsies)"])
                                  for x in (e.value, e.lower, e.upper)))
        est = ds.Estimate(a["accuracy (diagnostic biopsies)"].value - b["accuracy (diagnostic biopsies)"].value,
                          float(diff[0]), float(diff[1]), level, "Newcombe hybrid score (MOVER, Wilson limits)",
                          "accuracy difference")
        key_numbers["biopsy/guidance_accuracy_difference"] = key_number(est)
        blocks.append(paragraph(f"Accuracy difference, {a['group']} minus {b['group']}: {format_estimate(est)} "
                                f"({est.method})."))
    blocks.append(table(pd.DataFrame([{"2x2 table": "biopsy (malignant) vs final diagnosis" if target is None else
                                       f"biopsy vs reference standard ({target})", "TP": acc.tp,
                                       "FP": acc.fp, "FN": acc.fn, "TN": acc.tn}])))
    blocks.append(table(pd.DataFrame([{"measure": m, "value (CI)": format_estimate(getattr(acc, m)),
                                       "method": getattr(acc, m).method}
                                      for m in ("sensitivity", "specificity", "ppv", "npv")])))
    what = "malignant-vs-not " if target is None else ""
    if not yield_known:
        blocks.append(paragraph(NO_YIELD_NOTE, note=True))
    blocks.append(paragraph(f"Yield = diagnostic samples / biopsies; accuracy = correct {what}"
                            "classifications / diagnostic biopsies (and / all procedures, counting non-diagnostic "
                            f"samples as failures, as Michalopoulos 2021 does); Wilson intervals ({100 * level:g}%). "
                            f"Sensitivity and specificity for {target or 'malignancy'} among diagnostic biopsies.",
                            note=True))
    return blocks


#: The partial-verification analyses of MRI: key-number tag -> (label, missing-at-random assumption).
VERIFICATION_ANALYSES = {
    "naive": ("naive: complete cases (diagnostic biopsy)",
              "the biopsied patients are a random sample of the MRI patients (missing completely at random)"),
    "begg": ("Begg & Greenes corrected", "whether a patient is biopsied depends on the MRI result only"),
    "extended": ("extended Begg & Greenes, pathway covariates",
                 "whether a patient is biopsied depends on the MRI result, prior cancer and a lesion on another scan "
                 "only"),
    "multiple": ("multiple imputation, pathway covariates", "the same as extended Begg & Greenes"),
    "everyone": ("biopsy of everyone (simulation): all MRI patients", "no missing biopsies (simulated)"),
    "truth": ("truth (simulation): all MRI patients", "no missing data, no biopsy error (simulated)"),
}


def _verification(cohort: pd.DataFrame, seed: int, level: float, key_numbers: dict):
    data = pathway_covariates(cohort, "mri")
    data["reference"] = binary_reference(cohort["biopsy_result"].astype(object), "biopsy_result", "malignant")[
        data.index]
    everyone = ds.simulate.cohort(len(cohort), seed=seed, complete=True)["biopsy_result"]
    malignant = cohort["true_diagnosis"].isin(["malignant_primary", "metastasis"])
    begg_greenes = ds.correct_verification(data, test="mri", reference="reference", level=level)
    covariate_methods = {tag: ds.correct_verification(data, test="mri", reference="reference", method=method,
                                                      covariates=list(PATHWAY_COVARIATES), level=level, seed=seed,
                                                      progress=False)
                         for tag, method in (("extended", "extended_begg_greenes"),
                                             ("multiple", "multiple_imputation"))}
    simulated = {name: ds.accuracy(data=pd.DataFrame({"mri": data["mri"], "r": reference[data.index]}).dropna(),
                                   test="mri", reference="r", level=level)
                 for name, reference in (("everyone", everyone.eq("malignant").where(everyone.notna())),
                                         ("truth", malignant))}
    results = {"naive": begg_greenes.naive, "begg": begg_greenes, **covariate_methods, **simulated}
    rows = []
    for tag, (label, assumption) in VERIFICATION_ANALYSES.items():
        res = results[tag]
        for m in ("sensitivity", "specificity"):
            est = getattr(res, m)
            rows.append({"analysis": label, "measure": m, "value (CI)": format_estimate(est),
                         "valid if": assumption if m == "sensitivity" else "", "method": est.method})
            key_numbers[f"mri_vs_malignancy/{tag}/{m}"] = key_number(est)
    return [table(pd.DataFrame(rows)), paragraph(
        f"{int(data['reference'].notna().sum())} of {len(data)} MRI patients have a diagnostic biopsy. In this "
        "pathway a biopsy follows any positive scan (MRI, X-ray, CT, PET, bone scan), less often with a known cancer, "
        "and rarely a negative work-up. Begg & Greenes assume that whether a patient was biopsied depends on the MRI "
        "result only, which is false here, so they over-correct. Extended Begg & Greenes and multiple imputation "
        "model malignancy on the MRI result, prior cancer and a lesion on another scan (the pathway's own covariates, "
        "with the interactions that saturate the model), under which verification is missing at random; they agree "
        "with a biopsy of everyone, as they should. The remaining gap to the truth is the biopsy's own error (about "
        "11%), which no verification correction removes. On 100,000 simulated patients both are within 0.01 of the "
        "truth with a perfect biopsy and of a biopsy of everyone with this one (tests/bias/"
        "test_composite_reference.py). Specificity is low against every reference because benign tumours are "
        "MRI-positive but not malignant.", note=True)]


def _pool(series: pd.DataFrame, outcomes: tuple[str, ...], measure: str, level: float, key_numbers: dict,
          progress_label: str):
    rows = series[series["events"].notna() & series["outcome"].isin(outcomes)
                  & (series["subgroup"].str.startswith("all") | (series["subgroup"] == "technically successful")
                     | (measure == "yield"))].copy()
    named = rows["first_author"].notna()
    rows["label"] = (rows["first_author"] + " " + rows["year"].astype(str)).where(
        named, rows["study"].str.split(";").str[0]) + " (" + rows["guidance"] + ")"
    rows = rows.assign(events=rows["events"].astype(int), n=rows["n"].astype(int))
    fits = {method: ds.meta.univariate(rows, measure="proportion", events="events", n="n", study="label",
                                       method=method, level=level) for method in ("REML", "GLMM")}
    est, lo, hi, basis = MICHALOPOULOS_2021[measure]
    table_rows = [{"analysis": f"pooled, {method} ({fit.k} series)", "value (CI)": format_estimate(fit.pooled),
                   "prediction interval": f"{fit.prediction.lower:.3f} to {fit.prediction.upper:.3f}"
                   if fit.prediction is not None else "", "I2": "" if np.isnan(fit.i2) else f"{fit.i2:.0f}%",
                   "method": fit.pooled.method}
                  for method, fit in fits.items()]
    table_rows.append({"analysis": f"Michalopoulos 2021 (39 studies, {basis})", "value (CI)":
                       f"{est:.3f} ({lo:.3f} to {hi:.3f})", "prediction interval": "", "I2": "", "method": "published"})
    for method, fit in fits.items():
        key_numbers[f"literature/{measure}/{method}"] = key_number(fit.pooled, rel=1e-5)
    fig = new_figure(7, 0.45 * len(rows) + 2)
    forest_plot(fits["REML"], ax=fig.subplots(), title=f"Biopsy {measure}, shipped series (REML)")
    figure = render(fig, f"forest_{measure}.png", f"Forest plot of the biopsy {measure} per series with the "
                                                  f"REML pooled estimate ({progress_label}).")
    series_table = rows[["label", "unit", "subgroup", "outcome", "events", "n"]].rename(columns={"label": "series"})
    return [table(series_table), table(pd.DataFrame(table_rows))], figure


def run(config: dict) -> Report:
    cfg = settings(config, DEFAULTS)
    level = float(cfg["level"])
    key_numbers: dict = {}
    simulated = cfg["study"] is None
    if simulated:
        cohort = ds.simulate.cohort(int(cfg["n"]), seed=int(cfg["seed"]))
        scenario = ds.simulate.Scenario.load("spine_referral")
        malignant = cohort["true_diagnosis"].isin(["malignant_primary", "metastasis"]).to_numpy()
        frame = pd.DataFrame({"done": cohort["biopsy_done"], "diagnostic": cohort["biopsy_result"].notna(),
                              "says": (cohort["biopsy_result"] == "malignant").to_numpy(), "truth": malignant,
                              "guidance": cohort["biopsy_guidance"]})
        source = frame_source(f"simulated cohort: ds.simulate.cohort({cfg['n']}, seed={cfg['seed']}), scenario "
                              "'spine_referral'", cohort)
        stard = ds.stard_counts(cohort.assign(biopsy=(cohort["biopsy_result"] == "malignant").astype(float).where(
                                    cohort["biopsy_result"].notna()), truth=malignant),
                                test="biopsy", reference="truth",
                                exclusions={"no biopsy": ~cohort["biopsy_done"].to_numpy(),
                                            "non-diagnostic sample": cohort["biopsy_nondiagnostic"].eq(1).to_numpy()},
                                test_label="needle biopsy (malignant)", reference_label="true diagnosis (simulation)",
                                target="malignancy")
        scenario_note = (f"Scenario values: yield {scenario['biopsy.yield']:.2f} (Michalopoulos 2021), accuracy of a "
                         f"diagnostic biopsy {scenario['biopsy.accuracy']:.2f} (Lis 2004); their product "
                         f"{scenario['biopsy.yield'] * scenario['biopsy.accuracy']:.2f} is the accuracy among all "
                         "procedures.")
        has_guidance = yield_known = True
    else:
        data, study = cfg["study"], cfg["study"].study
        source, biopsy = data.source, study.biopsy
        truth, says, done = data.reference(), data.biopsy(), data.biopsy_done()
        yield_known = done is not None
        if done is None:        # a blank cannot be told from a non-diagnostic sample: taken as no biopsy
            done = says.notna()
        keep = truth.notna()
        frame = pd.DataFrame({"done": done, "diagnostic": says.notna(), "says": says.eq(1), "truth": truth.eq(1),
                              "guidance": data.frame[biopsy.guidance] if biopsy.guidance else "all"})[keep]
        stard = data.stard(says, truth, exclusions={"no biopsy": ~done, "non-diagnostic sample": done & says.isna()}
                           if yield_known else None,
                           test_label=f"biopsy ({biopsy.column})", reference_label=study.reference.label)
        scenario_note = ""
        has_guidance = biopsy.guidance is not None

    part1 = _part1(frame, level, key_numbers, has_guidance, None if simulated else cfg["study"].study.target,
                   yield_known=yield_known)
    if scenario_note:
        part1.append(paragraph(scenario_note, note=True))
    fig = new_figure(8, 5.5)
    ds.plot.stard_flow(stard, ax=fig.subplots())
    flow = render(fig, "stard_flow.png", f"STARD 2015 flow: {stard.test} against {stard.reference}.")
    key_numbers["stard"] = {k: v for k, v in stard.to_dict().items() if k in stard.COUNTS}

    series, series_source = dataset_source("biopsy_series")
    pooled_accuracy, forest_accuracy = _pool(series, ACCURACY_OUTCOMES, "accuracy", level, key_numbers,
                                             "correct diagnoses / biopsies")
    pooled_yield, forest_yield = _pool(series, YIELD_OUTCOMES, "yield", level, key_numbers,
                                       "adequate samples / biopsies")
    sections = [] if simulated else [study_section(cfg["study"])]
    sections += [
        section("Participant flow (STARD 2015)", paragraph(
            "Index test: the biopsy's malignant/benign call; patients without a biopsy or with a non-diagnostic "
            "sample are shown as excluded." if simulated else
            f"Index test: the {stard.test} against {stard.reference}; patients without a biopsy or with a "
            "non-diagnostic sample are shown as excluded." if yield_known else
            f"Index test: the {stard.test} against {stard.reference}; patients without a biopsy result are shown "
            "as excluded (the data do not tell a skipped biopsy from a non-diagnostic sample)."), figures=[flow]),
        section("Biopsy yield and accuracy", *part1),
    ]
    if simulated:
        sections.append(section("MRI against the biopsy: partial verification",
                                *_verification(cohort, int(cfg["seed"]), level, key_numbers)))
    sections += [
        section("Pooled accuracy of the published series", paragraph(
            ("" if simulated else "For comparison with the study above: spinal biopsy series shipped with diagstats. ")
            + "Series reporting correct diagnoses among all biopsies of a whole series (subgroups left out); "
            "random-effects meta-analysis of logit proportions by REML (Viechtbauer 2005) and by the binomial-normal "
            "GLMM (Hamza et al. 2008). Definitions of 'correct' differ between series."), *pooled_accuracy,
            figures=[forest_accuracy]),
        section("Pooled yield of the published series", paragraph(
            "Series reporting adequate samples (diagnostic yield), pooled as above, next to Michalopoulos 2021's "
            "yield."), *pooled_yield, figures=[forest_yield]),
    ]
    title = "Accuracy of percutaneous image-guided needle biopsy of spinal lesions"
    question = ("How often does an image-guided needle biopsy of a spinal lesion give a diagnosis, how "
                "often is it right (is it 'almost 90%'?), does guidance matter, and how much does partial "
                "verification by biopsy bias the accuracy of the imaging that precedes it?")
    if not simulated:
        study = cfg["study"].study
        title = study.title or f"Accuracy of the biopsy for {study.target}"
        question = study.question or (
            f"How often does the biopsy ({study.biopsy.column}) give a result, how often does it agree with "
            f"{study.reference.label} on {study.target}{', and does guidance matter' if has_guidance else ''}?")
    return Report(name=NAME, title=title, question=question,
                  sections=tuple(sections), data=(source, series_source), key_numbers=key_numbers,
                  parameters={k: cfg[k] for k in ("n", "seed", "level") if simulated or k == "level"})


if __name__ == "__main__":
    from diagstats.report import write

    print(write(run({}), "reports"))
