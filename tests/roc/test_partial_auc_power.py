"""Bootstrap variance and covariance of partial AUCs, and the power of two paired curves compared on a partial
AUC, against pROC 1.18 var/cov/power.roc.test(method = "bootstrap") on aSAH (tests/reference/roc/roc_partial_power.R).
Bootstrap numbers agree within Monte Carlo error; the partial areas themselves to 1e-9."""

import json
import math

import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import OptionError

from .roc_fixtures import REFERENCE

PROC = json.loads((REFERENCE / "partial_power_proc.json").read_text())
ASAH = pd.read_csv(REFERENCE / "asah.csv")
ROWS = PROC["rows"]


def _ids(row):
    return f"{row['first']}-{row['second']}-{row['focus']}-{row['correct']}"


def _setup(row):
    area = {row["focus"]: (row["low"], row["high"]), "correct": row["correct"]}
    return ds.roc(ASAH["y"], ASAH[row["first"]]), ds.roc(ASAH["y"], ASAH[row["second"]]), area


@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_partial_variance_and_covariance_agree_with_proc_within_monte_carlo_error(row):
    """Two independent estimates from B = 2000 resamples: a sample variance has standard error about
    V sqrt(2 / (B - 1)), a sample covariance sqrt((V1 V2 + C^2) / (B - 1)); the estimates differ by less than
    4 sqrt(2) of these."""
    r1, r2, area = _setup(row)
    assert r1.partial_auc(**area).value == pytest.approx(row["pauc1"], abs=1e-9)
    v1 = r1.auc_variance("bootstrap", seed=1, progress=False, **area)
    v2 = r2.auc_variance("bootstrap", seed=2, progress=False, **area)
    c = r1.auc_covariance(r2, "bootstrap", seed=3, progress=False, **area)
    bound = 4 * math.sqrt(2)
    assert abs(v1 - row["var1_bootstrap_2000"]) < bound * row["var1_bootstrap_2000"] * math.sqrt(2 / 1999)
    assert abs(v2 - row["var2_bootstrap_2000"]) < bound * row["var2_bootstrap_2000"] * math.sqrt(2 / 1999)
    assert abs(c - row["cov_bootstrap_2000"]) < bound * math.sqrt((v1 * v2 + c * c) / 1999)
    assert r1.auc_covariance(r1, "bootstrap", seed=3, progress=False, **area) == \
        pytest.approx(r1.auc_variance("bootstrap", seed=3, progress=False, **area), rel=1e-12)   # same draws


@pytest.mark.parametrize("row", [r for r in ROWS if r["power_bootstrap_2000"] is not None], ids=_ids)
def test_partial_power_agrees_with_proc_within_monte_carlo_error(row):
    """The power is a smooth function of three bootstrap variances (each within a few per cent of its limit at
    B = 2000), which moves these powers (0.1 to 0.5) by less than 0.01; 0.03 allows three times that."""
    r1, r2, area = _setup(row)
    power = ds.power_roc_curves(r1, r2, method="bootstrap", progress=False, **area)
    assert abs(power - row["power_bootstrap_2000"]) < 0.03
    assert power == ds.power_roc_curves(r1, r2, method="bootstrap", progress=False, **area)   # same seed, same power
    level = ds.power_roc_curves(r1, r2, method="bootstrap", alpha=None, power=0.05, progress=False, **area)
    assert ds.power_roc_curves(r1, r2, method="bootstrap", alpha=level, progress=False, **area) == \
        pytest.approx(0.05, abs=1e-12)


def test_the_mcclish_correction_leaves_the_power_unchanged():
    """The corrected partial area is a linear map of the partial area, so the difference and its SD scale alike
    (pROC refuses a corrected partial AUC in power.roc.test)."""
    r1, r2 = ds.roc(ASAH["y"], ASAH["wfns"]), ds.roc(ASAH["y"], ASAH["s100b"])
    plain = ds.power_roc_curves(r1, r2, method="bootstrap", specificity=(0.8, 1), progress=False)
    corrected = ds.power_roc_curves(r1, r2, method="bootstrap", specificity=(0.8, 1), correct=True, progress=False)
    assert corrected == pytest.approx(plain, rel=1e-9)


def test_partial_auc_needs_the_bootstrap_or_obuchowski():
    """DeLong's placements are for the whole area (pROC refuses them too); Obuchowski's binormal partial-area
    variance is tested in test_partial_obuchowski.py."""
    r1, r2 = ds.roc(ASAH["y"], ASAH["wfns"]), ds.roc(ASAH["y"], ASAH["s100b"])
    with pytest.raises(OptionError, match="method='bootstrap'"):
        r1.auc_variance("delong", specificity=(0.8, 1))
    with pytest.raises(OptionError, match="method='bootstrap'"):
        r1.auc_covariance(r2, "delong", specificity=(0.8, 1))
    with pytest.raises(OptionError, match="method='bootstrap'"):
        ds.power_roc_curves(r1, r2, method="delong", specificity=(0.8, 1))
    with pytest.raises(OptionError, match="specificity"):
        r1.auc_variance("bootstrap", specificity=(0.8, 1), sensitivity=(0.9, 1))
