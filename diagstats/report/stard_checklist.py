"""The STARD 2015 checklist of a report: each of its 34 rows with where the report addresses it.

The checklist text (Bossuyt et al., BMJ 2015;351:h5527, CC BY 4.0) ships in
``diagstats/data/checklists/``. :func:`checklist` fills it from what the report contains: a flow
diagram (a figure ``stard_flow.png``), 2x2 tables (a table with TP, FP, FN, TN columns), estimates
with intervals and the methods named in them, the Data table's missing values, cut-offs, a Table 1,
notes on indeterminate results, heterogeneity or bias. An analysis can say more through
``Report.stard`` (item -> where), which takes precedence. What only the authors know (registration,
protocol, funding, setting, eligibility, blinding, ...) is marked :data:`FOR_AUTHORS`.

>>> from diagstats.report import Report, Section
>>> two_by_two = "| test | TP | FP | FN | TN |\\n| --- | --- | --- | --- | --- |\\n| MRI | 1 | 2 | 3 | 4 |"
>>> rows = checklist(Report(name="x", title="t", question="q?", sections=(Section("2x2 tables", "", two_by_two),)))
>>> len(rows), rows[0]["item"], [r["where"] for r in rows if r["item"] in ("23", "28")]
(34, '1', ['2x2 tables', 'for the authors'])
"""

from __future__ import annotations

import csv
import functools
import io
import re
from importlib import resources
from typing import Any

FOR_AUTHORS = "for the authors"

_INTERVAL = re.compile(r"-?\d[\d.]* \(-?\d[\d.]* to -?\d[\d.]*\)")
_MEASURES = (("sensitivity", "sensitivity"), ("specificity", "specificity"), ("PPV", "predictive values"),
             ("ppv", "predictive values"), ("AUC", "AUC"), ("LR+", "likelihood ratios"))
# item -> words in a section (title, text or table) that show the report addresses it
_MENTIONS = {
    "12a": ("cutpoint", "cut-off", "cutoff", "threshold", "rating >=", "dichotomis"),
    "15": ("non-diagnostic", "nondiagnostic", "indeterminate", "inconclusive"),
    "16": ("left out", "missing", "complete case", "without the test", "without a biopsy"),
    "17": ("subgroup", "guidance:", "heterogeneity", "between-study", "I2", "meta-regression"),
    "20": ("table 1", "baseline"),
    "26": ("limitation", "bias", "assumes", "assumption"),
}


@functools.cache
def items() -> tuple[dict[str, str], ...]:
    """The 34 rows of the STARD 2015 list: ``item``, ``section``, ``topic``, ``text``."""
    text = (resources.files("diagstats") / "data" / "checklists" / "stard2015_checklist.csv").read_text("utf-8")
    return tuple(dict(row) for row in csv.DictReader(io.StringIO(text)))


def _tables(markdown: str) -> list[list[str]]:
    """The header cells of every pipe table in a section's Markdown."""
    lines = markdown.splitlines()
    return [[c.strip() for c in line.strip().strip("|").split(" | ")]
            for line, rule in zip(lines, lines[1:]) if line.startswith("|") and rule.startswith("| ---")]


def _column(markdown: str, names: set[str]) -> set[str]:
    """The values of the columns called one of ``names`` in a section's pipe tables."""
    values, header = set(), None
    for line in markdown.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if header is None:
            header = cells
        elif not line.startswith("| ---"):
            values |= {v for h, v in zip(header, cells) if h in names and v}
    return values


def _join(titles: list[str]) -> str:
    return "; ".join(dict.fromkeys(titles))


def _found(report) -> dict[str, str]:
    """Item -> where the report addresses it, found in its sections, figures and data."""
    found: dict[str, list[str]] = {}
    methods: list[str] = []
    measures: list[str] = []
    for sec in report.sections:
        text = f"{sec.title}\n{sec.markdown}\n" + "\n".join(f.caption for f in sec.figures)
        lower = text.lower()
        if any(f.filename == "stard_flow.png" for f in sec.figures):
            found.setdefault("19", []).append(f"{sec.title}: flow diagram")
            # the diagram counts the patients without the reference standard and the inconclusive results
            found.setdefault("15", []).append(f"{sec.title}: inconclusive results")
            found.setdefault("16", []).append(f"{sec.title}: no reference standard")
        elif "flow" in sec.title.lower():
            found.setdefault("19", []).append(f"{sec.title} (text)")
        if any({"TP", "FP", "FN", "TN"} <= set(header) for header in _tables(sec.markdown)):
            found.setdefault("23", []).append(sec.title)
        if _INTERVAL.search(sec.markdown):
            found.setdefault("24", []).append(sec.title)
            found.setdefault("14", []).append(sec.title)
            methods += sorted(_column(sec.markdown, {"method", "CI method"}))
        if "reference standard" in sec.title.lower():
            found.setdefault("10b", []).append(sec.title)
            found.setdefault("11", []).append(sec.title)
        for item, words in _MENTIONS.items():
            named = any(w.startswith(sec.title) for w in found.get(item, []))
            if not named and any(w.lower() in lower for w in words):
                found.setdefault(item, []).append(sec.title)
        measures += [label for word, label in _MEASURES if word in text]
    where = {item: _join(titles) for item, titles in found.items()}
    named = "; ".join(dict.fromkeys(methods))
    if named and "14" in where:
        where["14"] += f" (methods: {named})"
    if "24" in where:
        level = f"{100 * float(report.parameters.get('level', 0.95)):g}% CI"
        where["24"] = f"{where['24']} ({level}{'; ' + named if named else ''})"
    if report.data:
        where["16"] = _join(["Data: missing values", *found.get("16", [])])
    if measures:
        shown = ", ".join(dict.fromkeys(measures))
        where["1"] = f"Title; measures: {shown} (the article's title: for the authors)"
    where["4"] = "Question (hypotheses: for the authors)"
    if "26" in where:
        where["26"] = f"partly, notes in: {where['26']} (the discussion: for the authors)"
    return where


def checklist(report) -> list[dict[str, Any]]:
    """The 34 STARD 2015 rows with ``where`` (a place in the report, or :data:`FOR_AUTHORS`) and ``authors``.

    ``report`` is a :class:`~diagstats.report.Report`; its ``stard`` entries override what is found.
    """
    where = {**_found(report), **report.stard}
    return [{**row, "where": where.get(row["item"], FOR_AUTHORS), "authors": row["item"] not in where}
            for row in items()]
