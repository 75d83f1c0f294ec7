"""Bivariate meta-analysis of the shipped per-study imaging 2x2 tables for bone metastases, per modality and
unit of analysis, and a comparison of MRI with CT, PET and bone scan by meta-regression.

Data: ``ds.datasets.load("imaging_2x2_studies")`` (published per-study tables). Its ``modality`` column groups
the tests (MRI, CT, PET, bone scan; the ``test`` column keeps each study's own name). Tables counted per
patient, per vertebra and per lesion answer different questions (a vertebra-level sensitivity counts every
metastatic vertebra of a patient) and are never pooled together: each unit of analysis is analysed
on its own. Within a unit, a study gives one table per modality (where a study reports a modality
twice, the hybrid PET/CT table is kept, the form in current use); a modality is pooled with the
bivariate random-effects model (Reitsma et al. 2005, ``ds.meta.bivariate``) when at least 3 studies
report it, and the modalities are compared by bivariate meta-regression on modality
(``ds.meta.bivariate(..., covariate="modality")``, Takwoingi et al. 2013; reference MRI where the unit has
MRI tables, otherwise bone scan), with each modality's summary point, its difference from and ratio to
MRI, and the likelihood-ratio test of modality from ML fits. Studies of different modalities are mostly
different patients, so the comparison is indirect except where one study read both tests; the report
says which comparisons rest on such paired studies. Pooled values are shown next to the published pooled
estimates of ``ds.datasets.load("imaging_pooled")`` (patient level).

A user's study-level tables (``--study study.toml`` with a ``[tables]`` table, or ``--data file.csv
--map study=<col>,tp=<col>,fp=<col>,fn=<col>,tn=<col>[,test=<col>]``; roles default to columns of the same
name) are pooled the same way (without a test column, all rows are one test type; without a unit
column, all rows are one unit). Patient-level data is refused: this analysis pools 2x2 tables.
"""

from __future__ import annotations

import pandas as pd

import diagstats as ds
from diagstats.plot.meta import paired_forest_plot, roc_space, sroc_plot
from diagstats.report import Report
from diagstats.report.blocks import bullet_list, format_estimate, key_number, paragraph, section, table
from diagstats.report.data import dataset_source, settings
from diagstats.report.study_data import study_section
from diagstats.report.figures import new_figure, render
from diagstats.report.labels import study_label

NAME = "imaging_meta_analysis"
DEFAULTS = {"level": 0.95, "study": None, "progress": True}
#: What a user's study must provide (see diagstats.report.study.ROLE_HELP): one 2x2 table per row.
REQUIRES = ("tables",)
#: The shipped dataset's modalities (its ``modality`` column), MRI first: the one the others are compared with.
MODALITIES = ("MRI", "CT", "PET", "bone scan")
#: Modality -> its name in ``imaging_pooled`` (Harlianto 2024, patient level: shown for per-patient rows only).
PUBLISHED = {"PET": "FDG PET/CT", "bone scan": "bone scintigraphy", "MRI": "MRI", "CT": "CT"}
MIN_STUDIES = 3
#: Reference modality of the comparison: the first of these that a unit's tables have (else the first in order).
REFERENCES = ("MRI", "bone scan")
#: Units of analysis in the order they are reported; other units (a user's) follow alphabetically.
UNITS = ("patient", "vertebra", "lesion")
TOLERANCE = 1e-5   # iterative REML fit: allow optimiser noise between machines


def _published(test_type: str) -> str:
    pooled = ds.datasets.load("imaging_pooled")
    rows = pooled[(pooled["first_author"] == "Harlianto NI") & (pooled["unit"] == "patient")
                  & (pooled["test"] == PUBLISHED.get(test_type, ""))]
    values = dict(zip(rows["measure"], rows["value"]))
    return (f"{values['sensitivity']:.2f} / {values['specificity']:.2f} (Harlianto 2024, {PUBLISHED[test_type]})"
            if len(values) == 2 else "")


