"""Accuracy of X-ray, CT, MRI, PET, bone scan and CT myelography for spinal tumours.

Default data: a simulated referral cohort (``ds.simulate.cohort``, default scenario, fixed seed).
Two reference standards are reported side by side, always labelled:

* **biopsy (naive)**: the needle-biopsy result (malignant vs benign) among the patients with a
  diagnostic biopsy, which is what a study of this pathway would compute. It is biased three ways:
  biopsy mostly follows a positive scan (partial verification), the biopsy itself is wrong in about
  11% (imperfect reference), and it classifies *malignancy* while imaging detects *any tumour*
  (benign primaries count as imaging "false positives").
* **truth (simulation)**: the simulated true diagnosis (any spinal tumour vs none) of every patient
  who had the test. Only a simulation has it; it shows how far the naive analysis is off.

On a user's study (``diagstats report imaging_modalities --study study.toml``, or ``--data file.csv --map
reference=<column>,test=<col>+<col>[,rating=<col>+<col>] --positive LABEL --test-positive LABEL``) it runs
the same analysis against the study's reference standard: its binary tests (accuracy, paired
comparisons of the first test with each other one) and its scores and ratings (ROC). Run with
``python analyses/imaging_modalities.py`` or ``diagstats report imaging_modalities``.
"""

from __future__ import annotations

import pandas as pd

import diagstats as ds
from diagstats.report import Report
from diagstats.report.blocks import bullet_list, format_estimate, key_number, paragraph, section, table
from diagstats.report.data import binary_reference, frame_source, settings
from diagstats.report.study_data import study_section
from diagstats.report.figures import new_figure, render
from diagstats.results import format_p_value

NAME = "imaging_modalities"
DEFAULTS = {"n": 5000, "seed": 20240917, "level": 0.95, "study": None, "progress": True}
#: What a user's study must provide (see diagstats.report.study.ROLE_HELP).
REQUIRES = ("reference", "tests")
MODALITIES = {"xray": "X-ray", "ct": "CT", "mri": "MRI", "pet": "PET", "bone_scan": "bone scan",
              "ct_myelography": "CT myelography"}
PAIRS = (("mri", "ct"), ("mri", "xray"), ("ct", "xray"), ("pet", "bone_scan"))


def _simulated(cfg):
    cohort = ds.simulate.cohort(int(cfg["n"]), seed=int(cfg["seed"]))
    scenario = ds.simulate.Scenario.load("spine_referral")
    references = {
        "biopsy": binary_reference(cohort["biopsy_result"].astype(object), "biopsy_result", "malignant"),
        "truth": (cohort["true_diagnosis"] != "no_tumour").astype(float),
    }
    labels = {"biopsy": "biopsy (naive): malignant vs benign, patients with a diagnostic biopsy",
              "truth": "truth (simulation): any spinal tumour vs none, every tested patient"}
    scenario_values = {m: (scenario[f"imaging.{m}.sensitivity"], scenario[f"imaging.{m}.specificity"])
                       for m in MODALITIES}
    source = frame_source(f"simulated cohort: ds.simulate.cohort({cfg['n']}, seed={cfg['seed']}), "
                          "scenario 'spine_referral'", cohort)
    stard = ds.stard_counts(cohort, test="mri", reference="biopsy_result", positive="malignant",
                            attempted="biopsy_done", exclusions={"MRI contraindicated": "mri_contraindication"},
                            test_label="MRI", reference_label="needle biopsy", target="malignancy")
    tests = {m: m for m in MODALITIES}
    ratings = {m: f"{m}_rating" for m in MODALITIES}
    return cohort, source, references, labels, tests, ratings, scenario_values, stard, MODALITIES, {}


def _user(data):
    study = data.study
    frame = data.frame.copy()
    reference = study.reference
    references = {"reference": data.reference()}
    tests, ratings, labels, directions = {}, {}, {}, {}
    for test in study.tests:
        labels[test.key] = test.label
        if test.binary:
            frame[f"_test_{test.key}"] = data.test(test)
            tests[test.key] = f"_test_{test.key}"
            if test.rating:
                ratings[test.key] = test.rating
        else:
            ratings[test.key] = test.column
            directions[test.key] = test.direction
    first = study.binary_tests[0]
    stard = data.stard(frame[tests[first.key]], references["reference"], test_label=first.label,
                       reference_label=reference.label)
    return (frame, data.source, references, {"reference": reference.label}, tests, ratings, {}, stard, labels,
            directions)


