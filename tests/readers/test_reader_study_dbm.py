"""The Dorfman-Berbaum-Metz analysis, ``ds.reader_study(method="dbm")``, against RJafroc's published DBM output.

Van Dyke et al. (1993) (``vandyke.csv``, RJafroc ``dataset02``), empirical (Wilcoxon) AUC, jackknife pseudovalues:

* mean squares: D. Chakraborty, RJafroc book (github dpc10ster/RJafrocBook, ``09-DBMH-analysis.Rmd``, "Example 1",
  hand calculation checked against ``UtilMeanSquares(dataset02)``): msT 0.5467634, msR 0.4373268, msC 0.3968699,
  msTR 0.06281749, msTC 0.09984808, msRC 0.06450106, msTRC 0.0399716;
* RRRC ("Example 3", ``StSignificanceTesting(dataset02, FOM = "Wilcoxon", method = "DBMH")``): F 4.456319,
  ddf 15.25967, p 0.05166569; difference CI ("Example 4") -0.0879595, -0.04380032, 0.0003588544;
* FRRC ("Example 5"): p 0.02103497, CI -0.08088303 to -0.006717613 (F = MS(T) / MS(TxC) on 1 and 113 df);
* RRFC ("Example 6"): p 0.04195875, CI -0.08502022 to -0.00258042;
* variance components: RJafroc's ``SsPowerGivenJK`` documentation, example 5A (the DBM components of dataset02,
  11 decimals): VarR 0.00153499935, VarC 0.02724923428, VarTR 0.00020040252, VarTC 0.01197529621,
  VarRC 0.01226472859, VarErr 0.03997160319.

Every number is compared at 1e-6 relative.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import OptionError
from diagstats.readers import _dbm

from ..public_data import read_public


@pytest.fixture(scope="module")
def vandyke_data():
    return read_public("vandyke.csv")


@pytest.fixture(scope="module")
def dbm(vandyke_data):
    return ds.reader_study(vandyke_data, method="dbm")


def test_vandyke_mean_squares_match_rjafroc(dbm):
    published = {"MS(T)": 0.5467634, "MS(R)": 0.4373268, "MS(C)": 0.3968699, "MS(TxR)": 0.06281749,
                 "MS(TxC)": 0.09984808, "MS(RxC)": 0.06450106, "MS(TxRxC)": 0.0399716}
    for key, value in published.items():
        assert dbm.components[key] == pytest.approx(value, rel=1e-6), key


def test_vandyke_variance_components_match_rjafroc(dbm):
    published = {"Var(R)": 0.00153499935, "Var(C)": 0.02724923428, "Var(TxR)": 0.00020040252,
                 "Var(TxC)": 0.01197529621, "Var(RxC)": 0.01226472859, "Var(error)": 0.03997160319}
    for key, value in published.items():
        assert dbm.components[key] == pytest.approx(value, rel=1e-6), key


def test_vandyke_rrrc_matches_rjafroc(dbm):
    assert dbm.rrrc.statistic == pytest.approx(4.456319, rel=1e-6)
    assert dbm.rrrc.df == pytest.approx(15.25967, rel=1e-6)
    assert dbm.rrrc.p_value == pytest.approx(0.05166569, rel=1e-6)
    e = dbm.rrrc.estimate
    assert (e.lower, e.value, e.upper) == pytest.approx((-0.0879595, -0.04380032, 0.0003588544), rel=1e-6)
    assert dbm.rrrc.method.startswith("DBM")


def test_vandyke_frrc_is_an_f_test_on_the_case_df(dbm):
    assert dbm.frrc.df == 113
    assert dbm.frrc.p_value == pytest.approx(0.02103497, rel=1e-6)
    e = dbm.frrc.estimate
    assert (e.lower, e.upper) == pytest.approx((-0.08088303, -0.006717613), rel=1e-6)
    assert dbm.frrc.statistic == pytest.approx(dbm.components["MS(T)"] / dbm.components["MS(TxC)"], rel=1e-12)


def test_vandyke_rrfc_matches_rjafroc(dbm):
    assert dbm.rrfc.df == 4
    assert dbm.rrfc.p_value == pytest.approx(0.04195875, rel=1e-6)
    e = dbm.rrfc.estimate
    assert (e.lower, e.upper) == pytest.approx((-0.08502022, -0.00258042), rel=1e-6)


def test_dbm_equals_or_with_jackknife_covariance(vandyke_data, dbm):
    """Hillis, Berbaum & Metz (2008): with normalised pseudovalues the DBM RRRC test, interval and ddf are the
    OR ones with jackknife covariances, the OR components follow from the DBM ones (Hillis 2014, Table III),
    and the FRRC F equals the OR chi-square / (t - 1)."""
    or_ = ds.reader_study(vandyke_data)
    for a, b in ((dbm.rrrc, or_.rrrc), (dbm.rrfc, or_.rrfc)):
        assert (a.statistic, a.df, a.p_value) == pytest.approx((b.statistic, b.df, b.p_value), rel=1e-10)
        assert (a.estimate.lower, a.estimate.upper) == pytest.approx((b.estimate.lower, b.estimate.upper), rel=1e-10)
    assert dbm.frrc.statistic == pytest.approx(or_.frrc.statistic, rel=1e-10)
    converted = _dbm.or_components(dict(dbm.components), dbm.n_cases)
    for key, value in converted.items():
        assert value == pytest.approx(or_.components[key], rel=1e-10), key
        assert dbm.or_components[key] == pytest.approx(or_.components[key], rel=1e-12), key
    assert [e.value for e in dbm.modality_auc] == [e.value for e in or_.modality_auc]


def test_dbm_equals_or_on_three_modalities_and_sensitivity():
    rng = np.random.default_rng(3)
    truth = np.repeat([0, 1], 20)
    rows = pd.DataFrame([{"reader": j, "modality": m, "case": k, "truth": truth[k],
                          "rating": int(truth[k] * (1 + 0.4 * m) + rng.normal() > 0.5)}
                         for j in range(4) for m in range(3) for k in range(40)])
    for kwargs in ({}, {"metric": "sensitivity"}):
        a, b = ds.reader_study(rows, method="dbm", **kwargs), ds.reader_study(rows, **kwargs)
        assert a.rrrc.statistic == pytest.approx(b.rrrc.statistic, rel=1e-9)
        assert a.rrrc.df == pytest.approx(b.rrrc.df, rel=1e-9)
        for p, q in zip(a.rrrc_pairs, b.rrrc_pairs):
            assert (p.estimate.lower, p.estimate.upper) == pytest.approx((q.estimate.lower, q.estimate.upper))


def test_per_reader_dbm_t_test_has_the_jackknife_standard_error(vandyke_data, dbm):
    """For two modalities a reader's MS(TxC) of the pseudovalues gives 2 MS(TxC) / c = the jackknife variance of
    the reader's AUC difference: the DBM per-reader test is the OR Wald statistic on (t - 1)(c - 1) df."""
    or_ = ds.reader_study(vandyke_data)
    for a, b in zip(dbm.per_reader, or_.per_reader):
        assert a.statistic == pytest.approx(b.statistic, rel=1e-10)
        assert a.df == 113


def test_printout_and_frame_name_the_dbm_analysis(dbm):
    text = dbm.to_text()
    assert "Dorfman-Berbaum-Metz" in text and "Var(TxC)" in text and "chi-square" not in text
    frame = dbm.to_frame()
    comps = frame[frame["analysis"] == "components"]
    assert list(comps["measure"]) == list(_dbm.DBM_COMPONENTS)
    assert (frame.loc[frame["analysis"] == "frrc", "measure"].iloc[0]) == "F statistic"


def test_power_from_a_dbm_pilot_is_that_of_the_or_pilot(vandyke_data, dbm):
    """RJafroc's power of the Van Dyke pilot with 10 readers and 165 cases (0.80541995) from the DBM result."""
    power = ds.planning.reader_study_power(dbm, n_readers=10, n_cases=165)
    assert power.power == pytest.approx(0.80541995, rel=1e-6)


def test_dbm_with_another_covariance_or_an_unknown_method_is_refused(vandyke_data):
    with pytest.raises(OptionError, match="method='dbm'.*covariance='delong'"):
        ds.reader_study(vandyke_data, method="dbm", covariance="delong")
    with pytest.raises(OptionError, match="method"):
        ds.reader_study(vandyke_data, method="anova")
