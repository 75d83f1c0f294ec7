"""Accuracy of X-ray, CT, MRI, PET, bone scan and CT myelography for a malignant spinal lesion.

Default data: a simulated referral cohort (``ds.simulate.cohort(..., follow_up=True)``, default
scenario, fixed seed). One target condition, a malignant spinal lesion (malignant primary tumour or
metastasis), for every reference standard and for the simulated truth. The headline table scores
each test four ways, always labelled:

* **naive**: the needle biopsy (malignant vs benign) among the patients with a diagnostic biopsy,
  what a study of this pathway would compute; biased by partial verification (biopsy mostly follows
  a positive scan);
* **composite**: the biopsy where diagnostic, otherwise clinical and imaging follow-up
  (``ds.composite_reference``); biased by differential verification;
* **corrected**: extended Begg & Greenes with the pathway's covariates (prior cancer, a lesion on
  another scan), valid if verification is missing at random given them; it estimates what a biopsy
  of everyone would show, which the simulation also gives;
* **truth (simulation)**: the true malignancy status of every patient who had the test.

For the simulated cohort a last section, "Per vertebra and per patient", reads every patient's 25
vertebrae (``ds.simulate.lesions``) and sets per-vertebra accuracy with the naive interval (vertebrae taken as
independent) beside the clustered one (ratio estimator), with the design effect, the ICC and the per-patient
accuracy.

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
from diagstats.studies.bias_validation import PATHWAY_COVARIATES, pathway_covariates
from diagstats.report.figures import new_figure, render
from diagstats.results import format_p_value

NAME = "imaging_modalities"
DEFAULTS = {"n": 5000, "seed": 20240917, "level": 0.95, "study": None, "progress": True}
#: What a user's study must provide (see diagstats.report.study.ROLE_HELP).
REQUIRES = ("reference", "tests")
MODALITIES = {"xray": "X-ray", "ct": "CT", "mri": "MRI", "pet": "PET", "bone_scan": "bone scan",
              "ct_myelography": "CT myelography"}
PAIRS = (("mri", "ct"), ("mri", "xray"), ("ct", "xray"), ("pet", "bone_scan"))


TARGET = "malignant spinal lesion (malignant primary tumour or metastasis)"
MALIGNANT = ("malignant_primary", "metastasis")
#: The covariate-aware correction of the headline table (the pathway's covariates make it saturated).
CORRECTION = "extended_begg_greenes"
COVARIATE_WORDS = "a known prior cancer and a lesion on another scan, with the interactions that saturate the model"


def _simulated(cfg):
    cohort = ds.simulate.cohort(int(cfg["n"]), seed=int(cfg["seed"]), follow_up=True)
    scenario = ds.simulate.Scenario.load("spine_referral")
    composite = ds.composite_reference(cohort, ["biopsy_result", "follow_up_result"], positive="malignant",
                                       name="biopsy_or_follow_up")
    months = scenario["follow_up.months"]
    references = {
        "biopsy": binary_reference(cohort["biopsy_result"].astype(object), "biopsy_result", "malignant"),
        "composite": pd.Series(composite.reference, index=cohort.index),
        "truth": cohort["true_diagnosis"].isin(MALIGNANT).astype(float),
    }
    labels = {"biopsy": "biopsy (naive): needle biopsy malignant vs benign, patients with a diagnostic biopsy",
              "composite": f"composite: the biopsy where diagnostic, otherwise {months:g}-month clinical and imaging "
                           "follow-up (malignant vs not)",
              "truth": f"truth (simulation): {TARGET} or not, every tested patient"}
    source = frame_source(f"simulated cohort: ds.simulate.cohort({cfg['n']}, seed={cfg['seed']}, follow_up=True), "
                          "scenario 'spine_referral'", cohort)
    stard = ds.stard_counts(cohort, test="mri", reference="biopsy_result", positive="malignant",
                            attempted="biopsy_done", exclusions={"MRI contraindicated": "mri_contraindication"},
                            test_label="MRI", reference_label="needle biopsy", target="malignancy")
    tests = {m: m for m in MODALITIES}
    ratings = {m: f"{m}_rating" for m in MODALITIES}
    headline = _headline(cohort, composite, scenario, int(cfg["seed"]), float(cfg["level"]))
    return cohort, source, references, labels, tests, ratings, headline, stard, MODALITIES, {}


#: The simulated references as the tables name them: the naive one with the reason for its low specificities.
SHOWN_REFERENCES = {"biopsy": "biopsy (naive: biopsied after positive scans, so specificity far too low)",
                    "composite": "composite (biopsy, else follow-up)", "truth": "truth"}


def _share(x: pd.Series) -> str:
    return f"{x.mean():.0%}" if len(x) else "none"


def _headline(cohort, composite, scenario, seed, level):
    """Per modality: naive, composite, corrected, biopsy of everyone and truth; (table rows, key numbers, notes)."""
    everyone = ds.simulate.cohort(len(cohort), seed=seed, complete=True)["biopsy_result"]
    biopsied_everyone = binary_reference(everyone.astype(object), "biopsy_result", "malignant")
    biopsy = binary_reference(cohort["biopsy_result"].astype(object), "biopsy_result", "malignant")
    truth = cohort["true_diagnosis"].isin(MALIGNANT).astype(float)
    rows, numbers, notes = [], {}, []
    for test, name in MODALITIES.items():
        data = pathway_covariates(cohort, test)
        data["biopsy"] = biopsy[data.index]
        estimates = {"naive": _accuracy(data, test, data["biopsy"], level),
                     "composite": _accuracy(data, test, pd.Series(composite.reference, index=cohort.index)[data.index],
                                            level),
                     "everyone": _accuracy(data, test, biopsied_everyone[data.index], level),
                     "truth": _accuracy(data, test, truth[data.index], level)}
        try:
            estimates["corrected"] = ds.correct_verification(
                data, test=test, reference="biopsy", covariates=list(PATHWAY_COVARIATES), method=CORRECTION,
                level=level, seed=seed, progress=False)
        except ds.DataError:    # the verified patients do not identify the covariate model
            estimates["corrected"] = None
            strata = data.groupby([test, "prior_cancer", "other_lesion"])["biopsy"].count()
            notes.append(f"{name}: corrected estimate not estimable. Only {int(data['biopsy'].notna().sum())} of "
                         f"{len(data)} patients were biopsied, and {int((strata == 0).sum())} of the {len(strata)} "
                         "pathway strata (test result, prior cancer, lesion on another scan) seen among them have no "
                         "biopsied patient, so the covariate model has no unique fit.")
        read = data[test] == 1
        verified = data["biopsy"].notna()
        why = {"sensitivity": f"biopsied: {_share(verified[read])} of positive, {_share(verified[~read])} of "
                              "negative reads",
               "specificity": f"{_share(read[verified & (data['biopsy'] == 0)])} of biopsied non-malignant "
                              "read positive"}
        for measure in ("sensitivity", "specificity"):
            row = {"test, measure": f"{name}, {measure}"}
            for key, label in HEADLINE_COLUMNS.items():
                res = estimates[key]
                row[label] = format_estimate(getattr(res, measure)) if res is not None else "not estimable"
                if res is not None:
                    numbers[f"headline/{test}/{key}/{measure}"] = key_number(getattr(res, measure))
            row["why naive is off"] = why[measure]
            rows.append(row)
    return rows, numbers, notes


HEADLINE_COLUMNS = {"naive": "naive", "composite": "composite", "corrected": "corrected",
                    "everyone": "everyone biopsied (sim.)", "truth": "truth (sim.)"}


def _headline_section(headline, scenario, level):
    rows, _, notes = headline
    months = scenario["follow_up.months"]
    mri_specificity = next(r for r in rows if r["test, measure"] == "MRI, specificity")
    return section(
        "Headline: one target condition, four ways to score each test",
        paragraph(f"Target condition: {TARGET}, the same for every reference standard and for the simulated truth. "
                  "Each imaging test is scored, on the patients who had it, against: the needle biopsy alone (naive), "
                  f"a composite reference (the biopsy where there is a diagnostic one, otherwise {months:g}-month "
                  "clinical and imaging follow-up), the biopsy corrected for partial verification using the "
                  f"pathway's covariates ({COVARIATE_WORDS}), and, because the cohort is simulated, the biopsy "
                  "every patient would have had and the truth."),
        table(pd.DataFrame(rows)),
        bullet_list([
            "Naive (the biopsy, patients with a diagnostic biopsy only): partial verification. A biopsy mostly "
            "follows a positive scan, so the table only "
            "holds the patients whose scans were positive: missed malignancies are rarely biopsied (sensitivity too "
            "high) and nearly every biopsied patient without malignancy had a positive scan (specificity far too "
            f"low: MRI {mri_specificity['naive']}, see the last column). That low value is an "
            "artefact of who gets a biopsy, not a property of MRI.",
            "Composite (biopsy, else follow-up): almost everyone has a reference, but patients with a positive scan "
            "are mostly classified by the biopsy and those with a negative scan by follow-up, and the two err "
            f"differently: the biopsy in about {1 - scenario['biopsy.accuracy']:.0%} of samples, follow-up misses "
            f"about {1 - scenario['follow_up.sensitivity']:.0%} of malignancies and calls "
            f"{1 - scenario['follow_up.specificity']:.0%} of the others malignant (assumed values). This differential "
            "verification (Naaktgeboren et al. 2013; de Groot et al. 2011) leaves a bias of its own: specificity is "
            "far closer to the truth than the naive value, sensitivity not necessarily.",
            "Corrected (extended Begg & Greenes with the pathway's covariates): valid if, given the test, prior "
            "cancer and the other scans, "
            "whether a patient was biopsied does not depend on the disease (missing at random), which is how the "
            "simulated pathway decides. It removes the verification bias: it estimates what a biopsy of everyone "
            "would show (the next column), not the truth.",
            f"Everyone biopsied vs truth (both known only in a simulation): the needle biopsy itself is wrong in about "
            f"{1 - scenario['biopsy.accuracy']:.0%} of diagnostic samples (imperfect reference standard; Lis et al. "
            "2004). No verification correction removes that; ds.correct_reference can, given the biopsy's accuracy.",
            "Truth: imaging shows lesions, benign or malignant. A benign tumour read positive is a false positive for "
            f"a {TARGET.split(' (')[0]}, so specificity against the truth is below the scenario's imaging "
            f"specificity for any tumour (MRI {scenario['imaging.mri.specificity']:.2f}); sensitivity equals the "
            f"scenario's (MRI {scenario['imaging.mri.sensitivity']:.2f}).",
        ] + notes),
        paragraph(f"{100 * level:g}% intervals: Wilson for the 2x2 tables, percentile bootstrap for extended Begg & "
                  "Greenes (Alonzo & Pepe 2005; covariates as in diagstats.studies.bias_validation.pathway_covariates)."
                  " On 100,000 simulated patients (tests/bias/test_composite_reference.py) the corrected MRI "
                  "sensitivity and specificity are within 0.01 of the truth when the biopsy is perfect and within 0.01 "
                  "of a biopsy of everyone with the scenario's biopsy, and the composite's bias matches the one its "
                  "components' error rates predict.", note=True))


def _per_vertebra(cohort, seed, level):
    """The "Per vertebra and per patient" section, its key numbers and the lesion table's data source."""
    units = ds.simulate.lesions(cohort, seed=seed)
    rows, clustering, key_numbers = [], [], {}
    for test, name in MODALITIES.items():
        read = units.dropna(subset=[test])
        if read["involved"].nunique() < 2:
            continue
        res = ds.accuracy(data=read, test=test, reference="involved", cluster="patient_id", level=level)
        naive = ds.accuracy(tp=res.tp, fp=res.fp, fn=res.fn, tn=res.tn, level=level)
        rows.append({"test": name, "patients": res.n_clusters, "vertebrae": res.n,
                     "sensitivity, naive": format_estimate(naive.sensitivity),
                     "sensitivity, clustered": format_estimate(res.sensitivity),
                     "specificity, naive": format_estimate(naive.specificity),
                     "specificity, clustered": format_estimate(res.specificity)})
        patient = res.patient_level
        clustering.append({"test": name, "ICC, involved": f"{res.icc['diseased']:.2f}",
                           "design effect, sensitivity": f"{res.design_effect['diseased']:.2f}",
                           "ICC, not involved": f"{res.icc['non_diseased']:.2f}",
                           "design effect, specificity": f"{res.design_effect['non_diseased']:.2f}",
                           "per patient: sensitivity": format_estimate(patient.sensitivity),
                           "per patient: specificity": format_estimate(patient.specificity)})
        for m in ("sensitivity", "specificity"):
            key_numbers[f"vertebra/{test}/{m}_naive"] = key_number(getattr(naive, m))
            key_numbers[f"vertebra/{test}/{m}_clustered"] = key_number(getattr(res, m))
            key_numbers[f"patient/{test}/{m}_any_vertebra"] = key_number(getattr(patient, m))
        key_numbers[f"vertebra/{test}/design_effect"] = dict(res.design_effect)
    mri = next(r for r in clustering if r["test"] == "MRI")
    text = paragraph(
        "Spine imaging is often reported per vertebra (Buhmann Kirchhoff et al. 2009: 639 vertebrae in 41 "
        "patients). The vertebrae of one patient are not independent: a patient whose metastases are easy to see "
        "tends to have all of them seen, and the counts cannot be analysed as if each vertebra were a patient. "
        "Here each simulated patient has all 25 vertebral units read (C1 to L5 and the sacrum) by every test they "
        "had; the target is any tumour in that vertebra (benign or malignant, the simulated truth). The naive "
        "interval treats the vertebrae as independent (Wilson); the clustered interval keeps each patient's "
        "vertebrae together (the ratio-estimator variance of Genders et al. 2012, with Korn & Graubard's 1998 "
        "interval). For MRI the design effect is "
        f"{mri['design effect, sensitivity']} for sensitivity and {mri['design effect, specificity']} for "
        "specificity: the per-vertebra data carry as much information as that many times fewer independent "
        "vertebrae, and the naive interval is too narrow by the square root of it.")
    patient_text = paragraph(
        "The per-patient columns score the same reads per patient: a patient is test-positive if any vertebra is "
        "read positive and diseased if any vertebra is involved (any tumour, benign or malignant, so these differ from "
        "the malignant-lesion tables above). A false positive on any of 25 vertebrae makes the patient a false "
        "positive, so per-patient specificity is well below per-vertebra specificity, while a patient is found if "
        "any one of their involved vertebrae is seen, so per-patient sensitivity is higher. Per patient is what "
        "decides a work-up; per vertebra is what matters for planning treatment level by level.")
    method = paragraph(
        f"{100 * level:g}% intervals. Vertebra-level truth and reads from ds.simulate.lesions(cohort, seed={seed}) "
        "(parameters and their sources in diagstats/data/lesion_scenarios/spine_vertebrae.json: involved vertebrae "
        "per Wang et al. 2019, per-lesion accuracy per Yang et al. 2011, a patient-level conspicuity shared by all "
        "vertebrae, an assumption). ICC: Fleiss' estimator among involved and among uninvolved vertebrae; design "
        "effect 1 + (n_w - 1) ICC with n_w the size-weighted mean number of vertebrae per patient. Per-patient "
        "intervals are Wilson's. Clustered intervals: Korn & Graubard (1998), the exact binomial interval of the "
        "effective number of vertebrae p (1 - p) / var (Kish's n / design effect) with var the ratio-estimator "
        "variance, reduced for the degrees of freedom of the patients (the Wald interval of Genders et al. "
        "under-covers near 0 and 1 with a few hundred patients or fewer: diagstats.studies.cluster_validation).",
        note=True)
    source = frame_source(f"simulated vertebrae: ds.simulate.lesions(cohort, seed={seed}), 25 per patient", units)
    return (section("Per vertebra and per patient", text, table(pd.DataFrame(rows)), patient_text,
                    table(pd.DataFrame(clustering)), method), key_numbers, source)


