"""ds.reader_study(design=...): cases nested in readers or in modalities (Obuchowski 1995; Hillis 2014).

No published output of a nested or split-plot OR analysis on a data set available here exists (MRMCaov's
documentation prints only crossed examples, and MRMCaov is not installable here), so the reference values come
from an independent straightforward implementation of the published formulas in this file: every AUC a
Mann-Whitney mean over all diseased x non-diseased pairs, every leave-one-case-out AUC recomputed from scratch,
the jackknife covariance (n - 1)/n x the sum of products of the deviations within the cases that two AUCs share,
DeLong's covariance from its structural components, the structural zeros of each design (cases nested in readers:
Cov2 = Cov3 = 0; in modalities: Cov1 = Cov3 = 0), and the OR tests of Hillis (2007, 2014) written out. Agreement
is at 1e-10 (closed forms).

Data: the Van Dyke et al. (1993) study (``../shared/reference/public/vandyke.csv``) made nested by keeping case k
for reader k mod 5 only (cases nested in readers) or for modality k mod 2 only (cases nested in modalities), and
Roe-Metz simulations of both designs (``ds.simulate.roe_metz(design=...)``), which need no shared data.

The Monte Carlo check of the nested RRRC test under a Roe-Metz null runs 1,000 simulated studies (cases nested
in readers, 5 readers x 50 + 50 cases each, through ``ds.simulate.study``; 10-20 s on one core): rejection
rate 0.045 and coverage 0.955 with the validation study's seed.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import diagstats as ds
from diagstats.errors import DataError, OptionError
from diagstats.studies import reader_validation

from ..public_data import read_public


def _vandyke_nested(design: str) -> pd.DataFrame:
    data = read_public("vandyke.csv")
    case = data["case"].astype("category").cat.codes
    owner = data["reader" if design == "cases_in_readers" else "modality"].astype("category").cat.codes
    return data[case % (owner.max() + 1) == owner].reset_index(drop=True)


def _simulated(design: str) -> pd.DataFrame:
    return ds.simulate.roe_metz(n_readers=4, n_nondiseased=12, n_diseased=9, delta=(1.2, 1.6), design=design,
                                seed=11)


@pytest.fixture(params=[("vandyke", "cases_in_readers"), ("vandyke", "cases_in_modalities"),
                        ("simulated", "cases_in_readers"), ("simulated", "cases_in_modalities")],
                ids=lambda p: "-".join(p))
def nested(request):
    source, design = request.param
    return (_vandyke_nested(design) if source == "vandyke" else _simulated(design)), design


def _mann_whitney(x1: np.ndarray, x0: np.ndarray) -> float:
    return float(np.mean(np.sign(x1[:, None] - x0[None, :]) * 0.5 + 0.5))


def _reference(data: pd.DataFrame, design: str, covariance: str = "jackknife") -> dict:
    """The OR analysis of a nested design, straight from the formulas (see the module docstring)."""
    mods, rdrs = sorted(data["modality"].unique()), sorted(data["reader"].unique())
    t, r = len(mods), len(rdrs)
    auc = np.zeros((t, r))
    cov = {}  # (i, j, i2, j2) -> covariance, for pairs of AUCs on the same cases
    groups = rdrs if design == "cases_in_readers" else mods
    for g in groups:
        key = "reader" if design == "cases_in_readers" else "modality"
        part = data[data[key] == g].sort_values("case")
        cells = [(i, j) for i in range(t) for j in range(r)
                 if (design == "cases_in_readers" and rdrs[j] == g) or (design != "cases_in_readers" and mods[i] == g)]
        series = {cell: part[(part["modality"] == mods[cell[0]]) & (part["reader"] == rdrs[cell[1]])]
                  .set_index("case")["rating"] for cell in cells}
        cases = series[cells[0]].index.to_numpy()
        truth = part.drop_duplicates("case").set_index("case").loc[cases, "truth"].to_numpy() == 1
        x = {cell: series[cell].loc[cases].to_numpy(dtype=float) for cell in cells}
        for cell in cells:
            auc[cell] = _mann_whitney(x[cell][truth], x[cell][~truth])
        n, n1, n0 = len(cases), int(truth.sum()), int((~truth).sum())
        if covariance == "jackknife":
            loo = {cell: np.array([_mann_whitney(np.delete(x[cell], k)[np.delete(truth, k)],
                                                 np.delete(x[cell], k)[~np.delete(truth, k)]) for k in range(n)])
                   for cell in cells}
            for a in cells:
                for b in cells:
                    da, db = loo[a] - loo[a].mean(), loo[b] - loo[b].mean()
                    cov[a + b] = (n - 1) / n * float(np.sum(da * db))
        else:  # DeLong: V10 (each diseased case vs the non-diseased), V01 (each non-diseased vs the diseased)
            v10 = {cell: np.mean(np.sign(x[cell][truth][:, None] - x[cell][~truth][None, :]) * 0.5 + 0.5, axis=1)
                   for cell in cells}
            v01 = {cell: np.mean(np.sign(x[cell][truth][:, None] - x[cell][~truth][None, :]) * 0.5 + 0.5, axis=0)
                   for cell in cells}
            for a in cells:
                for b in cells:
                    cov[a + b] = (np.cov(v10[a], v10[b])[0, 1] / n1 + np.cov(v01[a], v01[b])[0, 1] / n0)
    var_error = np.mean([cov[(i, j, i, j)] for i in range(t) for j in range(r)])
    if design == "cases_in_readers":  # Cov2 = Cov3 = 0 by design
        cov1 = np.mean([cov[(i, j, i2, j)] for j in range(r) for i in range(t) for i2 in range(t) if i != i2])
        cov2 = cov3 = 0.0
    else:  # Cov1 = Cov3 = 0 by design
        cov2 = np.mean([cov[(i, j, i, j2)] for i in range(t) for j in range(r) for j2 in range(r) if j != j2])
        cov1 = cov3 = 0.0
    mean_t, mean_r, mean = auc.mean(axis=1), auc.mean(axis=0), auc.mean()
    ms_t = r * np.sum((mean_t - mean) ** 2) / (t - 1)
    ms_r = t * np.sum((mean_r - mean) ** 2) / (r - 1)
    ms_tr = np.sum((auc - mean_t[:, None] - mean_r[None, :] + mean) ** 2) / ((t - 1) * (r - 1))
    den = ms_tr + r * max(cov2 - cov3, 0.0)
    ddf = den ** 2 / (ms_tr ** 2 / ((t - 1) * (r - 1)))
    chi = (t - 1) * ms_t / (var_error - cov1 + (r - 1) * max(cov2 - cov3, 0.0))
    return {"auc": auc, "Var(error)": var_error, "Cov1": cov1, "Cov2": cov2, "Cov3": cov3, "MS(T)": ms_t,
            "MS(R)": ms_r, "MS(TxR)": ms_tr, "Var(R)": (ms_r - ms_tr) / t - cov1 + cov3,
            "F": ms_t / den, "ddf": ddf, "p": stats.f.sf(ms_t / den, t - 1, ddf), "chi": chi,
            "p_chi": stats.chi2.sf(chi, t - 1), "F_rrfc": ms_t / ms_tr,
            "p_rrfc": stats.f.sf(ms_t / ms_tr, t - 1, (t - 1) * (r - 1))}


def _check(res, ref):
    np.testing.assert_allclose(res.auc, ref["auc"], rtol=1e-10)
    for key in ("Var(error)", "Cov1", "Cov2", "Cov3", "MS(T)", "MS(R)", "MS(TxR)", "Var(R)"):
        assert res.components[key] == pytest.approx(ref[key], rel=1e-10, abs=1e-15), key
    assert res.rrrc.statistic == pytest.approx(ref["F"], rel=1e-10)
    assert res.rrrc.df == pytest.approx(ref["ddf"], rel=1e-10)
    assert res.rrrc.p_value == pytest.approx(ref["p"], rel=1e-9)
    assert res.frrc.statistic == pytest.approx(ref["chi"], rel=1e-10)
    assert res.frrc.p_value == pytest.approx(ref["p_chi"], rel=1e-9)
    assert res.rrfc.statistic == pytest.approx(ref["F_rrfc"], rel=1e-10)
    assert res.rrfc.p_value == pytest.approx(ref["p_rrfc"], rel=1e-9)


def test_jackknife_analysis_matches_the_formulas(nested):
    data, design = nested
    res = ds.reader_study(data, design=design)
    _check(res, _reference(data, design))
    assert res.design == design and res.n == len(data)
    assert any("by design" in n for n in res.notes)


def test_delong_analysis_matches_the_formulas(nested):
    data, design = nested
    _check(ds.reader_study(data, design=design, covariance="delong"), _reference(data, design, "delong"))


def test_cases_in_readers_reduces_rrrc_to_the_fixed_cases_test():
    """Cov2 = Cov3 = 0: RRRC F = MS(T) / MS(TxR) on (t - 1)(r - 1) df, the RRFC test (Obuchowski 1995); each
    modality's interval has r - 1 df."""
    res = ds.reader_study(_simulated("cases_in_readers"), design="cases_in_readers")
    assert res.components["Cov2"] == 0 and res.components["Cov3"] == 0
    assert res.rrrc.statistic == pytest.approx(res.rrfc.statistic, rel=1e-12)
    assert res.rrrc.df == pytest.approx(3.0, rel=1e-12) and res.rrrc.p_value == pytest.approx(res.rrfc.p_value)
    assert res.modality_df == pytest.approx((3.0, 3.0), rel=1e-12)
    assert "cases nested in readers" in res.to_text()


