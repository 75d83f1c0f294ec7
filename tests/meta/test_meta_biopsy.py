"""Pooled image-guided spinal biopsy accuracy from the shipped literature series.

The series whose outcome is diagnostic accuracy against the final diagnosis (not tissue adequacy
or technical success), for all patients of the series, with the count given, are selected from
``ds.datasets.load("biopsy_series")``; the same six series are the parity fixture
tests/reference/meta/biopsy_series.csv.
"""

import pandas as pd
import pytest

import diagstats as ds
from .meta_fixtures import data

MICHALOPOULOS_2021 = (0.86, 0.82, 0.89)   # J Neurointerv Surg 13:841; 39 studies, accuracy among 3054 procedures
ACCURACY_OUTCOMES = {"correct diagnosis at first biopsy", "agrees with final diagnosis", "overall accuracy",
                     "consistent with final diagnosis", "accurate diagnosis"}


def accuracy_series() -> pd.DataFrame:
    series = ds.datasets.load("biopsy_series")
    keep = (series["outcome"].isin(ACCURACY_OUTCOMES) & series["events"].notna()
            & series["subgroup"].str.startswith(("all", "technically successful")))
    return series[keep].reset_index(drop=True)


def test_the_selected_shipped_series_are_the_parity_fixture():
    shipped = accuracy_series()
    fixture = data("biopsy_series")
    assert sorted(zip(shipped["events"].astype(int), shipped["n"].astype(int))) == \
        sorted(zip(fixture["correct"], fixture["n"]))


@pytest.mark.parametrize("method", ["REML", "GLMM"])
def test_pooled_biopsy_accuracy_near_michalopoulos(method):
    res = ds.meta.univariate(accuracy_series(), measure="proportion", events="events", n="n", method=method)
    est, lo, hi = MICHALOPOULOS_2021
    print(f"\npooled biopsy accuracy ({method}, {res.k} series): {res.pooled.format(3)}; "
          f"Michalopoulos 2021: {est:.2f} ({lo:.2f}-{hi:.2f})")
    # different studies, so only plausibility: a high accuracy whose interval overlaps the published one
    assert 0.80 < res.pooled.value < 0.95
    assert res.pooled.lower < hi and res.pooled.upper > lo
    assert res.prediction.lower < res.pooled.lower       # heterogeneous series
