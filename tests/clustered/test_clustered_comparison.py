"""ds.compare_tests(cluster=): clustered McNemar tests, parity with Obuchowski (1998), and behaviour.

Parity source: Obuchowski NA. On the comparison of correlated proportions for clustered data. Stat Med
1998;17:1495-1507, PET vs SPECT for hyperparathyroidism (51 glands in 21 patients, all non-diseased, so
the comparison is of specificities); the data are clust.bin.pair's ``thyroids`` (MIT,
dgopstein/clust.bin.pair @ 8cb8774, one row per gland in ../shared/reference/public/thyroids.csv). The
statistics were published (paper; the package's tests and README; issue 18) to two decimals: McNemar 4.5,
Obuchowski 2.86, Durkalski 2.32, Eliasziw & Donner (1991) 3.66, Yang et al. (2010) 3.13. The R package is
not installed here, so they are matched as published.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import diagstats as ds
from diagstats.binary.clustered import ratio_variance
from diagstats.binary.clustered_comparison import (difference_variance, durkalski_statistic, eliasziw_statistic,
                                                   obuchowski_statistic, yang_statistic)
from diagstats.binary.clustered_intervals import ratio_interval
from diagstats.errors import DataError, OptionError

from ..public_data import published, read_public


@pytest.fixture(scope="module")
def thyroids() -> pd.DataFrame:
    return read_public("thyroids.csv")


def _thyroids(thyroids, method):
    return ds.compare_tests(thyroids, tests=("pet", "spect"), reference="reference", cluster="patient",
                            method=method)


def test_obuchowski_1998_pet_vs_spect(thyroids):
    res = _thyroids(thyroids, "obuchowski")
    assert res.specificity.statistic == published(2.86, 2)
    assert res.specificity.p_value == pytest.approx(stats.chi2.sf(res.specificity.statistic, 1), rel=1e-12)
    assert res.specificity.hypothesis_test.df == 1.0
    assert res.specificity.test_method == "Obuchowski (1998) clustered McNemar"
    naive = ds.compare_tests(thyroids, tests=("pet", "spect"), reference="reference")
    assert naive.specificity.statistic == published(4.5, 1)  # the published naive McNemar
    # 40 of 51 glands PET-negative, 46 SPECT-negative
    assert res.specificity.difference.value == pytest.approx(40 / 51 - 46 / 51, rel=1e-12)
    assert (res.n_clusters, res.first.n, res.cluster) == (21, 51, "patient")


def test_durkalski_2003_pet_vs_spect(thyroids):
    res = _thyroids(thyroids, "durkalski")
    assert res.specificity.statistic == published(2.32, 2)
    assert res.specificity.test_method == "Durkalski et al. (2003) clustered McNemar"


def test_eliasziw_donner_1991_pet_vs_spect(thyroids):
    res = _thyroids(thyroids, "eliasziw")
    assert res.specificity.statistic == published(3.66, 2)
    assert res.specificity.p_value == pytest.approx(stats.chi2.sf(res.specificity.statistic, 1), rel=1e-12)
    assert res.specificity.test_method == "Eliasziw & Donner (1991) ICC-adjusted McNemar"
    # McNemar's 4.5 deflated by the inflation factor 1 + rho sum S(S-1) / sum S, rho > 0 here
    assert res.specificity.statistic < 4.5


def test_yang_2010_pet_vs_spect(thyroids):
    res = _thyroids(thyroids, "yang")
    assert res.specificity.statistic == published(3.13, 2)
    assert res.specificity.test_method == "Yang et al. (2010) modified Obuchowski"
    # between Obuchowski's (null variance only) and the ratio estimator's (observed-difference variance only)
    diff = ds.compare_tests(thyroids, tests=("pet", "spect"), reference="reference", cluster="patient",
                            ci_method="wald").specificity.difference
    wald = (diff.value / ((diff.upper - diff.lower) / (2 * stats.norm.ppf(0.975)))) ** 2
    assert _thyroids(thyroids, "obuchowski").specificity.statistic < res.specificity.statistic < wald


def test_yang_statistic_by_its_formula():
    b, c, n = np.array([2, 0, 1, 0, 3]), np.array([0, 1, 0, 0, 1]), np.array([3, 2, 2, 1, 4])
    d, big_n = b - c, n.sum()
    centred = ((d - n * d.sum() / big_n) ** 2).sum()
    assert yang_statistic(b, c, n) == pytest.approx(4 / 5 * d.sum() ** 2 / ((centred + (d ** 2).sum()) / 2),
                                                    rel=1e-14)


def test_eliasziw_inflation_factor_by_hand():
    """Three clusters of four units each, (a, b, c, d) = (0, 3, 0, 1), (2, 0, 0, 2), (0, 2, 0, 2): every
    quantity of Eliasziw & Donner's section 4 written out."""
    cells = np.array([[0.0, 3, 0, 1], [2, 0, 0, 2], [0, 2, 0, 2]])
    pooled = np.array([2, 5, 0, 5]) / 12
    between = ((cells - 4 * pooled) ** 2).sum() / 4 / 3
    within = (cells * (4 - cells)).sum() / 4 / (12 - 3)
    rho_star = (between - within) / (between + 3 * within)  # n_0 = 4 for equal clusters
    assert rho_star > 0
    expected_rho = rho_star / (rho_star + 5 / 12 * (1 - rho_star))
    statistic, rho, note = eliasziw_statistic(cells)
    assert rho == pytest.approx(expected_rho, rel=1e-12) and note == ""
    # McNemar 5^2 / 5 over 1 + rho (3*2 + 2*1) / 5
    assert statistic == pytest.approx(5 / (1 + expected_rho * 8 / 5), rel=1e-12)