def test_cases_in_modalities_per_reader_test_uses_independent_samples():
    """Different modalities, different cases: a reader's difference has variance Var_a + Var_b (no Cov1)."""
    res = ds.reader_study(_simulated("cases_in_modalities"), design="cases_in_modalities")
    assert res.components["Cov1"] == 0 and res.components["Cov3"] == 0
    v = np.diag(res.auc_covariance)
    first = res.per_reader[0]
    se = (first.estimate.upper - first.estimate.lower) / (2 * stats.norm.ppf(0.975))
    assert se == pytest.approx(math.sqrt(v[0] + v[len(res.readers)]), rel=1e-10)


def test_sensitivity_and_a_function_of_your_own_in_a_nested_design():
    data = _simulated("cases_in_readers")
    auc = ds.reader_study(data, design="cases_in_readers")

    def mann_whitney(truth, ratings):
        return np.mean(np.sign(ratings[:, truth][:, :, None] - ratings[:, ~truth][:, None, :]) * 0.5 + 0.5,
                       axis=(1, 2))

    own = ds.reader_study(data, design="cases_in_readers", metric=mann_whitney)
    np.testing.assert_allclose(own.auc_covariance, auc.auc_covariance, rtol=1e-9, atol=1e-15)
    sens = ds.reader_study(data, design="cases_in_readers", metric="sensitivity", threshold=1.0)
    # reader 1's sensitivity in modality A, and its jackknife variance over that reader's diseased cases only
    reads = data[(data["reader"] == 1) & (data["modality"] == "A") & (data["truth"] == 1)]["rating"].to_numpy() >= 1
    m = len(reads)
    loo = np.array([np.delete(reads, k).mean() for k in range(m)])
    assert sens.auc[0, 0] == pytest.approx(reads.mean())
    assert sens.auc_covariance[0, 0] == pytest.approx((m - 1) / m * np.sum((loo - loo.mean()) ** 2), rel=1e-12)


