"""Loading the committed pROC parity fixtures of tests/reference/roc."""

import json
from pathlib import Path

import pandas as pd

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "roc"


def load_fixture(name: str):
    """(data, pROC output) of a committed parity fixture."""
    csv = REFERENCE / f"{name}.csv"
    data = pd.read_csv(csv) if csv.exists() else None
    return data, json.loads((REFERENCE / f"{name}_proc.json").read_text())