def test_eliasziw_negative_icc_is_set_to_zero_with_a_note():
    # every cluster has the same mix of cells: between-cluster variation 0, so the ANOVA ICC is negative
    cells = np.tile([1.0, 2, 1, 1], (5, 1))
    statistic, rho, note = eliasziw_statistic(cells)
    assert rho == 0.0 and statistic == pytest.approx((10 - 5) ** 2 / 15, rel=1e-12)
    assert "set to 0" in note and "McNemar" in note


def test_the_wald_difference_interval_is_the_ratio_estimator_whatever_the_test(thyroids):
    a, b, c, y = (ds.compare_tests(thyroids, tests=("pet", "spect"), reference="reference", cluster="patient",
                                   method=m, ci_method="wald") for m in ("obuchowski", "durkalski", "eliasziw", "yang"))
    assert a.specificity.difference == b.specificity.difference == c.specificity.difference == y.specificity.difference
    # the difference is the ratio estimator of sum(D_k) / sum(n_k), D_k = (SPECT-only) - (PET-only) correct
    g = thyroids.assign(d=thyroids.spect - thyroids.pet).groupby("patient")
    d, n = g["d"].sum().to_numpy(), g.size().to_numpy()
    se = np.sqrt(ratio_variance(d, n))
    z = stats.norm.ppf(0.975)
    diff = a.specificity.difference
    assert (diff.lower, diff.upper) == pytest.approx((diff.value - z * se, diff.value + z * se), rel=1e-12)
    assert diff.method == "Wald, ratio-estimator variance (Obuchowski 1998)"
    default = _thyroids(thyroids, "yang").specificity.difference
    assert default.method.startswith("MOVER") and default.value == diff.value and default.lower != diff.lower


