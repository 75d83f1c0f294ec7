"""The one number format of reports, the clinical labels, Markdown escaping and the STARD 2015 checklist text."""

import math

import numpy as np
import pytest

import diagstats as ds
from diagstats.report import Report, Section
from diagstats.report.blocks import format_estimate
from diagstats.report.labels import LABELS, relabel, study_label
from diagstats.report.model import format_value, markdown_cell, markdown_text
from diagstats.report.stard_checklist import FOR_AUTHORS, checklist, items


@pytest.mark.parametrize("value, text", [
    (0.912, "0.912"), (0.0, "0.000"), (1.0, "1.000"), (-1.0, "-1.000"),           # probabilities: 3 decimals
    (0.99974, "0.9997"), (0.99996, "0.99996"), (0.9995, "0.9995"),                 # below 1 never prints 1.000
    (0.00004, "0.00004"), (-0.0003, "-0.0003"), (1 - 1e-12, "1.000000"),           # ... nor 0.000 (up to 6 decimals)
    (4.994, "4.994"), (9.9996, "10.000"), (24.116, "24.12"), (99.81, "99.81"),    # 4 significant digits
    (139.404, "139.4"), (1352.563, "1353"), (24148.2, "24148"), (2.415e7, "24150000"),  # never an exponent
    (-0.0261, "-0.026"), (12, "12"), (np.int64(7), "7"), (np.float64(0.5), "0.500"),
    (math.nan, "NA"), (None, "NA"), (math.inf, "inf"), ("text", "text"),
])
def test_format_value(value, text):
    assert format_value(value) == text


def test_format_value_takes_fewer_decimals_when_asked_and_keeps_the_rule():
    assert [format_value(v, 2) for v in (2.034, 139.404, 0.9996)] == ["2.03", "139.4", "0.9996"]


def test_an_interval_is_printed_in_one_format_without_scientific_notation():
    dor = ds.Estimate(3521.7, 1352.563, 24148.2, 0.95, "Wald", "dor")
    assert format_estimate(dor) == "3522 (1353 to 24148)"
    npv = ds.Estimate(0.9981, 0.9915, 0.99974, 0.95, "Wilson", "npv")
    assert format_estimate(npv) == "0.998 (0.992 to 0.9997)"
    lr = ds.Estimate(24.116, 5.8271, 99.81, 0.95, "delta method", "lr_positive")
    assert format_estimate(lr) == "24.12 (5.83 to 99.81)"                 # one number of decimals per interval
    assert format_estimate(ds.Estimate(-0.171, -0.2214, -0.1209)) == "-0.171 (-0.221 to -0.121)"
    assert format_estimate(ds.Estimate(0.5, math.nan, math.nan)) == "0.500"


@pytest.mark.parametrize("machine, clinical", [
    ("ppv", "PPV"), ("npv", "NPV"), ("lr_positive", "LR+"), ("lr_negative", "LR\u2212"), ("dor", "DOR"),
    ("youden", "Youden's J"), ("no_tumour", "no tumour"), ("benign_primary", "benign primary tumour"),
    ("buhmann_kirchhoff_2009", "Buhmann Kirchhoff 2009"), ("cristo_santos_2023", "Cristo Santos 2023"),
    ("no_tumour (n=1610)", "no tumour (n=1610)"), ("log(nlr)", "log(NLR)"), ("ct_myelography", "CT myelography"),
    ("latent_class", "latent class model"), ("mri.sensitivity", "MRI sensitivity"),
    # kept as written: not a machine name, or part of a longer name
    ("sensitivity", "sensitivity"), ("MRI", "MRI"), ("ongkeko", "ongkeko"), ("ct_rating", "ct_rating"),
    ("Wald (delta method, Zhou 1993)", "Wald (delta method, Zhou 1993)"), ("", ""),
])
def test_relabel(machine, clinical):
    assert relabel(machine) == clinical


@pytest.mark.parametrize("study, name", [("ongkeko", "Ongkeko"), ("acta_radiol_2011", "Acta Radiol 2011"),
                                         ("Rimondi E 2008 (ct)", "Rimondi E 2008 (CT)"), ("MDCT", "MDCT")])
def test_study_label(study, name):
    assert study_label(study) == name


def test_relabel_is_idempotent_on_every_label():
    assert all(relabel(relabel(name)) == relabel(name) for name in LABELS)


def test_results_keep_their_machine_names():
    acc = ds.accuracy(tp=9, fp=1, fn=1, tn=9)
    assert {"ppv", "npv", "lr_positive"} <= set(acc.to_frame()["measure"])


@pytest.mark.parametrize("text, safe", [
    ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
    ("p < 0.001, a<b & c > d", "p < 0.001, a&lt;b & c > d"),   # readable: only what could open a tag or an entity
    ("</i><!-- <?x", "&lt;/i>&lt;!-- &lt;?x"), ("&lt; &#60;", "&amp;lt; &amp;#60;"),
])
def test_markdown_text(text, safe):
    assert markdown_text(text) == safe


def test_markdown_cell_escapes_pipes_and_joins_lines():
    assert markdown_cell("a|b\n<c>") == "a\\|b &lt;c>"


def test_the_shipped_checklist_is_stard_2015():
    rows = items()
    assert len(rows) == 34
    assert [r["item"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10a", "10b", "11", "12a",
                                         "12b", "13a", "13b", *map(str, range(14, 21)), "21a", "21b",
                                         *map(str, range(22, 31))]
    assert len({r["item"].rstrip("ab") for r in rows}) == 30
    text = {r["item"]: r["text"] for r in rows}
    assert text["19"] == "Flow of participants, using a diagram"
    assert text["30"] == "Sources of funding and other support; role of funders"
    assert {r["section"] for r in rows} == {"Title or abstract", "Abstract", "Introduction", "Methods", "Results",
                                            "Discussion", "Other information"}


def test_an_empty_report_leaves_everything_but_the_question_to_the_authors():
    rows = checklist(Report(name="x", title="t", question="q", sections=()))
    assert [r["item"] for r in rows if not r["authors"]] == ["4"]
    assert all(r["where"] == FOR_AUTHORS for r in rows if r["authors"])


def test_an_analysis_can_say_where_an_item_is_addressed():
    rep = Report(name="x", title="t", question="q", sections=(Section("Cut-offs", "", "NLR > 3.92"),),
                 stard={"12a": "Cut-offs: NLR > 3.92, pre-specified (Fest 2018)"})
    row = next(r for r in checklist(rep) if r["item"] == "12a")
    assert row["where"] == "Cut-offs: NLR > 3.92, pre-specified (Fest 2018)" and not row["authors"]


def test_figures_show_clinical_labels_in_tick_labels_titles_legends_and_captions():
    from diagstats.report.figures import new_figure, render

    fig = new_figure()
    ax = fig.subplots()
    ax.plot([0, 1], [1, 2], label="ppv")
    ax.set_yticks([1, 2, 3], ["buhmann_kirchhoff_2009", "no_tumour", "ongkeko"])
    ax.set_title("lr_positive by true_diagnosis")
    ax.legend()
    figure = render(fig, "labels.png", "NLR by true_diagnosis")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Buhmann Kirchhoff 2009", "no tumour", "Ongkeko"]
    assert ax.get_title() == "LR+ by true diagnosis" and ax.get_legend().get_texts()[0].get_text() == "PPV"
    assert figure.caption == "NLR by true diagnosis"
