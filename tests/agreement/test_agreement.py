"""ds.agreement: Cohen's (weighted) kappa, PABAK, Fleiss' kappa against published examples, statsmodels and epiR."""

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats import inter_rater

import diagstats as ds

EPIR = json.loads((Path(__file__).resolve().parents[1] / "reference" / "agreement" / "epir_kappa.json").read_text())
EPIR_INDICES = json.loads((Path(__file__).resolve().parents[1] / "reference" / "agreement" /
                           "epir_kappa_indices.json").read_text())


def ratings_from_table(table):
    """Two raters' ratings (category codes 0..k-1) reproducing a k x k count table."""
    table = np.asarray(table)
    k = len(table)
    idx = np.repeat(np.arange(k * k), table.ravel())
    return idx // k, idx % k


# SAS/STAT PROC FREQ documentation example (AGREE option), as quoted in statsmodels' test suite:
# table [[0, 4, 1], [0, 8, 0], [0, 1, 5]]: simple kappa 0.4842, ASE 0.1380, 95% CI 0.2137-0.7547,
# ASE under H0 0.1484, Z 3.2626, two-sided p 0.0011; weighted kappa (Cicchetti-Allison = linear)
# 0.4701, ASE 0.1457, CI 0.1845-0.7558, ASE under H0 0.1426, Z 3.2971, p 0.0010.
SAS_TABLE = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]


@pytest.mark.parametrize("weights, expected", [
    (None, (0.4842, 0.2137, 0.7547, 3.2626, 0.0011)),
    ("linear", (0.4701, 0.1845, 0.7558, 3.2971, 0.0010)),
])
def test_cohen_kappa_matches_sas_worked_example(weights, expected):
    r1, r2 = ratings_from_table(SAS_TABLE)
    res = ds.agreement(raters=(r1, r2), weights=weights, categories=[0, 1, 2])
    got = (res.kappa.value, res.kappa.lower, res.kappa.upper, res.kappa_test.statistic, res.kappa_test.p_value)
    assert tuple(round(v, 4) for v in got) == expected


@pytest.mark.parametrize("weights, sm", [(None, {}), ("linear", {"weights": [0, 1, 2, 3]}),
                                         ("quadratic", {"weights": [0, 1, 2, 3], "wt": "quadratic"})])
def test_cohen_kappa_and_both_variances_match_statsmodels(weights, sm):
    table = np.array([[22, 5, 2, 0], [4, 30, 6, 1], [1, 7, 25, 4], [0, 2, 5, 16]])
    r1, r2 = ratings_from_table(table)
    res = ds.agreement(raters=(r1, r2), weights=weights)
    ref = inter_rater.cohens_kappa(table, **sm)
    assert res.kappa.value == pytest.approx(ref.kappa, rel=1e-10)
    assert (res.kappa.upper - res.kappa.value) / 1.959963984540054 == pytest.approx(ref.std_kappa, rel=1e-9)
    assert res.kappa_test.statistic == pytest.approx(ref.z_value, rel=1e-9)
    assert res.kappa_test.p_value == pytest.approx(ref.pvalue_two_sided, rel=1e-9)


@pytest.mark.parametrize("name", ["a", "b", "c", "d"])
def test_two_category_agreement_matches_epir_epi_kappa(name):
    ref = EPIR[name]
    r1, r2 = ratings_from_table(np.reshape(ref["table"], (2, 2)))
    res = ds.agreement(raters=(r1, r2), ci_method="clopper_pearson")
    assert res.kappa.value == pytest.approx(ref["kappa"], rel=1e-9)
    assert res.percent_agreement.value == pytest.approx(ref["obs"], rel=1e-9)
    assert res.expected_agreement == pytest.approx(ref["exp"], rel=1e-9)
    assert (res.pabak.value, res.pabak.lower, res.pabak.upper) == tuple(pytest.approx(v, rel=1e-6)
                                                                        for v in ref["pabak"])
    # epiR's SE is Cohen's (1960) approximation, not the Fleiss-Cohen-Everitt (1969) SE diagstats uses
    n = sum(ref["table"])
    cohen_1960 = math.sqrt(ref["obs"] * (1 - ref["obs"]) / n) / (1 - ref["exp"])
    assert ref["kappa_se"] == pytest.approx(cohen_1960, rel=1e-9)


@pytest.mark.parametrize("name", ["a", "b", "c", "e"])
def test_bias_and_prevalence_indices_match_epir_epi_kappa(name):
    ref = EPIR_INDICES[name]
    r1, r2 = ratings_from_table(np.reshape(ref["table"], (2, 2)))
    res = ds.agreement(raters=(r1, r2), index_se="independent")
    for attr, key in (("bias_index", "bindex"), ("prevalence_index", "pindex")):
        value, se, lower, upper = ref[key]
        est = getattr(res, attr)
        assert (est.value, est.lower, est.upper) == pytest.approx((value, lower, upper), rel=1e-6, abs=1e-12)
        assert res.index_standard_errors[attr] == pytest.approx(se, rel=1e-6)


