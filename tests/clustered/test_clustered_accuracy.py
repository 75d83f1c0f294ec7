"""ds.accuracy(cluster=): parity with the Genders et al. (2012) tutorial, and behaviour.

Parity source: Genders TSS, Spronk S, Stijnen T, Steyerberg EW, Lesaffre E, Hunink MGM. Methods for
calculating sensitivity and specificity of clustered data: a tutorial. Radiology 2012;262:844-851.
Its CT coronary angiography example (50 patients, 702 segments) is reproduced, with the tutorial's
supplementary results matched exactly, by K. Tamasi's DiagTestCluster
(github.com/KataTam/DiagTestCluster @ 3047aaf: ``Outputs/Results``, printed by
``Script/Advanced_screening_diagnostics_Tamasi_website.R``); the numbers below are copied from that
output, in percent. The tutorial and the script use z = 1.96, so the bounds are compared at the level
whose two-sided z is exactly 1.96 (0.9500042...), and the standard errors at the 0.95 level.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import diagstats as ds
from diagstats.binary.clustered import icc, ratio_variance
from diagstats.binary.clustered_gee import gee_exchangeable
from diagstats.errors import ColumnError, DataError, OptionError

from ..public_data import PUBLIC

GENDERS = PUBLIC / "genders_segments.csv"
needs_genders = pytest.mark.skipif(not GENDERS.exists(), reason=f"{GENDERS} is absent (the shared public data "
                                                                 "folder beside the repository)")
Z196_LEVEL = float(2 * stats.norm.cdf(1.96) - 1)  # the level at which diagstats' z is the tutorial's 1.96


@pytest.fixture(scope="module")
def genders() -> pd.DataFrame:
    return pd.read_csv(GENDERS)


def _pct(estimate):
    return 100 * estimate.value, 100 * estimate.lower, 100 * estimate.upper


# ------------------------------------------------------------------------------------- parity

@needs_genders
def test_genders_counts_and_point_estimates(genders):
    res = ds.accuracy(data=genders, test="test", reference="reference", cluster="patient")
    # published segment-level table: TP 50, FN 43, FP 71, TN 538 in 50 patients
    assert (res.tp, res.fn, res.fp, res.tn, res.n_clusters) == (50, 43, 71, 538, 50)
    # published Se 53.763440860215 %, Sp 88.3415435139573 %
    assert 100 * res.sensitivity.value == pytest.approx(53.763440860215, rel=1e-12)
    assert 100 * res.specificity.value == pytest.approx(88.3415435139573, rel=1e-12)


@needs_genders
def test_genders_ratio_estimator_intervals(genders):
    """Published "Ratio estimator": Se 41.356309634791 to 66.1705720856391, Sp 85.4956238286838 to
    91.1874631992308 (Genders et al. 2012 main text, rounded: 41.36 to 66.17 and 85.50 to 91.19). They are
    Wald intervals: ``ratio_interval="wald"`` (the default is Korn & Graubard's, see below)."""
    res = ds.accuracy(data=genders, test="test", reference="reference", cluster="patient", level=Z196_LEVEL,
                      ratio_interval="wald")
    _, lo, hi = _pct(res.sensitivity)
    assert (lo, hi) == pytest.approx((41.356309634791, 66.1705720856391), rel=1e-9)
    _, lo, hi = _pct(res.specificity)
    assert (lo, hi) == pytest.approx((85.4956238286838, 91.1874631992308), rel=1e-9)
    assert res.sensitivity.method == "ratio estimator (Genders 2012)"
    # at the usual 0.95 level: the same standard error, z = 1.959964 instead of 1.96
    res95 = ds.accuracy(data=genders, test="test", reference="reference", cluster="patient", ratio_interval="wald")
    se_published = (66.1705720856391 - 41.356309634791) / (2 * 1.96) / 100
    assert (res95.sensitivity.upper - res95.sensitivity.lower) / (2 * stats.norm.ppf(0.975)) == pytest.approx(
        se_published, rel=1e-9)
    assert round(100 * res95.sensitivity.lower, 2) == 41.36 and round(100 * res95.sensitivity.upper, 2) == 66.17
    assert round(100 * res95.specificity.lower, 2) == 85.50 and round(100 * res95.specificity.upper, 2) == 91.19


@needs_genders
def test_genders_icc_and_design_effect(genders):
    """Published ICCs 0.182695289206917 (diseased) and 0.0186499162982986 (non-diseased); the design effect
    (the tutorial's variance inflation factor) is checked through the published "VIF" intervals,
    p -+ 1.96 sqrt(p (1 - p) / n) sqrt(VIF): Se 41.5206497546608 to 66.0062319657693, Sp 85.5242267625205
    to 91.1588602653941."""
    res = ds.accuracy(data=genders, test="test", reference="reference", cluster="patient")
    assert res.icc["diseased"] == pytest.approx(0.182695289206917, rel=1e-12)
    assert res.icc["non_diseased"] == pytest.approx(0.0186499162982986, rel=1e-12)
    for p, n, key, published in ((50 / 93, 93, "diseased", (41.5206497546608, 66.0062319657693)),
                                 (538 / 609, 609, "non_diseased", (85.5242267625205, 91.1588602653941))):
        half = 1.96 * np.sqrt(p * (1 - p) / n) * np.sqrt(res.design_effect[key])
        assert (100 * (p - half), 100 * (p + half)) == pytest.approx(published, rel=1e-12)


@needs_genders
def test_genders_patient_level(genders):
    """Published patient-level table TP 35, FN 3, FP 5, TN 7, with "Binomial (Exact)" Se 92.1052631578947
    (78.6226708819382 to 98.341352413547) and Sp 58.3333333333333 (27.6669685682106 to 84.834777019157)."""
    pl = ds.accuracy(data=genders, test="test", reference="reference", cluster="patient").patient_level
    assert (pl.tp, pl.fn, pl.fp, pl.tn) == (35, 3, 5, 7)
    exact = pl.confidence_interval(method="clopper_pearson")
    assert _pct(exact.sensitivity) == pytest.approx((92.1052631578947, 78.6226708819382, 98.341352413547), rel=1e-9)
    assert _pct(exact.specificity) == pytest.approx((58.3333333333333, 27.6669685682106, 84.834777019157), rel=1e-9)


@needs_genders
def test_genders_cluster_bootstrap_is_close_to_the_published_one(genders):
    """Published "Cluster bootstrap" (R ClusterBootstrap, another random stream): Se 41.00 to 65.66, Sp 85.48
    to 91.10. Tolerance: 1.5 percentage points per bound (Monte Carlo error of 2000 replicates and a different
    generator). The published PPV/NPV bootstrap bounds (32.99 to 49.74, 90.72 to 94.39) are narrower than
    every other clustered method in that output and than its own "single model" bootstrap (31.31 to 51.60,
    89.70 to 95.20), so they are not used here."""
    res = ds.accuracy(data=genders, test="test", reference="reference", cluster="patient", ci_method="bootstrap",
                      progress=False)
    assert 100 * res.sensitivity.lower == pytest.approx(41.00, abs=1.5)
    assert 100 * res.sensitivity.upper == pytest.approx(65.66, abs=1.5)
    assert 100 * res.specificity.lower == pytest.approx(85.48, abs=1.5)
    assert 100 * res.specificity.upper == pytest.approx(91.10, abs=1.5)


# ------------------------------------------------------------------------------------ behaviour

def _tiny() -> pd.DataFrame:
    return pd.DataFrame({"patient": ["a", "a", "a", "b", "b", "c", "c", "d", "e", "e", "f", "f"],
                         "mri": [1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0],
                         "biopsy": [1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 1]})


def test_ratio_variance_equals_the_direct_formula():
    # diseased units per patient: a 2 of 3 positive, b 1 of 1, c 0 of 1, f 1 of 2 (d and e have none)
    a, n = np.array([2, 1, 0, 1]), np.array([3, 1, 1, 2])
    p, m = 4 / 7, 4
    n_bar = 7 / 4
    direct = sum((ni / n_bar) ** 2 * (ai / ni - p) ** 2 for ai, ni in zip(a, n)) / (m * (m - 1))
    assert ratio_variance(a, n) == pytest.approx(direct, rel=1e-14)
    assert ratio_variance(np.r_[a, 0], np.r_[n, 0]) == pytest.approx(direct, rel=1e-14)  # empty clusters don't count
    res = ds.accuracy(data=_tiny(), test="mri", reference="biopsy", cluster="patient", ratio_interval="wald")
    z = stats.norm.ppf(0.975)
    assert res.sensitivity.value == pytest.approx(p)
    assert (res.sensitivity.lower, res.sensitivity.upper) == pytest.approx((p - z * np.sqrt(direct),
                                                                            p + z * np.sqrt(direct)), rel=1e-12)
    # the default, Korn & Graubard (1998): Clopper-Pearson limits of x* = p n*_df in n*_df trials, with Kish's
    # effective size n* = p (1 - p) / var shrunk by (z / t_{m-1})^2 for the m = 4 contributing patients
    n_df = p * (1 - p) / direct * (z / stats.t.ppf(0.975, m - 1)) ** 2
    default = ds.accuracy(data=_tiny(), test="mri", reference="biopsy", cluster="patient")
    assert (default.sensitivity.lower, default.sensitivity.upper) == pytest.approx(
        (stats.beta.ppf(0.025, p * n_df, (1 - p) * n_df + 1), stats.beta.ppf(0.975, p * n_df + 1, (1 - p) * n_df)),
        rel=1e-12)
    assert default.sensitivity.method == "ratio estimator, Korn-Graubard"
    # Fleiss's ICC by its formula, for the same clusters
    num = sum(ai * (ai - 1) - 2 * p * (ni - 1) * ai + ni * (ni - 1) * p * p for ai, ni in zip(a, n))
    den = sum(ni * (ni - 1) * p * (1 - p) for ni in n)
    assert icc(a, n) == pytest.approx(num / den, rel=1e-14)
    assert res.icc["diseased"] == pytest.approx(num / den, rel=1e-14)
    n_w = sum(n ** 2) / sum(n)
    assert res.design_effect["diseased"] == pytest.approx(1 + (n_w - 1) * num / den, rel=1e-14)


def test_patient_level_is_any_positive_vs_any_diseased():
    pl = ds.accuracy(data=_tiny(), test="mri", reference="biopsy", cluster="patient").patient_level
    # a: +,D  b: +,D  c: -,D  d: +,-  e: -,-  f: +,D
    assert (pl.tp, pl.fp, pl.fn, pl.tn) == (3, 1, 1, 1)
    assert isinstance(pl, ds.AccuracyResult) and not isinstance(pl, ds.ClusteredAccuracyResult)


def test_all_unique_clusters_reproduce_the_unclustered_point_estimates():
    d = _tiny().assign(unit=np.arange(12))
    plain = ds.accuracy(data=d, test="mri", reference="biopsy")
    res = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="unit")
    for m in ("sensitivity", "specificity", "ppv", "npv", "lr_positive", "lr_negative", "dor", "accuracy",
              "youden", "prevalence"):
        assert getattr(res, m).value == getattr(plain, m).value, m
    assert (res.tp, res.fp, res.fn, res.tn) == (plain.tp, plain.fp, plain.fn, plain.tn)
    assert dict(res.design_effect) == {"diseased": 1.0, "non_diseased": 1.0}
    assert any("not clustered" in n for n in res.notes)
    pl = res.patient_level
    assert (pl.tp, pl.fp, pl.fn, pl.tn) == (plain.tp, plain.fp, plain.fn, plain.tn)


