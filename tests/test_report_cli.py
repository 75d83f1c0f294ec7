"""The report builder and the command line: reproducible, atomic, escaped, self-contained, clear errors."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import diagstats as ds
from diagstats import cli
from diagstats.report import Report, Section, build, compare_key_numbers, list_analyses, write

ROOT = Path(__file__).resolve().parent.parent
ANALYSES = ROOT / "analyses"
REPORTS = ROOT / "reports"
ALL = ["blood_markers", "imaging_meta_analysis", "imaging_modalities", "needle_biopsy", "reader_study",
       "workup_strategies"]
# The Monte Carlo validation study (about 2 minutes) is rebuilt by `make report` and checked by
# `make validate`; its reduced version runs in tests/bias/test_validation.py.
STUDIES = ["bias_validation"]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """Every analysis with its default configuration, written as ``make report`` writes it."""
    out = tmp_path_factory.mktemp("reports")
    return {name: write(build(name, path=ANALYSES, progress=False), out) for name in ALL}


def test_the_analyses_are_found():
    assert list_analyses(ANALYSES) == sorted(ALL + STUDIES)


def test_committed_reports_are_byte_for_byte_what_make_report_writes(rebuilt):
    assert sorted(p.name for p in REPORTS.iterdir() if p.is_dir()) == sorted(ALL + STUDIES)
    for name, folder in rebuilt.items():
        committed, fresh = _files(REPORTS / name), _files(folder)
        assert sorted(committed) == sorted(fresh), name
        changed = [f for f in fresh if fresh[f] != committed[f]]
        assert not changed, f"{name}: {changed} differ from the committed report; run `make report`"
        assert compare_key_numbers(json.loads(committed["key_numbers.json"]),
                                   json.loads(fresh["key_numbers.json"])) == []


def test_two_builds_in_one_process_are_byte_identical(tmp_path):
    first = write(build("imaging_meta_analysis", path=ANALYSES), tmp_path / "a")
    second = write(build("imaging_meta_analysis", path=ANALYSES), tmp_path / "b")
    a, b = _files(first), _files(second)
    pooled = [f"figures/{kind}_patient_{modality}.png" for kind in ("forest", "sroc")
              for modality in ("bone_scan", "mri", "pet")]
    assert sorted(a) == ["figures/comparison_patient.png", *pooled, "index.html", "key_numbers.json", "report.md"]
    assert a == b


def test_html_is_self_contained_with_inline_svg_figures(rebuilt):
    for name, folder in rebuilt.items():
        page = (folder / "index.html").read_text()
        pngs = list((folder / "figures").glob("*.png"))
        assert page.count("<svg") == len(pngs) >= 3, name         # every figure inline, STARD flow included
        assert "SHA-256" in page and "Provenance" in page
        # a participant flow belongs to patient-level studies; the meta-analysis reports its study flow as text
        assert ("Participant flow (STARD 2015)" in page) == (name != "imaging_meta_analysis"), name
        assert "STARD 2015 checklist" in page, name
        for banned in ("<script", "<link", "<img", "@import", "<iframe"):
            assert banned not in page, (name, banned)
        assert all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", page)), name
        # the only URLs are XML namespace names (never fetched); every reference is a local fragment
        assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {"http://www.w3.org/2000/svg",
                                                                   "http://www.w3.org/1999/xlink"}
        assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', page)), name
        markdown = (folder / "report.md").read_text()
        assert all(f"(figures/{p.name})" in markdown for p in pngs)


def test_key_numbers_hold_every_headline_estimate_with_its_interval(rebuilt):
    numbers = json.loads((rebuilt["needle_biopsy"] / "key_numbers.json").read_text())
    accuracy = numbers["biopsy/accuracy_diagnostic_biopsies"]
    assert set(accuracy) >= {"value", "lower", "upper", "level", "method"}
    assert accuracy["lower"] < accuracy["value"] < accuracy["upper"] and accuracy["method"] == "Wilson"
    assert numbers["stard"]["eligible"] == 5000
    pooled = json.loads((rebuilt["imaging_meta_analysis"] / "key_numbers.json").read_text())
    assert pooled["patient/bone scan/sensitivity"]["tolerance"] == {"rel": 1e-5}


def test_report_html_escapes_data_text(tmp_path):
    rep = Report(name="x", title="<script>alert(1)</script>", question="a < b?",
                 sections=(Section("s", "<p>ok</p>", "ok"),))
    html = rep.to_html()
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "<p>ok</p>" in html


def test_rewriting_replaces_the_folder_and_leaves_no_staging_behind(tmp_path):
    rep = Report(name="x", title="t", question="q", sections=(), key_numbers={"a": 1})
    write(rep, tmp_path)
    (tmp_path / "x" / "stale.txt").write_text("old")
    write(rep, tmp_path, formats=["md"])
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["key_numbers.json", "report.md"]
    assert [p.name for p in tmp_path.iterdir()] == ["x"]


def test_a_failed_build_keeps_the_previous_report(tmp_path):
    rep = Report(name="x", title="t", question="q", sections=(), key_numbers={"a": 1})
    write(rep, tmp_path)
    bad = Report(name="x", title="t", question="q", sections=(), key_numbers={"a": float("nan")})
    with pytest.raises(ValueError):
        write(bad, tmp_path)
    assert json.loads((tmp_path / "x" / "key_numbers.json").read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["x"]


def test_build_returns_a_report_that_displays_inline_and_takes_options():
    rep = ds.report.build("imaging_meta_analysis", level=0.9)
    assert isinstance(rep, Report) and rep.parameters == {"level": 0.9}
    assert "<svg" in rep._repr_html_() and "90%" in rep._repr_html_()
    with pytest.raises(ds.OptionError, match="unknown key 'sed'"):
        ds.report.build("imaging_meta_analysis", sed=1)


# -- validate ------------------------------------------------------------------------------------

def test_validate_passes_on_the_committed_report(capsys):
    assert cli.main(["validate", "imaging_meta_analysis", "--analyses", str(ANALYSES),
                     "--reports", str(REPORTS)]) == 0
    assert "imaging_meta_analysis: ok" in capsys.readouterr().out


def test_validate_fails_with_a_readable_diff_on_a_changed_number(tmp_path, capsys):
    shutil.copytree(REPORTS / "imaging_meta_analysis", tmp_path / "imaging_meta_analysis")
    path = tmp_path / "imaging_meta_analysis" / "key_numbers.json"
    numbers = json.loads(path.read_text())
    true_value = numbers["patient/comparison/PET/sensitivity"]["value"]
    numbers["patient/comparison/PET/sensitivity"]["value"] = 0.5
    numbers["patient/comparison/PET/specificity"]["method"] = "Wald"
    path.write_text(json.dumps(numbers))
    assert cli.main(["validate", "imaging_meta_analysis", "--analyses", str(ANALYSES), "--reports", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "imaging_meta_analysis: 2 key number(s) differ" in out
    assert f"patient/comparison/PET/sensitivity.value: committed 0.5, now {true_value!r}" in out
    assert "tolerance rel 1e-05" in out
    assert "PET/specificity.method: committed 'Wald', now 'Wald on logit scale'" in out


def test_compare_key_numbers_respects_tolerances_and_reports_added_and_removed():
    old = {"a": {"value": 1.0, "tolerance": {"rel": 1e-3}}, "b": 2.0, "gone": 1}
    new = {"a": {"value": 1.0005}, "b": 2.0 + 1e-12, "new": 1}
    assert compare_key_numbers(old, new) == ["gone: in the committed report, no longer produced",
                                             "new: new (not in the committed report); rebuild and commit the report"]
    assert compare_key_numbers({"b": 2.0}, {"b": 2.1}) != []


# -- command line --------------------------------------------------------------------------------

def test_cli_writes_reports_quietly(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "diagstats.cli", "report", "imaging_meta_analysis", "--analyses",
                           str(ANALYSES), "--out", str(tmp_path), "--quiet"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == ""
    assert (tmp_path / "imaging_meta_analysis" / "index.html").exists()


@pytest.fixture
def user_csv(tmp_path):
    cohort = ds.simulate.cohort(600, seed=5)
    data = pd.DataFrame({"MRI_read": cohort["mri"], "CT_read": cohort["ct"],
                         "biopsy": cohort["biopsy_result"].astype(object), "one_class": "malignant"})
    path = tmp_path / "my data.csv"
    data.to_csv(path, index=False)
    return path, data


def test_cli_runs_an_analysis_on_user_data_with_a_mapping(tmp_path, user_csv):
    path, data = user_csv
    assert cli.main(["report", "imaging_modalities", "--data", str(path), "--map",
                     "reference=biopsy,test=MRI_read+CT_read", "--positive", "malignant", "--quiet",
                     "--analyses", str(ANALYSES), "--out", str(tmp_path / "out")]) == 0
    numbers = json.loads((tmp_path / "out" / "imaging_modalities" / "key_numbers.json").read_text())
    expected = ds.accuracy(data=data.dropna(subset=["MRI_read", "biopsy"]), test="MRI_read", reference="biopsy",
                           positive="malignant").sensitivity
    # key_numbers.json holds KEY_NUMBER_DIGITS (10) significant digits
    assert numbers["reference/MRI_read/sensitivity"]["value"] == float(f"{expected.value:.10g}")
    assert "reference/MRI_read-CT_read/sensitivity_difference" in numbers
    page = (tmp_path / "out" / "imaging_modalities" / "index.html").read_text()
    assert "my data.csv (user data)" in page


@pytest.mark.parametrize("args, message", [
    (["report", "imaging_modalities", "--data", "does_not_exist.csv"], "no such file"),
    (["report", "imaging_modalities", "--data", "{csv}", "--map", "reference=biopsy,test=PET_read",
      "--positive", "malignant"], "--map test=PET_read: 'PET_read' is not a column of my data.csv"),
    (["report", "imaging_modalities", "--data", "{csv}", "--map", "reference=one_class,test=MRI_read",
      "--positive", "malignant"], "has only one class"),
    (["report", "imaging_modalities", "--data", "{csv}", "--map", "referense=biopsy,test=MRI_read"],
     "which no analysis uses; the roles are reference"),
    (["report", "imaging_modalities", "--data", "{csv}", "--map", "reference"], "is not of the form role=column"),
    (["report", "imaging_modalities", "--map", "reference=biopsy"], "give --data CSV too"),
    (["report", "no_such_analysis"], "there is no analysis called 'no_such_analysis'; the analyses are"),
    (["report", "imaging_meta_analysis", "--format", "pdf"], "format='pdf'"),
    (["validate", "no_such_analysis"], "there is no analysis called 'no_such_analysis'; the analyses are"),
])
def test_cli_bad_input_prints_one_line_exits_2_and_writes_nothing(tmp_path, capsys, user_csv, args, message):
    args = [a.replace("{csv}", str(user_csv[0])) for a in args]
    out = tmp_path / "out"
    out.mkdir()
    (out / "imaging_modalities").mkdir()
    (out / "imaging_modalities" / "index.html").write_text("previous")
    where = ["--out", str(out)] if args[0] == "report" else []
    assert cli.main([*args, "--analyses", str(ANALYSES), *where]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and err.startswith("diagstats: error: ")
    assert _files(out) == {"imaging_modalities/index.html": b"previous"}


def test_bad_input_in_a_real_process_has_no_traceback(tmp_path, user_csv):
    proc = subprocess.run([sys.executable, "-m", "diagstats.cli", "report", "imaging_modalities", "--data",
                           str(user_csv[0]), "--map", "reference=one_class,test=MRI_read", "--positive", "malignant",
                           "--analyses", str(ANALYSES), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "has only one class" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_key_numbers_are_written_at_the_stated_precision(tmp_path):
    rep = Report(name="x", title="X", question="?", sections=(),
                 key_numbers={"auc": {"value": 0.70522388059701491, "lower": 1 / 3, "n": 40, "method": "DeLong"},
                              "p": 1.2345678901234e-20})
    written = json.loads(write(rep, tmp_path).joinpath("key_numbers.json").read_text())
    assert written == {"auc": {"value": 0.7052238806, "lower": 0.3333333333, "n": 40, "method": "DeLong"},
                       "p": 1.23456789e-20}
