"""Parity of ds.reader_study with the published Obuchowski-Rockette analyses of two classic reader studies.

Data (``../shared/reference/public/``, beside the clone; see its README for the sources):

* ``vandyke.csv``: Van Dyke et al. (1993), cine vs spin-echo MRI, 5 readers x 114 cases (RJafroc
  ``dataset02``, MRMCaov ``VanDyke``). Modality 0/1 are the Iowa output's treatments 1/2.
* ``franken.csv``: Franken et al. (1992), digital vs film, 4 readers x 100 cases (RJafroc ``dataset03``).

Numbers, with their sources (as quoted in issue #17):

* Van Dyke, jackknife covariance: the Iowa OR-DBM MRMC 2.51 output (the example output distributed with the
  program, reproduced in RJafroc's tests): modality means 0.89703704 and 0.94083736, MS(T) 0.00479617,
  MS(TxR) 0.00055103, Cov1 0.00034661, Cov2 0.00034407, Cov3 0.00023903, Var(error) 0.00080229; RRRC F 4.456,
  ddf 15.26, p 0.0517, difference CI (-0.08796, 0.00036); FRRC chi-square 5.47595, p 0.0193; RRFC F 8.70 on
  (1, 4), p 0.0420. The Iowa covariances are the jackknife covariances (c - 1)/c x the sum of products of the
  leave-one-case-out deviations, and Var(error) the mean of the jackknife variances of the 10 AUCs; both
  conventions are diagstats' own, so the numbers match at the 8 digits printed with no rescaling.
* Van Dyke, DeLong covariances: F 4.484854, ddf 15.06611 (MRMCaov, ``mrmc(..., cov = DeLong)``).
* Franken: Cov2 < Cov3, so Cov2 - Cov3 is truncated at 0 and ddf = (t - 1)(r - 1) = 3 exactly; F 4.69,
  p 0.1188 (Iowa OR-DBM MRMC output for the Franken data, as in RJafroc).

Numbers published to 8 significant digits are compared at 1e-6 relative (closed forms); the others to the
digits published (half a unit of the last digit).
"""

from __future__ import annotations

import math

import pytest

import diagstats as ds

from ..public_data import published, read_public


def test_vandyke_modality_means_and_or_components(vandyke):
    means = [e.value for e in vandyke.modality_auc]
    assert means == pytest.approx([0.89703704, 0.94083736], rel=1e-6)
    c = vandyke.components
    assert c["MS(T)"] == pytest.approx(0.00479617, rel=1e-6)
    # printed to 8 decimals (5 significant digits): within half a unit of the 8th decimal (e.g. Cov1 is
    # 0.000346613709 here, 0.00034661 printed), i.e. agreement to every digit the Iowa output gives
    for key, value in {"MS(TxR)": 0.00055103, "Cov1": 0.00034661, "Cov2": 0.00034407, "Cov3": 0.00023903,
                       "Var(error)": 0.00080229}.items():
        assert c[key] == published(value, 8), key


def test_vandyke_rrrc(vandyke):
    t = vandyke.rrrc
    assert t.statistic == published(4.456, 3)
    assert t.df == published(15.26, 2)
    assert vandyke.df_num == 1
    assert t.p_value == published(0.0517, 4)
    assert t.estimate.lower == published(-0.08796, 5)
    assert t.estimate.upper == published(0.00036, 5)
    assert t.estimate.value == pytest.approx(0.89703704 - 0.94083736, rel=1e-6)
    assert vandyke.differences[0] == t.estimate


def test_vandyke_frrc_and_rrfc(vandyke):
    assert vandyke.frrc.statistic == pytest.approx(5.47595, abs=5e-6)
    assert vandyke.frrc.df == 1
    assert vandyke.frrc.p_value == published(0.0193, 4)
    assert vandyke.rrfc.statistic == published(8.70, 2)
    assert vandyke.rrfc.df == 4
    assert vandyke.rrfc.p_value == published(0.0420, 4)


def test_vandyke_delong_covariance_matches_mrmcaov():
    res = ds.reader_study(read_public("vandyke.csv"), covariance="delong")
    assert res.rrrc.statistic == pytest.approx(4.484854, rel=1e-6)
    assert res.rrrc.df == pytest.approx(15.06611, rel=1e-6)


def test_franken_truncation_gives_ddf_three():
    res = ds.reader_study(read_public("franken.csv"))
    assert res.components["Cov2"] < res.components["Cov3"]
    assert res.rrrc.df == pytest.approx(3.0, rel=1e-12)
    assert res.rrrc.statistic == published(4.69, 2)
    assert res.rrrc.p_value == published(0.1188, 4)
    assert any("Cov2 < Cov3" in n for n in res.notes)


def test_vandyke_per_reader_tests_match_rjafroc(vandyke):
    """Fixed readers, each reader alone (Wald z, standard error sqrt(2 (Var_j - Cov1_j)) from the reader's own
    jackknife variances and covariance). Published in D. Chakraborty's RJafroc book, chapter "Illustrations
    using the Obuchowski Rockette method", hand calculation with dataset02 (FRRC, individual readers):
    estimate, StdErr, z, p, CI for rdr0..rdr4, trt0 - trt1, printed to 7-8 significant digits."""
    published_rows = [  # estimate, std err, z, p, lower, upper
        (-0.02818035, 0.02551213, -1.1045864, 0.26933885, -0.07818322, 0.021822507),
        (-0.04653784, 0.02630183, -1.7693768, 0.07683102, -0.09808848, 0.005012792),
        (-0.01787440, 0.03120965, -0.5727202, 0.56683414, -0.07904418, 0.043295388),
        (-0.02624799, 0.01729129, -1.5179891, 0.12901715, -0.06013829, 0.007642316),
        (-0.10016103, 0.04405746, -2.2734182, 0.02300099, -0.18651207, -0.013809995)]
    assert len(vandyke.per_reader) == 5
    for test, (est, se, z, p, lower, upper) in zip(vandyke.per_reader, published_rows):
        assert test.estimate.value == pytest.approx(est, rel=1e-6)
        assert test.estimate.value / test.statistic == pytest.approx(se, rel=1e-6)
        assert test.statistic == pytest.approx(z, rel=1e-6)
        assert test.p_value == pytest.approx(p, rel=1e-6)
        assert (test.estimate.lower, test.estimate.upper) == pytest.approx((lower, upper), rel=1e-6)
        assert math.isinf(test.df)