def test_arrays_give_the_same_result_as_columns():
    d = _tiny()
    by_name = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="patient")
    by_array = ds.accuracy(test=d["mri"].to_numpy(), reference=d["biopsy"].to_numpy(),
                           cluster=d["patient"].to_numpy())
    assert by_name.to_frame().equals(by_array.to_frame())
    assert by_name.cluster == "patient" and by_array.cluster is None


def test_cluster_bootstrap_is_reproducible_with_a_seed():
    kw = dict(data=_tiny(), test="mri", reference="biopsy", cluster="patient", ci_method="bootstrap",
              n_boot=500, progress=False)
    a, b, c = ds.accuracy(**kw, seed=3), ds.accuracy(**kw, seed=3), ds.accuracy(**kw, seed=4)
    assert json.dumps(a.to_dict(), allow_nan=False) == json.dumps(b.to_dict(), allow_nan=False)
    assert a.to_frame()["lower"].tolist() != c.to_frame()["lower"].tolist()
    assert a.n_boot == 500 and a.seed == "seed 3" and a.sensitivity.method == "cluster bootstrap percentile"
    assert a.sensitivity.lower <= a.sensitivity.value <= a.sensitivity.upper


def test_printout_and_notes_say_it_is_clustered():
    res = ds.accuracy(data=_tiny(), test="mri", reference="biopsy", cluster="patient")
    text = str(res)
    assert "12 units in 6 clusters" in text and "design effect" in text and "ICC" in text
    assert "patient level (6 patients" in text
    assert res.notes[0].startswith("6 clusters, 12 units (1 to 3 per cluster); intervals of the proportions account")
    assert res.lr_positive.method == "ratio estimator, linearised (log scale)"
    gee = ds.accuracy(data=_tiny(), test="mri", reference="biopsy", cluster="patient", ci_method="gee")
    assert np.isnan(gee.lr_positive.lower) and "no clustered interval" in " ".join(gee.lr_positive.notes)
    out = res.to_dict()
    json.dumps(out, allow_nan=False)
    assert out["n_clusters"] == 6 and out["patient_level"]["tp"] == 3 and set(out["icc"]) == {"diseased",
                                                                                              "non_diseased"}


