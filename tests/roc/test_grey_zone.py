"""The grey zone (Coste & Pouchot 2003): cut-offs checked against pROC's coords (the counts at the
thresholds reaching sensitivity and specificity 0.9), measures recomputed by hand, bootstrap and bad input.

No R package computes the grey zone itself; the cut-offs and the counts at them come from pROC 1.18
``coords(r, "all")`` (tests/reference/roc/roc_coords_smooth.R), the measures are ratios of those counts.
"""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import OptionError

from .roc_fixtures import REFERENCE, load_fixture

DATA = {"asah": ("y", "s100b"), "continuous_ties": ("y", "marker"), "ordinal": ("y", "rating")}
_, PROC = load_fixture("coords_smooth")


def _curve(name):
    reference, score = DATA[name]
    return ds.roc(data=pd.read_csv(REFERENCE / f"{name}.csv"), reference=reference, score=score)


@pytest.mark.parametrize("name", DATA)
def test_cutoffs_and_measures_agree_with_the_counts_of_proc_coords(name):
    roc, exp = _curve(name), PROC[name]["grey_zone_0.9"]
    zone = roc.grey_zone(0.9, 0.9, n_boot=None)
    midpoints = roc.curve.assign(midpoint=roc._midpoints()).set_index("threshold")["midpoint"]
    assert midpoints[zone.rule_out] == pytest.approx(exp["rule_out"], rel=1e-9)
    assert midpoints[zone.rule_in] == pytest.approx(exp["rule_in"], rel=1e-9)
    m, n = roc.n_cases, roc.n_controls
    tp_out, fp_out, tp_in, fp_in = exp["tp_rule_out"], exp["fp_rule_out"], exp["tp_rule_in"], exp["fp_rule_in"]
    assert zone.counts[["cases", "controls"]].to_numpy().tolist() == [[m - tp_out, n - fp_out],
                                                                       [tp_out - tp_in, fp_out - fp_in], [tp_in, fp_in]]
    expected = {"sensitivity at the rule-out cut-off": tp_out / m, "specificity at the rule-in cut-off": 1 - fp_in / n,
                "patients in the grey zone": (tp_out - tp_in + fp_out - fp_in) / (m + n),
                "sensitivity outside the grey zone": tp_in / (tp_in + m - tp_out),
                "specificity outside the grey zone": (n - fp_out) / (n - fp_out + fp_in),
                "accuracy outside the grey zone": (tp_in + n - fp_out) / (tp_in + m - tp_out + n - fp_out + fp_in),
                "PPV at or beyond the rule-in cut-off": tp_in / (tp_in + fp_in),
                "NPV beyond the rule-out cut-off": (n - fp_out) / (n - fp_out + m - tp_out)}
    for measure, value in expected.items():
        assert zone[measure].value == pytest.approx(value, rel=1e-12), measure
    assert zone[measure].notes == ("no interval (n_boot=None)",)


def test_the_targets_hold_and_are_the_tightest():
    roc = _curve("asah")
    curve = roc.curve.set_index("threshold")
    zone = roc.grey_zone(0.95, 0.85, n_boot=None)
    assert curve.loc[zone.rule_out, "sensitivity"] >= 0.95
    assert curve.loc[curve.index > zone.rule_out, "sensitivity"].max() < 0.95
    assert curve.loc[zone.rule_in, "specificity"] >= 0.85
    assert curve.loc[curve.index < zone.rule_in, "specificity"].max() < 0.85


def test_given_cutoffs_match_at_threshold_and_either_direction():
    roc = _curve("asah")
    zone = roc.grey_zone(cutoffs=(0.3, 0.1), n_boot=None)   # order does not matter
    assert (zone.rule_out, zone.rule_in) == (0.1, 0.3)
    low, high = roc.at_threshold(0.1), roc.at_threshold(0.3)
    assert zone.counts.loc["negative", ["cases", "controls"]].tolist() == [low.fn, low.tn]
    assert zone.counts.loc["positive", ["cases", "controls"]].tolist() == [high.tp, high.fp]
    data = pd.read_csv(REFERENCE / "asah.csv").assign(negated=lambda d: -d["s100b"])
    mirrored = ds.roc(data=data, reference="y", score="negated", direction="lower")
    other = mirrored.grey_zone(cutoffs=(-0.1, -0.3), n_boot=None)
    assert (other.rule_out, other.rule_in) == (-0.1, -0.3)
    assert other.counts.equals(zone.counts)
    assert [e.value for e in other.estimates[2:]] == [e.value for e in zone.estimates[2:]]


def test_crossed_cutoffs_leave_no_grey_zone():
    roc = ds.roc([0, 0, 0, 0, 1, 1, 1, 1], [1, 2, 3, 4, 5, 6, 7, 8])
    zone = roc.grey_zone(n_boot=None)
    assert zone["patients in the grey zone"].value == 0
    assert zone["accuracy outside the grey zone"].value == 1
    assert any("no grey zone" in note for note in zone.notes)


def test_a_target_no_threshold_reaches_rules_nobody_in():
    # specificity 0.95 needs 20 of 20 controls below the cut-off: only "nobody positive" reaches it
    roc = ds.roc([0] * 19 + [1] * 6 + [0], list(range(19)) + [20, 21, 22, 23, 24, 25, 30])
    zone = roc.grey_zone(0.9, 0.99, n_boot=50, progress=False)
    assert zone.rule_in == np.inf and np.isnan(zone["rule-in cut-off"].lower)
    assert zone.counts.loc["positive", ["cases", "controls"]].tolist() == [0, 0]
    assert zone["rule-in cut-off"].notes and any("nobody is ruled in" in note for note in zone.notes)


def test_bootstrap_intervals_rechoose_the_cutoffs_in_every_replicate():
    roc = _curve("asah")
    zone = roc.grey_zone(n_boot=300, seed=3, progress=False)
    again = roc.grey_zone(n_boot=300, seed=3, progress=False)
    assert zone.to_frame().equals(again.to_frame())
    for estimate in zone.estimates:
        assert estimate.lower <= estimate.value <= estimate.upper, estimate.name
    assert zone["rule-out cut-off"].upper > zone["rule-out cut-off"].lower
    # every replicate met the sensitivity target at its own rule-out cut-off
    assert zone["sensitivity at the rule-out cut-off"].lower >= 0.9


def test_bad_input_names_the_argument():
    roc = _curve("ordinal")
    with pytest.raises(OptionError, match="not both"):
        roc.grey_zone(0.9, cutoffs=(2, 4))
    with pytest.raises(OptionError, match="cutoffs"):
        roc.grey_zone(cutoffs=(2,))
    with pytest.raises(OptionError, match="cutoffs"):
        roc.grey_zone(cutoffs=(2, np.inf))
    with pytest.raises(OptionError, match="sensitivity=0"):
        roc.grey_zone(sensitivity=0)
    with pytest.raises(OptionError, match="specificity"):
        roc.grey_zone(specificity=1.5)
    with pytest.raises(OptionError, match="n_boot"):
        roc.grey_zone(n_boot=-1)