def _user(data):
    study = data.study
    frame = data.frame.copy()
    reference = study.reference
    references, ref_labels = {"reference": data.reference()}, {"reference": reference.label}
    components = data.reference_components()
    if components is not None:   # a composite: the accuracy against each component too (differential verification)
        ref_labels["reference"] = f"composite ({reference.label}, else {reference.fallback_label})"
        for k, (name, values) in enumerate(components.items(), start=1):
            references[f"component_{k}"] = values
            ref_labels[f"component_{k}"] = f"{name} only"
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
                       reference_label=reference.label, unit="patients" if study.cluster is None else "lesions")
    return (frame, data.source, references, ref_labels, tests, ratings, None, stard, labels, directions)


def _accuracy(frame, test, reference, level, cluster=None):
    """Accuracy of one test; with ``cluster`` (each row's patient) the rows are lesions clustered in patients."""
    sub = pd.DataFrame({"test": frame[test], "reference": reference, "patient": cluster}).dropna(
        subset=["test", "reference"])
    if sub.empty or sub["reference"].nunique() < 2:
        return None
    return ds.accuracy(data=sub, test="test", reference="reference", level=level,
                       cluster=None if cluster is None else "patient")


def run(config: dict) -> Report:
    cfg = settings(config, DEFAULTS)
    simulated = cfg["study"] is None
    frame, source, references, ref_labels, tests, ratings, headline, stard, test_labels, directions = (
        _simulated(cfg) if simulated else _user(cfg["study"]))
    level = float(cfg["level"])
    label = test_labels.get
    cluster_column = None if simulated else cfg["study"].study.cluster
    clusters = None if cluster_column is None else frame[cluster_column]   # the patient of each lesion row
    rows_are = "patients" if clusters is None else "lesions"
    shown_ref = SHOWN_REFERENCES.get if simulated else ref_labels.get   # the reference as the tables show it

    # -- accuracy of each test against each reference -------------------------------------------
    results, counts_rows, acc_rows, notes, key_numbers = {}, [], [], [], {}
    for ref_key, reference in references.items():
        for test, col in tests.items():
            res = _accuracy(frame, col, reference, level, clusters)
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
            acc_rows.append(row)
            notes.extend(f"{label(test)} vs {shown_ref(ref_key)}: {n}" for n in res.notes)
    if not results:
        raise ds.DataError("no index test has patients with both classes of the reference standard: "
                           + "; ".join(notes))
    any_result = next(iter(results.values()))
    methods = (f"Sensitivity, specificity, PPV and NPV with {any_result.sensitivity.method} intervals "
               f"({100 * level:g}%); {rows_are} without the test or the reference are left out of that cell.")
    if clusters is not None:
        methods += (f" Each row is a lesion; the lesions belong to {clusters.nunique()} patients (column "
                    f"{cluster_column!r}), and the intervals account for lesions of one patient being alike (ratio "
                    "estimator of Genders et al. 2012 with Korn & Graubard's 1998 interval; the counts are of "
                    "lesions).")

    # -- paired comparisons ---------------------------------------------------------------------
    first_test, *other_tests = tests
    pairs = PAIRS if simulated else tuple((first_test, other) for other in other_tests)
    cmp_rows = []
    for ref_key, reference in references.items():
        for first, second in pairs:
            sub = pd.DataFrame({"a": frame[tests[first]], "b": frame[tests[second]], "r": reference,
                                "patient": clusters}).dropna(subset=["a", "b", "r"])
            if sub["r"].nunique() < 2 or len(sub) < 10:
                notes.append(f"{label(first)} vs {label(second)} against {shown_ref(ref_key)}: too few {rows_are} "
                             f"with both tests ({len(sub)}); not compared.")
                continue
            comparison = ds.compare_tests(sub, tests=["a", "b"], reference="r", level=level,
                                          cluster=None if clusters is None else "patient")
            for measure in ("sensitivity", "specificity"):
                mc = getattr(comparison, measure)
                cmp_rows.append({"reference": shown_ref(ref_key), "comparison": f"{label(first)} - {label(second)}",
                                 rows_are: len(sub), "measure": measure,
                                 "first": format_estimate(mc.first), "second": format_estimate(mc.second),
                                 "difference (CI)": format_estimate(mc.difference),
                                 "p (McNemar)" if clusters is None else "p (Obuchowski)": format_p_value(mc.p_value),
                                 "CI method": mc.difference.method})
                key_numbers[f"{ref_key}/{first}-{second}/{measure}_difference"] = key_number(mc.difference)

    # -- ROC of the 1-5 ratings -----------------------------------------------------------------
    roc_rows, figures = [], []
    for ref_key, reference in references.items():
        curves, curve_labels = [], []
        for test, col in ratings.items():
            sub = pd.DataFrame({"score": frame[col], "r": reference, "patient": clusters}).dropna(
                subset=["score", "r"])
            if sub["r"].nunique() < 2:
                continue
            curve = ds.roc(sub["r"].to_numpy(), sub["score"].to_numpy(), level=level,
                           direction=directions.get(test, "higher"),
                           cluster=None if clusters is None else sub["patient"].to_numpy())
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
    flow = render(fig, "stard_flow.png", f"STARD 2015 flow of the {stard.unit} for {stard.test} against "
                                         f"{stard.reference}.")
    key_numbers["stard"] = {k: v for k, v in stard.to_dict().items() if k in stard.COUNTS}

    reference_text = bullet_list([f"{k}: {v}" for k, v in ref_labels.items()] if simulated else
                                 [f"{v} ({cfg['study'].study.reference.column})" for v in ref_labels.values()])
    sections = [_headline_section(headline, ds.simulate.Scenario.load("spine_referral"), level)] if simulated else [
        study_section(cfg["study"], unit=rows_are)]
    if simulated:
        key_numbers.update(headline[1])
    sections += [
        section("Reference standards", paragraph(
            "Every estimate names the reference standard it was computed against." + (
                f" All three score the same target condition, a {TARGET}. The naive analysis (biopsy) is what a "
                "study of this pathway would report; the composite adds follow-up for the patients without a "
                "diagnostic biopsy; the truth is known only because the cohort is simulated. The tables below "
                "repeat the headline's naive, composite and true values with their 2x2 tables, paired comparisons "
                "and the ROC of the ratings." if simulated else "")),
            reference_text),
        section("Participant flow (STARD 2015)", paragraph(
            f"Index test {stard.test}; reference standard {stard.reference}. {stard.unit.capitalize()} without the "
            "reference standard are shown, not dropped silently."), figures=[flow]),
        section("2x2 tables", table(pd.DataFrame(counts_rows))),
        section("Accuracy with confidence intervals", table(pd.DataFrame(acc_rows)), paragraph(methods, note=True),
                bullet_list(notes)),
    ]
    if cmp_rows:
        sections.append(section("Paired comparisons", table(pd.DataFrame(cmp_rows)), paragraph(
            "Same patients, both tests: differences (first - second) of sensitivity and specificity with "
            "McNemar's test; Tango's score interval." if clusters is None else
            "Same lesions, both tests: differences (first - second) of sensitivity and specificity with Obuchowski's "
            "(1998) clustered McNemar test, which allows for several lesions per patient; the difference's interval "
            "by the ratio estimator.", note=True)))
    if roc_rows and simulated:
        sections.append(section("ROC of the 1-5 confidence ratings", table(pd.DataFrame(roc_rows)), paragraph(
            "AUC with DeLong's interval (DeLong et al. 1988); a rating >= 3 is the binary read above.", note=True),
            figures=figures))
    elif roc_rows:
        sections.append(section("ROC of the scores and ratings", table(pd.DataFrame(roc_rows)), paragraph(
            "AUC with DeLong's interval (DeLong et al. 1988); each score in the direction the study gives it."
            if clusters is None else "AUC of the lesions with Obuchowski's (1997) clustered interval, which allows "
            "for several lesions per patient; each score in the direction the study gives it.",
            note=True), figures=figures))
    sources = (source,)
    if simulated:
        vertebra_section, vertebra_numbers, vertebra_source = _per_vertebra(frame, int(cfg["seed"]), level)
        sections.append(vertebra_section)
        key_numbers.update(vertebra_numbers)
        sources += (vertebra_source,)
    if simulated:
        title = "Accuracy of imaging for a malignant spinal lesion"
        question = ("How accurate are X-ray, CT, MRI, PET, bone scan and CT myelography (for patients who "
                    "cannot have MRI) in detecting a malignant spinal lesion, how much do the naive biopsy-verified "
                    "analysis, a composite reference with follow-up and a verification correction differ from the "
                    "truth, and how do the modalities compare on the same patients?")
    else:
        study = cfg["study"].study
        names = _join([t.label for t in study.tests])
        title = study.title or f"Accuracy of {names} for {study.target}"
        question = study.question or (
            f"How accurate {'is' if len(study.tests) == 1 else 'are'} {names} in detecting {study.target}, against "
            f"{study.reference.label}" + (", and how do the tests compare on the same patients?"
                                           if len(study.binary_tests) > 1 else "?"))
    return Report(name=NAME, title=title, question=question,
                  sections=tuple(sections), data=sources, key_numbers=key_numbers,
                  parameters={k: cfg[k] for k in ("n", "seed", "level") if simulated or k == "level"})


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

if __name__ == "__main__":
    from diagstats.report import write

    print(write(run({}), "reports"))