def test_list_of_tests_with_cluster():
    d = _tiny().assign(ct=[1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 1])
    table = ds.accuracy(data=d, test=["mri", "ct"], reference="biopsy", cluster="patient")
    assert all(isinstance(r, ds.ClusteredAccuracyResult) for r in table)


def test_unclustered_call_is_unchanged():
    res = ds.accuracy(data=_tiny(), test="mri", reference="biopsy")
    assert type(res) is ds.AccuracyResult and res.ci_method == "wilson"


# ------------------------------------------------------------------------------------ bad input

def test_cluster_with_counts_is_refused():
    with pytest.raises(DataError, match="cluster="):
        ds.accuracy(tp=5, fp=1, fn=2, tn=9, cluster="patient")


def test_missing_cluster_id_is_missing_data():
    d = _tiny().astype({"patient": object})
    d.loc[2, "patient"] = None
    with pytest.raises(DataError, match="cluster 'patient'"):
        ds.accuracy(data=d, test="mri", reference="biopsy", cluster="patient")
    res = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="patient", nan_policy="omit")
    assert res.n_omitted == 1 and res.n == 11
    with pytest.raises(DataError, match="cluster"):
        ds.accuracy(test=d["mri"].to_numpy(), reference=d["biopsy"].to_numpy(),
                    cluster=np.array([1, 1, np.nan, 2, 2, 3, 3, 4, 5, 5, 6, 6]))


