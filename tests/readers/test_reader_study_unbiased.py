"""reader_study(covariance="unbiased"): Gallas' (2006) U-statistic covariance of the empirical AUCs.

Parity: MRMCaov 0.3's ``mrmc(empirical_auc(truth, rating), treatment, reader, case, data = VanDyke,
cov = unbiased)`` as printed in its JSS manuscript (brian-j-smith/MRMCaov @ f1c63dc, docs/jss/MRMCaov.tex,
section "Covariance Estimation Methods"): Error 0.0007883925, Cov1 0.0003416706, Cov2 0.0003390650,
Cov3 0.0002356148, reader 0.0015365290, treatment:reader 0.0002077588; F 4.489614 on 1 and 15.03418 df,
p 0.0511618, difference CI (-0.0878519409, 0.0002512968); single-modality Cov2 0.0004771788 and 0.0002009512,
StdErr 0.0330712 and 0.0214912, df 12.58802 and 12.53391. All are printed to 7 or more significant digits and
compared at 1e-6 relative. The Van Dyke data: ``../shared/reference/public/vandyke.csv`` (same rows as
MRMCaov's ``VanDyke``).

Independent check: a straightforward loop over every (diseased, non-diseased) pair and every pair of pairs
of the published moment formula (Gallas 2006, eq. for the AUC variance; Gallas et al. 2009).
"""

from __future__ import annotations

import math
from itertools import product

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.readers._covariance import case_placements
from diagstats.readers._unbiased import unbiased_covariance

from ..public_data import read_public


@pytest.fixture(scope="module")
def unbiased():
    return ds.reader_study(read_public("vandyke.csv"), covariance="unbiased")


def test_vandyke_components_match_mrmcaov(unbiased):
    c = unbiased.components
    for key, value in {"Var(error)": 0.0007883925, "Cov1": 0.0003416706, "Cov2": 0.0003390650,
                       "Cov3": 0.0002356148, "Var(R)": 0.0015365290, "Var(TxR)": 0.0002077588}.items():
        assert c[key] == pytest.approx(value, rel=1e-6), key
    assert unbiased.covariance == "unbiased"


def test_vandyke_rrrc_matches_mrmcaov(unbiased):
    t = unbiased.rrrc
    assert t.statistic == pytest.approx(4.489614, rel=1e-6)
    assert t.df == pytest.approx(15.03418, rel=1e-6)
    assert t.p_value == pytest.approx(0.0511618, rel=1e-6)
    assert t.estimate.lower == pytest.approx(-0.0878519409, rel=1e-6)
    assert t.estimate.upper == pytest.approx(0.0002512968, rel=1e-6)


def test_vandyke_single_modality_intervals_match_mrmcaov(unbiased):
    assert unbiased.modality_df == pytest.approx((12.58802, 12.53391), rel=1e-6)
    lower = [e.lower for e in unbiased.modality_auc]
    upper = [e.upper for e in unbiased.modality_auc]
    assert lower == pytest.approx([0.8253526, 0.8942323], rel=1e-6)
    assert upper == pytest.approx([0.9687214, 0.9874424], rel=1e-6)


def _loop_unbiased(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The published estimator, term by term: kernels s(i, j), the four moments as averages over the pairs of
    pairs of each kind, Cov = [M1 + (n0 - 1) M2 + (n1 - 1) M3 - (n1 + n0 - 1) M4] / (n1 n0)."""
    k, n1 = x.shape
    n0 = y.shape[1]

    def s(row, i, j):
        return 1.0 if x[row, i] > y[row, j] else 0.5 if x[row, i] == y[row, j] else 0.0

    out = np.empty((k, k))
    for a, b in product(range(k), repeat=2):
        m = np.zeros(4)
        count = np.zeros(4)
        for i, j, i2, j2 in product(range(n1), range(n0), range(n1), range(n0)):
            kind = (0 if j == j2 else 1) if i == i2 else (2 if j == j2 else 3)
            m[kind] += s(a, i, j) * s(b, i2, j2)
            count[kind] += 1
        m /= count
        out[a, b] = (m[0] + (n0 - 1) * m[1] + (n1 - 1) * m[2] - (n1 + n0 - 1) * m[3]) / (n1 * n0)
    return out


def test_vectorised_covariance_equals_the_loop_of_the_formula():
    rng = np.random.default_rng(3)
    is_case = np.array([True] * 5 + [False] * 6)
    ratings = rng.integers(1, 5, size=(3, 11)).astype(float) + is_case   # ties on a 1-5 scale
    value, v10, v01 = case_placements(ratings, is_case)
    fast = unbiased_covariance(ratings, is_case, value, v10, v01)
    slow = _loop_unbiased(ratings[:, is_case], ratings[:, ~is_case])
    np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-15)


def test_chunked_kernel_products_equal_one_block(monkeypatch):
    """The chunks over diseased cases (bounded memory) add up to the same sums as one block."""
    from diagstats.readers import _unbiased
    rng = np.random.default_rng(4)
    is_case = rng.random(40) < 0.4
    ratings = rng.normal(size=(4, 40)).round(1)
    whole = _unbiased.same_pair_sums(ratings, is_case)
    monkeypatch.setattr(_unbiased, "CHUNK_ELEMENTS", 7)
    np.testing.assert_allclose(_unbiased.same_pair_sums(ratings, is_case), whole, rtol=1e-13)


def test_unbiased_needs_the_empirical_auc():
    data = read_public("vandyke.csv")
    with pytest.raises(ds.OptionError, match="covariance='unbiased'.*needs covariance='jackknife'"):
        ds.reader_study(data, covariance="unbiased", metric="sensitivity", threshold=3)
    with pytest.raises(ds.OptionError, match="method='dbm'"):
        ds.reader_study(data, covariance="unbiased", method="dbm")


def test_printout_names_the_unbiased_covariance(unbiased):
    text = unbiased.to_text()
    assert "unbiased covariance" in text and "OR variance components and covariances (unbiased)" in text
    assert not math.isnan(unbiased.frrc.p_value)
    assert isinstance(unbiased.to_frame(), pd.DataFrame)
