"""The report builder and the command line: reproducible, atomic, escaped, clear errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import diagstats as ds
from diagstats import cli
from diagstats.report import Report, Section, build, list_analyses, write

ROOT = Path(__file__).resolve().parent.parent
ANALYSES = ROOT / "analyses"


def test_the_built_in_report_is_reproducible_byte_for_byte(tmp_path):
    assert "imaging_accuracy" in list_analyses(ANALYSES)
    first = write(build("imaging_accuracy", path=ANALYSES), tmp_path / "a")
    second = write(build("imaging_accuracy", path=ANALYSES), tmp_path / "b")
    names = sorted(p.name for p in first.iterdir())
    assert names == ["index.html", "key_numbers.json", "report.md"]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_committed_reports_are_what_make_report_writes(tmp_path):
    rebuilt = write(build("imaging_accuracy", path=ANALYSES), tmp_path)
    committed = ROOT / "reports" / "imaging_accuracy"
    for name in ("index.html", "report.md", "key_numbers.json"):
        assert (rebuilt / name).read_text() == (committed / name).read_text(), name


def test_key_numbers_hold_the_estimates_with_intervals(tmp_path):
    target = write(build("imaging_accuracy", path=ANALYSES), tmp_path)
    numbers = json.loads((target / "key_numbers.json").read_text())
    mri = numbers["buhmann_kirchhoff_2009/MRI/sensitivity"]
    expected = ds.accuracy(tp=198, fp=5, fn=3, tn=433).sensitivity
    assert (mri["value"], mri["lower"], mri["upper"], mri["method"]) == (
        expected.value, expected.lower, expected.upper, expected.method)


def test_report_html_escapes_data_text(tmp_path):
    rep = Report(name="x", title="<script>alert(1)</script>", question="a < b?", sections=(Section("s", "<p>ok</p>", "ok"),))
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


def test_cli_writes_reports(tmp_path):
    # Named: running every analysis would include the minutes-long bias_validation simulation study.
    assert cli.main(["report", "imaging_accuracy", "--analyses", str(ANALYSES), "--out", str(tmp_path), "--quiet"]) == 0
    assert (tmp_path / "imaging_accuracy" / "index.html").exists()


@pytest.mark.parametrize("args, message", [
    (["report", "imaging_accuracy", "--data", "does_not_exist.csv"], "No such file or directory"),
    (["report", "no_such_analysis"], "name='no_such_analysis' is not a valid choice"),
    (["report", "imaging_accuracy", "--format", "pdf"], "format='pdf'"),
])
def test_cli_bad_input_prints_one_line_and_exits_2(tmp_path, args, message):
    proc = subprocess.run([sys.executable, "-m", "diagstats.cli", *args, "--analyses", str(ANALYSES),
                           "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert not any(tmp_path.iterdir())


def test_cli_rejects_data_without_the_needed_columns(tmp_path):
    data = tmp_path / "tables.csv"
    data.write_text("study,tp,fp\na,1,2\n")
    proc = subprocess.run([sys.executable, "-m", "diagstats.cli", "report", "imaging_accuracy", "--data", str(data),
                           "--analyses", str(ANALYSES), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "lacks the columns ['test', 'fn', 'tn']" in proc.stderr
