"""Pooled CT/fluoroscopy-guided spinal biopsy accuracy from the literature series (literature.md 3.3).

Uses tests/reference/meta/biopsy_series.csv (6 series with verbatim counts); switch to
ds.datasets.load(...) once the shipped biopsy dataset exists.
"""

import pytest

import diagstats as ds
from .meta_fixtures import data

MICHALOPOULOS_2021 = (0.86, 0.82, 0.89)   # J Neurointerv Surg 13:841; 39 studies, accuracy among 3054 procedures


@pytest.mark.parametrize("method", ["REML", "GLMM"])
def test_pooled_biopsy_accuracy_near_michalopoulos(method):
    res = ds.meta.univariate(data("biopsy_series"), measure="proportion", events="correct", n="n", method=method)
    est, lo, hi = MICHALOPOULOS_2021
    print(f"\npooled biopsy accuracy ({method}, {res.k} series): {res.pooled.format(3)}; "
          f"Michalopoulos 2021: {est:.2f} ({lo:.2f}-{hi:.2f})")
    # different studies, so only plausibility: a high accuracy whose interval overlaps the published one
    assert 0.80 < res.pooled.value < 0.95
    assert res.pooled.lower < hi and res.pooled.upper > lo
    assert res.prediction.lower < res.pooled.lower       # heterogeneous series
