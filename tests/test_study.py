"""A user's own study in: study files, `diagstats init`, `--study`, `--test-positive`, refusals before computing,
reports that describe the study, and `validate --reports DIR` re-running exactly that study."""

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import diagstats as ds  # noqa: E402
from diagstats import cli  # noqa: E402
from diagstats.report import build  # noqa: E402
from diagstats.report.study import Study, load_study, parse_study  # noqa: E402
from diagstats.report.study_data import read_study_data  # noqa: E402
from diagstats.report.study_starter import starter  # noqa: E402
from diagstats.studies import bias_validation  # noqa: E402

ANALYSES = Path(__file__).resolve().parent.parent / "analyses"
ALL = ["bias_validation", "blood_markers", "imaging_meta_analysis", "imaging_modalities", "needle_biopsy",
       "reader_study"]
FLAGS = ["--data", "{csv}", "--map", "reference=final_diagnosis,test=mri+ct", "--positive", "malignant",
         "--test-positive", "pos"]


def user_frame(n: int = 300, seed: int = 7) -> pd.DataFrame:
    """Patients as a hospital codes them: text reference and tests, a ready-made NLR, a few missing values."""
    cohort = ds.simulate.cohort(n, seed=seed)
    malignant = cohort["true_diagnosis"].isin(["malignant_primary", "metastasis"]).to_numpy()
    diagnosis = pd.Series(np.where(malignant, "malignant", "benign"), dtype=object)
    diagnosis[[3, 50, 120]] = None
    nlr = (cohort["neutrophils"] / cohort["lymphocytes"]).round(2)
    nlr[[10, 80]] = np.nan
    code = {1.0: "pos", 0.0: "neg"}
    return pd.DataFrame({"patient_id": [f"P{i:04d}" for i in range(n)], "age": cohort["age"],
                         "final_diagnosis": diagnosis, "mri": cohort["mri"].map(code), "ct": cohort["ct"].map(code),
                         "mri_score": cohort["mri_rating"], "biopsy": cohort["biopsy_result"].astype(object),
                         "guidance": cohort["biopsy_guidance"].astype(object), "nlr": nlr})


@pytest.fixture
def user_csv(tmp_path):
    path = tmp_path / "my data.csv"
    user_frame().to_csv(path, index=False)
    return path


def _run(*args, analyses=ANALYSES):
    return cli.main([*args, "--analyses", str(analyses)])


# -- init -> edit -> report -> validate ---------------------------------------------------------------

def test_init_edit_report_validate_round_trip(tmp_path, user_csv, capsys):
    study_file = tmp_path / "study.toml"
    assert cli.main(["init", "--data", str(user_csv), "--out", str(study_file)]) == 0
    text = study_file.read_text()
    assert text.count("check this") >= 6 and 'data = "my data.csv"' in text
    starter = load_study(study_file)
    assert starter.reference.column == "final_diagnosis" and starter.reference.positive == "malignant"
    assert {(t.column, t.positive, t.direction) for t in starter.tests} == {("mri", "pos", None), ("ct", "pos", None),
                                                                          ("mri_score", None, "higher")}
    assert starter.biopsy.column == "biopsy" and starter.biopsy.guidance == "guidance"
    assert starter.marker_columns == {"nlr": "nlr"} and starter.covariates == ("age",)
    assert starter.patient_id == "patient_id"
    # init never overwrites
    assert cli.main(["init", "--data", str(user_csv), "--out", str(study_file)]) == 2
    assert "already exists" in capsys.readouterr().err and study_file.read_text() == text

    # the user's edits: the target in words, display names, small bootstraps
    edited = (text.replace('target = "the target condition"', 'target = "spinal malignancy"')
              .replace('name = "mri"', 'name = "MRI"').replace('name = "ct"', 'name = "CT"')
              + '\n[settings]\nn_boot = 50\nseed = 3\n')
    study_file.write_text(edited)
    out = tmp_path / "my_reports"
    assert _run("report", "--study", str(study_file), "--out", str(out)) == 0
    printed = capsys.readouterr().out
    assert "skipped: bias_validation does not take user data" in printed
    assert "skipped: reader_study needs long reader-study data" in printed
    assert "skipped: imaging_meta_analysis needs study-level 2x2 tables" in printed
    assert sorted(p.name for p in out.iterdir()) == ["blood_markers", "imaging_modalities", "needle_biopsy"]

    imaging = (out / "imaging_modalities" / "report.md").read_text()
    assert "Accuracy of MRI, CT and mri_score for spinal malignancy" in imaging
    assert "positive = 'malignant'" in imaging and "positive = 'pos'" in imaging      # labels recorded
    for scenario in ("X-ray, CT, MRI, PET, bone scan and CT myelography", "rating >= 3", "Reference: reference",
                     "spinal tumour"):
        assert scenario not in imaging, scenario
    assert "Reference: final_diagnosis" in (out / "imaging_modalities" / "index.html").read_text()
    markers = (out / "blood_markers" / "report.md").read_text()
    for claim in ("Li 2019", "spinal tumour", "its optimism is small here", "Counts in 10^9/L", "NLR and PLR"):
        assert claim not in markers, claim                  # only NLR, ready-made: nothing about PLR or counts
    assert "NLR as given in the data" in markers

    # a ready-made NLR column: the AUC is the one of that column, patients with a missing value left out
    data = user_frame().dropna(subset=["nlr", "final_diagnosis", "age"])
    numbers = json.loads((out / "blood_markers" / "key_numbers.json").read_text())
    expected = ds.roc(data["final_diagnosis"] == "malignant", data["nlr"]).auc.value
    assert numbers["benign_vs_malignant/nlr_auc"]["value"] == pytest.approx(expected, rel=1e-9)

    stored = load_study(out / "imaging_modalities" / "study.toml")
    assert Path(stored.data) == user_csv.resolve() and stored.setting("seed") == 3
    assert stored.data_sha256 == ds.report.build("imaging_modalities", study=load_study(study_file),
                                                 path=ANALYSES).data[0].sha256
    assert (out / "imaging_modalities" / "command.txt").read_text().startswith("diagstats report --study ")

    assert _run("validate", "--reports", str(out)) == 0
    assert capsys.readouterr().out.split() == ["blood_markers:", "ok", "imaging_modalities:", "ok",
                                               "needle_biopsy:", "ok"]

    # the data changed: said plainly, and the changed numbers listed
    frame = pd.read_csv(user_csv)
    frame.loc[frame["mri"] == "neg", "mri"] = "pos"
    frame.to_csv(user_csv, index=False)
    assert _run("validate", "imaging_modalities", "--reports", str(out)) == 1
    report = capsys.readouterr().out
    assert "changed since the report was built (SHA-256 now" in report and "key number(s) differ" in report
    user_csv.unlink()
    assert _run("validate", "needle_biopsy", "--reports", str(out)) == 1
    assert "is missing; restore it" in capsys.readouterr().out


