"""Regression tests for what the fuzz suite (tests/fuzz) found in the input layer."""

import pytest

from diagstats import _input
from diagstats.errors import OptionError


def test_column_names_refuses_a_nested_list():
    """Found by the fuzz suite: ds.markers.discriminate(markers=[['nlr']]) raised TypeError "unhashable type:
    'list'" (column_names passed the inner list on as a name)."""
    with pytest.raises(OptionError, match=r"markers=\[\['nlr'\]\] must be a flat list of column names"):
        _input.column_names([["nlr"]], "markers", example="['nlr', 'plr']")


def test_as_binary_refuses_a_label_that_is_not_one_value():
    """Found by the fuzz suite: ds.combine_tests(..., test_positive=[]) and ds.decision_curve(..., positive=[])
    escaped as numpy's broadcasting ValueError."""
    import diagstats as ds
    import pandas as pd
    from diagstats.errors import DataError

    with pytest.raises(DataError, match=r"test_positive=\[\] must be one label"):
        _input.as_binary(["pos", "neg"], "test 't1'", [], positive_name="test_positive")
    data = pd.DataFrame({"y": [0, 1, 0, 1], "t1": [0, 1, 1, 1], "t2": [0, 1, 0, 0]})
    with pytest.raises(DataError, match="test_positive="):
        ds.combine_tests(data, tests=["t1", "t2"], reference="y", test_positive=[])


def test_as_binary_on_no_values_says_so():
    """Found by the fuzz suite: an empty object column (every row omitted) raised IndexError while building the
    message (labels[-1])."""
    from diagstats.errors import DataError
    import numpy as np

    with pytest.raises(DataError, match="test has no values"):
        _input.as_binary(np.array([], dtype=object), "test")
