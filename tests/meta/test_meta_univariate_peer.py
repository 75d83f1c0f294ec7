"""Univariate additions of issue 21 against R metafor 3.8.1: the ML estimator, the Knapp-Hartung adjustment
(``test="knha"`` and the truncated ``"adhoc"``) for DL, REML and ML, and the Mantel-Haenszel DOR
(tests/reference/meta/*_peer_univariate.json, made by peer_univariate.R)."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

import diagstats as ds
from diagstats.errors import OptionError
from .meta_fixtures import data, ref

NAMES = ["meta_studies", "auditc", "imaging"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("measure", ["sensitivity", "specificity", "dor"])
@pytest.mark.parametrize("method,test", [("ML", "z"), ("DL", "knha"), ("REML", "knha"), ("ML", "knha"),
                                         ("DL", "adhoc"), ("REML", "adhoc"), ("ML", "adhoc")])
def test_matches_metafor(name, measure, method, test):
    r = ref(f"{name}_peer_univariate")[f"{measure}_{method}_{test}"]
    res = ds.meta.univariate(data(name), measure=measure, method=method, test=test)
    assert res.test == test
    assert res.tau2.value == pytest.approx(r["tau2"], rel=1e-6, abs=1e-10)
    assert res.estimate.value == pytest.approx(r["estimate"], rel=1e-6)
    assert res.se == pytest.approx(r["se"], rel=1e-6)
    assert [res.estimate.lower, res.estimate.upper] == pytest.approx(r["ci"], rel=1e-6)
    assert res.i2 == pytest.approx(r["I2"], rel=1e-6, abs=1e-8)
    assert res.h2 == pytest.approx(r["H2"], rel=1e-6)
    back = np.exp if measure == "dor" else expit
    assert list(res.prediction) == pytest.approx(list(back(np.array(r["pi"]))), rel=1e-6)
    assert res.weights == pytest.approx(r["weights"], rel=1e-6)


def test_knha_factor_below_one_narrows_unless_truncated():
    """AuditC specificity by DL: s^2 < 1, so metafor's knha se is below the Wald se and adhoc keeps the Wald se."""
    d = data("auditc")
    wald = ds.meta.univariate(d, measure="specificity", method="dl")
    knha = ds.meta.univariate(d, measure="specificity", method="dl", test="knha")
    adhoc = ds.meta.univariate(d, measure="specificity", method="dl", test="adhoc")
    assert knha.se < wald.se and adhoc.se == pytest.approx(wald.se, rel=1e-12)
    assert any("narrower than the Wald" in n for n in knha.notes)
    assert any("truncated at 1" in n for n in adhoc.notes)
    assert "Knapp-Hartung t(13)" in adhoc.pooled.method


def test_knha_refused_for_glmm():
    with pytest.raises(OptionError, match="test='knha'"):
        ds.meta.univariate(data("auditc"), measure="sensitivity", method="glmm", test="knha")


@pytest.mark.parametrize("name", NAMES)
def test_mantel_haenszel_matches_metafor(name):
    r = ref(f"{name}_peer_univariate")["mantel_haenszel"]
    res = ds.meta.mantel_haenszel(data(name))
    assert res.log_dor.value == pytest.approx(r["log_or"], rel=1e-6)
    assert res.se == pytest.approx(r["se"], rel=1e-6)
    assert [res.log_dor.lower, res.log_dor.upper] == pytest.approx(r["ci_log"], rel=1e-6)
    assert [res.dor.value, res.dor.lower, res.dor.upper] == pytest.approx([r["or"], *r["ci"]], rel=1e-6)
    assert res.q.statistic == pytest.approx(r["Q"], rel=1e-6)
    assert res.q.p_value == pytest.approx(r["Q_p"], rel=1e-6)
    assert res.k == r["k"]


def test_mantel_haenszel_infinite_dor_is_reported_with_a_note():
    studies = {"tp": [10, 20, 15], "fp": [0, 3, 0], "fn": [2, 0, 4], "tn": [40, 30, 50]}
    res = ds.meta.mantel_haenszel(pd.DataFrame(studies))
    assert res.dor.value == np.inf and np.isnan(res.dor.lower)
    assert any("no interval" in n for n in res.notes)
    assert "Mantel-Haenszel" in str(res) and res.to_frame().loc[0, "measure"] == "dor"
