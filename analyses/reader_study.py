"""MRI vs CT for spinal tumours, read by several radiologists: a multi-reader multi-case (MRMC) reader study.

Default data: the simulated spine work-up (``ds.simulate.cohort``, fixed seed) with a panel of 6 radiologists
(``ds.simulate.cohort_reads``): every referred patient who had both MRI and CT in the work-up is rated 1-5 on MRI
and on CT by every radiologist, from the patient's own latent imaging signal, each radiologist with their own
skill (discrimination) and bias (threshold). The target condition is the cohort's: a spinal tumour, known for
every simulated patient (a perfect reference standard). The analysis is :func:`diagstats.reader_study`:
the STARD flow (referred, imaged by MRI and CT, read by the radiologists, reference standard), per-reader and
modality-average ROC curves, the Obuchowski-Rockette analysis with Hillis' degrees of freedom (random readers
and cases, fixed readers, fixed cases), each reader alone, and the cases needed for 80% power with these readers
(:func:`diagstats.planning.reader_study_power`).

On your own long data (one row per reader x modality x case): ``diagstats report reader_study --data FILE.csv
--map modality=COLUMN,reader=COLUMN,case=COLUMN,truth=COLUMN,rating=COLUMN`` (a role not mapped uses the column
of the same name), or a study file's ``[reader_study]`` table (docs/study_file.md); the report then gives the
same analysis of those modalities, readers and cases, in the design the rows fit (fully crossed, or cases nested
in readers or in modalities: ``ds.reader_study(design="auto")``), which its Design section names. Run with
``python analyses/reader_study.py`` or ``diagstats report reader_study``.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

import diagstats as ds
from diagstats.report import Report
from diagstats.report.blocks import bullet_list, format_estimate, key_number, paragraph, section, table
from diagstats.report.data import frame_source, settings
from diagstats.report.figures import new_figure, render
from diagstats.report.study_data import StudyData, study_section
from diagstats.results import format_p_value

NAME = "reader_study"
DEFAULTS = {"n_patients": 1000, "n_readers": 6, "agreement": 0.6, "seed": 20261130, "level": 0.95,
            "progress": True, "study": None}
#: What a user's study must provide (see diagstats.report.study.ROLE_HELP): long reader-study data.
REQUIRES = ("reader_study",)
#: The cohort modalities read, and their labels in the report.
MODALITIES = {"mri": "MRI", "ct": "CT"}
TARGET = "spinal tumour"
#: ds.reader_study's column arguments and the [reader_study] roles (--map names) the user gives them as.
USER_ROLES = {"modality": "modality", "reader": "reader", "case": "case", "truth": "truth", "score": "rating",
              "cluster": "cluster"}
#: ds.reader_study's Python-only fixes and design names, as a user of the data file reads them (regex, replacement).
USER_HINTS = (
    (r", e\.g\. data\.drop_duplicates\(\[[^\]]*\]\)", " (delete the repeated rows from the data file)"),
    (r"Recode it, e\.g\. data\[[^\]]*\] == [^.]*\.", "Recode it in the data file: 0 (target absent) or 1 (target "
                                                    "present)."),
    (r"convert it first, e\.g\. pd\.to_numeric\(data\[[^\]]*\]\)\.", "make every rating in the data file a number."),
    (r"design='auto' found no design that the rows fit", "the rows fit no reader-study design"),
    (r"design='crossed'", "fully crossed"), (r"design='cases_in_readers'", "cases nested in readers"),
    (r"design='cases_in_modalities'", "cases nested in modalities"),
    (r"Drop cluster= \(or analyse a crossed study\)\.", "Drop the cluster role (--map cluster, [reader_study] "
                                                           "cluster)."),
    (r"For one modality, analyse each reader with ds\.roc\.", "Give the reads of every modality compared."),
    (r"For one reader, compare the modalities with ds\.compare_roc\.", "For one reader, compare the modalities in "
     "the imaging_modalities report (one row per case, a column per modality)."),
)
#: The design of a user's study, as the report's Design section says it (reader_study(design="auto") finds it).
DESIGN_SENTENCE = {
    "crossed": "each rated all {c} cases ({pos} with {target}, {neg} without) under each of {t} modalities ({names}), "
               "a fully crossed design",
    "cases_in_readers": "each rated their own cases ({c} in all, {pos} with {target}, {neg} without; no case read by "
                        "two readers) under each of {t} modalities ({names}): cases nested in readers, so no two "
                        "readers' AUCs share a case (Cov2 = Cov3 = 0)",
    "cases_in_modalities": "each rated every case of each modality, each of the {t} modalities ({names}) with its own "
                           "cases ({c} in all, {pos} with {target}, {neg} without): cases nested in modalities, so "
                           "no two modalities share a case (Cov1 = Cov3 = 0)",
}


def _model_auc(skill: np.ndarray) -> dict[str, float]:
    """The readers' mean binormal AUC of each modality in the referral population:
    mean over readers of Phi(g_j (Phi^-1(Se) + Phi^-1(Sp)) / sqrt(2)) (ds.simulate.cohort_reads)."""
    s = ds.simulate.Scenario.load("spine_referral")
    out = {}
    for m, label in MODALITIES.items():
        d = stats.norm.ppf(s[f"imaging.{m}.sensitivity"]) + stats.norm.ppf(s[f"imaging.{m}.specificity"])
        out[label] = float(np.mean(stats.norm.cdf(np.asarray(skill) * d / np.sqrt(2))))
    return out


def _analysis_sections(means, tests, components, notes: list[str]) -> list:
    """The modality means and the Obuchowski-Rockette tables, the same for simulated and own data."""
    return [section("Modality means", table(means), paragraph(
                "Single-modality intervals with Hillis' (2007) degrees of freedom (random readers and cases).",
                note=True)),
            section("Obuchowski-Rockette analysis", table(tests), paragraph(
                "Obuchowski & Rockette (1995) with the jackknife covariance over cases and Hillis' (2007) "
                "denominator degrees of freedom (Iowa OR-DBM MRMC layout).", note=True), table(components),
                bullet_list(notes))]


def _test_row(name: str, audience: str, test: ds.TestResult) -> dict:
    df = "1" if name == "FRRC" else f"1, {test.df:.2f}"
    return {"analysis": name, "generalises to": audience,
            "statistic": f"{'chi-square' if name == 'FRRC' else 'F'} = {test.statistic:.3f} (df {df})",
            "p": format_p_value(test.p_value), "MRI - CT (CI)": format_estimate(_mri_minus_ct(test.estimate)),
            "interval": test.estimate.method}


def _mri_minus_ct(est: ds.Estimate) -> ds.Estimate:
    """The difference as MRI - CT (the result gives CT - MRI, in the modalities' sorted order)."""
    return ds.Estimate(-est.value, -est.upper, -est.lower, est.level, est.method, "AUC difference MRI - CT")


def _flow(patients: pd.DataFrame, data: pd.DataFrame, n_readers: int):
    """The STARD flow of the referred patients: imaged by MRI and CT, read by every radiologist (the index test
    shown: the MRI read of the majority, a rating >= 3 by at least half of them), reference standard."""
    mri = data[data["modality"] == "MRI"]
    majority = (mri["rating"] >= 3).groupby(mri["case"]).mean() >= 0.5
    flow = pd.DataFrame({"mri_majority": majority.astype(float).reindex(patients.index),
                         "tumour": (patients["true_diagnosis"] != "no_tumour").astype(int)})
    no_mri = patients["mri"].isna().to_numpy()
    return ds.stard_counts(flow, test="mri_majority", reference="tumour",
                           exclusions={"no MRI in the work-up (contraindicated or not ordered)": no_mri,
                                       "MRI but no CT in the work-up": ~no_mri & patients["ct"].isna().to_numpy()},
                           test_label=f"MRI, majority of {n_readers} radiologists",
                           reference_label="simulated truth", target=TARGET)


def _difference_figure(res: ds.ReaderStudyResult):
    """Each radiologist's MRI - CT difference with its interval, and the RRRC average."""
    fig = new_figure(6, 3.8)
    ax = fig.subplots()
    rows = [(str(r), _mri_minus_ct(t.estimate)) for r, t in zip(res.readers, res.per_reader)]
    rows.append(("average (RRRC)", _mri_minus_ct(res.rrrc.estimate)))
    for k, (name, est) in enumerate(rows):
        y = len(rows) - 1 - k
        style = {"color": "black", "marker": "D"} if name.startswith("average") else {"color": "tab:blue",
                                                                                        "marker": "o"}
        ax.plot([est.lower, est.upper], [y, y], color=style["color"], linewidth=1.5)
        ax.plot([est.value], [y], linestyle="none", **style)
    ax.axvline(0, color="grey", linestyle=":", linewidth=1)
    ax.set_yticks(range(len(rows)), [name for name, _ in reversed(rows)])
    ax.set_xlabel("AUC difference MRI - CT (95% CI)" if res.level == 0.95 else
                  f"AUC difference MRI - CT ({100 * res.level:g}% CI)")
    return fig


def run(config: dict) -> Report:
    cfg = settings(config, DEFAULTS)
    level = float(cfg["level"])
    if cfg["study"] is not None:
        return _user(cfg["study"], level)
    n, seed = int(cfg["n_patients"]), int(cfg["seed"])
    patients = ds.simulate.cohort(n, seed=seed)
    data = ds.simulate.cohort_reads(n, seed=seed, readers=int(cfg["n_readers"]), modalities=tuple(MODALITIES),
                                    agreement=float(cfg["agreement"]))
    skill, bias = np.array(data.attrs["skill"]), np.array(data.attrs["bias"])
    data["modality"] = data["modality"].map(MODALITIES)
    data["reader"] = data["reader"].str.replace("reader", "radiologist")
    res = ds.reader_study(data, score="rating", level=level)
    model_auc = _model_auc(skill)
    source = frame_source(f"simulated reader study on the spine work-up: ds.simulate.cohort_reads({n} referred "
                          f"patients, {cfg['n_readers']} readers, agreement={cfg['agreement']}, seed={seed})", data)
    key_numbers = {f"{m}/mean_auc": key_number(e) for m, e in zip(res.modalities, res.modality_auc)}
    for name in ("rrrc", "frrc", "rrfc"):
        test = getattr(res, name)
        key_numbers[f"{name}/difference_mri_minus_ct"] = key_number(_mri_minus_ct(test.estimate))
        key_numbers[f"{name}/p_value"] = test.p_value

    readers = len(res.readers)
    design = paragraph(
        f"Of {n} patients referred with back pain suspicious for a spinal tumour (the simulated work-up, "
        f"ds.simulate.cohort), {res.n_cases} had both MRI and CT; {readers} radiologists each rated every one of "
        f"them ({res.n_diseased} with a {TARGET}, {res.n_nondiseased} without) on MRI and on CT, 1 (definitely no "
        "tumour) to 5 (definitely a tumour): a fully crossed design. Each rating comes from the patient's own "
        "latent imaging signal, the one behind the cohort's reads (ds.simulate.cohort_reads): a radiologist's skill "
        "scales how far apart patients with and without a tumour lie (skill 1: the pooled sensitivity and "
        "specificity of the meta-analysis), their bias moves their thresholds (above 0: fewer positive reads), and "
        f"a share {cfg['agreement']} of each patient's reading noise is seen by every radiologist (an assumption). "
        f"With these radiologists the model's mean AUC in the referral population is {model_auc['CT']:.3f} for CT "
        f"and {model_auc['MRI']:.3f} for MRI; the patients who reach both MRI and CT are a selected group (CT "
        "follows a positive first read more often), so the AUCs of this case mix differ from those.")
    panel = table(pd.DataFrame({"radiologist": [str(r) for r in res.readers],
                                "skill": [f"{g:.2f}" for g in skill], "bias": [f"{b:+.2f}" for b in bias],
                                "model AUC CT": [f"{_model_auc([g])['CT']:.3f}" for g in skill],
                                "model AUC MRI": [f"{_model_auc([g])['MRI']:.3f}" for g in skill]}))

    auc = res.auc_frame().rename(columns=str)
    per_reader = pd.DataFrame({"reader": [str(r) for r in res.readers],
                               "CT AUC": [f"{v:.3f}" for v in auc["CT"]],
                               "MRI AUC": [f"{v:.3f}" for v in auc["MRI"]],
                               "MRI - CT (CI)": [format_estimate(_mri_minus_ct(t.estimate)) for t in res.per_reader],
                               "p (this reader)": [format_p_value(t.p_value) for t in res.per_reader]})
    fig = new_figure(5.5, 5.5)
    res.plot(ax=fig.subplots())
    stard = _flow(patients, data, readers)
    flow_fig = new_figure(8, 5.5)
    ds.plot.stard_flow(stard, ax=flow_fig.subplots())
    flow = render(flow_fig, "stard_flow.png", f"STARD 2015 flow of the referred patients for {stard.test} against "
                                              "the reference standard.")
    key_numbers["stard"] = {k: v for k, v in stard.to_dict().items() if k in stard.COUNTS}
    differences = render(_difference_figure(res), "reader_differences.png",
                         "MRI - CT difference of the AUC of each radiologist (fixed readers) and of the average "
                         "(random readers and random cases).")
    curves = render(fig, "reader_roc.png", "Empirical ROC curve of each radiologist (thin) and the average over "
                                           "radiologists of each modality (thick; vertical averaging).")
    means = pd.DataFrame([{"modality": str(m), "mean AUC (CI)": format_estimate(e), "df": f"{df:.1f}",
                           "model AUC (referral population)": f"{model_auc[str(m)]:.3f}", "interval": e.method}
                          for m, e, df in zip(res.modalities, res.modality_auc, res.modality_df)])
    tests = pd.DataFrame([
        _test_row("RRRC", "new radiologists reading new patients", res.rrrc),
        _test_row("FRRC", "these radiologists reading new patients", res.frrc),
        _test_row("RRFC", "new radiologists reading these patients", res.rrfc)])
    components = pd.DataFrame([{"component": k, "value": f"{res.components[k]:.6f}"} for k in
                               ("Var(R)", "Var(TxR)", "Cov1", "Cov2", "Cov3", "Var(error)")])
    plan = ds.planning.reader_study_power(res, n_readers=readers, power=0.8) if _reachable(res) else None
    diff = _mri_minus_ct(res.rrrc.estimate)
    p_text = format_p_value(res.rrrc.p_value)
    verdict = (f"Averaged over radiologists, the AUC is {abs(diff.value):.3f} "
               f"{'higher' if diff.value >= 0 else 'lower'} on MRI than on CT ({100 * level:g}% CI "
               f"{diff.lower:.3f} to {diff.upper:.3f}; p {p_text if p_text.startswith('<') else '= ' + p_text}, random "
               "readers and random cases). That analysis is the one that generalises to other radiologists like "
               "these reading other patients like these, here patients referred for a suspected spinal tumour who "
               "had both MRI and CT in the work-up (not every referred patient); the fixed-readers analysis speaks "
               "only for these radiologists, and the fixed-cases analysis only for these patients. A per-reader test "
               "ignores the variation between radiologists and is not evidence for radiologists in general.")
    planning = paragraph(
        f"For a new study with {readers} radiologists to detect this difference with 80% power (RRRC, "
        f"alpha 0.05), {plan.n_cases} patients are needed (Hillis, Obuchowski & Berbaum 2011; the case mix of "
        "this study)." if plan is not None else
        f"With {readers} radiologists no number of patients reaches 80% power for this difference "
        "(reader variability does not shrink with cases); more radiologists are needed.")
    key_numbers["planning/n_cases_80"] = plan.n_cases if plan is not None else 0
    sections = [
        section("Design", design, panel, paragraph(
            "Skill and bias of each radiologist, drawn once for the panel (log skill ~ N(0, 0.2^2), bias ~ "
            "N(0, 0.3^2); assumptions); model AUC: Phi(skill x (Phi^-1(Se) + Phi^-1(Sp)) / sqrt(2)) with the "
            "scenario's pooled sensitivity and specificity.", note=True)),
        section("Participant flow (STARD 2015)", paragraph(
            f"Referred patients, then those imaged by MRI and CT in the work-up, read by all {readers} "
            "radiologists, then the reference standard (the simulated truth, known for everyone). The flow shows "
            "the MRI read of the majority (a rating of 3 or more by at least half of the radiologists); the reader "
            "study itself uses the ratings, not this read."), figures=[flow]),
        section("What generalises to whom", paragraph(verdict), figures=[differences]),
        section("ROC curves per radiologist and per modality", figures=[curves]),
        section("AUC of each radiologist", table(per_reader), paragraph(
            "Empirical (Mann-Whitney) AUC of the 1-5 ratings, ties counted one half. Each radiologist's MRI - CT "
            "difference is a Wald test with the jackknife covariance of that radiologist's two AUCs (fixed "
            "readers).", note=True)),
        *_analysis_sections(means, tests, components, list(res.notes)),
        section("Planning the next study", planning),
    ]
    return Report(name=NAME, title="MRI vs CT for spinal tumours: a multi-reader multi-case reader study",
                  question="Do radiologists discriminate patients with and without a spinal tumour better on MRI "
                           "than on CT, and does that hold for radiologists and patients beyond this study?",
                  sections=tuple(sections), data=(source,), key_numbers=key_numbers,
                  parameters={k: cfg[k] for k in ("n_patients", "n_readers", "agreement", "seed", "level")})


def _reachable(res: ds.ReaderStudyResult) -> bool:
    """Whether 80% RRRC power can be reached with this many readers (as the cases grow without bound)."""
    limit = ds.planning.reader_study_power(res, n_readers=len(res.readers), n_cases=10**9)
    return limit.power >= 0.8


if __name__ == "__main__":
    from diagstats.report import write

    print(write(run({}), "reports"))


def _user(data: StudyData, level: float) -> Report:
    """The Obuchowski-Rockette analysis of a user's long reader-study data (the columns the study names)."""
    study = data.study
    cols = dict(study.reader_study)
    try:
        res = ds.reader_study(data.frame, modality=cols["modality"], reader=cols["reader"], case=cols["case"],
                              truth=cols["truth"], score=cols["rating"], level=level, cluster=cols.get("cluster"),
                              design="auto")
    except ds.DiagstatsError as error:   # name the --map role or study-file key, not the Python argument
        raise data.in_user_terms(error, USER_ROLES, USER_HINTS) from None
    pairs = [f"{a} - {b}" for a, b in combinations([str(m) for m in res.modalities], 2)]
    key_numbers = {f"{m}/mean_auc": key_number(e) for m, e in zip(res.modalities, res.modality_auc)}
    key_numbers["rrrc/p_value"] = res.rrrc.p_value
    for label, test in zip(pairs, res.rrrc_pairs):
        key_numbers[f"rrrc/difference {label}"] = key_number(test.estimate)
    tests = pd.DataFrame([
        {"analysis": name, "generalises to": audience,
         "statistic": f"{'chi-square' if name == 'FRRC' else 'F'} = {t.statistic:.3f} (df "
                      f"{res.df_num if name == 'FRRC' else f'{res.df_num}, {t.df:.2f}'})",
         "p": format_p_value(t.p_value)}
        for name, audience, t in (("RRRC", "new readers reading new cases", res.rrrc),
                                  ("FRRC", "these readers reading new cases", res.frrc),
                                  ("RRFC", "new readers reading these cases", res.rrfc))])
    differences = pd.DataFrame([{"difference": label, "RRRC (CI)": format_estimate(a.estimate),
                                 "p (RRRC)": format_p_value(a.p_value), "FRRC (CI)": format_estimate(b.estimate),
                                 "RRFC (CI)": format_estimate(c.estimate)}
                                for label, a, b, c in zip(pairs, res.rrrc_pairs, res.frrc_pairs, res.rrfc_pairs)])
    means = pd.DataFrame([{"modality": str(m), "mean AUC (CI)": format_estimate(e), "df": f"{df:.1f}"}
                          for m, e, df in zip(res.modalities, res.modality_auc, res.modality_df)])
    auc = res.auc_frame()
    auc.columns = [f"{m} AUC" for m in auc.columns]
    per_reader = auc.map(lambda v: f"{v:.3f}").reset_index()
    per_reader["reader"] = per_reader["reader"].astype(str)
    components = pd.DataFrame([{"component": k, "value": f"{res.components[k]:.6f}"} for k in
                               ("Var(R)", "Var(TxR)", "Cov1", "Cov2", "Cov3", "Var(error)")])
    fig = new_figure(5.5, 5.5)
    res.plot(ax=fig.subplots())
    curves = render(fig, "reader_roc.png", "Empirical ROC curve of each reader (thin) and the average over readers "
                                           "of each modality (thick; vertical averaging).")
    design = paragraph(
        f"{len(res.readers)} readers " + DESIGN_SENTENCE[res.design].format(
            c=res.n_cases, pos=res.n_diseased, neg=res.n_nondiseased, target=study.target, t=len(res.modalities),
            names=", ".join(str(m) for m in res.modalities))
        + ". The design was read from the rows (which cases each reader read in which modality).")
    verdict = paragraph(
        "The random-readers-and-random-cases (RRRC) analysis is the one that generalises to other readers like these "
        "reading other cases like these; the fixed-readers analysis speaks only for these readers, and the "
        "fixed-cases analysis only for these cases.")
    names = ", ".join(str(m) for m in res.modalities)
    sections = [
        study_section(data, unit="rows (reader x modality x case)"),
        section("Design", design),
        section("What generalises to whom", verdict, table(differences)),
        section("ROC curves per reader and per modality", figures=[curves]),
        section("AUC of each reader", table(per_reader), paragraph(
            "Empirical (Mann-Whitney) AUC, ties counted one half.", note=True)),
        *_analysis_sections(means, tests, components,
                            [n for n in res.notes if not n.startswith("design='auto'")]),  # said under Design
    ]
    return Report(name=NAME, title=study.title or f"Reader study: {names} for {study.target}",
                  question=study.question or (f"Do readers discriminate {study.target} differently under {names}, "
                                              "and does that hold for readers and cases beyond this study?"),
                  sections=tuple(sections), data=(data.source,), key_numbers=key_numbers,
                  parameters={"level": level})

