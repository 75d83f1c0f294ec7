"""ds.meta.describe_studies (mada madad-style descriptives) against base R (tests/reference/meta/*_peer_describe.json,
made by peer_describe.R: Wilson intervals, log-scale Wald ratios, prop.test, cor.test)."""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from .meta_fixtures import data, ref


@pytest.mark.parametrize("name", ["meta_studies", "auditc"])
def test_matches_r(name):
    r = ref(f"{name}_peer_describe")
    res = ds.meta.describe_studies(data(name))
    for measure in ("sensitivity", "specificity", "fpr", "lr_positive", "lr_negative", "dor"):
        for part in ("value", "lower", "upper"):
            column = measure if part == "value" else f"{measure}_{part}"
            assert res.studies[column].to_numpy() == pytest.approx(r[measure][part], rel=1e-6), (measure, part)
    for mine, theirs in ((res.sensitivity_test, r["sensitivity_test"]), (res.specificity_test, r["specificity_test"])):
        assert mine.statistic == pytest.approx(theirs["statistic"], rel=1e-6)
        assert mine.df == theirs["df"]
        assert mine.p_value == pytest.approx(theirs["p"], rel=1e-6, abs=1e-300)
    assert res.correlation.value == pytest.approx(r["correlation"]["r"], rel=1e-6)
    assert [res.correlation.lower, res.correlation.upper] == pytest.approx(r["correlation"]["ci"], rel=1e-6)


def test_auditc_threshold_effect_screen():
    """AuditC (mada): sensitivities rise with false positive rates (r 0.663), the sign of a threshold effect."""
    res = ds.meta.describe_studies(data("auditc"))
    assert res.correlation.value == pytest.approx(0.663032433643652, rel=1e-6)
    assert res.correlation.lower > 0
    frame = res.to_frame()
    assert list(frame.columns[:3]) == ["study", "measure", "value"]
    assert len(frame) == 6 * res.k + 3
    assert "Correlation of sensitivities" in str(res)


def test_identical_studies_and_too_few_for_an_interval():
    same = pd.DataFrame({"tp": [10, 10, 10], "fp": [2, 2, 2], "fn": [1, 1, 1], "tn": [20, 20, 20]})
    res = ds.meta.describe_studies(same)
    assert res.sensitivity_test.statistic == pytest.approx(0.0) and np.isnan(res.correlation.value)
    assert any("same sensitivity" in n for n in res.notes)
    three = pd.DataFrame({"tp": [10, 12, 8], "fp": [2, 5, 1], "fn": [1, 3, 2], "tn": [20, 25, 30]})
    res = ds.meta.describe_studies(three)
    assert np.isfinite(res.correlation.value) and np.isnan(res.correlation.lower)
    assert any("Fisher-z" in n for n in res.notes)
