"""MRI vs CT for spinal metastases, read by several radiologists: a multi-reader multi-case (MRMC) reader study.

Default data: a simulated fully crossed reader study (``ds.simulate.roe_metz``, fixed seed): 6 radiologists
rate every one of 160 patients (60 with a spinal metastasis, 100 without) on a confidence scale, once on CT and
once on MRI. The ratings follow the Roe & Metz (1997) model with variance components of the size Roe & Metz
used (case-level variance 1, small reader variability) and diseased-case means chosen so that the expected
reader-averaged AUC is about 0.85 for CT and 0.93 for MRI (``TRUE_AUC``). The analysis is
:func:`diagstats.reader_study`: per-reader and modality-average ROC curves, the Obuchowski-Rockette analysis
with Hillis' degrees of freedom (random readers and cases, fixed readers, fixed cases), each reader alone, and
the cases needed for 80% power with these readers (:func:`diagstats.planning.reader_study_power`).

On your own long data (one row per reader x modality x case): ``diagstats report reader_study --data FILE.csv
--map modality=COLUMN,reader=COLUMN,case=COLUMN,truth=COLUMN,rating=COLUMN`` (a role not mapped uses the column
of the same name), or a study file's ``[reader_study]`` table (docs/study_file.md); the report then gives the
same analysis of those modalities, readers and cases. Run with ``python analyses/reader_study.py`` or
``diagstats report reader_study``.
"""

from __future__ import annotations

import math
from itertools import combinations

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
DEFAULTS = {"n_readers": 6, "n_nondiseased": 100, "n_diseased": 60, "seed": 20261130, "level": 0.95,
            "progress": True, "study": None}
#: What a user's study must provide (see diagstats.report.study.ROLE_HELP): long reader-study data.
REQUIRES = ("reader_study",)
#: The Roe & Metz model of the simulated readers (delta: diseased-case mean on CT, MRI).
MODEL = {"delta": (1.47, 2.10), "b": 1.0, "var_r": 0.0055, "var_tr": 0.0055, "var_c": 0.3, "var_tc": 0.3,
         "var_rc": 0.2, "var_error": 0.2}
MODALITIES = ("CT", "MRI")
#: ds.reader_study's column arguments and the [reader_study] roles (--map names) the user gives them as.
USER_ROLES = {"modality": "modality", "reader": "reader", "case": "case", "truth": "truth", "score": "rating"}


def _true_auc(delta: float) -> float:
    """The expected reader-averaged AUC of the model: Phi(delta / sqrt((s^2 + var_r + var_tr)(1 + 1/b^2)))."""
    s2 = MODEL["var_c"] + MODEL["var_tc"] + MODEL["var_rc"] + MODEL["var_error"]
    return float(stats.norm.cdf(delta / math.sqrt((s2 + MODEL["var_r"] + MODEL["var_tr"]) * (1 + MODEL["b"] ** -2))))


TRUE_AUC = {m: _true_auc(d) for m, d in zip(MODALITIES, MODEL["delta"])}


def _test_row(name: str, audience: str, test: ds.TestResult) -> dict:
    df = "1" if name == "FRRC" else f"1, {test.df:.2f}"
    return {"analysis": name, "generalises to": audience,
            "statistic": f"{'chi-square' if name == 'FRRC' else 'F'} = {test.statistic:.3f} (df {df})",
            "p": format_p_value(test.p_value), "MRI - CT (CI)": format_estimate(_mri_minus_ct(test.estimate)),
            "interval": test.estimate.method}


def _mri_minus_ct(est: ds.Estimate) -> ds.Estimate:
    """The difference as MRI - CT (the result gives CT - MRI, in the modalities' sorted order)."""
    return ds.Estimate(-est.value, -est.upper, -est.lower, est.level, est.method, "AUC difference MRI - CT")


