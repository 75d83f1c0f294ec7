"""Paired differences by Wald and Agresti-Min, and relative sensitivity / specificity, against the
outputs DTComPair publishes in its reference pages (``sesp.diff.ci``, ``sesp.rel`` on Paired1).

DTComPair is not installed here: the fixture holds its printed example outputs (8 decimals for
``sesp.diff.ci``, 7 significant digits for ``sesp.rel``). DTComPair reports test2 - test1 and
test2 / test1; diagstats first - second and first / second.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest

import diagstats as ds
from tests.public_data import read_public

DOCUMENTED = json.loads((Path(__file__).resolve().parents[1] / "reference" / "compare" /
                         "dtcompair_documented.json").read_text())


def _patients(diseased, non_diseased):
    """Patient-level (d, test1, test2) reproducing the two paired tables."""
    rows = []
    for d, cells in ((1, diseased), (0, non_diseased)):
        for (t1, t2), key in (((1, 1), "both_positive"), ((0, 1), "test2_only"), ((1, 0), "test1_only"),
                              ((0, 0), "both_negative")):
            rows += [(d, t1, t2)] * cells[key]
    return np.array(rows).T


@pytest.mark.parametrize("method", ["wald", "agresti-min"])
def test_paired_difference_intervals_match_dtcompair_sesp_diff_ci(method):
    doc = DOCUMENTED["sesp_diff_ci"]
    d, t1, t2 = _patients(doc["diseased"], doc["non_diseased"])
    res = ds.compare_tests(tests=(t1, t2), reference=d, ci_method=method)
    z = 1.959963984540054
    for measure in ("sensitivity", "specificity"):
        ref, diff = doc[method][measure], res[measure].difference
        assert (res[measure].first.value, res[measure].second.value) == pytest.approx((ref["test1"], ref["test2"]))
        # diagstats' first - second is DTComPair's -(test2 - test1): the interval flips
        assert diff.value == pytest.approx(-ref["diff"], abs=1e-12)
        assert (diff.lower, diff.upper) == pytest.approx((-ref["diff.ucl"], -ref["diff.lcl"]), abs=5e-9)
        assert (diff.upper - diff.lower) / (2 * z) == pytest.approx(ref["diff.se"], abs=5e-9)
        assert diff.method == ("Wald (paired)" if method == "wald" else "Agresti-Min adjusted Wald (paired)")


def test_relative_sensitivity_and_specificity_match_dtcompair_sesp_rel_on_paired1():
    data = read_public("peer_suites/dtcompair_paired1.csv")
    doc = DOCUMENTED["sesp_rel_paired1"]
    res = ds.compare_tests(data, tests=("y1", "y2"), reference="d")
    for measure, key in (("sensitivity", "sens"), ("specificity", "spec")):
        ref, mc = doc[measure], res[measure]
        assert (mc.first.value, mc.second.value) == pytest.approx((ref["test1"], ref["test2"]), rel=1e-6)
        # first / second = 1 / DTComPair's test2 / test1; the SE of the log ratio is the same
        assert mc.ratio.value == pytest.approx(1 / ref[f"rel.{key}"], rel=1e-6)
        assert (mc.ratio.lower, mc.ratio.upper) == pytest.approx((1 / ref[f"ucl.rel.{key}"],
                                                                  1 / ref[f"lcl.rel.{key}"]), rel=1e-6)
        assert math.log(mc.ratio.value) / mc.ratio_test.statistic == pytest.approx(ref[f"se.log.rel.{key}"],
                                                                                  rel=1e-6)
        assert mc.ratio_test.p_value == pytest.approx(ref[f"pval.rel.{key}"], rel=1e-6)
        assert mc.ratio.method == "log (Alonzo, Pepe & Moskowitz 2002)"


def test_relative_sensitivity_is_undefined_with_a_note_when_a_test_finds_no_one():
    d = np.array([1, 1, 1, 0, 0, 0])
    res = ds.compare_tests(tests=(np.array([0, 0, 0, 1, 0, 0]), np.array([1, 0, 0, 0, 0, 1])), reference=d)
    assert np.isnan(res.sensitivity.ratio.value)
    assert any("relative sensitivity undefined" in n for n in res.sensitivity.notes)
    assert res.specificity.ratio.value == pytest.approx((2 / 3) / (2 / 3))


def test_wald_difference_is_clipped_with_a_note():
    d = np.ones(3, dtype=int)
    res = ds.compare_tests(tests=([1, 1, 1], [0, 0, 1]), reference=d, ci_method="wald")
    diff = res.sensitivity.difference
    assert diff.value == pytest.approx(2 / 3) and diff.upper == 1.0 and diff.lower > 0
    assert "clipped to [-1, 1]" in diff.notes[-1]