def test_one_command_runs_every_analysis_the_data_fits(tmp_path, user_csv, capsys):
    out = tmp_path / "out"
    args = [a.replace("{csv}", str(user_csv)) for a in FLAGS]
    assert _run("report", *args, "--out", str(out)) == 0
    # biopsy, guidance and nlr are roles with a column of the same name in the file
    assert sorted(p.name for p in out.iterdir()) == ["blood_markers", "imaging_modalities", "needle_biopsy"]
    stored = load_study(out / "imaging_modalities" / "study.toml")
    assert stored.described_by == ("the command line: diagstats report --data '" + str(user_csv) + "' --map "
                                   "reference=final_diagnosis,test=mri+ct --positive malignant --test-positive pos "
                                   "(and, from columns of the same name, "
                                   "--map biopsy=biopsy,guidance=guidance,nlr=nlr)")
    page = (out / "imaging_modalities" / "report.md").read_text()
    assert "--test-positive pos" in page and "positive = 'malignant'" in page
    assert _run("validate", "imaging_modalities", "--reports", str(out)) == 0


# -- every analysis x every bad mapping: refused before anything is computed ---------------------------

BAD = {
    "role missing": (["--map", "test=mri", "--test-positive", "pos"],
                     {"imaging_modalities": "imaging_modalities needs a reference standard (--map reference=COLUMN)",
                      "needle_biopsy": "needle_biopsy needs a reference standard",
                      "blood_markers": "blood_markers needs a reference standard"}),
    "no such column": (["--map", "reference=diagnosis,test=mri", "--positive", "malignant", "--test-positive", "pos"],
                       "--map reference=diagnosis: 'diagnosis' is not a column of my data.csv"),
    "wrong positive label": (["--map", "reference=final_diagnosis,test=mri", "--positive", "Malignant",
                              "--test-positive", "pos"], "--positive 'Malignant' is not a value of column "
                                                         "'final_diagnosis' (--map reference=final_diagnosis)"),
    "text test without --test-positive": (["--map", "reference=final_diagnosis,test=mri", "--positive", "malignant"],
                                          "column 'mri' (--map test=mri) takes the values 'neg', 'pos'; say which "
                                          "one means positive with --test-positive pos"),
    "a score as a reference": (["--map", "reference=nlr,test=mri", "--test-positive", "pos"],
                               "column 'nlr' (--map reference=nlr) has"),
}
REFUSED_WITH_DATA = {"bias_validation": "bias_validation does not take user data",
                     "imaging_meta_analysis": "imaging_meta_analysis needs study-level 2x2 tables",
                     "reader_study": "reader_study needs long reader-study data"}


@pytest.fixture
def nothing_computes(monkeypatch):
    """Every estimator the analyses call (and the simulator) fails if called."""
    def boom(*args, **kwargs):
        raise AssertionError("computed before refusing")

    for owner, name in ((ds, "accuracy"), (ds, "roc"), (ds, "compare_tests"), (ds, "stard_counts"),
                        (ds, "decision_curve"), (ds.markers, "discriminate"), (ds.markers, "describe"),
                        (ds.meta, "bivariate"), (ds.meta, "univariate"), (ds.simulate, "cohort"),
                        (ds.simulate, "roe_metz"), (ds.simulate, "cohort_reads"), (ds.simulate, "lesions"),
                        (ds, "reader_study"),
                        (bias_validation, "run_study")):
        monkeypatch.setattr(owner, name, boom)


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("name", ALL)
def test_each_analysis_refuses_each_bad_mapping_before_computing(tmp_path, user_csv, capsys, nothing_computes,
                                                                 name, case):
    flags, expected = BAD[case]
    out = tmp_path / "out"
    assert _run("report", name, "--data", str(user_csv), *flags, "--out", str(out)) == 2
    err = capsys.readouterr().err
    message = REFUSED_WITH_DATA.get(name) or (expected[name] if isinstance(expected, dict) else expected)
    assert message in err and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("name", ALL)
def test_unknown_role_is_an_error_for_every_analysis(tmp_path, user_csv, capsys, nothing_computes, name):
    assert _run("report", name, "--data", str(user_csv), "--map", "nonsense=x", "--out", str(tmp_path)) == 2
    assert "--map names the role 'nonsense', which no analysis uses" in capsys.readouterr().err


