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

``--data file.csv --map reference=<column>,test=<col>+<col>[,rating=<col>+<col>] [--positive LABEL]``
runs the same analysis on a user's data (one reference standard). Run with
``python analyses/imaging_modalities.py`` or ``diagstats report imaging_modalities``.
"""

from __future__ import annotations

import pandas as pd

import diagstats as ds
from diagstats.report import Report
from diagstats.report.blocks import bullet_list, format_estimate, key_number, paragraph, section, table
from diagstats.report.data import binary_reference, frame_source, read_user_csv, settings
from diagstats.report.figures import new_figure, render
from diagstats.results import format_p_value

NAME = "imaging_modalities"
DEFAULTS = {"n": 5000, "seed": 20240917, "level": 0.95, "data": None, "mapping": None, "positive": None,
            "progress": True}
MODALITIES = {"xray": "X-ray", "ct": "CT", "mri": "MRI", "pet": "PET", "bone_scan": "bone scan",
              "ct_myelography": "CT myelography"}
PAIRS = (("mri", "ct"), ("mri", "xray"), ("ct", "xray"), ("pet", "bone_scan"))
ROLES = {"reference": "reference standard, two classes (with --positive unless 0/1)",
         "test": "binary index test(s), 1 = positive; several joined by '+'",
         "rating": "optional 1-5 confidence rating(s), one per test, same order"}


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
    return cohort, source, references, labels, tests, ratings, scenario_values, stard


def _user(cfg):
    frame, source, roles = read_user_csv(cfg["data"], cfg["mapping"] or {}, ROLES, ("reference", "test"))
    if len(roles["reference"]) != 1:
        raise ds.OptionError("--map reference= takes one column.")
    reference = roles["reference"][0]
    references = {"reference": binary_reference(frame[reference], f"reference column {reference!r}", cfg["positive"])}
    tests = {c: c for c in roles["test"]}
    ratings = dict(zip(roles["test"], roles.get("rating", [])))
    stard = ds.stard_counts(frame.assign(_reference=references["reference"]), test=roles["test"][0],
                            reference="_reference", reference_label=reference)
    return frame, source, references, {"reference": f"{reference} (as given)"}, tests, ratings, {}, stard


def _accuracy(frame, test, reference, level):
    sub = pd.DataFrame({"test": frame[test], "reference": reference}).dropna()
    if sub.empty or sub["reference"].nunique() < 2:
        return None
    return ds.accuracy(data=sub, test="test", reference="reference", level=level)


def run(config: dict) -> Report:
    cfg = settings(config, DEFAULTS)
    simulated = cfg["data"] is None
    frame, source, references, ref_labels, tests, ratings, scenario_values, stard = (
        _simulated(cfg) if simulated else _user(cfg))
    level = float(cfg["level"])
    label = MODALITIES.get if simulated else (lambda c: c)

    # -- accuracy of each test against each reference -------------------------------------------
    results, counts_rows, acc_rows, notes, key_numbers = {}, [], [], [], {}
    for ref_key, reference in references.items():
        for test, col in tests.items():
            res = _accuracy(frame, col, reference, level)
            if res is None:
                notes.append(f"{label(test)} vs {ref_key}: no patients with both classes of the reference; skipped.")
                continue
            results[ref_key, test] = res
            counts_rows.append({"test": label(test), "reference": ref_key, "TP": res.tp, "FP": res.fp,
                                "FN": res.fn, "TN": res.tn, "n": res.tp + res.fp + res.fn + res.tn})
            row = {"test": label(test), "reference": ref_key}
            for m in ("sensitivity", "specificity", "ppv", "npv"):
                row[m] = format_estimate(getattr(res, m))
                key_numbers[f"{ref_key}/{test}/{m}"] = key_number(getattr(res, m))
            if ref_key == "truth" and test in scenario_values:
                row["scenario Se / Sp"] = "{:.2f} / {:.2f}".format(*scenario_values[test])
            acc_rows.append(row)
            notes.extend(f"{label(test)} vs {ref_key}: {n}" for n in res.notes)
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
                notes.append(f"{label(first)} vs {label(second)} against {ref_key}: too few patients with both "
                             f"tests ({len(sub)}); not compared.")
                continue
            comparison = ds.compare_tests(sub, tests=["a", "b"], reference="r", level=level)
            for measure in ("sensitivity", "specificity"):
                mc = getattr(comparison, measure)
                cmp_rows.append({"reference": ref_key, "comparison": f"{label(first)} - {label(second)}",
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
            curve = ds.roc(sub["r"].to_numpy(), sub["score"].to_numpy(), level=level)
            curves.append(curve)
            curve_labels.append(label(test))
            roc_rows.append({"reference": ref_key, "rating": label(test), "cases": curve.n_cases,
                             "controls": curve.n_controls, "AUC (CI)": format_estimate(curve.auc),
                             "method": curve.auc.method})
            key_numbers[f"{ref_key}/{test}/rating_auc"] = key_number(curve.auc)
        if curves:
            fig = new_figure(5.5, 5)
            ds.plot_roc(curves, ax=fig.subplots(), labels=curve_labels)
            fig.axes[0].set_title(f"Reference: {ref_key}")
            figures.append(render(fig, f"roc_ratings_{ref_key}.png",
                                  f"ROC curves of the 1-5 confidence ratings; reference: {ref_labels[ref_key]}."))

    fig = new_figure(8, 5.5)
    ds.plot.stard_flow(stard, ax=fig.subplots())
    flow = render(fig, "stard_flow.png", f"STARD 2015 flow of the patients for {stard.test} against "
                                         f"{stard.reference}.")
    key_numbers["stard"] = {k: v for k, v in stard.to_dict().items() if k in stard.COUNTS}

    reference_text = bullet_list([f"{k}: {v}" for k, v in ref_labels.items()])
    sections = [
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
    if roc_rows:
        sections.append(section("ROC of the 1-5 confidence ratings", table(pd.DataFrame(roc_rows)), paragraph(
            "AUC with DeLong's interval (DeLong et al. 1988); a rating >= 3 is the binary read above.", note=True),
            figures=figures))
    return Report(name=NAME, title="Accuracy of imaging for spinal tumours",
                  question="How accurate are X-ray, CT, MRI, PET, bone scan and CT myelography (for patients who "
                           "cannot have MRI) in detecting a spinal tumour, against which reference standard, and "
                           "how do the modalities compare on the same patients?",
                  sections=tuple(sections), data=(source,), key_numbers=key_numbers,
                  parameters={k: cfg[k] for k in ("n", "seed", "level") if simulated or k == "level"})


if __name__ == "__main__":
    from diagstats.report import write

    print(write(run({}), "reports"))