def test_bootstrap_covariance_is_seeded_and_keeps_the_structural_zeros():
    data = _simulated("cases_in_modalities")
    a = ds.reader_study(data, design="cases_in_modalities", covariance="bootstrap", n_boot=300, seed=3,
                        progress=False)
    b = ds.reader_study(data, design="cases_in_modalities", covariance="bootstrap", n_boot=300, seed=3,
                        progress=False)
    jack = ds.reader_study(data, design="cases_in_modalities")
    np.testing.assert_array_equal(a.auc_covariance, b.auc_covariance)
    assert a.components["Cov1"] == 0 and a.components["Cov3"] == 0
    assert 0.5 < a.components["Var(error)"] / jack.components["Var(error)"] < 2


def test_crossed_data_is_unchanged_and_refused_as_nested():
    data = ds.simulate.roe_metz(n_readers=3, n_nondiseased=10, n_diseased=10, seed=2)
    pd.testing.assert_frame_equal(ds.reader_study(data).to_frame(), ds.reader_study(data, design="crossed").to_frame())
    with pytest.raises(DataError, match=r"appears under readers .*make them unique"):
        ds.reader_study(data, design="cases_in_readers")
    with pytest.raises(DataError, match="appears under modalities"):
        ds.reader_study(data, design="cases_in_modalities")


@pytest.mark.parametrize("design", ["cases_in_readers", "cases_in_modalities"])
def test_nested_data_analysed_as_crossed_names_the_design(design):
    with pytest.raises(DataError, match=f"not a fully crossed design.*pass design='{design}'"):
        ds.reader_study(_simulated(design))