def test_one_cluster_is_refused():
    with pytest.raises(DataError, match="at least 2 clusters"):
        ds.accuracy(data=_tiny().assign(one=1), test="mri", reference="biopsy", cluster="one")


def test_a_measure_from_one_cluster_has_no_interval_and_says_so():
    d = _tiny().assign(biopsy=[1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])  # only patient a has diseased units
    res = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="patient")
    assert np.isnan(res.sensitivity.lower) and "fewer than 2 clusters" in res.sensitivity.notes[0]
    assert not np.isnan(res.specificity.lower)


def test_bad_options_are_refused_naming_them():
    kw = dict(data=_tiny(), test="mri", reference="biopsy")
    with pytest.raises(OptionError, match="ci_method"):
        ds.accuracy(**kw, cluster="patient", ci_method="wilson")
    with pytest.raises(OptionError, match="cluster="):
        ds.accuracy(**kw, ci_method="ratio")
    for bad in (["wilson"], ["ratio"], 1):  # unhashable or not a string: refused, not a TypeError (fuzz)
        with pytest.raises(OptionError, match="ci_method"):
            ds.accuracy(tp=5, fp=1, fn=2, tn=9, ci_method=bad)
        with pytest.raises(OptionError, match="ci_method"):
            ds.accuracy(**kw, cluster="patient", ci_method=bad)
    with pytest.raises(OptionError, match="n_boot"):
        ds.accuracy(**kw, cluster="patient", ci_method="bootstrap", n_boot=0)
    with pytest.raises(OptionError, match="seed"):
        ds.accuracy(**kw, cluster="patient", ci_method="bootstrap", seed=-1)
    with pytest.raises(ColumnError):
        ds.accuracy(**kw, cluster="patinet")
    with pytest.raises(DataError, match="cluster"):
        ds.accuracy(test=[1, 0, 1], reference=[1, 0, 0], cluster=[1, 1])
    with pytest.raises(OptionError):
        ds.accuracy(data=_tiny(), test="mri", reference="biopsy", cluster="patient").confidence_interval(0.9)


