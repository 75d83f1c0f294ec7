"""Paths and loaders for the committed meta-analysis fixtures (tests/reference/meta)."""

import json
from pathlib import Path

import pandas as pd

REF = Path(__file__).resolve().parents[1] / "reference" / "meta"


def data(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / f"{name}.csv")


def ref(name: str) -> dict:
    return json.loads((REF / f"{name}.json").read_text())
