"""The validation helpers every public function relies on."""

import numpy as np
import pandas as pd
import pytest

from diagstats import _input
from diagstats.errors import ColumnError, DataError, OptionError


def test_as_binary_infers_only_for_bool_and_zero_one():
    assert _input.as_binary([True, False], "x").values.tolist() == [True, False]
    assert _input.as_binary(np.array([0.0, 1.0, 1.0]), "x").values.tolist() == [False, True, True]
    with pytest.raises(DataError, match="say which one means positive"):
        _input.as_binary([1, 2, 2], "x")
    assert _input.as_binary([1, 2, 2], "x", positive=2).values.tolist() == [False, True, True]
    assert _input.as_binary([True, False], "x", positive=False).values.tolist() == [False, True]


def test_as_binary_reads_an_object_column_of_booleans():
    column = pd.Series([True, None, False], dtype=object).dropna()
    assert _input.as_binary(column, "biopsy_result").values.tolist() == [True, False]


def test_as_binary_one_class_is_allowed_unless_both_are_required():
    assert _input.as_binary([1, 1], "test").values.all()
    with pytest.raises(DataError, match="only one class"):
        _input.as_binary([1, 1], "reference", require_both=True)


def test_complete_cases_counts_what_it_omits():
    out = _input.complete_cases({"a": np.array([1.0, np.nan, 3.0]), "b": np.array(["x", "y", None], dtype=object)},
                                "omit")
    assert out.n_omitted == 2 and out.arrays["a"].tolist() == [1.0]
    with pytest.raises(DataError, match="a has 1, b has 1"):
        _input.complete_cases({"a": np.array([1.0, np.nan, 3.0]), "b": np.array(["x", "y", None], dtype=object)},
                              "raise")


def test_as_numeric_names_the_offending_value():
    with pytest.raises(DataError, match="contains 'high'"):
        _input.as_numeric(np.array([1.0, "high"], dtype=object), "nlr")
    assert _input.as_numeric(pd.Series([1, 2]), "nlr").dtype == float


def test_column_suggests_a_close_name():
    with pytest.raises(ColumnError, match="Did you mean 'biopsy'"):
        _input.column(pd.DataFrame({"biopsy": [1]}), "biospy", "reference")


def test_generator_and_options():
    assert _input.as_generator(3).integers(100) == np.random.default_rng(3).integers(100)
    with pytest.raises(OptionError, match="seed=-1"):
        _input.as_generator(-1)
    with pytest.raises(OptionError, match="strictly between 0 and 1"):
        _input.check_probability(0.0, "prevalence", open_interval=True)
    with pytest.raises(OptionError, match="Did you mean 0.9"):
        _input.check_level(90)