# ------------------------------------------------------------------------------------ GEE

GEE_FIXTURE = Path(__file__).resolve().parents[1] / "reference" / "clustered"


def _geepack() -> dict:
    return json.loads((GEE_FIXTURE / "geepack_gee.json").read_text())


def _check_gee(res, expected):
    """Estimate, and the robust SE of logit(p) recovered from the interval, against geepack."""
    z = stats.norm.ppf(0.5 + res.level / 2)
    for measure in ("sensitivity", "specificity"):
        e, ref = getattr(res, measure), expected[measure]
        assert e.value == pytest.approx(ref["estimate"], rel=1e-6)
        se = (np.log(e.upper / (1 - e.upper)) - np.log(e.lower / (1 - e.lower))) / (2 * z)
        assert se == pytest.approx(ref["se"], rel=1e-6)
        centre = (np.log(e.upper / (1 - e.upper)) + np.log(e.lower / (1 - e.lower))) / 2
        assert centre == pytest.approx(ref["beta"], rel=1e-6)


def test_gee_matches_geepack_on_lesions_with_a_negative_working_correlation():
    d = pd.read_csv(GEE_FIXTURE / "gee_lesions.csv")
    res = ds.accuracy(data=d, test="test", reference="reference", cluster="patient", ci_method="gee")
    expected = _geepack()["gee_lesions"]
    _check_gee(res, expected)
    assert expected["sensitivity"]["alpha"] < 0  # the fixture covers a negative exchangeable correlation
    diseased = d[d.reference == 1]
    fit = gee_exchangeable(diseased.groupby("patient").test.sum(), diseased.groupby("patient").size())
    assert (fit.alpha, fit.phi) == pytest.approx((expected["sensitivity"]["alpha"], expected["sensitivity"]["phi"]),
                                                 rel=1e-6)


@needs_genders
def test_gee_matches_geepack_and_the_published_genders_results(genders):
    """Published GEE (exchangeable): Se 53.14 (40.87 to 65.04), Sp 88.27 (85.15 to 90.81), z = 1.96. The
    independence working correlation would give the proportions of units (53.76, 88.34), so the tutorial's
    GEE is the exchangeable one."""
    res = ds.accuracy(data=genders, test="test", reference="reference", cluster="patient", ci_method="gee",
                      level=Z196_LEVEL)
    _check_gee(res, _geepack()["genders_segments"])
    assert tuple(round(v, 2) for v in _pct(res.sensitivity)) == (53.14, 40.87, 65.04)
    assert tuple(round(v, 2) for v in _pct(res.specificity)) == (88.27, 85.15, 90.81)
    assert res.sensitivity.method == "GEE, exchangeable, robust SE, logit (Genders 2012)"
    assert "the proportion of units is 0.5376" in " ".join(res.sensitivity.notes)


def test_gee_with_one_unit_per_cluster_is_the_logit_wald_interval():
    d = _tiny().assign(unit=np.arange(12))
    res = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="unit", ci_method="gee")
    p, n = 4 / 7, 7
    z = stats.norm.ppf(0.975)
    half = z / np.sqrt(n * p * (1 - p))
    expected = [1 / (1 + np.exp(-(np.log(p / (1 - p)) + k * half))) for k in (-1, 1)]
    assert res.sensitivity.value == pytest.approx(p, rel=1e-14)
    assert (res.sensitivity.lower, res.sensitivity.upper) == pytest.approx(expected, rel=1e-12)


def test_gee_degenerate_proportion_has_no_interval_and_says_why():
    d = _tiny().assign(mri=lambda x: x.biopsy)  # a perfect test: sensitivity 1
    res = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="patient", ci_method="gee")
    assert res.sensitivity.value == 1 and np.isnan(res.sensitivity.lower)
    assert "logit is infinite" in res.sensitivity.notes[0]


# ------------------------------------------------------------- Youden, likelihood ratios, DOR

