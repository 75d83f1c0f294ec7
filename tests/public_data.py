"""The public data sets of ``../shared/reference/public/`` (beside the clone; see its README), for parity tests.

A test that needs one skips, saying why, where that folder is absent (the data are not copied here).
"""

from pathlib import Path

import pandas as pd
import pytest

PUBLIC = Path(__file__).resolve().parents[2] / "shared" / "reference" / "public"


def read_public(name: str) -> pd.DataFrame:
    """``PUBLIC / name`` as a frame, or skip the test when the shared folder is absent."""
    path = PUBLIC / name
    if not path.is_file():
        pytest.skip(f"{path} is absent: the public reference data sit in ../shared/reference/public beside the clone")
    return pd.read_csv(path)


def published(x: float, digits: int):
    """pytest.approx of a number published with ``digits`` decimals: within half a unit of the last one."""
    return pytest.approx(x, abs=0.5 * 10.0 ** -digits)