def test_mover_difference_by_its_formula():
    """MOVER (Zou & Donner 2008) from each test's Korn-Graubard limits and the correlation of the two ratio
    estimators, computed here from the per-patient counts of units each test gets right."""
    d = _lesions()
    res = ds.compare_tests(d, tests=("mri", "ct"), reference="biopsy", cluster="patient", ci_method="mover")
    diseased = d[d.biopsy == 1].groupby("patient")
    y1, y2, n = diseased["mri"].sum().to_numpy(), diseased["ct"].sum().to_numpy(), diseased.size().to_numpy()
    k, total = n.size, n.sum()
    p1, p2 = y1.sum() / total, y2.sum() / total
    v1, v2 = ratio_variance(y1, n), ratio_variance(y2, n)
    cov = k / ((k - 1) * total ** 2) * np.sum((y1 - n * p1) * (y2 - n * p2))
    (l1, l2), (u1, u2) = ratio_interval([p1, p2], [v1, v2], [total, total], [k, k], 0.95, "korn_graubard")
    r = cov / np.sqrt(v1 * v2)
    lower = p1 - p2 - np.sqrt((p1 - l1) ** 2 - 2 * r * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
    upper = p1 - p2 + np.sqrt((u1 - p1) ** 2 - 2 * r * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2)
    diff = res.sensitivity.difference
    assert diff.value == pytest.approx(p1 - p2, rel=1e-12)
    assert (diff.lower, diff.upper) == pytest.approx((lower, upper), rel=1e-12)
    assert diff.method == "MOVER from Korn-Graubard limits (Zou & Donner 2008)"
    wald = ds.compare_tests(d, tests=("mri", "ct"), reference="biopsy", cluster="patient", ci_method="wald")
    assert wald.sensitivity.statistic == res.sensitivity.statistic  # the test does not depend on the interval
    default = ds.compare_tests(d, tests=("mri", "ct"), reference="biopsy", cluster="patient")
    assert default.sensitivity.difference == diff
    assert wald.sensitivity.difference.lower != diff.lower


def test_mover_stays_within_bounds_where_wald_is_clipped():
    """Every unit right by the first test and wrong by the second in most patients: the difference is near 1,
    where the Wald interval leaves [-1, 1]; MOVER's limits are those of the two proportions, inside it."""
    pid = np.repeat(np.arange(12), 3)
    ct = np.zeros(pid.size, dtype=int)
    ct[[0, 1, 2]] = 1  # the first patient's three units
    d = pd.DataFrame({"patient": pid, "biopsy": 1, "mri": 1, "ct": ct})
    wald = ds.compare_tests(d, tests=("mri", "ct"), reference="biopsy", cluster="patient", ci_method="wald")
    assert wald.sensitivity.difference.upper == 1 and "clipped to [-1, 1]" in wald.sensitivity.notes[0]
    mover = ds.compare_tests(d, tests=("mri", "ct"), reference="biopsy", cluster="patient")
    diff = mover.sensitivity.difference
    assert diff.value == pytest.approx(11 / 12)
    assert -1 < diff.lower < diff.value < diff.upper < 1 and not mover.sensitivity.notes


def test_statistics_by_their_formulas():
    b, c, n = np.array([2, 0, 1, 0, 3]), np.array([0, 1, 0, 0, 1]), np.array([3, 2, 2, 1, 4])
    d = b - c
    assert obuchowski_statistic(b, c) == pytest.approx(4 / 5 * d.sum() ** 2 / (d ** 2).sum(), rel=1e-14)
    assert durkalski_statistic(b, c, n) == pytest.approx((d / n).sum() ** 2 / ((d / n) ** 2).sum(), rel=1e-14)
    p = d.sum() / n.sum()
    assert difference_variance(b, c, n) == pytest.approx(5 / (4 * n.sum() ** 2) * ((d - n * p) ** 2).sum(),
                                                         rel=1e-14)
    assert np.isnan(difference_variance(b[:1], c[:1], n[:1]))


def _lesions(seed=1, patients=40):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 5, patients)
    pid = np.repeat(np.arange(patients), sizes)
    frailty = rng.normal(0, 1, patients)[pid]
    disease = rng.random(pid.size) < 0.4
    mri = rng.random(pid.size) < np.where(disease, 0.85, 0.15) + 0.05 * frailty
    ct = rng.random(pid.size) < np.where(disease, 0.7, 0.1) + 0.05 * frailty
    return pd.DataFrame({"patient": pid, "mri": mri.astype(int), "ct": ct.astype(int), "biopsy": disease.astype(int)})


