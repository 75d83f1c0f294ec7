"""Accuracy of imaging tests for bone metastases, from published 2x2 tables.

The built-in data are the per-study tables in ``datasets/imaging_2x2_studies.csv``; ``--data`` takes
any CSV with the columns study, test, tp, fp, fn, tn. Run with ``python analyses/imaging_accuracy.py``
or ``diagstats report imaging_accuracy``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

import diagstats as ds
from diagstats.report import DataSource, Report, Section
from diagstats.report.build import frame_to_markdown
from diagstats.results import format_number

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "datasets" / "imaging_2x2_studies.csv"
REQUIRED = ("study", "test", "tp", "fp", "fn", "tn")
SHOWN = ("sensitivity", "specificity", "ppv", "npv", "lr_positive", "lr_negative", "dor")


def _load(path: Path) -> tuple[pd.DataFrame, DataSource]:
    content = path.read_bytes()
    tables = pd.read_csv(path)
    absent = [c for c in REQUIRED if c not in tables.columns]
    if absent:
        raise ds.ColumnError(f"--data {str(path)!r} lacks the columns {absent}; a table of 2x2 counts needs "
                             f"{list(REQUIRED)}.")
    source = DataSource.from_bytes(f"{path.name}: published 2x2 tables", content, len(tables),
                                   {c: int(k) for c, k in tables.isna().sum().items() if k})
    return tables, source


def run(config: dict) -> Report:
    path = Path(config.get("data") or DEFAULT_DATA)
    level = float(config.get("level", 0.95))
    tables, source = _load(path)
    results = [ds.accuracy(tp=r.tp, fp=r.fp, fn=r.fn, tn=r.tn, level=level)
               for r in tables.itertuples(index=False)]
    labels = [f"{r.study} / {r.test}" for r in tables.itertuples(index=False)]

    counts = tables[list(REQUIRED)].copy()
    summary = pd.DataFrame({"study / test": labels, **{
        m: [f"{format_number(getattr(res, m).value)} ({format_number(getattr(res, m).lower)} to "
            f"{format_number(getattr(res, m).upper)})" for res in results] for m in SHOWN}})
    notes = sorted({f"{label}: {note}" for label, res in zip(labels, results) for note in res.notes})
    methods = (f"Proportions: {results[0].sensitivity.method} intervals; likelihood ratios: "
               f"{results[0].lr_positive.method}; DOR: {results[0].dor.method}; {100 * level:g}% level.")
    note_html = "".join(f"<li>{n}</li>" for n in notes)
    sections = (
        Section("2x2 tables", counts.to_html(index=False, border=0), frame_to_markdown(counts)),
        Section("Accuracy with confidence intervals",
                summary.to_html(index=False, border=0) + f"<p>{methods}</p>" + (f"<ul>{note_html}</ul>" if notes else ""),
                frame_to_markdown(summary) + f"\n\n{methods}\n" + "".join(f"\n- {n}" for n in notes)),
    )
    key_numbers = {f"{r.study}/{r.test}/{m}": getattr(res, m).to_dict()
                   for r, res in zip(tables.itertuples(index=False), results) for m in SHOWN}
    return Report(name="imaging_accuracy", title="Accuracy of imaging for bone metastases (published 2x2 tables)",
                  question="How sensitive and specific are CT, MRI, PET and bone scintigraphy for bone metastases, "
                           "study by study?",
                  sections=sections, data=(source,), key_numbers=key_numbers, parameters={"level": level})


if __name__ == "__main__":
    from diagstats.report import write

    print(write(run({"data": sys.argv[1] if len(sys.argv) > 1 else None}), "reports"))