def _linearised_by_hand(d, measure):
    """m / (m - 1) sum_i z_i^2 over the patients, z_i from the derivatives of f(Se, Sp), written out."""
    se = d[d.biopsy == 1].mri.mean()
    sp = 1 - d[d.biopsy == 0].mri.mean()
    n1, n0 = (d.biopsy == 1).sum(), (d.biopsy == 0).sum()
    f_se, f_sp = {"youden": (1, 1), "lr_positive": (1 / se, 1 / (1 - sp)),
                  "lr_negative": (-1 / (1 - se), -1 / sp), "dor": (1 / (se * (1 - se)), 1 / (sp * (1 - sp)))}[measure]
    z = []
    for _, g in d.groupby("patient"):
        tp = ((g.biopsy == 1) & (g.mri == 1)).sum()
        tn = ((g.biopsy == 0) & (g.mri == 0)).sum()
        z.append(f_se * (tp - (g.biopsy == 1).sum() * se) / n1 + f_sp * (tn - (g.biopsy == 0).sum() * sp) / n0)
    m = len(z)
    return m / (m - 1) * np.sum(np.square(z))


def _lesions(seed=4, patients=30):
    rng = np.random.default_rng(seed)
    pid = np.repeat(np.arange(patients), rng.integers(1, 5, patients))
    effect = rng.normal(0, 1, patients)[pid]
    biopsy = (rng.random(pid.size) < 0.4).astype(int)
    mri = (rng.random(pid.size) < 1 / (1 + np.exp(-(np.where(biopsy == 1, 1.2, -1.2) + effect)))).astype(int)
    return pd.DataFrame({"patient": pid, "mri": mri, "biopsy": biopsy})


def test_linearised_intervals_of_youden_lrs_and_dor():
    d = _lesions()
    res = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="patient")
    z = stats.norm.ppf(0.975)
    for measure in ("lr_positive", "lr_negative", "dor"):
        e = getattr(res, measure)
        half = z * np.sqrt(_linearised_by_hand(d, measure))
        assert (e.lower, e.upper) == pytest.approx((e.value * np.exp(-half), e.value * np.exp(half)), rel=1e-12)
        assert e.method == "ratio estimator, linearised (log scale)"
    half = z * np.sqrt(_linearised_by_hand(d, "youden"))
    assert (res.youden.lower, res.youden.upper) == pytest.approx((res.youden.value - half, res.youden.value + half),
                                                                 rel=1e-12)
    # Youden's J's variance is var(Se) + var(Sp) + 2 cov: with the patients' correlation, not the sum alone
    se_var = ratio_variance(*(d[d.biopsy == 1].groupby("patient").mri.agg(["sum", "size"]).to_numpy().T))
    assert res.youden.method == "ratio estimator, linearised"
    assert half > z * np.sqrt(se_var)


def test_linearised_ratios_with_one_unit_per_cluster_are_simel_and_woolf():
    d = _lesions().assign(unit=lambda x: np.arange(len(x)))
    res = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="unit")
    tp, fp, fn, tn = res.tp, res.fp, res.fn, res.tn
    m = len(d)
    z = stats.norm.ppf(0.975)
    simel = 1 / tp - 1 / (tp + fn) + 1 / fp - 1 / (fp + tn)
    woolf = 1 / tp + 1 / fp + 1 / fn + 1 / tn
    for e, var in ((res.lr_positive, simel), (res.dor, woolf)):
        half = z * np.sqrt(m / (m - 1) * var)
        assert (e.lower, e.upper) == pytest.approx((e.value * np.exp(-half), e.value * np.exp(half)), rel=1e-12)


def test_cluster_bootstrap_gives_the_ratios_intervals_too():
    res = ds.accuracy(data=_lesions(), test="mri", reference="biopsy", cluster="patient", ci_method="bootstrap",
                      n_boot=400, progress=False)
    for measure in ("lr_positive", "lr_negative", "dor", "youden"):
        e = getattr(res, measure)
        assert e.lower < e.value < e.upper and e.method == "cluster bootstrap percentile", measure


def test_a_zero_count_leaves_the_ratio_without_interval():
    d = _lesions().assign(mri=lambda x: np.where(x.biopsy == 0, 0, x.mri))  # no false positives: LR+ infinite
    res = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="patient")
    assert np.isnan(res.lr_positive.lower) and np.isnan(res.dor.lower)
    assert not np.isnan(res.lr_negative.lower)


# ------------------------------------------------------------------------------------ coverage

