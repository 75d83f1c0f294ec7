"""ds.roc(cluster=) and ds.compare_roc of clustered curves: Obuchowski's (1997) clustered AUC variance.

Obuchowski NA. Nonparametric analysis of clustered ROC curve data. Biometrics 1997;53:567-578. Her
example (65 arteries in 36 patients, two readers: AUCs 0.9837 and 0.9852, SE 0.0108 and 0.0097,
difference SE 0.0066, p 0.8271) could not be found as data (not in the paper's public material, the
CC0 function's documentation or NCSS's), so the method is checked here three ways instead:
against the O(n^2) definitions of the paper written out pair by pair, against DeLong's variance
when every cluster has one unit (they must agree exactly), and against the cluster bootstrap on
simulated clustered data.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import diagstats as ds
from diagstats.errors import DataError, OptionError
from diagstats.roc_analysis.clustered_auc import clustered_auc_covariance


def _clustered_data(seed=0, patients=150, shift=1.0):
    """Patients with 1 to 5 units, a patient-level random effect on both the disease and the scores."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 6, patients)
    pid = np.repeat(np.arange(patients), sizes)
    frailty = rng.normal(0, 1, patients)[pid]
    disease = rng.random(pid.size) < 1 / (1 + np.exp(-(frailty - 0.3)))
    reader = rng.normal(0, 1.5, patients)[pid]
    s1 = shift * disease + reader + rng.normal(0, 1, pid.size)
    s2 = 0.7 * shift * disease + reader + rng.normal(0, 1, pid.size)
    return pd.DataFrame({"patient": pid, "disease": disease.astype(int), "s1": s1, "s2": s2})


def _psi(x, y):
    return (x > y) + 0.5 * (x == y)


def _by_definition(d, scores):
    """Obuchowski's (1997) S10, S01, S11 and covariance matrix, pair by pair and cluster by cluster."""
    cases, controls = d[d.disease == 1], d[d.disease == 0]
    m, n = len(cases), len(controls)
    ids = np.unique(d.patient)
    i10, i01, i_all = cases.patient.nunique(), controls.patient.nunique(), len(ids)
    out = np.zeros((2, 2))
    parts = {}
    for r, a in enumerate(scores):
        for s, b in enumerate(scores):
            auc_a = _psi(cases[a].to_numpy()[:, None], controls[a].to_numpy()[None, :]).mean()
            auc_b = _psi(cases[b].to_numpy()[:, None], controls[b].to_numpy()[None, :]).mean()
            u, w = {}, {}
            for score, auc in ((a, auc_a), (b, auc_b)):
                v10 = _psi(cases[score].to_numpy()[:, None], controls[score].to_numpy()[None, :]).mean(axis=1)
                v01 = _psi(cases[score].to_numpy()[:, None], controls[score].to_numpy()[None, :]).mean(axis=0)
                u[score] = np.array([v10[cases.patient.to_numpy() == i].sum() - (cases.patient == i).sum() * auc
                                     for i in ids])
                w[score] = np.array([v01[controls.patient.to_numpy() == i].sum() - (controls.patient == i).sum() * auc
                                     for i in ids])
            s10 = i10 / ((i10 - 1) * m) * np.sum(u[a] * u[b])
            s01 = i01 / ((i01 - 1) * n) * np.sum(w[a] * w[b])
            s11_ab = i_all / (i_all - 1) * np.sum(u[a] * w[b])
            s11_ba = i_all / (i_all - 1) * np.sum(u[b] * w[a])
            out[r, s] = s10 / m + s01 / n + (s11_ab + s11_ba) / (m * n)
            parts[(r, s)] = (s10, s01, s11_ab)
    return out, parts


def test_variance_and_covariance_equal_the_papers_definitions():
    d = _clustered_data(patients=40)
    expected, _ = _by_definition(d, ("s1", "s2"))
    r1 = ds.roc(data=d, reference="disease", score="s1", cluster="patient")
    r2 = ds.roc(data=d, reference="disease", score="s2", cluster="patient")
    assert r1.auc_variance() == pytest.approx(expected[0, 0], rel=1e-12)
    assert r2.auc_variance() == pytest.approx(expected[1, 1], rel=1e-12)
    v = [r.placements() for r in (r1, r2)]
    codes = r1.clusters
    cov = clustered_auc_covariance([v[0][0], v[1][0]], [v[0][1], v[1][1]], codes[r1.reference],
                                   codes[~r1.reference], r1.n_clusters)
    assert cov == pytest.approx(expected, rel=1e-12)
    test = ds.compare_roc(r1, r2)
    se = np.sqrt(expected[0, 0] + expected[1, 1] - 2 * expected[0, 1])
    assert test.statistic == pytest.approx((r1.auc.value - r2.auc.value) / se, rel=1e-12)
    assert test.p_value == pytest.approx(2 * stats.norm.sf(abs(test.statistic)), rel=1e-12)
    assert test.method == "Obuchowski (1997) clustered (paired)"


