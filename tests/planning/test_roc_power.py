"""Power of two observed paired ROC curves against pROC 1.18 power.roc.test(roc1, roc2)
(tests/reference/roc/roc_power.R)."""

import json

import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DataError, OptionError

REFERENCE = __import__("pathlib").Path(__file__).resolve().parents[1] / "reference" / "roc"
PROC = json.loads((REFERENCE / "power_proc.json").read_text())
FOUR = pd.read_csv(REFERENCE / "four_scores.csv")
PAIRS = [(p["first"], p["second"], p) for p in PROC["pairs"]]


def _curve(i):
    return ds.roc(FOUR["y"], FOUR[f"score{i}"])


def _one_sided(r1, r2):   # pROC's "one.sided" tests the observed direction
    return "greater" if r1.auc.value > r2.auc.value else "less"


@pytest.mark.parametrize("first, second, expected", PAIRS)
def test_power_matches_proc(first, second, expected):
    r1, r2 = _curve(first), _curve(second)
    power = ds.planning.power_roc_curves
    assert power(r1, r2) == pytest.approx(expected["power"], abs=1e-6)
    assert power(r1, r2, alpha=0.01) == pytest.approx(expected["power_alpha_0.01"], abs=1e-6)
    assert power(r1, r2, alternative=_one_sided(r1, r2)) == pytest.approx(expected["power_one_sided"], abs=1e-6)


@pytest.mark.parametrize("first, second, expected", PAIRS)
def test_significance_level_matches_proc(first, second, expected):
    r1, r2 = _curve(first), _curve(second)
    level = ds.power_roc_curves(r1, r2, alpha=None, power=0.9)
    assert level == pytest.approx(expected["sig_level_power_0.9"], abs=1e-6)
    assert ds.power_roc_curves(r1, r2, alpha=None, power=0.8, alternative=_one_sided(r1, r2)) == \
        pytest.approx(expected["sig_level_power_0.8_one_sided"], abs=1e-6)
    assert ds.power_roc_curves(r1, r2, alpha=level) == pytest.approx(0.9, abs=1e-12)   # the two solve one equation


def test_refusals_name_the_fix():
    r1, r2 = _curve(1), _curve(2)
    with pytest.raises(OptionError, match="not both or neither"):
        ds.power_roc_curves(r1, r2, alpha=None)
    with pytest.raises(OptionError, match="not both or neither"):
        ds.power_roc_curves(r1, r2, power=0.8)
    with pytest.raises(OptionError):
        ds.power_roc_curves(r1, r2, alternative="less")   # AUC1 > AUC2 here: no power in that direction
    other = pd.read_csv(REFERENCE / "unpaired_a.csv")
    with pytest.raises(DataError, match="same patients"):
        ds.power_roc_curves(r1, ds.roc(other["y"], other["score"]))
    with pytest.raises(DataError, match="roc2 must be a ROC curve"):
        ds.power_roc_curves(r1, 0.7)


def test_a_null_variance_below_zero_asks_to_swap_the_curves():
    y = [0, 0, 1, 0, 1, 1, 0, 1, 0, 1]
    r1, r2 = ds.roc(y, [1, 2, 6, 4, 5, 7, 2, 5, 3, 3]), ds.roc(y, [2, 1, 4, 3, 6, 5, 1, 3, 4, 2])
    with pytest.raises(DataError, match="Swap roc1 and roc2"):
        ds.power_roc_curves(r1, r2)
    assert 0 < ds.power_roc_curves(r2, r1) < 1
