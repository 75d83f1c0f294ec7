"""``diagstats init``: a commented starter study file, guessed from the columns of a CSV file."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataError
from .study import MARKER_ROLES, csv_header, toml_key, toml_value

_ID = re.compile(r"(^|_)(id|pid|mrn|patient|case)($|_)|^patient", re.IGNORECASE)
_REFERENCE = re.compile(r"biops|histol|patholog|diagnos|reference|truth|gold|final|outcome", re.IGNORECASE)
_POSITIVE = ("pos", "positive", "yes", "y", "true", "malignant", "abnormal", "present", "disease", "diseased")
_COVARIATES = ("age", "sex", "gender")
_BIOPSY_DONE = re.compile(r"done|performed|taken|attempted", re.IGNORECASE)
_NONDIAGNOSTIC = re.compile(r"non.?diag|inadequate|insufficient|indetermin|inconclusive", re.IGNORECASE)


def _guess_positive(values: list[Any]) -> Any:
    for v in values:
        if str(v).strip().lower() in _POSITIVE:
            return v
    return values[-1]


def starter(data: str | os.PathLike, out: str | os.PathLike = "study.toml") -> str:
    """The text of a commented starter study file for the CSV ``data``, every guess marked "check this"."""
    data, out = Path(data), Path(out)
    csv_header(data, "--data")
    frame = pd.read_csv(data)
    top = [f"data = {toml_value(os.path.relpath(data.resolve(), out.resolve().parent))}",
           'target = "the target condition"   # check this: the target condition in words, e.g. "spinal malignancy"']
    tables, tests, markers, covariates, unused = [], [], [], [], []
    reference = patient = biopsy = guidance = done = None
    nondiagnostic: list[Any] = []
    for col in frame.columns:
        series, name = frame[col], str(col)
        values = sorted({v.item() if hasattr(v, "item") else v for v in series.dropna().unique()}, key=str)
        shown = ", ".join(toml_value(v) for v in values[:6]) + (", ..." if len(values) > 6 else "")
        numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
        biopsy_named = "biops" in name.lower()
        if patient is None and _ID.search(name) and series.notna().all() and series.is_unique:
            patient = name
            top.append(f"patient_id = {toml_value(name)}   # check this: one row per patient, unique values")
        elif not values:   # an empty column is no test, marker or covariate
            unused.append(f"#   {name}: empty in every row")
        elif biopsy_named and done is None and len(values) == 2 and _BIOPSY_DONE.search(name):
            zero_one = set(values) <= {0, 1}   # also True/False
            done = [f"done = {toml_value(name)}   # check this: whether a biopsy was done (values {shown}); a blank "
                    "result of a done biopsy is then a non-diagnostic sample",
                    None if zero_one else f"done_positive = {toml_value(_guess_positive(values))}   # check this: "
                                          f"which of {shown} means a biopsy was done"]
        elif (biopsy_named and reference is not None and biopsy is None and len(values) == 3
              and sum(bool(_NONDIAGNOSTIC.search(str(v))) for v in values) == 1):
            nondiagnostic = [v for v in values if _NONDIAGNOSTIC.search(str(v))]
            results = [v for v in values if v not in nondiagnostic]
            biopsy = [f"[biopsy]   # check this: a biopsy result (values {shown}; a blank = no biopsy)",
                      f"column = {toml_value(name)}",
                      f"positive = {toml_value(_guess_positive(results))}   # check this: which of "
                      f"{', '.join(toml_value(v) for v in results)} means positive",
                      f"nondiagnostic = {toml_value(nondiagnostic[0])}   # check this: the value meaning a biopsy "
                      "was done but the sample was non-diagnostic"]
        elif len(values) == 2:
            zero_one = numeric and set(values) <= {0, 1}
            positive = None if zero_one else (f"positive = {toml_value(_guess_positive(values))}   # check this: "
                                            f"which of {shown} means positive")
            coded = "coded 0/1, 1 = positive" if zero_one else f"values {shown}"
            if "guidance" in name.lower():
                guidance = name
            elif reference is not None and biopsy is None and "biops" in name.lower():
                biopsy = [f"[biopsy]   # check this: a biopsy result ({coded}; see nondiagnostic and done below)",
                          f"column = {toml_value(name)}", positive]
            elif reference is None and _REFERENCE.search(name):
                reference = name
                tables += ["", f"[reference]   # check this: the reference standard ({coded})",
                           f"column = {toml_value(name)}", positive, f"name = {toml_value(name)}"]
            else:
                tests += ["", f"[tests.{toml_key(name)}]   # check this: a binary index test ({coded})",
                          f"column = {toml_value(name)}", positive, f"name = {toml_value(name)}"]
        elif numeric and name.lower() in MARKER_ROLES:
            markers.append(f"{name.lower()} = {toml_value(name)}   # check this")
        elif numeric and name.lower() in _COVARIATES:
            covariates.append(name)
        elif numeric:
            tests += ["", f"[tests.{toml_key(name)}]   # check this: a numeric column taken as a score",
                      f"column = {toml_value(name)}",
                      'direction = "higher"   # check this: "higher" if higher values point to the target condition',
                      f"name = {toml_value(name)}"]
        else:
            unused.append(f"#   {name}: {len(values)} distinct values ({shown})")
    if covariates:
        top.append(f"covariates = {toml_value(covariates)}   # check this: covariates of the marker model")
    top.append("# analyses = [\"imaging_modalities\", \"blood_markers\"]   # default: every analysis the study has "
               "data for")
    if reference is None:
        tables += ["", "# [reference]   # check this: no two-valued column looked like a reference standard; name it",
                   '# column = "..."', '# positive = "..."']
    if biopsy:
        tables += ["", *biopsy] + ([f"guidance = {toml_value(guidance)}   # check this"] if guidance else [])
        if not nondiagnostic:
            tables += ['# nondiagnostic = "non-diagnostic"   # the value(s) of the result meaning a biopsy was done '
                       "but the sample was non-diagnostic; then a blank result = no biopsy"]
        tables += done or ['# done = "biopsy_done"   # or a column saying whether a biopsy was done (done_positive = '
                           'its "done" value, unless 0/1); then a blank result of a done biopsy = non-diagnostic']
        if not nondiagnostic and not done:
            tables += ["# Without nondiagnostic or done a blank result is taken as no biopsy, and needle_biopsy "
                       "reports no yield (it cannot tell a skipped biopsy from a non-diagnostic sample)."]
    elif guidance:
        tables += ["", "# [biopsy]   # check this: name the biopsy result column to run needle_biopsy",
                   '# column = "..."', f"# guidance = {toml_value(guidance)}"]
    if markers:
        tables += ["", "[markers]   # ready-made ratios (nlr, plr) or counts (neutrophils, lymphocytes, ...)", *markers]
    lines = [f"# diagstats study file, written by 'diagstats init' from {data.name} ({len(frame)} rows, "
             f"{frame.shape[1]} columns).",
             "# Every guess is marked 'check this'; docs/study_file.md explains every key.", *top, *tables, *tests]
    if unused:
        lines += ["", "# Columns not used (more than two values and not numbers):", *unused]
    return "\n".join(line for line in lines if line is not None) + "\n"


def write_starter(data: str | os.PathLike, out: str | os.PathLike = "study.toml") -> Path:
    """Write :func:`starter` to ``out``; an existing file is never overwritten."""
    out = Path(out)
    if out.exists():
        raise DataError(f"--out {str(out)!r} already exists; diagstats init never overwrites a file. Give another "
                        "name (--out my_study.toml) or delete it.")
    text = starter(data, out)
    out.write_text(text, encoding="utf-8")
    return out
