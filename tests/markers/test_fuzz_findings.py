"""Regression tests for what the fuzz suite (tests/fuzz) found in the blood-marker functions."""

import pandas as pd
import pytest

import diagstats as ds


def test_empty_data_with_groups_is_refused_naming_the_reference():
    """Found by the fuzz suite: with groups= and no rows, discriminate raised numpy's TypeError
    "ufunc 'invert' not supported" (the mask of excluded patients was an empty float array)."""
    data = pd.DataFrame({"plr": [], "diagnosis": []})
    with pytest.raises(ds.DataError, match="reference"):
        ds.markers.discriminate(data, ["plr"], reference="diagnosis", positive="yes",
                                groups={"no": ["x"], "yes": ["y"]}, cv=2, n_boot=20, progress=False)
