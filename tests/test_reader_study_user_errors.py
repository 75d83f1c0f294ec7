"""The reader_study analysis on a user's own long data: bad input names the --map role or the study-file key the
user wrote (``--map reader=radiologist``, ``study.toml: [reader_study] reader``), never the Python argument
(``reader='radiologist'``) of ds.reader_study, and its fixes are fixes of the data file, not pandas code. The
design (crossed, or cases nested in readers or modalities) is read from the rows and said in the report."""

from __future__ import annotations

import pandas as pd
import pytest

import diagstats as ds
from diagstats import DataError
from diagstats.report import build
from diagstats.report.study import load_study

from .test_study import ANALYSES, READER_MAP, _run, _vandyke_csv


def _broken(tmp_path, how: str):
    csv = _vandyke_csv(tmp_path)
    frame = pd.read_csv(csv)
    if how == "one reader":
        frame = frame[frame["radiologist"] == frame["radiologist"].iloc[0]]
    elif how == "one modality":
        frame = frame[frame["sequence"] == "cine"]
    elif how == "truth as text":
        frame["aortic_dissection"] = frame["aortic_dissection"].map({0: "no", 1: "yes"})
    elif how == "missing rating":
        frame.loc[3, "confidence"] = None
    elif how == "duplicate row":
        frame = pd.concat([frame, frame.iloc[[7]]])
    elif how == "missed case":
        frame = frame.drop(index=5)
    elif how == "rating as text":
        frame["confidence"] = frame["confidence"].astype(str)
        frame.loc[2, "confidence"] = "high"
    frame.to_csv(csv, index=False)
    return csv


@pytest.mark.parametrize("how, flag", [
    ("one reader", "column 'radiologist' (--map reader=radiologist) has 1 value"),
    ("truth as text", "column 'aortic_dissection' (--map truth=aortic_dissection) must be binary"),
    ("missing rating", "column 'confidence' (--map rating=confidence) has 1 missing value"),
    ("one modality", "column 'sequence' (--map modality=sequence) has 1 value"),
    ("duplicate row", "the data (--data) has 1 duplicate row(s)"),
    ("missed case", "the rows fit no reader-study design: reader 0 read 113 of the 114 cases in modality 'cine'"),
    ("rating as text", "column 'confidence' (--map rating=confidence) must be a numeric rating"),
])
def test_cli_errors_name_the_map_role(tmp_path, capsys, how, flag):
    csv = _broken(tmp_path, how)
    assert _run("report", "reader_study", "--data", str(csv), "--map", READER_MAP, "--out", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err
    assert flag in err
    assert "reader='radiologist'" not in err and "score=" not in err and "truth='" not in err
    # no pandas code or Python argument as the fix: the user edits a data file
    for python in ("data[", "data.", "pd.", "ds.", "design=", "e.g. data"):
        assert python not in err, python
    fix = {"duplicate row": "delete the repeated rows from the data file",
           "truth as text": "Recode it in the data file: 0 (target absent) or 1 (target present).",
           "missed case": "Drop the cases that some reader did not read",
           "rating as text": "make every rating in the data file a number",
           "one modality": "Give the reads of every modality compared.",
           "one reader": "compare the modalities in the imaging_modalities report"}.get(how)
    assert fix is None or fix in err


def test_study_file_errors_name_the_reader_study_key(tmp_path):
    csv = _broken(tmp_path, "one reader")
    study_file = tmp_path / "study.toml"
    study_file.write_text(f'data = "{csv.name}"\ntarget = "aortic dissection"\n\n[reader_study]\n'
                          + "\n".join(f'{k} = "{v}"' for k, v in (kv.split("=") for kv in READER_MAP.split(",")))
                          + "\n")
    with pytest.raises(DataError, match=r"column 'radiologist' \(.*study.toml: \[reader_study\] reader\) has 1 value"):
        build("reader_study", study=load_study(study_file), path=ANALYSES)


@pytest.mark.parametrize("design, text", [("cases_in_readers", "cases nested in readers"),
                                          ("cases_in_modalities", "cases nested in modalities")])
def test_a_nested_study_is_analysed_in_its_design(tmp_path, design, text):
    """A user's study whose cases are nested in readers (or in modalities) is analysed in that design (read from the
    rows): the report's numbers are ds.reader_study(design=...)'s, and its Design section says which design."""
    frame = ds.simulate.roe_metz(n_readers=4, n_nondiseased=15, n_diseased=15, delta=(1.0, 1.8), design=design,
                                 seed=3).rename(columns={"modality": "sequence", "reader": "radiologist",
                                                         "case": "patient", "truth": "aortic_dissection",
                                                         "rating": "confidence"})
    csv = tmp_path / "nested.csv"
    frame.to_csv(csv, index=False)
    study_file = tmp_path / "study.toml"
    study_file.write_text(f'data = "{csv.name}"\ntarget = "aortic dissection"\n\n[reader_study]\n'
                          + "\n".join(f'{k} = "{v}"' for k, v in (kv.split("=") for kv in READER_MAP.split(",")))
                          + "\n")
    report = build("reader_study", study=load_study(study_file), path=ANALYSES)
    expected = ds.reader_study(pd.read_csv(csv), modality="sequence", reader="radiologist", case="patient",
                               truth="aortic_dissection", score="confidence", design=design)
    assert report.key_numbers["rrrc/p_value"] == pytest.approx(expected.rrrc.p_value, rel=1e-12)
    assert report.key_numbers["A/mean_auc"]["value"] == pytest.approx(expected.modality_auc[0].value, rel=1e-12)
    page = report.to_markdown()
    assert text in page and "design=" not in page