def test_one_unit_per_cluster_is_delong_exactly():
    d = _clustered_data(seed=3).assign(unit=lambda x: np.arange(len(x)))
    plain = [ds.roc(data=d, reference="disease", score=s) for s in ("s1", "s2")]
    clustered = [ds.roc(data=d, reference="disease", score=s, cluster="unit") for s in ("s1", "s2")]
    for p, c in zip(plain, clustered):
        assert c.auc_variance() == pytest.approx(p.auc_variance("delong"), rel=1e-12)
        assert c.auc.value == p.auc.value
    assert ds.compare_roc(*clustered).statistic == pytest.approx(ds.compare_roc(*plain).statistic, rel=1e-12)
    assert any("not clustered" in n for n in clustered[0].notes)


def test_variance_agrees_with_the_cluster_bootstrap():
    """The cluster bootstrap (whole patients resampled; a plain loop here, 1000 replicates) estimates the same
    variance. Tolerance 15%: the Monte Carlo error of a variance from 1000 replicates is about 4.5%."""
    d = _clustered_data(seed=5, patients=200)
    res = ds.roc(data=d, reference="disease", score="s1", cluster="patient")
    naive = ds.roc(data=d, reference="disease", score="s1")
    rng = np.random.default_rng(11)
    groups = [g for _, g in d.groupby("patient")]
    aucs = []
    for _ in range(1000):
        sample = pd.concat([groups[i] for i in rng.integers(0, len(groups), len(groups))])
        y, s = sample.disease.to_numpy() == 1, sample.s1.to_numpy()
        aucs.append(_psi(s[y][:, None], s[~y][None, :]).mean())
    boot = np.var(aucs, ddof=1)
    assert res.auc_variance() == pytest.approx(boot, rel=0.15)
    assert res.auc_variance() > 1.3 * naive.auc_variance()  # the clusters matter in these data


def test_logit_interval_stays_inside_zero_one():
    d = _clustered_data(seed=2, patients=30, shift=4.0)
    res = ds.roc(data=d, reference="disease", score="s1", cluster="patient")
    a, se = res.auc.value, np.sqrt(res.auc_variance())
    z = stats.norm.ppf(0.975)
    logit = np.log(a / (1 - a))
    expected = [1 / (1 + np.exp(-(logit + k * z * se / (a * (1 - a))))) for k in (-1, 1)]
    assert (res.auc.lower, res.auc.upper) == pytest.approx(expected, rel=1e-12)
    assert 0 < res.auc.lower < a < res.auc.upper < 1
    assert res.auc.method == "Obuchowski (1997) clustered, logit"
    narrower = res.confidence_interval(level=0.8).auc
    assert res.auc.lower < narrower.lower and narrower.level == 0.8


def test_clustered_curve_contract_and_refusals():
    d = _clustered_data(seed=1, patients=30)
    res = ds.roc(data=d, reference="disease", score="s1", cluster="patient")
    assert isinstance(res, ds.ClusteredROCResult) and res.n_clusters == 30 and res.cluster == "patient"
    text = str(res)
    assert "units clustered in patients" in text and "30 clusters" in text
    json.dumps(res.to_dict(), allow_nan=False)
    same = ds.roc(d.disease.to_numpy(), d.s1.to_numpy(), cluster=d.patient.to_numpy())
    assert same.auc == res.auc
    with pytest.raises(OptionError, match="independent"):
        res.sensitivity_at(0.9)
    assert np.isnan(res.sensitivity_at(0.9, n_boot=None).lower)
    with pytest.raises(OptionError, match="method"):
        res.auc_ci("delong")
    with pytest.raises(OptionError, match="ci=False"):
        res.plot(ci=True)


def test_bad_input_is_refused_naming_the_argument():
    d = _clustered_data(seed=1, patients=30)
    kw = dict(data=d, reference="disease", score="s1")
    with pytest.raises(DataError, match="at least 2 clusters"):
        ds.roc(data=d.assign(one=1), reference="disease", score="s1", cluster="one")
    missing = d.astype({"patient": object})
    missing.loc[4, "patient"] = None
    with pytest.raises(DataError, match="cluster 'patient'"):
        ds.roc(data=missing, reference="disease", score="s1", cluster="patient")
    assert ds.roc(data=missing, reference="disease", score="s1", cluster="patient", nan_policy="omit").n_omitted == 1
    with pytest.raises(DataError, match="cluster"):
        ds.roc([0, 1, 0, 1], [1, 2, 3, 4], cluster=[1, 1, 2])
    r1 = ds.roc(**kw, cluster="patient")
    plain = ds.roc(data=d, reference="disease", score="s2")
    with pytest.raises(DataError, match="cluster="):
        ds.compare_roc(r1, plain)
    r2 = ds.roc(data=d, reference="disease", score="s2", cluster="patient")
    with pytest.raises(OptionError, match="method"):
        ds.compare_roc(r1, r2, method="delong")
    with pytest.raises(OptionError, match="paired"):
        ds.compare_roc(r1, r2, paired=False)
    with pytest.raises(OptionError, match="Partial"):
        ds.compare_roc(r1, r2, specificity=(0.8, 1.0))
    with pytest.raises(OptionError, match="cluster="):
        ds.compare_roc(ds.roc(data=d, reference="disease", score="s1"), plain, method="obuchowski")
    other = ds.roc(data=d.assign(patient=d.patient // 2), reference="disease", score="s2", cluster="patient")
    with pytest.raises(DataError, match="same units"):
        ds.compare_roc(r1, other)