def _flow(data: pd.DataFrame, res: ds.ReaderStudyResult):
    """The STARD flow of the patients, for the MRI read of the majority of the radiologists (positive: a rating
    above half the diseased-case mean on MRI, halfway between the mean ratings without and with a metastasis)."""
    mri = data[data["modality"] == "MRI"]
    cut = MODEL["delta"][1] / 2
    per_case = mri.groupby("case").agg(truth=("truth", "first"), positive_share=("rating", lambda x: (x > cut).mean()))
    per_case["mri_majority"] = (per_case["positive_share"] >= 0.5).astype(int)
    stard = ds.stard_counts(per_case, test="mri_majority", reference="truth", test_label="MRI (majority read)",
                            reference_label="reference standard", target="spinal metastasis")
    return stard, cut


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
    data = ds.simulate.roe_metz(n_readers=int(cfg["n_readers"]), n_nondiseased=int(cfg["n_nondiseased"]),
                                n_diseased=int(cfg["n_diseased"]), modalities=MODALITIES, seed=int(cfg["seed"]),
                                **MODEL)
    data["reader"] = "radiologist " + data["reader"].astype(str)
    res = ds.reader_study(data, level=level)
    source = frame_source(f"simulated reader study: ds.simulate.roe_metz({cfg['n_readers']} readers, "
                          f"{cfg['n_nondiseased']} + {cfg['n_diseased']} cases, seed={cfg['seed']})", data)
    key_numbers = {f"{m}/mean_auc": key_number(e) for m, e in zip(res.modalities, res.modality_auc)}
    for name in ("rrrc", "frrc", "rrfc"):
        test = getattr(res, name)
        key_numbers[f"{name}/difference_mri_minus_ct"] = key_number(_mri_minus_ct(test.estimate))
        key_numbers[f"{name}/p_value"] = test.p_value

    design = paragraph(
        f"{len(res.readers)} radiologists each rated all {res.n_cases} patients ({res.n_diseased} with a spinal "
        f"metastasis, {res.n_nondiseased} without) on CT and on MRI, a fully crossed design. The ratings are "
        "simulated from the Roe & Metz (1997) model (ds.simulate.roe_metz): each rating is the sum of a reader "
        "effect, a case effect, their interactions with the modality and with each other, and noise; the "
        f"model's expected reader-averaged AUC is {TRUE_AUC['CT']:.3f} for CT and {TRUE_AUC['MRI']:.3f} for MRI. "
        "Every patient had the reference standard and was read by every radiologist in both modalities.")
    model = table(pd.DataFrame([{"parameter": k, "value": str(v)} for k, v in MODEL.items()]))

    auc = res.auc_frame().rename(columns=str)
    per_reader = pd.DataFrame({"reader": [str(r) for r in res.readers],
                               "CT AUC": [f"{v:.3f}" for v in auc["CT"]],
                               "MRI AUC": [f"{v:.3f}" for v in auc["MRI"]],
                               "MRI - CT (CI)": [format_estimate(_mri_minus_ct(t.estimate)) for t in res.per_reader],
                               "p (this reader)": [format_p_value(t.p_value) for t in res.per_reader]})
    fig = new_figure(5.5, 5.5)
    res.plot(ax=fig.subplots())
    stard, cut = _flow(data, res)
    flow_fig = new_figure(8, 5.5)
    ds.plot.stard_flow(stard, ax=flow_fig.subplots())
    flow = render(flow_fig, "stard_flow.png", f"STARD 2015 flow of the patients for {stard.test} against the "
                                              "reference standard.")
    key_numbers["stard"] = {k: v for k, v in stard.to_dict().items() if k in stard.COUNTS}
    differences = render(_difference_figure(res), "reader_differences.png",
                         "MRI - CT difference of the AUC of each radiologist (fixed readers) and of the average "
                         "(random readers and random cases).")
    curves = render(fig, "reader_roc.png", "Empirical ROC curve of each radiologist (thin) and the average over "
                                           "radiologists of each modality (thick; vertical averaging).")
    means = pd.DataFrame([{"modality": str(m), "mean AUC (CI)": format_estimate(e), "df": f"{df:.1f}",
                           "model's AUC": f"{TRUE_AUC[str(m)]:.3f}", "interval": e.method}
                          for m, e, df in zip(res.modalities, res.modality_auc, res.modality_df)])
    tests = pd.DataFrame([
        _test_row("RRRC", "new radiologists reading new patients", res.rrrc),
        _test_row("FRRC", "these radiologists reading new patients", res.frrc),
        _test_row("RRFC", "new radiologists reading these patients", res.rrfc)])
    components = pd.DataFrame([{"component": k, "value": f"{res.components[k]:.6f}"} for k in
                               ("Var(R)", "Var(TxR)", "Cov1", "Cov2", "Cov3", "Var(error)")])
    plan = ds.planning.reader_study_power(res, n_readers=len(res.readers), power=0.8) if _reachable(res) else None
    rrrc = res.rrrc
    diff = _mri_minus_ct(rrrc.estimate)
    p_text = format_p_value(rrrc.p_value)
    verdict = (f"Averaged over radiologists, the AUC is {diff.value:.3f} {'higher' if diff.value >= 0 else 'lower'} "
               f"on MRI than on CT ({100 * level:g}% CI {diff.lower:.3f} to {diff.upper:.3f}; "
               f"p {p_text if p_text.startswith('<') else '= ' + p_text}, random readers and random cases). "
               "That analysis is the one that generalises to other "
               "radiologists like these reading other patients like these; the fixed-readers analysis speaks only "
               "for these radiologists, and the fixed-cases analysis only for these patients. A per-reader test "
               "ignores the variation between radiologists and is not evidence for radiologists in general.")
    planning = paragraph(
        f"For a new study with {len(res.readers)} radiologists to detect this difference with 80% power (RRRC, "
        f"alpha 0.05), {plan.n_cases} patients are needed (Hillis, Obuchowski & Berbaum 2011; the case mix of "
        "this study)." if plan is not None else
        f"With {len(res.readers)} radiologists no number of patients reaches 80% power for this difference "
        "(reader variability does not shrink with cases); more radiologists are needed.")
    key_numbers["planning/n_cases_80"] = plan.n_cases if plan is not None else 0
    sections = [
        section("Design", design, model),
        section("Participant flow (STARD 2015)", paragraph(
            f"Index test: MRI, read positive when at least half of the radiologists rated it above {cut:.2f} (half "
            "the mean rating of the patients with a metastasis); the reader study itself uses the ratings, not "
            "this read. No patient is excluded."), figures=[flow]),
        section("What generalises to whom", paragraph(verdict), figures=[differences]),
        section("ROC curves per radiologist and per modality", figures=[curves]),
        section("AUC of each radiologist", table(per_reader), paragraph(
            "Empirical (Mann-Whitney) AUC. Each radiologist's MRI - CT difference is a Wald test with the jackknife "
            "covariance of that radiologist's two AUCs (fixed readers).", note=True)),
        section("Modality means", table(means), paragraph(
            "Single-modality intervals with Hillis' (2007) degrees of freedom (random readers and cases).",
            note=True)),
        section("Obuchowski-Rockette analysis", table(tests), paragraph(
            "Obuchowski & Rockette (1995) with the jackknife covariance over cases and Hillis' (2007) denominator "
            "degrees of freedom (Iowa OR-DBM MRMC layout).", note=True), table(components),
            bullet_list(list(res.notes))),
        section("Planning the next study", planning),
    ]
    return Report(name=NAME, title="MRI vs CT for spinal metastases: a multi-reader multi-case reader study",
                  question="Do radiologists discriminate patients with and without a spinal metastasis better on "
                           "MRI than on CT, and does that hold for radiologists and patients beyond this study?",
                  sections=tuple(sections), data=(source,), key_numbers=key_numbers,
                  parameters={k: cfg[k] for k in ("n_readers", "n_nondiseased", "n_diseased", "seed", "level")})


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
                              truth=cols["truth"], score=cols["rating"], level=level)
    except ds.DiagstatsError as error:   # name the --map role or study-file key, not the Python argument
        raise data.in_user_terms(error, USER_ROLES) from None
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
        f"{len(res.readers)} readers each rated all {res.n_cases} cases ({res.n_diseased} with {study.target}, "
        f"{res.n_nondiseased} without) under each of {len(res.modalities)} modalities "
        f"({', '.join(str(m) for m in res.modalities)}), a fully crossed design.")
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
        section("Modality means", table(means), paragraph(
            "Single-modality intervals with Hillis' (2007) degrees of freedom (random readers and cases).",
            note=True)),
        section("Obuchowski-Rockette analysis", table(tests), paragraph(
            "Obuchowski & Rockette (1995) with the jackknife covariance over cases and Hillis' (2007) denominator "
            "degrees of freedom (Iowa OR-DBM MRMC layout).", note=True), table(components),
            bullet_list(list(res.notes))),
    ]
    return Report(name=NAME, title=study.title or f"Reader study: {names} for {study.target}",
                  question=study.question or (f"Do readers discriminate {study.target} differently under {names}, "
                                              "and does that hold for readers and cases beyond this study?"),
                  sections=tuple(sections), data=(data.source,), key_numbers=key_numbers,
                  parameters={"level": level})

