"""Bivariate meta-analysis of the shipped per-study imaging 2x2 tables for bone metastases.

Data: ``ds.datasets.load("imaging_2x2_studies")`` (published per-study tables). Test names are
grouped into test types (e.g. "FDG PET/CT" and "FDG-PET/CT" are FDG PET); a type is pooled with the
bivariate random-effects model (Reitsma et al. 2005, ``ds.meta.bivariate``) when at least 3 studies
report it, otherwise the report says why it is not. Pooled values are shown next to the published
pooled estimates of ``ds.datasets.load("imaging_pooled")`` (patient level).

A user's study-level tables (``--study study.toml`` with a ``[tables]`` table, or ``--data file.csv
--map study=<col>,tp=<col>,fp=<col>,fn=<col>,tn=<col>[,test=<col>]``; roles default to columns of the same
name) are pooled the same way (without a test column, all rows are one test type). Patient-level data
is refused: this analysis pools 2x2 tables.
"""

from __future__ import annotations

import pandas as pd

import diagstats as ds
from diagstats.plot.meta import paired_forest_plot, sroc_plot
from diagstats.report import Report
from diagstats.report.blocks import bullet_list, format_estimate, key_number, paragraph, section, table
from diagstats.report.data import dataset_source, settings
from diagstats.report.study_data import study_section
from diagstats.report.figures import new_figure, render

NAME = "imaging_meta_analysis"
DEFAULTS = {"level": 0.95, "study": None, "progress": True}
#: What a user's study must provide (see diagstats.report.study.ROLE_HELP): one 2x2 table per row.
REQUIRES = ("tables",)
#: Test names in the shipped tables -> test type pooled together (same tracer/technique).
TEST_TYPES = {"MRI": "MRI", "MDCT": "CT", "FDG PET/CT": "FDG PET", "FDG PET": "FDG PET", "FDG-PET/CT": "FDG PET",
              "bone scintigraphy": "bone scintigraphy", "99mTc bone scan": "bone scintigraphy",
              "18F-fluoride PET": "18F-fluoride PET", "18F-fluoride PET/CT": "18F-fluoride PET",
              "Na18F bone PET": "18F-fluoride PET"}
#: Test type -> its name in ``imaging_pooled`` (Harlianto 2024, patient level).
PUBLISHED = {"FDG PET": "FDG PET/CT", "bone scintigraphy": "bone scintigraphy", "MRI": "MRI", "CT": "CT"}
MIN_STUDIES = 3
TOLERANCE = 1e-5   # iterative REML fit: allow optimiser noise between machines


def _published(test_type: str) -> str:
    pooled = ds.datasets.load("imaging_pooled")
    rows = pooled[(pooled["first_author"] == "Harlianto NI") & (pooled["unit"] == "patient")
                  & (pooled["test"] == PUBLISHED.get(test_type, ""))]
    values = dict(zip(rows["measure"], rows["value"]))
    return (f"{values['sensitivity']:.2f} / {values['specificity']:.2f} (Harlianto 2024, patient level)"
            if len(values) == 2 else "")