def test_clustered_intervals_cover_where_the_naive_ones_do_not():
    """A reduced simulation (the issue's "must show"): 80 patients with 1 to 5 diseased lesions each, a
    patient-level random effect (SD 1.5 on the logit scale) on the test, 300 seeded replicates. The naive
    Wilson interval treats the lesions as independent and under-covers; the ratio estimator reaches 95%
    within Monte Carlo error (3 standard errors of a proportion from 300 replicates, 0.038). The true
    sensitivity is the population-averaged one, from a million simulated patients."""
    rng = np.random.default_rng(7)

    def simulate(patients):
        pid = np.repeat(np.arange(patients), rng.integers(1, 6, patients))
        effect = rng.normal(0, 1.5, patients)[pid]
        return pid, (rng.random(pid.size) < 1 / (1 + np.exp(-(0.8 + effect)))).astype(int)

    truth = simulate(1_000_000)[1].mean()
    hits = {"naive": 0, "ratio": 0}
    replicates = 300
    for _ in range(replicates):
        pid, mri = simulate(80)
        biopsy = np.ones(pid.size, dtype=int)
        biopsy[::7] = 0  # a few non-diseased lesions, so that both classes exist
        for name, kw in (("naive", {}), ("ratio", {"cluster": pid})):
            e = ds.accuracy(test=mri, reference=biopsy, **kw).sensitivity
            hits[name] += e.lower <= truth <= e.upper
    margin = 3 * np.sqrt(0.95 * 0.05 / replicates)
    assert hits["naive"] / replicates < 0.95 - margin
    assert hits["ratio"] / replicates > 0.95 - margin


def test_bootstrap_ratio_with_infinite_replicates_has_no_interval_and_says_why():
    """Found by the fuzz tests: a resampled table without false positives makes LR+ infinite."""
    d = _lesions()
    d = d.assign(mri=np.where((d.biopsy == 0) & (d.patient > 1), 0, d.mri))  # false positives in 2 patients only
    res = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="patient", ci_method="bootstrap",
                      n_boot=200, progress=False)
    assert res.fp == 2 and np.isnan(res.lr_positive.lower) and np.isnan(res.lr_positive.upper)
    assert "replicates have a zero count" in " ".join(res.lr_positive.notes)
    assert not np.isnan(res.lr_negative.lower)


# ------------------------------------------------------------------------------------ GLMM

def _lme4() -> dict:
    return json.loads((GEE_FIXTURE / "lme4_glmm.json").read_text())


@needs_genders
def test_glmm_matches_lme4_glmer_adaptive_quadrature(genders):
    """glmer(y ~ 1 + (1 | patient), family = binomial, nAGQ = 9) per class of the reference (lme4 1.1.31)."""
    res = ds.accuracy(data=genders, test="test", reference="reference", cluster="patient", ci_method="glmm")
    z = stats.norm.ppf(0.975)
    for measure in ("sensitivity", "specificity"):
        e, ref = getattr(res, measure), _lme4()["genders_segments"][measure]
        assert e.value == pytest.approx(ref["estimate"], rel=1e-6)       # expit(fixef): the median patient
        centre = (np.log(e.upper / (1 - e.upper)) + np.log(e.lower / (1 - e.lower))) / 2
        assert centre == pytest.approx(ref["beta"], rel=1e-6)
        se = (np.log(e.upper / (1 - e.upper)) - np.log(e.lower / (1 - e.lower))) / (2 * z)
        assert se == pytest.approx(ref["se"], rel=1e-5)                  # finite-difference Hessians on both sides
        sigma = float(next(n for n in e.notes if "GLMM" in n).split("logit ")[1].split(";")[0])
        assert sigma == pytest.approx(ref["sigma"], abs=5e-4)            # as printed, 3 decimals
        assert e.method == ("random-intercept logistic GLMM (ML, 9-node adaptive quadrature), median patient, "
                            "logit Wald")


@needs_genders
def test_glmm_sigma_and_population_average(genders):
    from diagstats.binary.clustered_glmm import glmm_bounds, population_averaged
    from diagstats.meta._glmm import fit_proportion_glmm
    diseased = genders[genders.reference == 1].groupby("patient").test
    a, n = diseased.sum().to_numpy(), diseased.size().to_numpy()
    fit = fit_proportion_glmm(a, n, nagq=9)
    ref = _lme4()["genders_segments"]["sensitivity"]
    assert np.sqrt(fit.sigma[0, 0]) == pytest.approx(ref["sigma"], rel=1e-6)
    # the population-averaged proportion, E[expit(beta + sigma Z)], by brute-force integration
    grid = np.linspace(-10, 10, 200001)
    dens = stats.norm.pdf(grid)
    brute = np.sum(1 / (1 + np.exp(-(ref["beta"] + ref["sigma"] * grid))) * dens) * (grid[1] - grid[0])
    assert population_averaged(ref["beta"], ref["sigma"]) == pytest.approx(brute, rel=1e-9)
    _, _, _, notes = glmm_bounds(a, n, 1.96)
    assert "median patient's (conditional) proportion" in notes[0] and "population-averaged" in notes[0]