def test_without_names_no_fitting_analysis_is_an_error(user_csv, capsys, nothing_computes, tmp_path):
    pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}).to_csv(tmp_path / "other.csv", index=False)
    assert _run("report", "--data", str(tmp_path / "other.csv"), "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "no analysis fits the data of --data" in err and "imaging_modalities needs a reference standard" in err


def test_a_problem_met_while_computing_names_the_analysis(tmp_path, capsys):
    counts = pd.DataFrame({"dx": ["a"] * 39 + ["b"], "neutrophils": 4.0, "lymphocytes": np.linspace(1, 3, 40)})
    counts.to_csv(tmp_path / "counts.csv", index=False)
    assert _run("report", "blood_markers", "--data", str(tmp_path / "counts.csv"), "--map", "reference=dx",
                "--positive", "b", "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert err.startswith("diagstats: error: blood_markers: ") and "--map reference=dx" in err


def test_python_build_refuses_too(user_csv, nothing_computes):
    with pytest.raises(ds.DiagstatsError, match="bias_validation does not take user data"):
        build("bias_validation", data=str(user_csv), path=ANALYSES)
    with pytest.raises(ds.DiagstatsError, match="blood_markers needs a reference standard"):
        build("blood_markers", data=str(user_csv), mapping="test=mri", test_positive="pos", path=ANALYSES)


# -- study files: every problem names the file, the key and the fix -------------------------------------

GOOD = '''data = "my data.csv"
target = "spinal malignancy"
[reference]
column = "final_diagnosis"
positive = "malignant"
[tests.mri]
column = "mri"
positive = "pos"
'''


@pytest.mark.parametrize("text, message", [
    ("colour = 1\n" + GOOD, "study.toml: colour is not a key of a study file; the keys are data,"),
    (GOOD + "colour = 1\n", "study.toml: [tests.mri] colour is not a key of a study file table; the keys are column,"),
    (GOOD.replace('data = "my data.csv"\n', ""), 'study.toml: data is missing; add it, e.g. data = "my_data.csv"'),
    (GOOD + '[tests.score]\ncolumn = "nlr"\ndirection = "up"\n',
     "study.toml: [tests.score] direction = 'up' must be \"higher\" or \"lower\""),
    (GOOD + '[tests.score]\ncolumn = "nlr"\ndirection = "higher"\npositive = 1\n',
     "study.toml: [tests.score] has both positive (a binary test) and direction (a score)"),
    (GOOD.replace('column = "mri"', 'column = "MRI"'),
     "study.toml: [tests.mri] column: 'MRI' is not a column of my data.csv; its columns are 'patient_id'"),
    (GOOD.replace('positive = "pos"', 'positive = "yes"'),
     "study.toml: [tests.mri] positive 'yes' is not a value of column 'mri'"),
    (GOOD.replace('positive = "malignant"', 'positive = 1.5'),
     "study.toml: [reference] positive = 1.5 must be one value of the column"),
    (GOOD + "[reference\n", "study.toml is not a valid TOML file"),
    (GOOD + '[[exclusions]]\ncolumn = "age"\nreason = "children"\n',
     "study.toml: [[exclusions]] number 1: value is missing"),
    ('analyses = ["imaging"]\n' + GOOD, "study.toml: analyses names no analysis 'imaging'; the analyses are"),
])
def test_study_file_problems_name_the_file_the_key_and_the_fix(tmp_path, user_csv, capsys, nothing_computes,
                                                               text, message):
    (tmp_path / "study.toml").write_text(text)
    assert _run("report", "--study", str(tmp_path / "study.toml"), "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert message.replace("study.toml", str(tmp_path / "study.toml")) in err, err


@pytest.mark.parametrize("args, message", [
    (["--study", "{dir}"], "is a folder, not a file; give the path of a study file"),
    (["--data", "{dir}"], "is a folder, not a file; give the path of a CSV file"),
    (["--study", "{dir}/study.toml", "--data", "{csv}"], "--study describes the data; leave out --data"),
    (["--study", "{dir}/study.toml", "--n", "100"], "--n sets the size of the simulated cohort"),
    (["--test-positive", "pos"], "--test-positive describes a --data file; give --data CSV too"),
    (["--data", "{csv}", "--map", "reference=final_diagnosis", "--test-positive", "pos"],
     "--test-positive is the index tests' positive label; map the tests too"),
])
def test_flag_problems(tmp_path, user_csv, capsys, nothing_computes, args, message):
    (tmp_path / "study.toml").write_text(GOOD)
    args = [a.replace("{dir}", str(tmp_path)).replace("{csv}", str(user_csv)) for a in args]
    assert _run("report", "imaging_modalities", *args, "--out", str(tmp_path / "out")) == 2
    assert message in capsys.readouterr().err


def test_config_values_are_type_checked_naming_the_key():
    with pytest.raises(ds.OptionError, match="^needle_biopsy: n='x' must be a whole number"):
        build("needle_biopsy", {"n": "x"}, path=ANALYSES)
    with pytest.raises(ds.OptionError, match="level=95 must be a number strictly between 0 and 1"):
        build("imaging_meta_analysis", {"level": 95}, path=ANALYSES)
    with pytest.raises(ds.OptionError, match="n_replicates=2.5 must be a whole number"):
        build("bias_validation", {"n_replicates": 2.5}, path=ANALYSES)


# -- the study model --------------------------------------------------------------------------------

def test_composite_reference_and_exclusions(tmp_path, user_csv):
    study = parse_study(GOOD.replace('column = "final_diagnosis"\npositive = "malignant"',
                                     'column = "biopsy"\npositive = "malignant"\nfallback = "final_diagnosis"')
                        + '[[exclusions]]\ncolumn = "guidance"\nvalue = "fluoroscopy"\nreason = "fluoroscopy"\n',
                        "study.toml", base=tmp_path)
    data = read_study_data(study)
    frame = user_frame()
    kept = frame[frame["guidance"] != "fluoroscopy"].reset_index(drop=True)
    assert data.excluded == (("fluoroscopy", int((frame["guidance"] == "fluoroscopy").sum())),)
    expected = kept["biopsy"].where(kept["biopsy"].notna(), kept["final_diagnosis"])
    pd.testing.assert_series_equal(data.reference(), (expected == "malignant").astype(float).where(expected.notna()),
                                   check_names=False)
    stard = data.stard(data.test(study.tests[0]), data.reference(), test_label="MRI")
    assert stard.eligible == len(frame) and stard.excluded["fluoroscopy"] == data.excluded[0][1]
    assert "where it is missing, column 'final_diagnosis'" in " ".join(study.describe())


def test_a_composite_reference_in_the_study_file_is_ds_composite_reference(tmp_path, user_csv):
    """[reference] fallback builds the composite with ds.composite_reference; the report says who decided whom."""
    study = parse_study(GOOD.replace('column = "final_diagnosis"\npositive = "malignant"',
                                     'column = "biopsy"\npositive = "malignant"\nname = "needle biopsy"\n'
                                     'fallback = "final_diagnosis"\nfallback_name = "follow-up"'),
                        "study.toml", base=tmp_path)
    data = read_study_data(study)
    frame = user_frame()
    expected = ds.composite_reference(frame, ["biopsy", "final_diagnosis"], positive="malignant")
    np.testing.assert_array_equal(data.composite().reference, expected.reference)
    decided = {"biopsy": "needle biopsy", "final_diagnosis": "follow-up", "none": "none"}
    assert data.composite().decided_by.tolist() == [decided[d] for d in expected.decided_by]
    assert data.reference_components().columns.tolist() == ["needle biopsy", "follow-up"]

    report = build("imaging_modalities", study=study, path=ANALYSES)
    html = report.to_html()
    by_biopsy = int(np.sum(expected.decided_by == "biopsy"))
    by_follow_up = int(np.sum(expected.decided_by == "final_diagnosis"))
    assert (f"Composite reference standard: of the {len(frame)} patients, {by_biopsy} by needle biopsy "
            f"({int(np.sum(expected.reference[expected.decided_by == 'biopsy'] == 1))} with spinal malignancy), "
            f"{by_follow_up} by follow-up") in html
    assert "Differential verification" in html
    for shown in ("composite (needle biopsy, else follow-up)", "needle biopsy only", "follow-up only"):
        assert shown in html
    only_biopsy = ds.accuracy(data=pd.DataFrame({"t": frame["mri"].eq("pos").astype(float).where(frame["mri"].notna()),
                                                 "r": frame["biopsy"].eq("malignant").astype(float)
                                                 .where(frame["biopsy"].notna())}).dropna(), test="t", reference="r")
    assert report.key_numbers["component_1/mri/sensitivity"]["value"] == pytest.approx(only_biopsy.sensitivity.value)


@pytest.mark.parametrize("extra, message", [
    ('fallback_name = "follow-up"', "study.toml: [reference] fallback_name names the fallback column of a composite"),
])
def test_composite_reference_study_file_errors(tmp_path, user_csv, extra, message):
    with pytest.raises(ds.OptionError, match=re.escape(message)):
        parse_study(GOOD.replace('positive = "malignant"', 'positive = "malignant"\n' + extra), "study.toml",
                    base=tmp_path)


def test_an_empty_fallback_column_is_named(tmp_path):
    frame = user_frame().assign(follow_up=np.nan)
    frame.to_csv(tmp_path / "my data.csv", index=False)
    study = parse_study(GOOD.replace('positive = "malignant"', 'positive = "malignant"\nfallback = "follow_up"'),
                        "study.toml", base=tmp_path)
    with pytest.raises(ds.DataError, match=re.escape("column 'follow_up' (study.toml: [reference] fallback) has no "
                                                     "values; a composite reference needs")):
        read_study_data(study)


def test_a_study_round_trips_through_its_toml(tmp_path):
    study = parse_study(GOOD + '[markers]\nnlr = "nlr"\n[settings]\nseed = 4\n', "a.toml")
    again = parse_study(study.to_toml(), "b.toml")
    assert again == study.with_source("b.toml") and again.setting("seed") == 4


def test_flags_and_a_study_file_give_the_same_study(tmp_path, user_csv):
    file = parse_study(GOOD, "study.toml", base=user_csv.parent)
    flags = Study.from_flags(user_csv, {"reference": "final_diagnosis", "test": "mri"}, "malignant", "pos")
    assert flags.reference == file.reference and [(t.column, t.positive) for t in flags.tests] == [("mri", "pos")]
    # roles default to a column of the same name (biopsy, guidance, nlr here), never tests or covariates
    assert flags.biopsy.column == "biopsy" and flags.marker_columns == {"nlr": "nlr"} and flags.covariates == ()


def test_the_documented_example_is_a_valid_study_file():
    text = (Path(__file__).resolve().parent.parent / "docs" / "study_file.md").read_text()
    study = parse_study(text.split("```toml\n")[1].split("```")[0], "example.toml")
    assert study.reference.fallback == "follow_up" and [t.key for t in study.tests] == ["mri", "ct", "mri_adc"]
    assert study.tests[2].direction == "lower" and len(study.exclusions) == 2 and study.setting("n_boot") == 2000
    assert study.provides("tests") and study.provides("biopsy") and study.provides("nlr")
    assert study.biopsy.nondiagnostic == ("non-diagnostic",) and study.biopsy.done == "biopsy_done"


# -- needle_biopsy on a user's study: a skipped biopsy is not a non-diagnostic sample -------------------

BIOPSY_STUDY = '''data = "biopsies.csv"
target = "spinal malignancy"
[reference]
column = "final_diagnosis"
positive = "malignant"
[biopsy]
column = "biopsy_result"
positive = "malignant"
guidance = "guidance"
'''


@pytest.fixture
def biopsy_csv(tmp_path):
    """A hospital's coding: biopsy_result malignant / benign / non-diagnostic / blank (not done), and a yes/no
    biopsy_done column; biopsy_result_blank has a blank for a non-diagnostic sample too."""
    cohort = ds.simulate.cohort(300, seed=7)
    frame = user_frame()
    nondiagnostic = cohort["biopsy_nondiagnostic"].eq(1)
    frame["biopsy_result"] = frame["biopsy"].where(~nondiagnostic, "non-diagnostic")
    frame["biopsy_result_blank"] = frame["biopsy"]
    frame["biopsy_done"] = np.where(cohort["biopsy_done"], "yes", "no")
    assert nondiagnostic.sum() > 0 and (~cohort["biopsy_done"]).sum() > 0
    frame.to_csv(tmp_path / "biopsies.csv", index=False)
    return frame


def _biopsy_report(tmp_path, text, capsys=None):
    (tmp_path / "study.toml").write_text(text)
    out = tmp_path / "reports"
    assert _run("report", "needle_biopsy", "--study", str(tmp_path / "study.toml"), "--out", str(out)) == 0
    folder = out / "needle_biopsy"
    return json.loads((folder / "key_numbers.json").read_text()), (folder / "report.md").read_text(), out


def _hand_yield(frame):
    """Diagnostic samples / biopsies done, among patients with a reference standard (as the report counts)."""
    known = frame[frame["final_diagnosis"].notna()]
    counts = known["biopsy_result"].value_counts()
    diagnostic = counts["malignant"] + counts["benign"]
    return diagnostic, diagnostic + counts["non-diagnostic"]


@pytest.mark.parametrize("keys", ['nondiagnostic = "non-diagnostic"\n',
                                  'nondiagnostic = ["non-diagnostic", "inadequate"]\n',
                                  'done = "biopsy_done"\ndone_positive = "yes"\n'])
def test_biopsy_yield_counts_biopsies_done_not_patients(tmp_path, biopsy_csv, keys):
    frame = biopsy_csv
    if "inadequate" in keys:            # a second non-diagnostic label
        first = frame.index[frame["biopsy_result"] == "non-diagnostic"][0]
        frame.loc[first, "biopsy_result"] = "inadequate"
        frame.to_csv(tmp_path / "biopsies.csv", index=False)
    text = BIOPSY_STUDY + keys
    if "done =" in keys:                # a blank result of a done biopsy is a non-diagnostic sample
        text = text.replace('column = "biopsy_result"', 'column = "biopsy_result_blank"')
    numbers, page, _ = _biopsy_report(tmp_path, text)
    diagnostic, done = _hand_yield(frame.replace({"biopsy_result": {"inadequate": "non-diagnostic"}}))
    assert numbers["biopsy/yield"]["value"] == pytest.approx(diagnostic / done, abs=1e-9)
    blank = frame["biopsy_result"].isna() & frame["final_diagnosis"].notna()
    assert blank.sum() > 50 and done < frame["final_diagnosis"].notna().sum() - 50   # blanks not in the denominator
    lo, hi = ds.proportion_ci(diagnostic, done, method="wilson")
    assert (numbers["biopsy/yield"]["lower"], numbers["biopsy/yield"]["upper"]) == pytest.approx((lo, hi), abs=1e-9)
    assert "biopsy/accuracy_all_procedures" in numbers and "does not distinguish" not in page
    # STARD: no biopsy and non-diagnostic sample as separate exclusions, over every patient
    assert numbers["stard"]["excluded"] == {"no biopsy": int(frame["biopsy_done"].eq("no").sum()),
                                           "non-diagnostic sample": int(frame["biopsy_result"].isin(
                                               ["non-diagnostic", "inadequate"]).sum())}


def test_biopsy_without_nondiagnostic_or_done_reports_no_yield(tmp_path, biopsy_csv):
    numbers, page, out = _biopsy_report(tmp_path, BIOPSY_STUDY.replace('"biopsy_result"', '"biopsy_result_blank"'))
    assert not any(k.endswith(("yield", "accuracy_all_procedures")) for k in numbers)
    assert "biopsy/accuracy_diagnostic_biopsies" in numbers and "biopsy/sensitivity" in numbers
    assert ("The biopsy column does not distinguish a skipped biopsy from a non-diagnostic sample; give "
            "`[biopsy] nondiagnostic = ...` or `done = ...` in the study file to estimate the yield.") in page
    assert "not estimable" in page and "non-diagnostic sample" not in numbers["stard"]["excluded"]
    assert _run("validate", "--reports", str(out)) == 0


@pytest.mark.parametrize("keys, message", [
    ('nondiagnostic = "nd"\n', "study.toml: [biopsy] nondiagnostic 'nd' is not a value of column 'biopsy_result'; "
                               "its values are 'benign', 'malignant', 'non-diagnostic'. Give the value"),
    ('nondiagnostic = []\n', "study.toml: [biopsy] nondiagnostic = [] must name at least one value"),
    ('nondiagnostic = "malignant"\n', "study.toml: [biopsy] nondiagnostic names 'malignant', the biopsy's positive"),
    ('done = "biopsy_performed"\n', "study.toml: [biopsy] done: 'biopsy_performed' is not a column of biopsies.csv"),
    ('done = "biopsy_done"\n', "column 'biopsy_done' (study.toml: [biopsy] done) takes the values 'no', 'yes'; say "
                               'which one means positive with study.toml: [biopsy] done_positive = "yes"'),
    ('done = "biopsy_done"\ndone_positive = "Yes"\n', "study.toml: [biopsy] done_positive 'Yes' is not a value of "
                                                      "column 'biopsy_done'"),
    ('done_positive = "yes"\n', "study.toml: [biopsy] done_positive is the \"biopsy done\" value of the done column"),
    ('done = "guidance"\ndone_positive = "ct"\n', "column 'guidance' (study.toml: [biopsy] done) has 3 distinct"),
    ('', "column 'biopsy_result' (study.toml: [biopsy] column) has 3 distinct values ('benign', 'malignant', "
         "'non-diagnostic'); it must have two. Recode it, or exclude the other values ([[exclusions]] in the study "
         "file). If a value means a non-diagnostic sample, name it with [biopsy] nondiagnostic in study.toml, e.g. "
         'nondiagnostic = "non-diagnostic".'),
])
def test_bad_biopsy_keys_are_refused_before_computing(tmp_path, biopsy_csv, capsys, nothing_computes, keys, message):
    frame = biopsy_csv
    frame.loc[frame["guidance"].isna(), "guidance"] = "none"
    frame.to_csv(tmp_path / "biopsies.csv", index=False)
    text = BIOPSY_STUDY + keys
    if "done =" in keys:                # the result column without a non-diagnostic label
        text = text.replace('column = "biopsy_result"', 'column = "biopsy_result_blank"')
    (tmp_path / "study.toml").write_text(text)
    assert _run("report", "needle_biopsy", "--study", str(tmp_path / "study.toml"),
                "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert message.replace("study.toml", str(tmp_path / "study.toml")) in err, err
    assert not (tmp_path / "out").exists()


def test_biopsy_keys_round_trip_through_the_stored_study(tmp_path, biopsy_csv, capsys):
    text = (BIOPSY_STUDY + 'nondiagnostic = ["non-diagnostic", "inadequate"]\n'
            'done = "biopsy_done"\ndone_positive = "yes"\n')
    study = parse_study(text, "a.toml")
    assert study.biopsy.nondiagnostic == ("non-diagnostic", "inadequate") and study.biopsy.done == "biopsy_done"
    assert parse_study(study.to_toml(), "b.toml") == study.with_source("b.toml")
    one = parse_study(BIOPSY_STUDY + 'nondiagnostic = "non-diagnostic"\n', "a.toml")
    assert parse_study(one.to_toml(), "b.toml") == one.with_source("b.toml")

    numbers, page, out = _biopsy_report(tmp_path, BIOPSY_STUDY + 'nondiagnostic = "non-diagnostic"\n'
                                        'done = "biopsy_done"\ndone_positive = "yes"\n')
    stored = load_study(out / "needle_biopsy" / "study.toml")
    assert stored.biopsy.nondiagnostic == ("non-diagnostic",) and stored.biopsy.done == "biopsy_done"
    assert stored.biopsy.done_positive == "yes"
    assert "Non-diagnostic biopsy: 'non-diagnostic' in column 'biopsy_result'" in page
    assert "Biopsy done: column 'biopsy_done', positive = 'yes'" in page
    capsys.readouterr()
    assert _run("validate", "--reports", str(out)) == 0
    assert capsys.readouterr().out.split() == ["needle_biopsy:", "ok"]
    diagnostic, done = _hand_yield(biopsy_csv)
    assert numbers["biopsy/yield"]["value"] == pytest.approx(diagnostic / done, abs=1e-9)


def test_the_flags_cannot_tell_a_skipped_biopsy_so_report_no_yield(tmp_path, biopsy_csv, capsys):
    out = tmp_path / "out"
    assert _run("report", "needle_biopsy", "--data", str(tmp_path / "biopsies.csv"), "--map",
                "reference=final_diagnosis,biopsy=biopsy_result_blank", "--positive", "malignant",
                "--out", str(out)) == 0
    numbers = json.loads((out / "needle_biopsy" / "key_numbers.json").read_text())
    assert "biopsy/yield" not in numbers and "does not distinguish" in (out / "needle_biopsy" / "report.md").read_text()


def test_init_guesses_the_nondiagnostic_value_and_the_done_column(tmp_path, biopsy_csv):
    biopsy_csv.drop(columns=["biopsy", "biopsy_result_blank"]).to_csv(tmp_path / "hospital.csv", index=False)
    assert cli.main(["init", "--data", str(tmp_path / "hospital.csv"), "--out", str(tmp_path / "study.toml")]) == 0
    text = (tmp_path / "study.toml").read_text()
    assert 'nondiagnostic = "non-diagnostic"   # check this' in text and 'done = "biopsy_done"   # check this' in text
    study = load_study(tmp_path / "study.toml")
    assert study.biopsy == ds.report.study.Biopsy("biopsy_result", "malignant", "guidance", ("non-diagnostic",),
                                                  "biopsy_done", "yes")
    # a two-valued result column: the keys are offered as comments, with what leaving them out means
    user_frame().to_csv(tmp_path / "plain.csv", index=False)
    text = starter(tmp_path / "plain.csv", tmp_path / "plain.toml")
    assert '# nondiagnostic = "non-diagnostic"' in text and '# done = "biopsy_done"' in text
    assert "needle_biopsy reports no yield" in text


# -- reader_study on a user's long data (one row per reader x modality x case) ----------------------------

def _vandyke_csv(tmp_path) -> Path:
    """Van Dyke et al. (1993) as a hospital might name its columns (see tests/readers for the parity tests)."""
    from .public_data import read_public
    frame = read_public("vandyke.csv").rename(columns={"modality": "sequence", "reader": "radiologist",
                                                       "case": "patient", "truth": "aortic_dissection",
                                                       "rating": "confidence"})
    frame["sequence"] = frame["sequence"].map({0: "cine", 1: "spin echo"})
    path = tmp_path / "vandyke.csv"
    frame.to_csv(path, index=False)
    return path


READER_MAP = "modality=sequence,reader=radiologist,case=patient,truth=aortic_dissection,rating=confidence"


def test_reader_study_report_on_user_long_data(tmp_path, capsys):
    """The Iowa OR-DBM MRMC modality means of Van Dyke (0.89703704, 0.94083736; see
    tests/readers/test_reader_study_parity.py) and RRRC p 0.0517, from the CLI on the user's columns."""
    csv = _vandyke_csv(tmp_path)
    out = tmp_path / "out"
    assert _run("report", "reader_study", "--data", str(csv), "--map", READER_MAP, "--out", str(out)) == 0
    numbers = json.loads((out / "reader_study" / "key_numbers.json").read_text())
    assert numbers["cine/mean_auc"]["value"] == pytest.approx(0.89703704, rel=1e-6)
    assert numbers["spin echo/mean_auc"]["value"] == pytest.approx(0.94083736, rel=1e-6)
    assert numbers["rrrc/p_value"] == pytest.approx(0.0517, abs=5e-5)
    stored = load_study(out / "reader_study" / "study.toml")
    assert dict(stored.reader_study) == {"modality": "sequence", "reader": "radiologist", "case": "patient",
                                         "truth": "aortic_dissection", "rating": "confidence"}
    page = (out / "reader_study" / "report.md").read_text()
    assert "cine - spin echo" in page and "column 'radiologist'" in page
    assert _run("validate", "reader_study", "--reports", str(out)) == 0


def test_reader_study_from_a_study_file(tmp_path):
    csv = _vandyke_csv(tmp_path)
    study_file = tmp_path / "study.toml"
    study_file.write_text(f'data = "{csv.name}"\ntarget = "aortic dissection"\n\n[reader_study]\n'
                          + "\n".join(f'{k} = "{v}"' for k, v in (kv.split("=") for kv in READER_MAP.split(",")))
                          + "\n")
    report = build("reader_study", study=load_study(study_file), path=ANALYSES)
    assert report.key_numbers["cine/mean_auc"]["value"] == pytest.approx(0.89703704, rel=1e-6)
    assert "aortic dissection" in report.title


def test_reader_study_refusal_names_the_missing_flags(tmp_path, capsys, nothing_computes):
    csv = _vandyke_csv(tmp_path)
    assert _run("report", "reader_study", "--data", str(csv), "--map", "modality=sequence,reader=radiologist",
                "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "reader_study needs long reader-study data" in err
    assert "(missing: case, truth, rating) (--map case=COLUMN,truth=COLUMN,rating=COLUMN)" in err
    assert _run("report", "reader_study", "--data", str(csv), "--map", READER_MAP.replace("patient", "id"),
                "--out", str(tmp_path / "out")) == 2
    assert "--map case=id: 'id' is not a column of vandyke.csv" in capsys.readouterr().err


def test_reader_study_cluster_role_runs_the_jackknife_over_patients(tmp_path):
    """An optional cluster role (flags and study file): lesions within patients; with one case per patient (Van
    Dyke) the numbers are the unclustered ones, with two cases per patient the RRRC test changes."""
    csv = _vandyke_csv(tmp_path)
    frame = pd.read_csv(csv)
    frame["person"] = frame["patient"]
    frame.to_csv(csv, index=False)
    out = tmp_path / "out"
    assert _run("report", "reader_study", "--data", str(csv), "--map", READER_MAP + ",cluster=person",
                "--out", str(out)) == 0
    numbers = json.loads((out / "reader_study" / "key_numbers.json").read_text())
    assert numbers["rrrc/p_value"] == pytest.approx(0.0517, abs=5e-5)
    assert dict(load_study(out / "reader_study" / "study.toml").reader_study)["cluster"] == "person"
    frame["person"] = frame["patient"] // 2
    frame.to_csv(csv, index=False)
    study_file = tmp_path / "study.toml"
    study_file.write_text(f'data = "{csv.name}"\n\n[reader_study]\n'
                          + "\n".join(f'{k} = "{v}"' for k, v in (kv.split("=") for kv in READER_MAP.split(",")))
                          + '\ncluster = "person"\n')
    report = build("reader_study", study=load_study(study_file), path=ANALYSES)
    plain = ds.reader_study(frame, modality="sequence", reader="radiologist", case="patient",
                            truth="aortic_dissection", score="confidence")
    assert report.key_numbers["rrrc/p_value"] != pytest.approx(plain.rrrc.p_value, rel=1e-3)


# -- lesion-level data: cluster= ----------------------------------------------------------------------

def _lesion_csv(tmp_path) -> tuple[Path, pd.DataFrame]:
    """Vertebrae of 60 simulated patients, one row each, coded as a hospital might."""
    units = ds.simulate.lesions(ds.simulate.cohort(60, seed=3), seed=3)
    frame = pd.DataFrame({"patient": [f"P{i:03d}" for i in units["patient_id"]], "vertebra": units["vertebra"],
                          "involved": units["involved"].astype(int), "mri": units["mri"].astype("Int64"),
                          "ct": units["ct"].astype("Int64")})
    path = tmp_path / "vertebrae.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_lesion_rows_get_the_clustered_analysis_from_the_flags(tmp_path):
    csv, frame = _lesion_csv(tmp_path)
    out = tmp_path / "out"
    assert _run("report", "imaging_modalities", "--data", str(csv), "--map",
                "reference=involved,test=mri+ct,cluster=patient", "--out", str(out)) == 0
    numbers = json.loads((out / "imaging_modalities" / "key_numbers.json").read_text())
    expected = ds.accuracy(data=frame, test="mri", reference="involved", cluster="patient", nan_policy="omit")
    got = numbers["reference/mri/sensitivity"]
    assert (got["value"], got["lower"], got["upper"]) == pytest.approx(
        (expected.sensitivity.value, expected.sensitivity.lower, expected.sensitivity.upper), rel=1e-9)  # 10 digits
    assert expected.sensitivity.method == "ratio estimator, Korn-Graubard"
    page = (out / "imaging_modalities" / "report.md").read_text()
    assert "the lesions belong to 60 patients (column 'patient')" in page
    assert "STARD 2015 flow of the lesions" in page and "Lesions without the reference standard" in page
    assert "Obuchowski's (1998) clustered McNemar test" in page and "p (Obuchowski)" in page
    assert load_study(out / "imaging_modalities" / "study.toml").cluster == "patient"
    assert _run("validate", "imaging_modalities", "--reports", str(out)) == 0


def test_lesion_rows_from_a_study_file_and_without_cluster_differ(tmp_path):
    csv, frame = _lesion_csv(tmp_path)
    study_file = tmp_path / "study.toml"
    text = (f'data = "{csv.name}"\npatient_id = "patient"\nlesion_id = "vertebra"\n{{cluster}}\n\n[reference]\n'
            'column = "involved"\n\n[tests.mri]\ncolumn = "mri"\n')
    study_file.write_text(text.format(cluster='cluster = "patient"'))
    clustered = build("imaging_modalities", study=load_study(study_file), path=ANALYSES)
    study_file.write_text(text.format(cluster=""))
    naive = build("imaging_modalities", study=load_study(study_file), path=ANALYSES)
    c, n = (r.key_numbers["reference/mri/specificity"] for r in (clustered, naive))
    assert c["value"] == n["value"] and c["upper"] - c["lower"] > n["upper"] - n["lower"]


def test_a_lesion_without_a_patient_is_refused_naming_the_flag(tmp_path, capsys):
    csv, frame = _lesion_csv(tmp_path)
    frame.loc[[4, 9], "patient"] = None
    frame.to_csv(csv, index=False)
    assert _run("report", "imaging_modalities", "--data", str(csv), "--map",
                "reference=involved,test=mri,cluster=patient", "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "column 'patient' (--map cluster=patient) has 2 rows without a patient id" in err
    frame["patient"] = "P001"
    frame.to_csv(csv, index=False)
    assert _run("report", "imaging_modalities", "--data", str(csv), "--map",
                "reference=involved,test=mri,cluster=patient", "--out", str(tmp_path / "out")) == 2
    assert "needs at least 2 patients" in capsys.readouterr().err
    study_file = tmp_path / "study.toml"
    study_file.write_text(f'data = "{csv.name}"\ncluster = "id"\n\n[reference]\ncolumn = "involved"\n\n'
                          '[tests.mri]\ncolumn = "mri"\n')
    assert _run("report", "imaging_modalities", "--study", str(study_file), "--out", str(tmp_path / "out")) == 2
    assert "study.toml: cluster: 'id' is not a column of vertebrae.csv" in capsys.readouterr().err


# -- defects of the user's own data: one line naming the flag or the study-file key, never Python ---------------

PATIENT_KEYS = ('[reference]\ncolumn = "final_diagnosis"\npositive = "malignant"\n\n[tests.mri]\ncolumn = "mri"\n'
                'positive = "pos"\n\n[biopsy]\ncolumn = "biopsy"\n\n[markers]\nnlr = "nlr"\n')
PATIENT_FLAGS = {"imaging_modalities": "reference=final_diagnosis,test=mri",
                 "needle_biopsy": "reference=final_diagnosis,biopsy=biopsy",
                 "blood_markers": "reference=final_diagnosis,nlr=nlr"}
TABLE_MAP = "study=study,test=test,tp=tp,fp=fp,fn=fn,tn=tn"
TABLE_KEYS = "[tables]\n" + "".join(f'{r} = "{r}"\n' for r in ("study", "test", "tp", "fp", "fn", "tn"))


def _both_ways(tmp_path, capsys, name: str, frame: pd.DataFrame, covariate: str = ""
               ) -> dict[str, tuple[int, str, Path]]:
    """Analysis ``name`` on ``frame`` from the flags and from a study file: exit code, stderr and output folder."""
    csv = tmp_path / "d.csv"
    frame.to_csv(csv, index=False)
    tables = "tp" in frame
    study_file = tmp_path / "study.toml"
    study_file.write_text('data = "d.csv"\ntarget = "malignancy"\n' + (f'covariates = ["{covariate}"]\n' if covariate
                                                                       else "")
                          + "\n" + (TABLE_KEYS if tables else PATIENT_KEYS))
    flags = (["--map", TABLE_MAP] if tables else
             ["--map", PATIENT_FLAGS[name] + (f",covariate={covariate}" if covariate else ""),
              "--positive", "malignant"]
             + (["--test-positive", "pos"] if name == "imaging_modalities" else []))
    runs = {}
    for how, args in (("flags", ["--data", str(csv), *flags]), ("study", ["--study", str(study_file)])):
        out = tmp_path / f"out_{how}"
        code = _run("report", name, *args, "--out", str(out), "--quiet")
        runs[how] = (code, capsys.readouterr().err, out / name)
    return runs


def _names_the_fix(runs, flag_text: str, key_text: str) -> None:
    """Each run failed with one line that names the flag (or the study-file key) and no Python argument or call."""
    for how, expected in (("flags", flag_text), ("study", key_text)):
        code, err, _ = runs[how]
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
        assert expected in err, (how, err)
        assert "ds." not in err and "(...)" not in err, err
        # a Python keyword argument (cv=5, tp=-2, markers=) outside a --map ROLE=COLUMN pair
        assert not re.search(r"(?<![-,\w])(?<!--map )\w+=", err), err


def _patients(n: int = 60) -> pd.DataFrame:
    return user_frame().head(n)


@pytest.mark.parametrize("defect, flag_text, key_text", [
    ("third label", "column 'final_diagnosis' (--map reference=final_diagnosis) has 3 distinct values",
     "[reference] column) has 3 distinct values"),
    ("no values", "column 'final_diagnosis' (--map reference=final_diagnosis) is empty in every row",
     "[reference] column) is empty in every row"),
    ("no diseased", "(--map reference=final_diagnosis) has only one class among the patients; the reference standard "
                    "needs patients with and without the target condition. Check that the column and its positive "
                    "value (--positive)", "study.toml: [reference] positive) are the right ones"),
])
def test_a_bad_reference_column_names_its_flag_or_key(tmp_path, capsys, defect, flag_text, key_text):
    frame = _patients()
    frame["final_diagnosis"] = {"third label": frame["final_diagnosis"].where(frame.index != 5, "uncertain"),
                                "no values": None,
                                "no diseased": frame["final_diagnosis"].replace("malignant", "benign")}[defect]
    _names_the_fix(_both_ways(tmp_path, capsys, "imaging_modalities", frame), flag_text, key_text)


@pytest.mark.parametrize("defect, flag_text, key_text", [
    ("constant", "--test-positive 'pos' is not a value of column 'mri' (--map test=mri), whose only value is 'neg'. If "
                 "'neg' is the positive result, give --test-positive neg; if every result was negative, recode the "
                 "column as 0/1", "study.toml: [tests.mri] positive 'pos' is not a value of column 'mri'"),
    ("other labels", "its values are 'negative', 'positive'. Give the one that means positive, e.g. --test-positive "
                     "positive.", 'study.toml: [tests.mri] positive = "positive".'),
])
def test_a_test_column_without_the_positive_label_names_the_fix(tmp_path, capsys, defect, flag_text,
                                                                 key_text):
    frame = _patients()
    frame["mri"] = "neg" if defect == "constant" else frame["mri"].map({"pos": "positive", "neg": "negative"})
    _names_the_fix(_both_ways(tmp_path, capsys, "imaging_modalities", frame), flag_text, key_text)


def test_a_0_1_test_negative_in_every_patient_is_analysed(tmp_path):
    frame = _patients(120).assign(mri=0)
    frame.to_csv(tmp_path / "d.csv", index=False)
    assert _run("report", "imaging_modalities", "--data", str(tmp_path / "d.csv"), "--map",
                "reference=final_diagnosis,test=mri", "--positive", "malignant", "--test-positive", "1",
                "--out", str(tmp_path / "out"), "--quiet") == 0
    numbers = json.loads((tmp_path / "out" / "imaging_modalities" / "key_numbers.json").read_text())
    assert numbers["reference/mri/sensitivity"]["value"] == 0.0
    assert _run("report", "imaging_modalities", "--data", str(tmp_path / "d.csv"), "--map",
                "reference=final_diagnosis,test=mri", "--positive", "malignant", "--test-positive", "yes",
                "--out", str(tmp_path / "out2")) == 2            # a label that is no 0/1 value is still refused


def test_an_empty_biopsy_column_names_its_flag_or_key(tmp_path, capsys):
    frame = _patients().assign(biopsy=None)
    _names_the_fix(_both_ways(tmp_path, capsys, "needle_biopsy", frame),
                   "column 'biopsy' (--map biopsy=biopsy) is empty in every row",
                   "study.toml: [biopsy] column) is empty in every row")


@pytest.mark.parametrize("defect, flag_text, key_text", [
    ("negative", "column 'nlr' (--map nlr=nlr) is not positive; blood counts and their ratios are above 0 (2 cells: "
                 "row 6: -1.5, row 11: 0; the header is row 1)", "study.toml: [markers] nlr) is not positive"),
    ("text", "column 'nlr' (--map nlr=nlr) must hold numbers", "study.toml: [markers] nlr) must hold numbers"),
])
def test_a_bad_marker_column_names_its_flag_or_key(tmp_path, capsys, defect, flag_text, key_text):
    frame = _patients()
    if defect == "negative":
        frame.loc[[4, 9], "nlr"] = [-1.5, 0.0]
    else:
        frame["nlr"] = frame["nlr"].astype(object).where(frame.index != 4, "high")
    _names_the_fix(_both_ways(tmp_path, capsys, "blood_markers", frame), flag_text, key_text)


def test_too_few_diseased_for_the_marker_model_names_the_reference_flag_or_key(tmp_path, capsys):
    frame = _patients(80)
    malignant = frame.index[frame["final_diagnosis"] == "malignant"]
    frame.loc[malignant[1:], "final_diagnosis"] = "benign"     # a single diseased patient
    _names_the_fix(_both_ways(tmp_path, capsys, "blood_markers", frame),
                   "group 'malignant' has 1 patient(s), fewer than the 5 folds in which the report cross-validates "
                   "the marker model (it needs one in every fold). Check the reference standard, column "
                   "'final_diagnosis' (--map reference=final_diagnosis) and --positive",
                   "study.toml: [reference] column) and ")


def _tables(k: int = 5) -> pd.DataFrame:
    shipped = ds.datasets.load("imaging_2x2_studies")
    return shipped[shipped["modality"] == "MRI"][["study", "test", "tp", "fp", "fn", "tn"]].head(k).assign(test="MRI")


@pytest.mark.parametrize("defect, flag_text, key_text", [
    ("negative", "column 'tp' (--map tp=tp) is not a count; counts are whole numbers >= 0 (a 0 is a valid count) "
                 "(1 cell: row 2: -2; the header is row 1)", "study.toml: [tables] tp) is not a count"),
    ("fraction", "column 'tp' (--map tp=tp) is not a count", "study.toml: [tables] tp) is not a count"),
    ("missing", "column 'tp' (--map tp=tp) is empty; every 2x2 table needs its four counts (1 cell: row 2",
     "study.toml: [tables] tp) is empty"),
])
def test_a_bad_count_in_the_2x2_tables_names_its_flag_or_key(tmp_path, capsys, nothing_computes, defect, flag_text,
                                                             key_text):
    frame = _tables().astype({"tp": float})
    frame.iloc[0, frame.columns.get_loc("tp")] = {"negative": -2, "fraction": 3.5, "missing": np.nan}[defect]
    _names_the_fix(_both_ways(tmp_path, capsys, "imaging_meta_analysis", frame), flag_text, key_text)


@pytest.mark.parametrize("defect, note", [
    ("one study", "MRI (all tables): not pooled, 1 study; the bivariate model needs at least 3"),
    ("zero cells", "MRI (all tables): 0.5 added to every cell of 5 studies (studies with a zero cell: "),
    ("no diseased", "not pooled; the table has no patients with "),
])
def test_degenerate_2x2_tables_still_give_the_report_with_a_note(tmp_path, capsys, defect, note):
    frame = _tables(1 if defect == "one study" else 5)
    if defect == "zero cells":
        frame = frame.assign(fp=0, fn=0)            # perfect accuracy in every study
    if defect == "no diseased":
        frame.iloc[0, [frame.columns.get_loc("tp"), frame.columns.get_loc("fn")]] = 0
    for how, (code, err, out) in _both_ways(tmp_path, capsys, "imaging_meta_analysis", frame).items():
        assert code == 0, (how, err)
        page = (out / "report.md").read_text()
        assert note in page and "Per-study 2x2 tables" in page
        if defect == "zero cells":
            assert "Pooled accuracy per modality" in page and "SROC plot, MRI" in page


def test_the_test_role_of_2x2_tables_labels_the_tables(tmp_path, capsys):
    frame = pd.concat([_tables(3), _tables(3).assign(test="CT", tp=lambda f: f["tp"] // 2)])
    csv = tmp_path / "tables.csv"
    frame.to_csv(csv, index=False)
    study = Study.from_flags(csv, {"study": "study", "test": "test", "tp": "tp", "fp": "fp", "fn": "fn", "tn": "tn"})
    assert study.tests == () and dict(study.tables)["test"] == "test"
    assert Study.from_flags(csv).table_columns == study.table_columns      # the same from the same-named columns
    assert _run("report", "imaging_meta_analysis", "--data", str(csv), "--map", TABLE_MAP, "--test-positive", "pos",
                "--out", str(tmp_path / "out")) == 2
    assert "2x2 tables (--map tp=,fp=,fn=,tn=) already count the positives, so leave --test-positive out" \
        in capsys.readouterr().err


@pytest.mark.parametrize("column", ["study", "test"])
def test_a_2x2_table_without_its_study_or_test_names_the_flag_or_key(tmp_path, capsys, nothing_computes, column):
    frame = _tables()
    frame.iloc[0, frame.columns.get_loc(column)] = None        # before: a TypeError traceback (test)
    _names_the_fix(_both_ways(tmp_path, capsys, "imaging_meta_analysis", frame),
                   f"column '{column}' (--map {column}={column}) is empty; name the {column} of every 2x2 table "
                   "(1 cell: row 2; the header is row 1)", f"study.toml: [tables] {column}) is empty")


@pytest.mark.parametrize("constant, flag_text, key_text", [
    ("covariate", "column 'age' (--map covariate=age) has the same value in every patient (or none), so it cannot "
                  "adjust for anything; leave it out of the covariates.", "study.toml: covariates) has the same value"),
    ("marker", "column 'nlr' (--map nlr=nlr) has one value in every patient, so it cannot tell the groups apart",
     "study.toml: [markers] nlr) has one value"),
])
def test_a_constant_covariate_or_marker_names_its_flag_or_key(tmp_path, capsys, constant, flag_text, key_text):
    frame = _patients().assign(**{"age" if constant == "covariate" else "nlr": 60.0})
    _names_the_fix(_both_ways(tmp_path, capsys, "blood_markers", frame, covariate="age"), flag_text, key_text)


def test_a_separating_marker_names_the_flag_not_the_python_argument(tmp_path, capsys):
    frame = _patients(80)
    frame["nlr"] = np.where(frame["final_diagnosis"] == "malignant", 9.0, 2.0)
    _names_the_fix(_both_ways(tmp_path, capsys, "blood_markers", frame, covariate="age"),
                   "The logistic model did not converge (the predictors may separate the groups perfectly). Leave a "
                   "marker out (--map nlr=nlr) or a covariate (--map covariate=age)",
                   "study.toml: [markers]) or a covariate (")


def test_a_role_taken_from_a_column_name_says_so(tmp_path, capsys):
    frame = user_frame().assign(final_diagnosis=lambda f: (f["final_diagnosis"] == "malignant").astype(int))
    frame.to_csv(tmp_path / "d.csv", index=False)      # a 0/1 reference, and a text column called biopsy
    assert _run("report", "imaging_modalities", "--data", str(tmp_path / "d.csv"), "--map",
                "reference=final_diagnosis,test=mri", "--test-positive", "pos", "--out", str(tmp_path / "o")) == 2
    assert ("column 'biopsy' (--map biopsy=biopsy: not given, but taken from the column's name; rename that column if "
            "your analysis should not read it) takes the values 'benign', 'malignant'") in capsys.readouterr().err


def test_init_leaves_an_empty_column_out_and_a_study_naming_one_as_a_score_is_refused(tmp_path, capsys):
    frame = user_frame().head(60).assign(biopsy=np.nan)
    frame.to_csv(tmp_path / "d.csv", index=False)
    text = starter(tmp_path / "d.csv", tmp_path / "study.toml")
    assert "#   biopsy: empty in every row" in text and "[tests.biopsy]" not in text   # before: a score of nothing
    (tmp_path / "study.toml").write_text('data = "d.csv"\n[reference]\ncolumn = "final_diagnosis"\npositive = '
                                         '"malignant"\n[tests.mri]\ncolumn = "mri"\npositive = "pos"\n'
                                         '[tests.biopsy]\ncolumn = "biopsy"\ndirection = "higher"\n')
    code, err = _run("report", "imaging_modalities", "--study", str(tmp_path / "study.toml"), "--out",
                     str(tmp_path / "o")), capsys.readouterr().err
    assert code == 2 and "study.toml: [tests.biopsy] column) is empty in every row" in err
