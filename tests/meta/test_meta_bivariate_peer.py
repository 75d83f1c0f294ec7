"""Bivariate additions of issue 21: the prediction interval of the summary DOR, against the same formula applied to a
tightly converged metafor 3.8.1 rma.mv(struct="UN") fit (tests/reference/meta/*_peer_bivariate.json, made by
peer_bivariate.R)."""

import numpy as np
import pytest

import diagstats as ds
from diagstats.errors import OptionError
from .meta_fixtures import data, ref, tables


@pytest.mark.parametrize("name", ["meta_studies", "auditc", "imaging"])
@pytest.mark.parametrize("method", ["REML", "ML"])
def test_dor_prediction_matches_metafor_fit(name, method):
    r = ref(f"{name}_peer_bivariate")[method]
    fit = ds.meta.bivariate(tables(name), method=method)
    assert list(fit.dor_prediction()) == pytest.approx(r["dor_pi"], rel=1e-6)
    assert list(fit.dor_prediction(0.9)) == pytest.approx(r["dor_pi_90"], rel=1e-6)
    assert np.log(fit.dor.value) == pytest.approx(r["log_dor"], rel=1e-6)


def test_dor_prediction_is_wider_than_the_confidence_interval():
    fit = ds.meta.bivariate(data("auditc"))
    lower, upper = fit.dor_prediction()
    assert lower < fit.dor.lower < fit.dor.value < fit.dor.upper < upper
    with pytest.raises(OptionError):
        fit.dor_prediction(level=1.5)