def _accuracy(frame, test, reference, level):
    sub = pd.DataFrame({"test": frame[test], "reference": reference}).dropna()
    if sub.empty or sub["reference"].nunique() < 2:
        return None
    return ds.accuracy(data=sub, test="test", reference="reference", level=level)


def run(config: dict) -> Report:
    cfg = settings(config, DEFAULTS)
    simulated = cfg["study"] is None
    frame, source, references, ref_labels, tests, ratings, scenario_values, stard, test_labels, directions = (
        _simulated(cfg) if simulated else _user(cfg["study"]))
    level = float(cfg["level"])
    label = test_labels.get
    shown_ref = (lambda key: key) if simulated else ref_labels.get   # noqa: E731 - the reference as it is shown

    # -- accuracy of each test against each reference -------------------------------------------
    results, counts_rows, acc_rows, notes, key_numbers = {}, [], [], [], {}
    for ref_key, reference in references.items():
        for test, col in tests.items():
            res = _accuracy(frame, col, reference, level)
            if res is None:
                notes.append(f"{label(test)} vs {shown_ref(ref_key)}: no patients with both classes of the reference; "
                             "skipped.")
                continue
            results[ref_key, test] = res
            counts_rows.append({"test": label(test), "reference": shown_ref(ref_key), "TP": res.tp, "FP": res.fp,
                                "FN": res.fn, "TN": res.tn, "n": res.tp + res.fp + res.fn + res.tn})
            row = {"test": label(test), "reference": shown_ref(ref_key)}
            for m in ("sensitivity", "specificity", "ppv", "npv"):
                row[m] = format_estimate(getattr(res, m))
                key_numbers[f"{ref_key}/{test}/{m}"] = key_number(getattr(res, m))
            if ref_key == "truth" and test in scenario_values:
                row["scenario Se / Sp"] = "{:.2f} / {:.2f}".format(*scenario_values[test])
            acc_rows.append(row)
            notes.extend(f"{label(test)} vs {shown_ref(ref_key)}: {n}" for n in res.notes)
    if not results:
        raise ds.DataError("no index test has patients with both classes of the reference standard: "
                           + "; ".join(notes))
    any_result = next(iter(results.values()))
    methods = (f"Sensitivity, specificity, PPV and NPV with {any_result.sensitivity.method} intervals "
               f"({100 * level:g}%); patients without the test or the reference are left out of that cell.")

    # -- paired comparisons ---------------------------------------------------------------------
    first_test, *other_tests = tests
    pairs = PAIRS if simulated else tuple((first_test, other) for other in other_tests)
    cmp_rows = []
    for ref_key, reference in references.items():
        for first, second in pairs:
            sub = pd.DataFrame({"a": frame[tests[first]], "b": frame[tests[second]], "r": reference}).dropna()
            if sub["r"].nunique() < 2 or len(sub) < 10:
                notes.append(f"{label(first)} vs {label(second)} against {shown_ref(ref_key)}: too few patients "
                             f"with both tests ({len(sub)}); not compared.")
                continue
            comparison = ds.compare_tests(sub, tests=["a", "b"], reference="r", level=level)
            for measure in ("sensitivity", "specificity"):
                mc = getattr(comparison, measure)
                cmp_rows.append({"reference": shown_ref(ref_key), "comparison": f"{label(first)} - {label(second)}",
                                 "patients": len(sub), "measure": measure,
                                 "first": format_estimate(mc.first), "second": format_estimate(mc.second),
                                 "difference (CI)": format_estimate(mc.difference),
                                 "p (McNemar)": format_p_value(mc.p_value), "CI method": mc.difference.method})
                key_numbers[f"{ref_key}/{first}-{second}/{measure}_difference"] = key_number(mc.difference)

    # -- ROC of the 1-5 ratings -----------------------------------------------------------------
    roc_rows, figures = [], []
    for ref_key, reference in references.items():
        curves, curve_labels = [], []
        for test, col in ratings.items():
            sub = pd.DataFrame({"score": frame[col], "r": reference}).dropna()
            if sub["r"].nunique() < 2:
                continue
            curve = ds.roc(sub["r"].to_numpy(), sub["score"].to_numpy(), level=level,
                           direction=directions.get(test, "higher"))
            curves.append(curve)
            curve_labels.append(label(test))
            roc_rows.append({"reference": shown_ref(ref_key), "rating": label(test), "cases": curve.n_cases,
                             "controls": curve.n_controls, "AUC (CI)": format_estimate(curve.auc),
                             "method": curve.auc.method})
            key_numbers[f"{ref_key}/{test}/rating_auc"] = key_number(curve.auc)
        if curves:
            fig = new_figure(5.5, 5)
            ds.plot_roc(curves, ax=fig.subplots(), labels=curve_labels)
            fig.axes[0].set_title(f"Reference: {ref_key if simulated else ref_labels[ref_key]}")
            figures.append(render(fig, f"roc_ratings_{ref_key}.png",
                                  f"ROC curves of the {'1-5 confidence ratings' if simulated else 'scores and ratings'}"
                                  f"; reference: {ref_labels[ref_key]}."))

    fig = new_figure(8, 5.5)
    ds.plot.stard_flow(stard, ax=fig.subplots())
    flow = render(fig, "stard_flow.png", f"STARD 2015 flow of the patients for {stard.test} against "
                                         f"{stard.reference}.")
    key_numbers["stard"] = {k: v for k, v in stard.to_dict().items() if k in stard.COUNTS}

    reference_text = bullet_list([f"{k}: {v}" for k, v in ref_labels.items()] if simulated else
                                 [f"{v} ({cfg['study'].study.reference.column})" for v in ref_labels.values()])
    sections = [] if simulated else [study_section(cfg["study"])]
    sections += [
        section("Reference standards", paragraph(
            "Every estimate names the reference standard it was computed against." + (
                " The naive analysis (biopsy) is what a study of this pathway would report; the truth is "
                "known only because the cohort is simulated, and shows the naive analysis' bias: partial "
                "verification (biopsy mostly after a positive scan), biopsy errors (about 11%), and a "
                "different target condition (biopsy: malignancy; imaging: any tumour)." if simulated else "")),
            reference_text),
        section("Participant flow (STARD 2015)", paragraph(
            f"Index test {stard.test}; reference standard {stard.reference}. Patients without the reference "
            "standard are shown, not dropped silently."), figures=[flow]),
        section("2x2 tables", table(pd.DataFrame(counts_rows))),
        section("Accuracy with confidence intervals", table(pd.DataFrame(acc_rows)), paragraph(methods, note=True),
                bullet_list(notes)),
    ]
    if cmp_rows:
        sections.append(section("Paired comparisons", table(pd.DataFrame(cmp_rows)), paragraph(
            "Same patients, both tests: differences (first - second) of sensitivity and specificity with "
            "McNemar's test; Tango's score interval.", note=True)))
    if roc_rows and simulated:
        sections.append(section("ROC of the 1-5 confidence ratings", table(pd.DataFrame(roc_rows)), paragraph(
            "AUC with DeLong's interval (DeLong et al. 1988); a rating >= 3 is the binary read above.", note=True),
            figures=figures))
    elif roc_rows:
        sections.append(section("ROC of the scores and ratings", table(pd.DataFrame(roc_rows)), paragraph(
            "AUC with DeLong's interval (DeLong et al. 1988); each score in the direction the study gives it.",
            note=True), figures=figures))
    if simulated:
        title = "Accuracy of imaging for spinal tumours"
        question = ("How accurate are X-ray, CT, MRI, PET, bone scan and CT myelography (for patients who "
                    "cannot have MRI) in detecting a spinal tumour, against which reference standard, and "
                    "how do the modalities compare on the same patients?")
    else:
        study = cfg["study"].study
        names = _join([t.label for t in study.tests])
        title = study.title or f"Accuracy of {names} for {study.target}"
        question = study.question or (
            f"How accurate {'is' if len(study.tests) == 1 else 'are'} {names} in detecting {study.target}, against "
            f"{study.reference.label}" + (", and how do the tests compare on the same patients?"
                                           if len(study.binary_tests) > 1 else "?"))
    return Report(name=NAME, title=title, question=question,
                  sections=tuple(sections), data=(source,), key_numbers=key_numbers,
                  parameters={k: cfg[k] for k in ("n", "seed", "level") if simulated or k == "level"})


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

if __name__ == "__main__":
    from diagstats.report import write

    print(write(run({}), "reports"))