def test_glmm_degenerate_and_tiny_inputs_have_no_interval_and_say_why():
    d = _tiny().assign(mri=lambda x: x.biopsy)  # a perfect test: sensitivity 1
    res = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="patient", ci_method="glmm")
    assert res.sensitivity.value == 1 and np.isnan(res.sensitivity.lower)
    assert "logit is infinite" in res.sensitivity.notes[0]
    assert np.isnan(res.youden.lower) and "ci_method='glmm'" in res.youden.notes[0]


def test_glmm_without_between_patient_variation_is_near_the_binomial_logit_interval():
    """Every patient alike (each has 1 of 2 diseased units detected): sigma goes to 0 and the GLMM is the
    logistic model of independent units, so its interval approaches the logit Wald interval of the units."""
    pid = np.repeat(np.arange(30), 2)
    d = pd.DataFrame({"patient": pid, "mri": np.tile([1, 0], 30), "biopsy": 1})
    d = pd.concat([d, pd.DataFrame({"patient": np.arange(30), "mri": 0, "biopsy": 0})])
    res = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="patient", ci_method="glmm")
    assert res.sensitivity.value == pytest.approx(0.5, abs=1e-6)
    half = stats.norm.ppf(0.975) / np.sqrt(60 * 0.25)
    assert res.sensitivity.upper == pytest.approx(1 / (1 + np.exp(-half)), rel=1e-3)


# ------------------------------------------------------------------------------ interval shapes

@pytest.mark.parametrize("shape", ["korn_graubard", "wald", "wald_t", "logit", "wilson"])
def test_every_ratio_interval_shape_holds_the_estimate_and_is_labelled(shape):
    from diagstats.binary.clustered_intervals import RATIO_INTERVALS
    res = ds.accuracy(data=_tiny(), test="mri", reference="biopsy", cluster="patient", ratio_interval=shape)
    assert res.ratio_interval == shape and f"ratio_interval={shape!r}" in repr(res)
    for name in ("sensitivity", "specificity", "ppv", "npv", "accuracy", "prevalence"):
        e = getattr(res, name)
        assert 0 <= e.lower < e.value < e.upper <= 1 and e.method == RATIO_INTERVALS[shape], (name, e)


def test_ratio_interval_is_refused_without_the_ratio_estimator():
    for kw in ({}, {"cluster": "patient", "ci_method": "gee"}):
        with pytest.raises(OptionError, match="ratio_interval="):
            ds.accuracy(data=_tiny(), test="mri", reference="biopsy", ratio_interval="wald", **kw)
    with pytest.raises(OptionError, match="'korn_graubard'"):
        ds.accuracy(data=_tiny(), test="mri", reference="biopsy", cluster="patient", ratio_interval="kg")


def test_a_proportion_without_between_patient_variation_gets_the_units_interval_and_a_note():
    # every diseased unit positive: sensitivity 1, ratio-estimator variance 0, no design effect to estimate
    d = _tiny().assign(mri=lambda x: x.mri.where(x.biopsy == 0, 1))
    res = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="patient")
    # Korn & Graubard: n* = n units (7), still shrunk for the 3 df of the 4 patients with a diseased unit
    n_df = int(d.biopsy.sum()) * (stats.norm.ppf(0.975) / stats.t.ppf(0.975, 3)) ** 2
    assert res.sensitivity.value == 1 and res.sensitivity.upper == 1
    assert res.sensitivity.lower == pytest.approx(stats.beta.ppf(0.025, n_df, 1), rel=1e-12)
    assert any("ratio-estimator variance 0" in note for note in res.sensitivity.notes)
    wald = ds.accuracy(data=d, test="mri", reference="biopsy", cluster="patient", ratio_interval="wald")
    assert (wald.sensitivity.lower, wald.sensitivity.upper) == (1.0, 1.0)
