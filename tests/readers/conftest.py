import pytest

import diagstats as ds

from ..public_data import read_public


@pytest.fixture(scope="module")
def vandyke():
    """The Van Dyke et al. (1993) reader study (jackknife OR analysis), the pilot of several parity tests."""
    return ds.reader_study(read_public("vandyke.csv"))
