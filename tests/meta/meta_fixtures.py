"""Paths and loaders for the committed meta-analysis fixtures (tests/reference/meta)."""

import json
from pathlib import Path

import pandas as pd

REF = Path(__file__).resolve().parents[1] / "reference" / "meta"


def data(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / f"{name}.csv")


def ref(name: str) -> dict:
    return json.loads((REF / f"{name}.json").read_text())


def tables(name: str) -> pd.DataFrame:
    """``data(name)`` with one study label per 2x2 table, as the R fits see them (``study = seq_len(nrow)``).

    imaging.csv lists several tests of one study (Buhmann Kirchhoff's CT and MRI, ...); R's fixtures fit each
    table as its own unit, and ``ds.meta.bivariate`` refuses a study listed twice, so the rows are labelled
    "study: test" to say that each table is its own unit here.
    """
    d = data(name)
    if "test" in d.columns:
        d["study"] = d["study"] + ": " + d["test"]
    return d