def test_multinomial_index_se_is_the_exact_variance_of_the_indices():
    # enumerate every 2 x 2 table of n = 7 subjects under cell probabilities q: the variance of
    # BI = (n12 - n21) / n and PI = (n11 - n22) / n over the multinomial is the formula at p = q
    from itertools import product
    from scipy.stats import multinomial
    q, n = np.array([0.4, 0.25, 0.1, 0.25]), 7
    cells = np.array([c for c in product(range(n + 1), repeat=4) if sum(c) == n])
    w = multinomial.pmf(cells, n, q)
    for index, (i, j) in (("bias_index", (1, 2)), ("prevalence_index", (0, 3))):
        x = (cells[:, i] - cells[:, j]) / n
        exact = np.sum(w * x ** 2) - np.sum(w * x) ** 2
        table = np.reshape(q * 1000, (2, 2))  # a table with these proportions: same formula, n = 1000
        r1, r2 = ratings_from_table(table.astype(int))
        se = ds.agreement(raters=(r1, r2)).index_standard_errors[index]
        assert se ** 2 * 1000 / n == pytest.approx(exact, rel=1e-12)
    # epiR's independent-margins SE differs: larger for BI here, smaller for PI
    r1, r2 = ratings_from_table(np.reshape(q * 1000, (2, 2)).astype(int))
    multinomial_se = ds.agreement(raters=(r1, r2)).index_standard_errors
    independent_se = ds.agreement(raters=(r1, r2), index_se="independent").index_standard_errors
    assert independent_se["bias_index"] > multinomial_se["bias_index"]
    assert independent_se["prevalence_index"] < multinomial_se["prevalence_index"]


def test_indices_only_for_two_unweighted_categories_and_bad_index_se():
    res = ds.agreement(raters=([1, 2, 3, 3, 2], [1, 2, 3, 2, 2]))
    assert res.bias_index is None and res.prevalence_index is None and res.index_standard_errors is None
    with pytest.raises(ds.errors.OptionError, match="index_se"):
        ds.agreement(raters=([0, 1], [0, 1]), index_se="epir")
    flipped = ds.agreement(raters=([1, 1, 0, 0, 1], [1, 0, 0, 0, 1]), categories=[1, 0])
    assert flipped.prevalence_index.value == pytest.approx((2 - 2) / 5)
    assert flipped.bias_index.value == pytest.approx(1 / 5)


# Fleiss JL (1971). Measuring nominal scale agreement among many raters. Psychol Bull 76:378-382:
# 30 patients, 6 psychiatrists, 5 diagnoses (raw ratings as in statsmodels' tests), kappa = 0.430.
FLEISS_1971 = np.array([
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5]])


def test_fleiss_kappa_matches_fleiss_1971_and_statsmodels():
    df = pd.DataFrame(FLEISS_1971, columns=[f"psychiatrist{i}" for i in range(1, 7)])
    res = ds.agreement(df, raters=list(df.columns))
    assert round(res.kappa.value, 3) == 0.430
    counts, _ = inter_rater.aggregate_raters(FLEISS_1971)
    assert res.kappa.value == pytest.approx(inter_rater.fleiss_kappa(counts), rel=1e-12)
    assert math.isnan(res.kappa.lower) and "no interval" in res.notes[0]
    assert res.kappa_test.p_value < 1e-6 and res.pabak is None and res.table is None


def test_fleiss_kappa_of_raters_who_always_agree_is_one():
    ratings = np.array([[1, 1, 1], [2, 2, 2], [3, 3, 3], [1, 1, 1]])
    res = ds.agreement(raters=tuple(ratings.T))
    assert res.kappa.value == pytest.approx(1.0) and res.percent_agreement.value == pytest.approx(1.0)


def test_pabak_for_k_categories_and_binary():
    r1, r2 = ratings_from_table([[10, 2, 0], [3, 8, 1], [0, 2, 4]])
    res = ds.agreement(raters=(r1, r2))
    po = 22 / 30
    assert res.pabak.value == pytest.approx((3 * po - 1) / 2)
    assert res.pabak.lower == pytest.approx((3 * res.percent_agreement.lower - 1) / 2)


@settings(max_examples=50, deadline=None)
@given(table=st.lists(st.integers(0, 20), min_size=9, max_size=9).filter(lambda t: sum(t) > 1),
       weights=st.sampled_from([None, "linear", "quadratic"]))
def test_kappa_is_symmetric_in_the_raters_and_bounded(table, weights):
    r1, r2 = ratings_from_table(np.reshape(table, (3, 3)))
    a = ds.agreement(raters=(r1, r2), weights=weights, categories=[0, 1, 2])
    b = ds.agreement(raters=(r2, r1), weights=weights, categories=[0, 1, 2])
    if math.isnan(a.kappa.value):
        assert math.isnan(b.kappa.value)
        return
    assert a.kappa.value == pytest.approx(b.kappa.value, abs=1e-12)
    assert a.kappa.lower == pytest.approx(b.kappa.lower, abs=1e-9, nan_ok=True)  # NaN (with a note): a constant rater
    assert a.kappa.value <= 1 + 1e-12
    assert -1 <= a.kappa.lower <= a.kappa.upper <= 1 or (math.isnan(a.kappa.lower) and a.kappa.notes)


