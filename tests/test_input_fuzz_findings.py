"""Regression tests for what the fuzz suite (tests/fuzz) found in the input layer."""

import pytest

from diagstats import _input
from diagstats.errors import OptionError


def test_column_names_refuses_a_nested_list():
    """Found by the fuzz suite: ds.markers.discriminate(markers=[['nlr']]) raised TypeError "unhashable type:
    'list'" (column_names passed the inner list on as a name)."""
    with pytest.raises(OptionError, match=r"markers=\[\['nlr'\]\] must be a flat list of column names"):
        _input.column_names([["nlr"]], "markers", example="['nlr', 'plr']")