def run(config: dict) -> Report:
    cfg = settings(config, DEFAULTS)
    level = float(cfg["level"])
    simulated = cfg["study"] is None
    if simulated:
        tables, source = dataset_source("imaging_2x2_studies")
        tables = tables.assign(test_type=tables["test"].map(TEST_TYPES).fillna(tables["test"]))
        published = _published
    else:
        source = cfg["study"].source
        tables = pd.DataFrame({r: cfg["study"].frame[c] for r, c in cfg["study"].study.table_columns.items()})
        tables["test_type"] = tables["test"] if "test" in tables else "all"
        tables["unit"] = ""
        published = lambda test_type: ""  # noqa: E731 - no published comparison for a user's data

    per_study = []
    for row in tables.itertuples(index=False):
        res = ds.accuracy(tp=row.tp, fp=row.fp, fn=row.fn, tn=row.tn, level=level)
        per_study.append({"study": row.study, "test": getattr(row, "test", row.test_type), "type": row.test_type,
                          "unit": row.unit, "TP": res.tp, "FP": res.fp, "FN": res.fn, "TN": res.tn,
                          "sensitivity": format_estimate(res.sensitivity),
                          "specificity": format_estimate(res.specificity)})

    key_numbers, pooled_rows, skipped, figures = {}, [], [], []
    for test_type, group in tables.groupby("test_type", sort=True):
        k = group["study"].nunique()
        if k < MIN_STUDIES or len(group) != k:
            why = (f"{k} stud{'y' if k == 1 else 'ies'}" if k < MIN_STUDIES
                   else f"{len(group)} tables from {k} studies (one table per study is needed)")
            skipped.append(f"{test_type}: not pooled, {why}; the bivariate model needs at least {MIN_STUDIES} "
                           "studies (see the per-study estimates above).")
            continue
        fit = ds.meta.bivariate(group, study="study", level=level)
        for measure in ("sensitivity", "specificity", "lr_positive", "lr_negative", "dor"):
            est = getattr(fit, measure)
            key_numbers[f"{test_type}/{measure}"] = key_number(est, rel=TOLERANCE)
        pooled_rows.append({"test type": test_type, "studies": fit.k,
                            "units": ", ".join(sorted(set(group["unit"]) - {""})),
                            "sensitivity": format_estimate(fit.sensitivity),
                            "specificity": format_estimate(fit.specificity),
                            "LR+": format_estimate(fit.lr_positive), "LR-": format_estimate(fit.lr_negative),
                            "rho": f"{fit.rho:.2f}", "published Se / Sp": published(test_type)})
        slug = "".join(c if c.isalnum() else "_" for c in test_type.lower()).strip("_")
        fig = new_figure(8, 0.4 * fit.k + 2.2)
        paired_forest_plot(fit, axes=fig.subplots(1, 2))
        figures.append(render(fig, f"forest_{slug}.png", f"Paired forest plot, {test_type}: per-study sensitivity "
                                                         "and specificity (Wilson) and the bivariate pooled values."))
        fig = new_figure(5.5, 5)
        sroc_plot(fit, ax=fig.subplots(), level=level)
        figures.append(render(fig, f"sroc_{slug}.png", f"SROC plot, {test_type}: studies, SROC curve, summary point "
                                                       f"with its {100 * level:g}% confidence and prediction regions."))
    if not pooled_rows:
        raise ds.DataError(f"no test type has {MIN_STUDIES} or more studies; a bivariate meta-analysis is not "
                           "possible.")
    n_pooled = sum(r["studies"] for r in pooled_rows)
    flow = paragraph(f"{len(tables)} 2x2 tables from {tables['study'].nunique()} studies, grouped into "
                     f"{tables['test_type'].nunique()} test types; {len(pooled_rows)} test types with {n_pooled} "
                     f"tables pooled, {len(skipped)} not pooled (reasons below). A STARD participant flow does not "
                     "apply to study-level data.")
    key_numbers["study_flow"] = {"tables": len(tables), "studies": int(tables["study"].nunique()),
                                 "test_types_pooled": len(pooled_rows), "tables_pooled": n_pooled}
    sections = (() if simulated else (study_section(cfg["study"], unit="2x2 tables"),)) + (
        section("Study flow", flow),
        section("Per-study 2x2 tables", table(pd.DataFrame(per_study)), paragraph(
            f"Per-study sensitivity and specificity with Wilson intervals ({100 * level:g}%). Units differ "
            "(patients, vertebrae, lesions): pooling across units is a limitation stated here, not hidden.",
            note=True)),
        section("Bivariate pooled accuracy", table(pd.DataFrame(pooled_rows)), paragraph(
            "Bivariate random-effects model of logit sensitivity and logit false-positive rate (Reitsma et al. 2005), "
            "REML; Wald intervals on the logit scale; likelihood ratios by the delta method on the log scale. "
            "With 3-4 studies the between-study correlation rho is poorly estimated (often at +-1) and the "
            "intervals are wide.", note=True), bullet_list(skipped), figures=figures),
    )
    title = "Meta-analysis of imaging accuracy for bone metastases (published 2x2 tables)"
    question = ("Pooled over the published studies, how sensitive and specific is each imaging test for "
                "bone metastases, and how much do the studies disagree?")
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
