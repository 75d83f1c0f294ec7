"""Regression tests for what the fuzz suite (tests/fuzz) found in comparing and combining binary tests."""

import pandas as pd
import pytest

import diagstats as ds


@pytest.mark.parametrize("combine", [False, True])
def test_a_reference_that_is_also_one_of_the_tests_is_refused(combine):
    """Found by the fuzz suite: ds.combine_tests(df, tests=['t2', 't1'], reference='t2') (and compare_tests)
    raised IndexError: the reference column was one of the two tests."""
    df = pd.DataFrame({"y": [0, 1, 0, 1, 1], "t1": [0, 1, 1, 1, 0], "t2": [0, 1, 0, 0, 1]})
    fn = ds.combine_tests if combine else ds.compare_tests
    with pytest.raises(ds.DataError, match=r"reference='t2' is also one of tests=\['t2', 't1'\]"):
        fn(df, tests=["t2", "t1"], reference="t2")


def test_no_complete_patient_is_refused_naming_the_arguments():
    """Found by the fuzz suite: "No patients to compare (after removing missing values)." named no argument."""
    df = pd.DataFrame({"y": [], "t1": [], "t2": []}, dtype=float)
    with pytest.raises(ds.DataError, match="check tests= and reference="):
        ds.compare_tests(df, tests=["t1", "t2"], reference="y", paired=True)
    with pytest.raises(ds.DataError, match="reference 'y' has no values"):  # object columns: as_binary says so
        ds.compare_tests(df.astype(object), tests=["t1", "t2"], reference="y", paired=True, test_positive="pos")
