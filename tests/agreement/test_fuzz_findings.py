"""Regression tests for what the fuzz suite (tests/fuzz) found in rater agreement."""

import pytest

import diagstats as ds


def test_raters_of_different_lengths_are_named_as_typed():
    """Found by the fuzz suite: the message said "rater1 has 3, rater2 has 4", naming no argument."""
    with pytest.raises(ds.DataError, match=r"raters\[0\] has 3, raters\[1\] has 4"):
        ds.agreement(raters=([0, 0, 0], [0, 0, 0, 0]))


def test_no_complete_subject_names_raters():
    """Found by the fuzz suite: "No subject has ratings from every rater" named no argument."""
    with pytest.raises(ds.DataError, match="every rater in raters"):
        ds.agreement(raters=([], []))