def test_perfect_agreement_gives_kappa_one():
    res = ds.agreement(raters=([1, 2, 3, 1, 2], [1, 2, 3, 1, 2]))
    assert res.kappa.value == pytest.approx(1.0) and res.percent_agreement.value == 1.0


def test_dataframe_labels_and_table():
    df = pd.DataFrame({"reader1": ["met", "met", "benign", None, "met"],
                       "reader2": ["met", "benign", "benign", "met", "met"]})
    with pytest.raises(ds.DataError, match="nan_policy='omit'"):
        ds.agreement(df, raters=("reader1", "reader2"))
    res = ds.agreement(df, raters=("reader1", "reader2"), nan_policy="omit")
    assert res.n == 4 and res.n_omitted == 1
    assert res.table.loc["met", "benign"] == 1 and res.table.to_numpy().sum() == 4
    assert "kappa" in str(res) and "<table" in res._repr_html_()
    assert list(res.to_frame()["measure"]) == ["kappa", "percent_agreement", "pabak", "bias_index",
                                               "prevalence_index"]


def test_bad_input():
    with pytest.raises(ds.DataError, match="at least two raters"):
        ds.agreement(raters=([1, 2],))
    with pytest.raises(ds.DataError, match="lengths differ"):
        ds.agreement(raters=([1, 2, 3], [1, 2]))
    with pytest.raises(ds.OptionError, match="weights='cubic'"):
        ds.agreement(raters=([1, 2], [1, 2]), weights="cubic")
    with pytest.raises(ds.DataError, match="needs ordered categories"):
        ds.agreement(raters=(["a", "b"], ["a", "c"]), weights="linear")
    with pytest.raises(ds.DataError, match="does not list"):
        ds.agreement(raters=(["a", "b"], ["a", "c"]), categories=["a", "b"])
    with pytest.raises(ds.DataError, match="is for two raters"):
        ds.agreement(raters=([1, 2], [1, 2], [2, 2]), weights="linear")


# --- issue #14 -----------------------------------------------------------------------------------

def test_booleans_and_zero_one_are_the_same_categories():
    # before: kappa 0 (CI 0 to 0) and a Pandas4Warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = ds.agreement(raters=([True, False, True, False], [1, 0, 1, 0]))
        assert res.kappa.value == pytest.approx(1.0)
        # before: "kappa undefined"
        res = ds.agreement(raters=([1, 0, 1, 0], [1, 0, 1, 0]), categories=[False, True])
    assert res.kappa.value == pytest.approx(1.0) and res.categories == (False, True)
    assert ds.agreement(raters=([1.0, 0.0, 1.0, 1.0], [1, 0, 0, 1])).kappa.value == pytest.approx(0.5)


def test_kappa_interval_is_kept_within_minus_one_and_one():
    # before: 0.339 to 1.161
    res = ds.agreement(raters=([1, 2, 3, 4, 5], [1, 2, 3, 4, 4]))
    assert res.kappa.value == pytest.approx(0.75) and res.kappa.upper == 1.0
    assert res.kappa.lower == pytest.approx(0.75 - (1.161 - 0.75), abs=2e-3)
    assert "kappa interval clipped to [-1, 1]" in res.kappa.notes[0]


def test_a_constant_rater_gives_kappa_zero_with_a_note():
    # before: kappa 0, CI 0 to 0, p NaN and no note
    res = ds.agreement(raters=([1, 1, 1, 1], [1, 0, 1, 0]))
    assert res.kappa.value == 0
    assert math.isnan(res.kappa.lower) and math.isnan(res.kappa_test.p_value)
    assert "rater1 gave every subject the same rating" in res.kappa.notes[0]
    assert res.notes == res.kappa.notes
    both = ds.agreement(raters=([1, 1, 1], [1, 1, 1]))
    assert math.isnan(both.kappa.value) and "kappa undefined" in both.notes[0]
    fleiss = ds.agreement(raters=([1, 1, 1], [1, 1, 1], [1, 1, 1]))
    assert math.isnan(fleiss.kappa_test.p_value) and "every rating is in one category" in fleiss.kappa.notes[-1]


def test_duplicate_categories_are_refused():
    # before: pandas' "Categorical categories must be unique"
    with pytest.raises(ds.DiagstatsError, match=r"categories=\[1, 1, 0\] lists 1 more than once"):
        ds.agreement(raters=([1, 0, 1, 0], [1, 0, 1, 0]), categories=[1, 1, 0])
    with pytest.raises(ds.DiagstatsError, match=r"categories=\[1, True\] lists True more than once"):
        ds.agreement(raters=([1, 0, 1, 0], [1, 0, 1, 0]), categories=[1, True])