def test_one_unit_per_cluster_gives_mcnemar():
    """With singleton clusters D_k is -1, 0 or 1: Durkalski's and Eliasziw & Donner's statistics are
    McNemar's and Obuchowski's is (K - 1) / K of it, K the units of the class."""
    d = _lesions().assign(unit=lambda x: np.arange(len(x)))
    naive = ds.compare_tests(d, tests=("mri", "ct"), reference="biopsy")
    durk = ds.compare_tests(d, tests=("mri", "ct"), reference="biopsy", cluster="unit", method="durkalski")
    eliasziw = ds.compare_tests(d, tests=("mri", "ct"), reference="biopsy", cluster="unit", method="eliasziw")
    assert eliasziw.sensitivity.statistic == pytest.approx(naive.sensitivity.statistic, rel=1e-12)
    obu = ds.compare_tests(d, tests=("mri", "ct"), reference="biopsy", cluster="unit")
    k = int(d.biopsy.sum())
    assert durk.sensitivity.statistic == pytest.approx(naive.sensitivity.statistic, rel=1e-12)
    assert durk.specificity.statistic == pytest.approx(naive.specificity.statistic, rel=1e-12)
    assert obu.sensitivity.statistic == pytest.approx((k - 1) / k * naive.sensitivity.statistic, rel=1e-12)
    assert obu.sensitivity.difference.value == naive.sensitivity.difference.value


def test_clustered_result_contract_and_printout():
    res = ds.compare_tests(_lesions(), tests=("mri", "ct"), reference="biopsy", cluster="patient")
    assert isinstance(res.first, ds.ClusteredAccuracyResult) and res.first.n_clusters == 40
    text = str(res)
    assert "Paired clustered comparison of mri with ct" in text and "units in 40 clusters" in text
    frame = res.to_frame()
    assert frame.loc[frame.measure == "sensitivity", "test_method"].item() == "Obuchowski (1998) clustered McNemar"
    assert np.isnan(res.ppv.estimate.value) and "no clustered comparison" in res.ppv.notes[0]
    json.dumps(res.to_dict(), allow_nan=False)
    same = ds.compare_tests(tests=(_lesions().mri.to_numpy(), _lesions().ct.to_numpy()),
                            reference=_lesions().biopsy.to_numpy(), cluster=_lesions().patient.to_numpy())
    assert same.sensitivity.statistic == res.sensitivity.statistic and same.cluster is None


def test_no_discordant_units_gives_p_one_with_a_note():
    d = _lesions().assign(ct=lambda x: x.mri)
    res = ds.compare_tests(d, tests=("mri", "ct"), reference="biopsy", cluster="patient")
    assert (res.sensitivity.statistic, res.sensitivity.p_value, res.sensitivity.difference.value) == (0.0, 1.0, 0.0)
    assert "agree" in res.sensitivity.notes[0]


def test_a_class_in_one_cluster_is_undefined_and_says_so():
    d = _lesions().assign(biopsy=lambda x: (x.patient == 0).astype(int))
    res = ds.compare_tests(d, tests=("mri", "ct"), reference="biopsy", cluster="patient")
    assert np.isnan(res.sensitivity.statistic) and "1 cluster with diseased units" in res.sensitivity.notes[0]
    assert not np.isnan(res.specificity.statistic)


def test_bad_input_is_refused_naming_the_argument():
    d = _lesions()
    kw = dict(tests=("mri", "ct"), reference="biopsy")
    with pytest.raises(OptionError, match="method"):
        ds.compare_tests(d, **kw, cluster="patient", method="eliasziw_typo")
    with pytest.raises(OptionError, match="cluster="):
        ds.compare_tests(d, **kw, method="obuchowski")
    with pytest.raises(OptionError, match="ci_method"):
        ds.compare_tests(d, **kw, cluster="patient", ci_method="tango")
    with pytest.raises(OptionError, match="paired"):
        ds.compare_tests(d, **kw, cluster="patient", paired=False)
    with pytest.raises(DataError, match="at least 2 clusters"):
        ds.compare_tests(d.assign(one=1), **kw, cluster="one")
    missing = d.astype({"patient": object})
    missing.loc[3, "patient"] = None
    with pytest.raises(DataError, match="cluster 'patient'"):
        ds.compare_tests(missing, **kw, cluster="patient")
    res = ds.compare_tests(missing, **kw, cluster="patient", nan_policy="omit")
    assert res.n_omitted == 1 and res.first.n == len(d) - 1
    with pytest.raises(DataError, match="cluster"):
        ds.compare_tests(tests=([1, 0, 1], [1, 1, 0]), reference=[1, 0, 1], cluster=[1, 2])
    acc = ds.accuracy(tp=5, fp=1, fn=2, tn=9)
    with pytest.raises(DataError, match="cluster="):
        ds.compare_tests(tests=(acc, acc), cluster=[1, 2])