def test_readers_nested_in_modalities_is_named_and_refused():
    """One reader per modality (readers nested in modalities, split-plot-A): neither design fits."""
    data = ds.simulate.roe_metz(n_readers=4, n_nondiseased=10, n_diseased=10, seed=1)
    split = data[(data["reader"] <= 2) == (data["modality"] == "A")]
    with pytest.raises(DataError, match="readers nested in modalities"):
        ds.reader_study(split)
    with pytest.raises(DataError, match="readers nested in modalities"):
        ds.reader_study(split, design="cases_in_modalities")


def test_bad_design_options():
    data = _simulated("cases_in_readers")
    with pytest.raises(OptionError, match="design='nested'"):
        ds.reader_study(data, design="nested")
    with pytest.raises(OptionError, match="method='dbm'"):
        ds.reader_study(data, design="cases_in_readers", method="dbm")
    with pytest.raises(OptionError, match="pilot is a reader study with design='cases_in_readers'"):
        ds.planning.reader_study_power(ds.reader_study(data, design="cases_in_readers"), n_readers=5, n_cases=50)
    with pytest.raises(OptionError, match="design="):
        ds.simulate.roe_metz(design="split")


def test_a_reader_with_too_few_cases_of_a_class_is_named():
    data = _simulated("cases_in_readers")
    mine = data[(data["reader"] == 2) & (data["truth"] == 1)]["case"].unique()
    short = data[~data["case"].isin(mine[1:])]
    with pytest.raises(DataError, match=r"reader 2 has 1 diseased .* at least two of each"):
        ds.reader_study(short, design="cases_in_readers")


def test_a_case_missing_a_rating_is_named():
    data = _simulated("cases_in_modalities")
    with pytest.raises(DataError, match=r"has 3 of its 4 ratings"):
        ds.reader_study(data.drop(index=5), design="cases_in_modalities")


def test_roe_metz_nested_layout():
    data = ds.simulate.roe_metz(n_readers=3, n_nondiseased=6, n_diseased=4, delta=(1.0, 1.5, 2.0),
                                design="cases_in_readers", seed=5)
    assert len(data) == 3 * 3 * 10 and data.groupby("case")["reader"].nunique().max() == 1
    assert (data.groupby("reader")["case"].nunique() == 10).all()
    assert (data.drop_duplicates("case").groupby("reader")["truth"].sum() == 4).all()
    split = ds.simulate.roe_metz(n_readers=3, n_nondiseased=6, n_diseased=4, design="cases_in_modalities", seed=5)
    assert len(split) == 3 * 2 * 10 and split.groupby("case")["modality"].nunique().max() == 1
    assert (split.groupby("case")["reader"].nunique() == 3).all()
    crossed = ds.simulate.roe_metz(n_readers=3, n_nondiseased=6, n_diseased=4, seed=5)
    assert len(crossed) == 3 * 2 * 10 and crossed.groupby("case")["reader"].nunique().min() == 3


def test_rrrc_type_one_error_under_a_nested_null():
    """1,000 null studies with cases nested in readers (Roe-Metz, equal diseased-case means; 5 readers x 50 + 50
    cases each, through ds.simulate.study): the RRRC test rejects at 5% and the difference intervals cover 0 at
    95%, each within 3 Monte Carlo standard errors (0.0069)."""
    frame = reader_validation.run(1000, executor="serial", design="cases_in_readers")
    summary = reader_validation.summarise(frame)
    assert summary["n"] == 1000
    assert abs(summary["rejection_rate"] - 0.05) < 3 * summary["rejection_se"]
    assert abs(summary["coverage"] - 0.95) < 3 * summary["coverage_se"]


@pytest.mark.parametrize("design", ["crossed", "cases_in_readers", "cases_in_modalities"])
def test_auto_finds_the_design_and_says_so(design):
    data = _simulated(design)
    auto = ds.reader_study(data, design="auto")
    pd.testing.assert_frame_equal(auto.to_frame(), ds.reader_study(data, design=design).to_frame())
    assert auto.design == design and "design='auto': the rows fit" in auto.notes[-2 if design != "crossed" else -1]


def test_auto_refuses_rows_that_fit_no_design():
    data = _simulated("crossed")
    with pytest.raises(DataError, match=r"design='auto' found no design .*fit no nested design"):
        ds.reader_study(data.drop(index=3), design="auto")
    with pytest.raises(OptionError, match="method='dbm'"):
        ds.reader_study(_simulated("cases_in_readers"), design="auto", method="dbm")
