"""The reader_study analysis on a user's own long data: bad input names the --map role or the study-file key the
user wrote (``--map reader=radiologist``, ``study.toml: [reader_study] reader``), never the Python argument
(``reader='radiologist'``) of ds.reader_study."""

from __future__ import annotations

import pandas as pd
import pytest

from diagstats import DataError
from diagstats.report import build
from diagstats.report.study import load_study

from .test_study import ANALYSES, READER_MAP, _run, _vandyke_csv


def _broken(tmp_path, how: str):
    csv = _vandyke_csv(tmp_path)
    frame = pd.read_csv(csv)
    if how == "one reader":
        frame = frame[frame["radiologist"] == frame["radiologist"].iloc[0]]
    elif how == "truth as text":
        frame["aortic_dissection"] = frame["aortic_dissection"].map({0: "no", 1: "yes"})
    elif how == "missing rating":
        frame.loc[3, "confidence"] = None
    frame.to_csv(csv, index=False)
    return csv


@pytest.mark.parametrize("how, flag", [
    ("one reader", "column 'radiologist' (--map reader=radiologist) has 1 value"),
    ("truth as text", "column 'aortic_dissection' (--map truth=aortic_dissection) must be binary"),
    ("missing rating", "column 'confidence' (--map rating=confidence) has 1 missing value"),
])
def test_cli_errors_name_the_map_role(tmp_path, capsys, how, flag):
    csv = _broken(tmp_path, how)
    assert _run("report", "reader_study", "--data", str(csv), "--map", READER_MAP, "--out", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err
    assert flag in err
    assert "reader='radiologist'" not in err and "score=" not in err and "truth='" not in err


def test_study_file_errors_name_the_reader_study_key(tmp_path):
    csv = _broken(tmp_path, "one reader")
    study_file = tmp_path / "study.toml"
    study_file.write_text(f'data = "{csv.name}"\ntarget = "aortic dissection"\n\n[reader_study]\n'
                          + "\n".join(f'{k} = "{v}"' for k, v in (kv.split("=") for kv in READER_MAP.split(",")))
                          + "\n")
    with pytest.raises(DataError, match=r"column 'radiologist' \(.*study.toml: \[reader_study\] reader\) has 1 value"):
        build("reader_study", study=load_study(study_file), path=ANALYSES)
