"""Regression tests for what the fuzz suite (tests/fuzz) found in the meta-analyses."""

import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DataError


def test_too_many_covariate_terms_names_covariates():
    """Found by the fuzz suite: "8 studies are too few for 7 covariate terms" named no argument."""
    data = pd.DataFrame({"study": [f"s{i}" for i in range(8)], "tp": [10, 20, 3, 5, 6, 7, 8, 9],
                         "fp": [3, 5, 2, 2, 3, 4, 5, 1], "fn": [4, 6, 1, 2, 3, 1, 2, 3],
                         "tn": [30, 40, 20, 21, 22, 23, 24, 25]})
    with pytest.raises(DataError, match=r"7 covariate terms \(covariates=\['study'\]\)"):
        ds.meta.bivariate(data, covariates="study")
