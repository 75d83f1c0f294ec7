"""Regression tests for what the fuzz suite (tests/fuzz) found in stard_counts."""

import pandas as pd
import pytest

import diagstats as ds


def test_attempted_is_checked_whenever_it_is_given():
    """Found by the fuzz suite: attempted='' was silently ignored (and an array raised numpy's "truth value of an
    array is ambiguous" before reaching the column check): ``if attempted`` is now ``if attempted is not None``."""
    data = pd.DataFrame({"t": [0, 1, 1, 0], "r": [0, 1, 0, 1]})
    with pytest.raises(ds.ColumnError, match="attempted='' is not a column"):
        ds.stard_counts(data, test="t", reference="r", attempted="")