def _unit_name(unit: str) -> str:
    return f"per-{unit} tables" if unit else "all tables"


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")


def _one_table_per_study(tables: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """One table per study, unit and modality: a hybrid (PET/CT) table before the others, else the first listed."""
    order = tables.assign(_later=~tables["test"].astype(str).str.contains("/CT")).sort_values("_later", kind="stable")
    kept = order.drop_duplicates(["unit", "study", "test_type"]).drop(columns="_later").sort_index()
    key = kept.set_index(["unit", "study", "test_type"])["test"]
    left_out = [f"{study_label(r.study)}, {r.test} ({_unit_name(r.unit)}): not used; the study's "
                f"{key[(r.unit, r.study, r.test_type)]} table of the same patients is ({r.test_type} enters once per "
                "study)" for r in tables.loc[tables.index.difference(kept.index)].itertuples(index=False)]
    return kept, left_out


def _without_undefined(tables: pd.DataFrame, target: str) -> tuple[pd.DataFrame, list[str]]:
    """The tables with patients both with and without ``target`` (the others' sensitivity or specificity is
    undefined, so the bivariate model cannot take them), and a line on each table left out."""
    no_diseased, no_healthy = (tables["tp"] + tables["fn"] == 0), (tables["fp"] + tables["tn"] == 0)
    left_out = [f"{study_label(r.study)}, {r.test} ({_unit_name(r.unit)}): not pooled; the table has no patients "
                f"{'with' if none else 'without'} {target}, so its {'sensitivity' if none else 'specificity'} is "
                "undefined." for r, none in zip(tables[no_diseased | no_healthy].itertuples(index=False),
                                                no_diseased[no_diseased | no_healthy])]
    return tables[~(no_diseased | no_healthy)], left_out


def _pool(group: pd.DataFrame, unit: str, test_type: str, level: float, published
          ) -> tuple[dict, dict, list, tuple[str, ...]]:
    """The bivariate pooled accuracy of one modality in one unit: its table row, key numbers, figures and the fit's
    notes on its data (a continuity correction of zero cells)."""
    fit = ds.meta.bivariate(group, study="study", level=level)
    prefix = f"{unit}/{test_type}" if unit else test_type
    numbers = {f"{prefix}/{m}": key_number(getattr(fit, m), rel=TOLERANCE)
               for m in ("sensitivity", "specificity", "lr_positive", "lr_negative", "dor")}
    row = {"unit": _unit_name(unit), "modality": test_type, "studies": fit.k,
           "sensitivity": format_estimate(fit.sensitivity), "specificity": format_estimate(fit.specificity),
           "LR+": format_estimate(fit.lr_positive), "LR-": format_estimate(fit.lr_negative),
           "rho": f"{fit.rho:.2f}", "published Se / Sp": published(test_type) if unit in ("patient", "") else ""}
    slug = _slug(f"{unit}_{test_type}" if unit else test_type)
    what = f"{test_type}, {_unit_name(unit)}"
    fig = new_figure(8, 0.4 * fit.k + 2.2)
    paired_forest_plot(fit, axes=fig.subplots(1, 2))
    figures = [render(fig, f"forest_{slug}.png", f"Paired forest plot, {what}: per-study sensitivity and "
                                                 "specificity (Wilson) and the bivariate pooled values.")]
    fig = new_figure(5.5, 5)
    sroc_plot(fit, ax=fig.subplots(), level=level)
    figures.append(render(fig, f"sroc_{slug}.png", f"SROC plot, {what}: studies, SROC curve, summary point with its "
                                                   f"{100 * level:g}% confidence and prediction regions."))
    zero_cells = tuple(f"{test_type} ({_unit_name(unit)}): {note}." for note in fit.notes if "added to" in note)
    return row, numbers, figures, zero_cells


def _comparison_figure(fit, unit: str, level: float):
    """Studies and the meta-regression's summary point of every modality (with its intervals) in ROC space."""
    fig = new_figure(5.5, 5)
    ax = fig.subplots()
    colours = ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange", "tab:brown", "tab:pink", "tab:olive")
    studies = fit.studies
    for j, modality in enumerate(fit.categories):
        colour = colours[j % len(colours)]
        rows = studies[studies["group"] == modality]
        ax.scatter(1 - rows["specificity"], rows["sensitivity"], s=25 + 250 * rows["n"] / studies["n"].max(),
                   facecolors="none", edgecolors=colour, clip_on=False)
        sens, spec = fit.sensitivities[modality], fit.specificities[modality]
        ax.errorbar([1 - spec.value], [sens.value], yerr=[[sens.value - sens.lower], [sens.upper - sens.value]],
                    xerr=[[spec.upper - spec.value], [spec.value - spec.lower]], color=colour, marker="o",
                    markersize=8, capsize=3, label=f"{modality} ({len(rows)} tables)", clip_on=False)
    roc_space(ax)
    return render(fig, f"comparison_{_slug(unit or 'all')}.png",
                  f"Modalities compared, {_unit_name(unit)}: studies (circles, area ~ n) and each modality's summary "
                  f"point from the meta-regression with its {100 * level:g}% intervals for sensitivity (vertical) and "
                  "specificity (horizontal).")


def _absent(tables: pd.DataFrame, modality: str, unit: str) -> str:
    """Why a modality has no table in this unit: where its tables are instead, if anywhere."""
    units = sorted({str(u) for u in tables.loc[tables["test_type"] == modality, "unit"]} - {unit})
    elsewhere = f"; {modality} tables here are {' and '.join(f'per {u}' for u in units)} only" if units else ""
    return f"no {_unit_name(unit)[:-1]} of {modality} in the data{elsewhere}"


def _same_patients(tables: pd.DataFrame, reference: str, modality: str) -> list[str]:
    """The studies that read ``modality`` and the reference in the same patients (a table of each)."""
    kinds = tables.groupby("study")["test_type"].agg(set)
    return [study_label(str(s)) for s, found in kinds.items() if {reference, modality} <= found]


def _pairing_text(tables: pd.DataFrame, reference: str, others: list[str]) -> str:
    """Plain words on which comparisons rest on studies that read both tests in the same patients."""
    parts = []
    for modality in others:
        both = _same_patients(tables, reference, modality)
        k = int((tables["test_type"] == modality).sum())
        if not both:
            parts.append(f"{modality} vs {reference}: no study read both, so this comparison is entirely between "
                         "different studies and different patients (indirect): differences in the patients (cancer "
                         "type, how many had metastases), the reference standard and the readers are mixed into it.")
        else:
            parts.append(f"{modality} vs {reference}: {len(both)} of the {k} {modality} tables come from studies that "
                         f"also read {reference} in the same patients ({', '.join(both)}); the rest are other "
                         "patients. The model does not use this pairing (each table enters as an independent study).")
    return ("Studies of different modalities are mostly different patients, so these comparisons are mostly "
            "indirect. " + " ".join(p[0].upper() + p[1:] for p in parts))


def _within_study(tables: pd.DataFrame) -> str:
    """The direct comparisons: studies that read two or more modalities in the same patients, side by side."""
    out = []
    for study, rows in tables.groupby("study", sort=False):
        if rows["test_type"].nunique() < 2:
            continue
        sens = ", ".join(f"{r.test_type} {r.tp / (r.tp + r.fn):.3f}" for r in rows.itertuples())
        spec = ", ".join(f"{r.test_type} {r.tn / (r.tn + r.fp):.3f}" for r in rows.itertuples())
        out.append(f" {study_label(str(study))} read {' and '.join(rows['test_type'])} "
                   f"in the same patients, a direct comparison: sensitivity {sens}; specificity {spec}. The paper "
                   "does not cross-classify the two readings, so no paired test is possible, and intervals that "
                   "treat the units as independent would be too narrow when several come from one patient.")
    return "".join(out)


def _compare(tables: pd.DataFrame, unit: str, level: float, absent: dict[str, str]
             ) -> tuple[list, dict, list, list[str]]:
    """Meta-regression on modality within one unit: table rows, key numbers, figure and text (or why not).

    ``absent``: modality -> why it has no table in this unit, shown as a row when the reference is MRI.
    """
    present = sorted(tables["test_type"].unique())
    where = _unit_name(unit)
    if len(present) < 2:
        return [], {}, [], []
    needed = len(present) + 3          # a summary point per modality and the 3 shared variance parameters
    if len(tables) < needed:
        studies = tables["study"].nunique()
        return [], {}, [], [
            f"{where[0].upper()}{where[1:]}: {', '.join(present)} not compared by meta-regression: {len(tables)} "
            f"tables from {studies} stud{'y' if studies == 1 else 'ies'}, and comparing {len(present)} modalities "
            f"needs at least {needed}. Read the per-study table above (within a study the modalities were read in "
            "the same patients)." + _within_study(tables)]
    reference = next((r for r in REFERENCES if r in present), present[0])
    order = ([reference] + [m for m in MODALITIES if m in present and m != reference]
             + [m for m in present if m not in MODALITIES and m != reference])
    data = tables.assign(modality=pd.Categorical(tables["test_type"], categories=order))
    fit = ds.meta.bivariate(data, study="study", covariate="modality", level=level)
    prefix = f"{unit}/comparison" if unit else "comparison"
    test = fit.covariate_test
    numbers: dict = {f"{prefix}/lr_test": {"statistic": test.statistic, "df": test.df, "p_value": test.p_value,
                                           "tolerance": {"rel": TOLERANCE}}}
    sens_diff, spec_diff = f"sensitivity difference (minus {reference})", f"specificity difference (minus {reference})"
    rows = []
    for modality in fit.categories:
        found = {e.name: e for e in fit.comparisons.get(modality, ())}
        numbers[f"{prefix}/{modality}/sensitivity"] = key_number(fit.sensitivities[modality], rel=TOLERANCE)
        numbers[f"{prefix}/{modality}/specificity"] = key_number(fit.specificities[modality], rel=TOLERANCE)
        numbers.update({f"{prefix}/{modality}/{name}": key_number(est, rel=TOLERANCE) for name, est in found.items()})
        paired = len(_same_patients(tables, reference, modality)) if found else ""
        rows.append({"unit": where, "modality": modality, "tables": int((fit.studies["group"] == modality).sum()),
                     f"same patients as {reference}": paired,
                     "sensitivity": format_estimate(fit.sensitivities[modality]),
                     "specificity": format_estimate(fit.specificities[modality]),
                     sens_diff: format_estimate(found["sensitivity_difference"]) if found else "reference",
                     spec_diff: format_estimate(found["specificity_difference"]) if found else "reference"})
    if reference == "MRI":
        rows += [{"unit": where, "modality": modality, "tables": 0, f"same patients as {reference}": "",
                  "sensitivity": "not compared", "specificity": why, sens_diff: "", spec_diff: ""}
                 for modality, why in absent.items() if modality not in present]
    verdict = ("the data are compatible with one summary point for all modalities" if test.p_value >= 0.05 else
               "at least one modality's summary point differs from the others")
    clear = [f"{e.name.split('_')[0]} of {modality}" for modality, found in fit.comparisons.items() for e in found
             if e.name.endswith("difference") and (e.lower > 0 or e.upper < 0)]
    where_differs = (f" The differences from {reference} whose interval excludes 0: {', '.join(clear)}." if clear else
                     f" No difference from {reference} has an interval that excludes 0" + (
                         "; the test is joint over all modalities, so the other modalities differing from each "
                         "other can drive it."
                         if test.p_value < 0.05 else "."))
    text = [f"{where[0].upper()}{where[1:]}: do the modalities differ? Likelihood-ratio test of modality (ML fits): "
            f"chi-square {test.statistic:.2f}, df {test.df:g}, p = {test.p_value:.3f} ({verdict}).{where_differs} "
            f"Each difference is "
            f"the modality's summary value minus that of {reference} (delta method): a negative sensitivity difference "
            f"means the modality misses more of the patients with metastases than {reference}, a negative specificity "
            f"difference that it calls more patients without metastases positive. The model shares one between-study "
            f"covariance across modalities (rho {fit.rho:.2f}).",
            _pairing_text(tables, reference, list(fit.categories[1:]))]
    return rows, numbers, [_comparison_figure(fit, unit, level)], text


def run(config: dict) -> Report:
    cfg = settings(config, DEFAULTS)
    level = float(cfg["level"])
    simulated = cfg["study"] is None
    if simulated:
        tables, source = dataset_source("imaging_2x2_studies")
        tables = tables.assign(test_type=tables["modality"])
        published = _published
    else:
        source = cfg["study"].source
        tables = pd.DataFrame({r: cfg["study"].frame[c] for r, c in cfg["study"].study.table_columns.items()})
        tables["test_type"] = tables["test"] if "test" in tables else "all"
        tables["test"] = tables["test_type"] if "test" not in tables else tables["test"]
        tables["unit"] = ""
        published = lambda test_type: ""  # noqa: E731 - no published comparison for a user's data
    units = [u for u in UNITS if u in set(tables["unit"])] + sorted(set(tables["unit"]) - set(UNITS))
    tables = tables.iloc[sorted(range(len(tables)), key=lambda i: units.index(tables["unit"].iloc[i]))]
    tables = tables.reset_index(drop=True)

    per_study = []
    for row in tables.itertuples(index=False):
        res = ds.accuracy(tp=row.tp, fp=row.fp, fn=row.fn, tn=row.tn, level=level)
        per_study.append({"unit": _unit_name(row.unit), "study": row.study, "test": row.test, "modality": row.test_type,
                          "TP": res.tp, "FP": res.fp, "FN": res.fn, "TN": res.tn,
                          "sensitivity": format_estimate(res.sensitivity),
                          "specificity": format_estimate(res.specificity)})

    used, left_out = _one_table_per_study(tables)
    used, undefined = _without_undefined(used, cfg["study"].study.target if not simulated else "bone metastases")
    left_out += undefined
    key_numbers, pooled_rows, skipped, data_notes, figures = {}, [], [], [], []
    compared_rows, compare_text, compare_figures = [], [], []
    for unit in units:
        in_unit = used[used["unit"] == unit]
        for test_type, group in in_unit.groupby("test_type", sort=True):
            k = len(group)
            if k < MIN_STUDIES:
                skipped.append(f"{test_type} ({_unit_name(unit)}): not pooled, {k} stud{'y' if k == 1 else 'ies'}; "
                               f"the bivariate model needs at least {MIN_STUDIES} (see the per-study estimates).")
                continue
            row, numbers, figs, zero_cells = _pool(group, unit, test_type, level, published)
            if not simulated:   # user data only: the shipped tables' committed report must stay byte-identical
                data_notes += zero_cells
            pooled_rows.append(row)
            key_numbers.update(numbers)
            figures += figs
        absent = {m: _absent(tables, m, unit) for m in MODALITIES} if simulated else {}
        rows, numbers, figs, text = _compare(in_unit, unit, level, absent)
        compared_rows += rows
        key_numbers.update(numbers)
        compare_figures += figs
        compare_text += text
    n_pooled = sum(r["studies"] for r in pooled_rows)
    flow = paragraph(f"{len(tables)} 2x2 tables from {tables['study'].nunique()} studies, grouped into "
                     f"{tables['test_type'].nunique()} modalities and {len(units)} unit(s) of analysis; {len(used)} "
                     f"tables used (one per study, unit and modality); {len(pooled_rows)} "
                     f"modalit{'y' if len(pooled_rows) == 1 else 'ies'} pooled "
                     f"({n_pooled} tables), {len(skipped)} not pooled (reasons below). A STARD participant flow does "
                     "not apply to study-level data.")
    key_numbers["study_flow"] = {"tables": len(tables), "studies": int(tables["study"].nunique()),
                                 "tables_used": len(used), "test_types_pooled": len(pooled_rows),
                                 "tables_pooled": n_pooled}
    not_compared = sorted(set(tables["test_type"]) - {r["modality"] for r in compared_rows if r["tables"]})
    if not_compared:
        compare_text.append(f"Not compared across studies: {', '.join(not_compared)} (modalities are compared only "
                            "within one unit of analysis, and only with enough tables for the meta-regression).")
    compared = (table(pd.DataFrame(compared_rows)) if compared_rows else
                paragraph("No unit of analysis has enough tables to compare modalities by meta-regression."))
    sections = (() if simulated else (study_section(cfg["study"], unit="2x2 tables"),)) + (
        section("Study flow", flow),
        section("Per-study 2x2 tables", table(pd.DataFrame(per_study)), paragraph(
            f"Per-study sensitivity and specificity with Wilson intervals ({100 * level:g}%), by unit of analysis. "
            "A per-vertebra or per-lesion sensitivity counts every metastatic vertebra or lesion of a patient, a "
            "per-patient sensitivity each patient once: the units answer different questions, so tables of "
            "different units are never pooled together.", note=True), bullet_list(left_out)),
        section("Pooled accuracy per modality", table(pd.DataFrame(pooled_rows)) if pooled_rows else paragraph(
            "No modality has enough studies in one unit of analysis to be pooled."), paragraph(
            "Bivariate random-effects model of logit sensitivity and logit false-positive rate (Reitsma et al. 2005), "
            "REML, within one unit of analysis; Wald intervals on the logit scale; likelihood ratios by the delta "
            "method on the log scale. With 3-4 studies the between-study correlation rho is poorly estimated (often "
            "at +-1) and the intervals are wide.", note=True), bullet_list(skipped + data_notes), figures=figures),
        section("Modalities compared (meta-regression)", compared, *[paragraph(t) for t in compare_text], paragraph(
            "Bivariate meta-regression on modality (Reitsma et al. 2005; Takwoingi et al. 2013), REML: one summary "
            "point per modality with a shared between-study covariance. The likelihood-ratio test compares ML fits "
            "with and without modality (REML likelihoods of models with different fixed effects do not compare). A "
            "study that read several modalities in the same patients enters once per modality as independent "
            "tables: the pairing is not used, so every comparison is indirect, and with a handful of tables per "
            "modality the intervals are wide. PET pools FDG and 18F-fluoride tracers and MRI pools spine, "
            "axial-skeleton and whole-body protocols (the per-study table names each). Because the between-study "
            "covariance is shared, a modality's summary point here differs somewhat from its own pooled value "
            "above.", note=True), figures=compare_figures),
    )
    title = "Meta-analysis of imaging accuracy for bone metastases (published 2x2 tables)"
    question = ("Pooled over the published studies, how sensitive and specific is each imaging test for "
                "bone metastases, how do the tests compare, and how much do the studies disagree?")
    if not simulated:
        study = cfg["study"].study
        title = study.title or f"Meta-analysis of test accuracy for {study.target} (2x2 tables)"
        question = study.question or (f"Pooled over the studies, how sensitive and specific is each test for "
                                      f"{study.target}, and how much do the studies disagree?")
    return Report(name=NAME, title=title, question=question,
                  sections=sections, data=(source,), key_numbers=key_numbers, parameters={"level": level})


if __name__ == "__main__":
    from diagstats.report import write

    print(write(run({}), "reports"))
