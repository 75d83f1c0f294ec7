"""Regression tests for what the fuzz suite (tests/fuzz) found in the bias corrections."""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds


def test_a_test_that_is_its_own_reference_is_refused():
    """Found by the fuzz suite: correct_verification(test='reference', reference='reference') ran on one column
    as both (and, on data where every row was then omitted, raised IndexError)."""
    data = pd.DataFrame({"mri": [0, 1, 1, 0], "biopsy": [0.0, 1.0, np.nan, np.nan]})
    with pytest.raises(ds.DataError, match="name the same column"):
        ds.correct_verification(data, test="biopsy", reference="biopsy", progress=False)
