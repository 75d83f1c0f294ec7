"""Obuchowski & McClish's (1997) variance and covariance of observed partial AUCs, and the power, significance
level and sample size of two paired curves compared on a partial AUC with them, against pROC 1.18's binormal
power.roc.test(list(A1, B1, A2, B2, rn, ra, FPR11, FPR12, FPR21, FPR22, delta)) evaluated at each curve's
least-squares binormal line and the observed difference (tests/reference/roc/roc_partial_obuchowski.R, on pROC's
aSAH data). pROC's var/cov(roc, method = "obuchowski") of a partial AUC differ; the last test shows why."""

import json

import pandas as pd
import pytest

import diagstats as ds
from diagstats._core.binormal import Binormal, binormal_covariance
from diagstats.errors import OptionError

from .roc_fixtures import REFERENCE

TOL = dict(rel=1e-6, abs=1e-12)
PROC = json.loads((REFERENCE / "partial_obuchowski_proc.json").read_text())
ASAH = pd.read_csv(REFERENCE / "asah.csv")
ROWS = PROC["rows"]


def _ids(row):
    return f"{row['first']}-{row['second']}-{row['focus']}-{row['low']}-{row['high']}"


def _setup(row):
    area = {row["focus"]: (row["low"], row["high"])}
    return ds.roc(ASAH["y"], ASAH[row["first"]]), ds.roc(ASAH["y"], ASAH[row["second"]]), area


@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_partial_power_agrees_with_proc(row):
    r1, r2, area = _setup(row)
    assert r1.partial_auc(**area).value - r2.partial_auc(**area).value == pytest.approx(row["delta"], **TOL)
    power = ds.power_roc_curves(r1, r2, method="obuchowski", **area)
    assert power == pytest.approx(row["power"], **TOL)
    assert ds.power_roc_curves(r1, r2, method="obuchowski", alpha=0.01, **area) == \
        pytest.approx(row["power_alpha_0.01"], **TOL)
    plan = ds.planning.sample_size_roc_curves(r1, r2, method="obuchowski", power=0.9, **area)
    # pROC's ncases counts the patients of the class the binormal curve calls diseased: the controls for a
    # sensitivity range; diagstats' plan always counts cases (n_diseased) and controls at roc1's ratio
    exact = plan.exact if row["focus"] == "specificity" else plan.exact * r1.n_controls / r1.n_cases
    assert exact == pytest.approx(row["n_diseased_power_0.9"], **TOL)
    if row["sig_level_power_0.5"] <= 1:
        level = ds.power_roc_curves(r1, r2, method="obuchowski", alpha=None, power=0.5, **area)
        assert level == pytest.approx(row["sig_level_power_0.5"], **TOL)
    else:   # pROC returns a "significance level" above 1
        with pytest.raises(OptionError):
            ds.power_roc_curves(r1, r2, method="obuchowski", alpha=None, power=0.5, **area)


def test_variance_and_covariance_of_a_partial_auc_are_of_the_binormal_partial_area():
    """McClish's correction scales the variance and the covariance by the square of its slope
    1 / (2 (width - chance area)); the variance is of the same order as the bootstrap's."""
    r1, r2 = ds.roc(ASAH["y"], ASAH["s100b"]), ds.roc(ASAH["y"], ASAH["ndka"])
    for area in (dict(specificity=(0.8, 1)), dict(sensitivity=(0.6, 0.95))):
        v = r1.auc_variance("obuchowski", **area)
        lo, hi = 1 - list(area.values())[0][1], 1 - list(area.values())[0][0]
        slope = 1 / (2 * (hi - lo - (hi**2 - lo**2) / 2))
        assert r1.auc_variance("obuchowski", correct=True, **area) == pytest.approx(v * slope**2, rel=1e-12)
        assert r1.auc_covariance(r2, "obuchowski", correct=True, **area) == \
            pytest.approx(r1.auc_covariance(r2, "obuchowski", **area) * slope**2, rel=1e-12)
        boot = r1.auc_variance("bootstrap", progress=False, **area)
        assert 0.5 < v / boot < 2


@pytest.mark.parametrize("row", [r for r in ROWS if "proc_roc_var1" in r], ids=_ids)
def test_procs_own_partial_obuchowski_variance_reads_the_specificities_as_false_positive_rates(row):
    """pROC's var(roc, method = "obuchowski") of a partial AUC over specificity (lo, hi) equals the binormal
    partial-area variance over false-positive rates (lo, hi) instead of (1 - hi, 1 - lo): an area near the
    top right corner of the curve, whose variance is far below that of the partial AUC asked for."""
    curve = Binormal(row["a1"], row["b1"], (row["low"], row["high"]))
    ratio = row["n_controls"] / row["n_cases"]
    assert binormal_covariance(curve, curve, 0.0, 0.0, ratio, same=True) / row["n_cases"] == \
        pytest.approx(row["proc_roc_var1"], **TOL)
    r1, _, area = _setup(row)
    assert r1.auc_variance("obuchowski", **area) > 3 * row["proc_roc_var1"]


def test_partial_auc_power_refuses_delong():
    r1, r2 = ds.roc(ASAH["y"], ASAH["wfns"]), ds.roc(ASAH["y"], ASAH["s100b"])
    with pytest.raises(OptionError, match="method='obuchowski'"):
        r1.auc_variance("delong", specificity=(0.8, 1))
    with pytest.raises(OptionError, match="method='bootstrap'"):
        ds.planning.sample_size_roc_curves(r1, r2, method="delong", specificity=(0.8, 1))


def test_partial_sample_size_by_the_bootstrap_reaches_its_power():
    r1, r2 = ds.roc(ASAH["y"], ASAH["s100b"]), ds.roc(ASAH["y"], ASAH["ndka"])
    plan = ds.planning.sample_size_roc_curves(r1, r2, method="bootstrap", power=0.8, specificity=(0.8, 1),
                                              progress=False)
    assert plan.power >= 0.8 and plan.inputs["auc1"] == pytest.approx(r1.partial_auc(specificity=(0.8, 1)).value)
    again = ds.planning.sample_size_roc_curves(r1, r2, method="bootstrap", power=0.8, specificity=(0.8, 1),
                                               progress=False)
    assert again.exact == plan.exact
